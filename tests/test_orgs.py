"""Organisation names through the administrative lexicon (mt.glossary.orgs)."""

import re

import pytest

from mt.glossary.orgs import (
    LexRow,
    _parse,
    check_translation,
    lexicon,
    ru_place_adjective,
    translate_org,
)
from mt.types import OrgForms

CYR = re.compile("[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
LAT = re.compile("[A-Za-zÄÖÜäöüß]")
SMALL = {"of", "and", "for", "the", "with", "in", "on"}


@pytest.mark.parametrize("kk,en,de,ru", [
    # ministries: en "Ministry of", de compound for one domain with a stem, "für" otherwise
    ("Ауыл шаруашылығы министрлігі", "Ministry of Agriculture", "Landwirtschaftsministerium",
     "Министерство сельского хозяйства"),
    ("Денсаулық сақтау министрлігі", "Ministry of Health", "Gesundheitsministerium", "Министерство здравоохранения"),
    ("Әділет министрлігі", "Ministry of Justice", "Justizministerium", "Министерство юстиции"),
    ("Қорғаныс министрлігі", "Ministry of Defence", "Verteidigungsministerium", "Министерство обороны"),
    ("Сауда және интеграция министрлігі", "Ministry of Trade and Integration",
     "Ministerium für Handel und Integration", "Министерство торговли и интеграции"),
    ("Су ресурстары және ирригация министрлігі", "Ministry of Water Resources and Irrigation",
     "Ministerium für Wasserressourcen und Bewässerung", "Министерство водных ресурсов и ирригации"),
    ("Еңбек және халықты әлеуметтік қорғау министрлігі",
     "Ministry of Labour and Social Protection of the Population",
     "Ministerium für Arbeit und Sozialschutz der Bevölkerung", "Министерство труда и социальной защиты населения"),
    ("Қазақстан Республикасының Ішкі істер министрлігі", "Ministry of Internal Affairs of the Republic of Kazakhstan",
     "Innenministerium der Republik Kasachstan", "Министерство внутренних дел Республики Казахстан"),
    # regional bodies: owner in the genitive, ru region adjective
    ("Павлодар облысының білім басқармасы", "Education Department of Pavlodar Region",
     "Bildungsverwaltung des Gebiets Pawlodar", "Управление образования Павлодарской области"),
    ("Қызылорда облысының туризм басқармасы", "Tourism Department of Kyzylorda Region",
     "Tourismusverwaltung des Gebiets Kysylorda", "Управление туризма Кызылординской области"),
    ("Жетісу облысының ветеринария басқармасы", "Veterinary Affairs Department of Zhetysu Region",
     "Veterinärverwaltung des Gebiets Schetissu", "Управление ветеринарии области Жетісу"),
    ("Шымкент қаласының құрылыс бөлімі", "Construction Division of Shymkent City",
     "Bauabteilung der Stadt Schymkent", "Строительный отдел города Шымкент"),
    ("Маңғыстау облысының әкімдігі", "Akimat of Mangystau Region", "Akimat des Gebiets Mangistau",
     "Акимат Мангистауской области"),
    # committees, agencies
    ("Мемлекеттік кірістер комитеті", "State Revenue Committee", "Staatseinnahmenkomitee",
     "Комитет государственных доходов"),
    ("Стратегиялық жоспарлау және реформалар агенттігі", "Agency for Strategic Planning and Reforms",
     "Agentur für strategische Planung und Reformen", "Агентство стратегического планирования и реформ"),
    ("Ұлттық статистика бюросы", "Bureau of National Statistics", "Büro für nationale Statistik",
     "Бюро национальной статистики"),
    # plants, companies with legal forms: ru place adjective, de name after the head
    ("«Қарағанды көмір-химия комбинаты» АҚ", "Karaganda Coal-Chemical Plant JSC",
     "AG „Kohlechemiekombinat Karaganda“", "АО «Карагандинский углехимический комбинат»"),
    ("«Теміртау металлургия комбинаты» ЖШС", "Temirtau Metallurgical Plant LLP", "TOO „Hüttenkombinat Temirtau“",
     "ТОО «Темиртауский металлургический комбинат»"),
    ("«Екібастұз ферроқорытпа зауыты» АҚ", "Ekibastuz Ferroalloy Plant JSC", "AG „Ferrolegierungswerk Ekibastus“",
     "АО «Экибастузский ферросплавный завод»"),
    ("«Ақтөбе машина жасау зауыты» ЖАҚ", "Aktobe Machine-Building Plant CJSC", "ZAO „Maschinenbauwerk Aktobe“",
     "ЗАО «Актюбинский машиностроительный завод»"),
    ("«Қостанай ұн фабрикасы» ЖШС", "Kostanay Flour Factory LLP", "TOO „Mühlenfabrik Kostanai“",
     "ТОО «Костанайская мукомольная фабрика»"),
    ("Ақтау халықаралық теңіз сауда порты", "Aktau International Sea Trade Port",
     "Internationaler Seehandelshafen Aktau", "Актауский международный морской торговый порт"),
    # quoted proper names
    ("«Атамекен» ұлттық кәсіпкерлер палатасы", "Atameken National Entrepreneurs Chamber",
     "Nationale Unternehmerkammer „Atameken“", "Национальная палата предпринимателей «Атамекен»"),
    ("«Самұрық-Қазына» ұлттық әл-ауқат қоры", "Samuryk-Kazyna National Welfare Fund",
     "Nationaler Wohlstandsfonds „Samuryk-Kasyna“", "Национальный фонд благосостояния «Самурык-Казына»"),
    ("Алматы қаласының денсаулық сақтау басқармасы", "Health Department of Almaty City",
     "Gesundheitsverwaltung der Stadt Almaty", "Управление здравоохранения города Алматы"),
    ("Ұлттық ғылыми орталық", "National Research Centre", "Nationales wissenschaftliches Zentrum",
     "Национальный научный центр"),
    ("Халықаралық қазақ-түрік университеті", "International Kazakh-Turkish University",
     "Internationale kasachisch-türkische Universität", "Международный казахстанско-турецкий университет"),
])
def test_translate_org(kk, en, de, ru):
    forms = translate_org(kk)
    assert forms is not None
    assert (forms.en, forms.de, forms.ru) == (en, de, ru)


def test_a_transliterated_brand_name_is_lower_confidence():
    brand = translate_org("«Болашақ жобалау институты» ЖШС")
    assert brand.en == "Bolashak Design Institute LLP"
    assert brand.ru == "ТОО «Проектный институт «Болашак»"  # one closing quote, as the press writes
    assert brand.confidence < translate_org("«Павлодар жобалау институты» ЖШС").confidence == 1.0


@pytest.mark.parametrize("kk", [
    "Жақсы бала министрлігі",          # a common word the lexicon lacks: no transliterated "Zhaksy"
    "«Самұрық-Қазына» ұлттық әл-ауқат жақсылық қоры",
    "Ақтөбе облысының ауыл шаруашылығы",  # no head noun
    "Асхат Шахаров",
    "Ауыл шаруашылығы",
])
def test_unknown_descriptive_words_give_none(kk):
    assert translate_org(kk) is None


def test_place_adjectives_by_rule_and_exception():
    assert ru_place_adjective("Павлодар") == "Павлодарский"       # consonant + -ский
    assert ru_place_adjective("Қызылорда") == "Кызылординский"    # -а -> -инский
    assert ru_place_adjective("Атырау") == "Атырауский"          # -у + -ский
    assert ru_place_adjective("Ақтөбе") == "Актюбинский"         # exception
    assert ru_place_adjective("Абай") is None                    # область Абай: no adjective
    assert ru_place_adjective("Мюнхен") is None                  # not a Kazakh place in the table


def test_check_translation_against_the_lexicon():
    kk = "Ақтөбе облысының денсаулық сақтау басқармасы"
    assert check_translation(kk, "ru", "в управлении здравоохранения Актюбинской области") == []
    assert check_translation(kk, "ru", "в управлении образования") == ["здравоохранения"]
    assert check_translation(kk, "en", "the Health Department of Aktobe Region") == []
    assert check_translation(kk, "en", "the Health Care Administration") == ["Department"]
    assert check_translation("Ауыл шаруашылығы министрлігі", "de", "des Landwirtschaftsministeriums") == []
    assert check_translation("Ауыл шаруашылығы министрлігі", "de", "das Agrarministerium") == ["Landwirtschafts"]


# -- the lexicon's rows are consistent --------------------------------------------------

ROWS: list[LexRow] = list(lexicon().values())


def test_lexicon_has_a_few_hundred_rows():
    assert len(ROWS) >= 300
    assert sum(r.kind.startswith("head") for r in ROWS) >= 60
    assert sum(r.kind == "noun" for r in ROWS) >= 150


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.kk)
def test_lexicon_row_is_consistent(row):
    assert row.en and row.de and row.ru, "every row has all three targets"
    assert not CYR.search(row.en + row.de + row.de_stem), "no Cyrillic in en/de"
    assert CYR.search(row.ru) and not LAT.search(row.ru), "ru is Cyrillic"
    assert not LAT.search(row.kk) and row.kk == row.kk.lower(), "kk is lower-case Kazakh"
    words = row.en.replace("{}", "X").split()
    assert all(w[:1].isupper() or w in SMALL for w in words), "en in title case"
    assert row.ru == row.ru.lower(), "ru in lower case (the name's first letter is capitalised when built)"
    for conj, (en, de, ru) in {"және": ("and", "und", "и"), "мен": ("and", "und", "и")}.items():
        if conj in row.kk.split():
            assert en in row.en.split() and de in row.de.split() and ru in row.ru.split()
    if row.kind.startswith("head"):
        assert row.en.count("{}") == 1 and row.de[:1].isupper() and not row.de_stem
    elif row.kind == "adj":
        assert row.de == row.de.lower() and not row.de_stem, "de adjective stem, declined when built"
        assert re.search(r"(ый|ий|ой)$", row.ru), "ru adjective, masculine nominative"
    elif row.kind == "attr":
        assert row.de_stem and row.de_stem[:1].isupper(), "attr joins the German head as a compound"
        assert re.search(r"(ый|ий|ой)$", row.ru) or " " in row.ru
    elif row.kind == "member":
        assert re.search(r"(лар|лер|дар|дер|тар|тер)(ы|і)?$", row.kk), "kk plural"
        assert row.en.endswith("s") or row.de.endswith(("en", "er")), "en/de plural"
    else:
        assert not re.search(r"(ый|ский|ный|ная|ое)$", row.ru), "ru domain in the genitive, not an adjective"
        assert not row.de_stem or (" " not in row.de_stem.replace(" und ", "")), "de stem is one compound part"


