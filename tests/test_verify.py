"""Inflection-aware verification of target forms (mt.glossary.verify)."""

import pytest

from mt.glossary.verify import contains, find_form, inflect_ru
from mt.types import GlossaryEntry


def entry(id, type, en, de, ru, **kw):
    return GlossaryEntry(id=id, type=type, kk="-", en=en, de=de, ru=ru, **kw)


REGION = entry("place.aktobe-region", "place", "Aktobe Region", "Gebiet Aktobe", "Актюбинская область")
SHAKHAROV = entry("person.shakharov", "person", "Askhat Shakharov", "Aschat Schacharow", "Асхат Шахаров")
SURNAME = entry("person.shakharov", "person", "Shakharov", "Schacharow", "Шахаров")
KINNE = entry("person.kinne", "person", "Ulrich Kinne", "Ulrich Kinne", "Ульрих Кинне")
EMBASSY = entry("org.german-embassy-kz", "org", "German Embassy in Kazakhstan",
                "Deutsche Botschaft in Kasachstan", "Посольство Германии в Казахстане")
KAZCHROME = entry("org.kazchrome", "org", "TNC Kazchrome JSC", "AG „TNK Kazchrome“", "АО «ТНК «Казхром»")
KHROMTAU = entry("place.khromtau", "place", "Khromtau", "Chromtau", "Хромтау")
AKTOBE = entry("place.aktobe", "place", "Aktobe", "Aktobe", "Актобе")
AKIM = entry("title.regional-akim", "term", "regional akim", "Akim des Gebiets", "аким области")


@pytest.mark.parametrize("text, e, lang", [
    ("Встреча с Актюбинской областью прошла успешно.", REGION, "ru"),
    ("Проекты в Актюбинской области растут.", REGION, "ru"),
    ("Гости посетили Актюбинскую область.", REGION, "ru"),
    ("Делегация встретилась с Асхатом Шахаровым.", SHAKHAROV, "ru"),
    ("По словам Асхата Шахарова, отношения важны.", SHAKHAROV, "ru"),
    ("Встреча с Шахаровым прошла в Актобе.", SURNAME, "ru"),
    ("Он сказал Шахарову правду.", SURNAME, "ru"),
    ("Заместитель Посольства Германии в Казахстане Ульрих Кинне.", EMBASSY, "ru"),
    ("Делегация во главе с Ульрихом Кинне.", KINNE, "ru"),
    ("В Хромтау прошли переговоры.", KHROMTAU, "ru"),
    ("Делегация прибыла в Актобе.", AKTOBE, "ru"),
    ("руководство АО \"ТНК \"Казхром\"\" сообщило", KAZCHROME, "ru"),
    ("руководство АО «ТНК «Казхром»» сообщило", KAZCHROME, "ru"),
    ("Аким области встретил гостей.", AKIM, "ru"),
    ("«Аким области встретил гостей.", AKIM, "ru"),
    ("Встреча с акимом области.", AKIM, "ru"),
    ("Ulrich Kinne, Ständiger Vertreter an der Deutschen Botschaft in Kasachstan.", EMBASSY, "de"),
    ("Die Rede Aschat Schacharows war kurz.", SHAKHAROV, "de"),
    ("Projekte des Gebiets Aktobe wachsen.", REGION, "de"),
    ("die AG „TNK Kazchrome“ und andere", KAZCHROME, "de"),
    ("die AG «TNK Kazchrome» und andere", KAZCHROME, "de"),
    ("Askhat Shakharov's guests arrived.", SHAKHAROV, "en"),
    ("Regional akim Askhat Shakharov spoke.", AKIM, "en"),
    ("the German Embassy in Kazakhstan said", EMBASSY, "en"),
    ("The TNC Kazchrome JSC plant", KAZCHROME, "en"),
])
def test_accepts_inflected_and_restyled_forms(text, e, lang):
    assert contains(text, e, lang)


