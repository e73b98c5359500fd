"""Editions of kinds a newsroom sends that no shipped sample covers (issue 8, second "unseen"
round): a sports page of briefs and scores, a commentary page, a photo page, notices, copy
heavy with numbers and codes. Each test keeps one failure found running every command on
them and looking at the pages."""
from __future__ import annotations

from test_makeup import _copy, _edition
from test_makeup_photos import PHOTO

from layout.display import GlyphRun
from layout.pipeline import compose_edition

BODY = ("body", "dateline", "runin")


def _columns_of_body(build, article: str) -> dict[int, list[float]]:
    """Baselines of the body lines of `article`, by 0-based page column."""
    grid = build.edition.style.grid
    out: dict[int, list[float]] = {}
    for page in build.pages:
        for run in page.items:
            if isinstance(run, GlyphRun) and run.article == article and run.role in BODY:
                column = round((run.x - grid.left) / (grid.column_width + grid.gutter) - 0.49)
                out.setdefault(column, []).append(run.y)
    return {k: sorted(set(v)) for k, v in out.items()}


def test_a_short_story_beside_its_photo_is_levelled_not_run_down_one_column(tmp_path):
    """A 4-column box with its photo at the top right and less text than the box holds (the
    sports lead on a page of briefs). The text filled column 1 to the foot and left column 2
    beside the picture empty; now the columns beside and under the photo end level."""
    photo = [{"file": str(PHOTO), "caption": "比赛中。", "place":
              {"column": 3, "span": 2, "top": 0, "lines": 12}}]
    story = {"id": "cba", "section": "测试", "headline": "烈火主场力克飞鲨", "body":
             _copy(300, 1), "photos": photo,
             "place": {"page": 3, "column": 1, "span": 4, "top": 0, "depth": 40}}
    build = compose_edition(_edition(tmp_path, [story]))
    columns = _columns_of_body(build, "cba")
    assert set(columns) >= {0, 1}, columns      # the text reaches the column beside the photo
    assert len(columns[0]) - len(columns[1]) in (0, 1)
    assert abs(columns[0][-1] - columns[1][-1]) <= build.edition.style.grid.pitch + 0.01


def test_a_score_with_the_ratio_sign_is_never_broken():
    """Scores and ratios are written with the ratio sign ∶ (U+2236: 3∶1, 98∶91). It was
    taken for a Han character, so a line could end "…半场结束时以51" and the next start
    "∶43领先". Now the sign binds the numbers into one unit, like 15:36."""
    from conftest import ROOT

    from layout.compose.paragraph import Settings, Span, compose
    from layout.typeface import load_face

    face = load_face(ROOT / "fonts" / "PaibanSerifSC-Regular.ttf")
    text = ("第二节烈火队凭借一波11∶0的攻击波确立领先优势，半场结束时以51∶43领先。"
            "湖城女排以3∶1（25∶21、23∶25、25∶19、25∶17）战胜北方队。")
    scores = ("11∶0", "51∶43", "3∶1", "25∶21", "23∶25", "25∶19", "25∶17")
    for chars in range(8, 20):
        lines = compose([Span(text, "t", face)], [chars * 9.0], Settings(size=9.0))
        joined = ["".join(p.text for p in line.pieces) for line in lines]
        assert not any(t.startswith("∶") or t.endswith("∶") for t in joined), joined
        for score in scores:
            assert any(score in t for t in joined), (chars, score, joined)


def test_short_stories_on_a_wide_empty_page_are_set_across_its_top(tmp_path):
    """Three short stories on a broadsheet page (a section page on a thin news day): P5
    keeps each at most 3, 2 and 1 columns wide, so no layout spans the page's 8 columns and
    the deal left every story out — then the fallback set the first one alone in the whole
    page (8 columns × 102 lines for 23 lines of text) and reported the other two as 超版,
    "no room", on an empty page. Now they are set side by side in the page's left part and
    the rest is reported as 缺版."""
    from test_makeup import _story

    stories = [_story(1, 280, priority=1), _story(2, 160, priority=2),
               _story(3, 140, priority=3)]
    build = compose_edition(_edition(tmp_path, stories))
    assert not build.makeup.not_set
    assert not [d for d in build.diagnostics if d.code == "overfull"]
    places = {a.id: a.place for a in build.edition.articles}
    assert all(p is not None and p.engine for p in places.values())
    assert all(p.depth < 40 for p in places.values()), places   # no story fills the page
    assert any(d.code == "underfull" for d in build.diagnostics)


