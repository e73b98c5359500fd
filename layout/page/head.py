"""The head of a story: the 栏目 rubric and the headline stack (引题, 主题, 副题).

Two ways in: `head_depth` only counts the grid lines a head takes at a span (the makeup
engine asks this for every candidate span, so no glyph runs are made and nothing is
reported), and `measure_head` works out the head of a placed story with the blocks to
draw; `emit_head` turns that into display items. Both count with the same arithmetic
(`blocks.stack_baselines`), so the depth the engine plans with is the depth that is set.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from layout.compose.paragraph import Line
from layout.display import Item, Rect
from layout.model.edition import Article, Placement
from layout.model.style import RoleStyle
from layout.page.blocks import (
    Block,
    display_text,
    headline_lines,
    paragraph_lines,
    stack,
    stack_baselines,
)
from layout.page.context import EditionContext, moved
from layout.page.text import compositions
from layout.page.vertical import vertical_stack
from layout.typeface import FaceMetrics

HeadPart = tuple[Sequence[Line], RoleStyle, str]      # (lines, role, role name) of a stack


def head_lines(ctx: EditionContext, height: float, pad: float = 1.0) -> int:
    """Whole grid lines for a head `height` tall with `pad` lines of air (a headline
    stack has a line, a rubric beside a vertical headline 0.6): the one count
    `head_depth` plans with and `measure_head` sets."""
    pitch = ctx.grid.pitch
    return math.ceil((height + pitch * pad) / pitch - 1e-6)


def separator(ctx: EditionContext, place: Placement, index: int) -> int:
    """A column that stops above the foot of the type area keeps its last line for the rule."""
    return 1 if place.top + place.column_depth(index) < ctx.grid.lines else 0


# ----------------------------------------------------------------------------- headline

def headline_role(ctx: EditionContext, name: str, span: int) -> RoleStyle:
    """The role's style; the main headline's size grows with the story's span."""
    role = ctx.style.roles[name]
    if name != "headline":
        return role
    size = ctx.style.headline_size(span)
    return RoleStyle(role.font, size, size * role.leading / role.size, role.color, role.align,
                     role.tracking)


def _headline_parts(ctx: EditionContext, article: Article, width: float, span: int,
                    report: bool) -> tuple[list[HeadPart], bool]:
    """The stack's parts and whether every part broke well; `report` warns about a bad
    break and checks the glyphs (setting does, measuring does not)."""
    normalize_marks = ctx.style.composition.normalize_punctuation
    book = compositions(ctx.faces)
    parts: list[HeadPart] = []
    good_all = True
    for name, text in (("kicker", article.kicker), ("headline", article.headline),
                       ("subhead", article.subhead)):
        if not text:
            continue
        role = headline_role(ctx, name, span)
        text = display_text(text, normalize_marks)
        face = ctx.face(name)
        # Measured at a span, then set at the span chosen: broken once.
        lines, good = book.memo(("headline", text, role, width), face, _broken, text, face,
                                role, width)
        good_all = good_all and good
        if report:
            if not good:
                ctx.warn("headline-break", f"the {name} {text!r} does not break well across "
                         f"{len(lines)} lines at {role.size:g} pt in {span} columns",
                         article, field=f"articles[{article.id}].{name}",
                         hint="mark the break with | or a space between phrases, or shorten "
                         "it")
            ctx.check_glyphs(text, name, article)
        parts.append((lines, role, name))
    return parts, good_all


def _broken(text: str, face: FaceMetrics, role: RoleStyle,
            width: float) -> tuple[tuple[Line, ...], bool]:
    lines, good = headline_lines(text, face, role, width)
    return tuple(lines), good


def _headline_gap(ctx: EditionContext) -> float:
    return ctx.style.roles["kicker"].size * 0.4


def headline_block(ctx: EditionContext, article: Article, width: float,
                   span: int) -> Block | None:
    """The headline stack set `width` wide (the headline's size from `span`); warns about
    headlines that break badly and glyphs the fonts lack."""
    parts, _ = _headline_parts(ctx, article, width, span, report=True)
    if not parts:
        return None
    return stack(parts, width, ctx.style.roles["headline"].align, article.id,
                 gap=_headline_gap(ctx))


# ----------------------------------------------------------------------------- rubric

def _rubric_pad(ctx: EditionContext) -> float:
    return ctx.style.roles["rubric"].size * 0.45


def _rubric_lines(ctx: EditionContext, article: Article) -> tuple[Sequence[Line], RoleStyle]:
    """The 栏目 label's lines (one line: it is set without a width limit)."""
    role = ctx.style.roles["rubric"]
    text = display_text(article.rubric, False)
    face = ctx.face("rubric")
    lines = compositions(ctx.faces).memo(("rubric", text, role), face, paragraph_lines, text,
                                         face, role, 1e6, "left")
    return lines, role


