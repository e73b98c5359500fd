"""Photo files: size checks and conversion to print CMYK (the only module that imports Pillow).

`cmyk_photo` turns any photo into the CMYK JPEG that goes into the PDF:

- with the plant's ICC output profile (style `print.icc_profile`), colours are
  converted from the photo's embedded profile (sRGB when it has none) with
  LittleCMS through Pillow's ImageCms, perceptual intent; the profile brings
  its own black generation;
- without one, by paiban's built-in newsprint separation (`_newsprint_cmyk`):
  naive complement of the sRGB values, grey component replaced by black from
  an early start (heavy GCR, the usual choice for coldset newsprint: neutral
  greys print with black only and stay grey when the press drifts), dot gain
  compensated for the ISO 12647-3 tone value increase (26 % at the 40 % patch).
  Greyscale photos become black-only.

Either way the total ink is then limited (`ink_limit`, 240 % by default, less a
small margin for JPEG noise): where C+M+Y+K exceeds it, cyan, magenta and yellow
are reduced in proportion and black is kept. The conversion is a 3-D lookup
table sampled once per setting on a 33³ grid and applied by Pillow in C (the
limit holds at every grid point, so trilinear interpolation cannot exceed it).
Results are cached by source content and settings and are byte-for-byte
reproducible (for one Pillow/LittleCMS/libjpeg build).
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import warnings
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from layout import cache as build_cache

if TYPE_CHECKING:
    from PIL import Image, ImageFilter

# Pillow is imported where a photo is read (about 25 ms): an edition without photos, and
# `paiban diff`, do not pay for it.

_CONVERSION_VERSION = 1
_LUT_SIZE = 33
_JPEG_QUALITY = 92
# JPEG noise lifts single pixels a little above the table's values; the limit is set this far
# (in percent of total ink) below the style's value so a photo's 99.5th percentile stays under it.
_INK_MARGIN = 6.0
# Built-in separation: tone value increase of coldset newsprint (ISO 12647-3) at the 40 % patch;
# the grey level where black starts to replace the grey component, where it has taken it over,
# and the most black it may put down.
_TVI_40 = 0.26
_BLACK_START = 0.05
_BLACK_FULL = 0.35
_BLACK_MAX = 0.95


class PhotoError(ValueError):
    pass


# The largest photo paiban accepts, in pixels: 150 megapixels (a 12,000 × 12,000 scan is
# 144). Pillow itself refuses above 179 MP as a possible decompression bomb; a bound of our
# own gives one clear message for both. Converted photos are decoded at most _MAX_SIDE
# pixels on the long side: 5,000 px is 300 ppi across 423 mm, wider than a broadsheet's type
# area, so nothing printable is lost, and a JPEG is decoded at 1/2 … 1/8 of its size
# directly (libjpeg's DCT scaling): a build with a 144 MP photo peaks at about 0.5 GB
# (benchmarks/bench_limits.py), not several.
MAX_PIXELS = 150_000_000
_MAX_SIDE = 5000


def _open(path: Path) -> Image.Image:
    """Open a photo (header only) within the pixel bound, as a PhotoError otherwise."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
    except Image.DecompressionBombError as exc:
        pixels = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(pixels.group(1)) / 1e6:.0f} megapixels" if pixels else "too many pixels"
        raise PhotoError(f"photo {path} has {size}, too many to open safely; paiban accepts "
                         f"photos of up to {MAX_PIXELS // 1_000_000} megapixels: scale it "
                         "down") from exc
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        raise PhotoError(f"photo {path} is {width} × {height} pixels "
                         f"({width * height / 1e6:.0f} megapixels); paiban accepts photos of "
                         f"up to {MAX_PIXELS // 1_000_000} megapixels: scale it down")
    if width < 1 or height < 1:
        image.close()
        raise PhotoError(f"photo {path} has no pixels ({width} × {height})")
    return image


def image_size(path: Path) -> tuple[int, int]:
    """Pixel size of a photo; reads only the header, then verifies the data decodes.
    Kept per file version: the desk runs for hours and photos get replaced."""
    try:
        found = path.is_file()
    except OSError:          # a name too long for the system
        found = False
    if not found:
        raise PhotoError(f"photo file not found: {path}")
    stat = path.stat()
    return _image_size(path, stat.st_size, stat.st_mtime_ns)


@cache
def _image_size(path: Path, _size: int, _mtime_ns: int) -> tuple[int, int]:
    from PIL import UnidentifiedImageError

    try:
        with _open(path) as image:
            size = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, PhotoError):
            raise
        raise PhotoError(f"photo file is not a readable image: {path} ({exc})") from exc
    return size


# ----------------------------------------------------------------------------- print CMYK

