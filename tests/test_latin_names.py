"""Foreign persons' names read back into their own Latin spelling (mt.glossary.latin_names).
Examples are not from the eval sets."""

import pytest

from mt.glossary.latin_names import fold, read_back
from mt.glossary.names import countries_named, find_unknown_names
from mt.glossary.proposals import propose_by_confidence
from mt.types import Segment


@pytest.mark.parametrize("kk, countries, latin", [
    ("Штефан Мюллер", ["DE"], "Stefan Müller"),
    ("Пьер Дюран", ["FR"], "Pierre Durand"),       # silent final letters with France named
    ("Эрик Ларсен", ["NO"], "Erik Larsen"),
    ("Ян Новак", ["CZ"], "Jan Novák"),
    ("Анна Ковальска", ["PL"], "Anna Kowalska"),   # a feminine surname derived from Kowalski
    ("Чан Ван Минь", ["VN"], None),                 # Minh is no listed given name: no guess
])
def test_read_back(kk, countries, latin):
    assert read_back(kk, countries) == latin


def test_no_reading_when_no_spelling_is_clearly_the_usual_one():
    assert read_back("Ханс Майер", ["DE"]) is None    # Meyer, Mayer, Maier, Meier
    assert read_back("Пьер Дюран", []) == "Per Duran"  # no country named: the plain reading
    assert read_back("Ли Мин", []) is None            # one-syllable words: an East Asian name


def test_the_countries_named_decide():
    assert read_back("Петра Ковач", ["HU"]) == "Petra Kovács"
    assert read_back("Петра Ковач", ["HR"]) == "Petra Kovač"


def test_fold():
    assert fold("Łukasz Groß-Kovács") == "lukasz gross-kovacs"


def test_suggest_proposes_the_own_spelling_of_a_person_of_a_named_country():
    text = ("Кездесуге Франциядан келген Пьер Дюран қатысты.",)
    assert countries_named(text[0]) == ["FR"]
    sure, low = propose_by_confidence(find_unknown_names([Segment(1, 0, t) for t in text]))
    row = next(r for r in sure if r.type == "person")
    assert (row.kk, row.en, row.de, row.ru) == ("Пьер Дюран", "Pierre Durand", "Pierre Durand", "Пьер Дюран")
    assert not any(r.type == "person" for r in low)
