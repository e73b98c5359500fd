"""The start-up benchmark still runs (a smoke test, not a timing)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_startup_benchmark_runs():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_startup.py"),
                             "--runs", "1"], capture_output=True, text=True, timeout=300,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr
    for line in ("import layout.cli", "no bytecode", "paiban build sample (cache warm)",
                 "largest own import times", "YAML read and tag check"):
        assert line in result.stdout
