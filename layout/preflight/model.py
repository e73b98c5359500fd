"""Findings, per-page facts and the report of a preflight run; trim sizes parsed."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

PT_PER_MM = 72.0 / 25.4
PT_PER_INCH = 72.0

ERROR = "error"
WARNING = "warning"

#: Stable check names (used in JSON). The last two are extensions beyond the
#: issue's list: RGB in rules and boxes breaks R40 just like RGB text, and a
#: content stream that cannot be parsed cannot be checked at all.
CHECKS = (
    "boxes",
    "trim-size",
    "fonts-embedded",
    "text-colour",
    "image-colour",
    "image-resolution",
    "image-ink",
    "pdfx",
    "transparency",
    "vector-colour",
    "content",
    "font-tags",
)

TRIM_TOLERANCE_MM = 0.5  # trimming itself is not more precise than this
BOX_TOLERANCE_PT = 0.01  # rounding noise of producers writing decimals
RICH_BLACK_K = 0.9  # K at or above this counts as "black" text
INK_PERCENTILE = 99.5  # decide ink on this percentile, not the max (see docs)
SCHEMA = "paiban-preflight/1"

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_PROCESS_COLORANTS = {"Cyan", "Magenta", "Yellow", "Black", "All", "None"}
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_FORM_DEPTH = 32  # guards against cyclic or absurdly nested forms


class PreflightError(Exception):
    """The file could not be opened or is not a PDF."""


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Finding:
    check: str  # one of CHECKS
    severity: str  # "error" | "warning"
    page: int | None  # 1-based; None for document-level findings
    message: str


@dataclass(frozen=True)
class FontInfo:
    name: str  # BaseFont without the slash, "[none]" if absent
    type: str  # Subtype, e.g. "TrueType", "Type0/CIDFontType2", "Type3"
    embedded: bool
    subset: bool  # "ABCDEF+" name prefix
    used: bool  # selected by a Tf in the page content (else only in resources)
    obj: int | None  # object number, None for a direct object
    file: str | None  # "FontFile", "FontFile2", "FontFile3" or None
    program: int | None = None  # object number of the embedded font program


@dataclass(frozen=True)
class ImageInfo:
    name: str  # resource name, or "inline"
    obj: int | None
    width_px: int
    height_px: int
    bits: int
    colour_space: str
    filter: str
    placed_mm: tuple[float, float]  # size of the placed image on the page
    ppi: float | None  # min of the horizontal and vertical effective ppi
    ink_max: float | None  # max C+M+Y+K in % (CMYK images only)
    ink_p995: float | None  # 99.5th percentile of C+M+Y+K in %
    soft_mask: bool
    stencil: bool  # /ImageMask: painted with the fill colour


@dataclass(frozen=True)
class PageInfo:
    number: int
    media_box: tuple[float, float, float, float] | None  # pt, normalised
    crop_box: tuple[float, float, float, float] | None
    trim_box: tuple[float, float, float, float] | None
    bleed_box: tuple[float, float, float, float] | None
    rotate: int
    trim_mm: tuple[float, float] | None  # as seen after /Rotate
    trim_source: str  # "TrimBox", "CropBox" or "MediaBox"
    fonts: tuple[FontInfo, ...]
    images: tuple[ImageInfo, ...]
    text_colours: dict[str, int]  # colour space → text-showing operators
    rich_black_text: int  # text-showing operators in rich black
    vector_colours: dict[str, int]  # colour space → path-painting operators


@dataclass(frozen=True)
class PdfxInfo:
    pdf_version: str
    version: str | None  # Info /GTS_PDFXVersion
    conformance: str | None  # Info /GTS_PDFXConformance
    trapped: str | None  # Info /Trapped
    output_intent: bool  # an /OutputIntents entry with /S /GTS_PDFX
    output_condition_identifier: str | None
    output_condition: str | None
    dest_output_profile: bool
    encrypted: bool


@dataclass(frozen=True)
class Settings:
    trim_mm: tuple[float, float] | None
    min_ppi: float
    ink_limit: float
    require_pdfx: bool


@dataclass(frozen=True)
class PreflightReport:
    path: str
    settings: Settings
    pdfx: PdfxInfo
    pages: tuple[PageInfo, ...]
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == WARNING)

    @property
    def ok(self) -> bool:
        """True when no check failed; warnings do not fail a file."""
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types only, so json.loads(json.dumps(r)) == r."""
        return {
            "schema": SCHEMA,
            "file": self.path,
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "settings": _jsonable(asdict(self.settings)),
            "pdfx": _jsonable(asdict(self.pdfx)),
            "pages": [_jsonable(asdict(p)) for p in self.pages],
            "findings": [asdict(f) for f in self.findings],
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return round(value, 3)
    return value


# ---------------------------------------------------------------- parse_trim

_TRIM_SPEC = re.compile(
    r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*[x×X*]\s*(\d+(?:\.\d*)?|\.\d+)\s*(mm|cm|pt|in)?\s*$"
)
_UNIT_MM = {"mm": 1.0, "cm": 10.0, "pt": 25.4 / 72.0, "in": 25.4}


def parse_trim(spec: str) -> tuple[float, float]:
    """Parse "390x550mm", "390×550 mm", "1105.5x1559.1pt" → (w, h) in mm.

    A bare "390x550" means millimetres, the unit of the reference's page table.
    """
    match = _TRIM_SPEC.match(spec)
    if not match:
        raise ValueError(
            f"bad trim size {spec!r}: expected WIDTHxHEIGHT[mm|cm|pt|in], e.g. 390x550mm"
        )
    scale = _UNIT_MM[match.group(3) or "mm"]
    width, height = float(match.group(1)) * scale, float(match.group(2)) * scale
    if width <= 0 or height <= 0:
        raise ValueError(f"bad trim size {spec!r}: sizes must be positive")
    return width, height


# ---------------------------------------------------------------- colour spaces
