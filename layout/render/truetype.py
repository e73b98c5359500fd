"""TrueType fonts for PDF embedding: what the PDF needs to know, and subsets that keep glyph ids.

The PDF renderer draws text with two-byte codes that do not depend on the subset
(a Type 0 font, Identity-H, see `layout.render.pdfdoc`): a page's content stream is
the same bytes whichever subset of the font a file carries, so it is written once
and shared by the page's own PDF and the edition PDF (reference/performance.md,
technique 5: codes assigned once, not per document).

A subset keeps the glyph ids: glyphs that are not used are empty (zero length in
`loca`, zero advance in `hmtx`) and the font ends after the highest glyph used.
Only the tables a PDF reader uses for a CIDFontType2 are written (ISO 32000-1
§9.9: `head hhea loca maxp glyf hmtx`, plus `cvt fpgm prep` when the font is
hinted; no `cmap`, the PDF maps codes to glyphs itself).

Parsing is plain `struct` on the file: the renderer must not pay for importing
fontTools (11–13 ms), and the parsed facts are kept as marshal data in paiban's
cache (`layout.cache`), keyed by path, size and modification time (one 9,000-glyph
face loads in a few milliseconds).
"""

from __future__ import annotations

import hashlib
import marshal
import mmap
import struct
import sys
from array import array
from collections.abc import Iterable
from itertools import accumulate
from pathlib import Path

from layout import cache as build_cache
from layout import sfnt

_CACHE_VERSION = 3
_KEEP = (b"cvt ", b"fpgm", b"prep")     # hinting programs a subset carries along
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_WORD = array("I").itemsize         # 4 on every platform CPython supports; "L" otherwise


def _checksum(data: bytes) -> int:
    """The sfnt table checksum: the sum of big-endian uint32 words, zero-padded."""
    if len(data) % 4:
        data += b"\0" * (4 - len(data) % 4)
    words = array("I", data) if _WORD == 4 else array("L", data)
    if sys.byteorder == "little":
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


def _ps_name(data: bytes, offset: int) -> str:
    count, strings = struct.unpack_from(">HH", data, offset + 2)
    found = {}
    for i in range(count):
        platform, encoding, _, name_id, length, at = struct.unpack_from(
            ">HHHHHH", data, offset + 6 + 12 * i)
        if name_id == 6:
            raw = data[offset + strings + at:offset + strings + at + length]
            found[platform] = raw.decode("utf-16-be" if platform in (0, 3) else "latin-1")
    name = found.get(3) or found.get(1) or found.get(0) or ""
    # A PDF name: printable ASCII without delimiters (ISO 32000-1 §7.3.5).
    return "".join(ch for ch in name if "!" <= ch <= "~" and ch not in "()<>[]{}/%#")


def _parse(path: Path) -> dict:
    with sfnt.mapped(path) as data:
        tables = sfnt.tables(data)
        for required in ("head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap"):
            if required not in tables:
                raise ValueError(f"{path}: not a TrueType-outline font (no {required} table)")
        head = tables["head"][0]
        upem = sfnt.upem(data, tables)
        bbox = struct.unpack_from(">4h", data, head + 36)
        hhea = tables["hhea"][0]
        ascent, descent = struct.unpack_from(">hh", data, hhea + 4)
        metrics_count = struct.unpack_from(">H", data, hhea + 34)[0]
        advances = sfnt.advances(data, tables)
        offsets = sfnt.glyph_offsets(data, tables)
        cap_height, weight = ascent, 400
        if "OS/2" in tables:
            os2, length, _ = tables["OS/2"]
            weight = struct.unpack_from(">H", data, os2 + 4)[0]
            version = struct.unpack_from(">H", data, os2)[0]
            if version >= 2 and length >= 90:
                cap_height = struct.unpack_from(">h", data, os2 + 88)[0]
        italic, fixed = 0.0, 0
        if "post" in tables:
            post = tables["post"][0]
            italic = struct.unpack_from(">i", data, post + 4)[0] / 65536
            fixed = struct.unpack_from(">I", data, post + 12)[0]
        name = _ps_name(data, tables["name"][0]) if "name" in tables else ""
        cmap = sfnt.cmap(data, tables["cmap"][0])
        bmp = array("H", bytes(2 * 0x10000))    # code point → glyph id, big-endian once stored
        for code, gid in cmap.items():
            if code < 0x10000:
                bmp[code] = gid
        if sys.byteorder == "little":
            bmp.byteswap()
        return {
            "version": _CACHE_VERSION, "tables": tables, "upem": upem, "bbox": bbox,
            "ascent": ascent, "descent": descent, "cap_height": cap_height, "weight": weight,
            "italic": italic, "fixed": fixed, "name": name or path.stem, "advances": advances,
            "offsets": offsets, "metrics_count": metrics_count,
            "cmap": cmap, "bmp": bmp.tobytes(),
        }


