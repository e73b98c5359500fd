"""Compose one page: every article box, the rules between them and the running head."""

from __future__ import annotations

import math
from collections.abc import Mapping

from layout.compose.normalize import normalize
from layout.compose.paragraph import Settings, Span
from layout.compose.quality import Quality, paragraph_quality
from layout.diagnostics import ERROR, INFO, WARNING, Diagnostic, InputError
from layout.display import ArticleFit, GlyphRun, Image, Item, PageLayout, Rect, Rule
from layout.flow.columns import Region, flow
from layout.imaging import PhotoError, image_size
from layout.model.edition import Article, Edition, PageSpec
from layout.model.style import Grid, RoleStyle, Style
from layout.page.blocks import (
    Block,
    display_text,
    headline_lines,
    line_runs,
    paragraph_block,
    stack,
)
from layout.typeface import FaceMetrics

WEEKDAYS = "一二三四五六日"
DRAFT_COLOUR = (0.0, 1.0, 0.0, 0.0)     # magenta: proof marks never go to press


def body_settings(style: Style) -> Settings:
    c = style.composition
    return Settings(size=style.roles["body"].size, indent=c.indent_chars, kinsoku=c.kinsoku,
                    latin_gap=c.latin_gap, max_stretch=c.max_stretch,
                    trim_opening=c.trim_opening_at_line_start)


class _Page:
    """Collects the items and diagnostics of one page while its articles are composed."""

    def __init__(self, edition: Edition, spec: PageSpec, faces: Mapping[str, FaceMetrics],
                 draft: bool):
        self.edition = edition
        self.draft = draft
        self.style = edition.style
        self.grid: Grid = edition.style.grid
        self.spec = spec
        self.faces = faces
        self.items: list[Item] = []
        self.fits: list[ArticleFit] = []
        self.diagnostics: list[Diagnostic] = []
        self.quality = Quality()
        self.baselines = {round(self.grid.baseline(k), 4) for k in range(self.grid.lines)}

    def face(self, role: str) -> FaceMetrics:
        return self.faces[self.style.roles[role].font]

    def warn(self, code: str, message: str, article: Article | None = None,
             severity: str = WARNING, field: str | None = None, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(
            severity, code, message, str(self.edition.file), article.line if article else None,
            field, hint, article.id if article else None, self.spec.number))

    def check_glyphs(self, text: str, role: str, article: Article | None) -> None:
        face = self.face(role)
        for ch in sorted(set(text) - face.advances.keys() - {"\n"}):
            self.warn("missing-glyph", f"character {ch!r} U+{ord(ch):04X} is not in font "
                      f"{face.name} (role {role}); it prints as an empty box", article,
                      hint="choose a font that has it or replace the character")


# ----------------------------------------------------------------------------- articles

def _separator_line(article: Article, grid: Grid) -> int:
    """A box that does not reach the foot of the type area keeps its last line for the rule."""
    assert article.place is not None
    return 1 if article.place.bottom < grid.lines else 0


def _headline_block(page: _Page, article: Article, width: float) -> Block | None:
    style = page.style
    assert article.place is not None
    parts = []
    for name, text in (("kicker", article.kicker), ("headline", article.headline),
                       ("subhead", article.subhead)):
        if not text:
            continue
        role = style.roles[name]
        if name == "headline":
            size = style.headline_size(article.place.span)
            role = RoleStyle(role.font, size, size * role.leading / role.size, role.color,
                             role.align, role.tracking)
        text = display_text(text, style.composition.normalize_punctuation)
        lines, good = headline_lines(text, page.face(name), role, width)
        if not good:
            page.warn("headline-break", f"the {name} {text!r} does not break well across "
                      f"{len(lines)} lines at {role.size:g} pt in {article.place.span} columns",
                      article, field=f"articles[{article.id}].{name}",
                      hint="mark the break with | or a space between phrases, or shorten it")
        page.check_glyphs(text, name, article)
        parts.append((lines, role, name))
    if not parts:
        return None
    align = style.roles["headline"].align
    return stack(parts, width, align, article.id, gap=style.roles["kicker"].size * 0.4)


def _rubric(page: _Page, article: Article, x: float, y: float) -> float:
    """The 栏目 label in a frame at the top left of the story; returns its height."""
    role = page.style.roles["rubric"]
    text = display_text(article.rubric, False)
    block = paragraph_block(text, page.face("rubric"), role, "rubric", 1e6, article.id,
                            align="left")
    pad = role.size * 0.45
    width = max(run.right for run in block.runs) + 2 * pad
    height = block.height + 2 * pad * 0.6
    page.items.append(Rect(x, y, width, height, fill=role.color))
    white = (0.0, 0.0, 0.0, 0.0)
    for run in block.runs:
        page.items.append(_moved(run, x + pad, y + pad * 0.6, color=white))
    page.check_glyphs(text, "rubric", article)
    return height


