"""Edition model: the day's pages and articles, as the layout editor wrote them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from layout.model.style import Style
from layout.records import Record, record


@record
class Placement(Record):
    """An article box on the page grid: whole columns by whole grid lines.

    A stepped box (刀把, L-shaped) gives each column its own depth in `depths`;
    its headline spans `headline_span` columns from the first (0 = all).
    """

    page: int
    column: int     # 0-based first column (the edition file says 1-based)
    span: int
    top: int        # first grid line, 0-based
    depth: int      # grid lines
    line: int = 0   # source line in the edition file
    depths: tuple[int, ...] = ()
    headline_span: int = 0
    engine: bool = False   # chosen by the makeup engine (`by: engine` or no place at all)

    def column_depth(self, index: int) -> int:
        """Depth of the box's `index`-th column (0-based within the box)."""
        return self.depths[index] if self.depths else self.depth

    @property
    def bottom(self) -> int:
        return self.top + max(self.depths or (self.depth,))

    @property
    def end_column(self) -> int:
        return self.column + self.span

    def intervals(self) -> list[tuple[int, int, int]]:
        """(page column, first line, end line) of every column of the box."""
        return [(self.column + i, self.top, self.top + self.column_depth(i))
                for i in range(self.span)]

    def overlaps(self, other: Placement) -> tuple[int, int, int] | None:
        """The first shared (column, first line, end line), or None."""
        if self.page != other.page:
            return None
        theirs = {c: (a, b) for c, a, b in other.intervals()}
        for c, a, b in self.intervals():
            if c in theirs and a < theirs[c][1] and theirs[c][0] < b:
                return c, max(a, theirs[c][0]), min(b, theirs[c][1])
        return None


@record
class PhotoPlace(Record):
    """Where a photo sits inside its article: columns of the box, lines below the headline."""

    column: int     # 0-based within the box
    span: int
    top: int        # grid lines below the headline stack
    lines: int      # picture height in grid lines (the caption adds its own)
    engine: bool = False   # chosen by the makeup engine (`by: engine`, written by `plan`)


@record
class Photo(Record):
    """A picture of an article with its title, caption and credit (`line`: the file's line)."""

    file: Path
    title: str = ""
    caption: str = ""
    credit: str = ""
    lines: int | None = None   # height of the picture in grid lines; None = from the aspect ratio
    line: int = 0
    place: PhotoPlace | None = None   # inside the article, with the text flowing around it


@record
class Paragraph(Record):
    """One paragraph of an article body."""

    text: str
    runin: str = ""       # 段首小标题 set in the run-in face before the text


@record
class Article(Record):
    """A story as the edition file gives it (`line`: where it starts in the file)."""

    id: str
    section: str
    headline: str = ""
    kicker: str = ""
    subhead: str = ""
    rubric: str = ""
    byline: str = ""
    body: tuple[Paragraph, ...] = ()
    photos: tuple[Photo, ...] = ()
    place: Placement | None = None
    line: int = 0
    vertical: str = ""             # "left" or "right": the headline stack set vertically (竖排)
    vertical_columns: int = 1
    continued: Placement | None = None   # the jump's continuation box (转版)
    fit: bool = False              # copyfitting within bounded, reported adjustments
    frame: str = ""                # "", "line", "double" or "ornament" (花边)
    priority: int = 0              # 1 = 头条; larger is less important; 0 = by file order
    min_span: int = 0              # span hints for the makeup engine (0 = no hint)
    max_span: int = 0
    page_hint: int = 0             # `place: {page: N}` alone: the engine places it on page N

    @property
    def source_text(self) -> str:
        """The body as the editor wrote it: byline run in, paragraphs joined by newlines."""
        paragraphs = [p.runin + p.text for p in self.body]
        if paragraphs and self.byline:
            paragraphs[0] = self.byline + paragraphs[0]
        return "\n".join(paragraphs)


@record
class PageSpec(Record):
    """A page of the edition: number, name (版名), sections, credits (`line`: the file's line)."""

    number: int
    name: str
    sections: tuple[str, ...] = ()
    credits: tuple[tuple[str, str], ...] = ()
    line: int = 0


@record
class Masthead(Record):
    """报头 on page 1: the paper's name in large type, the date and issue lines."""

    issue: str = ""                       # e.g. 第8123期
    notes: tuple[str, ...] = ()           # publisher, 国内统一刊号, 邮发代号, weather …


@record
class Edition(Record):
    """One day's edition: the paper, its style, pages and articles."""

    file: Path
    paper: str
    date: dt.date
    style: Style
    pages: tuple[PageSpec, ...]
    articles: tuple[Article, ...]
    masthead: Masthead = Masthead()

    def page(self, number: int) -> PageSpec:
        for page in self.pages:
            if page.number == number:
                return page
        raise KeyError(number)
