"""Font metrics for composition.

Metrics are read with `struct` (layout/sfnt.py: no fontTools, whose import and parse of a
9,000-glyph CJK face cost ~100 ms), once per font file, and cached (marshal, in paiban's
verified cache, layout/cache.py) so a rebuild reads them in a few milliseconds.
Advances and ink bounds are in em (font units / unitsPerEm).
"""

from __future__ import annotations

import dataclasses
import marshal
import struct
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from layout import cache as build_cache
from layout import sfnt

_CACHE_VERSION = 4

# Marks whose ink position matters for compression and normalisation (reference §3.2).
_INK_CHARS = "，、；：。．？！“”‘’（）〔〕［］｛｝《》〈〉「」『』【】〖〗—…·～–/／"


@dataclass(frozen=True, slots=True)
class FaceMetrics:
    path: Path
    name: str                        # PostScript name, for messages
    advances: dict[str, float]       # character → advance width in em
    ink: dict[str, tuple[float, float]]   # character → (xMin, xMax) of the ink in em
    ascent: float
    descent: float                   # positive, below the baseline
    vert: dict[str, int] = field(default_factory=dict)   # character → glyph id of its `vert` form
    # The style's fallback chain for this face (R49); empty for a face read on its own.
    fallback: Fallback | tuple[()] = ()

    def has(self, char: str) -> bool:
        return char in self.advances

    def advance(self, char: str) -> float:
        return self.advances.get(char, 1.0)

    def face_for(self, char: str) -> tuple[str | None, FaceMetrics | None]:
        """(font key, face) that prints `char`: this face (key None), the first face of its
        fallback chain that has it, or (None, None) when no face has it."""
        if char in self.advances:
            return None, self
        for key, face in self.fallback:
            if char in face.advances:
                return key, face
        return None, None


class Fallback:
    """A face's fallback chain: (font key, metrics) closest first, read on first use.

    Most pages never need a fallback face, and the shared extension face holds 24,000
    glyphs: its metrics are only read when a character is missing from a role's face.
    """

    def __init__(self, entries: tuple[tuple[str, Path], ...]):
        self.entries = entries
        self._faces: tuple[tuple[str, FaceMetrics], ...] | None = None

    def __iter__(self) -> Iterator[tuple[str, FaceMetrics]]:
        if self._faces is None:
            self._faces = tuple((key, load_face(path)) for key, path in self.entries)
        return iter(self._faces)

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        return f"Fallback({', '.join(key for key, _ in self.entries)})"


class Faces(Mapping[str, FaceMetrics]):
    """The style's faces by font key, each with its fallback chain, read on first use."""

    def __init__(self, fonts: Mapping[str, Path], fallback: Mapping[str, tuple[str, ...]]):
        self._fonts = fonts
        self._fallback = fallback
        self._faces: dict[str, FaceMetrics] = {}

    def __getitem__(self, key: str) -> FaceMetrics:
        face = self._faces.get(key)
        if face is None:
            chain = self._fallback.get(key)
            entries = tuple((k, self._fonts[k]) for k in chain) if chain else ()
            face = _face_with(self._fonts[key], entries)
            self._faces[key] = face
        return face

    def __iter__(self) -> Iterator[str]:
        return iter(self._fonts)

    def __len__(self) -> int:
        return len(self._fonts)


@cache
def _face_with(path: Path, entries: tuple[tuple[str, Path], ...]) -> FaceMetrics:
    """A face with its fallback chain, the same object for the same style in one process
    (callers that keep results between builds compare faces by identity)."""
    face = load_face(path)
    return dataclasses.replace(face, fallback=Fallback(entries)) if entries else face


def _read(path: Path) -> dict:
    """The metrics of a font file, read with `struct` (layout/sfnt.py): a first build must
    not pay for importing fontTools and parsing a whole CJK face with it (~100 ms a face)."""
    with sfnt.mapped(path) as data:
        tables = sfnt.tables(data)
        upem = sfnt.upem(data, tables)
        widths = sfnt.advances(data, tables)
        cmap = sfnt.cmap(data, tables["cmap"][0])
        ems = [width / upem for width in widths]
        ems.append(ems[-1])             # a glyph id past the table (a broken font): the last
        last = len(widths)
        gids = cmap.values()
        if max(gids, default=0) > last:
            gids = [min(gid, last) for gid in gids]
        advances = dict(zip(map(chr, cmap), map(ems.__getitem__, gids)))
        ink: dict[str, tuple[float, float]] = {}
        if "glyf" in tables and "loca" in tables:
            offsets = sfnt.glyph_offsets(data, tables)
            for char in _INK_CHARS:
                gid = cmap.get(ord(char))
                bounds = None if gid is None else sfnt.x_bounds(data, tables, offsets, gid)
                if bounds is not None:
                    ink[char] = (bounds[0] / upem, bounds[1] / upem)
        ascent, descent = struct.unpack_from(">hh", data, tables["OS/2"][0] + 68)
        vert = {}
        substitutions = sfnt.feature_substitutions(data, tables, "vert")
        if substitutions:
            for cp, gid in cmap.items():
                sub = substitutions.get(gid)
                if sub is not None:
                    vert[chr(cp)] = sub
        return {
            "version": _CACHE_VERSION,
            "name": (sfnt.name(data, tables["name"][0]) if "name" in tables else "") or path.stem,
            "advances": advances,
            "ink": ink,
            "ascent": ascent / upem,
            "descent": -descent / upem,
            "vert": vert,
        }


@cache
def load_face(path: Path) -> FaceMetrics:
    """Metrics of a TrueType font file, from the cache when the file is unchanged."""
    stat = path.stat()
    key = (f"{_CACHE_VERSION}|{sys.version_info[:2]}|{path.resolve()}|{stat.st_size}|"
           f"{stat.st_mtime_ns}")
    data = marshal.loads(build_cache.get_bytes("metrics", key,
                                               lambda: marshal.dumps(_read(path)),
                                               suffix=".marshal"))
    return FaceMetrics(path, data["name"], data["advances"], data["ink"], data["ascent"],
                       data["descent"], data["vert"])
