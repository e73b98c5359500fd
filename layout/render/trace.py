"""A stable text trace of display lists: one line of text per set line.

For proofreaders comparing drafts (`paiban diff`) and for tests that want a small
golden file: each set line is written with its page, article, role, column and
grid line, so a change shows where it moved the text, not only that it changed.
Positions finer than the grid are left out on purpose: they would make every
re-justified line look different. A vertical headline traces one glyph a line.
"""

from __future__ import annotations

from collections.abc import Sequence

from layout.display import GlyphRun, PageLayout


def _column(page: PageLayout, x: float) -> int:
    gutter = page.grid[1]
    for index, (x0, x1) in enumerate(page.columns):
        if x0 - gutter <= x < x1:
            return index + 1
    return 0


def trace(pages: Sequence[PageLayout]) -> str:
    out: list[str] = []
    for page in pages:
        out.append(f"== page {page.number} {page.name}")
        top, pitch = page.grid
        lines: dict[tuple, list[GlyphRun]] = {}
        order: dict[str, int] = {}
        for item in page.items:
            if not isinstance(item, GlyphRun) or item.role == "draft":
                continue
            article = item.article or "-"
            order.setdefault(article, len(order))
            row = int((item.y - top) // pitch) if pitch else 0
            key = (order[article], article, item.role, _column(page, item.left), row,
                   round(item.y, 1))
            lines.setdefault(key, []).append(item)
        for (_, article, role, column, row, _), runs in sorted(lines.items()):
            text = "".join(r.text for r in sorted(runs, key=lambda r: r.x))
            out.append(f"p{page.number} {article} {role} c{column} L{row}\t{text}")
    return "\n".join(out) + "\n"
