"""One release under review: what `mt translate` wrote, read back, and the things a
translator changes through the page.

State comes from the files `mt translate` wrote beside the release (or in its --out
folder): RELEASE.align.jsonl (every sentence, each draft with its origin and glossary
term record) and RELEASE.qa.json (the run's metadata and every QA finding), and from the
translation memory (translators' decisions and their history). Nothing is translated
here and no model is loaded.

No edit is lost, by design:
- Every request starts with refresh(): the files' signatures (inode, size, mtime) are
  compared with those last seen, and on any change the drafts are read again, so another
  `mt review` server, `mt translate --force` or a hand edit is seen at once.
- A draft file changed by hand (txt, md or XLIFF) after the alignment was written is
  compared with what the alignment says; each sentence that changed there is taken as a translator's edit (memory,
  history "disk", all files), so the next save does not write over it. A changed file
  that cannot be read sentence by sentence is never written again by this page (the page
  names it).
- Each sentence x language has a version: a hash of its text on disk and of the memory's
  decision for it. A save names the version it was based on; a stale one raises
  Conflict (both texts, nothing written).
- Saves hold a file lock (.RELEASE.drafts.lock beside the drafts, filelock; `mt translate`
  takes it too while it writes) across processes, with the re-read, the version check and the writes inside it.

States per sentence x language: machine (engine or memory output), edited (a
translator's text, saved), confirmed (Confirm: machine output kept as `approved` in the
memory, a translator's text as human with a "confirm" in its history).

accept_name: a proposed glossary row (mt.glossary.translit, as `mt glossary suggest`
prints them) goes into a glossary file through mt.glossary.edit.add_entry.

Only files of this release (in the release's folder or the drafts' folder) and the
glossary files are ever read or written; `files()` and `glossary_targets()` are the
whitelists the web app checks names against.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import threading
import time
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from mt import pipeline
from mt.errors import GlossaryError, MtError
from mt.formats import read_bilingual
from mt.glossary import edit, store
from mt.glossary.match import Matcher
from mt.glossary.names import find_unknown_names
from mt.glossary.proposals import propose_entries
from mt.glossary.store import TYPE_FILES, default_glossary_dir, glossary_files, load_glossary
from mt.glossary.verify import contains, find_target
from mt.io import write_files_atomically
from mt.output import FORMATS, output_files
from mt.qa.release import recheck_sentence
from mt.release import (
    SEVERITY_ORDER,
    align_path,
    draft_path,
    drafts_lock_path,
    load_drafts,
    output_stem,
    prepare,
    report_md_path,
    report_path,
)
from mt.tm import Event, MemoryUnit, TranslationMemory, default_path
from mt.types import (
    APPROVED,
    HUMAN,
    SOURCE_LANG,
    Finding,
    FuzzyMatch,
    GlossaryEntry,
    MemoryHit,
    ReleaseResult,
    Segment,
    TermCheck,
    TermHit,
    Translation,
)

FORMATTED = ("md", "docx", "html")  # draft formats that carry the source's inline formatting
LINE_FORMATS = ("txt", "md")  # drafts a hand edit can be read back from, sentence by sentence
MACHINE_ORIGINS = ("engine", "tm")
STATES = ("machine", "edited", "confirmed")
LOCK_TIMEOUT = 30.0  # seconds a save waits for another one on the same release
_SPACE = re.compile(r"\s+")


class NotFound(LookupError):
    """A sentence, language or file this release does not have."""


class Forbidden(PermissionError):
    """A path outside what the app may read or write."""


class EditError(ValueError):
    """An edit that cannot be saved as it is (e.g. empty)."""


@dataclass(frozen=True)
class Part:
    """A piece of a sentence as the page shows it; `term` is the glossary id when the
    piece is a glossary term."""

    text: str
    term: str = ""


@dataclass(frozen=True)
class Proposal:
    """A name without a glossary entry and the row proposed for it."""

    entry: GlossaryEntry
    surface: str
    segment: int
    count: int


@dataclass(frozen=True)
class Cell:
    """One sentence x language as it is now (files and memory)."""

    index: int
    lang: str
    translation: Translation
    state: str
    version: str
    machine: str            # the machine draft (for revert); "" when not known
    decision: MemoryHit | None    # the memory's translator decision for this source and pair
    disk: bool              # the current text came from a hand edit of a draft file

    @property
    def text(self) -> str:
        return self.translation.text

    @property
    def origin(self) -> str:
        return self.translation.origin

    @property
    def behind(self) -> bool:
        """The memory holds a translator's text the drafts lack (e.g. `mt translate`
        wrote the drafts from a memory read before that save)."""
        return self.decision is not None and self.decision.target != self.text


class _NoMemory(Exception):
    """No memory file yet: nothing decided (reading must not create one)."""


class Conflict(Exception):
    """A save based on an older version of the sentence: nothing was written."""

    def __init__(self, cell: Cell, yours: str) -> None:
        super().__init__(f"sentence {cell.index} ({cell.lang}) changed since the page was loaded")
        self.cell, self.yours = cell, yours


def clean_edit(text: str) -> str:
    """A sentence as typed into the page: NFC, line breaks and space runs made one
    space (a draft keeps one paragraph per line), trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def version_of(text: str, decision: MemoryHit | None) -> str:
    """The version of a sentence x language: its text on disk and the memory's decision."""
    unit = f"{decision.origin}\0{decision.creator}\0{decision.target}" if decision else ""
    return hashlib.sha256(f"{text}\0{unit}".encode()).hexdigest()[:16]


