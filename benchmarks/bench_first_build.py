"""First-build benchmark: `paiban build` with an empty cache, as on a fresh install.

Issue 9 asked that the fallback faces (R49) keep the sample page's first build no slower.
Every run gets a new, empty cache folder, so font metrics, the PDF writer's font facts and
the converted photos are all made afresh. `--source DIR` runs another checkout of paiban
(for a before/after comparison, e.g. a `git archive` of an older commit), alternating with
this one so that a busy machine slows both alike. Each build is timed twice: wall-clock
seconds, and the CPU seconds of the process (user + system, children included), which a
machine shared with other work inflates far less. Python's bytecode cache is left on, as
for an installed paiban.

    python benchmarks/bench_first_build.py [--runs 3] [--source /tmp/before]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = {"sample (no rare characters)": ROOT / "editions" / "hucheng-2023-12-29.yaml",
            "copy sample (fallback faces)": ROOT / "editions" / "hucheng-2024-01-12-copy.yaml"}


def first_build(source: Path, edition: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one build with an empty cache."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {key: value for key, value in os.environ.items()
               if key != "PYTHONDONTWRITEBYTECODE"}
        env.update(XDG_CACHE_HOME=str(Path(tmp) / "cache"), PYTHONPATH=str(source))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "layout", "build", str(edition), "-o",
                        str(Path(tmp) / "out")], check=True, capture_output=True, env=env,
                       cwd=source)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--source", type=Path, help="another checkout to compare with")
    args = parser.parse_args()
    sources = {"this checkout": ROOT}
    if args.source:
        sources = {f"{args.source}": args.source.resolve(), **sources}
    for label, edition in EDITIONS.items():
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in sources}
        for _ in range(args.runs):
            for name, source in sources.items():
                try:
                    times[name].append(first_build(source, edition))
                except subprocess.CalledProcessError:
                    # the older checkout may not build it
                    times[name].append((float("nan"), float("nan")))
        for name, values in times.items():
            wall = [v[0] for v in values]
            cpu = [v[1] for v in values]
            print(f"{label:30} {name:24} wall median {statistics.median(wall):6.2f} s  "
                  f"min {min(wall):6.2f} s   CPU median {statistics.median(cpu):6.2f} s  "
                  f"min {min(cpu):6.2f} s   ({args.runs} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