class TrueTypeFont:
    """One font file: glyph ids of characters, advance widths, and subsets of its glyphs."""

    def __init__(self, path: Path):
        self.path = path
        stat = path.stat()
        key = (f"{_CACHE_VERSION}|{sys.version_info[:2]}|{path.resolve()}|{stat.st_size}|"
               f"{stat.st_mtime_ns}")
        facts = marshal.loads(build_cache.get_bytes(
            "pdffont", key, lambda: marshal.dumps(_parse(path)), suffix=".marshal"))
        self.name: str = facts["name"]
        self.cmap: dict[int, int] = facts["cmap"]
        self.advances: list[int] = facts["advances"]
        self.upem: int = facts["upem"]
        self.bbox: tuple[int, ...] = tuple(facts["bbox"])
        self.ascent: int = facts["ascent"]
        self.descent: int = facts["descent"]
        self.cap_height: int = facts["cap_height"]
        self.weight: int = facts["weight"]
        self.italic: float = facts["italic"]
        self.fixed: bool = bool(facts["fixed"])
        self._tables: dict[str, tuple[int, int, int]] = facts["tables"]
        self._offsets: list[int] = facts["offsets"]
        self._metrics_count: int = facts["metrics_count"]
        self._bmp: bytes = facts["bmp"]
        self._data: bytes | None = None
        # Per glyph, read once a build (see _glyph): outline padded to 4 bytes, its
        # checksum, its hmtx record. Separate dicts, so that a subset gathers them in C.
        self._raw: dict[int, bytes] = {}
        self._sums: dict[int, int] = {}
        self._metrics: dict[int, bytes] = {}
        self._components: dict[int, tuple[int, ...]] = {}   # composite glyph → its parts
        self._composites: set[int] = set()

    @property
    def data(self) -> bytes | mmap.mmap:
        """The font file, mapped: a build reads the glyphs it uses, not a whole 4–11 MB CJK
        file (reading the four faces of the sample cost 7 ms a build)."""
        if self._data is None:
            with open(self.path, "rb") as handle:
                try:
                    self._data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
                except (OSError, ValueError):       # no mapping here: read it
                    self._data = handle.read()
        return self._data

    def width(self, gid: int) -> float:
        """Advance of a glyph in PDF glyph space (thousandths of an em)."""
        advances = self.advances
        return (advances[gid] if gid < len(advances) else advances[-1]) * 1000 / self.upem

    def bmp_glyphs(self) -> array:
        """Glyph id of every code point of the Basic Multilingual Plane (0: none), as an
        array indexed by code point."""
        table = array("H")
        table.frombytes(self._bmp)
        if sys.byteorder == "little":
            table.byteswap()
        return table

    def _read_glyphs(self, gids: Iterable[int]) -> None:
        """Read glyphs' outlines (padded to 4 bytes), checksums, hmtx records and parts."""
        start = self._tables["glyf"][0]
        hmtx = self._tables["hmtx"][0]
        offsets = self._offsets
        end = len(offsets) - 1
        last = self._metrics_count - 1
        data = self.data
        raws, sums, metrics = self._raw, self._sums, self._metrics
        for gid in gids:
            raw = data[start + offsets[gid]:start + offsets[gid + 1]] if gid < end else b""
            if len(raw) % 4:
                raw += b"\0" * (4 - len(raw) % 4)
            if gid <= last:
                metric = data[hmtx + 4 * gid:hmtx + 4 * gid + 4]
            else:       # past numberOfHMetrics: the last advance, the glyph's own side bearing
                side = hmtx + 4 * self._metrics_count + 2 * (gid - last - 1)
                metric = data[hmtx + 4 * last:hmtx + 4 * last + 2] + data[side:side + 2]
            raws[gid] = raw
            metrics[gid] = metric
            if not raw:
                sums[gid] = 0
                continue
            sums[gid] = _checksum(raw)
            if raw[0] & 0x80:           # numberOfContours < 0: a composite glyph
                parts = _components(raw)
                if parts:
                    self._components[gid] = parts
                    self._composites.add(gid)

    def closure(self, gids: Iterable[int]) -> set[int]:
        """The glyphs, glyph 0 (.notdef), and every component of a composite among them."""
        limit = len(self._offsets) - 1
        used = set(gids)
        if used and max(used) >= limit:
            used = {gid for gid in used if gid < limit}
        used.add(0)
        self._read_glyphs(used.difference(self._raw))   # each glyph is read once a build
        todo = used & self._composites
        while todo:
            gid = todo.pop()
            for part in self._components[gid]:
                if part < limit and part not in used:
                    used.add(part)
                    if part not in self._raw:
                        self._read_glyphs((part,))
                    if part in self._composites:
                        todo.add(part)
        return used

    def tag(self, gids: set[int], salt: int = 0) -> str:
        """Six capital letters derived from the font and the glyphs of the subset
        (ISO 32000-1 §9.6.4): the same subset gets the same tag in every build, and two
        different subsets of a file get different tags (the writer bumps `salt` on the
        rare clash)."""
        digest = hashlib.sha1(f"{self.name}|{self._tables['glyf'][2]}|{salt}|".encode()
                              + struct.pack(f">{len(gids)}H", *sorted(gids))).digest()
        value = int.from_bytes(digest[:8], "big")
        letters = []
        for _ in range(6):
            value, index = divmod(value, 26)
            letters.append(_LETTERS[index])
        return "".join(letters)

    def subset(self, gids: Iterable[int], *, closed: bool = False) -> bytes:
        """A font program with the glyphs `gids` (and their components, unless `closed`
        says `gids` came from `closure`) at their own ids."""
        ordered = sorted(gids if closed else self.closure(gids))
        count = ordered[-1] + 1
        raws = list(map(self._raw.__getitem__, ordered))
        lengths = [0] * count
        metrics = [b"\0\0\0\0"] * count
        for gid, length, metric in zip(ordered, map(len, raws),
                                       map(self._metrics.__getitem__, ordered)):
            lengths[gid] = length
            metrics[gid] = metric
        glyf = b"".join(raws)
        glyf_sum = sum(map(self._sums.__getitem__, ordered)) & 0xFFFFFFFF
        loca = struct.pack(f">{count + 1}I", 0, *accumulate(lengths))
        data = self.data

        def table(tag: str) -> bytes:
            offset, length, _ = self._tables[tag]
            return data[offset:offset + length]

        head = bytearray(table("head"))
        head[8:12] = b"\0\0\0\0"                       # checkSumAdjustment, set below
        head[50:52] = struct.pack(">h", 1)             # long loca offsets
        hhea = bytearray(table("hhea"))
        hhea[34:36] = struct.pack(">H", count)
        maxp = bytearray(table("maxp"))
        maxp[4:6] = struct.pack(">H", count)
        tables: dict[bytes, tuple[bytes, int | None]] = {
            b"head": (bytes(head), None), b"hhea": (bytes(hhea), None),
            b"maxp": (bytes(maxp), None), b"hmtx": (b"".join(metrics), None),
            b"loca": (loca, None), b"glyf": (glyf, glyf_sum),
        }
        for tag in _KEEP:
            if tag.decode() in self._tables:
                tables[tag] = (table(tag.decode()), None)
        return _sfnt(tables)


