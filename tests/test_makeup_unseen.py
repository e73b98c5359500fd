"""Editions of the kinds a newsroom sends, which no shipped sample covers: the failures found
running every command on them (issue 8, "unseen" round). Each test names the case it keeps."""
from __future__ import annotations

from conftest import ROOT
from test_makeup import _copy, _edition, _paiban, _story

from layout.display import GlyphRun
from layout.pipeline import compose_edition


def _overfull_tabloid(tmp_path):
    """A tabloid page with about twice the copy it holds: the engine leaves stories unset."""
    stories = [_story(i, n, priority=i) for i, n in
               enumerate((1800, 1500, 1400, 1200, 1100, 900, 800, 700), start=1)]
    return _edition(tmp_path, stories, style="tabloid")


def test_a_planned_overfull_page_builds_the_page_plan_made(tmp_path):
    """`plan` writes engine places for the stories it set and none for those it could not;
    building the planned file used to stop with exit 2 ("the locked boxes of page 3 leave no
    room for …") because the engine's own boxes were taken as locked. Now the page is solved
    again and comes out as on the fly: the same page, the same stories reported unset."""
    edition = _overfull_tabloid(tmp_path)
    planned = tmp_path / "planned.yaml"
    result = _paiban("plan", edition, "-o", planned)
    assert result.returncode == 0, result.stderr
    direct = compose_edition(edition)
    assert direct.makeup.not_set, "the case needs a story the engine could not set"
    again = _paiban("build", planned, "-o", tmp_path / "out")
    assert again.returncode == 0, again.stderr
    rebuilt = compose_edition(planned)
    assert [p.items for p in direct.pages] == [p.items for p in rebuilt.pages]
    assert rebuilt.makeup.not_set == direct.makeup.not_set
    unset = {d.article for d in rebuilt.diagnostics if d.code == "overfull"}
    assert direct.makeup.not_set <= unset


def test_a_story_longer_than_the_page_is_set_and_its_overflow_counted(tmp_path):
    """One 9,000-character feature on a tabloid page: the engine found no box it fits and
    left the page blank (0 characters set). Now it fills the page and the report says how
    many lines do not fit (超版, with the cut), so the editor cuts from a set page."""
    edition = _edition(tmp_path, [_story(1, 9000, byline="本报记者 王尧")], style="tabloid")
    build = compose_edition(edition)
    place = build.edition.articles[0].place
    grid = build.edition.style.grid
    assert place is not None and place.engine
    assert (place.column, place.span, place.top, place.depth) == (0, grid.columns, 0,
                                                                   grid.lines)
    assert not build.makeup.not_set
    over = [d for d in build.diagnostics if d.code == "overfull" and d.article == "s1"]
    assert over and "lines" in over[0].message and "cut about" in over[0].hint
    assert sum(len(r.text) for p in build.pages for r in p.items
               if isinstance(r, GlyphRun)) > 4000


def test_two_pages_of_one_section_overfull_plan_then_build_gives_the_same_pages(tmp_path):
    """Two pages carrying one section with more copy than both hold. The stories plan could
    not set used to be dealt again on their own when the planned file was built — to the
    page with the most room left — and that page was solved again with a different story
    set: other stories dropped. Now the section is dealt again whole, as plan dealt it."""
    pages = [{"number": 9, "name": "九", "sections": ["测试"]},
             {"number": 10, "name": "十", "sections": ["测试"]}]
    lengths = (2474, 3927, 3729, 2034, 3015, 3973, 3441, 4062, 3879, 1768, 3980, 1553, 4930,
               3421)
    stories = [_story(i, n, priority=i) for i, n in enumerate(lengths, start=1)]
    edition = _edition(tmp_path, stories, pages=pages)
    planned = tmp_path / "planned.yaml"
    result = _paiban("plan", edition, "-o", planned)
    assert result.returncode == 0, result.stderr
    direct = compose_edition(edition)
    assert direct.makeup.not_set, "the case needs stories the engine could not set"
    rebuilt = compose_edition(planned)
    assert [p.items for p in direct.pages] == [p.items for p in rebuilt.pages]
    assert rebuilt.makeup.not_set == direct.makeup.not_set
    where = {a.id: a.place.page for a in direct.edition.articles if a.place}
    assert where == {a.id: a.place.page for a in rebuilt.edition.articles if a.place}


def test_the_lead_is_never_left_off_for_briefs(tmp_path):
    """A front page (masthead) with a 3,000-character lead and six briefs on a tabloid: more
    copy than the page holds. The engine left the lead (priority 1) off and set the briefs
    with holes between them; a newsroom cuts the least important copy, never the lead."""
    pages = [{"number": 1, "name": "要闻", "sections": ["测试"]}]
    stories = [_story(1, 3000, priority=1, subhead="全面推进高质量发展取得新成效")] + \
        [_story(i, n, priority=i) for i, n in
         zip(range(2, 8), (380, 240, 300, 350, 160, 250))]
    build = compose_edition(_edition(tmp_path, stories, style="tabloid", pages=pages))
    assert "s1" not in build.makeup.not_set
    places = {a.id: a.place for a in build.edition.articles if a.place}
    assert places["s1"].top == build.edition.style.masthead_lines    # the lead on top
    # What is left out is the least important copy, and it is named.
    ranks = sorted(build.makeup.not_set, key=lambda i: int(i[1:]))
    assert ranks == [f"s{k}" for k in range(8 - len(ranks), 8)]


