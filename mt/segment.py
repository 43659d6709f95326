"""Kazakh sentence splitting.

Our own rules, because no package splits Kazakh well (pysbd, sentencex, qaznltk and punkt
made 5-18 errors on tests/data/kk-nlp-cases). One compiled regex finds the candidate
ends (. ! ? … followed by white space, or a hard line break); a few cheap rules decide
each candidate from the word before it and the text after it. Word lists live in
mt/data/abbreviations.tsv.

A candidate `X. Y` splits when Y starts a sentence: an upper-case letter, a digit, an
opening quote or bracket before one, or a dash before one (dialogue). Quotes count as
opening whatever mark the writer typed: Kazakh web and agency text often opens with the
closing mark (`... жеткізді. ”Әрине ...”`, also `“...“`, `"...“`, `‹...›`, `»...«`).
After a plain word of five or more letters (no abbreviation) a lower-case start splits
too: `... жасады. өз вебсайтында ...` is a sentence typed without its capital. It does not split
- after initials (А. / Е.Б. / Қ.-Ж.) or a `nonfinal` abbreviation (проф. сағ. даңғ.);
- after a `final` abbreviation (ж. т.б. АҚ ЖШС) unless an upper-case letter follows, and
  after a `number` one (млн млрд мың) unless an upper-case word not in capitals follows
  (60 млрд. АҚШ долларын stays whole);
- after a list number (1. at the start of a sentence or line, or after : or ;);
- before a dash and a lower-case word: «...?» – деп сұрады stays one sentence.
A blank line, or a line break before a list item, always splits. URLs, e-mails, decimals,
times and dates never split because their dots are not followed by white space.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from mt.errors import InputError
from mt.types import Document, Segment

_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎЈЄЇЅЃЌЂЉЊЋЏҐ"
_OPENERS = "«„“\"'‘(["
# Marks that open a quotation after a sentence end, as people type them (”Әрине ...”).
_START_QUOTES = _OPENERS + "”»‹›’‚"
_CLOSERS = "»”“’\"')]"
_DASHES = "–—-"

# One leading character class lets the regex engine skip fast to the few candidates.
_CANDIDATE = re.compile(
    rf"[.!?…\n](?:(?<=[.!?…])(?P<end>[.!?…]*)(?P<close>[{re.escape(_CLOSERS)}]*)(?P<ws>\s+)"
    # a line break before a blank line or a list item (1. / 1) / - / •)
    r"|(?<=\n)(?=[^\S\n]*\n|[^\S\n]*(?:\d{1,3}[.)]|[-–—•▪*])\s))"
)
_LIST_ITEM = re.compile(r"[^\S\n]*(?:\d{1,3}[.)]|[-–—•▪*])\s")
_INITIALS = re.compile(rf"(?:[{_UPPER}]\.-?)*[{_UPPER}]")
_LIST_NUMBER = re.compile(r"\d{1,3}|[IVXLC]{1,6}")
_DOTTED = re.compile(r"(?:[^\W\d_]{1,4}\.)+[^\W\d_]{1,4}")  # т.ғ.к, х.т.б: looks like an abbreviation

# What comes after the white space of a candidate. _OPEN_START: an opening quote, bracket
# or dash before an upper-case letter or digit.
_UPPER_START, _DIGIT_START, _OPEN_START, _OTHER_START = range(4)


def _load_abbreviations() -> dict[str, str]:
    """abbreviation (without its final period) -> 'final' | 'nonfinal' | 'number'."""
    resource = files("mt") / "data" / "abbreviations.tsv"
    table: dict[str, str] = {}
    header_seen = False
    for number, line in enumerate(resource.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            header_seen = True
            continue
        if len(cells) < 2 or cells[1] not in ("final", "nonfinal", "number"):
            raise InputError("expected 'abbreviation<TAB>final|nonfinal|number<TAB>meaning'",
                             file=str(resource), line=number)
        table[cells[0].removesuffix(".")] = cells[1]
    return table


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """The abbreviation table, read once from mt/data/abbreviations.tsv."""
    return _load_abbreviations()


def _abbreviation_class(word: str) -> str | None:
    table = abbreviations()
    kind = table.get(word)
    if kind is None and word[:1].isupper():
        lower = word.lower()
        kind = table.get(lower) if lower != word else None
    if kind is None and word.islower() and (len(word) == 1 or _DOTTED.fullmatch(word)):
        kind = "final"  # an unknown one-letter or dotted lower-case abbreviation
    return kind


def _start_kind(text: str, pos: int) -> int:
    char = text[pos]
    if char.isupper():
        return _UPPER_START
    if char.isdigit():
        return _DIGIT_START
    if char in _START_QUOTES or char in _DASHES:
        rest = text[pos + 1:pos + 8].lstrip(_START_QUOTES + _DASHES + " \t")
        if rest and (rest[0].isupper() or rest[0].isdigit()):
            return _OPEN_START
    return _OTHER_START


def _word_before(text: str, end: int, floor: int) -> tuple[str, int]:
    """The white-space-delimited word ending at `end`, and where it starts."""
    chunk = text[max(floor, end - 64):end]
    if not chunk or chunk[-1].isspace():
        return "", end
    word = chunk.rsplit(None, 1)[-1]
    return word, end - len(word)


def _is_list_number(text: str, sentence_start: int, word_start: int) -> bool:
    """A number at the start of the sentence or a line, or after : or ; ("1. / 2.")."""
    low = max(sentence_start, word_start - 16)
    before = text[low:word_start]
    stripped = before.rstrip()
    if not stripped:
        return low == sentence_start or "\n" in before
    return stripped[-1] in ":;" or "\n" in before[len(stripped):]


def _ends_sentence(text: str, match: re.Match[str], sentence_start: int) -> bool:
    ws = match.group("ws")
    nxt = match.end()
    if nxt >= len(text):
        return True
    if "\n" in ws and (ws.count("\n") > 1 or _LIST_ITEM.match(text, text.rfind("\n", 0, nxt) + 1)):
        return True
    start = _start_kind(text, nxt)
    if match.group("end") or text[match.start()] != ".":  # ! ? … and combinations
        return start != _OTHER_START
    raw, word_start = _word_before(text, match.start(), sentence_start)
    word = raw.lstrip(_OPENERS).rstrip(_CLOSERS)
    if _LIST_NUMBER.fullmatch(word) and _is_list_number(text, sentence_start, word_start):
        return False
    if _INITIALS.fullmatch(word):
        return False
    kind = _abbreviation_class(word) if word else None
    if kind == "nonfinal":
        return False
    if kind == "final":
        return start == _UPPER_START
    if kind == "number":
        return start == _UPPER_START and not _next_word(text, match.end()).isupper()
    return start != _OTHER_START or _lower_case_sentence(word, text, match.end())


_PLAIN_WORD = re.compile(r"[^\W\d_]{5,}")


def _lower_case_sentence(word: str, text: str, pos: int) -> bool:
    """A sentence typed without its capital: a plain lower-case word of 5+ letters
    (no abbreviation is that long, and the table's are decided before) ends the sentence
when a lower-case word follows."""
    return (word.islower() and _PLAIN_WORD.fullmatch(word) is not None
            and text[pos].islower() and _next_word(text, pos).isalpha())


def _next_word(text: str, pos: int) -> str:
    head = text[pos:pos + 32].split(None, 1)
    return re.split(r"[\W\d_]", head[0], maxsplit=1)[0] if head else ""


# A closing mark typed after the space (`... ашты. » Сосын ...`) still closes the quote:
# it stays with the sentence before, which an opening mark (hugging its word) does not.
_STRAY_CLOSER = re.compile(r"[»›”][^\S\n]+")


def split_sentences(text: str) -> list[str]:
    """Split one paragraph into sentences: exact substrings of `text`, stripped, in order.
    A single line break inside is white space (a wrapped line); a blank line or a line
    break before a list item ends a sentence."""
    sentences: list[str] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if match.group("ws") is not None and not _ends_sentence(text, match, start):
            continue
        end = match.end()
        stray = _STRAY_CLOSER.match(text, end) if match.group("ws") is not None else None
        if stray:
            end = stray.end()
        sentence = text[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = end
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def segment_document(doc: Document) -> list[Segment]:
    """All sentences of a document; paragraph 0 is the title, `index` counts from 0."""
    segments: list[Segment] = []
    for paragraph, block in enumerate(doc.blocks()):
        for sentence in split_sentences(block):
            segments.append(Segment(paragraph, len(segments), sentence))
    return segments
