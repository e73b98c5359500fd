"""Character classes for line composition, as a data table tagged with rule ids.

Each class is one ASCII letter so that a paragraph's classes are one string,
made by a single `str.translate` (reference/performance.md, technique 3).
Anything not in the table is treated as a Han character (C-HAN, cl-19).
"""

from __future__ import annotations

from functools import cache

# class letter: (name, members, reference rule ids)
CLASSES: dict[str, tuple[str, str, str]] = {
    "O": ("C-OPEN", "“‘（〔［｛《〈「『【〖", "R5 R12 R14"),
    "C": ("C-CLOSE", "”’）〕］｝》〉」』】〗", "R4 R12 R13"),
    "P": ("C-PAUSE", "，、；：", "R4 R12 R13"),
    "S": ("C-STOP", "。．", "R4 R12 R13"),
    "D": ("C-DIV", "？！‼⁇⁈⁉", "R4 R12 R13"),
    "M": ("C-MID", "·", "R4 R15"),
    "K": ("C-CONN", "–～", "R4 R15"),
    "V": ("C-SOLIDUS", "／", "R4 R5 R15"),
    "X": ("C-INSEP", "—…⸺⋯", "R6 R7 R15"),
    "R": ("C-PRE", "￥¥＄$£€#№±≤≥", "R5 R8"),
    "T": ("C-POST", "%‰°℃′″㎡㎏㎞㎎㎝㎜", "R8"),
    "N": ("C-NUM", "0123456789", "R8"),
    "L": ("C-LATIN", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                     "αβγδεζηθικλμνξοπρστυφχψω", "R9"),
    # ∶ (U+2236, the ratio sign of scores and ratios: 3∶1, 98∶91) binds its numbers as
    # ":" does in 15:36 — taken for Han, it let a line end "以51" and the next start "∶43".
    "J": ("number/word joiner", ".,:'-_@&+=*^~|\\<>[]{}!?;()\"`×÷∶", "R8 R9"),
    "W": ("C-SP word space", " \u00a0", "R3"),
    "I": ("C-SP ideographic space", "\u3000", "R3 R32"),
    "/": ("ASCII solidus", "/", "R4 R5"),
}

# Letters of European names and units beyond ASCII (R49 coverage, R9 words): Latin-1
# Supplement and Latin Extended-A/B (é ñ ø ł ş …), Greek (Ω µ), Cyrillic. They belong to
# Western words, so no Han–Latin gap or line break falls inside "José" or "Łódź".
_LETTER_RANGES = ((0x00C0, 0x00D6), (0x00D8, 0x00F6), (0x00F8, 0x024F), (0x0370, 0x03FF),
                  (0x0400, 0x04FF), (0x00B5, 0x00B5))

_TABLE = {ord(ch): letter for letter, (_, members, _) in CLASSES.items() for ch in members}
_TABLE.update({cp: "L" for lo, hi in _LETTER_RANGES for cp in range(lo, hi + 1)})

# Full-width marks with a blank half that compression may remove (reference §3.4).
BLANK_RIGHT = frozenset("CPSD")    # ink in the left half
BLANK_LEFT = frozenset("O")        # ink in the right half
FULL_WIDTH_MARKS = BLANK_RIGHT | BLANK_LEFT

# 避头尾 at the GB level (reference §3.3): may not start / may not end a line.
NOT_AT_START_GB = frozenset("CPSDMKVT/")
NOT_AT_END_GB = frozenset("OR/V")
NOT_AT_START_BASIC = frozenset("CPSDMKT")
NOT_AT_END_BASIC = frozenset("OR")

# Classes that glue into an unbreakable Western run: digits, letters, joiners,
# and the prefix/postfix signs bound to a number (R8, R9).
WESTERN = frozenset("NLJRT")


def classify(text: str) -> str:
    """One class letter per character of `text`."""
    table = _bmp_table()
    cls = text.translate(table)
    if cls.isascii():
        return cls
    # A character beyond the Basic Multilingual Plane is past the end of the table and stays
    # itself: Han. The ASCII encoder's "replace" turns each into "?" in C; no "?" survives
    # the table.
    return cls.encode("ascii", "replace").decode("ascii").replace("?", "H")


@cache
def _bmp_table() -> list[str]:
    """The class of every BMP code point, as a list `str.translate` indexes: twice as fast
    as a dict, whose misses (every Han character) each raise and catch a LookupError.
    ASCII that no class names stays itself; anything else is Han."""
    table = list("H" * 0x10000)
    table[:128] = [chr(cp) for cp in range(128)]
    for cp, letter in _TABLE.items():
        table[cp] = letter
    return table


def not_at_start(kinsoku: str) -> frozenset[str]:
    return NOT_AT_START_BASIC if kinsoku == "basic" else NOT_AT_START_GB


def not_at_end(kinsoku: str) -> frozenset[str]:
    return NOT_AT_END_BASIC if kinsoku == "basic" else NOT_AT_END_GB
