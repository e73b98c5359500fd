"""Proof pages (校样): the new draft as a proofreader marks it up.

Each page of the draft gets, as display-list items (the renderer only draws them):
the baseline grid; grid-line numbers every fifth line beside every column, counted
as `place.top` counts (from 0 at the top of the type area), so a number read off the
proof is the number `paiban diff` prints; each story's id and fit at the top of its
box and in a proof margin added at the right of the page, where text that does not
fit (超版) is set in magenta under its story's name; a header band and a diagonal
"校样" so that nobody mistakes the sheet for a press page. Against an older draft,
every inserted or replaced character is highlighted (a drawn mark and an annotation
that any PDF viewer lists), every deletion is marked with a caret, each mark carries
the number of the change, and a first page lists all the changes.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Sequence

from layout.display import ArticleFit, GlyphRun, Item, Note, PageLayout, PrintSetup, Rect, Rule
from layout.proof.diff import Change, Diff, change_what, change_where
from layout.proof.text import Advance, Glyph, fit_lines, fit_words
from layout.units import mm

MAGENTA = (0.0, 1.0, 0.0, 0.0)
CYAN = (0.6, 0.0, 0.0, 0.0)
GRID = (0.25, 0.0, 0.0, 0.0)
HIGHLIGHT = (0.0, 0.0, 0.7, 0.0)       # yellow, under the glyphs
TINT = (0.0, 0.08, 0.0, 0.0)            # the diagonal 校样, under everything
PAPER = (0.0, 0.0, 0.0, 0.0)
PROOF_MARGIN = mm(70)                   # added at the right of every proof page
NUMBER_SIZE = 4.5                       # grid-line numbers
MARK_SIZE = 5.5                         # change numbers
LABEL_SIZE = 6.5


class _Type:
    """Set single lines of proof text in one font (no composition: labels and lists)."""

    def __init__(self, font: str, advance: Advance):
        self.font = font
        self.advance = advance

    def width(self, text: str, size: float) -> float:
        return sum(self.advance(self.font, ch) for ch in text) * size

    def run(self, text: str, size: float, x: float, y: float, color=MAGENTA,
            align: str = "left") -> GlyphRun:
        width = self.width(text, size)
        x0 = x - width if align == "right" else x - width / 2 if align == "center" else x
        return GlyphRun(self.font, size, x0, y, text, x0, x0 + width, color=color,
                        role="proof")

    def fitted(self, text: str, size: float, width: float) -> str:
        """`text` cut with an ellipsis to fit `width`."""
        if self.width(text, size) <= width:
            return text
        while text and self.width(text + "…", size) > width:
            text = text[:-1]
        return text + "…"

    def wrap(self, text: str, size: float, width: float) -> list[str]:
        """Break `text` into lines of at most `width` (anywhere, paragraphs kept)."""
        lines = []
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for ch in paragraph:
                w = self.advance(self.font, ch) * size
                if line and used + w > width:
                    lines.append(line)
                    line, used = "", 0.0
                line += ch
                used += w
            lines.append(line)
        return lines


def _body_font(pages: Sequence[PageLayout]) -> str:
    for page in pages:
        for item in page.items:
            if isinstance(item, GlyphRun) and item.role == "body":
                return item.font
    return next(iter(pages[0].fonts))


def _baseline_offset(page: PageLayout) -> float:
    """Where a body baseline sits inside its grid slot (learnt from the page's body lines)."""
    top, pitch = page.grid
    offsets = [(item.y - top) % pitch for item in page.items
               if isinstance(item, GlyphRun) and item.role == "body"]
    return statistics.median(offsets) if offsets else pitch * 0.75


def _grid(page: PageLayout, setter: _Type) -> list[Item]:
    """The baseline grid in each column and its line numbers every fifth line."""
    top, pitch = page.grid
    _, area_top, _, area_h = page.type_area
    if not pitch or not page.columns:
        return []
    lines = round(area_h / pitch)
    offset = _baseline_offset(page)
    items: list[Item] = []
    for k in range(lines):
        y = top + k * pitch + offset
        for x0, x1 in page.columns:
            items.append(Rule(x0, y, x1, y, 0.15 if k % 5 else 0.3, GRID))
    for k in range(0, lines, 5):
        y = top + k * pitch + offset
        for x0, _ in page.columns:
            items.append(setter.run(str(k), NUMBER_SIZE, x0 - 0.6, y, CYAN, "right"))
        x1 = page.columns[-1][1]
        items.append(setter.run(str(k), NUMBER_SIZE, x1 + 1.0, y, CYAN))
    return items


def _box_edges(page: PageLayout, box: tuple[int, int, int, int, int]) -> tuple[float, ...]:
    _, column, span, top, depth = box
    _, pitch = page.grid
    x0 = page.columns[column - 1][0]
    x1 = page.columns[min(len(page.columns), column + span - 1) - 1][1]
    y0 = page.grid[0] + top * pitch
    return x0, y0, x1, y0 + depth * pitch


@dataclasses.dataclass(frozen=True)
class Unset:
    """A story the makeup found no room for: on no page, so in no fit; the proof lists it."""

    article: str
    page: int           # the page it was dealt to
    lines: int          # column lines it needs


def _unset_label(story: Unset) -> str:
    return f"{story.article}  未排 not set (超版): needs about {story.lines} column lines"


def _fit_label(fit: ArticleFit) -> str:
    if not fit.capacity_lines and not fit.lines:      # a picture story: no text to fit
        return fit.id
    return f"{fit.id}  {fit.lines}行/容{fit.capacity_lines}行  {fit_words(fit_lines(fit))}"


def _pdf(text: str) -> str:
    """Proof text for the page: the paragraph sign is not in every CJK font."""
    return text.replace("¶", "／")


def _note_text(number: int, change: Change) -> str:
    what, around = change_what(change, 60)
    return _pdf(f"{number}. {change.article} {change.field}: {what} {around}")


def _on_page(page: PageLayout, fits: Sequence[ArticleFit]) -> list[ArticleFit]:
    """The stories with a box on the page (a jump's continuation included)."""
    return [fit for fit in fits if any(box[0] == page.number for box in fit.boxes)]


def _story_marks(page: PageLayout, setter: _Type, fits: Sequence[ArticleFit]) -> list[Item]:
    """Each story's id and fit at the top right of its box; over-long stories flagged at
    the foot of the box."""
    items: list[Item] = []
    for fit in _on_page(page, fits):
        for box in fit.boxes:
            if box[0] != page.number:
                continue
            x0, y0, x1, y1 = _box_edges(page, box)
            label = _fit_label(fit) if box == fit.boxes[0] else \
                f"{fit.id} (续 from page {fit.boxes[0][0]})"
            width = setter.width(label, LABEL_SIZE) + 3
            colour = MAGENTA if fit.overflow_lines else CYAN
            items.append(Rect(x1 - width, y0 + 0.5, width, LABEL_SIZE * 1.5, fill=PAPER,
                              stroke=colour, stroke_width=0.4))
            items.append(setter.run(label, LABEL_SIZE, x1 - 1.5, y0 + 0.5 + LABEL_SIZE * 1.1,
                                    colour, "right"))
            if fit.overflow_lines and box == fit.boxes[-1]:
                items.append(Rule(x0, y1 - 1, x1, y1 - 1, 1.5, MAGENTA))
                tag = f"超版 {fit.overflow_lines}行/{fit.overflow_chars}字 → 右侧校样栏"
                width = setter.width(tag, LABEL_SIZE) + 3
                items.append(Rect(x1 - width, y1 - LABEL_SIZE * 1.6 - 1.5, width,
                                  LABEL_SIZE * 1.5, fill=PAPER, stroke=MAGENTA,
                                  stroke_width=0.4))
                items.append(setter.run(tag, LABEL_SIZE, x1 - 1.5, y1 - LABEL_SIZE * 0.6 - 1.5,
                                        MAGENTA, "right"))
    return items


def _margin(page: PageLayout, setter: _Type, changes: list[tuple[int, Change]],
            fits: Sequence[ArticleFit], unset: Sequence[Unset] = ()) -> list[Item]:
    """The proof margin at the right: every story's id and fit, overset text in magenta,
    the stories dealt to this page that are not on it, and the changes on this page by
    number."""
    x = page.width + mm(6)
    width = PROOF_MARGIN - mm(10)
    _, pitch = page.grid
    size = 7.0
    leading = size * 1.5
    y = page.type_area[1] + size
    items: list[Item] = [Rule(page.width, 0, page.width, page.height, 0.5, MAGENTA),
                         setter.run("校样栏 stories and fit", size + 1, x, y)]
    y += leading * 1.5
    for fit in _on_page(page, fits):
        colour = MAGENTA if fit.overflow_lines else (0.0, 0.0, 0.0, 1.0)
        items.append(setter.run(setter.fitted(_fit_label(fit), size, width), size, x, y,
                                colour))
        y += leading
        if fit.overflow_text:
            body = page.grid[1] and pitch * 0.67
            items.append(setter.run(f"超版 {fit.overflow_lines}行/{fit.overflow_chars}字 "
                                    "overset:", size, x, y, MAGENTA))
            y += leading * 0.4 + body
            for line in setter.wrap(fit.overflow_text, body, width):
                items.append(setter.run(line, body, x, y, MAGENTA))
                y += body * 1.4
            y += leading * 0.5
    for story in unset:
        if story.page == page.number:
            items.append(setter.run(setter.fitted(_unset_label(story), size, width), size,
                                    x, y, MAGENTA))
            y += leading
    if changes:
        y += leading
        items.append(setter.run("本版改动 changes on this page", size + 1, x, y))
        y += leading * 1.5
        for number, change in changes:
            what, _ = change_what(change, 24)
            if change.field == "place":
                what = f"now {change.new}"
            w = change.where
            text = _pdf(f"{number}. c{w.column} L{w.line} {change.article} {change.field} "
                        f"{what}") if w else _pdf(f"{number}. {change.article} {what}")
            for line in setter.wrap(text, size, width)[:3]:
                items.append(setter.run(line, size, x, y, (0.0, 0.0, 0.0, 1.0)))
                y += leading
            if y > page.height - leading:
                break
    return items


def _glyph_rect(glyphs: Sequence[Glyph]) -> list[tuple[float, float, float, float]]:
    """One rectangle per set line the glyphs cover (x, y, w, h)."""
    lines: dict[tuple[int, int, float], list[Glyph]] = {}
    for g in glyphs:
        lines.setdefault((g.column, g.line, g.top), []).append(g)
    return [(min(g.x0 for g in gs), gs[0].top - 0.8, max(g.x1 for g in gs) - min(g.x0 for g in gs),
             gs[0].bottom - gs[0].top + 1.6) for gs in lines.values()]


def _change_marks(page: PageLayout, setter: _Type, number: int, change: Change,
                  glyphs: Sequence[Glyph | None]) -> tuple[list[Item], list[Item]]:
    """(under the page, over the page) items marking one change."""
    under: list[Item] = []
    over: list[Item] = []
    where = change.where
    if where is None or where.page != page.number:
        return under, over
    note = _note_text(number, change)
    if change.field == "photo" and change.kind != "delete":
        over.append(Rect(where.x0, where.top, where.x1 - where.x0, where.bottom - where.top,
                         stroke=MAGENTA, stroke_width=1.5))
        over.append(Note(where.x0, where.top, where.x1 - where.x0, LABEL_SIZE * 2, note))
        over.append(setter.run(str(number), MARK_SIZE + 2, where.x0 + 2,
                               where.top + MARK_SIZE + 3))
        return under, over
    if change.field in ("place", "article") and change.kind != "delete":
        fit = next((f for f in page.articles if f.id == change.article), None)
        if fit is not None and fit.boxes:
            x0, y0, x1, y1 = _box_edges(page, fit.boxes[0])
            over.append(Rect(x0 - 2, y0, x1 - x0 + 4, y1 - y0, stroke=MAGENTA, stroke_width=1.2))
            over.append(Note(x0, y0, x1 - x0, LABEL_SIZE * 2, note))
            over.append(setter.run(str(number), LABEL_SIZE + 1, x0 + 1, y0 + LABEL_SIZE * 1.2))
        return under, over
    marked = [g for g in glyphs[change.start:change.end] if g is not None and
              g.page == page.number]
    if change.kind != "delete" and marked:
        for x, y, w, h in _glyph_rect(marked):
            under.append(Rect(x, y, w, h, fill=HIGHLIGHT))
            over.append(Note(x, y, w, h, note))
        first = marked[0]
        over.append(setter.run(str(number), MARK_SIZE, first.x0, first.top - 0.6))
        return under, over
    # A deletion (or a change whose new text has no glyph): a caret at the point.
    after = next((g for g in glyphs[change.start:] if g is not None), None)
    if after is not None and after.page == page.number and (change.start < len(glyphs)):
        x, glyph = after.x0, after
    else:
        glyph = where
        x = where.x1
    base = glyph.bottom
    # The caret (‸) stands under the line with its point at the gap.
    over.append(Rule(x - 2.6, base + 3.2, x, base - 1.0, 0.8, MAGENTA))
    over.append(Rule(x, base - 1.0, x + 2.6, base + 3.2, 0.8, MAGENTA))
    over.append(Note(x - 3.0, base - 1.0, 6.0, 4.4, note, (1.0, 0.8, 0.9)))
    over.append(setter.run(str(number), MARK_SIZE, x + 0.5, glyph.top - 0.6))
    return under, over


def _reflow_bars(page: PageLayout, diff: Diff | None) -> list[Item]:
    """A magenta bar in the gutter beside every line a change reset: the lines to read
    again for new bad breaks."""
    if diff is None:
        return []
    top, pitch = page.grid
    items: list[Item] = []
    for reflow in diff.reflow:
        for number, column, first, last in reflow.ranges:
            if number != page.number or not 0 < column <= len(page.columns):
                continue
            x = page.columns[column - 1][1] + 1.2
            items.append(Rule(x, top + first * pitch + 1, x, top + (last + 1) * pitch - 1, 1.0,
                              MAGENTA))
    return items


def _band(page: PageLayout, setter: _Type, title: str) -> list[Item]:
    """Not for press: a magenta header band and a diagonal 校样 under the page."""
    width = page.width + PROOF_MARGIN
    text = f"校样 PROOF · 非付印稿 NOT FOR PRESS · 第{page.number}版 {page.name} · {title}"
    return [Rect(0, 0, width, 16, fill=MAGENTA),
            setter.run(setter.fitted(text, 9, width - 20), 9, 10, 11.5, PAPER)]


def _diagonal(page: PageLayout, setter: _Type) -> GlyphRun:
    size = min(page.width, page.height) * 0.28
    run = setter.run("校样", size, page.width * 0.22, page.height * 0.62, TINT)
    return run._replace(rotate=35.0)


def proof_page(page: PageLayout, setter: _Type, title: str, changes: list[tuple[int, Change]],
               glyphs: dict[tuple[str, str], list], diff: Diff | None = None,
               fits: Sequence[ArticleFit] = (), unset: Sequence[Unset] = ()) -> PageLayout:
    under: list[Item] = [_diagonal(page, setter)]
    under.extend(_grid(page, setter))
    over: list[Item] = []
    for number, change in changes:
        u, o = _change_marks(page, setter, number, change,
                             glyphs.get((change.article, change.field), []))
        under.extend(u)
        over.extend(o)
    over.extend(_reflow_bars(page, diff))
    fits = fits or page.articles
    over.extend(_story_marks(page, setter, fits))
    on_page = [(n, c) for n, c in changes if c.where is not None and c.where.page == page.number]
    over.extend(_margin(page, setter, on_page, fits, unset))
    over.extend(_band(page, setter, title))
    items = tuple(under) + tuple(i for i in page.items if not
                                 (isinstance(i, GlyphRun) and i.role == "draft")) + tuple(over)
    return dataclasses.replace(page, width=page.width + PROOF_MARGIN, items=items,
                               press=PrintSetup(pdfx=""))


def changes_pages(template: PageLayout, setter: _Type, title: str, diff: Diff | None,
                  fits: Sequence[ArticleFit], unset: Sequence[Unset] = ()) -> list[PageLayout]:
    """The first page(s): every change with its number, page, column and line; the reflow
    of each story; the fit of every story."""
    width = template.width + PROOF_MARGIN
    left = mm(20)
    size = 13.0
    leading = size * 1.7
    black = (0.0, 0.0, 0.0, 1.0)
    grey = (0.0, 0.0, 0.0, 0.6)
    # Each row: cells of (x offset, text, colour, size); the last cell takes the rest.
    rows: list[list[tuple[float, str, tuple, float]]] = []

    def row(*cells: tuple[float, str, tuple, float]) -> None:
        rows.append(list(cells))

    row((0, f"校样 改动清单 · {title}", MAGENTA, 20.0))
    if diff is None:
        row((0, "No older draft given (--against): the pages carry no change marks.",
             black, size))
    else:
        row((0, f"{len(diff.changes)} change{'s' * (len(diff.changes) != 1)} — the numbers "
             "are the marks on the pages; c = column (from 1), L = grid line (from 0 at the "
             "top of the type area, as place.top counts and the margin numbers show)",
             grey, size * 0.85))
        row()
        columns = (0, 45, 170, 300, 390)
        row(*[(x, head, MAGENTA, size) for x, head in
              zip(columns, ("No.", "page col line", "story", "field", "change"))])
        for number, change in enumerate(diff.changes, 1):
            what, around = change_what(change, 50)
            row((0, f"{number}.", black, size), (45, change_where(change), black, size),
                (170, change.article, black, size), (300, change.field, black, size),
                (390, _pdf(what), black, size))
            if around:
                row((390, _pdf(around), grey, size * 0.85))
        if diff.reflow:
            row()
            row((0, "Reflow (重排)", MAGENTA, size + 2))
            for reflow in diff.reflow:
                row((0, reflow.article, black, size), (170, reflow.text(), black, size))
    row()
    row((0, "Fit of every story (容字量)", MAGENTA, size + 2))
    for fit in fits:
        row((0, _fit_label(fit), MAGENTA if fit.overflow_lines else black, size))
    for story in unset:
        row((0, f"{_unset_label(story)} (page {story.page})", MAGENTA, size))
    pages: list[PageLayout] = []
    items: list[Item] = []
    y = 50.0
    for cells in rows:
        height = max((c[3] for c in cells), default=size) * 1.7 if cells else leading * 0.5
        if y + height > template.height - mm(15):
            pages.append(_list_page(template, width, items, len(pages)))
            items, y = [], 50.0
        for index, (x, text, colour, text_size) in enumerate(cells):
            room = (cells[index + 1][0] if index + 1 < len(cells) else width - 2 * left) - x
            items.append(setter.run(setter.fitted(text, text_size, room - 6), text_size,
                                    left + x, y + text_size, colour))
        y += height
    pages.append(_list_page(template, width, items, len(pages)))
    return pages


def _list_page(template: PageLayout, width: float, items: list[Item], index: int) -> PageLayout:
    band = [Rect(0, 0, width, 16, fill=MAGENTA)]
    return dataclasses.replace(
        template, number=0, name=f"改动清单 {index + 1}", width=width, items=tuple(band + items),
        articles=(), diagnostics=(), press=PrintSetup(pdfx=""))


def proof_pages(pages: Sequence[PageLayout], advance: Advance, title: str,
                diff: Diff | None = None,
                glyphs: dict[tuple[str, str], list] | None = None,
                unset: Sequence[Unset] = ()) -> list[PageLayout]:
    """The proof of `pages`: the change list first, then every page marked up.

    `glyphs` maps (article, field) to the glyph positions of the new draft's text (from
    `proof.text.stories`), so that a change's range can be marked glyph by glyph.
    """
    setter = _Type(_body_font(pages), advance)
    numbered = list(enumerate(diff.changes, 1)) if diff else []
    fits = [fit for page in pages for fit in page.articles]
    out = changes_pages(pages[0], setter, title, diff, fits, unset)
    out.extend(proof_page(page, setter, title, numbered, glyphs or {}, diff, fits, unset)
               for page in pages)
    return out
