"""What the makeup builds once before it forks its second process, and the collector's
freeze around the fork (layout/makeup/parallel.py, layout/forking.py): the same pages
either way — only less built twice."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import pytest

from layout.compose.breaks import may_hyphenate
from layout.makeup import parallel

ROOT = Path(__file__).resolve().parent.parent
OVERFULL = ROOT / "editions" / "hucheng-2023-12-29-overfull.yaml"

forks = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin",
                           reason="no fork on this platform: always one process")


@forks
def test_prepare_runs_once_before_the_fork_and_the_child_has_what_it_built():
    built: list[int] = []

    def prepare() -> None:
        built.append(os.getpid())

    def make(k: int) -> bytes:
        return f"{k} {len(built)}".encode()     # the child sees the parent's list

    made = parallel.solve_all(list(range(6)), make, count=2, prepare=prepare)
    assert built == [os.getpid()]
    assert made == {k: f"{k} 1".encode() for k in range(6)}


def test_prepare_is_not_run_without_a_fork():
    built: list[int] = []
    made = parallel.solve_all([0, 1, 2], lambda k: b"x", count=1,
                              prepare=lambda: built.append(1))
    assert made == {0: b"x", 1: b"x", 2: b"x"} and built == []


@forks
def test_objects_are_frozen_while_the_child_lives_and_thawed_after():
    from layout.forking import fork_call

    assert gc.get_freeze_count() == 0
    child = fork_call(lambda: gc.get_freeze_count())
    assert gc.get_freeze_count() > 0            # this process, while the child works
    assert child() > 0                          # the child inherited the frozen objects
    assert gc.get_freeze_count() == 0


def test_measurer_prepare_loads_the_faces_and_photo_sizes_and_measures_the_same():
    from layout.makeup.edition import make_up  # noqa: F401  (the makeup's imports)
    from layout.model.load import load_edition
    from layout.page.context import EditionContext
    from layout.page.measure import Measurer
    from layout.typeface import Faces

    edition = load_edition(OVERFULL)
    columns = edition.style.grid.columns
    prepared_faces = Faces(edition.style.fonts, edition.style.fallback)
    prepared = Measurer(EditionContext(edition, prepared_faces))
    prepared.prepare(edition.articles)
    assert {role.font for role in edition.style.roles.values()} <= set(prepared_faces._faces)
    plain = Measurer(EditionContext(edition, Faces(edition.style.fonts,
                                                   edition.style.fallback)))
    assert any(a.photos for a in edition.articles)
    for article in edition.articles:
        for span in range(1, columns + 1):
            assert prepared.fit(article, span) == plain.fit(article, span)


def test_may_hyphenate_finds_the_words_the_patterns_are_read_for():
    assert may_hyphenate("华为发布Harmony系统")
    assert may_hyphenate("the caption")
    assert not may_hyphenate("GIS室与ZTE5G基站，2023年")     # capitals, codes, numbers
    assert not may_hyphenate("iPhone和HarmonyOS")           # CamelCase breaks by R47
    assert not may_hyphenate("中文段落，没有英文。")


def test_the_search_runs_with_fewer_young_collections_and_the_thresholds_come_back(
        monkeypatch, tmp_path):
    import layout.makeup.edition as makeup_edition
    from layout.model.load import load_edition
    from layout.typeface import Faces

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    seen = []
    solve = makeup_edition.solve_page

    def solve_page(*args, **kwargs):
        seen.append(gc.get_threshold())
        return solve(*args, **kwargs)

    monkeypatch.setattr(makeup_edition, "solve_page", solve_page)
    before = gc.get_threshold()
    edition = load_edition(OVERFULL)
    makeup_edition.make_up(edition, Faces(edition.style.fonts, edition.style.fallback),
                           processes=1)
    assert seen and all(t[0] == max(before[0], makeup_edition.YOUNG_COLLECTION) and
                        t[1:] == before[1:] for t in seen)
    assert gc.get_threshold() == before
