"""A synthetic TrueType font built at test time, so composer tests are exact.

Every Han glyph is exactly 1 em (1000 units) with ink from 50 to 950. Full-width
marks are 1000 wide with their ink in the half the reference says (§3.2):
closing, pause and stop marks on the left (100–400), opening marks on the right
(600–900). Digits, Latin letters (a few accented ones too) and code separators
are 500 wide, the space 250, the interpunct and solidus 500, the em dash 1000
with ink edge to edge.
"""

from __future__ import annotations

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

UPEM = 1000
HAN = ("一二三四五六七八九十百千万亿天地人和日月山水火木金土"
       "本报讯记者会议城市新闻科技创造发展国家中华民族文明区")
LEFT_INK = "，、；：。．？！”’）〕］｝》〉」』】〗"
RIGHT_INK = "“‘（〔［｛《〈「『【〖"
WESTERN = ("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.%,:"
           "/-_@=&?#~éñøłşΩµ±×℃")
# Characters the font lacks on purpose: they must come from a fallback face (R49).
FALLBACK_ONLY = "峯嫑㐂𡈼鍾鐘"


def _box(x0: int, x1: int, y0: int = 0, y1: int = 700):
    pen = TTGlyphPen(None)
    pen.moveTo((x0, y0))
    pen.lineTo((x0, y1))
    pen.lineTo((x1, y1))
    pen.lineTo((x1, y0))
    pen.closePath()
    return pen.glyph()


def build_font(path: Path, fallback: bool = False) -> Path:
    """The test font; with `fallback`, a second face holding only FALLBACK_ONLY (1 em each)."""
    glyphs = {".notdef": (_box(50, 450), 500), "space": (TTGlyphPen(None).glyph(), 250)}
    cmap = {32: "space"}

    def add(char: str, glyph, width: int) -> None:
        name = f"uni{ord(char):04X}"
        glyphs[name] = (glyph, width)
        cmap[ord(char)] = name

    if fallback:
        for ch in FALLBACK_ONLY:
            add(ch, _box(50, 950, -80, 800), 1000)
        return _save(path, glyphs, cmap, "Paiban Test Fallback")
    for ch in HAN:
        add(ch, _box(50, 950, -80, 800), 1000)
    for ch in LEFT_INK:
        add(ch, _box(100, 400, -50, 200), 1000)
    for ch in RIGHT_INK:
        add(ch, _box(600, 900, 400, 700), 1000)
    for ch in WESTERN:
        add(ch, _box(50, 450), 500)
    add("·", _box(200, 300, 300, 400), 500)
    add("／", _box(100, 400), 500)
    add("—", _box(0, 1000, 300, 360), 1000)
    add("…", _box(100, 900, 0, 100), 1000)
    add("\u3000", TTGlyphPen(None).glyph(), 1000)
    return _save(path, glyphs, cmap, "Paiban Test")


def _save(path: Path, glyphs: dict, cmap: dict, family: str) -> Path:
    order = list(glyphs)
    builder = FontBuilder(UPEM, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(cmap)
    builder.setupGlyf({name: glyphs[name][0] for name in order})
    builder.setupHorizontalMetrics({name: (glyphs[name][1], 0) for name in order})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.save(str(path))
    return path
