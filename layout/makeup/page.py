"""One page's makeup: the free area around the locked boxes, and the search over it.

The free area (the grid minus the masthead and the editor's locked boxes) is cut, guillotine
fashion, into rectangles, read top to bottom and left to right. The stories, in priority
order, are dealt out to the rectangles as consecutive runs (a more important story never
lands in a later rectangle than a less important one, P7), and each rectangle is solved
by `solve.Solver`. Variants of the sequence — a photo story moved between two text stories
so that their headlines do not bump (P3), neighbours swapped — are tried while time allows;
the cheapest page wins, the first found on a tie (P10).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from math import inf as INF  # solve.INF
from typing import TYPE_CHECKING

from layout.model.edition import Article
from layout.page.measure import Measurer

if TYPE_CHECKING:
    from layout.makeup.solve import Box, Solver

# The search (layout.makeup.solve, with numpy: ~100 ms to import) is imported by the
# functions that run it, so that a build whose stories all have places never loads it.

W_DROP = 4000.0     # a story left off the page (reported with its fixes), plus its rank's
#                     share: leaving out the least important story is the cheapest cut
W_ORDER = 6.0       # P7: a less important story above a more important one
W_FAR = 60.0        # P7: … above one three or more places more important
MAX_ORDERS = 3      # story orders searched on a page the first order leaves unclean
SHORT_LINES = 1     # a page short by this many empty lines (none left out) is not searched
#                     again elastically (see solve_page)
W_STRIP = 400.0     # 缺版: each empty column beside a run too narrow for its rectangle


@dataclass(frozen=True, slots=True)
class Rect:
    column: int
    top: int
    span: int
    depth: int

    @property
    def cells(self) -> int:
        return self.span * self.depth


@dataclass(frozen=True, slots=True)
class Placed:
    story: int
    column: int             # page column, 0-based
    top: int
    span: int
    depth: int
    photo_lines: tuple[int, ...]
    depths: tuple[int, ...] = ()    # a stepped box (刀把)


@dataclass
class PageSolution:
    placed: list[Placed] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)     # stories that found no room
    empty: list[Rect] = field(default_factory=list)      # rectangles left without a story
    cost: float = INF
    elastic: bool = False       # no exact fill existed: overflow or spare was allowed
    timed_out: bool = False
    seconds: float = 0.0
    tried: int = 0
    unfit: list[int] = field(default_factory=list)      # fit no free rectangle at all
    blocked: int | None = None      # the first story the deal could not set in order


def free_rects(columns: int, lines: int,
               blocked: Sequence[tuple[int, int, int, int]]) -> list[Rect]:
    """Guillotine cut of the grid around blocked rectangles (column, end column, top, end)."""
    blocked = tuple(blocked)

    @cache
    def cut(c0: int, c1: int, t0: int, t1: int) -> tuple[Rect, ...]:
        inside = [(max(a, c0), min(b, c1), max(t, t0), min(e, t1)) for a, b, t, e in blocked
                  if a < c1 and b > c0 and t < t1 and e > t0]
        if not inside:
            return (Rect(c0, t0, c1 - c0, t1 - t0),)
        if sum((b - a) * (e - t) for a, b, t, e in inside) >= (c1 - c0) * (t1 - t0):
            return ()
        options = []
        for y in sorted({t for _, _, t, _ in inside} | {e for _, _, _, e in inside}):
            if t0 < y < t1 and not any(t < y < e for _, _, t, e in inside):
                options.append(cut(c0, c1, t0, y) + cut(c0, c1, y, t1))
        for x in sorted({a for a, _, _, _ in inside} | {b for _, b, _, _ in inside}):
            if c0 < x < c1 and not any(a < x < b for a, b, _, _ in inside):
                options.append(cut(c0, x, t0, t1) + cut(x, c1, t0, t1))
        if not options:
            return ()       # a pinwheel of locked boxes: no guillotine cut frees it
        # Fewest rectangles, then the largest one: room for wide stories.
        return min(options, key=lambda rects: (len(rects), -max((r.cells for r in rects),
                                                                default=0)))

    rects = cut(0, columns, 0, lines)
    return sorted(rects, key=lambda r: (r.top, r.column))


def variants(solution: PageSolution, stories: Sequence[Article]) -> list[tuple[int, ...]]:
    """Orders worth a search when the priority order leaves the page unclean, most promising
    first: for each pair read far out of order (a story above one three or more places more
    important, P7), the more important one swapped with its successor and the less important
    one with its predecessor; for bumping heads (P3), a photo story moved between two text
    stories. The lead stays first.

    Which order gives the best page is hard to foresee (each is a whole search), and only
    the first one or two are searched: the orders that keep more of the priority order's
    head come first (the first story they move, furthest down first). Of the swaps, the one
    furthest down was the best on 22 of 70 pages (the 16-page bench and 120 corpus pages,
    benchmarks/makeup_corpus.py), the one furthest up on 14."""
    n = len(stories)
    base = list(range(n))
    out: list[tuple[int, ...]] = []

    def add(order: list[int]) -> None:
        if order != base and tuple(order) not in out:
            out.append(tuple(order))

    placed = solution.placed
    for i in sorted({k for a in placed for b in placed if a.story + 3 <= b.story
                     and b.top < a.top for k in (a.story, b.story - 1)}):
        if 1 <= i < n - 1:
            order = base.copy()
            order[i], order[i + 1] = order[i + 1], order[i]
            add(order)
    if bumping_pairs(placed, stories):
        for p in (i for i, a in enumerate(stories) if i and not a.body and a.photos):
            rest = [i for i in base if i != p]
            for position in range(1, min(n, 6)):
                add(rest[:position] + [p] + rest[position:])
    # (A stable sort: a swap before a photo story's move that starts at the same place.)
    return sorted(out, key=lambda order: -next(k for k in range(n) if order[k] != k))


def _without(solution: PageSolution, count: int) -> tuple[int, ...] | None:
    """The priority order with the story that stopped the deal (see _deal) moved to the
    end, if there is one: the stories after it are then dealt without it (a single
    rectangle takes one run of the order, so the deal cannot leave it out there), and it is
    still set at the end if room is left."""
    story = solution.blocked
    if story is None or story == count - 1:
        return None
    return tuple(k for k in range(count) if k != story) + (story,)


def solve_page(stories: Sequence[Article], rects: Sequence[Rect], measurer: Measurer, *,
               columns: int, lines: int, time_limit: float) -> PageSolution:
    """The cheapest layout of `stories` (priority order) in the free rectangles.

    The time limit counts this process's CPU time, not the wall clock: a build on a busy
    machine searches as far as on an idle one, so the page does not depend on the load.
    """
    from layout.makeup.solve import Solver, Timeout

    started = time.process_time()
    deadline = started + time_limit
    target = max(12.0, 0.3 * lines)
    best = PageSolution()
    # The priority order, then (only if its page is not clean) the variants: each is a whole
    # search, bounded by the best page so far; a bump none removes is boxed afterwards
    # (frames.frame_bumps).
    orders: list[tuple[int, ...]] = [tuple(range(len(stories)))]
    solver = None
    exact = False       # the priority order fills the page exactly
    improved = False    # a variant gave a better page, with fewer P3/P7 defects
    defects = 0         # the priority order's page's bumps and far pairs
    solvers = {}
    for elastic in (False, True):
        plain, solver = solver, Solver(stories, measurer, page_columns=columns, lines=lines,
                                       target=target, elastic=elastic)
        solvers[elastic] = solver
        if plain is not None:
            solver.reuse(plain)
        # The elastic pass is dearer (wider depth ranges): the priority order alone. Either
        # pass also tries, if the deal could not set every story in order, the order with
        # the story that stopped it moved to the end.
        todo = orders[:1] if elastic else orders
        swaps: list[tuple[int, ...]] = []      # the variants (swaps, P3 moves) in todo
        for count, order in enumerate(todo):
            if improved and order in swaps:
                # A variant has given a better page with fewer bumps and far pairs than the
                # priority order's (what the variants are for): the next is not searched
                # (it rarely improves the page again, and each is a whole search; the order
                # with the blocking story moved still is).
                continue
            # The first order is solved in full while there is no page at all; everything
            # after it (variants, the elastic pass) only while time is left. The elastic pass
            # of a crowded page can take seconds (3.5 s for 40 stories on a broadsheet).
            solver.deadline = None if count == 0 and best.cost == INF else deadline
            solver.bound = best.cost
            try:
                found = _deal(solver, order, rects, lines)
            except Timeout:
                best.timed_out = True
                break
            best.tried += 1
            found.cost += _extras(found.placed, stories)
            if found.cost < best.cost:
                found.tried, found.timed_out, found.elastic = best.tried, False, elastic
                best = found
                improved = order in swaps and _defects(found, stories) < defects
            if _clean(best, stories):
                break       # a clean page (filled, in order, no bump): keep it
            if count == 0:
                if not elastic:
                    exact = found.cost < INF and not found.dropped and not found.empty
                    defects = _defects(found, stories)
                    swaps = variants(found, stories)[:MAX_ORDERS - 1]
                    todo.extend(swaps)
                moved = _without(found, len(stories))
                if moved is not None and moved not in todo:
                    todo.append(moved)
        if exact or best.cost < INF and not best.dropped \
                and sum(r.depth for r in best.empty) <= SHORT_LINES:
            # An exact fill exists: no story needs to overflow or run short. (The elastic
            # pass searches the priority order alone: where that order fills the page
            # exactly, it never beat the variant chosen over that fill — 0 of 3 pages on
            # the corpus and the 16-page bench, for ~55 ms each.) Nor where the page sets
            # every story and is short by one empty line (P1): there it ran on 4 of the
            # 16 bench pages and improved two by 5 and 6 (of ~1,000), and 2 of 120 corpus
            # pages by 338 and 20.
            break
        if time.process_time() > deadline and best.cost < INF:
            best.timed_out = True
            break
    if (best.dropped or best.elastic and best.empty) and best.cost < INF:
        # Where the page leaves a story out, or runs stories over beside empty rectangles:
        # runs narrower than their rectangle in its left part (only here — each narrower
        # width is a whole table: ~25 % of the corpus's search CPU when tried on every
        # page; a lead with a tall photo ran 11 lines over in 1 column of a row across the
        # page, 73 lines empty below), then the stories still out in the holes.
        solver = solvers.get(True) or solvers[False]
        solver.deadline, solver.bound = deadline, INF
        try:
            found = _deal(solver, orders[0], rects, lines, narrow=True)
            found.cost += _extras(found.placed, stories)
            if found.cost < best.cost:
                found.tried, found.elastic = best.tried + 1, solver.elastic
                best = found
            if best.dropped and best.empty:
                _refill(best, solvers[best.elastic], stories, lines)
        except Timeout:
            best.timed_out = True
    best.seconds = time.process_time() - started
    return best


def _refill(best: PageSolution, solver: Solver, stories: Sequence[Article],
            lines: int) -> None:
    """Deal the stories the page left out to the rectangles it left empty. A rectangle
    takes one run of stories across its width: a story as wide as the page (min_span 8)
    over three narrow ones took the top and left the others off the page with 69 lines
    empty below it. The holes are a second chance for them, in priority order (P7: they
    are less important than what is set above them); the page's cost is made again."""
    from layout.makeup.solve import W_EMPTY

    holes = sorted(best.empty, key=lambda r: (r.top, r.column))
    found = _deal(solver, tuple(best.dropped), holes, lines, narrow=True)
    if not found.placed:
        return
    count = len(stories)
    left_out = sum(_drop_cost(k, count) for k in best.dropped) + \
        sum(W_EMPTY * r.cells / max(1, r.span) for r in holes)
    best.cost -= left_out + _extras(best.placed, stories)
    best.placed.extend(found.placed)
    best.cost += found.cost + _extras(best.placed, stories)
    best.dropped = found.dropped
    best.unfit = [k for k in best.unfit if k in found.dropped]
    best.empty = found.empty


