"""The makeup stage for a whole edition: which stories go to which page, and their boxes.

Input: the edition as loaded. Articles with a full `place` are locked (the editor's); a
place marked `by: engine` (written by `paiban plan`) is used as given unless the page has
new stories to place or it now overlaps a locked box — then the engine solves that page
again. Articles without a place go to `place: {page: N}` or to the pages carrying their
section. Output: the same edition with every solved article given a place (marked
`engine`), photo heights chosen within the aspect limit, and diagnostics for what did not
fit (超版, with the cheapest fixes) or left room (缺版).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

from layout import cache as build_cache
from layout.compose.breaks import load_patterns, may_hyphenate
from layout.diagnostics import ERROR, INFO, WARNING, Diagnostic, InputError
from layout.makeup import handback, parallel
from layout.makeup.frames import frame_bumps
from layout.makeup.page import (
    PageSolution,
    Placed,
    Rect,
    free_rects,
    solve_page,
)
from layout.model.edition import Article, Edition, PageSpec, Placement
from layout.page.context import EditionContext
from layout.page.measure import Measurer, inset_places
from layout.typeface import FaceMetrics

# The search's own version, in every cache key: a page cached by an older search (same
# paiban version, e.g. a development checkout) is solved again, not reused.
SEARCH = "2026-12-notes-policy-variants-end-first-stop-on-win-unseen2-photo-narrow-after"


@dataclass
class Makeup:
    edition: Edition                                   # every solved article has a place
    placed_by: dict[str, str] = field(default_factory=dict)   # id → "editor" | "engine"
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: dict[int, PageSolution] = field(default_factory=dict)
    not_set: set[str] = field(default_factory=set)     # found no room (reported, not dropped)
    needs: dict[str, int] = field(default_factory=dict)    # not set: column lines it needs


def _order_key(article: Article, index: int) -> tuple[int, int]:
    """Priority order: explicit priorities first (1 = 头条), then the order in the file."""
    return (article.priority if article.priority else 10_000 + index, index)


def make_up(edition: Edition, faces: Mapping[str, FaceMetrics], *,
            replan: bool = False, processes: int | None = None) -> Makeup:
    """Place every article that has no place; `replan` also re-solves `by: engine` places.
    `processes` (1 or 2) overrides the choice of `parallel.processes`; the result is the
    same either way."""
    ctx = EditionContext(edition, faces)
    measurer = Measurer(ctx)
    grid = edition.style.grid
    result = Makeup(edition)
    index = {a.id: i for i, a in enumerate(edition.articles)}
    numbers = [p.number for p in edition.pages]

    todo: dict[int, list[Article]] = {n: [] for n in numbers}
    homeless: list[Article] = []
    carried = {p.number: set(p.sections) for p in edition.pages}
    for article in edition.articles:
        if article.place is not None and not (article.place.engine and replan):
            continue
        if article.page_hint:
            todo[article.page_hint].append(article)
        elif article.place is not None and \
                article.section not in carried.get(article.place.page, {article.section}):
            # An engine place on a page that does not carry the story's section: the page
            # was the editor's `place: {page: N}` (the engine deals only to the section's
            # pages), which `plan` wrote into the place — re-planning keeps it there.
            todo[article.place.page].append(article)
        elif any(article.section and article.section in p.sections for p in edition.pages):
            homeless.append(article)
    # A story plan could not set comes back without a place: its section is dealt again
    # whole, the engine's places on the pages carrying it included, so that the deal — and
    # so each page — is the one plan made (dealing it alone found other pages' room).
    again = {a.section for a in homeless}
    if again and not replan:
        carriers = {p.number for p in edition.pages if again & set(p.sections)}
        homeless += [replace(a, place=None) for a in edition.articles
                     if a.place and a.place.engine and a.section in again
                     and a.place.page in carriers]
    # A story solved again gets its photo's place chosen again too.
    homeless = [_unplanned(a) for a in homeless]
    todo = {n: [_unplanned(a) for a in stories] for n, stories in todo.items()}
    _deal_sections(edition, homeless, todo, measurer)
    # Engine places on a page that gets new stories (by hint or by section: a story the
    # plan could not set is dealt again), or that overlap a locked box, are redone — so a
    # planned edition builds the page the engine made, never "no room" for its own boxes.
    for number in numbers:
        engine = [a for a in edition.articles if a.place and a.place.engine and not replan
                  and a.place.page == number]
        queued = {a.id for stories in todo.values() for a in stories}
        engine = [a for a in engine if a.id not in queued]
        if engine and (todo[number] or _conflicts(edition, engine)):
            todo[number].extend(_unplanned(a) for a in engine)

    articles = {a.id: a for a in edition.articles}
    # First every page's stories and free area (a locked box that leaves no room fails here,
    # before any search), then the searches (in two processes when that pays), then the
    # results in page order.
    jobs: list[tuple[PageSpec, list[Article], list[Rect]] | Diagnostic] = []
    for spec in edition.pages:
        stories = sorted(todo[spec.number], key=lambda a: _order_key(a, index[a.id]))
        solving = {a.id for a in stories}
        locked = [a for a in edition.articles if a.id not in solving and _on(a, spec.number)]
        if not stories:
            if not locked:
                jobs.append(Diagnostic(
                    WARNING, "empty-page", f"page {spec.number} has no stories",
                    str(edition.file), spec.line, _page_field(edition, spec),
                    "give articles its section or place: {page: N}", page=spec.number))
            continue
        rects = free_rects(grid.columns, grid.lines, _blocked(edition, spec, locked))
        if not rects:
            raise InputError([_no_room(edition, spec, locked, stories)])
        jobs.append((spec, stories, rects))
    pages = [job for job in jobs if not isinstance(job, Diagnostic)]
    with _fewer_collections():
        results = _solve_cached(edition, pages, measurer, processes)
        pages, results = _rebalance(edition, pages, results, measurer, processes,
                                    lambda a: _order_key(a, index[a.id]))
    by_number = {page[0].number: page for page in pages}
    jobs = [job if isinstance(job, Diagnostic) else by_number[job[0].number] for job in jobs]
    solved = iter(results)
    for job in jobs:
        if isinstance(job, Diagnostic):
            result.diagnostics.append(job)
            continue
        spec, stories, _ = job
        solution, notes = next(solved)
        result.pages[spec.number] = solution
        for placed in solution.placed:
            article = stories[placed.story]
            articles[article.id] = _resolved(article, spec.number, placed, measurer)
        for story in solution.dropped:
            result.not_set.add(stories[story].id)
            result.needs[stories[story].id] = _area(stories[story], measurer, grid.columns)
            articles[stories[story].id] = replace(stories[story], place=None)
        result.diagnostics.extend(notes)
    for article in edition.articles:
        kept = articles[article.id]
        loose = any(p.place is None for p in article.photos) and bool(article.body)
        if kept is article and article.place is not None and article.place.engine and loose:
            # An engine place used as given: its photos get the heights the engine chose.
            articles[article.id] = _resolved(article, article.place.page, _as_placed(
                article, measurer, grid.lines), measurer)
        place = articles[article.id].place
        if place is not None:
            result.placed_by[article.id] = "engine" if place.engine else "editor"
    made = replace(edition, articles=tuple(articles[a.id] for a in edition.articles))
    rank = {a.id: _order_key(a, index[a.id]) for a in edition.articles}
    result.edition, framed = frame_bumps(made, rank)
    result.diagnostics.extend(framed)
    return result


# The searches make millions of short-lived objects (tables, candidate lists, tuples): with
# the collector's default, a young-generation pass every 700 allocations, it ran ~270 times
# on the 16-page benchmark edition and took 0.18 s of its makeup's CPU in one process (0.17 s
# in two together); every 10,000, ~50 times and 0.08 s (0.06 s in two): most objects are
# gone before a pass sees them. The peak memory of one process grows ~15 MB (96 -> 112 MB).
YOUNG_COLLECTION = 10_000


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """The cyclic collector's young generation collected less often while the pages are
    searched; the thresholds as they were afterwards. (Only when a collection runs changes:
    nothing the search computes depends on it.)"""
    saved = gc.get_threshold()
    if saved[0]:        # 0: automatic collection is off, and stays off
        gc.set_threshold(max(saved[0], YOUNG_COLLECTION), *saved[1:])
    try:
        yield
    finally:
        gc.set_threshold(*saved)


class _Miss(Exception):
    """Not in the build cache (raised by a lookup that must not make the entry)."""


def _peek() -> bytes:
    raise _Miss


def _solve_cached(edition: Edition, pages: list[tuple[PageSpec, list[Article], list[Rect]]],
                  measurer: Measurer, processes: int | None = None,
                  ) -> list[tuple[PageSolution, list[Diagnostic]]]:
    """solve_page for every page, with its result kept in the build cache (a rebuild of an
    unchanged page, the desk's case, then costs nothing). The key names every input of the
    search: the stories as loaded, their photo files, the free rectangles, the style and its
    fonts. The pages the cache does not hold are solved in one process or two
    (layout/makeup/parallel.py): the same bytes either way."""
    def stamp(path) -> tuple:
        try:
            stat = os.stat(path)
        except OSError:
            return (str(path), None)
        return (str(path), stat.st_size, stat.st_mtime_ns)

    fonts = [stamp(path) for path in sorted(map(str, edition.style.fonts.values()))]
    keys = [repr((SEARCH, spec, stories, rects, edition.style, str(edition.file),
                  [stamp(p.file) for a in stories for p in a.photos], fonts))
            for spec, stories, rects in pages]

    def make(k: int) -> bytes:
        spec, stories, rects = pages[k]
        solution = solve_page(stories, rects, measurer, columns=edition.style.grid.columns,
                              lines=edition.style.grid.lines,
                              time_limit=edition.style.makeup_time_limit)
        _overset_alone(solution, stories, rects, measurer, edition.style.grid.lines)
        notes = _notes(edition, spec, stories, solution, measurer)
        return json.dumps({"solution": _solution_json(solution),
                           "notes": [dataclasses.asdict(d) for d in notes]},
                          ensure_ascii=False).encode()

    found: dict[int, bytes] = {}
    for k, key in enumerate(keys):
        with contextlib.suppress(_Miss):
            found[k] = build_cache.get_bytes("makeup", key, _peek, suffix=".json")
    # The costliest pages first (most stories to place, then most copy), so that the two
    # processes' last pages are short ones and they finish together (parallel.py).
    todo = sorted((k for k in range(len(pages)) if k not in found),
                  key=lambda k: (-len(pages[k][1]),
                                 -sum(len(p.text) for a in pages[k][1] for p in a.body), k))
    if todo:
        # The search's modules (numpy: ~0.1 s) before a child is forked, not in each process.
        _import_search()

    # The child hands back the bodies it composed measuring its pages' stories: setting the
    # pages here then finds them composed (handback.py).
    def carry(done: list[int]) -> tuple[list[int], handback.Bodies]:
        done = sorted(done)
        return done, handback.bodies(measurer, [a for k in done for a in pages[k][1]])

    def adopt(found: object) -> None:
        done, bodies = found        # type: ignore[misc]
        handback.adopt(measurer, [a for k in done for a in pages[k][1]], bodies)

    made = parallel.solve_all(todo, make, count=processes, carry=carry, adopt=adopt,
                              prepare=lambda: _before_fork(measurer, [pages[k][1] for k in todo]))
    for k, data in made.items():
        found[k] = build_cache.get_bytes("makeup", keys[k], lambda data=data: data,
                                         suffix=".json")
    def decoded(data: bytes) -> tuple[PageSolution, list[Diagnostic]]:
        page = json.loads(data)
        return _solution_of(page["solution"]), [Diagnostic(**d) for d in page["notes"]]

    out = []
    for k in range(len(pages)):
        try:
            out.append(decoded(found[k]))
        except (ValueError, KeyError, TypeError):
            # An entry we cannot read back is made again; the cache never changes a page.
            out.append(decoded(make(k)))
    return out


def _rebalance(edition: Edition, pages: list, results: list, measurer: Measurer,
               processes: int | None, rank) -> tuple[list, list]:
    """Copy a page could not hold (a story not set, or overflowing) moves, once, to another
    page carrying its section whose solution left empty room enough for it; the pages that
    lose or gain a story are solved again. The deal estimates each story's room from its
    tightest box, so the first pages of a section can take more than they hold while the
    last stays empty (三版 overset, 七版 a third full)."""
    number = {spec.number: k for k, (spec, _, _) in enumerate(pages)}
    columns = edition.style.grid.columns
    room: dict[int, float] = {}

    def room_of(n: int) -> float:
        """Page n's room: a page that set all its copy, less 1.2 × each story's tightest
        box (the spare lines inside its stretched boxes count: they close up when a story
        comes in). Worked out when first asked for: measuring every story at every span
        costs the parent ~0.08 s for the pages the makeup's child solved (16-page
        benchmark edition), and most editions have no overfull page to ask about."""
        if n not in room:
            (_, stories, rects), (_, notes) = pages[number[n]], results[number[n]]
            room[n] = -1.0 if any(d.code == "overfull" for d in notes) else \
                sum(r.cells for r in rects) - sum(1.2 * _area(a, measurer, columns)
                                                  for a in stories)
        return room[n]

    moved: dict[str, int] = {}
    for (spec, stories, _), (_, notes) in zip(pages, results):
        over = {d.article for d in notes if d.code == "overfull"}
        for article in sorted((a for a in stories if a.id in over and not a.page_hint
                               and a.section), key=rank, reverse=True):
            need = 1.2 * _area(article, measurer, columns)
            for other in edition.pages:
                n = other.number
                if n != spec.number and n in number and article.section in other.sections \
                        and room_of(n) >= need:
                    room[n] -= need
                    moved[article.id] = n
                    break
    if not moved:
        return pages, results
    changed, every = [], [a for (_, stories, _) in pages for a in stories]
    for k, (spec, stories, rects) in enumerate(pages):
        kept = [a for a in stories if moved.get(a.id, spec.number) == spec.number]
        came = [a for a in every if moved.get(a.id) == spec.number]
        if len(kept) != len(stories) or came:
            pages[k] = (spec, sorted(kept + came, key=rank), rects)
            changed.append(k)
    again = _solve_cached(edition, [pages[k] for k in changed], measurer, processes)
    for k, result in zip(changed, again):
        results[k] = result
    return pages, results


def _before_fork(measurer: Measurer, pages: list[list[Article]]) -> None:
    """What both makeup processes would otherwise build each after the fork, built once
    before it: the faces, photo sizes and Pillow (`Measurer.prepare`); the hyphenation
    patterns (~0.05–0.15 s) when the text of two pages or more has words to look up (each
    process then likely gets one of them). Measured on the 16-page benchmark edition
    (fresh build cache), each process built them all: ~0.1 s of CPU twice."""
    measurer.prepare(a for stories in pages for a in stories)
    worded = sum(any(may_hyphenate(p.text) for a in stories for p in a.body)
                 for stories in pages)
    if worded >= 2:
        load_patterns()


def _import_search() -> None:
    """Import the search (and numpy) with numpy's BLAS kept to one thread. OpenBLAS starts a
    thread per core when numpy loads, which made the import 0.14 s instead of 0.09 s here
    (median of 10, interleaved); the search calls no BLAS routine (integer arrays), and
    the makeup's two processes already take both cores. The variable is read once, when the
    library loads: it is set for the import only, so programs this one starts (and a user's
    own setting) are left as they were."""
    if "numpy" in sys.modules:
        import layout.makeup.solve  # noqa: F401
        return
    saved = os.environ.get("OPENBLAS_NUM_THREADS")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        import layout.makeup.solve  # noqa: F401
    finally:
        if saved is None:
            os.environ.pop("OPENBLAS_NUM_THREADS", None)


def _solution_json(solution: PageSolution) -> dict:
    return {"placed": [dataclasses.asdict(p) for p in solution.placed],
            "dropped": solution.dropped, "empty": [dataclasses.asdict(r) for r in solution.empty],
            "cost": solution.cost if solution.cost != float("inf") else None,
            "elastic": solution.elastic, "timed_out": solution.timed_out,
            "seconds": solution.seconds, "tried": solution.tried}


def _solution_of(data: dict) -> PageSolution:
    placed = [Placed(p["story"], p["column"], p["top"], p["span"], p["depth"],
                     tuple(p["photo_lines"]), tuple(p["depths"])) for p in data["placed"]]
    return PageSolution(placed, list(data["dropped"]), [Rect(**r) for r in data["empty"]],
                        data["cost"] if data["cost"] is not None else float("inf"),
                        data["elastic"], data["timed_out"], data["seconds"], data["tried"])


def _on(article: Article, page: int) -> bool:
    boxes = [article.place, article.continued]
    return any(box is not None and box.page == page for box in boxes)


def _conflicts(edition: Edition, engine: list[Article]) -> bool:
    ids = {a.id for a in engine}
    others = [b for a in edition.articles for b in (a.place, a.continued)
              if b is not None and a.id not in ids]
    mine = [a.place for a in engine]
    return any(box.overlaps(o) for k, box in enumerate(mine) for o in others + mine[k + 1:])


def _deal_sections(edition: Edition, homeless: list[Article], todo: dict[int, list[Article]],
                   measurer: Measurer) -> None:
    """Stories by section to the pages that carry it: the first page with room for them."""
    grid = edition.style.grid
    dealt = {a.id for a in homeless}    # their old engine boxes (a planned edition) are free
    single = []
    for article in homeless:
        carriers = [p.number for p in edition.pages if article.section in p.sections]
        if len(carriers) == 1:          # nothing to choose: no need to measure it
            todo[carriers[0]].append(article)
            single.append(article.id)
    homeless = [a for a in homeless if a.id not in single]
    if not homeless:
        return
    room: dict[int, float] = {}
    for spec in edition.pages:
        used = sum(b.span * (b.bottom - b.top) for a in edition.articles
                   for b in (a.place, a.continued) if b is not None and b.page == spec.number
                   and a.id not in dealt and a.id not in {t.id for t in todo[spec.number]})
        masthead = grid.columns * edition.style.masthead_lines if spec.number == 1 else 0
        room[spec.number] = grid.columns * grid.lines - used - masthead \
            - sum(_area(a, measurer, grid.columns) for a in todo[spec.number])
    index = {a.id: i for i, a in enumerate(edition.articles)}
    for article in sorted(homeless, key=lambda a: _order_key(a, index[a.id])):
        carriers = [p.number for p in edition.pages if article.section in p.sections]
        need = _area(article, measurer, grid.columns)
        page = next((n for n in carriers if room[n] >= need), max(carriers, key=room.get))
        room[page] -= need
        todo[page].append(article)


def _area(article: Article, measurer: Measurer, columns: int) -> float:
    """Cells the story needs at its most economical feasible span."""
    areas = []
    for span in range(1, columns + 1):
        fit = measurer.fit(article, span)
        if fit.feasible:
            areas.append((fit.depth_range()[0] + 1) * span)
    return min(areas, default=columns * 10)


def _blocked(edition: Edition, spec: PageSpec, locked: list[Article]) -> list[tuple]:
    grid = edition.style.grid
    blocked = []
    if spec.number == 1:
        blocked.append((0, grid.columns, 0, edition.style.masthead_lines))
    for article in locked:
        for box in (article.place, article.continued):
            if box is None or box.page != spec.number:
                continue
            blocked.extend((c, c + 1, a, b) for c, a, b in box.intervals())
    return blocked


def _no_room(edition: Edition, spec: PageSpec, locked: list[Article],
             stories: list[Article]) -> Diagnostic:
    first = locked[0] if locked else None
    line = first.place.line if first and first.place else spec.line
    names = ", ".join(a.id for a in stories)
    return Diagnostic(
        ERROR, "placement", f"the locked boxes of page {spec.number} leave no room for "
        f"{names}", str(edition.file), line,
        f"articles[{first.id}].place" if first else _page_field(edition, spec),
        "make a locked box smaller, or give those stories another page", page=spec.number)


def _as_placed(article: Article, measurer: Measurer, lines: int) -> Placed:
    place = article.place
    assert place is not None
    fit = measurer.fit(article, place.span)
    inner = place.depth - (0 if place.top + place.depth == lines else 1)
    return Placed(0, place.column, place.top, place.span, place.depth, fit.photo_lines(inner))


def _unplanned(article: Article) -> Article:
    """The article without the photo places the engine chose before (`by: engine`)."""
    if not any(p.place is not None and p.place.engine for p in article.photos):
        return article
    return replace(article, photos=tuple(
        replace(p, place=None) if p.place is not None and p.place.engine else p
        for p in article.photos))


def _resolved(article: Article, page: int, placed, measurer: Measurer) -> Article:
    """The article with the engine's box and photo sizes: a photo set narrower than its
    story (P6) gets the place the measure chose, marked `engine`."""
    place = Placement(page, placed.column, placed.span, placed.top, placed.depth,
                      line=article.place.line if article.place else article.line,
                      depths=placed.depths, engine=True)
    photos = article.photos
    photo_only = not article.body and len(photos) == 1 and photos[0].place is None
    insets: tuple = ()
    if not placed.depths and placed.photo_lines:
        insets = inset_places(measurer.fit(article, placed.span), placed.photo_lines)
    if insets:
        photos = tuple(replace(photo, place=place) for photo, place in zip(photos, insets))
    elif not photo_only:
        photos = tuple(replace(photo, lines=lines) if photo.place is None else photo
                       for photo, lines in zip(article.photos, placed.photo_lines))
    return replace(article, place=place, photos=photos)


def _overset_alone(solution: PageSolution, stories: list[Article], rects: list[Rect],
                   measurer: Measurer, lines: int) -> None:
    """A page whose stories all find no room (one story longer than the page: a 9,000-
    character feature on a tabloid) would come out blank. Set the most important of them
    in the largest free rectangle instead: its overflow is then reported line by line
    (超版, "N lines of X do not fit") and the editor cuts or jumps from a set page."""
    if solution.placed or not solution.dropped or not rects:
        return
    rect = max(rects, key=lambda r: (r.cells, -r.top, -r.column))
    for k in solution.dropped:
        fit = measurer.fit(stories[k], rect.span)
        if fit.body_lines == 0 and not fit.photo_only:
            continue
        inner = rect.depth - (0 if rect.top + rect.depth == lines else 1)
        try:
            photo_lines = fit.photo_lines(inner)
        except (ValueError, IndexError):
            continue
        solution.placed.append(Placed(k, rect.column, rect.top, rect.span, rect.depth,
                                      photo_lines))
        solution.dropped.remove(k)
        solution.empty = [r for r in solution.empty if r != rect]
        return


def _notes(edition: Edition, spec: PageSpec, stories: list[Article], solution: PageSolution,
           measurer: Measurer) -> list[Diagnostic]:
    """超版 with the cheapest fixes, 缺版 with where, and what the search had to give up."""
    grid = edition.style.grid
    file = str(edition.file)
    notes = []
    for placed in solution.placed:
        article = stories[placed.story]
        if placed.depths:
            continue        # a stepped box is cut to its text (≤ 2 spare lines)
        fit = measurer.fit(article, placed.span)
        inner = placed.depth - (0 if placed.top + placed.depth == grid.lines else 1)
        room, spare_lowest = fit.text_room(inner)
        cells = fit.body_lines + fit.obstacle_cells
        if not fit.photo_only and room < cells:
            over = cells - room
            notes.append(_overfull(edition, spec, article, over, placed=True))
        elif not fit.photo_only and spare_lowest > 2:     # a headline alone too (标题新闻)
            spare = room - cells
            notes.append(Diagnostic(
                WARNING, "underfull", f"page {spec.number} is short of copy (缺版): story "
                f"{article.id!r} leaves {spare} lines empty in its box "
                f"({_columns(placed.column, placed.span)}, {_lines(placed.top, placed.depth)})",
                file, article.line, f"articles[{article.id}].body",
                f"add about {spare * grid.column_chars} characters or a photo",
                article.id, spec.number))
    for story in solution.dropped:
        article = stories[story]
        notes.append(_overfull(edition, spec, article, _area(article, measurer, grid.columns),
                               placed=False))
    for rect in solution.empty:
        notes.append(Diagnostic(
            WARNING, "underfull", f"page {spec.number} is short of copy (缺版): "
            f"{rect.cells} empty lines in {_columns(rect.column, rect.span)}, "
            f"{_lines(rect.top, rect.depth)}", file, spec.line,
            _page_field(edition, spec), f"add a story of about {rect.cells * grid.column_chars} "
            "characters to the page's section", page=spec.number))
    if solution.timed_out:
        notes.append(Diagnostic(
            INFO, "makeup-time", f"page {spec.number}: the layout search stopped at its time "
            f"limit ({edition.style.makeup_time_limit:g} s) after {solution.tried} orders; "
            "the best page found is used", file, spec.line, "makeup.time_limit",
            "raise makeup.time_limit in the style for a wider search", page=spec.number))
    return notes


def _page_field(edition: Edition, spec: PageSpec) -> str:
    """The page's field as the loader names it: its place in the `pages` list (from 0)."""
    return f"pages[{edition.pages.index(spec)}]"


