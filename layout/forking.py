"""When a build may split work over two processes: one rule for the makeup search and the
PDF writer.

Two processes pay only with a free core: on a machine whose cores are all busy they compete
(measured 20 % slower for the renderer), hence the load average check. A process running
other threads (the desk's server) never forks: a lock one of them holds at the fork would
stay locked in the child. Results are the same bytes with one process or two, so this
choice changes only the time a build takes.
"""

from __future__ import annotations

import os
import sys


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
    return busy < cores - 0.5
