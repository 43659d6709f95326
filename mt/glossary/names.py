"""Names without a glossary entry in a release: find them, with their base form,
type and a confidence.

Spans and types come from the named-entity recogniser (mt.glossary.ner, a CRF trained
on KazNERD) and from rules for what it does not cover or gets wrong on press
releases: quoted names with legal forms, acronyms, initials + surname, head nouns
(облысы, министрлігі), Latin names. Well-known places have established names (exonyms:
Еуропа is Europe / Europa / Европа, not "Yeuropa"); those come from Unicode CLDR through
babel (mt.glossary.cldr: countries, world regions, cities) and from exonyms.tsv beside
this module, a small curated glossary-format table for what CLDR lacks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from mt.glossary import cldr, ner
from mt.glossary import morphology as morph
from mt.glossary.eastasian import country_hint
from mt.glossary.lexicon import covers, org_heads
from mt.glossary.match import Matcher, tokenize
from mt.glossary.store import load_entries
from mt.types import Candidate, GlossaryEntry, Segment

# Kazakh legal forms -> (en, de, ru).
LEGAL_FORMS: dict[str, dict[str, str]] = {
    "АҚ": {"en": "JSC", "de": "AG", "ru": "АО"},  # акционерлік қоғам
    "ЖШС": {"en": "LLP", "de": "TOO", "ru": "ТОО"},  # жауапкершілігі шектеулі серіктестік
    "ТҰК": {"en": "TNC", "de": "TNK", "ru": "ТНК"},  # трансұлттық компания
    "ҰК": {"en": "NC", "de": "NK", "ru": "НК"},  # ұлттық компания
    "ЖАҚ": {"en": "CJSC", "de": "ZAO", "ru": "ЗАО"},  # жабық акционерлік қоғам
    "ААҚ": {"en": "OJSC", "de": "OAO", "ru": "ОАО"},  # ашық акционерлік қоғам
    "ЖК": {"en": "IE", "de": "IP", "ru": "ИП"},  # жеке кәсіпкер
    "КеАҚ": {"en": "NJSC", "de": "NAG", "ru": "НАО"},  # коммерциялық емес акционерлік қоғам
    "РМК": {"en": "RSE", "de": "RGP", "ru": "РГП"},  # республикалық мемлекеттік кәсіпорын
    "МКК": {"en": "SME", "de": "GKP", "ru": "ГКП"},  # мемлекеттік коммуналдық кәсіпорын
}

# Acronyms whose translations are established (not transliterated).
KNOWN_ACRONYMS: dict[str, tuple[str, str, str, str]] = {
    "АҚШ": ("place", "USA", "USA", "США"),
    "ҚР": ("place", "Republic of Kazakhstan", "Republik Kasachstan", "РК"),
    "БҰҰ": ("org", "UN", "UNO", "ООН"),
    "ЕО": ("org", "EU", "EU", "ЕС"),
    "ТМД": ("org", "CIS", "GUS", "СНГ"),
    "ЕАЭО": ("org", "EAEU", "EAWU", "ЕАЭС"),
    "ЕҚДБ": ("org", "EBRD", "EBWE", "ЕБРР"),
    "ШЫҰ": ("org", "SCO", "SOZ", "ШОС"),
    "ЭЫДҰ": ("org", "OECD", "OECD", "ОЭСР"),
    "ДСҰ": ("org", "WTO", "WTO", "ВТО"),
    "ЖІӨ": ("term", "GDP", "BIP", "ВВП"),
}

EXONYM_FILE = Path(__file__).with_name("exonyms.tsv")
# Currency words after which an acronym (АҚШ доллары, ҚР теңгесі) qualifies the
# currency of an amount: the number checks handle it, it is no name to propose.
_CURRENCY = re.compile(r"(?:доллар|еуро|евро|теңге|рубль|рублі|юан|фунт|франк|иен)", re.IGNORECASE)


KZ_PLACE_KINDS = frozenset({"city", "river", "lake", "sea", "mountain"})


@lru_cache(maxsize=1)
def kz_places() -> dict[str, GlossaryEntry]:
    """Kazakh name -> entry with the established en/de/ru forms of Kazakhstan's towns,
    rivers, lakes and mountains (mt/data/kz-places.tsv, provenance in kz-places.SOURCE.md)."""
    text = (files("mt") / "data" / "kz-places.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    out: dict[str, GlossaryEntry] = {}
    for n, cells in enumerate(rows[1:], start=2):
        if len(cells) != 5 or cells[1] not in KZ_PLACE_KINDS or not all(cells):
            raise ValueError(f"mt/data/kz-places.tsv: row {n} ({cells[0]!r}): want kk, kind "
                             f"({', '.join(sorted(KZ_PLACE_KINDS))}), en, de, ru")
        kk, kind, en, de, ru = cells
        out[kk] = GlossaryEntry(id="place." + re.sub(r"[^a-z0-9]+", "-", en.lower()).strip("-"), type="place", kk=kk, en=en, de=de,
                                ru=ru, note=f"kz-places.tsv ({kind})")
    return out


@lru_cache(maxsize=1)
def world_cities() -> dict[str, GlossaryEntry]:
    """Kazakh name (and its variants) -> entry with the established en/de/ru names of the large
    cities of Kazakhstan's main partner countries that CLDR lacks (mt/data/world-cities.tsv,
    provenance in world-cities.SOURCE.md)."""
    text = (files("mt") / "data" / "world-cities.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    out: dict[str, GlossaryEntry] = {}
    for n, cells in enumerate(rows[1:], start=2):
        if len(cells) != 5 or not re.fullmatch(r"[A-Z]{2}", cells[1]) or not all(cells):
            raise ValueError(f"mt/data/world-cities.tsv: row {n} ({cells[0]!r}): want kk[|variant...], "
                             "ISO country code, en, de, ru")
        kk, country, en, de, ru = cells
        lemma, *variants = kk.split("|")
        entry = GlossaryEntry(id="place." + re.sub(r"[^a-z0-9]+", "-", en.lower()).strip("-"), type="place",
                              kk=lemma, en=en, de=de, ru=ru, kk_variants=tuple(variants),
                              note=f"world-cities.tsv ({country})")
        for name in (lemma, *variants):
            out[name] = entry
    return out


@lru_cache(maxsize=1)
def exonyms() -> dict[str, GlossaryEntry]:
    """Kazakh name (or spelling variant) -> entry with its established en/de/ru names:
    CLDR's countries, world regions and cities (mt.glossary.cldr), then partner countries'
    large cities CLDR lacks (world_cities), then Kazakhstan's own places (kz_places), then the curated exonyms.tsv for what CLDR lacks or writes unlike
    the press (it wins)."""

    table = {**cldr.names(), **world_cities(), **kz_places()}
    for entry in load_entries(EXONYM_FILE):
        for kk in (entry.kk, *entry.kk_variants):
            table[kk] = entry
    return table


# Head nouns that make a capitalised word a place or an organisation name,
# with how each target language places the name.
PLACE_HEADS: dict[str, dict[str, str]] = {
    "облысы": {"en": "{} Region", "de": "Gebiet {}", "ru": "область {}"},
    "ауданы": {"en": "{} District", "de": "Bezirk {}", "ru": "район {}"},
    "қаласы": {"en": "{} City", "de": "Stadt {}", "ru": "город {}"},
    "ауылы": {"en": "{} village", "de": "Dorf {}", "ru": "село {}"},
    "өзені": {"en": "{} River", "de": "Fluss {}", "ru": "река {}"},
    "көлі": {"en": "Lake {}", "de": "{}see", "ru": "озеро {}"},
    "республикасы": {"en": "Republic of {}", "de": "Republik {}", "ru": "Республика {}"},
}
PLACE_HEADS["теңізі"] = {"en": "{} Sea", "de": "{} Meer", "ru": "{} море"}
# Head nouns of facilities that are places, not organisations: (type, en, de, ru).
PLACE_NAMED_HEADS: dict[str, tuple[str, str, str, str]] = {
    "кен орны": ("place", "Field", "Feld", "месторождение"),
    "кеніші": ("place", "Mine", "Bergwerk", "рудник"),
    "су қоймасы": ("place", "Reservoir", "Stausee", "водохранилище"),
    "каналы": ("place", "Canal", "Kanal", "канал"),
    "бөгені": ("place", "Dam", "Damm", "плотина"),
    "паркі": ("place", "Park", "Park", "парк"),
    # autonomous units of other states (China's five regions: exonyms.tsv has their names)
    "автономиялық ауданы": ("place", "Autonomous Region", "Autonome Region", "автономный район"),
    "автономиялық облысы": ("place", "Autonomous Oblast", "Autonomes Gebiet", "автономная область"),
    "автономиялық республикасы": ("place", "Autonomous Republic", "Autonome Republik", "автономная республика"),
}
# Head nouns of organisations and facilities: (type, en, de, ru). A name before them
# (Ақтау ... порты, «Атамекен» ... палатасы, Қаламқас-теңіз кен орны) is proposed whole,
# with the head translated: en after the name, de and ru before it. The organisations'
# heads are the administrative lexicon's (mt/data/admin_lexicon.tsv, one source with
# mt.glossary.orgs), in the possessive form that ends a name; the place heads above win.
NAMED_HEADS: dict[str, tuple[str, str, str, str]] = {
    **{kk: ("org", *forms) for kk, forms in org_heads().items() if len(kk.split()) <= 2},
    **PLACE_NAMED_HEADS,
}
ORG_HEADS = frozenset(h for h, (t, *_) in NAMED_HEADS.items() if t == "org" and " " not in h)
# Modifiers between a name and its head (Ақтау халықаралық теңіз сауда порты): en, ru
# (masculine nominative; pymorphy3 makes it agree with the head).
MODIFIERS: dict[str, tuple[str, str]] = {
    "халықаралық": ("International", "международный"),
    "ұлттық": ("National", "национальный"),
    "мемлекеттік": ("State", "государственный"),
    "өңірлік": ("Regional", "региональный"),
    "облыстық": ("Regional", "областной"),
    "қалалық": ("City", "городской"),
    "теңіз": ("Sea", "морской"),
    "сауда": ("Trade", "торговый"),
    "кәсіпкерлер": ("Entrepreneurs'", "предпринимателей"),
    "өнеркәсіп": ("Industrial", "промышленный"),
    "мұнай": ("Oil", "нефтяной"),
    "газ": ("Gas", "газовый"),
    "ғылыми": ("Research", "научный"),
    "инвестициялық": ("Investment", "инвестиционный"),
    "даму": ("Development", "развития"),
}
# Heads that are type words, not part of the name: a city or village is entered bare
# (Екібастұз, as places.tsv holds Ақтөбе), a district, region or river with its head.
TYPE_WORD_HEADS = frozenset({"қаласы", "ауылы"})
# Title words: a name run stops at them (Маңғыстау облысының әкімі Нұрдәулет Қилыбай).
TITLE_WORDS = frozenset({"президенті", "премьер-министрі", "министрі", "вице-министрі", "әкімі",
                         "елшісі", "төрағасы", "төрайымы", "директоры", "басшысы", "депутаты",
                         "сенаторы", "хатшысы", "орынбасары", "бастығы", "ректоры", "консулы"})
# a surname ending after a stem of two letters or more (Мин, Ин in East Asian names are none)
_SURNAME = re.compile(r"(?<=\w\w)(?:ов|ев|ёв|ин|ова|ева|ина|ұлы|қызы|улы|кызы|ский|ская|енко|швили)$")

_UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІ"
_LOWER = "а-яёәғқңөұүһі"
_LF = "|".join(sorted(LEGAL_FORMS, key=len, reverse=True))
_OPEN, _CLOSE, _INNER = "[«“„\"]", "[»”“\"]", "[^«»“”„\"\n]"
# «Қазхром» ТҰК» АҚ: inner forms may be any acronym (ҰӘҚ), the outer one is a legal form
_ORG_AFTER = re.compile(
    rf"{_OPEN}{_INNER}{{1,80}}{_CLOSE}(?:\s*[{_UPPER}]{{2,5}}\s*{_CLOSE})*\s*(?:{_LF})(?:-[{_LOWER}]+)?(?!\w)")
_ORG_BEFORE = re.compile(rf"(?<!\w)(?:{_LF})\s+{_OPEN}{_INNER}{{1,80}}{_CLOSE}(?:-[{_LOWER}]+)?")
_INITIALS = re.compile(
    rf"(?<!\w)([{_UPPER}]\.(?:\s?-?\s?[{_UPPER}]\.)?)\s?([{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?)")
_HEAD_WORDS = "|".join(sorted((re.escape(h.split()[-1]) for h in NAMED_HEADS), key=len, reverse=True))
_QUOTED_HEAD = re.compile(
    rf"{_OPEN}{_INNER}{{1,80}}{_CLOSE}(?:\s+[{_LOWER}]+){{0,4}}?\s+(?:{_HEAD_WORDS})[{_LOWER}]*(?!\w)")
_LATIN_RUN = re.compile(r"(?<!\w)[A-Z][A-Za-z0-9&.\-]*(?:\s+[A-Z][A-Za-z0-9&.\-]*)*(?!\w)")
_SENTENCE_END = frozenset(".!?…:")
_OPENERS = frozenset("«“„\"(–—-")



def _is_cap_word(tok: str) -> bool:
    """Капитал, Жаңа-Әлжан; not Сондай-ақ (a lower-case part), not acronyms or Latin."""
    parts = tok.split("-")
    return all(p[:1].isupper() for p in parts) and any(c.islower() for c in tok) \
        and not re.search("[A-Za-z]", tok)


def _ends_case(word: str) -> bool:
    """Whether a word carries a case ending that closes a noun phrase
    (genitive, dative ...; not the attributive -дағы)."""
    return morph.strip_case(word) != word and not word.lower().endswith(("ғы", "гі"))


def _sentence_starts(text: str, tokens: list[tuple[int, int, str]]) -> set[int]:
    starts: set[int] = set()
    at_start = True
    for i, (_, _, tok) in enumerate(tokens):
        if tok[0].isalnum():
            if at_start:
                starts.add(i)
            at_start = False
        elif tok in _SENTENCE_END or (tok in _OPENERS and (i == 0 or tokens[i - 1][2] in _SENTENCE_END | _OPENERS)):
            at_start = True
        elif tok in "«“„":
            at_start = True
    return starts


def _head(word: str) -> str:
    """A word's nominative, lower case; a head noun as it is (ауданы is no ауда + -ны)."""
    low = word.lower()
    if low in PLACE_HEADS or low in NAMED_HEADS or low in TITLE_WORDS:
        return low
    return morph.strip_case(word).lower()


