"""Load and validate edition files (pages, articles, places, photos) and their style.

Diagnostics name the file, the line and the field, and say what was expected. All
problems found in one pass are reported together. Reading YAML is `yamlread`'s job,
styles are `load_style`'s.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from layout.diagnostics import ERROR, Diagnostic, InputError
from layout.model.edition import (
    Article,
    Edition,
    Masthead,
    PageSpec,
    Paragraph,
    Photo,
    PhotoPlace,
    Placement,
)
from layout.model.load_style import load_style, resolve_style_path
from layout.model.style import Style
from layout.model.yamlread import MappingNode, Node, Reader, ScalarNode, is_file
from layout.resources import styles_dir

__all__ = ["load_edition", "load_style", "resolve_style_path"]

_RUNIN = re.compile(r"^\*\*(.+?)\*\*")

_ARTICLE_KEYS = ("section", "kicker", "headline", "subhead", "rubric", "byline", "body",
                 "photos", "place", "vertical", "continued", "fit", "frame", "priority",
                 "min_span", "max_span")
_PLACE_KEYS = ("column", "span", "top", "depth")
# `fit: true` (or yes, on) is `fit: auto`; false, no, off: off.
_FIT = {"auto": "auto", "true": "auto", "yes": "auto", "on": "auto",
        "off": "off", "false": "off", "no": "off", "": "off"}


def load_edition(path: Path, style_loader: Callable[[Path], Style] = load_style) -> Edition:
    """Read an edition file and its style sheet; raise InputError listing every problem."""
    path = Path(path)
    reader = Reader(path)
    root = reader.parse()
    reader.raise_if_errors()
    top = reader.mapping(root, "", ("paper", "date", "style", "pages", "articles"),
                         ("masthead",))
    reader.raise_if_errors()
    assert top is not None

    date_text = reader.text(top["date"], "date")
    try:
        date = dt.date.fromisoformat(date_text)
    except ValueError:
        reader.error(top["date"], "date", f"expected a date as YYYY-MM-DD, got {date_text!r}")
        date = dt.date(1970, 1, 1)

    style_name = reader.text(top["style"], "style")
    style_path = resolve_style_path(style_name, path.parent)
    style: Style | None = None
    if not is_file(style_path):
        shipped = sorted(p.stem for p in styles_dir().glob("*.yaml"))
        reader.error(top["style"], "style", f"unknown style {style_name!r}; expected one of "
                     f"{', '.join(shipped)} or a path to a style file")
    else:
        try:
            style = style_loader(style_path)
        except InputError as exc:
            reader.errors.extend(exc.diagnostics)

    pages = tuple(_page(reader, node, i) for i, node in
                  enumerate(reader.sequence(top["pages"], "pages")))
    seen_pages: set[int] = set()
    for page, node in zip(pages, reader.sequence(top["pages"], "pages")):
        if page.number in seen_pages:
            reader.error(node, "pages.number", f"page {page.number} is listed twice")
        seen_pages.add(page.number)

    articles = []
    seen_ids: dict[str, int] = {}
    for i, node in enumerate(reader.sequence(top["articles"], "articles")):
        article = _article(reader, node, i, path.parent)
        if article is None:
            continue
        if article.id in seen_ids:
            reader.error(node, f"articles[{i}].id",
                         f"article id {article.id!r} is already used on line "
                         f"{seen_ids[article.id]}")
        seen_ids[article.id] = article.line
        articles.append(article)

    articles = [_page_from_section(reader, a, pages) for a in articles]
    if style is not None:
        _check_placements(reader, articles, style, seen_pages)
        _check_hints(reader, articles, style, seen_pages)
    masthead = _masthead(reader, top["masthead"]) if "masthead" in top else Masthead()
    reader.raise_if_errors()
    assert style is not None
    return Edition(path, reader.text(top["paper"], "paper"), date, style, pages, tuple(articles),
                   masthead)


def _masthead(reader: Reader, node: Node) -> Masthead:
    spec = reader.mapping(node, "masthead", (), ("issue", "notes")) or {}
    notes = tuple(reader.text(n, "masthead.notes") for n in
                  reader.items(spec["notes"], "masthead.notes")) if "notes" in spec else ()
    return Masthead(reader.text(spec.get("issue"), "masthead.issue"), notes)


def _page_from_section(reader: Reader, article: Article, pages: tuple[PageSpec, ...]) -> Article:
    """A place without `page` goes to the one page that carries the article's section tag."""
    if article.place is None or article.place.page:
        return article
    field = f"articles[{article.id}].place.page"
    carriers = [p.number for p in pages if article.section in p.sections]
    if len(carriers) != 1:
        found = f"pages {', '.join(map(str, carriers))} carry it" if carriers else \
            "no page carries it"
        reader.errors.append(Diagnostic(
            ERROR, "placement", f"cannot tell the page from section {article.section!r}: {found}",
            str(reader.file), article.place.line, field, "give place.page"))
        return article
    return replace(article, place=replace(article.place, page=carriers[0]))


