"""The inflection-aware glossary matcher."""

import csv
import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from mt.glossary.match import Match, Matcher, match_segments
from mt.types import Document, GlossaryEntry

ROOT = Path(__file__).resolve().parents[1]
CASES = json.loads((ROOT / "tests/data/kk-nlp-cases/morphology.json").read_text(encoding="utf-8"))
RELEASE = ROOT / "corpora/press-releases/aktobe-germany-2025"


def entry(id_, kk, type_="place", **kw):
    return GlossaryEntry(id=id_, type=type_, kk=kk, en="x", de="x", ru="x", **kw)


def read_entities():
    with open(RELEASE / "entities.tsv", encoding="utf-8", newline="") as f:
        return [entry(r["id"], r["kk"], r["type"]) for r in csv.DictReader(f, delimiter="\t")]


@pytest.fixture(scope="module")
def cases_matcher():
    return Matcher([entry(g["kk"], g["kk"], g["type"]) for g in CASES["glossary"]])


@pytest.fixture(scope="module")
def release_matcher():
    return Matcher(read_entities())


@pytest.fixture(scope="module")
def release_lines():
    return (RELEASE / "release.kk.txt").read_text(encoding="utf-8").splitlines()


def test_case_file_has_40_positives_and_15_negatives():
    assert len(CASES["positive"]) == 40 and len(CASES["negative"]) == 15


@pytest.mark.parametrize("case", CASES["positive"], ids=lambda c: c["surface"])
def test_positive_case(cases_matcher, case):
    surface = case["surface"]
    assert cases_matcher.find(surface) == [Match(case["lemma"], surface, 0, len(surface))]


@pytest.mark.parametrize("case", CASES["negative"], ids=lambda c: c["surface"])
def test_negative_case(cases_matcher, case):
    assert cases_matcher.find(case["surface"]) == []


@pytest.mark.parametrize("case", CASES["positive"], ids=lambda c: c["surface"])
def test_positive_case_inside_a_sentence(cases_matcher, case):
    text = f"Кеше «{case['surface']}», дейді."
    start = text.index(case["surface"])
    assert cases_matcher.find(text) == [Match(case["lemma"], case["surface"], start, start + len(case["surface"]))]


# Counted by hand in release.kk.txt (line 0 is the title): (line, id, surface).
EXPECTED = [
    (0, "place.aktobe-region", "Ақтөбе облысында"),
    (1, "title.regional-akim", "Облыс әкімі"), (1, "person.shakharov", "Асхат Шахаров"),
    (1, "org.german-embassy-kz", "Қазақстандағы Германия Елшілігінің"),
    (1, "title.embassy-deputy", "тұрақты орынбасары"), (1, "person.kinne", "Ульрих Кинне"),
    (2, "person.shakharov", "Асхат Шахаровтың"), (2, "place.kazakhstan", "Қазақстан"),
    (2, "place.germany", "Германия"),
    (3, "place.kazakhstan", "Қазақстан"), (3, "place.germany", "Германияны"), (3, "place.germany", "Германия"),
    (4, "place.aktobe-region", "Ақтөбе облысының"), (4, "place.germany", "Германиямен"),
    (5, "person.shakharov", "Асхат Шахаров"), (5, "org.siemens", "Siemens"), (5, "org.volkswagen", "Volkswagen"),
    (5, "org.basf", "BASF"), (5, "org.man", "MAN"), (5, "org.linde", "Linde"), (5, "place.kazakhstan", "Қазақстан"),
    (8, "org.german-embassy-kz", "Қазақстандағы Германия Елшілігінің"),
    (8, "title.embassy-deputy", "тұрақты орынбасары"), (8, "person.kinne", "Ульрих Кинне"),
    (9, "place.aktobe-region", "Ақтөбе облысы"), (9, "person.kinne", "Ульрих Кинне"),
    (10, "place.kazakhstan", "Қазақстанда"),
    (12, "org.kazchrome", "«Қазхром» ТҰК» АҚ"), (12, "org.kazakhoil-aktobe", "«ҚазақОйл Ақтөбе» ЖШС"),
    (12, "org.cnpc-amg", "«СНПС-АМГ» АҚ"), (12, "org.arbz", "«Ақтөбе рельс-арқалық зауыты» ЖШС"),
    (12, "org.ebrd", "ЕҚДБ"), (12, "org.aqtobe-su-energy", "«Aqtobe su-energy group» АҚ"),
    (12, "place.khromtau", "Хромтауда"), (12, "org.schachtbau", "Schachtbau"),
    (12, "org.zhana-alzhan-mill", "«Жаңа-Әлжан ұн комбинаты» ЖШС"),
]


