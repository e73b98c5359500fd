"""The multi-page sample: stepped boxes, wrap, vertical headline, jump, sections, fit."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from layout.cli import main
from layout.display import GlyphRun, Image
from layout.pipeline import compose_edition

PAGES = ROOT / "editions" / "hucheng-2023-12-29-pages.yaml"


@pytest.fixture(scope="module")
def pages_build():
    return compose_edition(PAGES)


def runs(page, roles=None, article=None):
    return [i for i in page.items if isinstance(i, GlyphRun)
            and (roles is None or i.role in roles) and (article is None or i.article == article)]


def box(run):
    """The run's set extent: from the em box top to its bottom."""
    return run.left, run.y - 0.88 * run.size, run.right, run.y + 0.12 * run.size


def intersects(a, b, tol=0.01):
    return a[0] < b[2] - tol and b[0] < a[2] - tol and a[1] < b[3] - tol and b[1] < a[3] - tol


def test_builds_without_overflow(pages_build):
    assert [p.number for p in pages_build.pages] == [1, 2]
    assert not [d for d in pages_build.diagnostics if d.code == "overflow"]
    assert not pages_build.warnings, [d.format() for d in pages_build.warnings]


def test_body_never_overlaps_photos_captions_or_headlines(pages_build):
    for page in pages_build.pages:
        body = [box(r) for r in runs(page, ("body", "dateline", "runin"))]
        others = [box(r) for r in runs(page, ("headline", "kicker", "subhead", "caption",
                                               "photo_title", "credit", "rubric", "jump"))]
        others += [(i.x, i.y, i.x + i.w, i.y + i.h) for i in page.items if isinstance(i, Image)]
        for b in body:
            for o in others:
                assert not intersects(b, o), (page.number, b, o)


def test_R27_body_lines_on_the_grid_on_every_page(pages_build):
    grid = pages_build.edition.style.grid
    baselines = {round(grid.baseline(k), 6) for k in range(grid.lines)}
    for page in pages_build.pages:
        for run in runs(page, ("body", "dateline", "runin")):
            assert round(run.y, 6) in baselines


def test_R37_jump_lines_carry_the_right_pages(pages_build):
    first, second = pages_build.pages
    assert [r.text for r in runs(first, ("jump",))] == ["（下转第2版）"]
    assert [r.text for r in runs(second, ("jump",))] == ["（上接第1版）"]
    lead = next(a for a in pages_build.edition.articles if a.id == "lead")
    text = "".join(r.text for p in (first, second) for r in runs(p, ("body", "dateline"), "lead"))
    # The two parts together are the whole story, nothing lost at the jump.
    assert text.replace("，", ",").replace("（", "(").replace("）", ")") \
        .replace("；", ";").replace("：", ":") == lead.source_text.replace("\n", "")
    fit = next(f for f in first.articles if f.id == "lead")
    assert fit.pages == (1, 2)
    continuation = len(runs(second, ("body", "dateline"), "lead"))
    assert continuation >= 3, "never a one- or two-line jump"


def test_stepped_box_text_stays_in_its_shape(pages_build):
    grid = pages_build.edition.style.grid
    place = next(a.place for a in pages_build.edition.articles if a.id == "lead")
    for run in runs(pages_build.pages[0], ("body", "dateline"), "lead"):
        column = next(c for c in range(grid.columns)
                      if grid.column_x(c) - 5 <= run.left < grid.column_x(c) + grid.column_width)
        depth = place.column_depth(column - place.column)
        assert run.y < grid.line_top(place.top + depth), (column, run.text)
    short_columns = {c for c in range(place.column + 3, place.end_column)}
    assert any(grid.column_x(c) <= run.left for run in runs(pages_build.pages[0], ("body",),
               "lead") for c in short_columns), "text also runs in the short columns"


def test_vertical_headline_runs_down_one_column(pages_build):
    grid = pages_build.edition.style.grid
    heads = runs(pages_build.pages[0], ("headline",), "yanzhuang")
    assert len(heads) == len("闫庄村“五星工坊”分享集体经济红利")
    x0 = grid.column_x(4)
    assert all(x0 <= r.left and r.right <= x0 + grid.column_width + 0.01 for r in heads)
    ys = [r.y for r in heads]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)
    quote = next(r for r in heads if r.text == "“")
    assert quote.glyphs and quote.glyphs[0] > 0, "marks use the font's vert glyph"


def test_sections_assign_pages(pages_build):
    article = next(a for a in pages_build.edition.articles if a.id == "yanzhuang")
    assert article.place.page == 1


