"""Draw display lists into a PDF with ReportLab (the only module that imports it).

ReportLab provides the document structure, font embedding (it subsets every
TrueType font again on save) and images. Text is written as raw operators: one
text matrix and one character spacing per run, TJ numbers only where a glyph
deviates, and subset codes assigned once per document so a run becomes bytes by
`str.translate` (reference/performance.md, techniques 1, 4 and 5).

Print output (reference §5): every page has a TrimBox of the trim size and a
BleedBox (the trim plus the bleed); with marks the MediaBox grows to carry crop
and registration marks, drawn in the registration colour (`/Separation /All`,
which PDF/X-1a allows and every RIP prints on all plates). The display list is
relative to the trim's top-left corner, so the page content is shifted by the
margin once. Black (0 0 0 1) text up to the style's size and black rules up to
its weight overprint (ExtGState /op or /OP true with /OPM 1). `layout.render.pdfx`
then makes the file PDF/X.
"""

from __future__ import annotations

import hashlib
import io
import marshal
import math
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.lib.colors import CMYKColorSep
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

from layout import cache as build_cache
from layout.display import BLACK, GlyphRun, Image, PageLayout, PrintSetup, Rect, Rule
from layout.render.pdfx import finish_pdfx, merge_pdfx
from layout.units import mm

# Crop marks start this far outside the trim (and never inside the bleed) and are this long;
# the MediaBox leaves a little paper beyond them.
MARK_OFFSET = mm(3)
MARK_LENGTH = mm(6)
MARK_WEIGHT = 0.25
MARK_SLUG = mm(2)
# The registration colour: a separation named All paints every plate. alpha=None keeps
# ReportLab from writing an opacity (which would make the file PDF 1.4 and "transparent").
REGISTRATION = CMYKColorSep(1, 1, 1, 1, spotName="All", density=1, alpha=None)


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """ReportLab's ToUnicode CMap, with UTF-16 surrogate pairs outside the BMP.

    ReportLab writes "<%04X>" % codepoint, so U+2003E extracts as U+2003
    (reference/fonts.md §4).
    """
    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()

    face = fontname.split("+", 1)[-1]
    entries = [f"<{i:02X}> <{utf16(_ACTUAL_TEXT.get((face, v), v))}>"
               for i, v in enumerate(subset)]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({fontname})", f"/Ordering ({fontname})",
        "/Supplement 0", ">> def", f"/CMapName /{fontname} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(subset)} beginbfchar", *entries, "endbfchar", "endcmap",
        "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


ttfonts.makeToUnicodeCMap = _to_unicode_cmap

# Rendered pages are cached by display list; a change to the renderer or the PDF/X
# finishing must miss.
_RENDERER_ID = hashlib.sha1(Path(__file__).read_bytes() + Path(finish_pdfx.__code__.co_filename)
                            .read_bytes()).hexdigest()

# Glyphs drawn in place of a character (vertical forms) get a private-use code in
# ReportLab's face, the way its own HarfBuzz path does; ToUnicode maps the code back
# to the original character so the text extracts as written (reference/fonts.md §6).
_ACTUAL_TEXT: dict[tuple[str, int], int] = {}       # (face name, private code) → character
_SUBSTITUTE: dict[tuple[str, int], str] = {}        # (font name, glyph id) → private code
_NEXT_PRIVATE: dict[str, int] = {}


def _substitute(font: ttfonts.TTFont, gid: int, original: str) -> str:
    key = (font.fontName, gid)
    if key not in _SUBSTITUTE:
        face = font.face
        code = _NEXT_PRIVATE.get(font.fontName, 0xE000)
        while code in face.charToGlyph:
            code += 1
        _NEXT_PRIVATE[font.fontName] = code + 1
        face.charToGlyph[code] = gid
        face.charWidths[code] = face.hmetrics[gid][0] * 1000 / face.unitsPerEm
        _ACTUAL_TEXT[(face.name.decode("latin-1"), code)] = ord(original)
        _SUBSTITUTE[key] = chr(code)
    return _SUBSTITUTE[key]


