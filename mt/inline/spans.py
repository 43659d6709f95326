"""Span geometry: where inline spans lie in sentences, blocks and translations.

- restore: a translation with tags -> the plain translation and its spans; a span
  whose tags the model dropped, garbled or reordered is put back, never lost: around
  the words the glossary aligns with the span's source (a term inside the bold words),
  else next to the surviving half of the pair, else over the words at the same relative
  position in the sentence; each such repair is returned (a Repair) for the QA report.
- sentence_spans / block_targets: a block's spans cut into its sentences, and the
  translated sentences (with their spans) joined back into blocks.
- pieces: spans flattened over a text, for the format writers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mt.tags import Tagged, strip_tags
from mt.types import Document, ReleaseResult, Segment, Span

_TRAILING = ",.;:!?)]}»”’…\"'"
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Repair:
    """A span whose tags the model lost, and how it was put back."""

    span: Span
    how: str  # "glossary", "open-tag", "close-tag", "position"


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
    in both, the first choice for putting back a span whose tags were lost."""
    text, where = strip_tags(output, tagged)
    spans: list[Span] = []
    repairs: list[Repair] = []
    for span, number in zip(tagged.spans, tagged.numbers, strict=True):
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
    for segment, translation in zip(result.segments, result.translations[lang], strict=True):
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
    for a, b in zip(cuts, cuts[1:] + [None], strict=True):
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


