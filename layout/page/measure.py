"""Measure a story for a candidate box width without setting it: a pure, cached value.

The makeup search asks "how deep is this story at span s?" many times. The answer is
exact because it comes from the same code that sets the story: the headline stack is
broken and stacked at the span's measure, captions are set at the photo's width, and the
body is composed at the column measure — which is the same in every column of the grid,
so the number of body lines does not depend on the span at all and is composed once.

Infeasible is a value (`StoryFit.feasible`, `reason`), never an exception; nothing here
writes to the build's diagnostics (a scratch context collects and drops them).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from layout.diagnostics import InputError
from layout.imaging import PhotoError, image_size
from layout.model.edition import Article, Photo, PhotoPlace, Placement
from layout.page.context import EditionContext, body_settings
from layout.page.head import head_depth
from layout.page.photos import caption_lines, photo_error
from layout.page.text import body_paragraphs, lines_needed
from layout.page.vertical import vertical_stack

MIN_COLUMN_LINES = 6        # P5: no column of a multi-column story holds fewer lines
ASPECT_LIMIT = 1.15         # P6: a photo's aspect may change by ±15 % to absorb slack
# P6, the photo's width: in a story of INSET_FROM columns or more the engine sets its photo
# narrower than the story, at the top of the body on the right, the text running beside and
# under it (as a layout editor does: a picture as wide as a 5-column lead is a poster). It
# takes about two thirds of the span at most and 2 columns at least; a narrower one is
# chosen while the picture would take more than INSET_AREA of the box's body area or more
# than INSET_DEPTH of its column depth (a tall photo goes narrow, a wide one stays wide).
# (They decide the pages the search makes: a change bumps SEARCH in makeup/edition.py, so
# that no cached page keeps the old photo sizes.)
INSET_FROM = 3
INSET_AREA = 0.35
INSET_DEPTH = 0.75


@dataclass(frozen=True, slots=True)
class PhotoFit:
    natural: int        # picture lines from the aspect ratio (or the editor's `lines`)
    low: int            # fewest lines within the aspect limit (and ≥ 1/3 of the width)
    high: int           # most lines within the aspect limit
    caption: int        # lines of title, caption and credit under the picture
    placed: bool        # the editor gave the photo a place inside the story
    columns: int = 0    # the engine sets it this many columns wide inside the story, at the
    #                     top of the body on the right (0: as wide as the story)


@dataclass(frozen=True, slots=True)
class StoryFit:
    """One story at one span: what it needs in grid lines, and whether it can work."""

    article: str
    span: int
    head: int                   # rubric and headline stack (whole grid lines)
    body_lines: int             # body lines at the column measure
    photos: tuple[PhotoFit, ...] = ()
    photo_only: bool = False    # 图片新闻: the picture fills its box
    obstacle_cells: int = 0     # cells (column × line) that placed photos take from the body
    feasible: bool = True
    reason: str = ""
    bad_head: bool = False      # the headline only breaks inside a phrase at this width
    vertical_lines: int = 0     # a vertical headline's stack: no box is shallower
    # Worked out once: the makeup search asks for them at every candidate depth.
    _flexible: tuple[int, int] = field(init=False, repr=False, compare=False)
    _column_lines: tuple[int, int] = field(init=False, repr=False, compare=False)
    _photo_memo: dict[int, tuple[int, ...]] = field(init=False, repr=False, compare=False)
    _inset_depths: list[tuple[int, int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        loose = [p for p in self.photos if not p.placed]
        object.__setattr__(self, "_flexible", (sum(p.low + p.caption for p in loose),
                                               sum(p.high + p.caption for p in loose)))
        cells = self.body_lines + self.obstacle_cells
        if self.photo_only or cells == 0:
            lines = (0, 0 if self.photo_only else 2)
        else:
            lines = (math.ceil(cells / self.span), cells // self.span + 2)
        object.__setattr__(self, "_column_lines", lines)
        object.__setattr__(self, "_photo_memo", {})
        object.__setattr__(self, "_inset_depths", [])

    @property
    def inset(self) -> bool:
        """The engine sets the photos narrower than the story, stacked at the top right of
        the body (the text runs beside and under them)."""
        return bool(self.photos) and all(p.columns for p in self.photos)

    @property
    def flexible(self) -> tuple[int, int]:
        """Range of the lines the unplaced photos may take together (pictures + captions)."""
        return self._flexible

    @property
    def column_lines(self) -> tuple[int, int]:
        """Fewest and most lines a body column may hold: all text set, ≤ 2 spare (P1)."""
        return self._column_lines

    def depth_range(self) -> tuple[int, int]:
        """Box depths (without the separator line) that fit the story exactly."""
        if self.inset:
            return self._inset_range()
        low_photos, high_photos = self.flexible
        low_col, high_col = self.column_lines
        low = max(self.head + low_photos + low_col, self.vertical_lines)
        return low, max(low, self.head + high_photos + high_col)

    def min_depth(self) -> int:
        """The shallowest box that still shows the head, photos at their smallest and 3 lines."""
        low_photos, _ = self.flexible
        text = 0 if self.photo_only else min(3, self.body_lines)
        if self.inset:      # the text runs beside the pictures
            return max(self.head + max(low_photos, text), self.vertical_lines)
        return max(self.head + low_photos + text, self.vertical_lines)

    def photo_lines(self, depth: int) -> tuple[int, ...]:
        """Picture heights for a box of `depth` lines: the photos absorb the slack first."""
        if not self.photos:
            return ()
        found = self._photo_memo.get(depth)
        if found is not None:
            return found
        if self.inset:
            slack = self._inset_slack(depth - self.head)
        else:
            low_col, _ = self.column_lines
            slack = depth - self.head - self.flexible[0] - low_col
        lines = []
        for photo in self.photos:
            if photo.placed:
                lines.append(photo.natural)
                continue
            grow = max(0, min(photo.high - photo.low, slack))
            slack -= grow
            lines.append(photo.low + grow)
        found = self._photo_memo[depth] = tuple(lines)
        return found

    def text_room(self, depth: int) -> tuple[int, int]:
        """Body cells (column × line) a box of `depth` lines holds with its photos at
        `photo_lines(depth)`, and the spare lines of its fullest column over the text
        (> 2 breaks P1; negative: the text does not fit)."""
        cells = self.body_lines + self.obstacle_cells
        pictures = sum(self.photo_lines(depth)) + sum(p.caption for p in self.photos)
        column = depth - self.head
        if self.inset:
            room = column * self.span - self.photos[0].columns * pictures
        else:
            room = (column - pictures) * self.span
        return room, (room - cells + cells % self.span) // self.span

    def _inset_slack(self, column: int) -> int:
        """Lines the inset pictures may grow above their smallest together in a body
        `column` lines deep: as much as leaves the body its cells (the pictures absorb the
        slack) and keeps them inside the column."""
        cells = self.body_lines + self.obstacle_cells
        low, _ = self.flexible
        room = (column * self.span - cells) // self.photos[0].columns - low
        return max(0, min(column - low, room))

    def _inset_range(self) -> tuple[int, int]:
        if self._inset_depths:
            return self._inset_depths[0]
        cells = self.body_lines + self.obstacle_cells
        low_photos, _ = self.flexible
        column = max(low_photos, math.ceil((cells + self.photos[0].columns * low_photos)
                                           / self.span))
        low = high = self.head + column
        while True:
            room, spare = self.text_room(high + 1)
            if room < cells or spare > 2:
                break
            high += 1
        self._inset_depths.append((low, high))
        return low, high


class Measurer:
    """Measures stories at spans for one edition; results are cached per (article, span).

    Measuring draws nothing and reports nothing: heads and captions are counted in grid
    lines without glyph runs (page/head.py, page/photos.py), and the body is composed once
    at the column measure into the build's compositions (page/text.py), where setting the
    story finds it again.
    """

    def __init__(self, ctx: EditionContext):
        # A scratch context: measuring warns about nothing (the final setting does).
        self.ctx = EditionContext(ctx.edition, ctx.faces)
        self._fits: dict[tuple[int, int], tuple[Article, StoryFit]] = {}
        self._body: dict[Article, int] = {}

    def prepare(self, articles: Iterable[Article]) -> None:
        """Build now what measuring reads once per process: the metrics of the style's
        faces and the pixel sizes of the `articles`' photos (with Pillow, which reading
        them imports). The makeup calls this before it forks (layout/makeup/parallel.py),
        so that its two processes do not each build them; setting the pages afterwards
        needs them in this process anyway. A measure is the same with or without it."""
        ctx = self.ctx
        for role in ctx.style.roles.values():
            ctx.faces[role.font]
        for article in articles:
            for photo in article.photos:
                with contextlib.suppress(PhotoError):
                    image_size(photo.file)

    def body_lines(self, article: Article) -> int:
        """Body lines of `article` at the column measure (the same at every span)."""
        if article not in self._body:
            ctx = self.ctx
            paragraphs = body_paragraphs(ctx, article, [], report=False)
            self._body[article] = lines_needed(ctx, paragraphs, body_settings(ctx.style)) \
                if paragraphs else 0
            ctx.diagnostics.clear()
        return self._body[article]

    def fit(self, article: Article, span: int) -> StoryFit:
        """`article` in a box `span` columns wide."""
        # By identity (hashing a whole article costs more than a found measure): the
        # article is kept with its fit, so its id is not reused while the entry lives.
        key = (id(article), span)
        found = self._fits.get(key)
        if found is not None and found[0] is article:
            return found[1]
        head, good = head_depth(self.ctx, article, span)
        fit = self._measure(article, span, head)
        if not good:
            fit = replace(fit, bad_head=True)
        self._fits[key] = (article, fit)
        self.ctx.diagnostics.clear()
        return fit

    def _measure(self, article: Article, span: int, head: int) -> StoryFit:
        ctx = self.ctx
        grid = ctx.grid
        width = grid.span_width(span)
        photos = []
        obstacle = 0
        inset = insettable(article) and span >= INSET_FROM
        sizes = []
        for index, photo in enumerate(article.photos):
            if photo.place is not None:
                pp = photo.place
                if pp.column + pp.span > span:
                    return StoryFit(article.id, span, head, 0, feasible=False,
                                    reason=f"its photo needs {pp.column + pp.span} columns")
                caption = caption_lines(ctx, photo, grid.span_width(pp.span))
                photos.append(PhotoFit(pp.lines, pp.lines, pp.lines, caption, True))
                obstacle += (pp.lines + caption) * pp.span
                continue
            try:
                size = image_size(photo.file)
            except PhotoError as exc:
                # Bad input, as when the story is placed by the editor: taken for a story
                # that fits nowhere, it was reported "no room" on an empty page.
                raise photo_error(self.ctx, article, index, exc) from None
            sizes.append(size)
            if inset:
                continue
            if photo.lines:
                caption = caption_lines(ctx, photo, width)
                photos.append(PhotoFit(photo.lines, photo.lines, photo.lines, caption, False))
                continue
            photos.append(self._photo_fit(photo, size, span))
        if inset:
            photos = self._insets(article, sizes, span)
        photo_only = not article.body and len(article.photos) == 1 and \
            article.photos[0].place is None
        body = self.body_lines(article)
        if article.vertical:
            if span <= article.vertical_columns:
                return StoryFit(article.id, span, head, body, feasible=False,
                                reason="a vertical headline needs a column beside it")
            # The stack at the headline size of this span (it grows with the span).
            sized = replace(article, place=Placement(1, 0, span, 0, grid.lines))
            try:
                _, lines = vertical_stack(ctx, sized, 0.0, 0,
                                          grid.span_width(article.vertical_columns), grid.lines)
            except InputError:
                return StoryFit(article.id, span, head, body, feasible=False,
                                reason="its vertical headline is deeper than the page")
            obstacle += lines * article.vertical_columns
        stack = lines if article.vertical else 0
        fit = StoryFit(article.id, span, head, body, tuple(photos), photo_only, obstacle,
                       vertical_lines=stack)
        if span > 1 and not photo_only and body and \
                (body + obstacle) / span < MIN_COLUMN_LINES:
            return replace(fit, feasible=False,
                           reason=f"fewer than {MIN_COLUMN_LINES} lines a column (P5)")
        return fit

    def _photo_fit(self, photo: Photo, size: tuple[int, int], columns: int,
                   inset: int = 0) -> PhotoFit:
        """A loose photo `columns` wide: its natural height and the aspect limit (P6)."""
        grid = self.ctx.grid
        width = grid.span_width(columns)
        px_w, px_h = size
        caption = caption_lines(self.ctx, photo, width)
        exact = width * px_h / px_w / grid.pitch
        natural = max(1, round(exact))
        low = max(1, math.ceil(exact / ASPECT_LIMIT - 1e-9),
                  math.ceil(width / 3 / grid.pitch - 1e-9))
        high = max(low, math.floor(exact * ASPECT_LIMIT + 1e-9))
        return PhotoFit(min(max(natural, low), high), low, high, caption, False, inset)

    def _insets(self, article: Article, sizes: list[tuple[int, int]],
                span: int) -> list[PhotoFit]:
        """The photos of a story `span` columns wide, set narrower inside it and stacked
        (P6): the widest of 2 … ⅔ of the span that keeps the pictures within INSET_AREA of
        the body area and INSET_DEPTH of the column depth they would have (else 2)."""
        cells = self.body_lines(article)
        widest = min(span - 1, max(2, round(span * 2 / 3)))
        chosen: list[PhotoFit] = []
        for columns in range(widest, 1, -1):
            chosen = [self._photo_fit(photo, size, columns, columns)
                      for photo, size in zip(article.photos, sizes)]
            picture = sum(fit.natural + fit.caption for fit in chosen)
            column = math.ceil((cells + columns * picture) / span)
            if columns * picture <= INSET_AREA * span * column and \
                    picture <= INSET_DEPTH * column:
                break
        return chosen


def insettable(article: Article) -> bool:
    """A story whose photos the engine may set narrower than the story (P6): a body and
    photos the editor neither placed nor sized, and no vertical headline beside the text."""
    return bool(article.body) and bool(article.photos) and not article.vertical and \
        all(photo.place is None and not photo.lines for photo in article.photos)


def inset_places(fit: StoryFit, lines: tuple[int, ...]) -> tuple[PhotoPlace, ...]:
    """Where the engine sets the inset photos of `fit` with `lines` picture lines each:
    stacked from the top of the body against the box's right edge (the text starts at
    the top left). Empty for photos as wide as the story."""
    if not fit.inset:
        return ()
    places = []
    top = 0
    for photo, picture in zip(fit.photos, lines):
        places.append(PhotoPlace(fit.span - photo.columns, photo.columns, top, picture,
                                 engine=True))
        top += picture + photo.caption
    return tuple(places)
