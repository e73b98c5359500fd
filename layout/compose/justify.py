"""Set a chosen line (reference §3.5): shrink first, stretch afterwards, then pen positions
and the runs of one font the renderer draws, with a TJ exception only where a glyph's step
differs from its advance plus the line's spacing.
"""

from __future__ import annotations

from itertools import accumulate
from typing import NamedTuple

from layout.compose.breaks import HYPHEN
from layout.compose.classes import BLANK_LEFT
from layout.compose.metrics import (
    EPS,
    Settings,
    _end_trim,
    _hyphen,
    _in_code,
    _inside_run,
    _may_stretch,
    _Metrics,
)
from layout.typeface import FaceMetrics

# Shrink levels (reference §3.5, "Shrinking"): 0 word spaces, 1 bracket blanks,
# 2 pause blanks, 3 Han–Latin gaps, 4 stop blanks (last resort).
_SHRINK_LEVEL = {"O": 1, "C": 1, "P": 2, "S": 4, "D": 4}



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
    for level in range(5):
        slots = []   # (kind, index, capacity)
        for j, c in enumerate(cls):
            if level == 0 and c == "W" and j != last:
                slots.append(("cell", j, max(0.0, cell[j] - 0.25)))
            elif level == 3 and j and latin[j]:
                slots.append(("gap", j, gap[j] - settings.tracking - settings.latin_gap_min))
            elif _SHRINK_LEVEL.get(c) == level and cut[j] and j != last and \
                    not (j == 0 and c in BLANK_LEFT):
                slots.append(("cell", j, cut[j]))
        total = sum(cap for _, _, cap in slots)
        if total <= EPS:
            continue
        ratio = min(1.0, amount / total)
        for kind, j, cap in slots:
            take = cap * ratio
            if kind == "gap":
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
    stretchable = [j for j in range(1, len(cls)) if _may_stretch(cls, j) and not latin[j]]
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
