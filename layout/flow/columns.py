"""Flow paragraphs through column regions on the baseline grid.

A region is one column of an article box between two grid lines. Lines fill
the regions in order, one per grid slot; what does not fit is returned as an
Overflow value with the text and counts, never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from layout.compose.paragraph import Line, Settings, Span, compose


@dataclass(frozen=True, slots=True)
class Region:
    x: float            # left edge, pt
    width: float        # measure, pt
    first_line: int     # grid slot of the first line
    lines: int          # number of grid slots
    page: int = 0       # the page the region is on (a jump continues on another page)


@dataclass(frozen=True, slots=True)
class PlacedLine:
    region: int         # index into the regions given to flow()
    slot: int           # grid slot on the page
    x: float
    line: Line
    paragraph: int


@dataclass(frozen=True, slots=True)
class Overflow:
    lines: int
    chars: int
    text: str                   # paragraphs separated by a newline
    new_paragraph: bool = False     # the overset text starts a paragraph


@dataclass(frozen=True, slots=True)
class FlowResult:
    placed: tuple[PlacedLine, ...]
    overflow: Overflow | None
    capacity: int       # grid slots available
    chars_set: int
    paragraphs: tuple[tuple[str, tuple[Line, ...]], ...] = ()   # (text, all its lines)


def slots_of(regions: Sequence[Region]) -> list[tuple[int, int, float, float]]:
    """(region index, grid slot, x, measure) of every line position, in reading order."""
    return [(r, region.first_line + k, region.x, region.width)
            for r, region in enumerate(regions) for k in range(region.lines)]


def flow(paragraphs: Sequence[Sequence[Span]], regions: Sequence[Region],
         settings: Settings) -> FlowResult:
    slots = slots_of(regions)
    widths = [width for _, _, _, width in slots]
    fallback = regions[-1].width if regions else 0.0
    composed = []
    cursor = 0
    for spans in paragraphs:
        # Each paragraph starts at the slot the previous one left: its lines take the
        # measures of the slots they will fill (the last repeats past the end).
        lines = compose(spans, widths[cursor:] or [fallback], settings)
        composed.append(("".join(span.text for span in spans), tuple(lines)))
        cursor += len(lines)
    return place_lines(composed, regions)


def place_lines(composed: Sequence[tuple[str, tuple[Line, ...]]],
                regions: Sequence[Region]) -> FlowResult:
    """Put paragraphs already broken into lines, (text, lines) each, into the regions'
    slots in reading order; lines past the last slot are the overflow. With regions of one
    measure, lines composed at that measure give exactly what `flow` gives."""
    slots = slots_of(regions)
    placed: list[PlacedLine] = []
    over_lines = 0
    over_text: list[str] = []
    new_paragraph = False
    chars_set = 0
    cursor = 0
    for p, (text, lines) in enumerate(composed):
        for line in lines:
            if cursor < len(slots):
                region, slot, x, _ = slots[cursor]
                placed.append(PlacedLine(region, slot, x, line, p))
                chars_set += line.end - line.start
            else:
                if not over_lines:
                    new_paragraph = line.start == 0 and p > 0
                elif line.start == 0:
                    over_text.append("\n")     # paragraphs stay apart in the overset text
                over_lines += 1
                over_text.append(text[line.start:line.end])
            cursor += 1
    overflow = None
    if over_lines:
        joined = "".join(over_text)
        overflow = Overflow(over_lines, sum(1 for ch in joined if not ch.isspace()), joined,
                            new_paragraph)
    return FlowResult(tuple(placed), overflow, len(slots), chars_set, tuple(composed))


def reslot(result: FlowResult, regions: Sequence[Region]) -> FlowResult:
    """The same lines in other regions of the same measure, in order (no recomposition)."""
    slots = slots_of(regions)
    if len(slots) < len(result.placed):
        raise ValueError("fewer slots than lines")
    placed = tuple(PlacedLine(region, slot, x, old.line, old.paragraph)
                   for old, (region, slot, x, _) in zip(result.placed, slots))
    return FlowResult(placed, result.overflow, result.capacity, result.chars_set,
                      result.paragraphs)


def balance(result: FlowResult, regions: Sequence[Region]) -> FlowResult:
    """Level the columns of a story that does not fill its box (W5, R25).

    The columns end on one grid line, the lowest that holds every line, and those that
    reach it differ by at most one line, the last never longer than the first. Columns
    that start lower — under a photo set at the top right of the body — take their share
    down to the same foot, so the text runs beside and under the picture instead of
    filling the first column to the foot and leaving the next ones empty. A stepped shape
    (columns ending on different lines) or a column split by a photo keeps the plain
    column order.
    """
    if result.overflow or len(regions) < 2 or \
            len({(r.first_line + r.lines, r.width, r.page) for r in regions}) != 1 or \
            len({r.x for r in regions}) != len(regions):
        return result
    count = len(result.placed)
    tops = [r.first_line for r in regions]
    bottom = regions[0].first_line + regions[0].lines
    foot = next(f for f in range(min(tops), bottom + 1)
                if sum(max(0, f - top) for top in tops) >= count)
    sizes = [max(0, foot - top) for top in tops]
    extra = sum(sizes) - count      # fewer than the columns reaching the foot
    for k in range(len(sizes) - 1, -1, -1):
        if extra == 0:
            break
        if sizes[k]:
            sizes[k] -= 1
            extra -= 1
    return reslot(result, [Region(r.x, r.width, r.first_line, size, r.page)
                           for r, size in zip(regions, sizes)])
