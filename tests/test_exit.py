"""The `paiban` program ends without Python's teardown (layout.cli.run), and loses nothing.

`run` flushes the output, runs the exit handlers and ends the process with os._exit: the
tests run the real program in a fresh interpreter and check its exit codes, that all of
its output arrived, and that the cache's scratch folder (removed by an exit handler)
is gone.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "editions" / "hucheng-2023-12-29.yaml"


def _paiban(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT),
           "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-m", "layout", *args], capture_output=True,
                          text=True, env=env, cwd=tmp_path)


def test_a_build_exits_with_its_code_and_all_its_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    done = _paiban("build", str(SAMPLE), "-o", str(out), "--report", str(report),
                   "--no-cache", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    # The summary's last line names the edition PDF: the output was flushed to the end.
    assert done.stdout.rstrip().splitlines()[-1].endswith(f"{out / '2023-12-29.pdf'}")
    assert report.read_text(encoding="utf-8").endswith("}\n")
    # --no-cache keeps entries in a scratch folder that an exit handler removes.
    assert not list((tmp_path / "tmp").glob("paiban-cache-*"))


def test_errors_keep_their_exit_codes(tmp_path: Path) -> None:
    missing = _paiban("build", str(tmp_path / "missing.yaml"), tmp_path=tmp_path)
    assert missing.returncode == 2
    assert "missing.yaml" in missing.stderr
    usage = _paiban("build", "--no-such-flag", tmp_path=tmp_path)
    assert usage.returncode == 2
    assert "No such option" in usage.stderr
    version = _paiban("--version", tmp_path=tmp_path)
    assert version.returncode == 0 and "version" in version.stdout


def test_a_build_runs_with_the_collector_paused_and_switches_it_back_on(
        tmp_path: Path, monkeypatch) -> None:
    """`build` pauses the cyclic collector (its passes found nothing to free and cost 5–8 %
    of the CPU) and restores it for callers that run commands in-process."""
    import gc

    from click.testing import CliRunner

    from layout import cli

    seen: list[bool] = []
    real = cli.render_edition

    def render_and_look(*args, **kwargs):      # the real renderer, watched
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(cli, "render_edition", render_and_look)
    assert gc.isenabled()
    result = CliRunner().invoke(cli.main, ["build", str(SAMPLE), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert seen == [False]
    assert gc.isenabled()
