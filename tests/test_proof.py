"""The proofreader's desk: character-level diffs of two drafts, placed on the page.

Each test writes its own second draft of a shipped edition (a copy with one edit) and
composes both; expectations come from the edit made, never from a run of the code.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE
from test_cli import run

from layout.display import GlyphRun
from layout.pipeline import compose_edition
from layout.proof.diff import char_opcodes
from layout.proof.text import column_of, grid_line, stories
from layout.proofdesk import diff_pages

PAGES = ROOT / "editions" / "hucheng-2023-12-29-pages.yaml"


def draft(tmp_path: Path, *edits: tuple[str, str], source: Path = SAMPLE,
          name: str = "draft.yaml") -> Path:
    """A copy of `source` with each (old, new) replaced once; photos alongside."""
    text = source.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    if not (tmp_path / "photos").exists():
        shutil.copytree(source.parent / "photos", tmp_path / "photos")
    return target


@pytest.fixture(scope="module")
def sample(sample_build):
    return sample_build


def body_glyph_line(build, article: str, needle: str) -> tuple[int, int, int]:
    """(page, column, grid line) of the set line carrying the first character of `needle`,
    found from the display list independently of the proof code."""
    for page in build.pages:
        text, where = "", []
        for item in page.items:
            if isinstance(item, GlyphRun) and item.article == article and item.role == "body":
                text += item.text
                where.extend([item] * len(item.text))
        at = text.find(needle)
        if at >= 0:
            run = where[at]
            top, pitch = page.grid
            column = next(i + 1 for i, (x0, x1) in enumerate(page.columns)
                          if x0 - 10 <= run.left < x1)
            return page.number, column, int((run.y - top) // pitch)
    raise AssertionError(needle)


def test_two_inserted_characters_are_one_change_and_one_reflow(tmp_path, sample):
    new = compose_edition(draft(tmp_path, ("12月29日上午,示范区召开",
                                           "12月29日上午,示范区隆重召开")))
    found = diff_pages(sample.pages, new.pages)
    assert len(found.changes) == 1
    change = found.changes[0]
    assert (change.article, change.field, change.kind, change.old, change.new) == \
        ("lead", "body", "insert", "", "隆重")
    assert (change.where.page, change.where.column, change.where.line) == \
        body_glyph_line(new, "lead", "隆重召开")
    assert change.where.page == 5
    assert change.before.endswith("示范区") and change.after.startswith("召开")
    assert len(found.reflow) == 1
    reflow = found.reflow[0]
    assert reflow.article == "lead"
    # The lines from the change on were reset; the first reset line is the changed one.
    assert reflow.ranges[0][:3] == (5, change.where.column, change.where.line)


def test_identical_drafts_have_no_changes(sample):
    assert not diff_pages(sample.pages, sample.pages)


def test_deleted_paragraph_is_one_delete(tmp_path, sample):
    paragraph = "“这些创文元素墙绘让整条街道看起来生动许多。”市民刘鹏鹏说。"
    new = compose_edition(draft(tmp_path, (paragraph + "\n\n", "")))
    found = diff_pages(sample.pages, new.pages)
    assert [(c.article, c.field, c.kind) for c in found.changes] == \
        [("wenming", "body", "delete")]
    assert found.changes[0].old.strip("\n") == paragraph.replace(",", "，")
    # It sits where the next paragraph now starts.
    where = found.changes[0].where
    assert (where.page, where.column, where.line) == body_glyph_line(new, "wenming", "近期，为助力")


def test_changed_headline_is_one_replace(tmp_path, sample):
    new = compose_edition(draft(tmp_path, ('headline: "示范区启动主题党团队日活动"',
                                           'headline: "示范区启动党团共建主题活动"')))
    found = diff_pages(sample.pages, new.pages)
    assert [(c.article, c.field, c.kind) for c in found.changes] == \
        [("tuanri", "headline", "replace")]
    change = found.changes[0]
    assert change.new in "示范区启动党团共建主题活动" and change.old in "示范区启动主题党团队日活动"


def test_moved_story_is_one_place_change(tmp_path, sample):
    # xuncha and tuanri trade boxes (columns 1–2 and 3–4 of the bottom of the page).
    new = compose_edition(draft(
        tmp_path, ("place: {page: 5, column: 3, span: 2, top: 74, depth: 28}", "PLACE_T"),
        ("place: {page: 5, column: 1, span: 2, top: 70, depth: 32}",
         "place: {page: 5, column: 3, span: 2, top: 74, depth: 28}"),
        ("PLACE_T", "place: {page: 5, column: 1, span: 2, top: 70, depth: 32}")))
    found = diff_pages(sample.pages, new.pages)
    changes = {(c.article, c.field, c.kind) for c in found.changes}
    assert changes == {("xuncha", "place", "replace"), ("tuanri", "place", "replace")}
    xuncha = next(c for c in found.changes if c.article == "xuncha")
    assert (xuncha.where.page, xuncha.where.column, xuncha.where.line) == (5, 3, 74)
    assert "columns 1–2, lines 70–101" in xuncha.old and "columns 3–4" in xuncha.new
    assert all(r.moved for r in found.reflow)


def test_caption_edit_is_one_caption_change(tmp_path, sample):
    new = compose_edition(draft(tmp_path, ("调试开关室复合机器人", "调试开关柜巡检机器人")))
    found = diff_pages(sample.pages, new.pages)
    assert [(c.article, c.field, c.kind) for c in found.changes] == \
        [("photo-robot", "caption", "replace")]
    assert (found.changes[0].old, found.changes[0].new) == ("室复合", "柜巡检")


def test_every_field_change_is_found_on_the_pages_edition(tmp_path):
    """The tabloid edition (jump, vertical headline, wrap): a body edit in the jumped
    story's continuation is placed on the continuation's page."""
    old = compose_edition(PAGES)
    base = stories(old.pages)
    jumped = next(s for s in base.values() if s.fit and len(s.fit.boxes) > 1)
    body = jumped.fields["body"]
    source = PAGES.read_text(encoding="utf-8")
    # Six Han characters near the end of the story, found once in the edition file.
    at = next(i for i in range(len(body.text) - 10, 0, -1)
              if all("\u4e00" <= ch <= "\u9fff" for ch in body.text[i:i + 6])
              and source.count(body.text[i:i + 6]) == 1)
    tail = body.text[at:at + 6]
    assert body.glyphs[at].page == jumped.fit.boxes[1][0]
    new = compose_edition(draft(tmp_path, (tail, tail[:3] + "X" + tail[3:]), source=PAGES))
    found = diff_pages(old.pages, new.pages)
    assert [(c.article, c.field, c.kind, c.new) for c in found.changes] == \
        [(jumped.id, "body", "insert", "X")]
    assert found.changes[0].where.page == jumped.fit.boxes[1][0]


def test_char_opcodes_align_paragraphs_first():
    a = "第一段文字。\n第二段文字。\n第三段文字。"
    b = "第一段文字。\n第三段文字。"
    ops = char_opcodes(a, b)
    assert len(ops) == 1 and ops[0][0] == "delete"
    assert (a + "\n")[ops[0][1]:ops[0][2]] == "第二段文字。\n"
    c = "第一段文字。\n第二段改过的文字。\n第三段文字。"
    ops = char_opcodes(a, c)
    assert [(t, c[j1:j2]) for t, _, _, j1, j2 in ops] == [("insert", "改过的")]


def test_story_text_is_the_trace_text(sample):
    """Every body line of the read-back story is the text the trace shows on that line."""
    read = stories(sample.pages)
    page = sample.pages[0]
    trace_lines: dict[tuple, str] = {}
    for item in page.items:
        if isinstance(item, GlyphRun) and item.role in ("body", "dateline", "runin"):
            key = (item.article, page.number, column_of(page, item.left),
                   grid_line(page, item.y))
            trace_lines[key] = trace_lines.get(key, "") + item.text
    for story in read.values():
        for (number, column, line), text in story.lines.items():
            assert trace_lines[(story.id, number, column, line)] == text


def test_diff_command_text_and_json(tmp_path):
    new = draft(tmp_path, ("累计派驻助企干部116名", "累计派驻助企干部118名"))
    same = run(["diff", str(SAMPLE), str(SAMPLE)], tmp_path)
    assert same.returncode == 0 and same.stdout == ""
    result = run(["diff", str(SAMPLE), str(new), "--json", "d.json", "--context", "3"],
                  tmp_path)
    assert result.returncode == 1, result.stderr
    data = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    assert set(data) == {"changes", "reflow"}
    (change,) = data["changes"]
    assert {"article", "field", "kind", "old", "new", "page", "column", "line"} <= set(change)
    assert (change["article"], change["field"], change["kind"], change["old"],
            change["new"]) == ("zhuanjing", "body", "replace", "6", "8")
    assert change["before"] == "部11" and change["after"] == "名，包"
    for reflow in data["reflow"]:
        assert {"article", "lines_before", "lines_after", "fit_before", "fit_after"} <= \
            set(reflow)
    assert f"p5 c{change['column']} L{change['line']}" in result.stdout
    assert "“6” → “8”" in result.stdout
    lines = run(["diff", str(SAMPLE), str(new), "--lines"], tmp_path)
    assert lines.returncode == 1
    added = [line for line in lines.stdout.splitlines() if line.startswith("+p5")]
    assert len(added) == 1 and "118名" in added[0]


# ----------------------------------------------------------------------------- proof PDF

EDITIONS = sorted((ROOT / "editions").glob("*.yaml"))


@pytest.fixture(scope="module")
def marked(tmp_path_factory, sample_build):
    """A proof of a second draft with an insertion, a replacement in a caption and a
    deleted paragraph, against the sample."""
    from layout.proofdesk import proof_pdf

    folder = tmp_path_factory.mktemp("proof")
    new = compose_edition(draft(
        folder, ("12月29日上午,示范区召开", "12月29日上午,示范区隆重召开"),
        ("调试开关室复合机器人", "调试开关柜巡检机器人"),
        ("“这些创文元素墙绘让整条街道看起来生动许多。”市民刘鹏鹏说。\n\n", "")))
    path = folder / "proof.pdf"
    found = proof_pdf(new.pages, path, "draft.yaml against sample", sample_build.pages)
    return path, found, new


def _chars(page):
    """(character, bbox, size) of every character on a PyMuPDF page."""
    out = []
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                out.extend((c["c"], c["bbox"], span["size"], c["origin"]) for c in span["chars"])
    return out


def test_proof_pdf_highlights_the_changed_glyphs(marked):
    fitz = pytest.importorskip("fitz")
    path, found, _ = marked
    with fitz.open(path) as doc:
        # The first page lists the changes, then the marked-up page 5.
        assert "改动清单" in doc[0].get_text()
        page = doc[1]
        annots = [a for a in page.annots() if a.type[1] == "Highlight"]
        assert len(annots) >= len(found.changes)
        chars = _chars(page)
        for change in found.changes:
            if change.kind == "delete":
                continue
            # The characters under the change's highlight annotations are its new text.
            mine = [a for a in annots if a.info["content"].startswith(
                f"{found.changes.index(change) + 1}. ")]
            assert mine, change
            covered = "".join(
                c for c, bbox, size, _ in chars if size > 6 and any(
                    fitz.Rect(a.rect).contains(fitz.Point((bbox[0] + bbox[2]) / 2,
                                                          (bbox[1] + bbox[3]) / 2))
                    for a in mine))
            assert covered == change.new, (covered, change)


def test_proof_pdf_marks_a_deletion_with_a_caret_note(marked):
    fitz = pytest.importorskip("fitz")
    path, found, new = marked
    (deletion,) = [c for c in found.changes if c.kind == "delete"]
    number = found.changes.index(deletion) + 1
    with fitz.open(path) as doc:
        page = doc[1]
        note = next(a for a in page.annots() if a.info["content"].startswith(f"{number}. "))
        # The caret sits just before the first character now at the deletion point.
        chars = [c for c in _chars(page) if c[0] == "近" and c[2] > 6]
        starts = [c for c in chars if abs(c[1][0] - (note.rect.x0 + note.rect.x1) / 2) < 1.5]
        assert starts, (note.rect, [c[1] for c in chars])


def test_proof_line_numbers_match_the_trace(marked):
    """Every margin number n beside column 1 sits on the baseline of the line the text
    trace calls L<n> in column 1."""
    fitz = pytest.importorskip("fitz")
    from layout.pipeline import trace_text

    path, _, new = marked
    trace = {}
    for line in trace_text(new).splitlines():
        head, _, text = line.partition("\t")
        parts = head.split()
        if len(parts) == 5 and parts[3] == "c1" and parts[2] in ("body", "dateline"):
            # The trace lists a line's dateline apart (after its body): it comes first.
            row = int(parts[4][1:])
            trace[row] = text + trace.get(row, "") if parts[2] == "dateline" else \
                trace.get(row, "") + text
    column_left = new.pages[0].columns[0][0]
    with fitz.open(path) as doc:
        chars = _chars(doc[1])
    numbers: dict[float, str] = {}
    for c, bbox, size, origin in chars:
        if abs(size - 4.5) < 0.1 and bbox[2] <= column_left + 0.1:
            numbers[round(origin[1], 1)] = numbers.get(round(origin[1], 1), "") + c
    checked = 0
    for y, number in numbers.items():
        line = "".join(c for c, bbox, size, origin in chars
                       if size > 6 and abs(origin[1] - y) < 0.2 and
                       column_left - 9 <= bbox[0] < new.pages[0].columns[0][1])
        if int(number) in trace:
            # (PyMuPDF reads a wide gap as a space: spaces are left out on both sides.)
            assert line.replace(" ", "") == trace[int(number)].replace(" ", ""), (number, line)
            checked += 1
    assert checked >= 10


def test_proof_pdf_is_not_a_press_file(marked):
    pikepdf = pytest.importorskip("pikepdf")
    path, _, _ = marked
    with pikepdf.open(path) as pdf:
        assert "/OutputIntents" not in pdf.Root
        assert "/GTS_PDFXVersion" not in pdf.docinfo
        # Every page carries the 校样 band's text.
    fitz = pytest.importorskip("fitz")
    with fitz.open(path) as doc:
        for page in list(doc)[1:]:
            assert "校样 PROOF" in page.get_text() and "NOT FOR PRESS" in page.get_text()


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda p: p.stem)
def test_proof_and_text_commands_work_on_every_edition(tmp_path, edition):
    result = run(["proof", str(edition), "-o", "p.pdf"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
    same = run(["proof", str(edition), "--against", str(edition), "-o", "q.pdf"], tmp_path)
    assert same.returncode == 0, same.stderr
    text = run(["text", str(edition)], tmp_path)
    assert text.returncode == 0 and text.stdout.startswith("== "), text.stderr
    bad = run(["proof", str(edition), "-o", "p.txt"], tmp_path)
    assert bad.returncode == 2
    diff = run(["diff", str(edition), str(edition), "--json", "d.json"], tmp_path)
    assert diff.returncode == 0 and diff.stdout == "", diff.stderr
    assert json.loads((tmp_path / "d.json").read_text(encoding="utf-8")) == \
        {"changes": [], "reflow": []}


def test_added_and_removed_stories_are_article_changes(tmp_path, sample):
    """Taking a story out and putting another (same box) in: one delete, one insert."""
    source = SAMPLE.read_text(encoding="utf-8")
    assert source.count("- id: jigongwei") == 1
    new = compose_edition(draft(tmp_path, ("- id: jigongwei", "- id: jigongwei-2")))
    found = diff_pages(sample.pages, new.pages)
    assert sorted((c.article, c.field, c.kind) for c in found.changes) == \
        [("jigongwei", "article", "delete"), ("jigongwei-2", "article", "insert")]
    inserted = next(c for c in found.changes if c.kind == "insert")
    assert inserted.new.startswith("做实日常监督")
    # Placed at the top left of its box (place: column 5, top 85).
    assert (inserted.where.page, inserted.where.column, inserted.where.line) == (5, 5, 85)


# ----------------------------------------------------------------------------- copy out

def _set_text(build, article: str) -> tuple[list[str], dict[str, str]]:
    """Body paragraphs and other fields of an article, straight from the display list."""
    paragraphs: dict[int, str] = {}
    fields: dict[str, str] = {}
    home = next(page for page in build.pages if article in {f.id for f in page.articles})
    for page in build.pages:
        for item in page.items:
            if not isinstance(item, GlyphRun) or item.article != article:
                continue
            if item.role in ("body", "runin"):
                paragraphs[item.para] = paragraphs.get(item.para, "") + item.text
            elif item.role in ("headline", "kicker", "subhead", "caption", "dateline") \
                    and page is home:     # a jump's continuation repeats the headline
                fields[item.role] = fields.get(item.role, "") + item.text
    return [paragraphs[k] for k in sorted(paragraphs)], fields


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda p: p.stem)
def test_text_is_the_composed_text_of_each_article(tmp_path, edition):
    build = compose_edition(edition)
    result = run(["text", str(edition)], tmp_path)
    assert result.returncode == 0, result.stderr
    blocks = {}
    for block in result.stdout.split("\n== ")[0:]:
        head, _, rest = block.removeprefix("== ").partition("\n")
        blocks[head.split(" · ")[0]] = rest
    ids = {fit.id for page in build.pages for fit in page.articles}
    assert set(blocks) == ids
    for article in ids:
        paragraphs, fields = _set_text(build, article)
        out = blocks[article]
        if paragraphs:
            body = out.split("[body 正文]\n", 1)[1]
            body = body.split("\n[", 1)[0].rstrip("\n").split("\n")
            assert body == paragraphs, article
        if "dateline" in fields:
            assert f"[byline 电头] {fields['dateline']}\n" in out


def test_text_of_one_article_and_docx(tmp_path):
    docx = pytest.importorskip("docx")
    build = compose_edition(SAMPLE)
    paragraphs, fields = _set_text(build, "xuncha")
    one = run(["text", str(SAMPLE), "--article", "xuncha"], tmp_path)
    assert one.returncode == 0 and one.stdout.startswith("== xuncha")
    assert "== lead" not in one.stdout
    assert "[normalized 标点规范 normalised (R2)]" in one.stdout
    # Each listed normalisation shows the full-width mark at the middle of its context.
    for line in one.stdout.split("[normalized 标点规范 normalised (R2)]\n")[1].splitlines():
        if "→ “" in line and "…" in line:
            new = line.split("→ “")[1][0]
            context = line.split("…")[1]
            assert context[6] == new, line
    result = run(["text", str(SAMPLE), "--format", "docx", "-o", "copy.docx"], tmp_path)
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(tmp_path / "copy.docx"))
    texts = [p.text for p in document.paragraphs]
    assert "xuncha" in texts and fields["headline"] in texts
    start = texts.index("xuncha")
    for paragraph in paragraphs:
        assert paragraph in texts[start:]
    missing = run(["text", str(SAMPLE), "--format", "docx"], tmp_path)
    assert missing.returncode == 2


def test_replaced_photo_is_one_photo_change(tmp_path, sample):
    from PIL import Image as PILImage

    path = draft(tmp_path, ("file: photos/robot-standin.jpg", "file: photos/robot-new.jpg"))
    with PILImage.open(tmp_path / "photos" / "robot-standin.jpg") as picture:
        picture.transpose(PILImage.Transpose.FLIP_LEFT_RIGHT).save(
            tmp_path / "photos" / "robot-new.jpg")
    found = diff_pages(sample.pages, compose_edition(path).pages)
    assert [(c.article, c.field, c.kind, c.old, c.new) for c in found.changes] == \
        [("photo-robot", "photo", "replace", "robot-standin.jpg", "robot-new.jpg")]
    assert (found.changes[0].where.page, found.changes[0].where.column) == (5, 5)
