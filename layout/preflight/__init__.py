"""Preflight: check any PDF against the newsprint print requirements.

Reference §5 and rules R39–R45: every font embedded, CMYK/Gray only, black
text on K only, total ink ≤ limit, images ≥ minimum effective resolution,
TrimBox present and of the expected size, PDF/X output intent, no
transparency.

The checker reads PDFs written by any tool, not only ours, so it looks at
the PDF itself and nothing from the layout model. It is the only package that
imports pikepdf. Page content is interpreted with a small graphics-state
machine (q/Q, cm, colour operators, Tr, Tf, Do, gs, sh, inline images) so
every text-showing operator knows its fill colour and every image knows its
placed size.

The package reads in stages: `model` (findings and the report), `colour` (colour spaces),
`objects` (boxes, fonts, images), `scan` (the content-stream walker), `checks` (the checks
and `preflight()`) and `table` (the terminal table).
"""

from layout.preflight.checks import preflight
from layout.preflight.model import (
    CHECKS,
    ERROR,
    SCHEMA,
    WARNING,
    Finding,
    FontInfo,
    ImageInfo,
    PageInfo,
    PdfxInfo,
    PreflightError,
    PreflightReport,
    Settings,
    parse_trim,
)
from layout.preflight.table import format_table

__all__ = [
    "CHECKS", "ERROR", "SCHEMA", "WARNING", "Finding", "FontInfo", "ImageInfo", "PageInfo",
    "PdfxInfo", "PreflightError", "PreflightReport", "Settings", "format_table", "parse_trim",
    "preflight",
]