def test_release_hits_are_exactly_the_hand_counted_ones(release_matcher, release_lines):
    got = []
    for n, line in enumerate(release_lines):
        for m in release_matcher.find(line):
            assert line[m.start:m.end] == m.surface
            got.append((n, m.id, m.surface))
    assert got == EXPECTED


def test_every_entity_occurrence_is_covered(release_matcher, release_lines):
    """Independent of the table above: each regex occurrence of an entity's stem
    lies inside some hit (its own, or a longer term that contains it)."""
    text = "\n".join(release_lines)
    hits = release_matcher.find(text)
    entities = read_entities()
    for e in entities:
        stem = e.kk[:-1] if e.kk[-1] in "аеыіоуя" else e.kk
        flags = re.IGNORECASE if e.kk[0].islower() else 0
        for m in re.finditer(r"(?<!\w)" + re.escape(stem) + r"[\w-]*", text, flags):
            assert any(h.start <= m.start() and m.end() <= h.end for h in hits), (e.id, m.group())
    found = {h.id for h in hits}
    # Ақтөбе occurs only inside longer names (Ақтөбе облысы, «ҚазақОйл Ақтөбе» ЖШС ...)
    assert found == {e.id for e in entities} - {"place.aktobe"}


def test_match_segments_offsets_are_per_segment(release_matcher, release_lines):
    doc = Document(release_lines[0], tuple(release_lines[1:]))
    from mt.segment import segment_document

    segments = segment_document(doc)
    hits = match_segments(segments, release_matcher)
    by_index = {s.index: s.text for s in segments}
    for h in hits:
        assert by_index[h.segment][h.start:h.end] == h.surface
    assert Counter((h.id, h.surface) for h in hits) == Counter((i, s) for _, i, s in EXPECTED)


@pytest.mark.parametrize("word", ["Германиялық", "Германиялықтар", "Қазақстандық", "Ақтөбелік",
                                  "Хромтаулық", "Ақтөбемұнайгаз", "Қазхромтранс"])
def test_derivations_in_a_sentence_do_not_match(release_matcher, word):
    assert release_matcher.find(f"Кеше {word} өкілдері келді.") == []


def test_latin_names_are_case_sensitive_whole_words(release_matcher):
    assert release_matcher.find("Бұл man емес, Man де емес, MANDATE да емес, Lindes те емес.") == []
    text = "MAN-ның және Linde-мен келісім."
    assert [(m.id, m.surface) for m in release_matcher.find(text)] == [
        ("org.man", "MAN-ның"), ("org.linde", "Linde-мен")]


def test_acronyms_with_and_without_hyphen(release_matcher):
    for surface in ("ЕҚДБ-ның", "ЕҚДБ-мен", "ЕҚДБ-ға", "ЕҚДБның"):
        assert release_matcher.find(f"Бұл {surface} жобасы.") == [Match("org.ebrd", surface, 4, 4 + len(surface))]
    assert release_matcher.find("Бұл ЕҚДБНЫҢ жобасы.") == []  # capital suffix: another acronym


