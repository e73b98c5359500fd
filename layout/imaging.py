"""Photo files: size and readability checks (the only module that imports Pillow)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import Image, UnidentifiedImageError


class PhotoError(ValueError):
    pass


@cache
def image_size(path: Path) -> tuple[int, int]:
    """Pixel size of a photo; reads only the header, then verifies the data decodes."""
    if not path.is_file():
        raise PhotoError(f"photo file not found: {path}")
    try:
        with Image.open(path) as image:
            size = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise PhotoError(f"photo file is not a readable image: {path} ({exc})") from exc
    return size
