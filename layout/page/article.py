"""An article's plan for page composition: its boxes, display items per page, fit, counts.

`plan_article` is `measure_story` then `emit_story` (page/story.py), with the story's
diagnostics added to the build's. An article is planned once per build, whatever pages
it touches; page composition collects the items of the page it draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from layout.compose.quality import Quality
from layout.display import ArticleFit, Item
from layout.model.edition import Article, Placement
from layout.page.context import EditionContext
from layout.page.story import emit_story, measure_story


@dataclass
class ArticlePlan:
    article: Article
    items: dict[int, list[Item]] = field(default_factory=dict)
    fit: ArticleFit | None = None
    quality: Quality = field(default_factory=Quality)
    boxes: list[Placement] = field(default_factory=list)

    def on(self, page: int) -> list[Item]:
        return self.items.setdefault(page, [])


def plan_article(ctx: EditionContext, article: Article) -> ArticlePlan:
    """Everything about one article, on every page it touches."""
    story = measure_story(ctx, article)
    if story is None:
        return ArticlePlan(article)
    ctx.diagnostics.extend(story.diagnostics)
    return ArticlePlan(article, emit_story(ctx, story), story.fit, story.quality,
                       list(story.boxes))
