"""Plan one article: its boxes, headline stack, photos, body flow, jumps and fit.

An article is planned once per build, whatever pages it touches: a jump (转版)
splits one flow of lines between a box on one page and its continuation on
another. The plan holds the display items per page; page composition collects
the items of the page it draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from layout.compose.normalize import normalize
from layout.compose.paragraph import Span
from layout.compose.quality import Quality, paragraph_quality
from layout.diagnostics import ERROR, INFO, Diagnostic, InputError
from layout.display import ArticleFit, Image, Item, Rect
from layout.flow.columns import FlowResult, Region, balance, flow, place_lines, slots_of
from layout.imaging import PhotoError, cmyk_photo, image_size
from layout.model.edition import Article, Photo, Placement
from layout.model.style import RoleStyle
from layout.page.blocks import (
    Block,
    display_text,
    headline_lines,
    line_runs,
    paragraph_block,
    stack,
)
from layout.page.context import EditionContext, body_settings, moved
from layout.page.text import Composed, body_paragraphs, compose_body, lines_needed, span_roles
from layout.page.vertical import vertical_stack

# Copyfitting steps (fit: auto), smallest first; body type size never changes.
_TIGHTEN = (("开明式标点 (pause marks half width)", 0.0, "kaiming"),
            ("字距 −0.02 em", -0.02, "kaiming"), ("字距 −0.04 em", -0.04, "kaiming"))
_LOOSEN = (("字距 +0.02 em", 0.02, "quanjiao"), ("字距 +0.04 em", 0.04, "quanjiao"))
MIN_JUMP_LINES = 3


@dataclass
class ArticlePlan:
    article: Article
    items: dict[int, list[Item]] = field(default_factory=dict)
    fit: ArticleFit | None = None
    quality: Quality = field(default_factory=Quality)
    boxes: list[Placement] = field(default_factory=list)

    def on(self, page: int) -> list[Item]:
        return self.items.setdefault(page, [])


@dataclass
class _Obstacle:
    columns: range          # box-relative columns
    first: int              # grid lines
    end: int


# ----------------------------------------------------------------------------- headline

def _headline_role(ctx: EditionContext, name: str, span: int) -> RoleStyle:
    role = ctx.style.roles[name]
    if name != "headline":
        return role
    size = ctx.style.headline_size(span)
    return RoleStyle(role.font, size, size * role.leading / role.size, role.color, role.align,
                     role.tracking)


def _headline_block(ctx: EditionContext, article: Article, width: float,
                    span: int) -> Block | None:
    style = ctx.style
    parts = []
    for name, text in (("kicker", article.kicker), ("headline", article.headline),
                       ("subhead", article.subhead)):
        if not text:
            continue
        role = _headline_role(ctx, name, span)
        text = display_text(text, style.composition.normalize_punctuation)
        lines, good = headline_lines(text, ctx.face(name), role, width)
        if not good:
            ctx.warn("headline-break", f"the {name} {text!r} does not break well across "
                     f"{len(lines)} lines at {role.size:g} pt in {span} columns",
                     article, field=f"articles[{article.id}].{name}",
                     hint="mark the break with | or a space between phrases, or shorten it")
        ctx.check_glyphs(text, name, article)
        parts.append((lines, role, name))
    if not parts:
        return None
    return stack(parts, width, style.roles["headline"].align, article.id,
                 gap=style.roles["kicker"].size * 0.4)


def _rubric(ctx: EditionContext, plan: ArticlePlan, page: int, x: float, y: float) -> float:
    """The 栏目 label, reversed out of a panel at the top left of the story; its height."""
    article = plan.article
    role = ctx.style.roles["rubric"]
    text = display_text(article.rubric, False)
    block = paragraph_block(text, ctx.face("rubric"), role, "rubric", 1e6, article.id,
                            align="left")
    pad = role.size * 0.45
    width = max(run.right for run in block.runs) + 2 * pad
    height = block.height + 2 * pad * 0.6
    plan.on(page).append(Rect(x, y, width, height, fill=role.color))
    paper = (0.0, 0.0, 0.0, 0.0)
    plan.on(page).extend(moved(run, x + pad, y + pad * 0.6, color=paper) for run in block.runs)
    ctx.check_glyphs(text, "rubric", article)
    return height


def _head(ctx: EditionContext, plan: ArticlePlan, place: Placement) -> list[int]:
    """Set the rubric and headline stack in the first box; the first body line per column."""
    article = plan.article
    grid = ctx.grid
    starts = [place.top] * place.span
    x = grid.column_x(place.column)
    top = grid.line_top(place.top)
    if article.vertical:
        k = article.vertical_columns
        side = range(place.span - k, place.span) if article.vertical == "right" else range(k)
        side_x = grid.column_x(place.column + side.start)
        depth = min(place.column_depth(i) for i in side) - _separator(ctx, place, side.start)
        items, lines = vertical_stack(ctx, article, side_x, place.top, grid.span_width(k), depth)
        plan.on(place.page).extend(items)
        for i in side:
            starts[i] = place.top + lines
        rest = [i for i in range(place.span) if i not in side]
        if article.rubric and rest:
            height = _rubric(ctx, plan, place.page, grid.column_x(place.column + rest[0]),
                             top + grid.pitch * 0.3)
            for i in rest:
                starts[i] += math.ceil((height + grid.pitch * 0.6) / grid.pitch - 1e-6)
        return starts
    span = place.headline_span or place.span
    width = grid.span_width(span)
    rubric = _rubric(ctx, plan, place.page, x, top + grid.pitch * 0.3) if article.rubric else 0
    block = _headline_block(ctx, article, width, span)
    if block is None and not rubric:
        return starts
    height = (block.height if block else 0.0) + rubric
    lines = math.ceil((height + grid.pitch) / grid.pitch - 1e-6)
    if block is not None:
        y = top + (lines * grid.pitch - height) / 2 + rubric
        plan.on(place.page).extend(moved(run, x, y) for run in block.runs)
    for i in range(span):
        starts[i] += lines
    return starts


# ----------------------------------------------------------------------------- photos

def _caption_blocks(ctx: EditionContext, article: Article, photo: Photo,
                    width: float) -> list[Block]:
    style = ctx.style
    normalize_marks = style.composition.normalize_punctuation
    blocks: list[Block] = []
    if photo.title:
        blocks.append(paragraph_block(display_text(photo.title, normalize_marks),
                                      ctx.face("photo_title"), style.roles["photo_title"],
                                      "photo_title", width, article.id, align="left"))
    if photo.caption:
        text = normalize(photo.caption)[0] if normalize_marks else photo.caption
        blocks.append(paragraph_block(text, ctx.face("caption"), style.roles["caption"],
                                      "caption", width, article.id))
    if photo.credit:
        blocks.append(paragraph_block(display_text(photo.credit, False), ctx.face("credit"),
                                      style.roles["credit"], "credit", width, article.id,
                                      align="right"))
    for block, role in zip(blocks, ("photo_title", "caption", "credit")):
        ctx.check_glyphs(block.text, role, article)
    return blocks


def _photo_file(ctx: EditionContext, article: Article, index: int, photo: Photo):
    field = f"articles[{article.id}].photos[{index}].file"
    try:
        size = image_size(photo.file)
        # The PDF gets the print separation: CMYK, total ink limited (R40, R42).
        press = cmyk_photo(photo.file, ctx.style.print.ink_limit, ctx.style.print.icc_profile)
    except PhotoError as exc:
        raise InputError([Diagnostic(ERROR, "photo", f"{exc} (article {article.id!r})",
                                     str(ctx.edition.file), photo.line, field,
                                     article=article.id)]) from None
    return size, press


def _set_photo(ctx: EditionContext, plan: ArticlePlan, page: int, photo: Photo, press,
               x: float, width: float, line: int, picture_lines: int,
               captions: list[Block]) -> None:
    grid = ctx.grid
    top = grid.line_top(line)
    plan.on(page).append(Image(press, x, top, width, picture_lines * grid.pitch,
                               plan.article.id, source=photo.file))
    y = top + picture_lines * grid.pitch + grid.pitch * 0.35
    for block in captions:
        plan.on(page).extend(moved(run, x, y) for run in block.runs)
        y += block.height


def _caption_lines(ctx: EditionContext, captions: list[Block]) -> int:
    height = sum(b.height for b in captions) + ctx.grid.pitch * 0.5
    return math.ceil(height / ctx.grid.pitch - 1e-6)


def _photos(ctx: EditionContext, plan: ArticlePlan, place: Placement, starts: list[int],
            ends: list[int], photo_delta: int) -> list[_Obstacle]:
    """Set the photos; those with a place become obstacles the text flows around.

    `photo_delta` grows (or shrinks) every picture by that many lines (copyfitting).
    """
    article = plan.article
    grid = ctx.grid
    obstacles: list[_Obstacle] = []
    for index, photo in enumerate(article.photos):
        (px_w, px_h), press = _photo_file(ctx, article, index, photo)
        if photo.place is not None:
            pp = photo.place
            columns = range(pp.column, pp.column + pp.span)
            width = grid.span_width(pp.span)
            captions = _caption_blocks(ctx, article, photo, width)
            first = max(starts[i] for i in columns) + pp.top
            lines = max(1, pp.lines + photo_delta)
            end = first + lines + _caption_lines(ctx, captions)
            if end > min(ends[i] for i in columns):
                raise InputError([Diagnostic(
                    ERROR, "placement", f"the photo of article {article.id!r} ends on line "
                    f"{end}, below its box (which ends on line {min(ends[i] for i in columns)})",
                    str(ctx.edition.file), photo.line,
                    f"articles[{article.id}].photos[{index}].place",
                    "lower top or lines, or deepen the box", article.id)])
            _set_photo(ctx, plan, place.page, photo, press, grid.column_x(place.column +
                       pp.column), width, first, lines, captions)
            obstacles.append(_Obstacle(columns, first, end))
            continue
        # Without a place the picture spans the box under the headline.
        width = grid.span_width(place.span)
        captions = _caption_blocks(ctx, article, photo, width)
        caption_lines = _caption_lines(ctx, captions)
        line = max(starts)
        room = min(ends) - line - caption_lines
        if photo.lines:
            picture_lines = photo.lines + photo_delta
        elif not article.body and len(article.photos) == 1:
            picture_lines = room            # 图片新闻: the picture fills its box
        else:
            picture_lines = min(room, round(width * px_h / px_w / grid.pitch)) + photo_delta
        picture_lines = max(1, picture_lines)
        _set_photo(ctx, plan, place.page, photo, press, grid.column_x(place.column), width,
                   line, picture_lines, captions)
        for i in range(place.span):
            starts[i] = line + picture_lines + caption_lines
    return obstacles


# ----------------------------------------------------------------------------- regions

def _separator(ctx: EditionContext, place: Placement, index: int) -> int:
    """A column that stops above the foot of the type area keeps its last line for the rule."""
    return 1 if place.top + place.column_depth(index) < ctx.grid.lines else 0


def _column_ends(ctx: EditionContext, place: Placement) -> list[int]:
    return [place.top + place.column_depth(i) - _separator(ctx, place, i)
            for i in range(place.span)]


def _regions(ctx: EditionContext, place: Placement, starts: list[int], ends: list[int],
             obstacles: list[_Obstacle]) -> list[Region]:
    """Body regions column by column, top to bottom, around the obstacles (whole cells)."""
    grid = ctx.grid
    regions = []
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
        regions.extend(Region(x, grid.column_width, a, b - a, place.page)
                       for a, b in segments if b > a)
    return regions


# ----------------------------------------------------------------------------- body

def _jump_text(kind: str, page: int) -> str:
    return f"（{kind}第{page}版）"


def _continuation_head(ctx: EditionContext, plan: ArticlePlan, place: Placement,
                       from_page: int) -> list[int]:
    """续题 and 上接 line at the top of a jump's continuation box (§4.8)."""
    article = plan.article
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
    head_lines = math.ceil((block.height + grid.pitch * 0.6) / grid.pitch - 1e-6)
    top = grid.line_top(place.top)
    y = top + (head_lines * grid.pitch - block.height) / 2
    plan.on(place.page).extend(moved(run, grid.column_x(place.column), y) for run in block.runs)
    jump = _jump_line(ctx, article, _jump_text("上接", from_page), width=grid.column_width,
                      align="left")
    slot = place.top + head_lines
    plan.on(place.page).extend(moved(run, grid.column_x(place.column), grid.baseline(slot))
                               for run in jump.runs)
    starts = [place.top + head_lines] * place.span
    starts[0] += 1
    return starts


