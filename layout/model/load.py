"""Load and validate edition and style files (the only module that imports yaml).

Diagnostics name the file, the line and the field, and say what was expected.
All problems found in one pass are reported together.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from layout.diagnostics import ERROR, Diagnostic, InputError
from layout.model.edition import (
    Article,
    Edition,
    Masthead,
    PageSpec,
    Paragraph,
    Photo,
    PhotoPlace,
    Placement,
)
from layout.model.style import (
    PDFX_VERSIONS,
    ROLES,
    Composition,
    Grid,
    Print,
    RoleStyle,
    Rules,
    Style,
)
from layout.resources import fonts_dir, styles_dir
from layout.units import mm, parse_length

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RUNIN = re.compile(r"^\*\*(.+?)\*\*")


class _Reader:
    """Walks a YAML node tree, converting values and collecting diagnostics."""

    def __init__(self, file: Path):
        self.file = file
        self.errors: list[Diagnostic] = []

    def error(self, node: yaml.Node | None, field: str, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.errors.append(Diagnostic(ERROR, "invalid-input", message, str(self.file), line, field))

    def parse(self) -> yaml.Node | None:
        try:
            text = self.file.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.error(None, "", "file not found")
            return None
        except UnicodeDecodeError as exc:
            self.error(None, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")
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
        if node is None:
            self.error(None, "", "the file is empty")
        return node

    def mapping(self, node: yaml.Node, field: str, required: tuple[str, ...],
                optional: tuple[str, ...]) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, field, f"expected a mapping of {', '.join(required + optional)}")
            return None
        result: dict[str, yaml.Node] = {}
        allowed = required + optional
        for key_node, value_node in node.value:
            key = key_node.value
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
        return {str(k.value): v for k, v in node.value}

    def sequence(self, node: yaml.Node, field: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, field, "expected a list")
            return []
        return list(node.value)

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
        except ValueError:
            self.error(node, field, f"expected {what}, got {value!r}")
            return None
        if (minimum is not None and number < minimum) or \
                (maximum is not None and number > maximum):
            bounds = f"of at least {minimum:g}" if maximum is None else \
                f"from {minimum:g} to {maximum:g}"
            self.error(node, field, f"expected {what} {bounds}, got {number:g}")
            return None
        return number

    def text(self, node: yaml.Node | None, field: str, default: str = "") -> str:
        value = self._value(node, field)
        return default if value is None else value

    def integer(self, node: yaml.Node | None, field: str, default: int | None = None,
                minimum: int | None = None) -> int | None:
        number = self._ranged(node, field, int, "a whole number", minimum)
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
        number: object = float(value) if node.tag.endswith(("int", "float")) else value
        try:
            return parse_length(number, **kwargs)
        except ValueError as exc:
            self.error(node, field, str(exc))
            return default

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


# ----------------------------------------------------------------------------- styles

def resolve_style_path(name: str, relative_to: Path) -> Path:
    """A style is a name of a shipped style (`broadsheet`) or a path to a YAML file."""
    if name.endswith((".yaml", ".yml")) or "/" in name:
        path = Path(name)
        return path if path.is_absolute() else relative_to / path
    return styles_dir() / f"{name}.yaml"


def _color(reader: _Reader, node: yaml.Node | None, field: str) -> tuple[float, ...]:
    if node is None:
        return (0.0, 0.0, 0.0, 1.0)
    values = [reader.length(n, f"{field}[{i}]") for i, n in enumerate(reader.sequence(node, field))]
    if len(values) != 4 or any(v is None or not 0 <= v <= 100 for v in values):
        reader.error(node, field, "expected CMYK percentages [c, m, y, k], each 0–100")
        return (0.0, 0.0, 0.0, 1.0)
    return tuple(v / 100.0 for v in values)  # type: ignore[operator]


def load_style(path: Path) -> Style:
    reader = _Reader(path)
    root = reader.parse()
    reader.raise_if_errors()
    top = reader.mapping(root, "", ("name", "page", "grid", "fonts", "roles"),
                         ("description", "zihao", "headline_sizes", "rules", "composition",
                          "masthead", "print", "makeup"))
    reader.raise_if_errors()
    assert top is not None
    zihao = reader.choice(top.get("zihao"), "zihao", ("word", "letterpress"), "word")

    page = reader.mapping(top["page"], "page", ("width", "height", "margin_top"),
                          ("margin_left",)) or {}
    width = reader.length(page.get("width"), "page.width", 0.0, default_unit="mm")
    height = reader.length(page.get("height"), "page.height", 0.0, default_unit="mm")
    margin_top = reader.length(page.get("margin_top"), "page.margin_top", 0.0, default_unit="mm")

    grid_node = reader.mapping(top["grid"], "grid",
                               ("columns", "column_chars", "gutter_chars", "lines", "body_size",
                                "pitch"), ()) or {}
    body_size = reader.length(grid_node.get("body_size"), "grid.body_size", 9.0, zihao=zihao)
    columns = reader.integer(grid_node.get("columns"), "grid.columns", 1, minimum=1)
    column_chars = reader.integer(grid_node.get("column_chars"), "grid.column_chars", 1, minimum=1)
    gutter_chars = reader.length(grid_node.get("gutter_chars"), "grid.gutter_chars", 1.0,
                                 default_unit="pt")
    lines = reader.integer(grid_node.get("lines"), "grid.lines", 1, minimum=1)
    pitch = reader.length(grid_node.get("pitch"), "grid.pitch", body_size * 1.5, em=body_size)
    type_width = (columns * column_chars + (columns - 1) * gutter_chars) * body_size
    margin_left_node = page.get("margin_left")
    if margin_left_node is None or reader.text(margin_left_node, "page.margin_left") == "auto":
        margin_left = (width - type_width) / 2
    else:
        margin_left = reader.length(margin_left_node, "page.margin_left", 0.0, default_unit="mm")
    grid = Grid(margin_left, margin_top, columns, column_chars, gutter_chars, lines, body_size,
                pitch)
    if width and (margin_left < 0 or margin_left + type_width > width + 0.01):
        reader.error(top["grid"], "grid", f"the type area ({type_width / mm(1):.1f} mm wide) "
                     f"does not fit the page width ({width / mm(1):.1f} mm)")
    if height and margin_top + grid.height > height + 0.01:
        reader.error(top["grid"], "grid.lines",
                     f"{lines} lines of {pitch:.2f} pt ({grid.height / mm(1):.1f} mm) do not fit "
                     f"below a {margin_top / mm(1):.1f} mm top margin on a "
                     f"{height / mm(1):.1f} mm page")

    fonts: dict[str, Path] = {}
    for key, node in (reader.free_mapping(top["fonts"], "fonts") or {}).items():
        value = reader.text(node, f"fonts.{key}")
        found = _find_font(value, path.parent)
        if found is None:
            reader.error(node, f"fonts.{key}",
                         f"font file {value!r} not found (looked beside the style file and in "
                         f"{fonts_dir()})")
        else:
            fonts[key] = found

    roles: dict[str, RoleStyle] = {}
    role_nodes = reader.free_mapping(top["roles"], "roles") or {}
    for role in ROLES:
        if role not in role_nodes:
            reader.error(top["roles"], f"roles.{role}", f"missing required role {role!r}")
    for role, node in role_nodes.items():
        field = f"roles.{role}"
        if role not in ROLES:
            reader.error(node, field, f"unknown role {role!r}; expected one of: {', '.join(ROLES)}")
            continue
        spec = reader.mapping(node, field, ("font", "size"),
                              ("leading", "color", "align", "tracking")) or {}
        font = reader.text(spec.get("font"), f"{field}.font")
        font_failed = any(e.field == f"fonts.{font}" for e in reader.errors)
        if font and font not in fonts and not font_failed:
            reader.error(spec.get("font"), f"{field}.font",
                         f"unknown font {font!r}; the style defines: {', '.join(fonts)}")
        size = reader.length(spec.get("size"), f"{field}.size", 9.0, zihao=zihao)
        default_leading = pitch if role == "body" else size * 1.25
        leading = reader.length(spec.get("leading"), f"{field}.leading", default_leading, em=size)
        roles[role] = RoleStyle(
            font=font, size=size, leading=leading,
            color=_color(reader, spec.get("color"), f"{field}.color"),  # type: ignore[arg-type]
            align=reader.choice(spec.get("align"), f"{field}.align",
                                ("left", "center", "right", "justify"), "left"),
            tracking=reader.length(spec.get("tracking"), f"{field}.tracking", 0.0,
                                   default_unit="em", em=1.0) or 0.0,
        )

    headline_sizes = []
    if "headline_sizes" in top:
        sizes = reader.free_mapping(top["headline_sizes"], "headline_sizes") or {}
        for key, node in sizes.items():
            if not key.isdigit():
                reader.error(node, f"headline_sizes.{key}", "expected a column count as key")
                continue
            size = reader.length(node, f"headline_sizes.{key}", 0.0, zihao=zihao)
            headline_sizes.append((int(key), size))

    rules = Rules()
    if "rules" in top:
        spec = reader.mapping(top["rules"], "rules", (),
                              ("column_rule", "separator", "head_rule", "head_rule_double",
                               "frame", "ornament_pitch")) or {}
        rules = Rules(
            column_rule=reader.length(spec.get("column_rule"), "rules.column_rule", 0.25),
            separator=reader.length(spec.get("separator"), "rules.separator", 0.5),
            head_rule=reader.length(spec.get("head_rule"), "rules.head_rule", 0.75),
            head_rule_double=reader.boolean(spec.get("head_rule_double"),
                                            "rules.head_rule_double", True),
            frame=reader.length(spec.get("frame"), "rules.frame", 0.6),
            ornament_pitch=reader.length(spec.get("ornament_pitch"), "rules.ornament_pitch",
                                         5.0),
        )

    composition = Composition()
    if "composition" in top:
        spec = reader.mapping(top["composition"], "composition", (),
                              ("indent_chars", "normalize_punctuation", "kinsoku", "latin_gap",
                               "max_stretch", "trim_opening_at_line_start")) or {}
        composition = Composition(
            indent_chars=reader.length(spec.get("indent_chars"), "composition.indent_chars", 2.0),
            normalize_punctuation=reader.boolean(spec.get("normalize_punctuation"),
                                                 "composition.normalize_punctuation", True),
            kinsoku=reader.choice(spec.get("kinsoku"), "composition.kinsoku",
                                  ("basic", "gb", "strict"), "gb"),
            latin_gap=reader.length(spec.get("latin_gap"), "composition.latin_gap", 0.25),
            max_stretch=reader.length(spec.get("max_stretch"), "composition.max_stretch", 0.25),
            trim_opening_at_line_start=reader.boolean(
                spec.get("trim_opening_at_line_start"),
                "composition.trim_opening_at_line_start", True),
        )

    masthead_lines = 12
    if "masthead" in top:
        spec = reader.mapping(top["masthead"], "masthead", (), ("lines",)) or {}
        masthead_lines = reader.integer(spec.get("lines"), "masthead.lines", 12, minimum=4) or 12
    print_settings = _print_settings(reader, top["print"], path.parent) if "print" in top \
        else Print()
    time_limit = 2.0
    if "makeup" in top:
        spec = reader.mapping(top["makeup"], "makeup", (), ("time_limit",)) or {}
        time_limit = reader.number(spec.get("time_limit"), "makeup.time_limit", 2.0, 0.05, 600.0)

    reader.raise_if_errors()
    return Style(
        name=reader.text(top["name"], "name"), file=path, page_width=width, page_height=height,
        grid=grid, fonts=fonts, roles=roles, headline_sizes=tuple(sorted(headline_sizes)),
        rules=rules, composition=composition, masthead_lines=masthead_lines, print=print_settings,
        makeup_time_limit=time_limit,
    )


_PRINT_KEYS = ("bleed", "marks", "ink_limit", "icc_profile", "pdfx",
               "output_condition_identifier", "output_condition", "registry_name",
               "overprint_black_max_size", "overprint_black_max_rule")


def _print_settings(reader: _Reader, node: yaml.Node, style_dir: Path) -> Print:
    """The optional `print:` section: bleed, marks, ink limit, ICC profile and PDF/X flavour."""
    spec = reader.mapping(node, "print", (), _PRINT_KEYS)
    if spec is None:
        return Print()
    default = Print()
    bleed = reader.length(spec.get("bleed"), "print.bleed", 0.0, default_unit="mm") or 0.0
    if not 0 <= bleed <= mm(20):
        reader.error(spec.get("bleed"), "print.bleed",
                     f"expected a bleed from 0 to 20 mm, got {bleed / mm(1):.1f} mm")
        bleed = 0.0
    profile = None
    if "icc_profile" in spec:
        value = reader.text(spec["icc_profile"], "print.icc_profile")
        profile = Path(value) if Path(value).is_absolute() else style_dir / value
        problem = _icc_problem(profile)
        if problem:
            reader.error(spec["icc_profile"], "print.icc_profile", problem)
            profile = None
    pdfx = reader.choice(spec.get("pdfx"), "print.pdfx", PDFX_VERSIONS,
                         "PDF/X-4" if profile is not None else default.pdfx)
    if pdfx == "PDF/X-4" and profile is None and "icc_profile" not in spec:
        reader.error(spec.get("pdfx"), "print.pdfx",
                     "PDF/X-4 embeds the plant's output profile: set print.icc_profile "
                     "or use PDF/X-1a:2001")
    # The registered newsprint condition, unless the plant's own profile is embedded: then the
    # output intent is a custom one described by the profile (PDF/X convention "Custom").
    defaults = {"output_condition_identifier": default.output_condition_identifier,
                "output_condition": default.output_condition,
                "registry_name": default.registry_name}
    if profile is not None:
        defaults = {"output_condition_identifier": "Custom",
                    "output_condition": f"{profile.name} (the printing plant's output profile)",
                    "registry_name": ""}
    texts = {}
    for key, fallback in defaults.items():
        texts[key] = reader.text(spec.get(key), f"print.{key}", fallback).strip()
    if not texts["output_condition_identifier"]:
        reader.error(spec.get("output_condition_identifier"),
                     "print.output_condition_identifier", "expected a non-empty text")
    return Print(
        bleed=bleed,
        marks=reader.boolean(spec.get("marks"), "print.marks", default.marks),
        ink_limit=reader.number(spec.get("ink_limit"), "print.ink_limit", default.ink_limit,
                                100.0, 400.0),
        icc_profile=profile,
        pdfx=pdfx,
        overprint_black_max_size=reader.length(
            spec.get("overprint_black_max_size"), "print.overprint_black_max_size",
            default.overprint_black_max_size) or 0.0,
        overprint_black_max_rule=reader.length(
            spec.get("overprint_black_max_rule"), "print.overprint_black_max_rule",
            default.overprint_black_max_rule) or 0.0,
        **texts,
    )


def _icc_problem(path: Path) -> str | None:
    """Why `path` is not a CMYK ICC output profile, or None (reads the 128-byte header)."""
    try:
        with path.open("rb") as fp:
            header = fp.read(128)
    except OSError:
        return f"ICC profile {str(path)!r} not found"
    if len(header) < 128 or header[36:40] != b"acsp":
        return f"{str(path)!r} is not an ICC profile"
    space = header[16:20].decode("latin-1").strip()
    if space != "CMYK":
        return f"ICC profile {str(path)!r} is for {space}; expected a CMYK output profile"
    if header[12:16] != b"prtr":
        kind = header[12:16].decode("latin-1")
        return f"ICC profile {str(path)!r} is of class {kind!r}; expected a CMYK output " \
               "(printer, 'prtr') profile"
    return None


def _find_font(value: str, style_dir: Path) -> Path | None:
    path = Path(value)
    candidates = [path] if path.is_absolute() else [style_dir / path, fonts_dir() / path]
    return next((c for c in candidates if c.is_file()), None)


# ----------------------------------------------------------------------------- editions

_ARTICLE_KEYS = ("section", "kicker", "headline", "subhead", "rubric", "byline", "body",
                 "photos", "place", "vertical", "continued", "fit", "frame", "priority",
                 "min_span", "max_span")
_PLACE_KEYS = ("column", "span", "top", "depth")


def load_edition(path: Path, style_loader: Callable[[Path], Style] = load_style) -> Edition:
    """Read an edition file and its style sheet; raise InputError listing every problem."""
    path = Path(path)
    reader = _Reader(path)
    root = reader.parse()
    reader.raise_if_errors()
    top = reader.mapping(root, "", ("paper", "date", "style", "pages", "articles"),
                         ("masthead",))
    reader.raise_if_errors()
    assert top is not None

    date_text = reader.text(top["date"], "date")
    try:
        date = dt.date.fromisoformat(date_text)
    except ValueError:
        reader.error(top["date"], "date", f"expected a date as YYYY-MM-DD, got {date_text!r}")
        date = dt.date(1970, 1, 1)

    style_name = reader.text(top["style"], "style")
    style_path = resolve_style_path(style_name, path.parent)
    style: Style | None = None
    if not style_path.is_file():
        shipped = sorted(p.stem for p in styles_dir().glob("*.yaml"))
        reader.error(top["style"], "style", f"unknown style {style_name!r}; expected one of "
                     f"{', '.join(shipped)} or a path to a style file")
    else:
        try:
            style = style_loader(style_path)
        except InputError as exc:
            reader.errors.extend(exc.diagnostics)

    pages = tuple(_page(reader, node, i) for i, node in
                  enumerate(reader.sequence(top["pages"], "pages")))
    seen_pages: set[int] = set()
    for page, node in zip(pages, reader.sequence(top["pages"], "pages")):
        if page.number in seen_pages:
            reader.error(node, "pages.number", f"page {page.number} is listed twice")
        seen_pages.add(page.number)

    articles = []
    seen_ids: dict[str, int] = {}
    for i, node in enumerate(reader.sequence(top["articles"], "articles")):
        article = _article(reader, node, i, path.parent)
        if article is None:
            continue
        if article.id in seen_ids:
            reader.error(node, f"articles[{i}].id",
                         f"article id {article.id!r} is already used on line "
                         f"{seen_ids[article.id]}")
        seen_ids[article.id] = article.line
        articles.append(article)

    articles = [_page_from_section(reader, a, pages) for a in articles]
    if style is not None:
        _check_placements(reader, articles, style, seen_pages)
        _check_hints(reader, articles, style, seen_pages)
    masthead = _masthead(reader, top["masthead"]) if "masthead" in top else Masthead()
    reader.raise_if_errors()
    assert style is not None
    return Edition(path, reader.text(top["paper"], "paper"), date, style, pages, tuple(articles),
                   masthead)


def _masthead(reader: _Reader, node: yaml.Node) -> Masthead:
    spec = reader.mapping(node, "masthead", (), ("issue", "notes")) or {}
    notes = tuple(reader.text(n, "masthead.notes") for n in
                  reader.sequence(spec["notes"], "masthead.notes")) if "notes" in spec else ()
    return Masthead(reader.text(spec.get("issue"), "masthead.issue"), notes)


def _page_from_section(reader: _Reader, article: Article, pages: tuple[PageSpec, ...]) -> Article:
    """A place without `page` goes to the one page that carries the article's section tag."""
    if article.place is None or article.place.page:
        return article
    field = f"articles[{article.id}].place.page"
    carriers = [p.number for p in pages if article.section in p.sections]
    if len(carriers) != 1:
        found = f"pages {', '.join(map(str, carriers))} carry it" if carriers else \
            "no page carries it"
        reader.errors.append(Diagnostic(
            ERROR, "placement", f"cannot tell the page from section {article.section!r}: {found}",
            str(reader.file), article.place.line, field, "give place.page"))
        return article
    return replace(article, place=replace(article.place, page=carriers[0]))


