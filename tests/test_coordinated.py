"""Coordinated names sharing one plural head (issue 10 item 2): Жамбыл, Қостанай мен
Павлодар облыстарында. Each name is its region entry; the translation may write the
list with one plural head, and enforcement writes it that way. Sentences written for
these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from mt.glossary.enforce import _terms_for, _unmask
from mt.glossary.match import Matcher, match_segments
from mt.glossary.morphology import plural_head_forms
from mt.glossary.store import load_glossary
from mt.qa import run_checks
from mt.types import Segment

ENTRIES = load_glossary([Path(__file__).parent.parent / "glossaries"]).active()
BY_ID = {e.id: e for e in ENTRIES}
MATCHER = Matcher(ENTRIES)
LIST3 = "Жамбыл, Қостанай мен Павлодар облыстарында егін жинау аяқталды."


def test_plural_heads_are_built_from_the_possessed_singular():
    assert {"облыстары", "облыстарында", "облыстарының", "облыстарындағы"} <= plural_head_forms("облысы")
    assert "аудандарында" in plural_head_forms("ауданы")
    assert "қалаларында" in plural_head_forms("қаласы")
    assert plural_head_forms("Астана") == frozenset()


@pytest.mark.parametrize("text, ids", [
    (LIST3, ["place.zhambyl-region", "place.kostanay-region", "place.pavlodar-region"]),
    ("Түркістан және Қызылорда облыстарында жаңа мектептер ашылды.",
     ["place.turkistan-region", "place.kyzylorda-region"]),
    ("Маңғыстау мен Атырау облыстарындағы кәсіпорындар жұмысын жалғастырды.",
     ["place.mangystau-region", "place.atyrau-region"]),
    ("Шығыс Қазақстан, Батыс Қазақстан және Ақтөбе облыстарының өкілдері келді.",
     ["place.east-kazakhstan-region", "place.west-kazakhstan-region", "place.aktobe-region"]),
])
def test_each_name_before_a_shared_plural_head_is_its_region(text, ids):
    assert [m.id for m in MATCHER.find(text) if m.id.startswith("place.")] == ids


def test_a_plural_head_after_one_name_or_no_list_is_no_group():
    assert [m.id for m in MATCHER.find("Павлодар облыстарында жиын өтті.")] == []
    assert [m.id for m in MATCHER.find("Жамбыл ақын мен Павлодар облыстарында.")] == []


@pytest.mark.parametrize("lang, target", [
    ("en", "Harvesting has ended in Zhambyl, Kostanay and Pavlodar regions."),
    ("en", "Harvesting has ended in Zhambyl Region, Kostanay Region and Pavlodar Region."),
    ("de", "In den Gebieten Schambyl, Kostanai und Pawlodar ist die Ernte beendet."),
    ("ru", "В Жамбылской, Костанайской и Павлодарской областях завершилась уборка урожая."),
])
def test_the_list_with_one_plural_head_satisfies_every_entry(lang, target):
    assert run_checks([LIST3], [target], "kk", lang, entries=ENTRIES, checks=["glossary"]) == []


@pytest.mark.parametrize("lang, target, missing", [
    ("en", "Harvesting has ended in Zhambyl and Pavlodar regions.", "place.kostanay-region"),
    ("de", "In den Gebieten Schambyl und Kostanai ist die Ernte beendet.", "place.pavlodar-region"),
    ("ru", "В Жамбылской, Костанайской и Акмолинской областях завершилась уборка.", "place.pavlodar-region"),
])
def test_a_name_left_out_of_the_list_is_reported(lang, target, missing):
    found = run_checks([LIST3], [target], "kk", lang, entries=ENTRIES, checks=["glossary"])
    assert [f.message.split()[2] for f in found] == [missing]


@pytest.mark.parametrize("lang, output, expected", [
    ("en", "Harvesting has ended in ZX1, ZX2 and ZX3.",
     "Harvesting has ended in Zhambyl, Kostanay and Pavlodar regions."),
    ("de", "In den ZX1, ZX2 und ZX3 ist die Ernte beendet.",
     "In den Gebieten Schambyl, Kostanai und Pawlodar ist die Ernte beendet."),
    ("ru", "В ZX1, ZX2 и ZX3 завершилась уборка урожая.",
     "В Жамбылской, Костанайской и Павлодарской областях завершилась уборка урожая."),
])
def test_enforcement_writes_the_group_as_the_language_does(lang, output, expected):
    terms = _terms_for(0, LIST3, match_segments([Segment(0, 0, LIST3)], MATCHER), BY_ID, None)
    assert len({t.group for t in terms}) == 1 and terms[0].group >= 0
    assert _unmask(output, terms, lang) == expected


def test_enforcement_keeps_single_forms_when_the_model_reorders_the_list():
    terms = _terms_for(0, LIST3, match_segments([Segment(0, 0, LIST3)], MATCHER), BY_ID, None)
    assert _unmask("ZX3 and ZX1 finished.", terms, "en") == "Pavlodar Region and Zhambyl Region finished."


def test_districts_share_their_plural_head_too():
    from mt.types import GlossaryEntry

    districts = [
        GlossaryEntry(id="place.mugalzhar-district", type="place", kk="Мұғалжар ауданы", en="Mugalzhar District",
                      de="Bezirk Mugalschar", ru="Мугалжарский район"),
        GlossaryEntry(id="place.khromtau-district", type="place", kk="Хромтау ауданы", en="Khromtau District",
                      de="Bezirk Chromtau", ru="Хромтауский район"),
    ]
    source = "Мұғалжар мен Хромтау аудандарында жол жөндеу басталды."
    assert [m.id for m in Matcher(districts).find(source)] == [d.id for d in districts]
    for lang, target in [("en", "Road repairs began in Mugalzhar and Khromtau districts."),
                         ("de", "In den Bezirken Mugalschar und Chromtau begann die Straßenreparatur."),
                         ("ru", "В Мугалжарском и Хромтауском районах начался ремонт дорог.")]:
        assert run_checks([source], [target], "kk", lang, entries=districts, checks=["glossary"]) == [], lang
