"""Start-up guard: `paiban build` imports only what a build uses (issue 11).

Start-up is a large share of a short build (a one-page edition builds in about 0.15 s, and
numpy alone costs ~100 ms to import, ruamel.yaml ~25 ms, fontTools 11–13 ms, pikepdf
~140 ms). Those libraries serve other commands (plan, preflight, diff, proof, serve,
--svg) or other editions (photos, engine-placed pages), and are imported where they are
used. A new top-level import would bring the cost back without failing anything else, so
these tests run the command in a fresh interpreter with `-X importtime` and check which
modules it loaded (by name, not by time: no timed tests in the suite).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "editions" / "hucheng-2023-12-29.yaml"

# Never for a build whose places are given and which has no photos.
HEAVY = {
    "numpy",          # the makeup solver: only pages the engine places
    "ruamel",         # round-trip YAML: paiban plan
    "fontTools",      # metrics and PDF fonts are read with struct (layout/sfnt.py); --svg
    "pikepdf",        # paiban preflight
    "rapidfuzz",      # paiban diff
    "docx",           # paiban proof --docx
    "watchfiles",     # paiban serve
    "PIL",            # photos
    "reportlab", "pypdf", "pymupdf", "fitz",     # test tools, never the product
    "pickle",         # the second render process: long editions only
    "tempfile", "random",   # temporary files are made with os.open (layout.cache)
    "asyncio", "multiprocessing", "concurrent", "email", "http", "xml", "sqlite3",
    "ssl", "socket", "logging", "decimal",
}


def _imported(args: list[str], tmp_path: Path) -> set[str]:
    """Top-level package names of every module `python -X importtime ARGS` imported."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True,
                            text=True, env=env, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "package":            # the header line
                names.add(name.split(".")[0])
    assert "layout" in names, result.stderr[-2000:]
    return names


def _edition_without_photos(tmp_path: Path) -> Path:
    """The sample edition without its photo story: every place given, no photos."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["articles"] = [a for a in data["articles"] if not a.get("photos")]
    for article in data["articles"]:
        assert "place" in article, article["id"]
    target = tmp_path / "no-photos.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    return target


def test_importing_the_command_line_loads_nothing_heavy(tmp_path: Path) -> None:
    loaded = _imported(["-c", "import layout.cli"], tmp_path)
    assert not loaded & HEAVY, sorted(loaded & HEAVY)


def test_a_build_with_places_given_loads_only_what_it_uses(tmp_path: Path) -> None:
    edition = _edition_without_photos(tmp_path)
    for run in ("cold", "warm"):            # an empty cache, then the cache it filled
        loaded = _imported(["-m", "layout", "build", str(edition), "-o",
                            str(tmp_path / "out")], tmp_path)
        assert not loaded & HEAVY, (run, sorted(loaded & HEAVY))
        assert (tmp_path / "out" / "2023-12-29.pdf").is_file()


def test_the_guard_sees_what_another_command_imports(tmp_path: Path) -> None:
    """The check can fail: `--svg` subsets web fonts with fontTools, photos need Pillow."""
    loaded = _imported(["-m", "layout", "build", str(SAMPLE), "-o", str(tmp_path / "out"),
                        "--svg"], tmp_path)
    assert {"fontTools", "PIL"} <= loaded
