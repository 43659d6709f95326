"""Kazakh suffix generation: harmony, assimilation, possessive n-forms."""

import json
from pathlib import Path

import pytest

from mt.glossary import morphology as morph

CASES = json.loads((Path(__file__).parent / "data/kk-nlp-cases/morphology.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("word,harmony", [
    ("Германия", "back"), ("Қазақстан", "back"), ("Ақтөбе", "front"), ("Хромтау", "back"),
    ("Берлин", "front"), ("Кинне", "front"), ("Шымкент", "front"), ("су", "back"),
    ("Тимур", "back"), ("көру", "front"),
])
def test_harmony_from_last_vowel(word, harmony):
    assert morph.harmonies(word) == {harmony}


def test_word_without_vowel_has_both_harmonies():
    assert morph.harmonies("ҚҚС") == {"back", "front"}


@pytest.mark.parametrize("word,cls", [
    ("Германия", morph.VOWEL), ("Хромтау", morph.GLIDE), ("Қазақстан", morph.NASAL),
    ("Шахаров", morph.VOICELESS), ("Шымкент", morph.VOICELESS), ("Тараз", morph.VOICED),
    ("Ярославль", morph.GLIDE),
])
def test_final_class(word, cls):
    assert morph.final_classes(word) == {cls}


@pytest.mark.parametrize("word,forms", [
    ("Германия", {"Германиямен", "Германияның", "Германияны", "Германияға", "Германиядан",
                  "Германиядағы", "Германиялар"}),
    ("Қазақстан", {"Қазақстанның", "Қазақстаннан", "Қазақстанды", "Қазақстанымыздың",
                   "Қазақстанға", "Қазақстанмен", "Қазақстандағы"}),
    ("Шахаров", {"Шахаровтың", "Шахаровқа", "Шахаровпен", "Шахаровты", "Шахаровта"}),
    ("Хромтау", {"Хромтауда", "Хромтаудың", "Хромтауға", "Хромтауы", "Хромтауды"}),
    ("Ақтөбе", {"Ақтөбеде", "Ақтөбенің", "Ақтөбеге", "Ақтөбеден", "Ақтөбедегі", "Ақтөбесі"}),
    ("Шымкент", {"Шымкентте", "Шымкенттің", "Шымкентке", "Шымкенттен"}),
    ("компания", {"компанияларының", "компанияларымен", "компаниялар", "компаниясы"}),
])
def test_inflections_contain_expected_forms(word, forms):
    assert forms <= morph.inflections(word)


def test_px3_head_takes_n_forms_only():
    forms = morph.inflections("облысы", px3=True)
    assert {"облысының", "облысына", "облысында", "облысынан", "облысын", "облысындағы"} <= forms
    assert not {"облысыға", "облысыда", "облысыны"} & forms


def test_harmony_is_respected():
    assert "Германияге" not in morph.inflections("Германия")
    assert "Ақтөбеда" not in morph.inflections("Ақтөбе")
    assert "Шахаровдың" not in morph.inflections("Шахаров")  # в acts voiceless


def test_acronyms_take_suffixes_after_a_hyphen():
    forms = morph.inflections("ЕҚДБ")
    assert {"ЕҚДБ", "ЕҚДБ-ның", "ЕҚДБ-мен", "ЕҚДБ-ға"} <= forms


def test_tables_are_generated_not_listed():
    # the same class gives the same suffix set, whatever the word
    assert morph.suffixes("Германия") == morph.suffixes("компания")
    assert len(morph.class_suffixes(morph.VOWEL, "back")) > 50


def test_positive_cases_are_generated():
    lemmas = {g["kk"] for g in CASES["glossary"]}
    for case in CASES["positive"]:
        lemma, surface = case["lemma"], case["surface"]
        assert lemma in lemmas
        words, lemma_words = surface.split(), lemma.split()
        last = lemma_words[-1]
        if case["note"] == "surname only":
            assert words[-1] in morph.inflections(last)
            continue
        assert words[:-1] == lemma_words[:-1]
        px3 = len(lemma_words) > 1 and morph.ends_in_px3(last)
        assert words[-1] in morph.inflections(last, px3=px3), case


def test_negative_cases_are_not_generated():
    every = set()
    for g in CASES["glossary"]:
        if " " not in g["kk"]:  # multi-word terms are the matcher's business
            every |= morph.inflections(g["kk"])
    for case in CASES["negative"]:
        assert case["surface"] not in every, case


@pytest.mark.parametrize("word,base", [
    ("Шахаровтың", "Шахаров"), ("Хромтауда", "Хромтау"), ("облысында", "облысы"),
    ("ЕҚДБ-ның", "ЕҚДБ"), ("Германиямен", "Германия"), ("Елшілігінің", "Елшілігі"),
    ("Қазақстандағы", "Қазақстан"), ("Қазақстан", "Қазақстан"), ("Түркістан", "Түркістан"),
    ("Алматы", "Алматы"), ("Астана", "Астана"), ("Кинне", "Кинне"), ("Асхат", "Асхат"),
])
def test_strip_case(word, base):
    assert morph.strip_case(word) == base


def test_russian_style_surnames_follow_the_kazakh_root():
    assert {"Назарбаевқа", "Тоқаевтың"} <= morph.inflections("Назарбаев") | morph.inflections("Тоқаев")
    assert "Шахаровтың" in morph.inflections("Шахаров")
    assert "Сүлейменовтің" in morph.inflections("Сүлейменов")
