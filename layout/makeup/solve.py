"""Guillotine layout of a rectangle of the page grid with a sequence of stories.

After Gange, Marriott and Stuckey, "Optimal guillotine layout" (DocEng 2012): the stories,
in reading order, are laid out by a tree of cuts — a horizontal cut puts the first part of
the sequence above the rest, a vertical cut puts it to the left — and a dynamic program over
(contiguous part of the sequence, width in columns) finds the best tree. Each story's height
is a function of its width, measured exactly (`layout.page.measure`). Where the paper
minimises the height of a document, a newspaper page has a fixed depth to fill, so the
program keeps, for every part and width, the cheapest cost of *every* height (an array
indexed by grid lines): stacking two parts adds their heights (a min-plus convolution),
setting them side by side needs equal heights (an element-wise sum).

The state also remembers whether a headline starts at the top-left and top-right corner of
the part, so that two headlines side by side on one line (bumping heads, P3) are charged.
A box that does not reach the foot of the type area keeps its last line for the rule under
it (the `bottom` flag tells which parts touch the foot).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from layout.model.edition import Article
from layout.page.measure import MIN_COLUMN_LINES, Measurer, StoryFit

INF = math.inf

# Weights of the page's cost (P-rule ids from docs/rules.md).
W_SHAPE = 8.0       # P5: column depth away from the target, on a log scale (squared)
W_SPARE = 1.5       # P1: each spare line in a story's columns (inside the 2 allowed)
W_PHOTO = 0.4       # P6: each line a photo is resized away from its natural height
W_LEAD = 8.0        # P2: each column the lead is narrower than its rectangle
W_RANK = 3.0        # P2: headlines fall with priority: less important stories go narrower
W_WIDE = 80.0       # P2: a story other than the lead across the whole page (as big a head)
W_BUMP = 200.0       # P3: two headlines side by side on the same line
W_OVER = 400.0      # 超版: each body line that does not fit (elastic pass only)
W_UNDER = 40.0      # 缺版: each empty line beyond the 2 allowed per column (elastic pass)
W_HEAD = 30.0       # a headline that only breaks inside a phrase at this width (§4.3)
W_ELL = 4.0         # a stepped box (刀把) where a rectangle would do as well
W_EMPTY = 60.0      # 缺版: each empty line of a rectangle without a story, per column

ELASTIC_OVER = 24      # lines a story may be too shallow in the elastic pass
ELASTIC_SPARE = 16     # lines a story may be too deep in the elastic pass
MIN_CAP_LINES = MIN_COLUMN_LINES     # text lines under a 刀把 headline in the short columns

Kind = tuple[bool, bool]          # a headline starts at the top-left / top-right corner


class Timeout(Exception):
    """The search ran past its time limit."""


@dataclass(frozen=True, slots=True)
class Box:
    """A story's box inside the rectangle being solved."""

    story: int                  # index into the stories
    column: int                 # columns from the rectangle's left
    top: int                    # lines from the rectangle's top
    span: int
    depth: int                  # grid lines, the separator line included
    photo_lines: tuple[int, ...]
    bottom: bool                # reaches the foot of the type area
    depths: tuple[int, ...] = ()    # a stepped box (刀把): each column's depth


