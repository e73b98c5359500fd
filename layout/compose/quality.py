"""Composition quality counts: what a proofreader would mark in the composition itself.

Counted from the composed lines, independently of how the breaker chose them, so a
regression in the breaker shows up as a non-zero fault count in the build report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from layout.compose.breaks import HYPHEN, UNIT
from layout.compose.classes import FULL_WIDTH_MARKS, classify, not_at_end, not_at_start
from layout.compose.paragraph import EPS, Line, is_lone_last

# Runs of two or more full-width marks: a run of n holds n - 1 adjacent pairs (R12).
_PAIRS = re.compile(f"[{''.join(sorted(FULL_WIDTH_MARKS))}]{{2,}}")
# Counts that must be zero on a well-composed page; the others are for information.
FAULTS = ("forbidden_starts", "forbidden_ends", "lone_last_lines", "loose_lines",
          "short_lines", "forced_breaks", "off_grid_lines")


@dataclass
class Quality:
    lines: int = 0
    paragraphs: int = 0
    forbidden_starts: int = 0       # R4
    forbidden_ends: int = 0         # R5
    lone_last_lines: int = 0        # R23 孤字
    adjacent_pairs: int = 0         # R12: pairs of full-width marks, each set at 1.5 em
    loose_lines: int = 0            # R18: stretched beyond the limit
    short_lines: int = 0            # R16: a justified line that misses the column edge
    forced_breaks: int = 0          # R6, R8, R9: broken inside an unbreakable run
    off_grid_lines: int = 0         # R27
    column_top_widows: int = 0      # W2: a paragraph's last line alone at a column top
    column_foot_orphans: int = 0    # W3: a paragraph's first line alone at a column foot
    hyphenated_lines: int = 0       # R46: English words broken at a dictionary point
    code_breaks: int = 0            # R47: URLs, e-mail addresses, codes broken at a separator
    ragged_lines: int = 0           # R47: lines of one code, set flush left (not spaced out)

    def add(self, other: Quality) -> None:
        for name in _NAMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_json(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def faults(self) -> int:
        return sum(getattr(self, name) for name in FAULTS)


_NAMES = tuple(f.name for f in fields(Quality))


def paragraph_quality(text: str, lines: Sequence[Line], kinsoku: str = "gb") -> Quality:
    """Quality of one composed paragraph (`text` is what was composed)."""
    q = Quality(lines=len(lines), paragraphs=1)
    if not lines:
        return q
    cls = classify(text)
    no_start, no_end = not_at_start(kinsoku), not_at_end(kinsoku)
    for k, line in enumerate(lines):
        # A break forced inside an over-long word or URL is counted as such, not twice;
        # a URL or code broken by R47 may start a line with `/` or end it with `//` (R4, R5).
        after_break = k and (lines[k - 1].forced or lines[k - 1].broken)
        if k and cls[line.start] in no_start and not after_break:
            q.forbidden_starts += 1
        if not line.last and cls[line.end - 1] in no_end and not line.forced \
                and not line.broken:
            q.forbidden_ends += 1
        q.loose_lines += line.loose
        q.forced_breaks += line.forced
        q.hyphenated_lines += line.broken == HYPHEN
        q.code_breaks += line.broken == UNIT
        # A loose line that has nowhere to put its space (a line of one URL) stays short;
        # it is counted once, as loose, with its cause.
        q.ragged_lines += line.ragged
        if not line.last and not line.loose and not line.ragged and \
                abs(line.width - line.measure) > 0.01 + EPS:
            q.short_lines += 1
    q.adjacent_pairs = sum(len(run) - 1 for run in _PAIRS.findall(cls))
    if len(lines) > 1 and is_lone_last(cls[lines[-1].start:lines[-1].end]):
        q.lone_last_lines += 1
    return q


def total(qualities: Iterable[Quality]) -> Quality:
    result = Quality()
    for q in qualities:
        result.add(q)
    return result
