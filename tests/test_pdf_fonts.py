"""The fonts the PDF writer embeds: CIDs map to the right glyphs and read back as the text.

The writer builds a file's CIDToGIDMap and /W from per-build glyph tables and writes one
identity ToUnicode CMap (plus entries for the CIDs of vertical forms and characters
beyond the BMP), shared by the fonts of a file: these tests read them back with pikepdf
and PyMuPDF and compare with the font files themselves (layout/sfnt.py, fontTools).
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pymupdf as fitz
from fontTools.ttLib import TTFont

from layout.display import GlyphRun, PageLayout
from layout.render.pdf import render_pdf

FONTS = Path(__file__).resolve().parent.parent / "fonts"
SERIF = FONTS / "PaibanSerifSC-Regular.ttf"
SANS = FONTS / "PaibanSansSC-Bold.ttf"
LATIN = FONTS / "PaibanLatin-Regular.ttf"


def _page(runs: tuple[GlyphRun, ...]) -> PageLayout:
    return PageLayout(1, "t", 400, 300, (0, 0, 400, 300),
                      {"song": SERIF, "hei": SANS, "latin": LATIN}, runs)


_OPEN: list[pikepdf.Pdf] = []     # the objects read live as long as their file is open


def _fonts(path: Path) -> dict[str, pikepdf.Dictionary]:
    pdf = pikepdf.open(path)
    _OPEN.append(pdf)
    found = {}
    for font in pdf.pages[0].Resources.Font.values():
        found[str(font.BaseFont).split("+", 1)[1]] = font
    return found


def test_cids_map_to_the_fonts_glyphs_and_widths(tmp_path: Path) -> None:
    text = "报纸排版，「测试」ABC 123。"
    latin = "ΕλλάδαРоссия"
    runs = (GlyphRun("song", 12, 20, 40, text, 20, 260),
            GlyphRun("hei", 16, 20, 80, text, 20, 340),
            GlyphRun("latin", 10, 20, 120, latin, 20, 120))
    target = tmp_path / "fonts.pdf"
    render_pdf([_page(runs)], target)
    with fitz.open(target) as doc:
        lines = [line for line in doc[0].get_text().splitlines() if line.strip()]
    assert lines == [text, text, latin]
    for name, path, chars in (("PaibanSerifSC-Regular", SERIF, text),
                              ("PaibanSansSC-Bold", SANS, text),
                              ("PaibanLatin-Regular", LATIN, latin)):
        font = _fonts(target)[name]
        cid_font = font.DescendantFonts[0]
        table = cid_font.CIDToGIDMap.read_bytes()
        reference = TTFont(str(path), lazy=True)
        cmap = reference.getBestCmap()
        upem = reference["head"].unitsPerEm
        hmtx = reference["hmtx"].metrics
        widths = {}
        w = list(cid_font.W)
        while w:
            first, values = int(w.pop(0)), w.pop(0)
            widths.update((first + i, float(v)) for i, v in enumerate(values))
        for ch in set(chars):
            cid = ord(ch)
            gid = int.from_bytes(table[2 * cid:2 * cid + 2], "big")
            assert gid == reference.getGlyphID(cmap[cid]), (name, ch)
            advance = hmtx[cmap[cid]][0] * 1000 / upem
            assert widths.get(cid, 1000.0) == round(advance, 3), (name, ch)
        unused = [cid for cid in range(len(table) // 2) if chr(cid) not in chars]
        assert not any(table[2 * cid:2 * cid + 2] != b"\0\0" for cid in unused), \
            f"{name}: CIDs the file does not use map to glyphs"


def test_one_identity_tounicode_is_shared_and_vertical_forms_get_their_own(tmp_path) -> None:
    from layout.typeface import load_face

    face = load_face(SERIF)
    vertical = "".join(ch for ch in "（《「，。》）" if ch in face.vert)
    assert vertical, "the serif face has vertical forms of the brackets"
    runs = (GlyphRun("hei", 12, 20, 40, "标题文字", 20, 70),
            GlyphRun("latin", 12, 20, 60, "Ελλάδα", 20, 80),
            GlyphRun("song", 12, 300, 20, "竖" + vertical + "排", 0, 0,
                     glyphs=(0, *(face.vert[ch] for ch in vertical), 0)))
    target = tmp_path / "vertical.pdf"
    render_pdf([_page(runs)], target)
    fonts = _fonts(target)
    hei, latin, song = (fonts[n] for n in ("PaibanSansSC-Bold", "PaibanLatin-Regular",
                                           "PaibanSerifSC-Regular"))
    assert hei.ToUnicode.objgen == latin.ToUnicode.objgen      # one identity CMap object
    assert song.ToUnicode.objgen != hei.ToUnicode.objgen
    cmap = song.ToUnicode.read_bytes().decode()
    assert "<4E00> <4EFF> <4E00>" in cmap and "<D800>" in cmap
    with fitz.open(target) as doc:
        text = "".join(doc[0].get_text().split())
    assert "竖" + vertical + "排" in text


def test_numbers_are_written_as_round_to_three_decimals() -> None:
    """`num` formats once instead of rounding and comparing; it must write what
    `round(value, 3)` reads as (integers without a point, no trailing zeros, no -0)."""
    import random

    from layout.render.pdfwriter import num

    def reference(value: float) -> str:
        value = round(value, 3)
        return str(int(value)) if value == int(value) else repr(value)

    rng = random.Random(11)
    values = [rng.uniform(-2000, 2000) for _ in range(20000)]
    values += [rng.randint(-400, 400) / 8 for _ in range(2000)]
    values += [0.0, -0.0, -0.0004, 0.0004, 0.0005, -0.0005, 1e-12, 2.675, 1.0005, 99999.9996,
               -1000.0 / 9.5 * 4.75, 1 / 3, -2 / 3, 14400.0]
    assert [num(v) for v in values] == [reference(v) for v in values]
