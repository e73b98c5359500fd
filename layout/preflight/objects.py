"""Reading PDF objects: inherited keys, boxes, matrices, fonts, images and their ink."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pikepdf
from PIL import ImageMath

from layout.preflight.colour import _UNKNOWN, _resolve_space, _Space
from layout.preflight.model import (
    _IDENTITY,
    _MAX_FORM_DEPTH,
    _SUBSET_PREFIX,
    BOX_TOLERANCE_PT,
    INK_PERCENTILE,
    FontInfo,
)


def _inherited(page_obj: pikepdf.Dictionary, key: str) -> Any:
    """Look a key up on the page or, if inheritable, its /Pages ancestors."""
    node, hops = page_obj, 0
    while node is not None and hops < 64:
        if key in node:
            return node[key]
        node, hops = node.get("/Parent"), hops + 1
    return None


def _box(obj: Any) -> tuple[float, float, float, float] | None:
    if not isinstance(obj, pikepdf.Array) or len(obj) != 4:
        return None
    x0, y0, x1, y1 = (float(v) for v in obj)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _inside(inner: tuple, outer: tuple) -> bool:
    t = BOX_TOLERANCE_PT
    return (
        inner[0] >= outer[0] - t
        and inner[1] >= outer[1] - t
        and inner[2] <= outer[2] + t
        and inner[3] <= outer[3] + t
    )


def _objnum(obj: Any) -> int | None:
    return obj.objgen[0] if obj.is_indirect else None


def _text(obj: Any) -> str | None:
    if obj is None:
        return None
    return str(obj).lstrip("/") if isinstance(obj, pikepdf.Name) else str(obj)


def _mul(m: tuple, n: tuple) -> tuple:
    """Matrix product m × n of PDF [a b c d e f] matrices."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _matrix(obj: Any) -> tuple:
    """Six numbers (operands of cm, or a /Matrix array) → matrix tuple."""
    if obj is None or isinstance(obj, pikepdf.Name) or len(obj) != 6:
        return _IDENTITY
    return tuple(float(v) for v in obj)


# ---------------------------------------------------------------- fonts


def _font_info(font: pikepdf.Dictionary, used: bool) -> FontInfo:
    subtype = _text(font.get("/Subtype")) or "?"
    name = _text(font.get("/BaseFont")) or "[none]"
    described = font
    if subtype == "Type0":
        descendants = font.get("/DescendantFonts")
        if isinstance(descendants, pikepdf.Array) and len(descendants) > 0:
            described = descendants[0]
            subtype = f"Type0/{_text(described.get('/Subtype')) or '?'}"
    file_key = None
    program = None
    descriptor = described.get("/FontDescriptor")
    if descriptor is not None:
        file_key = next(
            (k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor),
            None,
        )
        if file_key is not None:
            program = _objnum(descriptor[file_key])
    # Type 3 glyphs are content streams inside the PDF: always "embedded".
    embedded = subtype == "Type3" or file_key is not None
    return FontInfo(
        name=name,
        type=subtype,
        embedded=embedded,
        subset=bool(_SUBSET_PREFIX.match(name)),
        used=used,
        obj=_objnum(font),
        file=file_key.lstrip("/") if file_key else None,
        program=program,
    )


def _font_key(font: Any) -> Any:
    return font.objgen if font.is_indirect else id(font)


def _collect_fonts(resources: Any, found: dict, seen: set, depth: int = 0) -> None:
    """Every font reachable from a resource dictionary, used or not.

    Follows Form XObjects, patterns, Type 3 fonts and soft-mask groups, as
    poppler's pdffonts does, so fonts hidden in nested resources are listed.
    """
    if not isinstance(resources, pikepdf.Dictionary) or depth > _MAX_FORM_DEPTH:
        return
    marker = resources.objgen if resources.is_indirect else id(resources)
    if marker in seen:
        return
    seen.add(marker)
    for font in (resources.get("/Font") or {}).values():
        if isinstance(font, pikepdf.Dictionary):
            found.setdefault(_font_key(font), font)
            if str(font.get("/Subtype")) == "/Type3":
                _collect_fonts(font.get("/Resources"), found, seen, depth + 1)
    for category in ("/XObject", "/Pattern"):
        for child in (resources.get(category) or {}).values():
            if isinstance(child, (pikepdf.Dictionary, pikepdf.Stream)):
                _collect_fonts(child.get("/Resources"), found, seen, depth + 1)
    for gstate in (resources.get("/ExtGState") or {}).values():
        smask = gstate.get("/SMask") if isinstance(gstate, pikepdf.Dictionary) else None
        if isinstance(smask, pikepdf.Dictionary) and "/G" in smask:
            _collect_fonts(smask.G.get("/Resources"), found, seen, depth + 1)


