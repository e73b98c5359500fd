"""A plan memo (the desk's rebuilds) makes a build faster, never different."""

from __future__ import annotations

import shutil

from conftest import ROOT

from layout.pipeline import PlanMemo, compose_edition

PAGES = ROOT / "editions" / "hucheng-2023-12-29-pages.yaml"


def _copy_of_pages(folder):
    """The multi-page sample and its photos in `folder`, free to edit."""
    edition = folder / PAGES.name
    shutil.copy(PAGES, edition)
    shutil.copytree(PAGES.parent / "photos", folder / "photos")
    return edition


def test_a_memo_rebuild_equals_a_fresh_build_and_sets_only_the_changed_story(tmp_path):
    edition = _copy_of_pages(tmp_path)
    memo = PlanMemo()
    first = compose_edition(edition, memo=memo)
    articles = len(first.edition.articles)
    assert (memo.planned, memo.reused) == (articles, 0)
    again = compose_edition(edition, memo=memo)
    assert (memo.planned, memo.reused) == (0, articles)
    assert again.pages == first.pages and again.diagnostics == first.diagnostics

    # One story edited in place: only it is set again, and the result is a fresh build's.
    text = edition.read_text(encoding="utf-8")
    edition.write_text(text.replace("强化巡中指导 力促巡察提质增效", "强化巡中指导 力促巡察见实效"),
                       encoding="utf-8")
    edited = compose_edition(edition, memo=memo)
    assert (memo.planned, memo.reused) == (1, articles - 1)
    fresh = compose_edition(edition)
    assert edited.pages == fresh.pages and edited.diagnostics == fresh.diagnostics
    assert edited.pages != first.pages

    # A line added above every story moves their source lines: all are set again, since
    # their diagnostics name those lines.
    edition.write_text("# a comment\n" + edition.read_text(encoding="utf-8"), encoding="utf-8")
    moved = compose_edition(edition, memo=memo)
    assert memo.planned == articles
    assert moved.diagnostics == compose_edition(edition).diagnostics


def test_a_photo_saved_again_sets_its_story_again(tmp_path):
    edition = _copy_of_pages(tmp_path)
    memo = PlanMemo()
    build = compose_edition(edition, memo=memo)
    with_photo = sum(1 for a in build.edition.articles if a.photos)
    assert with_photo >= 1
    photo = tmp_path / "photos" / "robot-standin.jpg"
    photo.write_bytes(photo.read_bytes() + b"\0")     # a new file (JPEG ignores trailing bytes)
    compose_edition(edition, memo=memo)
    assert (memo.planned, memo.reused) == (with_photo, len(build.edition.articles) - with_photo)


def test_a_replaced_photo_is_measured_again(tmp_path):
    """A long-running desk sees a new photo's size (its aspect ratio sets the picture)."""
    from PIL import Image

    from layout.imaging import image_size

    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (400, 300), "grey").save(photo)
    assert image_size(photo) == (400, 300)
    Image.new("RGB", (300, 500), "grey").save(photo)
    assert image_size(photo) == (300, 500)
