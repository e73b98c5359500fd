"""PDF/X documents from drawn pages: fonts, images, output intent, metadata.

A `PdfDocument` is a page file or the edition: it takes drawn pages (content
streams already compressed, see `layout.render.pdf`) and writes each font once, as
a subset of the glyphs its pages use, when the document is finished. The PDF/X
parts (reference §5, R45) are written with the document, not patched in later:

- PDF/X-1a:2001 (default): PDF 1.3; /GTS_PDFXVersion `PDF/X-1:2001` and
  /GTS_PDFXConformance `PDF/X-1a:2001`; an output intent naming the registered
  characterization (`IFRA26` in the ICC registry, http://www.color.org) — a
  registered condition needs no embedded profile; when the style names the
  plant's ICC profile it is embedded as /DestOutputProfile as well.
- PDF/X-4 (when the style supplies an ICC profile): PDF 1.6, the profile embedded,
  /GTS_PDFXVersion `PDF/X-4` in the document information and in XMP metadata.

Both: /Trapped /False, fixed creation dates, and a document ID derived from the
written bytes, so the same pages give byte-identical files.

Fonts are Type 0 fonts with a CIDFontType2 descendant (Identity-H): a code is a
two-byte CID, and the CID of a character of the Basic Multilingual Plane is its
code point, so a run's codes are its text encoded as UTF-16BE (no lookup per
character), and they are the same in every file whichever subset it embeds. Each
file's CIDToGIDMap maps the CIDs it uses to the font's glyph ids. Characters beyond
the BMP and glyphs drawn in place of a character (vertical forms) get CIDs from the
surrogate range D800–DFFF, which no character occupies, assigned once per build.
Each subset's tag is derived from the font and its glyphs (`TrueTypeFont.tag`),
unique within the file (ISO 32000-1 §9.6.4).
"""

from __future__ import annotations

import hashlib
import struct
import sys
import zlib
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import BinaryIO

from layout.display import PrintSetup
from layout.render.pdfwriter import PdfWriter, num, pdf_name, pdf_string
from layout.render.truetype import TrueTypeFont

_VERSIONS = {
    # pdfx setting: (PDF version, GTS_PDFXVersion, GTS_PDFXConformance)
    "PDF/X-1a:2001": ("1.3", "PDF/X-1:2001", "PDF/X-1a:2001"),
    "PDF/X-4": ("1.6", "PDF/X-4", None),
    # A proof (校样, `paiban proof`): not for press, so no PDF/X keys and no output intent.
    "": ("1.6", None, None),
}
# Fixed dates keep builds byte-identical (what ReportLab's invariant mode wrote).
_DATE = "D:20000101000000+00'00'"
_XMP_DATE = "2000-01-01T00:00:00+00:00"
# Font programs in the edition: level 1 takes 4.6 ms for a 300 KB subset, level 6 8.1 ms, for
# a file 7 % larger (still under the floor's size).
_FONT_LEVEL = 1
# The registration colour: a separation named All paints every plate at the tint.
_REGISTRATION = ("[/Separation /All /DeviceCMYK << /FunctionType 2 /Domain [0 1] "
                 "/C0 [0 0 0 0] /C1 [1 1 1 1] /N 1 >>]")


@dataclass(frozen=True, slots=True)
class DrawnPage:
    """One page drawn: its compressed content stream and the resources it names."""

    content: bytes
    media: tuple[float, float, float, float]
    trim: tuple[float, float, float, float]
    bleed: tuple[float, float, float, float]
    fonts: dict[str, Path]                  # resource name → font file
    cids: dict[Path, set[str]]              # font file → CIDs used, as characters
    images: dict[str, Path]                 # resource name → JPEG file
    states: tuple[str, ...]                 # overprint ExtGStates, GS<fill><stroke>
    registration: bool                      # uses the /All separation
    annots: tuple[str, ...] = ()            # annotation dictionaries (proofs only)


