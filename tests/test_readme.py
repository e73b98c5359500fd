"""The README's quick start is what CI runs."""

from __future__ import annotations

import re

from conftest import ROOT


def quick_start() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_is_two_commands_run_by_ci():
    commands = quick_start()
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in commands:
        assert command in ci, command


def test_ruff_clean():
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    beside = Path(sys.executable).parent / "ruff"
    ruff = str(beside) if beside.exists() else shutil.which("ruff")
    if ruff is None:
        import pytest

        pytest.skip("ruff is not installed")
    result = subprocess.run([ruff, "check", "layout", "tests", "benchmarks", "tools"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_report_fields_are_documented():
    """The README's report section names every quality count the build reports."""
    from layout.compose.quality import Quality

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The report", 1)[1]
    for name in Quality().to_json():
        assert f'"{name}"' in section, name
