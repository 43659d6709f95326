"""Span geometry: where inline spans lie in sentences, blocks and translations.

- restore: a translation with tags -> the plain translation and its spans; a span
  whose tags the model dropped, garbled or reordered is put back: around the words
  the glossary aligns with the span's source (a term inside the bold words), else next
  to the surviving half of the pair, else over the words at the same relative
  position in the sentence. Then the spans are settled (_settle): a span that held a
  glossary term holds the whole target term, no span splits a term it did not hold,
  and spans that were apart in the source do not overlap in the translation (nested
  ones stay nested). Each repair or move is returned (a Repair) for the QA report.
- sentence_spans / block_targets: a block's spans cut into its sentences, and the
  translated sentences (with their spans) joined back into blocks.
- pieces: spans flattened over a text, for the format writers.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from mt.tags import Tagged, strip_tags
from mt.types import Document, ReleaseResult, Segment, Span

_TRAILING = ",.;:!?)]}»”’…\"'"
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Repair:
    """A span whose tags the model lost or misplaced, and where it went."""

    span: Span
    how: str  # "glossary", "open-tag", "close-tag", "position"; "term", "moved", "dropped" (see _settle)
    lost: bool = True  # the model lost the tags (else it kept them, and _settle moved the span)


# -- restoring spans ---------------------------------------------------------------

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
    in both: the first choice for putting back a span whose tags were lost, and what
    _settle keeps whole."""
    text, where = strip_tags(output, tagged)
    terms = list(anchors)  # moved with the text when dropped masked content is put back
    spans: list[Span] = []
    hows: list[str | None] = []  # per span: None when its tags came back (or it needs none)
    for span, number in zip(tagged.spans, tagged.numbers, strict=True):
        if not number:
            spans.append(Span(0, len(text), span.mark, span.mask))
            hows.append(None)
            continue
        if span.mask:
            at = where.get(("mask", number))
            how = None
            if at is None:  # dropped: put the content back at its relative position
                text, at, spans, where, terms = _put_back_mask(text, tagged, span, spans, where, terms)
                how = "position"
            spans.append(Span(at, at + span.end - span.start, span.mark, True))
            hows.append(how)
            continue
        found = _wrapped(text, where.get(("open", number)), where.get(("close", number)))
        how = None
        if found is None:
            found, how = _put_back(text, tagged, span, where.get(("open", number)),
                                   where.get(("close", number)), terms)
        spans.append(Span(found[0], found[1], span.mark, False))
        hows.append(how)
    settled, repairs = _settle(text, tagged, spans, hows, terms)
    return text, settled, repairs


def _put_back_mask(text: str, tagged: Tagged, span: Span, spans: list[Span], where: dict[tuple[str, int], int],
                   anchors: list[tuple[int, int, int, int]]):
    """Masked content whose tag was dropped, inserted at its relative position; the
    offsets of what is already placed move with it."""
    at = _by_position(text, tagged.plain, span)[0] if text else 0
    content = tagged.plain[span.start:span.end]
    length = span.end - span.start
    before = " " if at and not text[at - 1].isspace() else ""
    after = " " if content and at < len(text) and not text[at].isspace() else ""
    if before:
        text, at = text[:at] + before + text[at:], at + 1
        spans = [_shifted(s, at - 1, 1) for s in spans]
        where = {k: (v + 1 if v >= at else v) for k, v in where.items()}
        anchors = [_moved(a, at - 1, 1) for a in anchors]
    length += len(after)
    text = text[:at] + content + after + text[at:]
    spans = [_shifted(s, at, length) for s in spans]
    where = {k: (v + length if v > at or (v == at and k[0] != "open") else v) for k, v in where.items()}
    anchors = [_moved(a, at, length) for a in anchors]
    return text, at, spans, where, anchors


def _moved(anchor: tuple[int, int, int, int], at: int, length: int) -> tuple[int, int, int, int]:
    ss, se, ts, te = anchor
    return ss, se, ts + length if ts >= at else ts, te + length if te > at else te


# -- settling: whole terms, no overlaps ------------------------------------------

Anchor = tuple[int, int, int, int]  # source start, source end, target start, target end of a glossary term
_ORDER = {"glossary": 0, None: 1, "open-tag": 2, "close-tag": 2, "position": 3}  # who keeps its words first
_EDGE = " \t" + _TRAILING + "([{«„“‘"


