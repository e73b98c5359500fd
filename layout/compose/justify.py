"""Set a chosen line (reference §3.5): shrink first, stretch afterwards, then pen positions
and the runs of one font the renderer draws, with a TJ exception only where a glyph's step
differs from its advance plus the line's spacing.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import reduce
from itertools import accumulate, groupby
from operator import add
from typing import NamedTuple

from layout.compose.breaks import HYPHEN
from layout.compose.classes import BLANK_LEFT, BLANK_RIGHT
from layout.compose.metrics import (
    EPS,
    NO_STRETCH,
    Settings,
    _end_trim,
    _hyphen,
    _in_code,
    _inside_run,
    _may_stretch,
    _measure,
    _Metrics,
)
from layout.typeface import FaceMetrics

# Shrink levels (reference §3.5, "Shrinking"): 0 word spaces, 1 bracket blanks,
# 2 pause blanks, 3 Han–Latin gaps, 4 stop blanks (last resort).
_SHRINK_LEVEL = {"O": 1, "C": 1, "P": 2, "S": 4, "D": 4}
_new = tuple.__new__



class Piece(NamedTuple):
    """Part of a line in one font; positions in pt from the line's start edge."""

    font: str
    text: str
    x: float
    tracking: float
    adjust: tuple[tuple[int, float], ...]
    left: float
    right: float


class Line(NamedTuple):
    start: int                      # character range in the paragraph text
    end: int
    measure: float                  # pt
    width: float                    # set width, pt
    pieces: tuple[Piece, ...]
    last: bool                      # the paragraph's last line
    stretch: float = 0.0            # em added per inter-character gap
    loose: bool = False             # stretched beyond max_stretch
    forced: bool = False            # broken inside an unbreakable run
    broken: int = 0                 # ends at an R47 code break (1) or an R46 hyphen (2)
    cause: str = ""                 # a loose line: the word or unit that did not fit (R48)
    ragged: bool = False            # a line of one code, set flush left: spacing it is not
                                    # allowed (R47) and it has no other place to take space


def set_lines(m: _Metrics, ends: Sequence[int], measures: Sequence[float],
              settings: Settings, fast: bool = True) -> list[Line]:
    """Set the lines of the paragraph `m` that end at `ends`.

    Most lines are not stretched (their natural width is the measure, they are a last
    line, or they shrink their punctuation). Those take a fast path (performance.md
    technique 4): a glyph's pen step is its advance except next to a mark or a Han–Latin
    gap, so only those steps are worked out, with the same arithmetic `_set_line` does.
    Stretched lines, lines with word spaces, more than one font or a hyphen (and every
    line with `fast` off, as the tests compare) go through `_set_line`; the output is the
    same either way.
    """
    lines: list[Line] = []
    n = len(m.text)
    if not fast or settings.tracking:
        start = 0
        for k, end in enumerate(ends):
            lines.append(_set_line(m, start, end, _measure(measures, k), settings,
                                   first=k == 0, last=end == n))
            start = end
        return lines
    size = settings.size
    cell, lead, gap, cut, adv, cls, text, brk, soft = \
        m.cell, m.lead, m.gap, m.cut, m.adv, m.cls, m.text, m.brk, m.soft
    fonts, font, latin = m.fonts, m.font, m.latin
    nonhan = m.marks
    changes = list(accumulate(len(list(run)) for _, run in groupby(font))) \
        if len(fonts) > 1 else []
    indent, trim_opening = settings.indent, settings.trim_opening
    stretching = settings.justify
    count = len(measures)
    start = 0
    for k, e in enumerate(ends):
        s = start
        start = e
        first = k == 0
        last = e == n
        measure_pt = measures[k] if k < count else measures[-1]
        broken = soft.get(e, 0) if e < n and not brk[e] else 0
        if broken == HYPHEN or (changes and bisect_right(changes, s) != bisect_left(changes, e)):
            lines.append(_set_line(m, s, e, measure_pt, settings, first, last))
            continue
        line_cell = cell[s:e]
        line_lead = lead[s:e]
        line_gap = gap[s:e]
        line_gap[0] = 0.0
        start_x = indent if first else 0.0
        if not first and trim_opening and cls[s] in BLANK_LEFT and cut[s]:
            line_cell[0] -= cut[s]
            line_lead[0] -= cut[s]
        c = cls[e - 1]
        if c in BLANK_RIGHT:
            line_cell[-1] -= cut[e - 1]                  # R13: no blank half at the end
        elif c == "W":
            line_cell[-1] -= cell[e - 1]
        delta = measure_pt / size - (start_x + sum(line_cell) + sum(line_gap))
        each = 0.0
        loose = False
        if delta < -EPS or (delta > EPS and stretching and not last):
            line_cls = cls[s:e]
            if "W" in line_cls or (delta > 0 and _in_code(m, s, e)):
                lines.append(_set_line(m, s, e, measure_pt, settings, first, last))
                continue
            if delta < 0:
                # Shrinking changes the cells of marks and the Han–Latin gaps only.
                _shrink(line_cls, line_cell, line_lead, line_gap, latin[s:e], cut[s:e], -delta,
                        settings)
            else:
                each, loose = _stretch(line_cls, line_cell, line_gap, latin[s:e], delta,
                                       settings)
        x0 = start_x + line_lead[0]
        if each:
            # Spaced out: every step and every TJ exception changes.
            steps = [c - l0 + g + l1 for c, l0, g, l1 in
                     zip(line_cell, line_lead, line_gap[1:], line_lead[1:])]
            adjust = tuple([(j, d) for j, d in enumerate(
                [(step - a - each) * size for step, a in zip(steps, adv[s:e - 1])], 1)
                if d > 1e-6 or d < -1e-6])
        else:
            # Only the steps next to a character that is not Han may differ from its advance.
            steps = adv[s:e - 1]
            found = []
            done = s - 1
            for i in nonhan[bisect_left(nonhan, s):bisect_left(nonhan, e)]:
                for p in (i - 1, i):
                    if done < p < e - 1:
                        done = p
                        j = p - s
                        step = steps[j] = \
                            line_cell[j] - line_lead[j] + line_gap[j + 1] + line_lead[j + 1]
                        dev = (step - adv[p] - 0.0) * size
                        if dev > 1e-6 or dev < -1e-6:
                            found.append((j + 1, dev))
            adjust = tuple(found)
        end = reduce(add, steps, x0) - line_lead[-1] + line_cell[-1]
        # Piece(...) and Line(...) without their Python-level __new__ (same tuples).
        piece = _new(Piece, (fonts[font[s]][0], text[s:e], x0 * size, each * size, adjust,
                             start_x * size, end * size))
        lines.append(_new(Line, (s, e, measure_pt, end * size, (piece,), last, each, loose,
                                 e < n and not brk[e] and not broken, broken, "", False)))
    return lines


