"""Measure a paragraph for line composition (reference §3.3, §3.4): one class letter per
character, advances and full-width cells in em, the Han–Latin gaps (R21), where a line may
start (避头尾 R4, R5; unbreakable runs R6, R8–R10), and the cumulative widths that make a
candidate line's width one subtraction. Also the small questions the breaker and the
justifier both ask of a measured paragraph (a line's natural width, what it may shrink).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, reduce
from itertools import accumulate
from operator import add

from layout.compose.breaks import HYPHEN, UNIT, code_spans, soft_breaks
from layout.compose.classes import (
    BLANK_LEFT,
    BLANK_RIGHT,
    CLASSES,
    FULL_WIDTH_MARKS,
    WESTERN,
    classify,
    not_at_end,
    not_at_start,
)
from layout.typeface import FaceMetrics

EPS = 1e-6
_NOT_HAN = re.compile("[^H]")
_WESTERN_RUN = re.compile("[NLJRT]+")
_FULL_WIDTH_RUN = re.compile("[OCPSD]{2,}")
_X_RUN = re.compile("X{2,}")
_WESTERN_PAIRS = re.compile("[NLJRT]{2,}")
# Where no space may be added between characters j - 1 and j: the zero-width matches at j
# of the negation of _may_stretch.
NO_STRETCH = re.compile("(?<=[OKMV/XW])|(?=[CPSDKMV/W])|(?<=[NLJRT])(?=[NLJRT])")
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
    marks: list[int]          # where cls is not "H", in order


def measure(spans: Sequence[Span], settings: Settings, fast: bool = True) -> _Metrics:
    """Measure the paragraph made of `spans` (`fast` off: the marks' cells are worked out
    one by one from the fonts, as the tests compare; the result is the same)."""
    text = "".join(span.text for span in spans)
    cls = classify(text)
    n = len(text)
    fonts = [(span.font, span.face) for span in spans]
    fell_back = False
    if len(spans) == 1:
        adv = list(map(spans[0].face.advances.get, text))
        if None in adv:
            font: list[int] = []
            _fall_back(spans[0], 0, adv, font, fonts)
            fell_back = True
        else:
            font = [0] * n
    else:
        font = []
        adv = []
        for index, span in enumerate(spans):
            widths = list(map(span.face.advances.get, span.text))
            if None in widths:
                _fall_back(span, index, widths, font, fonts)
                fell_back = True
            else:
                font += [index] * len(span.text)
            adv += widths
    soft: dict[int, int] = {}
    if "L" in cls:
        # Without a letter there is neither a code (R47) nor a word to hyphenate (R46).
        codes = code_spans(text) if "/" in text else ()
        if codes:
            # Inside a URL or path the solidus is part of the code (R47), not a ½-em 分隔号.
            chars = list(cls)
            for a, b in codes:
                chars[a:b] = ["J" if c == "/" else c for c in chars[a:b]]
            cls = "".join(chars)
        soft = soft_breaks(text, cls)
    cell = adv[:]
    lead = [0.0] * n
    cut = [0.0] * n
    marks = [m.start() for m in _NOT_HAN.finditer(cls)]
    if marks:
        if fast and not fell_back:
            _mark_cells_by_table(cls, text, marks, spans, font, adv, cell, lead, cut)
        else:
            _mark_cells(cls, text, marks, [fonts[font[i]][1] for i in marks], adv, cell, lead,
                        cut)
        if settings.punctuation == "kaiming":
            # 开明式 (reference §3.4 D): pause marks set half width everywhere.
            for i in marks:
                if cls[i] == "P" and cut[i]:
                    cell[i] -= cut[i]
                    cut[i] = 0.0
    gap, latin = _gaps(cls, settings)
    brk = _breaks(cls, settings.kinsoku)
    if settings.tracking or True in latin:
        prefix = [0.0, *accumulate(map(add, gap, cell))]
    else:
        prefix = [0.0, *accumulate(cell)]        # every gap is 0.0: g + c is c
    return _Metrics(text, cls, font, fonts, adv, cell, lead, cut, gap, latin, brk, prefix, soft,
                    marks)


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
                adv: list[float], cell: list[float], lead: list[float], cut: list[float],
                pairs: bool = True) -> None:
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
    if pairs:
        _pair_cells(cls, text, marks, adv, cell, lead, cut)


def _mark_cells_by_table(cls: str, text: str, marks: list[int], spans: Sequence[Span],
                         font: list[int], adv: list[float], cell: list[float],
                         lead: list[float], cut: list[float]) -> None:
    """_mark_cells when every character is in its span's face: each mark's cell, lead and
    cut are the face's, looked up in a table made once per face (same arithmetic)."""
    tables = [_cell_table(span.face) for span in spans]
    table = tables[0] if len(tables) == 1 else None
    for i in marks:
        entry = (table or tables[font[i]]).get(text[i])
        if entry is not None and entry[0] == cls[i]:     # a code's "/" is no mark (R47)
            _, cell[i], lead[i], cut[i] = entry
    _pair_cells(cls, text, marks, adv, cell, lead, cut)


