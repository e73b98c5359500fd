"""Composer benchmark: characters per second on the sample edition's body text.

Composes every body paragraph of the sample edition (normalised, with the
dateline and run-in spans) at the broadsheet's 13-character measure, as the
build does, and reports the best of several rounds in CPU time (the machine is
shared: CPU time is what the composer costs) and in wall time.

    python benchmarks/bench_compose.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from layout.compose.normalize import normalize
from layout.compose.paragraph import Span, compose
from layout.model.load import load_edition
from layout.page.context import body_settings
from layout.typeface import load_face

SAMPLE = Path(__file__).resolve().parent.parent / "editions" / "hucheng-2023-12-29.yaml"


def paragraphs():
    edition = load_edition(SAMPLE)
    style = edition.style
    faces = {key: load_face(path) for key, path in style.fonts.items()}
    roles = style.roles
    body = []
    for article in edition.articles:
        for index, paragraph in enumerate(article.body):
            spans = []
            if index == 0 and article.byline:
                spans.append(Span(normalize(article.byline)[0], roles["dateline"].font,
                                  faces[roles["dateline"].font]))
            if paragraph.runin:
                spans.append(Span(paragraph.runin, roles["runin"].font,
                                  faces[roles["runin"].font]))
            spans.append(Span(normalize(paragraph.text)[0], roles["body"].font,
                              faces[roles["body"].font]))
            body.append(spans)
    return body, body_settings(style), style.grid.column_width


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    body, settings, measure = paragraphs()
    chars = sum(len(span.text) for spans in body for span in spans)
    best = best_wall = float("inf")
    lines = 0
    for _ in range(args.rounds):
        started, started_wall = time.process_time(), time.perf_counter()
        lines = sum(len(compose(spans, [measure], settings)) for spans in body)
        best = min(best, time.process_time() - started)
        best_wall = min(best_wall, time.perf_counter() - started_wall)
    print(f"{chars} characters, {len(body)} paragraphs, {lines} lines: best of {args.rounds} "
          f"{best * 1000:.1f} ms CPU = {chars / best / 1e6:.2f} M chars/s "
          f"({best / lines * 1e6:.0f} µs per line); wall {best_wall * 1000:.1f} ms = "
          f"{chars / best_wall / 1e6:.2f} M chars/s")


if __name__ == "__main__":
    main()
