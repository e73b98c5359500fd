"""Where the shipped fonts and styles live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # A wheel carries the folders inside the package (see pyproject.toml);
    # an editable install or a source checkout has them beside the package.
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"paiban's {name}/ folder is missing from the installation")


def fonts_dir() -> Path:
    return _data_dir("fonts")


def styles_dir() -> Path:
    return _data_dir("styles")

