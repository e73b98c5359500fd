"""A story's photos: picture heights on the grid, their captions, and the text around them.

`caption_lines` counts the grid lines under a picture without drawing anything (the
makeup engine asks it at every candidate width); `measure_photos` works out the photos
of a placed story (and the obstacles the text flows around) and `emit_photo` draws one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from layout.compose.normalize import normalize
from layout.compose.paragraph import Line
from layout.diagnostics import ERROR, Diagnostic, InputError
from layout.display import Image, Item
from layout.imaging import PhotoError, cmyk_photo, image_size
from layout.model.edition import Article, Photo, Placement
from layout.page.blocks import Block, display_text, paragraph_lines, stack, stack_baselines
from layout.page.context import EditionContext, moved
from layout.page.text import compositions


@dataclass(frozen=True, slots=True)
class Obstacle:
    columns: range          # box-relative columns
    first: int              # grid lines
    end: int


@dataclass(frozen=True, slots=True)
class SetPhoto:
    """One photo of a placed story: the press file, where it goes and its captions."""

    photo: Photo
    press: Path
    x: float
    width: float
    line: int               # grid line of the picture's top
    picture_lines: int
    captions: tuple[Block, ...]


def _caption_parts(ctx: EditionContext, photo: Photo) -> list[tuple[str, str, str]]:
    """(text, role, alignment) of the photo's title, caption and credit that it has."""
    normalize_marks = ctx.style.composition.normalize_punctuation
    parts = []
    if photo.title:
        parts.append((display_text(photo.title, normalize_marks), "photo_title", "left"))
    if photo.caption:
        text = normalize(photo.caption)[0] if normalize_marks else photo.caption
        parts.append((text, "caption", "justify"))
    if photo.credit:
        parts.append((display_text(photo.credit, False), "credit", "right"))
    return parts


def _caption_lines(ctx: EditionContext, text: str, role: str, width: float,
                   align: str) -> tuple[Line, ...]:
    face = ctx.face(role)
    style = ctx.style.roles[role]
    return compositions(ctx.faces).memo(("caption", text, style, width, align), face,
                                        paragraph_lines, text, face, style, width, align)


def caption_blocks(ctx: EditionContext, article: Article, photo: Photo,
                   width: float) -> list[Block]:
    """Title, caption and credit set `width` wide; glyphs the fonts lack are reported."""
    parts = _caption_parts(ctx, photo)
    blocks = [stack([(_caption_lines(ctx, text, role, width, align), ctx.style.roles[role],
                      role)], width, "left" if align == "justify" else align, article.id, 0.0)
              for text, role, align in parts]
    # Each block against the font of the role it is set in: a photo without a title has
    # its caption first, and checking it as a title missed what the caption's face lacks.
    for block, (_, role, _) in zip(blocks, parts):
        ctx.check_glyphs(block.text, role, article)
    return blocks


def _lines_of(ctx: EditionContext, heights: list[float]) -> int:
    height = sum(heights) + ctx.grid.pitch * 0.5
    return math.ceil(height / ctx.grid.pitch - 1e-6)


def caption_lines(ctx: EditionContext, photo: Photo, width: float) -> int:
    """Grid lines the captions of `photo` take under a picture `width` wide (nothing is
    drawn or reported)."""
    return _lines_of(ctx, [stack_baselines([(_caption_lines(ctx, text, role, width, align),
                                             ctx.style.roles[role], role)], 0.0)[1]
                           for text, role, align in _caption_parts(ctx, photo)])


def _block_lines(ctx: EditionContext, captions: list[Block]) -> int:
    return _lines_of(ctx, [block.height for block in captions])


def _photo_file(ctx: EditionContext, article: Article, index: int, photo: Photo):
    try:
        size = image_size(photo.file)
        # The PDF gets the print separation: CMYK, total ink limited (R40, R42).
        press = cmyk_photo(photo.file, ctx.style.print.ink_limit, ctx.style.print.icc_profile)
    except PhotoError as exc:
        raise photo_error(ctx, article, index, exc) from None
    return size, press


