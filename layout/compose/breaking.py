"""Choose where a measured paragraph's lines end (reference §3.3, §3.6).

Greedy first: each line jumps ahead one measure on the cumulative widths and is fixed up
near its end, by push-in (squeeze the punctuation already in the line) or push-out (carry
characters to the next line) at forbidden edges (避头尾). Then the paragraph-level fixes:
a lone last character (R23) and, when a line would be loose, a look back over the lines
above or a total-fit choice of all the breaks (R48).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from layout.compose.breaks import HYPHEN
from layout.compose.classes import BLANK_RIGHT
from layout.compose.metrics import (
    EPS,
    NO_STRETCH,
    Settings,
    _avail,
    _hyphen,
    _in_code,
    _inside_run,
    _may_stretch,
    _measure,
    _Metrics,
    _natural,
    _shrink_capacity,
)

_SOFT_BREAK_AFTER = frozenset("/.-_?&=@#")
_MARKS = frozenset("OCPSDMKVX/IW")


def break_lines(m: _Metrics, measures: Sequence[float], settings: Settings,
                fast: bool = True) -> list[int]:
    """The end of every line of the paragraph `m` (a character index).

    `fast` lets an ordinary line skip the questions whose answer its slack already gives
    (off: every line asks them, as the tests compare; the breaks are the same)."""
    ends = _break_all(m, measures, settings, 0, 0, fast=fast)
    ends = _avoid_lone_last(m, measures, settings, ends, fast)
    if settings.justify and len(ends) > 1 and _loose_count(m, measures, settings, ends, fast):
        # R48: the greedy lines left one loose (a code, a long word or a number did not fit);
        # choose all the paragraph's breaks together, in at most one line more (a loose line
        # costs more than a line).
        better = _total_fit(m, measures, settings, len(ends) + 1, len(ends))
        if better is not None and better != ends:
            better = _avoid_lone_last(m, measures, settings, better, fast)
            if _loose_count(m, measures, settings, better, fast) < \
                    _loose_count(m, measures, settings, ends, fast):
                ends = better
    return ends


def _line_cost(m: _Metrics, s: int, e: int, k: int, measures: Sequence[float],
               settings: Settings) -> tuple[float, bool] | None:
    """(cost, loose) of the line s..e as line k; None when it cannot be set (overfull)."""
    n = len(m.text)
    avail = _avail(m, s, _measure(measures, k) / settings.size, settings, first=s == 0)
    natural = _natural(m, s, e) + _hyphen(m, e)
    kind = 0 if e >= n or m.brk[e] else m.soft.get(e, 9)
    cost = (0.0, 2.0, 15.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1e5)[kind]
    if kind == HYPHEN and s < n and not m.brk[s] and m.soft.get(s) == HYPHEN:
        return None                                  # R46: never twice in a row
    if natural > avail + EPS:
        over = natural - avail
        if over > _shrink_capacity(m, s, e, settings) + EPS:
            return None
        return cost + 1.0 + 10.0 * over, False
    if e >= n:
        return cost, False
    stretch = _stretch_per_gap(m, s, e, avail, settings)
    if stretch == float("inf"):
        if _in_code(m, s, e) and "H" not in m.cls[s:e] and "W" not in m.cls[s:e]:
            return cost + 20.0, False                # a line of one code: set flush left
        return cost + 1e4 + 100.0 * (avail - natural), True
    if stretch > settings.max_stretch + EPS:
        return cost + 1e4 + 1000.0 * stretch, True
    return cost + 10.0 * (stretch / settings.max_stretch) ** 2, False


def _loose_count(m: _Metrics, measures: Sequence[float], settings: Settings,
                 ends: list[int], fast: bool = True) -> int:
    count = 0
    s = 0
    n = len(m.text)
    prefix, gap, cls, cut, cell, brk, soft = m.prefix, m.gap, m.cls, m.cut, m.cell, m.brk, m.soft
    loose = settings.max_stretch + EPS
    widths = len(measures)
    for k, e in enumerate(ends):
        if fast and e < n and brk[e] and e not in soft:
            # _line_cost's answer without its costs: an ordinary break whose line fits with
            # less slack than R18 allows is not loose.
            width = measures[k] if k < widths else measures[-1]
            avail = _avail(m, s, width / settings.size, settings, first=s == 0)
            c = cls[e - 1]
            natural = prefix[e] - prefix[s] - gap[s] - (
                cut[e - 1] if c in BLANK_RIGHT else cell[e - 1] if c == "W" else 0.0)
            if natural <= avail + EPS and avail - natural <= loose:
                s = e
                continue
        cost = _line_cost(m, s, e, k, measures, settings)
        count += cost is None or cost[1]
        s = e
    return count


def _total_fit(m: _Metrics, measures: Sequence[float], settings: Settings,
               max_lines: int, lines: int) -> list[int] | None:
    """The breaks of least total cost (Knuth–Plass style) over ordinary and R46/R47
    points, in at most `max_lines` lines, each beyond `lines` at a cost below a loose
    line's; None when no way sets every line."""
    n = len(m.text)
    points = [b for b in range(1, n) if m.brk[b] or b in m.soft] + [n]
    states: dict[int, dict[int, tuple[float, int, int]]] = {0: {0: (0.0, -1, -1)}}
    for s in [0, *points]:
        here = states.get(s)
        if not here or s >= n:
            continue
        first = bisect_right(points, s)
        # A line's cost depends on its number only through its measure: the lines from s
        # are costed once per measure and shared by every line number reaching s (the
        # paragraph's lines mostly share one measure).
        rows: dict[float, list[tuple[int, float]]] = {}
        for k, (total, _, _) in here.items():
            if k >= max_lines:
                continue
            width = _measure(measures, k)
            row = rows.get(width)
            if row is None:
                row = rows[width] = []
                avail = _avail(m, s, width / settings.size, settings, first=s == 0)
                for e in points[first:]:
                    if _natural(m, s, e) > avail + 3.0:
                        break
                    cost = _line_cost(m, s, e, k, measures, settings)
                    if cost is not None:
                        row.append((e, cost[0]))
            for e, cost0 in row:
                new = total + cost0
                slot = states.setdefault(e, {})
                if k + 1 not in slot or new < slot[k + 1][0]:
                    slot[k + 1] = (new, s, k)
    final = states.get(n)
    if not final:
        return None
    k = min(final, key=lambda key: final[key][0] + 5e3 * max(0, key - lines))
    ends = []
    e = n
    while e > 0:
        ends.append(e)
        _, s, k_prev = states[e][k]
        e, k = s, k_prev
    return ends[::-1]


