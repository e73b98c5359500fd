"""The build cache (layout/cache.py): a damaged cache never reaches the press."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner
from conftest import SAMPLE

from layout import cache
from layout.cli import main


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test alone (the session's one is shared by every test)."""
    folder = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.setattr(cache, "_state", cache._State(notes=[]))
    return folder / "paiban" / "store"


def _build(out: Path, *extra: str):
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(out), *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def _build_process(out: Path) -> subprocess.CompletedProcess:
    """A build in a new process, as the next build is: nothing is kept in memory."""
    return subprocess.run([sys.executable, "-m", "layout", "build", str(SAMPLE), "-o", str(out)],
                          capture_output=True, text=True, env=os.environ.copy(), timeout=120)


def _opens(path: Path) -> int:
    with pymupdf.open(path) as document:
        for page in document:
            page.get_text()
        return document.page_count


def _entries(store: Path) -> list[Path]:
    return sorted(p for p in store.rglob("*") if p.is_file() and not p.name.endswith(".meta"))


@pytest.mark.parametrize("damage", ["truncate", "overwrite", "empty", "delete-record"])
def test_damaged_cache_is_rebuilt_and_said(own_cache: Path, tmp_path: Path, damage: str):
    """Used to deliver an unopenable 2023-12-29-05.pdf with exit 0 after the page cache
    was truncated: every entry is now verified when read and made again when it fails."""
    first = _build_process(tmp_path / "a")
    assert first.returncode == 0, first.stderr
    reference = (tmp_path / "a" / "2023-12-29-05.pdf").read_bytes()
    entries = _entries(own_cache)
    assert {p.parent.name for p in entries} >= {"metrics", "pdffont", "photos"}
    for entry in entries:
        data = entry.read_bytes()
        if damage == "truncate":
            entry.write_bytes(data[: len(data) // 2])
        elif damage == "overwrite":
            entry.write_bytes(bytes(len(data)))
        elif damage == "empty":
            entry.write_bytes(b"")
        else:
            Path(str(entry) + ".meta").unlink()
    second = _build_process(tmp_path / "b")
    assert second.returncode == 0, second.stderr
    assert second.stdout.count("failed verification") == len(entries), second.stdout
    assert "info:" in second.stdout
    page = tmp_path / "b" / "2023-12-29-05.pdf"
    assert _opens(page) == 1 and _opens(tmp_path / "b" / "2023-12-29.pdf") == 1
    assert page.read_bytes() == reference          # faster, never different
    third = _build_process(tmp_path / "c")
    assert "failed verification" not in third.stdout


def test_a_consistent_but_cut_pdf_entry_fails_its_trailer_check(own_cache: Path):
    """A record written for an already-cut PDF (a tool that rewrote both) still fails."""
    cut = b"%PDF-1.4\n1 0 obj << >> endobj\n"
    made = cache.get_bytes("pages", "k", lambda: cut)
    assert made == cut
    again = cache.get_bytes("pages", "k", lambda: b"%PDF-1.4\nstartxref\n0\n%%EOF\n",
                            check=cache.pdf_complete, suffix="")
    assert again.endswith(b"%%EOF\n")
    assert any("incomplete" in note for note in cache.notes())


def test_keys_carry_the_paiban_version(own_cache: Path, monkeypatch: pytest.MonkeyPatch):
    cache.get_bytes("t", "key", lambda: b"old")
    monkeypatch.setattr(cache, "__version__", "999.0")
    assert cache.get_bytes("t", "key", lambda: b"new") == b"new"


def test_writes_are_atomic_and_leave_no_temporary_files(own_cache: Path):
    for i in range(5):
        cache.get_bytes("t", str(i), lambda i=i: b"x" * (1000 + i))
    names = [p.name for p in (own_cache / "t").iterdir()]
    assert len(names) == 10 and not [n for n in names if n.endswith(".tmp")]


def test_size_bound_evicts_least_recently_used(own_cache: Path,
                                              monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PAIBAN_CACHE_MB", str(50_000 / 1024 / 1024))    # 50 kB
    paths = [cache.get_path("t", str(i), lambda: os.urandom(10_000)) for i in range(4)]
    for age, path in enumerate(paths, 1):          # 0 oldest … 3 newest
        os.utime(Path(str(path) + ".meta"), (age, age))
    cache.get_bytes("t", "0", lambda: pytest.fail("entry 0 should still be there"))  # used now
    cache.get_bytes("t", "4", lambda: os.urandom(10_000))                            # over 50 kB
    assert cache.info().size <= 50_000
    assert paths[0].exists() and not paths[1].exists()
    assert paths[2].exists() and paths[3].exists()


def test_cache_folder_that_cannot_exist_still_builds(own_cache: Path, tmp_path: Path):
    own_cache.parent.parent.mkdir(parents=True)
    own_cache.parent.write_bytes(b"a file where the cache folder should be")
    result = _build(tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert _opens(tmp_path / "out" / "2023-12-29-05.pdf") == 1


def test_read_only_cache_folder_still_builds(own_cache: Path, tmp_path: Path):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    own_cache.parent.mkdir(parents=True)
    own_cache.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = _build(tmp_path / "out")
        assert result.exit_code == 0, result.output
        assert _opens(tmp_path / "out" / "2023-12-29-05.pdf") == 1
        assert not own_cache.exists()
    finally:
        own_cache.parent.chmod(stat.S_IRWXU)


def test_no_cache_reads_and_writes_nothing_and_gives_the_same_pdf(own_cache: Path,
                                                                   tmp_path: Path):
    result = _build(tmp_path / "a", "--no-cache")
    assert result.exit_code == 0, result.output
    assert not own_cache.exists()
    cached = _build(tmp_path / "b")
    assert cached.exit_code == 0
    assert (tmp_path / "a" / "2023-12-29-05.pdf").read_bytes() == \
        (tmp_path / "b" / "2023-12-29-05.pdf").read_bytes()


def test_cache_info_and_clear(own_cache: Path, tmp_path: Path):
    _build(tmp_path / "a")
    runner = CliRunner()
    shown = runner.invoke(main, ["cache", "info"])
    assert shown.exit_code == 0 and str(own_cache) in shown.output
    assert "entries: 0" not in shown.output and "PAIBAN_CACHE_MB" in shown.output
    cleared = runner.invoke(main, ["cache", "clear"])
    assert cleared.exit_code == 0 and "removed" in cleared.output
    assert not own_cache.exists()
    assert "entries: 0" in runner.invoke(main, ["cache", "info"]).output