def _annotation_resources(page_obj: pikepdf.Dictionary) -> list:
    """Resources of the annotations' normal appearance streams."""
    result = []
    for annot in page_obj.get("/Annots") or []:
        if not isinstance(annot, pikepdf.Dictionary):
            continue
        normal = (annot.get("/AP") or {}).get("/N")
        streams = (
            [normal]
            if isinstance(normal, pikepdf.Stream)
            else (list(normal.values()) if isinstance(normal, pikepdf.Dictionary) else [])
        )
        result += [s.get("/Resources") for s in streams if isinstance(s, pikepdf.Stream)]
    return result


# ---------------------------------------------------------------- images


@dataclass(frozen=True)
class _ImageFacts:
    """What does not depend on placement; cached per image object."""

    width: int
    height: int
    bits: int
    space: _Space
    filter: str
    soft_mask: bool
    stencil: bool
    ink_max: float | None
    ink_p995: float | None
    ink_error: str | None  # why the ink could not be measured


def _image_facts(open_image: Callable[[], Any], dictionary: Any, resources: Any) -> _ImageFacts:
    """Facts from the image dictionary; pixels are decoded only for the ink
    of CMYK images (open_image gives a pikepdf image object)."""
    stencil = bool(dictionary.get("/ImageMask", False))
    filters = dictionary.get("/Filter")
    if isinstance(filters, pikepdf.Array):
        filter_name = ",".join(_text(f) for f in filters)
    else:
        filter_name = _text(filters) or "none"
    if stencil:
        space = _Space("ImageMask", "mask")
    elif "/ColorSpace" in dictionary:
        space = _resolve_space(dictionary["/ColorSpace"], resources)
    elif "JPXDecode" in filter_name:
        space = _Space("JPX(embedded)", "unknown")
    else:
        space = _UNKNOWN
    ink_max = ink_p995 = ink_error = None
    if space.family == "cmyk" and not stencil:
        try:
            ink_max, ink_p995 = _ink_coverage(open_image())
        # Any decoder failure (exotic filters, bit depths) is reported as a
        # warning rather than aborting the whole preflight.
        except Exception as exc:  # noqa: BLE001
            ink_error = f"{type(exc).__name__}: {exc}"
    return _ImageFacts(
        width=int(dictionary.get("/Width", 0)),
        height=int(dictionary.get("/Height", 0)),
        bits=int(dictionary.get("/BitsPerComponent", 1 if stencil else 0)),
        space=space,
        filter=filter_name,
        soft_mask="/SMask" in dictionary or int(dictionary.get("/SMaskInData", 0)) > 0,
        stencil=stencil,
        ink_max=ink_max,
        ink_p995=ink_p995,
        ink_error=ink_error,
    )


def _ink_coverage(image: Any) -> tuple[float, float]:
    """(max, 99.5th percentile) of C+M+Y+K in % over a CMYK image's pixels.

    pikepdf applies /Decode and Pillow undoes Adobe's inverted CMYK JPEGs,
    so the channel values are ink amounts. The sum is formed in 32-bit
    integer mode (0…1020) to avoid 8-bit clipping.
    """
    pil = image.as_pil_image(apply_mask=False)
    try:
        if pil.mode != "CMYK":
            raise ValueError(f"decoded as {pil.mode}, not CMYK")
        c, m, y, k = pil.split()
        total = ImageMath.lambda_eval(
            lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k
        )
        high = total.getextrema()[1]
        return high / 2.55, _percentile(_exact_histogram(total), INK_PERCENTILE) / 2.55
    finally:
        pil.close()


def _exact_histogram(total: Any) -> list[int]:
    """Exact counts of each sum 0…1023 of a mode "I" image.

    Pillow always makes 256 bins for "I" images, scaled by 255 / (max − min);
    windows exactly 255 wide give a scale of 1, i.e. one bin per value, and
    values outside a window are skipped. Four windows cover 0…1023.
    """
    counts: list[int] = []
    for low in (0, 256, 512, 768):
        counts += total.histogram(extrema=(low, low + 255))
    return counts


def _percentile(histogram: list[int], percent: float) -> int:
    """Smallest value v with at least `percent` % of pixels ≤ v."""
    needed = sum(histogram) * percent / 100.0
    running = 0
    for value, count in enumerate(histogram):
        running += count
        if running >= needed:
            return value
    return len(histogram) - 1


# ---------------------------------------------------------------- content walk
