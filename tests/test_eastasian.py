"""Chinese, Korean and Japanese persons' names in Cyrillic read back by their transcription
systems (mt.glossary.eastasian), and their use in proposals. Examples written for these tests."""

from __future__ import annotations

import pytest

from mt.glossary import eastasian as ea
from mt.glossary.enforce import _unknown_terms
from mt.glossary.proposals import propose_by_confidence, target_forms
from mt.types import Candidate

# -- Chinese: Palladius -> pinyin ---------------------------------------------------------------


def test_every_pinyin_syllable_round_trips_through_palladius() -> None:
    spellings = [ea.palladius(s) for s in ea._PINYIN]
    assert len(set(spellings)) == len(spellings)  # one Palladius form per pinyin syllable
    for syl, cyr in zip(ea._PINYIN, spellings, strict=True):
        assert ea.chinese_word(cyr.capitalize()) == syl.replace("v", "ü").capitalize()


@pytest.mark.parametrize(("pinyin", "cyr"), [
    ("zhi", "чжи"), ("si", "сы"), ("ci", "цы"), ("ri", "жи"), ("ju", "цзюй"), ("xue", "сюэ"),
    ("hui", "хуэй"), ("gui", "гуй"), ("guo", "го"), ("bo", "бо"), ("wei", "вэй"),
    ("yan", "янь"), ("ye", "е"), ("lv", "люй"), ("jiong", "цзюн"), ("er", "эр"),
])
def test_palladius_spellings_from_the_published_table(pinyin: str, cyr: str) -> None:
    assert ea.palladius(pinyin) == cyr


@pytest.mark.parametrize(("cyr", "en"), [
    ("Ху Цзиньтао", "Hu Jintao"), ("Ма Юнь", "Ma Yun"), ("Чжоу Эньлай", "Zhou Enlai"),
    ("Ван Ишэн", "Wang Yisheng"), ("Ли Кэцян", "Li Keqiang"), ("Лю Сяобо", "Liu Xiaobo"),
])
def test_chinese_names_with_the_country_named(cyr: str, en: str) -> None:
    r = ea.romanise(cyr, "zh")
    assert r is not None and (r.system, r.en, r.sure) == ("zh", en, True)


def test_apostrophe_before_a_vowel_initial_syllable() -> None:
    assert ea.chinese_word("Сиань") == "Xi'an"  # xian is Сянь
    assert ea.chinese_word("Сяньмин") == "Xianming"
    assert ea.chinese_word("Тяньань") == "Tian'an"


# -- Japanese: Polivanov -> Hepburn --------------------------------------------------------------


def test_every_kana_syllable_round_trips() -> None:
    for cyr, hep in ea.japanese_table().items():
        assert ea.japanese_word(cyr.capitalize()) == hep.capitalize()


@pytest.mark.parametrize(("cyr", "en"), [
    ("Сато Кэнта", "Sato Kenta"), ("Юкико Мацумото", "Yukiko Matsumoto"),
    ("Хаттори Рёта", "Hattori Ryota"), ("Дзюнъитиро Коидзуми", "Junichiro Koizumi"),
    ("Кэйсукэ Хонда", "Keisuke Honda"),
])
def test_japanese_names_keep_their_order(cyr: str, en: str) -> None:
    r = ea.romanise(cyr)
    assert r is not None and (r.system, r.en, r.sure) == ("ja", en, True)


def test_open_syllable_european_name_is_not_confidently_japanese() -> None:
    r = ea.romanise("Анна Мори")  # no Polivanov-only spelling
    assert r is not None and not r.sure
    assert ea.romanise("Анна Мори", "ja") == ea.Romanised("ja", "Anna Mori", True)
    assert ea.romanise("Томаш Ковальски") is None


# -- Korean: Kontsevich -> RR -------------------------------------------------------------------


def test_unambiguous_korean_syllables_round_trip() -> None:
    """Every initial + unambiguous vowel + final written back from RR reads as that RR."""
    rr_to_cyr_ini = {"g": "к", "n": "н", "d": "т", "r": "р", "m": "м", "b": "п", "s": "с",
                     "j": "ч", "ch": "чх", "k": "кх", "t": "тх", "p": "пх", "h": "х", "": "",
                     "kk": "кк", "tt": "тт", "pp": "пп", "ss": "сс", "jj": "чч"}
    vowels = {cyr: rr for cyr, (rr, amb) in ea._KO_VOWEL.items() if not amb}
    finals = {"к": "k", "ль": "l", "м": "m", "п": "p", "": ""}
    n = 0
    for ini_rr, ini in rr_to_cyr_ini.items():
        for v_cyr, v_rr in vowels.items():
            for f_cyr, f_rr in finals.items():
                syl = ea._ko_syllable(ini + v_cyr + f_cyr)
                assert syl is not None and syl.rr == ini_rr + v_rr + f_rr, ini + v_cyr + f_cyr
                assert not syl.ambiguous
                n += 1
    assert n > 500