def _page(reader: Reader, node: Node, index: int) -> PageSpec:
    field = f"pages[{index}]"
    spec = reader.mapping(node, field, ("number", "name"), ("sections", "credits")) or {}
    sections = tuple(reader.text(n, f"{field}.sections") for n in
                     reader.items(spec["sections"], f"{field}.sections")) \
        if "sections" in spec else ()
    credits: tuple[tuple[str, str], ...] = ()
    if "credits" in spec:
        mapping = reader.free_mapping(spec["credits"], f"{field}.credits") or {}
        credits = tuple((k, reader.text(v, f"{field}.credits.{k}")) for k, v in mapping.items())
    return PageSpec(
        number=reader.integer(spec.get("number"), f"{field}.number", 0, minimum=1) or 0,
        name=reader.text(spec.get("name"), f"{field}.name"),
        sections=sections, credits=credits, line=node.start_mark.line + 1,
    )


def _article(reader: Reader, node: Node, index: int, base: Path) -> Article | None:
    # Name the article by its id in messages as soon as the id is known.
    known_id = next((v.value for k, v in node.value
                     if isinstance(k, ScalarNode) and k.value == "id"
                     and isinstance(v, ScalarNode)), None) \
        if isinstance(node, MappingNode) else None
    field = f"articles[{known_id or index}]"
    spec = reader.mapping(node, field, ("id",), _ARTICLE_KEYS)
    if spec is None or "id" not in spec:
        return None
    article_id = reader.text(spec["id"], f"{field}.id")
    photos = tuple(_photo(reader, n, f"{field}.photos[{i}]", base) for i, n in
                   enumerate(reader.items(spec["photos"], f"{field}.photos", (MappingNode,))))\
        if "photos" in spec else ()
    body = _paragraphs(reader.text(spec.get("body"), f"{field}.body"))
    headline = reader.text(spec.get("headline"), f"{field}.headline").strip()
    if not headline and (body or not photos):
        reader.error(node, f"{field}.headline",
                     "missing required field 'headline' (only a photos-only article may omit it)")
    place, page_hint = None, 0
    if "place" in spec and _page_only(spec["place"]):
        # `place: {page: N}`: the page is the editor's, the box the engine's.
        pspec = reader.mapping(spec["place"], f"{field}.place", (), ("page",)) or {}
        page_hint = reader.integer(pspec.get("page"), f"{field}.place.page", 0, minimum=1) or 0
    elif "place" in spec:
        place = _placement(reader, spec["place"], f"{field}.place", first=True)
    priority = reader.integer(spec.get("priority"), f"{field}.priority", 0, minimum=1) or 0 \
        if "priority" in spec else 0
    spans = {key: reader.integer(spec.get(key), f"{field}.{key}", 0, minimum=1) or 0
             if key in spec else 0 for key in ("min_span", "max_span")}
    if spans["min_span"] and spans["max_span"] and spans["min_span"] > spans["max_span"]:
        reader.error(spec["min_span"], f"{field}.min_span",
                     f"expected min_span ≤ max_span, got {spans['min_span']} > "
                     f"{spans['max_span']}")
    continued = _placement(reader, spec["continued"], f"{field}.continued", first=False) \
        if "continued" in spec else None
    vertical, vertical_columns = "", 1
    if "vertical" in spec and isinstance(spec["vertical"], ScalarNode):
        # `vertical: right` is `vertical: {side: right}`.
        vertical = reader.choice(spec["vertical"], f"{field}.vertical", ("left", "right"),
                                 "right")
    elif "vertical" in spec:
        vspec = reader.mapping(spec["vertical"], f"{field}.vertical", ("side",), ("columns",)) \
            or {}
        vertical = reader.choice(vspec.get("side"), f"{field}.vertical.side", ("left", "right"),
                                 "right")
        vertical_columns = reader.integer(vspec.get("columns"), f"{field}.vertical.columns", 1,
                                          minimum=1) or 1
        if vertical_columns > 2:
            reader.error(vspec["columns"], f"{field}.vertical.columns",
                         f"expected 1 or 2 columns for a vertical headline, got {vertical_columns}")
    fit_text = reader.text(spec.get("fit"), f"{field}.fit").lower()
    if fit_text not in _FIT:
        reader.error(spec["fit"], f"{field}.fit", f"expected auto or off (true and false "
                     f"are taken for them), got {fit_text!r}")
    fit = _FIT.get(fit_text) == "auto"
    frame = reader.choice(spec.get("frame"), f"{field}.frame",
                          ("none", "line", "double", "ornament"), "none")
    return Article(
        id=article_id,
        section=_section(reader, spec.get("section"), f"{field}.section"),
        headline=headline,
        kicker=reader.text(spec.get("kicker"), f"{field}.kicker").strip(),
        subhead=reader.text(spec.get("subhead"), f"{field}.subhead").strip(),
        rubric=reader.text(spec.get("rubric"), f"{field}.rubric").strip(),
        byline=reader.text(spec.get("byline"), f"{field}.byline").strip(),
        body=body, photos=photos, place=place, line=node.start_mark.line + 1,
        vertical=vertical, vertical_columns=vertical_columns, continued=continued, fit=fit,
        frame="" if frame == "none" else frame, priority=priority,
        min_span=spans["min_span"], max_span=spans["max_span"], page_hint=page_hint,
    )