def _settle(text: str, tagged: Tagged, spans: list[Span], hows: list[str | None], anchors: Sequence[Anchor]
            ) -> tuple[tuple[Span, ...], tuple[Repair, ...]]:
    """The placed spans made consistent, whatever the model or the repairs did:
    1. a span that held (part of) a glossary term in the source holds the whole target
       term (only the term when the span held nothing else);
    2. a span never covers part of a term it did not hold;
    3. spans apart in the source stay apart (a span inside another stays inside it).
    Spans that hold terms go first, then those whose tags came back, then the repaired
    ones; a later span is narrowed off the words taken, else moved to the nearest free
    words, else left out ("dropped"). Every change is a Repair."""
    src = tagged.spans
    out = list(spans)
    final = list(hows)
    wraps = [k for k, s in enumerate(spans) if not s.mask and tagged.numbers[k]]
    held = {k: [a for a in anchors if a[0] < src[k].end and src[k].start < a[1]] for k in wraps}
    for k in wraps:
        if held[k]:
            lo, hi = min(a[2] for a in held[k]), max(a[3] for a in held[k])
            other_words = any(tagged.plain[i].isalnum() and not any(a[0] <= i < a[1] for a in held[k])
                              for i in range(src[k].start, src[k].end))
            start, end = (min(out[k].start, lo), max(out[k].end, hi)) if other_words else (lo, hi)
            if (start, end) != (out[k].start, out[k].end) and final[k] is None:
                final[k] = "term"  # tags kept, widened to the whole term it held
            out[k] = Span(start, end, out[k].mark)
    settled: list[int] = []
    for k in sorted(wraps, key=lambda k: (not held[k], _ORDER.get(hows[k], 3), k)):
        start, end = out[k].start, out[k].end
        for j in settled:  # nesting as in the source
            if _contains(src[j], src[k]) and not (out[j].start <= start and end <= out[j].end):
                start, end = max(start, out[j].start), min(end, out[j].end)
                start, end = (start, end) if start < end else (out[j].start, out[j].end)
            elif _contains(src[k], src[j]):
                start, end = min(start, out[j].start), max(end, out[j].end)
        taken = [(out[j].start, out[j].end) for j in settled if _apart(src[j], src[k])
                 and not set(held[j]) & set(held[k])]
        foreign = [(a[2], a[3]) for a in anchors if a not in held[k]]
        splits = [(ts, te) for ts, te in foreign if start < te and ts < end and not (start <= ts and te <= end)]
        placed = _avoid(text, (start, end), taken + splits) or _free_words(
            text, start, taken + foreign, max(1, len(_WORD.findall(tagged.plain[src[k].start:src[k].end]))))
        if placed is None:
            placed, final[k] = (start, start), "dropped"
        elif placed != (out[k].start, out[k].end):
            final[k] = "moved"
        out[k] = Span(placed[0], placed[1], out[k].mark)
        settled.append(k)
    repairs = tuple(Repair(src[k], how, lost=hows[k] is not None) for k, how in enumerate(final) if how is not None)
    return tuple(out), repairs


def _apart(a: Span, b: Span) -> bool:
    return a.end <= b.start or b.end <= a.start


