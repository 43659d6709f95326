"""Kazakh nominal suffixes, generated from vowel harmony and consonant assimilation.

A word's suffix set depends only on its *class*: front/back harmony, the sound
class of its final letter, and whether it already ends in a 3rd-person
possessive (облысы, Елшілігі), which then takes the n-forms (облысына,
облысында, облысын). The tables below are the data; `suffixes()` builds every
chain (plural, possessive, case, -дағы) for a class once and caches it, so
matching a token is a split plus two dict lookups, never a per-word listing.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

from mt.types import Analysis

BACK_VOWELS = frozenset("аоұыяёу")
FRONT_VOWELS = frozenset("әөүіеэиюө")
VOWELS = BACK_VOWELS | FRONT_VOWELS
_GLIDE_VOWELS = frozenset("уү")

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
# л takes the case endings of р/й/у (Ерасылдың, Ерасылға) but the plural of the nasals
PLURAL_AFTER_L = ("дар", "дер")
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
    у before a consonant is a loan vowel (Тимур -> back), but у/ү right after a
    vowel is a glide and the vowel before it decides (Сеул, Реул -> front). Loan и counts as
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
    for i in range(end - 1, -1, -1):  # other non-letters are no vowels either
        ch = low[i]
        if ch in _GLIDE_VOWELS and i and low[i - 1] in VOWELS:
            continue  # у/ү after a vowel is a glide: Сеул, Реул take front endings
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


Morphs = tuple[tuple[str, str], ...]  # (tag, text) of each morpheme of a chain


def _case_morphs(final: str, harmony: str, *, after_px3: bool = False) -> list[tuple[str, str]]:
    if after_px3:
        return [(tag, _pick(pair, harmony)) for tag, pair in CASES_AFTER_PX3.items()]
    return [(tag, _pick(table[final], harmony)) for tag, table in CASES.items()]


def _case_endings(final: str, harmony: str, *, after_px3: bool = False) -> list[str]:
    return [text for _, text in _case_morphs(final, harmony, after_px3=after_px3)]


def _after_possessive(name: str, final: str, harmony: str) -> list[Morphs]:
    """A possessive followed by nothing or a case ending."""
    poss = (name, _pick(POSSESSIVES[name][0 if final == VOWEL else 1], harmony))
    if name == "px3":
        return [(poss,)] + [(poss, c) for c in _case_morphs(VOWEL, harmony, after_px3=True)]
    cases = _case_morphs(_POSS_FINAL[name], harmony)
    if name in ("px1sg", "px2sg"):
        cases = [c for c in cases if c[0] != "dat"] + [("dat", _pick(DAT_AFTER_PX12SG, harmony))]
    return [(poss,)] + [(poss, c) for c in cases]


@cache
def class_chains(final: str, harmony: str, px3: bool = False, lateral: bool = False) -> dict[str, Morphs]:
    """Every suffix chain for one class -> its morphemes, the empty chain included.

    Chains: (PL) (POSS) (CASE | -дағы). `px3` is for words that already end in a
    3rd-person possessive (Ақтөбе облысы): only n-form cases follow. `lateral`:
    the word ends in л, which takes the case endings of р/й/у but the plural
    -дар/-дер (жылдар, елдер). A string two chains spell keeps the first, shorter one."""
    chains: list[Morphs] = [()]
    if px3:
        chains += [(c,) for c in _case_morphs(final, harmony, after_px3=True)]
    else:
        chains += [(c,) for c in _case_morphs(final, harmony)]
        for name in POSSESSIVES:
            chains += _after_possessive(name, final, harmony)
        plural = ("pl", _pick(PLURAL_AFTER_L if lateral else PLURAL[final], harmony))
        chains.append((plural,))
        chains += [(plural, c) for c in _case_morphs(GLIDE, harmony)]  # -лар ends in р
        for name in POSSESSIVES:
            chains += [(plural, *m) for m in _after_possessive(name, GLIDE, harmony)]
    out: dict[str, Morphs] = {}
    for morphs in chains:
        out.setdefault("".join(text for _, text in morphs), morphs)
    return out


@cache
def class_suffixes(final: str, harmony: str, px3: bool = False, lateral: bool = False) -> frozenset[str]:
    """Every suffix chain for one class, the empty suffix included (see class_chains)."""
    return frozenset(class_chains(final, harmony, px3, lateral))


# Every (final sound class, vowel harmony, final л) a stem can have.
_CLASSES = tuple((final, harmony, final == GLIDE and lateral)
                 for final in (VOWEL, GLIDE, NASAL, VOICED, VOICELESS)
                 for harmony in ("back", "front") for lateral in (False, True))


@cache
def any_suffix() -> frozenset[str]:
    """The union over all classes: what an acronym may take (ЕҚДБ-ның, АҚШ-тың)."""
    out: set[str] = set()
    for final, harmony, lateral in _CLASSES:
        out |= class_suffixes(final, harmony, False, lateral)
        out |= class_suffixes(final, harmony, True)
    return frozenset(out)


@cache
def case_suffixes() -> frozenset[str]:
    """Bare case endings (and -дағы) of every class, incl. the n-forms."""
    out: set[str] = set()
    for final, harmony, _ in _CLASSES:
        out.update(_case_endings(final, harmony))
        out.update(_case_endings(final, harmony, after_px3=True))
    return frozenset(out)


def _is_lateral(word: str) -> bool:
    return word.lower().rstrip("ьъ").endswith("л")


def suffixes(word: str, *, px3: bool = False) -> frozenset[str]:
    """The suffixes `word` may take (the empty one included), as written after
    the word itself; a stem that voices its final к/қ/п takes its vowel-initial
    suffixes on the voiced stem instead (see stem_forms).

    With px3=True the word ends in a 3rd-person possessive (облысы): only the
    n-form cases follow (облысына, облысында, облысын)."""
    return _union_of_classes(harmonies(word), final_classes(word), px3, _is_lateral(word))


def chains(word: str, *, px3: bool = False) -> dict[str, Morphs]:
    """suffix chain -> its morphemes, for every chain `word` may take."""
    return _union_of_chains(harmonies(word), final_classes(word), px3, _is_lateral(word))


@cache
def _union_of_classes(harmony_set: frozenset[str], finals: frozenset[str], px3: bool,
                      lateral: bool = False) -> frozenset[str]:
    # a handful of distinct keys, so a word's suffix set is shared, not rebuilt
    return frozenset(_union_of_chains(harmony_set, finals, px3, lateral))


@cache
def _union_of_chains(harmony_set: frozenset[str], finals: frozenset[str], px3: bool,
                     lateral: bool) -> dict[str, Morphs]:
    out: dict[str, Morphs] = {}
    for harmony in sorted(harmony_set):
        for final in sorted(finals):
            for chain, morphs in class_chains(final, harmony, px3, lateral).items():
                out.setdefault(chain, morphs)
    return out


# к қ п after a vowel voice before a vowel-initial suffix: Одақ -> Одағы, кітап -> кітабы
_VOICING = {"к": "г", "қ": "ғ", "п": "б"}
_DEVOICING = {v: k for k, v in _VOICING.items()}
# A word with none of these letters is taken for a loan, which may keep its final
# consonant (банкі, Бишкекі) as well as voice it.
_KAZAKH_ONLY = frozenset("әғқңөұүһі")


def voiced_stem(word: str) -> str | None:
    """The stem a vowel-initial suffix attaches to when it differs from the word
    (Одақ -> Одағ, кітап -> кітаб), else None."""
    if len(word) >= 2 and word[-1].lower() in _VOICING and word[-2].lower() in VOWELS:
        voiced = _VOICING[word[-1].lower()]
        return word[:-1] + (voiced.upper() if word[-1].isupper() else voiced)
    return None


@cache
def _split_vowel_initial(full: frozenset[str], loan: bool) -> tuple[frozenset[str], frozenset[str]]:
    vowel_initial = frozenset(s for s in full if s[:1] in VOWELS)
    return (full if loan else full - vowel_initial), vowel_initial


def stem_forms(word: str, *, px3: bool = False) -> tuple[tuple[str, frozenset[str]], ...]:
    """(stem as written, the suffixes written after it) for each way the word is
    spelt before a suffix: one pair, or two for a final к/қ/п after a vowel
    (Одақ: Одақ + тың ...; Одағ + ы, ым ...)."""
    full = suffixes(word, px3=px3)
    voiced = voiced_stem(word)
    if voiced is None:
        return ((word, full),)
    plain, vowel_initial = _split_vowel_initial(full, _KAZAKH_ONLY.isdisjoint(word.lower()))
    return ((word, plain), (voiced, vowel_initial))


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
    return {stem + s for stem, chain_set in stem_forms(word, px3=px3) for s in chain_set}


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


@cache
def plural_head_forms(head: str) -> frozenset[str]:
    """The plural of a possessed head noun with its case endings, as a list of names
    sharing it writes them: облысы -> облыстары, облыстарында, облыстарының ...;
    ауданы -> аудандары ...; қаласы -> қалалары ... Empty for a word that is no
    possessed head."""
    low = head.lower()
    if not ends_in_px3(head):
        return frozenset()
    # қала+сы or кеңес+і: both readings when the letter before -сы is a vowel other than
    # ы/і (stems rarely end in ы/і, so -сы after ы/і is stem + ы)
    stems = [head[:-1]]
    if low.endswith(("сы", "сі")) and low[-3:-2] in VOWELS - {"ы", "і"}:
        stems.append(head[:-2])
    out: set[str] = set()
    for stem in stems:
        if not stem or not any(c in VOWELS for c in stem.lower()):
            continue
        stem = _unvoice(stem) or stem  # министрлігі -> министрлік -> министрліктері
        harmony = "back" if "back" in harmonies(stem) else "front"
        table = PLURAL_AFTER_L if _is_lateral(stem) else PLURAL[next(iter(sorted(final_classes(stem))))]
        plural = stem + _pick(table, harmony) + ("ы" if harmony == "back" else "і")
        out.update(plural + s for s in suffixes(plural, px3=True))
    return frozenset(out)

def _unvoice(stem: str) -> str | None:
    """The dictionary form behind a voiced stem of a native word (Одағ -> Одақ,
    кітаб -> кітап, Елшіліг -> Елшілік), else None. A loan (no Kazakh-only
    letter before the last one: клуб, Олег) keeps its г/б."""
    low = stem.lower()
    if len(low) < 2 or low[-1] not in _DEVOICING or low[-2] not in VOWELS:
        return None
    if low[-1] != "ғ" and _KAZAKH_ONLY.isdisjoint(low[:-1]):
        return None
    plain = _DEVOICING[low[-1]]
    return stem[:-1] + (plain.upper() if stem[-1].isupper() else plain)


# -- the lemmatiser: stem + suffix chain, only where the rules generate the chain ---------

# What a name's lemma sheds without evidence from the release: plural, 1pl possessive,
# cases. A 3rd-person possessive is kept (Ақтөбе облысы, Еуропа Одағы are the names),
# 1sg/2sg possessives are no press-release forms (Айгерім is not Айгері+м).
_STRIPPED_BY_DEFAULT = frozenset({"pl", "px1pl", *CASES})
_MIN_STEM = 2
__all__ = ["Analysis", "analyses", "lemma"]


def analyses(word: str) -> list[Analysis]:
    """Every reading of `word` as stem + suffix chain that the rules generate for
    that stem, the uninflected reading first.

    A chain counts only if it fits the stem's harmony and final sound (Астанаде
    is no form of Астана), the stem keeps a vowel, and a voiced к/қ/п is undone
    (Одағы -> Одақ + ы). The n-cases after a 3rd-person possessive (облысын) need
    a stem that is one (облыс+ы, not Айд+ы: no native stem ends in б в г ғ д), so
    Айдын stays Айдын."""
    out = [Analysis(word)]
    low = word.lower()
    tails = any_suffix()
    for cut in range(1, min(len(word) - _MIN_STEM, MAX_SUFFIX) + 1):
        tail = low[-cut:]
        if tail not in tails:
            continue
        written = word[:-cut]
        if VOWELS.isdisjoint(written.lower()):
            continue
        candidates = [written]
        if tail[0] in VOWELS and (plain := _unvoice(written)) is not None:
            candidates.append(plain)
        for stem in candidates:
            morphs = _chain_of(stem, written, tail)
            if morphs is not None:
                parts, pos = [], len(written)
                for _, text in morphs:
                    parts.append(word[pos:pos + len(text)])
                    pos += len(text)
                out.append(Analysis(stem, tuple(parts), tuple(tag for tag, _ in morphs)))
    return out


def _chain_of(stem: str, written: str, tail: str) -> Morphs | None:
    """The morphemes of `tail` if the rules write it after `stem` spelt `written`."""
    for form, chain_set in stem_forms(stem):
        if form.lower() == written.lower() and tail in chain_set:
            return chains(stem)[tail]
    if stem == written and ends_in_px3(stem) and _is_px3_form(stem):
        return chains(stem, px3=True).get(tail)
    return None


def _is_px3_form(word: str) -> bool:
    """Whether the rules make `word` a 3rd-person possessive of a plausible stem:
    облысы (облыс+ы), қаласы (қала+сы), Елшілігі (Елшілік+і); not Айды (Айд+ы)."""
    low = word.lower()
    for cut in (1, 2):
        stem, tail = word[:-cut], low[-cut:]
        if len(stem) < _MIN_STEM or VOWELS.isdisjoint(stem.lower()):
            continue
        if stem.lower()[-1] in "бвгғд" and _unvoice(stem) is None:
            continue  # no Kazakh stem ends so: a д before -ы is no possessed stem
        for candidate in (stem, _unvoice(stem)):
            if candidate is not None and _chain_of(candidate, stem, tail) is not None \
                    and chains(candidate)[tail] == (("px3", tail),):
                return True
    return False


def lemma(word: str, known_stems: Collection[str] = frozenset()) -> str:
    """The dictionary form of an inflected name (the last word of a span).

    `known_stems`: words seen elsewhere in the release (any form; the word itself
    is no evidence). A stem of some analysis that was seen wins (the longest);
    else a seen word that is the word plus a generated suffix (Ерденге seen:
    Ерден is a stem, not Ер+ден); else the shortest stem whose chain is only
    plural, 1pl possessive and cases (Токиода -> Токио, Қазақстанымыздың ->
    Қазақстан, облысында -> облысы); else the word."""
    found = [a for a in analyses(word) if a.suffixes]
    if not found:
        return word
    known = {k.lower() for k in known_stems}
    seen = [a for a in found if a.stem.lower() in known]
    if seen:
        return max(seen, key=lambda a: len(a.stem)).stem
    plain = [a for a in found if _STRIPPED_BY_DEFAULT.issuperset(a.tags)]
    if not plain or _seen_as_stem(word, known):
        return word
    return min(plain, key=lambda a: len(a.stem)).stem


def _seen_as_stem(word: str, known: set[str]) -> bool:
    low = word.lower()
    return any(k != low and k.startswith(low[:-1]) and
               any(a.stem.lower() == low for a in analyses(k)) for k in known)