def _set_line(m: _Metrics, s: int, e: int, measure_pt: float, settings: Settings,
              first: bool, last: bool) -> Line:
    size = settings.size
    width_em = measure_pt / size
    cell = m.cell[s:e]
    lead = m.lead[s:e]
    gap = m.gap[s:e]
    gap[0] = 0.0
    cls = m.cls[s:e]
    text = m.text[s:e]
    adv = m.adv[s:e]
    font = m.font[s:e]
    cut = m.cut[s:e]
    latin = m.latin[s:e]
    broken = m.soft.get(e, 0) if e < len(m.text) and not m.brk[e] else 0
    if broken == HYPHEN:
        # R46: the hyphen is set at the line end in the word's font; it is not in the source.
        hyphen = _hyphen(m, e)
        for seq, value in ((cell, hyphen), (lead, 0.0), (gap, 0.0), (adv, hyphen),
                           (font, font[-1]), (cut, 0.0), (latin, False)):
            seq.append(value)
        cls += "J"
        text += "-"
    start_x = settings.indent if first else 0.0
    if not first and settings.trim_opening and cls[0] in BLANK_LEFT and m.cut[s]:
        cell[0] -= m.cut[s]
        lead[0] -= m.cut[s]
    trim = _end_trim(m, e) if broken != HYPHEN else 0.0
    cell[-1] -= trim
    natural = start_x + sum(cell) + sum(gap)
    delta = width_em - natural
    stretch_each = 0.0
    loose = False
    ragged = False
    if delta < -EPS:
        _shrink(cls, cell, lead, gap, latin, cut, -delta, settings)
    elif delta > EPS and settings.justify and not last:
        if _in_code(m, s, e) and "H" not in cls and "W" not in cls and \
                not any(latin[1:]) and not any(_may_stretch(cls, j) for j in range(1, len(cls))):
            ragged = True
        else:
            stretch_each, loose = _stretch(cls, cell, gap, latin, delta, settings)
    forced = e < len(m.text) and not m.brk[e] and not broken

    # Pen positions in em: the glyph sits `lead` into its cell; steps[j] goes from
    # glyph j to glyph j + 1.
    steps = [c - l0 + g + l1 for c, l0, g, l1 in zip(cell, lead, gap[1:], lead[1:])]
    xs = list(accumulate(steps, initial=start_x + lead[0]))
    end = xs[-1] - lead[-1] + cell[-1]
    pieces = _pieces(m.fonts, text, font, adv, xs, steps, lead, cell, stretch_each, size,
                     start_x)
    return Line(s, e, measure_pt, end * size, tuple(pieces), last, stretch_each, loose, forced,
                broken, ragged=ragged)


