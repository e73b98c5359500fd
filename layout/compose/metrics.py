"""Measure a paragraph for line composition (reference §3.3, §3.4): one class letter per
character, advances and full-width cells in em, the Han–Latin gaps (R21), where a line may
start (避头尾 R4, R5; unbreakable runs R6, R8–R10), and the cumulative widths that make a
candidate line's width one subtraction. Also the small questions the breaker and the
justifier both ask of a measured paragraph (a line's natural width, what it may shrink).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

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
_HAN_WESTERN = re.compile("(?<=H)[NLJRT]|(?<=[NLJRT])H")
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