def test_copy_a_page_cannot_hold_moves_to_the_page_of_its_section_with_room(tmp_path):
    """Three pages carry one section, one story is sent to the last by `place: {page: 7}`.
    The deal, estimating room from each story's tightest box, filled pages 5 and 6 past
    what they hold (stories overflowing) and left page 7 two-thirds empty. The overset
    stories now move to the page with room, and every story is set in full."""
    pages = [{"number": n, "name": "地方", "sections": ["测试"]} for n in (5, 6, 7)]
    lengths = (1800, 2300, 1500, 800, 2100, 1900, 1200, 2400, 900, 2200, 1700, 1300, 2000,
               1100)
    stories = [_story(i, n, priority=i % 4 + 1) for i, n in enumerate(lengths, start=1)]
    stories[3]["place"] = {"page": 7}
    build = compose_edition(_edition(tmp_path, stories, pages=pages))
    assert not build.makeup.not_set
    assert not [d for d in build.diagnostics if d.code == "overfull"]
    on = {a.id: a.place.page for a in build.edition.articles}
    assert on["s4"] == 7 and list(on.values()).count(7) > 1



def test_a_vertical_headline_never_gets_a_box_shorter_than_its_stack(tmp_path):
    """A tabloid page with more copy than room and a story with `vertical: left`: the
    overflow pass gave it a box shorter than its headline stack and the build stopped with
    exit 2 ("needs 32 lines but its column holds 24"). The stack's height is now the least
    depth the engine considers, in the overflow pass too."""
    photo = str(ROOT / "editions" / "photos" / "robot-standin.jpg")
    stories = [
        _story(1, 2500, priority=1, kicker="打造创建亮点", subhead="为170名困难青少年送上暖冬物品",
               photos=[{"file": photo, "caption": "技术人员在车间内调试开关室复合机器人。"},
                       {"file": photo, "caption": "机器人主要应用于室内升压站。"}]),
        {"id": "photo", "section": "测试", "priority": 2,
         "photos": [{"file": photo, "title": "自主创新助力产业升级",
                     "caption": _copy(120, 3), "credit": "本报记者 王尧 摄"}]},
        {"id": "headonly", "section": "测试", "priority": 3,
         "headline": "示范区召开安全生产工作会议"},
        _story(3, 900, priority=3, vertical={"side": "left", "columns": 1},
               headline="闫庄村“五星工坊”分享集体经济红利"),
        _story(4, 1200, priority=5, min_span=2, max_span=2),
        _story(5, 600, priority=9, photos=[{"file": photo, "caption": "图为现场。"}] * 3),
        _story(6, 1000, priority=9)]
    edition = _edition(tmp_path, stories, style="tabloid")
    result = _paiban("build", edition, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "vertical headline" not in result.stderr


def test_a_jump_without_a_first_box_says_how_to_get_one(tmp_path):
    """The 超版 report suggests `continued:` for a story the engine placed; following it
    on an article without a place stopped with exit 2 and no way forward. The error now
    names file, line and field and says what to do (lock the place plan writes)."""
    jump = {"page": 3, "column": 1, "span": 3, "top": 0, "depth": 30}
    pages = [{"number": 2, "name": "二", "sections": ["测试"]},
             {"number": 3, "name": "三", "sections": ["其他"]}]
    edition = _edition(tmp_path, [_story(1, 3000, continued=jump), _story(2, 800)],
                       pages=pages)
    result = _paiban("check", edition)
    assert result.returncode == 2
    assert f"{edition.name}:" in result.stderr and "articles[s1].place" in result.stderr
    assert "paiban plan" in result.stderr and "full place" in result.stderr


def test_empty_boxes_of_headline_only_stories_are_reported(tmp_path):
    """A page of eight headline-only stories (标题新闻): the engine stretched the last ones
    into boxes 13 to 24 lines deep with nothing under the headline, and the report said
    only "8 empty lines" at the foot. Each such box is now a 缺版 with its empty lines."""
    stories = [{"id": f"h{i}", "section": "测试", "headline": f"第{i}条标题新闻在这里"}
               for i in range(8)]
    build = compose_edition(_edition(tmp_path, stories))
    grid = build.edition.style.grid
    named = {d.article for d in build.diagnostics if d.code == "underfull" and d.article}
    for article in build.edition.articles:
        place = article.place
        if place.depth > 12:    # far more than a headline and 2 spare lines
            assert article.id in named, (article.id, place)
    assert sum(a.place.depth for a in build.edition.articles) + 1 >= grid.lines - 2
