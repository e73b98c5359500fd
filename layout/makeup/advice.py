"""What the layout editor reads about copy that does not fit (超版): one message a story,
with fixes that can be followed.

The makeup stage knows which stories found no room on their page; setting the pages knows
exactly how many lines of a placed story do not fit its box. Both used to speak (an engine
box that overflowed was reported as `overfull` by the one and `overflow` by the other,
with different figures), and the "move" fix named the first other page of the section,
full or not. Here, after the pages are set, every story that does not fit gets one
message: `overfull` for a story the engine placed or could not place, `overflow` for a
box the editor locked. Its fixes are measured on the pages as set: a page to move the
story to is named only if it has the empty lines the story needs (its empty grid cells
plus the spare lines of the engine's stories there, which close up when the engine lays
the page out again), a jump only to a page with room for the lines left over, and a
deeper box only where the grid below it is free.
"""

from __future__ import annotations

from layout.diagnostics import WARNING, Diagnostic
from layout.display import ArticleFit, PageLayout
from layout.makeup.edition import Makeup
from layout.model.edition import Article, Edition, Placement


def page_room(edition: Edition, fits: dict[str, ArticleFit]) -> dict[int, int]:
    """Empty column lines on each page as set: grid cells no box covers (the masthead
    aside), plus the spare lines of the engine's stories, which close up when the engine
    lays the page out again around a story moved in."""
    grid = edition.style.grid
    used: dict[int, set[tuple[int, int]]] = {p.number: set() for p in edition.pages}
    spare = dict.fromkeys(used, 0)
    for article in edition.articles:
        for box in (article.place, article.continued):
            if box is None or box.page not in used:
                continue
            used[box.page].update((c, line) for c, first, end in box.intervals()
                                  for line in range(first, end))
        fit = fits.get(article.id)
        if fit and article.place and article.place.engine and article.continued is None:
            spare[article.place.page] += fit.spare_lines
    room = {}
    for number, cells in used.items():
        masthead = grid.columns * edition.style.masthead_lines if number == 1 else 0
        room[number] = grid.columns * grid.lines - masthead - len(cells) + spare[number]
    return room