def _head_at(tokens: list[tuple[int, int, str]], j: int) -> int:
    """How many tokens from j on are a head noun of NAMED_HEADS (кен орнын: 2), or 0."""
    if j < len(tokens) and _head(tokens[j][2]) in NAMED_HEADS:
        return 1
    if j + 1 < len(tokens) and f"{tokens[j][2].lower()} {_head(tokens[j + 1][2])}" in NAMED_HEADS:
        return 2
    return 0


def _with_head(surface: str) -> tuple[str, str]:
    """A name with its head noun in the nominative, and the head's type:
    «Атамекен» ... палатасын -> «Атамекен» ... палатасы, org."""
    words = surface.split()
    last, base = _head(words[-1]), morph.strip_case(words[-1])  # base keeps its capital
    if words[-1].lower() in PLACE_HEADS:
        base = words[-1]  # ауданы is the nominative already, no ауда + -ны
    if len(words) >= 2 and f"{words[-2].lower()} {last}" in NAMED_HEADS:
        return " ".join([*words[:-1], base]), NAMED_HEADS[f"{words[-2].lower()} {last}"][0]
    if last in NAMED_HEADS:
        return " ".join([*words[:-1], base]), NAMED_HEADS[last][0]
    return "", ""


# Words that open a sentence and are never part of a name (Ол Бішкек қаласында ...).
_OPENING_WORDS = frozenset("ол бұл осы сол ал біз олар мен сіз бірақ алайда сонымен егер "
                           "және бүгін кеше қазір сондай-ақ сонда енді".split())
