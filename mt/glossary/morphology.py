"""Kazakh nominal suffixes, generated from vowel harmony and consonant assimilation.

A word's suffix set depends only on its *class*: front/back harmony, the sound
class of its final letter, and whether it already ends in a 3rd-person
possessive (облысы, Елшілігі), which then takes the n-forms (облысына,
облысында, облысын). The tables below are the data; `suffixes()` builds every
chain (plural, possessive, case, -дағы) for a class once and caches it, so
matching a token is a split plus two dict lookups, never a per-word listing.
"""

from __future__ import annotations

from functools import lru_cache

BACK_VOWELS = frozenset("аоұыяёу")
FRONT_VOWELS = frozenset("әөүіеэиюө")
VOWELS = BACK_VOWELS | FRONT_VOWELS

# Final-sound classes. Loan-final б в г д act voiceless (Шахаровтың, клубқа);
# final у/и are glides and act like й (Хромтауда, Хромтаудың, Хромтауы).
VOWEL, GLIDE, NASAL, VOICED, VOICELESS = "vowel", "glide", "nasal", "voiced", "voiceless"
_FINAL_CLASS = {
    **{c: GLIDE for c in "йуилр"},
    **{c: NASAL for c in "мнң"},
    **{c: VOICED for c in "зж"},
    **{c: VOICELESS for c in "кқпстфхцчшщбвгдһ"},
}
# ж is voiced in native words but the cases treat it like б в г д in
# loans (Париж); both suffix sets are accepted for it.
_ALSO_VOICELESS = frozenset("ж")

# Each suffix: (back, front) for every final class; "V" means the preceding sound
# is a vowel. Written as data: one row per morpheme, one column per class.
#            vowel          glide          nasal          voiced         voiceless
CASES: dict[str, dict[str, tuple[str, str]]] = {
    "gen": {VOWEL: ("ның", "нің"), GLIDE: ("дың", "дің"), NASAL: ("ның", "нің"),
            VOICED: ("дың", "дің"), VOICELESS: ("тың", "тің")},
    "acc": {VOWEL: ("ны", "ні"), GLIDE: ("ды", "ді"), NASAL: ("ды", "ді"),
            VOICED: ("ды", "ді"), VOICELESS: ("ты", "ті")},
    "dat": {VOWEL: ("ға", "ге"), GLIDE: ("ға", "ге"), NASAL: ("ға", "ге"),
            VOICED: ("ға", "ге"), VOICELESS: ("қа", "ке")},
    "loc": {VOWEL: ("да", "де"), GLIDE: ("да", "де"), NASAL: ("да", "де"),
            VOICED: ("да", "де"), VOICELESS: ("та", "те")},
    "abl": {VOWEL: ("дан", "ден"), GLIDE: ("дан", "ден"), NASAL: ("нан", "нен"),
            VOICED: ("дан", "ден"), VOICELESS: ("тан", "тен")},
    "ins": {VOWEL: ("мен", "мен"), GLIDE: ("мен", "мен"), NASAL: ("мен", "мен"),
            VOICED: ("бен", "бен"), VOICELESS: ("пен", "пен")},
    "locattr": {VOWEL: ("дағы", "дегі"), GLIDE: ("дағы", "дегі"), NASAL: ("дағы", "дегі"),
                VOICED: ("дағы", "дегі"), VOICELESS: ("тағы", "тегі")},
}
# After a 3rd-person possessive (-ы/-і/-сы/-сі) the cases take n-forms.
CASES_AFTER_PX3: dict[str, tuple[str, str]] = {
    "gen": ("ның", "нің"), "acc": ("н", "н"), "dat": ("на", "не"), "loc": ("нда", "нде"),
    "abl": ("нан", "нен"), "ins": ("мен", "мен"), "locattr": ("ндағы", "ндегі"),
}
# After 1sg/2sg possessives (-м, -ң) the dative is -а/-е.
DAT_AFTER_PX12SG = ("а", "е")

PLURAL = {VOWEL: ("лар", "лер"), GLIDE: ("лар", "лер"), NASAL: ("дар", "дер"),
          VOICED: ("дар", "дер"), VOICELESS: ("тар", "тер")}
# Possessives: (after a vowel, after a consonant) x (back, front).
POSSESSIVES: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "px1sg": (("м", "м"), ("ым", "ім")),
    "px2sg": (("ң", "ң"), ("ың", "ің")),
    "px2sg.pol": (("ңыз", "ңіз"), ("ыңыз", "іңіз")),
    "px1pl": (("мыз", "міз"), ("ымыз", "іміз")),
    "px3": (("сы", "сі"), ("ы", "і")),
}
# The class of the sound a possessive leaves at the end of the word.
_POSS_FINAL = {"px1sg": NASAL, "px2sg": NASAL, "px2sg.pol": VOICED, "px1pl": VOICED}

