"""The display list: the one boundary between layout and rendering.

A PageLayout is a frozen list of positioned items — glyph runs, rules,
rectangles and images — plus the page's boxes and what composition found.
Everything above `render` produces it; renderers only draw it. Coordinates are
PDF points from the top-left corner of the trim box, y growing downwards.
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import NamedTuple

from layout.diagnostics import Diagnostic
from layout.records import Record, record

CMYK = tuple[float, float, float, float]
BLACK: CMYK = (0.0, 0.0, 0.0, 1.0)


class GlyphRun(NamedTuple):
    """Glyphs of one font on one baseline (a NamedTuple: a page has thousands of them,
    and a tuple is built four times faster than a frozen dataclass).

    The pen starts at `x`; after every glyph it advances by the font's advance
    width plus `tracking` (PDF Tc). `adjust` lists the exceptions: (index, pt)
    moves glyph `index` and everything after it by pt (a TJ number). `left` and
    `right` are the run's set extent, for geometry checks and previews.
    """

    font: str
    size: float
    x: float
    y: float
    text: str
    left: float
    right: float
    tracking: float = 0.0
    adjust: tuple[tuple[int, float], ...] = ()
    color: CMYK = BLACK
    role: str = "body"
    article: str | None = None
    # Vertical setting (竖排): glyph ids that replace the characters' usual glyphs (the
    # font's `vert` forms; 0 keeps the character's glyph), and a rotation in degrees,
    # counter-clockwise about the pen position, for a glyph with no vertical form (——).
    # The text stays the original characters so that it extracts as written.
    glyphs: tuple[int, ...] = ()
    rotate: float = 0.0
    # Body text only: the index of the paragraph (in the article's body) the run belongs to,
    # so that the text as set can be read back paragraph by paragraph (proofs, text export).
    para: int = -1


@record
class Rule(Record):
    """A straight line from (x0, y0) to (x1, y1), `width` pt wide."""

    x0: float
    y0: float
    x1: float
    y1: float
    width: float
    color: CMYK = BLACK


@record
class Rect(Record):
    """A rectangle, filled and/or stroked (None: no fill / no stroke)."""

    x: float
    y: float
    w: float
    h: float
    fill: CMYK | None = None
    stroke: CMYK | None = None
    stroke_width: float = 0.0


@record
class Image(Record):
    """A picture scaled to cover its box and clipped to it.

    `path` is the file the PDF embeds (the print separation); `source` the photo as the
    editor gave it, which screen previews show (None: the same file).
    """

    path: Path
    x: float
    y: float
    w: float
    h: float
    article: str | None = None
    source: Path | None = None


@record
class Note(Record):
    """A proofreader's mark for the viewer: a highlight annotation over a rectangle with a
    comment (proofs only — layout/proof makes them; a press PDF never carries one)."""

    x: float
    y: float
    w: float
    h: float
    text: str
    color: tuple[float, float, float] = (1.0, 0.9, 0.0)   # RGB: annotations are screen-only


Item = GlyphRun | Rule | Rect | Image | Note


@record
class ArticleFit(Record):
    """What the flow did with one article: capacity, what was set, what was left over."""

    id: str
    columns: int
    capacity_lines: int
    lines: int
    chars_set: int
    overflow_chars: int = 0
    overflow_lines: int = 0
    overflow_text: str = ""          # paragraphs separated by a newline
    normalized: tuple[tuple[int, int, str, str], ...] = ()   # (paragraph, index, from, to)
    capacity_chars: int = 0          # 容字量: line positions × characters per line
    spare_lines: int = 0             # 缺版: positions left empty
    fixes: tuple[tuple[str, int], ...] = ()      # ways to make it fit, cheapest first
    adjustments: tuple[str, ...] = ()            # copyfitting done (fit: auto)
    pages: tuple[int, ...] = ()                  # pages the article is on (jumps: two)
    # The article's boxes as (page, first column 1-based, span, top line, depth in lines):
    # the first box and a jump's continuation; a stepped box gives its deepest column.
    boxes: tuple[tuple[int, int, int, int, int], ...] = ()
    overflow_break: bool = False     # the overset text starts a new paragraph


@record
class PrintSetup(Record):
    """How the page goes to press, filled in from the style by the page level.

    `bleed` is the distance of the BleedBox outside the trim; with `marks` the
    MediaBox grows further to carry crop and registration marks. Black (0 0 0 1)
    text up to `overprint_text` pt and black rules up to `overprint_rule` pt wide
    overprint. The rest names the PDF/X flavour and its output intent; with
    `icc_profile` the profile is embedded in the output intent.
    """

    bleed: float = 0.0
    marks: bool = False
    overprint_text: float = 12.0
    overprint_rule: float = 2.0
    pdfx: str = "PDF/X-1a:2001"
    output_condition_identifier: str = "IFRA26"
    output_condition: str = ""
    registry_name: str = "http://www.color.org"
    icc_profile: Path | None = None


@record
class PageLayout(Record):
    """One page's display list, with its boxes, grid and what composition found."""

    number: int
    name: str
    width: float
    height: float
    type_area: tuple[float, float, float, float]   # x, y, w, h
    fonts: dict[str, Path]
    items: tuple[Item, ...]
    articles: tuple[ArticleFit, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    columns: tuple[tuple[float, float], ...] = field(default=())   # (x0, x1) of each grid column
    grid: tuple[float, float] = (0.0, 0.0)          # (top of the first slot, pitch)
    press: PrintSetup = field(default_factory=PrintSetup)
    quality: dict[str, int] = field(default_factory=dict)   # composition quality counts
