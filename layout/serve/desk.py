"""The desk's state: the last good build of the edition, its pages as SVG, and what the
browser draws over them (grids, article boxes with their fit, diagnostics).

A rebuild composes the whole edition (about 20 ms a page) but draws again only the pages
whose display list changed; a page keeps its version otherwise, so the browser fetches and
redraws only what changed. An edition that does not load keeps the last good pages and
carries the error instead; nothing is written anywhere (the SVGs live in memory).
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from layout.diagnostics import ERROR, Diagnostic, InputError
from layout.pipeline import Build, PlanMemo, compose_edition
from layout.render.svg import font_family, render_page
from layout.render.webfont import face_data
from layout.report import place_json, to_json


@dataclass
class PageView:
    number: int
    layout: Any                 # the page's display list (PageLayout)
    svg: bytes
    version: str
    photos: tuple = ()          # (file, mtime) of its photos: a photo saved again redraws it


def _photo_stamps(layout: Any) -> tuple:
    stamps = []
    for item in layout.items:
        source = getattr(item, "source", None)
        if source is not None:
            try:
                stamps.append((str(source), Path(source).stat().st_mtime_ns))
            except OSError:
                stamps.append((str(source), None))
    return tuple(stamps)


def place_yaml(place: dict) -> str:
    """`place: {…}` to paste into the edition file."""
    keys = [k for k in ("page", "column", "span", "top", "depth", "depths") if k in place]
    body = ", ".join(f"{k}: {place[k]}" if k != "depths"
                     else f"depths: [{', '.join(map(str, place[k]))}]" for k in keys)
    return f"place: {{{body}}}"


def _error_json(diagnostic: Diagnostic) -> dict:
    data = diagnostic.to_json()
    where = ":".join(str(p) for p in (diagnostic.file, diagnostic.line, diagnostic.field) if p)
    data["where"] = where
    data["short"] = ":".join(str(p) for p in (Path(diagnostic.file).name if diagnostic.file
                                             else None, diagnostic.line, diagnostic.field) if p)
    data["text"] = diagnostic.format()
    return data


class Desk:
    """The edition as the browser sees it; rebuilt by the watcher, read by the server."""

    def __init__(self, edition: Path):
        self.edition = edition.resolve()
        self.folder = self.edition.parent
        self.changed = threading.Condition()
        self.generation = 0
        self.pages: dict[int, PageView] = {}
        self.order: list[int] = []
        self.build: Build | None = None
        self.report: dict | None = None
        self.error: list[dict] | None = None
        self.fonts: dict[str, Path] = {}          # URL name → font file
        self.timing: dict[str, float] = {}
        self.state_bytes = b"{}"
        self._state: dict = {}
        self.memo = PlanMemo()               # stories unchanged since the last build

    # ----------------------------------------------------------------- building

    def rebuild(self, detected: float | None = None) -> None:
        """Compose the edition again and publish what changed (or the error)."""
        started = time.time()
        try:
            build = compose_edition(self.edition, memo=self.memo)
        except InputError as exc:
            self._publish_error([_error_json(d) for d in exc.diagnostics], detected, started)
            return
        except (OSError, ValueError, KeyError) as exc:
            # A file caught half-written, or a fault the loader did not name: still a banner,
            # never a dead desk. The next save rebuilds.
            self._publish_error([_error_json(Diagnostic(
                ERROR, "invalid-input", f"{type(exc).__name__}: {exc}", str(self.edition)))],
                detected, started)
            return
        composed = time.time()
        pages: dict[int, PageView] = {}
        for layout in build.pages:
            old = self.pages.get(layout.number)
            photos = _photo_stamps(layout)
            if old is not None and old.layout.items == layout.items and old.photos == photos \
                    and old.layout.fonts == layout.fonts and old.layout.width == layout.width:
                pages[layout.number] = PageView(layout.number, layout, old.svg, old.version,
                                                photos)
                continue
            svg = render_page(layout, image_href=self._image_href, font_faces=False)
            pages[layout.number] = PageView(layout.number, layout, svg,
                                            hashlib.sha1(svg).hexdigest()[:16], photos)
        rendered = time.time()
        with self.changed:
            self.build = build
            self.pages = pages
            self.order = [page.number for page in build.pages]
            self.report = to_json(build)
            self.error = None
            self.timing = {"detected": detected or started, "started": started,
                           "composed": composed, "rendered": rendered}
            self._publish()

    def _publish_error(self, errors: list[dict], detected: float | None, started: float) -> None:
        with self.changed:
            self.error = errors
            self.timing = {"detected": detected or started, "started": started,
                           "composed": time.time(), "rendered": time.time()}
            self._publish()

    def _publish(self) -> None:
        """A new generation of the state; wakes every event stream (lock held)."""
        self.generation += 1
        self.timing["published"] = time.time()
        self._state = self._state_json()
        self.state_bytes = json.dumps(self._state, ensure_ascii=False).encode("utf-8")
        self.changed.notify_all()

    def _faces(self, build: Build) -> list[dict]:
        """The faces the pages use, declared once by the desk's page (family → URL)."""
        faces = []
        # The pages' faces: the style's and any fallback faces composition added.
        fonts = {key: path for page in build.pages for key, path in page.fonts.items()}
        for key, path in sorted(fonts.items()):
            data = face_data(Path(path))
            name = f"{key}-{data.key}.ttf"
            self.fonts[name] = Path(path)
            faces.append({"family": font_family(key, data), "url": f"/fonts/{quote(name)}"})
        return faces

    def _image_href(self, path: Path) -> str:
        """Photos inside the edition's folder by URL (loaded once); others inline."""
        resolved = path.resolve()
        if resolved.is_relative_to(self.folder):
            rel = resolved.relative_to(self.folder).as_posix()
            return f"/edition/{quote(rel)}?v={resolved.stat().st_mtime_ns}"
        return "data:image/jpeg;base64," + base64.b64encode(resolved.read_bytes()).decode()

    # ----------------------------------------------------------------- what is watched

    def watched_files(self) -> set[Path]:
        """The edition, its style file and its photos (from the last good build)."""
        files = {self.edition}
        build = self.build
        if build is not None:
            files.add(Path(build.edition.style.file).resolve())
            for article in build.edition.articles:
                files.update(Path(photo.file).resolve() for photo in article.photos)
        return files

    # ----------------------------------------------------------------- state for the browser

    def _state_json(self) -> dict:
        build = self.build
        state: dict[str, Any] = {"generation": self.generation, "error": self.error,
                                 "timing": self.timing, "edition": str(self.edition),
                                 "pages": [], "diagnostics": []}
        if build is None:
            return state
        edition = build.edition
        grid = edition.style.grid
        state["title"] = f"{edition.paper} {edition.date.isoformat()}"
        state["diagnostics"] = [_error_json(d) for d in build.diagnostics]
        state["faces"] = self._faces(build)
        fits = {a["id"]: (a, page["number"]) for page in self.report["pages"]
                for a in page["articles"]}
        fills = {page["number"]: page.get("fill") for page in self.report["pages"]}
        for number in self.order:
            view = self.pages[number]
            layout = view.layout
            state["pages"].append({
                "number": number, "name": layout.name, "width": layout.width,
                "height": layout.height, "version": view.version,
                "svg": f"/page/{number}.svg?v={view.version}",
                "type_area": list(layout.type_area), "columns": [list(c) for c in layout.columns],
                "baselines": [round(grid.baseline(line), 3) for line in range(grid.lines)],
                "pitch": grid.pitch, "body_size": grid.body_size,
                "column_chars": grid.column_chars, "fill": fills.get(number),
                "boxes": self._boxes(build, number, fits),
            })
        return state

    def _boxes(self, build: Build, number: int, fits: dict) -> list[dict]:
        grid = build.edition.style.grid
        boxes = []
        for article in build.edition.articles:
            fit, _ = fits.get(article.id, (None, None))
            if fit is not None:        # the per-mark list stays in /report.json
                fit = {k: v for k, v in fit.items() if k != "normalized"}
            reported = fit.get("place") if fit else None
            main = reported if isinstance(reported, dict) else place_json(article.place)
            for place, continued in ((main, False), (place_json(article.continued), True)):
                if not place or place.get("page") != number:
                    continue
                column, span, top = place["column"] - 1, place["span"], place["top"]
                depths = place.get("depths") or [place["depth"]] * span
                rects = []
                for i, depth in enumerate(depths[:span]):
                    x1 = round(grid.column_x(column + i) + grid.column_width, 3)
                    if rects and depths[i - 1] == depth:
                        rects[-1][2] = x1            # columns of one depth: one rectangle
                    else:
                        rects.append([round(grid.column_x(column + i), 3),
                                      round(grid.line_top(top), 3), x1,
                                      round(grid.line_top(top + depth), 3)])
                placed_by = (fit or {}).get("placed_by") or \
                    ("editor" if article.place is not None else None)
                boxes.append({
                    "id": article.id, "continued": continued, "rects": rects,
                    "place": place, "place_yaml": place_yaml(place),
                    "placed_by": placed_by,
                    "priority": getattr(article, "priority", None) or None,
                    "fit": fit,
                    "headline": " / ".join(t for t in (article.kicker, article.headline,
                                                       article.subhead) if t),
                    # A photos-only story's text is its pictures' titles and captions.
                    "text": article.source_text or "\n".join(
                        " ".join(t for t in (photo.title, photo.caption, photo.credit) if t)
                        for photo in article.photos),
                    "line": article.line,
                })
        return boxes

    def state(self) -> tuple[int, bytes]:
        with self.changed:
            return self.generation, self.state_bytes
