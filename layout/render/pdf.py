"""Draw display lists into PDF/X files: one per page and one for the edition.

Each page is drawn once, into a content stream that both outputs share: the page's
own PDF and the edition PDF carry the same compressed bytes, and neither is made
from the other (no second pass over finished files, no merge). This works because
text is written with two-byte codes that do not depend on which subset of a font a
file embeds (Identity-H; the code of a character is its code point, see
`layout.render.pdfdoc`).
Each file then embeds one subset per font, made of the glyphs its pages use; the
edition's subsets are made once, from the union of its pages' glyphs.

Text is written as raw operators: one text matrix and one character spacing per
run, TJ numbers only where a glyph deviates, and each run's codes made in C by
encoding its text as UTF-16 (reference/performance.md, techniques 1, 4 and 5).

Print output (reference §5): every page has a TrimBox of the trim size and a
BleedBox (the trim plus the bleed); with marks the MediaBox grows to carry crop
and registration marks, drawn in the registration colour (`/Separation /All`,
which PDF/X-1a allows and every RIP prints on all plates). The display list is
relative to the trim's top-left corner, so the page content is shifted by the
margin once. Black (0 0 0 1) text up to the style's size and black rules up to
its weight overprint (ExtGState /op or /OP true with /OPM 1). `layout.render.pdfdoc`
writes the files, PDF/X parts included.
"""

from __future__ import annotations

import contextlib
import math
import os
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from layout.cache import temporary_file
from layout.display import BLACK, GlyphRun, Image, Note, PageLayout, PrintSetup, Rect, Rule
from layout.forking import Child, fork_call, second_process_pays
from layout.render.pdfcheck import check_pdf
from layout.render.pdfdoc import Assets, DrawnPage, PdfDocument
from layout.render.pdfwriter import num, pdf_string
from layout.units import mm

# Crop marks start this far outside the trim (and never inside the bleed) and are this long;
# the MediaBox leaves a little paper beyond them.
MARK_OFFSET = mm(3)
MARK_LENGTH = mm(6)
MARK_WEIGHT = 0.25
MARK_SLUG = mm(2)
# From this many pages on, a second process draws half of them (see _processes).
_FORK_PAGES = 8
_PARENT_SHARE = 0.45
# The edition's font subsets are not compressed: deflating them took 10 ms a build at every
# size (level 1; 13 ms at level 6) and saves only 120 KB, since glyph outlines shrink to
# two thirds. Measured on the kit's workload, the edition stays within 1.36x / 1.18x /
# 1.05x the floor's size at 1 / 8 / 32 page units (the issue allows 2x).
_EDITION_FONTS = False
# Content streams are compressed once and shared by the page's file and the edition; level 1
# is four times faster than 6 and makes the streams 18 % larger (the edition 8 %).
_CONTENT_LEVEL = 1


def page_margin(press: PrintSetup) -> float:
    """Distance from the trim to the MediaBox's edge: the bleed, or room for the marks."""
    if press.marks:
        return max(press.bleed, MARK_OFFSET) + MARK_LENGTH + MARK_SLUG
    return press.bleed


def _cmyk(color: tuple[float, ...]) -> str:
    return " ".join(map(num, color))