def test_german_compound_rule_is_the_stem_plus_the_head():
    """One domain with a stem: compound; with no stem or coordinated: 'für'."""
    for row in ROWS:
        if row.kind != "noun":
            continue
        p = _parse(f"{row.kk} министрлігі")
        forms = translate_org(f"{row.kk} министрлігі")
        assert p is not None and forms is not None, row.kk
        if row.de_stem:
            assert forms.de == row.de_stem + "ministerium"
        else:
            assert forms.de == f"Ministerium für {row.de}"
        assert forms.ru == f"Министерство {row.ru}"


# -- genitive owners (a ministry or a country before the name) --------------------------

@pytest.mark.parametrize("kk, en, de, ru", [
    # an organisation owns it: "X of the Ministry of Y", German genitive, Russian genitive
    ("Қаржы министрлігінің Қазынашылық комитеті", "Treasury Committee of the Ministry of Finance",
     "Staatskassenkomitee des Finanzministeriums", "Комитет казначейства Министерства финансов"),
    ("Ұлттық экономика министрлігінің Статистика комитеті",
     "Statistics Committee of the Ministry of National Economy",
     "Statistikkomitee des Ministeriums für Volkswirtschaft", "Комитет статистики Министерства национальной экономики"),
    # a country owns it, with a place in the locative: Embassy of X in Y
    ("Германияның Қазақстандағы Елшілігі", "Embassy of Germany in Kazakhstan",
     "Botschaft von Deutschland in Kasachstan", "Посольство Германии в Казахстане"),
    ("Ресейдің Алматыдағы Бас консулдығы", "Consulate General of Russia in Almaty",
     "Generalkonsulat von Russland in Almaty", "Генеральное консульство России в Алматы"),
    # "the" and the German article where the country takes one
    ("Біріккен Араб Әмірліктерінің Қазақстандағы Елшілігі",
     "Embassy of the United Arab Emirates in Kazakhstan",
     "Botschaft der Vereinigten Arabischen Emirate in Kasachstan",
     "Посольство Объединённых Арабских Эмиратов в Казахстане"),
    # a name whose head comes last takes the country before it (Korea ... Agency)
    ("Кореяның Халықаралық ынтымақтастық агенттігі", "Korea International Cooperation Agency",
     "Internationale Kooperationsagentur von Korea", "Международное агентство сотрудничества Кореи"),
])
def test_owner_in_the_genitive(kk, en, de, ru):
    forms = translate_org(kk)
    assert forms is not None and (forms.en, forms.de, forms.ru) == (en, de, ru)


