"""Style sheet model: page geometry, the column and baseline grid, type roles."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path

from layout.records import Record, record

CMYK = tuple[float, float, float, float]
BLACK: CMYK = (0.0, 0.0, 0.0, 1.0)

# The roles every style must define; the engine asks for them by these names.
ROLES = (
    "body", "dateline", "runin", "kicker", "headline", "subhead", "rubric",
    "photo_title", "caption", "credit", "running_head", "page_name", "folio", "credits_line",
)


@record
class RoleStyle(Record):
    """How one type role (body, headline, caption …) is set."""

    font: str
    size: float
    leading: float          # baseline-to-baseline distance inside a block, in pt
    color: CMYK = BLACK
    align: str = "left"     # left | center | right | justify
    tracking: float = 0.0   # extra space between characters, in em


@record
class Grid(Record):
    """The type area (版心) divided into columns and baseline-grid lines.

    Column widths are whole body characters (reference §2.2): the engine derives
    millimetres from characters, never the reverse.
    """

    left: float             # type area origin, pt from the trim box's top-left
    top: float
    columns: int
    column_chars: int
    gutter_chars: float
    lines: int
    body_size: float        # the em of the grid
    pitch: float            # baseline-to-baseline distance of body text

    @property
    def column_width(self) -> float:
        return self.column_chars * self.body_size

    @property
    def gutter(self) -> float:
        return self.gutter_chars * self.body_size

    @property
    def width(self) -> float:
        return self.span_width(self.columns)

    @property
    def height(self) -> float:
        return self.lines * self.pitch

    def column_x(self, column: int) -> float:
        """Left edge of a 0-based column."""
        return self.left + column * (self.column_width + self.gutter)

    def span_width(self, span: int) -> float:
        """Width of a measure spanning `span` basic columns (R29)."""
        return span * self.column_width + (span - 1) * self.gutter

    def line_top(self, line: int) -> float:
        """Top of the grid slot `line` (0-based)."""
        return self.top + line * self.pitch

    def baseline(self, line: int, ascent: float = 0.88) -> float:
        """Baseline of a body line in slot `line`: the character frame is centred in the slot."""
        return self.line_top(line) + (self.pitch - self.body_size) / 2 + ascent * self.body_size


@record
class Rules(Record):
    """Weights of the rules a page draws: 栏线, separators, 眉线, article frames."""

    column_rule: float = 0.25       # 栏线 weight, pt
    separator: float = 0.5          # rule between stacked stories, pt
    head_rule: float = 0.75         # 眉线 under the running head, pt
    head_rule_double: bool = True
    frame: float = 0.6              # article frame (frame: line / double / ornament), pt
    ornament_pitch: float = 5.0     # 花边: distance between the ornaments along a frame, pt


@record
class Composition(Record):
    """Line composition settings (reference §3): indent, punctuation, 避头尾, spacing."""

    indent_chars: float = 2.0
    normalize_punctuation: bool = True
    kinsoku: str = "gb"              # basic | gb | strict (reference §3.3)
    latin_gap: float = 0.25          # em between Han and Latin/digits (R21)
    max_stretch: float = 0.25        # em added per gap before a line is flagged loose (R18)
    trim_opening_at_line_start: bool = True   # reference §3.4 B


# The registered newsprint characterization (ICC Characterization Data Registry, color.org):
# IFRA26 is coldset offset on newsprint per ISO 12647-3 (26 % TVI at the 40 % patch; the data
# behind the WAN-IFRA profile ISOnewspaper26v4). A registered identifier needs no embedded
# profile in PDF/X-1a.
NEWSPRINT_CONDITION = "IFRA26"
NEWSPRINT_CONDITION_TEXT = ("Coldset offset printing on newsprint (ISO 12647-3), "
                            "characterization IFRA26 (ISOnewspaper26v4)")
ICC_REGISTRY = "http://www.color.org"
PDFX_VERSIONS = ("PDF/X-1a:2001", "PDF/X-4")


@record
class Print(Record):
    """How pages go to press (reference §5, R39–R45): boxes, marks, colour and PDF/X."""

    bleed: float = 0.0              # pt beyond the trim on every side; newsprint does not bleed
    marks: bool = False             # crop and registration marks outside the trim (and bleed)
    ink_limit: float = 240.0        # total ink of photos (C+M+Y+K), percent (R42)
    icc_profile: Path | None = None  # the plant's CMYK output profile, for photos and PDF/X-4
    pdfx: str = "PDF/X-1a:2001"     # PDF/X-1a:2001 | PDF/X-4 (PDF/X-4 needs icc_profile)
    output_condition_identifier: str = NEWSPRINT_CONDITION
    output_condition: str = NEWSPRINT_CONDITION_TEXT
    registry_name: str = ICC_REGISTRY
    overprint_black_max_size: float = 12.0    # 100 % K text up to this size overprints
    overprint_black_max_rule: float = 2.0     # 100 % K rules up to this weight overprint


@record
class Style(Record):
    """A style sheet: page size, grid, fonts, type roles and how pages go to press."""

    name: str
    file: Path
    page_width: float
    page_height: float
    grid: Grid
    fonts: dict[str, Path]
    roles: dict[str, RoleStyle]
    headline_sizes: tuple[tuple[int, float], ...] = ()   # (min span, size), ascending
    rules: Rules = field(default_factory=Rules)
    composition: Composition = field(default_factory=Composition)
    masthead_lines: int = 12        # grid lines the 报头 takes at the top of page 1
    print: Print = field(default_factory=Print)
    makeup_time_limit: float = 2.0  # seconds the page-makeup search may take per page
    # fonts.fallback (R49): font key → the keys of the faces that print what it lacks,
    # closest first.
    fallback: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def headline_size(self, span: int) -> float:
        """Main headline size for a story spanning `span` columns (larger stories, larger type)."""
        size = self.roles["headline"].size
        for min_span, value in self.headline_sizes:
            if span >= min_span:
                size = value
        return size
