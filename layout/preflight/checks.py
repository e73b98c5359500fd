"""The checks themselves, page by page and for the file, and `preflight()`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf

from layout.preflight.colour import _space_verdict
from layout.preflight.model import (
    ERROR,
    INK_PERCENTILE,
    PT_PER_MM,
    TRIM_TOLERANCE_MM,
    WARNING,
    Finding,
    FontInfo,
    PageInfo,
    PdfxInfo,
    PreflightError,
    PreflightReport,
    Settings,
)
from layout.preflight.objects import (
    _annotation_resources,
    _box,
    _collect_fonts,
    _font_info,
    _inherited,
    _inside,
    _text,
)
from layout.preflight.scan import _GState, _PageScan, _Walker


def _scan_page(
    page: pikepdf.Page, number: int, settings: Settings, image_cache: dict, findings: list[Finding]
) -> PageInfo:
    page_obj = page.obj
    resources = _inherited(page_obj, "/Resources")
    boxes = _page_boxes(page_obj)
    rotate = int(_inherited(page_obj, "/Rotate") or 0) % 360

    scan = _PageScan()
    group = page_obj.get("/Group")
    if isinstance(group, pikepdf.Dictionary) and str(group.get("/S")) == "/Transparency":
        scan.transparency.append("page transparency group (/Group /S /Transparency)")
    walker = _Walker(scan, image_cache)
    if "/Contents" in page_obj:
        walker.walk(page, resources, _GState())

    fonts = _page_fonts(page_obj, resources, scan.used_fonts)
    trim_mm, trim_source = _trim_size(boxes, rotate)
    info = PageInfo(
        number=number,
        media_box=boxes["MediaBox"],
        crop_box=boxes["CropBox"],
        trim_box=boxes["TrimBox"],
        bleed_box=boxes["BleedBox"],
        rotate=rotate,
        trim_mm=trim_mm,
        trim_source=trim_source,
        fonts=tuple(fonts),
        images=tuple(scan.images),
        text_colours=dict(scan.text_colours),
        rich_black_text=scan.rich_black_text,
        vector_colours=dict(scan.vector_colours),
    )
    page_findings = (
        _box_findings(info, boxes, settings)
        + _font_findings(info)
        + _colour_findings(info, scan)
        + _image_findings(info, scan, settings)
        + _transparency_findings(info, scan, settings)
        + [
            Finding("content", ERROR, number, f"content not fully readable: {msg}")
            for msg in scan.content_errors
        ]
    )
    # An image or form placed many times repeats identical findings: say it once.
    findings += dict.fromkeys(page_findings)
    return info


def _page_boxes(page_obj: pikepdf.Dictionary) -> dict[str, tuple | None]:
    media = _box(_inherited(page_obj, "/MediaBox"))
    crop = _box(_inherited(page_obj, "/CropBox"))
    return {
        "MediaBox": media,
        "CropBox": crop,
        # TrimBox/BleedBox/ArtBox are not inheritable (PDF 32000 Table 30).
        "TrimBox": _box(page_obj.get("/TrimBox")),
        "BleedBox": _box(page_obj.get("/BleedBox")),
        "ArtBox": _box(page_obj.get("/ArtBox")),
    }


def _trim_size(boxes: dict, rotate: int) -> tuple[tuple[float, float] | None, str]:
    """Trimmed page size in mm as it will be seen, with its source box."""
    for source in ("TrimBox", "CropBox", "MediaBox"):
        box = boxes[source]
        if box is not None:
            width = (box[2] - box[0]) / PT_PER_MM
            height = (box[3] - box[1]) / PT_PER_MM
            if rotate in (90, 270):
                width, height = height, width
            return (width, height), source
    return None, "none"


def _page_fonts(page_obj: pikepdf.Dictionary, resources: Any, used: set) -> list[FontInfo]:
    found: dict = {}
    seen: set = set()
    _collect_fonts(resources, found, seen)
    for annot_resources in _annotation_resources(page_obj):
        _collect_fonts(annot_resources, found, seen)
    return [_font_info(font, key in used) for key, font in found.items()]


# ---------------------------------------------------------------- findings


def _box_findings(info: PageInfo, boxes: dict, settings: Settings) -> list[Finding]:
    page = info.number
    strict = ERROR if settings.require_pdfx else WARNING
    out = []
    media, trim, bleed = boxes["MediaBox"], boxes["TrimBox"], boxes["BleedBox"]
    if media is None:
        out.append(Finding("boxes", ERROR, page, "no valid MediaBox"))
    if trim is None:
        alt = " (ArtBox present; PDF/X prefers TrimBox)" if boxes["ArtBox"] else ""
        out.append(
            Finding(
                "boxes",
                strict,
                page,
                f"no TrimBox{alt}; trim size taken from {info.trim_source} (R44)",
            )
        )
    if media and trim and not _inside(trim, media):
        out.append(Finding("boxes", ERROR, page, "TrimBox extends beyond MediaBox"))
    if media and bleed and not _inside(bleed, media):
        out.append(Finding("boxes", ERROR, page, "BleedBox extends beyond MediaBox"))
    if trim and bleed and not _inside(trim, bleed):
        out.append(Finding("boxes", ERROR, page, "TrimBox extends beyond BleedBox"))
    expected = settings.trim_mm
    if expected and info.trim_mm:
        width, height = info.trim_mm
        if (
            abs(width - expected[0]) > TRIM_TOLERANCE_MM
            or abs(height - expected[1]) > TRIM_TOLERANCE_MM
        ):
            out.append(
                Finding(
                    "trim-size",
                    ERROR,
                    page,
                    f"trim {width:.1f} × {height:.1f} mm ({info.trim_source}) ≠ "
                    f"expected {expected[0]:.1f} × {expected[1]:.1f} mm "
                    f"(± {TRIM_TOLERANCE_MM} mm)",
                )
            )
    return out


def _font_findings(info: PageInfo) -> list[Finding]:
    return [
        Finding(
            "fonts-embedded",
            ERROR,
            info.number,
            f"font {font.name} ({font.type}{'' if font.used else ', only referenced in resources'})"
            " is not embedded (R39)",
        )
        for font in info.fonts
        if not font.embedded
    ]


def _tag_findings(pages: tuple[PageInfo, ...]) -> list[Finding]:
    """Different subsets in one file must have different tags (ISO 32000-1 §9.6.4): a RIP
    that caches fonts by name would print one subset's text with another's glyphs."""
    programs: dict[str, set] = {}
    for page in pages:
        for font in page.fonts:
            if font.subset and font.embedded and font.program is not None:
                programs.setdefault(font.name.split("+", 1)[0], set()).add(font.program)
    return [
        Finding(
            "font-tags",
            ERROR,
            None,
            f"subset tag {tag} is used by {len(found)} different embedded fonts; each "
            "subset in a file needs its own tag",
        )
        for tag, found in sorted(programs.items())
        if len(found) > 1
    ]


def _colour_findings(info: PageInfo, scan: _PageScan) -> list[Finding]:
    out = []
    for name, count in info.text_colours.items():
        verdict = _space_verdict(scan.spaces[name]) if name in scan.spaces else None
        if verdict:
            out.append(
                Finding(
                    "text-colour",
                    verdict[0],
                    info.number,
                    f"{count} text-showing operator(s) in {name}: {verdict[1]} (R40)",
                )
            )
    if scan.rich_black_text:
        example = "/".join(f"{v * 100:g}" for v in scan.rich_black_example)
        out.append(
            Finding(
                "text-colour",
                ERROR,
                info.number,
                f"{scan.rich_black_text} text-showing operator(s) in rich black "
                f"(CMYK {example}); black text must be K only (R41)",
            )
        )
    for name, count in info.vector_colours.items():
        verdict = _space_verdict(scan.vector_spaces[name])
        if verdict:
            out.append(
                Finding(
                    "vector-colour",
                    verdict[0],
                    info.number,
                    f"{count} path/shading paint operator(s) in {name}: {verdict[1]} (R40)",
                )
            )
    return out


def _image_findings(info: PageInfo, scan: _PageScan, settings: Settings) -> list[Finding]:
    out = []
    page = info.number
    for image, (space, ink_error) in zip(info.images, scan.image_checks, strict=True):
        label = f"image {image.name} ({image.width_px}×{image.height_px} px)"
        verdict = _space_verdict(space)
        if verdict:
            out.append(
                Finding(
                    "image-colour",
                    verdict[0],
                    page,
                    f"{label} in {image.colour_space}: {verdict[1]} (R40)",
                )
            )
        if image.ppi is not None and round(image.ppi, 1) < settings.min_ppi:
            out.append(
                Finding(
                    "image-resolution",
                    ERROR,
                    page,
                    f"{label} placed at {image.placed_mm[0]:.1f} × {image.placed_mm[1]:.1f} mm "
                    f"is {image.ppi:.0f} ppi < {settings.min_ppi:g} ppi (R43)",
                )
            )
        if image.ink_p995 is not None and image.ink_p995 > settings.ink_limit:
            out.append(
                Finding(
                    "image-ink",
                    ERROR,
                    page,
                    f"{label} total ink {image.ink_p995:.0f} % ({INK_PERCENTILE:g}th "
                    f"percentile; max "
                    f"{image.ink_max:.0f} %) > {settings.ink_limit:g} % (R42)",
                )
            )
        if ink_error:
            out.append(
                Finding(
                    "image-ink",
                    WARNING,
                    page,
                    f"{label}: total ink not measured ({ink_error})",
                )
            )
    return out


def _transparency_findings(info: PageInfo, scan: _PageScan, settings: Settings) -> list[Finding]:
    severity = ERROR if settings.require_pdfx else WARNING
    reasons = list(dict.fromkeys(scan.transparency))  # unique, in order
    reasons += [f"image {i.name} has a soft mask" for i in info.images if i.soft_mask]
    return [
        Finding(
            "transparency",
            severity,
            info.number,
            f"{reason}: transparency is not allowed in PDF/X-1a (R45)",
        )
        for reason in dict.fromkeys(reasons)
    ]


def _pdfx_info(pdf: pikepdf.Pdf) -> PdfxInfo:
    info = pdf.trailer.get("/Info") or {}
    intent = next(
        (
            oi
            for oi in pdf.Root.get("/OutputIntents") or []
            if isinstance(oi, pikepdf.Dictionary) and str(oi.get("/S")) == "/GTS_PDFX"
        ),
        None,
    )

    def intent_text(key: str) -> str | None:
        return _text(intent.get(key)) if intent is not None else None

    return PdfxInfo(
        pdf_version=str(pdf.pdf_version),
        version=_text(info.get("/GTS_PDFXVersion")),
        conformance=_text(info.get("/GTS_PDFXConformance")),
        trapped=_text(info.get("/Trapped")),
        output_intent=intent is not None,
        output_condition_identifier=intent_text("/OutputConditionIdentifier"),
        output_condition=intent_text("/OutputCondition"),
        dest_output_profile=bool(intent is not None and "/DestOutputProfile" in intent),
        encrypted=pdf.is_encrypted,
    )


def _pdfx_findings(pdfx: PdfxInfo) -> list[Finding]:
    def error(message: str) -> Finding:
        return Finding("pdfx", ERROR, None, message + " (R45)")

    out = []
    if not pdfx.output_intent:
        out.append(error("no /OutputIntents entry with /S /GTS_PDFX"))
    elif not pdfx.output_condition_identifier:
        out.append(error("PDF/X output intent has no /OutputConditionIdentifier"))
    if not pdfx.version:
        out.append(error("Info has no /GTS_PDFXVersion"))
    elif pdfx.version.startswith("PDF/X-1:2001") and not pdfx.conformance:
        out.append(error("PDF/X-1:2001 needs /GTS_PDFXConformance (e.g. PDF/X-1a:2001)"))
    if pdfx.trapped not in ("True", "False"):
        out.append(error(f"Info /Trapped is {pdfx.trapped or 'missing'}; must be True or False"))
    if pdfx.encrypted:
        out.append(error("file is encrypted"))
    return out


# ---------------------------------------------------------------- entry points


def preflight(
    path: Path,
    *,
    trim_mm: tuple[float, float] | None = None,
    min_ppi: float = 200,
    ink_limit: float = 240,
    require_pdfx: bool = True,
) -> PreflightReport:
    """Check one PDF; raises PreflightError if it cannot be opened."""
    settings = Settings(
        trim_mm=trim_mm, min_ppi=min_ppi, ink_limit=ink_limit, require_pdfx=require_pdfx
    )
    try:
        pdf = pikepdf.Pdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        raise PreflightError(f"{path}: cannot open PDF: {exc}") from exc
    with pdf:
        findings: list[Finding] = []
        image_cache: dict = {}  # an image placed on many pages is decoded once
        pages = tuple(
            _scan_page(page, number, settings, image_cache, findings)
            for number, page in enumerate(pdf.pages, start=1)
        )
        pdfx = _pdfx_info(pdf)
    findings = _tag_findings(pages) + findings
    if require_pdfx:
        findings = _pdfx_findings(pdfx) + findings
    return PreflightReport(
        path=str(path),
        settings=settings,
        pdfx=pdfx,
        pages=pages,
        findings=tuple(findings),
    )


# ---------------------------------------------------------------- table
