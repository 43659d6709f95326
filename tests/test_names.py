"""Finding unknown names with the recogniser: base forms from the suffix rules, types,
confidence, common words left out."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mt.cli import cli
from mt.glossary import store
from mt.glossary.names import FOREIGN_NOTE, LOW_CONFIDENCE, find_unknown_names, foreign_person, lemma
from mt.glossary.proposals import propose_by_confidence, propose_entries
from mt.types import Candidate, Segment


def found(*texts: str) -> dict[str, Candidate]:
    return {c.kk: c for c in find_unknown_names([Segment(1, i, t) for i, t in enumerate(texts)])}


@pytest.mark.parametrize("word, type_, seen, base", [
    ("Цуда", "person", (), "Цуда"),            # a person takes no locative: not Цу+да
    ("Сарын", "person", (), "Сарын"),          # nor a possessive + accusative: not Сары+н
    ("Бекболды", "person", (), "Бекболды"),    # -ды may end a name: kept without evidence
    ("Бекболды", "person", ("Бекбол",), "Бекбол"),  # ... cut when the release writes Бекбол
    ("Жұмабековты", "person", (), "Жұмабеков"),  # a surname stem: the accusative is cut
    ("Ғалымжанның", "person", (), "Ғалымжан"),
    ("Бурсада", "place", (), "Бурса"),
    ("Осакада", "place", (), "Осака"),
    ("Қарасуда", "place", ("Қарасуға",), "Қарасу"),  # after у (a glide) the ending is -да
    ("Қазақстан", "place", (), "Қазақстан"),   # -стан is no ablative
])
def test_lemma_strips_only_what_the_rules_generate(word, type_, seen, base):
    assert lemma(word, type_, frozenset(seen)) == base


def test_a_given_name_in_an_ambiguous_case_form_stays_whole():
    names = found("Жиынға Нұрлан Сарын мен Кенджи Цуда қатысты.")
    assert set(names) == {"Нұрлан Сарын", "Кенджи Цуда"}
    assert {c.type for c in names.values()} == {"person"}


def test_the_recogniser_joins_a_name_that_looks_like_a_case_form():
    names = found("Қонақтар Мейрам Төлеубаевпен кездесті.")
    assert "Мейрам Төлеубаев" in names and names["Мейрам Төлеубаев"].type == "person"


def test_east_asian_name_is_one_person_and_its_family_name_counts_with_it():
    names = found("Форумда Оңтүстік Корея өкілі Ким Мин Су сөз сөйледі.",
                  "Сонымен қатар Кимнің ұсынысы қолдау тапты.")
    assert names["Ким Мин Су"].type == "person"
    assert names["Ким Мин Су"].count == 2
    assert "Ким" not in names and "Ким Мин" not in names


def test_a_surname_is_not_glued_to_the_country_after_it():
    names = found("Кәсіпорын басшысы Ермеков Италия Елшілігінде болды.")
    assert names["Ермеков"].type == "person"
    assert names["Италия Елшілігі"].type == "org"


def test_a_capitalised_common_word_is_no_name():
    """Маңызды ("important") with a capital inside a sentence: a frequent lower-case word
    the recogniser does not read as a name is never proposed."""
    names = found("Қазақстан үшін Маңызды жоба іске қосылды.", "Биылғы жоспар орындалды.")
    assert "Маңызды" not in names and "Биылғы" not in names
    assert set(names) == {"Қазақстан"}


def test_inflected_foreign_city_is_proposed_in_the_nominative():
    names = found("Келесі кездесу Бурсада өтеді.", "Делегация Анкарадан келді.")
    assert {"Бурса", "Анкара"} <= set(names)
    assert names["Бурса"].type == "place"


def test_every_candidate_has_a_confidence_and_rules_that_know_are_sure():
    names = found("Жиынға «Қазхром» АҚ өкілдері мен Ресей елшісі қатысты.")
    assert names["«Қазхром» АҚ"].confidence == 1.0
    assert names["Ресей"].confidence == 1.0
    assert all(0.0 <= c.confidence <= 1.0 for c in names.values())


def test_low_confidence_proposals_are_set_apart():
    cands = [Candidate("Асхат Шахаров", "person", "Асхат Шахаров", 0, 0, 13, confidence=0.95),
             Candidate("Жаңақала", "place", "Жаңақалада", 1, 0, 10, confidence=LOW_CONFIDENCE - 0.1)]
    sure, low = propose_by_confidence(cands)
    assert [e.kk for e in sure] == ["Асхат Шахаров"]
    assert [e.kk for e in low] == ["Жаңақала"] and "confidence 0.40" in low[0].note


def test_cli_prints_low_confidence_rows_on_stderr(tmp_path, monkeypatch):
    import mt.glossary.names as names_mod

    release = tmp_path / "r.txt"
    release.write_text("Кеше Ресейден Ерлан Сейітқалиұлы келді.\n", encoding="utf-8")
    (tmp_path / "empty.tsv").write_text(store.format_tsv([]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["glossary", "suggest", str(release), "--glossary", str(tmp_path / "empty.tsv")])
    assert result.exit_code == 0, result.output
    assert "Ерлан Сейітқалиұлы" in result.stdout and "low-confidence" not in result.stderr
    monkeypatch.setattr(names_mod, "RULE_SURE", 0.1)  # Ресей (an exonym) now below the line
    result = CliRunner().invoke(cli, ["glossary", "suggest", str(release), "--glossary", str(tmp_path / "empty.tsv")])
    assert "Ресей" not in result.stdout and "Ерлан Сейітқалиұлы" in result.stdout
    assert "low-confidence" in result.stderr and "Ресей" in result.stderr


def test_a_list_before_a_plural_head_gives_each_member_the_head():
    names = found("Су тасқыны Ырғыз және Торғай өзендерінде байқалды, Шалқар мен Ойыл аудандарындағы ауылдар дайын.")
    assert {"Ырғыз өзені", "Торғай өзені", "Шалқар ауданы", "Ойыл ауданы"} <= set(names)
    assert all(names[k].type == "place" for k in ("Ырғыз өзені", "Шалқар ауданы"))


def test_a_patronymic_stays_in_the_run_and_out_of_the_lemma():
    names = found("Кездесуді аудан әкімі Серік Болатұлы Жұмағұлов ашты.")
    assert "Серік Жұмағұлов" in names and names["Серік Жұмағұлов"].type == "person"
    assert names["Серік Жұмағұлов"].surface == "Серік Болатұлы Жұмағұлов"
    assert not any("Болатұлы" in k for k in names)


def test_a_city_is_entered_without_its_type_word_a_district_with_it():
    names = found("Жиын Сәтбаев қаласында өтті, қонақтар Жаңаарқа ауданына барды.")
    assert names["Сәтбаев"].type == "place"
    assert "Жаңаарқа ауданы" in names


def test_a_place_head_binds_to_the_place_not_to_the_person_before_it():
    names = found("Инженер Томас Мюллер Нұра өзенінің жағалауын аралады.")
    assert names["Томас Мюллер"].type == "person"
    assert names["Нұра өзені"].type == "place"


def test_a_located_word_before_a_description_is_a_place():
    """Лиондағы зерттеу орталығы is "a research centre in Lyon": a place and a description,
    and the person before it ends where the place begins."""
    names = found("Бүгін Пьер Леруа Лиондағы зерттеу орталығында баяндама жасады.")
    assert "Пьер Леруа" in names  # its type is the recogniser's call (here unsure between person and org)
    assert "Лион" in names and names["Лион"].type == "place"
    assert not any("орталығы" in k for k in names)


def test_an_east_asian_name_in_the_genitive_at_a_sentence_start():
    names = found("Кездесуге Пак Сон Иль қатысты.", "Пак Сон Ильдің айтуынша, жоба биыл басталады.")
    assert names["Пак Сон Иль"].count == 2 and len(names) == 1


def test_named_after_makes_one_organisation():
    names = found("Жиын Әлихан Бөкейхан атындағы Семей университетінде өтті.")
    assert names["Әлихан Бөкейхан атындағы Семей университеті"].type == "org"
    assert not any(k in names for k in ("Әлихан Бөкейхан", "Семей университеті"))


def test_a_given_name_that_looks_inflected_keeps_its_patronymic_and_surname():
    names = found("Жобаны директор Ақберді Серікұлы Омаров таныстырды.")
    assert "Ақберді Омаров" in names and names["Ақберді Омаров"].type == "person"


def test_a_district_before_a_description_is_a_place_not_an_organisation():
    names = found("Қонақтар Сайрам ауданындағы жүзім өңдеу зауытында болды.")
    assert "Сайрам ауданы" in names and names["Сайрам ауданы"].type == "place"
    assert not any("зауыты" in k for k in names)


def test_owner_in_the_genitive_is_part_of_the_name():
    """Қаржы министрлігінің | Қазынашылық комитеті and Германияның Қазақстандағы | Елшілігі are
    one name each (without the owner the row would name another body); the owner inside is no
    row of its own."""
    names = found("Кездесуге Қаржы министрлігінің Қазынашылық комитетінің төрағасы қатысты.",
                  "Делегация құрамында Германияның Қазақстандағы Елшілігінің кеңесшісі болды.")
    assert names["Қаржы министрлігінің Қазынашылық комитеті"].type == "org"
    assert names["Германияның Қазақстандағы Елшілігі"].type == "org"
    assert "Қаржы министрлігі" not in names and "Қазынашылық комитеті" not in names
    assert "Елшілігі" not in names


@pytest.mark.parametrize("kk, foreign", [
    ("Ханс Мюллер", True),          # German: Hans Müller, not "Khans Myuller"
    ("Джон Смит", True),            # English: John Smith
    ("Ян Вэй", True),               # Chinese in the Palladius system: Yang Wei in pinyin
    ("Пьер Лоран", True),           # French: Pierre Laurent
    ("Гүлнар Әбдірова", False),     # Kazakh letters: the romanisation rules know it
    ("Шухрат Каримов", False),      # -ов: Central Asian, transliterated as it is
    ("Дмитрий Соколов", False),     # Russian
])
def test_foreign_person(kk, foreign):
    assert foreign_person(kk) is foreign


def test_foreign_person_is_proposed_apart_with_a_note():
    """A foreign person's English and German spelling cannot be read off the Cyrillic: the row
    is set apart with the low-confidence ones, with a note to check the person's own spelling;
    a Kazakh name found as surely stays a trusted proposal."""
    cands = [Candidate("Ханс Мюллер", "person", "Ханс Мюллер", 0, 0, 11, confidence=1.0),
             Candidate("Гүлнар Әбдірова", "person", "Гүлнар Әбдірова", 0, 20, 35, confidence=1.0)]
    sure, low = propose_by_confidence(cands)
    assert [r.kk for r in sure] == ["Гүлнар Әбдірова"]
    assert [r.kk for r in low] == ["Ханс Мюллер"] and FOREIGN_NOTE in low[0].note


def test_list_members_before_a_plural_head_stand_bare():
    """The case ending of a list goes on its plural head: the members are nominative even when
    they end like a case (Теректі is no accusative Терек+ті)."""
    names = found("Жиынға Бөрлі және Теректі аудандарының әкімдері қатысты.")
    assert {"Бөрлі ауданы", "Теректі ауданы"} <= set(names)
    assert "Терек ауданы" not in names


def test_autonomous_region_is_one_name_with_its_head():
    """X автономиялық ауданы is one place name with its two-word head; China's five regions
    have their official names (exonyms.tsv), another unit gets the head translated."""
    names = found("Делегация Қытайдың Тибет автономиялық ауданына барды.",
                  "Кеңесте Қарақалпақстан автономиялық республикасының өкілі сөйледі.")
    assert names["Тибет автономиялық ауданы"].type == "place"
    rows = {r.kk: r for r in propose_entries(list(names.values()))}
    assert rows["Тибет автономиялық ауданы"].en == "Tibet Autonomous Region"
    assert rows["Қарақалпақстан автономиялық республикасы"].en == "Karakalpakstan Autonomous Republic"


def test_a_known_city_whose_u_after_a_vowel_is_read_as_a_vowel_loses_its_ending():
    # Сеул is se-ul: writers also give it back endings (Сеулдан), beside the glide reading
    # (Сеулден) that the matcher takes; the lemma accepts both for a known place only
    assert lemma("Сеулдан", "place") == "Сеул"
    assert lemma("Сеулден", "place") == "Сеул"
    assert lemma("Реулдан", "place") == "Реулдан"  # an unknown stem: no such licence


def test_a_place_in_the_attributive_locative_is_no_part_of_the_name_after_it():
    names = found("Делегация Берлиндегі Шарите ауруханасына барды.")
    assert names["Шарите ауруханасы"].type == "org"
    assert not any(k.startswith("Берлин") and k != "Берлин" for k in names)


def test_a_lower_case_territorial_body_is_a_name_in_lower_case():
    names = found("Жиынға қалалық денсаулық сақтау басқармасының өкілі қатысты.",
                  "Аудандық білім бөлімі жаңа мектеп ашты.")
    assert names["қалалық денсаулық сақтау басқармасы"].type == "org"
    assert "аудандық білім бөлімі" in names  # a sentence start is no capital of the name
    assert not any(k.startswith("Аудандық") for k in names)
    # no lexicon words, no head: no name
    assert not found("Жиын облыстық деңгейде өтті.")


def test_named_heads_are_the_admin_lexicons():
    from mt.glossary.lexicon import lexicon
    from mt.glossary.names import NAMED_HEADS, PLACE_NAMED_HEADS
    heads = {kk for (kk, is_head) in lexicon() if is_head}
    assert all(kk in heads for kk, (type_, *_) in NAMED_HEADS.items() if type_ == "org")
    assert "ауруханасы" in NAMED_HEADS and "министрлігі" in NAMED_HEADS
    assert "министрлік" not in NAMED_HEADS  # the bare form ends no name
    assert all(NAMED_HEADS[kk][0] == "place" for kk in PLACE_NAMED_HEADS)


def test_a_capitalised_hyphenated_word_opens_a_headed_name():
    names = found("Кездесуге Ғылыми-техникалық ақпарат орталығының өкілі қатысты.")
    assert names["Ғылыми-техникалық ақпарат орталығы"].type == "org"
    assert not any(k.startswith("Сондай-ақ") for k in found("Сондай-ақ облыс әкімі жаңа зауытты аралады."))


def test_a_non_commercial_jsc_is_a_legal_form():
    names = found("Дәрісті «Қарағанды медицина университеті» КеАҚ ректоры оқыды.")
    rows = {r.kk: r for r in propose_entries(list(names.values()))}
    assert rows["«Қарағанды медицина университеті» КеАҚ"].en.endswith(" NJSC")
    assert "КеАҚ" not in names


def test_a_known_place_inside_a_quoted_organisation_is_part_of_it():
    glossary = store.load_glossary(["glossaries"]).active()
    from mt.glossary.match import Matcher
    text = "Дәрісті «Алматы тіс емханасы» ЖШС дәрігері оқыды. Ол Алматыда тұрады."
    names = {c.kk for c in find_unknown_names([Segment(1, 0, text)], Matcher(glossary))}
    assert "«Алматы тіс емханасы» ЖШС" in names
    assert "Алматы" not in names  # outside the quotes it is the glossary's place still


def test_a_family_name_particle_joins_a_foreign_persons_name():
    names = found("Кездесуге Ханс фон Берг пен Мария да Силва қатысты.")
    assert names["Ханс фон Берг"].type == "person" and names["Мария да Силва"].type == "person"
    # the Kazakh particle да/де "also" after a place or a Kazakh name joins nothing
    names = found("Делегация Берлин де Мюнхен де болды. Жиынға Әлия да Ерлан да келді.")
    assert not any(" де " in k or " да " in k for k in names)


def test_a_dative_before_a_postposition_is_part_of_a_descriptive_name():
    names = found("Жиынға Сыбайлас жемқорлыққа қарсы іс-қимыл агенттігінің өкілі қатысты.")
    assert names["Сыбайлас жемқорлыққа қарсы іс-қимыл агенттігі"].type == "org"


def test_a_quoted_canal_is_a_place_with_its_head():
    names = found("Су «Бірлік» каналы арқылы жеткізіледі.")
    assert names["«Бірлік» каналы"].type == "place"
    rows = {r.kk: r for r in propose_entries(list(names.values()))}
    assert rows["«Бірлік» каналы"].en == "Birlik Canal"


def test_a_two_word_head_makes_a_sentence_start_a_name():
    names = found("«Ақжар кен орнында жұмыс жалғасады», – деді директор.")
    assert names["Ақжар кен орны"].type == "place"
    assert "кен орны" not in names
