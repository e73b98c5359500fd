"""Solving an edition's pages in two processes.

Once the stories are dealt, the pages are independent searches, so on a machine with a free
core a child process solves the second half of the pages that the build cache does not hold
while this one solves the first half. Each page's result is the bytes the serial path makes
(the same function of the same inputs: the search counts its own process's CPU time), so the
edition is the same either way; a failed child only means this process solves its pages too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from layout.forking import fork_call, second_process_pays

# Fewer pages to solve than this stay in one process: a page's search takes 0.05–0.2 s of
# CPU, and the child's measurements (the bodies it composes) are lost to this process, which
# composes those bodies again when it sets the pages.
FORK_PAGES = 4


def processes(pages: int) -> int:
    """Two when there are enough pages to pay for the fork and a second core is free
    (layout/forking.py, the renderer's rule too)."""
    return 2 if second_process_pays(pages, FORK_PAGES) else 1


def solve_all(todo: Sequence[int], make: Callable[[int], bytes], *,
              count: int | None = None) -> dict[int, bytes]:
    """`make(k)` for every k in `todo`, in one process or two (`count`, by default chosen
    by `processes`); the same bytes either way."""
    if (count or processes(len(todo))) < 2 or len(todo) < 2:
        return {k: make(k) for k in todo}
    split = (len(todo) + 1) // 2
    mine, theirs = todo[:split], todo[split:]
    child = _fork({k: k for k in theirs}, make)
    try:
        made = {k: make(k) for k in mine}
    finally:
        found = child()         # waited for even when this process failed first
    if found is None:           # the child failed: solve its pages here
        found = {k: make(k) for k in theirs}
    made.update(found)
    return made


def _fork(todo: dict[int, int], make: Callable[[int], bytes]) -> Callable[[], dict | None]:
    child = fork_call(lambda: {k: make(k) for k in todo})

    def wait() -> dict | None:
        found = child()
        return found if isinstance(found, dict) and set(found) == set(todo) else None

    return wait
