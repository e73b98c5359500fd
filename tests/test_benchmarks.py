"""The benchmark scripts still run (a smoke test, not a timing: timings are in the notes)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT


def run(script: str, *args: str) -> str:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_compose_benchmark_runs():
    assert "M chars/s" in run("bench_compose.py", "--rounds", "1")


def test_build_benchmark_runs():
    out = run("bench_build.py", "--runs", "1")
    assert "sample (1 page)" in out and "generated (8 pages)" in out


def test_diff_benchmark_runs():
    out = run("bench_diff.py", "--quick")
    assert "difflib" in out and "rapidfuzz" in out and "correct=False" not in out


def test_desk_benchmark_runs():
    import shutil

    import pytest

    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("no Chromium and chromedriver: the desk benchmark drives a real browser")
    out = run("bench_desk.py", "--edits", "1")
    assert "sample, one story" in out and "16 pages, one story on p. 9" in out


def test_makeup_benchmark_runs():
    out = run("bench_makeup.py", "--quick", "--runs", "1")
    assert "page of 8 stories" in out and "2-page edition, engine" in out


def test_makeup_benchmark_splits_by_phase():
    out = run("bench_makeup.py", "--phases")
    assert "first searches: 16 searches" in out and "measuring stories" in out


def test_workload_benchmark_needs_the_kit(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_workload.py"),
                             "--kit", str(tmp_path)], capture_output=True, text=True,
                            timeout=60, cwd=ROOT)
    assert result.returncode == 2 and "no benchmark kit" in result.stderr


@pytest.mark.skipif(not os.environ.get("PAIBAN_BENCH_KIT"),
                    reason="set PAIBAN_BENCH_KIT to the benchmark kit's folder (run.sh) to "
                           "run the workload benchmark; it also needs fonts-noto-cjk")
def test_workload_benchmark_runs():
    out = run("bench_workload.py", "1", "--runs", "1")
    assert "ratio_median" in out and out.strip().splitlines()[-1].split()[0] == "1"


def test_first_build_benchmark_runs():
    out = run("bench_first_build.py", "--runs", "1")
    assert "sample (no rare characters)" in out and "copy sample (fallback faces)" in out


def test_makeup_corpus_runs_and_compares(tmp_path):
    out = tmp_path / "corpus.json"
    assert "2 pages" in run("makeup_corpus.py", "run", str(out), "--count", "2")
    assert "identical pages: 2 of 2" in run("makeup_corpus.py", "compare", str(out), str(out))
