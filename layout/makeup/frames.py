"""Bumping heads (撞题, P3) the search could not avoid: a frame stands between them.

The reference allows two headlines side by side within 3 lines of each other only when "a
photo or a rule stands between them"; boxing the less important story (加框) is the
editor's usual remedy when the copy leaves no staggered layout. This pass runs on the
places of every page — solved now or written by `paiban plan` — so a planned file builds the
same page as solving on the fly, and it only ever frames a story the engine placed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from layout.diagnostics import INFO, Diagnostic
from layout.model.edition import Article, Edition


def headed(article: Article) -> bool:
    """A story whose box starts with a headline (a photo story starts with its picture)."""
    return bool(article.body) or not article.photos


def bumps(articles: Sequence[Article]) -> list[tuple[Article, Article]]:
    """Pairs of boxes side by side on one page whose headlines start less than 3 lines apart
    and that no frame separates."""
    heads = [a for a in articles if a.place is not None and headed(a)]
    pairs = []
    for k, a in enumerate(heads):
        for b in heads[k + 1:]:
            pa, pb = a.place, b.place
            touching = pa.end_column == pb.column or pb.end_column == pa.column
            if touching and abs(pa.top - pb.top) < 3 and not (a.frame or b.frame):
                pairs.append((a, b))
    return pairs


def frame_bumps(edition: Edition, rank: dict[str, tuple[int, int]]) -> tuple[Edition,
                                                                              list[Diagnostic]]:
    """The edition with the less important engine-placed story of every bumping pair framed
    (`frame: line`), and an info note for each; `rank` orders stories by importance."""
    framed: dict[str, Article] = {}
    notes = []
    for spec in edition.pages:
        while True:
            on_page = [framed.get(a.id, a) for a in edition.articles
                       if a.place is not None and a.place.page == spec.number]
            pairs = [(a, b) for a, b in bumps(on_page) if a.place.engine or b.place.engine]
            if not pairs:
                break
            a, b = pairs[0]
            engine = [x for x in (a, b) if x.place.engine]
            box = max(engine, key=lambda x: rank[x.id])
            other = b if box is a else a
            framed[box.id] = replace(box, frame="line")
            notes.append(Diagnostic(
                INFO, "bump-framed", f"page {spec.number}: story {box.id!r} is boxed "
                f"(frame: line) so that its headline (line {box.place.top}) does not bump "
                f"{other.id!r}'s (line {other.place.top}) beside it (P3)", str(edition.file),
                box.line, f"articles[{box.id}].frame", "lock one of them a few lines lower "
                "or give the page a photo story to set between them",
                box.id, spec.number))
    if not framed:
        return edition, notes
    articles = tuple(framed.get(a.id, a) for a in edition.articles)
    return replace(edition, articles=articles), notes
