"""Solving an edition's pages in two processes.

Once the stories are dealt, the pages are independent searches, so on a machine with a free
core a child process solves some of the pages that the build cache does not hold while this
one solves the others. The pages are handed out one at a time, in the caller's order, from
a pipe both processes read (tickets): whichever process is free takes the next page, so
both finish within about one page of each other however the pages differ in cost (a fixed
split into halves left one process idle for up to a third of the search). Each page's
result is the bytes the serial path makes (the same function of the same inputs: the search
counts its own process's CPU time), so the edition is the same whichever process solved a
page; a failed child only means this process solves the pages it took.

What the child worked out besides its pages (the story bodies it composed, which this
process needs again when it sets the pages) is handed back with them (`carry`, `adopt`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator, Sequence

from layout.forking import fork_call, second_process_pays

# Fewer pages to solve than this stay in one process. A page's search takes 0.02–0.3 s of
# CPU; taking the child's pages and bodies back costs this process 0.02–0.05 s (unpickling
# ~0.8 MB of composed lines for the 16-page edition of bench_makeup.py). Measured (CPU,
# this process + the child): 2 generated pages 0.32 s in one process, 0.15 + 0.20 in two;
# 3 pages 0.41 s, 0.19 + 0.35 (the child took two of the three); the 2-page overfull
# sample 0.05 s, 0.04 + 0.03 — too little for the fork to pay.
FORK_PAGES = 4

_TICKET = 4                 # bytes: a ticket is a little-endian index into the order
_MAX_TICKETS = 1024         # 4 KiB: the smallest pipe buffer, written before any reader


def processes(pages: int) -> int:
    """Two when there are enough pages to pay for the fork and a second core is free
    (layout/forking.py, the renderer's rule too)."""
    return 2 if second_process_pays(pages, FORK_PAGES) else 1


def solve_all(todo: Sequence[int], make: Callable[[int], bytes], *,
              count: int | None = None,
              carry: Callable[[list[int]], object] | None = None,
              adopt: Callable[[object], None] | None = None,
              prepare: Callable[[], None] | None = None) -> dict[int, bytes]:
    """`make(k)` for every k in `todo`, in one process or two (`count`, by default chosen
    by `processes`); the same bytes either way. The pages are taken in `todo`'s order (the
    costliest first keeps the two processes' last pages short). With two processes the
    child, once the pages run out, calls `carry(its pages)` and this process receives that
    value through `adopt` (not called when the child failed or with one process).
    `prepare()` runs just before the fork, only when there is one: what both processes
    would otherwise each build is built there once."""
    if (count or processes(len(todo))) < 2 or len(todo) < 2:
        return {k: make(k) for k in todo}
    if prepare is not None:
        prepare()
    tickets = _Tickets(len(todo))

    def child_work() -> tuple[dict[int, bytes], object]:
        mine = {todo[i]: make(todo[i]) for i in tickets}
        return mine, carry(list(mine)) if carry is not None else None

    child = fork_call(child_work)
    made: dict[int, bytes] = {}
    try:
        for i in tickets:
            made[todo[i]] = make(todo[i])
    finally:
        tickets.close()
        found = child()         # waited for even when this process failed first
    if _valid(found, set(todo) - set(made)):
        theirs, carried = found     # type: ignore[misc]
        made.update(theirs)
        if adopt is not None:
            adopt(carried)
    # The pages a failed child took (or any page no process made) are solved here.
    made.update((k, make(k)) for k in todo if k not in made)
    return made


def _valid(found: object, left: set[int]) -> bool:
    """The child's answer: (its pages, what it carries), its pages the ones left over."""
    return (isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], dict)
            and set(found[0]) == left)


class _Tickets:
    """The indices 0..n-1 in a pipe, read one ticket per take by both processes.

    All tickets are written (and the write end closed) before the fork, so a read returns
    a whole ticket or, once they run out, nothing: the pipe's reads of a few bytes are
    atomic, so no index is taken twice or lost between the two processes. Past
    `_MAX_TICKETS` a ticket stands for a run of consecutive indices.
    """

    def __init__(self, n: int):
        self.run = max(1, math.ceil(n / _MAX_TICKETS))
        self.n = n
        self.fd, write_end = os.pipe()
        try:
            os.write(write_end, b"".join(t.to_bytes(_TICKET, "little")
                                         for t in range(math.ceil(n / self.run))))
        finally:
            os.close(write_end)

    def __iter__(self) -> Iterator[int]:
        while True:
            try:
                got = os.read(self.fd, _TICKET)
            except OSError:         # closed: this process failed and stopped taking
                return
            if len(got) < _TICKET:
                return
            first = int.from_bytes(got, "little") * self.run
            yield from range(first, min(first + self.run, self.n))

    def close(self) -> None:
        os.close(self.fd)
