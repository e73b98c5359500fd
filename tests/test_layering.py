"""DESIGN.md's layering rule: imports point down only; each library lives in one module."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "layout"

LEVELS = {
    "layout.units": 0, "layout.diagnostics": 0, "layout.resources": 0, "layout.cache": 0,
    "layout.sfnt": 0, "layout.records": 0, "layout.forking": 0,
    "layout.model": 1, "layout.display": 1, "layout.typeface": 1, "layout.imaging": 1,
    "layout.compose": 2,
    "layout.flow": 3,
    "layout.page": 4,
    "layout.makeup": 5,
    "layout.render": 5, "layout.preflight": 5, "layout.proof": 5,
    "layout.report": 6, "layout.pipeline": 6, "layout.proofdesk": 6,
    "layout.serve": 7,
    "layout.cli": 8, "layout.__main__": 9,
}
# Narrower rules than "any lower level" (DESIGN.md's table).
ALLOWED_ONLY = {
    "layout.compose": {"layout.units", "layout.diagnostics", "layout.model", "layout.typeface"},
    "layout.render": {"layout.display", "layout.units", "layout.diagnostics", "layout.resources",
                      "layout.cache", "layout.sfnt", "layout.forking"},
    "layout.preflight": {"layout.units", "layout.diagnostics"},
    # The proof reads display lists (and the trace); font metrics are handed to it.
    "layout.proof": {"layout.display", "layout.units", "layout.diagnostics", "layout.render"},
    "layout.cli": {"layout.pipeline", "layout.report", "layout.diagnostics", "layout.preflight",
                   "layout.cache", "layout.proofdesk", "layout.cli", "layout.serve"},
    "layout.serve": {"layout.pipeline", "layout.report", "layout.render", "layout.diagnostics"},
}
LIBRARIES = {
    "yaml": {"layout.model.yamlread"},
    # The SVG renderer subsets the faces it draws into web fonts. Metrics and the PDF's
    # font programs are read with struct (layout/sfnt.py), without fontTools' import cost.
    "fontTools": {"layout.render.webfont"},
    "click": {"layout.cli"},
    "pyphen": {"layout.compose.breaks"},
    "numpy": {"layout.makeup.solve", "layout.makeup.page", "layout.makeup.tables",
              "layout.makeup.stepped"},
    "watchfiles": {"layout.serve.watch"},
    "ruamel": {"layout.model.planfile"},
    # Pillow reads photos for layout; preflight gets decoded images from pikepdf as Pillow images.
    "PIL": {"layout.imaging", "layout.preflight.objects"},
    # preflight reads any PDF with pikepdf; the renderer writes its PDFs itself.
    "pikepdf": {"layout.preflight.checks", "layout.preflight.colour", "layout.preflight.objects",
                "layout.preflight.scan"},
    "rapidfuzz": {"layout.proof.diff"},
    "docx": {"layout.proof.export"},
}


def unit(module: str) -> str:
    """The layer a module belongs to: its package (layout.compose) or itself."""
    return next(name for name in sorted(LEVELS, key=len, reverse=True)
                if module == name or module.startswith(name + "."))


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "_data" in path.parts:
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name == "layout" or name == "layout.__init__":
            continue
        yield name, ast.parse(path.read_text(encoding="utf-8"))


def imports(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "layout" and node.level == 0:
            # `from layout import cache` imports layout.cache; __version__ is just a string.
            yield from (f"layout.{alias.name}" for alias in node.names
                        if alias.name != "__version__")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_every_module_has_a_level():
    for name, _ in modules():
        assert unit(name), name


def test_imports_point_down_only():
    problems = []
    for name, tree in modules():
        own = unit(name)
        for target in imports(tree):
            # The bare package (layout/__init__.py) holds only __version__: importable anywhere.
            if not target.startswith("layout."):
                continue
            other = unit(target)
            if other == own:
                continue
            allowed = ALLOWED_ONLY.get(own)
            if LEVELS[other] >= LEVELS[own] or (allowed is not None and other not in allowed):
                problems.append(f"{name} imports {target}")
    assert not problems, problems


def test_each_library_lives_in_one_module():
    problems = []
    for name, tree in modules():
        for target in imports(tree):
            root = target.split(".")[0]
            if root in LIBRARIES and name not in LIBRARIES[root]:
                problems.append(f"{name} imports {target}")
    assert not problems, problems
