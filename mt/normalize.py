"""Text normalisation before segmentation and term matching.

Offsets reported by later steps refer to the text this returns. What it does:
- line ends: CRLF, CR, U+2028/U+2029 and NEL become LF;
- invisible characters removed: soft hyphen, zero-width space, word joiner, BOM inside
  the text, bidirectional controls (LRM, RLM, embeddings, overrides and isolates: they
  mean nothing in left-to-right Kazakh text and can make a draft display reordered), and
  ZWNJ/ZWJ next to a Latin or Cyrillic letter (elsewhere, e.g. in emoji sequences, they
  mean something and stay);
- no-break and other Unicode spaces become an ordinary space;
- Unicode NFC;
- Latin look-alikes inside Cyrillic words become the Cyrillic letter: a word (a run of
  letters) that has a Cyrillic letter and whose Latin letters are all look-alikes
  (a c e h i o p x y, A B C E H I K M O P T X Y) is mapped to Cyrillic; "Siemens",
  "Aqtobe su-energy group" (no Cyrillic) and mixed words with other Latin letters stay;
- Latin schwa ə/Ə (U+0259/U+018F) becomes Kazakh ә/Ә, except in a word that is
  otherwise clearly Latin (Azerbaijani "Əliyev" stays).
"""

from __future__ import annotations

import re
import unicodedata

from mt.types import Document

# Line ends, invisible characters and Unicode spaces, all replaced in one pass.
_BIDI = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CHARACTERS = re.compile(r"\r\n?|[\u2028\u2029\x85\u00ad\u200b\u2060\ufeff\u00a0\u2000-\u200a\u202f\u205f\u3000"
                         + _BIDI + "]")
_REPLACEMENTS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n",
                 "\u00ad": "", "\u200b": "", "\u2060": "", "\ufeff": "",
                 **dict.fromkeys(_BIDI, "")}  # anything else: a space
# A whole run of joiners goes, not only the one touching the letter (else a second
# normalize() would remove the next one: normalising must be idempotent).
_JOINERS = re.compile(
    r"(?<=[A-Za-z\u00c0-\u02af\u0400-\u052f])[\u200c\u200d]+"
    r"|[\u200c\u200d]+(?=[A-Za-z\u00c0-\u02af\u0400-\u052f])"
)

_LOOKALIKES = {
    "a": "а", "c": "с", "e": "е", "h": "һ", "i": "і", "o": "о", "p": "р", "x": "х", "y": "у",
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М",
    "O": "О", "P": "Р", "T": "Т", "X": "Х", "Y": "У",
}
_SCHWA = {"\u0259": "ә", "\u018f": "Ә"}
_TO_CYRILLIC = str.maketrans({**_LOOKALIKES, **_SCHWA})
_SCHWA_ONLY = str.maketrans(_SCHWA)

_LATIN_RUN = re.compile(r"[A-Za-z\u0259\u018f]+")
_LETTERS_AFTER = re.compile(r"[^\W\d_]*")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_OTHER_LATIN = re.compile("[^" + "".join(_LOOKALIKES) + r"\W\d_\u0259\u018f\u0400-\u052f]")


def _fix_word(word: str) -> str:
    has_cyrillic = _CYRILLIC.search(word) is not None
    clearly_latin = _OTHER_LATIN.search(word) is not None
    if has_cyrillic and not clearly_latin:
        return word.translate(_TO_CYRILLIC)
    if has_cyrillic:
        return word.translate(_SCHWA_ONLY)
    if not clearly_latin and ("\u0259" in word or "\u018f" in word):
        return word.translate(_TO_CYRILLIC)  # "əpi": schwa marks it as Kazakh typed in Latin
    return word


def _fix_lookalikes(text: str) -> str:
    """Visit only the words that hold a Latin letter: find Latin runs with one regex,
    widen each to its whole word, and rewrite the word if it is Cyrillic at heart."""
    parts: list[str] = []
    copied = 0  # text[:copied] is in parts
    word_end = 0  # end of the last word looked at
    for run in _LATIN_RUN.finditer(text):
        if run.start() < word_end:
            continue
        start = run.start()
        while start > word_end and text[start - 1].isalpha():
            start -= 1
        letters = _LETTERS_AFTER.match(text, run.end())
        assert letters is not None  # the pattern matches the empty string
        word_end = letters.end()
        word = text[start:word_end]
        fixed = _fix_word(word)
        if fixed != word:
            parts += [text[copied:start], fixed]
            copied = word_end
    if not parts:
        return text
    parts.append(text[copied:])
    return "".join(parts)


def normalize(text: str) -> str:
    """Normalise one piece of text (see the module docstring for what changes).
    Idempotent: normalize(normalize(t)) == normalize(t) (tests/test_properties.py)."""
    text = _nfc(_CHARACTERS.sub(lambda m: _REPLACEMENTS.get(m.group(), " "), text))
    if "\u200c" in text or "\u200d" in text:
        # after NFC, so that a joiner after a decomposed letter ("N" + grave) is seen
        text = _nfc(_JOINERS.sub("", text))
    # Until nothing changes: NFC after a fix can join words ("y" + breve became "у" +
    # breve, which composes to "ў"; "Ə" + diaeresis + "A" becomes the word "ӚA"). Each
    # round only turns Latin letters Cyrillic, so this ends, nearly always after one.
    while (fixed := _nfc(_fix_lookalikes(text))) != text:
        text = fixed
    return text


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def normalize_document(doc: Document) -> Document:
    """The same document with title and paragraphs normalised; paragraphs left empty
    (e.g. only invisible characters) are dropped."""
    paragraphs = tuple(p for p in (normalize(p).strip() for p in doc.paragraphs) if p)
    return Document(normalize(doc.title).strip(), paragraphs, doc.path)
