"""The build report: a short summary for the terminal and the JSON document.

JSON field names are a public interface (documented in README.md); keep them stable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from layout.diagnostics import ERROR, WARNING, Diagnostic
from layout.display import PageLayout
from layout.model.edition import Edition, Photo, PhotoPlace, Placement

REPORT_VERSION = 1


class Build(Protocol):
    """What a report reads from a build (pipeline.Build); the pipeline stays a peer."""

    edition: Edition
    pages: list[PageLayout]
    diagnostics: list[Diagnostic]
    page_files: dict[int, Path]
    edition_file: Path | None
    seconds: dict[str, float]


def place_json(place: Placement | None) -> dict | None:
    """A placement as the edition file writes it (1-based column), for the report and the desk."""
    if place is None:
        return None
    out = {"page": place.page, "column": place.column + 1, "span": place.span,
           "top": place.top, "depth": place.depth}
    if place.depths:
        out["depths"] = list(place.depths)
    return out


def fill(build: Build, page: PageLayout) -> float:
    """Share of the page's grid (the masthead aside) carrying story text, headlines or photos."""
    style = build.edition.style
    grid = style.grid
    total = grid.columns * grid.lines - (grid.columns * style.masthead_lines
                                         if page.number == 1 else 0)
    used = sum(b.span * (b.bottom - b.top) if not b.depths else sum(b.depths)
               for a in build.edition.articles for b in (a.place, a.continued)
               if b is not None and b.page == page.number)
    used -= sum(fit.spare_lines for fit in page.articles)
    return round(max(0, used) / total, 4) if total else 0.0


def to_json(build: Build) -> dict:
    edition = build.edition
    places = {a.id: a.place for a in edition.articles}
    photos = {a.id: a.photos for a in edition.articles}
    return {
        "version": REPORT_VERSION,
        "edition": {"file": str(edition.file), "paper": edition.paper,
                    "date": edition.date.isoformat(), "style": edition.style.name,
                    "file_pdf": str(build.edition_file) if build.edition_file else None},
        "pages": [{
            "number": page.number,
            "name": page.name,
            "file": str(build.page_files[page.number]) if page.number in build.page_files
            else None,
            "quality": page.quality,
            "fill": fill(build, page),
            "articles": [{
                "id": fit.id, "columns": fit.columns, "capacity_lines": fit.capacity_lines,
                "lines": fit.lines, "chars_set": fit.chars_set,
                "overflow_chars": fit.overflow_chars, "overflow_lines": fit.overflow_lines,
                "overflow_text": fit.overflow_text,
                "capacity_chars": fit.capacity_chars,
                "spare_lines": fit.spare_lines,
                "spare_chars": fit.spare_lines * build.edition.style.grid.column_chars,
                "fixes": [{"fix": kind, "amount": amount} for kind, amount in fit.fixes],
                "adjustments": list(fit.adjustments),
                "pages": list(fit.pages),
                "normalized": [{"paragraph": p, "index": i, "from": old, "to": new}
                               for p, i, old, new in fit.normalized],
                "place": place_json(places.get(fit.id)),
                "placed_by": _placed_by(places.get(fit.id)),
                "photos": [_photo_json(photo) for photo in photos.get(fit.id, ())],
            } for fit in page.articles],
        } for page in build.pages],
        "quality": quality(build),
        "diagnostics": [d.to_json() for d in build.diagnostics],
        "seconds": {k: round(v, 4) for k, v in build.seconds.items()},
    }


def _photo_json(photo: Photo) -> dict:
    """A photo's place inside its story (1-based column; None: as wide as the story, under
    the headline), its height in lines when given or chosen, and who chose the place."""
    place = photo.place
    return {"file": str(photo.file), "lines": place.lines if place else photo.lines,
            "place": None if place is None else {"column": place.column + 1,
                                                 "span": place.span, "top": place.top},
            "placed_by": _placed_by(place)}


def _placed_by(place: Placement | PhotoPlace | None) -> str | None:
    return None if place is None else "engine" if place.engine else "editor"


def _box(place: Placement | None) -> str:
    """A box for the fit table: columns, first line + depth, and who chose it (* = engine)."""
    if place is None:
        return "-"
    columns = f"{place.column + 1}" if place.span == 1 else \
        f"{place.column + 1}–{place.end_column}"
    depth = "/".join(map(str, place.depths)) if place.depths else str(place.depth)
    return f"c{columns} l{place.top}+{depth}" + (" *" if place.engine else "")


