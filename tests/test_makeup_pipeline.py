"""The makeup stage in two processes (layout/makeup/parallel.py, handback.py): pages handed
out one at a time to whichever process is free, every page solved exactly once, a failed
child's pages solved by the parent, and the bodies the child composed handed back so that
setting the pages composes nothing again. Same pages and display lists either way (P10)."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from layout.display import Image
from layout.makeup import parallel

ROOT = Path(__file__).resolve().parent.parent
OVERFULL = ROOT / "editions" / "hucheng-2023-12-29-overfull.yaml"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin",
                                reason="no fork on this platform: always one process")


def _wait_for(path: Path, lines: int) -> None:
    """Until `path` has `lines` lines (the other process's progress); never without bound."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if path.exists() and len(path.read_text().splitlines()) >= lines:
            return
        time.sleep(0.01)
    raise AssertionError(f"{path} never reached {lines} lines")


def test_a_free_process_takes_the_next_page(tmp_path):
    """While this process is held on its first page, the child takes every other page:
    the pages are not split in halves in advance."""
    parent = os.getpid()
    log = tmp_path / "child.log"
    started = tmp_path / "parent.log"
    todo = list(range(8))

    def make(k: int) -> bytes:
        if os.getpid() == parent:
            started.write_text("took a page\n")
            _wait_for(log, len(todo) - 1)
        else:
            _wait_for(started, 1)       # however late this process was to take its first
            with open(log, "a") as out:
                out.write(f"{k}\n")
        return f"{k} by {'parent' if os.getpid() == parent else 'child'}".encode()

    made = parallel.solve_all(todo, make, count=2)
    assert set(made) == set(todo)
    by = [made[k].decode().split(" by ")[1] for k in todo]
    assert by.count("parent") == 1 and by.count("child") == len(todo) - 1
    assert sorted(int(line) for line in log.read_text().split()) == \
        sorted(k for k in todo if made[k].endswith(b"child"))


def test_every_page_is_solved_once_in_either_process(tmp_path):
    log = tmp_path / "made.log"
    todo = [5, 3, 9, 0, 7, 1, 2, 8, 4, 6]

    def make(k: int) -> bytes:
        with open(log, "a") as out:       # appends of one short line are atomic
            out.write(f"{k}\n")
        return f"page {k}".encode()

    made = parallel.solve_all(todo, make, count=2)
    assert made == {k: f"page {k}".encode() for k in todo}
    assert sorted(int(line) for line in log.read_text().split()) == sorted(todo)


def test_a_child_that_fails_midway_leaves_its_pages_to_the_parent(tmp_path):
    parent = os.getpid()
    done = tmp_path / "child.log"
    carried = []

    def make(k: int) -> bytes:
        if os.getpid() == parent:
            _wait_for(done, 2)          # the child has taken two pages (and failed)
        else:
            with open(done, "a") as out:
                out.write(f"{k}\n")
            if len(done.read_text().split()) == 2:
                raise RuntimeError("the child fails on its second page")
        return f"page {k}".encode()

    made = parallel.solve_all(list(range(6)), make, count=2, carry=lambda pages: pages,
                              adopt=carried.append)
    assert made == {k: f"page {k}".encode() for k in range(6)}
    assert carried == []        # nothing is adopted from a failed child


def test_what_the_child_carries_reaches_the_parent():
    parent = os.getpid()
    carried = []

    def make(k: int) -> bytes:
        return f"page {k}".encode()

    def carry(pages: list[int]) -> tuple[int, list[int]]:
        return os.getpid(), sorted(pages)

    made = parallel.solve_all(list(range(4)), make, count=2, carry=carry, adopt=carried.append)
    assert made == {k: f"page {k}".encode() for k in range(4)}
    if carried:                 # the parent may have taken every page before the child ran
        (pid, pages), = carried
        assert pid != parent and set(pages) <= set(range(4))


def test_many_pages_share_tickets():
    """More pages than tickets: a ticket stands for a run of pages, none lost."""
    todo = list(range(parallel._MAX_TICKETS * 2 + 3))
    made = parallel.solve_all(todo, lambda k: str(k).encode(), count=2)
    assert made == {k: str(k).encode() for k in todo}


def _made_up(tmp_path: Path, monkeypatch, count: int):
    """The overfull sample's makeup in `count` processes, then its pages set. With two, the
    child is made to solve a page: this process waits on its first page until it has."""
    import layout.makeup.edition as makeup_edition
    from layout.model.load import load_edition
    from layout.page.compose import compose_pages
    from layout.page.text import compositions
    from layout.typeface import Faces

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / f"cache-{count}"))
    parent = os.getpid()
    log = tmp_path / f"child-{count}.log"
    solve = makeup_edition.solve_page

    def solve_page(*args, **kwargs):
        if os.getpid() != parent:
            log.write_text("solved a page\n")
        elif count == 2:
            _wait_for(log, 1)
        return solve(*args, **kwargs)

    monkeypatch.setattr(makeup_edition, "solve_page", solve_page)
    edition = load_edition(OVERFULL)
    faces = Faces(edition.style.fonts, edition.style.fallback)
    made = makeup_edition.make_up(edition, faces, processes=count)
    book = compositions(faces)
    before = book.made
    pages, diagnostics = compose_pages(made.edition, faces)
    # The photos' print files are in each run's own cache: compared by name.
    pages = [replace(page, items=tuple(replace(item, path=item.path.name)
                                       if isinstance(item, Image) else item
                                       for item in page.items)) for page in pages]
    return made, pages, diagnostics, book.made - before, log.exists()


