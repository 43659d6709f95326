"""Kazakh organisation names translated, not transliterated.

API (used by suggest and the name proposals):

- ``translate_org(kk) -> OrgForms | None``: en/de/ru of a name such as
  ``Ауыл шаруашылығы министрлігі``, ``Ақтөбе облысының денсаулық сақтау басқармасы`` or
  ``«Қарағанды көмір-химия комбинаты» АҚ``; None when a descriptive (lower-case) word
  is not in the administrative lexicon or no head noun ends the name, so that the
  caller falls back to a low-confidence transliteration instead of passing a common
  word off as a name.
- ``check_translation(kk, lang, text) -> list[str]``: the lexicon's forms of the
  name's descriptive words that an engine's translation `text` lacks (empty: it
  agrees), for when a real model translates the descriptive part.

How a name is read (Kazakh is head-final): [owner in the genitive: Ақтөбе облысының,
Қазақстан Республикасының, Қаржы министрлігінің] [proper name: «Атамекен», Қарағанды]
[descriptive words from mt/data/admin_lexicon.tsv, longest match] [head noun]; the legal
form (АҚ, ЖШС, «…» ҰК» АҚ) is split off by parse_org and placed the
way render_org places it (en after the name, de and ru before it).

Per language (glossaries/README.md, "Organisation names"):
- en: proper name, modifiers in Kazakh order, head by its pattern (Ministry of {},
  {} Department), owner last with "of": Health Department of Aktobe Region.
- de: adjectives declined by the head's gender; attribute nouns and a single domain
  with a compound stem join the head in one compound (Landwirtschaftsministerium,
  Kohlechemiekombinat), other domains follow "für" (Ministerium für Wissenschaft und
  Hochschulbildung); the proper name follows the head (Kohlechemiekombinat Karaganda);
  owner in the genitive (des Gebiets Aktobe).
- ru: place adjective (Карагандинский: by rule, with an exception table), adjectives
  agreeing with the head, head, genitive domains, «proper name», owner in the genitive
  (Актюбинской области).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from mt.glossary import morphology as morph
from mt.glossary.eastasian import chinese_word
from mt.glossary.latin_names import named_word
from mt.glossary.lexicon import LexRow, lexicon
from mt.glossary.match import tokenize
from mt.glossary.names import LEGAL_FORMS, exonyms, kz_places
from mt.glossary.translit import to_russian, transliterate
from mt.glossary.verify import morph as ru_morph
from mt.types import OrgForms

# Kazakh places as organisation names use them: en, de, ru nominative, ru adjective
# (masculine; "" = derive by rule from the Russian form, None = no adjective in use:
# область Абай). Kazakhstan's official English (Karaganda, not Karagandy).
PLACES: dict[str, tuple[str, str, str, str | None]] = {
    "Қазақстан": ("Kazakhstan", "Kasachstan", "Казахстан", "Казахстанский"),
    "Астана": ("Astana", "Astana", "Астана", "Астанинский"),
    "Алматы": ("Almaty", "Almaty", "Алматы", "Алматинский"),
    "Шымкент": ("Shymkent", "Schymkent", "Шымкент", ""),
    "Ақтөбе": ("Aktobe", "Aktobe", "Актобе", "Актюбинский"),
    "Қарағанды": ("Karaganda", "Karaganda", "Караганда", "Карагандинский"),
    "Павлодар": ("Pavlodar", "Pawlodar", "Павлодар", ""),
    "Атырау": ("Atyrau", "Atyrau", "Атырау", ""),
    "Ақтау": ("Aktau", "Aktau", "Актау", ""),
    "Маңғыстау": ("Mangystau", "Mangistau", "Мангистау", "Мангистауский"),
    "Ақмола": ("Akmola", "Akmola", "Акмола", ""),
    "Қостанай": ("Kostanay", "Kostanai", "Костанай", ""),
    "Қызылорда": ("Kyzylorda", "Kysylorda", "Кызылорда", ""),
    "Жамбыл": ("Zhambyl", "Schambyl", "Жамбыл", ""),
    "Тараз": ("Taraz", "Taras", "Тараз", ""),
    "Түркістан": ("Turkistan", "Türkistan", "Туркестан", "Туркестанский"),
    "Өскемен": ("Oskemen", "Öskemen", "Усть-Каменогорск", "Усть-Каменогорский"),
    "Орал": ("Oral", "Oral", "Уральск", "Уральский"),
    "Петропавл": ("Petropavl", "Petropawl", "Петропавловск", "Петропавловский"),
    "Көкшетау": ("Kokshetau", "Kökschetau", "Кокшетау", ""),
    "Теміртау": ("Temirtau", "Temirtau", "Темиртау", ""),
    "Екібастұз": ("Ekibastuz", "Ekibastus", "Экибастуз", "Экибастузский"),
    "Жезқазған": ("Zhezkazgan", "Scheskasgan", "Жезказган", ""),
    "Балқаш": ("Balkhash", "Balchasch", "Балхаш", "Балхашский"),
    "Семей": ("Semey", "Semei", "Семей", ""),
    "Талдықорған": ("Taldykorgan", "Taldykorgan", "Талдыкорган", ""),
    "Хромтау": ("Khromtau", "Chromtau", "Хромтау", ""),
    "Рудный": ("Rudny", "Rudny", "Рудный", None),
    "Абай": ("Abai", "Abai", "Абай", None),
    "Жетісу": ("Zhetysu", "Schetissu", "Жетісу", None),
    "Ұлытау": ("Ulytau", "Ulytau", "Улытау", None),
    "Шығыс Қазақстан": ("East Kazakhstan", "Ostkasachstan", "Восточный Казахстан", "Восточно-Казахстанский"),
    "Батыс Қазақстан": ("West Kazakhstan", "Westkasachstan", "Западный Казахстан", "Западно-Казахстанский"),
    "Солтүстік Қазақстан": ("North Kazakhstan", "Nordkasachstan", "Северный Казахстан", "Северо-Казахстанский"),
}
# Owners named before an organisation in the genitive (Ақтөбе облысының ...).
OWNER_HEADS: dict[str, tuple[str, str, str]] = {  # stem -> en, de genitive, ru genitive noun
    "облыс": ("{} Region", "des Gebiets {}", "области"),
    "қала": ("{} City", "der Stadt {}", "города"),
    "аудан": ("{} District", "des Bezirks {}", "района"),
}
_GENITIVE = re.compile(r"(?:ның|нің|дың|дің|тың|тің)$")
_CONNECTORS = {"және": ("and", "und", "и"), "мен": ("and", "und", "и")}
_QUOTED = re.compile(r"^[«“„\"](.+?)[»”“\"]\s*")
_DE_ENDING = {"m": "er", "f": "e", "n": "es"}
_SMALL = frozenset({"of", "and", "for", "the", "with", "in", "on"})


def ru_place_adjective(kk: str) -> str | None:
    """Russian masculine adjective of a Kazakh place (Қарағанды -> Карагандинский):
    the table's form, else by rule from the Russian spelling (-а/-ы -> -инский,
    consonant, й or у -> -ский), else None."""
    if kk in PLACES:
        _en, _de, ru, adj = PLACES[kk]
        if adj is None or adj:
            return adj
        base = ru
    elif (known := kz_places().get(kk)) is not None and " " not in known.ru:
        base = known.ru  # Kazakhstan's towns, rivers, lakes (kz-places.tsv): Лисаковский
    else:
        return None
    if base[-1] in "аы":
        return base[:-1] + "инский"
    if base.endswith("ск"):
        return base + "ий"  # Лисаковск -> Лисаковский
    if base[-1] not in "аеёиоуыэюяь" or base[-1] in "йу":
        return base + "ский"
    return None


# Districts whose official Russian adjective the rule below does not give: a Russian spelling
# unlike the folded Kazakh one (Меңдіқара: Мендыкаринский, Ұйғыр: Уйгурский; a town's or river's
# Russian name in kz-places.tsv is the base already: Сарқан Сарканд, Ойыл Уил) or -ийский after
# a vowel (Іле: Илийский).
# Official names of the districts (Kazakhstan's Russian-language administrative usage).
RU_DISTRICT_ADJECTIVES: dict[str, str] = {
    "Еңбекшіқазақ": "Енбекшиказахский", "Ұйғыр": "Уйгурский",
    "Іле": "Илийский", "Шиелі": "Шиелийский", "Жуалы": "Жуалынский", "Төле би": "Толебийский",
    "Ескелді": "Ескельдинский", "Меңдіқара": "Мендыкаринский",
    "Бұқар жырау": "Бухар-Жырауский", "Түлкібас": "Тюлькубасский", "Созақ": "Сузакский",
    "Қобда": "Хобдинский", "Бөкей орда": "Бокейординский",
    "Жаңақала": "Жангалинский", "Қарақия": "Каракиянский", "Маңғыстау": "Мангистауский",
    "Күршім": "Курчумский", "Катонқарағай": "Катон-Карагайский", "Баянауыл": "Баянаульский",
    "Ұзынкөл": "Узункольский",
}


def ru_district_adjective(kk: str) -> str | None:
    """Russian adjective of a district's name (Мақтаарал ауданы -> Мактааральский район):
    the exception table, else by rule from the Russian form of the name (kz-places.tsv's,
    else the Kazakh letters folded): -ия/-ья -> -ьинский (Сырдарьинский), -а/-ы/-и -> -инский
    (Шардаринский, Мунайлинский, Теректинский), -е after a consonant -> -енский (Меркенский), -ал -> -альский
    (Аральский), -ск -> -ский, another consonant, й, у or ь -> +ский (Сарыагашский, Келесский,
    Кордайский, Коксуский, Алакольский); None for other endings (Глубокое: район stays first)."""
    if kk in RU_DISTRICT_ADJECTIVES:
        return RU_DISTRICT_ADJECTIVES[kk]
    known = kz_places().get(kk)
    base = known.ru if known is not None and " " not in known.ru else to_russian(kk)
    if " " in base or not base[-1:].isalpha():
        return None
    if base.endswith(("ия", "ья")):
        return base[:-2] + "ьинский"
    if base[-1] in "аыи":
        return base[:-1] + "инский"
    if base[-1] == "е" and base[-2:-1] not in "аеёиоуыэюя":
        return base + "нский"
    if base.endswith("ал"):
        return base + "ьский"
    if base.endswith("ск"):
        return base + "ий"
    if base[-1] not in "еёоэюя":
        return base + "ский"
    return None


def _ru_gender(noun: str) -> str:
    parses = ru_morph().parse(noun.split()[0])
    gender = parses[0].tag.gender if parses else None
    return {"femn": "f", "neut": "n"}.get(str(gender), "m")


def _ru_adj(adj: str, gender: str, case: str = "nomn") -> str:
    """A masculine adjective (-ый/-ий/-ой, possibly hyphenated) in gender and case."""
    head, sep, last = adj.rpartition("-")
    soft_g = last[-3:-2] in ("к", "г", "х", "ж", "ш", "щ", "ч") and last.endswith("ий")
    stem = last[:-2]
    if case == "gent":
        ending = {"m": "ого", "n": "ого", "f": "ой"}[gender]
    else:
        ending = {"m": last[-2:], "f": "ая", "n": "ое"}[gender]
        if gender == "m" and soft_g:
            ending = "ий"
    return f"{head}{sep}{stem}{ending}"


def _place_forms(words: list[str]) -> tuple[str, str, str, str | None, bool]:
    """en, de, ru, ru adjective, known? for a proper-name part."""
    name = " ".join(words)
    if name in PLACES:
        en, de, ru, _ = PLACES[name]
        return en, de, ru, ru_place_adjective(name), True
    known = exonyms().get(name)
    if known is not None and known.type == "place":  # Kazakhstan's places, CLDR, exonyms.tsv
        return known.en, known.de, known.ru, ru_place_adjective(name), True
    return (transliterate(name, "en", "place"), transliterate(name, "de", "place"),
            transliterate(name, "ru", "place"), None, False)


def _title(en: str) -> str:
    return " ".join(w if w in _SMALL and i else w[:1].upper() + w[1:] for i, w in enumerate(en.split()))


@dataclass
class _Parsed:
    owner: tuple[str, str, str] | None  # en, de, ru (genitive forms)
    name: list[str]
    quoted: bool
    mods: list[LexRow | str]  # connectors (және, мен) kept as strings
    head: LexRow
    known_name: bool


def _match_head(words: list[str]) -> tuple[LexRow, int] | None:
    lex = lexicon()
    for width in (3, 2, 1):
        if len(words) >= width:
            row = lex.get((" ".join(words[-width:]).lower(), True))
            if row:
                return row, width
    return None


def _match_mods(words: list[str]) -> list[LexRow | str] | None:
    """Longest-match the descriptive words; connectors kept as strings; None if a word is unknown."""
    lex, i = lexicon(), 0
    out: list[LexRow | str] = []
    while i < len(words):
        for j in range(len(words), i, -1):
            row = lex.get((" ".join(words[i:j]).lower(), False))
            if row:
                out.append(row)
                i = j
                break
        else:
            if words[i].lower() in _CONNECTORS and 0 < i < len(words) - 1:  # between two modifiers only
                out.append(words[i].lower())
                i += 1
                continue
            compound = _compound(words[i])
            if compound is None:
                return None
            out.append(compound)
            i += 1
    return out


def _compound(word: str) -> LexRow | None:
    """A hyphenated compound of modifiers the lexicon has (жөндеу-механикалық: a repair and
    mechanical plant): the parts joined by "and" in English, "- und" in a German compound
    stem, in Russian the first adjective's stem + -о- (ремонтно-механический)."""
    parts = word.lower().split("-")
    rows = [lexicon().get((part, False)) for part in parts]
    if len(parts) < 2 or any(r is None or r.kind not in ("attr", "adj") for r in rows):
        return None
    found = [r for r in rows if r is not None]
    if not all(r.de_stem for r in found) or not all(re.search("(ый|ий|ой)$", r.ru) for r in found):
        return None
    stems = [r.de_stem for r in found]
    de_stem = "- und ".join([", ".join(stems[:-1]), stems[-1]]) if len(stems) > 2 else "- und ".join(stems)
    ru = "-".join([*(re.sub("(ый|ий|ой)$", "о", r.ru) for r in found[:-1]), found[-1].ru])
    en = " and ".join([", ".join(r.en for r in found[:-1]), found[-1].en])
    return LexRow(word.lower(), "attr", en, de_stem, de_stem, ru)