def test_agency_head_turns_round_after_an_adjective():
    """Agency for {} with a noun (Agency for Strategic Planning), {} Agency after an
    adjective (State ... Agency)."""
    assert translate_org("Мемлекеттік туризм агенттігі").en == "State Tourism Agency"
    assert translate_org("Туризм агенттігі").en == "Agency for Tourism"


def test_no_owner_without_a_genitive_or_a_known_country():
    """A plain name keeps its reading; an unknown genitive word is no owner."""
    assert translate_org("Қазынашылық комитеті").en == "Treasury Committee"
    unknown = translate_org("Бекзаттың Қазақстандағы Елшілігі")  # a person's genitive: no country
    assert unknown is not None and not unknown.en.startswith("Embassy of") and unknown.confidence < 1.0


@pytest.mark.parametrize("kk, en, ru", [
    ("«Шымкент мұнай өңдеу зауыты» ЖШС", "Shymkent Oil Refinery LLP", "ТОО «Шымкентский нефтеперерабатывающий завод»"),
    ("Павлодар мұнай өңдеу зауыты", "Pavlodar Oil Refinery", "Павлодарский нефтеперерабатывающий завод"),
])
def test_processing_plant_heads(kk, en, ru):
    """мұнай өңдеу зауыты is one head: an Oil Refinery, not an "Oil Refining Plant"."""
    forms = translate_org(kk)
    assert forms is not None and (forms.en, forms.ru) == (en, ru)


