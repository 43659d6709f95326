"""Property-based tests (hypothesis) for the reader, the normaliser, the segmenter and
the glossary matcher: no exception on any Unicode text (or any bytes, for the
reader), segmentation loses and duplicates no character, normalising is idempotent,
and glossary matching is stable under what normalising undoes (soft hyphens,
zero-width characters, Latin look-alikes, decomposed letters, odd spaces).

derandomize=True and no example database: the same examples on every machine and run,
so CI cannot turn red by chance; max_examples keeps the module to a few seconds.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mt.errors import InputError
from mt.formats import parse_release, read_release
from mt.glossary.match import Matcher
from mt.glossary.store import load_glossary
from mt.io import decode_bytes
from mt.normalize import normalize, normalize_document
from mt.segment import segment_document, split_sentences

PROPERTY = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
GLOSSARIES = Path(__file__).parents[1] / "glossaries"

# Text that looks like a release (Kazakh letters, sentence ends, quotes, abbreviations,
# numbers, line breaks and every invisible character normalising handles), mixed with
# arbitrary Unicode so that nothing is left out.
_PIECES = ["Қазақстан", "Республикасы", "Үкіметі", "ЕҚДБ-ның", "Ақтөбе", "облысының", "ж.", "т.б.", "проф.",
           "млрд.", "А.", "Е.Б.", "2025", "1.", "12,5", "www.gov.kz", "«", "»", "„", "“", "(", ")", "–", "—",
           "-", ".", "!", "?", "…", "?!", ",", ":", ";", " ", " ", " ", "\n", "\n\n", "\r\n", "\r", "\t",
           "\u00a0", "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u2066", "\u200f",
           "\u2028", "\x85", "\u0301", "\u0306", "\u0308", "ə", "Ə", "a", "c", "e", "o", "p", "x", "y", "H",
           "Siemens", "🇰🇿", "👍🏽"]
release_like = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)
any_text = st.one_of(st.text(max_size=300), release_like)
_WHITE = re.compile(r"\s")


def _visible(text: str) -> str:
    return _WHITE.sub("", text)


# ---------------------------------------------------------------- reader

@PROPERTY
@given(st.binary(max_size=400))
def test_decoding_any_bytes_gives_text_or_a_located_input_error(data):
    try:
        text = decode_bytes(data, "x.txt")
    except InputError as exc:
        assert exc.file == "x.txt" and exc.hint
        return
    assert isinstance(text, str)


@PROPERTY
@given(any_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_text_in_any_unicode_encoding_with_a_signature_reads_back(text, codec):
    try:
        expected = decode_bytes(text.encode("utf-8"), "x")
    except InputError:
        return  # control characters: refused in every encoding alike
    assert decode_bytes(text.encode(codec), "x").removeprefix("\ufeff") == expected.removeprefix("\ufeff")


@PROPERTY
@given(any_text, st.booleans())
def test_parsing_any_text_gives_a_document_or_an_input_error(text, markdown):
    try:
        doc = parse_release(text, "x.md" if markdown else "x.txt", markdown)
    except InputError as exc:
        assert "no text" in exc.message
        return
    assert doc.title.strip() and all(p.strip() for p in doc.paragraphs)
    if not markdown:  # plain text keeps every visible character, in order
        assert _visible("".join(doc.blocks())) == _visible(text.removeprefix("\ufeff"))


@settings(PROPERTY, max_examples=60)
@given(st.binary(max_size=300))
def test_reading_any_file_gives_a_document_or_an_input_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("read") / "release.txt"
    path.write_bytes(data)
    try:
        read_release(path)
    except InputError as exc:
        assert exc.file == str(path)


# ---------------------------------------------------------------- normaliser

_GONE = set("\r\u2028\u2029\x85\u00ad\u200b\u2060\ufeff\u00a0\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068"
            "\u2069\u200e\u200f")


@PROPERTY
@given(any_text)
def test_normalising_is_idempotent_and_removes_what_it_promises(text):
    once = normalize(text)
    assert normalize(once) == once
    assert not set(once) & _GONE
    assert unicodedata.is_normalized("NFC", once)


# ---------------------------------------------------------------- segmenter

@PROPERTY
@given(any_text)
def test_segmentation_loses_and_duplicates_no_character(text):
    sentences = split_sentences(text)
    assert _visible("".join(sentences)) == _visible(text)
    position = 0
    for sentence in sentences:  # exact substrings, in order, never overlapping
        assert sentence and sentence == sentence.strip()
        found = text.find(sentence, position)
        assert found >= 0
        assert not _visible(text[position:found])  # nothing but white space skipped
        position = found + len(sentence)


@PROPERTY
@given(release_like)
def test_segmenting_a_whole_release_keeps_every_visible_character(text):
    try:
        doc = normalize_document(parse_release(text, "x.txt"))
    except InputError:
        return
    segments = segment_document(doc)
    assert [s.index for s in segments] == list(range(len(segments)))
    assert _visible("".join(s.text for s in segments)) == _visible("".join(doc.blocks()))


# ---------------------------------------------------------------- glossary matcher

@pytest.fixture(scope="module")
def matcher_and_forms() -> tuple[Matcher, list[str]]:
    entries = load_glossary([GLOSSARIES]).active()
    forms = sorted({form for e in entries for form in (e.kk, *e.kk_variants) if form})
    return Matcher(entries), forms


@PROPERTY
@given(any_text)
def test_matching_any_text_gives_exact_non_overlapping_spans(matcher_and_forms, text):
    matcher, _ = matcher_and_forms
    end = 0
    for match in sorted(matcher.find(text), key=lambda m: m.start):
        assert text[match.start:match.end] == match.surface
        assert match.start >= end
        end = match.end


_LOOKALIKE = {"а": "a", "с": "c", "е": "e", "о": "o", "р": "p", "х": "x", "у": "y", "А": "A", "В": "B",
              "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "О": "O", "Р": "P", "Т": "T", "Х": "X"}
_FILLER = ["және", "бүгін", "қаласында", "жиын", "өтті", "2025", "жылы", ".", ",", "«", "»", "–"]
_SUFFIXES = ["", "", "ның", "ға", "да", "мен", "нан", "дың", "тің", "ы"]


@st.composite
def release_with_terms(draw, forms: list[str]) -> tuple[str, str]:
    """A sentence of glossary forms (some inflected) and filler words, and the same
    sentence as a web page or a Word export may deliver it."""
    words = []
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.booleans()):
            words.append(draw(st.sampled_from(forms)) + draw(st.sampled_from(_SUFFIXES)))
        else:
            words.append(draw(st.sampled_from(_FILLER)))
    clean = " ".join(words)
    dirty = []
    for word in clean.split(" "):
        cyrillic = [i for i, ch in enumerate(word) if "\u0400" <= ch <= "\u04ff"]
        keep = cyrillic[0] if cyrillic else -1  # a word keeps one Cyrillic letter: it stays Cyrillic
        chars = []
        for i, ch in enumerate(word):
            trick = draw(st.integers(0, 9))
            if trick == 0 and i != keep and ch in _LOOKALIKE:
                ch = _LOOKALIKE[ch]
            elif trick == 1 and ch.isalpha():
                ch += draw(st.sampled_from(["\u00ad", "\u200b", "\u2060", "\u200e"]))
            elif trick == 2:
                ch = unicodedata.normalize("NFD", ch)
            chars.append(ch)
        dirty.append("".join(chars))
    spaces = draw(st.lists(st.sampled_from([" ", "\u00a0", "\u202f", "  "]), min_size=len(dirty), max_size=len(dirty)))
    return clean, "".join(w + s for w, s in zip(dirty, spaces)).rstrip()


def _found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    """(id, surface) of each hit; white-space runs in a surface count as one space."""
    return [(m.id, " ".join(m.surface.split())) for m in matcher.find(text)]


@settings(PROPERTY, max_examples=200)
@given(st.data())
def test_matching_is_stable_under_normalisation(matcher_and_forms, data):
    matcher, forms = matcher_and_forms
    clean, dirty = data.draw(release_with_terms(forms))
    expected = _found(matcher, normalize(clean))
    assert _found(matcher, normalize(dirty)) == expected
    assert _found(matcher, normalize(normalize(dirty))) == expected


# ---------------------------------------------------------------- blocks of inline pieces

def _build_by_character(pieces, collapse):
    """mt.formats._blocks.build as it was before issue 24 (one tuple per character): the
    reference the piece-by-piece version must agree with."""
    from mt.types import Span

    chars, points = [], []
    for text, marks, mask in pieces:
        text = text if mask is not None else normalize(text)
        if mask is not None and not text:
            points.append((len(chars), marks, mask))
            continue
        for c in text:
            if _WHITE.match(c):
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
        return "", ()
    ranges: dict = {}
    for i, (_, marks, mask) in enumerate(kept):
        for mark in marks:
            ranges.setdefault((mark, False), []).append(i)
        if mask is not None:
            ranges.setdefault((mask, True), []).append(i)
    spans = [Span(min(ix), max(ix) + 1, mark, masked) for (mark, masked), ix in ranges.items()]
    for pos, marks, mark in points:
        at = min(max(0, pos - lead), len(text))
        spans.append(Span(at, at, mark, True))
        spans += [Span(at, at, outer) for outer in marks if (outer, False) not in ranges]
    return text, tuple(sorted(spans, key=lambda s: (s.start, -s.end, s.mark)))


_piece = st.tuples(st.one_of(any_text, st.sampled_from(["", " ", "\t\n", "\u00a0", "а б"])),
                   st.lists(st.integers(0, 3), max_size=2, unique=True).map(lambda m: tuple(sorted(m))),
                   st.sampled_from([None, None, 5, 6]))


@PROPERTY
@given(st.lists(_piece, max_size=6), st.booleans())
def test_blocks_are_built_as_character_by_character(pieces, collapse):
    from mt.formats import _blocks

    assert _blocks.build(pieces, collapse) == _build_by_character(pieces, collapse)
