"""Diagnostics: values with a location and a hint, never bare strings.

Every problem the engine finds — a wrong field in an edition file, text that
does not fit its box, a character no font has — becomes a Diagnostic. Errors
stop a build before anything is written; warnings are reported and counted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: str
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    hint: str | None = None
    article: str | None = None
    page: int | None = None

    def location(self) -> str:
        parts = [p for p in (self.file, str(self.line) if self.line else None) if p]
        where = ":".join(parts)
        if self.field:
            where = f"{where}: {self.field}" if where else self.field
        return where

    def format(self) -> str:
        where = self.location()
        text = f"{self.severity}: {where}: {self.message}" if where else \
            f"{self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def to_json(self) -> dict:
        data = asdict(self)
        return {key: value for key, value in data.items()
                if value is not None or key in ("file", "line", "field")}


class InputError(Exception):
    """Raised when input files are invalid; carries every error found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format() for d in diagnostics))


class OutputError(Exception):
    """An output file could not be written whole (disk full, unwritable folder, a PDF that
    does not read back); nothing of the build was delivered."""
