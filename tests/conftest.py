from __future__ import annotations

from pathlib import Path

import pytest
from synthetic_font import build_font

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "editions" / "hucheng-2023-12-29.yaml"


@pytest.fixture(scope="session", autouse=True)
def _metrics_cache(tmp_path_factory: pytest.TempPathFactory):
    """Keep the font metrics cache of the test run out of the user's home."""
    import os

    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(scope="session")
def test_face(tmp_path_factory: pytest.TempPathFactory):
    from layout.typeface import load_face

    path = build_font(tmp_path_factory.mktemp("font") / "PaibanTest.ttf")
    return load_face(path)


@pytest.fixture(scope="session")
def fallback_face(tmp_path_factory: pytest.TempPathFactory):
    """A second synthetic face with only the characters the test font lacks (R49)."""
    from layout.typeface import load_face

    path = build_font(tmp_path_factory.mktemp("font") / "PaibanTestFallback.ttf", fallback=True)
    return load_face(path)


@pytest.fixture(scope="session")
def sample_build():
    from layout.pipeline import compose_edition

    return compose_edition(SAMPLE)


@pytest.fixture(scope="session")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory, sample_build):
    from layout.pipeline import render_edition

    out = tmp_path_factory.mktemp("out")
    render_edition(sample_build, out)
    return sample_build