def test_person_by_surname_initials_and_reversed_order(release_matcher):
    for surface in ("Шахаровтың", "А. Шахаров", "А.Шахаровқа", "Шахаров Асхат", "Кинненің"):
        hits = release_matcher.find(f"Кеше {surface} айтты.")
        assert [h.surface for h in hits] == [surface]
    assert release_matcher.find("Кеше Шахаровтың")[0].id == "person.shakharov"
    assert release_matcher.find("Кеше Асхатовтың айтты.") == []


def test_quoted_org_name_alone_and_inflected_legal_form(release_matcher):
    hits = release_matcher.find("«Қазхром» компаниясы мен «Қазхром» ТҰК» АҚ-ның өкілі")
    assert [(h.id, h.surface) for h in hits] == [
        ("org.kazchrome", "«Қазхром»"), ("org.kazchrome", "«Қазхром» ТҰК» АҚ-ның")]


def test_possessed_head_takes_n_forms(release_matcher):
    for form in ("облысына", "облысын", "облысынан", "облысындағы"):
        assert release_matcher.find(f"Ақтөбе {form} барды")[0].id == "place.aktobe-region"
    assert release_matcher.find("Облыс әкімінің сөзі")[0].id == "title.regional-akim"
    assert release_matcher.find("облысының") == []


def test_longest_match_wins():
    m = Matcher([entry("a", "Ақтөбе"), entry("b", "Ақтөбе облысы"), entry("c", "облыс әкімі", "term")])
    assert [(h.id, h.surface) for h in m.find("Ақтөбе облысы әкімі")] == [("b", "Ақтөбе облысы")]
    assert [(h.id, h.surface) for h in m.find("Ақтөбе облыс әкімі")] == [("a", "Ақтөбе"), ("c", "облыс әкімі")]


def test_variants_status_and_case():
    m = Matcher([
        entry("p.kz", "Қазақстан", kk_variants=("ҚР",)),
        entry("p.old", "Целиноград", status="deprecated"),
        entry("p.new", "Ақмола", status="proposed"),
        entry("t.company", "компания", "term"),
    ])
    assert [h.id for h in m.find("ҚР-да және Қазақстанда")] == ["p.kz", "p.kz"]
    assert m.find("Целиноградта") == []
    assert [h.id for h in m.find("Ақмолада")] == ["p.new"]
    assert [h.surface for h in m.find("Компаниялар мен компанияның")] == ["Компаниялар", "компанияның"]
    assert [h.surface for h in m.find("ҚАЗАҚСТАННЫҢ ЖАҢАЛЫҚТАРЫ")] == ["ҚАЗАҚСТАННЫҢ"]
    assert m.find("қазақстан") == []  # a name is not matched in lower case


def test_empty_glossary_and_empty_text():
    assert Matcher([]).find("Германия") == []
    assert Matcher([entry("x", "Германия")]).find("") == []


# -- the optimised matcher against a straightforward reference --------------------

def _reference_form(tok, unit, stem_case_ok):
    """Whether `tok` is an inflected form of a pattern's last word, by the rules in
    tests/kk_reference.py (not the matcher's own suffix tables)."""
    import kk_reference as ref

    from mt.glossary.match import ACRONYM, LATIN, POSSESSED

    upper = tok.isupper()
    word, kind = unit.text, unit.kind
    if kind in (LATIN, ACRONYM):
        variants = {word: ref.any_chain()}
    else:
        variants = {}
        for written, chains in ref.forms(word).items():
            as_written = word if written == word.lower() else word[:-1] + written[-1]
            variants[as_written] = set(chains)
        if kind == POSSESSED:
            variants[word] |= ref.possessed_forms(word)
    for written, chains in variants.items():
        stem, suffix = tok[:len(written)], tok[len(written):]
        if stem.lower() != written.lower() or not stem_case_ok(stem, written, kind, upper):
            continue
        hyphen = suffix[:1] in ("-", "‐", "‑")
        body = suffix[1:] if hyphen else suffix
        if upper and (hyphen or kind not in (ACRONYM, LATIN)):
            body = body.lower()  # a headline in capitals
        if body != body.lower():
            continue
        if kind == LATIN and not (hyphen or not suffix):
            continue
        if kind not in (LATIN, ACRONYM) and hyphen:
            continue
        if body in chains:
            return True
    return False


