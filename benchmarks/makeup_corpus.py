"""A corpus of generated makeup problems: what the search chose, what it cost, how long it took.

Each problem is one page of an edition without places: broadsheet or tabloid, 3–14 stories
of 100–5,000 characters of real copy, some with photos of three shapes (wide, the sample's,
tall), some picture-only stories, shuffled priorities, now and then a locked box, span hints
or the masthead of page 1, and copy from 60 % to 130 % of what the page holds (exact fills,
缺版 and 超版 alike). Every page is solved in-process, in one process, without the build
cache, under a generous time limit (the result does not depend on the machine's load).

    python benchmarks/makeup_corpus.py run OUT.json [--count 40] [--seed 1]
    python benchmarks/makeup_corpus.py compare BEFORE.json AFTER.json

`run` writes every page's boxes, dropped stories, empty rectangles, cost and search CPU time
and prints the totals; `compare` says which pages differ (a change meant to be faster only
must leave every page identical) and how the totals moved (cost, bumping heads framed,
stories not set, empty rectangles, CPU).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "editions" / "hucheng-2023-12-29-auto.yaml"
PHOTO = ROOT / "editions" / "photos" / "robot-standin.jpg"
CAPACITY = {"broadsheet": 8 * 102 * 13, "tabloid": 5 * 69 * 14}    # characters a page holds


def _paragraphs() -> list[str]:
    text = SAMPLE.read_text(encoding="utf-8")
    return [p.strip() for p in re.findall(r"\n      ([^\n*]{40,})", text)]


def _photos(folder: Path) -> list[str]:
    """The sample's photo and a wide and a tall one (grey JPEGs of those shapes)."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(PHOTO, folder / "sample.jpg")
    for name, size in (("wide.jpg", (1600, 700)), ("tall.jpg", (800, 1200))):
        Image.new("RGB", size, (128, 128, 128)).save(folder / name, quality=60)
    return [str(folder / n) for n in ("sample.jpg", "wide.jpg", "tall.jpg")]


