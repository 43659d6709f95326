"""Chinese, Korean and Japanese persons' names written in Cyrillic, back to their
standard romanisation.

Kazakh and Russian press write these names by fixed transcription systems, so the
syllables can be read back:
- Chinese: Palladius (Си Цзиньпин) -> Hanyu Pinyin (Xi Jinping), syllable by syllable, a
  given name of two syllables written as one word; the table is the pinyin syllable
  inventory with each syllable's Palladius form, built from the published initial/final
  correspondences (one-to-one: the round trip is tested for every syllable).
- Japanese: Polivanov (Такэси Ямада) -> modified Hepburn (Takeshi Yamada), name order as
  written; long vowels are not marked in either (press practice), н before a vowel is
  written n without the apostrophe (Junichiro, as English press writes it).
- Korean: Kontsevich (Чхве Сон Мин) -> Revised Romanization, given name hyphenated as
  Korean press writes it (Seong-min), and the common surnames in their conventional
  English spelling (Kim, Lee, Park ...). Kontsevich is NOT reversible: о is both ㅓ and ㅗ,
  ё both ㅕ and ㅛ, final н both ㄴ and ㅇ (Сон = 선 성 손 송). A syllable with such a letter
  gets the reading most usual in given names and the name counts as uncertain.

`romanise(name, hint)` decides the system from the syllable inventories and the name's
shape; the country named in the same paragraph (`country_hint`) breaks ties; an
ambiguous name stays uncertain (the caller sets it apart).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

# -- Chinese ----------------------------------------------------------------------------------

# The Hanyu Pinyin syllable inventory (ü written v), by initial.
_PINYIN = """
a o e ai ei ao ou an en ang eng er
yi ya ye yao you yan yin yang ying yong wu wa wo wai wei wan wen wang weng yu yue yuan yun
ba bo bai bei bao ban ben bang beng bi bie biao bian bin bing bu
pa po pai pei pao pou pan pen pang peng pi pie piao pian pin ping pu
ma mo me mai mei mao mou man men mang meng mi mie miao miu mian min ming mu
fa fo fei fou fan fen fang feng fu
da de dai dei dao dou dan den dang deng dong di dia die diao diu dian ding du duo dui duan dun
ta te tai tao tou tan tang teng tong ti tie tiao tian ting tu tuo tui tuan tun
na ne nai nei nao nou nan nen nang neng nong ni nie niao niu nian nin niang ning nu nuo nuan
nv nve
la le lai lei lao lou lan lang leng long li lia lie liao liu lian lin liang ling lu luo luan lun
lv lve
ga ge gai gei gao gou gan gen gang geng gong gu gua guo guai gui guan gun guang
ka ke kai kei kao kou kan ken kang keng kong ku kua kuo kuai kui kuan kun kuang
ha he hai hei hao hou han hen hang heng hong hu hua huo huai hui huan hun huang
ji jia jie jiao jiu jian jin jiang jing jiong ju jue juan jun
qi qia qie qiao qiu qian qin qiang qing qiong qu que quan qun
xi xia xie xiao xiu xian xin xiang xing xiong xu xue xuan xun
zha zhe zhi zhai zhei zhao zhou zhan zhen zhang zheng zhong zhu zhua zhuo zhuai zhui zhuan zhun
zhuang
cha che chi chai chao chou chan chen chang cheng chong chu chua chuo chuai chui chuan chun chuang
sha she shi shai shei shao shou shan shen shang sheng shu shua shuo shuai shui shuan shun shuang
re ri rao rou ran ren rang reng rong ru rua ruo rui ruan run
za ze zi zai zei zao zou zan zen zang zeng zong zu zuo zui zuan zun
ca ce ci cai cao cou can cen cang ceng cong cu cuo cui cuan cun
sa se si sai sao sou san sen sang seng song su suo sui suan sun
""".split()

_PAL_INITIAL = {
    "b": "б", "p": "п", "m": "м", "f": "ф", "d": "д", "t": "т", "n": "н", "l": "л",
    "g": "г", "k": "к", "h": "х", "j": "цз", "q": "ц", "x": "с", "zh": "чж", "ch": "ч",
    "sh": "ш", "r": "ж", "z": "цз", "c": "ц", "s": "с", "": "",
}
# Finals after a consonant (Palladius); the zero-initial spellings are in _PAL_ZERO.
_PAL_FINAL = {
    "a": "а", "o": "о", "e": "э", "ai": "ай", "ei": "эй", "ao": "ао", "ou": "оу",
    "an": "ань", "en": "энь", "ang": "ан", "eng": "эн", "ong": "ун", "er": "эр",
    "i": "и", "ia": "я", "ie": "е", "iao": "яо", "iu": "ю", "ian": "янь", "in": "инь",
    "iang": "ян", "ing": "ин", "iong": "юн", "u": "у", "ua": "уа", "uo": "о", "uai": "уай",
    "ui": "уй", "uan": "уань", "un": "унь", "uang": "уан", "v": "юй", "ve": "юэ",
}
_PAL_ZERO = {
    "yi": "и", "ya": "я", "ye": "е", "yao": "яо", "you": "ю", "yan": "янь", "yin": "инь",
    "yang": "ян", "ying": "ин", "yong": "юн", "wu": "у", "wa": "ва", "wo": "во",
    "wai": "вай", "wei": "вэй", "wan": "вань", "wen": "вэнь", "wang": "ван", "weng": "вэн",
    "yu": "юй", "yue": "юэ", "yuan": "юань", "yun": "юнь",
}


def _split_pinyin(syl: str) -> tuple[str, str]:
    for ini in ("zh", "ch", "sh", *"bpmfdtnlgkhjqxrzcs"):
        if syl.startswith(ini) and len(syl) > len(ini):
            return ini, syl[len(ini):]
    return "", syl


def palladius(syl: str) -> str:
    """The Palladius spelling of one pinyin syllable (ü written v): jin -> цзинь."""
    if syl in _PAL_ZERO:
        return _PAL_ZERO[syl]
    ini, fin = _split_pinyin(syl)
    if fin == "i" and ini in ("zh", "ch", "sh", "r"):
        return _PAL_INITIAL[ini] + "и"  # zhi чжи, shi ши, ri жи
    if fin == "i" and ini in ("z", "c", "s"):
        return _PAL_INITIAL[ini] + "ы"  # zi цзы, ci цы, si сы
    if fin in ("v", "ve", "u", "uan", "un") and ini in ("j", "q", "x"):
        fin = {"u": "v", "ue": "ve"}.get(fin, fin)  # ju = jü: цзюй
        return _PAL_INITIAL[ini] + {"v": "юй", "uan": "юань", "un": "юнь"}.get(fin, "юй")
    if fin == "ue" and ini in ("j", "q", "x"):
        return _PAL_INITIAL[ini] + "юэ"
    if fin == "ve" or (fin == "ue" and ini in ("n", "l")):
        return _PAL_INITIAL[ini] + "юэ"
    if syl == "hui":
        return "хуэй"  # Palladius writes hui хуэй (гуй, куй, дуй for the others)
    if ini in ("b", "p", "m", "f") and fin == "o":
        return _PAL_INITIAL[ini] + "о"
    if ini in ("l", "n") and fin in ("ie", "ia", "iu", "i", "in", "ing", "ian", "iang", "iao"):
        return _PAL_INITIAL[ini] + _PAL_FINAL[fin]  # ли, ле, лян: л/н soften before я е ю
    return _PAL_INITIAL[ini] + _PAL_FINAL[fin]


def _pinyin_display(syl: str) -> str:
    return syl.replace("v", "ü")


@cache
def chinese_table() -> dict[str, str]:
    """Palladius syllable -> pinyin syllable (ü for v)."""
    table: dict[str, str] = {}
    for syl in _PINYIN:
        table[palladius(syl)] = _pinyin_display(syl)
    return table


# -- Japanese ---------------------------------------------------------------------------------

# Polivanov -> Hepburn, by kana row (the gojūon and yōon tables).
_JA_ROWS = {
    "": ("а a", "и i", "у u", "э e", "о o"),
    "k": ("ка ka", "ки ki", "ку ku", "кэ ke", "ко ko", "кя kya", "кю kyu", "кё kyo"),
    "s": ("са sa", "си shi", "су su", "сэ se", "со so", "ся sha", "сю shu", "сё sho"),
    "t": ("та ta", "ти chi", "цу tsu", "тэ te", "то to", "тя cha", "тю chu", "тё cho"),
    "n": ("на na", "ни ni", "ну nu", "нэ ne", "но no", "ня nya", "ню nyu", "нё nyo"),
    "h": ("ха ha", "хи hi", "фу fu", "хэ he", "хо ho", "хя hya", "хю hyu", "хё hyo"),
    "m": ("ма ma", "ми mi", "му mu", "мэ me", "мо mo", "мя mya", "мю myu", "мё myo"),
    "y": ("я ya", "ю yu", "ё yo"),
    "r": ("ра ra", "ри ri", "ру ru", "рэ re", "ро ro", "ря rya", "рю ryu", "рё ryo"),
    "w": ("ва wa",),
    "g": ("га ga", "ги gi", "гу gu", "гэ ge", "го go", "гя gya", "гю gyu", "гё gyo"),
    "z": ("дза za", "дзи ji", "дзу zu", "дзэ ze", "дзо zo", "дзя ja", "дзю ju", "дзё jo"),
    "d": ("да da", "дэ de", "до do"),
    "b": ("ба ba", "би bi", "бу bu", "бэ be", "бо bo", "бя bya", "бю byu", "бё byo"),
    "p": ("па pa", "пи pi", "пу pu", "пэ pe", "по po", "пя pya", "пю pyu", "пё pyo"),
}


@cache
def japanese_table() -> dict[str, str]:
    """Polivanov syllable -> Hepburn syllable (moraic н and й after a vowel are handled by
    the parser: Кэйко Keiko, Синдзо Shinzo)."""
    return dict(pair.split() for row in _JA_ROWS.values() for pair in row)


# -- Korean -----------------------------------------------------------------------------------

# Kontsevich initials (word-initial and voiced medial spellings) -> RR.
_KO_INITIAL = {
    "": "", "к": "g", "г": "g", "кк": "kk", "н": "n", "т": "d", "д": "d", "тт": "tt",
    "р": "r", "м": "m", "п": "b", "б": "b", "пп": "pp", "с": "s", "сс": "ss", "ч": "j",
    "чж": "j", "дж": "j", "чч": "jj", "чх": "ch", "кх": "k", "тх": "t", "пх": "p", "х": "h",
}
# Kontsevich vowels -> RR; (reading, ambiguous?) — о is ㅓ or ㅗ, ё is ㅕ or ㅛ: the
# reading usual in given names first.
_KO_VOWEL = {
    "а": ("a", False), "э": ("ae", False), "я": ("ya", False), "йе": ("ye", False),
    "о": ("eo", True), "е": ("e", False), "ё": ("yeo", True), "у": ("u", False),
    "ва": ("wa", False), "вэ": ("wae", False), "ве": ("oe", True), "во": ("wo", False),
    "ви": ("wi", False), "ю": ("yu", False), "ы": ("eu", False), "ый": ("ui", False),
    "и": ("i", False),
}
_KO_FINAL = {"": "", "к": "k", "н": "n", "ль": "l", "ль ": "l", "м": "m", "п": "p", "т": "t"}
# Readings of whole syllables usual in Korean given names where the letters are ambiguous
# (о/ё and final н: ㄴ or ㅇ). Frequency of name syllables, not a list of names.
_KO_USUAL = {
    "он": "eong", "ён": "yeong", "ун": "un", "ан": "an", "ин": "in", "ын": "eun",
    "ён_х": "yeon", "он_д": "ong", "он_ч": "ong",
}
# Conventional English spellings of the common surnames (Kontsevich -> English press).
KOREAN_SURNAMES = {
    "Ким": "Kim", "Ли": "Lee", "И": "Lee", "Пак": "Park", "Чхве": "Choi", "Чон": "Jung",
    "Кан": "Kang", "Чо": "Cho", "Юн": "Yoon", "Чан": "Jang", "Лим": "Lim", "Им": "Lim",
    "Хан": "Han", "О": "Oh", "Со": "Seo", "Син": "Shin", "Квон": "Kwon", "Хван": "Hwang",
    "Ан": "Ahn", "Сон": "Song",
}


@dataclass(frozen=True)
class _KoSyl:
    rr: str
    ambiguous: bool


def _ko_syllable(cyr: str) -> _KoSyl | None:
    """One Kontsevich syllable (lower case) in RR, or None."""
    for ini in sorted(_KO_INITIAL, key=len, reverse=True):
        if not cyr.startswith(ini):
            continue
        rest = cyr[len(ini):]
        for vow in sorted(_KO_VOWEL, key=len, reverse=True):
            if not rest.startswith(vow):
                continue
            fin = rest[len(vow):]
            if fin not in _KO_FINAL:
                continue
            v_rr, amb = _KO_VOWEL[vow]
            if not fin and vow in ("о", "ё"):
                v_rr = v_rr.replace("eo", "o")  # open о is mostly ㅗ in given names (호 ho)
            if fin == "н":
                key = vow + "н"
                usual = _KO_USUAL.get(f"{key}_{ini[:1]}") or _KO_USUAL.get(key)
                if usual is None:
                    return _KoSyl(_KO_INITIAL[ini] + v_rr + "ng", True)
                return _KoSyl(_KO_INITIAL[ini] + usual, vow not in ("и",))
            return _KoSyl(_KO_INITIAL[ini] + v_rr + _KO_FINAL[fin], amb)
    return None


# -- parsing words into syllables --------------------------------------------------------------

_FOLD = str.maketrans("әғқңөұүһі", "агкноуухи")


def _segment(word: str, table: dict[str, str]) -> list[str] | None:
    """`word` (lower case) split into table syllables, fewest syllables first; None if no
    split exists."""
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 1, min(n, i + 6) + 1):
            if word[i:j] in table:
                cand = [*best[i], word[i:j]]  # type: ignore[misc]
                if best[j] is None or len(cand) < len(best[j]):  # type: ignore[arg-type]
                    best[j] = cand
    return best[n]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def chinese_word(word: str) -> str | None:
    """Си -> Xi, Цзиньпин -> Jinping (an apostrophe before a, o, e inside: Xi'an)."""
    syls = _segment(word.lower().translate(_FOLD), chinese_table())
    if not syls:
        return None
    out = ""
    for k, s in enumerate(syls):
        py = chinese_table()[s]
        out += ("'" if k and py[0] in "aoe" else "") + py
    return _cap(out)


_JA_VOWELS = "aeiou"


def japanese_word(word: str) -> str | None:
    """Ямада -> Yamada, Такэси -> Takeshi, Синдзо -> Shinzo, Хаттори -> Hattori."""
    low = word.lower().translate(_FOLD).replace("ъ", "")
    table = {**japanese_table(), "н": "n", "й": "i"}
    out: list[str] = []
    i = 0
    double = False
    while i < len(low):
        if i + 1 < len(low) and low[i] == low[i + 1] and low[i] in "кстпх":
            double, i = True, i + 1  # sokuon: Хаттори -> Hattori
            continue
        for j in range(min(len(low), i + 3), i, -1):
            piece = low[i:j]
            if piece not in table:
                continue
            if piece == "н" and (not out or (j < len(low) and low[j] in "аиуэояюё")):
                continue  # н before a vowel opens a syllable (на, ни ...)
            if piece == "й" and (not out or out[-1][-1] not in _JA_VOWELS):
                continue
            rom = table[piece]
            if double:
                rom = ("t" if rom.startswith("ch") else rom[0]) + rom
                double = False
            out.append(rom)
            i = j
            break
        else:
            return None
    if double:
        return None
    return _cap("".join(out))


def korean_word(word: str, first: bool) -> tuple[str, bool] | None:
    """One Kontsevich word: a surname (first) in its conventional spelling, else the RR
    of its syllables. (romanisation, ambiguous)."""
    if first and word in KOREAN_SURNAMES:
        return KOREAN_SURNAMES[word], False
    low = word.lower().translate(_FOLD)
    parts = _segment(low, {s: s for s in _ko_inventory()})
    if not parts:
        return None
    syls = [_ko_syllable(p) for p in parts]
    if any(s is None for s in syls):
        return None
    return "-".join(s.rr for s in syls if s), any(s.ambiguous for s in syls if s)


@cache
def _ko_inventory() -> frozenset[str]:
    """Every Kontsevich syllable spelling the tables allow."""
    return frozenset(i + v + f for i in _KO_INITIAL for v in _KO_VOWEL for f in _KO_FINAL
                     if f.strip() == f)


# -- deciding the system -------------------------------------------------------------------------

_COUNTRY = {
    "zh": re.compile(r"\b(Қытай|ҚХР|Китай|КНР)", re.IGNORECASE),
    "ko": re.compile(r"\b(Корея|Кореяның|Кореяда|Кореямен|Кореяға|Кореядан|Корей|Сеул)", re.IGNORECASE),
    "ja": re.compile(r"\b(Жапония|Япония|Токио)", re.IGNORECASE),
}


def country_hint(text: str) -> str:
    """The East Asian country a paragraph names ("zh", "ko", "ja"), "" if none or several."""
    found = [code for code, rx in _COUNTRY.items() if rx.search(text)]
    return found[0] if len(found) == 1 else ""


@dataclass(frozen=True)
class Romanised:
    system: str  # zh | ko | ja
    en: str
    sure: bool  # one system fits, and its reading is not ambiguous


def _syllables(word: str) -> int:
    """Vowel groups: a rough syllable count, enough to tell a Chinese word (one or two
    syllables) from a Japanese one (Ямада)."""
    return len(re.findall("[аеёиоуыэюяәөұүі]+", word.lower()))


def _one_syllable(word: str) -> bool:
    return _syllables(word) == 1


def _chinese(words: Sequence[str], hint: str) -> str | None:
    """Pinyin of a Chinese name: a one-syllable surname (a two-syllable one, Оуян, only with
    the country named), a given name of one or two syllables."""
    parts = [chinese_word(w) for w in words]
    if any(p is None for p in parts) or len(words) > 3 or any(_syllables(w) > 2 for w in words):
        return None
    if _syllables(words[0]) > 1 and hint != "zh":
        return None
    if len(words) == 3:  # Ван Сяо Мин: given name written apart, joined in pinyin
        return f"{parts[0]} {parts[1]}{parts[2].lower()}"  # type: ignore[union-attr]
    return " ".join(parts)  # type: ignore[arg-type]


def _korean(words: Sequence[str]) -> tuple[str, bool] | None:
    if not 2 <= len(words) <= 3 or not _one_syllable(words[0]):
        return None
    parts = [korean_word(w, k == 0) for k, w in enumerate(words)]
    if any(p is None for p in parts):
        return None
    given = "-".join(p[0] for p in parts[1:] if p).lower()
    return f"{_cap(parts[0][0])} {_cap(given)}", any(p[1] for p in parts[1:] if p)  # type: ignore[index]


# Spellings only Polivanov writes (э after a consonant, си ти цу фу дз, й closing a
# diphthong, a yōon syllable, a doubled consonant): a European name made of open
# syllables (Анна Мори) has none of them.
_POLIVANOV_MARK = re.compile("[кгсдзтнхмрбп]э|си|ти|цу|фу|дз|[аеоуэ]й|[кгнхмрбп][яюё]|тт|кк|пп|сс")


def _japanese(words: Sequence[str]) -> tuple[str, bool] | None:
    """(Hepburn, marked): marked when the name carries a Polivanov-only spelling."""
    if len(words) != 2 or all(_one_syllable(w) for w in words):
        return None  # Japanese names are two words, and not two one-syllable words
    parts = [japanese_word(w) for w in words]
    if any(p is None for p in parts):
        return None
    return " ".join(parts), bool(_POLIVANOV_MARK.search(" ".join(words).lower()))  # type: ignore[arg-type]


def romanise(name: str, hint: str = "") -> Romanised | None:
    """The standard romanisation of an East Asian person's name in Cyrillic, or None when
    no system parses it. `hint`: the country the paragraph names (country_hint)."""
    words = name.split()
    if len(words) < 2:
        return None
    fits: dict[str, tuple[str, bool]] = {}
    if (zh := _chinese(words, hint)) is not None:
        fits["zh"] = (zh, True)
    if (ko := _korean(words)) is not None:
        fits["ko"] = (ko[0], not ko[1])
    if (ja := _japanese(words)) is not None:
        fits["ja"] = (ja[0], ja[1] or hint == "ja")
    if not fits:
        return None
    if hint in fits:
        return Romanised(hint, fits[hint][0], fits[hint][1])
    if len(fits) == 1:
        (system, (en, sure)), = fits.items()
        return Romanised(system, en, sure)
    # several systems parse it and no country decides: the shape may (three one-syllable
    # words are a Korean given name written apart, a joined given name is Chinese)
    if "ko" in fits and len(words) == 3 and all(_one_syllable(w) for w in words):
        return Romanised("ko", fits["ko"][0], False)
    system = next(iter(fits))
    return Romanised(system, fits[system][0], False)
