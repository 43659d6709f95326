"""Translation memory: SQLite, in the user's cache folder by default.

Two kinds of unit, told apart by `origin`:
- machine: what an engine wrote. Exact reuse is keyed by the normalised source, the
  language pair and a key that names engine, model, revision, decoding options and
  glossary version (mt.pipeline.memory_key), so a changed model or glossary never
  reuses stale output. `creator` holds the engine signature.
- human: a translator's translation (a post-edited XLIFF unit, a TMX from a CAT tool).
  Stored once per source and pair, under no key (HUMAN_KEY): it applies whatever the
  model, and it wins over machine output. `creator` holds the translator (TMX
  creationid), `changed` the date of the edit.
- approved: machine output a translator confirmed unchanged (`mt review`'s Confirm).
  Stored like a human unit (HUMAN_KEY: one translator decision per source and pair, the
  latest), it wins over machine output and ranks below human translations among fuzzy
  matches; never counted as a human translation.

The history table keeps every decision a translator made on a unit (edit, confirm,
revert, the machine draft it replaced), oldest first, for `mt review`'s history.

WAL mode lets concurrent runs read while one writes; writers wait for each other (busy
timeout) instead of failing. Imports run in one transaction: all units or none.

Schema versions (PRAGMA user_version): 0 = before origins (key, pairs, source, target,
created); 1 = origin, creator, changed added; 2 = record column and history table added:
a machine unit's record keeps what happened to it when it was made (the engine's notes,
the term record, JSON), so a release served from the memory gets the same QA report as
when the engine translated it; the history keeps each translator decision on a unit.
Opening an older memory migrates it in place; version-0 units are machine units, older
units have an empty record.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from mt.crashpoints import crash_point
from mt.errors import MtError
from mt.types import APPROVED, DECISIONS, HUMAN, MACHINE, FuzzyMatch, MemoryHit, Note, TermCheck, Translation

SCHEMA_VERSION = 2
HUMAN_KEY = ""

SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    key TEXT NOT NULL,
    src_lang TEXT NOT NULL,
    tgt_lang TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    created REAL NOT NULL,
    origin TEXT NOT NULL DEFAULT 'machine',
    creator TEXT NOT NULL DEFAULT '',
    changed REAL,
    record TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (key, src_lang, tgt_lang, source)
);
CREATE INDEX IF NOT EXISTS units_pair ON units (src_lang, tgt_lang);
"""
_COLUMNS = "key, src_lang, tgt_lang, source, target, created, origin, creator, changed, record"
# Columns versions 1 and 2 added, with the values existing units get.
_NEW_COLUMNS = (("origin", "TEXT NOT NULL DEFAULT 'machine'"), ("creator", "TEXT NOT NULL DEFAULT ''"),
                ("changed", "REAL"), ("record", "TEXT NOT NULL DEFAULT ''"))
HISTORY = """
CREATE TABLE IF NOT EXISTS history (
    src_lang TEXT NOT NULL,
    tgt_lang TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    origin TEXT NOT NULL,
    action TEXT NOT NULL,
    creator TEXT NOT NULL DEFAULT '',
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS history_unit ON history (src_lang, tgt_lang, source);
"""
# The columns every version of the units table starts with (anything else is not ours).
_V0_COLUMNS = ("key", "src_lang", "tgt_lang", "source", "target", "created")


def default_path() -> Path:
    if os.environ.get("MT_TM"):
        return Path(os.environ["MT_TM"])
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "mt" / "tm.sqlite"


@dataclass(frozen=True)
class Event:
    """One entry of a unit's history: what `target` became, by whom and when.
    `action`: machine (the draft a decision replaced), edit, confirm, revert, disk (an
    edit made to a draft file outside the page)."""

    target: str
    origin: str
    action: str
    creator: str
    at: float


@dataclass(frozen=True)
class MemoryUnit:
    """One stored pair, as exported and imported (TMX, XLIFF). `key` is the machine
    key (HUMAN_KEY for human units); times are Unix seconds."""

    src_lang: str
    tgt_lang: str
    source: str
    target: str
    origin: str = HUMAN
    creator: str = ""
    created: float = 0.0
    changed: float | None = None
    key: str = HUMAN_KEY


