"""Shared by the formats with structure (docx, html, md): a block of inline pieces ->
its plain text and Spans, and a Document from the blocks.

A piece is (text, marks, mask): `marks` are the mark numbers of the inline formatting
around the text (outermost first), `mask` the mark number of content kept as it is
(inline code, an image, a line break) or None. The readers walk their file and turn
each paragraph-like element into pieces; the writers walk the same file again in the
same order, so block i and mark m mean the same element to both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mt.errors import InputError
from mt.normalize import normalize
from mt.types import Document, Span

Piece = tuple[str, tuple[int, ...], int | None]
_SPACE = re.compile(r"\s")


def build(pieces: Sequence[Piece], collapse: bool = True) -> tuple[str, tuple[Span, ...]]:
    """Pieces -> (text, spans). Text is normalised piece by piece (mt.normalize, so
    offsets stay put), white space collapsed to one space when `collapse` (HTML,
    Markdown) or only made spaces (Word's tabs and breaks), and stripped."""
    chars: list[tuple[str, tuple[int, ...], int | None]] = []
    points: list[tuple[int, tuple[int, ...], int]] = []  # empty masks: (position, marks, mark)
    for text, marks, mask in pieces:
        text = text if mask is not None else normalize(text)
        if mask is not None and not text:
            points.append((len(chars), marks, mask))
            continue
        for c in text:
            if _SPACE.match(c):
                if collapse and chars and chars[-1][0] == " " and mask is None and chars[-1][2] is None:
                    continue
                c = " "
            chars.append((c, marks, mask))
    lead = 0
    while lead < len(chars) and chars[lead][0] == " " and chars[lead][2] is None:
        lead += 1
    end = len(chars)
    while end > lead and chars[end - 1][0] == " " and chars[end - 1][2] is None:
        end -= 1
    kept = chars[lead:end]
    text = "".join(c for c, _, _ in kept)
    if not any(not c.isspace() and mask is None for c, _, mask in kept):
        return "", ()  # nothing to translate (blank, or only code / images)
    ranges: dict[tuple[int, bool], list[int]] = {}
    for i, (_, marks, mask) in enumerate(kept):
        for mark in marks:
            ranges.setdefault((mark, False), []).append(i)
        if mask is not None:
            ranges.setdefault((mask, True), []).append(i)
    spans = [Span(min(ix), max(ix) + 1, mark, mask) for (mark, mask), ix in ranges.items()]
    for pos, marks, mark in points:
        at = min(max(0, pos - lead), len(text))
        spans.append(Span(at, at, mark, True))
        for outer in marks:  # an image alone inside a link still belongs to it
            if (outer, False) not in ranges:
                spans.append(Span(at, at, outer))
    return text, tuple(sorted(spans, key=lambda s: (s.start, -s.end, s.mark)))


def document(blocks: Sequence[tuple[str, tuple[Span, ...]]], marks: Sequence[str], path: str,
             original: bytes, fmt: str) -> Document:
    """A Document of the non-empty blocks (block 0, the title, is the first)."""
    kept = [(text, spans) for text, spans in blocks if text]
    if not kept:
        raise InputError("the file has no text to translate", file=path,
                         hint="give a release with a title and paragraphs")
    return Document(kept[0][0], tuple(text for text, _ in kept[1:]), path,
                    markup=tuple(spans for _, spans in kept), marks=tuple(marks), original=original, format=fmt)


def machine_note(lang: str, meta: dict | None) -> str:
    """The sentence every translated document ends with (and its metadata says)."""
    meta = meta or {}
    model = meta.get("model", "unknown model")
    revision = meta.get("revision", "") or "not recorded"
    licence = meta.get("licence", "") or "not recorded"
    lead = {"de": "Maschinell übersetzt aus dem Kasachischen", "ru": "Машинный перевод с казахского",
            "en": "Machine translated from Kazakh"}.get(lang, "Machine translated from Kazakh")
    return (f"{lead} (mt): model {model}, revision {revision}; model licence: {licence}. "
            "Check it before publishing.")