@pytest.mark.parametrize("cyr", ["сон", "кон", "ё", "хо", "ан"])
def test_kontsevich_ambiguities_are_flagged(cyr: str) -> None:
    syl = ea._ko_syllable(cyr)
    assert syl is not None and syl.ambiguous


def test_korean_surnames_conventional_and_given_name_hyphenated() -> None:
    r = ea.romanise("Пак Мин Чжэ", "ko")
    assert r is not None and r.en == "Park Min-jae" and r.sure
    r = ea.romanise("Ли Мин Хо")  # Chinese parses too; three one-syllable words: Korean shape
    assert r is not None and (r.system, r.en, r.sure) == ("ko", "Lee Min-ho", False)


def test_korean_with_ambiguous_letters_is_not_sure() -> None:
    r = ea.romanise("Ким Сон Хо", "ko")
    assert r is not None and r.system == "ko" and not r.sure


# -- the detector and proposals ------------------------------------------------------------------


def test_country_hint_from_the_paragraph() -> None:
    assert ea.country_hint("Қытай делегациясының басшысы Ли На") == "zh"
    assert ea.country_hint("Корея Республикасының компаниясы") == "ko"
    assert ea.country_hint("Жапония мен Қытай") == ""  # two countries: no hint
    assert ea.country_hint("Павлодар облысы") == ""


def test_country_breaks_the_tie_between_systems() -> None:
    assert ea.romanise("Ли На") is not None and not ea.romanise("Ли На").sure  # type: ignore[union-attr]
    zh = ea.romanise("Ли На", "zh")
    ko = ea.romanise("Ли На", "ko")
    assert zh is not None and (zh.en, zh.sure) == ("Li Na", True)
    assert ko is not None and ko.en == "Lee Na"


def _person(kk: str, country: str = "") -> Candidate:
    return Candidate(kk, "person", kk, 0, 0, len(kk), confidence=0.95, country=country)


def test_proposals_romanise_and_trust_a_sure_reading() -> None:
    cand = _person("Чжао Минхуэй", "zh")
    assert target_forms(cand) == ("Zhao Minghui", "Zhao Minghui", "Чжао Минхуэй")
    # Абебе Бикила: a foreign name neither the East Asian systems nor the name lists read
    sure, low = propose_by_confidence([cand, _person("Ким Сон Хо", "ko"), _person("Абебе Бикила")])
    assert [r.kk for r in sure] == ["Чжао Минхуэй"]
    assert "Pinyin" in sure[0].note
    assert {r.kk for r in low} == {"Ким Сон Хо", "Абебе Бикила"}
    korean = next(r for r in low if r.kk == "Ким Сон Хо")
    assert korean.en == "Kim Seong-ho" and "ambiguous" in korean.note


def test_drafts_carry_the_same_romanisation() -> None:
    """Enforcement of names without an entry uses suggest's forms (issue 21, item 4)."""
    terms = _unknown_terms(0, "Қытай делегациясын Чжоу Минхуэй басқарды.", [], None)
    assert [(t.entry.kk, t.entry.en, t.entry.de, t.entry.ru) for t in terms] == [
        ("Чжоу Минхуэй", "Zhou Minghui", "Zhou Minghui", "Чжоу Минхуэй")]


def test_the_country_the_release_names_elsewhere_decides_a_japanese_reading() -> None:
    from mt.glossary.names import find_unknown_names
    from mt.types import Segment

    text = ["Облысқа Жапониядан делегация келді.", "Делегацияны Такуми Мори бастады."]
    sure, low = propose_by_confidence(find_unknown_names([Segment(0, i, t) for i, t in enumerate(text)]))
    assert [(r.kk, r.en) for r in sure if r.type == "person"] == [("Такуми Мори", "Takumi Mori")]
    alone, _ = propose_by_confidence(find_unknown_names([Segment(0, 0, text[1])]))
    assert not any(r.type == "person" for r in alone)  # no country named: Анна Мори could be European