_PLURAL_END = re.compile(r"(?:лар|лер|дар|дер|тар|тер)(?:ы|і)?$")


def _inflected_noun(word: str) -> bool:
    """A plural or case-marked word (Қонақтар, Қонақтарға): a sentence's subject, not the
    first word of a name."""
    return bool(_PLURAL_END.search(morph.strip_case(word).lower())) or _ends_case(word)


def _is_title(word: str) -> bool:
    return _head(word) in TITLE_WORDS


def _known_place(word: str) -> bool:
    return exonyms().get(morph.strip_case(word)) is not None


def _clearly_name(words: list[str]) -> bool:
    """A run that is a name even at a sentence start: given name + surname,
    or a name with a place/organisation head noun."""
    if len(words) < 2:
        return False
    head = _head(words[-1])
    two = f"{words[-2].lower()} {head}"  # кен орны, су қоймасы
    return bool(_SURNAME.search(morph.strip_case(words[-1]))) or head in PLACE_HEADS or head in ORG_HEADS \
        or (len(words) >= 3 and two in NAMED_HEADS)


def _guess_type(words: list[str]) -> str:
    head = _head(words[-1])
    if len(words) >= 3 and any(w in _PARTICLES for w in words[1:-1]):
        return "person"  # Йерун де Врис: a family-name particle
    if head in PLACE_HEADS:
        return "place"
    if head in ORG_HEADS:
        return "org"
    if _SURNAME.search(morph.strip_case(words[-1])):
        return "person"
    if _known_place(words[0]):
        return "place"  # Ресей Федерациясы: a country's longer name, not given name + surname
    if len(words) == 2:
        return "person"
    return "org" if len(words) > 2 else "place"


def _type_boundary(tokens: list[tuple[int, int, str]], i: int, j: int) -> bool:
    """Token j is a known country after a person's name (Нұрдәулет Қилыбай | Италия): two
    or more words of which none is a known place. Not in Солтүстік Қазақстан, Қазақстан
    Республикасы, Оңтүстік Корея or Қазақстандағы Германия Елшілігі."""
    words = [t[2] for t in tokens[i:j + 1]]
    if words[0].lower() in _OPENING_WORDS:
        words = words[1:]
    if len(words) >= 2 and _known_place(words[-1]) and not _known_place(words[-2]) \
            and _SURNAME.search(morph.strip_case(words[-2])):
        return True  # Ахметов | Жапония Елшілігі: a surname ends the person's name
    if len(words) < 3 or not _known_place(words[-1]) or any(_known_place(w) for w in words[:-1]):
        return False
    last = morph.strip_case(words[-1])
    if any(exonyms().get(" ".join([*words[k:-1], last])) is not None for k in range(len(words) - 1)):
        return False  # Жалпы Оңтүстік Корея: the end of the run is a known name
    if _head_at(tokens, j + 1) or (j + 1 < len(tokens) and _head(tokens[j + 1][2]) in PLACE_HEADS):
        return False  # Солтүстік Қазақстан облысы
    return not words[-2].lower().endswith(("дағы", "дегі", "тағы", "тегі"))


def _person_continues(labels: Sequence[str], j: int) -> bool:
    """The recogniser reads tokens j-1 and j as one person's name (Айдын Серікбаевпен: Айдын
    is no accusative that ends a phrase)."""
    return 0 < j < len(labels) and labels[j] == "I-PERSON" and labels[j - 1][2:] == "PERSON"


_PATRONYMIC = re.compile(r"(?<=\w\w)(?:ұлы|қызы|улы|кызы)$")
_PLACE_LABELS = frozenset({"GPE", "LOCATION"})


def _kind_switch(labels: Sequence[str], j: int) -> bool:
    """The recogniser starts a place at token j right after a person, or a person right
    after a place (Агнешка Новак | Нұра өзені): two names side by side, not one."""
    if not 0 < j < len(labels) or not labels[j].startswith("B-"):
        return False
    before, after = labels[j - 1][2:], labels[j][2:]
    return (before == "PERSON" and after in _PLACE_LABELS) or (before in _PLACE_LABELS and after == "PERSON")


_LOCATED = re.compile(r"(?:дағы|дегі|тағы|тегі|ндағы|ндегі)$")


