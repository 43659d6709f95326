"""translate_release(): the one path from prepared sentences to translations.

A prepared release (read, normalised, segmented: mt.release.prepare) -> match glossary
terms -> translate (memory first, then the engine, glossary terms enforced) -> QA ->
ReleaseResult. The single-file CLI, batches, the review page and `mt eval run` all call
translate_release; nothing else hands a sentence to an engine. Reading and writing files
is the job of the layers above (mt.release, mt.output); printing is the CLI's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import replace

from mt.engines import resolve_engine
from mt.engines.base import Engine, EngineOptions
from mt.errors import LanguageError
from mt.glossary.enforce import translate_with_terms
from mt.glossary.match import Matcher, match_segments
from mt.glossary.verify import contains
from mt.inline import translate_tagged
from mt.models import KNOWN_MODELS, model_fingerprint, parse_model
from mt.progress import silent
from mt.qa.release import note_findings, recheck_sentence, release_findings
from mt.types import (
    DECISIONS,
    SOURCE_LANG,
    TARGETS,
    Document,
    Finding,
    GlossaryEntry,
    Memory,
    MemoryHit,
    Prepared,
    Progress,
    ProgressFactory,
    ReleaseResult,
    Segment,
    TermCheck,
    TermHit,
    TmMatch,
    Translation,
)

SUPPORTED_TARGETS = TARGETS
HUMAN_FUZZY_CUTOFF = 85.0   # a translator's translation of a similar sentence is worth showing
MACHINE_FUZZY_CUTOFF = 75.0
CHUNK = 16  # sentences per engine call: drives the progress bar and the memory writes


def prepared_sentences(sentences: Sequence[str], title: str = "") -> Prepared:
    """Line-aligned sentences (a test set) as a release: one paragraph and one segment
    each, no sentence splitting, so line i of the output is the translation of line i."""
    document = Document(title, tuple(sentences))
    return Prepared(document, tuple(Segment(i, i, text) for i, text in enumerate(sentences)))


def check_targets(targets: Sequence[str]) -> list[str]:
    unknown = [t for t in targets if t not in SUPPORTED_TARGETS]
    if unknown:
        raise LanguageError(f"unknown target language '{unknown[0]}'",
                            hint=f"use one or more of {','.join(SUPPORTED_TARGETS)}")
    return list(dict.fromkeys(targets))


def match_terms(segments: Sequence[Segment], entries: Sequence[GlossaryEntry]) -> list[TermHit]:
    if not entries:
        return []
    return match_segments(segments, Matcher(entries))


def translate_release(prepared: Prepared, targets: Sequence[str], engine_loader: Callable[[], Engine],
                      entries: Sequence[GlossaryEntry] = (), memory: Memory | None = None,
                      memory_key: str = "", run_qa: bool = True, progress: ProgressFactory = silent,
                      signature: str = "") -> ReleaseResult:
    """Translate one prepared release into `targets`.

    `memory` (or None) serves exact matches first; `memory_key` identifies engine,
    model, options and glossary version so that a machine translation is only reused
    when all match. A human translation in the memory wins over both the stored machine
    translation and the engine. `signature` names engine and model on new machine units.
    With `entries`, glossary terms are enforced and names without an entry are
    transliterated; without, the engine's output is taken as it is (`mt eval run --raw`).
    A document with inline markup (docx, html, md) is translated with placeholder tags
    (mt.inline wraps this function's plain path)."""
    def plain(tagged: Prepared, tagged_memory: Memory | None) -> ReleaseResult:
        return _translate_plain(tagged, targets, engine_loader, entries, tagged_memory, memory_key,
                                progress, signature)

    if prepared.document.markup:
        result = translate_tagged(prepared, plain, memory, entries)
    else:
        result = plain(prepared, memory)
    if run_qa:
        result = replace(result, findings=(*result.findings,
                                           *release_findings(result.translations, entries, result.matches)))
    return result


def _translate_plain(prepared: Prepared, targets: Sequence[str], engine_loader: Callable[[], Engine],
                     entries: Sequence[GlossaryEntry], memory: Memory | None, memory_key: str,
                     progress: ProgressFactory, signature: str) -> ReleaseResult:
    """translate_release for plain sentences, without the release-wide QA."""
    targets = check_targets(targets)
    segments = list(prepared.segments)
    hits = match_terms(segments, entries)
    by_id = {entry.id: entry for entry in entries}
    hits_per_segment: list[list[TermHit]] = [[] for _ in segments]
    for hit in hits:
        hits_per_segment[hit.segment].append(hit)

    sources = [segment.text for segment in segments]
    results: dict[str, list[Translation | None]] = {lang: [None] * len(segments) for lang in targets}
    decided: dict[str, set[int]] = {lang: set() for lang in targets}
    todo: set[int] = set()
    for lang in targets:
        cached = memory.lookup_many(sources, SOURCE_LANG, lang, memory_key) if memory else [None] * len(sources)
        for i, found in enumerate(cached):
            if found is None:
                todo.add(i)
                continue
            # A translator's decision (a human translation, or machine output they
            # confirmed: "approved") keeps its origin and is never replaced by the engine.
            if found.origin in DECISIONS:
                decided[lang].add(i)
            results[lang][i] = _from_memory(i, lang, sources[i], found, hits_per_segment[i], by_id)

    order = sorted(todo)
    if order:
        # The model is loaded only now: a release the memory serves never touches it.
        translated = _translate_new(engine_loader(), [sources[i] for i in order],
                                    [hits_per_segment[i] for i in order], by_id, targets,
                                    progress(len(order) * len(targets), "translating"),
                                    memory, memory_key, signature or memory_key)
        for lang in targets:
            for i, t in zip(order, translated[lang]):
                # A sentence another language lacked is translated into every target; a
                # translator's decision on it stays (the engine's is still stored).
                if i not in decided[lang]:
                    results[lang][i] = replace(t, segment=i)
    matches: list[TmMatch] = []
    if memory:
        for lang in targets:
            matches += fuzzy_matches(memory, sources, lang, served=decided[lang])
    translations = {lang: tuple(t for t in results[lang] if t is not None) for lang in targets}
    findings: list[Finding] = [*note_findings(translations), *(_fuzzy_finding(m) for m in matches)]
    return ReleaseResult(prepared.document, tuple(segments), tuple(hits), translations, tuple(findings),
                         tuple(matches))


def apply_decisions(result: ReleaseResult, memory: Memory | None,
                    entries: Sequence[GlossaryEntry] = ()) -> ReleaseResult:
    """Translators' decisions made while the release was being translated (a save in
    `mt review`, a `mt tm import`), read again from the memory: they replace what the
    run had for those sentences, whose QA runs again. Callers do this right before they
    write the drafts, holding the drafts' lock (mt.release.drafts_locked), so an edit
    saved during a long run is in the drafts it writes. A document with inline markup
    keeps the run's text (its spans belong to it); the next run takes the decision."""
    if memory is None or result.document.markup:
        return result
    by_id = {entry.id: entry for entry in entries}
    translations = dict(result.translations)
    findings = list(result.findings)
    for lang, items in result.translations.items():
        # Key "": translators' decisions only (machine units live under their run's key).
        found = memory.lookup_many([t.source for t in items], SOURCE_LANG, lang, "")
        changed = list(items)
        for k, (t, decision) in enumerate(zip(items, found, strict=True)):
            if decision is None or decision.origin not in DECISIONS or \
                    (decision.target, decision.origin) == (t.text, t.origin):
                continue
            hits = [h for h in result.hits if h.segment == t.segment]
            changed[k] = _from_memory(t.segment, lang, t.source, decision, hits, by_id)
            findings = recheck_sentence(findings, changed[k], entries)
        translations[lang] = tuple(changed)
    return replace(result, translations=translations, findings=tuple(findings))


def _from_memory(i: int, lang: str, source: str, found: MemoryHit, hits: Sequence[TermHit],
                 entries: dict[str, GlossaryEntry]) -> Translation:
    """A translation the memory served: the term record checked again on its text
    (keeping how each term got there when the unit recorded it), the engine's notes
    as they were when it was made."""
    origin = found.origin if found.origin in DECISIONS else "tm"
    return Translation(i, lang, source, found.target, _recheck_terms(found, hits, entries, lang),
                       origin=origin, notes=found.notes)


def _recheck_terms(found: MemoryHit, hits: Sequence[TermHit], entries: dict[str, GlossaryEntry],
                   lang: str) -> tuple[TermCheck, ...]:
    if not hits:
        return ()
    stored = {c.id: c.strategy for c in found.terms} if found.origin not in DECISIONS else {}
    seen: dict[str, TermCheck] = {}
    for hit in hits:
        entry = entries.get(hit.id)
        if entry is not None and hit.id not in seen:
            seen[hit.id] = TermCheck(hit.id, entry.target(lang), contains(found.target, entry, lang),
                                     stored.get(hit.id, "tm"))
    return tuple(seen.values())


def _translate_new(engine: Engine, sentences: list[str], hits: list[list[TermHit]],
                   entries: dict[str, GlossaryEntry], targets: list[str], bar: Progress,
                   memory: Memory | None, memory_key: str, creator: str) -> dict[str, list[Translation]]:
    """Translate in chunks (engines batch within a chunk); each chunk goes into the
    memory as soon as it is done, so a run killed in the middle of a long release
    continues from there (mt.batch resumes on it). `segment` of each Translation is its
    position in `sentences`."""
    out: dict[str, list[Translation]] = {lang: [] for lang in targets}
    for start in range(0, len(sentences), CHUNK):
        part = sentences[start:start + CHUNK]
        done = _translate_chunk(engine, part, hits[start:start + CHUNK], entries, targets)
        for lang in targets:
            if memory is not None:
                memory.put_many(part, [t.text for t in done[lang]], SOURCE_LANG, lang, memory_key,
                                creator=creator, records=done[lang])
            out[lang].extend(replace(t, segment=start + k) for k, t in enumerate(done[lang]))
        bar.update(len(part) * len(targets))
    bar.close()
    return out


def _translate_chunk(engine: Engine, sentences: list[str], hits: list[list[TermHit]],
                     entries: dict[str, GlossaryEntry], targets: list[str]) -> dict[str, list[Translation]]:
    """Every target; glossary terms enforced when a glossary is given (also without hits:
    enforcement transliterates names that have no entry)."""
    if entries:
        return translate_with_terms(engine, sentences, hits, entries, SOURCE_LANG, targets)
    plain = engine.translate_many(sentences, SOURCE_LANG, targets)
    return {lang: [Translation(i, lang, s, r.text, notes=r.notes) for i, (s, r) in enumerate(zip(sentences, rows))]
            for lang, rows in plain.items()}


def fuzzy_matches(memory: Memory, sources: Sequence[str], lang: str, served: set[int]) -> list[TmMatch]:
    """Similar earlier sentences, for the translator to compare: for every sentence a
    human translation does not already serve exactly, the best human translation at
    >= 85% similarity, failing that the best machine one at >= 75% (rapidfuzz ratio over
    the whole sentence). Whether the engine or the memory served a sentence does not
    matter: a release gets the same report either way."""
    wanted = [i for i in range(len(sources)) if i not in served]
    people = memory.fuzzy_many([sources[i] for i in wanted], SOURCE_LANG, lang, limit=1,
                               cutoff=HUMAN_FUZZY_CUTOFF, origins=("human",))
    machines = memory.fuzzy_many([sources[i] for i in wanted], SOURCE_LANG, lang, limit=1,
                                 cutoff=MACHINE_FUZZY_CUTOFF, origins=("machine",))
    best: dict[int, TmMatch] = {}
    for i, found in zip(wanted, machines):
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


def memory_key(engine: str, model: str, options: EngineOptions, entries: Sequence[GlossaryEntry]) -> str:
    """Translation-memory key: engine, model (+revision or folder fingerprint), decoding
    options and glossary version. Computed without loading the model."""
    decoding = {k: v for k, v in options.as_dict().items() if k not in ("device", "threads", "workers",
                                                                        "batch_size", "max_batch_tokens")}
    glossary = sorted((e.id, e.kk, e.en, e.de, e.ru, e.kk_variants, e.status) for e in entries)
    blob = json.dumps([engine, model_fingerprint(model), decoding, glossary], ensure_ascii=False, default=list)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def model_info(engine: str, model: str) -> dict[str, str]:
    """What a draft records about its engine, without loading the model: engine, model,
    revision (commit or folder fingerprint), licence (known hub models) and signature."""
    engine = resolve_engine(engine, model)
    fingerprint = model_fingerprint(model)
    name, _, revision = fingerprint.rpartition("@")
    known = KNOWN_MODELS.get(parse_model(model).repo_id or "")
    licence = known.licence if known else "not recorded (see the model's own card or README)"
    return {"engine": engine, "model": name, "revision": revision, "licence": licence,
            "signature": f"{engine}:{fingerprint}"}