def _sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def _jpeg_complete(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8") and data.rstrip(b"\0").endswith(b"\xff\xd9")


def cmyk_photo(path: Path, ink_limit: float = 240.0, icc_profile: Path | None = None) -> Path:
    """A CMYK JPEG of `path` for print, total ink ≤ `ink_limit` percent.

    The file is made once and kept in paiban's verified cache (layout/cache.py), keyed by
    the source's SHA-1 and the settings, and reused on later builds.
    """
    profile_key = _sha1(icc_profile) if icc_profile is not None else "builtin"
    try:
        source_key = _sha1(path)
    except OSError as exc:
        raise PhotoError(f"photo file cannot be read: {path} ({exc})") from exc
    key = f"{_CONVERSION_VERSION}|{source_key}|{ink_limit:.3f}|{profile_key}"
    try:
        return build_cache.get_path("photos", key,
                                    lambda: _convert(path, ink_limit, icc_profile),
                                    check=_jpeg_complete, suffix=".jpg")
    except OSError as exc:
        raise PhotoError(f"no folder can hold the converted photo of {path} ({exc})") from exc


def _convert(path: Path, ink_limit: float, icc_profile: Path | None) -> bytes:
    from PIL import ImageCms, UnidentifiedImageError

    try:
        with _open(path) as image:
            source_profile = image.info.get("icc_profile")
            cmyk = _to_cmyk(_decoded(image), source_profile, ink_limit, icc_profile)
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise PhotoError(f"photo file is not a readable image: {path} ({exc})") from exc
    except ImageCms.PyCMSError as exc:
        raise PhotoError(f"photo {path} cannot be converted with the ICC profile "
                         f"{icc_profile} ({exc})") from exc
    out = io.BytesIO()
    cmyk.save(out, "JPEG", quality=_JPEG_QUALITY, subsampling=0)
    return out.getvalue()


def _decoded(image: Image.Image) -> Image.Image:
    """The photo's pixels, at most _MAX_SIDE on the long side (a JPEG decoded scaled down)."""
    from PIL import Image

    width, height = image.size
    scale = _MAX_SIDE / max(width, height)
    if scale >= 1:
        image.load()
        return image
    target = (max(1, round(width * scale)), max(1, round(height * scale)))
    if image.format == "JPEG":
        image.draft(image.mode, target)      # decodes at the smallest 1/n still ≥ target
    image.load()
    return image.resize(target, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _to_cmyk(image: Image.Image, source_profile: bytes | None, ink_limit: float,
             icc_profile: Path | None) -> Image.Image:
    from PIL import Image, ImageCms

    limit = max(ink_limit - _INK_MARGIN, 100.0) / 100.0
    if image.mode == "CMYK":
        return _limit_cmyk(image, limit)
    if image.mode in ("1", "L", "LA", "I", "I;16", "F") and icc_profile is None:
        grey = _flatten(image.convert("LA") if image.mode != "LA" else image, "L")
        black = grey.point(_black_curve())
        zero = Image.new("L", grey.size, 0)
        return Image.merge("CMYK", (zero, zero, zero, black))
    rgb = _flatten(image.convert("RGBA") if image.mode not in ("RGB", "RGBA") else image, "RGB")
    if source_profile:
        try:
            embedded = ImageCms.ImageCmsProfile(io.BytesIO(source_profile))
            if embedded.profile.xcolor_space.strip() == "RGB":
                rgb = ImageCms.profileToProfile(rgb, embedded, ImageCms.createProfile("sRGB"),
                                                outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass     # a broken embedded profile: treat the pixels as sRGB
    return rgb.filter(_lut(limit, icc_profile))


def _flatten(image: Image.Image, mode: str) -> Image.Image:
    """Composite an image with alpha on white paper (PDF/X-1a allows no soft masks)."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA"):
        paper = Image.new(image.mode, image.size, (255,) * len(image.mode))
        if image.mode == "RGBA":
            paper.alpha_composite(image)
        else:
            paper.paste(image, mask=image)
        image = paper
    return image.convert(mode)


def _compensate(tone: float) -> float:
    """File tone value that prints as `tone` on newsprint.

    Printing is modelled as printed = 1 − (1 − file)^γ, with γ chosen so that the 40 % patch
    gains _TVI_40 (≈ 27 % at 50 %, 17 % at 80 %, shadows filling in as they do on newsprint);
    this inverts it.
    """
    return 1 - (1 - min(max(tone, 0.0), 1.0)) ** (1 / _GAMMA)


_GAMMA = math.log(1 - 0.4 - _TVI_40) / math.log(1 - 0.4)


@cache
def _black_curve() -> tuple[int, ...]:
    """Greyscale value → black tone value (0–255) for black-only photos."""
    return tuple(round(255 * _compensate(1 - v / 255)) for v in range(256))


def _smoothstep(x: float) -> float:
    x = min(max(x, 0.0), 1.0)
    return x * x * (3 - 2 * x)


def _newsprint_cmyk(r: float, g: float, b: float) -> tuple[float, float, float, float]:
    """The built-in separation of one sRGB colour (0–1) into C, M, Y, K file tones (0–1)."""
    c, m, y = 1 - r, 1 - g, 1 - b
    grey = min(c, m, y)
    # Grey component replacement: from an early start black takes over the grey component ...
    k = min(grey * _smoothstep((grey - _BLACK_START) / (_BLACK_FULL - _BLACK_START)), _BLACK_MAX)
    # ... except in the deep shadows, where some colour stays under the black (UCA) for depth.
    removal = k * (1 - 0.5 * _smoothstep((grey - 0.6) / 0.4))
    return (_compensate(c - removal), _compensate(m - removal), _compensate(y - removal),
            _compensate(k))


def _newsprint_table(n: int, limit: float) -> list[float]:
    """`_limited(_newsprint_cmyk(r, g, b), limit)` at every point of an n³ grid, red
    fastest (Color3DLUT's order), the same floats as calling it 35,937 times: on the grid a
    channel's tone and the grey component take n values each, so the curves are worked out
    for those n × n pairs first (a cold build with photos spent 0.3 s sampling)."""
    levels = [1 - i / (n - 1) for i in range(n)]           # c = 1 − r at grid index i
    ks, tones = [], []
    for grey in levels:                                    # grey = min(c, m, y)
        k = min(grey * _smoothstep((grey - _BLACK_START) / (_BLACK_FULL - _BLACK_START)),
                _BLACK_MAX)
        removal = k * (1 - 0.5 * _smoothstep((grey - 0.6) / 0.4))
        ks.append(_compensate(k))
        tones.append([_compensate(c - removal) for c in levels])
    table: list[float] = []
    for b in range(n):
        for g in range(n):
            for r in range(n):
                j = max(r, g, b)             # the smallest c, m, y: the grey component
                row = tones[j]
                table.extend(_limited((row[r], row[g], row[b], ks[j]), limit))
    return table


def _limited(cmyk: tuple[float, float, float, float], limit: float) -> tuple[float, ...]:
    c, m, y, k = cmyk
    colour = c + m + y
    if colour + k > limit and colour > 0:
        scale = max(limit - k, 0.0) / colour
        c, m, y = c * scale, m * scale, y * scale
    return (c, m, y, k)


@cache
def _lut(limit: float, icc_profile: Path | None) -> ImageFilter.Color3DLUT:
    """The RGB → CMYK table for one ink limit and profile."""
    from PIL import Image, ImageCms, ImageFilter

    n = _LUT_SIZE
    if icc_profile is None:
        return ImageFilter.Color3DLUT(n, _newsprint_table(n, limit), channels=4,
                                      target_mode="CMYK")
    # Sample the ICC transform at the grid points (red fastest, as Color3DLUT orders its table).
    steps = [round(255 * i / (n - 1)) for i in range(n)]
    grid = Image.new("RGB", (n ** 3, 1))
    grid.putdata([(r, g, b) for b in steps for g in steps for r in steps])
    transform = ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(icc_profile)), "RGB", "CMYK",
        renderingIntent=ImageCms.Intent.PERCEPTUAL)
    sampled = ImageCms.applyTransform(grid, transform)
    assert sampled is not None
    table: list[float] = []
    raw = sampled.tobytes()
    for i in range(0, len(raw), 4):
        c, m, y, k = raw[i:i + 4]
        table.extend(_limited((c / 255, m / 255, y / 255, k / 255), limit))
    return ImageFilter.Color3DLUT(n, table, channels=4, target_mode="CMYK")


def _limit_cmyk(image: Image.Image, limit: float) -> Image.Image:
    """Reduce C, M and Y where a CMYK photo's total ink exceeds `limit` (a fraction)."""
    from PIL import Image, ImageMath

    c, m, y, k = image.split()
    cap = limit * 255

    def scaled(channel: Image.Image) -> Image.Image:
        return ImageMath.lambda_eval(
            lambda a: a["convert"](
                a["ch"] * a["min"](a["max"](cap - a["k"], 0.0)
                                   / a["max"](a["c"] + a["m"] + a["y"], 1.0), 1.0), "L"),
            ch=channel.convert("F"), c=c.convert("F"), m=m.convert("F"), y=y.convert("F"),
            k=k.convert("F"))

    return Image.merge("CMYK", (scaled(c), scaled(m), scaled(y), k))