def _place_head_start(tokens: list[tuple[int, int, str]], i: int, j: int) -> int:
    """Where the name a place head (өзені, қаласы ...) at token j names starts in the run
    [i, j): its last word and the common words before it (Солтүстік Қазақстан облысы,
    Кіші Алматы өзені); a proper name before those (a person: Агнешка Новак Нұра өзені,
    Мұхамеджанов Рудный қаласы) is a name of its own, unless the words are a known place."""
    common = ner.load().common
    start = j - 1
    while start > i and tokens[start - 1][2].lower() in common:
        start -= 1
    if start == i or any(exonyms().get(" ".join(t[2] for t in tokens[k:j])) is not None for k in range(i, start)):
        return i
    return start


def _located_before_name(tokens: list[tuple[int, int, str]], j: int) -> bool:
    """Token j-1 is a place in the attributive locative (Ханойдағы "in Hanoi") and token j
    starts another name (Ханойдағы | Бачмай ауруханасы): the place qualifies the name, it is
    no part of it. Not before a head noun (Қазақстандағы Елшілігі: the embassy in
    Kazakhstan, its owner before it) or a known place (Қазақстандағы Германия Елшілігі: the
    German embassy in Kazakhstan is one name)."""
    return bool(_LOCATED.search(tokens[j - 1][2])) and not _head_at(tokens, j) \
        and _head(tokens[j][2]) not in PLACE_HEADS and not _known_place(tokens[j][2])


# Postpositions that govern a case inside a descriptive name: a dative before қарсы is part of
# it (Өртке қарсы қызмет комитеті, Сыбайлас жемқорлыққа қарсы іс-қимыл агенттігі: anti-).
_POSTPOSITIONS = frozenset({"қарсы"})
# Lower-case particles of European family names (de Vries, van der Berg, von Berg, da Silva).
_PARTICLES = frozenset({"де", "ван", "фон", "дер", "ден", "да", "ди", "дю", "дель", "делла", "ле", "ла", "дос"})


def _name_particle(tokens: list[tuple[int, int, str]], free: list[bool], j: int) -> bool:
    """Token j is a family-name particle between two words of a foreign person's name (Йерун
    де Врис): the word before has no case ending, no Kazakh letter and is no known place,
    and a capitalised word follows. Not the Kazakh particle да/де "also" after a Kazakh
    name or a place (Әлия да, Берлин де)."""
    if not (0 < j < len(tokens) - 1 and tokens[j][2] in _PARTICLES and free[j] and free[j + 1]):
        return False
    before, after = tokens[j - 1][2], tokens[j + 1][2]
    return _is_cap_word(before) and _is_cap_word(after) and not _ends_case(before) \
        and not _KAZAKH_LETTERS.search(before + after) and not _known_place(before) \
        and not _known_place(after) and tokens[j - 1][1] + 1 == tokens[j][0] and tokens[j][1] + 1 == tokens[j + 1][0]


def _hyphen_headed(tokens: list[tuple[int, int, str]], free: list[bool], i: int) -> int:
    """The end of a name that a capitalised hyphenated word with a lower-case part opens, when
    up to four lower-case words and a head noun follow (Қаламқас-теңіз кен орны,
    Санитариялық-эпидемиологиялық бақылау комитеті); else 0. Not Сондай-ақ: no head follows."""
    tok = tokens[i][2]
    if not (free[i] and "-" in tok and tok[:1].isupper() and not _is_cap_word(tok)) \
            or tok.lower() in _OPENING_WORDS:
        return 0
    for k in range(i + 1, min(i + 6, len(tokens))):
        width = _head_at(tokens, k)
        if width:
            return k + width if all(free[i + 1:k + width]) else 0
        if not (tokens[k][2].islower() and tokens[k][2].isalpha()):
            return 0
    return 0


