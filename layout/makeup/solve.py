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

from layout.makeup.stepped import cap_heights, cap_options, ell_shapes
from layout.makeup.tables import (
    INF,
    ONE,
    Candidates,
    Table,
    convolve,
    stacked,
    top_heads,
    tops_bump,
)
from layout.model.edition import Article
from layout.page.measure import Measurer, StoryFit

# Weights of the page's cost (P-rule ids from docs/rules.md).
W_SHAPE = 16.0      # P5: column depth away from the target, on a log scale (squared)
W_SPARE = 1.5       # P1: each spare line in a story's columns (inside the 2 allowed)
W_PHOTO = 0.4       # P6: each line a photo is resized away from its natural height
W_LEAD = 8.0        # P2: each column the lead is narrower than its rectangle
W_RANK = 3.0        # P2: headlines fall with priority: less important stories go narrower
W_WIDE = 80.0       # P2: a story other than the lead across the whole page (as big a head)
W_BUMP = 300.0      # P3: two headlines side by side within 2 lines (else a frame: frames.py)
W_OVER = 400.0      # 超版: each body line that does not fit (elastic pass only)
W_UNDER = 40.0      # 缺版: each empty line beyond the 2 allowed per column (elastic pass)
W_HEAD = 30.0       # a headline that only breaks inside a phrase at this width (§4.3)
W_ELL = 4.0         # a stepped box (刀把) where a rectangle would do as well
W_EMPTY = 60.0      # 缺版: each empty line of a rectangle without a story, per column

ELASTIC_OVER = 24      # lines a story may be too shallow in the elastic pass
ELASTIC_SPARE = 16     # lines a story may be too deep in the elastic pass
MAX_UNDER = 20          # stories under the leg of a 刀把 that stops short of the foot

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
    depths: tuple[int, ...] = ()    # a stepped box (刀把): each column's depth


