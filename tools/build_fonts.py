#!/usr/bin/env python3
"""Build the TrueType font subsets shipped in ``fonts/``.

This is a maintainer script. It is not run at install time: ``pip install`` cannot
use apt, and the shipped files register in ReportLab in about 20 ms each. Run it
only when the source fonts or the character set change:

    sudo apt-get install fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai
    python tools/build_fonts.py

For each of the four faces the script:

1. Picks the Simplified Chinese face out of the Debian file by reading its name
   table (the face order inside the Noto TTCs is not a documented interface).
2. Subsets it with fontTools.subset to the character set below, keeping the
   layout features a CJK composer can use and dropping ``locl`` and hinting.
3. Converts CFF outlines to TrueType ``glyf`` outlines the way fontTools'
   ``Snippets/otf2ttf.py`` does, because ReportLab 5 refuses CFF fonts.
4. Renames the font so no Reserved Font Name is used by the Modified Version.

It then writes ``fonts/FONTS.md`` (provenance and checksums) and
``fonts/OFL.txt`` (source copyright notices + licence text). The output is
deterministic: the same Debian packages and fontTools version give
byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import fontTools
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, TTFont, newTable

REPO_ROOT = Path(__file__).resolve().parent.parent

# Kept with their closure; on Noto they add about 200 glyphs in all. ``locl`` is
# left out on purpose: its closure would pull in about 5,500 Japanese, Korean and
# Traditional Chinese glyph variants and grow each Noto subset by some 80 %.
LAYOUT_FEATURES = ["vert", "vrt2", "halt", "palt", "vhal", "vpal", "kern", "vkrn", "ccmp", "fwid"]

# Name IDs rewritten so that the Modified Version does not carry a source name.
RENAMED_NAME_IDS = {1, 2, 3, 4, 6, 16, 17}
NAME_ID_DESCRIPTION = 10
WINDOWS_ENGLISH = (3, 1, 0x409)

FS_SELECTION_BOLD = 1 << 5
FS_SELECTION_REGULAR = 1 << 6
MAC_STYLE_BOLD = 1 << 0

# Curve-conversion tolerance in font units (1000 per em), as in otf2ttf.
CU2QU_MAX_ERR = 1.0

DEBIAN_PACKAGES = ["fonts-noto-cjk", "fonts-noto-cjk-extra", "fonts-lxgw-wenkai"]


@dataclass(frozen=True)
class Face:
    """One shipped font and the source face it is cut from."""

    filename: str  # output file; its stem is also the PostScript name
    family: str  # name ID 1 and 4 of the output
    typographic_family: str  # name ID 16 when the weight is not Regular
    weight: str  # name ID 17 when not "Regular"
    role: str  # what the composer uses it for (documentation only)
    source_file: str  # file name searched for under --source-dir
    source_family: str  # typographic family (ID 16, else ID 1) of the source face
    source_style: str  # typographic subfamily (ID 17, else ID 2) of the source face
    reserved_names: tuple[str, ...] = ()  # the source's OFL Reserved Font Names


FACES = (
    Face(
        filename="PaibanSerifSC-Regular.ttf",
        family="Paiban Serif SC",
        typographic_family="Paiban Serif SC",
        weight="Regular",
        role="body text 书宋",
        source_file="NotoSerifCJK-Regular.ttc",
        source_family="Noto Serif CJK SC",
        source_style="Regular",
    ),
    Face(
        filename="PaibanSerifSC-Black.ttf",
        family="Paiban Serif SC Black",
        typographic_family="Paiban Serif SC",
        weight="Black",
        role="headlines 标宋",
        source_file="NotoSerifCJK-Black.ttc",
        source_family="Noto Serif CJK SC",
        source_style="Black",
    ),
    Face(
        filename="PaibanSansSC-Bold.ttf",
        family="Paiban Sans SC Bold",
        typographic_family="Paiban Sans SC",
        weight="Bold",
        role="subheads 黑体",
        source_file="NotoSansCJK-Bold.ttc",
        source_family="Noto Sans CJK SC",
        source_style="Bold",
    ),
    Face(
        filename="PaibanKai-Regular.ttf",
        family="Paiban Kai",
        typographic_family="Paiban Kai",
        weight="Regular",
        role="captions and bylines 楷体",
        source_file="LXGWWenKai-Regular.ttf",
        source_family="LXGW WenKai",
        source_style="Regular",
        # Declared in Debian's copyright file for fonts-lxgw-wenkai, not in the font.
        reserved_names=("霞鹜", "LXGW"),
    ),
)

# Newspaper punctuation and symbols beyond GB2312, as (first, last) code points.
EXTRA_RANGES = [
    (0x2018, 0x201F),  # ‘ ’ ‚ ‛ “ ” „ ‟
    (0x2460, 0x2473),  # ① … ⑳
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFE10, 0xFE19),  # vertical presentation forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms (vertical brackets, etc.)
    (0xFF01, 0xFF5E),  # full-width ASCII
]
EXTRA_CHARS = "\u00b7\u2013\u2014\u2015\u2026\u2e3a\u22ef￥¥$£€#№%‰°℃′″"


@dataclass(frozen=True)
class Charset:
    """The requested code points and how they were put together."""

    codepoints: frozenset[int]
    gb2312: frozenset[int]
    tgh8105: frozenset[int]
    ascii: frozenset[int]
    extra: frozenset[int]


def gb2312_codepoints() -> frozenset[int]:
    """Every character of GB 2312 (6,763 hanzi + 682 symbols), via Python's codec."""
    chars = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((row, cell)).decode("gb2312")))
            except UnicodeDecodeError:
                continue  # unassigned cell
    return frozenset(chars)


def build_charset() -> Charset:
    gb2312 = gb2312_codepoints()
    tgh8105 = frozenset(ord(c) for c in TGH_8105 if not c.isspace())
    assert len(tgh8105) == 8105, len(tgh8105)
    ascii_printable = frozenset(range(0x20, 0x7F))
    extra = frozenset(ord(c) for c in EXTRA_CHARS).union(
        *(range(first, last + 1) for first, last in EXTRA_RANGES)
    )
    return Charset(
        codepoints=gb2312 | tgh8105 | ascii_printable | extra,
        gb2312=gb2312,
        tgh8105=tgh8105,
        ascii=ascii_printable,
        extra=extra,
    )


@dataclass(frozen=True)
class Source:
    """A located source face."""

    path: Path
    font_number: int  # index in a TTC, 0 for a plain TTF
    full_name: str  # name ID 4
    version: str  # name ID 5, e.g. "Version 2.001;hotconv 1.1.0;makeotfexe 2.6.0"
    copyright: str  # name ID 0
    package: str
    package_version: str

    @property
    def label(self) -> str:
        """Full name and version number, e.g. "Noto Serif CJK SC Black 2.001"."""
        return f"{self.full_name} {self.version_number}"

    @property
    def version_number(self) -> str:
        # From name ID 5, not head.fontRevision: WenKai 1.250 has fontRevision 1.025.
        return self.version.split(";")[0].removeprefix("Version ").strip()


def _typographic_names(font: TTFont) -> tuple[str, str]:
    name = font["name"]
    family = name.getDebugName(16) or name.getDebugName(1)
    style = name.getDebugName(17) or name.getDebugName(2)
    return family, style


def _dpkg_owner(path: Path) -> tuple[str, str]:
    """Debian package name and version that installed ``path``."""
    owner = subprocess.run(
        ["dpkg-query", "-S", str(path)], check=True, capture_output=True, text=True
    ).stdout.split(":", 1)[0]
    version = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", owner], check=True, capture_output=True, text=True
    ).stdout
    return owner, version


def locate_source(face: Face, source_dir: Path) -> Source:
    paths = sorted(source_dir.rglob(face.source_file))
    if not paths:
        sys.exit(
            f"{face.source_file} not found under {source_dir}; "
            f"apt-get install {' '.join(DEBIAN_PACKAGES)}"
        )
    path = paths[0]
    if path.suffix.lower() == ".ttc":
        candidates = list(enumerate(TTCollection(path, lazy=True).fonts))
    else:
        candidates = [(0, TTFont(path, lazy=True))]
    matches = [
        (i, f)
        for i, f in candidates
        if _typographic_names(f) == (face.source_family, face.source_style)
    ]
    if len(matches) != 1:
        sys.exit(
            f"expected one '{face.source_family} {face.source_style}' face in {path}, "
            f"found {len(matches)}"
        )
    number, font = matches[0]
    name = font["name"]
    package, package_version = _dpkg_owner(path)
    return Source(
        path=path,
        font_number=number,
        full_name=name.getDebugName(4),
        version=name.getDebugName(5),
        copyright=name.getDebugName(0),
        package=package,
        package_version=package_version,
    )


