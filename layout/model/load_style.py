"""Load and validate style files: page geometry, grid, fonts, roles, rules, print settings.

Diagnostics name the file, the line and the field, and say what was expected.
"""

from __future__ import annotations

from pathlib import Path

from layout.model.style import (
    PDFX_VERSIONS,
    ROLES,
    Composition,
    Grid,
    Print,
    RoleStyle,
    Rules,
    Style,
)
from layout.model.yamlread import Node, Reader, is_file
from layout.resources import fonts_dir, styles_dir
from layout.units import mm


def resolve_style_path(name: str, relative_to: Path) -> Path:
    """A style is a name of a shipped style (`broadsheet`) or a path to a YAML file."""
    if name.endswith((".yaml", ".yml")) or "/" in name:
        path = Path(name)
        return path if path.is_absolute() else relative_to / path
    return styles_dir() / f"{name}.yaml"


def _color(reader: Reader, node: Node | None, field: str) -> tuple[float, ...]:
    if node is None:
        return (0.0, 0.0, 0.0, 1.0)
    values = [reader.length(n, f"{field}[{i}]") for i, n in enumerate(reader.sequence(node, field))]
    if len(values) != 4 or any(v is None or not 0 <= v <= 100 for v in values):
        reader.error(node, field, "expected CMYK percentages [c, m, y, k], each 0–100")
        return (0.0, 0.0, 0.0, 1.0)
    return tuple(v / 100.0 for v in values)  # type: ignore[operator]


