"""The layout editor's desk: a live preview of the edition in the browser.

`open_desk` builds the edition once, starts the HTTP server (server.py) and the file
watcher (watch.py); the browser shows every page as SVG (layout/render/svg.py) with the
overlays of assets/desk.js and follows each save through Server-Sent Events.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from layout.render.webfont import web_font
from layout.serve.desk import Desk
from layout.serve.server import DeskServer
from layout.serve.watch import start


@dataclass
class RunningDesk:
    desk: Desk
    server: DeskServer
    stop_watching: threading.Event

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> threading.Thread:
        """Serve in a background thread (the caller waits, and calls close())."""
        thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2},
                                  name="paiban-desk", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        self.stop_watching.set()
        self.server.shutdown()
        self.server.server_close()


def open_desk(edition: Path, host: str = "127.0.0.1", port: int = 8000) -> RunningDesk:
    """Build the edition, bind the server and start following the files (not yet serving)."""
    desk = Desk(edition)
    desk.rebuild()
    server = DeskServer((host, port), desk)
    _, stop = start(desk)
    # The browser's first request for a face would wait for it to be made (about 0.4 s each).
    threading.Thread(target=lambda: [web_font(path) for path in list(desk.fonts.values())],
                     daemon=True).start()
    return RunningDesk(desk, server, stop)