def _drawn_text(run: GlyphRun, fonts: dict[str, ttfonts.TTFont]) -> str:
    """The characters whose codes draw the run: substitutes where the run names a glyph."""
    if not run.glyphs:
        return run.text
    font = fonts[run.font]
    return "".join(_substitute(font, gid, ch) if gid else ch
                   for ch, gid in zip(run.text, run.glyphs))


_NAME_FIELDS = ("name", "familyName", "styleName", "fullName", "uniqueFontID")


@cache
def _font(path: Path) -> ttfonts.TTFont:
    name = f"paiban-{path.stem}"
    font = _cached_font(name, path)
    pdfmetrics.registerFont(font)
    return font


def _cached_font(name: str, path: Path) -> ttfonts.TTFont:
    """ReportLab's parsed face, kept as marshal data in paiban's cache.

    ReportLab parses a 9,000-glyph TrueType font in pure Python, about 50 ms a face
    (200 ms for the four of a page); marshal reads the parsed face back in under 10 ms.
    The key holds ReportLab's version, so a new ReportLab parses afresh.
    """
    stat = path.stat()
    key = (f"{reportlab.Version}|{sys.version_info[:2]}|{path.resolve()}|{stat.st_size}|"
           f"{stat.st_mtime_ns}")
    parsed: list[ttfonts.TTFont] = []

    def parse() -> bytes:
        # shapable=False: ReportLab's behaviour must not change when uharfbuzz is installed.
        font = ttfonts.TTFont(name, str(path), shapable=False)
        parsed.append(font)
        return marshal.dumps({k: v for k, v in vars(font.face).items() if k != "_pdfScale"})

    raw = build_cache.get_bytes("rlface", key, parse, suffix=".marshal")
    if parsed:
        return parsed[0]
    data = marshal.loads(raw)
    if isinstance(data, dict) and "unitsPerEm" in data:
        face = ttfonts.TTFontFace.__new__(ttfonts.TTFontFace)
        face.__dict__.update(data)
        for field in _NAME_FIELDS:
            if isinstance(data.get(field), bytes):
                setattr(face, field, ttfonts.TTFNameBytes(data[field]))
        upem = face.unitsPerEm
        face._pdfScale = (lambda x: x) if upem == 1000 else (lambda x, k=1000 / upem: x * k)
        font = ttfonts.TTFont.__new__(ttfonts.TTFont)
        font.fontName = name
        font.face = face
        font.encoding = ttfonts.TTEncoding()
        font.state = WeakKeyDictionary()
        font._asciiReadable = rl_config.ttfAsciiReadable
        font.shapable = False
        return font
    raise ValueError(f"cached ReportLab face of {path} has no unitsPerEm")


def _num(value: float) -> str:
    # round() and float repr run in C: three times faster than formatting and stripping.
    return repr(round(value, 3))


class _FontCodes:
    """Subset and byte code of every character of one font, assigned once per document."""

    def __init__(self, font: ttfonts.TTFont, canvas: Canvas, counts: Counter):
        doc = canvas._doc
        # Most frequent characters first, so that most runs stay in subset 0 (fewer Tf).
        ordered = "".join(sorted(counts, key=lambda ch: (-counts[ch], ch)))
        hex_codes: dict[int, str] = {}
        subset_of: dict[int, str] = {}
        offset = 0
        for subset, codes in font.splitString(ordered, doc):
            for char, code in zip(ordered[offset:offset + len(codes)], codes):
                hex_codes[ord(char)] = f"{code:02X}"
                subset_of[ord(char)] = chr(0x30 + subset)
            offset += len(codes)
        self.hex = str.maketrans(hex_codes)
        self.subset = str.maketrans(subset_of)
        self.names = {chr(0x30 + s): font.getSubsetInternalName(s, doc)
                      for s in range(len(font.state[doc].subsets))}


_SAME = re.compile(r"(.)\1*", re.S)


