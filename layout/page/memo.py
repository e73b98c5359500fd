"""Plans of unchanged stories, kept between the builds of a long-running caller.

The desk (`paiban serve`) rebuilds the whole edition on every save, and setting every
story again is most of a rebuild's time (about 20 ms a story). A story's plan depends only
on the article (its text, headline stack, box and photos as the edition file gives them,
source lines included), the style, the faces, draft mode, the edition file's name and the
photo files; when all of these are unchanged the plan of the previous build is used again,
with the diagnostics it made. Anything else sets the story afresh, so a memo can make a
build faster, never different (tests/test_desk.py compares with a fresh build).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from layout.diagnostics import Diagnostic
from layout.model.edition import Article, Edition
from layout.page.article import ArticlePlan, plan_article
from layout.page.context import EditionContext
from layout.typeface import FaceMetrics


def _photo_stamps(article: Article) -> tuple | None:
    """Size and modification time of the article's photos; None when one cannot be read."""
    stamps = []
    for photo in article.photos:
        try:
            stat = Path(photo.file).stat()
        except OSError:
            return None
        stamps.append((stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)


@dataclass
class PlanMemo:
    """The previous build's plans by article; only that build's are kept."""

    context: tuple = ()
    plans: dict = field(default_factory=dict)
    reused: int = 0          # plans taken from the memo by the last build
    planned: int = 0         # plans made afresh by the last build

    def planner(self, ctx: EditionContext, edition: Edition, faces: Mapping[str, FaceMetrics],
                draft: bool) -> Callable[[Article], ArticlePlan]:
        """A plan_article that looks in the memo first; the memo holds the new plans after."""
        context = (edition.file, edition.style, tuple(sorted((k, id(f)) for k, f in
                                                             faces.items())), draft)
        old = self.plans if context == self.context else {}
        self.context, self.plans = context, {}
        self.reused = self.planned = 0

        def plan(article: Article) -> ArticlePlan:
            stamps = _photo_stamps(article)
            key = (article, stamps)
            found = old.get(key) if stamps is not None else None
            if found is not None:
                result, diagnostics = found
                ctx.diagnostics.extend(diagnostics)
                self.reused += 1
            else:
                start = len(ctx.diagnostics)
                result = plan_article(ctx, article)
                diagnostics: tuple[Diagnostic, ...] = tuple(ctx.diagnostics[start:])
                self.planned += 1
            if stamps is not None:
                self.plans[key] = (result, diagnostics)
            return result
        return plan
