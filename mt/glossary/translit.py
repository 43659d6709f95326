"""Kazakh names in Latin (en, de) and Russian (ru) spelling.

Transliteration goes through the Russian-style spelling (Kazakh letters folded:
Ақтөбе -> Актобе), because that is the spelling English and German press
practice is built on: English follows BGN/PCGN (Askhat Shakharov, Khromtau),
German follows the Duden rules for Russian (Aschat Schacharow, Chromtau).
Latin letters are kept as written. Hand-written tables rather than a library:
the transliteration packages on PyPI cover Russian, not Kazakh, and the tables
are short data. Finding names is mt.glossary.names; proposing entries with their
target forms (exonyms, head nouns, legal forms) is mt.glossary.proposals.
"""

from __future__ import annotations

import re

# Russian: the Cyrillic form that Russian-language Kazakhstani media print (see
# glossaries/README.md, "Romanisation"): the nine Kazakh letters folded to their Russian
# look-alikes (ә а, ғ г, қ к, ң н, ө о, ұ у, ү у, һ х, і и), and л after a front vowel
# ә ө ү і softened to ль before a consonant or at the end (Есіл Есиль, Гүлнар Гульнар,
# Көлсай Кольсай, Үлкен Улькен, Әлжан Альжан).
# Russian: the Cyrillic form that Russian-language Kazakhstani media print (see
# glossaries/README.md, "Romanisation"): the nine Kazakh letters folded to their Russian
# look-alikes (ә а, ғ г, қ к, ң н, ө о, ұ у, ү у, һ х, і и), and л after a front vowel
# ә ө ү і softened to ль before a consonant or at the end (Есіл Есиль, Гүлнар Гульнар,
# Көлсай Кольсай, Үлкен Улькен, Әлжан Альжан).
KK_TO_RU = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
_SOFT_L = re.compile(r"(?<=[әөүіӘӨҮІ])(л)(?![аәеёиоөуұүыіэюяьАӘЕЁИОӨУҰҮЫІЭЮЯЬ])", re.IGNORECASE)

_RU_VOWELS = frozenset("аеёиоуыэюя")
# Vowels after which English writes й as i (not after и, ы: -ий, -ый stay iy, yy).
_AFTER_VOWEL_I = frozenset("аеёоуэюя")

# BGN/PCGN (1947) for Russian; е/ё get a y after a vowel, ъ, ь, й or at the start.
# Kazakhstan's official English (akorda.kz, gov.kz, Kazinform) differs by kind of name:
# persons keep word-initial Ye (Yermek, Yerlan, Yeraly) and double с between vowels
# (Kassym, Kassymbek, Dossayev, Issekeshev); places and organisation names write
# word-initial E (Esil, Esik, Ekibastuz) and a single s (Lisakovsk). See KINDS.
# As in press practice, ё is written yo (o after ж ч ш щ ц) rather than ë, and the
# ъ/ь marks (” ’) are left out.
_EN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "ë", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}
# Duden: в w, ж sch, з s, х ch, ц z, ч tsch, ш sch, щ schtsch, й i / j, е je
# at the start and after a vowel, ъ or ь, с between vowels ss, final -ий -> i,
# ы y, ь left out but ьи ji, ьо jo (Iljitsch, Buljon).
_DE = {
    "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "sch",
    "з": "s", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z",
    "ч": "tsch", "ш": "sch", "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "ju", "я": "ja",
}

_UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІ"
_LOWER = "а-яёәғқңөұүһі"


# Which English romanisation rules a kind of name takes (glossaries/README.md, Romanisation).
KINDS = ("person", "place")


def to_russian(kk: str) -> str:
    """Kazakh letters folded to Russian spelling: Ақтөбе -> Актобе, Есіл -> Есиль."""
    return _SOFT_L.sub(lambda m: m.group(1) + ("Ь" if m.group(1).isupper() else "ь"), kk).translate(KK_TO_RU)


def _apply_case(src: str, out: str, word_upper: bool) -> str:
    if not out or not src.isupper():
        return out
    return out.upper() if word_upper else out[0].upper() + out[1:]


def _translit_word(word: str, lang: str, kind: str = "person") -> str:
    ru = to_russian(word)
    low = ru.lower()
    upper = sum(c.isupper() for c in ru) > 1 and ru.upper() == ru
    table = _EN if lang == "en" else _DE
    out: list[str] = []
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else ""
        nxt = low[i + 1] if i + 1 < len(low) else ""
        if ch not in table:
            out.append(ru[i])
            continue
        piece = table[ch]
        starts = not prev or not prev.isalpha()
        if lang == "en":
            if ch == "е" and starts and kind != "person":
                piece = "e"  # Esil, Ekibastuz (places); Yerlan (persons)
            elif ch == "е" and (starts or prev in _RU_VOWELS or prev in "ъьй"):
                piece = "ye"
            elif ch == "с" and kind == "person" and prev in _RU_VOWELS and nxt in _RU_VOWELS:
                piece = "ss"  # Kassym, Dossayev; places keep s (Lisakovsk)
            elif ch == "ё":
                piece = "o" if prev and prev in "жчшщц" else "yo"
            elif ch == "й" and prev in _AFTER_VOWEL_I:
                # Kazakhstan's official English writes й after a vowel as i (Aibek, Kairat,
                # Tuimebayev; Kordai, Zhaiyk, Baizak), but a person's final -ай/-ей as y
                # (Dadebay); -ий/-ый keep BGN's iy/yy (Yuriy). glossaries/README.md.
                piece = "y" if kind == "person" and not nxt.isalpha() else "i"
        else:
            if ch == "е" and (starts or prev in _RU_VOWELS or prev in "ъь"):
                piece = "je"
            elif ch == "ё" and prev and prev in "жчшщ":
                piece = "o"
            elif ch in "ио" and prev == "ь":
                piece = "j" + piece
            elif ch == "й":
                if nxt in _RU_VOWELS:
                    piece = "j"
                elif prev in "иы" and not nxt.isalpha():
                    piece = ""  # -ий -> -i, -ый -> -y
            elif ch == "с" and prev in _RU_VOWELS and nxt in _RU_VOWELS:
                piece = "ss"
        out.append(_apply_case(ru[i], piece, upper))
    return "".join(out)


def transliterate(kk: str, lang: str, kind: str = "person") -> str:
    """A Kazakh name in the target language's spelling (en, de, ru).

    Askhat Shakharov (en, BGN/PCGN as Kazakhstan's official English writes it), Aschat
    Schacharow (de, Duden), Асхат Шахаров (ru: Kazakh letters folded). `kind` "person"
    or "place" (places and organisation names) picks the English rules for word-initial
    е and for с between vowels (Yerlan, Kassym; Esil, Lisakovsk). Latin text is kept as is."""
    if kind not in KINDS:
        raise ValueError(f"no transliteration kind {kind!r}: use one of {', '.join(KINDS)}")
    if lang == "ru":
        return to_russian(kk)
    if lang not in ("en", "de"):
        raise ValueError(f"no transliteration for {lang!r}: use en, de or ru")
    return re.sub(rf"[{_UPPER}{_LOWER}ЪЬЫЭЮЯъьыэюя]+",
                  lambda m: _translit_word(m.group(), lang, kind), kk)
