"""Break opportunities inside Western runs: codes by R47, English words by R46.

A Western run (digits, letters and their joiners) is one unbreakable unit for the
ordinary line breaker (R8, R9). In a 13-字 column that makes a web address, an
e-mail address, a contract number or a 29-letter product name a block the line
before it has to be letter-spaced around (R48). This module finds where such a
run may still break, as a sparse map {position: kind}; a line may start at
`position`:

- UNIT (R47): a URL, e-mail address, path or model number breaks after `//` or
  `:`, before `/ . , _ ? # % ~ @`, before or after `= &`, with no hyphen added;
  a hyphen already in the code stays at the line end (the break is after it).
  A CamelCase name breaks before each inner capital. Never inside a digit run
  (`4.18`, `35,790`, R8).
- HYPHEN (R46): an English word of 5 or more letters at a dictionary point
  (LibreOffice's patterns through pyphen), at least 2 letters on each side; the
  line then ends with a hyphen that is not in the source.

The composer uses these only when breaking at an ordinary point would leave the
line looser than R18 allows.
"""

from __future__ import annotations

import re
from functools import cache

UNIT = 1
HYPHEN = 2

_ALNUM = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
# A run of letters/digits joined by code separators, optionally led by a path's `/`.
_CODE = re.compile(rf"(?:/|\\\\)?[{_ALNUM}]+(?:[-_/.:@#~%?&=+\\]+[{_ALNUM}]+)+/?")
_HAS_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]")
_WORD = re.compile(rf"[{_ALNUM}]{{5,}}")
_CAMEL = re.compile(r"(?<=[a-z\u00df-\u00ff])(?=[A-Z\u00c0-\u00de])")
_BEFORE = frozenset("/.,_?#%~@\\")
_AROUND = frozenset("=&")
_DIGIT_JOIN = frozenset(".,:")      # decimal point, grouping, time: part of a number (R8)
MIN_WORD = 5                        # R46: never hyphenate a shorter word
MIN_SIDE = 2                        # R46: at least two letters on either side


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every URL, e-mail address, path or model number in `text`.

    A run must contain a letter: `2023-12-29`, `4.18` and `35,790` are numbers (R8).
    """
    return [m.span() for m in _CODE.finditer(text) if _HAS_LETTER.search(m.group())]


def code_breaks(text: str, start: int, end: int, out: dict[int, int]) -> None:
    """R47 break points of the code text[start:end], added to `out`."""
    for i in range(start + 1, end):
        a, b = text[i - 1], text[i]
        if i >= 2 and text[i - 2:i] == "//" or (a == ":" and b != "/"):
            ok = True                                    # after // or :
        elif b in _BEFORE and a not in _BEFORE and a != "/" and b != a:
            ok = not (b in _DIGIT_JOIN and a.isdigit() and text[i + 1:i + 2].isdigit())
            ok = ok and not (b == "/" and a == ":")
        elif a == "-" and b != "-":
            ok = True                # a hyphen already in the code stays at the line end
        elif b in _AROUND and a not in _AROUND or a in _AROUND and b not in _AROUND:
            ok = True
        else:
            ok = False
        if ok:
            out[i] = UNIT
    _camel(text, start, end, out)


def _camel(text: str, start: int, end: int, out: dict[int, int]) -> None:
    for m in _CAMEL.finditer(text, start, end):
        i = m.start()
        if start + MIN_SIDE <= i <= end - MIN_SIDE:
            out[i] = UNIT


def word_breaks(text: str, start: int, end: int, out: dict[int, int]) -> None:
    """R46 hyphenation points (or R47 CamelCase points) of the word text[start:end]."""
    word = text[start:end]
    if _CAMEL.search(word):
        _camel(text, start, end, out)
        return
    if not word.isalpha() or len(word) < MIN_WORD or word.isupper():
        return                      # numbers, codes in capitals (GIS, ZTE5G) stay whole
    for p in _hyphenator().positions(word):
        if MIN_SIDE <= p <= len(word) - MIN_SIDE:
            out[start + p] = HYPHEN


def may_hyphenate(text: str) -> bool:
    """Whether `text` may have a word `word_breaks` looks up in the patterns (a cheap
    superset: it ignores words inside codes and after digits)."""
    return any(word.isalpha() and not word.isupper() and not _CAMEL.search(word)
               for word in _WORD.findall(text))


def load_patterns() -> None:
    """Load the hyphenation patterns now (~0.05–0.15 s) rather than at the first word."""
    _hyphenator()


@cache
def _hyphenator():
    import pyphen  # deferred: a paragraph without an English word never loads the patterns

    return pyphen.Pyphen(lang="en_US", left=MIN_SIDE, right=MIN_SIDE)


def soft_breaks(text: str, cls: str) -> dict[int, int]:
    """Every R46/R47 break point of a paragraph (`cls` from classes.classify)."""
    out: dict[int, int] = {}
    if text.isascii() and not any(c.isalpha() for c in text):
        return out
    codes = code_spans(text)
    taken = 0
    for start, end in codes:
        code_breaks(text, start, end, out)
    for m in _WORD.finditer(text):
        start, end = m.span()
        while taken < len(codes) and codes[taken][1] <= start:
            taken += 1
        if taken < len(codes) and codes[taken][0] < end:
            continue                # inside a code: its own R47 points apply
        if cls[start] == "L" and (start == 0 or cls[start - 1] not in "NL"):
            word_breaks(text, start, end, out)
    return out
