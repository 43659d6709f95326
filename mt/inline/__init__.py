"""Inline formatting through translation: the pipeline step.

Only releases whose Document has `markup` go this way (see translate_release):
translate_tagged writes the spans of each sentence as placeholder tags (mt.tags), lets
the plain path translate the tagged sentences, and turns the tags in the output back
into Translation.spans (mt.inline.spans), which the format writers apply. A tag the
model lost is put back and reported as a QA finding (check "inline-tag") so the
translator looks at it. The alignment file and the QA report see the plain
sentences, as for any other format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from mt.glossary.match import Matcher, match_segments
from mt.glossary.verify import find_target
from mt.inline.spans import Repair, restore, sentence_spans, whole_terms
from mt.tags import Tagged, strip_tags, tag_sentence, without_tags
from mt.types import (
    Document,
    Finding,
    FuzzyMatch,
    GlossaryEntry,
    Memory,
    MemoryHit,
    Prepared,
    ReleaseResult,
    TermHit,
    Translation,
)


def translate_tagged(prepared: Prepared, inner: Callable[[Prepared, Memory | None], ReleaseResult],
                     memory: Memory | None, entries: Sequence[GlossaryEntry] = ()) -> ReleaseResult:
    """Translation of a Document with markup, wrapped around the plain path: `inner`
    translates the tagged sentences (with `memory`, seen through the plain text for a
    translator's translations); the tags become Translation.spans. A span whose edge
    falls inside a glossary term of `entries` is widened to the whole term first, so
    that no tag cuts a term (the glossary would not find it). The release-wide QA is
    the caller's, on what this returns."""
    document = prepared.document
    segments = list(prepared.segments)
    terms = match_segments(segments, Matcher(entries)) if entries else []
    per_sentence = [whole_terms(spans, [(h.start, h.end) for h in terms if h.segment == s.index])
                    for s, spans in zip(segments, sentence_spans(document, segments), strict=True)]
    tagged = [tag_sentence(s.text, spans) for s, spans in zip(segments, per_sentence, strict=True)]
    tagged_segments = tuple(replace(s, text=t.text) for s, t in zip(segments, tagged, strict=True))
    seen = _HumansByPlainText(memory, {t.text: t.plain for t in tagged}) if memory is not None else None
    result = inner(Prepared(document, tagged_segments), seen)
    hits = [_plain_hit(hit, tagged[hit.segment]) for hit in result.hits]
    translations: dict[str, tuple[Translation, ...]] = {}
    repairs: list[Finding] = []
    for lang, items in result.translations.items():
        restored = []
        for t in items:
            seg_hits = [h for h in hits if h is not None and h.segment == t.segment]
            text, spans, fixes = _restore_one(t, tagged[t.segment], seg_hits, lang)
            restored.append(replace(t, source=segments[t.segment].text, text=text, spans=spans))
            repairs += [_repair_finding(document, t.segment, lang, fix, tagged[t.segment].plain) for fix in fixes]
        translations[lang] = tuple(restored)
    # Memory matches were looked up with the tagged sentences: show them without tags.
    matches = tuple(replace(m, source=without_tags(m.source), target=without_tags(m.target)) for m in result.matches)
    findings = [replace(f, message=without_tags(f.message)) for f in result.findings] + repairs
    return ReleaseResult(document, tuple(segments), tuple(h for h in hits if h is not None), translations,
                         tuple(findings), matches)


class _HumansByPlainText:
    """The translation memory as the tagged sentences see it: a translator's
    translation of the plain sentence (post-edited in XLIFF, which shows no tags)
    serves the tagged one; its formatting is then put back as for lost tags."""

    def __init__(self, memory: Memory, plain: dict[str, str]) -> None:
        self._memory = memory
        self._plain = plain

    def put_many(self, sources: Sequence[str], targets: Sequence[str], src: str, tgt: str, key: str,
                 creator: str = "", records: Sequence[Translation] | None = None) -> None:
        self._memory.put_many(sources, targets, src, tgt, key, creator, records)

    def fuzzy_many(self, sources: Sequence[str], src: str, tgt: str, limit: int = 3, cutoff: float = 75.0,
                   origins: Sequence[str] = ("machine", "human")) -> list[list[FuzzyMatch]]:
        return self._memory.fuzzy_many(sources, src, tgt, limit, cutoff, origins)

    def lookup_many(self, sources: Sequence[str], src: str, tgt: str, key: str) -> list[MemoryHit | None]:
        hits = self._memory.lookup_many(sources, src, tgt, key)
        plain = [self._plain.get(s, s) for s in sources]
        todo = [i for i, hit in enumerate(hits) if plain[i] != sources[i] and (hit is None or hit.origin != "human")]
        people = self._memory.lookup_many([plain[i] for i in todo], src, tgt, key) if todo else []
        for i, hit in zip(todo, people, strict=True):
            if hit is not None and hit.origin == "human":
                hits[i] = hit
        return hits


def _plain_hit(hit: TermHit, tagged: Tagged) -> TermHit | None:
    """A term hit in the tagged sentence, offsets moved to the plain sentence."""
    inside = [tagged.to_plain[i] for i in range(hit.start, min(hit.end, len(tagged.to_plain)))
              if tagged.to_plain[i] >= 0]
    return replace(hit, start=inside[0], end=inside[-1] + 1) if inside else None


def _restore_one(t: Translation, tagged: Tagged, hits: Sequence[TermHit], lang: str):
    if not tagged.spans:
        return t.text, (), ()
    required = {term.id: term.required for term in t.terms if term.found}
    stripped, _ = strip_tags(t.text, tagged)
    anchors = []
    for hit in hits:
        where = find_target(stripped, required[hit.id], lang) if hit.id in required else None
        if where is not None:
            anchors.append((hit.start, hit.end, *where))
    return restore(t.text, tagged, anchors)


_WHERE = {
    "glossary": "put back around the glossary term it holds",
    "open-tag": "put back after the tag that survived",
    "close-tag": "put back before the tag that survived",
    "position": "put back at the same relative position",
    "term": "widened to the whole glossary term it holds",
    "moved": "moved so that it splits no glossary term and overlaps no other formatting",
    "dropped": "left out: every word of the sentence is a glossary term or other formatting",
}


def _repair_finding(document: Document, segment: int, lang: str, fix: Repair, plain: str) -> Finding:
    what = document.marks[fix.span.mark] if fix.span.mark < len(document.marks) else "formatting"
    source = plain[fix.span.start:fix.span.end]
    on = f" on '{source}'" if source.strip() else ""
    model = "dropped the tag" if fix.lost else "placed the tags"
    return Finding(segment, "inline-tag", "warning", f"the model {model} of {what}{on}: {_WHERE[fix.how]}; check it", lang)