class _TextWriter:
    """Writes the text operators of consecutive glyph runs inside one BT … ET."""

    def __init__(self, height: float, codes: dict[str, _FontCodes],
                 fonts: dict[str, ttfonts.TTFont]):
        self.height = height
        self.codes = codes
        self.fonts = fonts
        self.ops: list[str] = []
        self.font: tuple[str, float] | None = None
        self.tracking = 0.0
        self.color: tuple[float, ...] | None = None

    def run(self, run: GlyphRun) -> None:
        ops = self.ops
        if run.color != self.color:
            ops.append(" ".join(map(_num, run.color)) + " k")
            self.color = run.color
        if abs(run.tracking - self.tracking) > 1e-6:
            ops.append(f"{_num(run.tracking)} Tc")
            self.tracking = run.tracking
        if run.rotate:
            a, b = math.cos(math.radians(run.rotate)), math.sin(math.radians(run.rotate))
            ops.append(f"{_num(a)} {_num(b)} {_num(-b)} {_num(a)} {_num(run.x)} "
                       f"{_num(self.height - run.y)} Tm")
        else:
            ops.append(f"1 0 0 1 {_num(run.x)} {_num(self.height - run.y)} Tm")
        codes = self.codes[run.font]
        text = _drawn_text(run, self.fonts) if run.glyphs else run.text
        subsets = text.translate(codes.subset)
        hexes = text.translate(codes.hex)
        adjust = dict(run.adjust)
        scale = -1000.0 / run.size
        start = 0
        for match in _SAME.finditer(subsets):
            end = match.end()
            font_key = (codes.names[match.group(1)], run.size)
            if font_key != self.font:
                ops.append(f"{font_key[0]} {_num(run.size)} Tf")
                self.font = font_key
            inside = [j for j in adjust if start < j < end]
            if not inside:
                if start in adjust and start:
                    ops.append(f"[{_num(adjust[start] * scale)} <{hexes[2 * start:2 * end]}>] TJ")
                else:
                    ops.append(f"<{hexes[2 * start:2 * end]}> Tj")
            else:
                parts = []
                if start in adjust and start:
                    parts.append(_num(adjust[start] * scale))
                cut = start
                for j in sorted(inside):
                    parts.append(f"<{hexes[2 * cut:2 * j]}>")
                    parts.append(_num(adjust[j] * scale))
                    cut = j
                parts.append(f"<{hexes[2 * cut:2 * end]}>")
                ops.append(f"[{' '.join(parts)}] TJ")
            start = end

    def flush(self) -> str:
        text = "BT\n" + "\n".join(self.ops) + "\nET" if self.ops else ""
        self.ops = []
        self.font = None
        self.tracking = 0.0
        self.color = None
        return text


def _image_reader(path: Path) -> ImageReader:
    reader = ImageReader(str(path))
    if reader.jpeg_fh() is not None:
        # A JPEG goes into the PDF as it is, but ReportLab names the image by a digest of its
        # decoded pixels; the file's bytes identify it as well and need no decoding (the
        # name stays independent of where the photo cache is).
        reader._data = path.read_bytes()
        reader._dataA = None
    return reader


def _draw_image(canvas: Canvas, item: Image, height: float) -> None:
    reader = _image_reader(item.path)
    px_w, px_h = reader.getSize()
    scale = max(item.w / px_w, item.h / px_h)      # cover the box, crop the rest
    w, h = px_w * scale, px_h * scale
    x = item.x + (item.w - w) / 2
    y = height - item.y - item.h + (item.h - h) / 2
    canvas.saveState()
    path = canvas.beginPath()
    path.rect(item.x, height - item.y - item.h, item.w, item.h)
    canvas.clipPath(path, stroke=0, fill=0)
    canvas.drawImage(reader, x, y, w, h)
    canvas.restoreState()


def _char_counts(pages: Iterable[PageLayout],
                 fonts: dict[str, ttfonts.TTFont]) -> dict[str, Counter]:
    counts: dict[str, Counter] = {}
    for page in pages:
        for item in page.items:
            if isinstance(item, GlyphRun):
                counts.setdefault(item.font, Counter()).update(_drawn_text(item, fonts))
    return counts


