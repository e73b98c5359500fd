"""The SVG renderer draws every glyph where the PDF draws it (the preview is the page)."""

from __future__ import annotations

import io
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT

from layout.display import GlyphRun, Image
from layout.pipeline import compose_edition, render_edition
from layout.render.svg import drawn_text, render_page, rgb
from layout.render.webfont import face_data, subset_woff2

EDITIONS = sorted((ROOT / "editions").glob("*.yaml"))
SVG = "{http://www.w3.org/2000/svg}"
TOLERANCE = 0.01     # pt


def svg_glyphs(data: bytes) -> list[tuple[str, float, float]]:
    """(character drawn, x, y) of every glyph in the SVG, in document order."""
    glyphs = []
    for text in ET.fromstring(data).iter(SVG + "text"):
        y = float(text.get("y"))
        if text.get("x") is not None:
            xs = [float(v) for v in text.get("x").split()]
            assert len(xs) == len(text.text), text.text
            glyphs.extend(zip(text.text, xs, [y] * len(xs)))
        else:
            glyphs.extend((span.text, float(span.get("x")), y) for span in text)
    return glyphs


def pdf_glyphs(path: Path) -> list[tuple[str, float, float]]:
    """(character, x, y) of every glyph the PDF draws, read back with PyMuPDF (tests only)."""
    pymupdf = pytest.importorskip("pymupdf")
    with pymupdf.open(path) as doc:
        return [(chr(char[0]), char[2][0], char[2][1])
                for span in doc[0].get_texttrace() for char in span["chars"]]


@pytest.fixture(scope="module", params=EDITIONS, ids=lambda p: p.stem)
def built(request, tmp_path_factory):
    build = compose_edition(request.param)
    out = tmp_path_factory.mktemp("pdf")
    render_edition(build, out)
    return build


def test_every_glyph_of_the_svg_is_where_the_pdf_draws_it(built):
    for page in built.pages:
        runs = [item for item in page.items if isinstance(item, GlyphRun)]
        svg = svg_glyphs(render_page(page))
        pdf = pdf_glyphs(built.page_files[page.number])
        assert len(svg) == len(pdf) == sum(len(run.text) for run in runs)
        # The PDF extracts the characters as written; the SVG draws vertical forms
        # through their own codes. Both follow the display list, glyph for glyph.
        faces = {key: face_data(path) for key, path in page.fonts.items()}
        assert "".join(ch for ch, _, _ in pdf) == "".join(run.text for run in runs)
        assert "".join(ch for ch, _, _ in svg) == "".join(drawn_text(run, faces[run.font])
                                                         for run in runs)
        worst = max(max(abs(a[1] - b[1]), abs(a[2] - b[2])) for a, b in zip(svg, pdf))
        assert worst <= TOLERANCE, f"page {page.number}: a glyph is {worst:.4f} pt off"


def test_vertical_headline_glyphs_are_drawn_with_their_vertical_forms():
    build = compose_edition(ROOT / "editions" / "hucheng-2023-12-29-pages.yaml")
    vertical = [run for page in build.pages for run in page.items
                if isinstance(run, GlyphRun) and run.glyphs]
    assert vertical, "the pages edition sets a vertical headline"
    run = vertical[0]
    face = face_data(build.pages[0].fonts[run.font])
    code = drawn_text(run, face)
    assert code != run.text
    # The page's web font maps that code to exactly the glyph the display list names.
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(subset_woff2(face.path, "", run.glyphs)))
    assert font.getBestCmap()[ord(code)] == face.names[run.glyphs[0]]
    assert "GSUB" not in font and "GPOS" not in font   # the browser may not reshape


def test_turned_glyphs_keep_the_pdf_rotation():
    build = compose_edition(ROOT / "editions" / "hucheng-2023-12-29-pages.yaml")
    for page in build.pages:
        turned = [run for run in page.items if isinstance(run, GlyphRun) and run.rotate]
        texts = [t for t in ET.fromstring(render_page(page)).iter(SVG + "text")
                 if t.get("transform")]
        assert len(texts) == len(turned)
        for run, text in zip(turned, texts):
            assert text.get("transform") == f"rotate({-run.rotate!r} {run.x!r} {run.y!r})"


def test_svg_is_self_contained_with_subset_fonts_and_rgb_photos(sample_build):
    page = sample_build.pages[0]
    root = ET.fromstring(render_page(page))
    style = root.find(SVG + "style").text
    assert style.count("data:font/woff2;base64,") == len({run.font for run in page.items
                                                          if isinstance(run, GlyphRun)})
    images = root.findall(SVG + "image")
    photos = [item for item in page.items if isinstance(item, Image)]
    assert len(images) == len(photos) >= 1
    # The editor's photo (RGB), not the CMYK press file, and cropped like the PDF (cover).
    source = photos[0].source.read_bytes()
    import base64

    assert base64.b64decode(images[0].get("href").split(",", 1)[1]) == source
    assert images[0].get("preserveAspectRatio") == "xMidYMid slice"


def test_cmyk_to_screen_colour():
    assert rgb((0, 0, 0, 1)) == "#000000"
    assert rgb((0, 0, 0, 0)) == "#ffffff"
    assert rgb((0, 1, 0, 0)) == "#ff00ff"


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda p: p.stem)
def test_build_svg_writes_a_preview_per_page(tmp_path, edition):
    result = subprocess.run([sys.executable, "-m", "layout", "build", str(edition), "-o",
                             str(tmp_path), "--svg"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    svgs = sorted(tmp_path.glob("*.svg"))
    pdfs = sorted(p for p in tmp_path.glob("*-??-??-??.pdf"))
    assert [p.stem for p in svgs] == [p.stem for p in pdfs]
    for path in svgs:
        root = ET.parse(path).getroot()
        assert root.tag == SVG + "svg" and len(root.findall(SVG + "text")) > 50
        assert f"preview {int(path.stem.rsplit('-', 1)[1])}: {path}" in result.stdout


def test_web_font_subsets_are_the_same_bytes_on_every_run():
    """fontTools stamps a saved font with the time unless told not to; a preview built twice
    must not differ, so the subset keeps the source face's own `head.modified`."""
    from fontTools.ttLib import TTFont

    path = ROOT / "fonts" / "PaibanSerifSC-Regular.ttf"
    subset = TTFont(io.BytesIO(subset_woff2(path, "中文排版测试")))
    assert subset["head"].modified == TTFont(str(path))["head"].modified