def _owner(words: list[str]) -> tuple[tuple[str, str, str] | None, list[str]]:
    """Split a genitive owner off the front: Ақтөбе облысының | денсаулық сақтау басқармасы."""
    for k, word in enumerate(words[:4]):
        low = word.lower()
        if low in ("республикасының", "республикасы") and k == 1 and words[0] == "Қазақстан":
            return ("the Republic of Kazakhstan", "der Republik Kasachstan", "Республики Казахстан"), words[2:]
        for stem, (en, de, ru_noun) in OWNER_HEADS.items():
            if low.startswith(stem) and _GENITIVE.search(low) and 0 < k:
                p_en, p_de, p_ru, adj, _ = _place_forms(words[:k])
                if stem == "аудан":  # a district by its own adjective rule (Мактааральского района)
                    adj = ru_district_adjective(" ".join(words[:k]))
                ru = f"{_ru_adj(adj, _ru_gender(ru_noun), 'gent')} {ru_noun}" if adj else f"{ru_noun} {p_ru}"
                if stem == "қала":
                    ru = f"{ru_noun} {p_ru}"
                return (en.format(p_en), de.format(p_de), ru), words[k + 1:]
    return None, words


def _parse(name: str) -> _Parsed | None:
    quoted_name: list[str] = []
    m = _QUOTED.match(name)
    rest = name
    if m:
        quoted_name, rest = [m.group(1)], name[m.end():]
    words = rest.split()
    owner, words = _owner(words) if not quoted_name else (None, words)
    head = _match_head(words)
    if head is None:
        return None
    row, width = head
    body = words[: len(words) - width]
    name_words: list[str] = list(quoted_name)
    if not quoted_name:
        # leading capitalised words that start no lexicon entry are the proper name
        while body and body[0][:1].isupper() and _match_mods(body[:1]) is None \
                and not any(lexicon().get((" ".join(body[:j]).lower(), False)) for j in range(2, len(body) + 1)):
            name_words.append(body.pop(0))
    mods = _match_mods(body)
    if mods is None:
        return None
    known = bool(quoted_name) or not name_words or " ".join(name_words) in PLACES \
        or exonyms().get(" ".join(name_words)) is not None
    return _Parsed(owner, name_words, bool(quoted_name), mods, row, known)