class Solver:
    """One page's search: stories, their measurements and the memo of solved parts."""

    def __init__(self, stories: Sequence[Article], measurer: Measurer, *, page_columns: int,
                 lines: int, target: float, deadline: float | None = None,
                 elastic: bool = False):
        self.stories = list(stories)
        self.measurer = measurer
        self.page_columns = page_columns
        self.size = lines + 1
        self.target = target
        self.deadline = deadline
        self.elastic = elastic
        self._leaves: dict[tuple[int, int, bool], tuple[np.ndarray, Kind] | None] = {}
        self._memo: dict[tuple[tuple[int, ...], int, bool], dict[Kind, Table]] = {}
        self.spans = [self._spans(a) for a in self.stories]
        self._areas: list[float] | None = None
        self._ticks = 0
        self._fit_cache: dict[tuple[int, int], StoryFit] = {}
        self._ells: dict[tuple[int, int, int, bool], tuple | None] = {}

    # ------------------------------------------------------------------ leaves

    def _spans(self, article: Article) -> range:
        low = max(1, article.min_span or 1)
        high = min(self.page_columns, article.max_span or self.page_columns)
        return range(low, high + 1)

    def headline_size(self, span: int) -> float:
        return self.measurer.ctx.style.headline_size(span)

    def areas(self) -> list[float]:
        """Fewest cells each story can take (its tightest feasible box; ∞ if none)."""
        if self._areas is None:
            self._areas = []
            for story in range(len(self.stories)):
                best = INF
                for span in self.spans[story]:
                    fit = self.fit(story, span)
                    if fit.feasible:
                        low = fit.min_depth() if self.elastic else fit.depth_range()[0]
                        best = min(best, low * span)
                self._areas.append(best)
        return self._areas

    def fit(self, story: int, span: int) -> StoryFit:
        # Keyed by (story, span) ints: hashing an Article (its whole text) costs more.
        key = (story, span)
        found = self._fit_cache.get(key)
        if found is None:
            found = self._fit_cache[key] = self.measurer.fit(self.stories[story], span)
        return found

    def leaf(self, story: int, span: int, bottom: bool) -> tuple[np.ndarray, Kind] | None:
        """Cost of every box depth for one story at one span."""
        key = (story, span, bottom)
        if key in self._leaves:
            return self._leaves[key]
        result = None
        if span in self.spans[story]:
            fit = self.fit(story, span)
            if fit.feasible:
                result = self._leaf_costs(story, fit, bottom)
        self._leaves[key] = result
        return result

    def _leaf_costs(self, story: int, fit: StoryFit, bottom: bool) -> tuple[np.ndarray, Kind]:
        costs = np.full(self.size, INF)
        low, high = fit.depth_range()
        if self.elastic:
            # Overflow or spare within a window (a wider one only makes the search slower:
            # a story 20 lines over is better cut or moved, which the report then says).
            low, high = max(min(low, fit.min_depth()), low - ELASTIC_OVER), high + ELASTIC_SPARE
        separator = 0 if bottom else 1
        cells = fit.body_lines + fit.obstacle_cells
        rank = story            # stories are given in priority order
        for inner in range(max(1, low), high + 1):
            depth = inner + separator
            if depth >= self.size:
                break
            costs[depth] = self._cost(fit, inner, cells, rank)
        # One table per part: the headline masks carry what P3 needs (see Table), so the
        # corner kinds are not split out (that quadrupled the work for little gain).
        return costs, (True, True)

    def _cost(self, fit: StoryFit, inner: int, cells: int, rank: int) -> float:
        span = fit.span
        photos = fit.photo_lines(inner)
        natural = sum(p.natural for p in fit.photos)
        captions = sum(p.caption for p in fit.photos)
        column = inner - fit.head - sum(photos) - captions
        cost = W_PHOTO * abs(sum(photos) - natural) + (W_HEAD if fit.bad_head else 0.0)
        if rank == 0:
            cost += W_LEAD * (self.page_columns - span)
        elif self.headline_size(span) >= self.headline_size(self.page_columns):
            cost += W_WIDE      # as large a headline as the lead's (P2)
        if fit.photo_only:
            return cost
        if cells:
            # Shallow wide boxes are worse than deep narrow ones: a short story goes narrow.
            ratio = math.log(max(cells / span, 1.0) / self.target)
            cost += W_SHAPE * ratio * ratio * (2.0 if ratio < 0 else 1.0)
            cost += W_RANK * rank * span / len(self.stories)
        room = column * span
        if room < cells:
            # The cheapest cut is in the least important story: the lead's overflow costs most.
            cost += W_OVER * (cells - room) / span * (1 + (len(self.stories) - rank))
        else:
            spare_lowest = column - cells // span
            cost += W_SPARE * (room - cells) / span
            if spare_lowest > 2:
                cost += W_UNDER * (spare_lowest - 2)
        return cost

    # ------------------------------------------------------------------ parts

    def table(self, part: tuple[int, ...], width: int, bottom: bool) -> dict[Kind, Table]:
        """Cheapest layout of `part` (stories in order) in `width` columns, by height."""
        key = (part, width, bottom)
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        self._ticks += 1
        # Reading the CPU clock costs about as much as a small table: look every 64 tables.
        if self.deadline is not None and not self._ticks % 64 \
                and time.process_time() > self.deadline:
            raise Timeout
        out: dict[Kind, Table] = {}
        if sum(self.areas()[i] for i in part) > width * (self.size - 1):
            self._memo[key] = out       # more copy than the area holds even at its tightest
            return out
        if len(part) == 1:
            found = self.leaf(part[0], width, bottom)
            if found is not None:
                costs, kind = found
                fit = self.fit(part[0], width)
                out[kind] = Table.of(costs, ("leaf", width), headed=not fit.photo_only)
        else:
            for m in range(1, len(part)):
                self._stack(part, m, width, bottom, out)
                for left in range(1, width):
                    self._beside(part, m, left, width, bottom, out)
            for left in range(1, width):
                self._ell(part, left, width, bottom, out)
        self._memo[key] = out
        return out

    def _stack(self, part, m, width, bottom, out) -> None:
        """part[:m] above part[m:]."""
        upper = self.table(part[:m], width, False)
        if not upper:
            return
        lower = self.table(part[m:], width, bottom)
        if not lower:
            return
        below = Table.best(lower)
        for kind, table in upper.items():
            costs, split = _convolve(table.costs, below.costs)
            if costs is not None:
                heights = np.arange(len(costs))
                lower_at = np.clip(heights - split, 0, len(costs) - 1)
                left = table.left[split] | _shift(below.left[lower_at], split)
                right = table.right[split] | _shift(below.right[lower_at], split)
                _merge(out, kind, costs, ("stack", m, kind), split, left, right)

    def _beside(self, part, m, left, width, bottom, out) -> None:
        """part[:m] in `left` columns, part[m:] to its right."""
        west = self.table(part[:m], left, bottom)
        if not west:
            return
        east = self.table(part[m:], width - left, bottom)
        for kw, tw in west.items():
            for ke, te in east.items():
                costs = tw.costs + te.costs
                finite = np.isfinite(costs)
                if not finite.any():
                    continue
                # Headlines that start within 2 lines of each other across the seam (P3).
                bumps = np.bitwise_count(tw.right & te.reach()).sum(axis=1)
                costs = costs + W_BUMP * bumps
                _merge(out, (kw[0], ke[1]), costs, ("beside", m, left, kw, ke), None,
                       tw.left, te.right)

    def _ell(self, part, left, width, bottom, out) -> None:
        """A stepped box (刀把): the first story's headline and a few lines of text span the
        whole width; below that, its text goes on in the `left` columns alone, beside the
        rest of the part. The rest then starts lower than the first story (no bumping head,
        P3), which a guillotine cut cannot give.
        """
        shape = self._ell_shape(part[0], left, width, bottom)
        if shape is None:
            return
        valid, cap, lower, own = shape
        rest = self.table(part[1:], width - left, bottom)
        if not rest:
            return
        below = Table.best(rest)
        costs = own + below.costs[lower]
        costs[~valid] = INF
        if not np.isfinite(costs).any():
            return
        size = self.size
        left_mask = np.zeros((size, 2), dtype=np.uint64)
        left_mask[:, 0] = 1
        right_mask = left_mask | _shift(below.right[lower], cap.clip(0, size - 1))
        split = np.where(valid, cap, 0).astype(np.int32)
        _merge(out, (True, True), costs, ("ell", left), split, left_mask, right_mask)

    def _ell_shape(self, story: int, left: int, width: int, bottom: bool):
        """Per height of the part: whether the story fits a 刀把 of `left` deep columns, the
        depth of its short columns (the cap), the height left for the rest, and its cost."""
        key = (story, left, width, bottom)
        if key in self._ells:
            return self._ells[key]
        self._ells[key] = None
        if width not in self.spans[story]:
            return None
        fit = self.fit(story, width)
        # Too short for the whole width as a rectangle (P5) is fine here: the short columns
        # get their 6 lines by construction and the deep ones more.
        if not fit.feasible and not fit.reason.endswith("(P5)") or fit.photos \
                or fit.obstacle_cells or not fit.body_lines:
            return None
        size = self.size
        separator = 0 if bottom else 1
        cells = fit.body_lines
        right = width - left
        # Cap: headline, ≥ 6 lines of text (P5) and the rule line under it.
        lowest_cap = fit.head + MIN_CAP_LINES + 1
        heights = np.arange(size)
        # Cells in the deep columns for a part `heights` deep; the cap holds the rest.
        deep = left * (heights - fit.head - separator)
        cap = np.ceil((cells - deep) / right).astype(int) + fit.head + 1
        cap = np.maximum(cap, lowest_cap)
        valid = (deep > 0) & (cap < heights - 6) & \
            (deep + right * (cap - fit.head - 1) - cells <= 2) & \
            ((heights - fit.head - separator) >= cap - fit.head - 1 + MIN_CAP_LINES)
        if not valid.any():
            return None
        lower = np.clip(np.where(valid, heights - cap, 0), 0, size - 1)
        # The story's own cost as if set tight in a rectangle of its width (its spare is ≤ 2
        # lines by construction), plus a little for the stepped shape.
        own = self._cost(fit, fit.head + -(-cells // width), cells, story) + W_ELL
        self._ells[key] = (valid, cap, lower, own)
        return self._ells[key]

    # ------------------------------------------------------------------ result

    def boxes(self, part: tuple[int, ...], width: int, bottom: bool, kind: Kind | None,
              height: int, column: int = 0, top: int = 0) -> list[Box]:
        tables = self.table(part, width, bottom)
        table = tables[kind] if kind is not None else Table.best(tables)
        index = int(table.choice[height])
        move = table.moves[index]
        if move[0] == "leaf":
            story = part[0]
            fit = self.fit(story, width)
            inner = height - (0 if bottom else 1)
            return [Box(story, column, top, width, height, fit.photo_lines(inner), bottom)]
        if move[0] == "stack":
            _, m, upper_kind = move
            first = int(table.split[height])
            return (self.boxes(part[:m], width, False, upper_kind, first, column, top)
                    + self.boxes(part[m:], width, bottom, None, height - first, column,
                                 top + first))
        if move[0] == "ell":
            _, left = move
            cap = int(table.split[height])
            depths = (height,) * left + (cap,) * (width - left)
            return ([Box(part[0], column, top, width, height, (), bottom, depths)]
                    + self.boxes(part[1:], width - left, bottom, None, height - cap,
                                 column + left, top + cap))
        _, m, left, kw, ke = move
        return (self.boxes(part[:m], left, bottom, kw, height, column, top)
                + self.boxes(part[m:], width - left, bottom, ke, height, column + left, top))


@dataclass
class Table:
    """Cheapest cost per height, the move that gives it and (for a stack) where it splits.

    `left` and `right` are, per height, bit masks of the lines (from the part's top) on which
    a headline starts along the part's left and right edge: two 64-bit words a height.
    """

    costs: np.ndarray
    choice: np.ndarray
    split: np.ndarray
    moves: list
    left: np.ndarray
    right: np.ndarray
    _best: Table | None = None
    _reach: np.ndarray | None = None

    def reach(self) -> np.ndarray:
        """The left-edge masks widened by two lines each way (computed once)."""
        if self._reach is None:
            self._reach = _dilate(self.left)
        return self._reach

    @classmethod
    def empty(cls, size: int) -> Table:
        return cls(np.full(size, INF), np.zeros(size, dtype=np.int32),
                   np.zeros(size, dtype=np.int32), [], np.zeros((size, 2), dtype=np.uint64),
                   np.zeros((size, 2), dtype=np.uint64))

    @classmethod
    def of(cls, costs: np.ndarray, move, *, headed: bool) -> Table:
        table = cls.empty(len(costs))
        table.costs = costs
        table.moves.append(move)
        if headed:
            table.left[:, 0] = 1
            table.right[:, 0] = 1
        return table

    @staticmethod
    def best(tables: dict[Kind, Table]) -> Table:
        """The cheapest of every kind, per height (kinds do not matter below a stack)."""
        kinds = sorted(tables)
        if len(kinds) == 1:
            return tables[kinds[0]]
        first = tables[kinds[0]]
        if first._best is not None:
            return first._best
        out = Table.empty(len(first.costs))
        for kind in kinds:
            other = tables[kind]
            better = other.costs < out.costs
            if better.any():
                offset = len(out.moves)
                out.moves.extend(other.moves)
                out.costs[better] = other.costs[better]
                out.choice[better] = other.choice[better] + offset
                out.split[better] = other.split[better]
                out.left[better] = other.left[better]
                out.right[better] = other.right[better]
        first._best = out
        return out


_ONE = np.uint64(1)


def _shift(masks: np.ndarray, by: np.ndarray) -> np.ndarray:
    """Each two-word mask shifted up by its own number of lines (0 ≤ by < 128)."""
    lo, hi = masks[:, 0], masks[:, 1]
    by = by.astype(np.uint64)
    small = by < 64
    s = np.where(small, by, 0).astype(np.uint64)
    big = np.where(small, 0, by - np.uint64(64)).astype(np.uint64)
    carry = np.where((s > 0) & small, lo >> (np.uint64(64) - np.maximum(s, _ONE)), 0)
    out = np.empty_like(masks)
    out[:, 0] = np.where(small, lo << s, 0)
    out[:, 1] = np.where(small, (hi << s) | carry.astype(np.uint64), lo << big)
    return out


def _dilate(masks: np.ndarray) -> np.ndarray:
    """Masks widened by two lines up and down: starts closer than 3 lines count as one."""
    out = masks.copy()
    lo, hi = masks[:, 0], masks[:, 1]
    for k in (1, 2):
        n = np.uint64(k)
        back = np.uint64(64 - k)
        out[:, 0] |= (lo << n) | (lo >> n) | (hi << back)
        out[:, 1] |= (hi << n) | (hi >> n) | (lo >> back)
    return out


def _convolve(upper: np.ndarray, lower: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """Min-plus convolution: the cheapest upper + lower for every total height.

    Only the finite entries take part (a story fits a few depths, not all), so the pairs are
    few; the cheapest pair per total is found by one sort (the first upper height on a tie).
    """
    size = len(upper)
    split = np.zeros(size, dtype=np.int32)
    a = np.flatnonzero(np.isfinite(upper))
    b = np.flatnonzero(np.isfinite(lower))
    if not len(a) or not len(b):
        return None, split
    totals = (a[:, None] + b[None, :]).ravel()
    costs = (upper[a][:, None] + lower[b][None, :]).ravel()
    firsts = np.repeat(a, len(b))
    keep = totals < size
    if not keep.any():
        return None, split
    totals, costs, firsts = totals[keep], costs[keep], firsts[keep]
    order = np.lexsort((firsts, costs, totals))
    totals, costs, firsts = totals[order], costs[order], firsts[order]
    head = np.ones(len(totals), dtype=bool)
    head[1:] = totals[1:] != totals[:-1]
    out = np.full(size, INF)
    out[totals[head]] = costs[head]
    split[totals[head]] = firsts[head]
    return out, split


def _merge(out: dict[Kind, Table], kind: Kind, costs: np.ndarray, move,
           split: np.ndarray | None, left: np.ndarray, right: np.ndarray) -> None:
    table = out.get(kind)
    if table is None:
        table = out[kind] = Table.empty(len(costs))
    better = costs < table.costs
    if not better.any():
        return
    table.moves.append(move)
    table.costs[better] = costs[better]
    table.choice[better] = len(table.moves) - 1
    if split is not None:
        table.split[better] = split[better]
    table.left[better] = left[better]
    table.right[better] = right[better]
