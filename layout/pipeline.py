"""load → compose → flow → place → render, for a whole edition."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from layout import cache as build_cache
from layout.diagnostics import INFO, WARNING, Diagnostic, OutputError
from layout.display import PageLayout
from layout.makeup.advice import advise
from layout.makeup.edition import Makeup, make_up
from layout.model.edition import Edition
from layout.model.load import load_edition
from layout.page.compose import compose_pages
from layout.page.memo import PlanMemo
from layout.render.trace import trace
from layout.typeface import Faces


@dataclass
class Build:
    edition: Edition
    pages: list[PageLayout]
    diagnostics: list[Diagnostic]
    page_files: dict[int, Path] = field(default_factory=dict)
    edition_file: Path | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    makeup: Makeup | None = None        # the engine's places (placed_by, page solutions)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == WARNING]


def page_file_name(edition: Edition, number: int) -> str:
    return f"{edition.date.isoformat()}-{number:02d}.pdf"


def preview_file_name(edition: Edition, number: int) -> str:
    return f"{edition.date.isoformat()}-{number:02d}.svg"


def edition_file_name(edition: Edition) -> str:
    return f"{edition.date.isoformat()}.pdf"


def _unplaced(edition: Edition, reported: set[str] = frozenset()) -> list[Diagnostic]:
    found = []
    for article in edition.articles:
        if article.place is None and article.id in reported:
            continue        # the makeup stage said why (超版) and what to do
        if article.place is None:
            carried = sorted({s for page in edition.pages for s in page.sections})
            why = f"section {article.section!r} is on no page" if article.section else \
                "it has no section"
            found.append(Diagnostic(
                WARNING, "unplaced", f"article {article.id!r} has no place and is not on any "
                f"page ({why})", str(edition.file), article.line, f"articles[{article.id}].place",
                "give it a section that a page carries"
                + (f" ({', '.join(carried)})" if carried else "") + ", or place: {page: N}",
                article.id))
            continue
        page = edition.page(article.place.page)
        if page.sections and article.section and article.section not in page.sections:
            carriers = [p.number for p in edition.pages if article.section in p.sections]
            found.append(Diagnostic(
                WARNING, "section", f"article {article.id!r} (section {article.section}) is "
                f"placed on page {page.number}, which carries {', '.join(page.sections)}",
                str(edition.file), article.place.line, f"articles[{article.id}].section",
                (f"move it to page {' or '.join(map(str, carriers))}, which carries "
                 f"{article.section}, " if carriers else "")
                + f"or add {article.section} to the sections of page {page.number}",
                article=article.id, page=page.number))
    return found


def _cache_notes() -> list[Diagnostic]:
    """Cache entries that failed verification and were made again: said, never hidden."""
    return [Diagnostic(INFO, "cache", note) for note in build_cache.notes()]


Progress = Callable[[str, int, int], None]


def compose_edition(path: Path, *, draft: bool = False, progress: Progress | None = None,
                    replan: bool = False, memo: PlanMemo | None = None) -> Build:
    """Load and compose every page; raises InputError before anything is written.
    A caller that rebuilds (the desk) passes the same `memo` each time: unchanged stories
    are then not set again (layout/page/memo.py)."""
    started = time.perf_counter()
    edition = load_edition(path)
    loaded = time.perf_counter()
    faces = Faces(edition.style.fonts, edition.style.fallback)
    made = make_up(edition, faces, replan=replan)
    madeup = time.perf_counter()
    edition = made.edition
    pages, composed_diagnostics = compose_pages(edition, faces, draft=draft, progress=progress,
                                                memo=memo)
    # One message for each story that does not fit, its fixes measured on the pages as set.
    diagnostics = _unplaced(edition, made.not_set) \
        + advise(edition, made, pages, made.diagnostics + composed_diagnostics) \
        + _cache_notes()
    composed = time.perf_counter()
    return Build(edition, pages, diagnostics,
                 seconds={"load": loaded - started, "makeup": madeup - loaded,
                          "compose": composed - madeup}, makeup=made)


def render_edition(build: Build, outdir: Path, progress: Progress | None = None) -> None:
    # Imported here, not at the top: `paiban check` and `diff` (layout only) need no PDF writer.
    from layout.render import pdf

    started = time.perf_counter()
    edition = build.edition
    title = f"{edition.paper} {edition.date.isoformat()}"
    page_files = [(outdir / page_file_name(edition, page.number),
                   f"{title} 第{page.number}版 {page.name}") for page in build.pages]
    build.edition_file = outdir / edition_file_name(edition)
    total = len(build.pages)
    try:
        pdf.render_edition(build.pages, page_files, (build.edition_file, title),
                           progress=(lambda done: progress("render", done, total)) if progress
                           else None)
    except OSError as exc:
        raise OutputError(f"cannot write the PDFs into {outdir}: "
                          f"{exc.strerror or exc}") from exc
    for page, (path, _) in zip(build.pages, page_files):
        build.page_files[page.number] = path
    build.diagnostics.extend(_cache_notes())
    build.seconds["render"] = time.perf_counter() - started


def render_previews(build: Build, outdir: Path) -> dict[int, Path]:
    """One self-contained SVG per page (fonts subset and photos embedded) beside the PDFs."""
    from layout.render.svg import render_page  # fontTools' subsetter: only when asked for

    written = {}
    outdir.mkdir(parents=True, exist_ok=True)
    for page in build.pages:
        path = outdir / preview_file_name(build.edition, page.number)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(render_page(page))
        tmp.replace(path)
        written[page.number] = path
    return written


def trace_text(build: Build) -> str:
    """The build's text trace: every set line with its page, article, column and grid line."""
    return trace(build.pages)


def plan_edition(path: Path, dest: Path) -> Build:
    """`paiban plan`: solve every place the editor did not lock and write them into `dest`.

    Places the editor wrote stay as they are; places marked `by: engine` are solved again.
    """
    build = compose_edition(path, replan=True)
    assert build.makeup is not None
    # Imported here: the round-trip YAML library (~25 ms) serves `paiban plan` only.
    from layout.model.planfile import PlannedPhoto, PlannedPlace, write_plan

    places: dict[str, PlannedPlace | None] = {}
    for article in build.edition.articles:
        place = article.place
        if place is not None and place.engine:
            photos = tuple(PlannedPhoto(p.place.column + 1, p.place.span, p.place.top,
                                        p.place.lines) if p.place and p.place.engine else None
                           for p in article.photos)
            places[article.id] = PlannedPlace(place.page, place.column + 1, place.span,
                                              place.top, place.depth, place.depths, photos)
        elif place is None and article.id in build.makeup.not_set:
            places[article.id] = None
    write_plan(path, places, dest)
    return build