def test_stories_left_out_are_dealt_to_the_holes_the_page_left_empty(tmp_path):
    """A special-topic page: a feature as wide as the page (min_span 8) and three narrower
    stories after it (max_span 1; exactly 3 columns; free). A rectangle takes one run of
    stories across its width, so the page's one rectangle took the feature at the top and
    left the other three off the page, with 69 lines empty under the feature. Now the
    stories left out are dealt to the empty rectangles."""
    from test_makeup import _story

    stories = [_story(1, 900, priority=1, min_span=8), _story(2, 550, priority=2, max_span=1),
               _story(3, 400, priority=3, min_span=3, max_span=3), _story(4, 270, priority=4)]
    build = compose_edition(_edition(tmp_path, stories))
    assert not build.makeup.not_set, build.makeup.not_set
    places = {a.id: a.place for a in build.edition.articles}
    assert places["s1"].span == 8 and places["s2"].span == 1 and places["s3"].span == 3
    assert not [d for d in build.diagnostics if d.code == "overfull" and "no room" in d.message]
    boxes = list(places.values())
    assert not any(a.overlaps(b) for k, a in enumerate(boxes) for b in boxes[k + 1:])


def test_a_missing_photo_of_an_engine_placed_story_is_bad_input(tmp_path):
    """A photo file misspelt in a story without a place: the measurer took the story for one
    that fits nowhere, so the page's lead was reported 超版 "finds no room" on a page with
    671 empty lines and the build exited 0 — the missing file was never named. Now it
    stops the build (exit 2) with the file, the line and the field, as for a placed story."""
    from test_makeup import _paiban, _story

    stories = [_story(1, 900, priority=1, photos=[{"file": "photos/nope.jpg",
                                                   "caption": "图为车间一角。"}]),
               _story(2, 600, priority=2)]
    edition = _edition(tmp_path, stories)
    result = _paiban("check", edition)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "edition.yaml:" in result.stderr and "articles[s1].photos[0].file" in result.stderr
    assert "photo file not found" in result.stderr and "Traceback" not in result.stderr


def test_replanning_a_planned_file_keeps_the_editors_page_for_a_story(tmp_path):
    """A story of section 文化 the editor sent to page 2 (`place: {page: 2}`; page 2 carries
    经济). `plan` wrote the engine's box there, marked `by: engine`; planning that file again
    (the editor changed another story) dropped the whole place, page included, and the story
    moved to page 3, its section's page. Now an engine place on a page that does not carry
    the story's section keeps its page: the editor's choice."""
    import yaml
    from test_makeup import _paiban, _story

    pages = [{"number": 2, "name": "经济", "sections": ["经济"]},
             {"number": 3, "name": "文化", "sections": ["文化"]}]
    stories = [dict(_story(1, 1200, priority=1), section="经济"),
               dict(_story(2, 500, priority=2), section="文化", place={"page": 2}),
               dict(_story(3, 900, priority=1), section="文化")]
    edition = _edition(tmp_path, stories, pages=pages)
    once, twice = tmp_path / "once.yaml", tmp_path / "twice.yaml"
    assert _paiban("plan", edition, "-o", once).returncode == 0
    assert _paiban("plan", once, "-o", twice).returncode == 0
    placed = {a["id"]: a["place"] for a in yaml.safe_load(twice.read_text("utf-8"))["articles"]}
    assert placed["s2"]["page"] == 2, placed
    first = {a["id"]: a["place"] for a in yaml.safe_load(once.read_text("utf-8"))["articles"]}
    assert first == placed