class _PageDrawer:
    """Writes the operators of one page: text runs inside BT … ET, graphics between."""

    def __init__(self, page: PageLayout, assets: Assets):
        self.page = page
        self.height = page.height
        self.assets = assets
        self.ops: list[str] = []
        self.text: list[str] = []          # operators of the open text object
        self.font_name: str | None = None
        self.font_size = 0.0
        self.tracking = 0.0
        self.fill: tuple[float, ...] | None = None
        self.stroke: tuple[float, ...] | None = None
        self.line_width: float | None = None
        self.overprint = (False, False)   # (fill, stroke)
        self.states: set[str] = set()
        self.resources = {key: f"F{index}" for index, key in enumerate(sorted(page.fonts))}
        self.texts: dict[str, list[str]] = {key: [] for key in page.fonts}
        self.images: dict[str, Path] = {}
        self.fixed: dict[float, str] = {}      # a coordinate → its text, 3 decimals
        self.numbers: dict[float, str] = {}    # a TJ number → its text (num)

    # --------------------------------------------------------------------- state

    def _end_text(self) -> None:
        if self.text:
            self.ops.append("BT\n" + "\n".join(self.text) + "\nET")
            self.text = []
            self.font_name = None
            # (The character spacing is not reset: Tc, like Tf, is part of the graphics
            # state and outlives ET. Forgetting it here drew the next text object's lines
            # with the last stretched line's spacing, wider than their column.)

    def _set_overprint(self, fill: bool, stroke: bool) -> None:
        if (fill, stroke) != self.overprint:
            self._end_text()
            name = f"GS{int(fill)}{int(stroke)}"
            self.states.add(name)
            self.ops.append(f"/{name} gs")
            self.overprint = (fill, stroke)

    def _fill_color(self, color: tuple[float, ...], out: list[str]) -> None:
        if color != self.fill:
            out.append(_cmyk(color) + " k")
            self.fill = color

    def _stroke(self, color: tuple[float, ...], width: float) -> None:
        if color != self.stroke:
            self.ops.append(_cmyk(color) + " K")
            self.stroke = color
        if width != self.line_width:
            self.ops.append(f"{num(width)} w")
            self.line_width = width

    # --------------------------------------------------------------------- items

    def run(self, run: GlyphRun) -> None:
        # The commonest item (thousands a page): locals, one format per operator.
        ops = self.text
        color = run.color
        if color != self.fill:
            ops.append(_cmyk(color) + " k")
            self.fill = color
        tracking = run.tracking
        if abs(tracking - self.tracking) > 1e-6:
            number = self.numbers.get(tracking)
            if number is None:
                number = self.numbers[tracking] = num(tracking)
            ops.append(number + " Tc")
            self.tracking = tracking
        font = run.font
        size = run.size
        if font != self.font_name or size != self.font_size:
            ops.append(f"/{self.resources[font]} {num(size)} Tf")
            self.font_name = font
            self.font_size = size
        y = self.height - run.y
        if run.rotate:
            a, b = math.cos(math.radians(run.rotate)), math.sin(math.radians(run.rotate))
            matrix = f"{num(a)} {num(b)} {num(-b)} {num(a)} {num(run.x)} {num(y)} Tm\n"
        else:
            # Columns share their x and lines their y: each is formatted once a page.
            fixed = self.fixed
            x = run.x
            tx = fixed.get(x)
            if tx is None:
                tx = fixed[x] = f"{x:.3f}"
            ty = fixed.get(y)
            if ty is None:
                ty = fixed[y] = f"{y:.3f}"
            matrix = f"1 0 0 1 {tx} {ty} Tm\n"
        text = run.text
        # Codes are CIDs, which are the characters' code points (see layout.render.pdfdoc):
        # UTF-16BE is the code string, made in C. Two bytes a character unless the text
        # has characters beyond the BMP (surrogate pairs), which get CIDs of their own.
        codes = text.encode("utf-16-be", "surrogatepass")
        if run.glyphs or len(codes) != 2 * len(text):
            text = self.assets.codes(self.page.fonts[font]).cids(text, run.glyphs)
            codes = text.encode("utf-16-be", "surrogatepass")
        self.texts[font].append(text)
        hexes = codes.hex()
        adjust = run.adjust
        if not adjust:
            ops.append(f"{matrix}<{hexes}> Tj")      # one item: the text object joins by lines
            return
        scale = -1000.0 / size
        parts = []
        cut = 0
        numbers = self.numbers      # a page repeats a few shifts (a half em, a quarter …)
        for index, shift in sorted(adjust):
            if index:
                parts.append(f"<{hexes[4 * cut:4 * index]}>")
            value = shift * scale
            number = numbers.get(value)
            if number is None:
                number = numbers[value] = num(value)
            parts.append(number)
            cut = index
        parts.append(f"<{hexes[4 * cut:]}>")
        ops.append(f"{matrix}[{' '.join(parts)}] TJ")

    def rule(self, item: Rule) -> None:
        self._set_overprint(self.overprint[0], item.color == BLACK and
                            item.width <= self.page.press.overprint_rule)
        self._end_text()
        self._stroke(item.color, item.width)
        h = self.height
        self.ops.append(f"{num(item.x0)} {num(h - item.y0)} m {num(item.x1)} "
                        f"{num(h - item.y1)} l S")

    def rect(self, item: Rect) -> None:
        # Fills knock out (a 100 % K panel may carry white text); thin black frames overprint.
        self._set_overprint(False, item.stroke == BLACK and
                            item.stroke_width <= self.page.press.overprint_rule)
        self._end_text()
        if item.fill is not None:
            self._fill_color(item.fill, self.ops)
        if item.stroke is not None:
            self._stroke(item.stroke, item.stroke_width)
        paint = {(True, True): "B", (True, False): "f", (False, True): "S"}.get(
            (item.fill is not None, item.stroke is not None), "n")
        self.ops.append(f"{num(item.x)} {num(self.height - item.y - item.h)} {num(item.w)} "
                        f"{num(item.h)} re {paint}")

    def image(self, item: Image) -> None:
        self._set_overprint(False, self.overprint[1])
        self._end_text()
        name = self.images_name(item.path)
        px_w, px_h = self.assets.image_size(item.path)
        scale = max(item.w / px_w, item.h / px_h)      # cover the box, crop the rest
        w, h = px_w * scale, px_h * scale
        x = item.x + (item.w - w) / 2
        y = self.height - item.y - item.h + (item.h - h) / 2
        self.ops.append(f"q {num(item.x)} {num(self.height - item.y - item.h)} {num(item.w)} "
                        f"{num(item.h)} re W n {num(w)} 0 0 {num(h)} {num(x)} {num(y)} cm "
                        f"/{name} Do Q")

    def images_name(self, path: Path) -> str:
        for name, known in self.images.items():
            if known == path:
                return name
        name = f"Im{len(self.images)}"
        self.images[name] = path
        return name

    def marks(self, width: float, height: float, margin: float, press: PrintSetup) -> None:
        """Crop marks at the corners and registration targets at the sides, outside the bleed."""
        offset = max(press.bleed, MARK_OFFSET)
        left, bottom, right, top = margin, margin, margin + width, margin + height
        ops = [f"/All CS 1 SCN {num(MARK_WEIGHT)} w"]
        for x, dx in ((left, -1), (right, 1)):
            for y, dy in ((bottom, -1), (top, 1)):
                ops.append(f"{num(x + dx * offset)} {num(y)} m "
                           f"{num(x + dx * (offset + MARK_LENGTH))} {num(y)} l S")
                ops.append(f"{num(x)} {num(y + dy * offset)} m "
                           f"{num(x)} {num(y + dy * (offset + MARK_LENGTH))} l S")
        distance = offset + MARK_LENGTH / 2
        arm = MARK_LENGTH / 2
        radius = arm * 0.6
        k = radius * 0.5523     # Bézier approximation of a quarter circle
        for cx, cy in (((left + right) / 2, top + distance),
                       ((left + right) / 2, bottom - distance),
                       (left - distance, (bottom + top) / 2),
                       (right + distance, (bottom + top) / 2)):
            r = radius
            # Four quarter arcs, counter-clockwise from the right: (start, control 1,
            # control 2, end) as offsets from the centre.
            arcs = (((r, k), (k, r), (0, r)), ((-k, r), (-r, k), (-r, 0)),
                    ((-r, -k), (-k, -r), (0, -r)), ((k, -r), (r, -k), (r, 0)))
            path = [f"{num(cx + r)} {num(cy)} m"]
            for arc in arcs:
                path.append(" ".join(f"{num(cx + dx)} {num(cy + dy)}" for dx, dy in arc) + " c")
            ops.append(" ".join(path) + " h S")
            ops.append(f"{num(cx - arm)} {num(cy)} m {num(cx + arm)} {num(cy)} l S")
            ops.append(f"{num(cx)} {num(cy - arm)} m {num(cx)} {num(cy + arm)} l S")
        self.ops.extend(ops)


