"""The sample edition's display list: geometry, grid, text order, composition rules."""

from __future__ import annotations

from collections import defaultdict

import pytest

from layout.compose.classes import NOT_AT_END_GB, NOT_AT_START_GB, classify
from layout.compose.normalize import normalize
from layout.display import GlyphRun

TOL = 0.01


def body_runs(build):
    page = build.pages[0]
    return [item for item in page.items if isinstance(item, GlyphRun) and item.role in
            ("body", "dateline", "runin")]


def body_lines(build):
    """Body lines per article in reading order: (column, baseline) → text."""
    page = build.pages[0]
    lines = defaultdict(lambda: defaultdict(list))
    for run in body_runs(build):
        column = next(i for i, (x0, x1) in enumerate(page.columns)
                      if x0 - 5 <= run.left <= x1)
        lines[run.article][(column, round(run.y, 3))].append(run)
    return {article: [sorted(runs, key=lambda r: r.x) for _, runs in sorted(by_line.items())]
            for article, by_line in lines.items()}


def test_every_glyph_inside_its_column(sample_build):
    page = sample_build.pages[0]
    for run in body_runs(sample_build):
        inside = [(x0, x1) for x0, x1 in page.columns
                  if x0 - TOL <= run.left and run.right <= x1 + TOL]
        assert inside, f"{run.article}: {run.text!r} at {run.left:.2f}–{run.right:.2f}"


def test_R27_body_lines_on_the_page_grid(sample_build):
    grid = sample_build.edition.style.grid
    baselines = {round(grid.baseline(k), 6) for k in range(grid.lines)}
    for run in body_runs(sample_build):
        assert round(run.y, 6) in baselines, (run.article, run.text, run.y)


def test_text_of_each_article_in_order(sample_build):
    lines = body_lines(sample_build)
    for article in sample_build.edition.articles:
        if not article.body:
            continue
        expected = normalize(article.source_text.replace("\n", ""))[0]
        got = "".join(run.text for line in lines[article.id] for run in line)
        assert got == expected, article.id


def test_R4_R5_no_forbidden_line_start_or_end(sample_build):
    for article, lines in body_lines(sample_build).items():
        for line in lines:
            text = "".join(run.text for run in line)
            assert classify(text[0]) not in NOT_AT_START_GB, (article, text)
            assert classify(text[-1]) not in NOT_AT_END_GB, (article, text)


def test_R16_full_lines_reach_the_column_edge(sample_build):
    """Every line ends on its column's edge except the last line of a paragraph."""
    page = sample_build.pages[0]
    edges = [x1 for _, x1 in page.columns]
    for article in sample_build.edition.articles:
        paragraphs = [normalize(p)[0] for p in article.source_text.split("\n")] \
            if article.body else []
        ends, total = set(), 0
        for paragraph in paragraphs:
            total += len(paragraph)
            ends.add(total)
        offset = 0
        for line in body_lines(sample_build).get(article.id, []):
            text = "".join(run.text for run in line)
            offset += len(text)
            right = max(run.right for run in line)
            on_edge = min(abs(right - e) for e in edges) <= TOL
            assert on_edge or offset in ends, (article.id, text, right)


def test_sample_fits_without_overflow_or_missing_glyphs(sample_build):
    codes = [d.code for d in sample_build.diagnostics]
    assert "overflow" not in codes
    assert "missing-glyph" not in codes
    for fit in sample_build.pages[0].articles:
        assert fit.overflow_lines == 0 and fit.overflow_chars == 0


def test_sample_fills_its_boxes(sample_build):
    """No large holes: no story leaves more than two lines per column empty."""
    for fit in sample_build.pages[0].articles:
        if fit.capacity_lines:
            assert fit.capacity_lines - fit.lines <= 2 * fit.columns, fit


def test_R38_running_head_carries_date_folio_and_page_name(sample_build):
    page = sample_build.pages[0]
    head = "".join(item.text for item in page.items
                   if isinstance(item, GlyphRun) and item.role in
                   ("running_head", "folio", "page_name"))
    assert "2023年12月29日" in head and "星期五" in head
    assert "第5版" in head and "示范区新闻" in head and "湖城日报" in head


@pytest.mark.parametrize("role", ["headline", "kicker", "subhead"])
def test_R31_headline_stack_order(sample_build, role):
    page = sample_build.pages[0]
    order = {"kicker": 0, "headline": 1, "subhead": 2}
    by_article = defaultdict(list)
    for item in page.items:
        if isinstance(item, GlyphRun) and item.role in order:
            by_article[item.article].append(item)
    for runs in by_article.values():
        ys = sorted(runs, key=lambda r: r.y)
        ranks = [order[r.role] for r in ys]
        assert ranks == sorted(ranks)


def test_composition_quality_faults_are_zero(sample_build):
    from layout.compose.quality import FAULTS
    from layout.report import quality

    counts = quality(sample_build)
    assert counts["lines"] > 400 and counts["paragraphs"] == 40
    assert counts["adjacent_pairs"] > 0
    assert {name: counts[name] for name in FAULTS} == dict.fromkeys(FAULTS, 0)


def test_R2_normalisation_is_reported_with_positions(sample_build):
    fits = {fit.id: fit for fit in sample_build.pages[0].articles}
    changes = fits["lead"].normalized
    assert changes, "the seed's ASCII commas are reported"
    lead = next(a for a in sample_build.edition.articles if a.id == "lead")
    for paragraph, index, old, new in changes:
        assert lead.body[paragraph].text[index] == old
        assert new in "，（）；：？！"


def test_R25_columns_of_a_story_are_level(sample_build):
    """Columns differ by at most one line; the last is never longer than the first."""
    for article, lines in body_lines(sample_build).items():
        per_column: dict[int, int] = defaultdict(int)
        page = sample_build.pages[0]
        for line in lines:
            column = next(i for i, (x0, x1) in enumerate(page.columns)
                          if x0 - 5 <= line[0].left <= x1)
            per_column[column] += 1
        counts = [per_column[c] for c in sorted(per_column)]
        if len(counts) > 1:
            assert max(counts) - min(counts) <= 1, (article, counts)
            assert counts[-1] <= counts[0], (article, counts)