def _section(reader: Reader, node: Node | None, field: str) -> str:
    """An article's one section tag; `section: [文化]`, a list of one, is that tag."""
    items = reader.items(node, field) if node is not None else []
    if len(items) > 1:
        reader.error(node, field, f"expected one section tag, got a list of {len(items)} (a "
                     "story belongs to one section; a page's `sections` may list several)")
    return reader.text(items[0], field) if items else ""


def _page_only(node: Node) -> bool:
    """A place that names only the page (the engine chooses the box)."""
    return isinstance(node, MappingNode) and \
        {k.value for k, _ in node.value if isinstance(k, ScalarNode)} <= {"page"}


def _placement(reader: Reader, node: Node, field: str, first: bool) -> Placement | None:
    """place / continued: {page, column, span, top, depth[, depths][, headline_span]}."""
    optional = ("page", "depths", "headline_span", "by") if first else ("depths",)
    required = _PLACE_KEYS if first else ("page", *_PLACE_KEYS)
    spec = reader.mapping(node, field, required, optional)
    if spec is None or any(key not in spec for key in required):
        return None
    values = {key: reader.integer(spec.get(key), f"{field}.{key}", 0,
                                  minimum=0 if key == "top" else 1)
              for key in ("page", *_PLACE_KEYS) if key in spec}
    span = values["span"] or 1
    depths: tuple[int, ...] = ()
    if "depths" in spec:
        items = reader.sequence(spec["depths"], f"{field}.depths")
        depths = tuple(reader.integer(n, f"{field}.depths", 1, minimum=1) or 1 for n in items)
        if len(depths) != span:
            reader.error(spec["depths"], f"{field}.depths",
                         f"expected one depth per column: {span} numbers, got {len(depths)}")
            depths = ()
    headline_span = reader.integer(spec.get("headline_span"), f"{field}.headline_span", 0,
                                   minimum=1) or 0
    if headline_span > span:
        reader.error(spec["headline_span"], f"{field}.headline_span",
                     f"expected at most the box's {span} columns, got {headline_span}")
        headline_span = 0
    # `by: engine` marks a place `paiban plan` chose: used as given, re-solved by the next plan.
    by = reader.choice(spec.get("by"), f"{field}.by", ("editor", "engine"), "editor") \
        if "by" in spec else "editor"
    return Placement(values.get("page", 0), values["column"] - 1, span, values["top"],
                     values["depth"], node.start_mark.line + 1, depths, headline_span,
                     engine=by == "engine")


def _photo(reader: Reader, node: Node, field: str, base: Path) -> Photo:
    spec = reader.mapping(node, field, ("file",),
                          ("title", "caption", "credit", "lines", "place")) or {}
    file = reader.text(spec.get("file"), f"{field}.file")
    place = None
    if "place" in spec:
        keys = ("column", "span", "top", "lines")
        pspec = reader.mapping(spec["place"], f"{field}.place", keys, ("by",)) or {}
        values = {key: reader.integer(pspec.get(key), f"{field}.place.{key}", 0,
                                      minimum=0 if key == "top" else 1)
                  for key in keys}
        # `by: engine`: the place `paiban plan` chose, chosen again when its story is.
        by = reader.choice(pspec.get("by"), f"{field}.place.by", ("editor", "engine"),
                           "editor") if "by" in pspec else "editor"
        if all(key in pspec for key in keys):
            place = PhotoPlace(values["column"] - 1, values["span"], values["top"],
                               values["lines"], engine=by == "engine")
    return Photo(
        file=(base / file) if file else base,
        title=reader.text(spec.get("title"), f"{field}.title").strip(),
        caption=reader.text(spec.get("caption"), f"{field}.caption").strip(),
        credit=reader.text(spec.get("credit"), f"{field}.credit").strip(),
        lines=reader.integer(spec.get("lines"), f"{field}.lines", None, minimum=1),
        line=node.start_mark.line + 1, place=place,
    )