# Kazakh plural + 3rd-person possessive: мемлекеттері, елдері (an N1 that is itself a
# genitive-less compound: Түркі мемлекеттері).
_PLURAL = re.compile(r"(?:лар|лер|дар|дер|тар|тер)(?:ы|і)$")


def _plural_n1(p: _Parsed) -> bool:
    """Whether the name is N1 N2-сы with N1 a plural possessive naming the members (Түркі
    мемлекеттері ұйымы): English puts the head first with "of" (Organization of Turkic
    States, not "Turkic States Organization"); German and Russian put N1 in the genitive
    plural after the head (Organisation der türkischen Staaten, Организация тюркских
    государств). A plural domain keeps the compound (Су ресурстары комитеті = Water
    Resources Committee), and so does a bare plural member (Түркітілдес мемлекеттер ұйымы)."""
    last = p.mods[-1] if p.mods else None
    return (isinstance(last, LexRow) and last.kind == "member" and bool(_PLURAL.search(last.kk.split()[-1]))
            and p.head.en.startswith("{} ") and not p.name and all(isinstance(m, LexRow) for m in p.mods))


def _ru_adj_gen_plural(adj: str) -> str:
    """тюркский -> тюркских, новый -> новых (after к г х ж ш щ ч and soft -ий: -их)."""
    stem = adj[:-2]
    return stem + ("их" if adj.endswith("ий") or stem[-1:] in "кгхжшщч" else "ых")


