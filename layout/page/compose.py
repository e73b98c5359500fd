"""Compose the pages of an edition: article plans, rules, running head or masthead.

Articles are planned once for the whole edition (a jump spans two pages); each
page then collects the items of the boxes it carries and adds the furniture.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from layout.compose.quality import Quality
from layout.diagnostics import ERROR, Diagnostic, InputError
from layout.display import ArticleFit, GlyphRun, Item, PageLayout, PrintSetup, Rect, Rule
from layout.model.edition import Edition, PageSpec, Placement
from layout.model.style import RoleStyle, Style
from layout.page.article import ArticlePlan, plan_article
from layout.page.blocks import paragraph_block
from layout.page.context import EditionContext, moved
from layout.page.memo import PlanMemo
from layout.typeface import FaceMetrics

WEEKDAYS = "一二三四五六日"
DRAFT_COLOUR = (0.0, 1.0, 0.0, 0.0)     # magenta: proof marks never go to press
PAPER = (0.0, 0.0, 0.0, 0.0)


def _date(edition: Edition) -> str:
    d = edition.date
    return f"{d.year}年{d.month}月{d.day}日　星期{WEEKDAYS[d.weekday()]}"


# ----------------------------------------------------------------------------- rules

def _boxes_on(plans: Mapping[str, ArticlePlan], page: int) -> list[tuple[str, Placement]]:
    return [(plan.article.id, box) for plan in plans.values() for box in plan.boxes
            if box.page == page]


def _frame(ctx: EditionContext, box: Placement, kind: str, items: list[Item]) -> None:
    """An article frame in the gutters around the box, following a stepped outline;
    `ornament` (花边) adds a chain of small squares inside the line."""
    grid = ctx.grid
    half = grid.gutter / 2
    weight = ctx.style.rules.frame
    pitch = ctx.style.rules.ornament_pitch

    def x_of(column: int) -> float:
        return grid.column_x(column) - half

    def y_of(line: int) -> float:
        return grid.line_top(line) - (grid.pitch / 2 if line < grid.lines and line > 0 else 0)

    top = y_of(box.top) if box.top else grid.line_top(0) - half
    bottoms = [y_of(box.top + box.column_depth(i)) for i in range(box.span)]
    segments = [(x_of(box.column), top, x_of(box.end_column - 1 + 1), top),
                (x_of(box.column), top, x_of(box.column), bottoms[0]),
                (x_of(box.end_column), top, x_of(box.end_column), bottoms[-1])]
    for i, bottom in enumerate(bottoms):
        segments.append((x_of(box.column + i), bottom, x_of(box.column + i + 1), bottom))
        if i and bottoms[i - 1] != bottom:
            x = x_of(box.column + i)
            segments.append((x, min(bottom, bottoms[i - 1]), x, max(bottom, bottoms[i - 1])))
    for x0, y0, x1, y1 in segments:
        items.append(Rule(x0, y0, x1, y1, weight * (1.5 if kind == "double" else 1)))
        if kind == "double":
            dx, dy = (0.0, 2.0) if y0 == y1 else (2.0, 0.0)
            items.append(Rule(x0 + dx, y0 + dy, x1 + dx, y1 + dy, 0.3))
        elif kind == "ornament":
            length = abs(x1 - x0) + abs(y1 - y0)
            count = int(length // pitch)
            for k in range(1, count):
                t = k / count
                x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
                items.append(Rect(x - 0.9, y - 0.9, 1.8, 1.8, fill=(0.0, 0.0, 0.0, 1.0)))


def _rules(ctx: EditionContext, boxes: list[tuple[str, Placement]], items: list[Item]) -> None:
    """Column rules (栏线) between neighbouring stories, separators under every column
    that stops above the foot of the type area, stepped boxes included."""
    grid = ctx.grid
    rules = ctx.style.rules
    half = grid.pitch / 2
    columns = {}   # page column → [(first line, end line, article)]
    for article, box in boxes:
        for column, first, end in box.intervals():
            columns.setdefault(column, []).append((first, end, article))
    for column, spans in columns.items():
        x0 = grid.column_x(column)
        x1 = x0 + grid.column_width
        for _, end, article in spans:
            if end < grid.lines:
                # Joined across the gutter to the next column when the story continues there.
                right = columns.get(column + 1, [])
                joined = any(a == article and e == end for _, e, a in right)
                y = grid.line_top(end) - half
                items.append(Rule(x0, y, x1 + (grid.gutter if joined else 0), y,
                                  rules.separator))
        for first, end, article in spans:
            for n_first, n_end, other in columns.get(column + 1, []):
                if other == article:
                    continue
                top, bottom = max(first, n_first), min(end, n_end)
                if top >= bottom:
                    continue
                x = grid.column_x(column + 1) - grid.gutter / 2
                y0 = grid.line_top(top) - (half if top > 0 else 0)
                y1 = grid.line_top(bottom) - (half if bottom < grid.lines else 0)
                items.append(Rule(x, y0, x, y1, rules.column_rule))


# ----------------------------------------------------------------------------- furniture

def _block(ctx: EditionContext, text: str, role_name: str, role: RoleStyle | None = None):
    role = role or ctx.style.roles[role_name]
    block = paragraph_block(text, ctx.faces[role.font], role, role_name, 1e6, None, align="left")
    ctx.check_glyphs(text, role_name, None, role_style=role)
    return block, max((r.right for r in block.runs), default=0.0)


def _running_head(ctx: EditionContext, spec: PageSpec, items: list[Item]) -> None:
    """报眉: paper name, date, 版次 and 版名 above a double head rule (R38)."""
    style = ctx.style
    grid = ctx.grid
    rule_y = grid.top - grid.pitch * 0.6
    baseline = rule_y - style.rules.head_rule * 2 - grid.pitch * 0.5
    parts = [_block(ctx, f"{ctx.edition.paper}　{_date(ctx.edition)}", "running_head"),
             _block(ctx, spec.name, "page_name"),
             _block(ctx, f"第{spec.number}版", "folio")]
    widths = [w for _, w in parts]
    right = grid.left + grid.width
    # The outer edge carries 版次 and 版名 (right on odd pages), the inner the paper and date.
    if spec.number % 2:
        xs = [grid.left, right - widths[2] - widths[1] - grid.body_size * 2, right - widths[2]]
    else:
        xs = [right - widths[0], grid.left + widths[2] + grid.body_size * 2, grid.left]
    for (block, _), x in zip(parts, xs):
        items.extend(moved(run, x, baseline - run.y) for run in block.runs)
    items.append(Rule(grid.left, rule_y, right, rule_y, style.rules.head_rule))
    if style.rules.head_rule_double:
        y = rule_y + style.rules.head_rule + 1.2
        items.append(Rule(grid.left, y, right, y, 0.25))


def _masthead(ctx: EditionContext, items: list[Item]) -> None:
    """报头 on page 1: the paper's name large, date, issue and notes beside it, and a rule."""
    style = ctx.style
    grid = ctx.grid
    lines = style.masthead_lines
    height = lines * grid.pitch
    title_role = RoleStyle(style.roles["headline"].font, min(height * 0.62, 96.0),
                           min(height * 0.62, 96.0) * 1.1)
    title, width = _block(ctx, ctx.edition.paper, "headline", title_role)
    y = grid.top + (height - title.height) / 2 - grid.pitch * 0.3
    items.extend(moved(run, grid.left, y) for run in title.runs)
    info = [_date(ctx.edition)]
    if ctx.edition.masthead.issue:
        info.append(ctx.edition.masthead.issue)
    info.extend(ctx.edition.masthead.notes)
    role = style.roles["running_head"]
    x = grid.left + width + grid.body_size * 3
    y = grid.top + grid.pitch * 0.8
    for text in info:
        block, _ = _block(ctx, text, "running_head", role)
        items.extend(moved(run, x, y) for run in block.runs)
        y += block.height
    rule_y = grid.top + height - grid.pitch * 0.5
    items.append(Rule(grid.left, rule_y, grid.left + grid.width, rule_y, style.rules.head_rule))