def subset_options(cff: bool) -> Options:
    options = Options()
    options.layout_features = LAYOUT_FEATURES
    # Hinting is dropped either way. For glyf fonts the subsetter drops it; for
    # CFF fonts the conversion to glyf discards the hints by itself, and removing
    # them in the subsetter first would only cost about 4 s per face.
    options.hinting = cff
    # Keep licence, trademark and credit records (default keeps only IDs 0-6).
    options.name_IDs = ["*"]
    # English names only: this drops the localised family records such as
    # "霞鹜文楷", which would otherwise still present a Reserved Font Name.
    options.name_languages = [0x409]
    # A visible .notdef box makes a missing character obvious on a proof.
    options.notdef_outline = True
    return options


def cff_to_glyf(font: TTFont) -> None:
    """Replace CFF outlines by quadratic glyf outlines, as fontTools' otf2ttf snippet."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = {}
    for glyph_name in glyph_order:
        tt_pen = TTGlyphPen(glyph_set)
        # CFF contours run counter-clockwise, TrueType ones clockwise.
        glyph_set[glyph_name].draw(Cu2QuPen(tt_pen, CU2QU_MAX_ERR, reverse_direction=True))
        glyf.glyphs[glyph_name] = tt_pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]

    # TrueType has no VORG: a glyph's vertical origin is yMax + its vmtx top side
    # bearing, and glyf's yMax is the control-point box, which for curves can lie
    # above the CFF outline's yMax (by 12 units on ㄆ). Recompute the bearing so
    # the vertical origin stays where VORG put it.
    vorg = font.get("VORG")
    if vorg is not None:
        del font["VORG"]
    hmtx = font["hmtx"]
    vmtx = font.get("vmtx")
    for glyph_name, glyph in glyf.glyphs.items():
        if not glyph.numberOfContours:
            continue  # empty glyph: no bounds
        glyph.recalcBounds(glyf)
        hmtx[glyph_name] = (hmtx[glyph_name][0], glyph.xMin)
        if vorg is not None and vmtx is not None:
            origin = vorg.VOriginRecords.get(glyph_name, vorg.defaultVertOriginY)
            vmtx[glyph_name] = (vmtx[glyph_name][0], origin - glyph.yMax)

    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = 0  # CFF has no composite glyphs
    font["maxp"] = maxp

    # Format 3 stores no glyph names; ReportLab does not need them.
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont, face: Face, source: Source, converted: bool) -> None:
    """Give the subset its own names; keep copyright, trademark and licence records.

    Each shipped file is a single-style family, the way Noto ships its Black face
    (ID 1 "Noto Serif CJK SC Black", ID 2 "Regular"); IDs 16/17 group the weights.
    """
    name = font["name"]
    name.names = [r for r in name.names if r.nameID not in RENAMED_NAME_IDS]
    postscript_name = Path(face.filename).stem
    records = {
        1: face.family,
        2: "Regular",
        3: f"{source.version_number};PAIBAN;{postscript_name}",
        4: face.family,
        6: postscript_name,
    }
    if face.weight != "Regular":
        records[16] = face.typographic_family
        records[17] = face.weight
    done = "subset and converted" if converted else "subset"
    derived = f"Derived from {source.label}; {done} by paiban tools/build_fonts.py"
    description = name.getDebugName(NAME_ID_DESCRIPTION)
    records[NAME_ID_DESCRIPTION] = f"{description}\n{derived}" if description else derived
    for name_id, text in records.items():
        name.setName(text, name_id, *WINDOWS_ENGLISH)

    # A style-linked Bold source (Noto Sans CJK SC Bold) now says "Regular" in
    # ID 2, so the style-link bits must agree or apps would pair it wrongly.
    os2 = font["OS/2"]
    if os2.fsSelection & FS_SELECTION_BOLD:
        os2.fsSelection = (os2.fsSelection & ~FS_SELECTION_BOLD) | FS_SELECTION_REGULAR
        font["head"].macStyle &= ~MAC_STYLE_BOLD

    # The licence condition this script exists to meet: check it, don't assume it.
    forbidden = [*face.reserved_names, source.full_name.split()[0]]
    for record in name.names:
        text = record.toUnicode()
        if record.nameID in RENAMED_NAME_IDS and any(word in text for word in forbidden):
            raise RuntimeError(
                f"{face.filename}: name ID {record.nameID} {text!r} still uses a source name"
            )


@dataclass(frozen=True)
class Result:
    face: Face
    source: Source
    requested_missing: tuple[int, ...]  # requested code points the source lacks
    chars: int
    glyphs: int
    size: int
    sha256: str
    timings: dict[str, float]
    features: tuple[str, ...]


def build_one(job: tuple[Face, Source, frozenset[int], Path]) -> Result:
    face, source, codepoints, out_dir = job
    timings: dict[str, float] = {}
    start = time.perf_counter()
    # Keep the source's head.created/modified so the output is reproducible.
    font = TTFont(source.path, fontNumber=source.font_number, recalcTimestamp=False)
    missing = tuple(sorted(codepoints - set(font.getBestCmap())))
    timings["load"] = time.perf_counter() - start

    step = time.perf_counter()
    converted = "CFF " in font
    subsetter = Subsetter(subset_options(cff=converted))
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    timings["subset"] = time.perf_counter() - step

    step = time.perf_counter()
    if converted:
        cff_to_glyf(font)
    timings["convert"] = time.perf_counter() - step

    rename(font, face, source, converted)
    step = time.perf_counter()
    out_path = out_dir / face.filename
    font.save(out_path)
    timings["save"] = time.perf_counter() - step
    timings["total"] = time.perf_counter() - start

    data = out_path.read_bytes()
    features = tuple(
        sorted(
            {
                record.FeatureTag
                for tag in ("GSUB", "GPOS")
                if tag in font
                for record in font[tag].table.FeatureList.FeatureRecord
            }
        )
    )
    return Result(
        face=face,
        source=source,
        requested_missing=missing,
        chars=len(font.getBestCmap()),
        glyphs=len(font.getGlyphOrder()),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        timings=timings,
        features=features,
    )


def ofl_body(copyright_file: Path) -> str:
    """The OFL 1.1 text from a Debian copyright file, un-indented (DEP-5 format)."""
    lines = copyright_file.read_text(encoding="utf-8").splitlines()
    start = next(
        i
        for i, line in enumerate(lines)
        if line in ("License: OFL-1.1", "License: SIL-1.1")
        and i + 1 < len(lines)
        and lines[i + 1].startswith(" ---")
    )
    body = []
    for line in lines[start + 1 :]:
        if not line.startswith(" "):
            break
        body.append("" if line == " ." else line[1:])
    text = "\n".join(body).strip("\n") + "\n"
    if not text.startswith("-" * 59 + "\nSIL OPEN FONT LICENSE Version 1.1 - 26 February 2007\n"):
        raise RuntimeError(f"no OFL 1.1 text found in {copyright_file}")
    return text


def write_ofl(results: list[Result], out_dir: Path) -> None:
    bodies = {
        ofl_body(Path("/usr/share/doc") / p / "copyright")
        for p in sorted({r.source.package for r in results})
    }
    # Every source package must ship the same licence text, or one of them is not OFL 1.1.
    if len(bodies) != 1:
        raise RuntimeError("the source packages' copyright files disagree on the OFL text")
    parts = [
        "The fonts in this directory are Modified Versions (subsets, renamed; the\n"
        "Noto-derived ones also converted to TrueType outlines) of these fonts:\n"
    ]
    for r in results:
        parts.append(f"{r.face.filename} (from {r.source.label}):")
        parts.append(r.source.copyright.replace("\r\n", "\n"))
        if r.face.reserved_names:
            names = " and ".join(f'"{n}"' for n in r.face.reserved_names)
            parts.append(f"with Reserved Font Names {names}.")
        parts.append("")
    parts.append(
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n"
        "This license is copied below, and is also available with a FAQ at:\n"
        "https://openfontlicense.org\n\n"
    )
    (out_dir / "OFL.txt").write_text("\n".join(parts) + bodies.pop(), encoding="utf-8")


def _fmt_mb(size: int) -> str:
    return f"{size / 1_000_000:.2f} MB"


def write_fonts_md(results: list[Result], charset: Charset, out_dir: Path) -> None:
    gb_hanzi = {c for c in charset.gb2312 if 0x4E00 <= c <= 0x9FFF}
    lines = [
        "# Shipped fonts",
        "",
        "Generated by `tools/build_fonts.py`. Do not edit by hand; rebuild instead.",
        "",
        "TrueType (glyf) subsets of Debian's Noto CJK and LXGW WenKai fonts, renamed.",
        "ReportLab registers them directly; nothing is converted at install time.",
        "",
        "| file | family (name ID 4) | role | source face | chars | glyphs | size |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| `{r.face.filename}` | {r.face.family} | {r.face.role} | "
            f"{r.source.full_name} | {r.chars} | {r.glyphs} | "
            f"{_fmt_mb(r.size)} ({r.size} B) |"
        )
    total = sum(r.size for r in results)
    lines += [f"| **total** | | | | | | {_fmt_mb(total)} |", "", "## Sources", ""]
    for r in results:
        s = r.source
        lines += [
            f"- `{r.face.filename}` ← {s.full_name}, `{s.version}`",
            f"  - file `{s.path}` (face {s.font_number}), Debian package "
            f"`{s.package}` {s.package_version}",
            f"  - copyright: {s.copyright.replace(chr(13) + chr(10), ' / ')}",
        ]
    lines += [
        "",
        "## Character set",
        "",
        f"{len(charset.codepoints)} requested code points, the union of:",
        "",
        f"- GB 2312, every character the Python `gb2312` codec can encode: "
        f"{len(charset.gb2312)} ({len(gb_hanzi)} hanzi + "
        f"{len(charset.gb2312) - len(gb_hanzi)} symbols);",
        f"- 通用规范汉字表 (Unihan `kTGH`): {len(charset.tgh8105)} hanzi, "
        f"{sum(1 for c in charset.tgh8105 if c > 0xFFFF)} of them outside the BMP "
        f"(with the GB 2312 hanzi: {len(charset.tgh8105 | gb_hanzi)} hanzi);",
        f"- printable ASCII: {len(charset.ascii)};",
        "- newspaper punctuation and symbols: U+00B7, U+2013–2015, U+2018–201F, U+2026, "
        "U+22EF, U+2E3A, U+3000–303F, U+FE10–FE19, U+FE30–FE4F, U+FF01–FF5E, "
        "￥ ¥ $ £ € # № % ‰ ° ℃ ′ ″ and ①–⑳: "
        f"{len(charset.extra)} ({len(charset.extra - charset.gb2312 - charset.ascii)} "
        "not already in GB 2312 or ASCII).",
        "",
        "Glyphs beyond the mapped characters come from the kept layout features "
        "(vertical forms, full-width alternates). Requested characters a source lacks:",
        "",
    ]
    for r in results:
        missing = " ".join(f"{chr(c)} U+{c:04X}" for c in r.requested_missing) or "none"
        lines.append(f"- `{r.face.filename}`: {len(r.requested_missing)} — {missing}")
    lines += [
        "",
        "## Processing",
        "",
        f"- fontTools {fontTools.version} `subset`: layout features "
        f"{', '.join(LAYOUT_FEATURES)} kept with their closure; `locl` dropped (it would add "
        "about 5,500 JP/KR/TC glyphs); hinting dropped; GSUB, GPOS, vhea and vmtx kept; "
        "English name records only; `.notdef` keeps its outline.",
        f"- CFF → glyf as in fontTools' `otf2ttf` snippet: Cu2QuPen, max_err {CU2QU_MAX_ERR}, "
        "reversed contours; `CFF ` and `VORG` dropped; maxp 1.0; post format 3.",
        "- Renamed: name IDs 1, 2, 3, 4, 6 (and 16/17 for non-Regular weights) rewritten; "
        'localised family names removed; a "Derived from …" line added to ID 10; '
        "copyright (ID 0), trademark (ID 7) and licence (IDs 13/14) records kept. "
        "Each file is a single-style family; Paiban Sans SC Bold therefore has its "
        "style-link bits set to Regular (weight class 700 kept).",
        "- `head.created`/`head.modified` are the source's, so rebuilding gives "
        "byte-identical files.",
        "",
        "Layout features present after subsetting:",
        "",
    ]
    lines += [f"- `{r.face.filename}`: {' '.join(r.features) or 'none'}" for r in results]
    lines += [
        "",
        "## Licence",
        "",
        "All four sources are under the SIL Open Font License 1.1; so are these files. "
        "See `OFL.txt` for the licence and the source copyright notices.",
        "",
        "- The subsets are Modified Versions, so they must not use a Reserved Font Name. "
        'LXGW WenKai reserves "霞鹜" and "LXGW" (Debian copyright file); the kai font is '
        "renamed Paiban Kai.",
        "- Noto CJK: neither the font nor Debian's copyright file declares a Reserved Font "
        'Name, and "Noto is a trademark of Google" (name ID 7). Noto CJK derives from '
        'Adobe\'s Source Han fonts, whose licence reserves "Source". The subsets use '
        'neither "Noto" nor "Source".',
        "- The fonts may be bundled with this tool but not sold by themselves.",
        "",
        "## Rebuild",
        "",
        "```sh",
        f"sudo apt-get install {' '.join(DEBIAN_PACKAGES)}",
        "python tools/build_fonts.py",
        "```",
        "",
        "The script needs fontTools (`pip install fonttools`) and takes about a minute "
        "on two cores.",
        f"These files were built with Python {platform.python_version()} and fontTools "
        f"{fontTools.version}; a different fontTools or package version may change the bytes.",
        "",
        "## Checksums (sha256)",
        "",
        "```",
        *(f"{r.sha256}  {r.face.filename}" for r in results),
        "```",
        "",
    ]
    (out_dir / "FONTS.md").write_text("\n".join(lines), encoding="utf-8")


def check_texts(results: list[Result], out_dir: Path, texts: list[Path]) -> bool:
    """Report characters of sample texts that some built font does not map."""
    wanted = {ord(c) for path in texts for c in path.read_text(encoding="utf-8")} - {0x0A, 0x0D}
    ok = True
    for r in results:
        missing = wanted - set(TTFont(out_dir / r.face.filename, lazy=True).getBestCmap())
        if missing:
            ok = False
            chars = " ".join(f"{chr(c)} U+{c:04X}" for c in sorted(missing))
            print(f"{r.face.filename}: {len(missing)} sample characters missing: {chars}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO_ROOT / "fonts",
        help="output directory (default: fonts/ in the repository)",
    )
    parser.add_argument(
        "--source-dir",
        type=Path,
        default=Path("/usr/share/fonts"),
        help="directory searched for the Debian font files",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=min(2, multiprocessing.cpu_count()),
        help="fonts built in parallel (about 200 MiB of memory each)",
    )
    parser.add_argument(
        "--check-text",
        type=Path,
        nargs="*",
        default=[],
        help="fail unless every character of these UTF-8 files is in every font",
    )
    args = parser.parse_args()

    args.out.mkdir(parents=True, exist_ok=True)
    charset = build_charset()
    sources = [locate_source(face, args.source_dir) for face in FACES]
    jobs = [(face, source, charset.codepoints, args.out) for face, source in zip(FACES, sources)]
    print(f"{len(charset.codepoints)} code points, {len(jobs)} fonts, {args.jobs} processes")

    start = time.perf_counter()
    with multiprocessing.Pool(args.jobs) as pool:
        # Unordered so that each timing line is printed as soon as its font is done.
        results_by_name: dict[str, Result] = {}
        for r in pool.imap_unordered(build_one, jobs):
            t = r.timings
            print(
                f"{r.face.filename:26} {t['total']:5.1f} s (load {t['load']:.1f}, subset "
                f"{t['subset']:.1f}, convert {t['convert']:.1f}, save {t['save']:.1f})  "
                f"{r.chars} chars, {r.glyphs} glyphs, {_fmt_mb(r.size)}"
            )
            results_by_name[r.face.filename] = r
    results = [results_by_name[face.filename] for face in FACES]
    print(
        f"built in {time.perf_counter() - start:.1f} s wall, "
        f"total {_fmt_mb(sum(r.size for r in results))}"
    )

    write_fonts_md(results, charset, args.out)
    write_ofl(results, args.out)
    for r in results:
        print(f"{r.sha256}  {r.face.filename}")
    # The fallback faces (R49) and their section of FONTS.md / block of OFL.txt, which the
    # two calls above have just rewritten without them.
    from build_fallback_fonts import build as build_fallback
    from build_fallback_fonts import write_docs

    start = time.perf_counter()
    fallback = build_fallback(args.out, args.source_dir)
    write_docs(fallback, args.out, time.perf_counter() - start)
    return 0 if check_texts(results, args.out, args.check_text) else 1


# 通用规范汉字表 (2013), the 8,105 characters with a Unihan kTGH value
# (Unihan_OtherMappings.txt, Unicode data licence). Whitespace is ignored.
TGH_8105 = """
㑇㑊㕮㘎㙍㙘㙦㛃㛚㛹㟃㠇㠓㤘㥄㧐㧑㧟㫰㬊㬎㬚㭎㭕㮾㰀㳇㳘㳚㴔㵐㶲㸆㸌㺄㻬㽏㿠䁖䂮
䃅䃎䅟䌹䎃䎖䏝䏡䏲䐃䓖䓛䓨䓫䓬䗖䗛䗪䗴䜣䝙䢺䢼䣘䥽䦃䲟䲠䲢䴓䴔䴕䴖䴗䴘䴙䶮一丁七
万丈三上下不与丏丐丑专且丕世丘丙业丛东丝丞丢两严丧个丫中丰串临丸丹为主丽举乂乃久
么义之乌乍乎乏乐乒乓乔乖乘乙乜九乞也习乡书乩买乱乳乸乾了予争事二亍于亏云互亓五井
亘亚些亟亡亢交亥亦产亨亩享京亭亮亲亳亵亶亸亹人亿什仁仂仃仄仅仆仇仉今介仍从仑仓仔
仕他仗付仙仝仞仟仡代令以仨仪仫们仰仲仳仵件价任份仿企伈伉伊伋伍伎伏伐休众优伙会伛
伞伟传伢伣伤伥伦伧伪伫伭伯估伲伴伶伸伺似伽伾佁佃但位低住佐佑体何佖佗佘余佚佛作佝
佞佟你佣佤佥佩佬佯佰佳佴佶佸佺佻佼佽佾使侁侂侃侄侈侉例侍侏侑侔侗侘供依侠侣侥侦侧
侨侩侪侬侮侯侴侵侹便促俄俅俊俍俎俏俐俑俗俘俙俚俜保俞俟信俣俦俨俩俪俫俭修俯俱俳俵
俶俸俺俾倌倍倏倒倓倔倕倘候倚倜倞借倡倥倦倧倨倩倪倬倭倮倴债倻值倾偁偃假偈偌偎偏偓
偕做停偡健偬偭偰偲偶偷偻偾偿傀傃傅傈傉傍傒傕傣傥傧储傩催傲傺傻僇僎像僔僖僚僦僧僬
僭僮僰僳僵僻儆儇儋儒儡儦儳儴儿兀允元兄充兆先光克免兑兔兕兖党兜兢入全八公六兮兰共
关兴兵其具典兹养兼兽冀冁内冈冉册再冏冒冔冕冗写军农冠冢冤冥冬冮冯冰冱冲决况冶冷冻
冼冽净凄准凇凉凋凌减凑凓凘凛凝几凡凤凫凭凯凰凳凶凸凹出击凼函凿刀刁刃分切刈刊刍刎
刑划刖列刘则刚创初删判刨利别刬刭刮到刳制刷券刹刺刻刽刿剀剁剂剃剅削剋剌前剐剑剔剕
剖剜剞剟剡剥剧剩剪副割剽剿劁劂劄劈劐劓力劝办功加务劢劣动助努劫劬劭励劲劳劼劾势勃
勇勉勋勍勐勒勔勖勘勚募勠勤勰勺勾勿匀包匆匈匍匏匐匕化北匙匜匝匠匡匣匦匪匮匹区医匼
匾匿十千卅升午卉半华协卑卒卓单卖南博卜卞卟占卡卢卣卤卦卧卫卬卮卯印危即却卵卷卸卺
卿厂厄厅历厉压厌厍厕厖厘厚厝原厢厣厥厦厨厩厮去厾县叁参叆叇又叉及友双反发叔叕取受
变叙叚叛叟叠口古句另叨叩只叫召叭叮可台叱史右叵叶号司叹叻叼叽吁吃各吆合吉吊同名后
吏吐向吒吓吕吖吗君吝吞吟吠吡吣否吧吨吩含听吭吮启吱吲吴吵吸吹吻吼吽吾呀呃呆呇呈告
呋呐呒呓呔呕呖呗员呙呛呜呢呣呤呦周呱呲味呵呶呷呸呻呼命咀咂咄咆咇咉咋和咍咎咏咐咒
咔咕咖咙咚咛咝咡咣咤咥咦咧咨咩咪咫咬咯咱咳咴咸咺咻咽咿哀品哂哃哄哆哇哈哉哌响哎哏
哐哑哒哓哔哕哗哙哚哝哞哟哢哥哦哧哨哩哪哭哮哱哲哳哺哼哽哿唁唆唇唉唏唐唑唔唛唝唠唢
唣唤唧唪唬售唯唰唱唳唵唷唼唾唿啁啃啄商啉啊啐啕啖啜啡啤啥啦啧啪啫啬啭啮啰啴啵啶啷
啸啻啼啾喀喁喂喃善喆喇喈喉喊喋喏喑喔喘喙喜喝喟喤喧喱喳喵喷喹喻喽喾嗄嗅嗉嗌嗍嗐嗑
嗒嗓嗔嗖嗜嗝嗞嗟嗡嗣嗤嗥嗦嗨嗪嗫嗬嗯嗲嗳嗵嗷嗽嗾嘀嘁嘈嘉嘌嘎嘏嘘嘚嘛嘞嘟嘡嘣嘤嘧
嘬嘭嘱嘲嘴嘶嘹嘻嘿噀噂噇噌噍噎噔噗噘噙噜噢噤器噩噪噫噬噱噶噻噼嚄嚅嚆嚎嚏嚓嚚嚣嚭
嚯嚷嚼囊囔囚四回囟因囡团囤囫园困囱围囵囷囹固国图囿圃圄圆圈圉圊圌圐圙圜土圢圣在圩
圪圫圬圭圮圯地圲圳圹场圻圾址坂均坉坊坋坌坍坎坏坐坑坒块坚坛坜坝坞坟坠坡坤坥坦坨坩
坪坫坬坭坯坰坳坷坻坼坽垂垃垄垆垈型垌垍垎垏垒垓垕垙垚垛垞垟垠垡垢垣垤垦垧垩垫垭垮
垯垱垲垴垵垸垺垾垿埂埃埆埇埋埌城埏埒埔埕埗埘埙埚埝域埠埤埪埫埭埯埴埵埸培基埼埽堂
堃堆堇堉堋堌堍堎堐堑堕堙堞堠堡堤堧堨堪堰堲堵堼堽堾塄塅塆塌塍塑塔塘塝塞塥填塬塱塾
墀墁境墅墈墉墐墒墓墕墘墙墚增墟墡墣墦墨墩墼壁壅壑壕壤士壬壮声壳壶壸壹处备复夏夐夔
夕外夙多夜够夤夥大天太夫夬夭央夯失头夷夸夹夺夼奁奂奄奇奈奉奋奎奏契奓奔奕奖套奘奚
奠奡奢奥奭女奴奶奸她好妁如妃妄妆妇妈妊妍妒妓妖妗妘妙妞妣妤妥妧妨妩妪妫妭妮妯妲妹
妻妾姆姈姊始姐姑姒姓委姗姘姚姜姝姞姣姤姥姨姬姮姱姶姹姻姽姿娀威娃娄娅娆娇娈娉娌娑
娓娘娜娟娠娣娥娩娱娲娴娵娶娼婀婆婉婊婌婍婕婘婚婞婠婢婤婧婪婫婳婴婵婶婷婺婻婼婿媂
媄媆媒媓媖媚媛媞媪媭媱媲媳媵媸媾嫁嫂嫄嫉嫌嫒嫔嫕嫖嫘嫚嫜嫠嫡嫣嫦嫩嫪嫫嫭嫱嫽嬉嬖
嬗嬛嬥嬬嬴嬷嬿孀孅子孑孓孔孕孖字存孙孚孛孜孝孟孢季孤孥学孩孪孬孰孱孳孵孺孽宁它宄
宅宇守安宋完宏宓宕宗官宙定宛宜宝实宠审客宣室宥宦宧宪宫宬宰害宴宵家宸容宽宾宿寁寂
寄寅密寇富寐寒寓寝寞察寡寤寥寨寮寰寸对寺寻导寿封射将尉尊小少尔尕尖尘尚尜尝尢尤尥
尧尨尪尬就尴尸尹尺尻尼尽尾尿局屁层屃居屈屉届屋屎屏屐屑展屙属屠屡屣履屦屯山屹屺屼
屾屿岁岂岈岊岌岍岐岑岔岖岗岘岙岚岛岜岞岠岢岣岨岩岫岬岭岱岳岵岷岸岽岿峁峂峃峄峋峒
峗峘峙峛峡峣峤峥峦峧峨峪峭峰峱峻峿崀崁崂崃崄崆崇崌崎崒崔崖崚崛崞崟崡崤崦崧崩崭崮
崴崶崽崾崿嵁嵅嵇嵊嵋嵌嵎嵖嵘嵚嵛嵝嵩嵫嵬嵯嵲嵴嶂嶅嶍嶒嶓嶙嶝嶟嶦嶲嶷巅巇巉巍川州
巡巢工左巧巨巩巫差巯己已巳巴巷巽巾币市布帅帆师希帏帐帑帔帕帖帘帙帚帛帜帝帡带帧帨
席帮帱帷常帻帼帽幂幄幅幌幔幕幖幛幞幡幢幪干平年并幸幺幻幼幽广庄庆庇床庋序庐庑库应
底庖店庙庚府庞废庠庤庥度座庭庱庳庵庶康庸庹庼庾廆廉廊廋廑廒廓廖廙廛廨廪延廷建廿开
弁异弃弄弆弇弈弊弋式弑弓引弗弘弛弟张弢弥弦弧弨弩弭弯弱弶弸弹强弼彀归当录彖彗彘彝
彟形彤彦彧彩彪彬彭彰影彳彷役彻彼往征徂径待徇很徉徊律徐徒徕得徘徙徛徜御徨循徭微徵
德徼徽心必忆忉忌忍忏忐忑忒忖志忘忙忝忞忠忡忤忧忪快忭忮忱忳念忸忺忻忽忾忿怀态怂怃
怄怅怆怊怍怎怏怒怔怕怖怙怛怜思怠怡急怦性怨怩怪怫怯怵总怼怿恁恂恃恋恍恐恒恓恔恕恙
恚恝恢恣恤恧恨恩恪恫恬恭息恰恳恶恸恹恺恻恼恽恿悃悄悆悈悉悌悍悒悔悖悚悛悝悟悠悢患
悦您悫悬悭悯悰悱悲悴悸悻悼情惆惇惊惋惎惑惔惕惘惙惚惛惜惝惟惠惦惧惨惩惫惬惭惮惯惰
想惴惶惹惺愀愁愃愆愈愉愍愎意愐愔愕愚感愠愣愤愦愧愫愭愿慆慈慊慌慎慑慕慝慢慥慧慨慬
慭慰慵慷憋憎憔憕憙憧憨憩憬憭憷憺憾懂懈懊懋懑懒懔懦懵懿戆戈戊戋戌戍戎戏成我戒戕或
戗战戚戛戟戡戢戣戤戥截戬戭戮戳戴户戽戾房所扁扂扃扅扆扇扈扉扊手才扎扑扒打扔托扛扞
扣扦执扩扪扫扬扭扮扯扰扳扶批扺扼扽找承技抃抄抉把抑抒抓抔投抖抗折抚抛抟抠抡抢护报
抨披抬抱抵抹抻押抽抿拂拃拄担拆拇拈拉拊拌拍拎拐拒拓拔拖拗拘拙招拜拟拢拣拤拥拦拧拨
择括拭拮拯拱拳拴拶拷拼拽拾拿持挂指挈按挎挑挓挖挚挛挝挞挟挠挡挣挤挥挦挨挪挫振挲挹
挺挽捂捃捅捆捉捋捌捍捎捏捐捕捞损捡换捣捧捩捭据捯捶捷捺捻捽掀掂掇授掉掊掌掎掏掐排
掖掘掞掠探掣接控推掩措掬掭掮掰掳掴掷掸掺掼掾揄揆揉揍描提插揕揖揠握揣揩揪揭揳援揶
揸揽揿搀搁搂搅搋搌搏搐搒搓搔搛搜搞搠搡搦搪搬搭搴携搽摁摄摅摆摇摈摊摏摒摔摘摛摞摧
摩摭摴摸摹摽撂撄撅撇撑撒撕撖撙撞撤撩撬播撮撰撵撷撸撺撼擀擂擅操擎擐擒擘擞擢擤擦擿
攀攉攒攘攥攫攮支收攸改攻攽放政故效敉敌敏救敔敕敖教敛敝敞敢散敦敩敫敬数敲整敷文斋
斌斐斑斓斗料斛斜斝斟斠斡斤斥斧斩斫断斯新斶方於施旁旃旄旅旆旋旌旎族旐旒旖旗旞无既
日旦旧旨早旬旭旮旯旰旱旴旵时旷旸旺旻旿昀昂昃昄昆昇昈昉昊昌明昏昒易昔昕昙昝星映昡
昣昤春昧昨昪昫昭是昱昳昴昵昶昺昼昽显晁晃晅晊晋晌晏晐晒晓晔晕晖晗晙晚晞晟晡晢晤晦
晨晪晫普景晰晱晴晶晷智晾暂暄暅暇暌暑暕暖暗暝暧暨暮暲暴暵暶暹暾暿曈曌曙曛曜曝曦曩
曰曲曳更曷曹曼曾替最月有朋服朏朐朓朔朕朗望朝期朦木未末本札术朱朳朴朵朸机朽杀杂权
杄杆杈杉杌李杏材村杓杕杖杙杜杞束杠条来杧杨杩杪杭杯杰杲杳杵杷杻杼松板极构枅枇枉枋
枍析枕林枘枚果枝枞枢枣枥枧枨枪枫枭枯枰枲枳枵架枷枸枹柁柃柄柈柊柏某柑柒染柔柖柘柙
柚柜柝柞柠柢查柩柬柯柰柱柳柴柷柽柿栀栅标栈栉栊栋栌栎栏栐树栒栓栖栗栝栟校栩株栲栳
栴样核根栻格栽栾桀桁桂桃桄桅框案桉桊桌桎桐桑桓桔桕桠桡桢档桤桥桦桧桨桩桫桯桲桴桶
桷桹梁梃梅梆梌梏梓梗梠梢梣梦梧梨梭梯械梳梴梵梼梽梾梿检棁棂棉棋棍棐棒棓棕棘棚棠棣
棤棨棪棫棬森棰棱棵棹棺棻棼棽椀椁椅椆椋植椎椐椑椒椓椟椠椤椪椭椰椴椸椹椽椿楂楒楔楗
楙楚楝楞楠楣楦楩楪楫楮楯楷楸楹楼概榃榄榅榆榇榈榉榍榑榔榕榖榛榜榧榨榫榭榰榱榴榷榻
槁槃槊槌槎槐槔槚槛槜槟槠槭槱槲槽槿樊樗樘樟模樨横樯樱樵樽樾橄橇橐橑橘橙橛橞橡橥橦
橱橹橼檀檄檎檐檑檗檞檠檩檫檬櫆欂欠次欢欣欤欧欲欸欹欺欻款歃歅歆歇歉歌歙止正此步武
歧歪歹死歼殁殂殃殄殆殇殉殊残殍殒殓殖殚殛殡殣殪殳殴段殷殿毁毂毅毋毌母每毐毒毓比毕
毖毗毙毛毡毪毫毯毳毵毹毽氅氆氇氍氏氐民氓气氕氖氘氙氚氛氟氡氢氤氦氧氨氩氪氮氯氰氲
水永氾氿汀汁求汆汇汈汉汊汋汐汔汕汗汛汜汝汞江池污汤汧汨汩汪汫汭汰汲汴汶汹汽汾沁沂
沃沄沅沆沇沈沉沌沏沐沓沔沘沙沚沛沟没沣沤沥沦沧沨沩沪沫沭沮沱河沸油沺治沼沽沾沿泂
泃泄泅泇泉泊泌泐泓泔法泖泗泙泚泛泜泞泠泡波泣泥注泪泫泮泯泰泱泳泵泷泸泺泻泼泽泾洁
洄洇洈洋洌洎洑洒洓洗洘洙洚洛洞洢洣津洧洨洪洫洭洮洱洲洳洴洵洸洹洺活洼洽派洿流浃浅
浆浇浈浉浊测浍济浏浐浑浒浓浔浕浙浚浛浜浞浟浠浡浣浥浦浩浪浬浭浮浯浰浲浴海浸浼涂涄
涅消涉涌涍涎涐涑涓涔涕涘涛涝涞涟涠涡涢涣涤润涧涨涩涪涫涮涯液涴涵涸涿淀淄淅淆淇淋
淌淏淑淖淘淙淜淝淞淟淠淡淤淦淫淬淮淯深淳淴混淹添淼清渊渌渍渎渐渑渔渗渚渝渟渠渡渣
渤渥温渫渭港渰渲渴游渺渼湃湄湉湍湎湑湓湔湖湘湛湜湝湟湣湫湮湲湴湾湿溁溃溅溆溇溉溍
溏源溘溚溜溞溟溠溢溥溦溧溪溯溱溲溴溵溶溷溹溺溻溽滁滂滃滆滇滉滋滍滏滑滓滔滕滗滘滚
滞滟滠满滢滤滥滦滧滨滩滪滫滴滹漂漆漈漉漋漏漓演漕漖漠漤漦漩漪漫漭漯漱漳漴漶漷漹漻
漼漾潆潇潋潍潏潖潘潜潞潟潢潦潩潭潮潲潴潵潸潺潼潽潾澂澄澈澉澌澍澎澛澜澡澥澧澪澭澳
澴澶澹澼澽激濂濉濋濑濒濞濠濡濩濮濯瀌瀍瀑瀔瀚瀛瀣瀱瀵瀹瀼灈灌灏灞火灭灯灰灵灶灸灼
灾灿炀炅炆炉炊炌炎炒炔炕炖炘炙炜炝炟炣炫炬炭炮炯炱炳炷炸点炻炼炽烀烁烂烃烈烊烔烘
烙烛烜烝烟烠烤烦烧烨烩烫烬热烯烶烷烹烺烻烽焆焉焊焌焐焓焕焖焗焘焙焚焜焞焦焯焰焱然
煁煃煅煊煋煌煎煓煜煞煟煤煦照煨煮煲煳煴煸煺煽熄熇熊熏熔熘熙熛熜熟熠熥熨熬熵熹熻燃
燊燋燎燏燔燕燚燠燥燧燮燹爆爇爔爚爝爟爨爪爬爰爱爵父爷爸爹爻爽爿牁牂片版牌牍牒牖牙
牚牛牝牟牡牢牤牥牦牧物牮牯牲牵特牺牻牾牿犀犁犄犇犊犋犍犏犒犟犨犬犯犰犴状犷犸犹狁
狂狃狄狈狉狍狎狐狒狗狙狝狞狠狡狨狩独狭狮狯狰狱狲狳狴狷狸狺狻狼猁猃猄猇猊猎猕猖猗
猛猜猝猞猡猢猥猩猪猫猬献猯猰猱猴猷猹猺猾猿獍獐獒獗獠獬獭獯獴獾玃玄率玉王玎玑玒玓
玕玖玘玙玚玛玞玟玠玡玢玤玥玦玩玫玭玮环现玱玲玳玶玷玹玺玻玼玿珀珂珅珇珈珉珊珋珌珍
珏珐珑珒珕珖珙珛珝珞珠珢珣珥珦珧珩珪珫班珰珲珵珷珸珹珺珽琀球琄琅理琇琈琉琊琎琏琐
琔琚琛琟琡琢琤琥琦琨琪琫琬琭琮琯琰琲琳琴琵琶琼瑀瑁瑂瑃瑄瑅瑆瑑瑓瑔瑕瑖瑗瑙瑚瑛瑜
瑝瑞瑟瑢瑧瑨瑬瑭瑰瑱瑳瑶瑷瑾璀璁璃璆璇璈璋璎璐璒璘璜璞璟璠璥璧璨璩璪璬璮璱璲璺瓀
瓒瓖瓘瓜瓞瓠瓢瓣瓤瓦瓮瓯瓴瓶瓷瓻瓿甄甍甏甑甓甗甘甚甜生甡甥甦用甩甪甫甬甭甯田由甲
申电男甸町画甾畀畅畈畋界畎畏畔畖留畚畛畜畤略畦番畬畯畲畴畸畹畿疁疃疆疍疏疐疑疔疖
疗疙疚疝疟疠疡疢疣疤疥疫疬疭疮疯疰疱疲疳疴疵疸疹疼疽疾痂痃痄病症痈痉痊痍痒痓痔痕
痘痛痞痢痣痤痦痧痨痪痫痰痱痴痹痼痿瘀瘁瘃瘅瘆瘊瘌瘐瘕瘗瘘瘙瘛瘟瘠瘢瘤瘥瘦瘩瘪瘫瘭
瘰瘳瘴瘵瘸瘼瘾瘿癀癃癌癍癔癖癗癜癞癣癫癯癸登白百癿皂的皆皇皈皋皎皑皓皕皖皙皛皞皤
皦皭皮皱皲皴皿盂盅盆盈盉益盍盎盏盐监盒盔盖盗盘盛盟盥盦目盯盱盲直盷相盹盼盾省眄眇
眈眉眊看眍眙眚真眠眢眦眨眩眬眭眯眵眶眷眸眺眼着睁睃睄睇睎睐睑睚睛睡睢督睥睦睨睫睬
睹睽睾睿瞀瞄瞅瞋瞌瞍瞎瞑瞒瞟瞠瞢瞥瞧瞩瞪瞫瞬瞭瞰瞳瞵瞻瞽瞿矍矗矛矜矞矢矣知矧矩矫
矬短矮矰石矶矸矻矼矾矿砀码砂砄砆砉砌砍砑砒研砖砗砘砚砜砝砟砠砣砥砧砫砬砭砮砰破砵
砷砸砹砺砻砼砾础硁硅硇硊硌硍硎硐硒硔硕硖硗硙硚硝硪硫硬硭确硼硿碃碇碈碉碌碍碎碏碑
碓碗碘碚碛碜碟碡碣碥碧碨碰碱碲碳碴碶碹碾磁磅磉磊磋磏磐磔磕磙磜磡磨磬磲磴磷磹磻礁
礅礌礓礞礴礵示礼社祀祁祃祆祇祈祉祊祋祎祏祐祓祕祖祗祚祛祜祝神祟祠祢祥祧票祭祯祲祷
祸祺祼祾禀禁禄禅禊禋福禒禔禘禚禛禤禧禳禹禺离禽禾秀私秃秆秉秋种科秒秕秘租秣秤秦秧
秩秫秬秭积称秸移秽秾稀稂稃稆程稌稍税稑稔稗稙稚稞稠稣稳稷稹稻稼稽稿穄穆穑穗穙穜穟
穰穴究穷穸穹空穿窀突窃窄窅窈窊窍窎窑窒窕窖窗窘窜窝窟窠窣窥窦窨窬窭窳窸窿立竑竖竘
站竞竟章竣童竦竫竭端竹竺竽竿笃笄笆笈笊笋笏笑笔笕笙笛笞笠笤笥符笨笪笫第笮笯笱笳笸
笺笼笾筀筅筇等筋筌筏筐筑筒答策筘筚筛筜筝筠筢筤筥筦筮筱筲筵筶筷筹筻筼签简箅箍箐箓
箔箕箖算箜管箢箦箧箨箩箪箫箬箭箱箴箸篁篆篇篌篑篓篙篚篝篡篥篦篪篮篯篱篷篼篾簃簇簉
簋簌簏簕簖簝簟簠簧簪簰簸簿籀籁籍籥米籴类籼籽粉粑粒粕粗粘粜粝粞粟粢粤粥粪粮粱粲粳
粹粼粽精粿糁糅糇糈糊糌糍糒糕糖糗糙糜糟糠糨糯糵系紊素索紧紫累絜絮絷綦綮縠縢縻繁繄
繇纂纛纠纡红纣纤纥约级纨纩纪纫纬纭纮纯纰纱纲纳纴纵纶纷纸纹纺纻纼纽纾线绀绁绂练组
绅细织终绉绊绋绌绍绎经绐绑绒结绔绕绖绗绘给绚绛络绝绞统绠绡绢绣绤绥绦继绨绩绪绫续
绮绯绰绱绲绳维绵绶绷绸绹绺绻综绽绾绿缀缁缂缃缄缅缆缇缈缉缊缌缎缐缑缒缓缔缕编缗缘
缙缚缛缜缝缞缟缠缡缢缣缤缥缦缧缨缩缪缫缬缭缮缯缰缱缲缳缴缵缶缸缺罂罄罅罍罐网罔罕
罗罘罚罟罡罢罨罩罪置罱署罴罶罹罽罾羁羊羌美羑羓羔羕羖羚羝羞羟羡群羧羯羰羱羲羸羹羼
羽羿翀翁翂翃翅翈翊翌翎翔翕翘翙翚翛翟翠翡翥翦翩翮翯翰翱翳翷翻翼翾耀老考耄者耆耇耋
而耍耏耐耑耒耔耕耖耗耘耙耜耠耢耤耥耦耧耨耩耪耰耱耳耵耶耷耸耻耽耿聂聃聆聊聋职聍聒
联聘聚聩聪聱聿肃肄肆肇肉肋肌肓肖肘肚肛肝肟肠股肢肤肥肩肪肫肭肮肯肱育肴肷肸肺肼肽
肾肿胀胁胂胃胄胆胈背胍胎胖胗胙胚胛胜胝胞胠胡胣胤胥胧胨胩胪胫胬胭胯胰胱胲胳胴胶胸
胺胼能脂脆脉脊脍脎脏脐脑脒脓脔脖脘脚脞脟脩脬脯脱脲脶脸脾脿腆腈腊腋腌腐腑腒腓腔腕
腘腙腚腠腥腧腨腩腭腮腯腰腱腴腹腺腻腼腽腾腿膀膂膈膊膏膑膘膙膛膜膝膦膨膳膺膻臀臂臃
臆臊臌臑臜臣臧自臬臭至致臻臼臾舀舁舂舄舅舆舌舍舐舒舔舛舜舞舟舠舢舣舥航舫般舭舯舰
舱舲舳舴舵舶舷舸船舻舾艄艅艇艉艋艎艏艘艚艟艨艮良艰色艳艴艺艽艾艿节芃芄芈芊芋芍芎
芏芑芒芗芘芙芜芝芟芠芡芣芤芥芦芨芩芪芫芬芭芮芯芰花芳芴芷芸芹芼芽芾苁苄苇苈苉苊苋
苌苍苎苏苑苒苓苔苕苗苘苛苜苞苟苠苡苣苤若苦苧苫苯英苴苷苹苻苾茀茁茂范茄茅茆茈茉茋
茌茎茏茑茓茔茕茗茚茛茜茝茧茨茫茬茭茯茱茳茴茵茶茸茹茺茼茽荀荁荃荄荆荇草荏荐荑荒荓
荔荖荙荚荛荜荞荟荠荡荣荤荥荦荧荨荩荪荫荬荭荮药荷荸荻荼荽莅莆莉莎莒莓莘莙莛莜莝莞
莠莨莩莪莫莰莱莲莳莴莶获莸莹莺莼莽莿菀菁菂菅菇菉菊菌菍菏菔菖菘菜菝菟菠菡菥菩菪菰
菱菲菹菼菽萁萃萄萆萋萌萍萎萏萑萘萚萜萝萣萤营萦萧萨萩萱萳萸萹萼落葆葎葑葖著葙葚葛
葜葡董葩葫葬葭葰葱葳葴葵葶葸葺蒂蒄蒇蒈蒉蒋蒌蒎蒐蒗蒙蒜蒟蒡蒨蒯蒱蒲蒴蒸蒹蒺蒻蒽蒿
蓁蓂蓄蓇蓉蓊蓍蓏蓐蓑蓓蓖蓝蓟蓠蓢蓣蓥蓦蓬蓰蓼蓿蔀蔃蔈蔊蔌蔑蔓蔗蔚蔟蔡蔫蔬蔷蔸蔹蔺
蔻蔼蔽蕃蕈蕉蕊蕖蕗蕙蕞蕤蕨蕰蕲蕴蕹蕺蕻蕾薁薄薅薇薏薛薜薢薤薨薪薮薯薰薳薷薸薹薿藁
藉藏藐藓藕藜藟藠藤藦藨藩藻藿蘅蘑蘖蘘蘧蘩蘸蘼虎虏虐虑虒虓虔虚虞虢虤虫虬虮虱虷虸虹
虺虻虼虽虾虿蚀蚁蚂蚄蚆蚊蚋蚌蚍蚓蚕蚜蚝蚣蚤蚧蚨蚩蚪蚬蚯蚰蚱蚲蚴蚶蚺蛀蛃蛄蛆蛇蛉蛊
蛋蛎蛏蛐蛑蛔蛘蛙蛛蛞蛟蛤蛩蛭蛮蛰蛱蛲蛳蛴蛸蛹蛾蜀蜂蜃蜇蜈蜉蜊蜍蜎蜐蜒蜓蜕蜗蜘蜚蜜
蜞蜡蜢蜣蜥蜩蜮蜱蜴蜷蜻蜾蜿蝇蝈蝉蝌蝎蝓蝗蝘蝙蝠蝣蝤蝥蝮蝰蝲蝴蝶蝻蝼蝽蝾螂螃螅螈螋
融螗螟螠螣螨螫螬螭螯螱螳螵螺螽蟀蟆蟊蟋蟏蟑蟒蟛蟠蟥蟪蟫蟮蟹蟾蠃蠊蠋蠓蠕蠖蠡蠢蠲蠹
蠼血衃衄衅行衍衎衒衔街衙衠衡衢衣补表衩衫衬衮衰衲衷衽衾衿袁袂袄袅袆袈袋袍袒袖袗袜
袢袤袪被袭袯袱袷袼裁裂装裆裈裉裎裒裔裕裘裙裛裟裢裣裤裥裨裰裱裳裴裸裹裼裾褂褊褐褒
褓褕褙褚褛褟褡褥褪褫褯褰褴褶襁襄襕襚襜襞襟襦襫襻西要覃覆见观觃规觅视觇览觉觊觋觌
觎觏觐觑角觖觚觜觞觟解觥触觫觭觯觱觳觿言訄訇訚訾詈詟詹誉誊誓謇警譬计订讣认讥讦讧
讨让讪讫训议讯记讱讲讳讴讵讶讷许讹论讻讼讽设访诀证诂诃评诅识诇诈诉诊诋诌词诎诏诐
译诒诓诔试诖诗诘诙诚诛诜话诞诟诠诡询诣诤该详诧诨诩诫诬语诮误诰诱诲诳说诵请诸诹诺
读诼诽课诿谀谁谂调谄谅谆谇谈谊谋谌谍谎谏谐谑谒谓谔谕谖谗谙谚谛谜谝谞谟谠谡谢谣谤
谥谦谧谨谩谪谫谬谭谮谯谰谱谲谳谴谵谶谷谼谿豁豆豇豉豌豕豚象豢豨豪豫豮豳豸豹豺貂貅
貆貉貊貌貔貘贝贞负贡财责贤败账货质贩贪贫贬购贮贯贰贱贲贳贴贵贶贷贸费贺贻贼贽贾贿
赀赁赂赃资赅赆赇赈赉赊赋赌赍赎赏赐赑赒赓赔赕赖赗赘赙赚赛赜赝赞赟赠赡赢赣赤赦赧赪
赫赭走赳赴赵赶起趁趄超越趋趑趔趟趣趯趱足趴趵趸趺趼趾趿跂跃跄跆跋跌跎跏跐跑跖跗跚
跛距跞跟跣跤跨跪跬路跱跳践跶跷跸跹跺跻跽踅踉踊踌踏踒踔踝踞踟踢踣踦踩踪踬踮踯踱踵
踶踹踺踽蹀蹁蹂蹄蹅蹇蹈蹉蹊蹋蹐蹑蹒蹙蹚蹜蹢蹦蹩蹬蹭蹯蹰蹲蹴蹶蹼蹽蹾蹿躁躅躇躏躐躔
躜躞身躬躯躲躺车轧轨轩轪轫转轭轮软轰轱轲轳轴轵轶轷轸轹轺轻轼载轾轿辀辁辂较辄辅辆
辇辈辉辊辋辌辍辎辏辐辑辒输辔辕辖辗辘辙辚辛辜辞辟辣辨辩辫辰辱边辽达辿迁迂迄迅过迈
迎运近迓返迕还这进远违连迟迢迤迥迦迨迩迪迫迭迮述迳迷迸迹迺追退送适逃逄逅逆选逊逋
逍透逐逑递途逖逗通逛逝逞速造逡逢逦逭逮逯逴逵逶逸逻逼逾遁遂遄遆遇遍遏遐遑遒道遗遘
遛遢遣遥遨遭遮遴遵遹遽避邀邂邃邈邋邑邓邕邗邘邙邛邝邠邡邢那邦邨邪邬邮邯邰邱邲邳邴
邵邶邸邹邺邻邽邾邿郁郃郄郅郇郈郊郎郏郐郑郓郗郚郛郜郝郡郢郤郦郧部郪郫郭郯郴郸都郾
郿鄀鄂鄃鄄鄅鄌鄑鄗鄘鄙鄚鄜鄞鄠鄢鄣鄫鄯鄱鄹酂酃酅酆酉酊酋酌配酎酏酐酒酗酚酝酞酡酢
酣酤酥酦酩酪酬酮酯酰酱酲酴酵酶酷酸酹酺酽酾酿醅醇醉醋醌醍醐醑醒醚醛醢醨醪醭醮醯醴
醵醺醾采釉释里重野量釐金釜鉴銎銮鋆鋈錾鍪鎏鏊鏖鐾鑫钆钇针钉钊钋钌钍钎钏钐钒钓钔钕
钖钗钘钙钚钛钜钝钞钟钠钡钢钣钤钥钦钧钨钩钪钫钬钭钮钯钰钱钲钳钴钵钷钹钺钻钼钽钾钿
铀铁铂铃铄铅铆铈铉铊铋铌铍铎铏铐铑铒铕铖铗铘铙铚铛铜铝铞铟铠铡铢铣铤铥铧铨铩铪铫
铬铭铮铯铰铱铲铳铴铵银铷铸铹铺铻铼铽链铿销锁锂锃锄锅锆锇锈锉锊锋锌锍锎锏锐锑锒锓
锔锕锖锗锘错锚锛锜锝锞锟锡锢锣锤锥锦锧锨锩锪锫锬锭键锯锰锱锲锳锴锵锶锷锸锹锺锻锼
锽锾锿镀镁镂镃镄镅镆镇镈镉镊镋镌镍镎镏镐镑镒镓镔镕镖镗镘镚镛镜镝镞镠镡镢镣镤镥镦
镧镨镩镪镫镬镭镮镯镰镱镲镳镴镵镶长门闩闪闫闭问闯闰闱闲闳间闵闶闷闸闹闺闻闼闽闾闿
阀阁阂阃阄阅阆阇阈阉阊阋阌阍阎阏阐阑阒阔阕阖阗阘阙阚阜队阡阪阮阱防阳阴阵阶阻阼阽
阿陀陂附际陆陇陈陉陋陌降陎限陑陔陕陛陞陟陡院除陧陨险陪陬陲陴陵陶陷隃隅隆隈隋隍随
隐隔隗隘隙障隧隩隰隳隶隹隺隼隽难雀雁雄雅集雇雉雊雌雍雎雏雒雕雠雨雩雪雯雱雳零雷雹
雾需霁霄霅霆震霈霉霍霎霏霓霖霜霞霨霪霭霰露霸霹霾青靓靖静靛非靠靡面靥革靬靰靳靴靶
靸靺靼靽靿鞁鞅鞋鞍鞑鞒鞔鞘鞠鞡鞣鞧鞨鞫鞬鞭鞮鞯鞲鞳鞴韂韦韧韨韩韪韫韬韭音韵韶页顶
顷顸项顺须顼顽顾顿颀颁颂颃预颅领颇颈颉颊颋颌颍颎颏颐频颓颔颖颗题颙颚颛颜额颞颟颠
颡颢颤颥颦颧风飏飐飑飒飓飔飕飗飘飙飞食飧飨餍餐餮饔饕饥饧饨饩饪饫饬饭饮饯饰饱饲饳
饴饵饶饷饸饹饺饻饼饽饿馁馃馄馅馆馇馈馉馊馋馌馍馏馐馑馒馓馔馕首馗馘香馝馞馥馧馨马
驭驮驯驰驱驲驳驴驵驶驷驸驹驺驻驼驽驾驿骀骁骂骃骄骅骆骇骈骉骊骋验骍骎骏骐骑骒骓骕
骖骗骘骙骚骛骜骝骞骟骠骡骢骣骤骥骦骧骨骰骱骶骷骸骺骼髀髁髂髃髅髋髌髎髑髓高髡髢髦
髫髭髯髹髻髽鬃鬈鬏鬒鬓鬘鬟鬣鬯鬲鬶鬷鬻鬼魁魂魃魄魅魆魇魈魉魋魍魏魑魔鱼鱽鱾鱿鲀鲁
鲂鲃鲅鲆鲇鲈鲉鲊鲋鲌鲍鲎鲏鲐鲑鲒鲔鲕鲖鲗鲘鲙鲚鲛鲜鲝鲞鲟鲠鲡鲢鲣鲤鲥鲦鲧鲨鲩鲪鲫
鲬鲭鲮鲯鲰鲱鲲鲳鲴鲵鲷鲸鲹鲺鲻鲼鲽鲾鲿鳀鳁鳂鳃鳄鳅鳇鳈鳉鳊鳌鳍鳎鳏鳐鳑鳒鳓鳔鳕鳖
鳗鳘鳙鳚鳛鳜鳝鳞鳟鳠鳡鳢鳣鳤鸟鸠鸡鸢鸣鸤鸥鸦鸧鸨鸩鸪鸫鸬鸭鸮鸯鸰鸱鸲鸳鸵鸶鸷鸸鸹
鸺鸻鸼鸽鸾鸿鹀鹁鹂鹃鹄鹅鹆鹇鹈鹉鹊鹋鹌鹍鹎鹏鹐鹑鹒鹔鹕鹖鹗鹘鹙鹚鹛鹜鹝鹞鹟鹠鹡鹢
鹣鹤鹦鹧鹨鹩鹪鹫鹬鹭鹮鹯鹰鹱鹲鹳鹴鹾鹿麀麂麇麈麋麑麒麓麖麝麟麦麸麹麻麽麾黄黇黉黍
黎黏黑黔默黛黜黝黟黠黡黢黥黧黩黪黯黹黻黼黾鼋鼍鼎鼐鼒鼓鼗鼙鼠鼢鼩鼫鼬鼯鼱鼷鼹鼻鼽
鼾齁齇齉齐齑齿龀龁龂龃龄龅龆龇龈龉龊龋龌龙龚龛龟龠龢鿍鿎鿏𠅤𠙶𠳐𡎚𡐓𣗋𣲗𣲘𣸣𤧛𤩽
𤫉𥔲𥕢𥖨𥻗𦈡𦒍𦙶𦝼𦭜𦰡𧿹𨐈𨙸𨚕𨟠𨭉𨱇𨱏𨱑𨱔𨺙𩽾𩾃𩾌𪟝𪣻𪤗𪨰𪨶𪩘𪾢𫄧𫄨𫄷𫄸𫇭𫌀𫍣𫍯
𫍲𫍽𫐄𫐐𫐓𫑡𫓧𫓯𫓶𫓹𫔍𫔎𫔶𫖮𫖯𫖳𫗧𫗴𫘜𫘝𫘦𫘧𫘨𫘪𫘬𫚕𫚖𫚭𫛭𫞩𫟅𫟦𫟹𫟼𫠆𫠊𫠜𫢸𫫇𫭟
𫭢𫭼𫮃𫰛𫵷𫶇𫷷𫸩𬀩𬀪𬂩𬃊𬇕𬇙𬇹𬉼𬊈𬊤𬌗𬍛𬍡𬍤𬒈𬒔𬒗𬕂𬘓𬘘𬘡𬘩𬘫𬘬𬘭𬘯𬙂𬙊𬙋𬜬𬜯𬞟
𬟁𬟽𬣙𬣞𬣡𬣳𬤇𬤊𬤝𬨂𬨎𬩽𬪩𬬩𬬭𬬮𬬱𬬸𬬹𬬻𬬿𬭁𬭊𬭎𬭚𬭛𬭤𬭩𬭬𬭯𬭳𬭶𬭸𬭼𬮱𬮿𬯀𬯎𬱖𬱟
𬳵𬳶𬳽𬳿𬴂𬴃𬴊𬶋𬶍𬶏𬶐𬶟𬶠𬶨𬶭𬶮𬷕𬸘𬸚𬸣𬸦𬸪𬹼𬺈𬺓
"""

if __name__ == "__main__":
    sys.exit(main())