def problem(seed: int, folder: Path, photos: list[str]) -> Path:
    """One generated edition of one page; the same seed gives the same file."""
    rng = random.Random(seed)
    paragraphs = _paragraphs()
    style = "broadsheet" if rng.random() < 0.7 else "tabloid"
    columns = 8 if style == "broadsheet" else 5
    count = rng.randint(4, 14) if style == "broadsheet" else rng.randint(3, 8)
    number = 1 if rng.random() < 0.2 else 3
    share = rng.uniform(0.6, 1.3) * CAPACITY[style] * (0.85 if number == 1 else 1.0)
    weights = [math.exp(rng.uniform(0.0, 2.5)) for _ in range(count)]
    priorities = list(range(1, count + 1))
    if rng.random() < 0.5:
        rng.shuffle(priorities)
    articles = []
    for k, (weight, priority) in enumerate(zip(weights, priorities), 1):
        length = max(100, min(5000, int(share * weight / sum(weights))))
        story: dict = {"id": f"s{k}", "section": "测试", "priority": priority,
                       "headline": rng.choice(["本市推进老旧小区改造", "新能源产业链加速集聚",
                                               "第一季度经济运行稳中向好开局良好",
                                               "科技创新引领高质量发展"])}
        if rng.random() < 0.08 and k > 1:
            story["photos"] = [{"file": rng.choice(photos), "caption": "图片新闻的说明文字。",
                                "credit": "本报记者 摄"}]
            articles.append(story)
            continue
        out: list[str] = []
        while sum(len(p) for p in out) < length:
            out.append(rng.choice(paragraphs))
        story["body"] = "\n\n".join(out)[:length].rstrip("，,、") + "。"
        if rng.random() < 0.3:
            story["photos"] = [{"file": rng.choice(photos), "caption": "说明文字。",
                                "credit": "本报记者 摄"}]
        if rng.random() < 0.1:
            story["min_span"] = rng.randint(1, 3)
        elif rng.random() < 0.1:
            story["max_span"] = rng.randint(2, columns)
        articles.append(story)
    if rng.random() < 0.15 and len(articles) > 2:
        span = rng.randint(1, 3)
        top = rng.randint(12 if number == 1 else 0, 40)
        articles[-1]["place"] = {"page": number, "column": rng.randint(1, columns - span + 1),
                                 "span": span, "top": top, "depth": rng.randint(20, 40)}
    text = (ROOT / "styles" / f"{style}.yaml").read_text(encoding="utf-8")
    (folder / f"style-{seed}.yaml").write_text(text + "\nmakeup:\n  time_limit: 60\n",
                                               encoding="utf-8")
    doc = {"paper": "测试报", "date": "2024-01-02", "style": f"style-{seed}.yaml",
           "masthead": {"issue": "第1期"},
           "pages": [{"number": number, "name": "测试", "sections": ["测试"]}],
           "articles": articles}
    path = folder / f"problem-{seed}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run(out: Path, count: int, seed: int) -> None:
    from layout import cache
    from layout.makeup.edition import make_up
    from layout.model.load import load_edition
    from layout.typeface import load_face

    cache.configure(enabled=False)
    import layout.makeup.solve  # noqa: F401  (its import is not the search's time)

    pages = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        photos = _photos(folder / "photos")
        faces_by_style: dict = {}
        for k in range(seed, seed + count):
            edition = load_edition(problem(k, folder, photos))
            style = edition.style.name
            if style not in faces_by_style:
                faces_by_style[style] = {key: load_face(file)
                                         for key, file in edition.style.fonts.items()}
            cpu = time.process_time()
            made = make_up(edition, faces_by_style[style], processes=1)
            cpu = time.process_time() - cpu
            (number, solution), = made.pages.items()
            pages.append({
                "seed": k, "style": style, "stories": len(edition.articles), "cpu": cpu,
                "boxes": {a.id: [a.place.column, a.place.top, a.place.span, a.place.depth,
                                 list(a.place.depths), [p.lines for p in a.photos]]
                          for a in made.edition.articles if a.place is not None},
                "framed": sorted(a.id for a in made.edition.articles
                                 if a.place is not None and a.frame),
                "not_set": sorted(made.not_set), "empty": len(solution.empty),
                "cost": solution.cost, "tried": solution.tried, "elastic": solution.elastic,
                "timed_out": solution.timed_out})
    out.write_text(json.dumps(pages, ensure_ascii=False, indent=0), encoding="utf-8")
    _totals(out.name, pages)


def _totals(label: str, pages: list[dict]) -> None:
    cost = sum(p["cost"] for p in pages if p["cost"] is not None)
    print(f"{label}: {len(pages)} pages, CPU {sum(p['cpu'] for p in pages):.2f} s "
          f"(slowest {max(p['cpu'] for p in pages):.2f} s), cost {cost:.1f}, "
          f"framed {sum(len(p['framed']) for p in pages)}, "
          f"not set {sum(len(p['not_set']) for p in pages)}, "
          f"empty rects {sum(p['empty'] for p in pages)}, "
          f"timed out {sum(p['timed_out'] for p in pages)}")


def compare(before: Path, after: Path) -> None:
    old = json.loads(before.read_text(encoding="utf-8"))
    new = json.loads(after.read_text(encoding="utf-8"))
    same = 0
    for a, b in zip(old, new):
        keys = ("boxes", "framed", "not_set", "empty")
        if all(a[k] == b[k] for k in keys):
            same += 1
            continue
        print(f"seed {a['seed']} ({a['style']}, {a['stories']} stories): cost {a['cost']} → "
              f"{b['cost']}, framed {len(a['framed'])} → {len(b['framed'])}, not set "
              f"{len(a['not_set'])} → {len(b['not_set'])}, empty {a['empty']} → {b['empty']}")
    print(f"identical pages: {same} of {len(old)}")
    _totals(before.name, old)
    _totals(after.name, new)


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("out", type=Path)
    r.add_argument("--count", type=int, default=40)
    r.add_argument("--seed", type=int, default=1)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "run":
        run(args.out, args.count, args.seed)
    else:
        compare(args.before, args.after)


if __name__ == "__main__":
    main()