def _plural_n1_forms(p: _Parsed) -> tuple[str, str, str]:
    rows = [m for m in p.mods if isinstance(m, LexRow)]
    en = _title(f"{p.head.en.removeprefix('{} ')} of {' '.join(m.en for m in rows)}")
    de = " ".join([p.head.de, "der", *(m.de + "en" if m.kind == "adj" else m.de for m in rows)])
    ru = " ".join([p.head.ru, *(_ru_adj_gen_plural(m.ru) if m.kind == "adj" else m.ru for m in rows)])
    if p.owner:
        en, de, ru = f"{en} of {p.owner[0]}", f"{de} {p.owner[1]}", f"{ru} {p.owner[2]}"
    return en, de, ru[:1].upper() + ru[1:]


def _en_head_last(p: _Parsed) -> bool:
    """Whether a head-first English pattern (Agency for {}) turns round: an adjective leading
    the description puts the head last (State Tourism Agency, International Cooperation
    Agency; but Agency for Strategic Planning)."""
    first = p.mods[0] if p.mods else None
    return p.head.en.endswith(" for {}") and isinstance(first, LexRow) and first.kind == "adj"


# Heads that name what they do with "for" when the description is an activity (gov.kz:
# Committee for Veterinary Control and Supervision, Committee for Environmental Regulation and
# Control; but Tourism Industry Committee, State Revenue Committee).
_ACTIVITY_HEADS = frozenset({"{} Committee"})
# A Kazakh verbal noun ends the description: бақылау, қадағалау, реттеу, қорғау, дамыту
# (-у after a vowel or a consonant; no short noun such as су "water").
_VERBAL_NOUN = re.compile(r"\w{3,}(?:ау|еу|у|ю)$")


