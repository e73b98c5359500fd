"""Compose a paragraph into justified lines (reference §3.3–§3.6, §3.9).

A pure function of (spans, measures, settings, font metrics). The paragraph is
segmented into one class letter per character, measured as cumulative cell
widths (a candidate line's width is a subtraction), broken greedily with
push-in / push-out at forbidden edges, and each chosen line is then adjusted:
shrink first, stretch afterwards. Widths are computed in em and scaled to
points only for the output.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

from layout.compose.classes import (
    BLANK_LEFT,
    BLANK_RIGHT,
    FULL_WIDTH_MARKS,
    WESTERN,
    classify,
    not_at_end,
    not_at_start,
)
from layout.typeface import FaceMetrics

EPS = 1e-6
_NOT_HAN = re.compile("[^H]")
_SOFT_BREAK_AFTER = frozenset("/.-_?&=@#")
_HAN_WESTERN = re.compile("(?<=H)[NLJRT]|(?<=[NLJRT])H")

# Shrink levels (reference §3.5, "Shrinking"): 0 word spaces, 1 bracket blanks,
# 2 pause blanks, 3 Han–Latin gaps, 4 stop blanks (last resort).
_SHRINK_LEVEL = {"O": 1, "C": 1, "P": 2, "S": 4, "D": 4}
_NO_STRETCH_AFTER = frozenset("OKMV/X")
_NO_STRETCH_BEFORE = frozenset("CPSDKMV/")
# Cells of marks set at a fixed width in em, glyph centred (R15).
_FIXED_CELL = {"M": 0.5, "V": 0.5, "/": 0.5, "X": 1.0, "I": 1.0}


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text in one font: the dateline, a run-in head, the body."""

    text: str
    font: str
    face: FaceMetrics


@dataclass(frozen=True, slots=True)
class Settings:
    size: float
    indent: float = 2.0             # em, first line of the paragraph (R22)
    kinsoku: str = "gb"
    latin_gap: float = 0.25         # em (R21)
    latin_gap_min: float = 0.125
    latin_gap_max: float = 0.5
    max_stretch: float = 0.25       # em per gap before a line counts as loose (R18)
    trim_opening: bool = True       # wrapped line starting with an opening mark (R14)
    justify: bool = True
    min_last_line: int = 2          # Han characters on a paragraph's last line (R23)
    tracking: float = 0.0           # em between all characters (copyfitting only)
    punctuation: str = "quanjiao"   # quanjiao, or kaiming: pause marks half width mid-line


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


@dataclass(slots=True)
class _Metrics:
    """Per-character arrays of one paragraph, in em."""

    text: str
    cls: str
    font: list[int]
    adv: list[float]
    cell: list[float]
    lead: list[float]
    cut: list[float]          # removable blank of a full-width mark (0 when already removed)
    gap: list[float]          # natural space before each character
    latin: list[bool]         # a Han–Latin/digit gap precedes the character (R21)
    brk: list[bool]           # a line may start at this character
    prefix: list[float]       # prefix[i] = width of text[:i] including gaps


def measure(spans: Sequence[Span], settings: Settings) -> _Metrics:
    text = "".join(span.text for span in spans)
    cls = classify(text)
    font: list[int] = []
    adv: list[float] = []
    for index, span in enumerate(spans):
        font.extend([index] * len(span.text))
        get = span.face.advances.get
        adv.extend([get(ch, 1.0) for ch in span.text])
    cell = adv[:]
    lead = [0.0] * len(text)
    cut = [0.0] * len(text)
    marks = [i for i in (m.start() for m in _NOT_HAN.finditer(cls))]
    if marks:
        _mark_cells(cls, text, marks, [spans[font[i]].face for i in marks], adv, cell, lead,
                    cut)
    if marks and settings.punctuation == "kaiming":
        # 开明式 (reference §3.4 D): pause marks set half width everywhere.
        for i in marks:
            if cls[i] == "P" and cut[i]:
                cell[i] -= cut[i]
                cut[i] = 0.0
    gap, latin = _gaps(cls, settings)
    brk = _breaks(cls, settings.kinsoku)
    widths = [g + c for g, c in zip(gap, cell)]
    prefix = [0.0, *accumulate(widths)]
    return _Metrics(text, cls, font, adv, cell, lead, cut, gap, latin, brk, prefix)


