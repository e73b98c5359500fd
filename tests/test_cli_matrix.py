"""Every command and flag of the CLI on every edition in editions/ (the test matrix).

The matrix is read from the click group itself: a new command or flag joins it by
being in the CLI. Each command runs once with its required arguments only, then once
per optional parameter (a flag switched on, an option given a value), on a copy of each
shipped edition (a command may write beside its edition). Every run must end with the
expected exit code and no traceback, and every PDF it writes must open in PyMuPDF with
the right number of pages and extractable text; JSON must parse, SVG must be XML.

A parameter the matrix cannot guess a value for fails the test with what to add to
`VALUES`; a command that cannot run to completion in-process is listed in `SKIP`
with the reason.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pymupdf
import pytest
from click.testing import CliRunner
from conftest import ROOT

from layout.cli import main

EDITIONS = sorted((ROOT / "editions").glob("*.yaml"))

# Commands that do not return on their own, and why they are left out here.
SKIP = {
    "serve": "starts a long-running HTTP server; tests/test_serve*.py start it for real",
}
# Values for options that have no default (by parameter name); everything else is derived.
VALUES: dict[str, str] = {
    "trim": "auto",           # replaced by the edition's trim size below
    "port": "0",
    "host": "127.0.0.1",
}
# Arguments by name: what the matrix passes.
EDITION_ARGUMENTS = {"edition", "old", "new", "before", "after", "draft", "editions"}
PDF_ARGUMENTS = {"pdfs", "pdf", "files"}


def commands(group: click.Group = main, prefix: tuple[str, ...] = ()) -> Iterator[
        tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def optional_params(command: click.Command) -> list[click.Parameter]:
    return [p for p in command.params
            if isinstance(p, click.Option) and not p.required and p.name != "help"]


@dataclass(frozen=True)
class Case:
    path: tuple[str, ...]
    param: str | None        # None: required arguments only

    def __str__(self) -> str:
        return " ".join(self.path) + (f" --{self.param}" if self.param else "")


CASES = [Case(path, None) for path, _ in commands()] + [
    Case(path, param.name) for path, command in commands()
    for param in optional_params(command) if param.name]


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copies of the shipped editions with their photos, and each one's PDFs built once."""
    folder = tmp_path_factory.mktemp("editions")
    shutil.copytree(ROOT / "editions", folder, dirs_exist_ok=True)
    for edition in EDITIONS:
        result = CliRunner().invoke(main, ["build", str(folder / edition.name), "-o",
                                           str(folder / f"{edition.stem}.pdfs")])
        assert result.exit_code == 0, result.output
    return folder


def _trim(pdfs: list[Path]) -> str:
    with pymupdf.open(pdfs[0]) as document:
        box = document[0].trimbox
    return f"{round(box.width / 72 * 25.4)}x{round(box.height / 72 * 25.4)}mm"


OUTPUT_OPTIONS = {"outdir", "output", "out"}
# What a command's output file must be called (by its suffix); others get `.out`.
OUTPUT_SUFFIX = {"proof": ".pdf", "plan": ".yaml"}


def _unset(default: object) -> bool:
    return default is None or callable(default) or type(default).__name__ == "Sentinel"


def _first_article(edition: Path) -> str:
    import yaml

    return yaml.safe_load(edition.read_text(encoding="utf-8"))["articles"][0]["id"]


def _value(param: click.Option, edition: Path, pdfs: list[Path], out: Path, flag: str) -> str:
    if param.name in EDITION_ARGUMENTS:
        return str(edition)
    if isinstance(param.type, click.Path):
        return str(out / f"{param.name}.out")
    if param.name == "trim":
        return _trim(pdfs)
    if param.name == "article":
        return _first_article(edition)
    if param.name in VALUES:
        return VALUES[param.name]
    if isinstance(param.type, click.Choice):
        return str(param.type.choices[-1])
    if not _unset(param.default):
        return str(param.default)
    if isinstance(param.type, (click.types.IntParamType, click.types.FloatParamType)):
        return str(param.type.convert("2", param, None))
    pytest.fail(f"the matrix has no value for {flag}: add one to VALUES in "
                "tests/test_cli_matrix.py")


