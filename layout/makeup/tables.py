"""The dynamic program's tables and their numpy operations.

A table holds, for one part of the story sequence in one width, the cheapest cost of every
height (grid lines, the index), the move that gives it, where a stack or a 刀把 splits, and
bit masks of the lines on which a headline starts along the part's left and right edge
(two 64-bit words a height) — what the bumping-heads rule (P3) needs.

The masks count lines up from the part's foot: bit j at height h is line h - 1 - j from the
top. Parts side by side share their foot (and their height), so their masks compare as
they are; and a part set under a 刀把's cap, under its leg or under another part in a stack
keeps its masks unchanged in the whole, where counted from the top they would move down
by the height above it. Only a stack's upper part moves (up, by the lower one's height).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

import numpy as np

INF = math.inf


class Table:
    """Cheapest cost per height, the move that gives it and (for a stack) where it splits.

    `left` and `right` are, per height, bit masks of the lines (from the part's foot) on
    which a headline starts along the part's left and right edge: two 64-bit words a height. Both
    are views of `edges` (height, edge, word), so that a move can carry both at once.

    Only the heights with a finite cost are ever read: what the masks hold at the others is
    left as the winning moves made them (a move works its masks out at every height at
    once, which costs less than picking out the heights it wins). Which move gives a height
    (`move`) is read only for the few tables a page's layout is read back from: it is kept
    as the moves left it, per winning move, not gathered into one array per table.
    """

    __slots__ = ("costs", "moves", "edges", "left", "right", "heads", "lo", "hi", "least",
                 "_picks", "_reach", "_behind")

    def __init__(self, costs: np.ndarray, moves: list, edges: np.ndarray,
                 picks: tuple | None = None, heads: str = ""):
        self.costs = costs
        self.moves = moves
        # (the winning move's group per height or None for one group, {group: (its first
        # index in moves, which of its moves per height or None, its split or None)})
        self._picks = _LEAF_PICKS if picks is None else picks
        self.edges = edges
        self.left, self.right = edges[:, 0], edges[:, 1]
        # "top": one headline, at the top, at every height (a story's leaf); "none": no
        # headline (a picture-only story's leaf); "": any other table.
        self.heads = heads
        self.lo = 1 << 30           # the finite heights lie in lo..hi (lo > hi: none)
        self.hi = -1
        self.least = INF            # the cheapest finite cost (a lower bound for pruning)
        self._reach: np.ndarray | None = None
        self._behind: np.ndarray | None = None
        self.bound()

    def move(self, height: int) -> tuple[tuple, int]:
        """The move that gives the cost at `height`, and where it splits (a stack's upper
        part's height, a 刀把's cap; else 0)."""
        wins, picks = self._picks
        base, which, split = picks[0 if wins is None else int(wins[height])]
        move = self.moves[base if which is None else base + int(which[height])]
        return move, 0 if split is None else int(split[height])

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
        else:
            self.lo, self.hi, self.least = 1 << 30, -1, INF

    def behind(self) -> np.ndarray:
        """A view V with V[size - 1 - t, a] = costs[t - a] (∞ where a > t): row size-1-t
        of it is this part's cost under an upper part `a` lines deep, for a total t."""
        if self._behind is None:
            size = len(self.costs)
            flipped = np.concatenate((self.costs[::-1], _all_infinite(size + 1)))
            step = flipped.strides[0]
            # (np.ndarray over the buffer: as_strided does the same ten times slower.)
            self._behind = np.ndarray((size + 1, size), flipped.dtype, flipped,
                                      strides=(step, step))
        return self._behind

    def reach(self) -> np.ndarray:
        """The left-edge masks widened by two lines each way (computed once)."""
        if self._reach is None:
            if self.heads == "top":         # a leaf: the top three lines at every height
                self._reach = _top_reach(len(self.costs))
            else:
                self._reach = dilate(self.left)
        return self._reach

    @classmethod
    def of(cls, costs: np.ndarray, move, *, headed: bool) -> Table:
        """A story's own table (a leaf): its headline, if any, on the top line at every
        height (the masks are shared: no table's masks are written once it is made)."""
        size = len(costs)
        return cls(costs, [move], top_heads(size) if headed else _no_heads(size), None,
                   "top" if headed else "none")


@cache
def top_heads(size: int) -> np.ndarray:
    """Edge masks (height, edge, word) with a headline on the top line of both edges, at
    every height: line h - 1 from the foot at height h."""
    out = np.zeros((size, 2, 2), dtype=np.uint64)
    out[1:] = _one_bit(size)[:-1, None, :]
    out.flags.writeable = False
    return out


@cache
def _no_heads(size: int) -> np.ndarray:
    out = np.zeros((size, 2, 2), dtype=np.uint64)
    out.flags.writeable = False
    return out


_LEAF_PICKS = (None, {0: (0, None, None)})


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
    """Each two-word mask (masks[..., 0] the low word) shifted up by its own number of
    lines, `by` (broadcast over masks[..., 0]; 0 ≤ by, and any bits shifted past line 127
    dropped)."""
    s = by.astype(np.uint64)[..., None]
    out = masks << s
    lo = masks[..., 0]
    s = s[..., 0]
    # The bits carried from the low word into the high one: lo >> (64 - s) for s ≤ 64, lo <<
    # (s - 64) for s ≥ 64. NumPy makes a shift by 64 or more zero (the wrap-around of a
    # negative count in uint64 included), so that the other term is zero in either case,
    # and s = 0 carries nothing.
    out[..., 1] |= (lo >> (_SIXTY_FOUR - s)) | (lo << (s - _SIXTY_FOUR))
    return out


def stacked(upper: Table, lower: Table, split: np.ndarray) -> np.ndarray:
    """The edge masks (height, edge, word) of `upper` over `lower` at every total height
    h, the upper part `split[h]` lines deep: the lower part's as they are, the upper's
    moved up by the lower's height (a leaf's need no shift: its headline is on the whole's
    top line, or it has none)."""
    heights = _rows(len(split))
    below = heights - split
    edges = lower.edges.take(below, axis=0)
    if upper.heads == "top":
        edges |= top_heads(len(split))
    elif upper.heads != "none":
        edges |= shift(upper.edges.take(split, axis=0), below[:, None])
    return edges


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
    out = dilate(top_heads(size)[:, 0])
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
            which: np.ndarray | None,
            masks: Callable[[], tuple[np.ndarray, np.ndarray | None]]) -> None:
        """A move's costs per height, made by `moves[which[h]]` (or `moves[0]`; `moves`
        may be a function making the list, called only if the move wins somewhere); `masks`
        makes its edge masks (height, edge, word) and split (or None) at every height."""
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
        groups = self.groups
        wins = None
        if len(groups) > 1:
            # argmin takes the first of equal costs: the move tried first wins a tie.
            wins = np.array([g[0] for g in groups]).argmin(axis=0)
            winners = np.bincount(wins[costs < INF]).nonzero()[0].tolist()
        else:
            winners = [0]
        moves: list = []
        picks = {}
        made = []
        for group in winners:
            _, which, made_moves, masks = groups[group]
            base = len(moves)
            moves.extend(made_moves() if callable(made_moves) else made_moves)
            edges, split = masks()
            picks[group] = (base, which, split)
            made.append(edges)
        if len(made) == 1:
            edges = made[0]
        else:
            # Each height's masks from its winner's rows: one `take` from the winners' rows
            # end to end (heights that nothing wins take the first winner's: never read).
            rank = np.zeros(len(groups), dtype=np.intp)
            rank[winners] = np.arange(0, self.size * len(winners), self.size)
            edges = np.concatenate(made).take(rank[wins] + _rows(self.size), axis=0)
        return Table(costs, moves, edges, (wins, picks))
