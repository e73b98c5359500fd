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
    a headline starts along the part's left and right edge: two 64-bit words a height.
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
    _finite: np.ndarray | None = None

    def finite(self) -> np.ndarray:
        """Heights with a finite cost (computed once: a table is final once built)."""
        if self._finite is None:
            self._finite = np.flatnonzero(np.isfinite(self.costs))
        return self._finite

    def bound(self) -> None:
        finite = self.finite()
        if len(finite):
            self.lo, self.hi = int(finite[0]), int(finite[-1])
            self.least = float(self.costs[finite].min())

    def reach(self) -> np.ndarray:
        """The left-edge masks widened by two lines each way (computed once)."""
        if self._reach is None:
            self._reach = dilate(self.left)
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
        table.bound()
        return table


ONE = np.uint64(1)
_SIXTY_THREE = np.uint64(63)
_SIXTY_FOUR = np.uint64(64)


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


def dilate(masks: np.ndarray) -> np.ndarray:
    """Masks widened by two lines up and down: starts closer than 3 lines count as one."""
    out = masks.copy()
    lo, hi = masks[:, 0], masks[:, 1]
    for k in (1, 2):
        n = np.uint64(k)
        back = np.uint64(64 - k)
        out[:, 0] |= (lo << n) | (lo >> n) | (hi << back)
        out[:, 1] |= (hi << n) | (hi >> n) | (lo >> back)
    return out


def convolve(top: Table, bottom: Table) -> tuple[np.ndarray | None, np.ndarray]:
    """Min-plus convolution: the cheapest upper + lower for every total height, and the
    upper height that gives it (the first, i.e. the shallowest upper part, on a tie).

    Dense over the finite upper heights a: one gather of lower[t - a] for every total t (an
    index matrix made once per size; a negative height points at an appended ∞), one
    addition and one argmin do all totals at once.
    """
    upper, lower = top.costs, bottom.costs
    size = len(upper)
    a = top.finite()
    sums = upper[a] + np.append(lower, INF)[_differences(size)[:, a]]
    arg = np.argmin(sums, axis=1)
    out = sums[np.arange(size), arg]
    finite = np.isfinite(out)
    if not finite.any():
        return None, np.zeros(size, dtype=np.int32)
    return out, np.where(finite, a[arg], 0).astype(np.int32)


@cache
def _differences(size: int) -> np.ndarray:
    """[t, a] → t - a, or `size` (the index of an appended ∞) where a > t."""
    diff = np.arange(size)[:, None] - np.arange(size)[None, :]
    return np.where(diff < 0, size, diff)


class Candidates:
    """The moves tried for one table, in the order tried. Each gives a cost per height (and
    which of its own variants gives it); the cheapest wins each height, the first tried on
    a tie (P10). The headline masks are made at the end, for the winners only: most moves
    win nowhere, and masks cost more to make than costs.
    """

    def __init__(self, size: int):
        self.size = size
        self.floor: np.ndarray | None = None     # the cheapest cost so far, per height
        self.groups: list[tuple[np.ndarray, np.ndarray | None, list, Callable]] = []

    def covered(self, least: float, lo: int, hi: int) -> bool:
        """Whether the moves so far cost at most `least` at every height in lo..hi."""
        return self.floor is not None and bool((self.floor[lo:hi + 1] <= least).all())

    def add(self, costs: np.ndarray, moves: list, which: np.ndarray | None,
            masks: Callable[[Table, np.ndarray], None]) -> None:
        """A move's costs per height, made by `moves[which[h]]` (or `moves[0]`); `masks`
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
        finite = np.isfinite(costs)
        if not finite.any():
            return None
        table = Table.empty(self.size)
        table.costs = costs
        if len(self.groups) == 1:
            winners, wins = [0], finite
        else:
            # np.argmin takes the first of equal costs: the move tried first wins a tie.
            wins = np.argmin(np.array([g[0] for g in self.groups]), axis=0)
            winners = np.unique(wins[finite]).tolist()
        for group in winners:
            _, which, moves, masks = self.groups[group]
            at = finite if len(self.groups) == 1 else finite & (wins == group)
            base = len(table.moves)
            table.moves.extend(moves)
            table.choice[at] = base if which is None else base + which[at]
            masks(table, at)
        table.bound()
        return table
