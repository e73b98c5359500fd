"""Hostile edition, style and photo files for fuzzing `paiban build` (hypothesis strategies).

Used by tests/test_fuzz.py (a few dozen examples in the suite) and tools/fuzz.py (the long
run). A case starts from a shipped edition and its style and applies a few structural
mutations (wrong types, missing and extra keys, empty and huge strings, negative, zero,
float and huge numbers, deep nesting, text from every Unicode plane, duplicate ids, random
places), text-level damage (a raw control character, a tag, a cut) or photo damage
(truncated, wrong header, 1×1, 20,000 px, a decompression bomb's header).

`run_case` writes the case into a folder, runs the CLI in-process and returns what the
promise of the issue is checked against: exit code, output, the files written.
"""

from __future__ import annotations

import copy
import io
import shutil
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import strategies as st
from PIL import Image

from layout.cli import main

ROOT = Path(__file__).resolve().parent.parent
BASES = [ROOT / "editions" / "hucheng-2023-12-29.yaml",
         ROOT / "editions" / "hucheng-2023-12-29-pages.yaml"]
PHOTO = ROOT / "editions" / "photos" / "robot-standin.jpg"


# ----------------------------------------------------------------------------- values

def _nested(depth: int) -> Any:
    value: Any = "底"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


_SPECIAL_NUMBERS = [0, -1, 1, 2, -0.0, 0.5, 1.5, 2 ** 31, 2 ** 63, 10 ** 12, 10 ** 30, 1e308,
                    -1e308, float("inf"), float("-inf"), float("nan")]
_SPECIAL_TEXT = ["", " ", "　", "\n\n", "**", "****", "|", "字" * 10_000, "字" * 200_000,
                 "A" * 5_000, "𠀀𪚥🀄" * 50, "（（（（", "。。。。。", "\t", "auto", "yes", "null",
                 "~", "-", "0x10", "1e999", "390x550mm", "-5mm", "999999pt", "二号", "小五",
                 "../../../../etc/passwd", "/dev/zero", "photos", "."]

every_plane = st.characters(min_codepoint=0, max_codepoint=0x10FFFF,
                            exclude_categories=("Cs",))
hostile_scalar = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(2 ** 64), max_value=2 ** 64),
    st.sampled_from(_SPECIAL_NUMBERS),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(_SPECIAL_TEXT),
    st.text(every_plane, max_size=40),
    st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=300),
)
hostile_value = st.one_of(
    hostile_scalar,
    st.lists(hostile_scalar, max_size=5),
    st.dictionaries(st.text(max_size=8), hostile_scalar, max_size=4),
    st.integers(min_value=1, max_value=60).map(_nested),
)
place_value = st.fixed_dictionaries(
    {}, optional={key: st.one_of(st.integers(-5, 150), hostile_scalar)
                  for key in ("page", "column", "span", "top", "depth", "headline_span",
                              "depths", "by")})


# ----------------------------------------------------------------------------- photos

def _jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def _claimed_size_jpeg(width: int, height: int) -> bytes:
    """A 16×16 JPEG whose frame header claims another size (a decompression bomb's header)."""
    data = bytearray(_jpeg(16, 16))
    at = data.index(b"\xff\xc0")
    data[at + 5:at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + \
            struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def photo_variants() -> dict[str, bytes]:
    real = PHOTO.read_bytes()
    return {
        "truncated": real[: len(real) // 3],
        "header-only": real[:200],
        "wrong-header": b"GIF89a" + real[6:],
        "random": bytes(range(256)) * 20,
        "empty": b"",
        "one-pixel": _jpeg(1, 1),
        "wide-20000": _jpeg(20_000, 1),
        "tall-20000": _jpeg(1, 20_000),
        "claims-20000x20000": _claimed_size_jpeg(20_000, 20_000),
        "claims-65500x65500": _claimed_size_jpeg(65_500, 65_500),
        "png-claims-20000x20000": _png_header_only(20_000, 20_000),
        "text-file": "这不是图片".encode(),
    }


_PHOTOS = photo_variants()


# ----------------------------------------------------------------------------- cases

@dataclass
class Case:
    base: Path
    edition: Any
    style: Any | None = None                        # a mutated copy of the edition's style
    text_damage: list[tuple[str, int, str]] = field(default_factory=list)
    photos: dict[str, str] = field(default_factory=dict)   # file name → variant
    description: list[str] = field(default_factory=list)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*prefix, index)))
    return found


def _parent(root: Any, path: tuple) -> tuple[Any, Any]:
    node = root
    for key in path[:-1]:
        node = node[key]
    return node, path[-1]


def _mutate(draw, root: Any, description: list[str], what: str) -> Any:
    paths = [p for p in _paths(root) if p]
    path = draw(st.sampled_from(paths))
    parent, key = _parent(root, path)
    op = draw(st.sampled_from(["replace", "replace", "replace", "delete", "extra",
                               "duplicate", "place"]))
    if op == "replace":
        parent[key] = draw(hostile_value)
    elif op == "delete":
        del parent[key]
    elif op == "extra":
        target = parent[key] if isinstance(parent[key], dict) else parent
        if isinstance(target, dict):
            target[draw(st.text(min_size=1, max_size=12))] = draw(hostile_value)
        else:
            target.append(draw(hostile_value))
    elif op == "duplicate":
        if isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        else:
            parent[f"{key}"] = copy.deepcopy(parent[key])
    elif op == "place" and what == "edition":
        articles = [a for a in root.get("articles", []) if isinstance(a, dict)] \
            if isinstance(root, dict) else []
        if articles:
            article = draw(st.sampled_from(articles))
            article["place"] = draw(place_value)
            path = ("articles", "…", "place")
    description.append(f"{what}: {op} at {'.'.join(map(str, path))}")
    return root