def _contains(outer: Span, inner: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end and (outer.start, outer.end) != (inner.start, inner.end)


def _avoid(text: str, where: tuple[int, int], taken: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """`where` without the ranges in `taken`: the part with most letters, trimmed of
    spaces and punctuation at its ends; None when no letter is left."""
    start, end = where
    cuts = sorted((max(start, a), min(end, b)) for a, b in taken if a < end and start < b)
    if not cuts:
        return where
    parts, at = [], start
    for a, b in cuts:
        if a > at:
            parts.append((at, a))
        at = max(at, b)
    if at < end:
        parts.append((at, end))
    best = None
    for a, b in parts:
        while a < b and text[a] in _EDGE:
            a += 1
        while b > a and text[b - 1] in _EDGE:
            b -= 1
        letters = sum(c.isalnum() for c in text[a:b])
        if letters and (best is None or letters > best[0]):
            best = (letters, a, b)
    return (best[1], best[2]) if best else None


def _free_words(text: str, near: int, taken: Sequence[tuple[int, int]], n: int) -> tuple[int, int] | None:
    """Up to `n` consecutive words none of `taken` touches, starting nearest `near`."""
    words = _words(text)
    free = [not any(a < te and ts < b for ts, te in taken) for a, b in words]
    best = None
    for i, ok in enumerate(free):
        if ok and (best is None or abs(words[i][0] - near) < abs(words[best][0] - near)):
            best = i
    if best is None:
        return None
    last = best
    while last + 1 < len(words) and last + 1 - best < n and free[last + 1]:
        last += 1
    return words[best][0], words[last][1]


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
    stop) goes to the next sentence of its block (else the previous), as a point.
    Sentences are found by bisection: linear in spans and sentences (a paragraph of
    50,000 runs has thousands of each)."""
    blocks = document.blocks()
    where: list[tuple[int, int]] = []
    cursor: dict[int, int] = {}
    per_block: dict[int, list[int]] = {}
    for i, segment in enumerate(segments):
        block = blocks[segment.paragraph]
        start = block.find(segment.text, cursor.get(segment.paragraph, 0))
        start = start if start >= 0 else max(0, block.find(segment.text))
        where.append((start, start + len(segment.text)))
        cursor[segment.paragraph] = start + len(segment.text)
        per_block.setdefault(segment.paragraph, []).append(i)
    found: list[list[Span]] = [[] for _ in segments]
    for block_no, markup in enumerate(document.markup):
        mine = sorted(per_block.get(block_no, []), key=lambda i: where[i])
        starts, ends = [where[i][0] for i in mine], [where[i][1] for i in mine]
        ordered = all(a <= b for a, b in zip(ends, ends[1:], strict=False))  # else: look at every sentence
        for span in markup:
            overlapping = []
            for k in range(bisect.bisect_left(ends, span.start) if ordered else 0, len(mine)):
                start, end = where[mine[k]]
                if ordered and (start > span.end or (start == span.end and span.start < span.end)):
                    break
                if span.start < end and span.end > start or start <= span.start == span.end <= end:
                    overlapping.append(mine[k])
                    if span.start == span.end:  # a point goes to one sentence
                        break
            for i in overlapping:
                start, end = where[i]
                found[i].append(Span(max(span.start, start) - start, min(span.end, end) - start,
                                     span.mark, span.mask))
            if not overlapping and span.mask and mine:
                k = bisect.bisect_left(starts, span.end) if ordered else \
                    next((k for k, start in enumerate(starts) if start >= span.end), len(mine))
                i = mine[min(k, len(mine) - 1)]
                at = 0 if k < len(mine) else where[i][1] - where[i][0]
                found[i].append(Span(at, at, span.mark, True))
    return [tuple(spans) for spans in found]


def whole_terms(spans: Sequence[Span], terms: Sequence[tuple[int, int]]) -> tuple[Span, ...]:
    """`spans` with every edge that falls inside one of `terms` (start, end in the same
    sentence) moved out to the term's edge: a span over part of a name covers the name."""
    out = []
    for span in spans:
        start, end = span.start, span.end
        if not span.mask:
            for a, b in terms:
                if a < start < b:
                    start = a
                if a < end < b:
                    end = b
        out.append(Span(start, end, span.mark, span.mask))
    return tuple(out)


def block_targets(result: ReleaseResult, lang: str) -> list[tuple[str, tuple[Span, ...]]]:
    """Per block of the document: the translation (sentences joined by a space) and
    its spans; spans of one mark that meet at a sentence join become one."""
    texts: dict[int, list[str]] = {}
    sizes: dict[int, int] = {}
    spans: dict[int, list[Span]] = {}
    open_ends: dict[int, dict[tuple[int, int], int]] = {}  # block -> (mark, end) -> index in spans
    for segment, translation in zip(result.segments, result.translations[lang], strict=True):
        text = translation.text.strip()
        if not text:
            continue
        block = segment.paragraph
        shift = sizes[block] + 1 if block in texts else 0
        texts.setdefault(block, []).append(text)
        sizes[block] = shift + len(text)
        lead = len(translation.text) - len(translation.text.lstrip())
        joined = spans.setdefault(block, [])
        ends = open_ends.setdefault(block, {})
        for s in translation.spans:
            moved = Span(max(0, s.start - lead) + shift, max(0, s.end - lead) + shift, s.mark, s.mask)
            before = ends.get((moved.mark, shift - 1)) if moved.start == shift and not moved.mask else None
            if before is not None:
                joined[before] = Span(joined[before].start, moved.end, moved.mark)
            else:
                before = len(joined)
                joined.append(moved)
            if not moved.mask:
                ends[(moved.mark, joined[before].end)] = before
    return [(" ".join(texts.get(i, [])), tuple(spans.get(i, ()))) for i in range(len(result.document.blocks()))]


def pieces(text: str, spans: Sequence[Span]) -> list[tuple[str, tuple[int, ...], int | None]]:
    """Flatten spans over `text`: (piece, marks covering it outermost first, mask) in
    order; a mask span is one piece of its own with mask = its mark. Marks are
    numbered in document order, so a lower number is the outer element. One sweep over
    the span edges (linear in spans, not spans x pieces)."""
    size = len(text)
    clip = lambda at: min(max(0, at), size)  # noqa: E731
    cuts = sorted({0, size, *(clip(s.start) for s in spans), *(clip(s.end) for s in spans)})
    opening: dict[int, list[Span]] = {}
    closing: dict[int, list[Span]] = {}
    masks_at: dict[int, list[Span]] = {}
    for s in spans:
        if s.mask:
            masks_at.setdefault(s.start, []).append(s)
        if s.start < s.end and clip(s.start) < clip(s.end):  # covers something
            opening.setdefault(clip(s.start), []).append(s)
            closing.setdefault(clip(s.end), []).append(s)
    active: dict[int, Span] = {}  # id -> span open here: wraps and masks with content
    out: list[tuple[str, tuple[int, ...], int | None]] = []
    for a, b in zip(cuts, cuts[1:] + [None], strict=True):
        for s in closing.get(a, ()):
            active.pop(id(s), None)
        for s in opening.get(a, ()):
            active[id(s)] = s
        wraps = [s for s in active.values() if not s.mask]
        for m in masks_at.get(a, ()):
            need = max(m.end, m.start + 1)
            out.append((text[m.start:m.end], tuple(sorted({s.mark for s in wraps if s.end >= need})), m.mark))
        if b is None or a >= b or len(wraps) < len(active):  # the end, or inside masked content
            continue
        out.append((text[a:b], tuple(sorted({s.mark for s in wraps})), None))
    return out