def state_of(translation: Translation, events: Sequence[Event]) -> str:
    """machine, edited or confirmed (see the module's docstring)."""
    if translation.origin == APPROVED:
        return "confirmed"
    if translation.origin != HUMAN:
        return "machine"
    last = events[-1] if events else None
    return "confirmed" if last and last.action == "confirm" and last.target == translation.text else "edited"


def machine_text(translation: Translation, events: Sequence[Event]) -> str:
    """The machine draft of a sentence: its text while it is one, else what the
    history recorded before the first decision replaced it."""
    if translation.origin in MACHINE_ORIGINS:
        return translation.text
    return next((e.target for e in reversed(events) if e.action == "machine"), "")


def highlight(text: str, spans: Sequence[tuple[int, int, str]]) -> list[Part]:
    """`text` cut into plain and term pieces; an overlapping span loses to the first."""
    parts, last = [], 0
    for start, end, term in sorted(spans):
        if start < last or end <= start:
            continue
        if start > last:
            parts.append(Part(text[last:start]))
        parts.append(Part(text[start:end], term))
        last = end
    if last < len(text) or not parts:
        parts.append(Part(text[last:]))
    return parts


def sort_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Errors first, then warnings, then notes; by language and check within each."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.lang, f.check, f.message))


def attribute_lines(expected: str, actual: str, texts: Sequence[str]) -> dict[int, str] | None:
    """Which sentences a hand edit of a line-based draft changed: `expected` is the
    draft as rendered from the alignment, `actual` the file, `texts` the sentences in
    order. Each changed line (or the whole file, when lines were added or removed) must
    fall inside one sentence; None when it does not (the file cannot be read back)."""
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for text in texts:
        at = expected.find(text, cursor) if text else -1
        spans.append((at, at + len(text)) if at >= 0 else None)
        cursor = at + len(text) if at >= 0 else cursor
    old, new = expected.splitlines(keepends=True), actual.splitlines(keepends=True)
    if len(old) != len(new):
        chunks = [(0, expected, actual)]
    else:
        offsets = [0]
        for line in old:
            offsets.append(offsets[-1] + len(line))
        chunks = [(offsets[n], a, b) for n, (a, b) in enumerate(zip(old, new)) if a != b]
    edits: dict[int, str] = {}
    for offset, before, after in chunks:
        prefix = len(os.path.commonprefix([before, after]))
        room = min(len(before), len(after)) - prefix
        suffix = len(os.path.commonprefix([before[::-1], after[::-1]]))
        suffix = min(suffix, room)
        low, high = offset + prefix, offset + len(before) - suffix
        owners = [i for i, span in enumerate(spans) if span and span[0] <= low and high <= span[1]]
        if len(owners) != 1:
            return None
        i = owners[0]
        start, end = spans[i]  # type: ignore[misc]
        text = clean_edit(after[start - offset:len(after) - (offset + len(before) - end)])
        if not text:
            return None
        edits[i] = text
    return edits