def _extras(placed: Sequence[Placed], stories: Sequence[Article]) -> float:
    """What the deal does not price: bumping heads (P3) and reading order (P7)."""
    from layout.makeup.solve import W_BUMP

    return len(bumping_pairs(placed, stories)) * W_BUMP + _inversions(placed) * W_ORDER + \
        _inversions(placed, 3) * W_FAR


def _deal(solver: Solver, order: tuple[int, ...], rects: Sequence[Rect],
          lines: int, narrow: bool = False) -> PageSolution:
    """Deal the ordered stories out to the rectangles as consecutive runs (a small DP).

    A run fills its rectangle, or its top part with the rest left empty (缺版, charged per
    empty line): too little copy is set and reported, never left off the page. A story
    that fits no rectangle in any shape is left out of the sequence first, and the deal
    may leave out a story between runs: either is charged as a story not set (the least
    important is the cheapest to leave out), so that one story without room does not
    take every story after it off the page.
    """
    import numpy as np

    from layout.makeup.solve import W_EMPTY

    count = len(solver.stories)

    def drop(story: int) -> float:
        return _drop_cost(story, count)

    given = order
    unfit = [k for k in order if not _fits_somewhere(solver, k, rects, lines)]
    if unfit:
        order = tuple(k for k in order if k not in unfit)
    n, m = len(order), len(rects)
    best: dict[tuple[int, int, bool], tuple[float, int, int, int]] = {}
    runs: dict[tuple[int, int, int], tuple[float, int, int]] = {}

    def run_cost(r: int, i: int, j: int) -> tuple[float, int, int]:
        found = runs.get((r, i, j))
        if found is None:
            found = runs[(r, i, j)] = _run_cost(r, i, j)
        return found

    def _run_cost(r: int, i: int, j: int) -> tuple[float, int, int]:
        """Cheapest cost of stories i..j in rectangle r, the height they take (a part
        reaching the foot of the type area is solved one line deeper: see Solver.size) and
        the width. With `narrow`, the run may also take a left part of the rectangle, the
        rest left empty (缺版, charged per empty cell and column): short stories that P5
        keeps narrow on a wide, empty page are set rather than all left off it."""
        rect = rects[r]
        found = _part_cost(rect, i, j, rect.span)
        for width in range(rect.span - 1, 0, -1) if narrow else ():
            part = _part_cost(rect, i, j, width)
            if part[0] < found[0]:
                found = part
        return found

    def _part_cost(rect: Rect, i: int, j: int, width: int) -> tuple[float, int, int]:
        full = rect.depth + (rect.top + rect.depth == lines)
        table = solver.table(order[i:j], width)
        if table is None:
            return INF, full, width
        # Empty columns down the whole rectangle cost a little more than the same cells at
        # its foot (the foot can still take a wide story, a strip cannot), never as much as
        # a story left out: W_STRIP × 7 columns < the cheapest drop (6,400).
        beside = (W_EMPTY * rect.depth / rect.span + W_STRIP) * (rect.span - width)
        found = (float(table.costs[full]) + beside, full, width)
        costs = table.costs[:rect.depth]
        empty = W_EMPTY * width * (rect.depth - np.arange(rect.depth)) / rect.span
        total = costs + empty
        h = int(np.argmin(total))
        if total[h] + beside < found[0]:
            found = (float(total[h]) + beside, h, width)
        return found

    def go(r: int, i: int, skips: bool) -> float:
        if r == m:
            return sum(drop(order[k]) for k in range(i, n))
        key = (r, i, skips)
        if key in best:
            return best[key][0]
        rect = rects[r]
        choice = (W_EMPTY * rect.cells / max(1, rect.span) + go(r + 1, i, skips), i, 0,
                  rect.span)
        for j in range(i + 1, n + 1):
            cost, height, width = run_cost(r, i, j)
            # The plain deal finds the story that stops the order (see _without): a run
            # narrower than its rectangle is a last resort, not a way past that story.
            if cost < INF and (skips or width == rect.span):
                cost += go(r + 1, j, skips)
                if cost < choice[0]:
                    choice = (cost, j, height, width)
        if skips and i < n:
            skip = drop(order[i]) + go(r, i + 1, skips)
            if skip < choice[0]:
                choice = (skip, -1, 0, 0)      # order[i] left out, rectangle r still free
        best[key] = choice
        return choice[0]

    total = go(0, 0, True) + sum(drop(k) for k in unfit)
    solution = PageSolution(cost=total, unfit=unfit)
    # The story that stops the plain deal (no story left out between runs): the first of
    # the stories it could not set. A variant order without it may set those after it
    # (`_without`), where leaving out a story between runs only ever drops one that
    # starts a run — in a single rectangle, the lead.
    go(0, 0, False)
    r, i = 0, 0
    while r < m:
        i = best[(r, i, False)][1]
        r += 1
    solution.blocked = order[i] if i < n else None
    skipped = set(unfit)
    r, i = 0, 0
    while r < m:
        _, j, height, width = best[(r, i, True)]
        rect = rects[r]
        if j < 0:
            skipped.add(order[i])
            i += 1
            continue
        if j == i:
            solution.empty.append(rect)
        else:
            for box in solver.boxes(order[i:j], width, height):
                solution.placed.append(_placed(box, rect, lines))
            if height < rect.depth:
                solution.empty.append(Rect(rect.column, rect.top + height, width,
                                           rect.depth - height))
            if width < rect.span:
                solution.empty.append(Rect(rect.column + width, rect.top, rect.span - width,
                                           rect.depth))
        r, i = r + 1, j
    skipped.update(order[i:])
    solution.dropped = [k for k in given if k in skipped]     # in the order dealt
    return solution


