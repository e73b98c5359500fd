"""Follow the files: rebuild the desk when the edition, its style or a photo is saved
(watchfiles: the operating system's change notifications, MIT licence; the only module
that imports it).

Editors save by writing in place or by writing a new file and renaming it over the old
one, so the folders are watched, not the files, and changes are filtered to the files
the edition uses. The set is taken again after every build (a new photo, another style).
"""

from __future__ import annotations

import threading
import time

from watchfiles import watch

from layout.serve.desk import Desk

# A save is one burst of events: yield 20 ms after the last one (step), at most 300 ms
# after the first (debounce). watchfiles' default, 1.6 s, would eat the whole budget.
_STEP_MS = 20
_DEBOUNCE_MS = 300


def follow(desk: Desk, stop: threading.Event) -> None:
    """Rebuild `desk` on every relevant change until `stop` is set (runs in a thread)."""
    while not stop.is_set():
        files = desk.watched_files()
        folders = sorted({str(path.parent) for path in files if path.parent.is_dir()})
        names = {str(path) for path in files}
        restart = False
        for _changes in watch(*folders, stop_event=stop, step=_STEP_MS, debounce=_DEBOUNCE_MS,
                             recursive=False, raise_interrupt=False,
                             watch_filter=lambda _change, path, names=names: path in names):
            desk.rebuild(detected=time.time())
            if desk.watched_files() != files:
                restart = True
                break
        if not restart:
            return


def start(desk: Desk) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=follow, args=(desk, stop), name="paiban-watch",
                              daemon=True)
    thread.start()
    return thread, stop