def draw_page(page: PageLayout, assets: Assets) -> DrawnPage:
    """The page's content stream (compressed) and what it uses, for any file to embed."""
    press = page.press
    margin = page_margin(press)
    drawer = _PageDrawer(page, assets)
    if margin:
        drawer.ops.append(f"q 1 0 0 1 {num(margin)} {num(margin)} cm")
    text_limit = press.overprint_text
    annots: list[str] = []
    run = drawer.run
    for item in page.items:
        if isinstance(item, GlyphRun):
            overprint = item.color == BLACK and item.size <= text_limit
            if overprint != drawer.overprint[0]:
                drawer._set_overprint(overprint, drawer.overprint[1])
            run(item)
        elif isinstance(item, Rule):
            drawer.rule(item)
        elif isinstance(item, Rect):
            drawer.rect(item)
        elif isinstance(item, Image):
            drawer.image(item)
        elif isinstance(item, Note):
            annots.append(_note(item, page.height, margin))
    drawer._end_text()
    if margin:
        drawer.ops.append("Q")
    if press.marks:
        drawer.marks(page.width, page.height, margin, press)
    content = zlib.compress("\n".join(drawer.ops).encode("latin-1"), _CONTENT_LEVEL)
    cids: dict[Path, set[str]] = {}
    for key, texts in drawer.texts.items():
        if texts:
            cids.setdefault(page.fonts[key], set()).update("".join(texts))
    box = (margin, margin, margin + page.width, margin + page.height)
    bleed = (margin - press.bleed, margin - press.bleed, box[2] + press.bleed,
             box[3] + press.bleed)
    media = (0.0, 0.0, page.width + 2 * margin, page.height + 2 * margin)
    used_fonts = {drawer.resources[key]: page.fonts[key] for key, texts in drawer.texts.items()
                  if texts}
    return DrawnPage(content, media, box, bleed, used_fonts, cids, dict(drawer.images),
                     tuple(sorted(drawer.states)), press.marks, tuple(annots))


