"""What the makeup's child process hands back besides its pages: the story bodies it
composed.

Measuring a story composes its body at the column measure (page/measure.py), and setting
the story later finds that composition in the build's compositions (page/text.py). A page
solved in the child (layout/makeup/parallel.py) measured its stories there, so without this
the parent composed those bodies a second time when it set the pages — about half the
edition's body text (0.13 s of CPU on the 16-page benchmark edition). The child sends the
composed lines back instead (pickled: ~0.8 MB, ~0.05 s to send and read); the parent keeps
each one under its own spans, after checking that the texts are the same, so setting a
story finds exactly what the composer would have made here.
"""

from __future__ import annotations

from collections.abc import Iterable

from layout.model.edition import Article
from layout.page.context import body_settings
from layout.page.measure import Measurer
from layout.page.text import Composed, body_paragraphs, compose_body, compositions

Bodies = list[tuple[int, Composed]]


def bodies(measurer: Measurer, articles: Iterable[Article]) -> Bodies:
    """In the child: the composed body of each of `articles` with a body, by its position
    in `articles` (measuring made them: this finds them)."""
    ctx = measurer.ctx
    settings = body_settings(ctx.style)
    out = []
    for k, article in enumerate(articles):
        paragraphs = body_paragraphs(ctx, article, [], report=False)
        if paragraphs:
            out.append((k, compose_body(ctx, paragraphs, settings)))
    return out


def adopt(measurer: Measurer, articles: list[Article], found: object) -> int:
    """In the parent: keep the child's bodies of `articles` (the same list, in the same
    order, as the child's `bodies`); returns how many were kept. Anything malformed is
    ignored: the parent then composes those bodies itself, as it would without a child."""
    if not isinstance(found, list):
        return 0
    ctx = measurer.ctx
    settings = body_settings(ctx.style)
    book = compositions(ctx.faces)
    kept = 0
    for entry in found:
        if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], int)
                and 0 <= entry[0] < len(articles) and isinstance(entry[1], tuple)):
            continue
        k, composed = entry
        paragraphs = body_paragraphs(ctx, articles[k], [], report=False)
        kept += book.add_body(paragraphs, ctx.grid.column_width, settings, composed)
    return kept