def _credits(ctx: EditionContext, spec: PageSpec, items: list[Item]) -> None:
    if not spec.credits:
        return
    grid = ctx.grid
    text = "　".join(f"{role}：{name}" for role, name in spec.credits)
    block, width = _block(ctx, text, "credits_line")
    y = grid.top + grid.height + grid.pitch * 0.4
    items.extend(moved(run, grid.left + grid.width - width, y) for run in block.runs)


def _draft_banner(ctx: EditionContext, spec: PageSpec, items: list[Item]) -> None:
    role = RoleStyle(ctx.style.roles["body"].font, 9.0, 10.8, DRAFT_COLOUR)
    text = f"校样 非付印稿　第{spec.number}版　{ctx.edition.file.name}"
    block, _ = _block(ctx, text, "draft", role)
    items.extend(moved(run, ctx.grid.left, ctx.grid.pitch) for run in block.runs)


def _draft_marks(ctx: EditionContext, fit: ArticleFit, place: Placement,
                 items: list[Item]) -> None:
    """Proof marks (校样): each story's count and, where text is over, how much and which
    text, so that nothing that does not fit goes unseen."""
    grid = ctx.grid
    role = RoleStyle(ctx.style.roles["body"].font, 7.0, 8.4, DRAFT_COLOUR)
    face = ctx.faces[role.font]
    right = grid.column_x(place.end_column - 1) + grid.column_width
    label = paragraph_block(f"{fit.chars_set}字/{fit.lines}行 容{fit.capacity_chars}字", face,
                            role, "draft", 1e6, fit.id, align="left")
    width = max(run.right for run in label.runs)
    items.extend(moved(run, right - width, grid.line_top(place.top) + 1) for run in label.runs)
    if not fit.overflow_lines:
        return
    bottom = grid.line_top(place.bottom)
    x0 = grid.column_x(place.column)
    items.append(Rule(x0, bottom - 1, right, bottom - 1, 1.5, DRAFT_COLOUR))
    excerpt = fit.overflow_text[:60] + ("…" if len(fit.overflow_text) > 60 else "")
    tag = paragraph_block(f"超版 {fit.overflow_lines}行/{fit.overflow_chars}字：{excerpt}",
                          face, role, "draft", right - x0, fit.id)
    items.append(Rect(x0, bottom + 1, right - x0, tag.height + 2, fill=PAPER,
                      stroke=DRAFT_COLOUR, stroke_width=0.5))
    items.extend(moved(run, x0, bottom + 2) for run in tag.runs)


