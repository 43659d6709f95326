"""Glossary term checks a translator can trust (issue 10 item 7): the forms a correct
translation writes for a term count as the term (case of titles, inflection, German
compounds, adjectives of places, longer names), and a true miss is still reported.
Sentences written for these tests in the style of Kazakh government releases."""

from __future__ import annotations

from pathlib import Path

import pytest

from mt.glossary.store import load_glossary
from mt.qa import run_checks

GLOSSARY = load_glossary([Path(__file__).parent.parent / "glossaries"]).active()


def warnings(source: str, target: str, lang: str) -> list[str]:
    return [f.message for f in run_checks([source], [target], "kk", lang, entries=GLOSSARY, checks=["glossary"])]


@pytest.mark.parametrize("source, lang, target", [
    # case: a one-word title is lower-case in running text, capitalised before "of"
    ("Президент кездесуде сөз сөйледі.", "en", "At the meeting, the president gave a speech."),
    ("Президент кездесуде сөз сөйледі.", "ru", "На встрече выступил президент."),
    ("Министр жобаны таныстырды.", "en", "The Minister of Energy presented the project."),
    # inflection and plural
    ("Сенаторлар заң жобасын қолдады.", "en", "The senators backed the bill."),
    ("Сенаторлар заң жобасын қолдады.", "de", "Die Senatoren unterstützten den Gesetzentwurf."),
    ("Президентпен кездесу өтті.", "ru", "Состоялась встреча с президентом."),
    ("Президентке хат жолданды.", "de", "Dem Präsidenten wurde ein Brief geschickt."),
    ("Елшілер Астанаға келді.", "en", "The ambassadors arrived in Astana."),
    # German compounds: the term as the head or the first part
    ("Сыртқы істер министрі Берлинге барды.", "de", "Der Außenminister reiste nach Berlin."),
    ("Премьер-Министр кеңес өткізді.", "de", "Die Premierministerin leitete die Sitzung."),
    ("Сенаттың заң комитеті жиналды.", "de", "Der Senatsrechtsausschuss trat zusammen."),
    ("Үкімет өкілі мәлімдеме жасады.", "de", "Ein Regierungsvertreter gab eine Erklärung ab."),
    # adjectives of places
    ("Германия үкіметі жобаны қолдады.", "en", "The German government supported the project."),
    ("Германия үкіметі жобаны қолдады.", "de", "Die deutsche Regierung unterstützte das Projekt."),
    ("Германия үкіметі жобаны қолдады.", "ru", "Немецкое правительство поддержало проект."),
    ("Еуропа құрамасы жеңіске жетті.", "ru", "Европейская сборная одержала победу."),
    ("Еуропа құрамасы жеңіске жетті.", "de", "Die europäische Mannschaft hat gewonnen."),
    # longer names: the place inside is not demanded alone
    ("Еуропа Одағы санкцияларды ұзартты.", "en", "The European Union extended the sanctions."),
    ("Еуропа Одағының өкілдері келді.", "ru", "Прибыли представители Европейского Союза."),
    ("Депутат Еуропа Парламентіне сайланды.", "de", "Der Abgeordnete wurde ins Europäische Parlament gewählt."),
    ("Біріккен Ұлттар Ұйымы мәлімдеме жасады.", "de", "Die Vereinten Nationen gaben eine Erklärung ab."),
])
def test_forms_a_correct_translation_writes_are_the_term(source, lang, target):
    assert warnings(source, target, lang) == []


@pytest.mark.parametrize("source, lang, target, term", [
    ("Министр жобаны таныстырды.", "en", "The project was presented yesterday.", "title.minister"),
    ("Министр жобаны таныстырды.", "de", "Das Ministerium stellte das Projekt vor.", "title.minister"),
    ("Сенат заңды қабылдады.", "de", "Die Senatorin stimmte dem Gesetz zu.", "org.senate"),
    ("Германия үкіметі жобаны қолдады.", "en", "The Austrian government supported the project.", "place.germany"),
    ("Президентпен кездесу өтті.", "ru", "Состоялась встреча с премьером.", "title.president"),
    ("Еуропа Одағы санкцияларды ұзартты.", "ru", "Союз продлил санкции.", "org.eu"),
])
def test_a_true_miss_is_still_reported(source, lang, target, term):
    found = warnings(source, target, lang)
    assert len(found) == 1 and f"glossary term {term} missing" in found[0]
