"""The shapes a story may take as a stepped box (刀把), worked out once per story and width
for the search (layout.makeup.solve): its headline and a few lines of text across the whole
width (the cap), the rest of its text down the left `deep` columns (the leg), reaching the
foot of the part or stopping short of it. Each is a set of numpy arrays over the part's
heights (or over a few caps), so that a move tries every height at once.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from layout.makeup.tables import INF
from layout.page.measure import MIN_COLUMN_LINES, StoryFit

MIN_CAP_LINES = MIN_COLUMN_LINES     # text lines under a 刀把 headline in the short columns
MAX_CAPS = 6            # caps tried for a 刀把 whose leg stops short of the foot


def ell_shapes(fit: StoryFit, width: int, own: float, size: int) -> list[tuple | None]:
    """Per count of deep columns (None where there is none), per height of the part:
    0 where the story fits a 刀把 of that many deep columns and ∞ where not, the depth of
    its short columns (the cap), the height left for the rest; its cost (the same on
    either side), and the lowest and highest height left for the rest."""
    out: list[tuple | None] = [None] * width
    cells = fit.body_lines
    left = np.arange(1, width)[:, None]
    right = width - left
    # Cap: headline, ≥ 6 lines of text (P5) and the rule line under it.
    head = fit.head + 1
    lowest_cap = head + MIN_CAP_LINES
    heights = np.arange(size)
    # Cells in the deep columns for a part `heights` deep (its last line is the rule
    # under it, or the foot's spare line); the cap holds the rest (rounded up: integer
    # floor division of the negated count).
    deep = left * (heights - head)
    cap = np.maximum(-((deep - cells) // right) + head, lowest_cap)
    spare = deep + right * (cap - head) - cells
    # The deep columns are deeper than the cap by at least 7 lines and hold its 6 lines of
    # text (P5); the spare lines fall in the last column set: at most 2 (P1), and it keeps
    # its 6 lines (P5).
    valid = (deep > 0) & (cap <= heights - max(7, MIN_CAP_LINES)) & (spare <= 2) & \
        (cap - head - spare >= MIN_CAP_LINES)
    # (Where valid, the rest's height lies in 7..size - 1.)
    lower = np.where(valid, heights - cap, 0)
    # ∞ where the story does not fit, else 0: added to a cost, it shuts those heights
    # (one addition, where setting them to ∞ through a mask costs several times more).
    closed = np.where(valid, 0.0, INF)
    # The heights the rest may take: a rest with none of them cannot go beside it.
    lows = np.where(valid, lower, size).min(axis=1).tolist()
    highs = lower.max(axis=1).tolist()
    for row in (valid.any(axis=1)).nonzero()[0].tolist():
        out[row + 1] = (closed[row], cap[row], lower[row], own, lows[row], highs[row])
    return out


def cap_options(fit: StoryFit, width: int, own: float, size: int) -> list[tuple | None]:
    """The caps a 刀把 of `deep` left columns may take when its leg stops short of the
    foot (by deep, None where there is none): cap depths, the leg depth each leaves,
    and the story's cost."""
    out: list[tuple | None] = [None] * width
    cells = fit.body_lines
    deep = np.arange(1, width)[:, None]
    short = width - deep
    text = np.arange(MIN_CAP_LINES, cells // width + 1)[None, :]    # text lines in the cap
    leg_text = -(-(cells - short * text) // deep)
    # The text runs down the leg first, so the spare lines fall in the last short column:
    # at most 2 (P1), and it keeps its 6 lines (P5). The leg reaches well below the cap
    # and leaves room under it in the area.
    spare = short * text + deep * leg_text - cells
    keep = (spare <= 2) & (text - spare >= MIN_CAP_LINES) & \
        (leg_text >= text + MIN_CAP_LINES) & (leg_text + fit.head + 1 < size - 1)
    for row in np.flatnonzero(keep.any(axis=1)).tolist():
        texts, legs = text[0, keep[row]], leg_text[row, keep[row]]
        if len(texts) > MAX_CAPS:     # a few caps, evenly spread, are enough to choose from
            pick = _spread(len(texts))
            texts, legs = texts[pick], legs[pick]
        cap = (texts + fit.head + 1).astype(np.int64)
        leg = (legs + fit.head + 1).astype(np.int64)
        caps, legs_ = cap.tolist(), leg.tolist()
        # The index arrays Solver._ell_over needs are made the first time it has stories to
        # put beside and under the leg (most options never get that far).
        out[row + 1] = [cap, leg, own, None,
                        (min(caps), max(caps), min(legs_), max(legs_)),
                        list(zip(caps, legs_))]
    return out


def cap_heights(cap: np.ndarray, leg: np.ndarray, size: int) -> tuple:
    """Per cap option and part height: the heights left for R and Q, 0 where both fit
    and ∞ where not (to add to a cost: see ell_shapes), and where on R's edge masks
    Q's headline falls (word, bit; line h - 1 - leg from the foot)."""
    heights = np.arange(size)
    r_at = heights[None, :] - cap[:, None]
    q_at = heights[None, :] - leg[:, None]
    ok = (r_at >= 0) & (q_at >= 0)
    seam = (q_at - 1).clip(0)
    return (r_at.clip(0), q_at.clip(0), np.where(ok, 0.0, INF), seam // 64,
            (seam % 64).astype(np.uint64))


@cache
def _spread(count: int) -> np.ndarray:
    """MAX_CAPS indices evenly spread over `count` options."""
    return np.unique(np.linspace(0, count - 1, MAX_CAPS).round().astype(int))
