"""Set one placed story: `measure_story` works it out, `emit_story` draws it.

A story is measured once per build, whatever pages it touches: a jump (转版) splits one
flow of lines between a box on one page and its continuation on another.

`measure_story` is pure: from the article and its boxes it works out the head, the
photos, the body regions and the flow of the body through them (with the copyfitting
steps of `fit: auto`), the fit (容字量) and the composition counts, and collects its
diagnostics in the result instead of reporting them. No display item is made; the body
lines come from the build's compositions (page/text.py), so a story the makeup engine
measured is not composed again. `emit_story` turns the measured story into display
items, page by page, in drawing order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from layout.compose.paragraph import Settings
from layout.compose.quality import Quality
from layout.diagnostics import ERROR, INFO, Diagnostic, InputError
from layout.display import ArticleFit, Item
from layout.flow.columns import Region, slots_of
from layout.model.edition import Article, Placement
from layout.page.blocks import Block
from layout.page.body import (
    Continuation,
    Flowed,
    body_quality,
    body_runs,
    column_ends,
    continuation_head,
    flow_jump,
    jump_line,
    jump_text,
    placed_runs,
    regions,
)
from layout.page.context import EditionContext, body_settings
from layout.page.head import Head, emit_head, measure_head
from layout.page.photos import SetPhoto, emit_photo, measure_photos
from layout.page.text import Paragraphs, body_paragraphs, compose_body, lines_needed, span_roles

# Copyfitting steps (fit: auto), smallest first; body type size never changes.
_TIGHTEN = (("开明式标点 (pause marks half width)", 0.0, "kaiming"),
            ("字距 −0.02 em", -0.02, "kaiming"), ("字距 −0.04 em", -0.04, "kaiming"))
_LOOSEN = (("字距 +0.02 em", 0.02, "quanjiao"), ("字距 +0.04 em", 0.04, "quanjiao"))


@dataclass(frozen=True, slots=True)
class _Attempt:
    """The body set with one copyfitting step: photos, regions of both boxes, the flow."""

    flowed: Flowed
    photos: tuple[SetPhoto, ...]
    first: tuple[Region, ...]
    cont: tuple[Region, ...]
    settings: Settings


@dataclass(frozen=True, slots=True)
class MeasuredStory:
    """A placed story worked out in full: everything `emit_story` draws, its fit and
    counts, and the diagnostics it raised (in the order it raised them)."""

    article: Article
    boxes: tuple[Placement, ...]
    head: Head
    continuation: Continuation | None
    photos: tuple[SetPhoto, ...]
    flowed: Flowed
    regions: tuple[Region, ...]             # of both boxes, in flow order
    span_roles: tuple[tuple[tuple[int, str], ...], ...]
    jump: tuple[Block, float, float] | None  # the 下转 line at the foot of the first box
    fit: ArticleFit
    quality: Quality
    diagnostics: tuple[Diagnostic, ...]


def measure_story(ctx: EditionContext, article: Article) -> MeasuredStory | None:
    """Work out a placed story (None for an article without a place). Raises InputError
    for a box its headline or photos cannot fit (the edition must be corrected)."""
    place = article.place
    if place is None:
        return None
    # The story's diagnostics go to a scratch collector and into the result; the set of
    # fallback characters already listed is the build's (each is named once per story).
    ctx = EditionContext(ctx.edition, ctx.faces, ctx.draft, [], ctx.fallback_listed)
    grid = ctx.grid
    head = measure_head(ctx, article, place)
    starts = list(head.starts)
    ends = column_ends(ctx, place)
    for i, (a, b) in enumerate(zip(starts, ends)):
        if a > b:
            raise InputError([Diagnostic(
                ERROR, "placement", f"the headline of article {article.id!r} needs "
                f"{a - place.top} lines but column {place.column + i + 1} of its box has "
                f"{b - place.top}", str(ctx.edition.file), place.line,
                f"articles[{article.id}].place", "deepen the box or shorten the headline",
                article.id)])
    changes: list[tuple[int, int, str, str]] = []
    paragraphs = body_paragraphs(ctx, article, changes)
    if changes:
        ctx.warn("normalized", f"{len(changes)} ASCII punctuation marks set as full-width "
                 "Chinese marks (positions in the report)", article, severity=INFO,
                 field=f"articles[{article.id}].body",
                 hint="composition.normalize_punctuation", page=place.page)
    continued = article.continued
    continuation = None
    if continued is not None:
        continuation = continuation_head(ctx, article, continued, place.page)

    def attempt(tracking: float, punctuation: str, photo_delta: int) -> _Attempt:
        column_starts = list(starts)
        photos, obstacles = measure_photos(ctx, article, place, column_starts, ends,
                                           photo_delta)
        first = regions(ctx, place, column_starts, ends, obstacles)
        cont = []
        if continued is not None and continuation is not None:
            cont = regions(ctx, continued, continuation.starts, column_ends(ctx, continued), [])
        settings = body_settings(ctx.style, tracking=tracking, punctuation=punctuation)
        composed = compose_body(ctx, paragraphs, settings)
        flowed = flow_jump(paragraphs, first, cont, settings, composed, grid.column_width)
        return _Attempt(flowed, tuple(photos), tuple(first), tuple(cont), settings)

    chosen = attempt(0.0, "quanjiao", 0)
    adjustments: list[str] = []
    if article.fit and paragraphs:
        chosen = _copyfit(ctx, article, attempt, chosen, adjustments)
    flowed = chosen.flowed
    roles = span_roles(article, paragraphs)
    quality = body_quality(ctx, article, flowed)
    jump = None
    if flowed.jumped:
        assert continued is not None
        last = slots_of(chosen.first)[flowed.first_slots]
        jump = (jump_line(ctx, article, jump_text("下转", continued.page),
                          width=grid.column_width, align="right"),
                last[2], grid.baseline(last[1]))
    elif continued is not None:
        ctx.warn("jump-unused", f"article {article.id!r} fits its first box; the continuation "
                 f"on page {continued.page} stays empty", article,
                 field=f"articles[{article.id}].continued", page=continued.page,
                 hint="delete continued: (the box on page "
                 f"{continued.page} is then free for other stories)")
    fit = _fit(ctx, article, chosen, paragraphs, changes, adjustments)
    boxes = (place,) if continued is None else (place, continued)
    return MeasuredStory(article, boxes, head, continuation, chosen.photos, flowed,
                         chosen.first + chosen.cont, tuple(roles), jump, fit, quality,
                         tuple(ctx.diagnostics))


def emit_story(ctx: EditionContext, story: MeasuredStory) -> dict[int, list[Item]]:
    """The story's display items by page, in drawing order: head, continuation head,
    photos, body lines, the 下转 line."""
    article = story.article
    page = story.boxes[0].page
    items: dict[int, list[Item]] = {}
    head = emit_head(ctx, story.head)
    if head:
        items[page] = head
    if story.continuation is not None:
        cont = items.setdefault(story.boxes[1].page, [])
        cont.extend(placed_runs(story.continuation.headline))
        cont.extend(placed_runs(story.continuation.jump))
    for photo in story.photos:
        items.setdefault(page, []).extend(emit_photo(ctx, article, photo))
    for number, runs in body_runs(ctx, article, story.flowed, list(story.regions),
                                  list(story.span_roles)).items():
        items.setdefault(number, []).extend(runs)
    if story.jump is not None:
        items.setdefault(page, []).extend(placed_runs(story.jump))
    return items


def _copyfit(ctx: EditionContext, article: Article, attempt, chosen: _Attempt,
             adjustments: list[str]) -> _Attempt:
    """fit: auto — bounded, logged adjustments to absorb a small overflow or shortfall."""
    place = article.place
    assert place is not None
    result = chosen.flowed.result
    over = result.overflow.lines if result.overflow else 0
    spare = result.capacity - len(result.placed) - (1 if chosen.flowed.jumped else 0)
    columns = max(1, place.span)
    steps: list[tuple[str, float, str, int]] = []
    if over:
        steps = [(name, t, p, 0) for name, t, p in _TIGHTEN]
        if article.photos and article.body:
            steps += [(f"照片 −{n} 行", -0.04, "kaiming", -n) for n in (1, 2, 3)]
    elif spare >= 2 * columns:
        steps = [(name, t, p, 0) for name, t, p in _LOOSEN]
        if article.photos and article.body:
            steps += [(f"照片 +{n} 行", 0.0, "quanjiao", n) for n in (1, 2, 3)]
    for name, tracking, punctuation, photo_delta in steps:
        candidate = attempt(tracking, punctuation, photo_delta)
        result = candidate.flowed.result
        c_over = result.overflow.lines if result.overflow else 0
        c_spare = result.capacity - len(result.placed)
        if (over and not c_over) or (not over and c_spare < columns):
            adjustments.append(name)
            ctx.warn("copyfit", f"article {article.id!r}: {name}", article, severity=INFO,
                     field=f"articles[{article.id}].fit", page=place.page)
            return candidate
    if steps:
        what = f"{over} lines over" if over else f"{spare} spare lines"
        ctx.warn("copyfit", f"article {article.id!r}: no bounded adjustment absorbs its "
                 f"{what} (tried: {', '.join(step[0] for step in steps)}); left as set",
                 article, severity=INFO, field=f"articles[{article.id}].fit",
                 page=place.page)
    return chosen           # no step helped: the story as first set, not set again


def _fit(ctx: EditionContext, article: Article, chosen: _Attempt, paragraphs: Paragraphs,
         changes: list[tuple[int, int, str, str]], adjustments: list[str]) -> ArticleFit:
    """容字量: capacity from the grid, what was set, and how to make it fit (cheapest first)."""
    grid = ctx.grid
    place = article.place
    assert place is not None
    flowed = chosen.flowed
    result = flowed.result
    capacity = len(slots_of(chosen.first)) + len(slots_of(chosen.cont)) \
        - (1 if flowed.jumped else 0)
    lines = len(result.placed)
    overflow = result.overflow
    chars_set = sum(len("".join(piece.text.split())) for p in result.placed
                    for piece in p.line.pieces)
    fixes: list[tuple[str, int]] = []
    if overflow:
        over = overflow.lines
        tight = lines_needed(ctx, paragraphs, body_settings(ctx.style, punctuation="kaiming"))
        saved = lines_needed(ctx, paragraphs, chosen.settings) - tight
        if saved >= over:
            fixes.append(("tighten", saved))
        body_columns = sum(1 for r in chosen.first if r.lines) or place.span
        columns = len({r.x for r in chosen.first}) or body_columns
        if article.photos and article.body:
            fixes.append(("shrink_photo", math.ceil(over / max(1, columns))))
        fixes.append(("cut_chars", overflow.chars))
        if not place.engine:    # the engine's box is as deep as its page let it be
            fixes.append(("deepen", math.ceil(over / max(1, columns))))
        ctx.warn("overflow", f"article {article.id!r} does not fit its box: "
                 f"{over} lines ({overflow.chars} characters) over", article,
                 field=f"articles[{article.id}].place",
                 hint="; ".join(_fix_text(kind, n) for kind, n in fixes), page=place.page)
    pages = tuple(sorted({place.page} | ({article.continued.page} if article.continued
                                         else set())))
    spare = 0 if overflow else capacity - lines
    return ArticleFit(
        article.id, place.span, capacity, lines, chars_set,
        overflow.chars if overflow else 0, overflow.lines if overflow else 0,
        overflow.text if overflow else "", tuple(changes),
        capacity_chars=capacity * grid.column_chars, spare_lines=spare, fixes=tuple(fixes),
        adjustments=tuple(adjustments), pages=pages,
        overflow_break=bool(overflow and overflow.new_paragraph),
        boxes=tuple((box.page, box.column + 1, box.span, box.top, box.bottom - box.top)
                    for box in (place, article.continued) if box is not None))


def _fix_text(kind: str, n: int) -> str:
    return {
        "tighten": f"tighten the punctuation (开明式) to save {n} lines",
        "shrink_photo": f"shrink the photo by {n} lines",
        "cut_chars": f"cut {n} characters",
        "deepen": f"deepen the box by {n} lines",
    }[kind]
