"""One release under review: what `mt translate` wrote, read back, and the two things
a translator changes through the page.

State comes from the files `mt translate` wrote beside the release (or in its --out
folder): RELEASE.align.jsonl (every sentence, each draft with its origin and glossary
term record) and RELEASE.qa.json (the run's metadata and every QA finding). Nothing is
translated here and no model is loaded.

- save_edit: a translator's sentence goes into the translation memory as a human
  translation (TranslationMemory.import_units, the path `mt tm import` takes), the
  drafts, alignment and QA report are rendered again by mt.output and written with
  mt.io.write_files_atomically, and QA for that sentence runs again
  (mt.pipeline.sentence_findings). Drafts that carry inline formatting (md, docx, html
  of a formatted release) are left to `mt translate --force` (see kept_formats).
- accept_name: a proposed glossary row (mt.glossary.proposals, as `mt glossary
  suggest` prints them) goes into a glossary file through mt.glossary.store.add_entry,
  the code behind `mt glossary add`.

Only files of this release (in the release's folder or the drafts' folder) and the
glossary files are ever read or written; `files()` and `glossary_targets()` are the
whitelists the web app checks names against.
"""

from __future__ import annotations

import dataclasses
import json
import re
import threading
import time
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mt import pipeline
from mt.errors import InputError, MtError
from mt.output import FORMATS, SEVERITY_ORDER, output_files, output_stem
from mt.types import Finding, GlossaryEntry, ReleaseResult, Segment, TermCheck, TermHit, Translation

# Keys of RELEASE.qa.json that are the report itself; the others are the run's metadata.
REPORT_KEYS = frozenset({"segments", "languages", "findings_by_severity", "terms", "findings"})
# The QA report's checks that re-run on an edited sentence (the others, such as tm-fuzzy
# and long-sentence-split, describe the source or the memory and stay).
TERM_CHECK = "term-enforced"
FORMATTED = ("md", "docx", "html")  # draft formats that carry the source's inline formatting
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


