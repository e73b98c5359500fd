"""Draw a display list as SVG: the page for the browser, identical in position to the PDF.

Text stays text, in the shipped faces as web fonts (`layout.render.webfont`): the page can
be searched and copied, a full page weighs a few hundred kilobytes instead of megabytes of
repeated outlines, and the browser draws the same TrueType outlines the PDF embeds. Every
glyph gets its own x, computed the way the PDF's text operators place it: the pen starts
at the run's x and advances by the glyph's advance width times the size, plus the run's
tracking (PDF Tc), plus the run's adjustments (TJ numbers). So the browser's own shaping
(kerning, ligatures, justification) cannot move anything; the web fonts carry no layout
tables anyway. Glyphs a run names by id (vertical forms) are drawn through private-use
codes of the web font; a turned glyph gets the rotation the PDF's text matrix has.

Colours are the display list's CMYK shown as screen RGB (naive conversion: a preview, not
a proof of colour). Photos are drawn from their source file (RGB), scaled to cover the box
and cropped to it, as the PDF does. The SVG's user unit is the PDF point, origin at the
top-left corner of the trim box, so no coordinate is flipped.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from layout.display import CMYK, GlyphRun, Image, PageLayout, Rect, Rule
from layout.render.webfont import FaceData, face_data, subset_woff2

FontHref = Callable[[str, Path], str]      # (font key, font file) → URL of its web font
ImageHref = Callable[[Path], str]          # photo file → URL

_MIME = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
         ".gif": "image/gif", ".webp": "image/webp"}


def _num(value: float) -> str:
    return repr(round(value, 3))


def rgb(color: CMYK) -> str:
    """A CMYK colour as screen RGB (#rrggbb)."""
    c, m, y, k = color
    return "#" + "".join(f"{round(255 * (1 - v) * (1 - k)):02x}" for v in (c, m, y))


def font_family(key: str, data: FaceData) -> str:
    """The CSS family of a face: unique per font file, so pages of one edition share it."""
    return f"pb-{key}-{data.key}"


def drawn_text(run: GlyphRun, data: FaceData) -> str:
    """The characters the web font draws the run with: private codes where it names glyphs."""
    if not run.glyphs:
        return run.text
    return "".join(data.private_code(gid) if gid else ch for ch, gid in zip(run.text, run.glyphs))


def glyph_xs(run: GlyphRun, data: FaceData) -> list[float]:
    """The x of every glyph of the run, as the PDF's Tm, Tc and TJ numbers place it."""
    adjust = dict(run.adjust)
    xs = []
    pen = run.x
    # The PDF's Tc operand has three decimals; over a 30-glyph line the difference to the
    # exact tracking would add up to 0.015 pt.
    tracking = round(run.tracking, 3)
    gids = run.glyphs or (0,) * len(run.text)
    for index, (char, gid) in enumerate(zip(run.text, gids)):
        pen += adjust.get(index, 0.0)
        xs.append(pen)
        advance = data.advance_by_gid[gid] if gid else data.advance(char)
        pen += advance * run.size + tracking
    return xs


def _text(run: GlyphRun, data: FaceData, family_class: str) -> str:
    text = drawn_text(run, data)
    xs = glyph_xs(run, data)
    fill = "" if run.color == (0.0, 0.0, 0.0, 1.0) else f' fill="{rgb(run.color)}"'
    article = f' data-a={quoteattr(run.article)}' if run.article else ""
    transform = ""
    if run.rotate:
        # PDF turns counter-clockwise with y up; in SVG (y down) that is a negative angle.
        transform = f' transform="rotate({_num(-run.rotate)} {_num(run.x)} {_num(run.y)})"'
    head = (f'<text class="{family_class}" font-size="{_num(run.size)}" y="{_num(run.y)}"'
            f'{fill}{article}{transform}')
    if all(ord(ch) <= 0xFFFF for ch in text):
        return f'{head} x="{" ".join(map(_num, xs))}">{escape(text)}</text>'
    # Outside the BMP a browser may count one x per UTF-16 unit: one tspan per glyph.
    spans = "".join(f'<tspan x="{_num(x)}">{escape(ch)}</tspan>' for ch, x in zip(text, xs))
    return f"{head}>{spans}</text>"


def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix.lower(), "image/jpeg")
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _image(item: Image, href: ImageHref) -> str:
    source = item.source if item.source is not None else item.path
    if source.suffix.lower() not in _MIME:
        source = item.path              # a format browsers cannot show: the press JPEG
    return (f'<image x="{_num(item.x)}" y="{_num(item.y)}" width="{_num(item.w)}" '
            f'height="{_num(item.h)}" preserveAspectRatio="xMidYMid slice" '
            f'href={quoteattr(href(source))}'
            + (f' data-a={quoteattr(item.article)}' if item.article else "") + "/>")