def _moved(run: GlyphRun, dx: float, dy: float, color=None) -> GlyphRun:
    return GlyphRun(run.font, run.size, run.x + dx, run.y + dy, run.text, run.left + dx,
                    run.right + dx, run.tracking, run.adjust,
                    color if color is not None else run.color, run.role, run.article)


def _photo(page: _Page, article: Article, x: float, width: float, line: int,
           last_line: int) -> int:
    """Picture and caption block from grid line `line`; returns the first free line."""
    grid = page.grid
    style = page.style
    for index, photo in enumerate(article.photos):
        field = f"articles[{article.id}].photos[{index}].file"
        try:
            px_w, px_h = image_size(photo.file)
        except PhotoError as exc:
            raise InputError([Diagnostic(ERROR, "photo", f"{exc} (article {article.id!r})",
                                         str(page.edition.file), photo.line, field,
                                         article=article.id)]) from None
        caption_parts: list[Block] = []
        if photo.title:
            caption_parts.append(paragraph_block(
                display_text(photo.title, style.composition.normalize_punctuation),
                page.face("photo_title"), style.roles["photo_title"], "photo_title", width,
                article.id, align="left"))
        if photo.caption:
            text = normalize(photo.caption)[0] if style.composition.normalize_punctuation \
                else photo.caption
            caption_parts.append(paragraph_block(text, page.face("caption"),
                                                 style.roles["caption"], "caption", width,
                                                 article.id))
        if photo.credit:
            caption_parts.append(paragraph_block(display_text(photo.credit, False),
                                                 page.face("credit"), style.roles["credit"],
                                                 "credit", width, article.id, align="right"))
        caption_height = sum(b.height for b in caption_parts) + grid.pitch * 0.5
        caption_lines = math.ceil(caption_height / grid.pitch - 1e-6)
        room = last_line - line - caption_lines
        if photo.lines:
            picture_lines = photo.lines
        elif not article.body and len(article.photos) == 1:
            picture_lines = max(1, room)     # 图片新闻: the picture fills its box
        else:
            picture_lines = max(1, min(room, round(width * px_h / px_w / grid.pitch)))
        top = grid.line_top(line)
        page.items.append(Image(photo.file, x, top, width, picture_lines * grid.pitch,
                                article.id))
        y = top + picture_lines * grid.pitch + grid.pitch * 0.35
        for block in caption_parts:
            page.items.extend(_moved(run, x, y) for run in block.runs)
            y += block.height
        for block, role in zip(caption_parts, ("photo_title", "caption", "credit")):
            page.check_glyphs(block.text, role, article)
        line += picture_lines + caption_lines
    return line


