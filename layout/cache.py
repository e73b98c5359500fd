"""The build cache: verified, atomic, version-keyed, bounded (the only cache paiban has).

What a cache may do is make a build faster, never different. A cache folder is
damaged by what every machine sees sooner or later — a full disk, a killed copy, another
tool's crash, a user's `rm` of half of it — so nothing read from it is trusted:

- every entry is a data file plus a small record (`<entry>.meta`, JSON) written after it
  with the data's length and SHA-256; a read checks both, and a check supplied by the
  caller (a PDF must end with its trailer, see `pdf_complete`). An entry that does not
  verify is dropped and made again, and `notes()` says so (the build prints it as info);
- keys are hashed together with paiban's version and the entry's namespace, so a new
  paiban never reads an older one's entries (they age out);
- writes go to a temporary file in the same folder and are renamed over the entry
  (`os.replace`), data first, record last: a reader sees a whole entry or none;
- the folder is bounded (`PAIBAN_CACHE_MB`, default 512 MB): after a write the least
  recently used entries (by the record's mtime, touched on every hit) are removed until
  the total is under the bound;
- a missing, read-only or full cache folder never stops a build: entries then live in a
  temporary folder of this process, removed when it exits. `--no-cache` (`configure(
  enabled=False)`) does the same on purpose.

Layout: `$XDG_CACHE_HOME/paiban/store/<namespace>/<key>.<ext>` (`~/.cache/paiban` when
XDG_CACHE_HOME is unset).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from layout import __version__

DEFAULT_LIMIT_MB = 512
_FORMAT = 1                    # the layout of entries and records; part of every key
_META = ".meta"
_lock = threading.Lock()

Check = Callable[[bytes], bool]


def pdf_complete(data: bytes) -> bool:
    """A PDF that was written to the end: header, `startxref` and `%%EOF` in its tail."""
    tail = data[-1024:]
    return data.startswith(b"%PDF-") and b"%%EOF" in tail and b"startxref" in tail


def limit_bytes() -> int:
    """The size bound, from PAIBAN_CACHE_MB (a number of megabytes), else the default."""
    raw = os.environ.get("PAIBAN_CACHE_MB", "")
    try:
        value = float(raw) if raw else DEFAULT_LIMIT_MB
    except ValueError:
        value = DEFAULT_LIMIT_MB
    return max(int(value * 1024 * 1024), 0)


@dataclass
class _State:
    enabled: bool = True
    scratch: Path | None = None        # this process's fallback folder
    notes: list[str] | None = None
    size: int | None = None            # running total of the persistent store, once measured


_state = _State(notes=[])


def configure(*, enabled: bool = True) -> None:
    """Use the user cache (the default) or bypass it for this process (`--no-cache`)."""
    _state.enabled = enabled


def notes() -> list[str]:
    """What the cache had to repair since the last call (one line each), and forget them."""
    with _lock:
        found, _state.notes = _state.notes or [], []
    return found


def cache_dir() -> Path:
    """paiban's folder in the user cache ($XDG_CACHE_HOME, else ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "paiban"


def root() -> Path:
    """The persistent store's folder (it may not exist yet)."""
    return cache_dir() / "store"


