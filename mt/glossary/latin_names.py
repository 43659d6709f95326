"""Foreign persons' names read back from Cyrillic into their own Latin spelling.

A name written in Kazakh (Томас Вебер, Агнешка Новак, Йерун де Врис) came from a Latin
spelling through the Russian practical transcription; the transcription loses letters
(th, w, sz, oe all collapse), so it cannot be inverted by rule alone. Here every spelling
the transcription could have come from is generated letter by letter (`_OPTIONS`: the
ways European, Turkish and Vietnamese orthographies write each Cyrillic sound), pruned
against a list of real given and family names per country (mt/data/foreign-names.tsv, from
Faker's name lists, provenance in foreign-names.SOURCE.md), and a spelling is taken only
when it is clearly the usual one: the countries named in the release first, then the name
listed by at least twice as many countries as any other reading (Thomas, not Tomas).
Otherwise there is no reading and the name stays apart for a translator.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files

# Cyrillic letters and letter groups -> the Latin (folded: lower case, no accents) they may
# stand for. Groups first: the transcription writes some sounds with two letters.
_OPTIONS: dict[str, tuple[str, ...]] = {
    "ай": ("ai", "ay", "aj", "ei", "ey"), "ей": ("ei", "ey", "ej", "ij", "eij", "ai"),
    "ой": ("oi", "oy", "oj", "eu", "au"), "уй": ("ui", "uy", "uj"), "ий": ("ij", "iy", "ii", "i", "y"),
    "ый": ("y", "yi"), "кс": ("x", "ks", "cks", "chs", "cs"), "дж": ("j", "dj", "dzh", "g", "gi"),
    "уа": ("ua", "ois", "oi", "wa"), "ье": ("ie", "ye", "je"), "ьо": ("io", "yo", "jo"),
    "а": ("a", "aa", "ah"), "б": ("b", "bb"), "в": ("v", "w", "vv", "ww"), "г": ("g", "h", "gh", "gg"),
    "д": ("d", "dd", "dt"), "е": ("e", "ee", "ie", "ai", "ei", "ae", "je", "ye"), "ё": ("o", "eu", "io", "yo", "jo"),
    "ж": ("zh", "j", "je", "g", "zs", "z", "s", "ge"), "з": ("z", "s", "zz", "ss"),
    "и": ("i", "y", "ie", "ee", "ii", "ea"), "й": ("j", "y", "i"), "к": ("k", "c", "ck", "ch", "q", "kk", "cc", "qu"),
    "л": ("l", "ll"), "м": ("m", "mm"), "н": ("n", "nn", "gn"), "о": ("o", "oo", "au", "eau", "oh", "ou"),
    "п": ("p", "pp"), "р": ("r", "rr", "rh"), "с": ("s", "ss", "c", "sz", "z", "sc"),
    "т": ("t", "tt", "th", "dt"), "у": ("u", "ou", "oe", "oo", "w", "uu"), "ф": ("f", "ph", "ff", "v"),
    "х": ("h", "kh", "ch", "j", "x"), "ц": ("c", "ts", "z", "tz", "cz"),
    "ч": ("ch", "cz", "c", "tsch", "tch", "cs", "tr"), "ш": ("sh", "sch", "sz", "s", "ch", "ss"),
    "щ": ("shch", "szcz", "sch"), "ъ": ("",), "ы": ("y", "i"), "ь": ("", "i"), "э": ("e", "ae", "a"),
    "ю": ("yu", "ju", "iu", "u", "ue", "eu"), "я": ("ya", "ja", "ia", "a"), " ": (" ",), "'": ("'", ""),
}
_MAX_GROUP = max(len(k) for k in _OPTIONS)
# French and other silent final letters the transcription drops (Дюбуа: Dubois, Клер: Claire)
_SILENT_END = ("", "e", "s", "t", "x", "d", "h")
# particles of family names (де Врис: de Vries, ван дер Берг: van der Berg)
_PARTICLES = frozenset({"де", "ван", "фон", "дер", "ден", "да", "ди", "дю", "ле", "ла", "дель", "делла"})


# letters NFKD does not take apart
_FOLD: dict[str, str | int | None] = {"ł": "l", "ø": "o", "æ": "ae", "đ": "d", "ı": "i", "ß": "ss", "œ": "oe",
                                      "ð": "d", "þ": "th", "ə": "a"}


def fold(name: str) -> str:
    """Lower case without accents: Kovács -> kovacs, Łukasz -> lukasz, Groß -> gross."""
    name = name.lower().translate(str.maketrans(_FOLD))
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, dict[str, frozenset[str]]]]:
    """kind -> folded name -> spelling -> the countries that list it."""
    text = (files("mt") / "data" / "foreign-names.tsv").read_text(encoding="utf-8")
    out: dict[str, dict[str, dict[str, frozenset[str]]]] = {"given": {}, "family": {}}
    for n, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 3 or cells[1] not in out:
            raise ValueError(f"mt/data/foreign-names.tsv: line {n}: want name, given|family, countries")
        out[cells[1]].setdefault(fold(cells[0]), {})[cells[0]] = frozenset(cells[2].split())
    return out


@lru_cache(maxsize=2)
def _prefixes(kind: str) -> frozenset[str]:
    return frozenset(name[:k] for name in _table()[kind] for k in range(len(name) + 1))


def _readings(cyrillic: str, kind: str) -> dict[str, bool]:
    """The folded Latin names of `kind` the Cyrillic word may transcribe -> whether the reading
    adds a silent final letter."""
    word, prefixes, names = cyrillic.lower(), _prefixes(kind), _table()[kind]
    out: set[tuple[str, bool]] = set()
    stack = [(0, "")]
    while stack:
        pos, latin = stack.pop()
        if pos == len(word):
            out.update((latin + end, bool(end)) for end in _SILENT_END if latin + end in names)
            continue
        for width in range(min(_MAX_GROUP, len(word) - pos), 0, -1):
            for option in _OPTIONS.get(word[pos:pos + width], ()):
                if latin + option in prefixes:
                    stack.append((pos + width, latin + option))
    return {latin: silent for latin, silent in sorted(out, key=lambda x: x[1], reverse=True)}


def _usual(spellings: dict[str, frozenset[str]], silent: set[str], countries: frozenset[str]) -> str | None:
    """The spelling to use among the candidates: those of the named countries if any, then
    those without a silent final letter (Per before Pierre, unless France is named), then the
    one listed by at least twice as many countries as the next; None when none is clearly the
    usual one."""
    named = {s: c for s, c in spellings.items() if c & countries}
    pool = named or spellings
    pool = {s: c for s, c in pool.items() if s not in silent} or pool
    ranked = sorted(pool.items(), key=lambda item: -len(item[1]))  # how widely a spelling is used
    if len(ranked) == 1 or len(ranked[0][1]) >= 2 * len(ranked[1][1]):
        return ranked[0][0]
    return None


def _word(cyrillic: str, kind: str, countries: frozenset[str]) -> str | None:
    spellings: dict[str, frozenset[str]] = {}
    silent: set[str] = set()
    for folded, added in _readings(cyrillic, kind).items():
        spellings.update(_table()[kind][folded])
        if added:
            silent.update(_table()[kind][folded])
    return _usual(spellings, silent, countries) if spellings else None


def read_back(name: str, countries: Iterable[str] = ()) -> str | None:
    """The Latin spelling of a foreign person's Cyrillic name (Томас Вебер -> Thomas Weber),
    or None when a word has no clear reading. `countries`: ISO codes of the countries the
    release names (their spellings win). The first word is a given name, the last a family
    name with its particles (Йерун де Врис -> Jeroen de Vries); words between are given names."""
    words = name.split()
    if len(words) < 2 or not all(re.fullmatch(r"[А-Яа-яЁё'-]+", w) for w in words):
        return None
    found = frozenset(c.upper() for c in countries)
    if all(len(re.findall("[аеёиоуыэюя]+", w.lower())) == 1 for w in words):
        # one-syllable words: an East Asian name (mt.glossary.eastasian reads Chinese, Korean
        # and Japanese ones), or with Vietnam named a Vietnamese one: family name first, and
        # English and German press write it without diacritics
        if "VN" not in found:
            return None
        parts = [_word(words[0], "family", found), *(_word(w, "given", found) for w in words[1:])]
        return fold(" ".join(p for p in parts if p)).title() if all(parts) else None
    k = len(words) - 1
    while k > 1 and words[k - 1].lower() in _PARTICLES:
        k -= 1
    given, family = words[:k], " ".join(words[k:])
    parts = [_hyphenated(w, "given", found) for w in given]
    last = _word(family, "family", found) if " " in family else _hyphenated(family, "family", found)
    if last is None or any(p is None for p in parts):
        return None
    return " ".join([*(p for p in parts if p), last])


def _hyphenated(word: str, kind: str, countries: frozenset[str]) -> str | None:
    """Жан-Люк: each part alone (Jean-Luc)."""
    parts = [_word(p, kind, countries) for p in word.split("-")]
    return "-".join(p for p in parts if p) if all(parts) else None


def named_word(cyrillic: str, countries: Iterable[str]) -> str | None:
    """A single word of a foreign name (a founder's name in a company's: Штайнер = Steiner)
    in the spelling of one of the named `countries`, when exactly one of their given or family
    names fits; None without a named country."""
    found = frozenset(c.upper() for c in countries)
    spellings = {s for kind in ("family", "given") for folded in _readings(cyrillic, kind)
                 for s, c in _table()[kind][folded].items() if c & found}
    return spellings.pop() if len(spellings) == 1 else None