def _arguments(case: Case, edition: Path, pdfs: list[Path], out: Path) -> list[str]:
    command = _command(case.path)
    args: list[str] = list(case.path)
    for param in command.params:
        if not isinstance(param, click.Argument):
            continue
        if param.name in PDF_ARGUMENTS:
            args += [str(p) for p in pdfs]
        elif param.name in EDITION_ARGUMENTS or isinstance(param.type, click.Path):
            args.append(str(edition))
        else:
            pytest.fail(f"the matrix does not know argument {param.name!r} of "
                        f"{' '.join(case.path)}: add it to tests/test_cli_matrix.py")
    # Every command writes into this run's own folder, never beside the edition.
    for param in command.params:
        if isinstance(param, click.Option) and param.name in OUTPUT_OPTIONS:
            suffix = OUTPUT_SUFFIX.get(case.path[-1], ".out")
            target = out if param.name == "outdir" else out / f"{param.name}{suffix}"
            args += [param.opts[0], str(target)]
    if case.param is None or case.param in OUTPUT_OPTIONS:
        return args
    param = next(p for p in command.params if p.name == case.param)
    assert isinstance(param, click.Option)
    flag = param.opts[-1] if param.opts[-1].startswith("--") else param.opts[0]
    if param.is_flag:
        return args + [flag]
    return args + [flag, _value(param, edition, pdfs, out, flag)]


def _warnings(edition: Path) -> bool:
    result = CliRunner().invoke(main, ["check", str(edition), "--strict"])
    return result.exit_code == 1


def _check_outputs(out: Path) -> int:
    """Open everything the run wrote, by its content; returns the number of PDFs."""
    count = 0
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        if path.name.endswith(".tmp"):
            pytest.fail(f"temporary file left behind: {path}")
        head = path.read_bytes()[:64].lstrip()
        if head.startswith(b"%PDF"):
            with pymupdf.open(path) as document:
                assert document.page_count >= 1, path
                text = "".join(page.get_text() for page in document)
                assert text.strip(), f"{path} has no extractable text"
            count += 1
        elif head.startswith((b"{", b"[")):
            json.loads(path.read_text(encoding="utf-8"))
        elif head.startswith((b"<svg", b"<?xml")):
            ET.parse(path)
        elif head.startswith(b"PK"):
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None, path
    return count


@pytest.mark.parametrize("edition_name", [e.name for e in EDITIONS])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_every_command_and_flag_on_every_edition(case: Case, edition_name: str,
                                                 workspace: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch):
    if case.path[0] in SKIP:
        pytest.skip(SKIP[case.path[0]])
    if case.path[0] == "cache":      # `cache clear` empties a cache of its own, not the run's
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    # A copy of its own: a command may write back into its edition (`plan`).
    edition = tmp_path / edition_name
    shutil.copy(workspace / edition_name, edition)
    (tmp_path / "photos").symlink_to(workspace / "photos")
    pdfs = sorted((workspace / f"{edition.stem}.pdfs").glob("*.pdf"))
    out = tmp_path / "out"
    out.mkdir()
    args = _arguments(case, edition, pdfs, out)
    result = CliRunner().invoke(main, args)
    shown = f"paiban {' '.join(args)}\n{result.output}"
    assert "Traceback" not in result.output, shown
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(shown) from result.exception
    expected = 0
    if case.param == "strict" and _warnings(edition):
        expected = 1
    assert result.exit_code == expected, shown
    written = _check_outputs(out)
    if case.path == ("build",):
        assert written == len(pdfs), shown
    assert edition.read_bytes() == (workspace / edition_name).read_bytes() or \
        case.path == ("plan",), "the command changed its edition file"


def test_the_matrix_covers_the_readme_commands():
    """The README's command table and the CLI name the same commands."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path, _ in commands():
        assert f"paiban {path[0]}" in readme, path