class TranslationMemory:
    def __init__(self, path: Path | None = None, timeout: float = 60.0, create: bool = True) -> None:
        self.path = Path(path) if path else default_path()
        if not create and not self.path.is_file():
            raise MtError("no translation memory here", file=str(self.path),
                          hint="`mt translate` creates it; pass --tm PATH for another one")
        blocker = next((p for p in self.path.parents if p.exists() and not p.is_dir()), None)
        if blocker is not None:
            raise MtError(f"{blocker} is a file, not a folder", file=str(self.path),
                          hint="pass --tm PATH to a file in a folder")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise MtError(f"cannot open translation memory ({exc})", file=str(self.path),
                          hint="pass --tm PATH to another file, or --no-tm") from None
        with self._guard("open"):
            self._refuse_foreign()  # before anything writes to the file
            self._wal(timeout)
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()

    def _wal(self, timeout: float) -> None:
        """Switch to WAL mode. Two processes switching a rollback-journal file at once
        deadlock on their shared locks, and SQLite then answers one of them "database
        is locked" at once, without waiting on the busy timeout: retry until `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _refuse_foreign(self) -> None:
        """Another program's SQLite file given as --tm must not get our tables."""
        tables = [name for (name,) in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        columns = tuple(row[1] for row in self._db.execute("PRAGMA table_info(units)"))
        if (tables and "units" not in tables) or (columns and columns[:len(_V0_COLUMNS)] != _V0_COLUMNS):
            self._db.close()
            raise MtError(f"not a translation memory of mt (an SQLite file with tables {', '.join(tables)})",
                          file=str(self.path), hint="pass --tm PATH to a new or existing mt memory, or --no-tm")

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        """SQLite failures as one-line errors naming the file and what to do; the
        memory is closed after one."""
        try:
            yield
        except sqlite3.Error as exc:
            # Closed: the memory is not used after an error, and closing lets SQLite
            # remove the -wal/-shm files it made beside the user's file.
            self._db.close()
            text = str(exc)
            if "locked" in text or "busy" in text:
                what, hint = "is busy (another run held it too long)", "wait and try again, or pass --tm PATH"
            elif "full" in text:
                what, hint = "cannot grow: the disk is full", "free disk space, or pass --no-tm"
            elif isinstance(exc, sqlite3.OperationalError) and "readonly" in text.replace(" ", ""):
                what, hint = "is read-only", "pass --tm PATH to a writable file, or --no-tm"
            elif isinstance(exc, (sqlite3.DatabaseError)) and not isinstance(exc, sqlite3.OperationalError):
                what, hint = "is damaged or not an SQLite file", "move it away (a new one is made) or pass --no-tm"
            else:
                what, hint = "failed", "pass --tm PATH to another file, or --no-tm"
            raise MtError(f"translation memory {what} ({doing}: {text})", file=str(self.path), hint=hint) from None

    def close(self) -> None:
        self._db.close()

    def _migrate(self) -> None:
        """Create the table, or bring an older memory up to SCHEMA_VERSION."""
        if self._db.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return
        with self._write() as db:  # one writer migrates; the others find it done
            columns = {row[1] for row in db.execute("PRAGMA table_info(units)")}
            if not columns:
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
            else:
                for name, spec in _NEW_COLUMNS:
                    if name not in columns:
                        db.execute(f"ALTER TABLE units ADD COLUMN {name} {spec}")
                db.execute("CREATE INDEX IF NOT EXISTS units_pair ON units (src_lang, tgt_lang)")
            for statement in HISTORY.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the write lock up front, so two runs queue instead of
        # failing halfway through a transaction.
        with self._guard("write"):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def lookup_many(self, sources: Sequence[str], src: str, tgt: str, key: str) -> list[MemoryHit | None]:
        """Exact matches in input order: a translator's decision (human or approved) if
        there is one, else the machine translation stored under `key`."""
        found: dict[str, MemoryHit] = {}
        unique = list(dict.fromkeys(sources))
        for start in range(0, len(unique), 400):
            chunk = unique[start:start + 400]
            marks = ",".join("?" * len(chunk))
            with self._guard("read"):
                rows = self._db.execute(
                    # Human units live under HUMAN_KEY, so both kinds are primary-key lookups.
                    f"SELECT source, target, origin, creator, record FROM units WHERE key IN (?, ?) AND src_lang=? "
                    f"AND tgt_lang=? AND source IN ({marks}) AND (origin IN ('human', 'approved') OR key=?)",
                    (key, HUMAN_KEY, src, tgt, *chunk, key)).fetchall()
            for source, target, origin, creator, record in rows:
                if source not in found or origin in DECISIONS:
                    found[source] = MemoryHit(target, origin, creator, *_read_record(record))
        return [found.get(source) for source in sources]

    def get_many(self, sources: Sequence[str], src: str, tgt: str, key: str) -> list[str | None]:
        return [hit.target if hit else None for hit in self.lookup_many(sources, src, tgt, key)]

    def put_many(self, sources: Sequence[str], targets: Sequence[str], src: str, tgt: str, key: str,
                 creator: str = "", records: Sequence[Translation] | None = None) -> None:
        """Store machine translations under `key`; `creator` is the engine signature;
        `records` (aligned with `sources`) give each unit's notes and term record."""
        now = time.time()
        kept = [_write_record(r) for r in records] if records is not None else [""] * len(sources)
        # Empty outputs are stored too: decoding is deterministic for a key, so translating
        # again would give the same, and the QA report flags them either way.
        rows = [(key, src, tgt, s, t, now, MACHINE, creator, None, r)
                for s, t, r in zip(sources, targets, kept, strict=True) if s.strip()]
        with self._write() as db:
            db.executemany(f"INSERT OR REPLACE INTO units ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           rows)
            crash_point("tm-put")

    def import_units(self, units: Iterable[MemoryUnit]) -> dict[str, int]:
        """Store `units` in one transaction (all or none). A human or approved unit
        replaces the translator's decision on the same source and pair. Returns counts
        by origin."""
        now = time.time()
        rows, counts = [], {HUMAN: 0, MACHINE: 0, APPROVED: 0}
        for unit in units:
            key = HUMAN_KEY if unit.origin in DECISIONS else unit.key
            rows.append((key, unit.src_lang, unit.tgt_lang, unit.source, unit.target, unit.created or now,
                         unit.origin, unit.creator, unit.changed, ""))
            counts[unit.origin] = counts.get(unit.origin, 0) + 1
        with self._write() as db:
            db.executemany(f"INSERT OR REPLACE INTO units ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           rows)
            crash_point("tm-put")
        return counts

    def decide(self, unit: MemoryUnit | None, src: str, tgt: str, source: str,
               events: Sequence[Event] = ()) -> None:
        """A translator's decision on one source and pair, with its history entries,
        in one transaction: `unit` (human or approved) replaces the earlier decision;
        None removes it (back to machine output)."""
        with self._write() as db:
            if unit is None:
                db.execute("DELETE FROM units WHERE key=? AND src_lang=? AND tgt_lang=? AND source=? "
                           "AND origin IN ('human', 'approved')", (HUMAN_KEY, src, tgt, source))
            else:
                db.execute(f"INSERT OR REPLACE INTO units ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (HUMAN_KEY, src, tgt, source, unit.target, unit.created or time.time(), unit.origin,
                            unit.creator, unit.changed, ""))
            db.executemany("INSERT INTO history (src_lang, tgt_lang, source, target, origin, action, creator, at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           [(src, tgt, source, e.target, e.origin, e.action, e.creator, e.at) for e in events])
            crash_point("tm-put")

    def stored(self, sources: Sequence[str], src: str, tgt: str) -> list[tuple[str, str, str]]:
        """(source, target, origin) of every unit of `sources` in `src`-`tgt`, any key:
        the machine drafts recorded for them and the translators' decisions."""
        out: list[tuple[str, str, str]] = []
        unique = list(dict.fromkeys(sources))
        for start in range(0, len(unique), 400):
            chunk = unique[start:start + 400]
            with self._guard("read"):
                out += self._db.execute(
                    f"SELECT source, target, origin FROM units WHERE src_lang=? AND tgt_lang=? "
                    f"AND source IN ({','.join('?' * len(chunk))}) ORDER BY created, rowid",
                    (src, tgt, *chunk)).fetchall()
        return out

    def history(self, sources: Sequence[str], src: str, tgt: str) -> dict[str, list[Event]]:
        """The recorded history of each source's unit in `src`-`tgt`, oldest first."""
        out: dict[str, list[Event]] = {}
        unique = list(dict.fromkeys(sources))
        for start in range(0, len(unique), 400):
            chunk = unique[start:start + 400]
            with self._guard("read"):
                rows = self._db.execute(
                    f"SELECT source, target, origin, action, creator, at FROM history WHERE src_lang=? AND "
                    f"tgt_lang=? AND source IN ({','.join('?' * len(chunk))}) ORDER BY at, rowid",
                    (src, tgt, *chunk)).fetchall()
            for source, *rest in rows:
                out.setdefault(source, []).append(Event(*rest))
        return out

    def search(self, text: str, tgt: str | None = None, limit: int = 50) -> list[MemoryUnit]:
        """Concordance: units whose source or target contains `text`, case-folded (Kazakh,
        Russian and German letters too, which SQLite's LIKE does not fold), translator
        decisions first, newest first."""
        # A Python function for the fold: SQLite's lower() and LIKE only know ASCII.
        self._db.create_function("mt_fold", 1, lambda value: (value or "").casefold(), deterministic=True)
        needle = text.casefold()
        where = "(instr(mt_fold(source), ?) > 0 OR instr(mt_fold(target), ?) > 0)" + (" AND tgt_lang=?" if tgt else "")
        params = (needle, needle, *((tgt,) if tgt else ()))
        with self._guard("read"):
            rows = self._db.execute(
                f"SELECT src_lang, tgt_lang, source, target, origin, creator, created, changed, key FROM units "
                f"WHERE {where} ORDER BY origin='machine', origin='approved', COALESCE(changed, created) DESC "
                f"LIMIT ?", (*params, limit)).fetchall()
        return [MemoryUnit(*row) for row in rows]

    def _candidates(self, src: str, tgt: str, origins: Sequence[str]) -> dict[str, tuple[str, str]]:
        marks = ",".join("?" * len(origins))
        with self._guard("read"):
            rows = self._db.execute(f"SELECT source, target, origin FROM units WHERE src_lang=? AND tgt_lang=? "
                                    f"AND target != '' AND origin IN ({marks}) "
                                    f"ORDER BY origin = 'human', origin = 'approved'",
                                    (src, tgt, *origins)).fetchall()
        # Machine rows first, then approved, then human: for one source the later row wins.
        return {source: (target, origin) for source, target, origin in rows}

    def fuzzy(self, source: str, src: str, tgt: str, limit: int = 3, cutoff: float = 75.0,
              origins: Sequence[str] = (MACHINE, HUMAN)) -> list[FuzzyMatch]:
        """Close previous translations of similar sentences (any key), best first."""
        return self.fuzzy_many([source], src, tgt, limit, cutoff, origins)[0]

    def fuzzy_many(self, sources: Sequence[str], src: str, tgt: str, limit: int = 3, cutoff: float = 75.0,
                   origins: Sequence[str] = (MACHINE, HUMAN)) -> list[list[FuzzyMatch]]:
        """fuzzy() for several sentences, reading the memory once. Similarity is
        rapidfuzz's normalised Indel ratio (0-100) over the whole sentence, the kind of
        percentage CAT tools show; an identical source is not a fuzzy match."""
        candidates = self._candidates(src, tgt, origins)
        if not candidates:
            return [[] for _ in sources]
        choices = list(candidates)
        out = []
        for source in sources:
            best = process.extract(source, choices, scorer=fuzz.ratio, limit=limit + 1, score_cutoff=cutoff)
            out.append([FuzzyMatch(round(score, 1), text, *candidates[text])
                        for text, score, _ in best if text != source][:limit])
        return out

    def stats(self) -> dict:
        with self._guard("read"):
            pairs = self._db.execute(
                "SELECT src_lang, tgt_lang, COUNT(*), COUNT(DISTINCT CASE WHEN origin='machine' THEN key END), "
                "SUM(origin='human'), SUM(origin='approved') FROM units GROUP BY 1, 2 ORDER BY 1, 2")
            rows = pairs.fetchall()
        by_pair = {f"{s}-{t}": {"units": n, "keys": k, "human": h or 0} for s, t, n, k, h, _ in rows}
        human = sum(v["human"] for v in by_pair.values())
        approved = sum(a or 0 for *_, a in rows)
        units = sum(v["units"] for v in by_pair.values())
        return {"path": str(self.path), "units": units, "human": human, "approved": approved,
                "machine": units - human - approved,
                "size_bytes": self.path.stat().st_size if self.path.exists() else 0, "pairs": by_pair}

    def clear(self) -> int:
        with self._write() as db:
            db.execute("DELETE FROM history")
            return db.execute("DELETE FROM units").rowcount

    def units(self) -> Iterator[tuple[str, str, str, str]]:
        with self._guard("read"):
            yield from self._db.execute("SELECT src_lang, tgt_lang, source, target FROM units ORDER BY created, source")

    def memory_units(self, human_only: bool = False) -> list[MemoryUnit]:
        """Every stored unit (or only translators' ones: human and approved), oldest first."""
        where = "WHERE origin IN ('human', 'approved')" if human_only else ""
        with self._guard("read"):
            rows = self._db.execute(f"SELECT src_lang, tgt_lang, source, target, origin, creator, created, changed, "
                                    f"key FROM units {where} ORDER BY created, tgt_lang, source, origin").fetchall()
        return [MemoryUnit(*row) for row in rows]



def _write_record(t: Translation) -> str:
    """A unit's notes and term record as JSON ("" when there is nothing to keep)."""
    if not t.notes and not t.terms:
        return ""
    return json.dumps({"notes": [asdict(n) for n in t.notes], "terms": [asdict(c) for c in t.terms]},
                      ensure_ascii=False, sort_keys=True)


def _read_record(text: str) -> tuple[tuple[Note, ...], tuple[TermCheck, ...]]:
    """What _write_record kept; a record this version cannot read counts as empty."""
    if not text:
        return (), ()
    try:
        data = json.loads(text)
        return (tuple(Note(**n) for n in data.get("notes", ())),
                tuple(TermCheck(**c) for c in data.get("terms", ())))
    except (ValueError, TypeError, AttributeError):
        return (), ()