def _cause(m: _Metrics, e: int) -> str:
    """What kept a loose line from filling up: the unbreakable run that starts the next
    line (a code, a word, a number with its unit), or the chain of marks it ends with."""
    n = len(m.text)
    if e >= n:
        return ""
    j = e + 1
    while j < n and j - e < 60 and not m.brk[j] and j not in m.soft:
        j += 1
    return m.text[e:j]


def _break_all(m: _Metrics, measures: Sequence[float], settings: Settings, start: int,
               k: int, limit: tuple[int, int] | None = None, fast: bool = True) -> list[int]:
    """Greedy breaking from line k at character `start`; `limit` caps one line's end."""
    ends: list[int] = []
    n = len(m.text)
    s = start
    prefix, gap, cls, cut, cell, soft = m.prefix, m.gap, m.cls, m.cut, m.cell, m.soft
    size, loose = settings.size, settings.max_stretch + EPS
    widths = len(measures)
    while s < n:
        width_em = (measures[k] if k < widths else measures[-1]) / size
        avail = _avail(m, s, width_em, settings, first=s == 0)
        cap = limit[1] if limit and limit[0] == k else n
        hyphen_ok = not (ends and soft.get(ends[-1]) == HYPHEN)     # R46: not twice in a row
        e = _choose_break(m, s, avail, settings, cap, hyphen_ok)
        if ends and e < n and not (limit and limit[0] >= k - 3):
            if fast:
                # _stretch_per_gap is at most its slack: only a line with more slack than R18
                # allows (rare) needs it worked out.
                c = cls[e - 1]
                slack = avail - (prefix[e] - prefix[s] - gap[s] - (
                    cut[e - 1] if c in BLANK_RIGHT else cell[e - 1] if c == "W" else 0.0))
                if e in soft:
                    slack -= _hyphen(m, e)
                stretched = slack > loose and _stretch_per_gap(m, s, e, avail, settings) > loose
            else:
                stretched = _stretch_per_gap(m, s, e, avail, settings) > loose
            if not stretched:
                ends.append(e)
                s = e
                k += 1
                continue
            better = _lookback(m, measures, settings, ends, start, k, e)
            if better is not None:
                moved, e = better
                ends[-len(moved):] = moved
        ends.append(e)
        s = e
        k += 1
    return ends