def _mark_cells(cls: str, text: str, marks: list[int], faces: list[FaceMetrics],
                adv: list[float], cell: list[float], lead: list[float], cut: list[float]) -> None:
    """Full-width cells for marks whatever the font's advance (R11, R15), then R12 pairs.

    How much blank a mark may lose is read from where its ink sits (fontTools glyph
    bounds), never below half an em (R11): a centred ？ loses less than a ，.
    """
    for i, face in zip(marks, faces):
        c = cls[i]
        ink = face.ink.get(text[i])
        if c in BLANK_RIGHT:
            # Glyph at the cell start, blank on the right.
            cell[i] = 1.0
            ink_right = ink[1] if ink else 0.5
            cut[i] = max(0.0, 1.0 - max(ink_right, 0.5))
        elif c in BLANK_LEFT:
            # Glyph flush right in the cell (the kai font's quotes are only 0.35 em wide).
            cell[i], lead[i] = 1.0, 1.0 - adv[i]
            ink_left = lead[i] + (ink[0] if ink else 0.5)
            cut[i] = max(0.0, min(ink_left, 0.5))
        elif c in _FIXED_CELL:
            cell[i] = _FIXED_CELL[c]
            lead[i] = (cell[i] - adv[i]) / 2
    # A doubled dash reads as one line: the halves meet in the middle (Noto's — is 0.89 em).
    for i in marks:
        if text[i] == "—" and text[i + 1:i + 2] == "—" and cell[i] == 1.0:
            lead[i], lead[i + 1] = 1.0 - adv[i], 0.0
    # Adjacent full-width marks take 1.5 em, not 2 (R12, reference §3.4 C).
    for i in marks:
        if i + 1 >= len(cls):
            continue
        left, right = cls[i], cls[i + 1]
        if left not in FULL_WIDTH_MARKS or right not in FULL_WIDTH_MARKS:
            continue
        if left in BLANK_RIGHT and cut[i]:
            cell[i] -= cut[i]
            cut[i] = 0.0
        elif right in BLANK_LEFT and left != "O" or left == "O" and right == "O":
            cell[i + 1] -= cut[i + 1]
            lead[i + 1] -= cut[i + 1]
            cut[i + 1] = 0.0


def _gaps(cls: str, settings: Settings) -> tuple[list[float], list[bool]]:
    """Han–Latin/digit spacing of ¼ em, none at edges or next to punctuation (R21)."""
    gap = [settings.tracking] * len(cls)
    latin = [False] * len(cls)
    if cls:
        gap[0] = 0.0
    for match in _HAN_WESTERN.finditer(cls):
        gap[match.start()] = settings.latin_gap + settings.tracking
        latin[match.start()] = True
    return gap, latin


def _breaks(cls: str, kinsoku: str) -> list[bool]:
    """brk[i]: a line may start at character i (避头尾 R4, R5; unbreakable runs R6, R8–R10).

    Between two Han characters a break is always allowed, so only the positions
    next to another class are looked at.
    """
    no_start, no_end = not_at_start(kinsoku), not_at_end(kinsoku)
    n = len(cls)
    brk = [True] * (n + 1)
    brk[0] = False
    strict = kinsoku == "strict"
    for j in (m.start() for m in _NOT_HAN.finditer(cls)):
        for i in (j, j + 1):
            if 0 < i < n:
                a, b = cls[i - 1], cls[i]
                brk[i] = not (b in no_start or a in no_end or (a in WESTERN and b in WESTERN)
                              or (a == "X" and b == "X") or b == "W" or (strict and b == "X"))
    return brk


# ----------------------------------------------------------------------------- breaking

def compose(spans: Sequence[Span], measures: Sequence[float], settings: Settings) -> list[Line]:
    """Break a paragraph into lines. `measures[k]` is line k's width in pt (the last repeats)."""
    m = measure(spans, settings)
    if not m.text:
        return []
    ends = _break_all(m, measures, settings, 0, 0)
    ends = _avoid_lone_last(m, measures, settings, ends)
    lines = []
    start = 0
    for k, end in enumerate(ends):
        lines.append(_set_line(m, spans, start, end, _measure(measures, k), settings,
                               first=k == 0, last=end == len(m.text)))
        start = end
    return lines


def _measure(measures: Sequence[float], k: int) -> float:
    return measures[min(k, len(measures) - 1)]


def _avail(m: _Metrics, s: int, width_em: float, settings: Settings, first: bool) -> float:
    if first:
        return width_em - settings.indent
    if settings.trim_opening and m.cls[s] in BLANK_LEFT and m.cut[s]:
        return width_em + m.cut[s]
    return width_em


def _end_trim(m: _Metrics, e: int) -> float:
    """What a line ending before e loses at its end: a mark's blank half (R13), a space."""
    c = m.cls[e - 1]
    if c in BLANK_RIGHT:
        return m.cut[e - 1]
    if c == "W":
        return m.cell[e - 1]
    return 0.0


def _natural(m: _Metrics, s: int, e: int) -> float:
    return m.prefix[e] - m.prefix[s] - m.gap[s] - _end_trim(m, e)