def _jump_line(ctx: EditionContext, article: Article, text: str, *, width: float,
               align: str) -> Block:
    role = ctx.style.roles["credit"]
    block = paragraph_block(text, ctx.face("credit"), role, "jump", width, article.id,
                            align=align)
    # Runs are placed on a body baseline: make y relative to the baseline.
    base = block.runs[0].y if block.runs else 0.0
    return Block(tuple(moved(run, 0, -base) for run in block.runs), block.height, block.text)


@dataclass
class _Flowed:
    result: FlowResult
    first_slots: int        # slots of the first box used (a jump: text before the jump line)
    jumped: bool


def _flow_jump(paragraphs: list[list[Span]], first: list[Region], rest: list[Region],
               settings, composed: Composed, measure: float) -> _Flowed:
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
        return _Flowed(result, len(slots_of(first)), False)
    whole = fill(first + rest)
    capacity = len(slots_of(first))
    total = len(whole.placed) + (whole.overflow.lines if whole.overflow else 0)
    if total <= capacity:
        return _Flowed(whole, capacity, False)
    keep = capacity - 1
    if total - keep < MIN_JUMP_LINES:
        keep = max(1, total - MIN_JUMP_LINES)
    trimmed = _truncate(first, keep)
    return _Flowed(fill(trimmed + rest), keep, True)


