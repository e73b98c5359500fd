"""Workload benchmark: this checkout's paiban against the ReportLab floor, with the shared kit.

The kit (`run.sh` and its scripts; the issue tracker's `shared/bench/`) builds the common
newspaper workload — 1, 8 and 32 page units of 11,004 glyphs, 8 columns of 12 ideographs
at 9.5 pt — and times each first build of paiban paired with the floor: ReportLab drawing
the same glyphs at precomputed positions. It prints paiban's and the floor's median
seconds, the median of the pairwise ratios and paiban's peak memory.

This script runs the kit on this checkout (through the interpreter running the script),
in its own work folder in the temporary directory (kept between runs: the kit's virtual
environment and fonts are made once) unless BENCH_DIR is set:

    python benchmarks/bench_workload.py --kit ../shared/bench [UNITS ...]   # default 1 8 32
    PAIBAN_BENCH_KIT=../shared/bench python benchmarks/bench_workload.py 1 8

The kit needs the Noto CJK fonts for the floor (fonts-noto-cjk) and makes its own virtual
environment with ReportLab on first use. Python's bytecode cache is left on for the timed
runs: an installed paiban has its modules compiled, and an editable checkout with
PYTHONDONTWRITEBYTECODE set would compile every module on every run (~150 ms).
"""

from __future__ import annotations

import argparse
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def kit_folder(given: str | None) -> Path | None:
    """The kit's folder from --kit or PAIBAN_BENCH_KIT, if it holds run.sh."""
    found = given or os.environ.get("PAIBAN_BENCH_KIT")
    if not found:
        return None
    folder = Path(found).resolve()
    return folder if (folder / "run.sh").is_file() else None


def paiban_command(folder: Path) -> Path:
    """An executable that runs this checkout's paiban with this interpreter (the kit wants
    one path, and must not pick up another installed paiban)."""
    script = folder / "paiban"
    script.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}${{PYTHONPATH:+:$PYTHONPATH}}" '
                      f'exec "{sys.executable}" -m layout "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return script


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("units", nargs="*", default=["1", "8", "32"],
                        help="page units to build (default 1 8 32)")
    parser.add_argument("--kit", help="the kit's folder (else $PAIBAN_BENCH_KIT)")
    parser.add_argument("--runs", type=int, default=5, help="paired runs per size")
    args = parser.parse_args()
    kit = kit_folder(args.kit)
    if kit is None:
        print("no benchmark kit: give --kit FOLDER (with run.sh) or set PAIBAN_BENCH_KIT",
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="paiban-workload-") as tmp:
        env = {key: value for key, value in os.environ.items()
               if key != "PYTHONDONTWRITEBYTECODE"}
        env.update(PAIBAN=str(paiban_command(Path(tmp))), RUNS=str(args.runs))
        env.setdefault("BENCH_DIR", str(Path(tempfile.gettempdir()) /
                                        f"paiban-workload-{os.getuid()}"))
        return subprocess.run(["sh", str(kit / "run.sh"), *args.units], env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