def press_setup(style: Style) -> PrintSetup:
    """The style's print settings as the renderer receives them on the display list."""
    p = style.print
    return PrintSetup(
        bleed=p.bleed, marks=p.marks, overprint_text=p.overprint_black_max_size,
        overprint_rule=p.overprint_black_max_rule, pdfx=p.pdfx,
        output_condition_identifier=p.output_condition_identifier,
        output_condition=p.output_condition, registry_name=p.registry_name,
        icc_profile=p.icc_profile)


# ----------------------------------------------------------------------------- pages

def _check_masthead(ctx: EditionContext, boxes: list[tuple[str, Placement]]) -> None:
    lines = ctx.style.masthead_lines
    for article, box in boxes:
        if box.top < lines:
            raise InputError([Diagnostic(
                ERROR, "placement", f"article {article!r} starts on line {box.top} of page 1, "
                f"inside the masthead (报头), which takes lines 0–{lines - 1}",
                str(ctx.edition.file), box.line, f"articles[{article}].place.top",
                f"expected top ≥ {lines} on page 1", article)])


def compose_page(ctx: EditionContext, spec: PageSpec,
                 plans: Mapping[str, ArticlePlan]) -> PageLayout:
    """One page's display list from the edition's article plans."""
    items: list[Item] = []
    fits: list[ArticleFit] = []
    quality = Quality()
    boxes = _boxes_on(plans, spec.number)
    if spec.number == 1:
        _check_masthead(ctx, boxes)
    for plan in plans.values():
        if spec.number in plan.items:
            items.extend(plan.items[spec.number])
        if plan.fit is not None and plan.boxes and plan.boxes[0].page == spec.number:
            fits.append(plan.fit)
            quality.add(plan.quality)
            if ctx.draft:
                _draft_marks(ctx, plan.fit, plan.boxes[0], items)
    framed = {plan.article.id: plan.article.frame for plan in plans.values()
              if plan.article.frame}
    _rules(ctx, [(a, b) for a, b in boxes if a not in framed], items)
    for article, box in boxes:
        if article in framed:
            _frame(ctx, box, framed[article], items)
    if spec.number == 1:        # page 1 carries the masthead (报头), not a running head (R38)
        _masthead(ctx, items)
    else:
        _running_head(ctx, spec, items)
    _credits(ctx, spec, items)
    if ctx.draft:
        _draft_banner(ctx, spec, items)
    grid = ctx.grid
    style = ctx.style
    columns = tuple((grid.column_x(c), grid.column_x(c) + grid.column_width)
                    for c in range(grid.columns))
    return PageLayout(
        number=spec.number, name=spec.name, width=style.page_width, height=style.page_height,
        type_area=(grid.left, grid.top, grid.width, grid.height),
        fonts=_page_fonts(style, items), items=tuple(items), articles=tuple(fits),
        diagnostics=tuple(d for d in ctx.diagnostics if d.page == spec.number),
        columns=columns, grid=(grid.top, grid.pitch), quality=quality.to_json(),
        press=press_setup(style),
    )


def _page_fonts(style: Style, items: list[Item]) -> dict[str, Path]:
    """The style's fonts a renderer needs for the page: the roles' faces, and a fallback
    face only when a run on the page is set in it (R49), so that a page without a rare
    character never registers or embeds the 11 MB extension face."""
    roles = {role.font for role in style.roles.values()}
    fallback_only = {key for chain in style.fallback.values() for key in chain} - roles
    used = {item.font for item in items if isinstance(item, GlyphRun)}
    return {key: path for key, path in style.fonts.items()
            if key not in fallback_only or key in used}


def compose_pages(edition: Edition, faces: Mapping[str, FaceMetrics], *, draft: bool = False,
                  progress: Callable[[str, int, int], None] | None = None,
                  memo: PlanMemo | None = None,
                  ) -> tuple[list[PageLayout], list[Diagnostic]]:
    """Plan every article once, then compose every page; all diagnostics of the build.
    With a memo, stories unchanged since the memo's last build are not set again."""
    ctx = EditionContext(edition, faces, draft)
    plan = memo.planner(ctx, edition, faces, draft) if memo is not None else \
        (lambda article: plan_article(ctx, article))
    plans = {article.id: plan(article) for article in edition.articles}
    pages = []
    for index, spec in enumerate(edition.pages, 1):
        if progress:
            progress("compose", index, len(edition.pages))
        pages.append(compose_page(ctx, spec, plans))
    return pages, ctx.diagnostics