def _lookback(m: _Metrics, measures: Sequence[float], settings: Settings, ends: list[int],
              start: int, k: int, e: int) -> tuple[list[int], int] | None:
    """R48 / R8: line k would be loose because what follows it (a number with its unit, a
    code) does not fit. Carry characters of the lines above down to it, up to three lines
    back, each of them staying within R18, so that line k fills up.

    Returns the new ends of the lines moved and the new end of line k. Only runs for a
    line that would be loose, so ordinary paragraphs never pay for it.
    """
    n = len(m.text)
    width = _measure(measures, k) / settings.size
    for d in range(1, min(3, len(ends)) + 1):
        first = ends[-d - 1] if len(ends) > d else start
        for t in _breaks_before(m, ends[-1], first, 6):
            avail = _avail(m, t, width, settings, first=False)
            e2 = _choose_break(m, t, avail, settings, n, True)
            if e2 < e or _stretch_per_gap(m, t, e2, avail, settings) > \
                    settings.max_stretch + EPS:
                continue
            moved = _fit_lines(m, measures, settings, first, t, k - d, d)
            if moved is not None:
                return moved, e2
    return None


def _breaks_before(m: _Metrics, end: int, floor: int, count: int) -> list[int]:
    """Up to `count` ordinary break positions below `end` and above `floor`, latest first."""
    out = []
    for b in range(end - 1, floor, -1):
        if m.brk[b]:
            out.append(b)
            if len(out) == count:
                break
    return out


def _fit_lines(m: _Metrics, measures: Sequence[float], settings: Settings, s: int, t: int,
               k: int, count: int) -> list[int] | None:
    """Ends of `count` lines from s (line k) to exactly t, each fitting and within R18."""
    avail = _avail(m, s, _measure(measures, k) / settings.size, settings, first=s == 0)
    if count == 1:
        ok = _natural(m, s, t) - _shrink_capacity(m, s, t, settings) <= avail + EPS and \
            _stretch_per_gap(m, s, t, avail, settings) <= settings.max_stretch + EPS
        return [t] if ok else None
    top = _choose_break(m, s, avail, settings, t, True)
    for b in [top] + _breaks_before(m, top, s, 4):
        if b >= t or _stretch_per_gap(m, s, b, avail, settings) > settings.max_stretch + EPS:
            continue
        rest = _fit_lines(m, measures, settings, b, t, k + 1, count - 1)
        if rest is not None:
            return [b, *rest]
    return None


def _stretch_per_gap(m: _Metrics, s: int, e: int, avail: float, settings: Settings) -> float:
    """The space _stretch would add per gap between characters to justify s..e, in em
    (after word spaces and Han–Latin gaps took their share); inf when nothing may stretch."""
    slack = avail - _natural(m, s, e) - _hyphen(m, e)
    if slack <= settings.max_stretch + EPS:
        return 0.0 if slack <= EPS else slack   # at least one gap takes it all
    cls, latin = m.cls, m.latin
    fixed = {match.start() for match in NO_STRETCH.finditer(cls, s + 1, e)}
    gaps = spaces = 0
    for j in range(s + 1, e):
        if latin[j]:
            slack -= settings.latin_gap_max + settings.tracking - m.gap[j]
        elif cls[j] == "W":
            slack -= 0.25
            spaces += 1
        elif j not in fixed:
            gaps += 1
    if slack <= EPS:
        return 0.0
    if not gaps and spaces:
        return slack / spaces       # a Western line: the rest goes into its word spaces
    return slack / gaps if gaps else float("inf")


def _soft_break(m: _Metrics, s: int, lo: int, hi: int, avail: float,
                hyphen_ok: bool) -> int | None:
    """The last R46/R47 point in (lo, hi] where the line s.. fits (hyphen included)."""
    best = None
    for b in m.soft:
        if lo < b <= hi and b > s and (best is None or b > best) and \
                (hyphen_ok or m.soft[b] != HYPHEN) and \
                _natural(m, s, b) + _hyphen(m, b) <= avail + EPS:
            best = b
    return best


