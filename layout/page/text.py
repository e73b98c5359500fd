"""A story's body text as the composer takes it, and its composition kept for the build.

The makeup search measures a story's body at the column measure, and setting the story
places the same lines: every body region of a box is one column wide, so the body is
composed once per (text, measure, settings) and both read that one composition. The
composer is a pure function of the spans (text, font key, metrics), the measures and the
settings, so a composition found under exactly those keys is the one the composer would
make again: the cache makes a build faster, never different.

The compositions live as long as the build's faces (one `Faces` per build): the makeup
stage and page composition each make their own `EditionContext`, but share the faces.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from layout.compose.normalize import normalize
from layout.compose.paragraph import Line, Settings, Span, compose
from layout.model.edition import Article
from layout.page.context import EditionContext
from layout.typeface import FaceMetrics

T = TypeVar("T")
Paragraphs = list[list[Span]]
Composed = tuple[tuple[str, tuple[Line, ...]], ...]     # (text, lines) per paragraph


class Compositions:
    """Compositions of one build, by exact content (text, fonts, measure, settings): story
    bodies, and the lines of headlines and captions (measured at a span, set at it)."""

    def __init__(self) -> None:
        self._found: dict[tuple, tuple[Paragraphs, Composed]] = {}
        self._small: dict[tuple, tuple[FaceMetrics, Any]] = {}
        self.made = 0           # paragraphs composed (for tests and benchmarks)
        self.reused = 0         # stories found composed

    def memo(self, key: tuple, face: FaceMetrics, make: Callable[..., T], *args: Any) -> T:
        """A headline's or caption's composition: `key` names everything it depends on but
        the face it is composed with (text, role, width, alignment); `make(*args)` composes
        it."""
        full = (key, id(face))
        found = self._small.get(full)
        if found is None:
            # The face is kept with the value, so its id is not reused while it is.
            found = self._small[full] = (face, make(*args))
        return found[1]

    @staticmethod
    def _key(paragraphs: Paragraphs, measure: float, settings: Settings) -> tuple:
        return (measure, settings, tuple(
            tuple((span.text, span.font, id(span.face), id(span.fallback)) for span in spans)
            for spans in paragraphs))

    def body(self, paragraphs: Paragraphs, measure: float, settings: Settings) -> Composed:
        """Every paragraph composed at one measure: (text, lines) each."""
        key = self._key(paragraphs, measure, settings)
        found = self._found.get(key)
        if found is not None:
            self.reused += 1
            return found[1]
        composed = tuple(("".join(span.text for span in spans),
                          tuple(compose(spans, [measure], settings))) for spans in paragraphs)
        self.made += len(paragraphs)
        # The spans are kept with the result: their faces stay alive, so the ids in the
        # key cannot be taken by other faces while the entry exists.
        self._found[key] = (paragraphs, composed)
        return composed

    def add_body(self, paragraphs: Paragraphs, measure: float, settings: Settings,
                 composed: Composed) -> bool:
        """Keep a body another process composed from the same paragraphs (the makeup's
        child, layout/makeup/handback.py), as `body` would have made it here. A composition
        whose texts are not the paragraphs' is refused (False): it would not be the
        composer's for these spans."""
        if len(composed) != len(paragraphs) or any(
                text != "".join(span.text for span in spans)
                for (text, _), spans in zip(composed, paragraphs)):
            return False
        self._found.setdefault(self._key(paragraphs, measure, settings),
                               (paragraphs, composed))
        return True


_BY_FACES: dict[int, Compositions] = {}


def compositions(faces: Mapping) -> Compositions:
    """The compositions of the build that owns `faces`; dropped with the faces. A faces
    mapping that cannot be watched (a plain dict) gets a cache of its own each time."""
    key = id(faces)
    found = _BY_FACES.get(key)
    if found is not None:
        return found
    book = Compositions()
    try:
        weakref.finalize(faces, _BY_FACES.pop, key, None)
    except TypeError:
        return book
    _BY_FACES[key] = book
    return book


def body_paragraphs(ctx: EditionContext, article: Article,
                    changes: list[tuple[int, int, str, str]], *,
                    report: bool = True) -> Paragraphs:
    """The body as spans per paragraph (dateline and run-in head first); ASCII marks set
    as Chinese ones are added to `changes` as (paragraph, index, old, new). `report`
    checks the glyphs (measuring, which reports nothing, does not)."""
    style = ctx.style
    roles = style.roles
    normalize_marks = style.composition.normalize_punctuation
    paragraphs = []
    for index, paragraph in enumerate(article.body):
        text = paragraph.text
        if normalize_marks:
            text, changed = normalize(text)
            changes.extend((index, c.index, c.old, c.new) for c in changed)
        spans = []
        if index == 0 and article.byline:
            byline = normalize(article.byline)[0] if normalize_marks else article.byline
            spans.append(Span(byline, roles["dateline"].font, ctx.face("dateline")))
            if report:
                ctx.check_glyphs(byline, "dateline", article)
        if paragraph.runin:
            runin = normalize(paragraph.runin)[0] if normalize_marks else paragraph.runin
            spans.append(Span(runin, roles["runin"].font, ctx.face("runin")))
            if report:
                ctx.check_glyphs(runin, "runin", article)
        spans.append(Span(text, roles["body"].font, ctx.face("body")))
        if report:
            ctx.check_glyphs(text, "body", article)
        paragraphs.append(spans)
    return paragraphs


def span_roles(article: Article,
               paragraphs: Sequence[Sequence[Span]]) -> list[tuple[tuple[int, str], ...]]:
    """Per paragraph: (first character, role) of each span — dateline, run-in head, body."""
    out = []
    for index, spans in enumerate(paragraphs):
        names = ["body"] * len(spans)
        if index == 0 and article.byline:
            names[0] = "dateline"
        if index < len(article.body) and article.body[index].runin:
            names[-2] = "runin"
        starts, offset = [], 0
        for span, name in zip(spans, names):
            starts.append((offset, name))
            offset += len(span.text)
        out.append(tuple(starts))
    return out


def compose_body(ctx: EditionContext, paragraphs: Paragraphs, settings: Settings) -> Composed:
    """The body composed at the grid's column measure (the measure of every body region)."""
    return compositions(ctx.faces).body(paragraphs, ctx.grid.column_width, settings)


def lines_needed(ctx: EditionContext, paragraphs: Paragraphs, settings: Settings) -> int:
    """Body lines at the column measure."""
    return sum(len(lines) for _, lines in compose_body(ctx, paragraphs, settings))