def _reference_find(matcher, text):
    """Brute force over every pattern and position: each unit is checked with the
    plain rules (spelling, quote canonicalisation, stem + a suffix that the
    independent rules of tests/kk_reference.py generate), then the longest,
    leftmost, highest-priority candidates are taken greedily."""
    from mt.glossary.match import _TOKEN, _canon_punct, _stem_case_ok

    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    toks = [text[s:e] for s, e in spans]

    def is_form(tok, unit):
        return _reference_form(tok, unit, _stem_case_ok)

    def unit_ok(unit, tok, last):
        if not unit.kind:
            return not tok[0].isalnum() and _canon_punct(tok) == unit.text
        if not tok[0].isalnum():
            return False
        return is_form(tok, unit) if last else _stem_case_ok(tok, unit.text, unit.kind, tok.isupper())

    lows = [t.lower() for t in toks]
    candidates = []
    for p in matcher.patterns:
        n = len(p.units)
        k, head = next((j, u.text.lower()[:-1]) for j, u in enumerate(p.units) if u.kind)
        for i in range(len(toks) - n + 1):
            if not lows[i + k].startswith(head):  # a quick necessary condition (Одақ: Одағы)
                continue
            if all(unit_ok(u, toks[i + j], j == n - 1) for j, u in enumerate(p.units)):
                start, end = spans[i][0], spans[i + n - 1][1]
                candidates.append((start - end, start, p.priority, p.order, p.id, i, i + n - 1))
    taken, out = set(), []
    for _, start, _, _, id_, first, last in sorted(candidates):
        if taken.isdisjoint(range(first, last + 1)):
            taken.update(range(first, last + 1))
            out.append(Match(id_, text[start:spans[last][1]], start, spans[last][1]))
    return sorted(out, key=lambda m: m.start)


def test_matcher_equals_brute_force_reference_on_mixed_text():
    from mt.glossary.morphology import inflections

    rng = random.Random(7)
    lines = [ln for ln in (ROOT / "corpora/flores200/dev/kaz_Cyrl.dev").read_text(encoding="utf-8").splitlines()
             if ln.strip()]
    words = [w.strip("«»,.;:()!?\"'") for ln in lines for w in ln.split()]  # frequent words often
    entries = read_entities() + [entry(g["kk"], g["kk"], g["type"]) for g in CASES["glossary"]]
    for i in range(400):  # terms made of the text's own words: many hits and overlaps
        kk = " ".join(w for w in rng.sample(words, rng.choice((1, 2, 2, 3))) if w) or "сөз"
        entries.append(entry(f"gen.{i}", kk, "term"))
    entries.append(entry("gen.quoted", "«Жаңа жол» ЖШС", "org"))
    text_lines = rng.sample(lines, 80) + (RELEASE / "release.kk.txt").read_text(encoding="utf-8").splitlines()
    for ln in rng.sample(lines, 40):  # inflected glossary forms spliced in, some in capitals
        kk = rng.choice(entries).kk.split(" ")
        term = " ".join([*kk[:-1], rng.choice(sorted(inflections(kk[-1])))])
        text_lines.append(f"{ln} {term.upper() if rng.random() < 0.2 else term}, {ln[:40]}")
    text_lines += [ln.upper() for ln in rng.sample(lines, 5)] + [ln.lower() for ln in rng.sample(lines, 5)]
    assert sum(len(ln.split()) for ln in text_lines) > 2500
    matcher = Matcher(entries)
    total = 0
    for ln in text_lines:
        got = matcher.find(ln)
        assert got == _reference_find(matcher, ln), ln
        total += len(got)
    assert total > 300  # the comparison covered many hits, not just empty results


# -- the suffix rules, one by one, positives and negatives (issue 21) ------------------

