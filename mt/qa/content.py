"""Content the translation adds or loses: a name with nothing behind it in the source
("possible invented name"), and a translation much shorter than the source that also
misses what the source anchors (numbers, names, glossary terms, clauses)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mt.glossary.verify import at_sentence_start, contains, is_headline
from mt.qa.base import Context, check, has_latin, quote_list, words
from mt.qa.langdata import CLAUSE_WORDS, DE_DETERMINERS, NUMBER_WORDS
from mt.qa.lexicon import (
    answers_to_source,
    common_word,
    compound_head,
    fold,
    frequency_list,
    is_acronym,
    names,
    rendered,
    resembles_source,
    word_forms,
)
from mt.qa.text import lengths

# A capitalised word (with hyphenated parts: Hans-Joachim, Kassym-Jomart).
_CAPITALISED = re.compile(r"(?<![\w-])[A-ZÄÖÜА-ЯЁ][^\W\d_]*(?:[-’'][A-ZÄÖÜА-ЯЁa-zäöüßа-яё][^\W\d_]*)*(?![\w-])")


def _name_groups(text: str) -> list[list[re.Match[str]]]:
    """Runs of capitalised words separated by single spaces; a run's sentence-initial
    word is left out (it is capitalised whatever it is)."""
    groups: list[list[re.Match[str]]] = []
    last_end = -2
    for m in _CAPITALISED.finditer(text):
        if at_sentence_start(text, m.start()):
            last_end = -2
            continue
        if groups and text[last_end:m.start()] == " ":
            groups[-1].append(m)
        else:
            groups.append([m])
        last_end = m.end()
    return groups


def _known(word: str, ctx: Context, source_words: list[str], known_words: frozenset[str]) -> bool:
    if any(form in known_words for form in word_forms(word, ctx.tgt_lang)) or fold(word) in fold(ctx.source):
        return True
    if answers_to_source(word, source_words, ctx.tgt_lang):
        return True
    # A German compound ending in a known name or term: Gebietsakimats, EBWE-Projekt.
    low = word.lower()
    return ctx.tgt_lang == "de" and any(
        compound_head(low[:cut], frequency_list("de")) and any(f in known_words for f in word_forms(low[cut:], "de"))
        for cut in range(3, len(low) - 3))


def _name_like(part: str, lang: str) -> bool:
    """Not a word of the target language, nor of English (Rail, Works in a German text)."""
    return not common_word(part, lang) and not (lang != "en" and common_word(part, "en"))


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"[«„“\"][^«»„“”\"]*[»“”\"]?", text)]


def _determined(text: str, start: int) -> bool:
    """German: a capitalised word after an article, a determiner or a contracted preposition
    is a noun (der Szenografie, einer Tette, im Komitee), not a name."""
    before = re.findall(r"[^\W\d_]+", text[max(0, start - 30):start])
    if not before:
        return False
    # ... or after an inflected adjective (den neuen Maschinenpark, dem bisherigen Wahlrat)
    adjective = before[-1].islower() and before[-1].endswith(("en", "er", "es", "em", "e")) and len(before) > 1 \
        and before[-2].lower() in DE_DETERMINERS
    return before[-1].lower() in DE_DETERMINERS or adjective


def _in_name_list(text: str, start: int, source: str, source_words: list[str], lang: str) -> bool:
    """A word closing a list whose other items are the source's names (Siemens, BASF, Linde
    und X) is a name too."""
    m = re.search(r"([A-ZÄÖÜА-ЯЁ][\w-]+), ([A-ZÄÖÜА-ЯЁ][\w-]+),? (?:und|and|и|sowie) $", text[max(0, start - 80):start])
    return m is not None and all(item in source or answers_to_source(item, source_words, lang) for item in m.groups())


def _name_ish(token: str, lang: str) -> bool:
    """Not a word of the language, or a double given name (Hans-Joachim)."""
    parts = _name_parts(token)
    return any(not common_word(p, lang) for p in parts) or (
        "-" in token and all(p[:1].isupper() for p in token.split("-")) and len(parts) >= 2)


def _split_at_known(group: list[re.Match[str]], ctx: Context, source_words: list[str],
                    known_words: frozenset[str]) -> list[list[re.Match[str]]]:
    """Runs of a group between the words the source or glossary accounts for: a place
    beside a name (послом Германии Хансом Вендтом) does not vouch for the name."""
    runs: list[list[re.Match[str]]] = [[]]
    for m in group:
        parts = _name_parts(m.group())
        if parts and all(_known(p, ctx, source_words, known_words) for p in parts):
            runs.append([])
        else:
            runs[-1].append(m)
    return [run for run in runs if run]


def _invented(run: list[re.Match[str]], ctx: Context, source_words: list[str]) -> bool:
    lang = ctx.tgt_lang
    tokens = [m.group() for m in run if _name_parts(m.group())]
    name_like = [p for t in tokens for p in _name_parts(t) if _name_like(p, lang)]
    # A name the model spelled its own way (Farage for Фарадж) is not an invented one.
    if not name_like or any(resembles_source(p, source_words) for p in name_like):
        return False
    # A person's full name, or one more name at the end of a list of the source's names.
    # In English and Russian a word before a name-like one is a given name (Marat
    # Tasmagambetov); after it, it names a kind of thing (Qing Dynasty, Paget Hospital).
    ish = [_name_ish(t, lang) for t in tokens]
    if lang != "de":
        ish = [here or (i + 1 < len(ish) and ish[i + 1]) for i, here in enumerate(ish)]
    return sum(ish) >= 2 or \
        _in_name_list(ctx.target, run[0].start(), ctx.source, source_words, lang)


def _name_parts(token: str) -> list[str]:
    return [p for p in re.split(r"[-’']", token) if len(p) > 3 and not is_acronym(p)]


@check("invented-name", "warning", "Possible invented name: a name the source does not have")
def invented_name(ctx: Context) -> Iterator[str]:
    """A person's name (two or more capitalised words, not words of the language) that
    nothing of the source, glossary or CLDR answers to, not even loosely; a single such
    word only at the end of a list of the source's names."""
    lang = ctx.tgt_lang
    if lang not in ("en", "de", "ru") or is_headline(ctx.target):
        return
    source_words = [w for w in words(ctx.source) if len(w) > 1]
    known_words = names(ctx.entries.values()).words[lang]
    # A quoted name (a company, a programme) renders a quoted name of the source.
    quoted = _quoted_spans(ctx.target) if re.search(r"[«»“”„\"]", ctx.source) else []
    invented = []
    for group in _name_groups(ctx.target):
        group = [m for m in group if not any(a <= m.start() < b for a, b in quoted)]
        if lang == "de":
            group = [m for m in group if not _determined(ctx.target, m.start())]
        for run in _split_at_known(group, ctx, source_words, known_words):
            if _invented(run, ctx, source_words):
                invented.append(" ".join(m.group() for m in run))
    if invented:
        yield f"possible invented name, nothing in the source answers to it: {quote_list(invented)}"