def _choose_break(m: _Metrics, s: int, avail: float, settings: Settings, cap: int,
                  hyphen_ok: bool = True) -> int:
    n = len(m.text)
    prefix, gap, cls, cut = m.prefix, m.gap, m.cls, m.cut
    base = prefix[s] + gap[s]
    e0 = bisect_right(prefix, base + avail + EPS, lo=s + 1) - 1
    # _natural(m, s, e0 + 1), written out: this is the composer's innermost question.
    while e0 < n and prefix[e0 + 1] - prefix[s] - gap[s] - (
            cut[e0] if cls[e0] in BLANK_RIGHT else m.cell[e0] if cls[e0] == "W" else 0.0) \
            <= avail + EPS:
        e0 += 1          # a mark at the line end fits once its blank half is dropped
    e0 = min(e0, cap)
    if e0 >= n:
        return n
    if e0 <= s:
        return s + 1     # one glyph wider than the measure
    if m.brk[e0] and abs(avail - _natural(m, s, e0)) < EPS:
        return e0
    back = next((b for b in range(e0, s, -1) if m.brk[b]), None)
    stretch = avail - _natural(m, s, back) if back else None
    fwd = None
    shrink = None
    for f in range(e0 + 1, min(n, cap) + 1):
        over = _natural(m, s, f) - avail
        if over > 2.0:
            break
        if m.brk[f] and over <= _shrink_capacity(m, s, f, settings) + EPS:
            fwd, shrink = f, over
            break
    if fwd is not None and (stretch is None or shrink <= stretch + EPS):
        return fwd       # push-in: squeeze the punctuation already in the line
    if m.soft and (back is None or
                   _stretch_per_gap(m, s, back, avail, settings) > settings.max_stretch + EPS):
        # R48: rather than letter-space the line around a code or a long word, break it
        # where R47 / R46 allow.
        soft = _soft_break(m, s, back or s, min(e0, cap), avail, hyphen_ok)
        if soft is not None:
            return soft
    if back is not None:
        return back      # push-out: carry characters to the next line
    # No legal break in reach (reported as forced). Rather break a line-edge prohibition
    # (an opening mark left at the end) than a number, word or dash; inside a run, break
    # after a URL or path separator when there is one, so that a link stays readable.
    edge = next((b for b in range(e0, s, -1) if not _inside_run(m.cls, b)), None)
    if edge is not None:
        return edge
    soft = next((b for b in range(e0, s + 1, -1) if m.text[b - 1] in _SOFT_BREAK_AFTER
                 and not (m.cls[b - 2] == "N" and m.cls[b] == "N")), None)
    while soft is None and m.soft.get(e0) == HYPHEN and e0 - 1 > s:
        e0 -= 1          # a forced break is not a hyphenation: no hyphen to make room for
    return soft or e0


def is_lone_last(cls: str) -> bool:
    """孤字 (R23): a last line with fewer than two characters that are not marks."""
    return sum(c not in _MARKS for c in cls) < 2


def _avoid_lone_last(m: _Metrics, measures: Sequence[float], settings: Settings,
                     ends: list[int], fast: bool = True) -> list[int]:
    """孤字 (R23): pull the last line up into the line above (push-in), or carry more
    characters down to it (push-out), whichever keeps the lines within their limits."""
    if len(ends) < 2 or not settings.justify or not is_lone_last(m.cls[ends[-2]:]):
        return ends
    k = len(ends) - 2
    prev_start = ends[-3] if len(ends) > 2 else 0
    n = len(m.text)
    # Push-in: the whole rest fits on the line above once its punctuation is squeezed.
    avail = _avail(m, prev_start, _measure(measures, k) / settings.size, settings,
                   first=prev_start == 0)
    if _natural(m, prev_start, n) - _shrink_capacity(m, prev_start, n, settings) <= avail + EPS:
        return ends[:k] + [n]
    # Push-out: end the line above at an earlier break, as long as nothing gets loose.
    fallback = ends
    tries = 0
    for cap in range(ends[-2] - 1, prev_start, -1):
        if not m.brk[cap]:
            continue
        tries += 1
        if tries > 3:
            break
        retry = ends[:k] + _break_all(m, measures, settings, prev_start, k, (k, cap), fast)
        if len(retry) != len(ends) or is_lone_last(m.cls[retry[-2]:]):
            continue
        stretch = _stretch_needed(m, prev_start, retry[k], measures, k, settings)
        if stretch <= settings.max_stretch + EPS:
            return retry
        if fallback is ends:
            fallback = retry
    return fallback


def _stretch_needed(m: _Metrics, s: int, e: int, measures: Sequence[float], k: int,
                    settings: Settings) -> float:
    """Space per stretchable gap that justifying the line s..e would add, in em."""
    avail = _avail(m, s, _measure(measures, k) / settings.size, settings, first=s == 0)
    slack = avail - _natural(m, s, e)
    gaps = sum(_may_stretch(m.cls, j) for j in range(s + 1, e)) or 1
    return max(0.0, slack) / gaps
