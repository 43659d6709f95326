"""Translation memory: SQLite, in the user's cache folder by default.

Exact reuse is keyed by the normalised source, the language pair and a key that names
engine, model, revision, decoding options and glossary version (mt.pipeline.memory_key),
so a changed model or glossary never reuses stale output. WAL mode lets concurrent runs
read while one writes; writers wait for each other (busy timeout) instead of failing.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mt.errors import MtError

SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    key TEXT NOT NULL,
    src_lang TEXT NOT NULL,
    tgt_lang TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (key, src_lang, tgt_lang, source)
);
CREATE INDEX IF NOT EXISTS units_pair ON units (src_lang, tgt_lang);
"""


def default_path() -> Path:
    if os.environ.get("MT_TM"):
        return Path(os.environ["MT_TM"])
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "mt" / "tm.sqlite"


@dataclass(frozen=True)
class FuzzyMatch:
    score: float
    source: str
    target: str


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
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise MtError(f"cannot open translation memory ({exc})", file=str(self.path),
                          hint="pass --tm PATH to another file, or --no-tm") from None

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the write lock up front, so two runs queue instead of
        # failing halfway through a transaction.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def get_many(self, sources: Sequence[str], src: str, tgt: str, key: str) -> list[str | None]:
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(sources))
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT source, target FROM units WHERE key=? AND src_lang=? AND tgt_lang=? AND source IN ({marks})",
                (key, src, tgt, *chunk))
            found.update(rows.fetchall())
        return [found.get(source) for source in sources]

    def put_many(self, sources: Sequence[str], targets: Sequence[str], src: str, tgt: str, key: str) -> None:
        now = time.time()
        # Empty outputs are stored too: decoding is deterministic for a key, so translating
        # again would give the same, and the QA report flags them either way.
        rows = [(key, src, tgt, s, t, now) for s, t in zip(sources, targets) if s.strip()]
        with self._write() as db:
            db.executemany("INSERT OR REPLACE INTO units VALUES (?, ?, ?, ?, ?, ?)", rows)

    def fuzzy(self, source: str, src: str, tgt: str, limit: int = 3, cutoff: float = 75.0) -> list[FuzzyMatch]:
        """Close previous translations of similar sentences (any key), best first."""
        from rapidfuzz import fuzz, process

        rows = self._db.execute("SELECT source, target FROM units WHERE src_lang=? AND tgt_lang=? AND source != ? AND target != ''",
                                (src, tgt, source)).fetchall()
        if not rows:
            return []
        targets = dict(rows)
        best = process.extract(source, list(targets), scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff)
        return [FuzzyMatch(round(score, 1), text, targets[text]) for text, score, _ in best]

    def stats(self) -> dict:
        pairs = self._db.execute(
            "SELECT src_lang, tgt_lang, COUNT(*), COUNT(DISTINCT key) FROM units GROUP BY 1, 2 ORDER BY 1, 2")
        by_pair = {f"{s}-{t}": {"units": n, "keys": k} for s, t, n, k in pairs.fetchall()}
        return {"path": str(self.path), "units": sum(v["units"] for v in by_pair.values()),
                "size_bytes": self.path.stat().st_size if self.path.exists() else 0, "pairs": by_pair}

    def clear(self) -> int:
        with self._write() as db:
            return db.execute("DELETE FROM units").rowcount

    def units(self) -> Iterator[tuple[str, str, str, str]]:
        yield from self._db.execute("SELECT src_lang, tgt_lang, source, target FROM units ORDER BY created, source")


def export_tmx(memory: TranslationMemory) -> bytes:
    """TMX 1.4b: one translation unit per stored (source, target) pair."""
    from lxml import etree

    tmx = etree.Element("tmx", version="1.4")
    etree.SubElement(tmx, "header", creationtool="mt", creationtoolversion="0.1", datatype="plaintext",
                     segtype="sentence", adminlang="en", srclang="kk", **{"o-tmf": "mt-sqlite"})
    body = etree.SubElement(tmx, "body")
    for src, tgt, source, target in memory.units():
        tu = etree.SubElement(body, "tu")
        for lang, text in ((src, source), (tgt, target)):
            tuv = etree.SubElement(tu, "tuv", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
            etree.SubElement(tuv, "seg").text = text
    return etree.tostring(tmx, xml_declaration=True, encoding="UTF-8", pretty_print=True)
