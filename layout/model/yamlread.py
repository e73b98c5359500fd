"""Reading YAML files (the only module that imports yaml): text, tags, positions.

Edition and style files are written by people in editors and pasted from other
programs, so the text is checked before YAML sees it: UTF-8 (with or without a BOM,
CRLF or LF line ends), or UTF-16 with a BOM; a GBK/GB18030 file is named as such; control
characters are reported with line, column and code point. After parsing, any tag other
than YAML's standard ones is an error (a tag's value would otherwise be dropped without a
word). `Reader` then walks the node tree, converting values and collecting diagnostics
that name the file, the line and the field.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from layout.diagnostics import ERROR, Diagnostic, InputError
from layout.units import parse_length

Node = yaml.Node
MappingNode = yaml.MappingNode
ScalarNode = yaml.ScalarNode
SequenceNode = yaml.SequenceNode

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# No count in an edition or style (pages, columns, grid lines, a place's depth) comes near
# this; a larger one is a typo, and would make the engine allocate for it.
MAX_COUNT = 10_000
_NULL = "tag:yaml.org,2002:null"
_STANDARD_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in (
    "str", "int", "float", "bool", "null", "seq", "map", "timestamp", "merge"))
# What YAML 1.1 cannot carry (its printable set is tab, LF, CR, U+0020–U+007E, U+0085,
# U+00A0–U+D7FF, U+E000–U+FFFD and the planes above); NEL (U+0085) is refused as well:
# in an edition it is always a mis-decoded character, never a line break.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_CONTROL_NAMES = {
    0x00: "NUL", 0x07: "BEL, bell", 0x08: "BS, backspace", 0x0B: "VT, vertical tab",
    0x0C: "FF, form feed", 0x1B: "ESC, escape", 0x7F: "DEL", 0x85: "NEL, next line",
    0xFFFE: "not a character", 0xFFFF: "not a character",
}


def is_file(path: Path) -> bool:
    """Path.is_file, except that a name too long for the system is simply not a file."""
    try:
        return path.is_file()
    except OSError:
        return False


def _guess_encoding(data: bytes) -> str | None:
    """A likely name for bytes that are not UTF-8: Chinese files are GBK/GB18030 or Big5."""
    for codec, name in (("gb18030", "GBK/GB18030 (the Chinese Windows encoding)"),
                        ("big5", "Big5 (traditional Chinese)")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if re.search("[\u4e00-\u9fff]", text):
            return name
    return None


def _standard_tags_only(root: yaml.Node) -> bool:
    """Whether every node has a standard tag: the common case, checked at a fraction of the
    cost of `Reader._check_tags`'s walk (an edition of 32 pages has some 7,000 nodes). The
    scalars of a mapping are checked in place; a collection is entered once however many
    aliases name it, so that an alias bomb costs no more than its text."""
    standard = _STANDARD_TAGS
    if root.tag not in standard:
        return False
    seen: set[int] = set()
    stack = [root] if root.value.__class__ is list else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.__class__ is MappingNode:
            for key, value in node.value:
                if key.tag not in standard or value.tag not in standard:
                    return False
                if value.value.__class__ is list:    # a collection (a scalar holds a str)
                    stack.append(value)
                if key.value.__class__ is list:
                    stack.append(key)
        else:
            for item in node.value:
                if item.tag not in standard:
                    return False
                if item.value.__class__ is list:
                    stack.append(item)
    return True


class Reader:
    """Walks a YAML node tree, converting values and collecting diagnostics."""

    def __init__(self, file: Path):
        self.file = file
        self.errors: list[Diagnostic] = []

    def error(self, node: yaml.Node | None, field: str, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.errors.append(Diagnostic(ERROR, "invalid-input", message, str(self.file), line, field))

    def parse(self) -> yaml.Node | None:
        """The file's node tree, or None with the reason among the errors."""
        text = self._read_text()
        if text is None or self._control_characters(text):
            return None
        try:
            node = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            self.errors.append(Diagnostic(
                ERROR, "yaml-syntax", f"YAML syntax error: {exc.problem or exc.context}",
                str(self.file), line, None, "check indentation, colons and quotes"))
            return None
        except (yaml.YAMLError, RecursionError) as exc:
            self.error(None, "", f"not a readable YAML file ({exc.__class__.__name__}: "
                       f"{str(exc)[:200]})")
            return None
        if node is None:
            self.errors.append(Diagnostic(ERROR, "invalid-input", "the file is empty",
                                          str(self.file), 1, None))
            return None
        self._check_tags(node)
        return None if self.errors else node

    def _read_text(self) -> str | None:
        """The file as text: UTF-8 (a BOM is allowed) or UTF-16 with its BOM; anything else
        is reported with the encoding it most likely is."""
        try:
            data = self.file.read_bytes()
        except FileNotFoundError:
            self.error(None, "", "file not found")
            return None
        except OSError as exc:
            self.error(None, "", f"cannot be read ({exc.strerror or exc})")
            return None
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                return data.decode("utf-16")
            except UnicodeDecodeError:
                pass
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            before = data[:exc.start]
            line = before.count(b"\n") + 1
            column = exc.start - (before.rfind(b"\n") + 1) + 1
            guess = _guess_encoding(data)
            what = f"it looks like {guess}" if guess else \
                f"byte 0x{data[exc.start]:02X} cannot start or continue a UTF-8 character"
            self.errors.append(Diagnostic(
                ERROR, "encoding", f"the file is not UTF-8 text: {what} (first bad byte at "
                f"column {column})", str(self.file), line, None,
                "save the file as UTF-8, e.g. iconv -f GB18030 -t UTF-8" if guess else
                "save the file as UTF-8"))
            return None

    def _control_characters(self, text: str) -> bool:
        """Report characters YAML cannot carry and no editor shows (U+0007 pasted from
        another program …): each with its line, column and code point."""
        found = 0
        for match in _CONTROL.finditer(text):
            if found == 10:
                self.errors.append(Diagnostic(
                    ERROR, "control-character", "more control characters follow; "
                    "only the first 10 are listed", str(self.file), None, None))
                break
            before = text[:match.start()]
            line = before.count("\n") + 1
            column = match.start() - (before.rfind("\n") + 1) + 1
            code = ord(match.group())
            name = _CONTROL_NAMES.get(code, "control character")
            self.errors.append(Diagnostic(
                ERROR, "control-character", f"column {column}: control character "
                f"U+{code:04X} ({name}) is not allowed in edition or style files",
                str(self.file), line, None,
                "delete it (it is invisible in most editors); only tab and line breaks are "
                "allowed"))
            found += 1
        return bool(found)

    def _check_tags(self, root: yaml.Node) -> None:
        """Tags (`!!python/object`, `!include`, …) would be dropped or misread: refuse them.
        Walks without recursion and visits a node shared by aliases once."""
        if _standard_tags_only(root):
            return
        seen: set[int] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if node.tag not in _STANDARD_TAGS:
                tag = node.tag.replace("tag:yaml.org,2002:", "!!")
                self.errors.append(Diagnostic(
                    ERROR, "yaml-tag", f"tag {tag} is used; tags are not allowed in "
                    "edition files", str(self.file), node.start_mark.line + 1, None,
                    "remove the tag and write the value as plain text"))
            if isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
            elif isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    stack.extend((key, value))

    def mapping(self, node: yaml.Node, field: str, required: tuple[str, ...],
                optional: tuple[str, ...]) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, field, f"expected a mapping of {', '.join(required + optional)}")
            return None
        result: dict[str, yaml.Node] = {}
        allowed = required + optional
        for key_node, value_node in node.value:
            key = self._key(key_node, field)
            if key is None:
                continue
            name = f"{field}.{key}" if field else str(key)
            if key not in allowed:
                self.error(key_node, name,
                           f"unknown key {key!r}; expected one of: {', '.join(allowed)}")
            elif key in result:
                self.error(key_node, name, f"key {key!r} given twice")
            else:
                result[key] = value_node
        for key in required:
            if key not in result:
                self.error(node, f"{field}.{key}" if field else key,
                           f"missing required field {key!r}")
        return result

    def free_mapping(self, node: yaml.Node, field: str) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, field, "expected a mapping")
            return None
        result: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, field)
            if key is None:
                continue
            if key in result:
                self.error(key_node, f"{field}.{key}", f"key {key!r} given twice")
            result[key] = value_node
        return result

    def _key(self, node: yaml.Node, field: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, field, "expected a plain key, not a list or mapping")
            return None
        return node.value

    def sequence(self, node: yaml.Node, field: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, field, "expected a list")
            return []
        return list(node.value)

    def items(self, node: yaml.Node, field: str,
              single: tuple[type, ...] = (yaml.ScalarNode,)) -> list[yaml.Node]:
        """A list's items, where one item may be written without the list: `sections: 文化`
        is `sections: [文化]` (an editor writing one value means a list of one), and an empty
        value (`sections:`) is none. `single` says which nodes count as one item (a photo
        is a mapping)."""
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
            return []
        if isinstance(node, single):
            return [node]
        return self.sequence(node, field)

    def scalar(self, node: yaml.Node, field: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, field, "expected a single value, not a list or mapping")
            return None
        return node.value

    def _value(self, node: yaml.Node | None, field: str) -> str | None:
        """The scalar's text; None when the field is absent or not a single value."""
        return None if node is None else self.scalar(node, field)

    def _ranged(self, node: yaml.Node | None, field: str, convert: Callable[[str], Any],
                what: str, minimum: float | None = None,
                maximum: float | None = None) -> Any:
        """A converted scalar within [minimum, maximum]; None (reported) otherwise."""
        value = self._value(node, field)
        if value is None:
            return None
        try:
            number = convert(value)
        except ValueError:   # also a number of more than 4,300 digits
            self.error(node, field, f"expected {what}, got {value[:40]!r}")
            return None
        if not math.isfinite(number):
            self.error(node, field, f"expected {what}, got {value!r}")
            return None
        if (minimum is not None and number < minimum) or \
                (maximum is not None and number > maximum):
            if minimum is not None and (maximum is None or maximum == MAX_COUNT):
                # A count's upper bound is a guard against typos, not worth naming on a
                # number below the lower one.
                bounds = f"of at least {minimum:g}" if number < minimum else \
                    f"of at most {maximum:g}"
            elif minimum is None:
                bounds = f"of at most {maximum:g}"
            else:
                bounds = f"from {minimum:g} to {maximum:g}"
            self.error(node, field, f"expected {what} {bounds}, got {number:g}")
            return None
        return number

    def text(self, node: yaml.Node | None, field: str, default: str = "") -> str:
        value = self._value(node, field)
        return default if value is None else value

    def integer(self, node: yaml.Node | None, field: str, default: int | None = None,
                minimum: int | None = None, maximum: int = MAX_COUNT) -> int | None:
        number = self._ranged(node, field, int, "a whole number", minimum, maximum)
        return default if number is None else number

    def number(self, node: yaml.Node | None, field: str, default: float, minimum: float,
               maximum: float) -> float:
        number = self._ranged(node, field, float, "a number", minimum, maximum)
        return default if number is None else number

    def boolean(self, node: yaml.Node | None, field: str, default: bool) -> bool:
        value = self._value(node, field)
        if value is None:
            return default
        if value.lower() in ("true", "yes", "on"):
            return True
        if value.lower() in ("false", "no", "off"):
            return False
        self.error(node, field, f"expected true or false, got {value!r}")
        return default

    def length(self, node: yaml.Node | None, field: str, default: float | None = None,
               **kwargs: Any) -> float | None:
        value = self._value(node, field)
        if value is None:
            return default
        number: object = value
        if node.tag.endswith(("int", "float")):
            # YAML's own spellings (.inf, .nan) stay text, which parse_length refuses.
            with contextlib.suppress(ValueError):
                number = float(value)
        try:
            length = parse_length(number, **kwargs)
        except ValueError as exc:
            self.error(node, field, str(exc))
            return default
        if not math.isfinite(length):
            self.error(node, field, f"expected a finite length, got {value!r}")
            return default
        return length

    def choice(self, node: yaml.Node | None, field: str, options: tuple[str, ...],
               default: str) -> str:
        value = self.text(node, field, default)
        if value not in options:
            self.error(node, field, f"expected one of {', '.join(options)}, got {value!r}")
            return default
        return value

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InputError(self.errors)
