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

from layout.compose.breaks import HYPHEN, UNIT, code_spans, soft_breaks
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
    """A run of text in one font: the dateline, a run-in head, the body.

    `fallback` is the style's chain for the font (R49): (font key, metrics) of the faces
    that print a character `face` lacks, closest first; by default `face.fallback`.
    """

    text: str
    font: str
    face: FaceMetrics
    fallback: tuple[tuple[str, FaceMetrics], ...] = ()


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
    broken: int = 0                 # ends at an R47 code break (1) or an R46 hyphen (2)
    cause: str = ""                 # a loose line: the word or unit that did not fit (R48)
    ragged: bool = False            # a line of one code, set flush left: spacing it is not
                                    # allowed (R47) and it has no other place to take space


@dataclass(slots=True)
class _Metrics:
    """Per-character arrays of one paragraph, in em."""

    text: str
    cls: str
    font: list[int]           # index into `fonts`
    fonts: list[tuple[str, FaceMetrics]]   # (font key, metrics): spans, then fallbacks
    adv: list[float]
    cell: list[float]
    lead: list[float]
    cut: list[float]          # removable blank of a full-width mark (0 when already removed)
    gap: list[float]          # natural space before each character
    latin: list[bool]         # a Han–Latin/digit gap precedes the character (R21)
    brk: list[bool]           # a line may start at this character
    prefix: list[float]       # prefix[i] = width of text[:i] including gaps
    soft: dict[int, int]      # R46/R47 break points inside Western runs (breaks.py)


