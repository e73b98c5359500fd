"""Build benchmark: the sample edition and a generated 8-page edition.

Each build runs in a fresh process (as a layout editor's `paiban build` would),
several times; the script prints the median wall time, the time per stage
reported by the build itself, and the child's peak memory. The font and photo
caches are warm (as after any first build, in a private cache folder); nothing else is
cached, so every run costs what a first build of a new edition costs.

    python benchmarks/bench_build.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "editions" / "hucheng-2023-12-29.yaml"


def eight_pages(target: Path, count: int = 8) -> Path:
    """The sample page's articles repeated on pages 2–9 (same boxes, new ids); page 1 would
    carry the masthead, which the sample's boxes do not leave room for. `count` pages
    (2 … count + 1) instead of eight for a bigger edition."""
    text = SAMPLE.read_text(encoding="utf-8")
    head, articles = text.split("\narticles:\n", 1)
    pages = "\n".join(f"  - {{number: {n}, name: 示范区新闻{n}, sections: [示范区]}}"
                      for n in range(2, count + 2))
    head = re.sub(r"pages:\n(?:  .*\n|    .*\n)+", f"pages:\n{pages}\n", head + "\n")
    copies = []
    for n in range(2, count + 2):
        copy = re.sub(r"(  - id: )([\w-]+)", rf"\g<1>\g<2>-p{n}", articles)
        copies.append(copy.replace("page: 5,", f"page: {n},"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(head + "\narticles:\n" + "\n".join(copies), encoding="utf-8")
    shutil.copytree(SAMPLE.parent / "photos", target.parent / "photos", dirs_exist_ok=True)
    return target


def run_once(edition: Path, out: Path, cache: Path) -> tuple[float, dict, float]:
    report = out / "report.json"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "layout", "build", str(edition), "-o", str(out),
                    "--report", str(report)], check=True, capture_output=True, env=env)
    wall = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, json.loads(report.read_text(encoding="utf-8"))["seconds"], peak_mib


def bench(name: str, edition: Path, runs: int, out: Path, cache: Path) -> None:
    run_once(edition, out, cache)   # warm the font and photo caches, as any first build does
    for label in ("build",):
        walls, stages = [], []
        for _ in range(runs):
            wall, seconds, _ = run_once(edition, out, cache)
            walls.append(wall)
            stages.append(seconds)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        median = {key: statistics.median(s[key] for s in stages) for key in stages[0]}
        parts = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in median.items())
        pdfs = sorted(out.glob("*.pdf"))
        size = sum(p.stat().st_size for p in pdfs) / 1e6
        print(f"{name:<20} {label:<9} wall median {statistics.median(walls):.3f} s "
              f"(min {min(walls):.3f}, n={runs})  in-process: {parts}  "
              f"peak RSS (largest child so far) {peak:.0f} MiB  {len(pdfs)} PDFs {size:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        cache = tmp_path / "cache"
        bench("sample (1 page)", SAMPLE, args.runs, tmp_path / "one", cache)
        bench("generated (8 pages)", eight_pages(tmp_path / "eight" / "edition.yaml"),
              args.runs, tmp_path / "eight" / "out", cache)


if __name__ == "__main__":
    main()