def temporary_file(folder: Path, prefix: str, suffix: str = "") -> tuple[int, str]:
    """A new file in `folder`, opened for writing (its descriptor and path), as
    `tempfile.mkstemp` makes one (exclusive creation, mode 0600) without importing
    tempfile: with the modules it loads it cost 3 ms of every build's start-up."""
    flags = (os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_BINARY", 0))
    for _ in range(100):
        name = os.path.join(folder, f"{prefix}{os.urandom(6).hex()}{suffix}")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def _scratch() -> Path:
    with _lock:
        if _state.scratch is None:
            import shutil  # here: a build with a writable cache needs neither
            import tempfile

            _state.scratch = Path(tempfile.mkdtemp(prefix="paiban-cache-"))
            atexit.register(shutil.rmtree, _state.scratch, True)
        return _state.scratch


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def _base() -> tuple[Path, bool]:
    """The folder entries go to, and whether it is the persistent (bounded) store."""
    if _state.enabled:
        store = root()
        if _writable(store):
            return store, True
    return _scratch(), False


def _entry_path(base: Path, namespace: str, key: str, suffix: str) -> Path:
    digest = hashlib.sha256(f"{_FORMAT}|{__version__}|{namespace}|{key}".encode()).hexdigest()
    return base / namespace / f"{digest[:40]}{suffix}"


def _note(message: str) -> None:
    with _lock:
        assert _state.notes is not None
        _state.notes.append(message)


def _read_verified(path: Path, check: Check | None) -> bytes | None:
    """The entry's bytes if its record, length, hash and check agree; None when absent."""
    meta_path = path.with_name(path.name + _META)
    if not meta_path.exists() and not path.exists():
        return None
    problem = None
    data = b""
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        data = path.read_bytes()
        if not isinstance(meta, dict):
            problem = "its record is not readable"
        elif meta.get("length") != len(data):
            problem = f"it has {len(data)} bytes, {meta.get('length')} were written"
        elif meta.get("sha256") != hashlib.sha256(data).hexdigest():
            problem = "its content does not match the hash recorded when it was written"
        elif check is not None and not check(data):
            problem = "its content is incomplete"
    except FileNotFoundError:
        problem = "half of it is missing"
    except (OSError, ValueError) as exc:
        problem = f"it cannot be read ({exc.__class__.__name__})"
    if problem is None:
        with contextlib.suppress(OSError):
            os.utime(meta_path)          # least recently used = oldest record mtime
        return data
    _note(f"cache entry {path.name} ({path.parent.name}) failed verification: {problem}; "
          "made again")
    for stale in (meta_path, path):
        with contextlib.suppress(OSError):
            stale.unlink()
    return None


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = temporary_file(path.parent, f".{path.name}.", ".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _store(path: Path, data: bytes) -> bool:
    """Write the entry (data, then its record); False when the folder cannot take it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(path, data)
        record = json.dumps({"length": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                             "paiban": __version__}).encode()
        _atomic_write(path.with_name(path.name + _META), record)
    except OSError:
        return False
    return True


def _entries(base: Path) -> list[tuple[float, int, Path]]:
    """(last use, size, data path) of every entry of the store."""
    found = []
    for meta in base.glob(f"*/*{_META}"):
        data = meta.with_name(meta.name[:-len(_META)])
        try:
            used = meta.stat().st_mtime
            size = data.stat().st_size + meta.stat().st_size
        except OSError:
            continue
        found.append((used, size, data))
    return found


def _evict(base: Path, added: int) -> None:
    """Remove least recently used entries until the store is under its bound."""
    limit = limit_bytes()
    with _lock:
        if _state.size is None:
            _state.size = sum(size for _, size, _ in _entries(base))
        else:
            _state.size += added
        if _state.size <= limit:
            return
    entries = sorted(_entries(base))
    total = sum(size for _, size, _ in entries)
    for _, size, data in entries:
        if total <= limit * 0.9:        # a margin, so that the next write does not rescan
            break
        for file in (data.with_name(data.name + _META), data):
            with contextlib.suppress(OSError):
                file.unlink()
        total -= size
    with _lock:
        _state.size = total


def get_bytes(namespace: str, key: str, make: Callable[[], bytes], *,
              check: Check | None = None, suffix: str = "") -> bytes:
    """The bytes cached under (namespace, key), or `make()`'s, kept for next time.

    `key` must name everything the bytes depend on except paiban's version, which is added.
    """
    return _get(namespace, key, make, check, suffix)[0]


def get_path(namespace: str, key: str, make: Callable[[], bytes], *,
             check: Check | None = None, suffix: str = "") -> Path:
    """A verified file holding the bytes for (namespace, key), for readers that want a path
    (a converted photo handed to ReportLab). It lives until paiban exits at the least."""
    return _get(namespace, key, make, check, suffix)[1]


def _get(namespace: str, key: str, make: Callable[[], bytes], check: Check | None,
         suffix: str) -> tuple[bytes, Path]:
    base, persistent = _base()
    path = _entry_path(base, namespace, key, suffix)
    data = _read_verified(path, check)
    if data is not None:
        return data, path
    data = make()
    if _store(path, data):
        if persistent:
            _evict(base, len(data))
        return data, path
    # The store refused the write (full disk, permissions changed under us): scratch it.
    path = _entry_path(_scratch(), namespace, key, suffix)
    if not _store(path, data):
        raise OSError(f"no folder can hold paiban's cache entry {path.name}")
    return data, path


@dataclass(frozen=True)
class Info:
    folder: Path
    entries: int
    size: int
    limit: int


def info() -> Info:
    """Where the persistent cache is, how many entries it holds and how big it is."""
    base = root()
    entries = _entries(base) if base.is_dir() else []
    return Info(base, len(entries), sum(size for _, size, _ in entries), limit_bytes())


def clear() -> Info:
    """Empty the persistent cache (everything under its folder); returns what was there."""
    import shutil

    before = info()
    shutil.rmtree(cache_dir(), ignore_errors=True)
    with _lock:
        _state.size = None
    return before