def _photo_box(place: Placement | None, photos) -> str:
    """The photos the engine set inside the box: page columns and picture lines."""
    if place is None or not photos:
        return ""
    cells = []
    for photo in photos:
        inner = photo.place
        if inner is None or not inner.engine:
            continue
        first = place.column + inner.column + 1
        columns = f"{first}" if inner.span == 1 else f"{first}–{first + inner.span - 1}"
        cells.append(f" photo c{columns} {inner.lines}")
    return "".join(cells)


def quality(build: Build) -> dict[str, int]:
    """Composition quality over the whole build (faults must be zero; see compose/quality.py)."""
    counts: dict[str, int] = {}
    for page in build.pages:
        for key, value in page.quality.items():
            counts[key] = counts.get(key, 0) + value
    return counts


_FIX_WORDS = {"tighten": "tighten (saves {} lines)", "shrink_photo": "photo −{} lines",
              "cut_chars": "cut {} chars", "deepen": "deepen {} lines"}


def fit_table(build: Build) -> str:
    """容字量 per article: capacity from the grid, what was set, over (超版) or spare (缺版),
    and for an article that does not fit, the fixes, cheapest first."""
    chars = build.edition.style.grid.column_chars
    places = {a.id: a.place for a in build.edition.articles}
    continued = {a.id: a.continued for a in build.edition.articles if a.continued}
    photos = {a.id: a.photos for a in build.edition.articles}
    rows = [("page", "article", "box", "cols", "capacity", "lines", "chars", "over", "spare",
             "fixes")]
    for page in build.pages:
        for fit in page.articles:
            over = f"{fit.overflow_lines} lines/{fit.overflow_chars} chars" \
                if fit.overflow_lines else "-"
            spare = f"{fit.spare_lines} lines/{fit.spare_lines * chars} chars" \
                if fit.spare_lines else "-"
            fixes = "; ".join(_FIX_WORDS[k].format(n) for k, n in fit.fixes)
            if fit.adjustments:
                fixes = "fitted: " + ", ".join(fit.adjustments) + (f"; {fixes}" if fixes else "")
            where = "→".join(map(str, fit.pages)) or str(page.number)
            box = _box(places.get(fit.id)) + _photo_box(places.get(fit.id), photos.get(fit.id))
            if fit.id in continued:     # a jump: where the rest of it goes
                box += f" → p{continued[fit.id].page} {_box(continued[fit.id])}"
            rows.append((where, fit.id, box, str(fit.columns),
                         f"{fit.capacity_lines} lines/{fit.capacity_chars} chars",
                         str(fit.lines), str(fit.chars_set), over, spare, fixes))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    table = "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
                      for row in rows)
    if any(p is not None and p.engine for p in places.values()):
        table += "\nbox: columns, first grid line + depth; * = chosen by the makeup engine"
        if any(ph.place is not None and ph.place.engine for a in photos.values() for ph in a):
            table += "; photo: page columns and picture lines the engine gave it in the box"
    return table


def summary(build: Build) -> str:
    articles = sum(len(page.articles) for page in build.pages)
    chars = sum(fit.chars_set for page in build.pages for fit in page.articles)
    # Stories whose text runs past their box, whichever stage said so (overflow, overfull).
    overflows = {fit.id for page in build.pages for fit in page.articles if fit.overflow_lines}
    missing = [d for d in build.diagnostics if d.code == "missing-glyph"]
    total = sum(build.seconds.values())
    lines = [
        f"{build.edition.paper} {build.edition.date.isoformat()}: {len(build.pages)} pages, "
        f"{articles} articles, {chars} characters set, {len(overflows)} overflows, "
        f"{len(missing)} missing glyphs, {total:.2f} s",
    ]
    q = quality(build)
    if q:
        lines.append(
            f"composition: {q['lines']} lines in {q['paragraphs']} paragraphs; "
            f"{q['forbidden_starts']} forbidden starts, {q['forbidden_ends']} forbidden ends, "
            f"{q['lone_last_lines']} lone last characters, {q['short_lines']} short lines, "
            f"{q['loose_lines']} loose lines, {q['forced_breaks']} forced breaks, "
            f"{q['off_grid_lines']} off the grid; {q['adjacent_pairs']} mark pairs at 1.5 em; "
            f"{q['column_top_widows']} widows and {q['column_foot_orphans']} orphans at column "
            "edges")
    for d in build.diagnostics:
        if d.severity in (ERROR, WARNING) or d.code == "cache":
            lines.append("  " + d.format())
    return "\n".join(lines)