def _shrink_capacity(m: _Metrics, s: int, e: int, settings: Settings) -> float:
    total = 0.0
    for i in range(s, e - 1):
        total += m.cut[i]
        if i > s and m.latin[i]:
            total += m.gap[i] - settings.tracking - settings.latin_gap_min
        if m.cls[i] == "W":
            total += max(0.0, m.cell[i] - 0.25)
    if m.cls[s] in BLANK_LEFT:
        # At a line start the blank is trimmed already (a wrapped line, R14) or kept so the
        # indent stays clean (a paragraph's first line): either way it cannot shrink more.
        total -= m.cut[s]
    return max(0.0, total)


def _break_all(m: _Metrics, measures: Sequence[float], settings: Settings, start: int,
               k: int, limit: tuple[int, int] | None = None) -> list[int]:
    """Greedy breaking from line k at character `start`; `limit` caps one line's end."""
    ends = []
    n = len(m.text)
    s = start
    while s < n:
        width_em = _measure(measures, k) / settings.size
        avail = _avail(m, s, width_em, settings, first=s == 0)
        cap = limit[1] if limit and limit[0] == k else n
        e = _choose_break(m, s, avail, settings, cap)
        ends.append(e)
        s = e
        k += 1
    return ends


def _choose_break(m: _Metrics, s: int, avail: float, settings: Settings, cap: int) -> int:
    n = len(m.text)
    base = m.prefix[s] + m.gap[s]
    e0 = bisect_right(m.prefix, base + avail + EPS, lo=s + 1) - 1
    while e0 < n and _natural(m, s, e0 + 1) <= avail + EPS:
        e0 += 1          # a mark at the line end fits once its blank half is dropped
    e0 = min(e0, cap)
    if e0 >= n:
        return n
    if e0 <= s:
        return s + 1     # one glyph wider than the measure
    if m.brk[e0] and abs(avail - _natural(m, s, e0)) < EPS:
        return e0
    back = next((b for b in range(e0, s, -1) if m.brk[b]), None)
    stretch = avail - _natural(m, s, back) if back else None
    fwd = None
    shrink = None
    for f in range(e0 + 1, min(n, cap) + 1):
        over = _natural(m, s, f) - avail
        if over > 2.0:
            break
        if m.brk[f] and over <= _shrink_capacity(m, s, f, settings) + EPS:
            fwd, shrink = f, over
            break
    if fwd is not None and (stretch is None or shrink <= stretch + EPS):
        return fwd       # push-in: squeeze the punctuation already in the line
    if back is not None:
        return back      # push-out: carry characters to the next line
    # No legal break in reach (reported as forced). Rather break a line-edge prohibition
    # (an opening mark left at the end) than a number, word or dash; inside a run, break
    # after a URL or path separator when there is one, so that a link stays readable.
    edge = next((b for b in range(e0, s, -1) if not _inside_run(m.cls, b)), None)
    if edge is not None:
        return edge
    soft = next((b for b in range(e0, s + 1, -1) if m.text[b - 1] in _SOFT_BREAK_AFTER
                 and not (m.cls[b - 2] == "N" and m.cls[b] == "N")), None)
    return soft or e0


def _inside_run(cls: str, b: int) -> bool:
    """A break before character b would split a number, a word, a dash or ellipsis."""
    a, c = cls[b - 1], cls[b]
    return (a in WESTERN and c in WESTERN) or (a == "X" and c == "X") or c == "W"


_MARKS = frozenset("OCPSDMKVX/IW")


def is_lone_last(cls: str) -> bool:
    """孤字 (R23): a last line with fewer than two characters that are not marks."""
    return sum(c not in _MARKS for c in cls) < 2


def _avoid_lone_last(m: _Metrics, measures: Sequence[float], settings: Settings,
                     ends: list[int]) -> list[int]:
    """孤字 (R23): pull the last line up into the line above (push-in), or carry more
    characters down to it (push-out), whichever keeps the lines within their limits."""
    if len(ends) < 2 or not settings.justify or not is_lone_last(m.cls[ends[-2]:]):
        return ends
    k = len(ends) - 2
    prev_start = ends[-3] if len(ends) > 2 else 0
    n = len(m.text)
    # Push-in: the whole rest fits on the line above once its punctuation is squeezed.
    avail = _avail(m, prev_start, _measure(measures, k) / settings.size, settings,
                   first=prev_start == 0)
    if _natural(m, prev_start, n) - _shrink_capacity(m, prev_start, n, settings) <= avail + EPS:
        return ends[:k] + [n]
    # Push-out: end the line above at an earlier break, as long as nothing gets loose.
    fallback = ends
    tries = 0
    for cap in range(ends[-2] - 1, prev_start, -1):
        if not m.brk[cap]:
            continue
        tries += 1
        if tries > 3:
            break
        retry = ends[:k] + _break_all(m, measures, settings, prev_start, k, (k, cap))
        if len(retry) != len(ends) or is_lone_last(m.cls[retry[-2]:]):
            continue
        stretch = _stretch_needed(m, prev_start, retry[k], measures, k, settings)
        if stretch <= settings.max_stretch + EPS:
            return retry
        if fallback is ends:
            fallback = retry
    return fallback


