"""Proposed glossary entries for names without one: target forms per language.

Established names first (CLDR and exonyms.tsv through mt.glossary.names.exonyms,
acronyms with a known translation), then organisation names with their legal forms
placed per language, head nouns translated (облысы -> Region / Gebiet / область), and
the rest transliterated (mt.glossary.translit).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from mt.glossary.eastasian import Romanised, romanise
from mt.glossary.latin_names import read_back
from mt.glossary.names import (
    FOREIGN_NOTE,
    KNOWN_ACRONYMS,
    LOW_CONFIDENCE,
    MODIFIERS,
    NAMED_HEADS,
    PLACE_HEADS,
    exonyms,
    foreign_person,
)
from mt.glossary.orgs import parse_org, render_org, ru_district_adjective, translate_org
from mt.glossary.translit import transliterate
from mt.glossary.verify import morph as ru_morph
from mt.types import Candidate, GlossaryEntry

EAST_ASIAN_NOTE = {
    "zh": "Chinese name: Palladius Cyrillic read as Hanyu Pinyin",
    "ko": "Korean name: Kontsevich Cyrillic read as Revised Romanization",
    "ja": "Japanese name: Polivanov Cyrillic read as modified Hepburn",
}

# -- proposing entries ----------------------------------------------------------------------

def _slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "name"


def _name(kk: str, lang: str) -> str:
    """A place name in `lang`: its exonym where there is one, else word by word (a known
    place inside a longer name keeps its form: ... Қостанай -> ... Kostanay), else
    transliterated."""
    known = exonyms().get(kk)
    if known is not None:
        return known.target(lang)
    words = kk.split()
    if len(words) > 1:
        return " ".join(_name(w, lang) for w in words)
    return transliterate(kk, lang, "place")


def target_forms(cand: Candidate) -> tuple[str, str, str]:
    """(en, de, ru) for a candidate: established acronyms and exonyms looked up,
    organisation names translated through the administrative lexicon (mt.glossary.orgs),
    else legal forms mapped, head nouns placed, everything else transliterated."""
    if cand.kk in KNOWN_ACRONYMS:
        return KNOWN_ACRONYMS[cand.kk][1:]
    known = exonyms().get(cand.kk)
    if known is not None:
        return known.en, known.de, known.ru
    translated = translate_org(cand.kk, cand.country) if cand.type == "org" else None
    if translated is not None:  # descriptive words through the administrative lexicon
        return translated.en, translated.de, translated.ru
    org = parse_org(cand.kk) if cand.type == "org" else None
    if org:
        return tuple(render_org(org, lang) for lang in ("en", "de", "ru"))  # type: ignore[return-value]
    words = cand.kk.split()
    head = words[-1].lower()
    named = _named_forms(words)
    if named:
        return named
    if len(words) >= 2 and head in PLACE_HEADS:
        name = " ".join(words[:-1])
        if head == "ауданы" and (adj := ru_district_adjective(name)) is not None:
            # Russian names a district by its adjective (Мактааральский район)
            return PLACE_HEADS[head]["en"].format(_name(name, "en")), \
                PLACE_HEADS[head]["de"].format(_name(name, "de")), f"{adj} район"
        return tuple(PLACE_HEADS[head][lang].format(_name(name, lang))  # type: ignore[return-value]
                     for lang in ("en", "de", "ru"))
    if (latin := _latin_person(cand)) is not None:
        # a European, Turkish or Vietnamese name in its own spelling; Russian keeps the Cyrillic
        return latin, latin, transliterate(cand.kk, "ru", "person")
    if (east := _east_asian_person(cand)) is not None:
        # pinyin / Hepburn / RR in English and German alike; Russian keeps the Cyrillic
        return east.en, east.en, transliterate(cand.kk, "ru", "person")
    kind = "person" if cand.type == "person" else "place"
    return tuple(transliterate(cand.kk, lang, kind) for lang in ("en", "de", "ru"))  # type: ignore[return-value]


# ISO country -> the transcription system of mt.glossary.eastasian
_EAST_ASIAN = {"CN": "zh", "TW": "zh", "KR": "ko", "KP": "ko", "JP": "ja"}


def _east_asian_person(cand: Candidate) -> Romanised | None:
    """A foreign person's name read back by the Chinese, Korean or Japanese transcription
    system (mt.glossary.eastasian), or None."""
    if cand.type != "person" or not foreign_person(cand.kk):
        return None
    hint = next((c for c in cand.country.split() if c.islower()), "")
    if not hint:  # no East Asian country in the paragraph: the first one the release names
        hint = next((_EAST_ASIAN[c] for c in cand.country.split() if c in _EAST_ASIAN), "")
    return romanise(cand.kk, hint)


def _latin_person(cand: Candidate) -> str | None:
    """A foreign person's own Latin spelling, read back through the name lists
    (mt.glossary.latin_names) with the countries the release names, or None. East Asian
    names are read by their transcription systems instead (an East Asian hint, or a name
    that one system reads), except Vietnamese ones, which the lists cover."""
    if cand.type != "person" or not foreign_person(cand.kk):
        return None
    codes = [c for c in cand.country.split() if c.isupper()]
    east = _east_asian_person(cand)
    if east is not None and east.sure:
        return None
    return read_back(cand.kk, codes)


def _spelling_unknown(cand: Candidate) -> bool:
    """A foreign person whose own spelling cannot be read off the Cyrillic: not one that
    a single East Asian transcription system parses without ambiguity, nor one the name
    lists read back (mt.glossary.latin_names)."""
    if cand.type != "person" or not foreign_person(cand.kk) or _latin_person(cand) is not None:
        return False
    east = _east_asian_person(cand)
    return east is None or not east.sure


def _ru_agree(adjective: str, head: str) -> str:
    """A Russian masculine adjective made to agree with `head` (международный + палата)."""

    parses = ru_morph().parse(head)
    gender = parses[0].tag.gender if parses else None
    parse = ru_morph().parse(adjective)[0]
    if gender and gender != "masc" and parse.tag.POS == "ADJF":
        form = parse.inflect({gender, "sing", "nomn"})
        return form.word if form else adjective
    return adjective


def _named_forms(words: list[str]) -> tuple[str, str, str] | None:
    """(en, de, ru) of a name with a head noun and known modifiers:
    Ақтау халықаралық теңіз сауда порты -> Aktau International Sea Trade Port /
    Hafen Aktau / международный морской торговый порт Актау. A modifier the table lacks
    stays out; the translator sees the Kazakh in the row."""
    two = " ".join(words[-2:]).lower() if len(words) >= 3 else ""
    key = two if two in NAMED_HEADS else words[-1].lower()
    if key not in NAMED_HEADS or len(words) < 2:
        return None
    _, en_head, de_head, ru_head = NAMED_HEADS[key]
    rest = words[: len(words) - len(key.split())]
    name_words = [w for w in rest if not w.islower()]
    mods = [MODIFIERS[w] for w in rest if w.islower() and w in MODIFIERS]
    if not name_words:
        return None
    name = " ".join(name_words)
    quoted = name[:1] in "«“„\""
    plain = name.strip("«»“”„\" ")
    en_name, de_name, ru_name = (_name(plain, lang) for lang in ("en", "de", "ru"))
    en = " ".join([en_name, *(m[0] for m in mods), en_head])
    de = f"{de_head} „{de_name}“" if quoted else f"{de_head} {de_name}"
    # adjectives agree and go first; genitive nouns follow the head (палата предпринимателей)
    ru_adj = [_ru_agree(m[1], ru_head) for m in mods if m[1].endswith(("ый", "ий", "ой"))]
    ru_gen = [m[1] for m in mods if not m[1].endswith(("ый", "ий", "ой"))]
    ru_named = f"«{ru_name}»" if quoted else ru_name
    ru = " ".join(x for x in (*ru_adj, ru_head, *ru_gen, ru_named) if x)
    return en, de, ru[:1].upper() + ru[1:] if quoted or mods else ru


def propose_entries(candidates: Sequence[Candidate]) -> list[GlossaryEntry]:
    """Glossary rows with status "proposed" for translators to review."""
    entries: list[GlossaryEntry] = []
    used: set[str] = set()
    by_forms: dict[tuple[str, str, str, str], int] = {}  # one row per concept: Тайланд | Таиланд
    for cand in candidates:
        en, de, ru = target_forms(cand)
        same = by_forms.get((cand.type, en, de, ru))
        if same is not None and exonyms().get(cand.kk) is not None:
            first = entries[same]
            entries[same] = replace(first, kk_variants=(*first.kk_variants, cand.kk))
            continue
        by_forms[(cand.type, en, de, ru)] = len(entries)
        org = parse_org(cand.kk) if cand.type == "org" else None
        base_id = f"{cand.type}.{_slug(transliterate(org.name, 'en', 'place') if org else en)}"
        entry_id, n = base_id, 2
        while entry_id in used:
            entry_id, n = f"{base_id}-{n}", n + 1
        used.add(entry_id)
        note = f"seen as '{cand.surface}' in segment {cand.segment}"
        if cand.count > 1:
            note += f" ({cand.count} times)"
        if cand.confidence < 0.995:
            note += f"; confidence {cand.confidence:.2f}"
        east = _east_asian_person(cand)
        if east is not None:
            note += f"; {EAST_ASIAN_NOTE[east.system]}"
            if not east.sure:  # Kontsevich о/ё/н, or several systems and no country named
                note += " (the reading is ambiguous: check the person's own spelling)"
        elif _spelling_unknown(cand):
            note += f"; {FOREIGN_NOTE}"
        entries.append(GlossaryEntry(id=entry_id, type=cand.type, kk=cand.kk, en=en, de=de, ru=ru,
                                     status="proposed", note=note))
    return entries


def propose_by_confidence(candidates: Sequence[Candidate], threshold: float = LOW_CONFIDENCE
                          ) -> tuple[list[GlossaryEntry], list[GlossaryEntry]]:
    """Proposed rows (propose_entries) split into those at or above `threshold` and the
    low-confidence ones a translator should check apart; ids are unique across both. A
    foreign person's name (names.foreign_person) is set apart, with a note: its own
    spelling cannot be read off the Cyrillic; except a Chinese, Korean or Japanese name
    that one transcription system reads back without ambiguity (mt.glossary.eastasian)."""
    rows = propose_entries(candidates)
    by_kk = {c.kk: c.confidence for c in candidates}
    unknown = {c.kk for c in candidates if _spelling_unknown(c)}
    sure = [r for r in rows if max(by_kk.get(k, 1.0) for k in (r.kk, *r.kk_variants)) >= threshold
            and r.kk not in unknown]
    return sure, [r for r in rows if r not in sure]
