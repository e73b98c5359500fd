"""Length units: millimetres, points and the Chinese 字号 (type size) names.

Everything inside the engine is in PDF points (1/72 in). Style files may give
lengths in mm, cm, pt or as 字号 names; they are converted once at load time.
"""

from __future__ import annotations

import re

MM = 72.0 / 25.4  # points per millimetre

# 字号 → points. `word` is the DTP convention (agrees with GB/T 40070—2021);
# `letterpress` follows the metal-type ladders. Reference §2.4.
ZIHAO: dict[str, dict[str, float]] = {
    "word": {
        "初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18,
        "三号": 16, "小三": 15, "四号": 14, "小四": 12, "五号": 10.5, "小五": 9,
        "六号": 7.5, "小六": 6.5, "七号": 5.5, "八号": 5,
    },
    "letterpress": {
        "初号": 42, "小初": 36, "一号": 28, "小一": 24, "二号": 21, "小二": 18,
        "三号": 16, "小三": 15, "四号": 14, "小四": 12, "五号": 10.5, "小五": 9,
        "六号": 8, "小六": 7.5, "七号": 5.25, "八号": 4,
    },
}
ZIHAO_ALIASES = {"新五号": "小五", "新五": "小五"}

_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|pt|in|em)?\s*$")


def mm(value: float) -> float:
    """Millimetres to points."""
    return value * MM


def parse_length(value: object, *, em: float | None = None, default_unit: str = "pt",
                 zihao: str = "word") -> float:
    """Parse a length or type size into points.

    Accepts numbers (in `default_unit`), strings with a unit (`12mm`, `9pt`,
    `0.5em` when `em` is given) and 字号 names (`小五`). Raises ValueError with
    a sentence saying what was expected.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a length such as 9pt, 12mm or 小五, got {value!r}")
    if isinstance(value, (int, float)):
        return _scale(float(value), default_unit, em)
    if isinstance(value, str):
        name = ZIHAO_ALIASES.get(value.strip(), value.strip())
        if name in ZIHAO[zihao]:
            return float(ZIHAO[zihao][name])
        match = _LENGTH.match(value)
        if match:
            return _scale(float(match.group(1)), match.group(2) or default_unit, em)
    raise ValueError(
        f"expected a length such as 9pt, 12mm or a 字号 name such as 小五, got {value!r}")


def _scale(number: float, unit: str, em: float | None) -> float:
    if unit == "pt":
        return number
    if unit == "mm":
        return number * MM
    if unit == "cm":
        return number * MM * 10
    if unit == "in":
        return number * 72.0
    if unit == "em":
        if em is None:
            raise ValueError("em lengths are not allowed here")
        return number * em
    raise ValueError(f"unknown unit {unit!r}")
