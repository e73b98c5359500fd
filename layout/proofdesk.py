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
from layout.proof.export import as_text, write_docx
from layout.proof.marks import Unset, proof_pages
from layout.proof.text import Advance, Story, stories
from layout.typeface import load_face

__all__ = ["Unset", "advances", "diff_pages", "format_diff", "proof_pdf", "story_text",
           "write_text"]


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


def proof_pdf(new: Sequence[PageLayout], path: Path, title: str,
              old: Sequence[PageLayout] | None = None, context: int = 8,
              unset: Sequence[Unset] = ()) -> Diff | None:
    """Write the proof (校样) of the draft `new` to `path`, marked against `old` if given;
    `unset` are the stories the makeup found no room for (listed, in magenta).

    The file is a plain PDF — no PDF/X output intent — so that it cannot pass for the
    press file; its pages are wider by the proof margin."""
    # Imported here: the PDF writer is only needed when a proof is written.
    from layout.render.pdf import render_pdf

    advance = advances(new)
    found = None
    glyphs: dict[tuple[str, str], list] = {}
    if old is not None:
        read = stories(new, advance)
        found = diff_stories(stories(old), read, context)
        glyphs = {(story.id, name): text.glyphs for story in read.values()
                  for name, text in story.fields.items()}
    pages = proof_pages(new, advance, title, found, glyphs, unset)
    render_pdf(pages, path, title=f"校样 {title}")
    return found


def story_text(pages: Sequence[PageLayout], article: str | None = None) -> list[Story]:
    """The stories of the pages as set (one when `article` names it; KeyError if none)."""
    found = stories(pages)
    if article is not None:
        return [found[article]]
    return list(found.values())


def write_text(pages: Sequence[PageLayout], path: Path | None, fmt: str, title: str,
               article: str | None = None) -> str:
    """The copy out as text (returned, and written to `path` if given) or as Word."""
    chosen = story_text(pages, article)
    if fmt == "docx":
        assert path is not None
        write_docx(chosen, path, title)
        return ""
    text = as_text(chosen)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return text