def _pair_cells(cls: str, text: str, marks: list[int], adv: list[float],
                cell: list[float], lead: list[float], cut: list[float]) -> None:
    """The doubled dash, then adjacent full-width marks (R12)."""
    # A doubled dash reads as one line: the halves meet in the middle (Noto's — is 0.89 em).
    if "——" in text:
        for i in marks:
            if text[i] == "—" and text[i + 1:i + 2] == "—" and cell[i] == 1.0:
                lead[i], lead[i + 1] = 1.0 - adv[i], 0.0
    # Adjacent full-width marks take 1.5 em, not 2 (R12, reference §3.4 C).
    for run in _FULL_WIDTH_RUN.finditer(cls):
        for i in range(run.start(), run.end() - 1):
            left, right = cls[i], cls[i + 1]
            if left in BLANK_RIGHT and cut[i]:
                cell[i] -= cut[i]
                cut[i] = 0.0
            elif right in BLANK_LEFT and left != "O" or left == "O" and right == "O":
                cell[i + 1] -= cut[i + 1]
                lead[i + 1] -= cut[i + 1]
                cut[i + 1] = 0.0


_CELL_TABLES: dict[int, tuple[FaceMetrics, dict[str, tuple[str, float, float, float]]]] = {}


def _cell_table(face: FaceMetrics) -> dict[str, tuple[str, float, float, float]]:
    """{mark: (class, cell, lead, cut)} for the marks `face` has, as _mark_cells sets them."""
    cached = _CELL_TABLES.get(id(face))
    if cached is not None and cached[0] is face:
        return cached[1]
    table = {}
    for c, (_, members, _) in CLASSES.items():
        if c not in FULL_WIDTH_MARKS and c not in _FIXED_CELL:
            continue
        for ch in members:
            if ch not in face.advances:
                continue
            adv, cell, lead, cut = [face.advances[ch]], [face.advances[ch]], [0.0], [0.0]
            _mark_cells(c, ch, [0], [face], adv, cell, lead, cut, pairs=False)
            table[ch] = (c, cell[0], lead[0], cut[0])
    _CELL_TABLES[id(face)] = (face, table)
    return table


def _gaps(cls: str, settings: Settings) -> tuple[list[float], list[bool]]:
    """Han–Latin/digit spacing of ¼ em, none at edges or next to punctuation (R21)."""
    n = len(cls)
    gap = [settings.tracking] * n
    latin = [False] * n
    if cls:
        gap[0] = 0.0
    wide = settings.latin_gap + settings.tracking
    for run in _WESTERN_RUN.finditer(cls):
        a, b = run.span()
        if a and cls[a - 1] == "H":
            gap[a] = wide
            latin[a] = True
        if b < n and cls[b] == "H":
            gap[b] = wide
            latin[b] = True
    return gap, latin


