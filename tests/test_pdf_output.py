"""Build the sample edition and read the PDF back with PyMuPDF and pypdf."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pikepdf
import pymupdf as fitz
import pytest
from pypdf import PdfReader

from layout.compose.normalize import normalize
from layout.display import PageLayout
from layout.render.pdf import render_pdf
from layout.units import mm


@pytest.fixture(scope="module")
def page_pdf(sample_pdf):
    return sample_pdf.page_files[5]


def test_page_size_equals_the_trim_size(page_pdf, sample_pdf):
    style = sample_pdf.edition.style
    with fitz.open(page_pdf) as doc:
        rect = doc[0].rect
    assert rect.width == pytest.approx(mm(390), abs=0.01) == pytest.approx(style.page_width)
    assert rect.height == pytest.approx(mm(550), abs=0.01)


def test_R39_every_font_embedded_no_helvetica(page_pdf):
    reader = PdfReader(page_pdf)
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts, "the page uses fonts"
    for name, ref in fonts.items():
        font = ref.get_object()
        assert "Helvetica" not in str(font["/BaseFont"]), name
        # A composite font (Type 0) is described by its descendant CIDFont.
        described = font["/DescendantFonts"][0].get_object() \
            if font["/Subtype"] == "/Type0" else font
        descriptor = described["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} {font['/BaseFont']} is not embedded"
        assert "/ToUnicode" in font


def test_edition_pdf_has_every_page(sample_pdf):
    with fitz.open(sample_pdf.edition_file) as doc:
        assert doc.page_count == len(sample_pdf.edition.pages)


def _article_text(page: fitz.Page, build, article) -> str:
    """Body characters of one article from the PDF, in column reading order."""
    grid = build.edition.style.grid
    place = article.place
    # A wrapped line may start with an opening mark whose blank half hangs left (R14).
    x0 = grid.column_x(place.column) - grid.body_size / 2 - 0.01
    x1 = grid.column_x(place.end_column - 1) + grid.column_width + 1
    y0, y1 = grid.line_top(place.top), grid.line_top(place.bottom)
    body_size = build.edition.style.roles["body"].size
    chars = defaultdict(list)
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                if abs(span["size"] - body_size) > 0.01:
                    continue
                for ch in span["chars"]:
                    x, y = ch["origin"]
                    if x0 <= x <= x1 and y0 <= y <= y1:
                        column = int((x - grid.left + grid.gutter / 2) //
                                     (grid.column_width + grid.gutter))
                        chars[(column, round(y, 1))].append((x, ch["c"]))
    # Readers insert spaces where they see a gap (the ¼-em Han–digit space);
    # the content stream has none, so they are dropped here.
    # Within a line, keep the content stream's order: a squeezed opening quote may share
    # its origin with the mark before it (its ink is in the right half of its em).
    return "".join(c for key in sorted(chars) for _, c in chars[key] if not c.isspace())


def test_extracted_text_of_each_article_equals_its_source(page_pdf, sample_pdf):
    with fitz.open(page_pdf) as doc:
        page = doc[0]
        for article in sample_pdf.edition.articles:
            if not article.body:
                continue
            expected = normalize(article.source_text.replace("\n", ""))[0]
            assert _article_text(page, sample_pdf, article) == expected, article.id


def test_headlines_extract_as_written(page_pdf, sample_pdf):
    grid = sample_pdf.edition.style.grid
    with fitz.open(page_pdf) as doc:
        for article in sample_pdf.edition.articles:
            if not article.headline:
                continue
            place = article.place
            clip = fitz.Rect(grid.column_x(place.column), grid.line_top(place.top),
                             grid.column_x(place.end_column - 1) + grid.column_width,
                             grid.line_top(place.top + 12))
            text = "".join(doc[0].get_text(clip=clip).split()).replace("\u3000", "")
            headline = normalize(article.headline.replace("|", ""), display=True)[0]
            headline = headline.replace("\u3000", "")
            assert headline in text, (article.id, text)


def test_non_bmp_characters_extract_correctly(tmp_path, sample_pdf):
    """ReportLab's ToUnicode truncates code points above U+FFFF; ours writes surrogates."""
    from layout.display import GlyphRun

    face_path = sample_pdf.edition.style.fonts["song"]
    from layout.typeface import load_face

    face = load_face(face_path)
    rare = [ch for ch in face.advances if ord(ch) > 0xFFFF][:3]
    assert rare, "the body font carries characters of the 通用规范汉字表 outside the BMP"
    text = "汉字" + "".join(rare) + "测试"
    run = GlyphRun("song", 12, 50, 100, text, 50, 50 + 12 * len(text))
    page = PageLayout(1, "t", 300, 200, (0, 0, 300, 200), {"song": face_path}, (run,))
    target = tmp_path / "rare.pdf"
    render_pdf([page], target)
    with fitz.open(target) as doc:
        assert doc[0].get_text().strip() == text