def clean_edit(text: str) -> str:
    """A sentence as typed into the page: NFC, line breaks and space runs made one
    space (a draft keeps one paragraph per line), trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


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


def _rerun_checks() -> frozenset[str]:
    from mt.qa import CHECKS

    return frozenset(CHECKS) | {TERM_CHECK}


class ReviewSession:
    """A release, its drafts and glossary, loaded once; edits and accepted names change
    the files and this state together (under one lock: the server runs requests in
    threads)."""

    def __init__(self, release: str | Path, out_dir: str | None = None, glossary_paths: Sequence[str] = (),
                 tm_path: str | Path | None = None, translator: str = "") -> None:
        self.release = Path(release)
        self.stem = output_stem(str(release), out_dir)
        self.roots = tuple(dict.fromkeys([self.release.resolve().parent, self.stem.parent.resolve()]))
        self.glossary_paths = tuple(str(p) for p in glossary_paths)
        self.tm_path = Path(tm_path) if tm_path else None
        self.translator = translator
        self.lock = threading.RLock()
        prepared = pipeline.prepare(self.release)
        self.document = prepared.document
        self.segments: tuple[Segment, ...] = tuple(prepared.segments)
        self.meta, self.findings, self.translations = _read_drafts(self.stem, self.segments)
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
        self._load_glossary()
        # The hits the draft files were written with: the glossary of the run, if it used one.
        self.draft_hits: tuple[TermHit, ...] = tuple(self.hits) if self.meta.get("glossary") else ()

    # ------------------------------------------------------------------ reading

    def _draft_path(self, lang: str, ext: str) -> Path:
        return self.stem.with_name(f"{self.stem.name}.{lang}.{ext}")

    def _load_glossary(self) -> None:
        from mt.glossary.match import Matcher
        from mt.glossary.store import load_glossary
        from mt.glossary.names import find_unknown_names
        from mt.glossary.proposals import propose_entries

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
                 *(self.stem.with_name(f"{self.stem.name}.{suffix}") for suffix in ("align.jsonl", "qa.md",
                                                                                   "qa.json"))]
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
        from mt.glossary.store import TYPE_FILES, default_glossary_dir, glossary_files

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
        from mt.glossary.store import TYPE_FILES, default_glossary_dir

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
        from mt.glossary.verify import find_target

        spans = []
        for term in translation.terms:
            span = find_target(translation.text, term.required, translation.lang) if term.found else None
            if span:
                spans.append((*span, term.id))
        return highlight(translation.text, spans)

    def findings_for(self, index: int, lang: str) -> list[Finding]:
        return sort_findings([f for f in self.findings if f.segment == index and f.lang == lang])

    # ------------------------------------------------------------------ changing things

    def save_edit(self, index: int, lang: str, text: str) -> list[Finding]:
        """Store a translator's sentence: memory, draft files, QA; returns the sentence's
        new findings. The files are written first (all or none); if the memory then
        refuses the unit, the files are put back as they were."""
        from mt.io import write_files_atomically

        with self.lock:
            if lang not in self.translations or not 0 <= index < len(self.segments):
                raise NotFound(f"{index}/{lang}")
            text = clean_edit(text)
            if not text:
                raise EditError("an empty translation cannot be saved: type the sentence, or leave it as it was")
            old = self.translations[lang][index]
            new = dataclasses.replace(old, text=text, terms=self._recheck_terms(old, text), origin="human")
            new_findings = pipeline.sentence_findings(new)
            rerun = _rerun_checks()
            findings = [f for f in self.findings
                        if not (f.segment == index and f.lang == lang and f.check in rerun)] + new_findings
            items = list(self.translations[lang])
            items[index] = new
            translations = {**self.translations, lang: tuple(items)}
            files = self._render(translations, findings)
            before = {path: path.read_bytes() if path.is_file() else None for path in files}
            memory = self._memory()  # a memory that cannot be opened fails before any file changes
            try:
                write_files_atomically(files)
                try:
                    self._remember(memory, new)
                except BaseException:
                    self._put_back(before)
                    raise
            finally:
                memory.close()
            self.translations, self.findings = translations, findings
            return sort_findings(new_findings)

    def _recheck_terms(self, old: Translation, text: str) -> tuple[TermCheck, ...]:
        """The term record of an edited sentence: the terms the draft had to carry,
        checked in the new text (inflection-aware, as for the drafts)."""
        from mt.glossary.verify import contains

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

    def _memory(self):
        from mt.tm import TranslationMemory

        # Opened per edit: the server answers in worker threads and SQLite
        # connections belong to the thread that opened them.
        return TranslationMemory(self.tm_path, create=True)

    def _remember(self, memory, translation: Translation) -> None:
        """The edit as a human unit, as `mt tm import` stores a post-edited one."""
        from mt.tm import HUMAN, MemoryUnit

        now = time.time()
        memory.import_units([MemoryUnit(pipeline.SOURCE_LANG, translation.lang, translation.source, translation.text,
                                        HUMAN, self.translator, now, now)])

    @staticmethod
    def _put_back(before: Mapping[Path, bytes | None]) -> None:
        from mt.io import write_files_atomically

        write_files_atomically({path: data for path, data in before.items() if data is not None})
        for path, data in before.items():
            if data is None:
                path.unlink(missing_ok=True)

    def accept_name(self, fields: Mapping[str, str]) -> tuple[GlossaryEntry, Path]:
        """Add a proposed (and possibly corrected) name to a glossary file through
        mt.glossary.store.add_entry; GlossaryError when the row is refused, Forbidden for
        a file that is not one of glossary_targets()."""
        from mt.glossary import store
        from mt.errors import GlossaryError

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
            added = store.add_entry(entry, target, glossary=self.glossary)
            self._load_glossary()
            return added, target


def _read_drafts(stem: Path, segments: Sequence[Segment]
                 ) -> tuple[dict, list[Finding], dict[str, tuple[Translation, ...]]]:
    """Metadata, findings and translations from RELEASE.qa.json and RELEASE.align.jsonl."""
    align = stem.with_name(f"{stem.name}.align.jsonl")
    report = stem.with_name(f"{stem.name}.qa.json")
    for path in (align, report):
        if not path.is_file():
            raise InputError("no drafts for this release here", file=str(path),
                             hint="run `mt translate` on the release first (pass the same --out DIR to both)")
    data = _json(report)
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise InputError("not a QA report written by mt translate", file=str(report),
                         hint="run `mt translate --force` on the release again")
    meta = {key: value for key, value in data.items() if key not in REPORT_KEYS}
    try:
        findings = [Finding(int(f["segment"]), str(f["check"]), str(f["severity"]), str(f["message"]),
                            str(f.get("lang", ""))) for f in data["findings"]]
    except (KeyError, TypeError, ValueError):
        raise InputError("a finding lacks segment, check, severity or message", file=str(report),
                         hint="run `mt translate --force` on the release again") from None
    return meta, findings, _translations(align, segments)


def _json(path: Path):
    from mt.io import decode_bytes, read_bytes

    try:
        return json.loads(decode_bytes(read_bytes(path), str(path)))
    except json.JSONDecodeError as exc:
        raise InputError(f"broken JSON ({exc.msg})", file=str(path), line=exc.lineno,
                         hint="run `mt translate --force` on the release again") from None


def _translations(align: Path, segments: Sequence[Segment]) -> dict[str, tuple[Translation, ...]]:
    from mt.io import read_lines

    lines = [line for line in read_lines(align) if line.strip()]
    stale = "the drafts are of another version of the release"
    again = "run `mt translate --force` on the release again (saved edits come back from the memory)"
    if len(lines) != len(segments):
        raise MtError(f"{stale}: {len(lines)} sentences in the drafts, {len(segments)} in the release",
                      file=str(align), hint=again)
    out: dict[str, list[Translation]] = {}
    for number, (line, segment) in enumerate(zip(lines, segments), start=1):
        try:
            row = json.loads(line)
            if row["source"] != segment.text:
                raise MtError(f"{stale}: sentence {segment.index} differs", file=str(align), line=number,
                              hint=again)
            for lang, target in row["targets"].items():
                terms = tuple(TermCheck(str(t["id"]), str(t["required"]), bool(t["found"]), str(t.get("strategy", "")))
                              for t in target.get("terms", ()))
                out.setdefault(lang, []).append(Translation(segment.index, lang, segment.text, str(target["text"]),
                                                            terms, str(target.get("origin", "engine"))))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            raise InputError("not an alignment line written by mt translate", file=str(align), line=number,
                             hint=again) from None
    if not out or any(len(items) != len(segments) for items in out.values()):
        raise InputError("the alignment does not give every sentence in every language", file=str(align),
                         hint=again)
    return {lang: tuple(items) for lang, items in out.items()}