class Solver:
    """One page's search: stories, their measurements and the memo of solved parts."""

    def __init__(self, stories: Sequence[Article], measurer: Measurer, *, page_columns: int,
                 lines: int, target: float, deadline: float | None = None,
                 elastic: bool = False):
        self.stories = list(stories)
        self.measurer = measurer
        self.page_columns = page_columns
        # Every box keeps its last line for the rule under it; a box at the foot of the type
        # area has no rule, so the area gets one spare line below its foot instead (a part
        # reaching it is solved one line deeper). Every box is then alike and a table does
        # not depend on whether its part touches the foot.
        self.size = lines + 2
        self._heights = np.arange(self.size)
        self.target = target
        self.deadline = deadline
        self.elastic = elastic
        # Branch and bound: the cost of the best page found so far. Every cost is ≥ 0 and a
        # page's cost is the sum of its parts', so a part that alone costs this much cannot
        # be in a better page: its entry is dropped (and a part with none left is skipped).
        # It only falls between searches, so a table made under an older bound stays right.
        self.bound = INF
        self._leaves: dict[tuple[int, int], np.ndarray | None] = {}
        self._memo: dict[tuple[tuple[int, ...], int], Table | None] = {}
        # The same tables by part, then width: a move looks up one part at many widths,
        # and hashing the part once is cheaper than hashing (part, width) each time.
        self._rows: dict[tuple[int, ...], list] = {}
        self.spans = [self._spans(a) for a in self.stories]
        self._areas: list[float] | None = None
        self._ticks = 0
        self._fit_cache: dict[tuple[int, int], StoryFit] = {}
        self._step_lists: dict[tuple[int, int], list] = {}
        self._head_sizes: dict[int, float] = {}

    def reuse(self, other: Solver) -> None:
        """Take over the measurements and 刀把 options of another solver of the same stories
        and page (the plain pass's, for the elastic pass): neither depends on the pass."""
        self._fit_cache = other._fit_cache
        self._step_lists = other._step_lists
        self._head_sizes = other._head_sizes

    # ------------------------------------------------------------------ leaves

    def _spans(self, article: Article) -> range:
        low = max(1, article.min_span or 1)
        high = min(self.page_columns, article.max_span or self.page_columns)
        return range(low, high + 1)

    def headline_size(self, span: int) -> float:
        size = self._head_sizes.get(span)
        if size is None:
            size = self._head_sizes[span] = self.measurer.ctx.style.headline_size(span)
        return size

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

    def leaf(self, story: int, span: int) -> np.ndarray | None:
        """Cost of every box depth (its rule line included) for one story at one span."""
        key = (story, span)
        if key in self._leaves:
            return self._leaves[key]
        result = None
        if span in self.spans[story]:
            fit = self.fit(story, span)
            if fit.feasible:
                result = self._leaf_costs(story, fit)
        self._leaves[key] = result
        return result

    def _leaf_costs(self, story: int, fit: StoryFit) -> np.ndarray:
        costs = np.full(self.size, INF)
        low, high = fit.depth_range()
        if self.elastic and not fit.photo_only:     # a picture cannot run over (P6)
            # Overflow or spare within a window (a wider one only makes the search slower:
            # a story 20 lines over is better cut or moved, which the report then says).
            low, high = max(min(low, fit.min_depth()), low - ELASTIC_OVER), high + ELASTIC_SPARE
            low = max(low, fit.vertical_lines)      # a vertical headline's stack never runs over
        cells = fit.body_lines + fit.obstacle_cells
        rank = story            # stories are given in priority order
        for inner in range(max(1, low), high + 1):
            depth = inner + 1
            if depth >= self.size:
                break
            costs[depth] = self._cost(fit, inner, cells, rank)
        # One table per part: the headline masks carry what P3 needs (see Table).
        return costs

    def _cost(self, fit: StoryFit, inner: int, cells: int, rank: int) -> float:
        span = fit.span
        photos = fit.photo_lines(inner)
        natural = sum(p.natural for p in fit.photos)
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
        room, spare_lowest = fit.text_room(inner)     # an inset photo takes its columns
        if room < cells:
            # The cheapest cut is in the least important story: the lead's overflow costs most.
            cost += W_OVER * (cells - room) / span * (1 + (len(self.stories) - rank))
        else:
            cost += W_SPARE * (room - cells) / span
            if spare_lowest > 2:
                cost += W_UNDER * (spare_lowest - 2)
        return cost

    # ------------------------------------------------------------------ parts

    def _row(self, part: tuple[int, ...]) -> list:
        """The part's tables by width (_MISSING where not made yet)."""
        row = self._rows.get(part)
        if row is None:
            row = self._rows[part] = [_MISSING] * (self.page_columns + 1)
        return row

    def table(self, part: tuple[int, ...], width: int) -> Table | None:
        """Cheapest layout of `part` (stories in order) in `width` columns, by height."""
        row = self._row(part)
        found = row[width]
        if found is _MISSING:
            found = row[width] = self._table(part, width)
        return found

    def _table(self, part: tuple[int, ...], width: int) -> Table | None:
        key = (part, width)
        self._ticks += 1
        # Reading the CPU clock costs about as much as a small table: look every 64 tables.
        if self.deadline is not None and not self._ticks % 64 \
                and time.process_time() > self.deadline:
            raise Timeout
        out: Table | None = None
        areas = self.areas()
        if sum(map(areas.__getitem__, part)) > width * (self.size - 1):
            self._memo[key] = None      # more copy than the area holds even at its tightest
            return None
        if len(part) == 1:
            found = self.leaf(part[0], width)
            if found is not None:
                fit = self.fit(part[0], width)
                out = Table.of(found, ("leaf",), headed=not fit.photo_only)
                if self.bound < INF:
                    out.costs[out.costs >= self.bound] = INF
                out.bound()
                if out.lo > out.hi:
                    out = None
        else:
            moves = Candidates(self.size)
            for m in range(1, len(part)):
                self._stack(part, m, width, moves)
                if width > 1:
                    self._beside(part, m, width, moves)
            # (A mirrored 刀把, deep columns on the right, would cost the same and so never
            # win a tie: a table keeps one layout per height. Not searched.)
            rests = self._row(part[1:])
            for deep, shape, caps in self._steps(part[0], width):
                if shape is not None:
                    rest = rests[width - deep]
                    if rest is _MISSING:
                        rest = self.table(part[1:], width - deep)
                    if rest is not None:
                        self._ell(rest, deep, shape, moves)
                if caps is not None and len(part) > 2:
                    self._ell_over(part, deep, width, caps, moves)
            out = moves.table(self.bound)
        self._memo[key] = out
        return out

    def _hopeless(self, moves: Candidates, least: float, lo: int, hi: int) -> bool:
        """Whether a candidate costing at least `least` at every height, finite only within
        lo..hi, can change nothing: it is dearer than the best page so far (its entries
        would be dropped), or the moves tried before it are as cheap at every height it
        could fill (a tie keeps the first found). Skipping it leaves the table exactly as
        it would be. (Float addition is monotone: a sum of least costs is a true bound.)"""
        return least >= self.bound or moves.covered(least, lo, hi)

    def _stack(self, part, m, width, moves: Candidates) -> None:
        """part[:m] above part[m:]."""
        upper = self.table(part[:m], width)
        if upper is None:
            return
        lower = self.table(part[m:], width)
        if lower is None or upper.lo + lower.lo >= self.size:
            return      # even the shallowest pair is deeper than the page
        if upper.least + lower.least >= self.bound:
            return      # (checking `moves.covered` here costs more than it saves)
        costs, split = convolve(upper, lower)
        if costs is None:
            return

        def masks() -> tuple[np.ndarray, np.ndarray]:
            return stacked(upper, lower, split), split

        moves.add(costs, [("stack", m)], None, masks)

    def _beside(self, part, m, width, moves: Candidates) -> None:
        """part[:m] to the left of part[m:], every division of the width at once."""
        pairs = []
        head, tail = part[:m], part[m:]
        heads, tails = self._row(head), self._row(tail)
        for left in range(1, width):
            west = heads[left]
            if west is _MISSING:
                west = self.table(head, left)
            if west is None:
                continue
            east = tails[width - left]
            if east is _MISSING:
                east = self.table(tail, width - left)
            if east is None or west.lo > east.hi or east.lo > west.hi:
                continue        # no height both sides can take
            if west.least + east.least >= self.bound:
                continue        # (checking `moves.covered` here costs more than it saves)
            pairs.append((left, west, east))
        if not pairs:
            return
        if len(pairs) == 1:
            self._beside_one(m, *pairs[0], moves)
            return
        costs = np.array([w.costs for _, w, _ in pairs]) + \
            np.array([e.costs for _, _, e in pairs])
        # Headlines that start within 2 lines of each other across the seam (P3).
        if all(w.heads and e.heads for _, w, e in pairs):
            costs += W_BUMP * np.array([tops_bump(w, e) for _, w, e in pairs])[:, None]
        else:
            rights = np.array([w.right for _, w, _ in pairs])
            reach = np.array([e.reach() for _, _, e in pairs])
            bumps = np.bitwise_count(rights & reach)
            costs += W_BUMP * (bumps[:, :, 0] + bumps[:, :, 1])
        best = costs.argmin(axis=0)
        chosen = costs[best, self._heights]
        if chosen[chosen.argmin()] == INF:
            return

        def masks() -> tuple[np.ndarray, None]:
            # Each height's masks from its pair's rows, the pairs' rows end to end.
            at = best * self.size + self._heights
            west = np.concatenate([w.edges for _, w, _ in pairs]).take(at, axis=0)
            east = np.concatenate([e.edges for _, _, e in pairs]).take(at, axis=0)
            return np.concatenate((west[:, :1], east[:, 1:]), axis=1), None

        moves.add(chosen, [("beside", m, left) for left, _, _ in pairs], best, masks)

    def _beside_one(self, m: int, left: int, west: Table, east: Table,
                    moves: Candidates) -> None:
        """_beside with one division of the width (the common case), without stacking."""
        costs = west.costs + east.costs
        if west.heads and east.heads:
            costs += W_BUMP * tops_bump(west, east)
        else:
            bumps = np.bitwise_count(west.right & east.reach())
            costs += W_BUMP * (bumps[:, 0] + bumps[:, 1])
        if costs[costs.argmin()] == INF:
            return

        def masks() -> tuple[np.ndarray, None]:
            return np.concatenate((west.edges[:, :1], east.edges[:, 1:]), axis=1), None

        moves.add(costs, [("beside", m, left)], None, masks)

    def _ell(self, rest: Table, deep: int, shape: tuple, moves: Candidates) -> None:
        """A stepped box (刀把): the first story's headline and a few lines of text span the
        whole width; below that, its text goes on in the left `deep` columns alone, beside
        the rest of the part. The rest then starts lower than the first story (no bumping
        head, P3), which a guillotine cut cannot give.
        """
        closed, cap, lower, own, low, high = shape
        if rest.lo > high or rest.hi < low:
            return
        if self._hopeless(moves, own + rest.least, 0, self.size):
            return
        costs = own + rest.costs.take(lower) + closed
        if costs[costs.argmin()] == INF:
            return

        def masks() -> tuple[np.ndarray, np.ndarray]:
            # The story's headline on both edges' top line; the rest's headlines along the
            # right edge below the cap (it shares the part's foot: no shift).
            edges = top_heads(self.size).copy()
            edges[:, 1] |= rest.edges.take(lower, axis=0)[:, 1]
            return edges, cap

        moves.add(costs, [("ell", deep)], None, masks)

    def _ell_over(self, part, deep, width, caps, moves: Candidates) -> None:
        """A 刀把 whose deep columns stop short of the foot: the first story's headline and
        cap span the width, its text goes on in the `deep` left columns down to a depth of
        its own, and under that leg the part's last stories begin (Q), while the others
        (R) sit beside the leg under the cap. R starts under the cap, Q lower still, so the
        three headlines are staggered (P3) where rows side by side would start together.
        Every way to divide the rest between R and Q, and every cap, at once.
        """
        cap, leg, own, at, (cap_lo, cap_hi, leg_lo, leg_hi), options = caps
        rest = part[1:]
        splits = []
        # At most the part's last two stories go under the leg: more would sit beside R's
        # lower stories out of reading order (P7).
        for k in range(max(1, len(rest) - MAX_UNDER), len(rest)):
            r = self.table(rest[:k], width - deep)
            if r is None:
                continue
            q = self.table(rest[k:], deep)
            if q is not None and not self._hopeless(
                    moves, own + r.least + q.least, max(r.lo + cap_lo, q.lo + leg_lo),
                    min(r.hi + cap_hi, q.hi + leg_hi)):
                splits.append((k, r, q))
        if not splits:
            return
        if at is None:
            at = caps[3] = cap_heights(cap, leg, self.size)
        r_at, q_at, closed, word, bit = at
        size = self.size
        heights = self._heights
        if len(splits) == 1:
            _, r, q = splits[0]
            r_costs, q_costs = r.costs[None], q.costs[None]          # (K, S)
        else:
            r_costs = np.array([r.costs for _, r, _ in splits])
            q_costs = np.array([q.costs for _, _, q in splits])
        costs = own + r_costs.take(r_at, axis=1) + q_costs.take(q_at, axis=1)   # (K, C, S)
        # Q's headline starts on the seam, line h - 1 - leg from the foot they share with R
        # at height h: a bump if one of R's own headlines along that edge starts within 2
        # lines of it (P3). (Never when R is one story: its only headline is at its top, and
        # the seam is 6 lines lower.)
        if not all(r.heads for _, r, _ in splits):
            reach = np.array([r.reach() for _, r, _ in splits])      # (K, S, 2)
            bits = (reach[:, r_at, word] >> bit) & ONE             # (K, C, S)
            costs = costs + W_BUMP * bits
        costs += closed
        flat = costs.reshape(-1, size)
        best = flat.argmin(axis=0)
        chosen = flat[best, heights]
        if chosen[chosen.argmin()] == INF:
            return

        def masks() -> tuple[np.ndarray, None]:
            kk, cc = np.divmod(best, len(cap))
            kk *= size
            rights = np.concatenate([r.right for _, r, _ in splits])
            lefts = np.concatenate([q.left for _, _, q in splits])
            # The story's headline on both edges' top line; Q's along the left edge under
            # the leg, R's along the right under the cap (both share the part's foot).
            edges = top_heads(size).copy()
            edges[:, 0] |= lefts.take(kk + q_at[cc, heights], axis=0)
            edges[:, 1] |= rights.take(kk + r_at[cc, heights], axis=0)
            return edges, None

        moves.add(chosen, lambda: [("over", deep, k, c, g) for k, _, _ in splits
                                   for c, g in options], best, masks)

    def _steps(self, story: int, width: int) -> list[tuple[int, tuple | None, tuple | None]]:
        """The 刀把 the story may take at `width`: (deep columns, its shape reaching the
        foot or None, its caps stopping short or None), by deep columns; every count of deep
        columns worked out at once."""
        key = (story, width)
        found = self._step_lists.get(key)
        if found is None:
            found = self._step_lists[key] = []
            fit = self._stepped_fit(story, width)
            if fit is not None and width > 1:
                # The story's own cost as if set tight in a rectangle of its width (its spare
                # is ≤ 2 lines by construction), plus a little for the stepped shape.
                cells = fit.body_lines
                own = self._cost(fit, fit.head + -(-cells // width), cells, story) + W_ELL
                shapes = ell_shapes(fit, width, own, self.size)
                caps = cap_options(fit, width, own, self.size)
                for deep in range(1, width):
                    if shapes[deep] is not None or caps[deep] is not None:
                        found.append((deep, shapes[deep], caps[deep]))
        return found

    def _stepped_fit(self, story: int, width: int):
        """The story's fit at `width` when it may take a 刀把 at that span (text only: no
        photo, no obstacle), else None. Too short for the whole width as a rectangle (P5) is
        fine: the short columns get their 6 lines by construction and the deep ones more."""
        if width not in self.spans[story]:
            return None
        fit = self.fit(story, width)
        if not fit.feasible and not fit.reason.endswith("(P5)") or fit.photos \
                or fit.obstacle_cells or not fit.body_lines:
            return None
        return fit

    # ------------------------------------------------------------------ result

    def boxes(self, part: tuple[int, ...], width: int, height: int, column: int = 0,
              top: int = 0) -> list[Box]:
        table = self.table(part, width)
        assert table is not None
        move, split = table.move(height)
        if move[0] == "leaf":
            story = part[0]
            fit = self.fit(story, width)
            return [Box(story, column, top, width, height, fit.photo_lines(height - 1))]
        if move[0] == "stack":
            m = move[1]
            first = split
            return (self.boxes(part[:m], width, first, column, top)
                    + self.boxes(part[m:], width, height - first, column, top + first))
        if move[0] == "ell":
            deep = move[1]
            cap = split
            depths = (height,) * deep + (cap,) * (width - deep)
            return ([Box(part[0], column, top, width, height, (), depths)]
                    + self.boxes(part[1:], width - deep, height - cap, column + deep,
                                 top + cap))
        if move[0] == "over":
            _, deep, k, cap, leg = move
            depths = (leg,) * deep + (cap,) * (width - deep)
            rest = part[1:]
            return ([Box(part[0], column, top, width, leg, (), depths)]
                    + self.boxes(rest[:k], width - deep, height - cap, column + deep,
                                 top + cap)
                    + self.boxes(rest[k:], deep, height - leg, column, top + leg))
        _, m, left = move
        return (self.boxes(part[:m], left, height, column, top)
                + self.boxes(part[m:], width - left, height, column + left, top))


_MISSING = object()