def _for_activity(p: _Parsed) -> bool:
    """Whether the description of a `{} Committee` head is an activity named by a verbal noun
    (Ветеринариялық бақылау және қадағалау комитеті): English puts the head first with
    "for"."""
    last = p.mods[-1] if p.mods else None
    return p.head.en in _ACTIVITY_HEADS and not p.name and isinstance(last, LexRow) \
        and last.kind == "noun" and bool(_VERBAL_NOUN.search(last.kk.split()[-1]))


_TERRITORIAL = frozenset({"облыстық", "қалалық", "аудандық"})


def _territorial_department(p: _Parsed) -> bool:
    """A department named by its level (облыстық, қалалық, аудандық) and the domains it runs:
    English names the level, then "Department of" the domains (Regional Department of
    Agriculture, City Department of Education); a department without a level keeps the
    compound (State Revenue Department)."""
    first = p.mods[0] if p.mods else None
    return p.head.en == "{} Department" and not p.name and isinstance(first, LexRow) \
        and first.kk in _TERRITORIAL and len(p.mods) > 1 \
        and all(isinstance(m, str) or m.kind == "noun" for m in p.mods[1:])


def _en(p: _Parsed, name_en: str) -> str:
    desc = " ".join(_CONNECTORS[m][0] if isinstance(m, str) else m.en for m in p.mods)
    pattern = p.head.en
    if _en_head_last(p):
        pattern = "{} " + pattern.removesuffix(" for {}")
    elif _for_activity(p):
        pattern = pattern.removeprefix("{} ") + " for {}"
    elif _territorial_department(p):  # Regional Department of Agriculture
        level, *rest = p.mods
        desc = " ".join(_CONNECTORS[m][0] if isinstance(m, str) else m.en for m in rest)
        pattern = f"{level.en if isinstance(level, LexRow) else level} Department of {{}}"
    if pattern.startswith("{}"):
        out = pattern.format(" ".join(x for x in (name_en, desc) if x)).strip()
    elif desc:
        out = " ".join(x for x in (name_en, pattern.format(desc)) if x)
    else:
        out = " ".join(x for x in (name_en, pattern.replace(" of {}", "").replace(" for {}", "")) if x)
    if p.owner:
        out += f" of {p.owner[0]}"
    return _title(out)


def _de(p: _Parsed, name_de: str, in_quotes: bool) -> str:
    gender = p.head.kind[-1]
    adjs = [m.de + _DE_ENDING[gender] for m in p.mods if not isinstance(m, str) and m.kind == "adj"]
    stems = [m.de_stem for m in p.mods if not isinstance(m, str) and m.kind == "attr"]
    nouns = [m for m in p.mods if not isinstance(m, str) and m.kind in ("noun", "member")]
    head = p.head.de
    if len(nouns) == 1 and nouns[0].de_stem:
        stems.append(nouns[0].de_stem)
        nouns = []
    if stems:
        head = stems[0] + "".join(s[:1].lower() + s[1:] for s in stems[1:]) + head.lower()
    out = " ".join([*adjs, head])
    if nouns:
        out += " für " + " und ".join(n.de for n in nouns)
    out = out[:1].upper() + out[1:]
    if name_de:
        out += f" „{name_de}“" if p.quoted and not in_quotes else f" {name_de}"
    if p.owner:
        out += f" {p.owner[1]}"
    return out


def _ru(p: _Parsed, name_ru: str, adj: str | None) -> str:
    gender = _ru_gender(p.head.ru)
    adjs = [_ru_adj(m.ru, gender) for m in p.mods if not isinstance(m, str) and m.kind in ("adj", "attr")]
    gens = [m.ru for m in p.mods if not isinstance(m, str) and m.kind in ("noun", "member")]
    if adj:
        adjs.insert(0, _ru_adj(adj, gender))
    out = " ".join([*adjs, p.head.ru, *gens])
    if name_ru and not adj:
        out += f" «{name_ru}»" if p.quoted or not p.known_name else f" {name_ru}"
    if p.owner:
        out += f" {p.owner[2]}"
    return out[:1].upper() + out[1:]


