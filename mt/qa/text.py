"""Checks on the translation as text: present, translated, in the right language and
script, no repetition loops, plausible length, matching end punctuation."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

from mt.qa.base import Context, check, has_cyrillic, has_kazakh_letters, has_latin, quote_list, words
from mt.qa.langdata import LENGTH_RATIO, STOPWORDS

LATIN_TARGETS = ("en", "de")


def _letters(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFC", text).casefold() if ch.isalnum())


@check("empty", "error", "Empty or missing translation")
def empty(ctx: Context) -> Iterator[str]:
    if ctx.source.strip() and not ctx.target.strip():
        yield "the translation is empty"


def same_as_source(ctx: Context) -> bool:
    source = _letters(ctx.source)
    # A Russian translation may rightly equal a short Kazakh name line (Хромтау).
    long_enough = ctx.tgt_lang != "ru" or len(words(ctx.source)) >= 3
    return bool(source) and has_cyrillic(ctx.source) and source == _letters(ctx.target) and long_enough


@check("untranslated", "error", "Source text left untranslated")
def untranslated(ctx: Context) -> Iterator[str]:
    if same_as_source(ctx):
        yield "the translation is the same as the source"
        return
    if ctx.tgt_lang == "kk":
        return
    allowed = {w for e in ctx.entries.values() for form in (e.target(ctx.tgt_lang), *e.variants(ctx.tgt_lang))
               for w in words(form)} if ctx.entries else set()
    kazakh = [w for w in dict.fromkeys(words(ctx.target)) if has_kazakh_letters(w) and w not in allowed]
    if kazakh:
        yield f"Kazakh letters left in: {quote_list(kazakh)}"


@check("script", "error", "Text in the wrong script")
def script(ctx: Context) -> Iterator[str]:
    tokens = list(dict.fromkeys(words(ctx.target)))
    # XDR-ТБ is two words; a mixed word already in the source was not made by the translation.
    parts = {part for w in tokens for part in re.split(r"[-'’]", w)}
    mixed = sorted(p for p in parts if has_cyrillic(p) and has_latin(p) and p not in ctx.source)
    if mixed:
        yield f"words mixing Latin and Cyrillic letters: {quote_list(mixed)}"
    if ctx.tgt_lang in LATIN_TARGETS and not same_as_source(ctx):
        # Kazakh words are the untranslated check's to report.
        cyrillic = [w for w in tokens if has_cyrillic(w) and not has_latin(w) and not has_kazakh_letters(w)]
        if cyrillic:
            yield f"Cyrillic in {ctx.tgt_lang} text: {quote_list(cyrillic)}"
    elif ctx.tgt_lang == "ru":
        source_cyrillic = any(has_cyrillic(w) and len(w) > 1 for w in words(ctx.source))
        if source_cyrillic and has_latin(ctx.target) and not has_cyrillic(ctx.target):
            yield "Russian translation has no Cyrillic at all"


def _language_votes(text: str) -> dict[str, int]:
    tokens = [w.lower() for w in words(text)]
    return {lang: sum(token in stop for token in tokens) for lang, stop in STOPWORDS.items()}


@check("language", "error", "Text in the wrong language")
def language(ctx: Context) -> Iterator[str]:
    votes = _language_votes(ctx.target)
    own = votes.get(ctx.tgt_lang, 0)
    # Only languages written in the target's script compete: the script check covers the rest.
    rivals = ("en", "de") if ctx.tgt_lang in LATIN_TARGETS else ("ru", "kk")
    for rival in rivals:
        if rival != ctx.tgt_lang and votes[rival] >= 3 and votes[rival] > 2 * own:
            yield f"reads as {rival}, not {ctx.tgt_lang} ({votes[rival]} {rival} function words, {own} {ctx.tgt_lang})"
            return


def _longest_loop(tokens: list[str], n: int) -> tuple[int, int]:
    """(repeats, start) of the longest run of one n-gram repeated back to back."""
    best = (1, 0)
    for start in range(len(tokens) - n):
        gram = tokens[start:start + n]
        repeats = 1
        while tokens[start + repeats * n:start + (repeats + 1) * n] == gram:
            repeats += 1
        if repeats > best[0]:
            best = (repeats, start)
    return best


def _loops(text: str) -> list[str]:
    tokens = [w.lower() for w in re.findall(r"\w+", text)]
    found = []
    for n in range(1, 5):
        repeats, start = _longest_loop(tokens, n)
        if repeats >= (4 if n == 1 else 3):
            found.append(f"'{' '.join(tokens[start:start + n])}' repeated {repeats} times")
    inside = re.search(r"(\w{2,}?)\1{4,}", text.lower())  # Schutzschutzschutz...
    if inside:
        found.append(f"'{inside.group(1)}' repeated {len(inside.group()) // len(inside.group(1))} times in one word")
    spaces = max((len(m) for m in re.findall(r" {10,}", text)), default=0)
    if spaces:
        found.append(f"a run of {spaces} spaces")
    return found


@check("repetition", "error", "Repetition loop")
def repetition(ctx: Context) -> Iterator[str]:
    loops = _loops(ctx.target)
    if loops and not _loops(ctx.source):
        yield loops[0]


class Lengths(NamedTuple):
    """A pair's lengths in characters, the target/source ratio and the language's usual one."""

    source: int
    target: int
    ratio: float
    expected: float


def lengths(ctx: Context, min_source: int) -> Lengths | None:
    """The pair's Lengths, or None for a source under `min_source` characters or an empty
    target (length and omission judge only pairs long enough for a ratio to mean something)."""
    source, target = len(ctx.source.strip()), len(ctx.target.strip())
    if source < min_source or not target:
        return None
    return Lengths(source, target, target / source, LENGTH_RATIO.get(ctx.tgt_lang, 1.0))


@check("length", "warning", "Length ratio outlier")
def length(ctx: Context) -> Iterator[str]:
    measured = lengths(ctx, 20)
    if measured is None:
        return
    source, target, ratio, expected = measured
    if ratio < expected / 2:
        yield f"translation is short: {target} characters for {source} in the source (ratio {ratio:.2f})"
    elif ratio > expected * 2:
        yield f"translation is long: {target} characters for {source} in the source (ratio {ratio:.2f})"


_CLOSERS = "\"'“”„«»‟’)]} \t\u00a0"
_END_CLASSES = {".": ".", "…": "...", "?": "?", "!": "!", ":": ":", ";": ";"}


def end_mark(text: str) -> str:
    stripped = text.rstrip(_CLOSERS)
    if stripped.endswith("..."):
        return "..."
    return _END_CLASSES.get(stripped[-1:], "") if stripped else ""


@check("punctuation", "warning", "End punctuation differs from the source")
def punctuation(ctx: Context) -> Iterator[str]:
    if not ctx.target.strip():
        return
    source, target = end_mark(ctx.source), end_mark(ctx.target)
    if source != target:
        yield f"source ends with {source or 'no mark'}, translation with {target or 'no mark'}"