@pytest.mark.parametrize(("kk", "en", "de", "ru"), [
    ("Түркі мемлекеттері ұйымы", "Organization of Turkic States", "Organisation der türkischen Staaten",
     "Организация тюркских государств"),
    ("Түркітілдес мемлекеттері ұйымы", "Organization of Turkic-Speaking States",
     "Organisation der turksprachigen Staaten", "Организация тюркоязычных государств"),
    ("Ислам елдері ұйымы", "Organization of Islamic Countries", "Organisation der islamischen Länder",
     "Организация исламских стран"),
])
def test_plural_n1_puts_the_head_first(kk, en, de, ru):
    """N1 N2-сы with a plural possessive N1 (the members): English 'N2 of N1', N1 in the
    genitive plural."""
    assert translate_org(kk) == OrgForms(en, de, ru, 1.0)


def test_singular_n1_stays_a_compound():
    """The same construction with a singular N1, or a bare plural, keeps the English compound."""
    forms = translate_org("Туризм индустриясы комитеті")
    assert forms is not None and forms.en == "Tourism Industry Committee"
    forms = translate_org("Халықаралық ынтымақтастық ұйымы")
    assert forms is not None and forms.en == "International Cooperation Organization"
    forms = translate_org("Су ресурстары комитеті")  # a plural domain, not members
    assert forms is not None and forms.en == "Water Resources Committee"
    forms = translate_org("Түркітілдес мемлекеттер ұйымы")
    assert forms is not None and forms.en == "Turkic-Speaking States Organization"


@pytest.mark.parametrize("kk, en", [
    ("Табиғи монополияларды реттеу комитеті", "Committee for Regulation of Natural Monopolies"),
    ("Көліктік бақылау комитеті", "Committee for Transport Control"),
    ("Мемлекеттік кірістер комитеті", "State Revenue Committee"),  # no activity: the compound
])
def test_a_committee_for_an_activity_takes_for(kk, en):
    forms = translate_org(kk)
    assert forms is not None and forms.en == en


@pytest.mark.parametrize("kk, en", [
    ("қалалық білім басқармасы", "City Department of Education"),
    ("облыстық денсаулық сақтау басқармасы", "Regional Department of Health"),
    ("Мемлекеттік кірістер департаменті", "State Revenue Department"),  # no level
])
def test_a_territorial_department_names_its_level_then_its_domains(kk, en):
    forms = translate_org(kk)
    assert forms is not None and forms.en == en


def test_a_hyphenated_compound_of_known_modifiers():
    forms = translate_org("«Теміртау жөндеу-құрастыру зауыты» ЖШС")
    assert forms is not None
    assert forms.en == "Temirtau Repair and Assembly Plant LLP"
    assert "ремонтно-сборочный завод" in forms.ru and "Reparatur- und Montagewerk" in forms.de
    assert translate_org("Теміртау жөндеу-бақша зауыты") is None  # a part the lexicon lacks


def test_a_connector_stands_between_two_modifiers_only():
    # an unknown capitalised word before және is no proper name with "and" after it
    assert translate_org("Тамақ және ауыл шаруашылығы министрлігі") is None
    assert translate_org("Ауыл шаруашылығы министрлігі").en == "Ministry of Agriculture"


def test_a_headless_quoted_name_of_a_place_and_known_words():
    forms = translate_org("«Жетісу мыс» АҚ")
    assert forms is not None and forms.en == "Zhetysu Copper JSC" and forms.ru == "АО «Жетису мыс»"
    assert translate_org("«Атамекен» ЖШС") is None           # a brand: no reading
    assert translate_org("«Жетісу бақша» ЖШС") is None       # a word the lexicon lacks


def test_a_foreign_brand_is_read_back_word_by_word():
    forms = translate_org("«Хуасин Кемикал» компаниясы", "CN")
    assert forms is not None and forms.en == "Huaxing Chemical Company"
    assert forms.ru == "Компания «Хуасин Кемикал»"  # Russian keeps the Cyrillic
    forms = translate_org("«Мюллер Машиненбау» компаниясы", "DE")
    assert forms is not None and forms.en == "Müller Maschinenbau Company"
    # without China named, a Chinese-looking word is transliterated; a Kazakh brand stays as it is
    assert translate_org("«Хуасин Кемикал» компаниясы").en == "Khuasin Chemical Company"
    assert translate_org("«Қазмыс Кемикал» компаниясы", "CN").en.startswith("Kazmys Kemikal")
