"""Inline formatting through translation: placeholder tags the engines keep.

A sentence with inline spans (a bold word, a link, inline code) goes to the engine
with Latin letter+digit tags, the way mt.glossary.enforce masks glossary terms as
ZX1 (NLLB-200 copies such tokens): ZB1 ... ZE1 around span 1, and ZM1 in place of
masked content (inline code, an image, a line break), which is put back as it was.
After translation the tags are taken out again; where they stood becomes the
translation's spans (Translation.spans), which the format writers apply.

A tag the model dropped, garbled or put in the wrong order is put back, never lost:
around the words the glossary aligns with the span's source (a term inside the bold
words), else next to the surviving half of the pair, else over the words at the same
relative position in the sentence; each such repair is a QA finding (check
"inline-tag") so the translator looks at it. A span over the whole sentence needs no
tags (it covers the whole translation).

Only releases whose Document has `markup` go this way (see translate_release); the
alignment file and the QA report see the plain sentences, as for any other format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from mt.glossary.verify import find_target
from mt.types import (
    Document,
    Finding,
    FuzzyMatch,
    Memory,
    MemoryHit,
    Prepared,
    ReleaseResult,
    Segment,
    Span,
    TermHit,
    Translation,
)

OPEN, CLOSE, MASK = "ZB{n}", "ZE{n}", "ZM{n}"
# What a model may make of a tag: case changes, a space inside, Cyrillic look-alikes
# (З В Е М), a case suffix it attached (ZE1-де).
_TAG_RE = re.compile(r"(?<!\w)[ZzЗз]\s?([BbВвEeЕеMmМм])\s?(\d{1,2})(?:-[^\W\d_]{1,4})?(?!\w)")
_KINDS = {"b": "open", "в": "open", "e": "close", "е": "close", "m": "mask", "м": "mask"}
_NO_SPACE_BEFORE = set(",.;:!?)]}»”’…%")
_TRAILING = ",.;:!?)]}»”’…\"'"
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Tagged:
    """One sentence as the engine sees it. `spans` are the sentence's own (offsets
    into `plain`); `numbers[k]` is span k's tag number, 0 when it needs no tag."""

    plain: str
    text: str
    spans: tuple[Span, ...]
    numbers: tuple[int, ...]
    to_plain: tuple[int, ...]  # index in `text` -> index in `plain`, -1 inside a tag


@dataclass(frozen=True)
class Repair:
    """A span whose tags the model lost, and how it was put back."""

    span: Span
    how: str  # "glossary", "open-tag", "close-tag", "position"


def blank_tags(text: str) -> str:
    """`text` with each tag replaced by as many spaces (offsets unchanged)."""
    return _TAG_RE.sub(lambda m: " " * len(m.group()), text)


def without_tags(text: str) -> str:
    """`text` with tags removed (for display)."""
    if not _TAG_RE.search(text):
        return text
    return re.sub(r" +([,.;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", _TAG_RE.sub("", text))).strip()


# -- source side ---------------------------------------------------------------------

def _whole(plain: str, span: Span) -> bool:
    words = [m.span() for m in re.finditer(r"\w+", plain)]
    return bool(words) and span.start <= words[0][0] and span.end >= words[-1][1]


def tag_sentence(plain: str, spans: Sequence[Span]) -> Tagged:
    """`plain` with tags for `spans` (offsets into `plain`)."""
    spans = tuple(sorted(spans, key=lambda s: (s.start, -s.end, s.mark)))
    numbers, n = [], 0
    for span in spans:
        tag = span.mask or not _whole(plain, span)
        n += tag
        numbers.append(n if tag else 0)
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    masked: dict[int, tuple[int, str]] = {}
    for span, number in zip(spans, numbers):
        if not number:
            continue
        if span.mask:
            masked[span.start] = (span.end, MASK.format(n=number))
        else:
            opens.setdefault(span.start, []).append(OPEN.format(n=number))
            closes.setdefault(span.end, []).insert(0, CLOSE.format(n=number))  # inner first
    out: list[str] = []
    back: list[int] = []
    pending = False  # a space is owed after a tag

    def token(text: str) -> None:
        nonlocal pending
        if out and not out[-1].isspace():
            out.append(" ")
            back.append(-1)
        out.extend(text)
        back.extend([-1] * len(text))
        pending = True

    def char(i: int) -> None:
        nonlocal pending
        c = plain[i]
        if pending and not c.isspace() and c not in _NO_SPACE_BEFORE:
            out.append(" ")
            back.append(-1)
        if not (c.isspace() and out and out[-1].isspace()):
            out.append(c)
            back.append(i)
        pending = False

    i = 0
    while i <= len(plain):
        for tag in closes.get(i, ()):
            token(tag)
        for tag in opens.get(i, ()):
            token(tag)
        if i in masked:
            end, tag = masked[i]
            token(tag)
            if end > i:  # the content is not sent
                i = end
                continue
        if i < len(plain):
            char(i)
        i += 1
    while out and out[-1].isspace():
        out.pop()
        back.pop()
    return Tagged(plain, "".join(out), spans, tuple(numbers), tuple(back))


