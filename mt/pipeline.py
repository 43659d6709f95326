"""translate_release(): the whole flow for one release, top to bottom.

read -> normalise -> segment -> match glossary terms -> translate (memory first,
then the engine, glossary terms enforced) -> QA -> ReleaseResult. Writing files is
mt.output's job; printing is the CLI's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mt.engines.base import Engine
from mt.engines.split import SplitNote, reindex
from mt.errors import LanguageError
from mt.types import (Document, Finding, GlossaryEntry, ReleaseResult, Segment, TermCheck, TermHit, TmMatch,
                      Translation)

SOURCE_LANG = "kk"
SUPPORTED_TARGETS = ("de", "en", "ru")
HUMAN_FUZZY_CUTOFF = 85.0   # a translator's translation of a similar sentence is worth showing
MACHINE_FUZZY_CUTOFF = 75.0

ProgressFactory = Callable[[int, str], "Progress"]


class Progress:
    """A no-op progress sink; the CLI passes a tqdm-backed one on a terminal."""

    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _no_progress(total: int, desc: str) -> Progress:
    return Progress()


@dataclass
class Prepared:
    document: Document
    segments: list[Segment]


def prepare(path: str | Path) -> Prepared:
    """Read, normalise and segment a release file."""
    from mt.formats import read_release
    from mt.normalize import normalize_document
    from mt.segment import segment_document

    document = read_release(path)
    if not document.markup:  # readers of formats with inline markup normalise run by run
        document = normalize_document(document)
    return Prepared(document, segment_document(document))


def check_targets(targets: Sequence[str]) -> list[str]:
    unknown = [t for t in targets if t not in SUPPORTED_TARGETS]
    if unknown:
        raise LanguageError(f"unknown target language '{unknown[0]}'",
                            hint=f"use one or more of {','.join(SUPPORTED_TARGETS)}")
    return list(dict.fromkeys(targets))


def match_terms(segments: Sequence[Segment], entries: Sequence[GlossaryEntry]) -> list[TermHit]:
    if not entries:
        return []
    from mt.glossary.match import Matcher, match_segments

    return match_segments(segments, Matcher(entries))


class _LazyEngine:
    """Loads the model only when a sentence actually needs translating, so a
    release fully served by the translation memory never touches the model."""

    def __init__(self, loader: Callable[[], Engine]) -> None:
        self._loader = loader
        self._engine: Engine | None = None

    @property
    def loaded(self) -> bool:
        return self._engine is not None

    def get(self) -> Engine:
        if self._engine is None:
            self._engine = self._loader()
        return self._engine


def _translate_new(engine: Engine, sentences: list[str], hits: list[list[TermHit]],
                   entries: dict[str, GlossaryEntry], targets: list[str]
                   ) -> dict[str, list[tuple[str, tuple[TermCheck, ...]]]]:
    """Translate sentences into every target; glossary terms enforced when any were found."""
    if entries:
        # Also without hits: enforcement transliterates names that have no entry.
        from mt.glossary.enforce import translate_with_terms

        return translate_with_terms(engine, sentences, hits, entries, SOURCE_LANG, targets)
    plain = engine.translate_many(sentences, SOURCE_LANG, targets)
    return {lang: [(text, ()) for text in texts] for lang, texts in plain.items()}


def _recheck_terms(text: str, hits: list[TermHit], entries: dict[str, GlossaryEntry],
                   lang: str) -> tuple[TermCheck, ...]:
    """Term record for a translation that came from the memory."""
    if not hits:
        return ()
    from mt.glossary.verify import contains

    seen: dict[str, TermCheck] = {}
    for hit in hits:
        entry = entries.get(hit.id)
        if entry is not None and hit.id not in seen:
            seen[hit.id] = TermCheck(hit.id, entry.target(lang), contains(text, entry, lang), "tm")
    return tuple(seen.values())


def translate_release(prepared: Prepared, targets: Sequence[str], engine_loader: Callable[[], Engine],
                      entries: Sequence[GlossaryEntry] = (), memory=None, memory_key: str = "",
                      run_qa: bool = True, progress: ProgressFactory = _no_progress,
                      signature: str = "") -> ReleaseResult:
    """Translate one prepared release into `targets` (see _translate_plain). A document
    with inline markup (docx, html, md) is translated with placeholder tags (mt.inline)."""
    kwargs = dict(engine_loader=engine_loader, entries=entries, memory=memory, memory_key=memory_key,
                  progress=progress, signature=signature)
    if prepared.document.markup:
        from mt.inline import translate_tagged

        return translate_tagged(prepared, targets, _translate_plain, run_qa=run_qa, **kwargs)
    return _translate_plain(prepared, targets, run_qa=run_qa, **kwargs)


def _translate_plain(prepared: Prepared, targets: Sequence[str], engine_loader: Callable[[], Engine],
                     entries: Sequence[GlossaryEntry] = (), memory=None, memory_key: str = "",
                     run_qa: bool = True, progress: ProgressFactory = _no_progress,
                     signature: str = "") -> ReleaseResult:
    """Translate one prepared release into `targets`.

    `memory` is an mt.tm.TranslationMemory (or None); `memory_key` identifies engine,
    model, options and glossary version so that a machine translation is only reused
    when all match. A human translation in the memory wins over both the stored machine
    translation and the engine. `signature` names engine and model on new machine units.
    """
    targets = check_targets(targets)
    segments = prepared.segments
    hits = match_terms(segments, entries)
    by_id = {entry.id: entry for entry in entries}
    hits_per_segment: list[list[TermHit]] = [[] for _ in segments]
    for hit in hits:
        hits_per_segment[hit.segment].append(hit)

    sources = [segment.text for segment in segments]
    engine = _LazyEngine(engine_loader)
    results: dict[str, list[Translation | None]] = {lang: [None] * len(segments) for lang in targets}

    todo: set[int] = set()
    human: dict[str, set[int]] = {lang: set() for lang in targets}
    for lang in targets:
        cached = memory.lookup_many(sources, SOURCE_LANG, lang, memory_key) if memory else [None] * len(sources)
        for i, hit in enumerate(cached):
            if hit is None:
                todo.add(i)
                continue
            # A translator's decision (a human translation, or machine output they
            # confirmed: "approved") keeps its origin and is never replaced by the engine.
            origin = hit.origin if hit.origin in ("human", "approved") else "tm"
            if origin != "tm":
                human[lang].add(i)
            terms = _recheck_terms(hit.target, hits_per_segment[i], by_id, lang)
            results[lang][i] = Translation(i, lang, sources[i], hit.target, terms, origin=origin)

    order = sorted(todo)
    engine_findings: list[Finding] = []
    if order:
        bar = progress(len(order) * len(targets), "translating")
        notes = getattr(engine.get(), "notes", [])
        seen_notes = len(notes)

        def store(part: list[str], done: dict[str, list[tuple[str, tuple[TermCheck, ...]]]]) -> None:
            # Each chunk goes into the memory as soon as it is done, so a run killed in the
            # middle of a long release continues from there (mt.batch resumes on it).
            for lang in targets:
                memory.put_many(part, [t for t, _ in done[lang]], SOURCE_LANG, lang, memory_key,
                                creator=signature or memory_key)

        translated = _translate_in_chunks(engine.get(), [sources[i] for i in order],
                                          [hits_per_segment[i] for i in order], by_id, targets, bar,
                                          store=store if memory else None)
        bar.close()
        engine_findings = _note_findings(notes[seen_notes:], [segments[i] for i in order])
        for lang in targets:
            for i, (text, terms) in zip(order, translated[lang]):
                # A sentence another language lacked is translated into every target; a
                # translator's translation of it stays (the engine's is still stored).
                if i not in human[lang]:
                    results[lang][i] = Translation(i, lang, sources[i], text, terms)
    matches: list[TmMatch] = []
    if memory:
        for lang in targets:
            matches += fuzzy_matches(memory, sources, lang, new=set(order), served=human[lang])
        engine_findings += [_fuzzy_finding(m) for m in matches]

    translations = {lang: tuple(t for t in results[lang] if t is not None) for lang in targets}
    findings = (*engine_findings, *_qa(translations)) if run_qa else tuple(engine_findings)
    return ReleaseResult(prepared.document, tuple(segments), tuple(hits), translations, findings, tuple(matches))


def fuzzy_matches(memory, sources: Sequence[str], lang: str, new: set[int], served: set[int]) -> list[TmMatch]:
    """Similar earlier sentences, for the translator to compare: the best human
    translation at >= 85% similarity for every sentence a human translation does not
    already serve exactly; failing that, for sentences the engine just translated, the
    best machine one at >= 75% (rapidfuzz ratio over the whole sentence)."""
    wanted = [i for i in range(len(sources)) if i not in served]
    people = memory.fuzzy_many([sources[i] for i in wanted], SOURCE_LANG, lang, limit=1,
                               cutoff=HUMAN_FUZZY_CUTOFF, origins=("human",))
    machine_for = [i for i in sorted(new) if i not in served]
    machines = memory.fuzzy_many([sources[i] for i in machine_for], SOURCE_LANG, lang, limit=1,
                                 cutoff=MACHINE_FUZZY_CUTOFF, origins=("machine",))
    best: dict[int, TmMatch] = {}
    for i, found in zip(machine_for, machines):
        for m in found:
            best[i] = TmMatch(i, lang, m.score, m.source, m.target, m.origin)
    for i, found in zip(wanted, people):
        for m in found:
            best[i] = TmMatch(i, lang, m.score, m.source, m.target, m.origin)  # a human match wins
    return [best[i] for i in sorted(best)]


def _fuzzy_finding(match: TmMatch) -> Finding:
    who = "a translator" if match.origin == "human" else "machine translation"
    return Finding(match.segment, "tm-fuzzy", "info",
                   f"{match.score:.0f}% similar earlier sentence was translated (by {who}) as: {match.target}",
                   match.lang)


def _note_findings(notes: Sequence, translated: Sequence[Segment]) -> list[Finding]:
    """Sentences the engine had to translate in pieces (too long for the model); a
    note's index is the sentence's position in `translated` (see _translate_in_chunks)."""
    findings = []
    for note in notes:
        position = note.index if isinstance(note, SplitNote) else -1  # other notes are plain text
        if 0 <= position < len(translated):
            findings.append(Finding(translated[position].index, "long-sentence-split", "warning",
                                    f"{note.tokens} tokens exceed the model's {note.limit}-token limit: "
                                    f"translated in {note.pieces} pieces split at {note.how}; check the joins"))
    # A sentence is noted once per language and per enforcement retry: report it once,
    # with the first pass's figures.
    first: dict[int, Finding] = {}
    for finding in findings:
        first.setdefault(finding.segment, finding)
    return list(first.values())


def _translate_in_chunks(engine: Engine, sentences: list[str], hits: list[list[TermHit]],
                         entries: dict[str, GlossaryEntry], targets: list[str], bar: Progress,
                         chunk: int = 16, store: Callable | None = None
                         ) -> dict[str, list[tuple[str, tuple[TermCheck, ...]]]]:
    """Chunks drive the progress bar and the memory writes (`store(sentences, part)`);
    engines batch internally."""
    out: dict[str, list[tuple[str, tuple[TermCheck, ...]]]] = {lang: [] for lang in targets}
    notes = getattr(engine, "notes", None)
    for start in range(0, len(sentences), chunk):
        seen = len(notes) if notes is not None else 0
        part = _translate_new(engine, sentences[start:start + chunk], hits[start:start + chunk],
                              entries, targets)
        if notes is not None:  # a note names its sentence's position in the chunk
            reindex(notes, seen, range(start, start + chunk))
        if store is not None:
            store(sentences[start:start + chunk], part)
        for lang in targets:
            out[lang].extend(part[lang])
        bar.update(len(sentences[start:start + chunk]) * len(targets))
    return out


def _qa(translations: dict[str, tuple[Translation, ...]]) -> tuple[Finding, ...]:
    from mt.qa import run_checks

    findings: list[Finding] = []
    for lang, items in translations.items():
        sources = [t.source for t in items]
        hyps = [t.text for t in items]
        # Glossary terms are judged from the enforcement's own record (_term_findings),
        # which knows which terms were required; the QA glossary check would repeat it.
        findings.extend(run_checks(sources, hyps, SOURCE_LANG, lang, entries=None))
        findings.extend(_term_findings(items))
    return tuple(findings)


def _term_findings(items: Sequence[Translation]) -> list[Finding]:
    """Terms the enforcement could not place, or placed only by the fallback."""
    findings = []
    for t in items:
        for term in t.terms:
            if not term.found:
                findings.append(Finding(t.segment, "term-enforced", "error",
                                        f"glossary term {term.id} missing: expected '{term.required}'", t.lang))
            elif term.strategy == "fallback":
                findings.append(Finding(t.segment, "term-enforced", "warning",
                                        f"'{term.required}' ({term.id}) was inserted after the model dropped it; "
                                        "check its position and grammar", t.lang))
    return findings


def sentence_findings(translation: Translation) -> list[Finding]:
    """QA for one translation, as translate_release runs it for a whole release (the
    reference-free checks and the term record), numbered with the translation's segment.
    `mt review` re-runs this after a translator's edit."""
    import dataclasses

    from mt.qa import run_checks

    found = run_checks([translation.source], [translation.text], SOURCE_LANG, translation.lang, entries=None)
    return [dataclasses.replace(f, segment=translation.segment) for f in found] + _term_findings([translation])


