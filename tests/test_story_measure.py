"""Measuring a story and setting it share one composition of its body (layout/page/text.py).

The makeup engine measures each story at many spans; setting the story it placed must not
compose the same body at the same measure again, and what a cached composition gives must
be exactly what composing afresh gives (a cache makes a build faster, never different).
"""

from __future__ import annotations

from conftest import ROOT

from layout import cache as build_cache
from layout.compose.paragraph import compose
from layout.flow import columns
from layout.flow.columns import Region, flow, place_lines
from layout.model.load import load_edition
from layout.page.context import EditionContext, body_settings
from layout.page.text import Compositions, body_paragraphs, compose_body, compositions
from layout.pipeline import compose_edition, trace_text
from layout.typeface import Faces

AUTO = ROOT / "editions" / "hucheng-2023-12-29-auto.yaml"
SAMPLE = ROOT / "editions" / "hucheng-2023-12-29.yaml"


def _context(path=SAMPLE) -> EditionContext:
    edition = load_edition(path)
    return EditionContext(edition, Faces(edition.style.fonts, edition.style.fallback))


def test_a_cached_body_is_the_composers_own_lines():
    ctx = _context()
    settings = body_settings(ctx.style)
    for article in ctx.edition.articles:
        paragraphs = body_paragraphs(ctx, article, [])
        composed = compose_body(ctx, paragraphs, settings)
        again = compose_body(ctx, body_paragraphs(ctx, article, []), settings)
        assert again is composed        # found by content, not by the list passed in
        fresh = [tuple(compose(spans, [ctx.grid.column_width], settings))
                 for spans in paragraphs]
        assert [lines for _, lines in composed] == fresh
    # Other settings (copyfitting) are another composition, never the cached one.
    article = next(a for a in ctx.edition.articles if a.body)
    paragraphs = body_paragraphs(ctx, article, [])
    tight = body_settings(ctx.style, tracking=-0.04, punctuation="kaiming")
    assert compose_body(ctx, paragraphs, tight) is not compose_body(ctx, paragraphs, settings)


def test_placing_composed_lines_equals_flowing_them():
    ctx = _context()
    settings = body_settings(ctx.style)
    grid = ctx.grid
    for article in ctx.edition.articles:
        paragraphs = body_paragraphs(ctx, article, [])
        composed = compose_body(ctx, paragraphs, settings)
        for depth in (3, 20, 200):        # overflowing, and with room to spare
            regions = [Region(grid.column_x(c), grid.column_width, 4, depth, 5)
                       for c in range(3)]
            assert place_lines(composed, regions) == flow(paragraphs, regions, settings)


def test_the_compositions_belong_to_the_builds_faces():
    ctx = _context()
    assert compositions(ctx.faces) is compositions(ctx.faces)
    assert compositions(ctx.faces) is not compositions(_context().faces)
    # A plain dict of faces cannot be watched: it gets a cache of its own each time.
    assert compositions(dict(ctx.faces)) is not compositions(dict(ctx.faces))


def test_setting_an_engine_placed_story_composes_no_body_again(monkeypatch, tmp_path):
    """Every body composed while measuring is found again when the stories are set."""
    made = []
    original = Faces.__init__

    def keep(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    flowed = []
    # Without the build cache: a page solution found there would skip the measuring.
    monkeypatch.setattr(build_cache._state, "enabled", False)
    monkeypatch.setattr(build_cache._state, "scratch", tmp_path)
    monkeypatch.setattr(Faces, "__init__", keep)
    monkeypatch.setattr(columns, "compose", lambda *args: flowed.append(args) or [])
    build = compose_edition(AUTO)
    assert all(a.place is not None and a.place.engine for a in build.edition.articles)
    book = compositions(made[-1])
    # Each paragraph composed once, at the default settings (no story of this edition is
    # copyfitted or over), and found again when its story is set; the flow composed none.
    assert book.made == sum(len(a.body) for a in build.edition.articles)
    assert book.reused >= sum(1 for a in build.edition.articles if a.body)
    assert not flowed
    assert not [d for d in build.diagnostics if d.code in ("overflow", "copyfit")]


def test_the_cache_makes_the_build_faster_never_different(monkeypatch):
    """The engine's build (stories measured, then set from the cache) traces exactly as a
    build where every body, headline and caption is composed afresh each time."""
    cached = trace_text(compose_edition(AUTO))
    original = Compositions.body

    def fresh(self, paragraphs, measure, settings):
        self._found.clear()
        return original(self, paragraphs, measure, settings)

    monkeypatch.setattr(Compositions, "body", fresh)
    # Headlines, rubrics and captions composed afresh at every call, too.
    monkeypatch.setattr(Compositions, "memo", lambda self, key, face, make, *args: make(*args))
    assert trace_text(compose_edition(AUTO)) == cached
