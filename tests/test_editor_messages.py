"""What paiban tells a layout editor, and what it accepts: one message per problem, advice
that can be followed (pages with room, lines that exist), glyph checks in the font text is
set in, and shorthand an editor obviously means. Real builds, real fonts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT
from test_makeup import _story  # real copy from the sample's paragraphs

from layout.pipeline import compose_edition

PHOTO = ROOT / "editions" / "photos" / "robot-standin.jpg"


def _edition(tmp_path: Path, articles: list[dict], *, style: str = "broadsheet",
             pages=None) -> Path:
    text = (ROOT / "styles" / f"{style}.yaml").read_text(encoding="utf-8")
    (tmp_path / "style.yaml").write_text(text + "\nmakeup:\n  time_limit: 60\n",
                                         encoding="utf-8")
    shutil.copy(PHOTO, tmp_path / "robot.jpg")
    doc = {"paper": "测试报", "date": "2024-01-02", "style": "style.yaml",
           "pages": pages or [{"number": 3, "name": "测试", "sections": ["测试"]}],
           "articles": articles}
    path = tmp_path / "edition.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000),
                    encoding="utf-8")
    return path


def _paiban(*args):
    return subprocess.run([sys.executable, "-m", "layout", *map(str, args)],
                          capture_output=True, text=True)


# ----------------------------------------------------------------------------- captions

def test_a_caption_without_a_title_is_checked_in_the_caption_font(tmp_path):
    """〚 is in the title's face (黑体) but in no face of the caption's chain (楷体, ext,
    latin): it prints as an empty box and must be reported for the caption; ∼ is in 楷体
    but not in 黑体's chain: nothing to report. Checked as a title, the caption got both
    wrong. Once each, however often fit: auto sets the captions again."""
    place = {"page": 3, "column": 1, "span": 3, "top": 0, "depth": 40}
    for style in ("tabloid", "broadsheet"):
        folder = tmp_path / style
        folder.mkdir()
        path = _edition(folder, [_story(1, 1500, fit="auto", place=place, photos=[
            {"file": "robot.jpg", "caption": "〚示范区〛机器人生产线∼", "credit": "本报记者 摄"}])],
            style=style)
        build = compose_edition(path)
        missing = [d for d in build.diagnostics if d.code == "missing-glyph"]
        assert sorted(re.search(r"'(.)'", d.message).group(1) for d in missing) == ["〚", "〛"]
        assert all("(role caption)" in d.message for d in missing)


# ----------------------------------------------------------------------------- fit: auto

def test_copyfit_sets_the_story_once_per_step_not_its_first_attempt_again(tmp_path,
                                                                          monkeypatch):
    """A story no bounded step fits is left as first set: that setting is kept, not made a
    second time (three tightening steps and three photo steps: seven settings, not eight),
    and the page is the one set without fit: auto."""
    from layout.page import story

    place = {"page": 3, "column": 1, "span": 3, "top": 0, "depth": 40}
    photos = [{"file": "robot.jpg", "caption": "示范区机器人生产线"}]
    plain = compose_edition(_edition(tmp_path, [_story(1, 1500, place=place, photos=photos)],
                                     style="tabloid"))
    calls = []
    real = story.measure_photos

    def counted(*args, **kwargs):
        calls.append(args[-1])
        return real(*args, **kwargs)

    monkeypatch.setattr(story, "measure_photos", counted)
    fitted = compose_edition(_edition(tmp_path, [_story(1, 1500, place=place, photos=photos,
                                                        fit="auto")], style="tabloid"))
    assert len(calls) == 7, calls
    assert fitted.pages[0].items == plain.pages[0].items
    assert fitted.pages[0].articles[0].overflow_lines == plain.pages[0].articles[0].overflow_lines


# ----------------------------------------------------------------------------- shorthand

def test_one_value_written_without_its_list_is_a_list_of_one(tmp_path):
    """`sections: 文化` (a page), `section: [文化]` (a story), `notes: …` (the masthead),
    `photos: {file: …}` (one photo) and a fallback chain of one face mean what they say;
    before, each exited 2 ("expected a list") or was read as something else."""
    for style in ("broadsheet", "tabloid"):
        folder = tmp_path / style
        folder.mkdir()
        path = _edition(folder, [
            _story(1, 900, priority=1, section=["文化"]),
            _story(2, 600, section="文化",
                   photos={"file": "robot.jpg", "caption": "示范区机器人生产线"})],
            style=style, pages=[{"number": 1, "name": "要闻", "sections": "文化"}])
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc["masthead"] = {"issue": "第1期", "notes": "中共湖城市委机关报"}
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        style_file = folder / "style.yaml"
        text = style_file.read_text(encoding="utf-8")
        assert "    song: [ext, latin]\n" in text
        style_file.write_text(text.replace("    song: [ext, latin]\n", "    song: ext\n"),
                              encoding="utf-8")
        result = _paiban("check", path)
        assert result.returncode == 0, result.stderr
        build = compose_edition(path)
        assert build.edition.pages[0].sections == ("文化",)
        assert build.edition.masthead.notes == ("中共湖城市委机关报",)
        assert build.edition.style.fallback["song"] == ("ext",)
        articles = {a.id: a for a in build.edition.articles}
        assert articles["s1"].section == "文化" and len(articles["s2"].photos) == 1
        assert articles["s1"].place.page == 1 and articles["s2"].place.page == 1
        assert not [d for d in build.diagnostics if d.code in ("unplaced", "section")]


def test_a_story_with_two_sections_exits_2_naming_the_field(tmp_path):
    path = _edition(tmp_path, [_story(1, 900, section=["文化", "体育"])],
                    pages=[{"number": 1, "name": "要闻", "sections": ["文化", "体育"]}])
    result = _paiban("check", path)
    assert result.returncode == 2
    assert "edition.yaml:" in result.stderr and "articles[s1].section" in result.stderr
    assert "expected one section tag" in result.stderr


# ----------------------------------------------------------------------------- 超版 advice

def _about(build, article: str) -> list:
    return [d for d in build.diagnostics if d.article == article
            and d.code in ("overflow", "overfull")]


def test_a_story_the_engine_placed_that_overflows_is_reported_once(tmp_path):
    """A story longer than its page is set in the page's free area by the engine: one
    message (超版, the setting's own figures), not an `overfull` and an `overflow` with
    different character counts; no deeper box (the engine's box is as deep as the page)."""
    for style, length in (("tabloid", 9000), ("broadsheet", 16000)):
        folder = tmp_path / style
        folder.mkdir()
        build = compose_edition(_edition(folder, [_story(1, length, priority=1)], style=style))
        fit = build.pages[0].articles[0]
        assert fit.overflow_lines > 0
        said = _about(build, "s1")
        assert len(said) == 1, [d.format() for d in said]
        assert said[0].code == "overfull"
        assert f"{fit.overflow_lines} lines ({fit.overflow_chars} characters)" in said[0].message
        assert f"cut about {fit.overflow_chars} characters" in said[0].hint
        assert "deepen" not in said[0].hint
        assert "deepen" not in dict(fit.fixes)
        result = _paiban("check", folder / "edition.yaml")
        assert "1 overflows" in result.stdout
        assert result.stdout.count("articles[s1]") == 1, result.stdout


def test_move_names_a_page_of_the_section_with_room_or_says_there_is_none(tmp_path):
    """Three pages carry the section: page 1 is given more than it holds, page 2 is full,
    page 3 nearly empty. The story page 1 cannot set moves to page 3, never to page 2 (the
    first other page of the section, as before); a story longer than any page has nowhere
    to go, and the message says so."""
    pages = [{"number": n, "name": name, "sections": ["测试"]}
             for n, name in ((1, "一"), (2, "二"), (3, "三"))]
    build = compose_edition(_edition(tmp_path, [
        _story(1, 6000, priority=1, place={"page": 1}), _story(2, 3500, place={"page": 1}),
        _story(3, 2500, place={"page": 1}), _story(4, 5000, place={"page": 2}),
        _story(5, 4500, place={"page": 2}), _story(6, 500, place={"page": 3})],
        style="tabloid", pages=pages))
    moved = {d.article: d.hint for d in build.diagnostics if d.code == "overfull"}
    assert "move 's3' to page 3 (" in moved["s3"] and "page 2" not in moved["s3"]
    assert "set its first part in page 1's empty lines and jump 's3' to page 3" in moved["s3"]
    assert "no other page of section 测试 has room to move it" in moved["s1"]
    assert "move 's1'" not in moved["s1"]
    for hint in moved.values():
        assert "to page 2" not in hint and "page: 2" not in hint


def test_a_locked_box_is_told_to_deepen_only_where_the_grid_below_is_free(tmp_path):
    foot = {"page": 3, "column": 1, "span": 3, "top": 40, "depth": 29}
    top = {"page": 3, "column": 4, "span": 2, "top": 0, "depth": 20}
    build = compose_edition(_edition(tmp_path, [_story(1, 2500, place=foot),
                                                _story(2, 1000, place=top)],
                                     style="tabloid"))
    at_foot, = _about(build, "s1")
    above, = _about(build, "s2")
    assert at_foot.code == above.code == "overflow"
    assert "deepen" not in at_foot.hint and "cut" in at_foot.hint
    assert re.search(r"deepen the box by \d+ lines \(depth: \d+\)", above.hint)


def test_short_of_copy_names_grid_lines_that_exist():
    """缺版 names the empty lines as place.top counts them, the last included: the
    overfull sample's empty foot is lines 67–68 of its 69 (it said 67–69), and the page
    by its place in `pages` as every other message does."""
    build = compose_edition(ROOT / "editions" / "hucheng-2023-12-29-overfull.yaml")
    lines = build.edition.style.grid.lines
    under = [d for d in build.diagnostics if d.code == "underfull"]
    assert under
    for d in under:
        found = re.search(r"(\d+) empty lines in columns (\d+)–(\d+), lines (\d+)–(\d+)",
                          d.message)
        if found:
            cells, c0, c1, first, last = map(int, found.groups())
            assert last < lines
            assert cells == (c1 - c0 + 1) * (last - first + 1)
            assert d.field == f"pages[{[p.number for p in build.edition.pages].index(d.page)}]"


# ----------------------------------------------------------------------------- fallback

def test_a_story_lists_the_characters_of_one_role_from_one_face_once():
    """The copy sample's rare characters: one `fallback` line per story, role and face
    (its body's were listed paragraph by paragraph, five lines for 'village'), each naming
    the field the text comes from; the `normalized` note names the body."""
    build = compose_edition(ROOT / "editions" / "hucheng-2024-01-12-copy.yaml")
    fallback = [d for d in build.diagnostics if d.code == "fallback"]
    keys = [(d.article, d.page, re.sub(r"^\d+ characters? |: .*$", "", d.message))
            for d in fallback]
    assert len(keys) == len(set(keys)), sorted(keys)
    listed = " ".join(d.message for d in fallback)
    for ch in "峯嫑㐂𡈼𠮷鍾鐘łşŁŞ":
        assert f"U+{ord(ch):04X}" in listed, ch
    for d in fallback:
        count = int(d.message.split()[0])
        assert count == d.message.count(" U+"), d.message
        if d.article:
            assert d.field and d.field.startswith(f"articles[{d.article}]."), d
    normalized = [d for d in build.diagnostics if d.code == "normalized"]
    assert normalized and all(d.field == f"articles[{d.article}].body" for d in normalized)


# ----------------------------------------------------------------------------- check table

def test_check_shows_a_jumps_continuation_and_copyfit_says_over_or_spare():
    """The pages sample's lead jumps to page 2: its row shows both boxes (the first one
    alone hid where the rest goes). xuncha (fit: auto) runs short: the note says its lines
    are spare, not over, names the steps tried and the field."""
    pages = ROOT / "editions" / "hucheng-2023-12-29-pages.yaml"
    result = _paiban("check", pages)
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if " lead " in line)
    assert "c1–5 l12+37/37/37/12/12 → p2 c1–3 l0+17" in row
    build = compose_edition(pages)
    fit = next(f for p in build.pages for f in p.articles if f.id == "xuncha")
    note, = [d for d in build.diagnostics if d.code == "copyfit" and d.article == "xuncha"]
    assert f"its {fit.spare_lines} spare lines" in note.message and "字距 +0.04 em" in note.message
    assert note.field == "articles[xuncha].fit"


def test_fit_and_vertical_shorthand_and_an_unplaced_story_names_the_sections(tmp_path):
    """`fit: true` is fit: auto and `fit: no` off (YAML's booleans: before, exit 2);
    `vertical: right` is {side: right}. A story whose section no page carries says which
    sections the pages do carry (a typo in a tag is then plain to see)."""
    from layout.model.load import load_edition

    pages = ROOT / "editions" / "hucheng-2023-12-29-pages.yaml"
    text = pages.read_text(encoding="utf-8")
    assert "    fit: auto\n" in text and "vertical: {side: right, columns: 1}" in text
    shutil.copytree(pages.parent / "photos", tmp_path / "photos")
    for value, expected in (("true", True), ("yes", True), ("no", False), ("off", False)):
        path = tmp_path / f"fit-{value}.yaml"
        path.write_text(text.replace("    fit: auto\n", f"    fit: {value}\n", 1)
                        .replace("vertical: {side: right, columns: 1}", "vertical: right"),
                        encoding="utf-8")
        edition = load_edition(path)
        article = next(a for a in edition.articles if a.id == "jigongwei")
        assert article.fit is expected
        assert next(a for a in edition.articles if a.id == "yanzhuang").vertical == "right"
    path = _edition(tmp_path, [_story(1, 900, section="文 化")],
                    pages=[{"number": 1, "name": "要闻", "sections": ["文化", "要闻"]}])
    unplaced, = [d for d in compose_edition(path).diagnostics if d.code == "unplaced"]
    assert "section '文 化' is on no page" in unplaced.message
    assert "(文化, 要闻)" in unplaced.hint


def test_the_overfull_sample_is_not_told_to_jump_to_a_page_without_room():
    """The sample's 'zhuanjing' (要闻, page 1 only) finds no room: page 2 has 22 empty lines,
    fewer than the rest of it needs, so no jump there (it was advised before); page 1's 11
    empty lines are too few for a first part; the cut is what the page lacks."""
    build = compose_edition(ROOT / "editions" / "hucheng-2023-12-29-overfull.yaml")
    note, = [d for d in build.diagnostics if d.code == "overfull"]
    assert note.article == "zhuanjing" and note.page == 1
    assert "jump 'zhuanjing' to page 2" not in note.hint
    assert re.search(r"no other page has the \d+ empty lines to jump it to \(page 2 has \d+\)",
                     note.hint)
    need = int(re.search(r"needs about (\d+) column lines", note.message).group(1))
    empty = int(re.search(r"it has (\d+) empty lines", note.hint).group(1))
    chars = build.edition.style.grid.column_chars
    assert f"cut about {(need - empty) * chars} characters from the stories of page 1" in note.hint


# ----------------------------------------------------------------------------- proof

def test_the_proof_lists_a_story_that_found_no_room(tmp_path):
    """The overfull sample's 'zhuanjing' is on no page, so it had no fit row: the proof's
    list and page 1's margin showed every story but the one the editor must deal with."""
    import pymupdf

    out = tmp_path / "proof.pdf"
    result = _paiban("proof", ROOT / "editions" / "hucheng-2023-12-29-overfull.yaml",
                     "-o", out)
    assert result.returncode == 0, result.stderr
    with pymupdf.open(out) as doc:
        texts = [page.get_text() for page in doc]
    listing = next(t for t in texts if "Fit of every story" in t)
    assert "zhuanjing" in listing and "未排 not set" in listing and "(page 1)" in listing
    page_1, page_2 = [t for t in texts if "校样栏" in t]
    assert "zhuanjing" in page_1 and "未排 not set" in page_1
    assert "zhuanjing" not in page_2


def test_a_story_on_a_page_of_another_section_is_told_where_its_section_is(tmp_path):
    """The `section` warning said what was wrong and nothing about what to do."""
    pages = [{"number": 1, "name": "一", "sections": ["要闻"]},
             {"number": 2, "name": "二", "sections": ["测试"]}]
    lock = {"page": 1, "column": 1, "span": 4, "top": 20, "depth": 40}
    build = compose_edition(_edition(tmp_path, [_story(1, 900, place=lock)], pages=pages))
    note, = [d for d in build.diagnostics if d.code == "section"]
    assert note.hint == "move it to page 2, which carries 测试, or add 测试 to the sections " \
        "of page 1"


def test_an_unused_jump_says_how_to_free_its_box(tmp_path):
    pages = [{"number": 1, "name": "一", "sections": ["测试"]},
             {"number": 2, "name": "二", "sections": ["测试"]}]
    lock = {"page": 1, "column": 1, "span": 4, "top": 20, "depth": 40}
    jump = {"page": 2, "column": 1, "span": 2, "top": 0, "depth": 20}
    build = compose_edition(_edition(tmp_path, [_story(1, 300, place=lock, continued=jump)],
                                     style="tabloid", pages=pages))
    note, = [d for d in build.diagnostics if d.code == "jump-unused"]
    assert note.field == "articles[s1].continued" and note.hint.startswith("delete continued:")