def test_character_spacing_outlives_a_text_object(tmp_path, sample_pdf):
    """A stretched line (character spacing) ending a text object, then a rule, then a line
    set solid: the solid line is drawn at its glyphs' advances. Tc outlives ET in PDF; the
    writer once forgot it there, and the next column was drawn 20 % wider than set."""
    from layout.display import GlyphRun, Rule

    face_path = sample_pdf.edition.style.fonts["song"]
    text = "中文排版测试文字"
    stretched = GlyphRun("song", 9, 50, 40, text, 50, 50 + 10.8 * len(text), tracking=1.8)
    solid = GlyphRun("song", 9, 50, 80, text, 50, 50 + 9 * len(text))
    page = PageLayout(1, "t", 300, 200, (0, 0, 300, 200), {"song": face_path},
                      (stretched, Rule(50, 60, 200, 60, 0.5), solid))
    target = tmp_path / "spacing.pdf"
    render_pdf([page], target)
    with fitz.open(target) as doc:
        lines = [line for block in doc[0].get_text("rawdict")["blocks"]
                 for line in block.get("lines", ())]
    origins = {round(line["bbox"][1]): [c["origin"][0] for span in line["spans"]
                                        for c in span["chars"]] for line in lines}
    (top, wide), (_, narrow) = sorted(origins.items())
    assert [round(b - a, 2) for a, b in zip(wide, wide[1:])] == [10.8] * (len(text) - 1)
    assert [round(b - a, 2) for a, b in zip(narrow, narrow[1:])] == [9.0] * (len(text) - 1)


# ----------------------------------------------------------------------------- fonts per file

PAGES = Path(__file__).resolve().parent.parent / "editions" / "hucheng-2023-12-29-pages.yaml"


@pytest.fixture(scope="module")
def two_pages(tmp_path_factory):
    from layout.pipeline import compose_edition, render_edition

    build = compose_edition(PAGES)
    render_edition(build, tmp_path_factory.mktemp("pages"))
    return build


def _fonts(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Font name without its tag → the font programs (object ids) the file embeds for it,
    and the file's tags, read back with pikepdf."""
    found: dict[str, set] = defaultdict(set)
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                found[str(font.BaseFont)[1:]].add(descriptor.FontFile2.objgen)
    return found


def test_edition_embeds_each_font_once_for_all_its_pages(two_pages):
    fonts = _fonts(two_pages.edition_file)
    names = [name.split("+", 1)[1] for name in fonts]
    assert len(names) == len(set(names)), f"a font is embedded twice: {sorted(fonts)}"
    assert all(len(programs) == 1 for programs in fonts.values())
    # Each page's own file carries what it uses: the same fonts, in its own subsets.
    for number, path in two_pages.page_files.items():
        own = _fonts(path)
        assert own, number
        assert {n.split("+", 1)[1] for n in own} <= set(names)


def test_subset_tags_are_unique_in_a_file_and_follow_the_glyphs(two_pages):
    tags_by_file = []
    for path in [*two_pages.page_files.values(), two_pages.edition_file]:
        tags = [name.split("+", 1)[0] for name in _fonts(path)]
        assert len(tags) == len(set(tags)), (path.name, tags)
        assert all(re.fullmatch("[A-Z]{6}", tag) for tag in tags)
        tags_by_file.append(set(_fonts(path)))
    # A page uses fewer glyphs of the body font than the edition: another subset, another tag.
    page_one, page_two, edition = tags_by_file
    assert not (page_one & page_two) and not (page_one & edition)


def test_pages_are_drawn_once_for_both_outputs(two_pages):
    """The edition's page content is the page file's content, byte for byte."""
    for index, path in enumerate(two_pages.page_files.values()):
        with pikepdf.open(path) as own, pikepdf.open(two_pages.edition_file) as edition:
            assert own.pages[0].Contents.read_raw_bytes() == \
                edition.pages[index].Contents.read_raw_bytes()


def test_two_processes_write_the_same_files_as_one(two_pages, tmp_path):
    """A child draws half of the pages of a long edition; the files must not show it
    (the vertical headline's glyphs take CIDs of their own, assigned before the fork)."""
    from layout.pipeline import edition_file_name, page_file_name
    from layout.render.pdf import render_edition

    edition = two_pages.edition
    for processes in (1, 2):
        out = tmp_path / str(processes)
        files = [(out / page_file_name(edition, page.number), f"p{page.number}")
                 for page in two_pages.pages]
        render_edition(two_pages.pages, files, (out / edition_file_name(edition), "e"),
                       processes=processes)
    for name in sorted(p.name for p in (tmp_path / "1").iterdir()):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_a_failing_child_leaves_the_error_to_the_parent(two_pages, tmp_path):
    """The child cannot draw its page (a photo that is not a JPEG): the parent draws it
    itself and reports the error, and no half-written edition is left."""
    import dataclasses

    from layout.display import Image as PlacedImage
    from layout.render.pdf import render_edition

    bad = tmp_path / "not-a-photo.jpg"
    bad.write_bytes(b"GIF89a")
    first, second = two_pages.pages
    second = dataclasses.replace(second, items=(*second.items,
                                                PlacedImage(bad, 10, 10, 50, 50)))
    out = tmp_path / "out"
    files = [(out / "a.pdf", "a"), (out / "b.pdf", "b")]
    with pytest.raises(ValueError, match="not-a-photo"):
        render_edition([first, second], files, (out / "e.pdf", "e"), processes=2)
    assert not (out / "e.pdf").exists()
    assert not list(out.glob(".*.tmp"))
