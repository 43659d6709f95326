"""mt.qa: every check fails on a faulty example and passes on a correct one; the
planted faults of the founding-release fixtures are found, the references are clean."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mt.errors import InputError
from mt.qa import CHECKS, SEVERITIES, run_checks
from mt.qa.numbers import roman_value

ROOT = Path(__file__).parent.parent
RELEASE = ROOT / "corpora" / "press-releases" / "aktobe-germany-2025"
QA = Path(__file__).parent / "data" / "qa"


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def findings(check: str, source: str, target: str, lang: str, entries=None):
    return run_checks([source], [target], "kk", lang, entries=entries, checks=[check])


# (check, target language, Kazakh source, faulty translation, correct translation)
CASES = [
    ("empty", "en", "Делегация Ақтөбеге келді.", "  ", "The delegation arrived in Aktobe."),
    ("untranslated", "en", "Делегация Ақтөбеге келді.", "Делегация Ақтөбеге келді.",
     "The delegation arrived in Aktobe."),
    ("untranslated", "ru", "Делегация Ақтөбе облысына келді.", "Делегация прибыла в Ақтөбе облысы.",
     "Делегация прибыла в Актюбинскую область."),
    ("script", "de", "Делегация Ақтөбеге келді.", "Die Делегация kam in Aktobe an.",
     "Die Delegation kam in Aktobe an."),
    ("script", "ru", "Делегация Ақтөбеге келді.", "The delegation arrived in Aktobe.",
     "Делегация прибыла в Актобе."),
    ("script", "ru", "Делегация Ақтөбеге келді.", "Делегация прибыла в Aктобе.",  # Latin A
     "Делегация прибыла в Актобе."),
    ("language", "de", "Аймақ басшысы делегацияның сапарына сенім білдірді.",
     "The head of the region is confident that the visit of the delegation will be a success.",
     "Der Leiter der Region ist zuversichtlich, dass der Besuch der Delegation ein Erfolg wird."),
    ("numbers", "en", "Айналым 40 млн АҚШ долларына жетті.", "Turnover reached USD 40.",
     "Turnover reached USD 40 million."),
    ("numbers", "en", "Экспорт 2,2 млн долларға өсті.", "Exports rose by USD 2,2 million.",
     "Exports rose by USD 2.2 million."),
    ("numbers", "de", "Экспорт 2,2 млн долларға өсті.", "Die Exporte stiegen um 2.2 Mio. US-Dollar.",
     "Die Exporte stiegen um 2,2 Mio. US-Dollar."),
    ("numbers", "ru", "Айналым 40 млн АҚШ долларына жетті.", "Оборот достиг 40 долларов США.",
     "Оборот достиг 40 млн долларов США."),
    ("numbers", "en", "2025 жылы өнім 15 000 тоннаға, яғни 12%-ға өсті.",
     "In 2024 output rose by 15,000 tonnes, or 12%.", "In 2025 output rose by 15,000 tonnes, or 12%."),
    ("numbers", "de", "Бағдарлама 6 мың адамды қамтиды.", "Das Programm erreicht 6 Menschen.",
     "Das Programm erreicht 6.000 Menschen."),
    ("numbers", "ru", "Кездесу 10:30-да басталды.", "Встреча началась в 10 часов.",
     "Встреча началась в 10:30."),
    ("numbers", "ru", "Қала 15 ғасырда салынған.", "Город построен в XIV веке.", "Город построен в XV веке."),
    ("links", "en", "Толығырақ: https://www.gov.kz/aktobe, хат: press@aktobe.kz.",
     "More: https://www.gov.kz/aktobe, mail: press@aktobe.com.",
     "More: https://www.gov.kz/aktobe, mail: press@aktobe.kz."),
    ("quotes", "de", "«Біз дайынбыз», – деді ол.", "\"Wir sind bereit\", sagte er.", "„Wir sind bereit“, sagte er."),
    ("quotes", "ru", "«Біз дайынбыз», – деді ол.", "“Мы готовы”, – сказал он.", "«Мы готовы», – сказал он."),
    ("quotes", "en", "«Біз дайынбыз», – деді ол.", "We are ready, he said.", "\"We are ready,\" he said."),
    ("repetition", "ru", "Ол өте қуанышты болды.", "Он был очень, очень, очень, очень рад.", "Он был очень рад."),
    ("repetition", "en", "Прайдтар бірнеше аталықтан тұрады.",
     "The pride was of a lion, and of a lion, and of a lion, and of a lion.",
     "Prides are made up of several males."),
    ("repetition", "de", "Олар қорғаныш қабатын құрайды.",
     "Sie bilden eine Schutzschutzschutzschutzschutzschutzschicht.", "Sie bilden eine Schutzschicht."),
    ("length", "en", "Қазақстан мен Германияны көпжылдық ынтымақтастық байланыстырады.",
     "Kazakhstan.", "Kazakhstan and Germany are bound by many years of cooperation."),
    ("punctuation", "en", "Сапар қашан басталады?", "When does the visit begin.", "When does the visit begin?"),
]


@pytest.mark.parametrize("check,lang,source,bad,good", CASES,
                         ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_check_flags_the_fault_and_passes_the_fix(check, lang, source, bad, good):
    flagged = findings(check, source, bad, lang)
    assert [f.check for f in flagged] == [check]
    assert flagged[0].severity == CHECKS[check].severity and flagged[0].lang == lang
    assert findings(check, source, good, lang) == []


def test_numbers_message_gives_the_target_format():
    message = findings("numbers", "Экспорт 2,2 млн долларға өсті.", "Exports rose.", "de")[0].message
    assert "2,2 Mio." in message
    message = findings("numbers", "Экспорт 2,2 млн долларға өсті.", "Exports rose.", "en")[0].message
    assert "2.2 million" in message


@pytest.mark.parametrize("target", ["Turnover reached $40m.", "Turnover reached 40,000,000 dollars.",
                                    "Turnover reached 40 mln dollars."])
def test_numbers_accepts_other_correct_spellings(target):
    assert findings("numbers", "Айналым 40 млн долларға жетті.", target, "en") == []


def test_number_words_count_as_present():
    assert findings("numbers", "Екі делегация 3 күн болды.", "The two delegations stayed three days.", "en") == []
    assert findings("numbers", "Екі делегация 3 күн болды.", "Die Delegationen blieben drei Tage.", "de") == []


def test_roman_numerals():
    assert roman_value("XVIII") == 18 and roman_value("XIV") == 14
    assert roman_value("IIII") is None and roman_value("VX") is None


def test_glossary_check_is_inflection_aware():
    from mt.glossary.store import load_glossary

    entries = load_glossary([ROOT / "glossaries"]).active()
    source = "Делегация Ақтөбе облысына келді."
    assert findings("glossary", source, "Делегация прибыла в Актюбинскую область.", "ru", entries) == []
    flagged = findings("glossary", source, "Делегация прибыла в Актобинскую область.", "ru", entries)
    assert [f.check for f in flagged] == ["glossary"] and "Актюбинская область" in flagged[0].message
    # without entries the check does not run
    assert findings("glossary", source, "Делегация прибыла.", "ru") == []


def test_registry_is_well_formed():
    assert len(CHECKS) >= 11
    for check_id, check in CHECKS.items():
        assert check.id == check_id and check.severity in SEVERITIES
        assert check.title and "\n" not in check.title


def test_unknown_check_and_misaligned_input_are_refused():
    with pytest.raises(InputError, match="nosuch"):
        run_checks(["a"], ["b"], "kk", "en", checks=["nosuch"])
    with pytest.raises(InputError, match="2 source lines but 1"):
        run_checks(["a", "b"], ["c"], "kk", "en")


def test_blank_line_pairs_are_skipped():
    assert run_checks(["", "Сәлем."], ["", "Hello."], "kk", "en") == []


@pytest.mark.parametrize("lang", ["en", "de", "ru"])
def test_reference_translations_have_no_errors(lang):
    sources = lines(RELEASE / "segments.kk")
    assert [f for f in run_checks(sources, lines(RELEASE / f"segments.{lang}"), "kk", lang)
            if f.severity == "error"] == []
    # the fixture adds a line with a URL and an e-mail address; info findings (nbsp: the
    # references write 40 Mio. with an ordinary space) are advice, not faults
    assert [f for f in run_checks(lines(QA / "release.kk"), lines(QA / f"release.{lang}"), "kk", lang)
            if f.severity != "info"] == []


def planted() -> list[tuple[str, int, str]]:
    with open(QA / "planted.tsv", encoding="utf-8") as f:
        return [(row["lang"], int(row["segment"]), row["check"]) for row in csv.DictReader(f, delimiter="\t")]


def test_every_check_has_a_planted_fault():
    """Here, or in the planted-fault set of issue 26 (eval/qa/planted.tsv, tests/test_qa_planted.py)."""
    with open(ROOT / "eval" / "qa" / "planted.tsv", encoding="utf-8") as f:
        issue26 = {row["check"] for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if row["check"]}
    assert {check for _, _, check in planted()} | issue26 == set(CHECKS)


@pytest.mark.parametrize("lang", ["en", "de", "ru"])
def test_planted_faults_are_found_and_nothing_else(lang):
    from mt.glossary.store import load_glossary

    entries = load_glossary([ROOT / "glossaries"]).active()
    sources = lines(QA / "release.kk")
    found = run_checks(sources, lines(QA / f"faulty.{lang}"), "kk", lang, entries=entries)
    clean = run_checks(sources, lines(QA / f"release.{lang}"), "kk", lang, entries=entries)
    expected = {(seg, check) for l, seg, check in planted() if l == lang}
    new = {(f.segment, f.check) for f in found} - {(f.segment, f.check) for f in clean}
    assert expected <= new
    assert {(seg, check) for seg, check in new if CHECKS[check].severity == "error"} <= expected


@pytest.mark.parametrize("source", [
    "”Әрине. Менің пікірім солай”, – деді ол.",
    "“Жоба биыл аяқталады“, – деді әкім.",
    "\"Жоба биыл аяқталады“, – деді әкім.",
    "‹Жоба биыл аяқталады›, – деді әкім.",
    "”Әрине.",
])
@pytest.mark.parametrize("lang, quoted, bare", [
    ("de", "„Natürlich, das Projekt endet“, sagte er.", "Natürlich, das Projekt endet, sagte er."),
    ("en", "“Of course, the project ends,” he said.", "Of course, the project ends, he said."),
    ("ru", "«Конечно, проект завершится», – сказал он.", "Конечно, проект завершится, – сказал он."),
])
def test_quotes_typed_with_closing_marks_are_one_quotation(source, lang, quoted, bare):
    """A source quotation opened with a closing mark is a quotation like «...»: a
    translation in its own style is fine, one without any quotation marks is reported."""
    assert run_checks([source], [quoted], "kk", lang, checks=["quotes"]) == []
    found = run_checks([source], [bare], "kk", lang, checks=["quotes"])
    assert [f.check for f in found] == ["quotes"]


# -- numbers without false alarms (issue 10 item 5) ----------------------------------------

def _numbers(source: str, target: str, lang: str) -> list[str]:
    return [f.message for f in run_checks([source], [target], "kk", lang, checks=["numbers"])]


@pytest.mark.parametrize("lang, target", [
    ("en", "Call the hotline on 0800 555 111 or 8 800 555 35 35."),
    ("de", "Die Hotline ist unter 0800 555 111 oder 8 800 555 35 35 erreichbar."),
    ("ru", "Горячая линия: 0800 555 111 или 8 800 555 35 35."),
])
def test_phone_numbers_in_groups_are_digits_not_thousands(lang, target):
    source = "Жедел желі нөмірі: 0800 555 111 немесе 8 800 555 35 35."
    assert _numbers(source, target, lang) == []
    wrong = target.replace("555 111", "555 112")
    assert _numbers(source, wrong, lang) == ["phone number 0800555111 is missing"]


@pytest.mark.parametrize("lang, target", [
    ("en", "Two billion dollars were allocated to the region."),
    ("de", "Für die Region wurden zwei Milliarden Dollar bereitgestellt."),
    ("ru", "Речь идёт о двух миллиардах долларов для региона."),
    ("ru", "Региону выделено два миллиарда долларов."),
])
def test_numbers_written_as_words_count(lang, target):
    assert _numbers("Өңірге 2 миллиард доллар бөлінді.", target, lang) == []


@pytest.mark.parametrize("lang, target", [
    ("en", "Two million dollars were allocated to the region."),
    ("de", "Für die Region wurden zwei Millionen Dollar bereitgestellt."),
    ("ru", "Речь идёт о трёх миллиардах долларов для региона."),
])
def test_a_wrong_number_in_words_is_still_reported(lang, target):
    assert len(_numbers("Өңірге 2 миллиард доллар бөлінді.", target, lang)) == 1


@pytest.mark.parametrize("lang, good, bad", [
    ("en", "Screens of 3-6 inches are made here.", "Screens of 36 inches are made here."),
    ("de", "Hier werden Bildschirme von 3 bis 6 Zoll gebaut.", "Hier werden Bildschirme von 36 Zoll gebaut."),
    ("ru", "Здесь выпускают экраны 3–6 дюймов.", "Здесь выпускают экраны 36 дюймов."),
])
def test_a_range_needs_both_ends(lang, good, bad):
    source = "Зауыт 3–6 дюйм экрандар шығарады."
    assert _numbers(source, good, lang) == []
    assert _numbers(source, bad, lang) == ["range '3–6' is missing or written another way"]