def _components(glyph: bytes) -> tuple[int, ...]:
    """Glyph ids a composite glyph refers to (none for a simple glyph)."""
    if len(glyph) < 10 or struct.unpack_from(">h", glyph, 0)[0] >= 0:
        return ()
    found = []
    at = 10
    while True:
        flags, gid = struct.unpack_from(">HH", glyph, at)
        found.append(gid)
        at += 4 + (4 if flags & 0x0001 else 2)
        if flags & 0x0008:
            at += 2
        elif flags & 0x0040:
            at += 4
        elif flags & 0x0080:
            at += 8
        if not flags & 0x0020:
            return tuple(found)


def _sfnt(tables: dict[bytes, tuple[bytes, int | None]]) -> bytes:
    """An sfnt file from its tables (checksums computed unless given)."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, count, 16 * power,
                         power.bit_length() - 1, 16 * count - 16 * power)
    offset = 12 + 16 * count
    entries, bodies = [], []
    total = 0
    for tag in tags:
        body, checksum = tables[tag]
        if checksum is None:
            checksum = _checksum(body)
        total += checksum
        entries.append(struct.pack(">4sIII", tag, checksum, offset, len(body)))
        padded = body + b"\0" * (-len(body) % 4)
        bodies.append(padded)
        offset += len(padded)
    directory = header + b"".join(entries)
    total += _checksum(directory)
    adjustment = (0xB1B0AFBA - total) & 0xFFFFFFFF
    index = tags.index(b"head")
    head = bytearray(bodies[index])
    head[8:12] = struct.pack(">I", adjustment)
    bodies[index] = bytes(head)
    return directory + b"".join(bodies)