def _rubric_label(ctx: EditionContext, article: Article) -> Block:
    lines, role = _rubric_lines(ctx, article)
    return stack([(lines, role, "rubric")], 1e6, "left", article.id, 0.0)


def rubric_height(ctx: EditionContext, article: Article) -> float:
    """Height of the 栏目 panel (label and padding), without setting it."""
    lines, role = _rubric_lines(ctx, article)
    pad = _rubric_pad(ctx)
    return stack_baselines([(lines, role, "rubric")], 0.0)[1] + 2 * pad * 0.6


@dataclass(frozen=True, slots=True)
class Rubric:
    """The 栏目 label, reversed out of a panel: the panel's corner and size, the label."""

    x: float
    y: float
    width: float
    height: float
    label: Block


def _rubric(ctx: EditionContext, article: Article, x: float, y: float) -> Rubric:
    label = _rubric_label(ctx, article)
    pad = _rubric_pad(ctx)
    width = max(run.right for run in label.runs) + 2 * pad
    height = label.height + 2 * pad * 0.6
    ctx.check_glyphs(display_text(article.rubric, False), "rubric", article)
    return Rubric(x, y, width, height, label)


# ----------------------------------------------------------------------------- the head

def head_depth(ctx: EditionContext, article: Article, span: int) -> tuple[int, bool]:
    """Grid lines of the rubric and headline stack of a story `span` columns wide, exactly
    as `measure_head` sets them, and whether the headline breaks well. Nothing is drawn or
    reported. (A vertical headline stands beside the text: only its rubric counts here.)"""
    grid = ctx.grid
    rubric = rubric_height(ctx, article) if article.rubric else 0
    if article.vertical:
        if not article.rubric:
            return 0, True
        return head_lines(ctx, rubric, 0.6), True
    parts, good = _headline_parts(ctx, article, grid.span_width(span), span, report=False)
    if not parts and not rubric:
        return 0, good
    height = (stack_baselines(parts, _headline_gap(ctx))[1] if parts else 0.0) + rubric
    return head_lines(ctx, height), good


@dataclass(frozen=True, slots=True)
class Head:
    """A placed story's head: where the body starts in each column of its box, and what
    to draw (a vertical stack's items, the rubric, the headline block at its origin)."""

    starts: tuple[int, ...]
    vertical: tuple[Item, ...] = ()
    rubric: Rubric | None = None
    headline: tuple[Block, float, float] | None = None


def measure_head(ctx: EditionContext, article: Article, place: Placement) -> Head:
    """Set the rubric and headline stack in the story's first box (may raise InputError
    for a vertical headline deeper than its column)."""
    grid = ctx.grid
    starts = [place.top] * place.span
    x = grid.column_x(place.column)
    top = grid.line_top(place.top)
    if article.vertical:
        k = article.vertical_columns
        side = range(place.span - k, place.span) if article.vertical == "right" else range(k)
        side_x = grid.column_x(place.column + side.start)
        depth = min(place.column_depth(i) for i in side) - separator(ctx, place, side.start)
        items, lines = vertical_stack(ctx, article, side_x, place.top, grid.span_width(k), depth)
        for i in side:
            starts[i] = place.top + lines
        rest = [i for i in range(place.span) if i not in side]
        rubric = None
        if article.rubric and rest:
            rubric = _rubric(ctx, article, grid.column_x(place.column + rest[0]),
                             top + grid.pitch * 0.3)
            for i in rest:
                starts[i] += head_lines(ctx, rubric.height, 0.6)
        return Head(tuple(starts), tuple(items), rubric)
    span = place.headline_span or place.span
    width = grid.span_width(span)
    rubric = _rubric(ctx, article, x, top + grid.pitch * 0.3) if article.rubric else None
    rubric_height = rubric.height if rubric else 0
    block = headline_block(ctx, article, width, span)
    if block is None and not rubric_height:
        return Head(tuple(starts), rubric=rubric)
    height = (block.height if block else 0.0) + rubric_height
    lines = head_lines(ctx, height)
    headline = None
    if block is not None:
        headline = (block, x, top + (lines * grid.pitch - height) / 2 + rubric_height)
    for i in range(span):
        starts[i] += lines
    return Head(tuple(starts), rubric=rubric, headline=headline)


def emit_head(ctx: EditionContext, head: Head) -> list[Item]:
    """The head's display items, in drawing order."""
    items: list[Item] = list(head.vertical)
    rubric = head.rubric
    if rubric is not None:
        role = ctx.style.roles["rubric"]
        pad = _rubric_pad(ctx)
        items.append(Rect(rubric.x, rubric.y, rubric.width, rubric.height, fill=role.color))
        paper = (0.0, 0.0, 0.0, 0.0)
        items.extend(moved(run, rubric.x + pad, rubric.y + pad * 0.6, color=paper)
                     for run in rubric.label.runs)
    if head.headline is not None:
        block, x, y = head.headline
        items.extend(moved(run, x, y) for run in block.runs)
    return items
