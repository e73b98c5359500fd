"""The paiban command line (the only module that imports click)."""

from __future__ import annotations

import functools
import gc
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from layout import cache as build_cache
from layout.diagnostics import InputError, OutputError
from layout.pipeline import (
    Build,
    compose_edition,
    plan_edition,
    render_edition,
    render_previews,
    trace_text,
)
from layout.report import fit_table, summary, to_json

EXIT_OK, EXIT_WARNINGS, EXIT_INPUT = 0, 1, 2


def _progress(stage: str, done: int, total: int) -> None:
    """Page-by-page progress on a terminal; a log or a pipe gets only the summary."""
    end = "\n" if stage == "render" and done == total else ""
    click.echo(f"\r{stage} page {done}/{total}  ", err=True, nl=False)
    if end:
        click.echo("", err=True)


def _compose(edition: Path, draft: bool = False) -> Build:
    try:
        return compose_edition(edition, draft=draft,
                               progress=_progress if sys.stderr.isatty() else None)
    except InputError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.format(), err=True)
        sys.exit(EXIT_INPUT)


def _not_set(build: Build) -> list[tuple[str, int, int]]:
    """The stories the makeup found no room for: (id, page dealt to, column lines needed)."""
    made = build.makeup
    if made is None:
        return []
    return [(d.article, d.page, made.needs.get(d.article, 0)) for d in build.diagnostics
            if d.code == "overfull" and d.article in made.not_set and d.page]


