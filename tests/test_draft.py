"""`paiban build --draft`: proof marks on every shipped edition and on a user's own style."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from layout.display import GlyphRun
from layout.pipeline import compose_edition

EDITIONS = sorted((ROOT / "editions").glob("*.yaml"))


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda p: p.stem)
def test_draft_marks_every_shipped_edition(edition: Path):
    """Used to raise KeyError 'draft': the proof marks' role is made by the engine, not
    defined by the style, and the glyph check looked it up in the style."""
    build = compose_edition(edition, draft=True)
    for page in build.pages:
        draft = [item.text for item in page.items
                 if isinstance(item, GlyphRun) and item.role == "draft"]
        assert any(text.startswith("校样") for text in draft), page.number
        assert any("容" in text for text in draft), page.number


def test_draft_works_with_a_user_style_that_names_no_draft_role(tmp_path: Path):
    style = (ROOT / "styles" / "tabloid.yaml").read_text(encoding="utf-8")
    assert "draft" not in style
    (tmp_path / "mine.yaml").write_text(style, encoding="utf-8")
    edition = (ROOT / "editions" / "hucheng-2023-12-29-pages.yaml").read_text(encoding="utf-8")
    edition = edition.replace("style: tabloid", "style: mine.yaml", 1)
    target = tmp_path / "edition.yaml"
    target.write_text(edition, encoding="utf-8")
    (tmp_path / "photos").symlink_to(ROOT / "editions" / "photos")
    build = compose_edition(target, draft=True)
    assert build.pages and all(
        any(isinstance(i, GlyphRun) and i.role == "draft" for i in page.items)
        for page in build.pages)
