"""Editing glossary files under a lock: fmt, add one entry, add many.

Each edit holds the file's lock (a hidden `.NAME.lock` beside it) while it reads,
checks and writes, so two edits at once (`mt glossary add` twice) both land; files are
written with mt.io's all-or-nothing writes. Reading and checking is mt.glossary.store.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from mt.errors import GlossaryError
from mt.glossary.store import (
    Glossary,
    cross_problems,
    default_file_for,
    entry_from_row,
    entry_to_row,
    extra_header,
    format_tsv,
    glossary_files,
    load_entries,
    raise_problem,
    validate_entry,
)
from mt.io import atomic_write_text, recover_interrupted_writes, write_files_atomically
from mt.types import GlossaryEntry

LOCK_TIMEOUT = 60.0  # seconds an edit waits for another one on the same file


def _refuse_non_file(path: Path) -> None:
    """A glossary to edit is a regular file or not there yet: reading a pipe would wait
    forever, a device can be endless, and neither is the user's glossary."""
    if os.path.lexists(path) and not path.is_file() and not path.is_dir():
        raise GlossaryError("not a regular file (a device, pipe or socket), so not a glossary file", file=str(path),
                            hint="give the path of a .tsv file")


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the edit lock of glossary file `path` (a hidden `.NAME.lock` beside it), so
    that two edits at once (`mt glossary add` twice) both land instead of the second
    writing over the first. Also finishes undoing an edit killed halfway (see mt.io)."""
    path = Path(os.path.realpath(path))  # a link and the file it names share one lock
    _refuse_non_file(path)
    lock = FileLock(str(path.parent / f".{path.name}.lock"), timeout=LOCK_TIMEOUT)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise GlossaryError(f"another edit has held this file for over {LOCK_TIMEOUT:.0f} s", file=str(path),
                            hint="wait for it to finish and try again") from None
    except OSError as exc:
        raise GlossaryError(f"cannot lock the file for editing: {exc.strerror or exc}", file=str(path),
                            hint="check that its folder exists and is writable") from None
    try:
        recover_interrupted_writes(path.parent)
        yield
    finally:
        lock.release()


def fmt_file(path: str | Path, *, write: bool = True) -> bool:
    """Put one file in canonical form; True when it changed (or would change)."""
    path = Path(path)
    if not write:
        return _fmt_text(path) is not None
    with locked(path):
        text = _fmt_text(path)
        if text is not None:
            atomic_write_text(path, text)
    return text is not None


def _fmt_text(path: Path) -> str | None:
    """The canonical text of `path`, or None when it already is canonical."""
    entries = load_entries(path)
    text = format_tsv(entries, extra_columns=extra_header(path))
    return None if path.read_bytes() == text.encode("utf-8") else text


def fmt(paths: Sequence[str | Path] = (), *, write: bool = True) -> list[Path]:
    """Canonical form for every file; returns the files that changed (or would)."""
    files = glossary_files(paths)
    for path in files:  # refuse before writing anything
        load_entries(path)
    return [path for path in files if fmt_file(path, write=write)]


def write_tsv(path: str | Path, entries: Iterable[GlossaryEntry]) -> None:
    atomic_write_text(path, format_tsv(entries))




def add_entry(entry: GlossaryEntry, file: str | Path, *, glossary: Glossary | None = None) -> GlossaryEntry:
    """Add `entry` to `file` (created when missing), kept in canonical order. Refuses
    a duplicate id or Kazakh form (in the file or in `glossary`) and invalid rows."""
    file = Path(file)
    entry = entry_from_row(entry_to_row(entry))  # canonical cells
    entry = dataclasses.replace(entry, file=str(file))
    problems = validate_entry(entry)
    if problems:
        raise_problem(problems[0])
    if file.is_dir():
        raise GlossaryError("is a folder, not a glossary file", file=str(file), hint="give a .tsv file with --file")
    with locked(file):  # read, check and write as one step: a concurrent add is not lost
        existing = load_entries(file) if file.exists() else []
        extra_columns = extra_header(file) if file.exists() else []
        others = [e for e in (glossary.entries if glossary else ()) if Path(e.file).resolve() != file.resolve()]
        clash = [p for p in cross_problems([*existing, *others, entry])
                 if p.line == 0 and p.file == str(file) and p.kind in ("duplicate-id", "duplicate-kk")]
        if clash:
            raise_problem(dataclasses.replace(clash[0], file=str(file), line=0))
        atomic_write_text(file, format_tsv([*existing, entry], extra_columns=extra_columns))
    return entry


def add_entries(entries: Sequence[GlossaryEntry], glossary: Glossary, *, update: bool = False,
                file: str | Path | None = None) -> list[tuple[str, GlossaryEntry, Path]]:
    """Add many entries (rows `mt glossary suggest` printed) at once: a new id goes to
    `file` or its type's default file; with `update`, an id the glossary has replaces
    that entry in the file that holds it. Every file is checked first and all are written
    together, or none. Returns (action, entry, file) per entry."""
    _refuse_repeated_ids(entries)
    by_id = glossary.by_id
    contents: dict[Path, list[GlossaryEntry]] = {}
    done = []
    for entry in entries:
        known = by_id.get(entry.id)
        if known is not None and not update:
            raise GlossaryError(f"id {entry.id!r} is already in {known.file}:{known.line}", file=entry.file or None,
                                line=entry.line or None, hint="pass --update to replace that entry with this row")
        target = (Path(known.file) if known is not None else Path(file) if file else default_file_for(entry.type))
        target = target.resolve()
        _refuse_non_file(target)
        if target not in contents:
            contents[target] = load_entries(target) if target.exists() else []
        clean_entry = dataclasses.replace(entry_from_row(entry_to_row(entry)), file=str(target))
        problems = validate_entry(clean_entry)
        if problems:
            raise_problem(dataclasses.replace(problems[0], file=entry.file or problems[0].file, line=entry.line))
        rows = contents[target]
        contents[target] = [e for e in rows if e.id != entry.id] + [clean_entry]
        done.append(("updated" if known is not None else "added", clean_entry, target))
    everything = [e for path, rows in contents.items() for e in rows]
    everything += [e for e in glossary.entries if Path(e.file).resolve() not in contents]
    clash = [p for p in cross_problems(everything) if p.kind in ("duplicate-id", "duplicate-kk")
             and any(p.file == str(path) for path in contents)]
    if clash:
        raise_problem(clash[0])
    write_files_atomically({path: format_tsv(rows, extra_columns=extra_header(path) if path.exists() else [])
                            for path, rows in contents.items()})
    return done


def _refuse_repeated_ids(entries: Sequence[GlossaryEntry]) -> None:
    """Two rows with one id in the input: which one was meant cannot be known, so
    nothing is added (not the last row silently)."""
    first: dict[str, GlossaryEntry] = {}
    for entry in entries:
        seen = first.setdefault(entry.id, entry)
        if seen is not entry:
            where = f"line {seen.line}" if seen.line else "an earlier row"
            raise GlossaryError(f"id {entry.id!r} appears twice in the rows to add (first at {where}); "
                                "nothing was added", file=entry.file or None, line=entry.line or None,
                                hint="keep one row per id")