# -- omissions ---------------------------------------------------------------------------

# Length relative to the pair's usual ratio (LENGTH_RATIO) below which a translation is
# short, clearly short, very short.
SHORT_RATIO = 0.8
CLEARLY_SHORT = 0.7
NAME_TYPES = frozenset({"person", "place", "org"})
VERY_SHORT = 0.6
# Thousands in groups (15 000, 15,000, 15.000), decimals, times (11:35).
_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,:]\d+)?")


def _numbers(text: str) -> set[str]:
    return {re.sub(r"\D", "", n) for n in _NUMBER.findall(text)}


def _has_number(text: str, number: str, target_numbers: set[str], lang: str) -> bool:
    """In digits (30 мың: 30.000, so any number starting with its digits) or as a word
    (2: zwei, Second, Второй)."""
    if any(t.startswith(number) for t in target_numbers):
        return True
    stems = NUMBER_WORDS.get(lang, {}).get(int(number), ()) if len(number) < 5 else ()
    return any(re.search(rf"\b{re.escape(stem)}", text, re.I) for stem in stems)


def clauses(text: str, lang: str) -> int:
    """Clauses, roughly: sentences, and the marks and conjunctions that join clauses."""
    # Not the dash: Kazakh (and Russian) put it between subject and predicate.
    marks = len(re.findall(r"[,;:]", text))
    joins = sum(1 for w in words(text.lower()) if w in CLAUSE_WORDS.get(lang, ()))
    return sentences(text) + marks + joins