def _page(reader: _Reader, node: yaml.Node, index: int) -> PageSpec:
    field = f"pages[{index}]"
    spec = reader.mapping(node, field, ("number", "name"), ("sections", "credits")) or {}
    sections = tuple(reader.text(n, f"{field}.sections") for n in
                     reader.sequence(spec["sections"], f"{field}.sections")) \
        if "sections" in spec else ()
    credits: tuple[tuple[str, str], ...] = ()
    if "credits" in spec:
        mapping = reader.free_mapping(spec["credits"], f"{field}.credits") or {}
        credits = tuple((k, reader.text(v, f"{field}.credits.{k}")) for k, v in mapping.items())
    return PageSpec(
        number=reader.integer(spec.get("number"), f"{field}.number", 0, minimum=1) or 0,
        name=reader.text(spec.get("name"), f"{field}.name"),
        sections=sections, credits=credits, line=node.start_mark.line + 1,
    )


def _article(reader: _Reader, node: yaml.Node, index: int, base: Path) -> Article | None:
    # Name the article by its id in messages as soon as the id is known.
    known_id = next((v.value for k, v in getattr(node, "value", ())
                     if isinstance(node, yaml.MappingNode) and k.value == "id"
                     and isinstance(v, yaml.ScalarNode)), None)
    field = f"articles[{known_id or index}]"
    spec = reader.mapping(node, field, ("id",), _ARTICLE_KEYS)
    if spec is None or "id" not in spec:
        return None
    article_id = reader.text(spec["id"], f"{field}.id")
    photos = tuple(_photo(reader, n, f"{field}.photos[{i}]", base) for i, n in
                   enumerate(reader.sequence(spec["photos"], f"{field}.photos")))\
        if "photos" in spec else ()
    body = _paragraphs(reader.text(spec.get("body"), f"{field}.body"))
    headline = reader.text(spec.get("headline"), f"{field}.headline").strip()
    if not headline and (body or not photos):
        reader.error(node, f"{field}.headline",
                     "missing required field 'headline' (only a photos-only article may omit it)")
    place, page_hint = None, 0
    if "place" in spec and _page_only(spec["place"]):
        # `place: {page: N}`: the page is the editor's, the box the engine's.
        pspec = reader.mapping(spec["place"], f"{field}.place", (), ("page",)) or {}
        page_hint = reader.integer(pspec.get("page"), f"{field}.place.page", 0, minimum=1) or 0
    elif "place" in spec:
        place = _placement(reader, spec["place"], f"{field}.place", first=True)
    priority = reader.integer(spec.get("priority"), f"{field}.priority", 0, minimum=1) or 0 \
        if "priority" in spec else 0
    spans = {key: reader.integer(spec.get(key), f"{field}.{key}", 0, minimum=1) or 0
             if key in spec else 0 for key in ("min_span", "max_span")}
    if spans["min_span"] and spans["max_span"] and spans["min_span"] > spans["max_span"]:
        reader.error(spec["min_span"], f"{field}.min_span",
                     f"expected min_span ≤ max_span, got {spans['min_span']} > "
                     f"{spans['max_span']}")
    continued = _placement(reader, spec["continued"], f"{field}.continued", first=False) \
        if "continued" in spec else None
    vertical, vertical_columns = "", 1
    if "vertical" in spec:
        vspec = reader.mapping(spec["vertical"], f"{field}.vertical", ("side",), ("columns",)) \
            or {}
        vertical = reader.choice(vspec.get("side"), f"{field}.vertical.side", ("left", "right"),
                                 "right")
        vertical_columns = reader.integer(vspec.get("columns"), f"{field}.vertical.columns", 1,
                                          minimum=1) or 1
        if vertical_columns > 2:
            reader.error(vspec["columns"], f"{field}.vertical.columns",
                         f"expected 1 or 2 columns for a vertical headline, got {vertical_columns}")
    fit = reader.choice(spec.get("fit"), f"{field}.fit", ("auto", "off"), "off") == "auto"
    frame = reader.choice(spec.get("frame"), f"{field}.frame",
                          ("none", "line", "double", "ornament"), "none")
    return Article(
        id=article_id,
        section=reader.text(spec.get("section"), f"{field}.section"),
        headline=headline,
        kicker=reader.text(spec.get("kicker"), f"{field}.kicker").strip(),
        subhead=reader.text(spec.get("subhead"), f"{field}.subhead").strip(),
        rubric=reader.text(spec.get("rubric"), f"{field}.rubric").strip(),
        byline=reader.text(spec.get("byline"), f"{field}.byline").strip(),
        body=body, photos=photos, place=place, line=node.start_mark.line + 1,
        vertical=vertical, vertical_columns=vertical_columns, continued=continued, fit=fit,
        frame="" if frame == "none" else frame, priority=priority,
        min_span=spans["min_span"], max_span=spans["max_span"], page_hint=page_hint,
    )