def _shrink(cls: str, cell: list[float], lead: list[float], gap: list[float],
            latin: list[bool], cut: list[float], amount: float, settings: Settings) -> None:
    """Take `amount` em out of the line, level by level, evenly within a level (§3.5)."""
    last = len(cell) - 1
    # What each level may take, in one pass: (from the gap?, index, capacity), by index.
    # No level changes what a later level may take, so the capacities are known upfront.
    levels: tuple[list[tuple[bool, int, float]], ...] = ([], [], [], [], [])
    for j, c in enumerate(cls):
        if c == "H" and not latin[j]:
            continue
        if c == "W" and j != last:
            levels[0].append((False, j, max(0.0, cell[j] - 0.25)))
        if j and latin[j]:
            levels[3].append((True, j, gap[j] - settings.tracking - settings.latin_gap_min))
        level = _SHRINK_LEVEL.get(c)
        if level and cut[j] and j != last and not (j == 0 and c in BLANK_LEFT):
            levels[level].append((False, j, cut[j]))
    for slots in levels:
        total = sum(cap for _, _, cap in slots)
        if total <= EPS:
            continue
        ratio = min(1.0, amount / total)
        for from_gap, j, cap in slots:
            take = cap * ratio
            if from_gap:
                gap[j] -= take
            else:
                cell[j] -= take
                if cls[j] in BLANK_LEFT:
                    lead[j] -= take
        amount -= total * ratio
        if amount <= EPS:
            return


def _stretch(cls: str, cell: list[float], gap: list[float], latin: list[bool], amount: float,
             settings: Settings) -> tuple[float, bool]:
    """Add `amount` em: word spaces, then Han–Latin gaps, then between characters (§3.5)."""
    spaces = [j for j, c in enumerate(cls) if c == "W"]
    if spaces:
        take = min(amount, 0.25 * len(spaces))
        for j in spaces:
            cell[j] += take / len(spaces)
        amount -= take
    gaps = [j for j in range(1, len(cls)) if latin[j]]
    top = settings.latin_gap_max + settings.tracking
    if gaps and amount > EPS:
        room = sum(top - gap[j] for j in gaps)
        take = min(amount, room)
        for j in gaps:
            gap[j] += take * (top - gap[j]) / room if room else 0
        amount -= take
    if amount <= EPS:
        return 0.0, False
    fixed = {match.start() for match in NO_STRETCH.finditer(cls)}
    stretchable = [j for j in range(1, len(cls)) if j not in fixed and not latin[j]]
    if not stretchable and spaces:
        # A Western line: the rest goes into its word spaces, never between its letters.
        for j in spaces:
            cell[j] += amount / len(spaces)
        return 0.0, amount / len(spaces) > settings.max_stretch + EPS
    if not stretchable:
        # No legal stretch point (R19): the space goes beside punctuation and at Han–Latin
        # gaps, never inside a number, word or dash; with none of those the line stays short.
        # Either way the line is reported as loose.
        stretchable = [j for j in range(1, len(cls)) if not _inside_run(cls, j)
                       and cls[j - 1] != "W"]
        if not stretchable:
            return 0.0, True
        for j in stretchable:
            gap[j] += amount / len(stretchable)
        return amount / len(stretchable), True
    each = amount / len(stretchable)
    for j in stretchable:
        gap[j] += each
    return each, each > settings.max_stretch + EPS


def _pieces(fonts: list[tuple[str, FaceMetrics]], text: str, font: list[int],
            adv: list[float], xs: list[float], steps: list[float], lead: list[float],
            cell: list[float], stretch_each: float, size: float,
            start_x: float) -> list[Piece]:
    """Group the line into runs of one font, with the TJ exceptions each needs.

    The pen advances by the glyph's advance plus the run's tracking; an exception
    is recorded only where a step differs from that (a squeezed mark, a gap).
    """
    n = len(text)
    # Deviation of each step from advance + tracking, in pt, before glyph j + 1.
    deviation = [(step - a - stretch_each) * size for step, a in zip(steps, adv)]
    if len(fonts) == 1 or len(set(font)) == 1:
        bounds = [(0, n)]
    else:
        bounds = []
        j0 = 0
        for j in range(1, n):
            if font[j] != font[j - 1]:
                bounds.append((j0, j))
                j0 = j
        bounds.append((j0, n))
    pieces = []
    for j0, j1 in bounds:
        adjust = tuple((j - j0, d) for j, d in enumerate(deviation[j0:j1 - 1], j0 + 1)
                       if d > 1e-6 or d < -1e-6)
        left = start_x if j0 == 0 else xs[j0] - lead[j0]
        right = xs[j1 - 1] - lead[j1 - 1] + cell[j1 - 1]
        pieces.append(Piece(fonts[font[j0]][0], text[j0:j1], xs[j0] * size,
                            stretch_each * size, adjust, left * size, right * size))
    return pieces