# -- target side ---------------------------------------------------------------------

def _strip_tags(output: str, tagged: Tagged) -> tuple[str, dict[tuple[str, int], int]]:
    """The output without tags (masks replaced by their content); where each tag
    stood first, as (kind, number) -> offset in the returned text."""
    contents = {number: tagged.plain[s.start:s.end]
                for s, number in zip(tagged.spans, tagged.numbers) if number and s.mask}
    built = ""
    where: dict[tuple[str, int], int] = {}
    pos = 0
    for m in _TAG_RE.finditer(output):
        built += output[pos:m.start()]
        pos = m.end()
        kind, number = _KINDS[m.group(1).lower()], int(m.group(2))
        known = number in contents if kind == "mask" else number in tagged.numbers and number > 0
        if (kind, number) in where or not known:
            kind = "junk"
        rest = output[pos:]
        if kind == "mask":
            where[(kind, number)] = len(built)
            built += contents[number]
            continue
        # A removed tag leaves one space at most, none before closing punctuation.
        if built.endswith(" ") and (not rest[:1] or rest[:1].isspace() or rest[:1] in _NO_SPACE_BEFORE):
            built = built.rstrip(" ")
        if kind != "junk":
            where[(kind, number)] = len(built) + (1 if kind == "open" and built and rest[:1].isspace() else 0)
        if not built:
            pos += len(rest) - len(rest.lstrip())
    built += output[pos:]
    text = re.sub(r"[ \t]{2,}", " ", built)
    if text != built:  # collapsing spaces moved offsets: recompute them on the collapsed text
        where = {key: len(re.sub(r"[ \t]{2,}", " ", built[:at])) for key, at in where.items()}
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    return stripped, {key: max(0, min(len(stripped), at - lead)) for key, at in where.items()}


def _words(text: str) -> list[tuple[int, int]]:
    """Word spans of `text`, closing punctuation after a word left out."""
    found = []
    for m in _WORD.finditer(text):
        word = m.group().rstrip(_TRAILING) or m.group()
        found.append((m.start(), m.start() + len(word)))
    return found


def _by_position(text: str, plain: str, span: Span) -> tuple[int, int]:
    """The target words at the same relative position as the span in the source."""
    words = _words(text)
    if not words:
        return 0, len(text)
    size = max(1, len(plain))
    src_words = max(1, len(_WORD.findall(plain[span.start:span.end])))
    middle = (span.start + span.end) / 2
    first = min(len(words) - 1, int(middle / size * len(words)))
    last = min(len(words) - 1, first + src_words - 1)
    return words[first][0], words[last][1]


def _after(text: str, at: int, n: int) -> tuple[int, int] | None:
    words = [w for w in _words(text) if w[0] >= at]
    return (words[0][0], words[min(n, len(words)) - 1][1]) if words else None


def _before(text: str, at: int, n: int) -> tuple[int, int] | None:
    words = [w for w in _words(text) if w[1] <= at]
    return (words[-min(n, len(words))][0], words[-1][1]) if words else None