def _page_only(node: yaml.Node) -> bool:
    """A place that names only the page (the engine chooses the box)."""
    return isinstance(node, yaml.MappingNode) and \
        {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)} <= {"page"}


def _placement(reader: _Reader, node: yaml.Node, field: str, first: bool) -> Placement | None:
    """place / continued: {page, column, span, top, depth[, depths][, headline_span]}."""
    optional = ("page", "depths", "headline_span", "by") if first else ("depths",)
    required = _PLACE_KEYS if first else ("page", *_PLACE_KEYS)
    spec = reader.mapping(node, field, required, optional)
    if spec is None or any(key not in spec for key in required):
        return None
    values = {key: reader.integer(spec.get(key), f"{field}.{key}", 0,
                                  minimum=0 if key == "top" else 1)
              for key in ("page", *_PLACE_KEYS) if key in spec}
    span = values["span"] or 1
    depths: tuple[int, ...] = ()
    if "depths" in spec:
        items = reader.sequence(spec["depths"], f"{field}.depths")
        depths = tuple(reader.integer(n, f"{field}.depths", 1, minimum=1) or 1 for n in items)
        if len(depths) != span:
            reader.error(spec["depths"], f"{field}.depths",
                         f"expected one depth per column: {span} numbers, got {len(depths)}")
            depths = ()
    headline_span = reader.integer(spec.get("headline_span"), f"{field}.headline_span", 0,
                                   minimum=1) or 0
    if headline_span > span:
        reader.error(spec["headline_span"], f"{field}.headline_span",
                     f"expected at most the box's {span} columns, got {headline_span}")
        headline_span = 0
    # `by: engine` marks a place `paiban plan` chose: used as given, re-solved by the next plan.
    by = reader.choice(spec.get("by"), f"{field}.by", ("editor", "engine"), "editor") \
        if "by" in spec else "editor"
    return Placement(values.get("page", 0), values["column"] - 1, span, values["top"],
                     values["depth"], node.start_mark.line + 1, depths, headline_span,
                     engine=by == "engine")


