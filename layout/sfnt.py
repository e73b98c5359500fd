"""Reading TrueType/OpenType (sfnt) font files with `struct`: the few tables paiban needs.

Both the composer's metrics (`layout.typeface`) and the PDF writer's font programs
(`layout.render.truetype`) read fonts here rather than with fontTools: importing fontTools
costs 11–13 ms and reading a 9,000-glyph CJK face's metrics with it about 100 ms, where
these functions take a few milliseconds (reference/performance.md, technique 6) — the cost a
first build on a fresh machine pays before anything is cached.

Only what the OpenType specification fixes is read: the table directory, `cmap` (formats 4
and 12), `name` ID 6, `hmtx`, the glyph header bounds in `glyf`, and the single
substitutions of the GSUB `vert` feature. tests/test_sfnt.py checks every function against
fontTools on the shipped fonts.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

Tables = dict[str, tuple[int, int, int]]     # tag → (offset, length, checksum)


@contextmanager
def mapped(path: Path) -> Iterator[bytes | mmap.mmap]:
    """The font file's bytes, mapped rather than read: the tables paiban reads are a small
    part of a 4–11 MB CJK face (reading the whole extension face took 4 ms)."""
    with open(path, "rb") as handle:
        try:
            data: bytes | mmap.mmap = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):       # no mapping here (an empty file …): read it
            data = handle.read()
    try:
        yield data
    finally:
        if isinstance(data, mmap.mmap):
            data.close()


def tables(data: bytes) -> Tables:
    """The table directory of an sfnt file (a single font, not a collection)."""
    count = struct.unpack_from(">H", data, 4)[0]
    found = {}
    for i in range(count):
        tag, checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        found[tag.decode("latin-1")] = (offset, length, checksum)
    return found


def cmap(data: bytes, offset: int) -> dict[int, int]:
    """Code point → glyph id from the best Unicode subtable (format 12, else format 4),
    in fontTools' order of preference (`TTFont.getBestCmap`)."""
    count = struct.unpack_from(">H", data, offset + 2)[0]
    records = {}
    for i in range(count):
        platform, encoding, sub = struct.unpack_from(">HHI", data, offset + 4 + 8 * i)
        records[(platform, encoding)] = offset + sub
    for key in ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0)):
        if key not in records:
            continue
        start = records[key]
        fmt = struct.unpack_from(">H", data, start)[0]
        if fmt == 12:
            count = struct.unpack_from(">I", data, start + 12)[0]
            groups = struct.unpack_from(f">{3 * count}I", data, start + 16)
            firsts, lasts, gids = groups[0::3], groups[1::3], groups[2::3]
            if firsts == lasts:          # one character a group (CJK faces): all in C
                return dict(zip(firsts, gids))
            found: dict[int, int] = {}
            for first, last, gid in zip(firsts, lasts, gids):
                if first == last:
                    found[first] = gid
                else:
                    found.update(zip(range(first, last + 1),
                                     range(gid, gid + last - first + 1)))
            return found
        if fmt == 4:
            return _cmap4(data, start)
    raise ValueError("no Unicode cmap subtable (format 4 or 12)")


def _cmap4(data: bytes, start: int) -> dict[int, int]:
    segments = struct.unpack_from(">H", data, start + 6)[0] // 2
    base = start + 14
    ends = struct.unpack_from(f">{segments}H", data, base)
    starts = struct.unpack_from(f">{segments}H", data, base + 2 * segments + 2)
    deltas = struct.unpack_from(f">{segments}h", data, base + 4 * segments + 2)
    range_base = base + 6 * segments + 2
    ranges = struct.unpack_from(f">{segments}H", data, range_base)
    found: dict[int, int] = {}
    for i in range(segments):
        first, last, delta, range_offset = starts[i], ends[i], deltas[i], ranges[i]
        if first == 0xFFFF:
            continue
        if range_offset == 0:
            for code in range(first, last + 1):
                gid = (code + delta) & 0xFFFF
                if gid:
                    found[code] = gid
            continue
        at = range_base + 2 * i + range_offset
        for code, gid in zip(range(first, last + 1),
                             struct.unpack_from(f">{last - first + 1}H", data, at)):
            if gid:
                gid = (gid + delta) & 0xFFFF
                if gid:
                    found[code] = gid
    return found


def _decode_name(raw: bytes, platform: int, encoding: int) -> str | None:
    if platform in (0, 3):
        return raw.decode("utf-16-be", errors="replace")
    if platform == 1 and encoding == 0:
        return raw.decode("mac_roman")
    return None