def test_fit_capacity_equals_lines_of_a_full_box(tmp_path):
    """Capacity computed from the grid equals what the flow sets when text overflows."""
    text = PAGES.read_text(encoding="utf-8")
    body = re.search(r"  - id: xuncha\n(?:    .*\n)*?    body: \|\n((?:      .*\n|\n)+?)    place",
                     text).group(1)
    doubled = text.replace(body, body + "\n" + body, 1)
    edition = tmp_path / "e.yaml"
    edition.write_text(doubled.replace("  - id: xuncha\n    fit: auto\n", "  - id: xuncha\n"),
                       encoding="utf-8")
    shutil.copytree(PAGES.parent / "photos", tmp_path / "photos")
    build = compose_edition(edition)
    fit = next(f for p in build.pages for f in p.articles if f.id == "xuncha")
    assert fit.overflow_lines > 0
    assert fit.lines == fit.capacity_lines
    assert fit.capacity_chars == fit.capacity_lines * build.edition.style.grid.column_chars
    kinds = [kind for kind, _ in fit.fixes]
    assert "cut_chars" in kinds and "deepen" in kinds
    assert dict(fit.fixes)["cut_chars"] == fit.overflow_chars


def test_copyfit_absorbs_a_small_overflow_and_says_how(tmp_path):
    text = PAGES.read_text(encoding="utf-8")
    tight = text.replace("place: {column: 4, span: 2, top: 0, depth: 35}",
                         "place: {column: 4, span: 2, top: 0, depth: 32}")
    tight = tight.replace("  - id: zhuanjing\n", "  - id: zhuanjing\n    fit: auto\n")
    edition = tmp_path / "e.yaml"
    edition.write_text(tight, encoding="utf-8")
    shutil.copytree(PAGES.parent / "photos", tmp_path / "photos")
    build = compose_edition(edition)
    fit = next(f for p in build.pages for f in p.articles if f.id == "zhuanjing")
    assert fit.adjustments, "an adjustment was made"
    assert fit.overflow_lines == 0
    assert any(d.code == "copyfit" and d.article == "zhuanjing" for d in build.diagnostics)


def _bad(tmp_path: Path, old: str, new: str) -> str:
    text = PAGES.read_text(encoding="utf-8")
    assert old in text, old
    edition = tmp_path / "e.yaml"
    edition.write_text(text.replace(old, new, 1), encoding="utf-8")
    shutil.copytree(PAGES.parent / "photos", tmp_path / "photos", dirs_exist_ok=True)
    result = CliRunner().invoke(main, ["check", str(edition)])
    assert result.exit_code == 2, result.output
    return result.output


def test_jump_to_a_missing_page(tmp_path):
    out = _bad(tmp_path, "continued: {page: 2,", "continued: {page: 7,")
    assert re.search(r"articles\[lead\]\.continued: page 7 is not in the edition's pages", out)


def test_jump_to_a_box_already_used(tmp_path):
    out = _bad(tmp_path, "continued: {page: 2, column: 1, span: 3, top: 0, depth: 17}",
               "continued: {page: 2, column: 3, span: 3, top: 0, depth: 17}")
    assert re.search(r"articles\[zhuanjing\]\.place: box overlaps the box of article 'lead' "
                     r"\(articles\[lead\]\.continued, line \d+\): column 4", out)


def test_shape_leaving_the_type_area(tmp_path):
    out = _bad(tmp_path, "depths: [37, 37, 37, 12, 12]", "depths: [37, 37, 37, 12, 12, 12]")
    assert "articles[lead].place.depths: expected one depth per column: 5 numbers, got 6" in out
    out = _bad(tmp_path, "top: 49, depth: 20}", "top: 49, depth: 30}")
    assert re.search(r"articles\[jigongwei\]\.place: lines 49–79 leave the grid", out)


def test_vertical_headline_too_long(tmp_path):
    out = _bad(tmp_path, "place: {column: 4, span: 2, top: 24, depth: 45}",
               "place: {column: 4, span: 2, top: 50, depth: 19}")
    assert re.search(r"articles\[yanzhuang\]\.vertical: .*the vertical headline of article "
                     r"'yanzhuang' needs \d+ lines but its column holds \d+", out)


def test_section_without_a_page(tmp_path):
    out = _bad(tmp_path, 'section: "要闻"\n    kicker', 'section: "体育"\n    kicker')
    assert "cannot tell the page from section '体育': no page carries it" in out


def test_photo_outside_its_article(tmp_path):
    out = _bad(tmp_path, "place: {column: 2, span: 2, top: 4, lines: 22}",
               "place: {column: 3, span: 2, top: 4, lines: 22}")
    assert re.search(r"articles\[wenming\]\.photos\[0\]\.place: .*leave the article's 3 "
                     r"columns", out)


