"""Character diff algorithms on long Chinese texts: difflib, rapidfuzz, diff-match-patch.

Run: python benchmarks/bench_diff.py [--quick]   (diff-match-patch is optional here;
`--quick` runs the short texts only)

The text is the sample edition's body copy repeated to the given length; the edits are
scattered insertions, deletions and replacements of a few characters, the way a
proofreader's corrections look. For each algorithm: seconds, number of change groups,
and whether applying its opcodes to the old text gives the new one.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import random
import re
import sys
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "editions" / "hucheng-2023-12-29.yaml"


def corpus(length: int) -> str:
    """Body copy, in paragraphs of about 300 characters (a newline between them)."""
    text = "".join(re.findall(r"[\u4e00-\u9fff，。、；：“”（）0-9]+", SAMPLE.read_text("utf-8")))
    text = (text * (length // len(text) + 1))[:length]
    return "\n".join(text[i:i + 300] for i in range(0, len(text), 300))


def rewritten(text: str, seed: int = 3) -> str:
    """The same characters in another order: a story rewritten from scratch."""
    chars = list(text)
    random.Random(seed).shuffle(chars)
    return "".join(chars)


def edited(text: str, edits: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    chars = list(text)
    for _ in range(edits):
        i = rng.randrange(len(chars))
        kind = rng.choice("idr")
        if kind == "i":
            chars[i:i] = list("新增")
        elif kind == "d":
            del chars[i:i + 3]
        else:
            chars[i:i + 2] = list("改动")
    return "".join(chars)


def groups(ops) -> int:
    """Change groups: runs of non-equal opcodes (a delete next to an insert is one)."""
    count, inside = 0, False
    for op in ops:
        if op[0] != "equal" and not inside:
            count += 1
        inside = op[0] != "equal"
    return count


def run_difflib(a: str, b: str):
    return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def run_rapidfuzz(a: str, b: str):
    from rapidfuzz.distance import Levenshtein
    return [tuple(op) for op in Levenshtein.opcodes(a, b)]


def run_dmp(a: str, b: str):
    from diff_match_patch import diff_match_patch
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(a, b)
    dmp.diff_cleanupSemantic(diffs)
    ops, i, j = [], 0, 0
    for kind, text in diffs:
        n = len(text)
        if kind == 0:
            ops.append(("equal", i, i + n, j, j + n))
            i, j = i + n, j + n
        elif kind < 0:
            ops.append(("delete", i, i + n, j, j))
            i += n
        else:
            ops.append(("insert", i, i, j, j + n))
            j += n
    return ops


def run_paiban(a: str, b: str):
    """What paiban diff does: paragraphs aligned, changed ones by Levenshtein opcodes."""
    from layout.proof.diff import char_opcodes

    ops, i, j = [], 0, 0
    for tag, i1, i2, j1, j2 in char_opcodes(a, b):
        ops.append(("equal", i, i1, j, j1))
        ops.append((tag, i1, min(i2, len(a)), j1, min(j2, len(b))))
        i, j = min(i2, len(a)), min(j2, len(b))
    ops.append(("equal", i, len(a), j, len(b)))
    return ops


def applies(ops, a: str, b: str) -> bool:
    return "".join(b[j1:j2] if tag != "equal" else a[i1:i2]
                   for tag, i1, i2, j1, j2 in ops) == b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short texts only")
    args = parser.parse_args()
    cases: tuple = ((3_000, 1), (3_000, 20))
    if not args.quick:
        # edits=None: the whole text rewritten (diff-match-patch is left out there: without
        # its time limit it took 299 s on 20 000 characters).
        cases += ((30_000, 20), (100_000, 50), (20_000, None))
    sys.path.insert(0, str(SAMPLE.parent.parent))      # this checkout's layout package
    for module in ("rapidfuzz.distance", "diff_match_patch", "layout.proof.diff"):  # untimed
        with contextlib.suppress(ImportError):
            __import__(module)
    algorithms = [("difflib", run_difflib), ("rapidfuzz Lev.", run_rapidfuzz),
                  ("diff-match-patch", run_dmp), ("paiban (¶ + Lev.)", run_paiban)]
    for length, edits in cases:
        a = corpus(length)
        b = edited(a, edits) if edits is not None else rewritten(a)
        label = "all" if edits is None else str(edits)
        for name, algorithm in algorithms:
            if edits is None and name == "diff-match-patch":
                continue
            try:
                started = time.perf_counter()
                ops = algorithm(a, b)
                seconds = time.perf_counter() - started
            except ImportError:
                print(f"{length:>7} chars {label:>3} edits  {name:<17} not installed")
                continue
            print(f"{length:>7} chars {label:>3} edits  {name:<17} {seconds * 1000:9.1f} ms"
                  f"  {groups(ops):>4} groups  correct={applies(ops, a, b)}")


if __name__ == "__main__":
    main()