def load_style(path: Path) -> Style:
    reader = Reader(path)
    root = reader.parse()
    reader.raise_if_errors()
    top = reader.mapping(root, "", ("name", "page", "grid", "fonts", "roles"),
                         ("description", "zihao", "headline_sizes", "rules", "composition",
                          "masthead", "print", "makeup"))
    reader.raise_if_errors()
    assert top is not None
    zihao = reader.choice(top.get("zihao"), "zihao", ("word", "letterpress"), "word")

    page = reader.mapping(top["page"], "page", ("width", "height", "margin_top"),
                          ("margin_left",)) or {}
    width = reader.length(page.get("width"), "page.width", 0.0, default_unit="mm")
    height = reader.length(page.get("height"), "page.height", 0.0, default_unit="mm")
    margin_top = reader.length(page.get("margin_top"), "page.margin_top", 0.0, default_unit="mm")

    grid_node = reader.mapping(top["grid"], "grid",
                               ("columns", "column_chars", "gutter_chars", "lines", "body_size",
                                "pitch"), ()) or {}
    body_size = reader.length(grid_node.get("body_size"), "grid.body_size", 9.0, zihao=zihao)
    columns = reader.integer(grid_node.get("columns"), "grid.columns", 1, minimum=1)
    column_chars = reader.integer(grid_node.get("column_chars"), "grid.column_chars", 1, minimum=1)
    gutter_chars = reader.length(grid_node.get("gutter_chars"), "grid.gutter_chars", 1.0,
                                 default_unit="pt")
    lines = reader.integer(grid_node.get("lines"), "grid.lines", 1, minimum=1)
    pitch = reader.length(grid_node.get("pitch"), "grid.pitch", body_size * 1.5, em=body_size)
    type_width = (columns * column_chars + (columns - 1) * gutter_chars) * body_size
    margin_left_node = page.get("margin_left")
    if margin_left_node is None or reader.text(margin_left_node, "page.margin_left") == "auto":
        margin_left = (width - type_width) / 2
    else:
        margin_left = reader.length(margin_left_node, "page.margin_left", 0.0, default_unit="mm")
    grid = Grid(margin_left, margin_top, columns, column_chars, gutter_chars, lines, body_size,
                pitch)
    if width and (margin_left < 0 or margin_left + type_width > width + 0.01):
        reader.error(top["grid"], "grid", f"the type area ({type_width / mm(1):.1f} mm wide) "
                     f"does not fit the page width ({width / mm(1):.1f} mm)")
    if height and margin_top + grid.height > height + 0.01:
        reader.error(top["grid"], "grid.lines",
                     f"{lines} lines of {pitch:.2f} pt ({grid.height / mm(1):.1f} mm) do not fit "
                     f"below a {margin_top / mm(1):.1f} mm top margin on a "
                     f"{height / mm(1):.1f} mm page")

    fonts: dict[str, Path] = {}
    font_nodes = reader.free_mapping(top["fonts"], "fonts") or {}
    fallback_node = font_nodes.pop("fallback", None)
    for key, node in font_nodes.items():
        value = reader.text(node, f"fonts.{key}")
        found = _find_font(value, path.parent)
        if found is None:
            reader.error(node, f"fonts.{key}",
                         f"font file {value!r} not found (looked beside the style file and in "
                         f"{fonts_dir()})")
        else:
            fonts[key] = found

    fallback = _fallback(reader, fallback_node, fonts) if fallback_node is not None else {}

    roles: dict[str, RoleStyle] = {}
    role_nodes = reader.free_mapping(top["roles"], "roles") or {}
    for role in ROLES:
        if role not in role_nodes:
            reader.error(top["roles"], f"roles.{role}", f"missing required role {role!r}")
    for role, node in role_nodes.items():
        field = f"roles.{role}"
        if role not in ROLES:
            reader.error(node, field, f"unknown role {role!r}; expected one of: {', '.join(ROLES)}")
            continue
        spec = reader.mapping(node, field, ("font", "size"),
                              ("leading", "color", "align", "tracking")) or {}
        font = reader.text(spec.get("font"), f"{field}.font")
        font_failed = any(e.field == f"fonts.{font}" for e in reader.errors)
        if font and font not in fonts and not font_failed:
            reader.error(spec.get("font"), f"{field}.font",
                         f"unknown font {font!r}; the style defines: {', '.join(fonts)}")
        size = reader.length(spec.get("size"), f"{field}.size", 9.0, zihao=zihao)
        default_leading = pitch if role == "body" else size * 1.25
        leading = reader.length(spec.get("leading"), f"{field}.leading", default_leading, em=size)
        roles[role] = RoleStyle(
            font=font, size=size, leading=leading,
            color=_color(reader, spec.get("color"), f"{field}.color"),  # type: ignore[arg-type]
            align=reader.choice(spec.get("align"), f"{field}.align",
                                ("left", "center", "right", "justify"), "left"),
            tracking=reader.length(spec.get("tracking"), f"{field}.tracking", 0.0,
                                   default_unit="em", em=1.0) or 0.0,
        )

    headline_sizes = []
    if "headline_sizes" in top:
        sizes = reader.free_mapping(top["headline_sizes"], "headline_sizes") or {}
        for key, node in sizes.items():
            if not key.isdigit():
                reader.error(node, f"headline_sizes.{key}", "expected a column count as key")
                continue
            size = reader.length(node, f"headline_sizes.{key}", 0.0, zihao=zihao)
            headline_sizes.append((int(key), size))

    rules = Rules()
    if "rules" in top:
        spec = reader.mapping(top["rules"], "rules", (),
                              ("column_rule", "separator", "head_rule", "head_rule_double",
                               "frame", "ornament_pitch")) or {}
        rules = Rules(
            column_rule=reader.length(spec.get("column_rule"), "rules.column_rule", 0.25),
            separator=reader.length(spec.get("separator"), "rules.separator", 0.5),
            head_rule=reader.length(spec.get("head_rule"), "rules.head_rule", 0.75),
            head_rule_double=reader.boolean(spec.get("head_rule_double"),
                                            "rules.head_rule_double", True),
            frame=reader.length(spec.get("frame"), "rules.frame", 0.6),
            ornament_pitch=reader.length(spec.get("ornament_pitch"), "rules.ornament_pitch",
                                         5.0),
        )

    composition = Composition()
    if "composition" in top:
        spec = reader.mapping(top["composition"], "composition", (),
                              ("indent_chars", "normalize_punctuation", "kinsoku", "latin_gap",
                               "max_stretch", "trim_opening_at_line_start")) or {}
        composition = Composition(
            indent_chars=reader.length(spec.get("indent_chars"), "composition.indent_chars", 2.0),
            normalize_punctuation=reader.boolean(spec.get("normalize_punctuation"),
                                                 "composition.normalize_punctuation", True),
            kinsoku=reader.choice(spec.get("kinsoku"), "composition.kinsoku",
                                  ("basic", "gb", "strict"), "gb"),
            latin_gap=reader.length(spec.get("latin_gap"), "composition.latin_gap", 0.25),
            max_stretch=reader.length(spec.get("max_stretch"), "composition.max_stretch", 0.25),
            trim_opening_at_line_start=reader.boolean(
                spec.get("trim_opening_at_line_start"),
                "composition.trim_opening_at_line_start", True),
        )

    masthead_lines = 12
    if "masthead" in top:
        spec = reader.mapping(top["masthead"], "masthead", (), ("lines",)) or {}
        masthead_lines = reader.integer(spec.get("lines"), "masthead.lines", 12, minimum=4) or 12
    print_settings = _print_settings(reader, top["print"], path.parent) if "print" in top \
        else Print()
    time_limit = 2.0
    if "makeup" in top:
        spec = reader.mapping(top["makeup"], "makeup", (), ("time_limit",)) or {}
        time_limit = reader.number(spec.get("time_limit"), "makeup.time_limit", 2.0, 0.05, 600.0)

    reader.raise_if_errors()
    return Style(
        name=reader.text(top["name"], "name"), file=path, page_width=width, page_height=height,
        grid=grid, fonts=fonts, roles=roles, headline_sizes=tuple(sorted(headline_sizes)),
        rules=rules, composition=composition, masthead_lines=masthead_lines, print=print_settings,
        makeup_time_limit=time_limit, fallback=fallback,
    )


_PRINT_KEYS = ("bleed", "marks", "ink_limit", "icc_profile", "pdfx",
               "output_condition_identifier", "output_condition", "registry_name",
               "overprint_black_max_size", "overprint_black_max_rule")