def _breaks(cls: str, kinsoku: str) -> list[bool]:
    """brk[i]: a line may start at character i (避头尾 R4, R5; unbreakable runs R6, R8–R10).

    Between two Han characters a break is always allowed, so only the characters of
    other classes are looked for (each pattern skips Han text in C).
    """
    no_start, no_end = _edge_patterns(kinsoku == "basic", kinsoku == "strict")
    n = len(cls)
    brk = [True] * (n + 1)
    brk[0] = False
    for match in no_start.finditer(cls):           # may not start a line; a word space
        brk[match.start()] = False
    for match in no_end.finditer(cls, 0, n - 1):   # may not end a line
        brk[match.end()] = False
    for pattern in (_WESTERN_PAIRS, _X_RUN):       # inside a number, word, ——, ……
        for match in pattern.finditer(cls):
            for i in range(match.start() + 1, match.end()):
                brk[i] = False
    brk[0] = False
    return brk


@cache
def _edge_patterns(basic: bool, strict: bool) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Character classes of what may not start (with the word space) and not end a line."""
    no_start = set(not_at_start("basic" if basic else "gb")) | {"W"} | ({"X"} if strict else set())
    no_end = not_at_end("basic" if basic else "gb")
    return (re.compile("[" + re.escape("".join(sorted(no_start))) + "]"),
            re.compile("[" + re.escape("".join(sorted(no_end))) + "]"))


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
    cut, latin, cls = m.cut, m.latin, m.cls
    if "W" in cls[s:e - 1]:
        total = 0.0
        for i in range(s, e - 1):
            total += cut[i]
            if i > s and latin[i]:
                total += m.gap[i] - settings.tracking - settings.latin_gap_min
            if cls[i] == "W":
                total += max(0.0, m.cell[i] - 0.25)
    elif True in latin[s + 1:e - 1]:
        # The loop above where it adds more than 0.0: a mark's blank or a Han–Latin gap sits
        # at or just after a character that is not Han.
        total = 0.0
        marks = m.marks
        done = s - 1
        for j in marks[bisect_left(marks, s):bisect_left(marks, e - 1)]:
            for i in (j, j + 1):
                if done < i < e - 1:
                    done = i
                    total += cut[i]
                    if i > s and latin[i]:
                        total += m.gap[i] - settings.tracking - settings.latin_gap_min
    else:
        # Only the marks' blanks: the same additions, in the same order, in C.
        total = reduce(add, cut[s:e - 1], 0.0)
    if m.cls[s] in BLANK_LEFT:
        # At a line start the blank is trimmed already (a wrapped line, R14) or kept so the
        # indent stays clean (a paragraph's first line): either way it cannot shrink more.
        total -= m.cut[s]
    return max(0.0, total)


def _hyphen(m: _Metrics, e: int) -> float:
    """Width of the hyphen a line ending at an R46 point adds, in em."""
    if m.soft.get(e) != HYPHEN:
        return 0.0
    return m.fonts[m.font[e - 1]][1].advances.get("-", 0.33)


def _in_code(m: _Metrics, s: int, e: int) -> bool:
    """The line s..e starts or ends at an R47 break: it is part of a code."""
    n = len(m.text)
    return (e < n and not m.brk[e] and m.soft.get(e) == UNIT) or \
        (0 < s < n and not m.brk[s] and m.soft.get(s) == UNIT)


def _may_stretch(cls: str, j: int) -> bool:
    a, b = cls[j - 1], cls[j]
    return not (a in _NO_STRETCH_AFTER or b in _NO_STRETCH_BEFORE
                or (a in WESTERN and b in WESTERN) or a == "W" or b == "W")


def _inside_run(cls: str, b: int) -> bool:
    """A break before character b would split a number, a word, a dash or ellipsis."""
    a, c = cls[b - 1], cls[b]
    return (a in WESTERN and c in WESTERN) or (a == "X" and c == "X") or c == "W"
