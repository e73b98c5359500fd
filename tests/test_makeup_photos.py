"""P6 in the makeup engine: the engine chooses a photo's width inside its story.

A story wider than a good picture needs (3 columns or more) gets its photo narrower than
the story, at the top of the body on the right, the text running beside and under it; the
measure the search uses and the page that is set agree line for line, and `paiban plan`
writes the photo's place back so that the planned file builds the same page. Checked on the
display list with the real fonts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from test_makeup import _copy  # real copy from the sample's paragraphs

from layout.display import GlyphRun, Image
from layout.imaging import image_size
from layout.model.load import load_edition
from layout.page.context import EditionContext
from layout.page.measure import ASPECT_LIMIT, Measurer
from layout.pipeline import compose_edition
from layout.typeface import load_face

PHOTO = ROOT / "editions" / "photos" / "robot-standin.jpg"
BODY = ("body", "dateline", "runin")


def _story(i: int, length: int, **extra) -> dict:
    return {"id": f"s{i}", "section": "测试", "priority": i,
            "headline": f"第{i}条新闻的标题在这里", "body": _copy(length, i), **extra}


def _photo(file: Path = PHOTO, **extra) -> list[dict]:
    return [{"file": str(file), "caption": "技术人员在车间内调试开关室复合机器人。",
             "credit": "本报记者 摄", **extra}]


def _edition(folder: Path, articles: list[dict], style: str = "broadsheet") -> Path:
    text = (ROOT / "styles" / f"{style}.yaml").read_text(encoding="utf-8")
    # A generous time limit keeps the search complete whatever the machine's load.
    (folder / "style.yaml").write_text(text + "\nmakeup:\n  time_limit: 60\n",
                                       encoding="utf-8")
    doc = {"paper": "测试报", "date": "2024-01-02", "style": "style.yaml",
           "pages": [{"number": 3, "name": "测试", "sections": ["测试"]}],
           "articles": articles}
    path = folder / "edition.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# A 4,300-character lead with a photo: before the engine chose photo widths its picture was
# as wide as the story, deeper than the page at every span, and the lead was not set at all.
PAGES = {
    "broadsheet": [_story(1, 4300, photos=_photo()), _story(2, 1800), _story(3, 900),
                   _story(4, 700), _story(5, 500)],
    "tabloid": [_story(1, 2000, photos=_photo()), _story(2, 800), _story(3, 400)],
}


@pytest.fixture(scope="module", params=sorted(PAGES))
def built(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    path = _edition(folder, PAGES[request.param], request.param)
    return path, compose_edition(path)


def _inset_geometry(build, article_id: str):
    article = next(a for a in build.edition.articles if a.id == article_id)
    page = next(p for p in build.pages if p.number == article.place.page)
    images = [i for i in page.items if isinstance(i, Image) and i.article == article_id]
    return article, page, images


def test_P6_a_long_story_is_set_with_its_photo_narrower_than_the_story(built):
    path, build = built
    grid = build.edition.style.grid
    assert not build.makeup.not_set
    article, page, images = _inset_geometry(build, "s1")
    place = article.place
    assert place.engine and place.span >= 3
    photo_place = article.photos[0].place
    assert photo_place is not None and photo_place.engine
    image, = images
    # A whole number of columns (P6), at least 2, narrower than the story.
    columns = [k for k in range(1, place.span + 1) if abs(image.w - grid.span_width(k)) < 0.01]
    assert columns == [photo_place.span] and 2 <= photo_place.span < place.span
    # Against the box's right edge, inside the box.
    assert abs(image.x - grid.column_x(place.end_column - photo_place.span)) < 0.01
    assert grid.line_top(place.top) - 0.01 <= image.y
    assert image.y + image.h <= grid.line_top(place.bottom) + 0.01
    # Within the aspect limit, never below a third of its width.
    px_w, px_h = image_size(PHOTO)
    ratio = (image.w / image.h) / (px_w / px_h)
    assert 1 / ASPECT_LIMIT - 0.01 <= ratio <= ASPECT_LIMIT + 0.01
    assert image.h >= image.w / 3


def test_P6_the_text_runs_beside_and_under_the_photo_and_none_is_lost(built):
    path, build = built
    grid = build.edition.style.grid
    article, page, (image,) = _inset_geometry(build, "s1")
    body = [r for r in page.items if isinstance(r, GlyphRun) and r.article == "s1"
            and r.role in BODY]
    # Nothing of the body is drawn on the picture or its caption.
    caption_end = max(r.y for r in page.items if isinstance(r, GlyphRun) and r.article == "s1"
                      and r.role in ("caption", "credit", "photo_title"))
    for run in body:
        inside_x = image.x - 0.5 <= run.x < image.x + image.w
        assert not (inside_x and image.y <= run.y <= caption_end), run
    beside = [r for r in body if r.x < image.x - grid.gutter and image.y < r.y < image.y + image.h]
    under = [r for r in body if r.x >= image.x - grid.gutter and r.y > caption_end]
    assert beside and under
    fit = next(f for f in page.articles if f.id == "s1")
    assert fit.overflow_lines == 0
    assert fit.chars_set + fit.overflow_chars == len("".join(article.source_text.split()))


def test_P6_the_measure_is_the_set_page(built):
    """The depth the search measured for the story at its span is the depth that is set:
    the capacity of the set body (its slots) is the measure's room, all text set, ≤ 2 spare
    lines in a column (P1)."""
    path, build = built
    grid = build.edition.style.grid
    edition = load_edition(path)
    faces = {k: load_face(f) for k, f in edition.style.fonts.items()}
    measurer = Measurer(EditionContext(edition, faces))
    source = next(a for a in edition.articles if a.id == "s1")
    article, page, (image,) = _inset_geometry(build, "s1")
    place = article.place
    measured = measurer.fit(source, place.span)
    inner = place.depth - (0 if place.bottom == grid.lines else 1)
    low, high = measured.depth_range()
    assert low <= inner <= high
    assert measured.photo_lines(inner) == (article.photos[0].place.lines,)
    assert abs(image.h - article.photos[0].place.lines * grid.pitch) < 0.01
    room, spare = measured.text_room(inner)
    fit = next(f for f in page.articles if f.id == "s1")
    assert fit.capacity_lines == room
    assert fit.lines == measured.body_lines
    assert 0 <= spare <= 2


def test_P6_plan_writes_the_photo_place_and_the_planned_file_builds_the_same_page(built):
    path, build = built
    planned = path.with_name("planned.yaml")
    result = subprocess.run([sys.executable, "-m", "layout", "plan", str(path), "-o",
                             str(planned)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    text = planned.read_text(encoding="utf-8")
    photo_place = next(a for a in build.edition.articles if a.id == "s1").photos[0].place
    written = (f"place: {{column: {photo_place.column + 1}, span: {photo_place.span}, top: 0, "
               f"lines: {photo_place.lines}, by: engine}}")
    assert written in text
    again = compose_edition(planned)
    assert [p.items for p in again.pages] == [p.items for p in build.pages]
    # Planning the planned file again re-solves the engine's places (photos too): the same.
    result = subprocess.run([sys.executable, "-m", "layout", "plan", str(planned)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert planned.read_text(encoding="utf-8") == text


def _lone(tmp_path: Path, story: dict, style: str = "broadsheet"):
    """`story` on a page with other stories (without photos) that fill it."""
    others = [_story(i, n) for i, n in ((2, 2600), (3, 1500), (4, 1100), (5, 800))]
    build = compose_edition(_edition(tmp_path, [story, *others], style))
    assert story["id"] not in build.makeup.not_set
    article, page, images = _inset_geometry(build, story["id"])
    return build.edition.style.grid, article, images


def test_P6_a_narrow_story_keeps_its_photo_as_wide_as_the_story(tmp_path):
    grid, article, (image,) = _lone(tmp_path, _story(1, 1500, photos=_photo(), max_span=2))
    assert article.place.span <= 2 and article.photos[0].place is None
    assert abs(image.w - grid.span_width(article.place.span)) < 0.01
    assert abs(image.x - grid.column_x(article.place.column)) < 0.01


def test_P6_a_photo_the_editor_sized_or_placed_stays_as_given(tmp_path):
    sized = _story(1, 3000, photos=_photo(lines=12), min_span=4, max_span=4)
    grid, article, (image,) = _lone(tmp_path, sized)
    assert article.photos[0].place is None and article.photos[0].lines == 12
    assert abs(image.w - grid.span_width(4)) < 0.01 and abs(image.h - 12 * grid.pitch) < 0.01
    (tmp_path / "b").mkdir()
    placed = _story(1, 3000, photos=_photo(place={"column": 1, "span": 2, "top": 2,
                                                  "lines": 10}), min_span=4, max_span=4)
    grid, article, (image,) = _lone(tmp_path / "b", placed)
    assert not article.photos[0].place.engine
    assert abs(image.x - grid.column_x(article.place.column)) < 0.01
    assert abs(image.w - grid.span_width(2)) < 0.01 and abs(image.h - 10 * grid.pitch) < 0.01


def test_P6_a_picture_story_stays_as_wide_as_its_box(tmp_path):
    stories = [_story(1, 3000), {"id": "pic", "section": "测试", "priority": 2,
                                 "photos": _photo()}, _story(3, 1200)]
    build = compose_edition(_edition(tmp_path, stories))
    grid = build.edition.style.grid
    article, page, (image,) = _inset_geometry(build, "pic")
    assert article.photos[0].place is None
    assert abs(image.w - grid.span_width(article.place.span)) < 0.01


def test_P6_plan_writes_a_photo_place_into_a_one_line_photo_and_drops_a_stale_one():
    from layout.model.planfile import PlannedPhoto, PlannedPlace, plan_text

    text = ("articles:\n"
            "  - id: a\n    section: x\n"
            "    photos:\n      - {file: p.jpg, caption: 说明}   # the picture\n"
            "    body: 文字\n"
            "  - id: b\n    section: x\n"
            "    photos:\n      - file: p.jpg\n"
            "        place: {column: 1, span: 2, top: 0, lines: 9, by: engine}  # old\n"
            "      - file: q.jpg\n"
            "        place: {column: 1, span: 1, top: 3, lines: 5}  # the editor's\n"
            "    body: 文字\n")
    out = plan_text(text, {
        "a": PlannedPlace(3, 1, 5, 0, 60, (), (PlannedPhoto(3, 3, 0, 20),)),
        "b": PlannedPlace(3, 6, 2, 0, 60, (), (None, PlannedPhoto(2, 1, 0, 7)))})
    data = yaml.safe_load(out)
    a, b = data["articles"]
    assert a["photos"][0]["place"] == {"column": 3, "span": 3, "top": 0, "lines": 20,
                                       "by": "engine"}
    assert "# the picture" in out
    assert "place" not in b["photos"][0]                       # the stale engine place
    assert b["photos"][1]["place"] == {"column": 1, "span": 1, "top": 3, "lines": 5}


def test_P6_the_report_gives_the_photo_place_the_engine_chose(built):
    from layout.report import to_json

    path, build = built
    article = next(a for a in build.edition.articles if a.id == "s1")
    report = to_json(build)
    entry = next(a for p in report["pages"] for a in p["articles"] if a["id"] == "s1")
    place = article.photos[0].place
    assert entry["photos"] == [{"file": str(PHOTO), "lines": place.lines,
                                "place": {"column": place.column + 1, "span": place.span,
                                          "top": 0},
                                "placed_by": "engine"}]


def test_P6_two_photos_of_a_wide_story_are_stacked_beside_the_text(tmp_path):
    """Both photos of a long story go narrower than the story, one under the other against
    its right edge (the second under the first one's caption), and the set page is the
    measured one."""
    from PIL import Image as PILImage

    wide = tmp_path / "wide.jpg"
    PILImage.new("RGB", (1600, 700), (128, 128, 128)).save(wide, quality=60)
    lead = _story(1, 4300, photos=_photo() + _photo(wide))
    path = _edition(tmp_path, [lead, _story(2, 1800), _story(3, 900), _story(4, 700)])
    build = compose_edition(path)
    grid = build.edition.style.grid
    article, page, images = _inset_geometry(build, "s1")
    place = article.place
    first, second = (photo.place for photo in article.photos)
    assert first.engine and second.engine and place.span >= 3
    assert first.column == second.column and first.span == second.span < place.span
    assert first.column + first.span == place.span and first.top == 0
    one, two = sorted(images, key=lambda i: i.y)
    assert abs(one.x - two.x) < 0.01 and abs(one.w - grid.span_width(first.span)) < 0.01
    assert one.y + one.h < two.y and two.y + two.h <= grid.line_top(place.bottom) + 0.01
    assert two.y - one.y == pytest.approx((second.top - first.top) * grid.pitch)
    for image, file in ((one, PHOTO), (two, wide)):
        px_w, px_h = image_size(file)
        ratio = (image.w / image.h) / (px_w / px_h)
        assert 1 / ASPECT_LIMIT - 0.01 <= ratio <= ASPECT_LIMIT + 0.01
    edition = load_edition(path)
    faces = {k: load_face(f) for k, f in edition.style.fonts.items()}
    measured = Measurer(EditionContext(edition, faces)).fit(edition.articles[0], place.span)
    inner = place.depth - (0 if place.bottom == grid.lines else 1)
    assert measured.photo_lines(inner) == (first.lines, second.lines)
    fit = next(f for f in page.articles if f.id == "s1")
    assert fit.capacity_lines == measured.text_room(inner)[0]
    assert fit.overflow_lines == 0 and fit.lines == measured.body_lines


@pytest.mark.parametrize("delta", [-2, 0, 3])
def test_P6_stacked_photos_move_together_when_copyfitting_resizes_them(tmp_path, delta):
    """Copyfitting (fit: auto) grows or shrinks every picture by the same lines: a photo
    stacked under another moves with it, so pictures and captions never overlap."""
    from layout.page.photos import measure_photos

    story = _story(1, 3000, photos=_photo(place={"column": 2, "span": 2, "top": 0,
                                                 "lines": 12})
                   + _photo(place={"column": 2, "span": 2, "top": 16, "lines": 10}),
                   place={"page": 3, "column": 1, "span": 3, "top": 0, "depth": 102})
    edition = load_edition(_edition(tmp_path, [story]))
    faces = {k: load_face(f) for k, f in edition.style.fonts.items()}
    ctx = EditionContext(edition, faces)
    article = edition.articles[0]
    set_photos, obstacles = measure_photos(ctx, article, article.place, [5, 5, 5],
                                           [101, 101, 101], delta)
    one, two = set_photos
    assert (one.line, one.picture_lines) == (5, 12 + delta)
    assert (two.line, two.picture_lines) == (5 + 16 + delta, 10 + delta)
    assert obstacles[0].end <= obstacles[1].first


def test_P6_plan_chooses_an_engine_photo_place_again_and_keeps_the_editors(built):
    """`plan` re-solves places marked `by: engine`, the photo's among them (an engine photo
    place is not taken for the editor's); once the editor deletes its `by: engine`, the
    photo's place is locked and stays."""
    path, build = built
    planned = path.with_name("replanned.yaml")      # beside its style file
    subprocess.run([sys.executable, "-m", "layout", "plan", str(path), "-o", str(planned)],
                   check=True, capture_output=True)
    text = planned.read_text(encoding="utf-8")
    place = next(a for a in build.edition.articles if a.id == "s1").photos[0].place
    written = f"top: 0, lines: {place.lines}, by: engine}}"
    assert written in text
    planned.write_text(text.replace(written, "top: 0, lines: 5, by: engine}"),
                       encoding="utf-8")
    subprocess.run([sys.executable, "-m", "layout", "plan", str(planned)], check=True,
                   capture_output=True)
    assert planned.read_text(encoding="utf-8") == text
    # Locked by the editor: a smaller picture stays as given, the text flows around it.
    locked = text.replace(written, "top: 0, lines: 5}")
    planned.write_text(locked, encoding="utf-8")
    again = compose_edition(planned)
    article, page, (image,) = _inset_geometry(again, "s1")
    assert not article.photos[0].place.engine and article.photos[0].place.lines == 5
    assert abs(image.h - 5 * again.edition.style.grid.pitch) < 0.01


# ----------------------------------------------------------------------------- property

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SHAPES = {"wide": (1600, 700), "sample": None, "tall": (800, 1200)}


@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(stories=st.lists(st.tuples(st.integers(300, 5000), st.sampled_from([None, *SHAPES])),
                        min_size=2, max_size=6),
       style=st.sampled_from(["broadsheet", "tabloid"]))
def test_P6_property_every_engine_photo_is_set_as_measured(tmp_path_factory, stories, style):
    """Random pages of stories with photos of three shapes: every photo the engine set
    narrower than its story is inside the box, within the aspect limit, and the body around
    it holds exactly the cells the measure counted; no text is lost."""
    from PIL import Image as PILImage

    folder = tmp_path_factory.mktemp("inset")
    files = {"sample": PHOTO}
    for name, size in SHAPES.items():
        if size:
            files[name] = folder / f"{name}.jpg"
            PILImage.new("RGB", size, (128, 128, 128)).save(files[name], quality=60)
    articles = [_story(i, n, **({"photos": _photo(files[shape])} if shape else {}))
                for i, (n, shape) in enumerate(stories, 1)]
    path = _edition(folder, articles, style)
    build = compose_edition(path)
    grid = build.edition.style.grid
    edition = load_edition(path)
    faces = {k: load_face(f) for k, f in edition.style.fonts.items()}
    measurer = Measurer(EditionContext(edition, faces))
    source = {a.id: a for a in edition.articles}
    fits = {f.id: f for p in build.pages for f in p.articles}
    over = {d.article for d in build.diagnostics if d.code == "overfull"}
    for article in build.edition.articles:
        if article.place is None:
            assert article.id in over
            continue
        fit = fits[article.id]
        assert fit.chars_set + fit.overflow_chars == len("".join(article.source_text.split()))
        photo = article.photos[0] if article.photos else None
        if photo is None or photo.place is None:
            continue
        place = article.place
        assert photo.place.engine and 2 <= photo.place.span < place.span
        measured = measurer.fit(source[article.id], place.span)
        inner = place.depth - (0 if place.bottom == grid.lines else 1)
        assert measured.photo_lines(inner) == (photo.place.lines,)
        assert fit.capacity_lines == measured.text_room(inner)[0]
        page = next(p for p in build.pages if p.number == place.page)
        image, = [i for i in page.items if isinstance(i, Image) and i.article == article.id]
        assert image.y + image.h <= grid.line_top(place.bottom) + 0.01
        px_w, px_h = image_size(photo.file)
        ratio = (image.w / image.h) / (px_w / px_h)
        assert 1 / ASPECT_LIMIT - 0.01 <= ratio <= ASPECT_LIMIT + 0.01


def test_P6_check_shows_the_photo_the_engine_set_in_the_box(built):
    path, build = built
    result = subprocess.run([sys.executable, "-m", "layout", "check", str(path)],
                            capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr
    article = next(a for a in build.edition.articles if a.id == "s1")
    place, photo = article.place, article.photos[0].place
    first = place.column + photo.column + 1
    row = next(line for line in result.stdout.splitlines() if " s1 " in line)
    assert f"* photo c{first}–{first + photo.span - 1} {photo.lines} " in row
    assert "photo: page columns and picture lines" in result.stdout


def test_P6_a_bad_by_in_a_photo_place_exits_2_naming_file_line_and_field(tmp_path):
    story = _story(1, 800, photos=_photo(place={"column": 1, "span": 1, "top": 0, "lines": 5,
                                                "by": "robot"}))
    path = _edition(tmp_path, [story])
    result = subprocess.run([sys.executable, "-m", "layout", "check", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "articles[s1].photos[0].place.by" in result.stderr
    assert "edition.yaml:" in result.stderr and "engine" in result.stderr
