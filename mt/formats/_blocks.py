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
_SPACES = re.compile(r"\s+")


def build(pieces: Sequence[Piece], collapse: bool = True) -> tuple[str, tuple[Span, ...]]:
    """Pieces -> (text, spans). Text is normalised piece by piece (mt.normalize, so
    offsets stay put), white space collapsed to one space when `collapse` (HTML,
    Markdown) or only made spaces (Word's tabs and breaks), and stripped; masked
    content keeps each white-space character (as a space).

    Works on whole pieces, never character by character: time and memory are linear in
    the text with a small factor (a 10 MB paragraph is one string, not ten million
    tuples)."""
    chunks: list[tuple[int, str, tuple[int, ...], int | None]] = []  # (offset, text, marks, mask)
    points: list[tuple[int, tuple[int, ...], int]] = []  # empty masks: (position, marks, mark)
    size = 0
    space_before = False  # the last character so far is a space outside any mask
    for text, marks, mask in pieces:
        if mask is not None and not text:
            points.append((size, marks, mask))
            continue
        if mask is None and collapse:
            text = _SPACES.sub(" ", normalize(text))
            if space_before and text.startswith(" "):
                text = text[1:]
        else:
            text = _SPACE.sub(" ", text if mask is not None else normalize(text))
        if not text:
            continue
        chunks.append((size, text, marks, mask))
        size += len(text)
        space_before = mask is None and text.endswith(" ")
    lead, end = _stripped(chunks, size)
    text = "".join(t for _, t, _, _ in chunks)[lead:end]
    ranges: dict[tuple[int, bool], list[int]] = {}  # (mark, masked) -> [first, last + 1]
    plain = False
    for offset, value, marks, mask in chunks:
        first, last = max(offset, lead), min(offset + len(value), end)
        if first >= last:
            continue
        plain = plain or (mask is None and value[first - offset:last - offset].strip(" ") != "")
        for key in [*((mark, False) for mark in marks), *(((mask, True),) if mask is not None else ())]:
            found = ranges.setdefault(key, [first - lead, last - lead])
            found[1] = last - lead
    if not plain:
        return "", ()  # nothing to translate (blank, or only code / images)
    spans = [Span(first, last, mark, masked) for (mark, masked), (first, last) in ranges.items()]
    for pos, marks, mark in points:
        at = min(max(0, pos - lead), len(text))
        spans.append(Span(at, at, mark, True))
        for outer in marks:  # an image alone inside a link still belongs to it
            if (outer, False) not in ranges:
                spans.append(Span(at, at, outer))
    return text, tuple(sorted(spans, key=lambda s: (s.start, -s.end, s.mark)))


def _stripped(chunks: Sequence[tuple[int, str, tuple[int, ...], int | None]], size: int) -> tuple[int, int]:
    """Where the text starts and ends once the spaces outside masks at both ends are cut."""
    lead = 0
    for offset, value, _, mask in chunks:
        if mask is not None:
            break
        lead = offset + len(value) - len(value.lstrip(" "))
        if lead < offset + len(value):
            break
    end = size
    for offset, value, _, mask in reversed(chunks):
        if mask is not None or end <= lead:
            break
        end = offset + len(value.rstrip(" "))
        if end > offset:
            break
    return lead, max(end, lead)


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
