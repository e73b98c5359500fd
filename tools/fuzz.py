"""The long fuzzing run of `paiban build` (tests/test_fuzz.py runs a few dozen of the same).

    python tools/fuzz.py [--examples 500] [--seed 1] [--keep FOLDER]

Generates hostile cases with the strategies of tests/fuzz_inputs.py, builds each one
in-process and records every broken promise (a traceback, an exit code other than 0/1/2,
a half-written output folder, an exit-2 message without file and line, an unopenable
PDF). Unlike the test it does not stop at the first failure: it prints a table of exit
codes, the distinct problems found with one case each, and keeps the failing cases'
files under --keep for reproduction (`paiban build FOLDER/<n>/edition.yaml`).
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fuzz_inputs import cases, run_case  # noqa: E402
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=Path("fuzz-failures"))
    parser.add_argument("--log", type=Path, help="append each case's description here first")
    parser.add_argument("--memory-mb", type=int, default=3000,
                        help="address-space limit: a case that needs more fails with "
                             "MemoryError instead of taking the machine down")
    args = parser.parse_args()
    if args.memory_mb:
        import resource

        limit = args.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp(prefix="paiban-fuzz-cache-"))
    exits: collections.Counter = collections.Counter()
    problems: dict[str, list[str]] = {}
    slowest: list[tuple[float, str]] = []
    count = 0
    started = time.perf_counter()

    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @seed(args.seed)
    @given(case=cases())
    def one(case) -> None:
        nonlocal count
        count += 1
        if args.log:
            with args.log.open("a", encoding="utf-8") as log:
                log.write(f"{count}: {'; '.join(case.description)}\n")
        with tempfile.TemporaryDirectory() as folder:
            began = time.perf_counter()
            try:
                outcome = run_case(case, Path(folder))
            except Exception as exc:  # noqa: BLE001 — the harness itself must go on
                exits["harness"] += 1
                problems.setdefault(f"harness: {exc.__class__.__name__}: {exc}"[:160], []) \
                    .append("; ".join(case.description))
                return
            seconds = time.perf_counter() - began
            slowest.append((seconds, "; ".join(case.description)))
            exits[outcome.exit_code] += 1
            for problem in outcome.problems:
                key = problem.replace(folder, "…")[:160]
                if key not in problems:
                    kept = args.keep / str(len(problems))
                    shutil.rmtree(kept, ignore_errors=True)
                    shutil.copytree(folder, kept, ignore=shutil.ignore_patterns("out"))
                    (kept / "output.txt").write_text(outcome.output, encoding="utf-8")
                problems.setdefault(key, []).append("; ".join(case.description))

    one()
    elapsed = time.perf_counter() - started
    print(f"{count} cases in {elapsed:.0f} s; exit codes: "
          + ", ".join(f"{code}: {n}" for code, n in sorted(exits.items(), key=str)))
    for seconds, description in sorted(slowest, reverse=True)[:3]:
        print(f"  slowest {seconds:.1f} s: {description}")
    if not problems:
        print("no broken promise found")
        return 0
    print(f"{len(problems)} distinct problems (cases kept in {args.keep}/):")
    for index, (problem, seen) in enumerate(problems.items()):
        print(f"  [{index}] {problem}  ({len(seen)}×, e.g. {seen[0]})")
    return 1


if __name__ == "__main__":
    sys.exit(main())
