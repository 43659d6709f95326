"""What the name, acronym and omission checks know about words: the target language's
common words (pyspellchecker's frequency lists for en and de, pymorphy3's dictionary for
ru), the glossary's and CLDR's names, and whether a word of the translation answers to a
word of the Kazakh source (copied, transliterated, or a name the glossary or CLDR gives)."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from spellchecker import SpellChecker

from mt.glossary import cldr
from mt.glossary.translit import transliterate
from mt.glossary.verify import RU_MORPHOLOGY, morph
from mt.memo import disk_memo
from mt.qa.base import words
from mt.qa.langdata import ACRONYMS, LOANWORDS
from mt.types import GlossaryEntry

NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})


@lru_cache(maxsize=3)
def frequency_list(lang: str) -> frozenset[str]:
    # The frequency list (1 MB compressed) is read only when a check first needs it.
    return frozenset(SpellChecker(language=lang, distance=1).word_frequency.dictionary)


@lru_cache(maxsize=3)
def _sorted_list(lang: str) -> list[str]:
    return sorted(frequency_list(lang))


def compound_head(head: str, known: frozenset[str]) -> bool:
    """A known word, with its linking s or n, or a stem that begins several known words
    (Solar- in Solarzelle, Solarstrom ...)."""
    if head in known or (head.endswith(("s", "n")) and head[:-1] in known):
        return True
    if len(head) < 4:
        return False
    ordered = _sorted_list("de")
    start = bisect.bisect_left(ordered, head)
    return sum(1 for w in ordered[start:start + 12] if w.startswith(head) and len(w) > len(head) + 2) >= 3


def _german_compound(word: str, known: frozenset[str]) -> bool:
    """Wirtschaftsforum, Erntekampagne: a known word after a known word (with its linking s)."""
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        if (tail in known or tail in LOANWORDS["de"]) and (compound_head(head, known) or _german_compound(head, known)):
            return True
    return False


def word_forms(word: str, lang: str) -> list[str]:
    """The folded word and its dictionary forms: Akimats -> akimat, Алматинской -> алматинский."""
    folded = fold(word)
    if lang == "ru":
        return [folded, *_ru_normal_forms(word.lower())]
    if lang in ("en", "de"):
        return [folded, *(folded[:-len(end)] for end in ("'s", "s", "es", "n", "en") if folded.endswith(end))]
    return [folded]


@disk_memo(*RU_MORPHOLOGY)
def _ru_normal_forms(low: str) -> tuple[str, ...]:
    """The folded dictionary forms of pymorphy3's two likeliest parses."""
    return tuple(fold(p.normal_form) for p in morph().parse(low)[:2])


@lru_cache(maxsize=4096)
def common_word(word: str, lang: str) -> bool:
    """Is `word` (any case) a word of the language rather than a name?"""
    if lang == "de" and word.lower().endswith(("s", "es")) and len(word) > 4:
        if common_word(word[:-1], lang) or common_word(word[:-2], lang) and word.lower().endswith("es"):
            return True
    low = word.lower()
    if fold(low) in LOANWORDS.get(lang, ()):
        return True
    if lang == "ru":
        parses = morph().parse(low)
        return any(p.is_known and not (NAME_TAGS & set(str(p.tag).replace(" ", ",").split(",")))
                   and p.score > 0.05 for p in parses)
    if lang not in ("en", "de"):
        return True
    known = frequency_list(lang)
    if low in known:
        return True
    if "-" in low:
        return all(common_word(part, lang) for part in low.split("-") if part)
    if lang == "en" and low.endswith("'s"):
        return low[:-2] in known
    return lang == "de" and len(low) >= 8 and _german_compound(low, known)


def fold(text: str) -> str:
    """Lower case, no diacritics, ё as е: names compared across spellings."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("ё", "е"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_KEY_RULES = (("dzh", "j"), ("dsch", "j"), ("tsch", "ch"), ("sch", "sh"), ("zh", "j"), ("kh", "h"),
              ("ts", "z"), ("ck", "k"), ("c", "k"), ("q", "k"), ("w", "v"), ("ph", "f"), ("x", "ks"),
              ("sh", "s"), ("ch", "h"), ("th", "t"), ("z", "s"), ("dj", "j"), ("g", "k"))


def sound_key(word: str) -> str:
    """Consonants of a Latin word with spelling variants merged: Dzhon and John, Smit and
    Smith, Tokayev and Tokajew give one key."""
    key = fold(word)
    for old, new in _KEY_RULES:
        key = key.replace(old, new)
    key = re.sub(r"[aeiouyjh'’\-аеёиоуыэюяйьъ]", "", key)
    return re.sub(r"(.)\1+", r"\1", key)


_LOOSE = str.maketrans({"ы": "и", "э": "е", "й": "и", "ъ": None, "ь": None, "y": "i", "j": "i", "w": "v"})


def similar(target_word: str, candidate: str) -> bool:
    """The target's word is (an inflected form of) `candidate`, allowing suffixes either side."""
    a, b = fold(target_word).translate(_LOOSE), fold(candidate).translate(_LOOSE)
    n = min(len(a), len(b))
    if n < 3:
        return a == b
    if a[:n] == b[:n] and n >= min(4, max(len(a), len(b))):
        return True
    if n >= 5 and a[:n - 1] == b[:n - 1]:  # a derived form: Алматы, Алматинской
        return True
    if n >= 6 and a[:6] == b[:6]:  # Каталонии, Каталондық
        return True
    if fuzz.ratio(a[:n], b[:n]) >= 80 or fuzz.ratio(a[:n + 1], b[:n + 1]) >= 80:
        return True
    ka, kb = sound_key(a), sound_key(b)
    m = min(len(ka), len(kb))
    if ka and ka == kb:  # Keane, Kin; Moon, Mun
        return True
    return m >= 3 and ka[:m] == kb[:m] and abs(len(ka) - len(kb)) <= 3


