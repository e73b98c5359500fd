"""Makeup benchmark: pages laid out by the engine from section tags alone.

1. One broadsheet page of 8, 10 and 12 stories (varied lengths, some with photos), laid out
   in-process: seconds per page (wall and CPU) and how well the page is filled.
2. A generated 16-page edition without places, built with `paiban build` in fresh processes,
   against the same edition with the places written in by `paiban plan` (the editor's
   workflow once the pages are planned): the whole build's wall and CPU time (the child
   process's user + system time), median of runs, and their ratios; and the report's
   seconds per stage (load, makeup, compose, render).

    python benchmarks/bench_makeup.py [--runs 3] [--quick] [--profile]

3. The 16-page edition's makeup in-process, in one process and in two (the two take the
   pages one at a time, layout/makeup/parallel.py; the build picks two only when a core is
   free): wall, this process's CPU and the child's; then the time to set the pages. Again
   for an uneven edition (4 stories a page in the first half, 12 in the second): the two
   processes' CPU shows how evenly the work was shared.

`--profile` lays the 16-page edition out in-process under cProfile and prints where the
makeup stage spends its time (search and measuring), instead of the builds. `--phases` lays
it out in one process and splits the CPU time by phase: each page's first search, the order
variants, the elastic passes, and measuring stories (inside those searches).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "editions" / "hucheng-2023-12-29-auto.yaml"
sys.path.insert(0, str(ROOT))


def _paragraphs() -> list[str]:
    text = SAMPLE.read_text(encoding="utf-8")
    return [p.strip() for p in re.findall(r"\n      ([^\n*]{40,})", text)]


def _story_yaml(ident: str, section: str, length: int, rng: random.Random, photo: bool,
                priority: int) -> str:
    paragraphs = _paragraphs()
    out: list[str] = []
    while sum(len(p) for p in out) < length:
        out.append(rng.choice(paragraphs))
    body = "\n\n".join(out)[:length].rstrip("，,、") + "。"
    lines = [f"  - id: {ident}", f"    section: {section}", f"    priority: {priority}",
             f"    headline: 第{priority}条{section}新闻标题示例", "    body: |"]
    lines += [f"      {p}" if p else "" for p in body.split("\n")]
    if photo:
        lines += ["    photos:", "      - file: photos/robot-standin.jpg",
                  "        caption: 技术人员在车间内调试机器人。", "        credit: 本报记者 摄"]
    return "\n".join(lines)


def edition(target: Path, pages: int, stories: int | Sequence[int], seed: int = 1,
            per_page_chars: int = 7000) -> Path:
    """`pages` broadsheet pages, each with its own section and `stories` stories (or
    `stories[n - 1]` on page n)."""
    rng = random.Random(seed)
    head = ["paper: 湖城日报", "date: 2023-12-29", "style: broadsheet",
            "masthead: {issue: 第8123期}", "pages:"]
    body = ["articles:"]
    for n in range(1, pages + 1):
        head.append(f"  - {{number: {n}, name: 第{n}版, sections: [版{n}]}}")
        count = stories if isinstance(stories, int) else stories[n - 1]
        weights = [rng.uniform(0.3, 3.0) for _ in range(count)]
        total = per_page_chars * (0.8 if n == 1 else 1.0)
        for k, weight in enumerate(weights, 1):
            length = max(100, min(5000, int(total * weight / sum(weights))))
            body.append(_story_yaml(f"p{n}s{k}", f"版{n}", length, rng, k in (2, 5), k))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(head + body) + "\n", encoding="utf-8")
    shutil.copytree(SAMPLE.parent / "photos", target.parent / "photos", dirs_exist_ok=True)
    return target


def page_bench(stories: int, tmp: Path) -> str:
    from layout.makeup.edition import make_up
    from layout.model.load import load_edition
    from layout.typeface import load_face

    path = edition(tmp / f"page{stories}" / "e.yaml", 1, stories, seed=stories,
                   per_page_chars=6500)
    ed = load_edition(path)
    faces = {key: load_face(file) for key, file in ed.style.fonts.items()}
    wall, cpu = time.perf_counter(), time.process_time()
    made = make_up(ed, faces)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    solution = made.pages[1]
    notes = sorted({d.code for d in made.diagnostics})
    return (f"page of {stories} stories: {wall:.2f} s wall, {cpu:.2f} s CPU "
            f"(search {solution.seconds:.2f} s, {solution.tried} orders, "
            f"timed out: {solution.timed_out}); placed {len(solution.placed)}, "
            f"notes: {', '.join(notes) or 'none'}")


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_once(path: Path, out: Path, cache: Path) -> tuple[float, float, dict]:
    """One `paiban build` in a fresh process: wall seconds, CPU seconds, the report."""
    report = out / "report.json"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    cpu = _child_cpu()
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "layout", "build", str(path), "-o", str(out),
                    "--report", str(report)], check=True, capture_output=True, env=env)
    wall = time.perf_counter() - started
    return wall, _child_cpu() - cpu, json.loads(report.read_text(encoding="utf-8"))


def parallel_bench(tmp: Path, pages: int, runs: int, uneven: bool = False) -> None:
    """make_up of a `pages`-page edition with processes=1 and =2, interleaved, each run with
    an empty build cache of its own (every page solved), then the pages set (compose_pages:
    with two processes it finds the bodies the child composed, layout/makeup/handback.py).
    The faces are a build's (`Faces`), whose compositions the makeup and setting share."""
    from layout.makeup.edition import make_up
    from layout.model.load import load_edition
    from layout.page.compose import compose_pages
    from layout.typeface import Faces

    # Uneven: 4 stories a page in the first half, 12 in the second (a split of the pages
    # in halves gave one process a quarter of the work).
    stories = [4 if n <= pages // 2 else 12 for n in range(1, pages + 1)] if uneven else 9
    name = "uneven" if uneven else "parallel"
    path = edition(tmp / name / "auto.yaml", pages, stories)
    times: dict[int, list[tuple[float, float, float, float, float]]] = {1: [], 2: []}
    saved = os.environ.get("XDG_CACHE_HOME")
    try:
        for run in range(runs):
            for count in (1, 2):
                os.environ["XDG_CACHE_HOME"] = str(tmp / f"{name}-cache-{count}-{run}")
                ed = load_edition(path)
                faces = Faces(ed.style.fonts, ed.style.fallback)
                wall, cpu, child = time.perf_counter(), time.process_time(), _child_cpu()
                made = make_up(ed, faces, processes=count)
                madeup = (time.perf_counter() - wall, time.process_time() - cpu,
                          _child_cpu() - child)
                wall, cpu = time.perf_counter(), time.process_time()
                compose_pages(made.edition, faces)
                times[count].append((*madeup, time.perf_counter() - wall,
                                     time.process_time() - cpu))
    finally:
        if saved is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = saved
    median = statistics.median
    for count, found in times.items():
        print(f"{pages}-page{' uneven' if uneven else ''} makeup in {count} "
              f"process{'es' if count > 1 else ''}: "
              f"{median(t[0] for t in found):.2f} s wall, {median(t[1] for t in found):.2f} s "
              f"CPU here + {median(t[2] for t in found):.2f} s in the child; then setting the "
              f"pages {median(t[3] for t in found):.2f} s wall, "
              f"{median(t[4] for t in found):.2f} s CPU (median of {runs}; "
              f"load average {os.getloadavg()[0]:.1f})")


def profile(tmp: Path) -> None:
    """The 16-page edition's makeup in-process under cProfile (no build cache)."""
    import cProfile
    import pstats

    from layout import cache
    from layout.makeup.edition import make_up
    from layout.model.load import load_edition
    from layout.typeface import load_face

    cache.configure(enabled=False)
    ed = load_edition(edition(tmp / "profile" / "auto.yaml", 16, 9))
    faces = {key: load_face(file) for key, file in ed.style.fonts.items()}
    cpu = time.process_time()
    profiler = cProfile.Profile()
    profiler.runcall(make_up, ed, faces)
    print(f"makeup of 16 pages: {time.process_time() - cpu:.2f} s CPU under the profiler")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(20)


def phases(tmp: Path) -> None:
    """CPU of the 16-page makeup by phase, one process, no build cache: each search (one
    `page._deal` call) timed by what it was, and the measuring inside them (`Solver.fit`)."""
    from layout import cache
    from layout.makeup import page
    from layout.makeup.edition import make_up
    from layout.makeup.solve import Solver
    from layout.model.load import load_edition
    from layout.typeface import load_face

    cache.configure(enabled=False)
    ed = load_edition(edition(tmp / "phases" / "auto.yaml", 16, 9))
    faces = {key: load_face(file) for key, file in ed.style.fonts.items()}
    spent: dict[str, list[float]] = {}
    measuring = [0.0]
    deal, fit = page._deal, Solver.fit

    def timed_deal(solver, order, rects, lines):
        kind = "elastic passes" if solver.elastic else \
            "first searches" if order == tuple(sorted(order)) else "order variants"
        cpu = time.process_time()
        try:
            return deal(solver, order, rects, lines)
        finally:
            found = spent.setdefault(kind, [0, 0.0])
            found[0] += 1
            found[1] += time.process_time() - cpu

    def timed_fit(self, story, span):
        cpu = time.process_time()
        try:
            return fit(self, story, span)
        finally:
            measuring[0] += time.process_time() - cpu

    page._deal, Solver.fit = timed_deal, timed_fit
    try:
        cpu = time.process_time()
        make_up(ed, faces, processes=1)
        total = time.process_time() - cpu
    finally:
        page._deal, Solver.fit = deal, fit
    for kind, (count, seconds) in spent.items():
        print(f"{kind}: {count} searches, {seconds:.2f} s CPU")
    print(f"measuring stories (inside the searches): {measuring[0]:.2f} s CPU; "
          f"16-page makeup in all: {total:.2f} s CPU")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    parser.add_argument("--profile", action="store_true",
                        help="profile the 16-page makeup in-process instead of building")
    parser.add_argument("--phases", action="store_true",
                        help="the 16-page makeup's CPU by phase instead of building")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if args.profile:
            profile(tmp)
            return
        if args.phases:
            phases(tmp)
            return
        for stories in ((8,) if args.quick else (8, 10, 12)):
            print(page_bench(stories, tmp))
        pages = 2 if args.quick else 16
        parallel_bench(tmp, 4 if args.quick else 16, args.runs)
        if not args.quick:
            parallel_bench(tmp, 16, args.runs, uneven=True)
        auto = edition(tmp / "edition" / "auto.yaml", pages, 9)
        planned = auto.with_name("planned.yaml")
        subprocess.run([sys.executable, "-m", "layout", "plan", str(auto), "-o", str(planned)],
                       check=True, capture_output=True,
                       env={**os.environ, "XDG_CACHE_HOME": str(tmp / "plan-cache")})
        walls: dict[str, list[float]] = {"places given": [], "engine": []}
        cpus: dict[str, list[float]] = {"places given": [], "engine": []}
        stages: dict[str, list[dict[str, float]]] = {"places given": [], "engine": []}
        reports = {}
        for run in range(args.runs):
            # Interleaved, so that a change in the machine's load hits both alike; a fresh
            # page cache every run: every build draws every page.
            for label, path in (("places given", planned), ("engine", auto)):
                wall, cpu, report = build_once(path, tmp / f"out-{label}-{run}",
                                               tmp / f"cache-{label}-{run}")
                walls[label].append(wall)
                cpus[label].append(cpu)
                stages[label].append(report["seconds"])
                reports[label] = report
        median = statistics.median
        for label in walls:
            fills = [p["fill"] for p in reports[label]["pages"]]
            makeup = median(s.get("makeup", 0.0) for s in stages[label])
            # The report's per-stage seconds (wall), medians: where the two builds differ.
            per_stage = ", ".join(f"{name} {median(s.get(name, 0.0) for s in stages[label]):.2f}"
                                  for name in ("load", "makeup", "compose", "render"))
            print(f"{pages}-page edition, {label}: build {median(walls[label]):.2f} s wall, "
                  f"{median(cpus[label]):.2f} s CPU (median of {args.runs}); makeup "
                  f"{makeup:.2f} s = {makeup / pages:.3f} s a page (wall); "
                  f"fill {min(fills):.3f}–{max(fills):.3f}; stages (s): {per_stage}")
        print(f"ratio engine / places given (load average {os.getloadavg()[0]:.1f}): "
              f"{median(walls['engine']) / median(walls['places given']):.2f} wall, "
              f"{median(cpus['engine']) / median(cpus['places given']):.2f} CPU")


if __name__ == "__main__":
    main()