@pytest.mark.parametrize("text, e, lang", [
    ("Встреча с Шахаро прошла успешно.", SHAKHAROV, "ru"),
    ("Встреча с Асхатом Шахаро.", SHAKHAROV, "ru"),
    ("Встреча с Шахаровыми.", SURNAME, "ru"),           # not a case of the singular surname
    ("Met Askhat Shakarov yesterday.", SHAKHAROV, "en"),
    ("Met Askhat Shakharovich yesterday.", SHAKHAROV, "en"),  # word boundary
    ("Treffen mit Aschat Schacharov.", SHAKHAROV, "de"),
    ("Актюбинский район", REGION, "ru"),
    ("в Актюбинской областной больнице", REGION, "ru"),
    ("Ульриха Кинны", KINNE, "ru"),                      # Кинне does not decline
    ("Делегация прибыла в Актобу.", AKTOBE, "ru"),
    ("руководство АО «Казхром» сообщило", KAZCHROME, "ru"),
    ("Встреча с Посольством Германии.", EMBASSY, "ru"),  # the rest of the phrase must follow
    ("Met askhat Shakharov yesterday.", SHAKHAROV, "en"),  # lower case mid-sentence
    ("Met the Regional Akim.", AKIM, "en"),              # capitalisation changed mid-sentence
])
def test_rejects_misspellings_and_wrong_forms(text, e, lang):
    assert not contains(text, e, lang)


def test_find_form_gives_the_span():
    text = "Встреча с Актюбинской областью прошла"
    start, end = find_form(text, REGION, "ru")
    assert text[start:end] == "Актюбинской областью"


def test_variants_are_accepted():
    e = entry("place.aktobe", "place", "Aktobe", "Aktobe", "Актобе", de_variants=("Aqtöbe",))
    assert contains("Die Stadt Aqtöbe wächst.", e, "de")
    assert not contains("Die Stadt Aqtobe wächst.", e, "de")


def test_e_and_yo_are_equivalent():
    e = entry("p", "person", "Pyotr Fyodorov", "Pjotr Fjodorow", "Пётр Фёдоров")
    assert contains("Встреча с Петром Федоровым.", e, "ru")


@pytest.mark.parametrize("phrase, type, case, expected", [
    ("Актюбинская область", "place", "ablt", "Актюбинской областью"),
    ("Асхат Шахаров", "person", "ablt", "Асхатом Шахаровым"),
    ("Ульрих Кинне", "person", "gent", "Ульриха Кинне"),
    ("Посольство Германии в Казахстане", "org", "loct", "Посольстве Германии в Казахстане"),
    ("Хромтау", "place", "loct", "Хромтау"),
    ("АО «ТНК «Казхром»", "org", "gent", "АО «ТНК «Казхром»"),
])
def test_inflect_ru(phrase, type, case, expected):
    assert inflect_ru(phrase, case, type) == expected


TITLE_AKIM = entry("title.regional-akim", "title", "regional akim", "Akim des Gebiets", "аким области")


@pytest.mark.parametrize("text, lang", [
    ("Regional Akim Askhat Shakharov met the delegation.", "en"),   # title case before a name
    ("He thanked Regional Akim Askhat Shakharov.", "en"),
    ("Regional akim spoke first.", "en"),                           # sentence start
    ("Regional Akim Meets German Delegation in Aktobe", "en"),      # title-case headline
    ("«Regional Akim: we are ready», he said.", "en"),
    ("Аким Области Асхат Шахаров встретил гостей.", "ru"),
])
def test_lower_case_terms_may_be_capitalised_word_by_word(text, lang):
    assert contains(text, TITLE_AKIM, lang)


@pytest.mark.parametrize("text, lang", [
    ("He met the Regional Akim.", "en"),            # mid-sentence, no name follows
    ("He met the Regional Akim, who spoke.", "en"),
    ("The regional akimat met.", "en"),             # word boundary still holds
    ("REGIONAL AKIM SPOKE.", "en"),                 # only first letters may change
    ("Встреча с Акимом Области.", "ru"),
])
def test_capitalised_lower_case_terms_are_refused_elsewhere(text, lang):
    assert not contains(text, TITLE_AKIM, lang)


def test_names_keep_their_case_rule_in_headlines():
    assert not contains("Meeting With Askhat shakharov In Aktobe", SHAKHAROV, "en")