def memory_key(engine: str, model: str, options, entries: Sequence[GlossaryEntry]) -> str:
    """Translation-memory key: engine, model (+revision or folder fingerprint), decoding
    options and glossary version. Computed without loading the model."""
    import hashlib
    import json

    decoding = {k: v for k, v in options.as_dict().items() if k not in ("device", "threads", "workers",
                                                                        "batch_size", "max_batch_tokens")}
    glossary = sorted((e.id, e.kk, e.en, e.de, e.ru, e.kk_variants, e.status) for e in entries)
    blob = json.dumps([engine, _model_fingerprint(model), decoding, glossary], ensure_ascii=False, default=list)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def _model_fingerprint(model: str) -> str:
    from mt.models import model_fingerprint

    return model_fingerprint(model)


def model_info(engine: str, model: str) -> dict[str, str]:
    """What a draft records about its engine, without loading the model: engine, model,
    revision (commit or folder fingerprint), licence (known hub models) and signature."""
    from mt.engines import _is_ct2_folder
    from mt.models import KNOWN_MODELS, parse_model

    if engine == "auto":
        engine = "ct2" if _is_ct2_folder(model) else "hf"
    fingerprint = _model_fingerprint(model)
    name, _, revision = fingerprint.rpartition("@")
    ref = parse_model(model)
    known = KNOWN_MODELS.get(ref.repo_id or "")
    licence = known.licence if known else "not recorded (see the model's own card or README)"
    return {"engine": engine, "model": name, "revision": revision, "licence": licence,
            "signature": f"{engine}:{fingerprint}"}
