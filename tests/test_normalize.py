"""Normalisation: NFC, look-alikes inside Cyrillic words only, schwa, invisible characters."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from mt.normalize import normalize, normalize_document
from mt.types import Document

RELEASE = Path(__file__).parents[1] / "corpora" / "press-releases" / "aktobe-germany-2025" / "release.kk.txt"


def _latin(text: str) -> str:
    return "".join(c for c in text if c.isascii() and c.isalpha())


@pytest.mark.parametrize("typed, expected", [
    ("Қазaқстан", "Қазақстан"),              # Latin a
    ("ынтымaқтaстық", "ынтымақтастық"),
    ("Cөз", "Сөз"), ("eкі", "екі"), ("бiрлескен", "бірлескен"), ("жoба", "жоба"),
    ("өнepкәсіп", "өнеркәсіп"), ("xалық", "халық"), ("Oблыс", "Облыс"), ("Ақтөбe", "Ақтөбе"),
    ("ҚазақOйл", "ҚазақОйл"), ("KАЗАҚСТАН", "КАЗАҚСТАН"), ("Мәceлeн", "Мәселен"),
    ("Сондай-aқ", "Сондай-ақ"), ("жaңa-Әлжан", "жаңа-Әлжан"),
])
def test_lookalikes_inside_cyrillic_words_become_cyrillic(typed, expected):
    fixed = normalize(typed)
    assert fixed == expected
    assert _latin(fixed) == ""


@pytest.mark.parametrize("text", [
    "Siemens", "Volkswagen, BASF, MAN, Linde", "«Aqtobe su-energy group» АҚ", "Schachtbau компаниясы",
    "www.aktobe.gov.kz", "press@aktobe.gov.kz", "iPhone-ға", "Coca", "OPEC", "Əliyev",
])
def test_latin_words_stay_latin(text):
    assert normalize(text) == text


def test_schwa_becomes_kazakh_letter():
    assert normalize("мəдениет Əкім əpi") == "мәдениет Әкім әрі"
    assert "\u0259" not in normalize("қaзaқ тiлiндeгi əрiп") and "\u018f" not in normalize("Əкім")


def test_invisible_characters_spaces_and_line_ends():
    assert normalize("Ақ\u00adтөбе") == "Ақтөбе"
    assert normalize("Ақ\u200bтөбе\u2060") == "Ақтөбе"
    assert normalize("40\u00a0млн\u202fдоллар") == "40 млн доллар"
    assert normalize("бір\r\nекі\rүш") == "бір\nекі\nүш"
    assert normalize("қаз\u200dақ") == "қазақ"
    assert normalize("👨\u200d👩") == "👨\u200d👩"  # a joiner inside an emoji sequence means something


def test_nfc():
    decomposed = "и\u0306гі"  # й written as и + combining breve
    assert normalize(decomposed) == "йгі"
    assert unicodedata.is_normalized("NFC", normalize(decomposed))


def test_release_is_already_clean_and_normalising_twice_changes_nothing():
    text = RELEASE.read_text(encoding="utf-8")
    assert normalize(text) == text
    dirty = text.replace("Қазақстан", "Қазaқстан").replace("облысы", "oблы\u00adсы")
    assert normalize(dirty) == text
    assert normalize(normalize(dirty)) == normalize(dirty)


def test_normalize_document_keeps_path_and_drops_empty_paragraphs():
    doc = Document("Тaқырып\u00a0", ("Бiр сөйлем. Eкінші сөйлем.", "\u200b\u00ad", "Үш."), "r.txt")
    out = normalize_document(doc)
    assert out == Document("Тақырып", ("Бір сөйлем. Екінші сөйлем.", "Үш."), "r.txt")