def _paragraphs(body: str) -> tuple[Paragraph, ...]:
    """Blank lines separate paragraphs; single newlines inside a paragraph are joined (N6)."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", body.strip()):
        text = "".join(line.strip() for line in block.splitlines())
        if not text:
            continue
        match = _RUNIN.match(text)
        if match:
            paragraphs.append(Paragraph(text[match.end():], runin=match.group(1)))
        else:
            paragraphs.append(Paragraph(text))
    return tuple(paragraphs)


def _check_placements(reader: Reader, articles: list[Article], style: Style,
                      pages: set[int]) -> None:
    """Boxes stay on the grid and on existing pages, never overlap, jumps go somewhere new."""
    grid = style.grid
    # Boxes by page: only boxes of the same page can overlap (all pairs of a 72-page
    # edition's 384 boxes cost 12 ms of the build).
    placed: dict[int, list[tuple[Article, Placement, str]]] = {}
    for article in articles:
        boxes = [(article.place, f"articles[{article.id}].place")]
        if article.continued is not None:
            boxes.append((article.continued, f"articles[{article.id}].continued"))
            if article.place is None:
                reader.errors.append(Diagnostic(
                    ERROR, "placement", f"article {article.id!r} has a continuation but no place",
                    str(reader.file), article.continued.line, f"articles[{article.id}].place",
                    "a jump needs its first box placed too: give the article a full place "
                    "{page, column, span, top, depth} (run `paiban plan` without the "
                    "continued: and keep the place it writes, deleting `by: engine`)"))
            elif article.continued.page == article.place.page:
                reader.errors.append(Diagnostic(
                    ERROR, "placement", f"the jump of article {article.id!r} goes to page "
                    f"{article.continued.page}, the page it starts on; expected another page",
                    str(reader.file), article.continued.line,
                    f"articles[{article.id}].continued.page"))
        for place, field in boxes:
            if place is None or not place.page:
                continue
            where = Diagnostic(ERROR, "placement", "", str(reader.file), place.line, field)
            if place.page not in pages:
                reader.errors.append(_with(
                    where, f"page {place.page} is not in the edition's pages "
                           f"({', '.join(map(str, sorted(pages)))})"))
            if place.end_column > grid.columns:
                reader.errors.append(_with(
                    where, f"columns {place.column + 1}–{place.end_column} leave the grid: "
                           f"the style has {grid.columns} columns (expected column + span − 1 ≤ "
                           f"{grid.columns})"))
            if place.bottom > grid.lines:
                reader.errors.append(_with(
                    where, f"lines {place.top}–{place.bottom} leave the grid: the style has "
                           f"{grid.lines} lines (expected top + depth ≤ {grid.lines})"))
            if place.end_column > grid.columns or place.bottom > grid.lines:
                continue     # reported; its overlaps would only repeat the same mistake
            same_page = placed.setdefault(place.page, [])
            for other, other_place, other_field in same_page:
                # An engine-chosen place that now overlaps is re-solved by the makeup stage.
                if place.engine or other_place.engine:
                    continue
                shared = place.overlaps(other_place)
                if shared:
                    column, first, end = shared
                    used = "box" if other is not article else "first box"
                    reader.errors.append(_with(
                        where, f"box overlaps the {used} of article {other.id!r} "
                               f"({other_field}, line {other_place.line}): column {column + 1}, "
                               f"lines {first}–{end}"))
            same_page.append((article, place, field))
        for index, photo in enumerate(article.photos):
            if photo.place is None or article.place is None:
                continue
            if photo.place.column + photo.place.span > article.place.span:
                reader.errors.append(Diagnostic(
                    ERROR, "placement", f"the photo's columns {photo.place.column + 1}–"
                    f"{photo.place.column + photo.place.span} leave the article's "
                    f"{article.place.span} columns", str(reader.file), photo.line,
                    f"articles[{article.id}].photos[{index}].place"))


def _check_hints(reader: Reader, articles: list[Article], style: Style,
                 pages: set[int]) -> None:
    """The makeup engine's inputs: span hints inside the grid, a page-only place on a page."""
    for article in articles:
        for key in ("min_span", "max_span"):
            value = getattr(article, key)
            if value > style.grid.columns:
                reader.errors.append(Diagnostic(
                    ERROR, "invalid-input", f"{key} {value} is wider than the grid: the style "
                    f"has {style.grid.columns} columns", str(reader.file), article.line,
                    f"articles[{article.id}].{key}", f"expected at most {style.grid.columns}"))
        if article.page_hint and article.page_hint not in pages:
            reader.errors.append(Diagnostic(
                ERROR, "placement", f"page {article.page_hint} is not in the edition's pages "
                f"({', '.join(map(str, sorted(pages)))})", str(reader.file), article.line,
                f"articles[{article.id}].place.page"))


def _with(template: Diagnostic, message: str) -> Diagnostic:
    return Diagnostic(template.severity, template.code, message, template.file, template.line,
                      template.field)
