"""Work kept between runs: results that depend only on mt's code, its installed data and
the libraries it names (the Russian forms pymorphy3 gives glossary names, CLDR's names
read through babel). A re-run of a release served by the memory would otherwise spend
most of its second loading pymorphy3's dictionary and inflecting the same names again.

`disk_memo` keeps one pickle per function in the cache folder ($MT_CACHE_DIR, else
$XDG_CACHE_HOME/mt, else ~/.cache/mt; MT_CACHE_DIR=off turns it off). The file's name
carries a stamp of every file of the mt package (path, size, modification time), the
libraries' installed files and the Python version, so changed code or data never reads an old result. The cache is
an optimisation only: a missing, stale, corrupt or unwritable file is never an error,
the work is just done again. New results are written once, when the process ends,
with mt.io's atomic write; two processes writing at once lose only each other's additions.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import importlib.util
import logging
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from mt.io import atomic_write_bytes

PACKAGE = Path(__file__).resolve().parent
MAX_ITEMS = 200_000  # a memo stops growing here (bounded memory and file size)
_LOG = logging.getLogger("mt.memo")

F = TypeVar("F", bound=Callable[..., Any])


def cache_dir() -> Path | None:
    """The folder memos live in, or None when caching is off."""
    chosen = os.environ.get("MT_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "none") else Path(chosen)
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:  # no HOME and no passwd entry (a bare container): no cache
        return None
    return Path(base) / "mt"


@functools.lru_cache(maxsize=1)
def code_stamp() -> str:
    """A digest of the mt package's files (path, size, modification time): any edit,
    checkout or upgrade of mt changes it."""
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(root, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            digest.update(f"{os.path.relpath(path, PACKAGE)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


code_stamp()  # taken when mt loads: a long server that outlives an upgrade keeps its old stamp


def _library_stamp(modules: tuple[str, ...]) -> str:
    """Size and modification time of each library's top module file: an upgrade or
    reinstall rewrites it. (importlib.metadata's versions cost 50 ms; this, well under 1.)"""
    out = []
    for name in modules:
        try:
            spec = importlib.util.find_spec(name)
            st = os.stat(spec.origin) if spec and spec.origin else None
        except (ImportError, OSError, ValueError):
            st = None
        out.append(f"{name}={st.st_size}:{st.st_mtime_ns}" if st else f"{name}=none")
    # pymorphy3 reads its dictionary from this folder when set (not the installed package)
    return ",".join(out) + f"|{os.environ.get('PYMORPHY2_DICT_PATH', '')}"


class _Memo:
    """The results of one function, keyed by its arguments."""

    def __init__(self, fn: Callable[..., Any], libraries: tuple[str, ...], max_items: int) -> None:
        self.fn = fn
        self.libraries = libraries
        self.max_items = max_items
        # the install's folder in the name: two checkouts or venvs sharing ~/.cache/mt
        # keep a file each instead of pruning each other's
        place = hashlib.sha256(str(PACKAGE).encode()).hexdigest()[:8]
        self.name = f"{fn.__module__}.{fn.__qualname__}-{place}"
        self.items: dict[Any, Any] | None = None
        self.path: Path | None = None
        self.dirty = False

    def file(self) -> Path | None:
        folder = cache_dir()
        if folder is None:
            return None
        python = f"{sys.version_info[0]}.{sys.version_info[1]}"
        stamp = hashlib.sha256(f"{code_stamp()}|{python}|{_library_stamp(self.libraries)}".encode()).hexdigest()[:16]
        return folder / f"{self.name}-{stamp}.pickle"

    def load(self) -> dict[Any, Any]:
        self.path = self.file()
        self.items = self._read()
        return self.items

    def _read(self) -> dict[Any, Any]:
        if self.path is not None:
            try:
                with open(self.path, "rb") as fh:
                    # a pickle runs code when read: only one this user wrote (a shared
                    # MT_CACHE_DIR must not let another user's file in)
                    if hasattr(os, "getuid") and os.fstat(fh.fileno()).st_uid != os.getuid():
                        raise PermissionError("written by another user")
                    items = pickle.load(fh)
                if isinstance(items, dict):
                    return items
            except FileNotFoundError:
                pass
            except Exception as exc:  # a corrupt or foreign file: recompute, overwrite later
                _LOG.debug("memo %s not read: %s", self.path, exc)
        return {}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        items = self.load() if self.items is None else self.items
        key = (*args, *sorted(kwargs.items())) if kwargs else args
        try:
            return items[key]
        except KeyError:
            pass
        result = self.fn(*args, **kwargs)
        if len(items) < self.max_items:
            items[key] = result
            self.dirty = True
            _pending.add(self)
        return result

    def save(self) -> None:
        if not self.dirty or self.path is None or self.items is None:
            return
        self.dirty = False
        try:
            # mt.io's all-or-nothing write; it also removes what a killed writer left
            atomic_write_bytes(self.path, pickle.dumps(self.items, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception as exc:  # read-only home, full disk, a result that does not pickle: recompute next run
            _LOG.debug("memo %s not written: %s", self.path, exc)
            return
        self._prune()

    def _prune(self) -> None:
        """Remove this function's files from older code (other stamps)."""
        assert self.path is not None
        for old in self.path.parent.glob(f"{self.name}-*.pickle"):
            if old != self.path:
                old.unlink(missing_ok=True)

    def clear(self) -> None:
        """Forget what this process loaded (tests; a changed MT_CACHE_DIR)."""
        self.items, self.path, self.dirty = None, None, False
        _pending.discard(self)


_pending: set[_Memo] = set()


def save_all() -> None:
    """Write every memo with new results (also run when the process ends)."""
    for memo in list(_pending):
        memo.save()
    _pending.clear()


atexit.register(save_all)


def disk_memo(*libraries: str, max_items: int = MAX_ITEMS) -> Callable[[F], F]:
    """Keep `fn`'s results (hashable, picklable arguments and result) on disk between
    runs; `libraries`: the modules (import names) whose installed files the result
    depends on; `max_items`: where the memo stops growing (a memo keyed by every word
    a run sees is read whole at each start, so keep it small). Results are shared
    between callers: never mutate one. The wrapped function has `.memo` (for tests)."""

    def wrap(fn: F) -> F:
        memo = _Memo(fn, libraries, max_items)

        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            return memo(*args, **kwargs)

        call.memo = memo  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]

    return wrap
