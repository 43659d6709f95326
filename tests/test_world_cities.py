"""mt/data/world-cities.tsv: partner countries' large cities with established forms."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

import mt.glossary.names as names
from mt.glossary import cldr
from mt.glossary.names import exonyms, kz_places, world_cities
from mt.glossary.proposals import target_forms
from mt.types import Candidate

_CYR = re.compile(r"^[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі\- ]+$")


def _forms(kk: str) -> tuple[str, str, str]:
    return target_forms(Candidate(kk=kk, type="place", surface=kk, segment=0, start=0, end=len(kk)))


def test_every_row_is_consistent():
    """kk and ru Cyrillic, en and de Latin script, capitalised; each country has several rows;
    no row repeats a CLDR city with the same English name; none clashes with Kazakhstan's places."""
    rows = world_cities()
    assert len({e.id for e in rows.values()}) > 100
    countries: dict[str, int] = {}
    for kk, e in rows.items():
        assert _CYR.match(kk) and _CYR.match(e.ru), kk
        assert not re.search(r"[А-Яа-я]", e.en + e.de), kk
        assert all(x[:1].isupper() for x in (kk, e.en, e.de, e.ru)), kk
        assert kk not in kz_places(), kk
        known = cldr.cities().get(kk)
        assert known is None or known.en != e.en, f"{kk}: CLDR has it already"
        if kk == e.kk:
            country = e.note.split("(")[1].rstrip(")")
            countries[country] = countries.get(country, 0) + 1
    assert len(countries) >= 15 and min(countries.values()) >= 3, countries


def test_cities_are_not_transliterated():
    assert _forms("Пусан") == ("Busan", "Busan", "Пусан")
    assert _forms("Краков") == ("Kraków", "Krakau", "Краков")
    assert _forms("Лион")[0] == "Lyon"


def test_variants_and_cldr_override():
    """A Kazakh variant finds the same entry; the press form wins over CLDR's spelling."""
    assert exonyms()["Джизак"] is exonyms()["Жизақ"]
    assert exonyms()["Үрімші"].en == "Urumqi"  # CLDR en writes Ürümqi
    assert exonyms()["Мәскеу"].en == "Moscow"  # still CLDR's


def test_no_city_is_a_common_word():
    """A Kazakh form that is also a lower-case word of the corpora (бұқара "the masses")
    would make a capitalised sentence start a city: none is in the list."""
    text = (files("mt") / "data" / "ner" / "common-lower.txt").read_text(encoding="utf-8")
    common = {line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")}
    assert len(common) > 1000
    assert [kk for kk in world_cities() if kk.lower() in common] == []


def test_bad_row_is_rejected(tmp_path, monkeypatch):
    """A row without a country code is an error naming the file and row."""
    bad = tmp_path / "mt" / "data"
    bad.mkdir(parents=True)
    (bad / "world-cities.tsv").write_text("kk\tcountry\ten\tde\tru\nЛион\tFrance\tLyon\tLyon\tЛион\n",
                                          encoding="utf-8")
    monkeypatch.setattr(names, "files", lambda _pkg: tmp_path / "mt")
    names.world_cities.cache_clear()
    try:
        with pytest.raises(ValueError, match="world-cities.tsv: row 2"):
            names.world_cities()
    finally:
        monkeypatch.undo()
        names.world_cities.cache_clear()