RULES = json.loads((ROOT / "tests/data/kk-nlp-cases/morphology-rules.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rules_matcher():
    return Matcher([entry(g["kk"], g["kk"], g["type"]) for g in RULES["glossary"]])


@pytest.mark.parametrize("case", RULES["positive"], ids=lambda c: c["surface"])
def test_rule_positive_in_a_sentence(rules_matcher, case):
    text = f"Кеше {case['surface']} туралы айтылды."
    assert [(m.id, m.surface) for m in rules_matcher.find(text)] == [(case["lemma"], case["surface"])]


@pytest.mark.parametrize("case", RULES["negative"], ids=lambda c: c["surface"])
def test_rule_negative_wrong_harmony_or_assimilation(rules_matcher, case):
    assert rules_matcher.find(f"Кеше {case['surface']} туралы айтылды.") == []


def test_every_rule_has_positives_and_negatives():
    rules = {c["rule"] for c in RULES["positive"]}
    assert rules == {c["rule"] for c in RULES["negative"]} and len(rules) >= 10


def test_a_name_that_is_also_a_city_is_the_region_before_a_plural_head():
    # the city entry comes first, so without the rule the bare name would take the city
    m = Matcher([entry("city.aktobe", "Ақтөбе"), entry("city.almaty", "Алматы"),
                 entry("reg.aktobe", "Ақтөбе облысы"), entry("reg.pavlodar", "Павлодар облысы"),
                 entry("reg.almaty", "Алматы облысы"), entry("reg.zhambyl", "Жамбыл облысы")])
    assert [m_.id for m_ in m.find("Ақтөбе және Павлодар облыстарында егін жиналды.")] == [
        "reg.aktobe", "reg.pavlodar"]
    assert [m_.id for m_ in m.find("Жамбыл, Алматы және Ақтөбе облыстарының әкімдері")] == [
        "reg.zhambyl", "reg.almaty", "reg.aktobe"]
    # no shared head: the city stays the city
    assert [m_.id for m_ in m.find("Ақтөбе және Павлодар облысы")] == ["city.aktobe", "reg.pavlodar"]


@pytest.mark.parametrize("name, forms, wrong", [
    ("Пак Чжи Хун", ["Пак", "Пактың", "Пакпен", "Пакқа", "Пакты"], "Пактің"),
    ("Ли Мин Хо", ["Лидің", "Лиге", "Лимен"], "Лидың"),
    ("Ким Сон Ым", ["Кимнің", "Кимге", "Кимнен"], "Кимның"),
    ("Си Цзиньпин", ["Сидің", "Сиге"], "Синің"),
])
def test_family_name_first_person_is_found_by_the_family_name(name, forms, wrong):
    m = Matcher([entry("p", name, "person")])
    for surface in forms:
        assert [(h.id, h.surface) for h in m.find(f"Кеше {surface} сөз сөйледі.")] == [("p", surface)], surface
    assert m.find(f"Кеше {wrong} сөзі.") == []  # wrong harmony or assimilation
    assert m.find(f"Кеше {name.split()[-1]} келді.") == []  # a given-name syllable names nobody


def test_given_name_first_persons_keep_the_surname_rule():
    m = Matcher([entry("p.yamada", "Такэши Ямада", "person"), entry("p.shakharov", "Асхат Шахаров", "person")])
    assert [h.id for h in m.find("Ямаданың сөзі мен Шахаровтың сөзі")] == ["p.yamada", "p.shakharov"]
    assert m.find("Такэшидің сөзі мен Асхаттың сөзі") == []


def test_reference_rejects_what_the_rules_do_not_generate():
    """The brute-force reference has rules of its own: a wrong-harmony form is no form."""
    from mt.glossary.match import REGULAR, _stem_case_ok, _Unit

    unit = _Unit("Астана", REGULAR)
    assert _reference_form("Астанада", unit, _stem_case_ok)
    assert not _reference_form("Астанаде", unit, _stem_case_ok)
    assert not _reference_form("Астаната", unit, _stem_case_ok)