def photo_error(ctx: EditionContext, article: Article, index: int,
                exc: PhotoError) -> InputError:
    """A photo file that is missing or unreadable: bad input (exit 2), with its field."""
    return InputError([Diagnostic(ERROR, "photo", f"{exc} (article {article.id!r})",
                                  str(ctx.edition.file), article.photos[index].line,
                                  f"articles[{article.id}].photos[{index}].file",
                                  article=article.id)])


def measure_photos(ctx: EditionContext, article: Article, place: Placement, starts: list[int],
                   ends: list[int], photo_delta: int) -> tuple[list[SetPhoto], list[Obstacle]]:
    """The photos of a placed story; those with a place become obstacles the text flows
    around, the others span the box under the headline and move `starts` down.

    `photo_delta` grows (or shrinks) every picture by that many lines (copyfitting).
    """
    grid = ctx.grid
    photos: list[SetPhoto] = []
    obstacles: list[Obstacle] = []
    grown: list[tuple[range, int, int]] = []     # placed photos: columns, top, lines grown
    for index, photo in enumerate(article.photos):
        (px_w, px_h), press = _photo_file(ctx, article, index, photo)
        if photo.place is not None:
            pp = photo.place
            columns = range(pp.column, pp.column + pp.span)
            width = grid.span_width(pp.span)
            captions = caption_blocks(ctx, article, photo, width)
            lines = max(1, pp.lines + photo_delta)
            # A photo stacked under another one that copyfitting resized moves with it.
            shift = sum(delta for cols, top, delta in grown
                        if top < pp.top and set(cols) & set(columns))
            grown.append((columns, pp.top, lines - pp.lines))
            first = max(starts[i] for i in columns) + pp.top + shift
            end = first + lines + _block_lines(ctx, captions)
            if end > min(ends[i] for i in columns):
                raise InputError([Diagnostic(
                    ERROR, "placement", f"the photo of article {article.id!r} ends on line "
                    f"{end}, below its box (which ends on line {min(ends[i] for i in columns)})",
                    str(ctx.edition.file), photo.line,
                    f"articles[{article.id}].photos[{index}].place",
                    "lower top or lines, or deepen the box", article.id)])
            photos.append(SetPhoto(photo, press, grid.column_x(place.column + pp.column), width,
                                   first, lines, tuple(captions)))
            obstacles.append(Obstacle(columns, first, end))
            continue
        # Without a place the picture spans the box under the headline.
        width = grid.span_width(place.span)
        captions = caption_blocks(ctx, article, photo, width)
        lines_under = _block_lines(ctx, captions)
        line = max(starts)
        room = min(ends) - line - lines_under
        if photo.lines:
            picture_lines = photo.lines + photo_delta
        elif not article.body and len(article.photos) == 1:
            picture_lines = room            # 图片新闻: the picture fills its box
        else:
            picture_lines = min(room, round(width * px_h / px_w / grid.pitch)) + photo_delta
        picture_lines = max(1, picture_lines)
        photos.append(SetPhoto(photo, press, grid.column_x(place.column), width, line,
                               picture_lines, tuple(captions)))
        for i in range(place.span):
            starts[i] = line + picture_lines + lines_under
    return photos, obstacles


def emit_photo(ctx: EditionContext, article: Article, photo: SetPhoto) -> list[Item]:
    """The picture and its captions under it."""
    grid = ctx.grid
    top = grid.line_top(photo.line)
    items: list[Item] = [Image(photo.press, photo.x, top, photo.width,
                               photo.picture_lines * grid.pitch, article.id,
                               source=photo.photo.file)]
    y = top + photo.picture_lines * grid.pitch + grid.pitch * 0.35
    for block in photo.captions:
        items.extend(moved(run, photo.x, y) for run in block.runs)
        y += block.height
    return items