def _runs(text: str, tokens: list[tuple[int, int, str]], free: list[bool],
          labels: Sequence[str] = ()) -> list[tuple[int, int]]:
    """Token index ranges [i, j) of capitalised Cyrillic word runs."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i][2]
        end = _hyphen_headed(tokens, free, i)
        if end:  # Қаламқас-теңіз кен орны, Санитариялық-эпидемиологиялық бақылау комитеті
            runs.append((i, end))
            i = end
            continue
        if not (free[i] and _is_cap_word(tok)) or _is_title(tok):
            i += 1
            continue
        j = i + 1
        while _name_particle(tokens, free, j):  # Йерун де Врис, Ханс фон Берг
            j += 2
        while j < len(tokens) and free[j] and _is_cap_word(tokens[j][2]) \
                and text[tokens[j - 1][1]:tokens[j][0]].isspace() \
                and (not _ends_case(tokens[j - 1][2]) or _person_continues(labels, j)
                     or (j - i == 1 and bool(_PATRONYMIC.search(tokens[j][2])))) \
                and not (j - i >= 2 and _SURNAME.search(tokens[j - 1][2])
                         and not (j - i == 2 and _PATRONYMIC.search(tokens[j - 1][2]))) \
                and not _is_title(tokens[j][2]) and not _type_boundary(tokens, i, j) \
                and not _kind_switch(labels, j) and not _located_before_name(tokens, j) \
                and not (_GENITIVE_END.search(tokens[j - 1][2]) and _known_place(tokens[j - 1][2])):
            # (a known country in the genitive ends a run: Қытайдың | Тибет автономиялық ауданы)
            j += 1
            while _name_particle(tokens, free, j):  # Йерун де Врис, Ханс фон Берг
                j += 2
        # Ақтау халықаралық теңіз сауда порты, Қаламқас-теңіз кен орнын: lower-case
        # modifiers, then a head noun, make the run a facility or organisation name
        k = j
        while k < len(tokens) and k - j < 4 and tokens[k][2].islower() and not _head_at(tokens, k) \
                and _head(tokens[k][2]) not in PLACE_HEADS \
                and tokens[k][2].replace("-", "").isalpha():
            k += 1
        width = _head_at(tokens, k) if k - j <= 4 else 0
        if width and all(free[n] for n in range(j, k + width)) \
                and (not _ends_case(tokens[j - 1][2]) or tokens[j - 1][2].lower() in ner.load().common
                     or (j < len(tokens) and tokens[j][2] in _POSTPOSITIONS)) \
                and (k > j or width == 2 or _head(tokens[k + width - 1][2]) not in PLACE_HEADS) \
                and not (k > j and _LOCATED.search(tokens[j - 1][2])):
            # (Бурсадағы өнеркәсіп палатасы is "the chamber of industry in Bursa": a place and a
            # description, not one name)
            runs.append((i, k + width))
            i = k + width
            continue
        if j - i >= 3 and _SURNAME.search(morph.strip_case(tokens[j - 1][2])) \
                and not _SURNAME.search(tokens[i][2]) and not _PATRONYMIC.search(tokens[j - 2][2]):
            # ҚР Президенті Қасым-Жомарт Тоқаев: a title before given name + surname
            title_end = j - 2
            if title_end - i >= 2:
                runs.append((i, title_end))
            runs.append((title_end, j))
            i = j
            continue
        # a place or organisation head noun right after the run belongs to it
        if j < len(tokens) and free[j] and text[tokens[j - 1][1]:tokens[j][0]].isspace() \
                and not _ends_case(tokens[j - 1][2]) \
                and _head(tokens[j][2]) in PLACE_HEADS.keys() | ORG_HEADS:
            cut = _place_head_start(tokens, i, j) if _head(tokens[j][2]) in PLACE_HEADS else i
            if cut > i:  # Агнешка Новак | Нұра өзені: the head takes the place, not the person
                runs.append((i, cut))
                i = cut
            j += 1
        if j - i >= 2 and _LOCATED.search(tokens[j - 1][2]) and j < len(tokens) and tokens[j][2].islower() \
                and _head(tokens[j - 1][2]) not in PLACE_HEADS:
            runs.append((i, j - 1))  # Жан-Люк Моро | Тулузадағы зерттеу орталығы: a person, then a place
            i = j - 1
        runs.append((i, j))
        i = j
    return _named_after(tokens, runs)


def _named_after(tokens: list[tuple[int, int, str]], runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """X атындағы Y ("Y named after X") is one name: Ахмет Байтұрсынұлы атындағы Қостанай
    өңірлік университеті."""
    out: list[tuple[int, int]] = []
    for run in runs:
        if out and out[-1][1] + 1 == run[0] and tokens[out[-1][1]][2].lower() == "атындағы":
            out[-1] = (out[-1][0], run[1])
        else:
            out.append(run)
    return out


# KazNERD types -> glossary types. NORP (қазақ, неміс), POSITION and the rest are no names
# to propose.
NER_TYPES = {"PERSON": "person", "GPE": "place", "LOCATION": "place", "ORGANISATION": "org",
             "FACILITY": "org"}
# Below this confidence a proposal is shown apart for a translator to check.
LOW_CONFIDENCE = 0.5
# The recogniser's type overrides the rules' guess only when it is this sure on average.
NER_TYPE_MIN = 0.7
# Weights of rule evidence: a known exonym or a legal form is a name; a head noun or a
# surname ending makes a capitalised run one, short of the recogniser agreeing.
RULE_SURE, RULE_STRONG = 1.0, 0.9


def _case_forms(case: str) -> frozenset[str]:
    return frozenset({f for pair in morph.CASES[case].values() for f in pair}
                     | set(morph.CASES_AFTER_PX3[case]))


# A person's name rarely stands in the locative (at someone's: Ерасылда), and person
# names carry no 3rd-person possessive, so for persons neither is cut (Ямада, Айдын
# are names, not Яма+да, Айды+н). Accusative endings look like name endings
# (Сатыбалды, Жақсыбайды?): cut only with evidence.
_LOCATIVE = _case_forms("loc")
_ACCUSATIVE = _case_forms("acc")


def _analyses(word: str, person: bool) -> list[tuple[str, str]]:
    """(stem, case ending) readings of a word the suffix rules can generate, the
    unsuffixed reading first, then shorter stems."""
    low = word.lower()
    out = [(word, "")]
    if "-" in word or low.endswith(("стан", "стон", "стен")):
        base = morph.strip_case(word)
        return out if base == word else [(base, word[len(base):]), *out]
    for cut in range(1, min(len(word) - 2, morph.MAX_SUFFIX) + 1):
        stem, tail = word[:-cut], low[-cut:]
        if tail not in morph.case_suffixes() or not any(c in morph.VOWELS for c in stem.lower()):
            continue
        plain = tail in morph.suffixes(stem) and tail in morph.case_suffixes()
        possessed = not plain and morph.ends_in_px3(stem) and tail in morph.suffixes(stem, px3=True)
        if (plain or possessed) and not (person and (possessed or tail in _LOCATIVE)):
            out.append((stem, tail))
    return out


_GLIDE_U = re.compile(f"[{''.join(sorted(morph.VOWELS))}]([уү])(?=[^{''.join(sorted(morph.VOWELS))}]+$)")


def _loan_vowel_stem(word: str) -> str:
    """A known foreign place whose у after a vowel the writer read as a vowel of its own (Сеул
    is se-ul: Сеулда, beside the glide reading Сеулде that the matcher takes): the stem when
    the case ending is one the suffix rules give a stem with that у as its last vowel, else ""."""
    for cut in range(2, min(len(word) - 2, morph.MAX_SUFFIX) + 1):
        stem, tail = word[:-cut], word[-cut:].lower()
        m = _GLIDE_U.search(stem.lower())
        if m is None or tail not in morph.case_suffixes() or exonyms().get(stem) is None:
            continue
        as_vowel = stem[:m.start()] + stem[m.start(1):]  # Сеул read as Сул: у decides
        if tail in morph.suffixes(as_vowel):
            return stem
    return ""


def lemma(word: str, type_: str = "", seen: frozenset[str] = frozenset()) -> str:
    """The base form of a name's last word: a case ending the suffix rules generate is
    removed, never more. Among the readings, a known place (Токио) wins, then a stem
    the release writes elsewhere (alone or with another ending); else persons keep an
    ending that a name may end in (Сатыбалды) unless the stem is a surname (Тоқаевты),
    other names lose the longest ending (Анкарада -> Анкара)."""
    readings = _analyses(word, type_ == "person")
    if type_ != "person" and (loan := _loan_vowel_stem(word)):
        return loan
    if len(readings) == 1:
        return word
    for stem, _ in readings:
        if exonyms().get(stem) is not None:
            return stem
    backed = [stem for stem, tail in readings
              if (tail and stem in seen) or any(w != word and w.startswith(stem) and w[len(stem):].lower()
                                                in morph.case_suffixes() for w in seen if w[:1] == stem[:1])]
    if backed:
        return min(backed, key=len) if type_ != "person" else max(backed, key=len)
    if type_ == "person":
        for stem, tail in readings[1:]:
            if tail not in _ACCUSATIVE or _SURNAME.search(stem):
                return stem
        return word
    return readings[-1][0]


def _ner_type(p_types: Sequence[dict[str, float]], i: int, j: int) -> str:
    """The glossary type the recogniser puts the most probability on over [i, j), when
    that is at least NER_TYPE_MIN on average; else "" (the rules guess)."""
    mass: dict[str, float] = {}
    for probs in p_types[i:j]:
        for ner_type, p in probs.items():
            mass[NER_TYPES[ner_type]] = mass.get(NER_TYPES[ner_type], 0.0) + p / (j - i)
    kind = max(mass, key=mass.__getitem__, default="")
    return kind if kind and mass[kind] >= NER_TYPE_MIN else ""


def _syllable_base(word: str) -> str:
    """The last syllable of an East Asian name without its case ending, whichever harmony
    the writer chose for a loan vowel (Хённің, Хённың -> Хён); the word when it is none."""
    low = word.lower()
    for cut in range(min(4, len(word) - 2), 1, -1):  # -н alone follows a possessive only
        stem = word[:-cut]
        if low[-cut:] in morph.case_suffixes() and len(_VOWEL_RUN.findall(stem.lower())) == 1:
            return stem
    return word


def _east_asian(words: Sequence[str]) -> bool:
    """Пак Чжи Хун, Ли Мин Хо: two or more capitalised one-syllable words, the way
    Korean and Chinese names are written in Cyrillic: a person, family name first."""
    return len(words) >= 2 and all(
        w[:1].isupper() and len(_VOWEL_RUN.findall(w.lower())) == 1 and len(w) <= 4 for w in words)


_VOWEL_RUN = re.compile(f"[{''.join(sorted(morph.VOWELS))}]+")
_KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
FOREIGN_NOTE = ("foreign name: check the person's own spelling (Latin script or the national "
                "romanisation); en/de are a transliteration of the Cyrillic")


def foreign_person(kk: str) -> bool:
    """Whether a person's name is written in Cyrillic from another script, so that its
    English and German spelling cannot be known from the Cyrillic (Томаш Ковальски is Tomasz
    Kowalski, Габор Сабо Gábor Szabó, Лю Цзяньго Liu Jianguo): an East Asian name, or one with
    no Kazakh letter and no Kazakh or Russian surname ending (-ов, -ева, -ұлы ...). Kazakh,
    Russian and most Central Asian names (Бахтиёр Рахимов) keep their transliteration."""
    words = kk.split()
    if _east_asian(words):
        return True
    return not _KAZAKH_LETTERS.search(kk) and not _SURNAME.search(words[-1])


class _Taken:
    """Character spans of a text already claimed (by glossary terms or candidates).
    One mark per character, so asking whether a span is free costs its length, not
    the number of spans claimed so far (a sentence of a megabyte holds thousands)."""

    def __init__(self, size: int) -> None:
        self._marks = bytearray(size)

    def append(self, span: tuple[int, int]) -> None:
        a, b = max(0, span[0]), min(span[1], len(self._marks))
        self._marks[a:b] = b"\x01" * max(0, b - a)

    def free(self, a: int, b: int) -> bool:
        return self._marks.find(1, a, b) < 0


_JOINERS = frozenset({"және", "мен", "пен", "бен", ",", "да", "де"})


def _shared_heads(tokens: list[tuple[int, int, str]], runs: Sequence[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """Runs before a plural place head, and the runs joined to them by және, мен or a
    comma, with that head in the singular: Талас және Шу өзендерінде -> Талас өзені,
    Шу өзені; Қордай мен Мерке аудандарындағы -> Қордай ауданы, Мерке ауданы."""
    out: dict[tuple[int, int], str] = {}
    for n in range(len(runs) - 1, -1, -1):
        i, j = runs[n]
        nxt = tokens[j][2].lower() if j < len(tokens) else ""
        head = next((h for h in PLACE_HEADS if nxt in morph.plural_head_forms(h)), "")
        if not head:
            continue
        out[(i, j)] = head
        k = n
        while k > 0 and all(t[2].lower() in _JOINERS for t in tokens[runs[k - 1][1]:runs[k][0]]) \
                and runs[k - 1][1] < runs[k][0]:
            k -= 1
            out[runs[k]] = head
    return out


def _common_opener(tokens: list[tuple[int, int, str]], labels: Sequence[str], i: int, j: int) -> bool:
    """The sentence's first word is a common word (Делегация Зайсан көлін аралады), not the
    start of a place the recogniser sees (Солтүстік Қазақстан облысы) or a known one."""
    word = tokens[i][2]
    return j - i >= 2 and word.lower() in ner.load().common and labels[i][2:] not in _PLACE_LABELS \
        and _head(tokens[j - 1][2]) not in ORG_HEADS \
        and exonyms().get(f"{word} {morph.strip_case(tokens[i + 1][2])}") is None


def _classify(words: list[str], p_types: Sequence[dict[str, float]], p_name: Sequence[float], i: int, j: int,
              seen: frozenset[str]) -> tuple[str, str, float]:
    """(type, base form, confidence) of the capitalised run words = tokens [i, j), or
    ("", "", 0) for a common word. Rules that know (an exonym, a head noun, a surname
    ending, an East Asian name) set the type; else the recogniser does. The confidence is
    the least probability, over the run's tokens, that the recogniser puts on a name."""
    ner_p = min(p_name[i:j])
    headed, head_type = _with_head(" ".join(words)) if len(words) >= 2 else ("", "")
    if headed:
        known = exonyms().get(headed)
        return (known.type if known is not None else head_type), headed, max(ner_p, RULE_STRONG)
    if len(words) >= 2 and _head(words[-1]) in PLACE_HEADS:  # Есіл өзенінің -> Есіл өзені
        head = words[-1] if words[-1].lower() in PLACE_HEADS else morph.strip_case(words[-1])
        base = " ".join([*words[:-1], head])
        if _head(words[-1]) in TYPE_WORD_HEADS:  # Рудный қаласында -> Рудный (as places.tsv)
            base = " ".join(words[:-1])
        known = exonyms().get(base)
        return (known.type if known is not None else "place"), base, max(ner_p, RULE_STRONG)
    for end in (words[-1], morph.strip_case(words[-1])):
        known = exonyms().get(" ".join([*words[:-1], end]))
        if known is not None:
            return known.type, " ".join([*words[:-1], end]), RULE_SURE
    if _east_asian([*words[:-1], _syllable_base(words[-1])]):
        base = " ".join([*words[:-1], _syllable_base(words[-1])])  # Ким Дон Хённің -> Ким Дон Хён
        return "person", base, max(ner_p, RULE_STRONG)
    elif (_SURNAME.search(morph.strip_case(words[-1])) and len(words) >= 2) \
            or (len(words) >= 3 and any(w in _PARTICLES for w in words[1:-1])):
        type_, confidence = "person", max(ner_p, RULE_STRONG)  # a surname ending, a particle (де Врис)
    elif _known_place(words[0]):
        type_, confidence = "place", max(ner_p, RULE_STRONG)
    else:
        type_, confidence = _ner_type(p_types, i, j) or _guess_type(words), ner_p
        if len(words) == 1 and _LOCATED.search(words[0]):
            type_ = "place"  # Тулузадағы: "in Toulouse"; a person takes no -дағы
        if len(words) == 1 and words[0].lower() in ner.load().common and ner_p < LOW_CONFIDENCE:
            return "", "", 0.0  # a common word written with a capital (Биылғы, Жолмен): no name
    if type_ == "person" and len(words) == 3 and _PATRONYMIC.search(words[1]) and not _PATRONYMIC.search(words[2]):
        words = [words[0], words[2]]  # Ерсін Дәулетұлы Жақыпов: the press leaves the patronymic out
    return type_, " ".join([*words[:-1], lemma(words[-1], type_, seen)]), confidence