def _rect(item: Rect) -> str:
    fill = rgb(item.fill) if item.fill is not None else "none"
    stroke = (f' stroke="{rgb(item.stroke)}" stroke-width="{_num(item.stroke_width)}"'
              if item.stroke is not None else "")
    return (f'<rect x="{_num(item.x)}" y="{_num(item.y)}" width="{_num(item.w)}" '
            f'height="{_num(item.h)}" fill="{fill}"{stroke}/>')


def _rule(item: Rule) -> str:
    return (f'<line x1="{_num(item.x0)}" y1="{_num(item.y0)}" x2="{_num(item.x1)}" '
            f'y2="{_num(item.y1)}" stroke="{rgb(item.color)}" '
            f'stroke-width="{_num(item.width)}"/>')


def used_glyphs(page: PageLayout) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Per font key: the characters and the glyph ids the page draws."""
    chars: dict[str, set[str]] = {}
    gids: dict[str, set[int]] = {}
    for item in page.items:
        if isinstance(item, GlyphRun):
            if item.glyphs:
                gids.setdefault(item.font, set()).update(g for g in item.glyphs if g)
                chars.setdefault(item.font, set()).update(
                    ch for ch, g in zip(item.text, item.glyphs) if not g)
            else:
                chars.setdefault(item.font, set()).update(item.text)
    return {key: ("".join(sorted(chars.get(key, ()))), tuple(sorted(gids.get(key, ()))))
            for key in sorted(set(chars) | set(gids))}


def _embedded_font(page: PageLayout) -> FontHref:
    used = used_glyphs(page)

    def href(key: str, path: Path) -> str:
        text, gids = used.get(key, ("", ()))
        data = subset_woff2(path, text, gids)
        return "data:font/woff2;base64," + base64.b64encode(data).decode("ascii")
    return href


def render_page(page: PageLayout, *, font_href: FontHref | None = None,
                image_href: ImageHref | None = None, font_faces: bool = True) -> bytes:
    """The page as an SVG document (UTF-8).

    By default it is self-contained: fonts are WOFF2 subsets of what the page draws and
    photos are data URIs. The preview server passes URLs instead (`font_href`,
    `image_href`) so the browser loads each face and photo once, and with
    `font_faces=False` leaves out the @font-face rules, which the server's page declares
    once for all pages (`font_family` names them): a browser given the rules again with
    every redrawn page would load and check the faces again each time.
    """
    font_href = font_href or _embedded_font(page)
    image_href = image_href or _data_uri
    used = {item.font for item in page.items if isinstance(item, GlyphRun)}
    faces = {key: face_data(path) for key, path in page.fonts.items() if key in used}
    classes = {key: f"f-{key}" for key in faces}
    css = ["text{white-space:pre;font-kerning:none;font-variant-ligatures:none}"]
    for key, data in faces.items():
        family = font_family(key, data)
        if font_faces:
            url = font_href(key, data.path)
            css.append(f'@font-face{{font-family:"{family}";src:url("{url}") '
                       f'format("{_format(url)}");font-display:block}}')
        css.append(f'.{classes[key]}{{font-family:"{family}"}}')
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" xml:space="preserve" '
        f'width="{_num(page.width)}pt" height="{_num(page.height)}pt" '
        f'viewBox="0 0 {_num(page.width)} {_num(page.height)}" data-page="{page.number}">',
        f"<title>{escape(f'{page.number} {page.name}')}</title>",
        f"<style>{''.join(css)}</style>",
        f'<rect width="{_num(page.width)}" height="{_num(page.height)}" fill="#fff"/>',
    ]
    for item in page.items:
        if isinstance(item, GlyphRun):
            out.append(_text(item, faces[item.font], classes[item.font]))
        elif isinstance(item, Rule):
            out.append(_rule(item))
        elif isinstance(item, Rect):
            out.append(_rect(item))
        elif isinstance(item, Image):
            out.append(_image(item, image_href))
    out.append("</svg>\n")
    return "\n".join(out).encode("utf-8")


def _format(href: str) -> str:
    return "woff2" if href.startswith("data:font/woff2") or href.endswith(".woff2") \
        else "truetype"
