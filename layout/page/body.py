"""The body of a placed story: its regions, the flow through them and across a jump.

A story's box is cut into column regions below its head and around its photos; the body,
composed once at the column measure (page/text.py), fills them in reading order. A jump
(转版) continues the flow in a second box on another page, under a repeated headline
(续题) and an 上接 line; the first box then ends with a 下转 line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from layout.compose.paragraph import Settings, Span
from layout.compose.quality import Quality, paragraph_quality
from layout.diagnostics import INFO
from layout.display import GlyphRun, Item
from layout.flow.columns import FlowResult, Region, balance, flow, place_lines, slots_of
from layout.model.edition import Article, Placement
from layout.model.style import RoleStyle
from layout.page.blocks import (
    Block,
    display_text,
    headline_lines,
    line_runs,
    paragraph_block,
    stack,
)
from layout.page.context import EditionContext, moved
from layout.page.head import head_lines, separator
from layout.page.photos import Obstacle
from layout.page.text import Composed

MIN_JUMP_LINES = 3


# ----------------------------------------------------------------------------- regions

def column_ends(ctx: EditionContext, place: Placement) -> list[int]:
    """The grid line each column of the box ends on (the separator line kept free)."""
    return [place.top + place.column_depth(i) - separator(ctx, place, i)
            for i in range(place.span)]


def regions(ctx: EditionContext, place: Placement, starts: Sequence[int], ends: Sequence[int],
            obstacles: Sequence[Obstacle]) -> list[Region]:
    """Body regions column by column, top to bottom, around the obstacles (whole cells)."""
    grid = ctx.grid
    out = []
    for i in range(place.span):
        segments = [(starts[i], ends[i])]
        for obstacle in obstacles:
            if i not in obstacle.columns:
                continue
            cut = []
            for a, b in segments:
                if obstacle.first > a:
                    cut.append((a, min(b, obstacle.first)))
                if obstacle.end < b:
                    cut.append((max(a, obstacle.end), b))
            segments = cut
        x = grid.column_x(place.column + i)
        out.extend(Region(x, grid.column_width, a, b - a, place.page)
                   for a, b in segments if b > a)
    return out


# ----------------------------------------------------------------------------- jumps

def jump_text(kind: str, page: int) -> str:
    return f"（{kind}第{page}版）"


def jump_line(ctx: EditionContext, article: Article, text: str, *, width: float,
              align: str) -> Block:
    """A 下转 / 上接 line, its runs relative to the body baseline it sits on."""
    role = ctx.style.roles["credit"]
    block = paragraph_block(text, ctx.face("credit"), role, "jump", width, article.id,
                            align=align)
    base = block.runs[0].y if block.runs else 0.0
    return Block(tuple(moved(run, 0, -base) for run in block.runs), block.height, block.text)


@dataclass(frozen=True, slots=True)
class Continuation:
    """The head of a jump's continuation box: 续题 and 上接 line, and where the body starts."""

    starts: tuple[int, ...]
    headline: tuple[Block, float, float]
    jump: tuple[Block, float, float]


def continuation_head(ctx: EditionContext, article: Article, place: Placement,
                      from_page: int) -> Continuation:
    """续题 and 上接 line at the top of a jump's continuation box (§4.8)."""
    grid = ctx.grid
    # The repeated headline: the headline's face at the subhead's size.
    subhead = ctx.style.roles["subhead"]
    role = RoleStyle(ctx.style.roles["headline"].font, subhead.size, subhead.leading,
                     subhead.color, "center")
    headline = display_text(article.headline.replace("|", ""),
                            ctx.style.composition.normalize_punctuation)
    width = grid.span_width(place.span)
    lines, _ = headline_lines(headline, ctx.face("headline"), role, width)
    block = stack([(lines, role, "headline")], width, "center", article.id, 0.0)
    depth = head_lines(ctx, block.height, 0.6)
    top = grid.line_top(place.top)
    x = grid.column_x(place.column)
    y = top + (depth * grid.pitch - block.height) / 2
    jump = jump_line(ctx, article, jump_text("上接", from_page), width=grid.column_width,
                     align="left")
    starts = [place.top + depth] * place.span
    starts[0] += 1
    return Continuation(tuple(starts), (block, x, y),
                        (jump, x, grid.baseline(place.top + depth)))


def placed_runs(placed: tuple[Block, float, float]) -> list[Item]:
    """A block's runs moved to its origin."""
    block, x, y = placed
    return [moved(run, x, y) for run in block.runs]


# ----------------------------------------------------------------------------- flow

