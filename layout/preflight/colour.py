"""Colour spaces and colours as the content stream sets them, and which are refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pikepdf

from layout.preflight.model import _PROCESS_COLORANTS, ERROR, RICH_BLACK_K, WARNING


@dataclass(frozen=True)
class _Space:
    name: str  # for tables and messages, e.g. "DeviceCMYK", "ICCBased(RGB)"
    # gray | rgb | cmyk | lab | indexed | separation | devicen | pattern | mask | unknown
    family: str
    icc: bool = False  # device-independent (ICCBased, CalGray, CalRGB)
    process: bool = True  # Separation/DeviceN: only process colorants
    base: _Space | None = None  # Indexed: the base space


_GRAY = _Space("DeviceGray", "gray")
_RGB = _Space("DeviceRGB", "rgb")
_CMYK = _Space("DeviceCMYK", "cmyk")
_PATTERN = _Space("Pattern", "pattern")
_UNKNOWN = _Space("unknown", "unknown")
_DEVICE = {
    "/DeviceGray": _GRAY,
    "/G": _GRAY,
    "/DeviceRGB": _RGB,
    "/RGB": _RGB,
    "/DeviceCMYK": _CMYK,
    "/CMYK": _CMYK,
    "/Pattern": _PATTERN,
}
_ICC_FAMILY = {1: ("gray", "Gray"), 3: ("rgb", "RGB"), 4: ("cmyk", "CMYK")}
_INITIAL = {"gray": (0.0,), "rgb": (0.0, 0.0, 0.0), "cmyk": (0.0, 0.0, 0.0, 1.0)}


def _resolve_space(obj: Any, resources: Any, depth: int = 0) -> _Space:
    """Colour space operand/entry (name or array) → _Space."""
    if depth > 8:  # names that refer to each other in a circle
        return _UNKNOWN
    if isinstance(obj, pikepdf.Name):
        key = str(obj)
        if key in _DEVICE:
            return _DEVICE[key]
        named = _lookup(resources, "/ColorSpace", key)
        return _UNKNOWN if named is None else _resolve_space(named, resources, depth + 1)
    if isinstance(obj, pikepdf.Array) and len(obj) > 0:
        return _resolve_array_space(obj, resources)
    return _UNKNOWN


def _resolve_array_space(arr: pikepdf.Array, resources: Any) -> _Space:
    kind = str(arr[0])
    if kind in _DEVICE:  # e.g. [/DeviceRGB], [/Pattern /DeviceRGB]
        return _DEVICE[kind]
    if kind == "/ICCBased":
        n = int(arr[1].get("/N", 0))
        family, label = _ICC_FAMILY.get(n, ("unknown", f"N={n}"))
        return _Space(f"ICCBased({label})", family, icc=True)
    if kind == "/CalRGB":
        return _Space("CalRGB", "rgb", icc=True)
    if kind == "/CalGray":
        return _Space("CalGray", "gray", icc=True)
    if kind == "/Lab":
        return _Space("Lab", "lab", icc=True)
    if kind in ("/Indexed", "/I"):
        base = _resolve_space(arr[1], resources)
        return _Space(f"Indexed({base.name})", "indexed", base=base)
    if kind == "/Separation":
        colorant = str(arr[1]).lstrip("/")
        return _Space(
            f"Separation({colorant})",
            "separation",
            process=colorant in _PROCESS_COLORANTS,
        )
    if kind == "/DeviceN":
        colorants = [str(c).lstrip("/") for c in arr[1]]
        return _Space(
            f"DeviceN({','.join(colorants)})",
            "devicen",
            process=all(c in _PROCESS_COLORANTS for c in colorants),
        )
    return _UNKNOWN


def _space_verdict(space: _Space) -> tuple[str, str] | None:
    """Why a colour space is unfit for a CMYK newsprint page, or None if fit.

    DeviceGray is fit: PDF/X-1a allows it and a grey 0 prints as K 100 %.
    """
    family = space.family
    if family == "rgb":
        return ERROR, "RGB is not allowed on a CMYK print page"
    if family == "lab":
        return ERROR, "Lab is not allowed on a CMYK print page"
    if family == "indexed":
        base = _space_verdict(space.base or _UNKNOWN)
        if base and base[0] == ERROR:
            return base
        return WARNING, "indexed colour (convert to DeviceCMYK/DeviceGray)"
    if family in ("separation", "devicen") and not space.process:
        return WARNING, "spot colour (newsprint prints CMYK only)"
    if family in ("gray", "cmyk") and space.icc:
        return WARNING, "ICC-based colour (PDF/X-1a wants DeviceCMYK/DeviceGray)"
    if family == "unknown":
        return WARNING, "colour space could not be determined"
    return None


class _Colour:
    """A colour as set by an operator; rich_black is decided once here
    because thousands of text operators share one colour."""

    __slots__ = ("rich_black", "space", "values")

    def __init__(self, space: _Space, values: tuple[float, ...]) -> None:
        self.space = space
        self.values = values
        self.rich_black = (
            space.family == "cmyk"
            and len(values) == 4
            and values[3] >= RICH_BLACK_K
            and values[0] + values[1] + values[2] > 0
        )


_BLACK = _Colour(_GRAY, (0.0,))


def _colour(space: _Space, operands: Any) -> _Colour:
    # A pattern colour ends in the pattern's name; only the numbers are values.
    values = tuple(float(v) for v in operands if not isinstance(v, pikepdf.Name))
    return _Colour(space, values)


# ---------------------------------------------------------------- small helpers


def _lookup(resources: Any, category: str, name: str) -> Any:
    if resources is None:
        return None
    group = resources.get(category)
    if group is None:
        return None
    return group.get(name)
