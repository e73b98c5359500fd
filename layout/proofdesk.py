"""The proofreader's commands end to end: compare composed drafts, mark the proof, write
the copy out. The work itself is in layout/proof (display lists only); this module hands
the proof what it may not fetch itself (font metrics) and renders what it makes.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from layout.display import PageLayout
from layout.proof.diff import Diff, diff_stories, format_diff
from layout.proof.text import Advance, stories
from layout.typeface import load_face

__all__ = ["advances", "diff_pages", "format_diff"]


def advances(pages: Sequence[PageLayout]) -> Advance:
    """(font key, character) → advance in em, for the fonts the pages name."""
    fonts: dict[str, Path] = {}
    for page in pages:
        fonts.update(page.fonts)

    @cache
    def table(key: str) -> dict[str, float]:
        return load_face(fonts[key]).advances

    def advance(key: str, ch: str) -> float:
        return table(key).get(ch, 1.0)

    return advance


def diff_pages(old: Sequence[PageLayout], new: Sequence[PageLayout], context: int = 8) -> Diff:
    """Character-level changes from draft `old` to draft `new`, placed on the new pages."""
    return diff_stories(stories(old), stories(new, advances(new)), context)
