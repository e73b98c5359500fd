"""The dynamic program's tables and their numpy operations.

A table holds, for one part of the story sequence in one width, the cheapest cost of every
height (grid lines, the index), the move that gives it, where a stack or a 刀把 splits, and
bit masks of the lines on which a headline starts along the part's left and right edge
(two 64-bit words a height) — what the bumping-heads rule (P3) needs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np

INF = math.inf


@dataclass
class Table:
    """Cheapest cost per height, the move that gives it and (for a stack) where it splits.

    `left` and `right` are, per height, bit masks of the lines (from the part's top) on which
    a headline starts along the part's left and right edge: two 64-bit words a height. Both
    are views of `edges` (height, edge, word), so that a move can carry both at once.
    """

    costs: np.ndarray
    choice: np.ndarray
    split: np.ndarray
    moves: list
    left: np.ndarray
    right: np.ndarray
    _reach: np.ndarray | None = None
    lo: int = 1 << 30           # the finite heights lie in lo..hi (lo > hi: none)
    hi: int = -1
    least: float = INF          # the cheapest finite cost (a lower bound for pruning)
    _behind: np.ndarray | None = None
    edges: np.ndarray | None = None
    heads: str = ""             # "top": one headline, at the top, at every height (a story's
    #                             leaf); "none": no headline (a picture-only story's leaf)

    def bound(self) -> None:
        """Set lo, hi and least from the costs."""
        costs = self.costs
        # (ndarray methods: the np.* functions of the same name cost a few µs more a call,
        # and the search makes hundreds of thousands of such calls.)
        finite = (costs < INF).nonzero()[0]
        if len(finite):
            self.lo, self.hi = int(finite[0]), int(finite[-1])
            # The first cheapest: ∞ never undercuts a finite cost.
            self.least = float(costs[costs.argmin()])

    def behind(self) -> np.ndarray:
        """A view V with V[size - 1 - t, a] = costs[t - a] (∞ where a > t): row size-1-t
        of it is this part's cost under an upper part `a` lines deep, for a total t."""
        if self._behind is None:
            size = len(self.costs)
            flipped = np.concatenate((self.costs[::-1], np.full(size + 1, INF)))
            step = flipped.strides[0]
            # (np.ndarray over the buffer: as_strided does the same ten times slower.)
            self._behind = np.ndarray((size + 1, size), flipped.dtype, flipped,
                                      strides=(step, step))
        return self._behind

    def reach(self) -> np.ndarray:
        """The left-edge masks widened by two lines each way (computed once)."""
        if self._reach is None:
            if self.heads == "top":         # a leaf: lines 0-2 at every height
                self._reach = _top_reach(len(self.costs))
            else:
                self._reach = dilate(self.left)
        return self._reach

    @classmethod
    def empty(cls, size: int, costs: np.ndarray | None = None) -> Table:
        edges = np.zeros((size, 2, 2), dtype=np.uint64)
        return cls(_infinite(size) if costs is None else costs,
                   np.zeros(size, dtype=np.int32), np.zeros(size, dtype=np.int32), [],
                   edges[:, 0], edges[:, 1], edges=edges)

    @classmethod
    def of(cls, costs: np.ndarray, move, *, headed: bool) -> Table:
        table = cls.empty(len(costs))
        table.costs = costs
        table.moves.append(move)
        if headed:
            table.left[:, 0] = 1
            table.right[:, 0] = 1
        table.heads = "top" if headed else "none"
        table.bound()
        return table


ONE = np.uint64(1)
_TWO = np.uint64(2)
_SIXTY_TWO = np.uint64(62)
_SIXTY_THREE = np.uint64(63)
_SIXTY_FOUR = np.uint64(64)


def tops_bump(west: Table, east: Table) -> bool:
    """Two leaves side by side: their headlines bump at the top at every height, unless one
    is a picture-only story (no headline to bump, P3)."""
    return west.heads == east.heads == "top"


def shift(masks: np.ndarray, by: np.ndarray) -> np.ndarray:
    """Each two-word mask shifted up by its own number of lines (0 ≤ by < 128)."""
    lo, hi = masks[:, 0], masks[:, 1]
    by = by.astype(np.uint64)
    small = by < _SIXTY_FOUR
    s = by & _SIXTY_THREE       # by, or by - 64 for the big shifts
    # The bits carried from the low word: lo >> (64 - s), as two shifts so that s = 0 (a
    # shift by 64, which numpy leaves to the machine) carries nothing.
    carry = (lo >> ONE) >> (_SIXTY_THREE - s)
    low = lo << s
    out = np.empty_like(masks)
    out[:, 0] = np.where(small, low, 0)
    out[:, 1] = np.where(small, (hi << s) | carry, low)
    return out


def lowered(table: Table, by: np.ndarray, heights: np.ndarray) -> np.ndarray:
    """The table's edge masks (height, edge, word) at `heights`, moved down `by` lines: a
    leaf's need no shift (one headline at the top, or none)."""
    if table.heads == "top":
        return _one_bit(len(table.costs))[by][:, None, :]
    if table.heads == "none":
        return np.zeros((len(by), 1, 2), dtype=np.uint64)
    return shift(table.edges[heights].reshape(-1, 2), np.repeat(by, 2)).reshape(-1, 2, 2)


def _infinite(size: int) -> np.ndarray:
    """A new array of `size` infinite costs (a copy of a kept one: np.full costs more)."""
    return _all_infinite(size).copy()


@cache
def _all_infinite(size: int) -> np.ndarray:
    out = np.full(size, INF)
    out.flags.writeable = False
    return out


@cache
def _rows(size: int) -> np.ndarray:
    """0, 1, …, size - 1 (kept: the convolution indexes its rows with it)."""
    out = np.arange(size)
    out.flags.writeable = False
    return out


@cache
def _top_reach(size: int) -> np.ndarray:
    out = np.zeros((size, 2), dtype=np.uint64)
    out[:, 0] = 7
    out.flags.writeable = False
    return out


@cache
def _one_bit(size: int) -> np.ndarray:
    """[a] → the two-word mask with only line a set."""
    out = np.zeros((size, 2), dtype=np.uint64)
    for a in range(size):
        out[a, a // 64] = np.uint64(1) << np.uint64(a % 64)
    return out


def dilate(masks: np.ndarray) -> np.ndarray:
    """Masks widened by two lines up and down: starts closer than 3 lines count as one."""
    out = masks | (masks << ONE) | (masks << _TWO) | (masks >> ONE) | (masks >> _TWO)
    lo, hi = masks[:, 0], masks[:, 1]
    # The bits that cross between the words: the low word's top two lines move up into the
    # high word, the high word's bottom two down into the low word.
    out[:, 0] |= (hi << _SIXTY_THREE) | (hi << _SIXTY_TWO)
    out[:, 1] |= (lo >> _SIXTY_THREE) | (lo >> _SIXTY_TWO)
    return out


def convolve(top: Table, bottom: Table) -> tuple[np.ndarray | None, np.ndarray]:
    """Min-plus convolution: the cheapest upper + lower for every total height, and the
    upper height that gives it (the first, i.e. the shallowest upper part, on a tie).

    Dense over the totals t and upper heights a that can be finite: a strided view of the
    lower part's costs gives lower[t - a] for all of them without a copy (see
    `Table.behind`), and one addition and one argmin do all totals at once.
    """
    size = len(top.costs)
    t0, t1 = top.lo + bottom.lo, min(top.hi + bottom.hi, size - 1)
    a0, a1 = top.lo, top.hi + 1
    sums = bottom.behind()[size - 1 - t1:size - t0][::-1, a0:a1] + top.costs[a0:a1]
    arg = sums.argmin(axis=1)
    least = sums[_rows(size)[:len(sums)], arg]
    split = np.zeros(size, dtype=np.int32)
    if least[least.argmin()] == INF:
        return None, split
    out = _infinite(size)
    out[t0:t1 + 1] = least
    split[t0:t1 + 1] = arg + a0      # (read only where the cost is finite)
    return out, split


class Candidates:
    """The moves tried for one table, in the order tried. Each gives a cost per height (and
    which of its own variants gives it); the cheapest wins each height, the first tried on
    a tie (P10). The headline masks are made at the end, for the winners only: most moves
    win nowhere, and masks cost more to make than costs.
    """

    def __init__(self, size: int):
        self.size = size
        self.floor: np.ndarray | None = None     # the cheapest cost so far, per height
        self.groups: list[tuple] = []

    def covered(self, least: float, lo: int, hi: int) -> bool:
        """Whether the moves so far cost at most `least` at every height in lo..hi."""
        if self.floor is None:
            return False
        floor = self.floor[lo:hi + 1]
        # (An empty range is covered: no height is left for the move to fill.)
        return not len(floor) or bool(floor[floor.argmax()] <= least)

    def add(self, costs: np.ndarray, moves: list | Callable[[], list],
            which: np.ndarray | None, masks: Callable[[Table, np.ndarray], None]) -> None:
        """A move's costs per height, made by `moves[which[h]]` (or `moves[0]`; `moves`
        may be a function making the list, called only if the move wins somewhere); `masks`
        fills a table's split and edge masks at the heights (a boolean array) it wins."""
        if self.floor is None:
            self.floor = costs.copy()
        else:
            np.minimum(self.floor, costs, out=self.floor)
        self.groups.append((costs, which, moves, masks))

    def table(self, bound: float) -> Table | None:
        """The cheapest per height (entries costing `bound` or more dropped), or None."""
        if self.floor is None:
            return None
        costs = self.floor
        if bound < INF:
            costs[costs >= bound] = INF
        if costs[costs.argmin()] == INF:
            return None
        finite = costs < INF
        table = Table.empty(self.size, costs)
        if len(self.groups) == 1:
            winners, wins = [0], finite
        else:
            # np.argmin takes the first of equal costs: the move tried first wins a tie.
            wins = np.array([g[0] for g in self.groups]).argmin(axis=0)
            winners = np.bincount(wins[finite]).nonzero()[0].tolist()
        for group in winners:
            _, which, moves, masks = self.groups[group]
            at = finite if len(self.groups) == 1 else finite & (wins == group)
            base = len(table.moves)
            table.moves.extend(moves() if callable(moves) else moves)
            table.choice[at] = base if which is None else base + which[at]
            masks(table, at)
        table.bound()
        return table