def advise(edition: Edition, makeup: Makeup, pages: list[PageLayout],
           diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """`diagnostics` with one message for each story that does not fit, its fixes measured
    on the pages as set (the makeup's own 超版 notes and the setting's `overflow` of a story
    the engine placed are replaced, not repeated)."""
    fits = {fit.id: fit for page in pages for fit in page.articles}
    room = page_room(edition, fits)
    articles = {a.id: a for a in edition.articles}
    dealt = {d.article: d.page for d in diagnostics if d.code == "overfull" and d.page}
    said: dict[str, Diagnostic] = {}
    for article in edition.articles:
        fit = fits.get(article.id)
        if article.id in makeup.not_set and article.id in dealt:
            said[article.id] = _not_set(edition, article, dealt[article.id],
                                        makeup.needs.get(article.id, 0), room)
        elif fit is not None and fit.overflow_lines and article.place is not None:
            said[article.id] = _over(edition, article, fit, room)
    out, placed = [], set()
    for d in diagnostics:
        if d.article in said and (d.code == "overfull" or
                                  (d.code == "overflow" and d.article in articles)):
            if d.article not in placed:
                out.append(said[d.article])
                placed.add(d.article)
            continue
        out.append(d)
    out.extend(d for k, d in said.items() if k not in placed)
    return out


# Column lines the smallest first part of a jump takes: a headline and six lines (P5) in
# two columns.
_FIRST_PART = 16


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _chars(edition: Edition, lines: int) -> int:
    return lines * edition.style.grid.column_chars


def _moves(edition: Edition, article: Article, page: int, need: int,
           room: dict[int, int]) -> list[str]:
    """Move the whole story: to the pages of its section with the room it needs."""
    carriers = [p.number for p in edition.pages
                if p.number != page and article.section and article.section in p.sections]
    if not carriers:
        return []
    fit = [n for n in carriers if room[n] >= need]
    if fit:
        pages = " or ".join(f"page {n} ({_n(room[n], 'empty line')})" for n in fit)
        return [f"move {article.id!r} to {pages}: place: {{page: {fit[0]}}}, it needs about "
                f"{need} column lines"]
    best = max(carriers, key=lambda n: (room[n], -n))
    return [f"no other page of section {article.section} has room to move it to (it needs "
            f"about {need} column lines; page {best} has {max(room[best], 0)} empty)"]


def _jumps(edition: Edition, article: Article, page: int, lines: int,
           room: dict[int, int], first: str = "") -> list[str]:
    """Jump what does not fit: to a page with room for those lines, its own section's
    pages first. `first` says where the first part goes, for a story not set."""
    others = [p.number for p in edition.pages if p.number != page]
    if not others:
        return []
    fit = sorted((n for n in others if room[n] >= lines),
                 key=lambda n: (article.section not in edition.page(n).sections, -room[n], n))
    if not fit:
        best = max(others, key=lambda n: (room[n], -n))
        return [f"no other page has the {lines} empty lines to jump it to (page {best} has "
                f"{max(room[best], 0)})"]
    target = fit[0]
    return [f"{first}jump {article.id!r} to page {target} ({_n(room[target], 'empty line')}): "
            f"continued: {{page: {target}, column, span, top, depth}}, with its own place "
            "locked"]


def _deepen(edition: Edition, article: Article, place: Placement, lines: int) -> list[str]:
    """A deeper box only where the grid below it is free for that many lines."""
    grid = edition.style.grid
    if place.depths or place.bottom + lines > grid.lines:
        return []
    below = Placement(place.page, place.column, place.span, place.bottom, lines)
    for other in edition.articles:       # the engine's boxes make way; locked ones do not
        for box in (other.place, other.continued):
            if box is not None and box.page == place.page and other.id != article.id \
                    and not box.engine and below.overlaps(box):
                return []
    if place.page == 1 and place.bottom < edition.style.masthead_lines:
        return []
    return [f"deepen the box by {_n(lines, 'line')} (depth: {place.depth + lines})"]


def _fixes(edition: Edition, article: Article, fit: ArticleFit) -> list[str]:
    """The setting's own fixes that hold for any box: tighten, shrink the photo, cut."""
    out = []
    for kind, n in fit.fixes:
        if kind == "tighten":
            out.append(f"tighten the punctuation (开明式, fit: auto) to save {_n(n, 'line')}")
        elif kind == "shrink_photo":
            out.append(f"shrink the photo by {_n(n, 'line')}")
        elif kind == "cut_chars":
            out.append(f"cut about {n} characters from {article.id!r}")
    return out


def _over(edition: Edition, article: Article, fit: ArticleFit,
          room: dict[int, int]) -> Diagnostic:
    place = article.place
    assert place is not None
    page = place.page
    over = fit.overflow_lines
    fixes = _fixes(edition, article, fit)
    if not place.engine:
        deepen = [kind for kind, _ in fit.fixes if kind == "deepen"]
        if deepen:
            fixes += _deepen(edition, article, place, dict(fit.fixes)["deepen"])
    boxed = sum(end - first for _, first, end in place.intervals())
    fixes += _moves(edition, article, page, boxed + over, room)
    if article.continued is None:
        fixes += _jumps(edition, article, page, over, room)
    text = f"{_n(over, 'line')} ({fit.overflow_chars} characters)"
    if place.engine:
        return Diagnostic(WARNING, "overfull", f"page {page} has more copy than room (超版): "
                          f"{text} of {article.id!r} do not fit the box the engine gave it",
                          str(edition.file),
                          article.line, f"articles[{article.id}]", "; or ".join(fixes),
                          article.id, page)
    return Diagnostic(WARNING, "overflow", f"article {article.id!r} does not fit its box: "
                      f"{text} over", str(edition.file), place.line,
                      f"articles[{article.id}].place", "; or ".join(fixes), article.id, page)


def _not_set(edition: Edition, article: Article, page: int, need: int,
             room: dict[int, int]) -> Diagnostic:
    grid = edition.style.grid
    empty = max(room.get(page, 0), 0)
    whole = grid.columns * (grid.lines - (edition.style.masthead_lines if page == 1 else 0))
    if need > whole:
        fixes = [f"cut about {_chars(edition, need - whole)} characters from {article.id!r}: "
                 f"it is longer than page {page} ({whole} column lines)"]
    else:
        fixes = [f"cut about {_chars(edition, max(need - empty, 1))} characters from the "
                 f"stories of page {page} (it has {_n(empty, 'empty line')})"]
    fixes += _moves(edition, article, page, need, room)
    # Jumped, its first part still needs a box on its page: in the empty lines there when
    # they make one (a headline and six lines in two columns), else in room made for it.
    first = f"set its first part in page {page}'s empty lines and " if empty >= _FIRST_PART \
        else f"make room on page {page} for a first part and "
    fixes += _jumps(edition, article, page, max(need - max(empty, _FIRST_PART), 1), room,
                    first)
    return Diagnostic(
        WARNING, "overfull", f"page {page} has more copy than room (超版): story "
        f"{article.id!r} finds no room and is not set (it needs about {need} column lines)",
        str(edition.file), article.line, f"articles[{article.id}]", "; or ".join(fixes),
        article.id, page)


__all__ = ["advise", "page_room"]
