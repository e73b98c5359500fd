"""The shipped TrueType fonts as web fonts for the SVG renderer (fontTools, inside `render`).

Two forms, both with the same character → glyph mapping:

- `subset_woff2(path, text, gids)`: a WOFF2 subset of just what a page draws, for the
  self-contained SVG files of `paiban build --svg` (the song face of a full page is about
  100 kB);
- `web_font(path)`: the whole face once, for the live preview server, where the browser
  loads each face once and every rebuild only sends the page's SVG (subsetting a CJK face
  per rebuild costs up to 0.8 s, more than the whole save-to-screen budget).

Both drop the layout tables (GSUB, GPOS …): the SVG gives every glyph its own x, so the
browser must not substitute or kern anything. Glyphs that have no character of their own
(the `vert` forms of a vertical headline) get a private-use code: the n-th such glyph of
the face, by glyph id, is U+E000 + n, in both forms (`private_code`).
"""

from __future__ import annotations

import hashlib
import io
from functools import cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from layout import cache as build_cache

_WEB_FONT_VERSION = 1
_PRIVATE_BASE = 0xE000
_LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "morx", "kern")


def _stamp(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns


class FaceData:
    """What the SVG renderer needs of a face: advances and the private codes."""

    def __init__(self, path: Path):
        font = TTFont(str(path), lazy=True)
        upem = font["head"].unitsPerEm
        hmtx = font["hmtx"].metrics
        order = font.getGlyphOrder()
        cmap = font.getBestCmap()
        self.path = path
        self.advance_by_char = {chr(cp): hmtx[name][0] / upem for cp, name in cmap.items()}
        self.advance_by_gid = [hmtx[name][0] / upem for name in order]
        self.notdef = self.advance_by_gid[0]
        gid_of = {name: gid for gid, name in enumerate(order)}
        # A glyph with characters of its own (a vertical form at U+FE10 …) is drawn by the
        # lowest of them; the others get private codes.
        self.private: dict[int, str] = {}
        for cp, name in sorted(cmap.items(), reverse=True):
            self.private[gid_of[name]] = chr(cp)
        unmapped = [gid for gid in range(1, len(order)) if gid not in self.private]
        self.private.update((gid, chr(_PRIVATE_BASE + n)) for n, gid in enumerate(unmapped))
        self.names = order
        self.key = hashlib.sha1(repr((_WEB_FONT_VERSION, _stamp(path))).encode()).hexdigest()[:16]

    def advance(self, char: str) -> float:
        return self.advance_by_char.get(char, self.notdef)

    def private_code(self, gid: int) -> str:
        """The private-use character that draws glyph `gid` in our web fonts."""
        return self.private.get(gid, chr(_PRIVATE_BASE))


_FACES: dict[tuple[str, int, int], FaceData] = {}


def face_data(path: Path) -> FaceData:
    """Face data, read once per process and again when the file changes (a server runs long)."""
    stamp = _stamp(path)
    data = _FACES.get(stamp)
    if data is None:
        data = _FACES[stamp] = FaceData(path)
    return data


def _with_private_codes(font: TTFont, data: FaceData, gids) -> None:
    """Map the private codes of `gids` in every Unicode cmap subtable; drop layout tables."""
    for table in font["cmap"].tables:
        if table.isUnicode():
            for gid in gids:
                code = ord(data.private_code(gid))
                if _PRIVATE_BASE <= code < 0xF900 or table.format in (12, 13):
                    table.cmap[code] = data.names[gid]
    for tag in _LAYOUT_TABLES:
        if tag in font:
            del font[tag]


@cache
def _subset_cached(stamp: tuple[str, int, int], text: str, gids: tuple[int, ...]) -> bytes:
    path = Path(stamp[0])
    data = face_data(path)
    font = TTFont(str(path), recalcTimestamp=False)   # same bytes on every run
    _with_private_codes(font, data, gids)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]     # keep the copyright and licence names
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    codes = {ord(ch) for ch in text} | {ord(data.private_code(g)) for g in gids}
    subsetter.populate(unicodes=sorted(codes))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff2"
    font.save(buffer)
    return buffer.getvalue()


def subset_woff2(path: Path, text: str, gids: tuple[int, ...] = ()) -> bytes:
    """A WOFF2 subset of the face with the characters of `text` and the glyphs `gids`."""
    return _subset_cached(_stamp(path), "".join(sorted(set(text))), tuple(sorted(set(gids))))


def web_font(path: Path) -> bytes:
    """The whole face as an OpenType file for the browser: private codes, no layout tables.

    Made once per font file and kept in paiban's verified cache (about 1 s per CJK face to make).
    """
    data = face_data(path)

    def make() -> bytes:
        font = TTFont(str(path), recalcTimestamp=False)   # same bytes on every run
        _with_private_codes(font, data, list(data.private))
        buffer = io.BytesIO()
        font.save(buffer)
        return buffer.getvalue()

    return build_cache.get_bytes("webfont", data.key, make, suffix=".ttf")
