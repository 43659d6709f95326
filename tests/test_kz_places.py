"""mt/data/kz-places.tsv: Kazakhstan's places with established forms, used before transliteration."""

from __future__ import annotations

import re

import pytest

from mt.glossary.names import KZ_PLACE_KINDS, exonyms, kz_places
from mt.glossary.orgs import translate_org
from mt.glossary.proposals import target_forms
from mt.glossary.translit import transliterate
from mt.types import Candidate

_CYR = re.compile(r"^[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі\- ]+$")
_LATIN = re.compile(r"^[A-Za-zÄÖÜäöüß\- ]+$")


def test_every_row_is_consistent():
    """kk and ru in Cyrillic, en and de in Latin letters, a capital first, one row per kk,
    a known kind; a row with its head (өзені, көлі, теңізі, су қоймасы) says the head in
    every language."""
    rows = kz_places()
    assert len(rows) > 100
    heads = {"өзені": ("River", "Fluss", "река"), "көлі": ("Lake", "see", "озеро"),
             "теңізі": ("Sea", "see", "море"), "қоймасы": ("Reservoir", "Stausee", "водохранилище")}
    for kk, e in rows.items():
        assert _CYR.match(kk) and _CYR.match(e.ru), kk
        assert _LATIN.match(e.en) and _LATIN.match(e.de), kk
        assert all(x[:1].isupper() for x in (kk, e.en, e.de)), kk
        assert e.note.split("(")[1].rstrip(")") in KZ_PLACE_KINDS
        head = kk.split()[-1]
        if head in heads:
            en, de, ru = heads[head]
            assert en in e.en and de in e.de and ru in e.ru, kk


def _forms(kk: str) -> tuple[str, str, str]:
    return target_forms(Candidate(kk=kk, type="place", surface=kk, segment=0, start=0, end=len(kk)))


@pytest.mark.parametrize("kk,forms", [
    # established forms that no rule gives: Satpayev's Russian п, Аральск, х in Bukhtarma
    ("Сәтбаев", ("Satbayev", "Satpajew", "Сатпаев")),
    ("Арал", ("Aral", "Aralsk", "Аральск")),
    ("Щучинск", ("Shchuchinsk", "Schtschutschinsk", "Щучинск")),
    # the head is placed around the listed name
    ("Лепсі өзені", ("Lepsy River", "Fluss Lepsy", "река Лепсы")),
    ("Марқакөл көлі", ("Lake Markakol", "Markakolsee", "озеро Маркаколь")),
    ("Бұқтырма су қоймасы", ("Bukhtarma Reservoir", "Buchtarma-Stausee", "Бухтарминское водохранилище")),
    # a river written unlike the town of the same name: the headed row wins
    ("Есіл өзені", ("Esil River", "Fluss Ischim", "река Ишим")),
    ("Есіл", ("Esil", "Jessil", "Есиль")),
])
def test_listed_places_before_transliteration(kk, forms):
    assert _forms(kk) == forms


def test_list_is_below_the_curated_exonyms():
    """exonyms.tsv wins over the list (Өскемен's German Öskemen), the list over CLDR."""
    assert exonyms()["Өскемен"].de == "Öskemen"
    assert exonyms()["Ақтау"].en == "Aktau"


def test_unlisted_place_is_transliterated():
    """A village not in the list keeps the rules (and the list does not leak into it)."""
    assert "Қарабұтақ" not in kz_places()
    assert _forms("Қарабұтақ") == tuple(transliterate("Қарабұтақ", lang, "place") for lang in ("en", "de", "ru"))


def test_organisation_names_use_the_listed_forms():
    """A town inside an organisation's name takes its established form and Russian adjective
    (Лисаков is Lisakovsk, Лисаковский), not a transliteration (Lisakov)."""
    forms = translate_org("Лисаков өңірлік университеті")
    assert forms is not None
    assert (forms.en, forms.ru) == ("Lisakovsk Regional University", "Лисаковский региональный университет")


def test_listed_place_inside_a_longer_name():
    """A listed town inside a name the lexicon cannot read whole keeps its form (Kostanay, not
    the rule's Kostanai), the rest is transliterated."""
    forms = target_forms(Candidate(kk="Шоқан Уәлиханов атындағы Қостанай университеті", type="org",
                                   surface="", segment=0, start=0, end=0))
    assert forms[0] == "Shokan Ualikhanov Kostanay University"