def _write_json(path: Path, data: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = build_cache.temporary_file(path.parent, f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:     # a folder given as the file, a read-only place, a full disk
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from exc


def _collector_paused(command: Callable[..., None]) -> Callable[..., None]:
    """Run a command with Python's cyclic garbage collector paused.

    A build allocates a few hundred thousand small objects (display lists, lines, runs)
    and keeps nearly all of them until it ends: the collector's passes over them found
    nothing to free and cost 5–8 % of a build's CPU (peak memory unchanged, measured at
    8 and 32 page units of the benchmark workload). The collector is switched back on
    afterwards, for callers that run commands in-process (tests, the desk).
    """
    @functools.wraps(command)
    def paused(*args: object, **kwargs: object) -> None:
        enabled = gc.isenabled()
        gc.disable()
        try:
            command(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
    return paused


@click.group()
@click.version_option(package_name="paiban")
def main() -> None:
    """paiban (排版): typeset Chinese newspaper pages into print-ready PDFs."""


@main.command()
@click.argument("edition", type=click.Path(path_type=Path))
@click.option("-o", "--outdir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Folder for the page PDFs and the edition PDF.")
@click.option("--report", type=click.Path(path_type=Path), help="Write the JSON report here.")
@click.option("--strict", is_flag=True, help="Exit 1 when any warning (overflow, missing glyph).")
@click.option("--draft", is_flag=True,
              help="Proof marks: counts per story, overflow shown in magenta. Not for press.")
@click.option("--trace", "trace_path", type=click.Path(path_type=Path),
              help="Write a text trace of every set line (for paiban diff or review).")
@click.option("--svg", is_flag=True,
              help="Also write one self-contained SVG preview per page (OUTDIR/<date>-<版次>.svg).")
@click.option("--no-cache", is_flag=True,
              help="Neither read nor write the build cache (see `paiban cache info`).")
@_collector_paused
def build(edition: Path, outdir: Path, report: Path | None, strict: bool, draft: bool,
          trace_path: Path | None, svg: bool, no_cache: bool) -> None:
    """Typeset EDITION (a YAML edition file) into one PDF per page and one for the edition."""
    build_cache.configure(enabled=not no_cache)
    result = _compose(edition, draft)
    try:
        render_edition(result, outdir, progress=_progress if sys.stderr.isatty() else None)
    except InputError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.format(), err=True)
        sys.exit(EXIT_INPUT)
    except OutputError as exc:
        # Nothing was delivered (the PDFs are renamed into place only when all verify).
        click.echo(f"error: {exc}; no PDF was written", err=True)
        sys.exit(EXIT_WARNINGS)
    click.echo(summary(result))
    for number, path in sorted(result.page_files.items()):
        click.echo(f"  page {number}: {path}")
    click.echo(f"  edition: {result.edition_file}")
    if svg:
        for number, path in sorted(render_previews(result, outdir).items()):
            click.echo(f"  preview {number}: {path}")
    if report:
        _write_json(report, to_json(result))
    if trace_path:
        try:
            trace_path.write_text(trace_text(result), encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write {trace_path}: {exc.strerror or exc}") \
                from exc
    if strict and result.warnings:
        sys.exit(EXIT_WARNINGS)


@main.command()
@click.argument("edition", type=click.Path(path_type=Path))
@click.option("--report", type=click.Path(path_type=Path), help="Write the JSON report here.")
@click.option("--strict", is_flag=True, help="Exit 1 when any warning (overflow, missing glyph).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the build cache.")
@_collector_paused
def check(edition: Path, report: Path | None, strict: bool, no_cache: bool) -> None:
    """Validate EDITION and its style and report the fit of every article; writes no PDF."""
    build_cache.configure(enabled=not no_cache)
    result = _compose(edition)
    click.echo(fit_table(result))
    click.echo(summary(result))
    if report:
        _write_json(report, to_json(result))
    if strict and result.warnings:
        sys.exit(EXIT_WARNINGS)


@main.command()
@click.argument("edition", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write the planned edition here (default: back into EDITION).")
@click.option("--report", type=click.Path(path_type=Path), help="Write the JSON report here.")
def plan(edition: Path, output: Path | None, report: Path | None) -> None:
    """Lay out every article the editor did not place and write the places into the file.

    Comments, key order and formatting are kept; each place the engine chose is marked
    `by: engine` (delete that to lock it). Running plan again solves only those.
    """
    if output is not None and output.is_dir():
        # `-o out` names a folder as it does for `build`: the planned file keeps its name there.
        output = output / edition.name
    try:
        result = plan_edition(edition, output or edition)
    except InputError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.format(), err=True)
        sys.exit(EXIT_INPUT)
    except OSError as exc:
        click.echo(f"error: cannot write the planned edition {output or edition}: "
                   f"{exc.strerror or exc}", err=True)
        sys.exit(EXIT_INPUT)
    click.echo(fit_table(result))
    click.echo(summary(result))
    engine = sorted(i for i, by in result.makeup.placed_by.items() if by == "engine") \
        if result.makeup else []
    click.echo(f"  {len(engine)} places written by the engine to {output or edition}")
    if report:
        _write_json(report, to_json(result))


@main.command(name="preflight")
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--trim", help="Expected trim size, e.g. 390x550mm.")
@click.option("--min-ppi", type=float, default=200, show_default=True,
              help="Lowest effective image resolution accepted.")
@click.option("--ink-limit", type=float, default=240, show_default=True,
              help="Highest total ink (C+M+Y+K, %) accepted in images.")
@click.option("--no-pdfx", is_flag=True, help="Do not require PDF/X identification.")
@click.option("--json", "json_path", type=click.Path(path_type=Path),
              help="Write the findings as JSON here.")
def preflight_command(pdfs: tuple[Path, ...], trim: str | None, min_ppi: float,
                      ink_limit: float, no_pdfx: bool, json_path: Path | None) -> None:
    """Check PDFs (ours or any tool's) against a newspaper plant's preflight."""
    # Imported here, not at the top: pikepdf's import costs ~140 ms that every
    # `paiban build` would otherwise pay without using it.
    from layout.preflight import PreflightError, format_table, parse_trim, preflight

    try:
        trim_mm = parse_trim(trim) if trim else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--trim") from None
    reports = []
    failed = False
    for pdf in pdfs:
        try:
            report = preflight(pdf, trim_mm=trim_mm, min_ppi=min_ppi, ink_limit=ink_limit,
                               require_pdfx=not no_pdfx)
        except PreflightError as exc:
            click.echo(f"error: {pdf}: {exc}", err=True)
            sys.exit(EXIT_INPUT)
        click.echo(format_table(report))
        reports.append(report.to_json())
        failed = failed or not report.ok
    if json_path:
        _write_json(json_path, {"files": reports})
    if failed:
        sys.exit(EXIT_WARNINGS)


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--context", default=None, type=click.IntRange(min=0),
              help="Characters of unchanged text around a change (default 8); with --lines, "
                   "unchanged set lines (default 0).")
@click.option("--json", "json_path", type=click.Path(path_type=Path),
              help="Write the changes and reflow as JSON here.")
@click.option("--lines", "by_lines", is_flag=True,
              help="Compare the text traces line by set line instead (every reset line).")
def diff(old: Path, new: Path, context: int | None, json_path: Path | None,
         by_lines: bool) -> None:
    """Show what changed between two drafts of an edition, as a proofreader marks it.

    Both editions are composed (no PDF is written) and compared as set, character by
    character: each insertion, deletion or replacement is named with its article, field,
    page, column and grid line, and one line per story says what the change reflowed.
    Exit 0 when the drafts are the same, 1 when something changed.
    """
    # Imported here: the proof's diff library is only needed by the proof commands.
    import difflib

    from layout.proofdesk import diff_pages, format_diff

    before, after = _compose(old), _compose(new)
    if by_lines:
        lines = list(difflib.unified_diff(trace_text(before).splitlines(),
                                          trace_text(after).splitlines(), str(old), str(new),
                                          n=context or 0, lineterm=""))
        for line in lines:
            click.echo(line)
        changed = bool(lines)
    else:
        found = diff_pages(before.pages, after.pages, 8 if context is None else context)
        click.echo(format_diff(found), nl=False)
        if json_path:
            _write_json(json_path, found.to_json())
        changed = bool(found)
    if changed:
        sys.exit(EXIT_WARNINGS)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


@main.group(name="cache")
def cache_group() -> None:
    """The build cache: font metrics, parsed fonts, converted photos and page PDFs."""


@cache_group.command(name="info")
def cache_info() -> None:
    """Where the cache is, how many entries it holds and how big it is."""
    found = build_cache.info()
    click.echo(f"folder: {found.folder}")
    click.echo(f"entries: {found.entries}")
    click.echo(f"size: {_megabytes(found.size)} of at most {_megabytes(found.limit)} "
               "(PAIBAN_CACHE_MB; least recently used entries go first)")


@cache_group.command(name="clear")
def cache_clear() -> None:
    """Remove every cached entry; the next build makes them again."""
    found = build_cache.clear()
    click.echo(f"removed {found.entries} entries ({_megabytes(found.size)}) from {found.folder}")


@main.command()
@click.argument("edition", type=click.Path(path_type=Path))
@click.option("--port", default=8000, show_default=True, help="TCP port (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; the default keeps the desk on this computer.")
def serve(edition: Path, port: int, host: str) -> None:
    """Live preview of EDITION in the browser: every page, its grids and fits, redrawn on
    every save of the edition, its style or a photo. Writes nothing; Ctrl+C stops it."""
    # Imported here: watchfiles and the SVG renderer are for the desk only.
    import time

    from layout.serve import open_desk

    if not edition.is_file():
        click.echo(f"error: {edition}: no such edition file", err=True)
        sys.exit(EXIT_INPUT)
    try:
        desk = open_desk(edition, host=host, port=port)
    except OSError as exc:
        click.echo(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_INPUT)
    if desk.desk.error:
        for error in desk.desk.error:
            click.echo(error["text"], err=True)
    click.echo(f"paiban desk for {edition} at {desk.url}  (Ctrl+C to stop)", err=False)
    sys.stdout.flush()
    desk.start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        desk.close()


@main.command()
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--against", "old", type=click.Path(path_type=Path),
              help="An older draft: mark every change since it and list them first.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="The proof PDF (default: <date>-proof.pdf beside nothing else: in the "
                   "current folder).")
@click.option("--context", default=8, show_default=True, type=click.IntRange(min=0),
              help="Characters of unchanged text around a change in the notes.")
def proof(new: Path, old: Path | None, output: Path | None, context: int) -> None:
    """Write the proof (校样) of draft NEW: line numbers, grid, fit and overset per story,
    and — with --against — every change since the older draft marked on the page.

    Not for press: a plain PDF (no PDF/X output intent) with a 校样 band on every page.
    Exit 1 when --against finds changes, 0 otherwise.
    """
    from layout.proofdesk import Unset, proof_pdf

    after = _compose(new)
    before = _compose(old) if old else None
    edition = after.edition
    path = output or Path(f"{edition.date.isoformat()}-proof.pdf")
    if path.suffix.lower() != ".pdf":
        raise click.BadParameter("the proof is a PDF: give a file name ending in .pdf",
                                 param_hint="-o")
    title = new.name + (f" against {old.name}" if old else "")
    unset = [Unset(a, page, lines) for a, page, lines in _not_set(after)]
    found = proof_pdf(after.pages, path, title, before.pages if before else None, context,
                      unset)
    click.echo(f"proof: {path}" + (f" ({len(found.changes)} changes marked)" if found is not None
                                   else ""))
    if found:
        sys.exit(EXIT_WARNINGS)


@main.command()
@click.argument("edition", type=click.Path(path_type=Path))
@click.option("--article", help="Only this article (its id).")
@click.option("--format", "fmt", type=click.Choice(["txt", "docx"]), default="txt",
              show_default=True, help="Plain text, or a Word document (needs -o).")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write here instead of printing (required for docx).")
def text(edition: Path, article: str | None, fmt: str, output: Path | None) -> None:
    """Print each story's text exactly as set (after normalisation), field by field, with
    the marks normalisation changed (R2), to read against the reporter's copy."""
    from layout.proofdesk import write_text

    if fmt == "docx" and output is None:
        raise click.BadParameter("a Word document needs a file: give -o FILE.docx",
                                 param_hint="--format")
    result = _compose(edition)
    known = [a.id for a in result.edition.articles]
    if article is not None and article not in known:
        click.echo(f"error: {edition}: no article {article!r}; the articles are "
                   f"{', '.join(known)}", err=True)
        sys.exit(EXIT_INPUT)
    title = f"{result.edition.paper} {result.edition.date.isoformat()}"
    try:
        out = write_text(result.pages, output, fmt, title, article)
    except KeyError:
        click.echo(f"error: {edition}: article {article!r} is not on any page", err=True)
        sys.exit(EXIT_INPUT)
    if output is None:
        click.echo(out, nl=False)
    else:
        click.echo(f"text: {output}")


def run() -> None:
    """The `paiban` program: the command line, then a quick exit.

    Python's normal exit frees every object the command made (a long edition's display
    lists, the fonts' glyph tables) before the process ends: 15–20 ms of CPU a build,
    a tenth of a one-page build, for memory the system reclaims at once anyway. Once the
    command has finished, its output is flushed and the exit handlers run (the cache's
    scratch folder is removed), and the process ends without that teardown. Tests call
    `main` through click's runner, which keeps the normal exit.
    """
    try:
        main()
    except SystemExit as done:
        code = done.code
    else:
        code = 0
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):       # a closed pipe: let Python report it as usual
        sys.exit(code)
    import atexit

    atexit._run_exitfuncs()
    os._exit(code)
