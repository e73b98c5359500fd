"""The text of each story as set, read back from the display list.

A proofreader compares what is on the page, so every comparison starts here: the
glyph runs of each article are grouped by field (body, headline, caption …) and
joined in reading order, and every character keeps where it sits — page, column,
grid line, and its horizontal extent — so that a change found in the text can be
marked on the page. Body paragraphs are separated by a newline (the runs carry their
paragraph index); a headline's lines are joined without one, since where a headline
breaks is composition, not copy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from layout.display import ArticleFit, GlyphRun, Image, PageLayout

# Display roles → the field of the article they set. The dateline runs in at the start of
# the first paragraph, a run-in head at the start of its paragraph: both are read as set.
FIELDS = {
    "body": "body", "runin": "body", "dateline": "byline",
    "kicker": "kicker", "headline": "headline", "subhead": "subhead", "rubric": "rubric",
    "photo_title": "photo_title", "caption": "caption", "credit": "credit",
}
# The order fields are reported in: the headline stack first, then the text, then photos.
FIELD_ORDER = ("rubric", "kicker", "headline", "subhead", "byline", "body", "photo_title",
               "caption", "credit")

Advance = Callable[[str, str], float]   # (font key, character) → advance width in em


@dataclass(frozen=True, slots=True)
class Glyph:
    """Where one character of a field is set: page, column (1-based), grid line
    (0-based, as `place.top` counts), and its box in page points."""

    page: int
    column: int
    line: int
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class FieldText:
    """A field's text as set; `glyphs[i]` is where `text[i]` sits (None: a paragraph
    break, which has no glyph)."""

    text: str = ""
    glyphs: list[Glyph | None] = field(default_factory=list)

    def add(self, text: str, glyphs: Sequence[Glyph | None]) -> None:
        self.text += text
        self.glyphs.extend(glyphs)

    def where(self, index: int) -> Glyph | None:
        """The glyph at `index` or, for a break or the end, the nearest one before it."""
        for i in range(min(index, len(self.glyphs) - 1), -1, -1):
            if self.glyphs[i] is not None:
                return self.glyphs[i]
        return next((g for g in self.glyphs if g is not None), None)


@dataclass
class Story:
    """One article as set: its fields, its fit, and its body lines by position."""

    id: str
    fields: dict[str, FieldText] = field(default_factory=dict)
    fit: ArticleFit | None = None
    # (page, column, grid line) → the text of the body line set there
    lines: dict[tuple[int, int, int], str] = field(default_factory=dict)
    overset: int = 0        # characters at the end of the body that did not fit the box
    # the story's pictures: (the editor's file name, the file the PDF embeds, where it is)
    photos: list[tuple[str, str, Glyph]] = field(default_factory=list)
    # body paragraph index → (its first character in the body text, where its own text
    # starts after a run-in head)
    paragraphs: dict[int, tuple[int, int]] = field(default_factory=dict)

    def body_set(self) -> str:
        """The body as set on the page (without the overset text)."""
        text = self.fields.get("body", FieldText()).text
        return text[:len(text) - self.overset] if self.overset else text

    def overset_text(self) -> str:
        text = self.fields.get("body", FieldText()).text
        return text[len(text) - self.overset:].lstrip("\n") if self.overset else ""


def column_of(page: PageLayout, x: float) -> int:
    """The page column (1-based) that x falls in, a gutter counting with the column after
    it (an opening mark hangs into the gutter before the column); 0 outside the grid."""
    gutter = page.columns[1][0] - page.columns[0][1] if len(page.columns) > 1 else 0.0
    for index, (x0, x1) in enumerate(page.columns):
        if x0 - gutter <= x < x1 + (0 if index + 1 < len(page.columns) else gutter):
            return index + 1
    return 0


def grid_line(page: PageLayout, y: float) -> int:
    """The grid line (0-based) of a baseline: the slot whose pitch contains it."""
    top, pitch = page.grid
    return int((y - top) // pitch) if pitch else 0


def glyph_boxes(run: GlyphRun, advance: Advance | None) -> list[tuple[float, float]]:
    """The horizontal extent of each character of a run, in page points.

    With the font's advances the pen is followed exactly as the renderer moves it
    (advance + tracking, the TJ adjustments); without them the run's extent is shared
    out evenly, which is close enough to name a line but not to mark a glyph.
    """
    n = len(run.text)
    if not n:
        return []
    if run.rotate or run.glyphs or advance is None:
        if run.glyphs or run.rotate:     # vertical setting: one glyph per run, in its cell
            return [(run.left, run.right)] * n
        step = (run.right - run.left) / n
        return [(run.left + i * step, run.left + (i + 1) * step) for i in range(n)]
    adjust = dict(run.adjust)
    boxes = []
    x = run.x
    for i, ch in enumerate(run.text):
        x += adjust.get(i, 0.0) if i else 0.0
        width = advance(run.font, ch) * run.size
        boxes.append((x, x + width))
        x += width + run.tracking
    return boxes


def _runs_in_order(pages: Sequence[PageLayout]) -> dict[str, list[tuple[PageLayout, GlyphRun]]]:
    """Each article's glyph runs in reading order: the page that carries its fit (its
    first box) first, then the others in edition order (a jump's continuation)."""
    home = {fit.id: page.number for page in pages for fit in page.articles}
    runs: dict[str, list[tuple[PageLayout, GlyphRun]]] = {}
    for page in pages:
        for item in page.items:
            if isinstance(item, GlyphRun) and item.article and item.role in FIELDS:
                runs.setdefault(item.article, []).append((page, item))
    for article, found in runs.items():
        first = home.get(article, found[0][0].number)
        found.sort(key=lambda pair: pair[0].number != first)   # stable: keeps item order
    return runs


def stories(pages: Sequence[PageLayout], advance: Advance | None = None) -> dict[str, Story]:
    """Every article on the pages as set, keyed by id, in the order they first appear."""
    fits = {fit.id: fit for page in pages for fit in page.articles}
    out: dict[str, Story] = {}
    for article, runs in _runs_in_order(pages).items():
        story = out.setdefault(article, Story(article, fit=fits.get(article)))
        home = runs[0][0].number
        para = None
        for page, run in runs:
            name = FIELDS[run.role]
            # A jump's continuation repeats the headline: the copy is the first one.
            if name != "body" and page.number != home:
                continue
            text = story.fields.setdefault(name, FieldText())
            if name == "body":
                if para is not None and run.para != para:
                    text.add("\n", [None])
                para = run.para
                start = story.paragraphs.setdefault(para, (len(text.text), 0))[0]
                if run.role == "runin":
                    story.paragraphs[para] = (start, len(text.text) + len(run.text) - start)
            line = grid_line(page, run.y)
            column = column_of(page, run.left)
            size = run.size
            glyphs = [Glyph(page.number, column, line, x0, x1, run.y - 0.88 * size,
                            run.y + 0.12 * size) for x0, x1 in glyph_boxes(run, advance)]
            text.add(run.text, glyphs)
            if name in ("body", "byline"):
                key = (page.number, column, line)
                story.lines[key] = story.lines.get(key, "") + run.text
    for page in pages:
        for item in page.items:
            if isinstance(item, Image) and item.article:
                story = out.setdefault(item.article, Story(item.article,
                                                           fit=fits.get(item.article)))
                where = Glyph(page.number, column_of(page, item.x + 1), grid_line(page, item.y),
                              item.x, item.x + item.w, item.y, item.y + item.h)
                story.photos.append(((item.source or item.path).name, item.path.name, where))
    for story in out.values():
        fit = story.fit
        if fit is not None and fit.overflow_text:
            # Overset text is copy too: without it a story pushed out of its box would
            # read as deleted. It has no glyph; a change in it is placed after the last.
            body = story.fields.setdefault("body", FieldText())
            overset = ("\n" if fit.overflow_break and body.text else "") + fit.overflow_text
            body.add(overset, [None] * len(overset))
            story.overset = len(overset)
    for fit_id, fit in fits.items():       # a story set with no text at all still has a fit
        out.setdefault(fit_id, Story(fit_id, fit=fit))
    return out


def fit_lines(fit: ArticleFit | None) -> int:
    """Spare lines (positive) or lines over (negative) of a story; 0 when it fits exactly."""
    if fit is None:
        return 0
    return -fit.overflow_lines if fit.overflow_lines else fit.spare_lines


def fit_words(lines: int) -> str:
    if lines > 0:
        return f"{lines} line{'s' * (lines != 1)} spare"
    if lines < 0:
        return f"{-lines} line{'s' * (lines != -1)} over"
    return "fits exactly"
