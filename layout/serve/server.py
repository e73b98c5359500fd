"""The desk's HTTP server (standard library: ThreadingHTTPServer).

Routes, all GET (HEAD too):
  /                    the desk (assets/desk.html)
  /assets/NAME         the desk's own script and style, from the package
  /state.json          pages, boxes, fits and diagnostics of the current build
  /report.json         the current build's report (the schema of `paiban build --report`)
  /events              Server-Sent Events: one `state` event per build (and one on connect)
  /page/N.svg          page N as SVG
  /fonts/NAME          a face the pages use, as a web font
  /edition/PATH        a file inside the edition's folder (its photos)
Anything else is 404, and so is every path that leaves those places: `..` segments
(plain or percent-encoded), absolute paths, backslashes, hidden files. The server binds to
127.0.0.1 unless told otherwise and, when it does, answers only requests addressed to a
loopback name (a web page elsewhere cannot reach it by DNS rebinding). It writes nothing.
"""

from __future__ import annotations

import json
import mimetypes
import posixpath
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from layout.render.webfont import web_font
from layout.serve.desk import Desk

ASSETS = Path(__file__).resolve().parent / "assets"
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
_KEEPALIVE_S = 15.0


def _safe_relative(path: str) -> str | None:
    """The path below a route as a clean relative POSIX path, or None when it could leave."""
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return None
    parts = path.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    if ":" in parts[0]:                          # C:… on Windows
        return None
    return posixpath.join(*parts)


class DeskServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], desk: Desk):
        super().__init__(address, DeskHandler)
        self.desk = desk
        self.closing = threading.Event()
        self.loopback_only = address[0] in _LOOPBACK

    def shutdown(self) -> None:
        self.closing.set()
        with self.desk.changed:
            self.desk.changed.notify_all()
        super().shutdown()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/"


class DeskHandler(BaseHTTPRequestHandler):
    server: DeskServer
    server_version = "paiban-desk"

    def log_message(self, format: str, *args) -> None:   # noqa: A002 (the base's name)
        pass   # quiet: the terminal shows builds, not requests

    def do_HEAD(self) -> None:
        self._route(head=True)

    def do_GET(self) -> None:
        self._route(head=False)

    def _route(self, head: bool) -> None:
        if self.server.loopback_only and not self._addressed_to_loopback():
            self._send(HTTPStatus.FORBIDDEN, b"forbidden\n", "text/plain", head=head)
            return
        path = unquote(urlsplit(self.path).path)
        desk = self.server.desk
        if path in ("/", "/index.html"):
            self._file(ASSETS / "desk.html", head)
        elif path.startswith("/assets/"):
            name = _safe_relative(path[len("/assets/"):])
            self._file(ASSETS / name if name and "/" not in name else None, head)
        elif path == "/state.json":
            self._send(HTTPStatus.OK, desk.state()[1], "application/json", head=head)
        elif path == "/report.json":
            with desk.changed:
                report = desk.report
            if report is None:
                self._send(HTTPStatus.SERVICE_UNAVAILABLE, b'{"error": "no build yet"}',
                           "application/json", head=head)
            else:
                self._send(HTTPStatus.OK, json.dumps(report, ensure_ascii=False, indent=2)
                           .encode("utf-8"), "application/json", head=head)
        elif path == "/events":
            self._events()
        elif path.startswith("/page/") and path.endswith(".svg"):
            number = path[len("/page/"):-len(".svg")]
            with desk.changed:
                view = desk.pages.get(int(number)) if number.isdigit() else None
            if view is None:
                self._not_found(head)
            else:
                self._send(HTTPStatus.OK, view.svg, "image/svg+xml", head=head,
                           cache="max-age=31536000, immutable")
        elif path.startswith("/fonts/"):
            font = desk.fonts.get(path[len("/fonts/"):])
            if font is None:
                self._not_found(head)
            else:
                self._send(HTTPStatus.OK, web_font(font), "font/ttf", head=head,
                           cache="max-age=31536000, immutable")
        elif path.startswith("/edition/"):
            name = _safe_relative(path[len("/edition/"):])
            self._file(desk.folder / name if name else None, head, root=desk.folder)
        else:
            self._not_found(head)

    def _addressed_to_loopback(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        # "[::1]:8000" keeps its brackets; "localhost:8000" loses the port.
        host = host[:host.find("]") + 1] if host.startswith("[") else host.rsplit(":", 1)[0]
        return host in _LOOPBACK

    def _file(self, path: Path | None, head: bool, root: Path = ASSETS) -> None:
        if path is None:
            self._not_found(head)
            return
        try:
            resolved = path.resolve()
            if not resolved.is_relative_to(root.resolve()) or not resolved.is_file():
                self._not_found(head)
                return
            data = resolved.read_bytes()
        except OSError:
            self._not_found(head)
            return
        kind = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
            kind += "; charset=utf-8"
        self._send(HTTPStatus.OK, data, kind, head=head)

    def _not_found(self, head: bool) -> None:
        self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", head=head)

    def _send(self, status: HTTPStatus, body: bytes, kind: str, *, head: bool,
              cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        """One `state` event now and after every build; a comment keeps the line open."""
        desk = self.server.desk
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            while not self.server.closing.is_set():
                with desk.changed:
                    desk.changed.wait_for(lambda seen=seen: desk.generation != seen
                                          or self.server.closing.is_set(),
                                          timeout=_KEEPALIVE_S)
                    generation, state = desk.generation, desk.state_bytes
                if self.server.closing.is_set():
                    break
                if generation == seen:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    self.wfile.write(b"event: state\ndata: " + state + b"\n\n")
                    seen = generation
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass   # the browser went away