def restore(output: str, tagged: Tagged, anchors: Sequence[tuple[int, int, int, int]] = ()
            ) -> tuple[str, tuple[Span, ...], tuple[Repair, ...]]:
    """Translation with tags -> (plain translation, its spans, repairs). `anchors`
    are (source start, source end, target start, target end) of glossary terms found
    in both, the first choice for putting back a span whose tags were lost."""
    text, where = _strip_tags(output, tagged)
    spans: list[Span] = []
    repairs: list[Repair] = []
    for span, number in zip(tagged.spans, tagged.numbers):
        if not number:
            spans.append(Span(0, len(text), span.mark, span.mask))
            continue
        if span.mask:
            at = where.get(("mask", number))
            length = span.end - span.start
            if at is None:  # dropped: put the content back at its relative position
                at = _by_position(text, tagged.plain, span)[0] if text else 0
                content = tagged.plain[span.start:span.end]
                before = " " if at and not text[at - 1].isspace() else ""
                after = " " if content and at < len(text) and not text[at].isspace() else ""
                if before:
                    text, at = text[:at] + before + text[at:], at + 1
                    spans = [_shifted(s, at - 1, 1) for s in spans]
                    where = {k: (v + 1 if v >= at else v) for k, v in where.items()}
                length += len(after)
                text = text[:at] + content + after + text[at:]
                spans = [_shifted(s, at, length) for s in spans]
                where = {k: (v + length if v > at or (v == at and k[0] != "open") else v) for k, v in where.items()}
                repairs.append(Repair(span, "position"))
            spans.append(Span(at, at + span.end - span.start, span.mark, True))
            continue
        found = _wrapped(text, where.get(("open", number)), where.get(("close", number)))
        if found is None:
            found, how = _put_back(text, tagged, span, where.get(("open", number)),
                                   where.get(("close", number)), anchors)
            repairs.append(Repair(span, how))
        spans.append(Span(found[0], found[1], span.mark, False))
    return text, tuple(spans), tuple(repairs)


def _shifted(span: Span, at: int, length: int) -> Span:
    start = span.start + length if span.start >= at and not (span.start == at and span.mask) else span.start
    end = span.end + length if span.end > at else span.end
    return Span(start, end, span.mark, span.mask)


def _wrapped(text: str, start: int | None, end: int | None) -> tuple[int, int] | None:
    if start is None or end is None or start >= end:
        return None
    inner = text[start:end]
    start += len(inner) - len(inner.lstrip())
    end -= len(inner) - len(inner.rstrip())
    return (start, end) if start < end else None


def _put_back(text: str, tagged: Tagged, span: Span, start: int | None, end: int | None,
              anchors: Sequence[tuple[int, int, int, int]]) -> tuple[tuple[int, int], str]:
    inside = [(ts, te) for ss, se, ts, te in anchors if ss < span.end and span.start < se]
    if inside:
        return (min(s for s, _ in inside), max(e for _, e in inside)), "glossary"
    n = max(1, len(_WORD.findall(tagged.plain[span.start:span.end])))
    if start is not None and (found := _after(text, start, n)):
        return found, "open-tag"
    if end is not None and (found := _before(text, end, n)):
        return found, "close-tag"
    return _by_position(text, tagged.plain, span), "position"


# -- blocks and sentences ------------------------------------------------------------

def sentence_spans(document: Document, segments: Sequence[Segment]) -> list[tuple[Span, ...]]:
    """Each segment's spans, offsets into the segment's text: spans are clipped to the
    sentences they overlap; a mask between two sentences (a line break after a full
    stop) goes to the next sentence of its block (else the previous), as a point."""
    blocks = document.blocks()
    where: list[tuple[int, int]] = []
    cursor: dict[int, int] = {}
    for segment in segments:
        block = blocks[segment.paragraph]
        start = block.find(segment.text, cursor.get(segment.paragraph, 0))
        start = start if start >= 0 else max(0, block.find(segment.text))
        where.append((start, start + len(segment.text)))
        cursor[segment.paragraph] = start + len(segment.text)
    found: list[list[Span]] = [[] for _ in segments]
    for block_no, markup in enumerate(document.markup):
        mine = [i for i, s in enumerate(segments) if s.paragraph == block_no]
        for span in markup:
            overlapping = [i for i in mine if span.start < where[i][1] and span.end > where[i][0]
                           or where[i][0] <= span.start == span.end <= where[i][1]]
            for i in overlapping[:1] if span.start == span.end else overlapping:
                start, end = where[i]
                found[i].append(Span(max(span.start, start) - start, min(span.end, end) - start,
                                     span.mark, span.mask))
            if not overlapping and span.mask and mine:
                later = [i for i in mine if where[i][0] >= span.end]
                i = later[0] if later else mine[-1]
                at = 0 if later else where[i][1] - where[i][0]
                found[i].append(Span(at, at, span.mark, True))
    return [tuple(spans) for spans in found]