def _article(page: _Page, article: Article) -> None:
    place = article.place
    assert place is not None
    grid = page.grid
    style = page.style
    x = grid.column_x(place.column)
    width = grid.span_width(place.span)
    line = place.top
    bottom = place.bottom - _separator_line(article, grid)

    head_top = grid.line_top(line)
    rubric_height = _rubric(page, article, x, head_top + grid.pitch * 0.3) if article.rubric else 0
    block = _headline_block(page, article, width)
    if block is not None or rubric_height:
        height = (block.height if block else 0.0) + rubric_height
        lines = math.ceil((height + grid.pitch) / grid.pitch - 1e-6)
        y = head_top + (lines * grid.pitch - height) / 2 + rubric_height
        if block is not None:
            page.items.extend(_moved(run, x, y) for run in block.runs)
        line += lines
    if article.photos:
        line = _photo(page, article, x, width, line, bottom)

    settings = body_settings(style)
    roles = style.roles
    paragraphs = []
    changes: list[tuple[int, int, str, str]] = []
    for index, paragraph in enumerate(article.body):
        text = paragraph.text
        if style.composition.normalize_punctuation:
            text, changed = normalize(text)
            changes.extend((index, c.index, c.old, c.new) for c in changed)
        spans = []
        if index == 0 and article.byline:
            byline = normalize(article.byline)[0] if style.composition.normalize_punctuation \
                else article.byline
            spans.append(Span(byline, roles["dateline"].font, page.face("dateline")))
            page.check_glyphs(byline, "dateline", article)
        if paragraph.runin:
            runin = normalize(paragraph.runin)[0] if style.composition.normalize_punctuation \
                else paragraph.runin
            spans.append(Span(runin, roles["runin"].font, page.face("runin")))
            page.check_glyphs(runin, "runin", article)
        spans.append(Span(text, roles["body"].font, page.face("body")))
        page.check_glyphs(text, "body", article)
        paragraphs.append(spans)
    if changes:
        page.warn("normalized", f"{len(changes)} ASCII punctuation marks set as full-width "
                  "Chinese marks (positions in the report)", article, severity=INFO,
                  hint="composition.normalize_punctuation")

    columns = range(place.column, place.end_column)
    regions = [Region(grid.column_x(c), grid.column_width, line, max(0, bottom - line))
               for c in columns] if paragraphs else []
    result = flow(paragraphs, regions, settings) if paragraphs else None
    lines_used = 0
    chars_set = 0
    if result is not None:
        body = roles["body"]
        quality = Quality()
        for text, lines in result.paragraphs:
            quality.add(paragraph_quality(text, lines, style.composition.kinsoku))
        for placed in result.placed:
            baseline = grid.baseline(placed.slot)
            quality.off_grid_lines += round(baseline, 4) not in page.baselines
            page.items.extend(line_runs(placed.line, placed.x, baseline, body.size, body.color,
                                        "body", article.id))
        page.quality.add(quality)
        if quality.loose_lines:
            page.warn("loose-line", f"{quality.loose_lines} lines stretched beyond "
                      f"{style.composition.max_stretch:g} em per gap", article, severity=INFO)
        if quality.forced_breaks:
            page.warn("forced-break", f"{quality.forced_breaks} lines broken inside a word or "
                      "number longer than the column", article)
        lines_used = len(result.placed)
        chars_set = sum(1 for p in result.placed
                        for piece in p.line.pieces for ch in piece.text if not ch.isspace())
        overflow = result.overflow
        if overflow:
            page.warn("overflow", f"article {article.id!r} does not fit its box: "
                      f"{overflow.lines} lines ({overflow.chars} characters) over",
                      article, field=f"articles[{article.id}].place",
                      hint=f"deepen the box by {math.ceil(overflow.lines / place.span)} lines "
                           f"or cut {overflow.chars} characters")
        fit = ArticleFit(article.id, place.span, result.capacity, lines_used, chars_set,
                         overflow.chars if overflow else 0, overflow.lines if overflow else 0,
                         overflow.text if overflow else "", tuple(changes))
    else:
        fit = ArticleFit(article.id, place.span, 0, 0, 0)
    page.fits.append(fit)
    if page.draft:
        _draft_marks(page, article, fit)


def _draft_marks(page: _Page, article: Article, fit: ArticleFit) -> None:
    """Proof marks (校样): the count of each story and, where text is over, how much and
    which text, so that nothing that does not fit goes unseen."""
    grid = page.grid
    place = article.place
    assert place is not None
    role = RoleStyle(page.style.roles["body"].font, 7.0, 8.4, DRAFT_COLOUR)
    face = page.face("body")
    right = grid.column_x(place.end_column - 1) + grid.column_width
    top = grid.line_top(place.top)
    label = paragraph_block(f"{fit.chars_set}字/{fit.lines}行", face, role, "draft", 1e6,
                            article.id, align="left")
    width = max(run.right for run in label.runs)
    page.items.extend(_moved(run, right - width, top + 1) for run in label.runs)
    if not fit.overflow_lines:
        return
    bottom = grid.line_top(place.bottom)
    x0 = grid.column_x(place.column)
    page.items.append(Rule(x0, bottom - 1, right, bottom - 1, 1.5, DRAFT_COLOUR))
    excerpt = fit.overflow_text[:60] + ("…" if len(fit.overflow_text) > 60 else "")
    tag = paragraph_block(f"超版 {fit.overflow_lines}行/{fit.overflow_chars}字：{excerpt}",
                          face, role, "draft", right - x0, article.id)
    page.items.append(Rect(x0, bottom + 1, right - x0, tag.height + 2, fill=(0, 0, 0, 0),
                           stroke=DRAFT_COLOUR, stroke_width=0.5))
    page.items.extend(_moved(run, x0, bottom + 2) for run in tag.runs)


# ----------------------------------------------------------------------------- furniture

