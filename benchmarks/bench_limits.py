"""Limits: what paiban does with inputs far beyond a normal edition, and what it costs.

    python benchmarks/bench_limits.py [--only NAME]

Each case is generated into a temporary folder and built in a fresh process with
`--no-cache` (so a photo is converted for real); the table gives the wall time, the
child's peak resident memory (os.wait4's ru_maxrss), the exit code and the first line
the build printed. Every case must build or stop with a clear error, within bounded
memory:

- a 200,000-character paragraph in the lead story (set as far as the box goes, the rest
  reported as overflow, never dropped);
- a 1,000-article edition (50 pages of 20 short stories);
- a 48-page edition (the sample page's eight stories on each page);
- a 12,000 × 12,000 photo (144 MP: accepted, decoded scaled down);
- a photo claiming 20,000 × 20,000 (400 MP: refused with its size).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "editions" / "hucheng-2023-12-29.yaml"


def _sample() -> dict:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def _write(folder: Path, edition: dict) -> Path:
    shutil.copytree(SAMPLE.parent / "photos", folder / "photos", dirs_exist_ok=True)
    path = folder / "edition.yaml"
    path.write_text(yaml.safe_dump(edition, allow_unicode=True, sort_keys=False,
                                   width=10 ** 7), encoding="utf-8")
    return path


def long_paragraph(folder: Path) -> Path:
    edition = _sample()
    text = re.sub(r"\s+", "", "".join(a.get("body", "") for a in edition["articles"]))
    edition["articles"][0]["body"] = (text * (200_000 // len(text) + 1))[:200_000]
    return _write(folder, edition)


def thousand_articles(folder: Path) -> Path:
    edition = _sample()
    story = edition["articles"][0]["body"].split("\n\n")[0][:120]
    edition["pages"] = [{"number": n, "name": f"新闻{n}", "sections": [f"s{n}"]}
                        for n in range(2, 52)]
    articles = []
    for index in range(1000):
        page, slot = divmod(index, 20)
        column, row = divmod(slot, 5)
        articles.append({"id": f"a{index}", "section": f"s{page + 2}",
                         "headline": f"第{index}条消息", "body": story,
                         "place": {"page": page + 2, "column": column * 2 + 1, "span": 2,
                                   "top": row * 20, "depth": 20}})
    edition["articles"] = articles
    return _write(folder, edition)


def forty_eight_pages(folder: Path) -> Path:
    edition = _sample()
    edition["pages"] = [{"number": n, "name": f"示范区新闻{n}", "sections": ["示范区"]}
                        for n in range(2, 50)]
    articles = []
    for number in range(2, 50):
        for article in edition["articles"]:
            copy = dict(article, id=f"{article['id']}-{number}")
            copy["place"] = dict(article["place"], page=number)
            articles.append(copy)
    edition["articles"] = articles
    return _write(folder, edition)


def big_photo(folder: Path) -> Path:
    from PIL import Image

    edition = _sample()
    path = _write(folder, edition)
    # A 12,000 px square with real detail (noise over a gradient), saved as a JPEG.
    noise = Image.effect_noise((12_000, 12_000), 60)
    gradient = Image.linear_gradient("L").resize((12_000, 12_000))
    Image.merge("RGB", (noise, gradient, noise)).save(folder / "photos" / "robot-standin.jpg",
                                                     "JPEG", quality=85)
    return path


def bomb_photo(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from fuzz_inputs import _claimed_size_jpeg

    path = _write(folder, _sample())
    (folder / "photos" / "robot-standin.jpg").write_bytes(_claimed_size_jpeg(20_000, 20_000))
    return path


CASES = {
    "200,000-character paragraph": long_paragraph,
    "1,000-article edition": thousand_articles,
    "48-page edition": forty_eight_pages,
    "12,000 × 12,000 photo": big_photo,
    "20,000 × 20,000 photo (claimed)": bomb_photo,
}


def measure(edition: Path, out: Path) -> tuple[float, float, int, str]:
    env = dict(os.environ, XDG_CACHE_HOME=str(out.parent / "cache"))
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "layout", "build", str(edition), "-o",
                                str(out), "--no-cache"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, env=env)
    assert process.stdout is not None
    output = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    lines = [line for line in output.splitlines() if line.strip()]
    first = next((line for line in lines if line.startswith("error")), lines[0] if lines else "")
    return seconds, usage.ru_maxrss / 1024, code, first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run the cases whose name contains this")
    parser.add_argument("--make", nargs=2, metavar=("CASE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        CASES[args.make[0]](Path(args.make[1]))
        return 0
    print("| case | exit | time (s) | peak RSS (MB) | outcome |")
    print("|---|---|---|---|---|")
    for name in CASES:
        if args.only and args.only not in name:
            continue
        with tempfile.TemporaryDirectory() as folder:
            # Made in a process of its own: a parent that held the 12,000 px photo would
            # hand its memory high-water mark to every build it starts (fork inherits it).
            subprocess.run([sys.executable, __file__, "--make", name, folder], check=True)
            edition = Path(folder) / "edition.yaml"
            seconds, rss, code, first = measure(edition, Path(folder) / "out")
            pdfs = len(list((Path(folder) / "out").glob("*.pdf"))) \
                if (Path(folder) / "out").exists() else 0
        outcome = f"{pdfs} PDFs; {first}" if code != 2 else first
        outcome = re.sub(r"/tmp/\S+?/", "", outcome)[:160]
        print(f"| {name} | {code} | {seconds:.1f} | {rss:.0f} | {outcome} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