def block_targets(result: ReleaseResult, lang: str) -> list[tuple[str, tuple[Span, ...]]]:
    """Per block of the document: the translation (sentences joined by a space) and
    its spans; spans of one mark that meet at a sentence join become one."""
    texts: dict[int, str] = {}
    spans: dict[int, list[Span]] = {}
    for segment, translation in zip(result.segments, result.translations[lang]):
        text = translation.text.strip()
        if not text:
            continue
        shift = len(texts[segment.paragraph]) + 1 if segment.paragraph in texts else 0
        texts[segment.paragraph] = f"{texts[segment.paragraph]} {text}" if shift else text
        lead = len(translation.text) - len(translation.text.lstrip())
        joined = spans.setdefault(segment.paragraph, [])
        for s in translation.spans:
            moved = Span(max(0, s.start - lead) + shift, max(0, s.end - lead) + shift, s.mark, s.mask)
            before = next((j for j, t in enumerate(joined) if t.mark == moved.mark and not t.mask
                           and t.end == shift - 1 and moved.start == shift), None)
            if before is not None and not moved.mask:
                joined[before] = Span(joined[before].start, moved.end, moved.mark)
            else:
                joined.append(moved)
    return [(texts.get(i, ""), tuple(spans.get(i, ()))) for i in range(len(result.document.blocks()))]


def pieces(text: str, spans: Sequence[Span]) -> list[tuple[str, tuple[int, ...], int | None]]:
    """Flatten spans over `text`: (piece, marks covering it outermost first, mask) in
    order; a mask span is one piece of its own with mask = its mark. Marks are
    numbered in document order, so a lower number is the outer element."""
    cuts = sorted({0, len(text), *(min(max(0, s.start), len(text)) for s in spans),
                   *(min(max(0, s.end), len(text)) for s in spans)})
    masks = sorted((s for s in spans if s.mask), key=lambda s: s.start)
    wraps = [s for s in spans if not s.mask]
    out: list[tuple[str, tuple[int, ...], int | None]] = []
    for a, b in zip(cuts, cuts[1:] + [None]):
        for m in masks:
            if m.start == a:
                out.append((text[m.start:m.end], _covering(wraps, m.start, max(m.end, m.start + 1), m), m.mark))
        if b is None or a >= b or any(m.start <= a and b <= m.end and m.start < m.end for m in masks):
            continue
        out.append((text[a:b], _covering(wraps, a, b), None))
    return out


def _covering(wraps: Sequence[Span], a: int, b: int, mask: Span | None = None) -> tuple[int, ...]:
    marks = {s.mark for s in wraps if s.start <= a and b <= s.end and s.start < s.end}
    if mask is not None and mask.start == mask.end:  # a point (line break, image): inside spans around it
        marks = {s.mark for s in wraps if s.start < a < s.end or (s.start <= a < s.end and a < b)}
    return tuple(sorted(marks))


# -- the pipeline step ---------------------------------------------------------------

def translate_tagged(prepared: Prepared, inner: Callable[[Prepared, Memory | None], ReleaseResult],
                     memory: Memory | None) -> ReleaseResult:
    """Translation of a Document with markup, wrapped around the plain path: `inner`
    translates the tagged sentences (with `memory`, seen through the plain text for a
    translator's translations); the tags become Translation.spans. The release-wide QA
    is the caller's, on what this returns."""
    document = prepared.document
    segments = list(prepared.segments)
    tagged = [tag_sentence(s.text, spans) for s, spans in zip(segments, sentence_spans(document, segments))]
    tagged_segments = tuple(replace(s, text=t.text) for s, t in zip(segments, tagged))
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
        for i, hit in zip(todo, people):
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
    stripped, _ = _strip_tags(t.text, tagged)
    anchors = []
    for hit in hits:
        where = find_target(stripped, required[hit.id], lang) if hit.id in required else None
        if where is not None:
            anchors.append((hit.start, hit.end, *where))
    return restore(t.text, tagged, anchors)


def _repair_finding(document: Document, segment: int, lang: str, fix: Repair, plain: str) -> Finding:
    what = document.marks[fix.span.mark] if fix.span.mark < len(document.marks) else "formatting"
    source = plain[fix.span.start:fix.span.end]
    where = {"glossary": "around the glossary term it holds", "open-tag": "after the tag that survived",
             "close-tag": "before the tag that survived", "position": "at the same relative position"}[fix.how]
    on = f" on '{source}'" if source.strip() else ""
    return Finding(segment, "inline-tag", "warning",
                   f"the model dropped the tag of {what}{on}: put back {where}; check it", lang)