def measure(spans: Sequence[Span], settings: Settings) -> _Metrics:
    text = "".join(span.text for span in spans)
    cls = classify(text)
    font: list[int] = []
    adv: list[float] = []
    fonts = [(span.font, span.face) for span in spans]
    for index, span in enumerate(spans):
        get = span.face.advances.get
        widths = [get(ch) for ch in span.text]
        if None in widths:
            _fall_back(span, index, widths, font, fonts)
        else:
            font.extend([index] * len(span.text))
        adv.extend(widths)
    soft: dict[int, int] = {}
    if not text.isascii() or any(c.isalpha() for c in text):
        codes = code_spans(text) if "/" in text else ()
        if codes:
            # Inside a URL or path the solidus is part of the code (R47), not a ½-em 分隔号.
            chars = list(cls)
            for a, b in codes:
                chars[a:b] = ["J" if c == "/" else c for c in chars[a:b]]
            cls = "".join(chars)
        soft = soft_breaks(text, cls)
    cell = adv[:]
    lead = [0.0] * len(text)
    cut = [0.0] * len(text)
    marks = [i for i in (m.start() for m in _NOT_HAN.finditer(cls))]
    if marks:
        _mark_cells(cls, text, marks, [fonts[font[i]][1] for i in marks], adv, cell, lead,
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
    return _Metrics(text, cls, font, fonts, adv, cell, lead, cut, gap, latin, brk, prefix, soft)


def _fall_back(span: Span, index: int, widths: list[float | None], font: list[int],
               fonts: list[tuple[str, FaceMetrics]]) -> None:
    """Characters the span's face lacks take the first face of its chain that has them (R49).

    A character no face has keeps the span's face (it is reported as a missing glyph).
    """
    slots = {}
    chain = span.fallback or span.face.fallback
    for j, ch in enumerate(span.text):
        if widths[j] is not None:
            font.append(index)
            continue
        for key, face in chain:
            width = face.advances.get(ch)
            if width is not None:
                if key not in slots:
                    slots[key] = len(fonts)
                    fonts.append((key, face))
                font.append(slots[key])
                widths[j] = width
                break
        else:
            font.append(index)
            widths[j] = 1.0


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
    if settings.justify and len(ends) > 1 and _any_loose(m, measures, settings, ends):
        # R48: the greedy lines left one loose (a code, a long word or a number did not fit);
        # choose all the paragraph's breaks together, in at most one line more (a loose line
        # costs more than a line).
        better = _total_fit(m, measures, settings, len(ends) + 1, len(ends))
        if better is not None and better != ends:
            better = _avoid_lone_last(m, measures, settings, better)
            if _loose_count(m, measures, settings, better) < \
                    _loose_count(m, measures, settings, ends):
                ends = better
    lines = []
    start = 0
    for k, end in enumerate(ends):
        line = _set_line(m, start, end, _measure(measures, k), settings, first=k == 0,
                         last=end == len(m.text))
        if line.loose:
            line = line._replace(cause=_cause(m, end))
        lines.append(line)
        start = end
    return lines


def _line_cost(m: _Metrics, s: int, e: int, k: int, measures: Sequence[float],
               settings: Settings) -> tuple[float, bool] | None:
    """(cost, loose) of the line s..e as line k; None when it cannot be set (overfull)."""
    n = len(m.text)
    avail = _avail(m, s, _measure(measures, k) / settings.size, settings, first=s == 0)
    natural = _natural(m, s, e) + _hyphen(m, e)
    kind = 0 if e >= n or m.brk[e] else m.soft.get(e, 9)
    cost = (0.0, 2.0, 15.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1e5)[kind]
    if kind == HYPHEN and s < n and not m.brk[s] and m.soft.get(s) == HYPHEN:
        return None                                  # R46: never twice in a row
    if natural > avail + EPS:
        over = natural - avail
        if over > _shrink_capacity(m, s, e, settings) + EPS:
            return None
        return cost + 1.0 + 10.0 * over, False
    if e >= n:
        return cost, False
    stretch = _stretch_per_gap(m, s, e, avail, settings)
    if stretch == float("inf"):
        if _in_code(m, s, e) and "H" not in m.cls[s:e] and "W" not in m.cls[s:e]:
            return cost + 20.0, False                # a line of one code: set flush left
        return cost + 1e4 + 100.0 * (avail - natural), True
    if stretch > settings.max_stretch + EPS:
        return cost + 1e4 + 1000.0 * stretch, True
    return cost + 10.0 * (stretch / settings.max_stretch) ** 2, False


def _in_code(m: _Metrics, s: int, e: int) -> bool:
    """The line s..e starts or ends at an R47 break: it is part of a code."""
    n = len(m.text)
    return (e < n and not m.brk[e] and m.soft.get(e) == UNIT) or \
        (0 < s < n and not m.brk[s] and m.soft.get(s) == UNIT)


def _any_loose(m: _Metrics, measures: Sequence[float], settings: Settings,
               ends: list[int]) -> bool:
    return _loose_count(m, measures, settings, ends) > 0


def _loose_count(m: _Metrics, measures: Sequence[float], settings: Settings,
                 ends: list[int]) -> int:
    count = 0
    s = 0
    for k, e in enumerate(ends):
        cost = _line_cost(m, s, e, k, measures, settings)
        count += cost is None or cost[1]
        s = e
    return count


def _total_fit(m: _Metrics, measures: Sequence[float], settings: Settings,
               max_lines: int, lines: int) -> list[int] | None:
    """The breaks of least total cost (Knuth–Plass style) over ordinary and R46/R47
    points, in at most `max_lines` lines, each beyond `lines` at a cost below a loose
    line's; None when no way sets every line."""
    n = len(m.text)
    points = [b for b in range(1, n) if m.brk[b] or b in m.soft] + [n]
    states: dict[int, dict[int, tuple[float, int, int]]] = {0: {0: (0.0, -1, -1)}}
    for s in [0, *points]:
        here = states.get(s)
        if not here or s >= n:
            continue
        first = bisect_right(points, s)
        for k, (total, _, _) in here.items():
            if k >= max_lines:
                continue
            avail = _avail(m, s, _measure(measures, k) / settings.size, settings,
                           first=s == 0)
            for e in points[first:]:
                if _natural(m, s, e) > avail + 3.0:
                    break
                cost = _line_cost(m, s, e, k, measures, settings)
                if cost is None:
                    continue
                new = total + cost[0]
                slot = states.setdefault(e, {})
                if k + 1 not in slot or new < slot[k + 1][0]:
                    slot[k + 1] = (new, s, k)
    final = states.get(n)
    if not final:
        return None
    k = min(final, key=lambda key: final[key][0] + 5e3 * max(0, key - lines))
    ends = []
    e = n
    while e > 0:
        ends.append(e)
        _, s, k_prev = states[e][k]
        e, k = s, k_prev
    return ends[::-1]


def _cause(m: _Metrics, e: int) -> str:
    """What kept a loose line from filling up: the unbreakable run that starts the next
    line (a code, a word, a number with its unit), or the chain of marks it ends with."""
    n = len(m.text)
    if e >= n:
        return ""
    j = e + 1
    while j < n and j - e < 60 and not m.brk[j] and j not in m.soft:
        j += 1
    return m.text[e:j]


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
    ends: list[int] = []
    n = len(m.text)
    s = start
    while s < n:
        width_em = _measure(measures, k) / settings.size
        avail = _avail(m, s, width_em, settings, first=s == 0)
        cap = limit[1] if limit and limit[0] == k else n
        hyphen_ok = not (ends and m.soft.get(ends[-1]) == HYPHEN)     # R46: not twice in a row
        e = _choose_break(m, s, avail, settings, cap, hyphen_ok)
        if ends and e < n and not (limit and limit[0] >= k - 3) and \
                _stretch_per_gap(m, s, e, avail, settings) > settings.max_stretch + EPS:
            better = _lookback(m, measures, settings, ends, start, k, e)
            if better is not None:
                moved, e = better
                ends[-len(moved):] = moved
        ends.append(e)
        s = e
        k += 1
    return ends


def _lookback(m: _Metrics, measures: Sequence[float], settings: Settings, ends: list[int],
              start: int, k: int, e: int) -> tuple[list[int], int] | None:
    """R48 / R8: line k would be loose because what follows it (a number with its unit, a
    code) does not fit. Carry characters of the lines above down to it, up to three lines
    back, each of them staying within R18, so that line k fills up.

    Returns the new ends of the lines moved and the new end of line k. Only runs for a
    line that would be loose, so ordinary paragraphs never pay for it.
    """
    n = len(m.text)
    width = _measure(measures, k) / settings.size
    for d in range(1, min(3, len(ends)) + 1):
        first = ends[-d - 1] if len(ends) > d else start
        for t in _breaks_before(m, ends[-1], first, 6):
            avail = _avail(m, t, width, settings, first=False)
            e2 = _choose_break(m, t, avail, settings, n, True)
            if e2 < e or _stretch_per_gap(m, t, e2, avail, settings) > \
                    settings.max_stretch + EPS:
                continue
            moved = _fit_lines(m, measures, settings, first, t, k - d, d)
            if moved is not None:
                return moved, e2
    return None


def _breaks_before(m: _Metrics, end: int, floor: int, count: int) -> list[int]:
    """Up to `count` ordinary break positions below `end` and above `floor`, latest first."""
    out = []
    for b in range(end - 1, floor, -1):
        if m.brk[b]:
            out.append(b)
            if len(out) == count:
                break
    return out


def _fit_lines(m: _Metrics, measures: Sequence[float], settings: Settings, s: int, t: int,
               k: int, count: int) -> list[int] | None:
    """Ends of `count` lines from s (line k) to exactly t, each fitting and within R18."""
    avail = _avail(m, s, _measure(measures, k) / settings.size, settings, first=s == 0)
    if count == 1:
        ok = _natural(m, s, t) - _shrink_capacity(m, s, t, settings) <= avail + EPS and \
            _stretch_per_gap(m, s, t, avail, settings) <= settings.max_stretch + EPS
        return [t] if ok else None
    top = _choose_break(m, s, avail, settings, t, True)
    for b in [top] + _breaks_before(m, top, s, 4):
        if b >= t or _stretch_per_gap(m, s, b, avail, settings) > settings.max_stretch + EPS:
            continue
        rest = _fit_lines(m, measures, settings, b, t, k + 1, count - 1)
        if rest is not None:
            return [b, *rest]
    return None


def _stretch_per_gap(m: _Metrics, s: int, e: int, avail: float, settings: Settings) -> float:
    """The space _stretch would add per gap between characters to justify s..e, in em
    (after word spaces and Han–Latin gaps took their share); inf when nothing may stretch."""
    slack = avail - _natural(m, s, e) - _hyphen(m, e)
    if slack <= settings.max_stretch + EPS:
        return 0.0 if slack <= EPS else slack   # at least one gap takes it all
    cls = m.cls
    gaps = spaces = 0
    for j in range(s + 1, e):
        if m.latin[j]:
            slack -= settings.latin_gap_max + settings.tracking - m.gap[j]
        elif cls[j] == "W":
            slack -= 0.25
            spaces += 1
        elif _may_stretch(cls, j):
            gaps += 1
    if slack <= EPS:
        return 0.0
    if not gaps and spaces:
        return slack / spaces       # a Western line: the rest goes into its word spaces
    return slack / gaps if gaps else float("inf")


def _hyphen(m: _Metrics, e: int) -> float:
    """Width of the hyphen a line ending at an R46 point adds, in em."""
    if m.soft.get(e) != HYPHEN:
        return 0.0
    return m.fonts[m.font[e - 1]][1].advances.get("-", 0.33)


def _soft_break(m: _Metrics, s: int, lo: int, hi: int, avail: float,
                hyphen_ok: bool) -> int | None:
    """The last R46/R47 point in (lo, hi] where the line s.. fits (hyphen included)."""
    best = None
    for b in m.soft:
        if lo < b <= hi and b > s and (best is None or b > best) and \
                (hyphen_ok or m.soft[b] != HYPHEN) and \
                _natural(m, s, b) + _hyphen(m, b) <= avail + EPS:
            best = b
    return best


def _choose_break(m: _Metrics, s: int, avail: float, settings: Settings, cap: int,
                  hyphen_ok: bool = True) -> int:
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
    if m.soft and (back is None or
                   _stretch_per_gap(m, s, back, avail, settings) > settings.max_stretch + EPS):
        # R48: rather than letter-space the line around a code or a long word, break it
        # where R47 / R46 allow.
        soft = _soft_break(m, s, back or s, min(e0, cap), avail, hyphen_ok)
        if soft is not None:
            return soft
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
    while soft is None and m.soft.get(e0) == HYPHEN and e0 - 1 > s:
        e0 -= 1          # a forced break is not a hyphenation: no hyphen to make room for
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


def _may_stretch(cls: str, j: int) -> bool:
    a, b = cls[j - 1], cls[j]
    return not (a in _NO_STRETCH_AFTER or b in _NO_STRETCH_BEFORE
                or (a in WESTERN and b in WESTERN) or a == "W" or b == "W")


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
