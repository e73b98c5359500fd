#!/usr/bin/env python3
"""Build the fallback faces shipped in ``fonts/`` (reference R49).

The four main faces hold GB 2312 ∪ 通用规范汉字表 + ASCII. What a local paper also
prints — rare characters in names (峯 嫑 㐂 𡈼), traditional characters in quotations
(鍾 鐘), European names (é ñ ø ł ş), Greek and newspaper symbols — comes from these
fallback faces, which the styles declare in ``fonts.fallback``:

- ``PaibanSerifSC-Ext.ttf``: every character of Noto Serif CJK SC that the main
  faces do not have, except Hangul (all of the URO, Ext-A, the ideographs beyond
  the BMP, compatibility ideographs, Latin-1, Greek, symbols, enclosed forms). One
  shared face for every role: see fonts/FONTS.md, "Fallback faces", for why.
- ``PaibanLatin-Regular.ttf``, ``PaibanLatin-Bold.ttf`` (Noto Serif) and
  ``PaibanLatinSans-Bold.ttf`` (Noto Sans): Latin, Greek, Cyrillic and symbol
  blocks, for what Noto CJK lacks (ł ş ś έ …), in the weight of the roles that use them.

Sources: Debian's fonts-noto-cjk and fonts-noto-core (OFL 1.1). Like
``build_fonts.py`` (whose subsetting, CFF→glyf conversion and renaming it reuses) the
output is deterministic. It rewrites the "Fallback faces" section of fonts/FONTS.md
and the matching block of fonts/OFL.txt, so it can be run on its own:

    sudo apt-get install fonts-noto-cjk fonts-noto-core
    python tools/build_fallback_fonts.py
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import sys
import time
from pathlib import Path

import fontTools
from build_fonts import (
    REPO_ROOT,
    Face,
    Result,
    Source,
    _fmt_mb,
    build_charset,
    build_one,
    locate_source,
)
from fontTools.ttLib import TTFont

PACKAGES = ["fonts-noto-cjk", "fonts-noto-core"]

# Korean syllables and jamo: 11,500 glyphs a Chinese paper does not print (about 4 MB).
HANGUL = [(0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF)]

# Blocks a Latin fallback face carries: Latin-1 Supplement, Latin Extended-A/B, IPA and
# spacing modifiers, combining marks, Greek, Cyrillic, Latin Extended Additional
# (Vietnamese), general punctuation, super/subscripts, currency, letterlike symbols
# (№ ℃ Ω), number forms, arrows and mathematical operators (± × ÷ ≤ ≥).
LATIN_RANGES = [(0x00A0, 0x052F), (0x1E00, 0x1FFF), (0x2000, 0x22FF)]

EXT = Face(
    filename="PaibanSerifSC-Ext.ttf",
    family="Paiban Serif SC Ext",
    typographic_family="Paiban Serif SC Ext",
    weight="Regular",
    role="fallback of every role: rare and traditional characters, Latin-1, symbols",
    source_file="NotoSerifCJK-Regular.ttc",
    source_family="Noto Serif CJK SC",
    source_style="Regular",
)
LATIN = (
    Face(
        filename="PaibanLatin-Regular.ttf",
        family="Paiban Latin",
        typographic_family="Paiban Latin",
        weight="Regular",
        role="fallback: Latin, Greek, Cyrillic, symbols (body, captions)",
        source_file="NotoSerif-Regular.ttf",
        source_family="Noto Serif",
        source_style="Regular",
    ),
    Face(
        filename="PaibanLatin-Bold.ttf",
        family="Paiban Latin Bold",
        typographic_family="Paiban Latin",
        weight="Bold",
        role="fallback: Latin, Greek, Cyrillic, symbols (headlines)",
        source_file="NotoSerif-Bold.ttf",
        source_family="Noto Serif",
        source_style="Bold",
    ),
    Face(
        filename="PaibanLatinSans-Bold.ttf",
        family="Paiban Latin Sans Bold",
        typographic_family="Paiban Latin Sans",
        weight="Bold",
        role="fallback: Latin, Greek, Cyrillic, symbols (黑体 roles)",
        source_file="NotoSans-Bold.ttf",
        source_family="Noto Sans",
        source_style="Bold",
    ),
)
FACES = (EXT, *LATIN)

BEGIN = "<!-- fallback faces: written by tools/build_fallback_fonts.py -->"
END = "<!-- end of fallback faces -->"


def _ranges(ranges: list[tuple[int, int]]) -> set[int]:
    return {cp for lo, hi in ranges for cp in range(lo, hi + 1)}


def codepoints(face: Face, source: Source, main: frozenset[int]) -> frozenset[int]:
    """What the face is cut to: the source's characters beyond the main faces' set."""
    font = TTFont(source.path, fontNumber=source.font_number, lazy=True)
    cmap = set(font.getBestCmap())
    if face is EXT:
        return frozenset(cmap - main - _ranges(HANGUL) - set(range(0x20, 0x7F)))
    return frozenset(cmap & _ranges(LATIN_RANGES))


def _blocks(result: Result, out_dir: Path) -> str:
    cmap = TTFont(out_dir / result.face.filename, lazy=True).getBestCmap()
    counts = {
        "URO": sum(0x4E00 <= c <= 0x9FFF for c in cmap),
        "Ext-A": sum(0x3400 <= c <= 0x4DBF for c in cmap),
        "beyond the BMP": sum(c > 0xFFFF for c in cmap),
        "compatibility ideographs": sum(0xF900 <= c <= 0xFAFF for c in cmap),
        "Latin/Greek/Cyrillic": sum(0xA0 <= c <= 0x52F or 0x1E00 <= c <= 0x1FFF for c in cmap),
    }
    return ", ".join(f"{name} {n}" for name, n in counts.items() if n)


def write_docs(results: list[Result], out_dir: Path, seconds: float) -> None:
    lines = [
        BEGIN,
        "## Fallback faces",
        "",
        "Generated by `tools/build_fallback_fonts.py` (the faces above: `tools/build_fonts.py`).",
        "A style lists them per face in `fonts.fallback`; a character a role's face lacks is "
        "printed from the first face of its chain that has it (R49), and the build report "
        "lists it (`fallback`, info).",
        "",
        "| file | family | used for | source face | chars | glyphs | size |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| `{r.face.filename}` | {r.face.family} | {r.face.role} | "
                     f"{r.source.full_name} | {r.chars} | {r.glyphs} | "
                     f"{_fmt_mb(r.size)} ({r.size} B) |")
    lines += ["", "Contents:", ""]
    for r in results:
        lines.append(f"- `{r.face.filename}`: {_blocks(r, out_dir)}")
    lines += ["", "Sources:", ""]
    for r in results:
        s = r.source
        lines += [f"- `{r.face.filename}` ← {s.full_name}, `{s.version}`",
                  f"  - file `{s.path}` (face {s.font_number}), Debian package "
                  f"`{s.package}` {s.package_version}",
                  f"  - copyright: {s.copyright.replace(chr(13) + chr(10), ' / ')}"]
    lines += [
        "",
        "Character sets: `PaibanSerifSC-Ext.ttf` has every code point of Noto Serif CJK SC "
        "that the main faces' set (above) lacks, except Hangul (U+1100–11FF, U+3130–318F, "
        "U+A960–A97F, U+AC00–D7FF) and ASCII; the Latin faces have what their source maps "
        "in U+00A0–052F, U+1E00–1FFF and U+2000–22FF. Processing as for the main faces "
        "(same subsetter options, CFF → glyf for the CJK face, renamed: no \"Noto\" or "
        "\"Source\" in the names).",
        "",
        "Why one shared extension face, as TrueType in the wheel: the alternatives were "
        "measured (see the closing note of issue 9 and `benchmarks/`). One extension face "
        "per family would multiply the largest file by four for characters that occur a "
        "few times a page; a rare character in a bold headline or a kai caption is printed "
        "in the serif regular design, which the report lists. WOFF2 in the wheel would be "
        "smaller to download but must be expanded in pure Python (fontTools' glyf "
        "reconstruction) before ReportLab can read it, which costs seconds on the first "
        "build; a TrueType file is registered directly and only loaded when a page needs "
        "it.",
        "",
        "Licence: all sources are under the SIL Open Font License 1.1 (see `OFL.txt`). "
        "\"Noto is a trademark of Google LLC\"; the fallback faces are renamed Paiban "
        "Serif SC Ext, Paiban Latin and Paiban Latin Sans.",
        "",
        "Rebuild:",
        "",
        "```sh",
        f"sudo apt-get install {' '.join(PACKAGES)}",
        "python tools/build_fallback_fonts.py",
        "```",
        "",
        f"Built with Python {platform.python_version()} and fontTools {fontTools.version} "
        f"in {seconds:.0f} s. Checksums (sha256):",
        "",
        "```",
        *(f"{r.sha256}  {r.face.filename}" for r in results),
        "```",
        END,
        "",
    ]
    _replace_block(out_dir / "FONTS.md", "\n".join(lines))
    notices = [BEGIN.replace("<!--", "").replace("-->", "").strip(), ""]
    for r in results:
        notices += [f"{r.face.filename} (from {r.source.label}):",
                    r.source.copyright.replace("\r\n", "\n"), ""]
    notices += ["These are licensed under the SIL Open Font License, Version 1.1, as above.",
                END.replace("<!--", "").replace("-->", "").strip(), ""]
    _replace_block(out_dir / "OFL.txt", "\n".join(notices), plain=True)


def _replace_block(path: Path, block: str, plain: bool = False) -> None:
    """Put `block` in place of the previous one (or at the end) of a generated file."""
    begin = BEGIN.replace("<!--", "").replace("-->", "").strip() if plain else BEGIN
    end = END.replace("<!--", "").replace("-->", "").strip() if plain else END
    text = path.read_text(encoding="utf-8")
    if begin in text:
        head, rest = text.split(begin, 1)
        tail = rest.split(end, 1)[1].lstrip("\n")
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text, encoding="utf-8")


def build(out_dir: Path, source_dir: Path) -> list[Result]:
    main = build_charset().codepoints
    results = []
    for face in FACES:
        source = locate_source(face, source_dir)
        wanted = codepoints(face, source, main)
        result = build_one((face, source, wanted, out_dir))
        print(f"{face.filename}: {result.chars} chars, {result.glyphs} glyphs, "
              f"{_fmt_mb(result.size)}, {result.timings['total']:.1f} s", flush=True)
        results.append(result)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "fonts")
    parser.add_argument("--source-dir", type=Path, default=Path("/usr/share/fonts"))
    args = parser.parse_args()
    start = time.perf_counter()
    results = build(args.out, args.source_dir)
    write_docs(results, args.out, time.perf_counter() - start)
    for r in results:
        assert hashlib.sha256((args.out / r.face.filename).read_bytes()).hexdigest() == r.sha256
    return 0


if __name__ == "__main__":
    sys.exit(main())
