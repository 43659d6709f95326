"""Numbers written as words in a translation: "two billion", "zwei Milliarden",
"двух миллиардах" are 2 000 000 000.

The words come from num2words (a well-kept package that writes numbers in 50+ languages,
en/de/ru included); reading them back is a small sum-and-multiply pass over a run of
number words. Russian words are compared by their dictionary form (pymorphy3, already
used for the glossary checks), so every case counts (двух, двумя, миллиардах); German
scale words by their singular (Milliarden -> milliarde). text2num would read en/de but
has no Russian, so one table built from num2words serves all three languages.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mt.glossary.verify import RU_MORPHOLOGY, morph
from mt.memo import disk_memo

_SCALES = (10 ** 3, 10 ** 6, 10 ** 9, 10 ** 12)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Joiners inside a run of number words (two hundred and five, hundertundfünf is one word)
_JOINERS = {"en": {"and"}, "de": {"und"}, "ru": set()}
# "ein" / "one" is mostly an article or pronoun: it counts only before a scale word
# (eine Million, one billion).
_WEAK = {"en": {"one"}, "de": {"ein", "eine", "einen", "einem", "einer", "eins"}, "ru": set()}


@disk_memo("num2words", *RU_MORPHOLOGY)  # ru keys are pymorphy3 lemmas
def lexicon(lang: str) -> dict[str, int]:
    """Word (normalised as `_normal` does) -> value: 0-99, the hundreds, the scale words."""
    from num2words import num2words

    table: dict[str, int] = {}

    def add(text: str, value: int) -> None:
        words = text.lower().split()
        if len(words) == 1:
            table.setdefault(_normal_plain(words[0], lang), value)

    for value in range(100):
        add(num2words(value, lang=lang), value)
    for hundreds in range(1, 10):
        add(num2words(hundreds * 100, lang=lang), hundreds * 100)
    table.setdefault("hundert" if lang == "de" else "hundred" if lang == "en" else "сто", 100)
    for scale in _SCALES:
        word = num2words(scale, lang=lang).lower().split()[-1]
        if lang == "de" and word.startswith("ein"):
            word = word[3:]  # eintausend -> tausend
        table[_normal_plain(word, lang)] = scale
    if lang == "de":
        table.update({w: 1 for w in _WEAK["de"]})
    return table


def _normal_plain(word: str, lang: str) -> str:
    word = word.lower()
    if lang == "de" and word.endswith(("millionen", "milliarden", "billionen")):
        return word[:-2] if word.endswith("nen") else word[:-1]
    if lang == "ru":
        return _ru_lemma(word)
    return word


@disk_memo(*RU_MORPHOLOGY, "num2words", max_items=20_000)  # every Russian word QA reads
def _ru_lemma(word: str) -> str:

    for parse in morph().parse(word):
        if parse.tag.POS in ("NUMR", "NOUN", "ADJF") and parse.normal_form in _ru_number_lemmas():
            return str(parse.normal_form)
    return word


@lru_cache(maxsize=1)
def _ru_number_lemmas() -> frozenset[str]:
    """Every word num2words writes for a Russian number (the dictionary forms)."""
    from num2words import num2words

    words: set[str] = set()
    for value in [*range(100), *range(100, 1000, 100), *_SCALES]:
        words.update(num2words(value, lang="ru").lower().split())
    return frozenset(words)


def word_values(text: str, lang: str) -> set[float]:
    """The value of each run of number words in `text`."""
    if lang not in ("en", "de", "ru"):
        return set()
    table = lexicon(lang)
    found: set[float] = set()
    run: list[int] = []
    for word in [*_WORD.findall(text), ""]:
        low = word.lower()
        value = table.get(_normal_plain(low, lang)) if low else None
        if value is not None:
            run.append(value)
            continue
        if low in _JOINERS[lang] and run:
            continue
        if run:
            found |= _run_value(run, lang, text)
        run = []
    return found


def _run_value(run: list[int], lang: str, text: str) -> set[float]:
    if len(run) == 1 and run[0] == 1 and not any(s in run for s in _SCALES):
        return set()  # ein / one alone: an article or pronoun
    total = current = 0
    for value in run:
        if value == 100:
            current = max(current, 1) * 100
        elif value in _SCALES:
            total += max(current, 1) * value
            current = 0
        else:
            current += value
    return {float(total + current)}
