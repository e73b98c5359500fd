"""The makeup search itself (layout/makeup/solve.py, tables.py, page.py): its table
operations against plain reference versions, and stories without room (超版) that must not
take the rest of the page with them."""

from __future__ import annotations

import math
import random
from types import SimpleNamespace

import numpy as np
import pytest
from test_makeup import _edition, _places, _story

from layout.makeup.stepped import MIN_CAP_LINES, ell_shapes
from layout.makeup.tables import INF, Candidates, Table, convolve, dilate, shift, stacked
from layout.pipeline import compose_edition

SIZE = 104      # grid lines of a broadsheet page plus two, as the solver's tables have


def _table(rng: random.Random) -> Table:
    """A table with finite costs on a random run of heights (some ties on purpose)."""
    costs = np.full(SIZE, INF)
    lo = rng.randrange(1, SIZE - 1)
    hi = rng.randrange(lo, min(SIZE, lo + 40))
    for h in range(lo, hi + 1):
        if rng.random() < 0.8:
            costs[h] = float(rng.randrange(0, 6))
    return Table.of(costs, ("leaf",), headed=True)


def _masks(rng: random.Random) -> np.ndarray:
    return np.array([[rng.getrandbits(64), rng.getrandbits(64)] for _ in range(SIZE)],
                    dtype=np.uint64)


def _bits(row) -> int:
    return int(row[0]) | int(row[1]) << 64


def test_convolve_is_the_min_plus_convolution_with_the_shallowest_upper_part_on_a_tie():
    rng = random.Random(7)
    for _ in range(60):
        top, bottom = _table(rng), _table(rng)
        if top.lo + bottom.lo >= SIZE or top.lo > top.hi or bottom.lo > bottom.hi:
            continue
        costs, split = convolve(top, bottom)
        for t in range(SIZE):
            sums = [(top.costs[a] + bottom.costs[t - a], a) for a in range(t + 1)]
            least = min(s for s, _ in sums)
            got = INF if costs is None else costs[t]
            assert got == least
            if least < INF:
                assert split[t] == next(a for s, a in sums if s == least)


def test_shift_and_dilate_match_128_bit_integers():
    rng = random.Random(3)
    masks = _masks(rng)
    # Every shift across the word boundary (63, 64, 65), none, and past the last line.
    edges = [0, 1, 62, 63, 64, 65, 66, 127, 128, 200, 5000]
    by = np.array(edges + [rng.randrange(0, 128) for _ in range(SIZE - len(edges))])
    moved = shift(masks, by)
    wide = dilate(masks)
    full = (1 << 128) - 1
    for k in range(SIZE):
        value = _bits(masks[k])
        assert _bits(moved[k]) == (value << int(by[k])) & full
        near = value
        for n in (1, 2):
            near |= (value << n) | (value >> n)
        assert _bits(wide[k]) == near & full
    # Masks of any shape, `by` broadcast over them (as `stacked` moves both edges at once).
    both = masks.reshape(-1, 2, 2)
    lines = by[:len(both), None]
    assert (shift(both, lines) == shift(masks, by[:len(both)].repeat(2)).reshape(-1, 2, 2)).all()


def test_stacked_masks_are_the_lower_parts_and_the_upper_parts_moved_up():
    """Masks count lines from the foot: a stack keeps its lower part's masks and moves its
    upper part's up by the lower one's height — a leaf's by a table lookup, any other
    table's by `shift` — whatever the upper part is (a leaf or not, headed or not)."""
    rng = random.Random(5)
    heights = np.arange(SIZE)
    # (An upper part is at least a line deep: at height 0 nothing is ever read.)
    split = np.array([0] + [rng.randrange(1, h + 1) for h in range(1, SIZE)])
    lower = _general(np.repeat(_masks(rng)[:, None, :], 2, axis=1))
    below = lower.edges[heights - split]
    for headed in (True, False):
        leaf = Table.of(np.zeros(SIZE), ("leaf",), headed=headed)
        general = _general(leaf.edges.copy())
        assert (stacked(leaf, lower, split) == stacked(general, lower, split))[1:].all()
        # A headed leaf on top: its headline on the whole's top line (h - 1 from the foot).
        tops = [_bits(row) for row in stacked(leaf, _general(np.zeros_like(lower.edges)),
                                              split)[1:, 0]]
        assert tops == [(1 << (h - 1)) * headed for h in range(1, SIZE)]
    upper = _general(np.repeat(_masks(rng)[:, None, :], 2, axis=1))
    made = stacked(upper, lower, split)
    for edge in (0, 1):
        moved = shift(upper.edges[split, edge], heights - split)
        assert (made[:, edge] == moved | below[:, edge]).all()


def _general(edges: np.ndarray) -> Table:
    """A table that is not a leaf, with the given masks."""
    size = len(edges)
    return Table(np.zeros(size), [("stack", 1)], edges)