class FontCodes:
    """The CIDs of one font that are not code points, assigned once per build, and the
    glyph of every CID (an array indexed by CID, so a file's glyphs are looked up in C)."""

    FIRST, LAST = 0xD800, 0xDFFF

    def __init__(self, font: TrueTypeFont):
        self.font = font
        self._of_char: dict[str, str] = {}           # character beyond the BMP → CID
        self._of_glyph: dict[int, str] = {}          # substituted glyph id → CID
        self._meaning: dict[int, tuple[int, str]] = {}   # CID → (glyph id, character)
        self._gids: array | None = None               # CID → glyph id

    @property
    def gid_table(self) -> array:
        if self._gids is None:
            self._gids = self.font.bmp_glyphs()
            for cid, (gid, _) in self._meaning.items():
                self._gids[cid] = gid
        return self._gids

    def _assign(self, gid: int, char: str) -> str:
        cid = self.FIRST + len(self._meaning)
        if cid > self.LAST:
            raise ValueError(f"{self.font.path}: more than 2,048 characters beyond the BMP "
                             "and vertical forms in one build")
        self._meaning[cid] = (gid, char)
        if self._gids is not None:
            self._gids[cid] = gid
        return chr(cid)

    def cids(self, text: str, glyphs: tuple[int, ...] = ()) -> str:
        """The run's CIDs (as characters): its text, where a glyph replaces a character
        or a character lies beyond the BMP, that glyph's or character's own CID."""
        out = []
        for index, ch in enumerate(text):
            gid = glyphs[index] if index < len(glyphs) else 0
            if gid:
                cid = self._of_glyph.get(gid)
                if cid is None:
                    cid = self._of_glyph[gid] = self._assign(gid, ch)
                out.append(cid)
            elif ch > "\uffff":
                cid = self._of_char.get(ch)
                if cid is None:
                    cid = self._of_char[ch] = self._assign(self.font.cmap.get(ord(ch), 0), ch)
                out.append(cid)
            else:
                out.append(ch)
        return "".join(out)

    def gids(self, cids: list[int]) -> list[int]:
        """The glyph id of each CID."""
        return list(map(self.gid_table.__getitem__, cids))

    def meaning(self, cid: int) -> tuple[int, str]:
        """(glyph id, character) of a CID."""
        found = self._meaning.get(cid)
        if found is None:
            return self.font.cmap.get(cid, 0), chr(cid)
        return found