def _truncate(regions: list[Region], slots: int) -> list[Region]:
    out = []
    for region in regions:
        if slots <= 0:
            break
        take = min(region.lines, slots)
        out.append(Region(region.x, region.width, region.first_line, take, region.page))
        slots -= take
    return out


def plan_article(ctx: EditionContext, article: Article) -> ArticlePlan:
    """Everything about one article, on every page it touches."""
    plan = ArticlePlan(article)
    place = article.place
    if place is None:
        return plan
    style = ctx.style
    grid = ctx.grid
    plan.boxes.append(place)
    starts = _head(ctx, plan, place)
    ends = _column_ends(ctx, place)
    for i, (a, b) in enumerate(zip(starts, ends)):
        if a > b:
            raise InputError([Diagnostic(
                ERROR, "placement", f"the headline of article {article.id!r} needs "
                f"{a - place.top} lines but column {place.column + i + 1} of its box has "
                f"{b - place.top}", str(ctx.edition.file), place.line,
                f"articles[{article.id}].place", "deepen the box or shorten the headline",
                article.id)])
    base_items = {page: list(items) for page, items in plan.items.items()}

    changes: list[tuple[int, int, str, str]] = []
    paragraphs = body_paragraphs(ctx, article, changes)
    if changes:
        ctx.warn("normalized", f"{len(changes)} ASCII punctuation marks set as full-width "
                 "Chinese marks (positions in the report)", article, severity=INFO,
                 hint="composition.normalize_punctuation", page=place.page)
    cont_starts: list[int] = []
    if article.continued is not None:
        plan.boxes.append(article.continued)
        cont_starts = _continuation_head(ctx, plan, article.continued, place.page)
        base_items = {page: list(items) for page, items in plan.items.items()}

    def attempt(tracking: float, punctuation: str, photo_delta: int):
        plan.items = {page: list(items) for page, items in base_items.items()}
        column_starts = list(starts)
        obstacles = _photos(ctx, plan, place, column_starts, ends, photo_delta)
        first = _regions(ctx, place, column_starts, ends, obstacles)
        cont = []
        if article.continued is not None:
            cont = _regions(ctx, article.continued, cont_starts,
                            _column_ends(ctx, article.continued), [])
        settings = body_settings(style, tracking=tracking, punctuation=punctuation)
        composed = compose_body(ctx, paragraphs, settings)
        return _flow_jump(paragraphs, first, cont, settings, composed,
                          grid.column_width), first, cont, settings

    flowed, first, cont, settings = attempt(0.0, "quanjiao", 0)
    adjustments: list[str] = []
    if article.fit and paragraphs:
        flowed, first, cont, settings = _copyfit(ctx, article, attempt, flowed, first, cont,
                                                 settings, adjustments)
    _emit_body(ctx, plan, flowed, first + cont, span_roles(article, paragraphs))
    if flowed.jumped:
        assert article.continued is not None
        last = slots_of(first)[flowed.first_slots]
        jump = _jump_line(ctx, article, _jump_text("下转", article.continued.page),
                          width=grid.column_width, align="right")
        plan.on(place.page).extend(moved(run, last[2], grid.baseline(last[1]))
                                   for run in jump.runs)
    elif article.continued is not None:
        ctx.warn("jump-unused", f"article {article.id!r} fits its first box; the continuation "
                 f"on page {article.continued.page} stays empty", article,
                 field=f"articles[{article.id}].continued", page=article.continued.page)
    plan.fit = _fit(ctx, article, flowed, first, cont, paragraphs, settings, changes,
                    adjustments)
    return plan