def _quote_end(m: re.Match[str]) -> int:
    """Where the quoted part of an organisation-name match ends (its closing quote)."""
    return m.start() + max(m.group().rfind(q) for q in "»”“\"")


def _segment_candidates(seg: Segment, matcher: Matcher | None,
                        seen: frozenset[str] = frozenset()) -> list[Candidate]:
    text = seg.text
    # a legal form alone (АҚ, ҰК) is part of the organisation's name, no reason to skip it
    taken = _Taken(len(text))
    hits = [h for h in matcher.find(text) if matcher.types.get(h.id) != "legal"] if matcher is not None else []
    # a known place or person inside a quoted organisation name is part of that name
    # («Астана медицина университеті» КеАҚ): the quoted names are found first, against the
    # other glossary hits; then every hit is claimed
    quoted = [m for rx in (_ORG_AFTER, _ORG_BEFORE, _QUOTED_HEAD) for m in rx.finditer(text)]
    for hit in hits:
        inside = any(m.start() < hit.start and hit.end <= _quote_end(m) for m in quoted)
        if not (inside and matcher is not None and matcher.types.get(hit.id) in ("place", "person")):
            taken.append((hit.start, hit.end))
    out: list[Candidate] = []

    def free_span(a: int, b: int) -> bool:
        return taken.free(a, b)

    def add(kk: str, type_: str, a: int, b: int, confidence: float = RULE_SURE) -> None:
        if free_span(a, b):
            country = " ".join([country_hint(text), *countries_named(text)]).strip() \
                if type_ in ("person", "org") else ""
            out.append(Candidate(kk, type_, text[a:b], seg.index, a, b, confidence=confidence,
                                 country=country))
            taken.append((a, b))

    for rx in (_ORG_AFTER, _ORG_BEFORE):
        for m in rx.finditer(text):
            surface = m.group()
            base = re.sub(rf"-[{_LOWER}]+$", "", surface)
            add(base, "org", m.start(), m.start() + len(surface))
    for m in _QUOTED_HEAD.finditer(text):  # «Атамекен» ұлттық кәсіпкерлер палатасы
        kk, type_ = _with_head(m.group())
        if kk:
            add(kk, type_, m.start(), m.end())
    for hit in hits:
        taken.append((hit.start, hit.end))
    for m in _INITIALS.finditer(text):
        add(f"{m.group(1)} {morph.strip_case(m.group(2))}", "person", m.start(), m.end())
    for m in _LATIN_RUN.finditer(text):
        add(m.group().rstrip(".-"), "org", m.start(), m.start() + len(m.group().rstrip(".-")))
    tokens = tokenize(text)
    for k, (a, b, tok) in enumerate(tokens):
        if morph.is_acronym(tok.split("-")[0]) and not re.search("[A-Za-z]", tok):
            base = re.split(rf"-|(?<=[{_UPPER}])(?=[{_LOWER}])", tok)[0]
            if base in LEGAL_FORMS or (k + 1 < len(tokens) and _CURRENCY.match(tokens[k + 1][2])):
                continue
            add(base, KNOWN_ACRONYMS.get(base, ("org",))[0], a, b)
    for a, b, tok in tokens:  # Қазақстан-Ресей, Германия-Франция: each known part alone
        parts = tok.split("-")
        if len(parts) > 1 and all(p[:1].isupper() for p in parts) \
                and any(exonyms().get(morph.strip_case(p)) is not None for p in parts):
            pos = a
            for part in parts:
                base = morph.strip_case(part)
                known = exonyms().get(base)
                if known is not None:
                    add(base, known.type, pos, pos + len(part))
                pos += len(part) + 1
            taken.append((a, b))
    starts = _sentence_starts(text, tokens)
    for a, b, kk in _territorial_bodies(tokens, starts):  # облыстық ауыл шаруашылығы басқармасы
        add(kk, "org", a, b, RULE_STRONG)
    free = [free_span(a, b) for a, b, _ in tokens]
    labels, p_types = ner.load().name_marginals([t for _, _, t in tokens], tuple(NER_TYPES))
    p_name = [min(1.0, sum(p.values())) for p in p_types]
    runs = _runs(text, tokens, free, labels)
    shared = _shared_heads(tokens, runs)
    for i, j in runs:
        head = shared.get((i, j), "")
        words = [t[2] for t in tokens[i:j]]
        if i in starts and not _known_place(words[0]) and (
                not _clearly_name(words) or words[0].lower() in _OPENING_WORDS
                or (len(words) > 2 and _inflected_noun(words[0]) and not words[1].islower())
                or _common_opener(tokens, labels, i, j)
                or exonyms().get(" ".join([*words[1:-1], morph.strip_case(words[-1])])) is not None) \
                and not _east_asian([*words[:-1], _syllable_base(words[-1])]) \
                and not (labels[i][2:] == "PERSON" and p_name[i] >= RULE_STRONG):
            i, words = i + 1, words[1:]  # a capitalised sentence start is no evidence (a known country is)
        if i in starts and len(words) >= 2 and words[0].lower() in ner.load().common \
                and _head(words[-1]) in ORG_HEADS and not _known_place(words[0]) and words[1][:1].isupper():
            # a common word opening the sentence before a capitalised name is no part of it
            # (Облыстық | Мемлекеттік кірістер департаменті)
            i, words = i + 1, words[1:]
        if not words:
            continue
        if head:  # Сарыағаш және Шардара аудандарында
            words = [*words, head]  # the members of a list stand bare: the case ending is on the head
        type_, base, confidence = _classify(words, p_types, p_name, i, j, seen)
        if type_:
            add(base, type_, tokens[i][0], tokens[j - 1][1], confidence)
    return _with_owners(text, tokens, sorted(out, key=lambda c: c.start))