def _photo(reader: _Reader, node: yaml.Node, field: str, base: Path) -> Photo:
    spec = reader.mapping(node, field, ("file",),
                          ("title", "caption", "credit", "lines", "place")) or {}
    file = reader.text(spec.get("file"), f"{field}.file")
    place = None
    if "place" in spec:
        pspec = reader.mapping(spec["place"], f"{field}.place", ("column", "span", "top", "lines"),
                               ()) or {}
        values = {key: reader.integer(pspec.get(key), f"{field}.place.{key}", 0,
                                      minimum=0 if key == "top" else 1)
                  for key in ("column", "span", "top", "lines")}
        if len(pspec) == 4:
            place = PhotoPlace(values["column"] - 1, values["span"], values["top"],
                               values["lines"])
    return Photo(
        file=(base / file) if file else base,
        title=reader.text(spec.get("title"), f"{field}.title").strip(),
        caption=reader.text(spec.get("caption"), f"{field}.caption").strip(),
        credit=reader.text(spec.get("credit"), f"{field}.credit").strip(),
        lines=reader.integer(spec.get("lines"), f"{field}.lines", None, minimum=1),
        line=node.start_mark.line + 1, place=place,
    )


def _paragraphs(body: str) -> tuple[Paragraph, ...]:
    """Blank lines separate paragraphs; single newlines inside a paragraph are joined (N6)."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", body.strip()):
        text = "".join(line.strip() for line in block.splitlines())
        if not text:
            continue
        match = _RUNIN.match(text)
        if match:
            paragraphs.append(Paragraph(text[match.end():], runin=match.group(1)))
        else:
            paragraphs.append(Paragraph(text))
    return tuple(paragraphs)


def _check_placements(reader: _Reader, articles: list[Article], style: Style,
                      pages: set[int]) -> None:
    """Boxes stay on the grid and on existing pages, never overlap, jumps go somewhere new."""
    grid = style.grid
    placed: list[tuple[Article, Placement, str]] = []
    for article in articles:
        boxes = [(article.place, f"articles[{article.id}].place")]
        if article.continued is not None:
            boxes.append((article.continued, f"articles[{article.id}].continued"))
            if article.place is None:
                reader.errors.append(Diagnostic(
                    ERROR, "placement", f"article {article.id!r} has a continuation but no place",
                    str(reader.file), article.continued.line, f"articles[{article.id}].place"))
            elif article.continued.page == article.place.page:
                reader.errors.append(Diagnostic(
                    ERROR, "placement", f"the jump of article {article.id!r} goes to page "
                    f"{article.continued.page}, the page it starts on; expected another page",
                    str(reader.file), article.continued.line,
                    f"articles[{article.id}].continued.page"))
        for place, field in boxes:
            if place is None or not place.page:
                continue
            where = Diagnostic(ERROR, "placement", "", str(reader.file), place.line, field)
            if place.page not in pages:
                reader.errors.append(_with(
                    where, f"page {place.page} is not in the edition's pages "
                           f"({', '.join(map(str, sorted(pages)))})"))
            if place.end_column > grid.columns:
                reader.errors.append(_with(
                    where, f"columns {place.column + 1}–{place.end_column} leave the grid: "
                           f"the style has {grid.columns} columns (expected column + span − 1 ≤ "
                           f"{grid.columns})"))
            if place.bottom > grid.lines:
                reader.errors.append(_with(
                    where, f"lines {place.top}–{place.bottom} leave the grid: the style has "
                           f"{grid.lines} lines (expected top + depth ≤ {grid.lines})"))
            for other, other_place, other_field in placed:
                # An engine-chosen place that now overlaps is re-solved by the makeup stage.
                if place.engine or other_place.engine:
                    continue
                shared = place.overlaps(other_place)
                if shared:
                    column, first, end = shared
                    used = "box" if other is not article else "first box"
                    reader.errors.append(_with(
                        where, f"box overlaps the {used} of article {other.id!r} "
                               f"({other_field}, line {other_place.line}): column {column + 1}, "
                               f"lines {first}–{end}"))
            placed.append((article, place, field))
        for index, photo in enumerate(article.photos):
            if photo.place is None or article.place is None:
                continue
            if photo.place.column + photo.place.span > article.place.span:
                reader.errors.append(Diagnostic(
                    ERROR, "placement", f"the photo's columns {photo.place.column + 1}–"
                    f"{photo.place.column + photo.place.span} leave the article's "
                    f"{article.place.span} columns", str(reader.file), photo.line,
                    f"articles[{article.id}].photos[{index}].place"))


def _check_hints(reader: _Reader, articles: list[Article], style: Style,
                 pages: set[int]) -> None:
    """The makeup engine's inputs: span hints inside the grid, a page-only place on a page."""
    for article in articles:
        for key in ("min_span", "max_span"):
            value = getattr(article, key)
            if value > style.grid.columns:
                reader.errors.append(Diagnostic(
                    ERROR, "invalid-input", f"{key} {value} is wider than the grid: the style "
                    f"has {style.grid.columns} columns", str(reader.file), article.line,
                    f"articles[{article.id}].{key}", f"expected at most {style.grid.columns}"))
        if article.page_hint and article.page_hint not in pages:
            reader.errors.append(Diagnostic(
                ERROR, "placement", f"page {article.page_hint} is not in the edition's pages "
                f"({', '.join(map(str, sorted(pages)))})", str(reader.file), article.line,
                f"articles[{article.id}].place.page"))


def _with(template: Diagnostic, message: str) -> Diagnostic:
    return Diagnostic(template.severity, template.code, message, template.file, template.line,
                      template.field)
