"""layout/sfnt.py reads fonts with struct; fontTools, read here, is the reference it must match.

Metrics feed composition (advances, ink of marks for R11/R12, vertical forms for R40s) and
the PDF writer (glyph ids, widths): a difference from what fontTools reads would change
pages, so every shipped font and a synthetic one (cmap format 4 only, a composite glyph)
are compared field by field.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from layout import sfnt, typeface
from layout.render import truetype

FONTS = sorted((Path(__file__).resolve().parent.parent / "fonts").glob("*.ttf"))


def _reference(path: Path) -> dict:
    """What typeface._read returned when it read fonts with fontTools (up to 2026-12)."""
    font = TTFont(str(path), lazy=True)
    upem = font["head"].unitsPerEm
    hmtx = font["hmtx"].metrics
    cmap = font.getBestCmap()
    ink = {}
    glyf = font["glyf"]
    for char in typeface._INK_CHARS:
        name = cmap.get(ord(char))
        if name is None:
            continue
        glyph = glyf[name]
        glyph.recalcBounds(glyf)       # from the outline, not the header sfnt.py reads
        if glyph.numberOfContours:
            ink[char] = (glyph.xMin / upem, glyph.xMax / upem)
    vert = {}
    gsub = font["GSUB"].table if "GSUB" in font else None
    if gsub is not None and gsub.FeatureList:
        indices = {i for record in gsub.FeatureList.FeatureRecord if record.FeatureTag == "vert"
                   for i in record.Feature.LookupListIndex}
        mapping: dict[str, str] = {}
        for index in sorted(indices):
            lookup = gsub.LookupList.Lookup[index]
            for sub in lookup.SubTable:
                if lookup.LookupType == 7:
                    sub = sub.ExtSubTable
                mapping.update(getattr(sub, "mapping", None) or {})
        for cp, glyph_name in cmap.items():
            if glyph_name in mapping:
                vert[chr(cp)] = font.getGlyphID(mapping[glyph_name])
    os2 = font["OS/2"]
    return {
        "version": typeface._CACHE_VERSION,
        "name": font["name"].getDebugName(6) or path.stem,
        "advances": {chr(cp): hmtx[glyph][0] / upem for cp, glyph in cmap.items()},
        "ink": ink,
        "ascent": os2.sTypoAscender / upem,
        "descent": -os2.sTypoDescender / upem,
        "vert": vert,
    }


@pytest.mark.parametrize("path", FONTS, ids=[p.name for p in FONTS])
def test_metrics_match_fonttools(path: Path) -> None:
    found = typeface._read(path)
    expected = _reference(path)
    for key in expected:
        assert found[key] == expected[key], (path.name, key)
    assert found["vert"] or "Latin" in path.name     # the CJK faces do have vertical forms


@pytest.mark.parametrize("path", FONTS, ids=[p.name for p in FONTS])
def test_pdf_font_facts_match_fonttools(path: Path) -> None:
    facts = truetype._parse(path)
    font = TTFont(str(path), lazy=True)
    assert facts["cmap"] == {cp: font.getGlyphID(name) for cp, name in font.getBestCmap().items()}
    order = font.getGlyphOrder()
    hmtx = font["hmtx"].metrics
    assert facts["advances"] == [hmtx[name][0] for name in order]
    assert facts["upem"] == font["head"].unitsPerEm
    assert len(facts["offsets"]) == len(order) + 1


def test_a_synthetic_font_with_cmap_format_4_and_a_composite(tmp_path: Path) -> None:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib.tables._g_l_y_f import GlyphComponent

    def box(x0: int, x1: int):
        pen = TTGlyphPen(None)
        pen.moveTo((x0, 0))
        pen.lineTo((x0, 100))
        pen.lineTo((x1, 100))
        pen.lineTo((x1, 0))
        pen.closePath()
        return pen.glyph()

    order = [".notdef", "comma", "dot", "ellipsis", "A", "space"]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({ord("，"): "comma", ord("·"): "dot", ord("…"): "ellipsis",
                               ord("A"): "A", ord("Z"): "A", 0x20: "space"})
    glyphs = {".notdef": box(50, 450), "comma": box(80, 300), "dot": box(400, 600),
              "A": box(10, 590), "space": TTGlyphPen(None).glyph()}
    ellipsis = box(0, 0)
    ellipsis.numberOfContours = -1
    ellipsis.components = []
    for dx in (0, 333, 666):
        part = GlyphComponent()
        part.glyphName, part.x, part.y, part.flags = "dot", dx - 300, 0, 0
        ellipsis.components.append(part)
    glyphs["ellipsis"] = ellipsis
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (1000 if name != "A" else 600, 0) for name in order})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120)
    builder.setupNameTable({"familyName": "Synth", "styleName": "Regular",
                            "psName": "Synth-Regular"})
    builder.setupPost()
    path = tmp_path / "synth.ttf"
    builder.save(str(path))
    assert "cmap" in TTFont(str(path))
    found = typeface._read(path)
    assert found == _reference(path)
    assert found["ink"]["…"] == (0.1, 0.966)       # a composite's bounds, from its header
    assert found["advances"]["Z"] == 0.6
    data = path.read_bytes()
    assert sfnt.feature_substitutions(data, sfnt.tables(data)) == {}