_SENTENCE_END = re.compile(r"[.!?…][\"”“»)]*\s+[\"“„«(]?(?=[A-ZÄÖÜА-ЯЁӘҒҚҢӨҰҮҺІ])")


def sentences(text: str) -> int:
    return 1 + len(_SENTENCE_END.findall(text.strip()))


def _missing_anchors(ctx: Context, relative: float) -> list[str]:
    """What the translation lacks that the source anchors. Numbers and the glossary's
    names count for any short translation; its titles and terms, sentences and clauses
    only for a clearly short one (a translation that joins two sentences into one keeps
    its length); other capitalised words only for a very short one."""
    missing = []
    # 30 мың is 30.000, 250 мың $250,000: a number is there when one starts with its digits.
    target_numbers = _numbers(ctx.target)
    numbers = {n for n in _numbers(ctx.source) if n.strip("0")  # 10: 00 is 10 o'clock
               and not _has_number(ctx.target, n, target_numbers, ctx.tgt_lang)}
    if numbers:
        missing.append(f"numbers {quote_list(sorted(numbers))}")
    # Names the glossary spells (persons, places, organisations) count for any short
    # translation; a title or term may be rendered another way (Foreign Secretary for
    # министр): only for a clearly short one.
    entries = [ctx.entries[h.id] for h in ctx.hits if h.id in ctx.entries]
    terms = [e.id for e in entries if e.target(ctx.tgt_lang) and not contains(ctx.target, e, ctx.tgt_lang)
             and (e.type in NAME_TYPES or relative < CLEARLY_SHORT)]
    if terms:
        missing.append(f"glossary terms {quote_list(list(dict.fromkeys(terms)))}")
    if relative >= CLEARLY_SHORT:
        return missing
    source_sentences, target_sentences = sentences(ctx.source), sentences(ctx.target)
    source_clauses, target_clauses = clauses(ctx.source, "kk"), clauses(ctx.target, ctx.tgt_lang)
    # Two sentences joined into one (with "and", a comma) keep their clauses: not an omission.
    if target_sentences < source_sentences and target_clauses < source_clauses:
        missing.append(f"{target_sentences} of {source_sentences} sentences")
    if source_clauses >= 4 and target_clauses * 2 <= source_clauses:
        missing.append(f"{target_clauses} of {source_clauses} clauses")
    if relative < VERY_SHORT and not missing:
        missing += _lost_names(ctx)
    return missing


def _lost_names(ctx: Context) -> list[str]:
    """Capitalised words inside the source's sentences (not glossary terms) that the
    translation does not render; only for a translation far shorter than usual, since a
    name may be translated (Жолдау: Address) rather than transliterated."""
    target_words = [w for w in words(ctx.target) if len(w) > 1]
    in_terms = {w for h in ctx.hits for w in words(h.surface)}
    capitalised = [m.group() for m in re.finditer(r"\w+(?:[-'’]\w+)*", ctx.source)
                   if m.group()[:1].isupper() and not at_sentence_start(ctx.source, m.start())
                   and not is_acronym(m.group()) and m.group() not in in_terms and len(m.group()) > 2
                   and not has_latin(m.group())]
    lost = [w for w in capitalised if not rendered(w, target_words, ctx.tgt_lang)
            and not any(resembles_source(t, [w]) for t in target_words if t[:1].isupper())]
    # An acronym the translation brings in (МИД for Сыртқы істер министрлігі) may stand
    # for the source's capitalised words.
    if lost and not any(is_acronym(w) and w not in ctx.source for w in target_words):
        return [f"names {quote_list(lost)}"]
    return []


@check("omission", "warning", "Part of the sentence may be missing")
def omission(ctx: Context) -> Iterator[str]:
    measured = lengths(ctx, 30)
    if measured is None:
        return
    source, target, ratio, expected = measured
    if ratio >= SHORT_RATIO * expected:
        return
    missing = _missing_anchors(ctx, ratio / expected)
    if missing:
        yield (f"part of the sentence may be missing: {target} characters for {source} "
               f"(usual {expected:.2f}), and the translation lacks {'; '.join(missing)}")