def _lines(top: int, depth: int) -> str:
    """Grid lines as `place.top` counts them (from 0), the last one included."""
    return f"line {top}" if depth == 1 else f"lines {top}–{top + depth - 1}"


def _columns(column: int, span: int) -> str:
    return f"column {column + 1}" if span == 1 else f"columns {column + 1}–{column + span}"


def _overfull(edition: Edition, spec: PageSpec, article: Article, lines: int, *,
              placed: bool) -> Diagnostic:
    """The page's 超版 as the search sees it (what `_rebalance` moves). A build replaces it
    with the message layout/makeup/advice.py makes once every page is set: the lines that
    really do not fit, and the pages with room to move or jump the story to."""
    chars = lines * edition.style.grid.column_chars
    fixes = [f"cut about {chars} characters from {article.id!r}" if placed else
             f"cut about {chars} characters from the stories of page {spec.number} to make "
             f"room for {article.id!r}"]
    what = f"{lines} lines (about {chars} characters) of {article.id!r} do not fit" if placed \
        else f"story {article.id!r} finds no room and is not set (it needs about {lines} " \
        "column lines)"
    return Diagnostic(
        WARNING, "overfull", f"page {spec.number} has more copy than room (超版): {what}",
        str(edition.file), article.line, f"articles[{article.id}]", "; or ".join(fixes),
        article.id, spec.number)


__all__ = ["Makeup", "Rect", "make_up"]