def _copyfit(ctx, article, attempt, flowed, first, cont, settings, adjustments):
    """fit: auto — bounded, logged adjustments to absorb a small overflow or shortfall."""
    over = flowed.result.overflow.lines if flowed.result.overflow else 0
    spare = flowed.result.capacity - len(flowed.result.placed) - (1 if flowed.jumped else 0)
    columns = max(1, article.place.span)
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
        result = candidate[0].result
        c_over = result.overflow.lines if result.overflow else 0
        c_spare = result.capacity - len(result.placed)
        if (over and not c_over) or (not over and c_spare < columns):
            adjustments.append(name)
            ctx.warn("copyfit", f"article {article.id!r}: {name}", article, severity=INFO,
                     page=article.place.page)
            return candidate
    if steps:
        ctx.warn("copyfit", f"article {article.id!r}: no bounded adjustment absorbs "
                 f"{over or spare} lines; left as set", article, severity=INFO,
                 page=article.place.page)
    return attempt(0.0, "quanjiao", 0)


def _emit_body(ctx: EditionContext, plan: ArticlePlan, flowed: _Flowed,
               regions: list[Region], span_roles: list[tuple[tuple[int, str], ...]]) -> None:
    grid = ctx.grid
    body = ctx.style.roles["body"]
    result = flowed.result
    baselines = {round(grid.baseline(k), 4) for k in range(grid.lines)}
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
    for placed in result.placed:
        baseline = grid.baseline(placed.slot)
        quality.off_grid_lines += round(baseline, 4) not in baselines
        page = regions[placed.region].page
        plan.on(page).extend(line_runs(placed.line, placed.x, baseline, body.size, body.color,
                                       "body", plan.article.id, placed.paragraph,
                                       span_roles[placed.paragraph]))
    plan.quality = quality
    article = plan.article
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


def _fit(ctx: EditionContext, article: Article, flowed: _Flowed, first: list[Region],
         cont: list[Region], paragraphs, settings, changes, adjustments) -> ArticleFit:
    """容字量: capacity from the grid, what was set, and how to make it fit (cheapest first)."""
    grid = ctx.grid
    place = article.place
    assert place is not None
    result = flowed.result
    capacity = len(slots_of(first)) + len(slots_of(cont)) - (1 if flowed.jumped else 0)
    lines = len(result.placed)
    overflow = result.overflow
    chars_set = sum(len("".join(piece.text.split())) for p in result.placed
                    for piece in p.line.pieces)
    fixes: list[tuple[str, int]] = []
    if overflow:
        over = overflow.lines
        tight = lines_needed(ctx, paragraphs, body_settings(ctx.style, punctuation="kaiming"))
        saved = lines_needed(ctx, paragraphs, settings) - tight
        if saved >= over:
            fixes.append(("tighten", saved))
        body_columns = sum(1 for r in first if r.lines) or place.span
        columns = len({r.x for r in first}) or body_columns
        if article.photos and article.body:
            fixes.append(("shrink_photo", math.ceil(over / max(1, columns))))
        fixes.append(("cut_chars", overflow.chars))
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