def _jpeg_facts(data: bytes) -> tuple[int, int, int]:
    """(width, height, components) from a JPEG's frame header."""
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            break
        marker = data[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        length = struct.unpack_from(">H", data, at + 2)[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width, components = struct.unpack_from(">HHB", data, at + 5)
            return width, height, components
        at += 2 + length
    raise ValueError("not a JPEG file (no frame header)")


class Assets:
    """What one build's documents share: parsed fonts, their code tables, photos."""

    def __init__(self) -> None:
        self._fonts: dict[Path, TrueTypeFont] = {}
        self._codes: dict[Path, FontCodes] = {}
        self._images: dict[Path, tuple[bytes, int, int, int, bytes]] = {}

    def font(self, path: Path) -> TrueTypeFont:
        found = self._fonts.get(path)
        if found is None:
            found = self._fonts[path] = TrueTypeFont(path)
        return found

    def codes(self, path: Path) -> FontCodes:
        found = self._codes.get(path)
        if found is None:
            found = self._codes[path] = FontCodes(self.font(path))
        return found

    def image(self, path: Path) -> tuple[bytes, int, int, int, bytes]:
        """A JPEG's bytes, width, height, components and digest."""
        found = self._images.get(path)
        if found is None:
            data = path.read_bytes()
            try:
                found = (data, *_jpeg_facts(data), hashlib.sha1(data).digest())
            except (ValueError, struct.error) as exc:
                raise ValueError(f"{path}: {exc}; photos reach the PDF as CMYK JPEG files") \
                    from None
            self._images[path] = found
        return found

    def image_size(self, path: Path) -> tuple[int, int]:
        _, width, height, _, _ = self.image(path)
        return width, height


def _box(box: tuple[float, ...]) -> str:
    return "[" + " ".join(num(v) for v in box) + "]"


def _utf16(text: str) -> str:
    return text.encode("utf-16-be", "surrogatepass").hex().upper()


# Every CID of the Basic Multilingual Plane is its character, except the surrogate range,
# where the CIDs assigned per build live (a bfrange may not cross a change of its first byte).
_IDENTITY_RANGES = tuple(f"<{high:02X}00> <{high:02X}FF> <{high:02X}00>"
                         for high in range(256) if not 0xD8 <= high <= 0xDF)


def _to_unicode(cids: list[int], codes: FontCodes) -> bytes:
    """The ToUnicode CMap: each CID to its character (UTF-16, surrogate pairs beyond
    the BMP, reference/fonts.md §4). A CID is its own character's code point, so ranges
    of the identity cover them all (the same CMap for every font and file, compressed
    once a build) and only the CIDs assigned in the surrogate range need entries."""
    first = bisect_left(cids, FontCodes.FIRST)
    special = cids[first:bisect_right(cids, FontCodes.LAST)]
    if not special:
        return _identity_to_unicode()
    entries = [f"<{cid:04X}> <{_utf16(codes.meaning(cid)[1])}>" for cid in special]
    return zlib.compress(_cmap("Paiban-Identity-Plus-UCS", entries), 1)


@cache
def _identity_to_unicode() -> bytes:
    return zlib.compress(_cmap("Paiban-Identity-UCS", []), 1)


def _cmap(name: str, chars: list[str]) -> bytes:
    blocks = []
    for kind, entries in (("bfrange", _IDENTITY_RANGES), ("bfchar", chars)):
        for start in range(0, len(entries), 100):     # at most 100 entries per block
            chunk = entries[start:start + 100]
            blocks.append(f"{len(chunk)} begin{kind}\n" + "\n".join(chunk) + f"\nend{kind}")
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        f"/CMapName /{name} def", "/CMapType 2 def",
        "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange", *blocks,
        "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ]).encode("latin-1")


def _widths(cids: list[int], gids: list[int], font: TrueTypeFont) -> str:
    """The /W array for CIDs whose advance is not the default 1000 (an advance of one em)."""
    advances = font.advances
    upem = font.upem
    last = len(advances) - 1
    parts: list[str] = []
    run: list[str] = []
    first = previous = -2
    for cid, gid in zip(cids, gids):
        advance = advances[gid if gid <= last else last]
        if advance == upem:
            continue
        if cid != previous + 1 and run:
            parts.append(f"{first} [{' '.join(run)}]")
            run = []
        if not run:
            first = cid
        run.append(num(advance * 1000 / upem))
        previous = cid
    if run:
        parts.append(f"{first} [{' '.join(run)}]")
    return " ".join(parts)


def _cid_to_gid(cids: list[int], gids: list[int]) -> bytes:
    table = array("H", bytes(2 * (cids[-1] + 1) if cids else 2))
    for cid, gid in zip(cids, gids):
        table[cid] = gid
    if sys.byteorder == "little":
        table.byteswap()
    return table.tobytes()


class PdfDocument:
    """One PDF/X file being written: add drawn pages, then finish."""

    def __init__(self, out: BinaryIO, press: PrintSetup, title: str, author: str,
                 assets: Assets, compress_fonts: bool = True):
        self.press = press
        self.title = title
        self.author = author
        self.assets = assets
        self.compress_fonts = compress_fonts
        self.writer = PdfWriter(out, _VERSIONS[press.pdfx][0])
        self.pages_id = self.writer.reserve()
        self.page_ids: list[int] = []
        self.font_ids: dict[Path, int] = {}
        self.cids: dict[Path, set[str]] = {}
        self.image_ids: dict[Path, int] = {}
        self.to_unicode_ids: dict[bytes, int] = {}

    def _font_id(self, path: Path) -> int:
        found = self.font_ids.get(path)
        if found is None:
            found = self.font_ids[path] = self.writer.reserve()
        return found

    def _to_unicode_id(self, data: bytes) -> int:
        """A ToUnicode stream, written once a file when fonts share it (the identity)."""
        found = self.to_unicode_ids.get(data)
        if found is None:
            found = self.to_unicode_ids[data] = self.writer.stream(" /Filter /FlateDecode",
                                                                   data)
        return found

    def _image_id(self, path: Path) -> int:
        found = self.image_ids.get(path)
        if found is None:
            data, width, height, components, digest = self.assets.image(path)
            space = {1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}[components]
            # A four-component JPEG from Pillow (and Photoshop) stores inverted CMYK
            # under an Adobe marker: Decode flips it back.
            decode = " /Decode [1 0 1 0 1 0 1 0]" if components == 4 else ""
            found = self.image_ids[path] = self.writer.stream(
                f" /Type /XObject /Subtype /Image /Width {width} /Height {height} "
                f"/ColorSpace {space} /BitsPerComponent 8 /Filter /DCTDecode{decode}", data,
                identity=digest)
        return found

    def add_page(self, page: DrawnPage) -> None:
        writer = self.writer
        content = writer.stream(" /Filter /FlateDecode", page.content)
        for path, cids in page.cids.items():
            self.cids.setdefault(path, set()).update(cids)
        resources = ["/ProcSet [/PDF /Text /ImageB /ImageC]"]
        if page.fonts:
            resources.append("/Font << " + " ".join(
                f"/{name} {self._font_id(path)} 0 R"
                for name, path in sorted(page.fonts.items())) + " >>")
        if page.images:
            resources.append("/XObject << " + " ".join(
                f"/{name} {self._image_id(path)} 0 R"
                for name, path in sorted(page.images.items())) + " >>")
        if page.states:
            resources.append("/ExtGState << " + " ".join(
                f"/{name} << /Type /ExtGState /op {str(name[2] == '1').lower()} "
                f"/OP {str(name[3] == '1').lower()} /OPM 1 >>" for name in page.states) + " >>")
        if page.registration:
            resources.append(f"/ColorSpace << /All {_REGISTRATION} >>")
        annots = ""
        if page.annots:
            annots = " /Annots [" + " ".join(f"{writer.add(a)} 0 R" for a in page.annots) + "]"
        self.page_ids.append(writer.add(
            f"<< /Type /Page /Parent {self.pages_id} 0 R /MediaBox {_box(page.media)} "
            f"/TrimBox {_box(page.trim)} /BleedBox {_box(page.bleed)} "
            f"/Resources << {' '.join(resources)} >> /Contents {content} 0 R{annots} >>"))

    def _write_font(self, path: Path, number: int, tags: set[str]) -> None:
        writer = self.writer
        codes = self.assets.codes(path)
        font = codes.font
        cids = sorted(map(ord, self.cids[path]))
        gids = codes.gids(cids)
        used = font.closure(gids)
        salt = 0
        tag = font.tag(used)
        while tag in tags:
            salt += 1
            tag = font.tag(used, salt)
        tags.add(tag)
        name = pdf_name(f"{tag}+{font.name}")
        program = font.subset(used, closed=True)
        # The tag names the font and its glyphs, so it identifies the program.
        identity = f"{name} {len(program)}".encode()
        if self.compress_fonts:
            program_id = writer.stream(f" /Length1 {len(program)} /Filter /FlateDecode",
                                       zlib.compress(program, _FONT_LEVEL), identity=identity)
        else:
            program_id = writer.stream(f" /Length1 {len(program)}", program,
                                       identity=identity)
        to_unicode = self._to_unicode_id(_to_unicode(cids, codes))
        cid_to_gid = writer.stream(" /Filter /FlateDecode",
                                   zlib.compress(_cid_to_gid(cids, gids), 1))
        scale = 1000 / font.upem
        flags = 4 | (1 if font.fixed else 0)          # symbolic; fixed pitch
        stem = 50 + int((font.weight / 65) ** 2)
        descriptor = writer.add(
            f"<< /Type /FontDescriptor /FontName {name} /Flags {flags} "
            f"/FontBBox {_box(tuple(v * scale for v in font.bbox))} "
            f"/ItalicAngle {num(font.italic)} /Ascent {num(font.ascent * scale)} "
            f"/Descent {num(font.descent * scale)} /CapHeight {num(font.cap_height * scale)} "
            f"/StemV {stem} /FontFile2 {program_id} 0 R >>")
        cid_font = writer.add(
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont {name} "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            f"/FontDescriptor {descriptor} 0 R /DW 1000 "
            f"/W [{_widths(cids, gids, font)}] /CIDToGIDMap {cid_to_gid} 0 R >>")
        writer.add(f"<< /Type /Font /Subtype /Type0 /BaseFont {name} /Encoding /Identity-H "
                   f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>", number)

    def finish(self) -> None:
        writer = self.writer
        press = self.press
        tags: set[str] = set()
        for path, number in self.font_ids.items():
            self._write_font(path, number, tags)
        writer.add(f"<< /Type /Pages /Count {len(self.page_ids)} /Kids ["
                   + " ".join(f"{n} 0 R" for n in self.page_ids) + "] >>", self.pages_id)
        _, pdfx_version, conformance = _VERSIONS[press.pdfx]
        if pdfx_version is None:          # a proof: a plain PDF
            root = writer.add(f"<< /Type /Catalog /Pages {self.pages_id} 0 R >>")
            writer.close(root, writer.add(
                f"<< /Title {pdf_string(self.title)} /Author {pdf_string(self.author)} "
                f"/Creator (paiban) /Producer (paiban) /CreationDate ({_DATE}) >>"))
            return
        identifier = press.output_condition_identifier
        intent = [f"/Type /OutputIntent /S /GTS_PDFX "
                  f"/OutputConditionIdentifier {pdf_string(identifier)} "
                  f"/Info {pdf_string(press.output_condition or identifier)}"]
        if press.registry_name:
            intent.append(f"/RegistryName {pdf_string(press.registry_name)}")
        if press.output_condition:
            intent.append(f"/OutputCondition {pdf_string(press.output_condition)}")
        if press.icc_profile is not None:
            profile = writer.stream(" /N 4 /Filter /FlateDecode",
                                    zlib.compress(press.icc_profile.read_bytes()))
            intent.append(f"/DestOutputProfile {profile} 0 R")
        intent_id = writer.add("<< " + " ".join(intent) + " >>")
        catalog = [f"/Type /Catalog /Pages {self.pages_id} 0 R "
                   f"/OutputIntents [{intent_id} 0 R]"]
        if press.pdfx == "PDF/X-4":
            # The content so far names the document (the trailer ID hashes all of it).
            content_id = _uuid(writer.digest.hexdigest())
            metadata = _xmp(self.title, self.author, pdfx_version, content_id)
            catalog.append(f"/Metadata {writer.stream(' /Type /Metadata /Subtype /XML', metadata)}"
                           " 0 R")
        root = writer.add("<< " + " ".join(catalog) + " >>")
        info = [f"/Title {pdf_string(self.title)}", f"/Author {pdf_string(self.author)}",
                "/Creator (paiban)", "/Producer (paiban)", f"/CreationDate ({_DATE})",
                f"/ModDate ({_DATE})", f"/GTS_PDFXVersion {pdf_string(pdfx_version)}"]
        if conformance:
            info.append(f"/GTS_PDFXConformance {pdf_string(conformance)}")
        info.append("/Trapped /False")
        writer.close(root, writer.add("<< " + " ".join(info) + " >>"))


def _escape(text: str) -> str:
    # xml.sax.saxutils would import urllib and http for this (30 ms).
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _uuid(digest: str) -> str:
    """A UUID's text form of a 128-bit hex digest (the uuid module costs 2 ms to import)."""
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


def _xmp(title: str, author: str, pdfx_version: str, content_id: str) -> bytes:
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_escape(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{_escape(author)}</rdf:li></rdf:Seq></dc:creator>
   <xmp:CreateDate>{_XMP_DATE}</xmp:CreateDate>
   <xmp:ModifyDate>{_XMP_DATE}</xmp:ModifyDate>
   <xmp:MetadataDate>{_XMP_DATE}</xmp:MetadataDate>
   <xmp:CreatorTool>paiban</xmp:CreatorTool>
   <pdf:Producer>paiban</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>uuid:{content_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{content_id}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>{pdfx_version}</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()