def name(data: bytes, offset: int, name_id: int = 6) -> str:
    """A `name` record, English if there is one (fontTools' `getDebugName`), else ''."""
    count, strings = struct.unpack_from(">HH", data, offset + 2)
    some = ""
    for i in range(count):
        platform, encoding, language, nid, length, at = struct.unpack_from(
            ">HHHHHH", data, offset + 6 + 12 * i)
        if nid != name_id:
            continue
        start = offset + strings + at
        text = _decode_name(data[start:start + length], platform, encoding)
        if text is None:
            continue
        some = text
        if (platform, language) in ((1, 0), (3, 0x409)):
            return text
    return some


def upem(data: bytes, found: Tables) -> int:
    return struct.unpack_from(">H", data, found["head"][0] + 18)[0]


def glyph_count(data: bytes, found: Tables) -> int:
    return struct.unpack_from(">H", data, found["maxp"][0] + 4)[0]


def advances(data: bytes, found: Tables) -> list[int]:
    """Advance width of every glyph, in font units (`hmtx`, the last one repeated)."""
    metrics_count = struct.unpack_from(">H", data, found["hhea"][0] + 34)[0]
    pairs = struct.unpack_from(f">{2 * metrics_count}H", data, found["hmtx"][0])
    widths = list(pairs[0::2])
    widths += [widths[-1]] * (glyph_count(data, found) - metrics_count)
    return widths


def glyph_offsets(data: bytes, found: Tables) -> list[int]:
    """Where each glyph starts in `glyf` (one more entry than glyphs: the end)."""
    glyphs = glyph_count(data, found)
    loca = found["loca"][0]
    if struct.unpack_from(">h", data, found["head"][0] + 50)[0]:
        return list(struct.unpack_from(f">{glyphs + 1}I", data, loca))
    return [2 * v for v in struct.unpack_from(f">{glyphs + 1}H", data, loca)]


def x_bounds(data: bytes, found: Tables, offsets: list[int], gid: int) -> tuple[int, int] | None:
    """(xMin, xMax) of a glyph's outline from its `glyf` header; None for an empty glyph."""
    if gid + 1 >= len(offsets) or offsets[gid + 1] <= offsets[gid]:
        return None
    at = found["glyf"][0] + offsets[gid]
    contours, x_min, _, x_max = struct.unpack_from(">hhhh", data, at)
    return (x_min, x_max) if contours else None


def _coverage(data: bytes, at: int) -> list[int]:
    """The glyph ids of an OpenType coverage table, in coverage index order."""
    fmt, count = struct.unpack_from(">HH", data, at)
    if fmt == 1:
        return list(struct.unpack_from(f">{count}H", data, at + 4))
    glyphs: list[int] = []
    for first, last, _ in struct.iter_unpack(">HHH", data[at + 4:at + 4 + 6 * count]):
        glyphs.extend(range(first, last + 1))
    return glyphs


def _single_substitution(data: bytes, at: int) -> dict[int, int]:
    fmt, coverage = struct.unpack_from(">HH", data, at)
    glyphs = _coverage(data, at + coverage)
    if fmt == 1:
        delta = struct.unpack_from(">h", data, at + 4)[0]
        return {gid: (gid + delta) & 0xFFFF for gid in glyphs}
    count = struct.unpack_from(">H", data, at + 4)[0]
    return dict(zip(glyphs, struct.unpack_from(f">{count}H", data, at + 6)))


def feature_substitutions(data: bytes, found: Tables, feature: str = "vert") -> dict[int, int]:
    """Glyph id → glyph id of the single substitutions (GSUB lookup type 1, or type 7
    extensions of it) of every lookup a `feature` record uses, later lookups winning."""
    if "GSUB" not in found:
        return {}
    gsub = found["GSUB"][0]
    feature_list, lookup_list = struct.unpack_from(">HH", data, gsub + 6)
    if not feature_list:
        return {}
    features = gsub + feature_list
    indices: set[int] = set()
    for i in range(struct.unpack_from(">H", data, features)[0]):
        tag, at = struct.unpack_from(">4sH", data, features + 2 + 6 * i)
        if tag.decode("latin-1") != feature:
            continue
        count = struct.unpack_from(">H", data, features + at + 2)[0]
        indices.update(struct.unpack_from(f">{count}H", data, features + at + 4))
    lookups = gsub + lookup_list
    mapping: dict[int, int] = {}
    for index in sorted(indices):
        lookup = lookups + struct.unpack_from(">H", data, lookups + 2 + 2 * index)[0]
        kind, _, count = struct.unpack_from(">HHH", data, lookup)
        for sub in struct.unpack_from(f">{count}H", data, lookup + 6):
            at = lookup + sub
            sub_kind = kind
            if kind == 7:               # extension: the real subtable is further on
                sub_kind, offset = struct.unpack_from(">HI", data, at + 2)
                at += offset
            if sub_kind == 1:
                mapping.update(_single_substitution(data, at))
    return mapping