# Adjectives that name a body of a region, city or district by its level, lower case in
# running text (облыстық ауыл шаруашылығы басқармасы: the region's agriculture department).
TERRITORIAL = frozenset({"облыстық", "қалалық", "аудандық"})


def _territorial_bodies(tokens: list[tuple[int, int, str]], starts: set[int]) -> list[tuple[int, int, str]]:
    """(start, end, lemma) of bodies named by a territorial adjective, descriptive words of
    the administrative lexicon and an organisation head noun, all lower case (the first word
    capitalised only at a sentence start): облыстық кәсіпкерлік және өнеркәсіп басқармасының
    -> облыстық кәсіпкерлік және өнеркәсіп басқармасы. The gold convention and glossaries'
    rows write them lower case, a sentence start is no capital of the name."""
    out = []
    for i, (a, _, tok) in enumerate(tokens):
        if tok.lower() not in TERRITORIAL or not (tok.islower() or i in starts):
            continue
        for k in range(i + 2, min(i + 8, len(tokens))):
            words = [t[2] for t in tokens[i + 1:k]]
            if not all(w.islower() and w.isalpha() for w in words):
                break
            width = _head_at(tokens, k)
            if width and NAMED_HEADS[" ".join([*(t[2].lower() for t in tokens[k:k + width - 1]),
                                               _head(tokens[k + width - 1][2])])][0] == "org" \
                    and tokens[k + width - 1][2].islower() and covers(words):
                surface = " ".join([tok.lower(), *words, *(t[2] for t in tokens[k:k + width])])
                kk, _ = _with_head(surface)
                out.append((a, tokens[k + width - 1][1], kk))
                break
    return out


