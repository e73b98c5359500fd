"""Start-up benchmark: what a process pays before and around a small build.

Prints the median CPU time (user + system of the child, so other work on a shared machine
barely moves it) of `import layout.cli` and of `paiban build` of the sample edition (build
cache warm: mostly start-up), each with the package's bytecode cached as an installed
package has it and without (a source checkout run with PYTHONDONTWRITEBYTECODE=1 compiles
every module on every run). Then the modules with the largest own import time, and the
YAML reading of an edition 32 times the sample's size.

    python benchmarks/bench_startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "editions" / "hucheng-2023-12-29.yaml"


def cpu_of(command: list[str], env: dict[str, str]) -> float:
    """User + system CPU seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, cwd=tempfile.gettempdir(), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def own_import_times(env: dict[str, str], runs: int) -> list[tuple[float, str]]:
    """Median own import time (ms, wall) per module of `import layout.cli`."""
    times: dict[str, list[int]] = defaultdict(list)
    for _ in range(runs):
        err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import layout.cli"],
                             env=env, capture_output=True, text=True, check=True).stderr
        for match in re.finditer(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", err):
            times[match.group(2)].append(int(match.group(1)))
    return sorted(((statistics.median(v) / 1000, k) for k, v in times.items()), reverse=True)


def yaml_reading(copies: int = 32) -> tuple[float, int]:
    """Median CPU ms of Reader.parse (compose + tag check) on `copies` times the sample."""
    sys.path.insert(0, str(ROOT))
    from layout.model.yamlread import Reader

    text = SAMPLE.read_text(encoding="utf-8")
    big = "items:\n" + "\n".join("  - " + "\n    ".join(text.splitlines())
                                 for _ in range(copies))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.yaml"
        path.write_text(big, encoding="utf-8")
        times = []
        for _ in range(7):
            reader = Reader(path)
            start = time.process_time()
            assert reader.parse() is not None, reader.errors
            times.append(time.process_time() - start)
    return statistics.median(times) * 1000, len(big)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # Two copies of the package: one with its bytecode compiled, one without any.
        copies = {}
        for name in ("bytecode", "sources"):
            shutil.copytree(ROOT / "layout", Path(tmp, name, "layout"),
                            ignore=shutil.ignore_patterns("__pycache__"))
            for data in ("fonts", "styles"):         # beside the package, as in a checkout
                Path(tmp, name, data).symlink_to(ROOT / data)
            copies[name] = Path(tmp, name)
        compileall.compile_dir(str(copies["bytecode"]), quiet=1)
        envs = {name: {**os.environ, "PYTHONPATH": str(path), "PYTHONDONTWRITEBYTECODE": "1"}
                for name, path in copies.items()}
        out = Path(tmp, "out")
        build = [sys.executable, "-m", "layout", "build", str(SAMPLE), "-o", str(out)]
        cpu_of(build, envs["bytecode"])              # font and build caches warm
        cases = {("import layout.cli", name): [sys.executable, "-c", "import layout.cli"]
                 for name in copies}
        cases.update({("paiban build sample (cache warm)", name): build for name in copies})
        times: dict[tuple[str, str], list[float]] = defaultdict(list)
        for _ in range(args.runs):                   # interleaved, against drifting load
            for (what, name), command in cases.items():
                times[what, name].append(cpu_of(command, envs[name]))
        print(f"median CPU (user+system) of {args.runs} runs; load {os.getloadavg()[0]:.2f}")
        for (what, name), values in times.items():
            print(f"  {what:34s} {'bytecode cached' if name == 'bytecode' else 'no bytecode':16s}"
                  f" {statistics.median(values) * 1000:7.1f} ms")
        print("largest own import times (ms wall, bytecode cached):")
        for ms, module in own_import_times(envs["bytecode"], min(args.runs, 5))[:12]:
            print(f"  {ms:6.2f}  {module}")
    ms, size = yaml_reading()
    print(f"YAML read and tag check, 32 x the sample ({size / 1e3:.0f} kB): {ms:.1f} ms CPU")


if __name__ == "__main__":
    main()