def _rules(page: _Page, articles: tuple[Article, ...]) -> None:
    """Column rules (栏线) between neighbouring stories and separators between stacked ones."""
    grid = page.grid
    rules = page.style.rules
    half = grid.pitch / 2
    for a in articles:
        pa = a.place
        assert pa is not None
        if pa.bottom < grid.lines:
            y = grid.line_top(pa.bottom) - half
            x0 = grid.column_x(pa.column)
            x1 = grid.column_x(pa.end_column - 1) + grid.column_width
            page.items.append(Rule(x0, y, x1, y, rules.separator))
        for b in articles:
            pb = b.place
            assert pb is not None
            if pb.column != pa.end_column:
                continue
            top, bottom = max(pa.top, pb.top), min(pa.bottom, pb.bottom)
            if top >= bottom:
                continue
            x = grid.column_x(pb.column) - grid.gutter / 2
            y0 = grid.line_top(top) - (half if top > 0 else 0)
            y1 = grid.line_top(bottom) - (half if bottom < grid.lines else 0)
            page.items.append(Rule(x, y0, x, y1, rules.column_rule))


def _running_head(page: _Page) -> None:
    """报眉: paper name, date, 版次 and 版名 above a double head rule (R38)."""
    style = page.style
    grid = page.grid
    edition = page.edition
    rule_y = grid.top - grid.pitch * 0.6
    baseline = rule_y - style.rules.head_rule * 2 - grid.pitch * 0.5
    date = edition.date
    left_text = f"{edition.paper}　{date.year}年{date.month}月{date.day}日　" \
                f"星期{WEEKDAYS[date.weekday()]}"
    folio_text = f"第{page.spec.number}版"
    parts = [
        (left_text, "running_head"),
        (page.spec.name, "page_name"),
        (folio_text, "folio"),
    ]
    blocks = []
    for text, role in parts:
        block = paragraph_block(text, page.face(role), style.roles[role], role, 1e6, None,
                                align="left")
        page.check_glyphs(text, role, None)
        blocks.append(block)
    widths = [max((r.right for r in b.runs), default=0.0) for b in blocks]
    odd = page.spec.number % 2 == 1
    # Outer edge carries 版次 and 版名; the inner edge the paper and date.
    if odd:
        positions = [grid.left, grid.left + grid.width - widths[2] - widths[1] - grid.body_size * 2,
                     grid.left + grid.width - widths[2]]
    else:
        positions = [grid.left + grid.width - widths[0], grid.left + widths[2] + grid.body_size * 2,
                     grid.left]
    for block, x in zip(blocks, positions):
        for run in block.runs:
            page.items.append(_moved(run, x, baseline - run.y))
    page.items.append(Rule(grid.left, rule_y, grid.left + grid.width, rule_y,
                           style.rules.head_rule))
    if style.rules.head_rule_double:
        y = rule_y + style.rules.head_rule + 1.2
        page.items.append(Rule(grid.left, y, grid.left + grid.width, y, 0.25))


def _draft_banner(page: _Page) -> None:
    role = RoleStyle(page.style.roles["body"].font, 9.0, 10.8, DRAFT_COLOUR)
    text = f"校样 非付印稿　第{page.spec.number}版　{page.edition.file.name}"
    block = paragraph_block(text, page.face("body"), role, "draft", 1e6, None, align="left")
    page.items.extend(_moved(run, page.grid.left, page.grid.pitch) for run in block.runs)


def _credits(page: _Page) -> None:
    if not page.spec.credits:
        return
    style = page.style
    grid = page.grid
    text = "　".join(f"{role}：{name}" for role, name in page.spec.credits)
    block = paragraph_block(text, page.face("credits_line"), style.roles["credits_line"],
                            "credits_line", 1e6, None, align="left")
    width = max(run.right for run in block.runs)
    y = grid.top + grid.height + grid.pitch * 0.4
    x = grid.left + grid.width - width
    page.items.extend(_moved(run, x, y) for run in block.runs)
    page.check_glyphs(text, "credits_line", None)


def compose_page(edition: Edition, spec: PageSpec, faces: Mapping[str, FaceMetrics], *,
                 draft: bool = False) -> PageLayout:
    """Compose one page into a display list; `draft` adds proof marks (counts, overflow)."""
    page = _Page(edition, spec, faces, draft)
    articles = edition.articles_on(spec.number)
    for article in articles:
        _article(page, article)
    _rules(page, articles)
    if spec.number != 1:        # page 1 carries the masthead (报头), not a running head (R38)
        _running_head(page)
    _credits(page)
    if draft:
        _draft_banner(page)
    grid = page.grid
    columns = tuple((grid.column_x(c), grid.column_x(c) + grid.column_width)
                    for c in range(grid.columns))
    return PageLayout(
        number=spec.number, name=spec.name, width=page.style.page_width,
        height=page.style.page_height,
        type_area=(grid.left, grid.top, grid.width, grid.height),
        fonts=dict(page.style.fonts), items=tuple(page.items), articles=tuple(page.fits),
        diagnostics=tuple(page.diagnostics), columns=columns, grid=(grid.top, grid.pitch),
        quality=page.quality.to_json(),
    )