def _print_settings(reader: Reader, node: Node, style_dir: Path) -> Print:
    """The optional `print:` section: bleed, marks, ink limit, ICC profile and PDF/X flavour."""
    spec = reader.mapping(node, "print", (), _PRINT_KEYS)
    if spec is None:
        return Print()
    default = Print()
    bleed = reader.length(spec.get("bleed"), "print.bleed", 0.0, default_unit="mm") or 0.0
    if not 0 <= bleed <= mm(20):
        reader.error(spec.get("bleed"), "print.bleed",
                     f"expected a bleed from 0 to 20 mm, got {bleed / mm(1):.1f} mm")
        bleed = 0.0
    profile = None
    if "icc_profile" in spec:
        value = reader.text(spec["icc_profile"], "print.icc_profile")
        profile = Path(value) if Path(value).is_absolute() else style_dir / value
        problem = _icc_problem(profile)
        if problem:
            reader.error(spec["icc_profile"], "print.icc_profile", problem)
            profile = None
    pdfx = reader.choice(spec.get("pdfx"), "print.pdfx", PDFX_VERSIONS,
                         "PDF/X-4" if profile is not None else default.pdfx)
    if pdfx == "PDF/X-4" and profile is None and "icc_profile" not in spec:
        reader.error(spec.get("pdfx"), "print.pdfx",
                     "PDF/X-4 embeds the plant's output profile: set print.icc_profile "
                     "or use PDF/X-1a:2001")
    # The registered newsprint condition, unless the plant's own profile is embedded: then the
    # output intent is a custom one described by the profile (PDF/X convention "Custom").
    defaults = {"output_condition_identifier": default.output_condition_identifier,
                "output_condition": default.output_condition,
                "registry_name": default.registry_name}
    if profile is not None:
        defaults = {"output_condition_identifier": "Custom",
                    "output_condition": f"{profile.name} (the printing plant's output profile)",
                    "registry_name": ""}
    texts = {}
    for key, fallback in defaults.items():
        texts[key] = reader.text(spec.get(key), f"print.{key}", fallback).strip()
    if not texts["output_condition_identifier"]:
        reader.error(spec.get("output_condition_identifier"),
                     "print.output_condition_identifier", "expected a non-empty text")
    return Print(
        bleed=bleed,
        marks=reader.boolean(spec.get("marks"), "print.marks", default.marks),
        ink_limit=reader.number(spec.get("ink_limit"), "print.ink_limit", default.ink_limit,
                                100.0, 400.0),
        icc_profile=profile,
        pdfx=pdfx,
        overprint_black_max_size=reader.length(
            spec.get("overprint_black_max_size"), "print.overprint_black_max_size",
            default.overprint_black_max_size) or 0.0,
        overprint_black_max_rule=reader.length(
            spec.get("overprint_black_max_rule"), "print.overprint_black_max_rule",
            default.overprint_black_max_rule) or 0.0,
        **texts,
    )


def _icc_problem(path: Path) -> str | None:
    """Why `path` is not a CMYK ICC output profile, or None (reads the 128-byte header)."""
    try:
        with path.open("rb") as fp:
            header = fp.read(128)
    except OSError:
        return f"ICC profile {str(path)!r} not found"
    if len(header) < 128 or header[36:40] != b"acsp":
        return f"{str(path)!r} is not an ICC profile"
    space = header[16:20].decode("latin-1").strip()
    if space != "CMYK":
        return f"ICC profile {str(path)!r} is for {space}; expected a CMYK output profile"
    if header[12:16] != b"prtr":
        kind = header[12:16].decode("latin-1")
        return f"ICC profile {str(path)!r} is of class {kind!r}; expected a CMYK output " \
               "(printer, 'prtr') profile"
    return None


def _fallback(reader: Reader, node: Node, fonts: dict[str, Path]) -> dict[str, tuple[str, ...]]:
    """fonts.fallback: {font key: [font key, …]}, every key one the style defines (R49)."""
    chains: dict[str, tuple[str, ...]] = {}
    for key, chain_node in (reader.free_mapping(node, "fonts.fallback") or {}).items():
        field = f"fonts.fallback.{key}"
        if key not in fonts:
            reader.error(chain_node, field, f"unknown font {key!r}; the style defines: "
                         f"{', '.join(fonts)}")
            continue
        chain = []
        for index, item in enumerate(reader.items(chain_node, field)):
            name = reader.text(item, f"{field}[{index}]")
            if name and name not in fonts:
                reader.error(item, f"{field}[{index}]", f"unknown font {name!r}; the style "
                             f"defines: {', '.join(fonts)}")
            elif name == key:
                reader.error(item, f"{field}[{index}]", "a font cannot be its own fallback")
            elif name:
                chain.append(name)
        chains[key] = tuple(chain)
    return chains


def _find_font(value: str, style_dir: Path) -> Path | None:
    path = Path(value)
    candidates = [path] if path.is_absolute() else [style_dir / path, fonts_dir() / path]
    return next((c for c in candidates if is_file(c)), None)