def _note(note: Note, height: float, margin: float) -> str:
    """A proof mark as a highlight annotation (its comment shows in any PDF viewer)."""
    x0, x1 = margin + note.x, margin + note.x + note.w
    y0, y1 = margin + height - note.y - note.h, margin + height - note.y
    quad = " ".join(num(v) for v in (x0, y1, x1, y1, x0, y0, x1, y0))
    return (f"<< /Type /Annot /Subtype /Highlight /Rect [{num(x0)} {num(y0)} {num(x1)} "
            f"{num(y1)}] /QuadPoints [{quad}] /C [{' '.join(map(num, note.color))}] "
            f"/Contents {pdf_string(note.text)} /T (paiban) /F 4 >>")


class _Staging:
    """The build's files under temporary names in their folders, each re-read once written
    (`check_pdf`), all renamed together when every one verifies: a failed or interrupted
    build leaves the output folder as it was, never half new."""

    def __init__(self) -> None:
        self.pending: list[tuple[str, Path]] = []

    def write(self, path: Path, write: Callable[[Path], None], pages: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = temporary_file(path.parent, f".{path.name}.", ".tmp")
        os.close(fd)
        self.pending.append((tmp_name, path))
        write(Path(tmp_name))
        check_pdf(Path(tmp_name), pages)

    def commit(self) -> None:
        for tmp_name, path in self.pending:
            os.chmod(tmp_name, 0o644)
            os.replace(tmp_name, path)
        self.pending = []

    def discard(self) -> None:
        for tmp_name, _ in self.pending:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
        self.pending = []


def _write_document(staging: _Staging, path: Path, drawn: Sequence[DrawnPage],
                    press: PrintSetup, title: str, author: str, assets: Assets,
                    compress_fonts: bool) -> None:
    def write(tmp: Path) -> None:
        with open(tmp, "wb") as out:
            document = PdfDocument(out, press, title, author, assets, compress_fonts)
            for page in drawn:
                document.add_page(page)
            document.finish()
    staging.write(path, write, len(drawn))


def render_pdf(pages: Sequence[PageLayout], path: Path, *, title: str = "",
               author: str = "paiban") -> None:
    """Write the pages to `path` as one PDF/X file."""
    if not pages:
        raise ValueError("no pages to render")
    assets = Assets()
    drawn = [draw_page(page, assets) for page in pages]
    staging = _Staging()
    try:
        _write_document(staging, path, drawn, pages[0].press, title, author, assets, True)
        staging.commit()
    finally:
        staging.discard()


def _draw_and_write(staging: _Staging, page: PageLayout, file: tuple[Path, str],
                    author: str, assets: Assets) -> DrawnPage:
    """Draw a page and write its own file. Its fonts are not compressed there: that would
    cost a page as much time as drawing it (they are compressed once, in the edition)."""
    drawn = draw_page(page, assets)
    _write_document(staging, file[0], [drawn], page.press, file[1], author, assets, False)
    return drawn


def _assign_codes(pages: Sequence[PageLayout], assets: Assets) -> None:
    """Give every glyph that needs a CID of its own (a vertical form, a character beyond
    the BMP) its CID now, in the order drawing would: then two processes drawing
    different pages agree on them, and the files are the same as one process makes."""
    for page in pages:
        runs = [item for item in page.items if isinstance(item, GlyphRun)]
        text = "".join([run.text for run in runs])
        # One scan of the page's text in C; the runs are visited only on a page that has
        # vertical forms or characters beyond the BMP.
        if not text or (max(text) <= "\uffff" and not any(run.glyphs for run in runs)):
            continue
        for run in runs:
            if run.glyphs or (run.text and max(run.text) > "\uffff"):
                assets.codes(page.fonts[run.font]).cids(run.text, run.glyphs)


def _fork_drawing(pages: Sequence[PageLayout], files: Sequence[tuple[Path, str]], author: str,
                  assets: Assets) -> _Child:
    """Draw and write `pages` in a child process, their files staged (not yet renamed)."""
    staging = _Staging()        # the child's: a failed child removes what it staged

    def draw() -> tuple[list[DrawnPage], list[tuple[str, Path]]]:
        drawn = [_draw_and_write(staging, page, file, author, assets)
                 for page, file in zip(pages, files)]
        return drawn, staging.pending

    return _Child(fork_call(draw, on_failure=staging.discard))


class _Child:
    """The drawing child: its pages' drawings and staged files once it is done."""

    def __init__(self, child: Child):
        self.child = child

    def __call__(self) -> tuple[list[DrawnPage], list[tuple[str, Path]]] | None:
        """Waits for the child: its drawings and staged files, or None when it failed (it
        removed its files; the caller draws those pages then)."""
        return self.child()  # type: ignore[return-value]

    def finish(self) -> None:
        """When the parent failed first: wait for the child and remove its staged files."""
        if not self.child.done:
            found = self()
            if found is not None:
                staging = _Staging()
                staging.pending = found[1]
                staging.discard()


def _processes(pages: int) -> int:
    """Two processes when the edition is long enough to pay for the fork and a second core
    is free. Measured at 72 pages: the parent's share of the CPU time falls from 0.45–0.58 s
    to 0.29–0.32 s (the child takes 0.24–0.29 s), so with an idle core the rendering takes
    about 40 % less time; on a machine whose cores are all busy the two processes only
    compete (20 % slower), hence the load average check. The files are the same either way.
    """
    return 2 if second_process_pays(pages, _FORK_PAGES) else 1


def render_edition(pages: Sequence[PageLayout], page_files: Sequence[tuple[Path, str]],
                   edition_file: tuple[Path, str], *, author: str = "paiban",
                   progress: Callable[[int], None] | None = None,
                   processes: int | None = None) -> None:
    """One PDF/X file per page, and the edition, from one drawing of each page.

    The edition is written as the pages are drawn (its fonts last, subset once from
    every page's glyphs), so a long edition holds one page's content in memory at a time.
    With two processes (`processes`, by default chosen by the edition's length) a child
    draws and writes the second half of the pages and hands their drawings back for the
    edition; the files are byte for byte those of one process. Every file is staged and
    renamed with the others only when all are written and verified.
    """
    if not pages:
        raise ValueError("no pages to render")
    assets = Assets()
    path, title = edition_file
    count = len(pages)
    split = count
    child = None
    if (processes or _processes(count)) > 1 and count > 1:
        _assign_codes(pages, assets)
        split = round(count * _PARENT_SHARE)
        child = _fork_drawing(pages[split:], page_files[split:], author, assets)
    staging = _Staging()

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as out:
            # The edition's font programs are stored like the pages' (see _EDITION_FONTS).
            edition = PdfDocument(out, pages[0].press, title, author, assets, _EDITION_FONTS)
            for index in range(split):
                if progress:
                    progress(index + 1)
                edition.add_page(_draw_and_write(staging, pages[index], page_files[index],
                                                 author, assets))
            if child is not None:
                found = child()
                if found is None:       # the child failed: draw its pages here (and see why)
                    drawn = [_draw_and_write(staging, page, file, author, assets)
                             for page, file in zip(pages[split:], page_files[split:])]
                else:
                    drawn, files = found
                    staging.pending.extend(files)
                for index, page in enumerate(drawn, split + 1):
                    if progress:
                        progress(index)
                    edition.add_page(page)
            edition.finish()

    try:
        staging.write(path, write, len(pages))
        staging.commit()
    finally:
        staging.discard()
        if child is not None:
            child.finish()