@dataclass(frozen=True, slots=True)
class Flowed:
    result: FlowResult
    first_slots: int        # slots of the first box used (a jump: text before the jump line)
    jumped: bool


def flow_jump(paragraphs: list[list[Span]], first: list[Region], rest: list[Region],
              settings: Settings, composed: Composed, measure: float) -> Flowed:
    """Flow into the first box, then (a jump) into the continuation.

    The last slot of the first box holds the 下转 line; a jump of one or two lines
    is never left: the first box then ends earlier so that three lines jump.
    `composed` is the body already composed at `measure`, the measure of every region.
    """
    def fill(regions: list[Region]) -> FlowResult:
        if regions and all(region.width == measure for region in regions):
            return place_lines(composed, regions)
        # No slot at all: the flow composes at its fallback measure (what it always did).
        return flow(paragraphs, regions, settings)

    if not rest:
        result = balance(fill(first), first)
        return Flowed(result, len(slots_of(first)), False)
    whole = fill(first + rest)
    capacity = len(slots_of(first))
    total = len(whole.placed) + (whole.overflow.lines if whole.overflow else 0)
    if total <= capacity:
        return Flowed(whole, capacity, False)
    keep = capacity - 1
    if total - keep < MIN_JUMP_LINES:
        keep = max(1, total - MIN_JUMP_LINES)
    trimmed = _truncate(first, keep)
    return Flowed(fill(trimmed + rest), keep, True)


def _truncate(regions: list[Region], slots: int) -> list[Region]:
    out = []
    for region in regions:
        if slots <= 0:
            break
        take = min(region.lines, slots)
        out.append(Region(region.x, region.width, region.first_line, take, region.page))
        slots -= take
    return out


# ----------------------------------------------------------------------------- quality, lines

def body_quality(ctx: EditionContext, article: Article, flowed: Flowed) -> Quality:
    """Counts of the set body (rule faults, widows and orphans, lines off the grid); loose
    lines and forced breaks are reported."""
    grid = ctx.grid
    result = flowed.result
    quality = Quality()
    for text, lines in result.paragraphs:
        quality.add(paragraph_quality(text, lines, ctx.style.composition.kinsoku))
    # Widows and orphans at column edges (W2, W3) are counted, not forbidden: the sample
    # page itself has three ("推广。", "保障。", "生活条件。").
    used: dict[int, list[int]] = {}
    for placed in result.placed:
        used.setdefault(placed.region, []).append(placed.slot)
    last_region = max(used, default=-1)
    for placed in result.placed:
        slots = used[placed.region]
        line = placed.line
        if placed.slot == min(slots) and line.last and line.start > 0:
            quality.column_top_widows += 1
        if placed.slot == max(slots) and placed.region != last_region and line.start == 0 \
                and not line.last:
            quality.column_foot_orphans += 1
    # A line on one of the grid's own slots is on the grid by definition; only a slot
    # outside the type area needs its baseline looked up.
    outside = [placed.slot for placed in result.placed if not 0 <= placed.slot < grid.lines]
    if outside:
        baselines = {round(grid.baseline(k), 4) for k in range(grid.lines)}
        quality.off_grid_lines += sum(round(grid.baseline(slot), 4) not in baselines
                                      for slot in outside)
    if quality.loose_lines:
        # R48: name what kept each line from filling up, so the editor can rewrite it.
        causes = [line.cause or "punctuation" for _, lines in result.paragraphs
                  for line in lines if line.loose]
        shown = "、".join(f"“{c}”" for c in causes[:8]) + ("……" if len(causes) > 8 else "")
        ctx.warn("loose-line", f"{quality.loose_lines} lines stretched beyond "
                 f"{ctx.style.composition.max_stretch:g} em per gap, before {shown}", article,
                 severity=INFO, hint="rephrase, or break the word or code by hand")
    if quality.forced_breaks:
        ctx.warn("forced-break", f"{quality.forced_breaks} lines broken inside a word or "
                 "number longer than the column", article)
    return quality


def body_runs(ctx: EditionContext, article: Article, flowed: Flowed, regions: list[Region],
              span_roles: list[tuple[tuple[int, str], ...]]) -> dict[int, list[GlyphRun]]:
    """The glyph runs of every set body line, by page."""
    grid = ctx.grid
    body = ctx.style.roles["body"]
    out: dict[int, list[GlyphRun]] = {}
    for placed in flowed.result.placed:
        page = regions[placed.region].page
        out.setdefault(page, []).extend(line_runs(
            placed.line, placed.x, grid.baseline(placed.slot), body.size, body.color, "body",
            article.id, placed.paragraph, span_roles[placed.paragraph]))
    return out