MAX_SUFFIX = 16
_RU_SURNAME = ("ов", "ев", "ёв", "ова", "ева")  # longer than any chain generated below


def harmonies(word: str) -> frozenset[str]:
    """'back' and/or 'front' for a word, from its last vowel.

    A final у is a glide and is skipped (Хромтау -> а -> back; су -> back); a
    у before a consonant is a loan vowel (Тимур -> back). Loan и counts as
    front (Берлинге), я/ю by their vowel (Германияға). Without any vowel
    (acronyms: ЕҚДБ) both are possible."""
    low = word.lower()
    if len(low) > 4 and low.endswith(_RU_SURNAME) and not VOWELS.isdisjoint(low[:-3]):
        # Russian-style surnames: the Kazakh root decides (Назарбаевқа, Тоқаевтың),
        # though the suffix vowel is also seen
        root = low[: -3 if low.endswith(("ова", "ева")) else -2]
        return harmonies(root) | harmonies(low[-3:] if low.endswith(("ова", "ева")) else low[-2:])
    end = len(low)
    while end and (not low[end - 1].isalpha() or low[end - 1] in "ьъ"):
        end -= 1
    final_u = bool(end) and low[end - 1] == "у"
    if final_u:
        end -= 1
    for ch in reversed(low[:end]):  # other non-letters are no vowels either
        if ch in BACK_VOWELS:
            return _BACK
        if ch in FRONT_VOWELS:
            return _FRONT
    return _BACK if final_u else _BOTH


_BACK, _FRONT, _BOTH = frozenset({"back"}), frozenset({"front"}), frozenset({"back", "front"})


def final_classes(word: str) -> frozenset[str]:
    """The sound class(es) of a word's final letter (a soft sign is skipped)."""
    w = word.lower().rstrip("ьъ")
    if not w:
        return frozenset({VOWEL})
    last = w[-1]
    if last in _FINAL_CLASS:
        if last in _ALSO_VOICELESS:
            return frozenset({VOICED, VOICELESS})
        return frozenset({_FINAL_CLASS[last]})
    if last in VOWELS:
        return frozenset({VOWEL})
    return frozenset({VOICELESS})


def _pick(pair: tuple[str, str], harmony: str) -> str:
    return pair[0] if harmony == "back" else pair[1]


def _case_endings(final: str, harmony: str, *, after_px3: bool = False) -> list[str]:
    if after_px3:
        return [_pick(p, harmony) for p in CASES_AFTER_PX3.values()]
    return [_pick(table[final], harmony) for table in CASES.values()]


def _after_possessive(name: str, final: str, harmony: str) -> list[str]:
    """A possessive followed by nothing or a case ending."""
    poss = _pick(POSSESSIVES[name][0 if final == VOWEL else 1], harmony)
    out = [poss]
    if name == "px3":
        out += [poss + c for c in _case_endings(VOWEL, harmony, after_px3=True)]
        return out
    after = _POSS_FINAL[name]
    cases = _case_endings(after, harmony)
    if name in ("px1sg", "px2sg"):
        dat = _pick(CASES["dat"][after], harmony)
        cases = [c for c in cases if c != dat] + [_pick(DAT_AFTER_PX12SG, harmony)]
    out += [poss + c for c in cases]
    return out


@lru_cache(maxsize=None)
def class_suffixes(final: str, harmony: str, px3: bool = False) -> frozenset[str]:
    """Every suffix chain for one class, the empty suffix included.

    Chains: (PL) (POSS) (CASE | -дағы). `px3` is for words that already end in a
    3rd-person possessive (Ақтөбе облысы): only n-form cases follow."""
    if px3:
        return frozenset({""} | set(_case_endings(final, harmony, after_px3=True)))
    out: set[str] = {""}
    out.update(_case_endings(final, harmony))
    for name in POSSESSIVES:
        out.update(_after_possessive(name, final, harmony))
    plural = _pick(PLURAL[final], harmony)
    out.add(plural)
    out.update(plural + c for c in _case_endings(GLIDE, harmony))  # -лар ends in р
    for name in POSSESSIVES:
        out.update(plural + s for s in _after_possessive(name, GLIDE, harmony))
    return frozenset(out)


# Every (final sound class, vowel harmony) pair a stem can have.
_CLASSES = tuple((final, harmony) for final in (VOWEL, GLIDE, NASAL, VOICED, VOICELESS)
                 for harmony in ("back", "front"))


@lru_cache(maxsize=None)
def any_suffix() -> frozenset[str]:
    """The union over all classes: what an acronym may take (ЕҚДБ-ның, АҚШ-тың)."""
    out: set[str] = set()
    for final, harmony in _CLASSES:
        out |= class_suffixes(final, harmony)
        out |= class_suffixes(final, harmony, True)
    return frozenset(out)


