"""Compose a paragraph into justified lines (reference §3.3–§3.6, §3.9).

A pure function of (spans, measures, settings, font metrics), in three stages:
`metrics` segments the paragraph into one class letter per character and measures it as
cumulative cell widths (a candidate line's width is a subtraction); `breaking` breaks it
greedily with push-in / push-out at forbidden edges and the paragraph-level fixes;
`justify` adjusts each chosen line, shrink first, stretch afterwards. Widths are computed
in em and scaled to points only for the output.
"""

from __future__ import annotations

from collections.abc import Sequence

from layout.compose.breaking import _cause, break_lines, is_lone_last
from layout.compose.justify import Line, Piece, set_lines
from layout.compose.metrics import EPS, Settings, Span, measure

__all__ = ["EPS", "Line", "Piece", "Settings", "Span", "compose", "is_lone_last", "measure"]


def compose(spans: Sequence[Span], measures: Sequence[float], settings: Settings) -> list[Line]:
    """Break a paragraph into lines. `measures[k]` is line k's width in pt (the last repeats)."""
    return _compose(spans, measures, settings, fast=True)


def _compose(spans: Sequence[Span], measures: Sequence[float], settings: Settings,
             fast: bool) -> list[Line]:
    """compose(); `fast` off takes the general path at every stage (the property tests
    check that both give the same lines)."""
    m = measure(spans, settings, fast)
    if not m.text:
        return []
    ends = break_lines(m, measures, settings, fast)
    lines = set_lines(m, ends, measures, settings, fast)
    for k, line in enumerate(lines):
        if line.loose:
            lines[k] = line._replace(cause=_cause(m, line.end))
    return lines