def _cached(name: str, make: Callable[[], bytes]) -> bytes:
    """A PDF from paiban's verified cache (layout/cache.py), or made and kept there."""
    return build_cache.get_bytes("pages", name, make, check=build_cache.pdf_complete,
                                 suffix=".pdf")


def _page_key(pages: Sequence[PageLayout], title: str, author: str) -> str:
    """What a page's PDF depends on: its display list, this renderer and the finishing
    code, ReportLab's version and the font files. A change to any of them draws anew."""
    fonts = sorted({(str(path), path.stat().st_size, path.stat().st_mtime_ns)
                    for page in pages for path in page.fonts.values()})
    return hashlib.sha1(repr((_RENDERER_ID, reportlab.Version, fonts, title, author,
                              [repr(page) for page in pages])).encode()).hexdigest()


def _render(pages: Sequence[PageLayout], title: str, author: str) -> bytes:
    """ReportLab's PDF of the pages, before PDF/X finishing."""
    fonts = {key: _font(file) for key, file in pages[0].fonts.items()}
    first_font = next(iter(fonts.values())).fontName
    # ASCII85 is pure Python and makes files 10 % larger; switched off for our own
    # documents only (ReportLab's inline images need it, so the global stays as it was).
    saved_a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=(pages[0].width, pages[0].height), invariant=1,
                        initialFontName=first_font, pageCompression=1)
        canvas.setTitle(title)
        canvas.setAuthor(author)
        canvas.setCreator("paiban")
        codes = {key: _FontCodes(fonts[key], canvas, counter)
                 for key, counter in _char_counts(pages, fonts).items()}
        for page in pages:
            _draw_page(canvas, page, codes, fonts)
            canvas.showPage()
        canvas.save()
        return buffer.getvalue()
    finally:
        rl_config.useA85 = saved_a85


def _write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """A half-written file never has the final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp_name))
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise


def _write_file(path: Path, data: bytes) -> None:
    _write_atomically(path, lambda tmp: tmp.write_bytes(data))


def render_pdf(pages: Sequence[PageLayout], path: Path, *, title: str = "",
               author: str = "paiban") -> None:
    """Write the pages to `path` as one PDF/X file."""
    if not pages:
        raise ValueError("no pages to render")
    key = _page_key(pages, title, author)
    data = _cached(f"{key}.pdf", lambda: _render(pages, title, author))
    _write_file(path, _cached(f"{key}.x.pdf", lambda: finish_pdfx(data, pages[0].press)))


def render_edition(pages: Sequence[PageLayout], page_files: Sequence[tuple[Path, str]],
                   edition_file: tuple[Path, str], *, author: str = "paiban",
                   progress: Callable[[int], None] | None = None) -> None:
    """One PDF/X file per page, and the edition joined from them without drawing again.

    A rebuild after an edit to one story changes one or two pages; the others have the
    same display list and would give the same bytes (ReportLab's invariant mode, qpdf's
    deterministic ID), so they come from the page cache, and so does an unchanged edition.
    """
    if not pages:
        raise ValueError("no pages to render")
    documents = []
    keys = []
    for index, (page, (path, title)) in enumerate(zip(pages, page_files), 1):
        if progress:
            progress(index)
        key = _page_key([page], title, author)
        data = _cached(f"{key}.pdf", lambda page=page, title=title: _render([page], title,
                                                                            author))
        _write_file(path, _cached(f"{key}.x.pdf",
                                  lambda data=data, page=page: finish_pdfx(data, page.press)))
        documents.append(data)
        keys.append(key)
    path, title = edition_file
    edition_key = hashlib.sha1(repr((keys, title)).encode()).hexdigest()
    _write_file(path, _cached(f"{edition_key}.e.pdf",
                              lambda: merge_pdfx(documents, pages[0].press, title)))


def page_margin(press: PrintSetup) -> float:
    """Distance from the trim to the MediaBox's edge: the bleed, or room for the marks."""
    if press.marks:
        return max(press.bleed, MARK_OFFSET) + MARK_LENGTH + MARK_SLUG
    return press.bleed