@lru_cache(maxsize=None)
def case_suffixes() -> frozenset[str]:
    """Bare case endings (and -дағы) of every class, incl. the n-forms."""
    out: set[str] = set()
    for final, harmony in _CLASSES:
        out.update(_case_endings(final, harmony))
        out.update(_case_endings(final, harmony, after_px3=True))
    return frozenset(out)


def suffixes(word: str, *, px3: bool = False) -> frozenset[str]:
    """The suffixes `word` may take (the empty one included).

    With px3=True the word ends in a 3rd-person possessive (облысы): only the
    n-form cases follow (облысына, облысында, облысын)."""
    return _union_of_classes(harmonies(word), final_classes(word), px3)


@lru_cache(maxsize=None)
def _union_of_classes(harmony_set: frozenset[str], finals: frozenset[str], px3: bool) -> frozenset[str]:
    # a handful of distinct keys, so a word's suffix set is shared, not rebuilt
    out: set[str] = set()
    for harmony in harmony_set:
        for final in finals:
            out |= class_suffixes(final, harmony, px3)
    return frozenset(out)


def is_acronym(word: str) -> bool:
    """ЕҚДБ, АҚШ, BASF, СНПС-АМГ: two or more letters, all upper case."""
    return word.isupper() and len(word) >= 2 and sum(map(str.isalpha, word)) >= 2


def ends_in_px3(word: str) -> bool:
    """Whether the last word of a multi-word term can be a possessed head
    (облысы, Елшілігі, орынбасары, комбинаты)."""
    return len(word) > 2 and word.lower()[-1] in "ыі"


def inflections(word: str, *, px3: bool = False) -> set[str]:
    """The suffixed forms of a Kazakh word, the word itself included.

    Acronyms take any suffix after a hyphen (ЕҚДБ-ның). px3=True: the word is
    a possessed head (облысы, the last word of Ақтөбе облысы); a single word
    cannot tell, so the default is the regular forms."""
    if is_acronym(word):
        return {word} | {f"{word}-{s}" for s in any_suffix() if s}
    return {word + s for s in suffixes(word, px3=px3)}


def strip_case(word: str, *, min_stem: int = 2) -> str:
    """The nominative of a word with one case ending (or -дағы), else the word.

    Шахаровтың -> Шахаров, Хромтауда -> Хромтау, облысында -> облысы,
    ЕҚДБ-ның -> ЕҚДБ. Only a case ending is removed, so possessed heads keep
    their possessive; a split is taken only when the ending fits the stem's
    harmony and final sound. Names in -стан are never read as ablatives."""
    if "-" in word:
        head, _, tail = word.rpartition("-")
        if tail and tail.lower() in any_suffix() and head:
            return head
    low = word.lower()
    if low.endswith(("стан", "стон", "стен")):
        return word
    for cut in range(min(len(word) - min_stem, MAX_SUFFIX), 0, -1):
        stem, tail = word[:-cut], low[-cut:]
        if tail not in case_suffixes():
            continue
        if not any(c in VOWELS for c in stem.lower()):
            continue
        plain = _case_set(stem, px3=False)
        if tail in plain:
            return stem
        if ends_in_px3(stem) and tail in _case_set(stem, px3=True):
            return stem
    return word


def _case_set(stem: str, *, px3: bool) -> frozenset[str]:
    out: set[str] = set()
    for harmony in harmonies(stem):
        for final in final_classes(stem):
            out.update(_case_endings(final, harmony, after_px3=px3))
    return frozenset(out)


@lru_cache(maxsize=None)
def plural_head_forms(head: str) -> frozenset[str]:
    """The plural of a possessed head noun with its case endings, as a list of names
    sharing it writes them: облысы -> облыстары, облыстарында, облыстарының ...;
    ауданы -> аудандары ...; қаласы -> қалалары ... Empty for a word that is no
    possessed head."""
    low = head.lower()
    if not ends_in_px3(head):
        return frozenset()
    # қала+сы, but облыс+ы: stems rarely end in ы/і, so -сы after ы/і is stem + ы
    stem = head[:-2] if low.endswith(("сы", "сі")) and low[-3:-2] in VOWELS - {"ы", "і"} else head[:-1]
    if not stem or not any(c in VOWELS for c in stem.lower()):
        return frozenset()
    harmony = "back" if "back" in harmonies(stem) else "front"
    plural = stem + _pick(PLURAL[next(iter(sorted(final_classes(stem))))], harmony)
    plural += "ы" if harmony == "back" else "і"
    return frozenset(plural + s for s in suffixes(plural, px3=True))