def _wrap(forms: tuple[str, ...], en: str, de: str, ru: str) -> tuple[str, str, str]:
    """Legal forms placed as render_org places them."""
    if not forms:
        return en, de, ru
    outer, inner = forms[0], list(forms[1:])
    f = {lang: [LEGAL_FORMS[x][lang] if x in LEGAL_FORMS else transliterate(x, lang, "place")
                for x in reversed(inner)] for lang in ("en", "de", "ru")}
    en = " ".join([*f["en"], en, LEGAL_FORMS[outer]["en"]])
    de = f"{LEGAL_FORMS[outer]['de']} „{' '.join([*f['de'], de])}“"
    inside = ru
    for x in inner:
        inside = f"{LEGAL_FORMS[x]['ru'] if x in LEGAL_FORMS else to_russian(x)} «{inside}"
    # Russian press practice: nested opening quotes, one closing (АО «НК «КазМунайГаз»)
    return en, de, f"{LEGAL_FORMS[outer]['ru']} «{inside}" + ("" if inside.endswith("»") else "»")


def _unquote(kk: str) -> str:
    """«Ақтөбе рельс-арқалық зауыты» -> the inside; «Атамекен» палатасы stays as it is."""
    if kk[:1] in "«“„\"" and kk[-1:] in "»”“\"" and sum(kk.count(q) for q in "«»“”„\"") == 2:
        return kk[1:-1]
    return kk


# -- owners in the genitive: a state or an organisation before the name -----------------------

# English country names that take "the" (Embassy of the United Arab Emirates)
_THE = re.compile(r"^(?:United |Republic |Russian Federation|Czech Republic|Netherlands|Philippines|"
                  r"Bahamas|Maldives|Gambia|Comoros|Seychelles)|(?:Islands|Emirates|Republic|Kingdom)$")
_LOCATED = re.compile(r"(?:дағы|дегі|тағы|тегі)$")


@dataclass(frozen=True)
class _Owner:
    kind: str  # "country" or "org"
    en: str  # English name (Hungary; Ministry of Transport)
    de: str  # German after the name (von Ungarn; des Verkehrsministeriums)
    ru: str  # Russian genitive (Венгрии; Министерства транспорта)
    loc: tuple[str, str, str] | None = None  # in Kazakhstan / in Kasachstan / в Казахстане


def _ru_case(phrase: str, case: str) -> str:
    """A Russian noun phrase with its words up to the first noun put in `case` (gent,
    loct): Министерство транспорта -> Министерства транспорта, Объединённые Арабские
    Эмираты -> Объединённых Арабских Эмиратов."""
    out, done = [], False
    for word in phrase.split():
        if done:
            out.append(word)
            continue
        parse = ru_morph().parse(word)[0]
        form = parse.inflect({case}) if {"NOUN", "ADJF", "PRTF"} & {parse.tag.POS} else None
        new = form.word if form else word
        out.append(new[:1].upper() + new[1:] if word[:1].isupper() else new)
        done = parse.tag.POS == "NOUN"
    return " ".join(out)


def _de_genitive(de: str, head: LexRow) -> str:
    """A German organisation name in the genitive (des Verkehrsministeriums, der Agentur ...)."""
    words = de.split()
    at = next((i for i, w in enumerate(words) if w.lower().endswith(head.de.lower())), 0)
    female = head.kind.endswith("f")
    adjs = [re.sub(r"(?:e|es|er)$", "en", w) for w in words[:at]]
    noun = words[at] if female or words[at].endswith(("s", "x", "z", "ß")) else words[at] + "s"
    return " ".join(["der" if female else "des", *adjs, noun, *words[at + 1:]])


# German country names used with the article (die Türkei, die Niederlande): "der" + genitive
_DE_ARTICLE = frozenset({"Schweiz", "Niederlande", "Philippinen", "USA", "Malediven", "Bahamas",
                         "Komoren", "Seychellen"})


def _de_country(de: str) -> str:
    """The owner country after a German name: von Frankreich, der Türkei, der Vereinigten
    Arabischen Emirate."""
    words = de.split()
    if len(words) > 1 and words[0] == "Vereinigte":
        return "der " + " ".join([*(w + "n" if w.endswith("e") else w for w in words[:-1]), words[-1]])
    if de in _DE_ARTICLE or de.endswith(("ei", "ine")):
        return f"der {de}"
    return f"von {de}"


def _country_owner(words: list[str]) -> tuple[_Owner, list[str]] | None:
    """Францияның [Қазақстандағы] Елшілігі: a country (CLDR or exonym) in the genitive, an
    optional place in the locative, then the name."""
    for k in range(min(4, len(words) - 1)):
        if not _GENITIVE.search(words[k].lower()):
            continue
        known = exonyms().get(" ".join([*words[:k], morph.strip_case(words[k])]))
        if known is None or known.type != "place":
            continue
        rest, loc = words[k + 1:], None
        if len(rest) > 1 and _LOCATED.search(rest[0]):
            place = exonyms().get(morph.strip_case(rest[0]))
            if place is not None:
                loc, rest = (place.en, place.de, _ru_case(place.ru, "loct")), rest[1:]
        en = f"the {known.en}" if _THE.search(known.en) else known.en
        return _Owner("country", en, _de_country(known.de), _ru_case(known.ru, "gent"), loc), rest
    return None


