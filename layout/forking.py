"""When a build may split work over two processes: one rule for the makeup search and the
PDF writer.

Two processes pay only with a free core: on a machine whose cores are all busy they compete
(measured 20 % slower for the renderer), hence the load average check. The 1-minute load
average lags, though: for a minute after a build it still counts that build's processes, so
the next build (a rebuild, the desk's, a benchmark's runs) found the machine "busy" on an
idle machine and stayed in one process. So when the average is high but not beyond the
cores, what runs right now decides: with no other task running or ready to run
(/proc/loadavg's count, Linux), the second core is free. A process running
other threads (the desk's server) never forks: a lock one of them holds at the fork would
stay locked in the child. Results are the same bytes with one process or two, so this
choice changes only the time a build takes.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable


def second_process_pays(units: int, minimum: int) -> bool:
    """True when `units` of independent work (at least `minimum`) may go to two processes."""
    cores = os.cpu_count() or 1
    if units < minimum or cores < 2 or not hasattr(os, "fork") or sys.platform == "darwin":
        return False
    threading = sys.modules.get("threading")   # not imported: no other thread exists
    if threading is not None and threading.active_count() > 1:
        return False
    try:
        busy = os.getloadavg()[0]
    except OSError:
        return False
    if busy < cores - 0.5:
        return True
    others = _others_running()
    return others is not None and others <= cores - 2 and busy < cores + 0.5


def _others_running() -> int | None:
    """Tasks other than this process running or ready to run at this moment, or None where
    the system does not say (the count in /proc/loadavg includes the reader)."""
    try:
        with open("/proc/loadavg", "rb") as loadavg:
            running = int(loadavg.read().split()[3].split(b"/")[0])
    except (OSError, ValueError, IndexError):
        return None
    return running - 1


class Child:
    """A forked process computing one value. Calling it waits for the child and returns the
    value, or None when the child failed."""

    def __init__(self, pid: int, pipe: int):
        self.pid = pid
        self.pipe = pipe
        self.done = False

    def __call__(self) -> object | None:
        with os.fdopen(self.pipe, "rb") as pipe:
            data = pipe.read()
        self.done = True
        _, status = os.waitpid(self.pid, 0)
        gc.unfreeze()       # frozen at the fork (fork_call): collected as before again
        if status != 0 or not data:
            return None
        import pickle

        return pickle.loads(data)


def fork_call(work: Callable[[], object],
              on_failure: Callable[[], None] | None = None) -> Child:
    """`work()` in a forked child, its value sent back pickled through a pipe. A child that
    fails runs `on_failure` (its own clean-up) and exits non-zero; the caller then does the
    work itself. The child leaves by `os._exit`: no atexit handlers, no flushing of the
    parent's buffers."""
    import pickle  # here: a build that stays in one process does not load it

    read_end, write_end = os.pipe()
    # Everything alive at the fork is frozen (left out of the cyclic collector's passes)
    # until the child is done: neither process then walks the objects they share, which
    # cost the makeup's two processes ~0.05 s of CPU (the 16-page benchmark edition: 0.20 s
    # in the collector against 0.15 s in one process; frozen, 0.155 s) and wrote to every
    # shared page the walk touched, copying it (copy-on-write). Nothing is collected
    # differently: an object frozen here is only collected later, after `unfreeze`.
    gc.freeze()
    try:
        pid = os.fork()
    except OSError:
        gc.unfreeze()
        raise
    if pid == 0:                                    # the child
        code = 0
        try:
            os.close(read_end)
            value = work()
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            code = 1
            if on_failure is not None:
                on_failure()
        finally:
            os._exit(code)
    os.close(write_end)
    return Child(pid, read_end)