def test_vertical_headline_extracts_as_written_and_turns_dashes(tmp_path):
    import pymupdf

    from layout.pipeline import render_edition

    text = PAGES.read_text(encoding="utf-8")
    edition = tmp_path / "e.yaml"
    edition.write_text(text.replace('kicker: "“烦心路”变“暖心路”"',
                                    'kicker: "“烦心路”——“暖心路”"', 1), encoding="utf-8")
    shutil.copytree(PAGES.parent / "photos", tmp_path / "photos")
    build = compose_edition(edition)
    kicker = runs(build.pages[0], ("kicker",), "yanzhuang")
    dashes = [r for r in kicker if r.text == "—"]
    assert len(dashes) == 2 and all(r.rotate == -90 for r in dashes)
    render_edition(build, tmp_path / "out")
    with pymupdf.open(build.page_files[1]) as doc:
        extracted = "".join(doc[0].get_text().split())
    assert "“烦心路”——“暖心路”" in extracted
    assert "闫庄村“五星工坊”分享集体经济红利" in extracted


def test_composition_faults_are_zero_on_every_page(pages_build):
    from layout.compose.quality import FAULTS
    from layout.report import quality

    counts = quality(pages_build)
    assert {name: counts[name] for name in FAULTS} == dict.fromkeys(FAULTS, 0)


def test_never_a_one_or_two_line_jump(tmp_path):
    """Deepen the first box step by step: whenever the story jumps, three or more lines
    go over, and where only one or two would, the first part ends early so three do."""
    text = PAGES.read_text(encoding="utf-8")
    shutil.copytree(PAGES.parent / "photos", tmp_path / "photos")
    jumps = []
    for depth in range(44, 52):
        edition = tmp_path / f"e{depth}.yaml"
        edition.write_text(text.replace(
            "depth: 37, depths: [37, 37, 37, 12, 12]",
            f"depth: {depth}, depths: [{depth}, {depth}, {depth}, 12, 12]").replace(
            "top: 49, depth: 20}", f"top: {12 + depth}, depth: {57 - depth}}}"),
            encoding="utf-8")
        build = compose_edition(edition)
        lines = {(r.x, r.y) for r in runs(build.pages[1], ("body", "dateline"), "lead")}
        jump_marks = runs(build.pages[0], ("jump",))
        if lines:
            assert len(lines) >= 3, (depth, len(lines))
            assert [r.text for r in jump_marks] == ["（下转第2版）"]
        else:
            assert not jump_marks
        jumps.append(len(lines))
    assert 3 in jumps, f"the three-line minimum was exercised: {jumps}"
    assert 0 in jumps, f"a deep enough box needs no jump: {jumps}"


def test_ornamental_frame_follows_the_box(pages_build):
    from layout.display import Rect, Rule

    grid = pages_build.edition.style.grid
    place = next(a.place for a in pages_build.edition.articles if a.id == "jigongwei")
    page = pages_build.pages[0]
    left = grid.column_x(place.column) - grid.gutter / 2
    right = grid.column_x(place.end_column) - grid.gutter / 2
    sides = [i for i in page.items if isinstance(i, Rule) and i.x0 == i.x1 and
             abs(i.x0 - left) < 0.01 or isinstance(i, Rule) and abs(i.x0 - right) < 0.01]
    assert sides, "the frame's sides stand in the gutters beside the box"
    ornaments = [i for i in page.items if isinstance(i, Rect) and i.w < 3 and i.h < 3]
    assert len(ornaments) > 50
    for o in ornaments:
        assert left - 2 <= o.x <= right + 2


def test_rebuild_after_an_edit_changes_only_that_page(tmp_path, monkeypatch):
    import pymupdf

    from layout.pipeline import render_edition

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shutil.copytree(PAGES.parent / "photos", tmp_path / "photos")
    edition = tmp_path / "e.yaml"
    text = PAGES.read_text(encoding="utf-8")
    edition.write_text(text, encoding="utf-8")
    build = compose_edition(edition)
    render_edition(build, tmp_path / "one")
    # An edit to a story on page 2 only: page 1's file is the same, byte for byte.
    edition.write_text(text.replace("累计派驻助企干部116名", "累计派驻助企干部118名"),
                       encoding="utf-8")
    build = compose_edition(edition)
    render_edition(build, tmp_path / "two")
    with pymupdf.open(build.page_files[2]) as doc:
        assert "118名" in "".join(doc[0].get_text().split())
    assert (tmp_path / "one" / "2023-12-29-02.pdf").read_bytes() != \
        (tmp_path / "two" / "2023-12-29-02.pdf").read_bytes()
    assert (tmp_path / "one" / "2023-12-29-01.pdf").read_bytes() == \
        (tmp_path / "two" / "2023-12-29-01.pdf").read_bytes()
