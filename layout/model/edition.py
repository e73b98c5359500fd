"""Edition model: the day's pages and articles, as the layout editor wrote them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from layout.model.style import Style


@dataclass(frozen=True, slots=True)
class Placement:
    page: int
    column: int     # 0-based first column (the edition file says 1-based)
    span: int
    top: int        # first grid line, 0-based
    depth: int      # grid lines
    line: int = 0   # source line in the edition file

    @property
    def bottom(self) -> int:
        return self.top + self.depth

    @property
    def end_column(self) -> int:
        return self.column + self.span


@dataclass(frozen=True, slots=True)
class Photo:
    file: Path
    title: str = ""
    caption: str = ""
    credit: str = ""
    lines: int | None = None   # height of the picture in grid lines; None = from the aspect ratio
    line: int = 0


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    runin: str = ""       # 段首小标题 set in the run-in face before the text


@dataclass(frozen=True, slots=True)
class Article:
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

    @property
    def source_text(self) -> str:
        """The body as the editor wrote it: byline run in, paragraphs joined by newlines."""
        paragraphs = [p.runin + p.text for p in self.body]
        if paragraphs and self.byline:
            paragraphs[0] = self.byline + paragraphs[0]
        return "\n".join(paragraphs)


@dataclass(frozen=True, slots=True)
class PageSpec:
    number: int
    name: str
    sections: tuple[str, ...] = ()
    credits: tuple[tuple[str, str], ...] = ()
    line: int = 0


@dataclass(frozen=True, slots=True)
class Edition:
    file: Path
    paper: str
    date: dt.date
    style: Style
    pages: tuple[PageSpec, ...]
    articles: tuple[Article, ...]

    def page(self, number: int) -> PageSpec:
        for page in self.pages:
            if page.number == number:
                return page
        raise KeyError(number)

    def articles_on(self, number: int) -> tuple[Article, ...]:
        return tuple(a for a in self.articles if a.place and a.place.page == number)