def test_setting_the_pages_composes_no_body_the_child_measured(tmp_path, monkeypatch):
    """The child's bodies come back with its pages: setting the pages composes exactly the
    paragraphs it composes after a makeup in one process, and the display lists are the
    same."""
    one = _made_up(tmp_path, monkeypatch, 1)
    two = _made_up(tmp_path, monkeypatch, 2)
    assert len(one[0].pages) == 2
    assert two[4] and not one[4]            # the child solved a page
    assert two[0].edition == one[0].edition
    assert two[1] == one[1]                 # the pages' display lists
    assert two[2] == one[2]
    assert two[3] == one[3]                 # paragraphs composed while setting the pages


def test_a_body_from_other_text_is_refused():
    from layout.makeup.edition import make_up  # noqa: F401  (the makeup's imports)
    from layout.makeup.handback import adopt, bodies
    from layout.model.load import load_edition
    from layout.page.context import EditionContext
    from layout.page.measure import Measurer
    from layout.page.text import compositions
    from layout.typeface import Faces

    edition = load_edition(OVERFULL)
    faces = Faces(edition.style.fonts, edition.style.fallback)
    measurer = Measurer(EditionContext(edition, faces))
    articles = [a for a in edition.articles if a.body][:2]
    found = bodies(measurer, articles)          # composed here (nothing was measured)
    assert [k for k, _ in found] == [0, 1]
    other = Faces(edition.style.fonts, edition.style.fallback)
    elsewhere = Measurer(EditionContext(edition, other))
    swapped = [(0, found[1][1]), (1, found[0][1])]      # each body under the wrong story
    assert adopt(elsewhere, articles, swapped) == 0
    assert adopt(elsewhere, articles, "not a list") == 0
    assert compositions(other).made == 0
    assert adopt(elsewhere, articles, found) == 2
    made = compositions(other).made
    assert elsewhere.body_lines(articles[0]) == measurer.body_lines(articles[0])
    assert compositions(other).made == made     # found, not composed again


def test_a_core_free_right_now_counts_though_the_average_lags(monkeypatch):
    """The 1-minute load average still counts builds that have ended; with no other task
    running at this moment and the average not beyond the cores, the second core is free."""
    from layout import forking

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    cases = [((0.2, 0.2, 0.2), 3, True),        # idle on average: as before
             ((1.8, 1.0, 1.0), 0, True),        # the average lags; nothing else runs now
             ((1.8, 1.0, 1.0), 1, False),       # another task runs now: both cores busy
             ((1.8, 1.0, 1.0), None, False),    # no count of running tasks: the average
             ((2.7, 2.0, 2.0), 0, False)]       # more than the cores, for a minute
    for load, others, pays in cases:
        monkeypatch.setattr(os, "getloadavg", lambda load=load: load)
        monkeypatch.setattr(forking, "_others_running", lambda others=others: others)
        assert forking.second_process_pays(16, 4) is pays, (load, others)
    assert forking.second_process_pays(3, 4) is False     # too few units, whatever the load


def test_the_running_count_includes_this_process():
    from layout import forking

    others = forking._others_running()
    if others is None:
        pytest.skip("this system has no /proc/loadavg")
    assert others >= 0          # this process, reading, is running: counted, then taken off


def test_the_search_loads_numpy_with_one_blas_thread_and_leaves_the_environment():
    """numpy's OpenBLAS would start a thread per core at import (time a build pays, and
    threads a forking process should not have); the variable is set for the import only."""
    import subprocess

    if not Path("/proc/self/task").is_dir():
        pytest.skip("counting a process's threads needs /proc")
    script = (
        "import os\n"
        "from layout.makeup.edition import _import_search\n"
        "_import_search()\n"
        "import sys\n"
        "assert 'numpy' in sys.modules\n"
        "print(len(os.listdir('/proc/self/task')), os.environ.get('OPENBLAS_NUM_THREADS'))\n")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, check=True, cwd=ROOT).stdout.split()
    assert out == ["1", "None"]
    env["OPENBLAS_NUM_THREADS"] = "2"           # the user's own setting is kept
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, check=True, cwd=ROOT).stdout.split()
    assert out[1] == "2"