_GENITIVE_END = re.compile(r"(?:ның|нің|дың|дің|тың|тің)$")


def _owner_start(text: str, tokens: list[tuple[int, int, str]], cands: list[Candidate],
                 cand: Candidate) -> int | None:
    """Where the genitive owner of the organisation `cand` starts, if one is right before it:
    an organisation (Көлік министрлігінің | Су көлігі комитеті) or a country, with an
    optional place in the locative between (Францияның Қазақстандағы | Елшілігі)."""
    at = next((n for n, t in enumerate(tokens) if t[0] == cand.start), None)
    if at is None or at == 0:
        return None
    k = at - 1
    if k > 0 and _LOCATED.search(tokens[k][2]) and exonyms().get(morph.strip_case(tokens[k][2])) is not None:
        k -= 1  # Қазақстандағы: "in Kazakhstan"
    if not _GENITIVE_END.search(tokens[k][2]) or not text[tokens[k][1]:tokens[k + 1][0]].isspace():
        return None
    before = next((c for c in cands if c.end == tokens[k][1] and c is not cand), None)
    if before is not None and before.type == "org" and k == at - 1 \
            and _head(before.surface.split()[-1]) in ORG_HEADS:
        return before.start  # an organisation owns it
    for n in range(min(4, k + 1), 0, -1):
        words = [t[2] for t in tokens[k - n + 1:k + 1]]
        known = exonyms().get(" ".join([*words[:-1], morph.strip_case(words[-1])]))
        if known is not None and known.type == "place" and all(w[:1].isupper() for w in words):
            return tokens[k - n + 1][0]  # a country owns it
    return None


def _with_owners(text: str, tokens: list[tuple[int, int, str]], cands: list[Candidate]) -> list[Candidate]:
    """An organisation with its owner in the genitive before it is one name, owner kept as
    written (Қаржы министрлігінің Мемлекеттік кірістер комитеті, Францияның Қазақстандағы
    Елшілігі): without the owner the row would name another body (the Kazakh committee,
    any embassy). The owner inside it is no candidate of its own here."""
    out = list(cands)
    for cand in cands:
        if cand.type != "org" or cand not in out or not cand.kk[:1].isupper() \
                or _head(cand.kk.split()[-1]) not in ORG_HEADS:
            continue
        start = _owner_start(text, tokens, out, cand)
        if start is None:
            continue
        merged = replace(cand, kk=text[start:cand.start] + cand.kk, surface=text[start:cand.end], start=start,
                         confidence=max(cand.confidence, RULE_STRONG))
        out = [c for c in out if not (start <= c.start and c.end <= cand.start)]
        out[out.index(cand)] = merged
    return out


_NOTE_COUNTRY = re.compile(r"(?:CLDR territory |world-cities\.tsv \()([A-Z]{2})\b")


@lru_cache(maxsize=4096)
def _country_of(word: str) -> str:
    """ISO code of the country a word names, directly or through one of its cities (Берлинде:
    DE), from the exonyms' provenance notes; "" for none."""
    entry = exonyms().get(morph.strip_case(word)) or exonyms().get(word)
    if entry is None or entry.type != "place":
        return ""
    if (m := _NOTE_COUNTRY.search(entry.note)) is not None:
        return m.group(1)
    if entry.note.startswith("CLDR exemplar city of "):
        return cldr.zone_territory(entry.note.removeprefix("CLDR exemplar city of "))
    return ""


def countries_named(text: str) -> list[str]:
    """ISO codes of the foreign countries a text names (Германиядан, Берлинде: DE), in order:
    whose persons' own spellings (mt.glossary.latin_names) a foreign name most likely has."""
    out: list[str] = []
    for _, _, tok in tokenize(text):
        code = _country_of(tok) if tok[:1].isupper() else ""
        if code and code not in out and code != "KZ":
            out.append(code)
    return out


def release_words(segments: Sequence[Segment]) -> frozenset[str]:
    """The capitalised words of a release: the stems `lemma` prefers."""
    return frozenset(tok for seg in segments for _, _, tok in tokenize(seg.text) if tok[:1].isupper())


def release_countries(segments: Sequence[Segment]) -> str:
    """The ISO codes of the foreign countries a release names, space-separated, in order."""
    return " ".join(dict.fromkeys(c for seg in segments for c in countries_named(seg.text)))


def segment_names(seg: Segment, matcher: Matcher | None = None,
                  seen: frozenset[str] = frozenset(), countries: str = "") -> list[Candidate]:
    """The unknown names of one segment, each where it occurs, with the lemma the whole
    release supports (`seen`: release_words of it) and, for persons, the countries of the
    segment then of the release (`countries`: release_countries of it): what enforcement
    transliterates, so that the drafts carry the forms `mt glossary suggest` proposes."""
    return [replace(c, country=" ".join(dict.fromkeys([*c.country.split(), *countries.split()])))
            if c.type in ("person", "org") and countries else c for c in _segment_candidates(seg, matcher, seen)]


def find_unknown_names(segments: Sequence[Segment], matcher: Matcher | None = None) -> list[Candidate]:
    """Names with no glossary entry, once each (by base form), first occurrence
    first: capitalised word runs (a single capitalised word only when not at a
    sentence start), quoted organisation names with legal forms, acronyms,
    initials + surname. A surname alone is counted with the full name (the first word of
    an East Asian name: Пак for Пак Чжи Хун). Each proposal carries a confidence; base
    forms prefer a stem the release writes elsewhere (`lemma`)."""
    seen = release_words(segments)
    countries = release_countries(segments)
    found: dict[str, Candidate] = {}
    for seg in segments:
        for cand in segment_names(seg, matcher, seen, countries):
            key = cand.kk
            if key in found:
                found[key] = replace(found[key], count=found[key].count + 1,
                                     confidence=max(found[key].confidence, cand.confidence),
                                     country=found[key].country or cand.country)
            else:
                found[key] = cand
    # Шахаров and А. Шахаров are counted with Асхат Шахаров
    persons = {(c.kk.split()[0 if _east_asian(c.kk.split()) else -1], c.kk[0]): k for k, c in found.items()
               if c.type == "person" and " " in c.kk and "." not in c.kk}
    for key in list(found):
        cand = found[key]
        words = key.split()
        if key in persons.values() or not (len(words) == 1 or (len(words) == 2 and "." in words[0])):
            continue
        full = persons.get((words[-1], words[0][0])) if len(words) == 2 else \
            next((k for (surname, _), k in persons.items() if surname == key), None)
        if full:
            found[full] = replace(found[full], count=found[full].count + cand.count)
            del found[key]
    return sorted(found.values(), key=lambda c: (c.segment, c.start))
