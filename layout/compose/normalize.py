"""Input normalisation before composition (reference §3.1, rules R1–R3).

Source text often arrives with ASCII punctuation inside Chinese sentences
(the sample page has 307 ASCII commas). In a Chinese context these become the
full-width marks; ASCII stays where it belongs (72.7%, 15:36, 变/配电房, English).
Every change is returned so that it can be reported to the proofreader (R2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_CANDIDATE = re.compile(r"[,;:?!() ]")


@dataclass(frozen=True, slots=True)
class Change:
    index: int          # position in the original text
    old: str
    new: str            # "" when a character was removed


def is_chinese(char: str) -> bool:
    """Han characters, CJK punctuation, full-width forms and the curly quotes used with them."""
    return char >= "\u2e80" or char in "“”‘’…—·"


def normalize(text: str, *, display: bool = False) -> tuple[str, list[Change]]:
    """Map ASCII marks in Chinese context to full-width marks.

    `display` is for headlines and credits, where a space between Han
    characters separates phrases and becomes one em (U+3000); in body text such
    a space is an extraction artefact and is removed (R3).
    """
    candidates = [m.start() for m in _CANDIDATE.finditer(text)]
    if not candidates or text.isascii():
        return text, []
    chars = list(text)
    changes: list[Change] = []
    pairs = _paren_pairs(text) if "(" in text or ")" in text else {}
    for i in candidates:
        ch = text[i]
        new = ch
        if ch in "()":
            partner = pairs.get(i)
            if partner is not None:
                lo, hi = sorted((i, partner))
                inside = text[lo + 1:hi]
                if any(is_chinese(c) for c in inside) or _chinese_neighbour(text, lo, hi):
                    new = _FULL[ch]
            elif _chinese_near(text, i):
                new = _FULL[ch]
        elif ch in _FULL:
            between_digits = 0 < i < len(text) - 1 and text[i - 1].isdigit() and \
                text[i + 1].isdigit()
            if not (ch in ",:" and between_digits) and _chinese_near(text, i):
                new = _FULL[ch]
        elif ch == " ":
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if before and after and is_chinese(before) and is_chinese(after):
                new = "\u3000" if display else ""
            elif not before or not after:
                new = ""
        if new != ch:
            chars[i] = new
            changes.append(Change(i, ch, new))
    return "".join(chars), changes


def _chinese_near(text: str, i: int) -> bool:
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return bool((before and is_chinese(before)) or (after and is_chinese(after)))


def _chinese_neighbour(text: str, lo: int, hi: int) -> bool:
    return _chinese_near(text, lo) and (lo == 0 or is_chinese(text[lo - 1])) or \
        (hi + 1 < len(text) and is_chinese(text[hi + 1]))


def _paren_pairs(text: str) -> dict[int, int]:
    """Matching ASCII parentheses, both directions; unmatched ones are absent (N2: per pair)."""
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            pairs[i], pairs[j] = j, i
    return pairs
