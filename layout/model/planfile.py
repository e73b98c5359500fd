"""Write the makeup engine's places back into an edition file, keeping the editor's text.

The loader reads with PyYAML, which drops comments; writing back needs a round-trip parser
that keeps comments, key order, quoting and block scalars as the editor wrote them, so this
module (the only ruamel.yaml user) edits the file's own tree: it sets or replaces `place` of
the articles the engine placed, and of the photos it set inside them (P6) — in flow style,
marked `by: engine` with a comment — and leaves every other byte of the file alone.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

MARK = "placed by paiban plan (delete by: engine to lock)"


@dataclass(frozen=True, slots=True)
class PlannedPhoto:
    """A photo the engine set inside its story: columns of the box, lines below the head."""

    column: int         # 1-based within the box, as the edition file says
    span: int
    top: int
    lines: int


@dataclass(frozen=True, slots=True)
class PlannedPlace:
    page: int
    column: int         # 1-based, as the edition file says
    span: int
    top: int
    depth: int
    depths: tuple[int, ...] = ()
    # One entry per photo of the article: the place the engine chose, or None (a photo as
    # wide as its story, or the editor's own place): an old engine place is then removed.
    photos: tuple[PlannedPhoto | None, ...] = ()


def _yaml() -> YAML:
    yaml = YAML()               # round-trip mode
    yaml.preserve_quotes = True
    yaml.width = 4096           # never re-wrap the editor's long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def plan_text(text: str, places: Mapping[str, PlannedPlace | None],
              moved: tuple[Path, Path] | None = None) -> str:
    """The edition text with `places` written in (None: drop an engine place that no longer
    fits, so that no stale box is left behind). `moved` (from folder, to folder): the text
    is written to another folder, so its relative paths are rewritten to still name the
    same files."""
    yaml = _yaml()
    data = yaml.load(text)
    if moved is not None:
        _relocate(data, *moved)
    for article in data.get("articles") or ():
        if not isinstance(article, dict) or str(article.get("id")) not in places:
            continue
        place = places[str(article["id"])]
        _photo_places(article, place.photos if place is not None else ())
        if place is None:
            _drop_engine_place(article)
            continue
        value = CommentedMap(page=place.page, column=place.column, span=place.span,
                             top=place.top, depth=place.depth)
        if place.depths:
            depths = list(place.depths)
            value["depths"] = depths
        value["by"] = "engine"
        value.fa.set_flow_style()
        if "place" in article:
            article["place"] = value
        else:
            # Right after the section tag (or the id): a key added at the end would land
            # below the comment that introduces the next article.
            keys = list(article)
            anchor = "section" if "section" in keys else "id"
            article.insert(keys.index(anchor) + 1 if anchor in keys else 0, "place", value)
        article.yaml_add_eol_comment(MARK, "place")
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _drop_engine_place(node: CommentedMap) -> None:
    """Remove the `place` of an article or photo if the engine wrote it (`by: engine`)."""
    old = node.get("place")
    if isinstance(old, dict) and old.get("by") == "engine":
        del node["place"]


def _photo_places(article: CommentedMap, planned: tuple[PlannedPhoto | None, ...]) -> None:
    """Write the engine's photo places into the article's photos; drop older engine ones."""
    photos = article.get("photos")
    if not isinstance(photos, list):
        return
    for index, photo in enumerate(photos):
        if not isinstance(photo, dict):
            continue
        chosen = planned[index] if index < len(planned) else None
        if chosen is None:
            _drop_engine_place(photo)
            continue
        old = photo.get("place")
        if isinstance(old, dict) and old.get("by") != "engine":
            continue            # the editor's own place is never overwritten
        value = CommentedMap(column=chosen.column, span=chosen.span, top=chosen.top,
                             lines=chosen.lines, by="engine")
        value.fa.set_flow_style()
        if "place" in photo:
            photo["place"] = value
        else:
            # After the file (or the last key) so that the photo's own keys keep their order.
            photo.insert(len(photo), "place", value)
        if not photo.fa.flow_style():
            # (In a one-line photo mapping a comment would break the line; `by: engine`
            # marks it there.)
            photo.yaml_add_eol_comment(MARK, "place")


def _relocate(data: CommentedMap, source: Path, dest: Path) -> None:
    """Rewrite the style path and the photo files, relative to `source`, relative to `dest`
    (the loader reads them relative to the edition file's folder)."""
    def moved(value) -> str | None:
        if not isinstance(value, str) or not value or Path(value).is_absolute():
            return None
        return Path(os.path.relpath(source / value, dest)).as_posix()

    style = data.get("style")
    if isinstance(style, str) and (style.endswith((".yaml", ".yml")) or "/" in style):
        data["style"] = moved(style) or style      # a shipped style's name stays as it is
    for article in data.get("articles") or ():
        photos = article.get("photos") if isinstance(article, dict) else None
        for photo in photos if isinstance(photos, list) else ():
            if isinstance(photo, dict) and moved(photo.get("file")):
                photo["file"] = moved(photo["file"])


def write_plan(source: Path, places: Mapping[str, PlannedPlace | None], dest: Path) -> None:
    """Write the planned edition to `dest` atomically (it may be the source itself; in
    another folder, its relative paths are rewritten to name the same files)."""
    here, there = source.resolve().parent, dest.resolve().parent
    text = plan_text(source.read_text(encoding="utf-8"), places,
                     (here, there) if here != there else None)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, dest)