def _org_owner(words: list[str]) -> tuple[_Owner, list[str]] | None:
    """Көлік министрлігінің Су көлігі комитеті: an organisation in the genitive, then the name."""
    for k in range(1, min(6, len(words) - 1)):
        low = words[k].lower()
        nominative = morph.strip_case(low)
        if not _GENITIVE.search(low) or (nominative, True) not in lexicon() or not words[k + 1][:1].isupper():
            continue
        owner_kk = " ".join([*words[:k], nominative])
        forms, parsed = translate_org(owner_kk), _parse(owner_kk)
        if forms is None or parsed is None:
            return None
        return _Owner("org", forms.en, _de_genitive(forms.de, parsed.head), _ru_case(forms.ru, "gent")), words[k + 1:]
    return None


def _with_owner(owner: _Owner, rest: OrgForms, head_first: bool) -> OrgForms:
    """The name's forms with its owner: en "X of the Ministry of Y", "Embassy of France in
    Kazakhstan", "Japan International Cooperation Agency" (a country before a name whose
    head comes last); de "X des Y", "X von Frankreich in Kasachstan"; ru "X Министерства Y",
    "Посольство Франции в Казахстане"."""
    if owner.kind == "org":
        en = f"{rest.en} of the {owner.en}"
    elif head_first:
        en = f"{rest.en} of {owner.en}"
    else:
        en = f"{owner.en.removeprefix('the ')} {rest.en}"
    de, ru = f"{rest.de} {owner.de}", f"{rest.ru} {owner.ru}"
    if owner.loc:
        en, de, ru = f"{en} in {owner.loc[0]}", f"{de} in {owner.loc[1]}", f"{ru} в {owner.loc[2]}"
    return OrgForms(en, de, ru, rest.confidence)


def _translate_owned(kk: str) -> OrgForms | None:
    """An organisation name with a genitive owner before it, or None (no owner, or the rest
    cannot be read)."""
    if kk[:1] in "«“„\"":
        return None
    words = kk.split()
    split = _country_owner(words) or _org_owner(words)
    if split is None or not split[1]:
        return None
    owner, rest_words = split
    rest_kk = " ".join(rest_words)
    rest, parsed = translate_org(rest_kk), _parse(rest_kk)
    if rest is None or parsed is None:
        return None
    return _with_owner(owner, rest, not parsed.head.en.startswith("{}") and not _en_head_last(parsed))