def _draw_marks(canvas: Canvas, width: float, height: float, margin: float,
                press: PrintSetup) -> None:
    """Crop marks at the corners and registration targets at the sides, outside the bleed."""
    offset = max(press.bleed, MARK_OFFSET)
    left, bottom, right, top = margin, margin, margin + width, margin + height
    canvas.setStrokeColor(REGISTRATION)
    canvas.setLineWidth(MARK_WEIGHT)
    for x, dx in ((left, -1), (right, 1)):
        for y, dy in ((bottom, -1), (top, 1)):
            canvas.line(x + dx * offset, y, x + dx * (offset + MARK_LENGTH), y)
            canvas.line(x, y + dy * offset, x, y + dy * (offset + MARK_LENGTH))
    distance = offset + MARK_LENGTH / 2
    arm = MARK_LENGTH / 2
    for cx, cy in (((left + right) / 2, top + distance), ((left + right) / 2, bottom - distance),
                   (left - distance, (bottom + top) / 2), (right + distance, (bottom + top) / 2)):
        canvas.circle(cx, cy, arm * 0.6, stroke=1, fill=0)
        canvas.line(cx - arm, cy, cx + arm, cy)
        canvas.line(cx, cy - arm, cx, cy + arm)


def _draw_page(canvas: Canvas, page: PageLayout, codes: dict[str, _FontCodes],
               fonts: dict[str, ttfonts.TTFont]) -> None:
    press = page.press
    margin = page_margin(press)
    width, height = page.width, page.height
    canvas.setPageSize((width + 2 * margin, height + 2 * margin))
    canvas.setTrimBox((margin, margin, margin + width, margin + height))
    bleed = margin - press.bleed
    canvas.setBleedBox((bleed, bleed, margin + width + press.bleed, margin + height + press.bleed))
    if margin:
        canvas.saveState()
        canvas.translate(margin, margin)
    writer = _TextWriter(height, codes, fonts)
    text_limit, rule_limit = press.overprint_text, press.overprint_rule
    fill_op = stroke_op = False

    def overprint(fill: bool, stroke: bool) -> None:
        nonlocal fill_op, stroke_op
        text = writer.flush()
        if text:
            canvas._code.append(text)
        if fill != fill_op or stroke != stroke_op:
            canvas.setOverprintMask(True)
            if stroke != stroke_op:
                canvas.setStrokeOverprint(stroke)
                stroke_op = stroke
            if fill != fill_op:
                canvas.setFillOverprint(fill)
                fill_op = fill

    for item in page.items:
        if isinstance(item, GlyphRun):
            if (item.color == BLACK and item.size <= text_limit) != fill_op:
                overprint(not fill_op, stroke_op)
            writer.run(item)
            continue
        if isinstance(item, Rule):
            overprint(fill_op, item.color == BLACK and item.width <= rule_limit)
            canvas.setStrokeColorCMYK(*item.color)
            canvas.setLineWidth(item.width)
            canvas.line(item.x0, height - item.y0, item.x1, height - item.y1)
        elif isinstance(item, Rect):
            # Fills knock out (a 100 % K panel may carry white text); thin black frames overprint.
            overprint(False, item.stroke == BLACK and item.stroke_width <= rule_limit)
            if item.fill is not None:
                canvas.setFillColorCMYK(*item.fill)
            if item.stroke is not None:
                canvas.setStrokeColorCMYK(*item.stroke)
                canvas.setLineWidth(item.stroke_width)
            canvas.rect(item.x, height - item.y - item.h, item.w, item.h,
                        stroke=int(item.stroke is not None), fill=int(item.fill is not None))
        elif isinstance(item, Image):
            overprint(False, stroke_op)
            _draw_image(canvas, item, height)
    text = writer.flush()
    if text:
        canvas._code.append(text)
    if margin:
        canvas.restoreState()
    if press.marks:
        _draw_marks(canvas, width, height, margin, press)