def _drop_cost(story: int, count: int) -> float:
    """A story left out. Doubling with each rank: leaving out a story costs more than leaving
    out every less important one, so the lead is never cut for briefs (an editor's order)."""
    from layout.makeup.solve import W_OVER

    return W_DROP * 2.0 ** min(count - 1 - story, 60) + W_OVER * 3 * (1 + count - story)


def _fits_somewhere(solver: Solver, story: int, rects: Sequence[Rect], lines: int) -> bool:
    """Whether the story has a box in some free rectangle on its own (a stepped box never
    fits where no rectangle of its width does: it holds the same text in more lines)."""
    import numpy as np

    for rect in rects:
        full = rect.depth + (rect.top + rect.depth == lines)
        for span in range(1, rect.span + 1):
            costs = solver.leaf(story, span)
            if costs is not None and np.isfinite(costs[:full + 1]).any():
                return True
    return False


def _placed(box: Box, rect: Rect, lines: int) -> Placed:
    """A box on the page: one at the foot gives back the spare line below the type area."""
    top = rect.top + box.top
    depth = min(box.depth, lines - top)
    depths = tuple(min(d, lines - top) for d in box.depths)
    return Placed(box.story, rect.column + box.column, top, box.span, depth, box.photo_lines,
                  depths)


def bumping_pairs(placed: Sequence[Placed],
                  stories: Sequence[Article]) -> list[tuple[Placed, Placed]]:
    """Boxes side by side whose headlines start less than 3 lines apart (P3)."""
    heads = [p for p in placed if _headed(stories[p.story])]
    pairs = []
    for k, a in enumerate(heads):
        for b in heads[k + 1:]:
            touching = a.column + a.span == b.column or b.column + b.span == a.column
            if touching and abs(a.top - b.top) < 3:
                pairs.append((a, b))
    return pairs


def _clean(solution: PageSolution, stories: Sequence[Article]) -> bool:
    """A page no variant needs to improve: filled, every story set, no bump, and no story
    above one three or more places more important (P7; nearer pairs are priced only)."""
    return solution.cost < INF and not solution.dropped and not solution.empty and \
        not bumping_pairs(solution.placed, stories) and not _inversions(solution.placed, 3)


def _defects(solution: PageSolution, stories: Sequence[Article]) -> int:
    """Bumping heads (P3) and pairs read far out of order (P7) on the page."""
    return len(bumping_pairs(solution.placed, stories)) + _inversions(solution.placed, 3)


def _inversions(placed: Sequence[Placed], gap: int = 1) -> int:
    """Pairs read out of priority order: the less important (by `gap` places or more) higher
    on the page (P7)."""
    return sum(1 for a in placed for b in placed if a.story + gap <= b.story and b.top < a.top)


def _headed(article: Article) -> bool:
    """A story whose box starts with a headline (a photo story starts with its picture)."""
    return bool(article.body) or not article.photos