def _stretch_needed(m: _Metrics, s: int, e: int, measures: Sequence[float], k: int,
                    settings: Settings) -> float:
    """Space per stretchable gap that justifying the line s..e would add, in em."""
    avail = _avail(m, s, _measure(measures, k) / settings.size, settings, first=s == 0)
    slack = avail - _natural(m, s, e)
    gaps = sum(_may_stretch(m.cls, j) for j in range(s + 1, e)) or 1
    return max(0.0, slack) / gaps


# ----------------------------------------------------------------------------- adjusting

def _set_line(m: _Metrics, spans: Sequence[Span], s: int, e: int, measure_pt: float,
              settings: Settings, first: bool, last: bool) -> Line:
    size = settings.size
    width_em = measure_pt / size
    cell = m.cell[s:e]
    lead = m.lead[s:e]
    gap = m.gap[s:e]
    gap[0] = 0.0
    cls = m.cls[s:e]
    start_x = settings.indent if first else 0.0
    if not first and settings.trim_opening and cls[0] in BLANK_LEFT and m.cut[s]:
        cell[0] -= m.cut[s]
        lead[0] -= m.cut[s]
    trim = _end_trim(m, e)
    cell[-1] -= trim
    natural = start_x + sum(cell) + sum(gap)
    delta = width_em - natural
    stretch_each = 0.0
    loose = False
    if delta < -EPS:
        _shrink(cls, cell, lead, gap, m.latin[s:e], m.cut[s:e], -delta, settings)
    elif delta > EPS and settings.justify and not last:
        stretch_each, loose = _stretch(cls, cell, gap, m.latin[s:e], delta, settings)
    forced = e < len(m.text) and not m.brk[e]

    # Pen positions in em: the glyph sits `lead` into its cell; steps[j] goes from
    # glyph j to glyph j + 1.
    steps = [c - l0 + g + l1 for c, l0, g, l1 in zip(cell, lead, gap[1:], lead[1:])]
    xs = list(accumulate(steps, initial=start_x + lead[0]))
    end = xs[-1] - lead[-1] + cell[-1]
    pieces = _pieces(m, spans, s, e, xs, steps, lead, cell, stretch_each, size, start_x)
    return Line(s, e, measure_pt, end * size, tuple(pieces), last, stretch_each, loose, forced)


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


def _may_stretch(cls: str, j: int) -> bool:
    a, b = cls[j - 1], cls[j]
    return not (a in _NO_STRETCH_AFTER or b in _NO_STRETCH_BEFORE
                or (a in WESTERN and b in WESTERN) or a == "W" or b == "W")


def _pieces(m: _Metrics, spans: Sequence[Span], s: int, e: int, xs: list[float],
            steps: list[float], lead: list[float], cell: list[float], stretch_each: float,
            size: float, start_x: float) -> list[Piece]:
    """Group the line into runs of one font, with the TJ exceptions each needs.

    The pen advances by the glyph's advance plus the run's tracking; an exception
    is recorded only where a step differs from that (a squeezed mark, a gap).
    """
    font = m.font
    # Deviation of each step from advance + tracking, in pt, before glyph j + 1.
    deviation = [(step - a - stretch_each) * size for step, a in zip(steps, m.adv[s:e])]
    if len(spans) == 1 or len(set(font[s:e])) == 1:
        bounds = [(0, e - s)]
    else:
        bounds = []
        j0 = 0
        for j in range(1, e - s):
            if font[s + j] != font[s + j - 1]:
                bounds.append((j0, j))
                j0 = j
        bounds.append((j0, e - s))
    pieces = []
    for j0, j1 in bounds:
        adjust = tuple((j - j0, d) for j, d in enumerate(deviation[j0:j1 - 1], j0 + 1)
                       if d > 1e-6 or d < -1e-6)
        left = start_x if j0 == 0 else xs[j0] - lead[j0]
        right = xs[j1 - 1] - lead[j1 - 1] + cell[j1 - 1]
        pieces.append(Piece(spans[font[s + j0]].font, m.text[s + j0:s + j1], xs[j0] * size,
                            stretch_each * size, adjust, left * size, right * size))
    return pieces