def test_candidates_keep_the_cheapest_per_height_and_the_first_tried_on_a_tie():
    tried = []

    def masks(name, mark):
        def make():
            tried.append(name)
            edges = np.zeros((8, 2, 2), dtype=np.uint64)
            edges[:, 0, 0] = mark
            return edges, np.full(8, mark)
        return make

    moves = Candidates(8)
    first = np.array([INF, 5.0, 3.0, 3.0, INF, 9.0, INF, INF])
    second = np.array([INF, 5.0, 2.0, 4.0, 1.0, INF, INF, INF])
    moves.add(first, [("stack", 1)], None, masks("first", 1))
    moves.add(second, lambda: [("beside", 1, 1)], None, masks("second", 2))
    assert moves.covered(2.5, 2, 3) is False and moves.covered(9.0, 1, 5) is True
    assert moves.covered(0.0, 6, 5) is True      # no height left to fill: nothing to add
    table = moves.table(bound=9.0)       # 9 or more: dropped (a better page exists)
    assert table.costs.tolist() == [INF, 5.0, 2.0, 3.0, 1.0, INF, INF, INF]
    assert [table.move(h)[0] for h in (1, 2, 3, 4)] == \
        [("stack", 1), ("beside", 1, 1), ("stack", 1), ("beside", 1, 1)]
    # Only the winners make masks (once each), and each height has its winner's masks and
    # split.
    assert tried == ["first", "second"]
    assert [int(table.left[h, 0]) for h in (1, 2, 3, 4)] == [1, 2, 1, 2]
    assert [table.move(h)[1] for h in (1, 2, 3, 4)] == [1, 2, 1, 2]
    lone = Candidates(8)
    lone.add(second, [("beside", 1, 1)], None, masks("lone", 3))
    third = np.array([INF, 6.0, 6.0, 6.0, 6.0, INF, INF, INF])
    lone.add(third, [("stack", 1)], None, masks("never", 4))     # wins no height
    made = lone.table(INF)
    assert [made.left[h, 0] for h in (1, 2, 3, 4)] == [3, 3, 3, 3]
    assert tried[2:] == ["lone"]
    assert (table.lo, table.hi, table.least) == (1, 4, 1.0)


# ------------------------------------------------------------------ stories without room

@pytest.mark.parametrize("style, lead", [("broadsheet", 16000), ("tabloid", 9000)])
def test_a_lead_that_fits_nowhere_leaves_the_other_stories_on_the_page(tmp_path, style,
                                                                        lead):
    """A lead longer than the whole page used to take every story after it off the page
    (an empty page reported 100 % 超版): it is left out and named, the others are set."""
    stories = [_story(1, lead, priority=1)] + \
        [_story(i, n, priority=i) for i, n in ((2, 700), (3, 500), (4, 400), (5, 300))]
    build = compose_edition(_edition(tmp_path, stories, style=style))
    places = _places(build)
    assert "s1" not in places
    assert {"s2", "s3", "s4", "s5"} <= set(places)
    over = [d for d in build.diagnostics if d.code == "overfull"]
    assert [d.article for d in over] == ["s1"]
    assert build.makeup.not_set == {"s1"}


def test_a_story_without_room_in_the_middle_does_not_take_the_later_ones_with_it(tmp_path):
    """Tabloid: the lead and a long second story leave no room for a third that is longer
    still, but two short ones after it fit: they are set, the long one is named."""
    stories = [_story(1, 2400, priority=1), _story(2, 900, priority=2),
               _story(3, 3000, priority=3), _story(4, 250, priority=4),
               _story(5, 200, priority=5)]
    build = compose_edition(_edition(tmp_path, stories, style="tabloid"))
    places = _places(build)
    assert {"s1", "s2", "s4", "s5"} <= set(places)
    assert "s3" in build.makeup.not_set
    for a in ("s4", "s5"):
        for b in places:
            assert a == b or not places[a].overlaps(places[b])


def test_the_least_important_story_is_the_one_left_out(tmp_path):
    """More copy than the page holds, in stories of one size: the stories left out are the
    least important ones."""
    stories = [_story(i, 1300, priority=i) for i in range(1, 10)]
    build = compose_edition(_edition(tmp_path, stories))
    left_out = len(build.makeup.not_set)
    assert 1 <= left_out <= 3
    assert build.makeup.not_set == {f"s{i}" for i in range(10 - left_out, 10)}


def test_stepped_shapes_follow_the_plain_rules():
    """ell_shapes against the rules written out per deep-column count and height: the cap
    holds what the deep columns do not (rounded up, ≥ 6 text lines), ≤ 2 spare lines in
    the last column set, which keeps its 6 lines, and deep columns ≥ 7 lines deeper."""
    shaped = 0
    for head, cells, width in ((3, 180, 4), (5, 400, 6), (2, 60, 3), (4, 900, 8), (3, 20, 5)):
        fit = SimpleNamespace(head=head, body_lines=cells)
        shapes = ell_shapes(fit, width, 1.5, SIZE)
        for deep in range(1, width):
            right = width - deep
            found = {}
            for h in range(SIZE):
                deep_cells = deep * (h - head - 1)
                cap = max(math.ceil((cells - deep_cells) / right), MIN_CAP_LINES) + head + 1
                spare = deep_cells + right * (cap - head - 1) - cells
                if deep_cells > 0 and cap < h - 6 and spare <= 2 and \
                        cap - head - 1 - spare >= MIN_CAP_LINES and h - cap >= MIN_CAP_LINES:
                    found[h] = cap
            if not found:
                assert shapes[deep] is None
                continue
            shaped += 1
            closed, caps, lower, own, low, high = shapes[deep]
            assert own == 1.5 and (low, high) == (min(h - c for h, c in found.items()),
                                                  max(h - c for h, c in found.items()))
            for h in range(SIZE):
                assert closed[h] == (0.0 if h in found else INF)
                if h in found:
                    assert (caps[h], lower[h]) == (found[h], h - found[h])
    assert shaped >= 8      # (most cases have shapes to compare)