class ReviewSession:
    """A release under review. State is re-read from disk whenever a file changed
    (refresh); saves take the release's file lock (other processes) and `lock` (the
    server's threads)."""

    def __init__(self, release: str | Path, out_dir: str | None = None, glossary_paths: Sequence[str] = (),
                 tm_path: str | Path | None = None, translator: str = "", accept_changes: bool = False) -> None:
        self.release = Path(release)
        self.stem = output_stem(str(release), out_dir)
        self.roots = tuple(dict.fromkeys([self.release.resolve().parent, self.stem.parent.resolve()]))
        self.glossary_paths = tuple(str(p) for p in glossary_paths)
        self.tm_path = Path(tm_path) if tm_path else None
        self.translator = translator
        self.lock = threading.RLock()
        self.file_lock = FileLock(str(drafts_lock_path(self.stem)), timeout=LOCK_TIMEOUT)
        prepared = prepare(self.release, accept_changes)  # as `mt translate --accept-changes` read it
        self.document = prepared.document
        self.segments: tuple[Segment, ...] = tuple(prepared.segments)
        self.meta, self.findings, self.translations = load_drafts(self.stem, self.segments)
        self.langs = list(self.translations)
        found = [name for name, (ext, _) in FORMATS.items()
                 if any(self._draft_path(lang, ext).is_file() for lang in self.langs)]
        # The alignment does not record where a sentence's inline formatting (bold, links)
        # went in the translation, so drafts that carry it (md, docx, html) cannot be
        # rebuilt from it without losing it: those are left to `mt translate --force`,
        # which takes the edits from the memory.
        formatted = any(spans for spans in self.document.markup)
        self.kept_formats = [name for name in found if formatted and name in FORMATTED]
        self.formats = [name for name in found if name not in self.kept_formats]
        self.memory_error = ""  # why the memory could not be read, if it could not
        self.foreign: set[Path] = set()  # drafts changed by hand that cannot be read back: never written
        self._seen: tuple = ()
        self._load_glossary()
        # The hits the draft files were written with: the glossary of the run, if it used one.
        self.draft_hits: tuple[TermHit, ...] = tuple(self.hits) if self.meta.get("glossary") else ()
        with self.lock, self._locked():
            self._seen = ()
            self._refresh()

    # ------------------------------------------------------------------ reading

    def _draft_path(self, lang: str, ext: str) -> Path:
        return draft_path(self.stem, lang, ext)

    def _watched(self) -> list[Path]:
        drafts = [self._draft_path(lang, FORMATS[fmt][0]) for fmt in self.formats for lang in self.langs]
        return [align_path(self.stem), report_path(self.stem), *drafts]

    def _signature(self) -> tuple:
        out: list[tuple[str, int, int, int] | tuple[str, None]] = []
        for path in self._watched():
            try:
                st = path.stat()
                out.append((str(path), st.st_ino, st.st_size, st.st_mtime_ns))
            except OSError:
                out.append((str(path), None))
        return tuple(out)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The release's cross-process save lock (other `mt review` servers)."""
        try:
            self.file_lock.acquire()
        except Timeout:
            raise MtError(f"another save has held this release for over {LOCK_TIMEOUT:.0f} s",
                          file=self.file_lock.lock_file, hint="wait for it to finish and try again") from None
        try:
            yield
        finally:
            self.file_lock.release()

    def refresh(self) -> None:
        """Read the drafts again if any of the release's files changed since last seen
        (cheap when nothing did: a stat per file)."""
        with self.lock:
            if self._signature() == self._seen:
                return
            with self._locked():
                self._refresh()

    def _refresh(self) -> None:
        """(Lock held.) Re-read alignment and report; take hand edits of the drafts."""
        if self._signature() == self._seen:
            return
        self.meta, self.findings, self.translations = load_drafts(self.stem, self.segments)
        self.langs = list(self.translations)
        self.foreign = set()
        edits = self._disk_edits()
        if edits:
            self._apply(edits, action="disk", creator="")
        self._seen = self._signature()

    def _disk_edits(self) -> dict[tuple[int, str], str]:
        """Sentences whose text in a draft file differs from the alignment: edits made
        outside the page. Files that cannot be read back go to `foreign`."""

        expected = self._render(self.translations, self.findings)
        # Only a draft changed after the alignment was written can hold a hand edit; an
        # older one that differs is stale (e.g. `mt translate --force --format txt` left
        # the XLIFF of an earlier run) and is simply written again by the next save.
        aligned = align_path(self.stem).stat().st_mtime_ns
        edits: dict[tuple[int, str], str] = {}
        for fmt in self.formats:
            for lang in self.langs:
                path = self._draft_path(lang, FORMATS[fmt][0])
                if not path.is_file() or path not in expected or path.stat().st_mtime_ns <= aligned:
                    continue
                if not any(path.resolve().is_relative_to(root) for root in self.roots):
                    self.foreign.add(path)  # a link to elsewhere: neither read nor written through
                    continue
                want = expected[path]
                want_bytes = want.encode("utf-8") if isinstance(want, str) else want
                data = path.read_bytes()
                if data == want_bytes:
                    continue
                found: dict[int, str] | None = None
                texts = [t.text for t in self.translations[lang]]
                if fmt in LINE_FORMATS and isinstance(want, str):
                    try:
                        found = attribute_lines(want, data.decode("utf-8"), texts)
                    except UnicodeDecodeError:
                        found = None
                elif fmt in ("xliff", "xliff12", "xliff12-omegat"):
                    try:
                        units = read_bilingual(path).units
                        found = {u.index: clean_edit(u.target) for u in units
                                 if 0 <= u.index < len(texts) and clean_edit(u.target) != texts[u.index]}
                    except MtError:
                        found = None
                if found is None:
                    self.foreign.add(path)
                    continue
                for index, text in found.items():
                    if text and texts[index] != text:
                        edits.setdefault((index, lang), text)
        return edits

    def _load_glossary(self) -> None:

        self.glossary = load_glossary(list(self.glossary_paths))
        active = self.glossary.active()
        self.entries = {entry.id: entry for entry in active}
        self.hits = pipeline.match_terms(self.segments, active)
        candidates = find_unknown_names(self.segments, Matcher(active))
        self.proposals = [Proposal(entry, cand.surface, cand.segment, cand.count)
                          for cand, entry in zip(candidates, propose_entries(candidates))]

    @property
    def glossary_changed(self) -> bool:
        """Whether the glossary differs from the one the drafts were made with."""
        used = self.meta.get("glossary") or ""
        return bool(used) and used != self.glossary.version()

    def files(self) -> dict[str, Path]:
        """The release and the files `mt translate` wrote for it, by file name: all the
        app serves. A name whose real path leaves the release's folders is left out
        (a symbolic link pointing elsewhere, say)."""
        names = [self.release, *(self._draft_path(lang, FORMATS[fmt][0]) for fmt in [*self.formats, *self.kept_formats]
                                 for lang in self.langs),
                 align_path(self.stem), report_md_path(self.stem), report_path(self.stem)]
        found = {}
        for path in names:
            real = path.resolve()
            if path.is_file() and any(real.is_relative_to(root) for root in self.roots):
                found[path.name] = path
        return found

    def file(self, name: str) -> Path:
        """A file of this release by name; NotFound for anything else."""
        path = self.files().get(name)
        if path is None:
            raise NotFound(name)
        return path

    def glossary_targets(self) -> dict[str, Path]:
        """Glossary files an accepted name may go to, by the label the page offers:
        the files of the glossary and, in each glossary folder, the file for each type."""

        roots = [Path(p) for p in self.glossary_paths] or [default_glossary_dir()]
        targets: dict[str, Path] = {}
        for root in roots:
            if root.is_dir():
                for name in TYPE_FILES.values():
                    targets.setdefault(str(root / name), root / name)
        for path in glossary_files(list(self.glossary_paths)):
            targets.setdefault(str(path), path)
        return targets

    def default_target(self, entry_type: str) -> str:
        """Label of the file a name of `entry_type` goes to unless another is chosen."""

        roots = [Path(p) for p in self.glossary_paths] or [default_glossary_dir()]
        root = roots[0]
        return str(root / TYPE_FILES.get(entry_type, "terms.tsv")) if root.is_dir() else str(root)

    # ------------------------------------------------------------------ the page's view

    def source_parts(self, index: int) -> list[Part]:
        spans = [(h.start, h.end, h.id) for h in self.hits if h.segment == index]
        return highlight(self.segments[index].text, spans)

    def target_parts(self, translation: Translation) -> list[Part]:
        """The draft with the glossary terms its record found marked (as the XLIFF
        writer marks them)."""

        spans = []
        for term in translation.terms:
            span = find_target(translation.text, term.required, translation.lang) if term.found else None
            if span:
                spans.append((*span, term.id))
        return highlight(translation.text, spans)

    def findings_for(self, index: int, lang: str) -> list[Finding]:
        return sort_findings([f for f in self.findings if f.segment == index and f.lang == lang])

    def memory(self, create: bool = True) -> TranslationMemory:
        """The memory, opened per request: the server answers in worker threads and
        SQLite connections belong to the thread that opened them. create=False: for
        reading, MtError when there is none yet."""
        return TranslationMemory(self.tm_path, create=create)

    def has_memory(self) -> bool:

        return (self.tm_path or default_path()).is_file()

    def cells(self, lang: str, indexes: Sequence[int] | None = None,
              memory: TranslationMemory | None = None) -> dict[int, Cell]:
        """The current cells of `lang` (all sentences, or `indexes`), with the memory's
        decisions and history (call refresh() first)."""
        chosen = list(range(len(self.segments))) if indexes is None else list(indexes)
        sources = [self.segments[i].text for i in chosen]
        decisions: list[MemoryHit | None] = [None] * len(sources)
        history: dict[str, list[Event]] = {}
        try:
            own = memory is None
            if own and not self.has_memory():  # reading never creates the memory
                raise _NoMemory
            memory = memory or self.memory()
            try:
                decisions = memory.lookup_many(sources, SOURCE_LANG, lang, "")
                history = memory.history(sources, SOURCE_LANG, lang)
            finally:
                if own:
                    memory.close()
            self.memory_error = ""
        except _NoMemory:
            self.memory_error = ""
        except MtError as exc:  # the page still shows the drafts; a save then says what is wrong
            self.memory_error = str(exc)
        out = {}
        for i, source, decision in zip(chosen, sources, decisions):
            translation = self.translations[lang][i]
            events = history.get(source, [])
            out[i] = Cell(i, lang, translation, state_of(translation, events),
                          version_of(translation.text, decision), machine_text(translation, events), decision,
                          bool(events) and events[-1].action == "disk" and events[-1].target == translation.text)
        return out

    def cell(self, index: int, lang: str) -> Cell:
        if lang not in self.translations or not 0 <= index < len(self.segments):
            raise NotFound(f"{index}/{lang}")
        return self.cells(lang, [index])[index]

    def matches(self, index: int, lang: str, memory: TranslationMemory) -> list[FuzzyMatch]:
        """The memory's close matches for a sentence: translators' first, then by score."""
        found = memory.fuzzy(self.segments[index].text, SOURCE_LANG, lang, limit=5, cutoff=60.0,
                             origins=("machine", APPROVED, HUMAN))
        rank = {HUMAN: 0, APPROVED: 1}
        return sorted(found, key=lambda m: (rank.get(m.origin, 2), -m.score))

    def history(self, index: int, lang: str, memory: TranslationMemory) -> list[Event]:
        source = self.segments[index].text
        return memory.history([source], SOURCE_LANG, lang).get(source, [])

    # ------------------------------------------------------------------ changing things

    def save_edit(self, index: int, lang: str, text: str, version: str | None = None,
                  confirm: bool = False) -> Cell:
        """Save a translator's sentence (confirm=True: and confirm it) if `version` is
        still the sentence's version (None: whatever it is, for callers without a page);
        Conflict otherwise, with nothing written. Returns the sentence's new cell.
        Text equal to the machine draft is never stored as a human translation: saved
        it reverts to the machine draft, confirmed it is stored as approved."""
        with self.lock, self._locked():
            self._refresh()
            cell = self.cell(index, lang)
            text = clean_edit(text)
            if version is not None and version != cell.version:
                raise Conflict(cell, text)
            if not text:
                raise EditError("an empty translation cannot be saved: type the sentence, or leave it as it was")
            wanted = "confirmed" if confirm else ("machine" if text == cell.machine else "edited")
            if text == cell.text and (cell.state == wanted or (not confirm and cell.state != "machine")):
                return cell  # nothing changed
            self._apply({(index, lang): text}, action="confirm" if confirm else "edit",
                        creator=self.translator, cells={(index, lang): cell})
            self._seen = self._signature()
            return self.cell(index, lang)

    def _apply(self, edits: Mapping[tuple[int, str], str], action: str, creator: str,
               cells: Mapping[tuple[int, str], Cell] | None = None) -> None:
        """(Locks held.) Put `edits` into the drafts, the report and the memory: files
        first (all or none), then the memory; if the memory refuses, the files are put
        back as they were."""

        cells = dict(cells or {})
        langs = {lang for _, lang in edits}
        memory = self.memory()  # a memory that cannot be opened fails before any file changes
        try:
            for lang in langs:
                wanted = [i for i, code in edits if code == lang and (i, lang) not in cells]
                cells.update({(i, lang): c for i, c in self.cells(lang, wanted, memory).items()})
            translations = {lang: list(items) for lang, items in self.translations.items()}
            findings = list(self.findings)
            decisions = []
            now = time.time()
            for (index, lang), text in edits.items():
                cell = cells[(index, lang)]
                old = cell.translation
                if text == cell.machine and action != "disk":
                    origin = APPROVED if action == "confirm" else _machine_origin(cell)
                else:
                    origin = HUMAN
                new = dataclasses.replace(old, text=text, terms=self._recheck_terms(old, text), origin=origin)
                translations[lang][index] = new
                findings = recheck_sentence(findings, new, self.glossary.active())
                events = []
                if old.origin in MACHINE_ORIGINS and origin not in MACHINE_ORIGINS:  # the draft it replaces
                    events.append(Event(old.text, old.origin, "machine", "", now))
                kind = "revert" if origin in MACHINE_ORIGINS else action
                events.append(Event(text, origin, kind, creator, now))
                unit = None if origin in MACHINE_ORIGINS else MemoryUnit(
                    SOURCE_LANG, lang, old.source, text, origin, creator, now, now)
                decisions.append((unit, lang, old.source, events))
            frozen = {lang: tuple(items) for lang, items in translations.items()}
            files = {path: data for path, data in self._render(frozen, findings).items()
                     if path not in self.foreign}
            before = {path: path.read_bytes() if path.is_file() else None for path in files}
            write_files_atomically(files)
            try:
                for unit, lang, source, events in decisions:
                    memory.decide(unit, SOURCE_LANG, lang, source, events)
            except BaseException:
                self._put_back(before)
                raise
        finally:
            memory.close()
        self.translations, self.findings = frozen, findings

    def _recheck_terms(self, old: Translation, text: str) -> tuple[TermCheck, ...]:
        """The term record of an edited sentence: the terms the draft had to carry,
        checked in the new text (inflection-aware, as for the drafts)."""

        checks = []
        for term in old.terms:
            entry = self.entries.get(term.id)
            found = contains(text, entry, old.lang) if entry is not None else term.required in text
            required = entry.target(old.lang) if entry is not None else term.required
            checks.append(TermCheck(term.id, required, found, "human"))
        return tuple(checks)

    def _render(self, translations: Mapping[str, tuple[Translation, ...]],
                findings: Sequence[Finding]) -> dict[Path, str | bytes]:
        result = ReleaseResult(self.document, self.segments, self.draft_hits, dict(translations), tuple(findings))
        files: dict[Path, str | bytes] = {}
        for fmt in self.formats:
            files.update(output_files(result, self.stem, fmt, self.meta))
        if not self.formats:  # no draft to rebuild here: the alignment and report still change
            drafts = {self._draft_path(lang, FORMATS["txt"][0]) for lang in self.langs}
            files = {p: c for p, c in output_files(result, self.stem, "txt", self.meta).items() if p not in drafts}
        return files

    def render_files(self) -> dict[Path, str | bytes]:
        """What the release's files would hold now (for checking the round trip)."""
        with self.lock:
            return self._render(self.translations, self.findings)

    @staticmethod
    def _put_back(before: Mapping[Path, bytes | None]) -> None:

        write_files_atomically({path: data for path, data in before.items() if data is not None})
        for path, data in before.items():
            if data is None:
                path.unlink(missing_ok=True)

    def accept_name(self, fields: Mapping[str, str]) -> tuple[GlossaryEntry, Path]:
        """Add a proposed (and possibly corrected) name to a glossary file through
        mt.glossary.edit.add_entry; GlossaryError when the row is refused, Forbidden for
        a file that is not one of glossary_targets()."""

        with self.lock:
            entry_type = fields.get("type", "")
            if entry_type not in store.TYPES:
                raise GlossaryError(f"unknown type {entry_type!r}", hint=f"use one of {', '.join(store.TYPES)}")
            status = fields.get("status") or "approved"
            if status not in store.STATUSES:
                raise GlossaryError(f"unknown status {status!r}", hint=f"use one of {', '.join(store.STATUSES)}")
            label = fields.get("file") or self.default_target(entry_type)
            target = self.glossary_targets().get(label)
            if target is None:
                raise Forbidden(label)
            entry = GlossaryEntry(id=fields.get("id", ""), type=entry_type, kk=fields.get("kk", ""),
                                  en=fields.get("en", ""), de=fields.get("de", ""), ru=fields.get("ru", ""),
                                  status=status, note=fields.get("note", ""))
            added = edit.add_entry(entry, target, glossary=self.glossary)
            self._load_glossary()
            return added, target


def _machine_origin(cell: Cell) -> str:
    """The origin a reverted sentence gets back: the machine draft's own, if recorded."""
    return cell.origin if cell.origin in MACHINE_ORIGINS else "engine"