@lru_cache(maxsize=1)
def brand_words() -> dict[str, str]:
    """Cyrillic transcription -> Latin of the words foreign company names are made of
    (mt/data/brand-words.tsv)."""
    text = (files("mt") / "data" / "brand-words.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    for n, cells in enumerate(rows[1:], 2):
        if len(cells) != 2 or not all(cells):
            raise ValueError(f"mt/data/brand-words.tsv: row {n}: want cyrillic, latin")
    return {cyr: lat for cyr, lat in rows[1:]}


_KAZAKH_LETTER = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


def _brand(inner: str, lang: str, countries: str) -> str:
    """A foreign brand's quoted name in Latin: company words read back (Энерджи = Energy),
    Chinese words in pinyin when the release names China (Тяньшань = Tianshan), personal names
    in the spelling of a country the release names (Штайнер = Steiner), the rest
    transliterated. A Kazakh brand (a Kazakh letter in it) is transliterated as it is."""
    if _KAZAKH_LETTER.search(inner) or not re.search("[А-Яа-яЁё]", inner):
        return transliterate(inner, lang, "place")
    chinese = "CN" in countries.split() or "zh" in countries.split()
    out = []
    for word in inner.split():
        if word in brand_words():
            out.append(brand_words()[word])
        elif chinese and (pinyin := chinese_word(word)) is not None:
            out.append(pinyin)
        elif (own := named_word(word, [c for c in countries.split() if c.isupper()])) is not None:
            out.append(own)  # a founder's name in the spelling of a country the release names
        else:
            out.append(transliterate(word, lang, "place"))
    return " ".join(out)


def translate_org(kk: str, countries: str = "") -> OrgForms | None:
    """en/de/ru of a Kazakh organisation name, or None when the lexicon cannot read it.
    `countries`: the countries the release names (ISO codes, space-separated; for the
    spelling of a foreign brand's name)."""
    kk = " ".join(kk.split())
    owned = _translate_owned(kk)
    if owned is not None:
        return owned
    org = parse_org(kk)
    name, forms = (org.name, org.forms) if org else (_unquote(kk), ())
    p = _parse(name)
    if p is None:
        return _descriptive_name(name, forms) if forms else None
    name_en, name_de, name_ru, adj, _ = _place_forms(p.name) if p.name else ("", "", "", None, True)
    if p.quoted:
        inner = p.name[0]
        name_en, name_de = (_brand(inner, lang, countries) for lang in ("en", "de"))
        name_ru = transliterate(inner, "ru", "place")
    if _plural_n1(p):
        en, de, ru = _plural_n1_forms(p)
    else:
        en, de, ru = _en(p, name_en), _de(p, name_de, bool(forms)), _ru(p, name_ru, adj)
    en, de, ru = _wrap(forms, en, de, ru)
    return OrgForms(en, de, ru, 1.0 if p.known_name else 0.7)


def _descriptive_name(name: str, forms: tuple[str, ...]) -> OrgForms | None:
    """A company's quoted name without a head noun made of a known place and the lexicon's
    descriptive words (a place first, then modifiers: «Алтай полиметалл» ЖШС = Altai Polymetal
    LLP): en and de word by word, ru the Kazakh letters folded as the company writes its name;
    None when a word is neither (a brand: «Атамекен», «Самұрық-Қазына»)."""
    words = name.split()
    for k in range(len(words) - 1, 0, -1):
        en_place, de_place, _, _, known = _place_forms(words[:k])
        mods = _match_mods(words[k:])
        if known and mods and all(isinstance(m, LexRow) and m.kind in ("attr", "noun") for m in mods):
            rows = [m for m in mods if isinstance(m, LexRow)]
            en = _title(" ".join([en_place, *(m.en for m in rows)]))
            de = " ".join([de_place, *(m.de for m in rows)])
            en, de, ru = _wrap(forms, en, de, to_russian(name))
            return OrgForms(en, de, ru, 0.7)
    return None


def _present(form: str, text: str, lang: str) -> bool:
    """`form` occurs in `text`; de and ru words may carry an inflection ending."""
    low = text.lower()
    if lang == "en":
        return form.lower() in low
    words = [w for w in re.findall(r"\w+", form.lower()) if len(w) > 2]
    return all(re.search(rf"{re.escape(w[: max(3, len(w) - 2)])}\w*", low) for w in words)


def check_translation(kk: str, lang: str, text: str) -> list[str]:
    """The lexicon forms of `kk`'s descriptive words and head missing from an engine's
    translation `text` in `lang` (en, de, ru): empty when the translation agrees."""
    org = parse_org(kk)
    p = _parse(org.name if org else _unquote(kk))
    if p is None:
        return []
    missing = []
    for row in [*(m for m in p.mods if not isinstance(m, str)), p.head]:
        form = {"en": row.en.replace("{}", "").replace(" of ", " ").replace(" for ", " ").strip(),
                "de": row.de_stem or row.de, "ru": row.ru}[lang]
        if lang == "de" and row.kind == "adj":
            form = row.de
        if not _present(form, text, lang):
            missing.append(form)
    return missing


# -- organisation names with legal forms --------------------------------------------------

@dataclass(frozen=True)
class OrgName:
    """«Қазхром» ТҰК» АҚ -> name Қазхром, forms (АҚ, ТҰК): outermost first."""

    name: str
    forms: tuple[str, ...]


def parse_org(kk: str) -> OrgName | None:
    """Split a Kazakh organisation name into its name and legal forms."""
    tokens = tokenize(kk)
    forms: list[str] = []
    lo, hi = 0, len(tokens)
    changed = True
    while changed and lo < hi:
        changed = False
        for idx in (hi - 1, lo):
            text = tokens[idx][2]
            base = text.split("-")[0] if idx == hi - 1 else text
            # an unknown acronym counts as an inner form only between closing quotes: «X» ҰӘҚ» АҚ
            is_form = base in LEGAL_FORMS or (
                bool(forms) and idx == hi - 1 and idx - 1 > lo and tokens[idx - 1][2] in "»”"
                and morph.is_acronym(base) and not re.search("[A-Za-z]", base))
            if is_form or text in "«»“”„\"":
                if is_form:
                    forms.append(base)
                if idx == hi - 1:
                    hi -= 1
                else:
                    lo += 1
                changed = True
                break
    if not forms or lo >= hi:
        return None
    name = kk[tokens[lo][0]:tokens[hi - 1][1]].strip("«»“”„\" ")
    return OrgName(name, tuple(forms))


def render_org(org: OrgName, lang: str) -> str:
    """The organisation's name in a target language's convention:
    en "TNC Kazkhrom JSC", de AG „TNK Kaschrom“, ru АО «ТНК «Казхром»."""
    name = transliterate(org.name, lang, "place")
    outer, inner = org.forms[0], list(org.forms[1:])
    def form(f: str) -> str:
        return LEGAL_FORMS[f][lang] if f in LEGAL_FORMS else transliterate(f, lang, "place")

    if lang == "en":
        return " ".join([*(form(f) for f in reversed(inner)), name, form(outer)])
    if lang == "de":
        return f"{form(outer)} „{' '.join([*(form(f) for f in reversed(inner)), name])}“"
    # Russian press practice (entities.tsv): nested opening quotes, one closing.
    inside = name
    for f in inner:
        inside = f"{form(f)} «{inside}"
    return f"{form(outer)} «{inside}»"