@st.composite
def cases(draw) -> Case:
    base = draw(st.sampled_from(BASES))
    edition = yaml.safe_load(base.read_text(encoding="utf-8"))
    case = Case(base, edition)
    for _ in range(draw(st.integers(0, 3))):
        _mutate(draw, case.edition, case.description, "edition")
    if draw(st.integers(0, 3)) == 0:
        style_name = edition.get("style") if isinstance(edition, dict) else None
        if style_name in ("broadsheet", "tabloid"):
            case.style = yaml.safe_load((ROOT / "styles" / f"{style_name}.yaml")
                                        .read_text(encoding="utf-8"))
            for _ in range(draw(st.integers(1, 3))):
                _mutate(draw, case.style, case.description, "style")
    if draw(st.integers(0, 4)) == 0:
        damage = draw(st.sampled_from(["control", "tag", "cut", "bytes", "nesting"]))
        insert = {"control": lambda: chr(draw(st.sampled_from([0, 7, 8, 11, 12, 27, 127, 0x85]))),
                  "tag": lambda: draw(st.sampled_from(["!!python/object/apply:os.system [ls] ",
                                                       "!x ", "!!binary ", "!include "])),
                  "cut": lambda: "",
                  "bytes": lambda: draw(st.text(every_plane, min_size=1, max_size=5)),
                  "nesting": lambda: "[" * 5000}[damage]()
        case.text_damage.append((damage, draw(st.integers(0, 10 ** 6)), insert))
        case.description.append(f"text: {damage}")
    if draw(st.integers(0, 3)) == 0:
        variant = draw(st.sampled_from(sorted(_PHOTOS)))
        case.photos[PHOTO.name] = variant
        case.description.append(f"photo: {variant}")
    return case


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10 ** 6)


def write_case(case: Case, folder: Path) -> Path:
    """The case's files in `folder`; returns the edition file."""
    photos = folder / "photos"
    shutil.copytree(case.base.parent / "photos", photos)
    for name, variant in case.photos.items():
        (photos / name).write_bytes(_PHOTOS[variant])
    edition = case.edition
    if case.style is not None and isinstance(edition, dict):
        (folder / "style.yaml").write_text(_dump(case.style), encoding="utf-8")
        edition = dict(edition, style="style.yaml")
    text = _dump(edition)
    for damage, position, insert in case.text_damage:
        at = position % (len(text) + 1)
        text = text[:at] if damage == "cut" else text[:at] + insert + text[at:]
    path = folder / "edition.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


@dataclass
class Outcome:
    exit_code: int
    output: str
    exception: BaseException | None
    files: list[Path]
    problems: list[str]


def run_case(case: Case, folder: Path) -> Outcome:
    """Build the case in-process and list every broken promise (empty: all kept)."""
    edition = write_case(case, folder)
    out = folder / "out"
    result = CliRunner().invoke(main, ["build", str(edition), "-o", str(out)])
    files = sorted(out.rglob("*")) if out.exists() else []
    problems = promises_broken(result.exit_code, result.output, result.exception, out, files)
    return Outcome(result.exit_code, result.output, result.exception, files, problems)


def promises_broken(exit_code: int, output: str, exception: BaseException | None, out: Path,
                    files: list[Path]) -> list[str]:
    import re

    import pymupdf

    problems = []
    if exception is not None and not isinstance(exception, SystemExit):
        problems.append(f"exception {exception.__class__.__name__}: {exception}")
    if "Traceback" in output:
        problems.append("a traceback was printed")
    if exit_code not in (0, 1, 2):
        problems.append(f"exit code {exit_code}")
    if [f for f in files if f.name.endswith(".tmp")]:
        problems.append("temporary files left in the output folder")
    if exit_code == 2:
        if files:
            problems.append("files written although the input was refused")
        errors = [line for line in output.splitlines() if line.startswith("error:")]
        if not errors:
            problems.append("exit 2 without an error line")
        for line in errors:
            if not re.match(r"error: .+?\.(yaml|yml|jpg|png|ttf|icc)[^:]*:\d+(:|$)", line):
                problems.append(f"exit-2 message names no file and line: {line[:200]}")
    if exit_code == 1 and files:
        problems.append("files written although the build failed")
    if exit_code == 0:
        pdfs = [f for f in files if f.suffix == ".pdf"]
        if not pdfs:
            problems.append("exit 0 without a PDF")
        for pdf in pdfs:
            try:
                with pymupdf.open(pdf) as document:
                    if document.page_count < 1:
                        problems.append(f"{pdf.name} has no pages")
            except Exception as exc:  # noqa: BLE001 — any failure to open is the finding
                problems.append(f"{pdf.name} does not open: {exc}")
    return problems
