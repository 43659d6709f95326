"""Districts (аудандар): English `X District`, German `Bezirk X`, Russian the adjective + район."""

from __future__ import annotations

import pytest

import mt.glossary.orgs as orgs
from mt.glossary.orgs import RU_DISTRICT_ADJECTIVES, ru_district_adjective
from mt.glossary.proposals import target_forms
from mt.types import Candidate


def _forms(kk: str) -> tuple[str, str, str]:
    return target_forms(Candidate(kk=kk, type="place", surface=kk, segment=0, start=0, end=len(kk)))


@pytest.mark.parametrize(("kk", "ru"), [
    ("Жамбыл", "Жамбылский"),  # consonant: +ский
    ("Талас", "Таласский"),
    ("Байзақ", "Байзакский"),
    ("Бейнеу", "Бейнеуский"),  # у: +ский
    ("Бурабай", "Бурабайский"),  # й: +ский
    ("Алакөл", "Алакольский"),  # soft ль after ө (folding), +ский
    ("Қаратал", "Каратальский"),  # -ал: -альский
    ("Қармақшы", "Кармакшинский"),  # -ы: -инский
    ("Теректі", "Теректинский"),  # -і (и): -инский
    ("Нұра", "Нуринский"),  # -а: -инский
    ("Сырдария", "Сырдарьинский"),  # -ия: -ьинский
    ("Арал", "Аральский"),  # kz-places' Russian base Аральск: -ск + ий
    ("Ұйғыр", "Уйгурский"),  # exception: Russian spelling unlike the folded Kazakh
])
def test_russian_district_adjective(kk, ru):
    assert ru_district_adjective(kk) == ru


def test_no_adjective_for_other_endings():
    assert ru_district_adjective("Глубокое") is None
    assert _forms("Глубокое ауданы")[2] == "район Глубокое"


def test_district_forms_in_three_languages():
    assert _forms("Қаратал ауданы") == ("Karatal District", "Bezirk Karatal", "Каратальский район")


@pytest.mark.parametrize("kk", sorted(RU_DISTRICT_ADJECTIVES))
def test_every_exception_is_needed(kk, monkeypatch):
    """Each row of the exception table gives what the rule alone would not."""
    monkeypatch.setattr(orgs, "RU_DISTRICT_ADJECTIVES", {})
    assert ru_district_adjective(kk) != RU_DISTRICT_ADJECTIVES[kk]


def test_district_owner_of_an_organisation():
    """A district owning an organisation is its adjective in the genitive."""
    forms = orgs.translate_org("Қаратал ауданының әкімдігі")
    assert forms is not None and forms.ru == "Акимат Каратальского района"
    assert forms.en == "Akimat of Karatal District"