@dataclass(frozen=True)
class Names:
    """The glossary's and CLDR's words in each target language, and acronym forms."""

    words: dict[str, frozenset[str]]
    acronyms: dict[str, dict[str, tuple[str, ...]]]


def _entry_forms(entry: GlossaryEntry, lang: str) -> list[str]:
    return [entry.target(lang), *entry.variants(lang)]


@lru_cache(maxsize=8)
def _names(entries: tuple[GlossaryEntry, ...]) -> Names:
    every = [*entries, *cldr.names().values()]
    by_lang = {lang: frozenset(f for e in every for form in _entry_forms(e, lang) for w in words(form)
                               for f in word_forms(w, lang))
               for lang in ("en", "de", "ru")}
    acronyms: dict[str, dict[str, tuple[str, ...]]] = {k: dict(v) for k, v in ACRONYMS.items()}
    for entry in every:
        for kk in (entry.kk, *entry.kk_variants):
            if is_acronym(kk):
                acronyms.setdefault(kk, {})
                for lang in ("en", "de", "ru"):
                    acronyms[kk][lang] = (*acronyms[kk].get(lang, ()), *_entry_forms(entry, lang))
    return Names(by_lang, acronyms)


def names(entries: Iterable[GlossaryEntry]) -> Names:
    return _names(tuple(entries))


_CAPS = re.compile(r"^[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]{2,}(?:-[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9]+)*$")


def is_acronym(word: str) -> bool:
    return _CAPS.match(word) is not None


def _source_forms(source_word: str) -> set[str]:
    """A source word as it may appear in any target: as is, in Russian letters, and in
    the English and German romanisations (a German text often romanises the English way)."""
    forms = {source_word}
    if any("\u0400" <= ch <= "\u04ff" for ch in source_word):
        forms.add(transliterate(source_word, "ru"))
        forms |= {transliterate(source_word, lang, kind) for lang in ("en", "de") for kind in ("person", "place")}
    return forms


def resembles_source(word: str, source_words: Sequence[str]) -> bool:
    """A looser test than answers_to_source: the word looks like some source word in any
    romanisation (Farage, Фарадж; Gerrard, Джеррард): a name the model spelled its own way,
    not one it made up."""
    a = fold(word).translate(_LOOSE)
    if len(a) < 4:
        return False
    for sw in source_words:
        for form in _source_forms(sw):
            b = fold(form).translate(_LOOSE)
            if len(b) >= 4 and (fuzz.ratio(a, b) >= 60 or _same_start(_skeleton(a), _skeleton(b))):
                return True
    return False


def _same_start(a: str, b: str) -> bool:
    n = 3 if min(len(a), len(b)) >= 3 else 2
    return len(a) >= n and len(b) >= n and a[:n] == b[:n]


def _skeleton(word: str) -> str:
    """The first consonants of a word in any alphabet, with letters that romanisations
    swap merged (Quarren, Куэрден: kr; Cappe, Кэппен: kp)."""
    key = sound_key(transliterate(word, "en", "place") if any("\u0400" <= ch <= "\u04ff" for ch in word) else word)
    return key.replace("k", "") if key[:1] != "k" else key  # g and j sounds: Paget, Пейджет


def answers_to_source(word: str, source_words: Sequence[str], lang: str) -> bool:
    """Does a word of the translation come from a word of the source: copied (Latin),
    transliterated (Askhat, Асхат) or inflected either side (Киннемен, Kinne)?"""
    targets = {word, *(p.normal_form.capitalize() for p in morph().parse(word)[:2])} if lang == "ru" else {word}
    parts = [p for sw in source_words for p in (sw, *re.split(r"[-'’]", sw)) if len(p) >= 2]
    for sw in dict.fromkeys(parts):
        forms = _source_forms(sw)
        if any(similar(w, form) for form in forms for w in targets):
            return True
    return False


@lru_cache(maxsize=1)
def _cldr_by_stem() -> dict[str, GlossaryEntry]:
    return {fold(kk)[:max(4, len(kk) - 1)]: entry for kk, entry in cldr.names().items() if len(kk) >= 4}


def rendered(source_word: str, target_words: Sequence[str], lang: str) -> bool:
    """Is a (capitalised) source word in the translation: copied, transliterated, or its
    CLDR name (Германиядан: Germany, Deutschland, Германии)?"""
    forms = {transliterate(source_word, "ru")} if lang == "ru" else \
        {transliterate(source_word, lang, kind) for kind in ("person", "place")}
    if any(similar(tw, form) for tw in target_words for form in forms):
        return True
    folded = fold(source_word)
    for stem, entry in _cldr_by_stem().items():
        if folded.startswith(stem):
            wanted = [w for form in _entry_forms(entry, lang) for w in words(form)]
            return any(similar(tw, w) for tw in target_words for w in wanted)
    return False
