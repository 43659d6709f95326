"""Hyphenated compounds of names (issue 10 item 3): Қазақстан-Германия бизнес форумы,
қазақ-неміс бірлескен кәсіпорны. Both names are found; en "Kazakhstan-Germany", de
"deutsch-kasachische" / "Kasachstan-Deutschland-", ru "казахстанско-германский" are
their forms. Sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from mt.glossary.match import Matcher
from mt.glossary.store import load_glossary
from mt.qa import run_checks

ENTRIES = load_glossary([Path(__file__).parent.parent / "glossaries"]).active()
MATCHER = Matcher(ENTRIES)
FORUM = "Қазақстан-Германия бизнес форумы Берлинде өтті."
VENTURE = "Ақтөбеде қазақ-неміс бірлескен кәсіпорны ашылды."


@pytest.mark.parametrize("text, found", [
    (FORUM, [("place.kazakhstan", "Қазақстан"), ("place.germany", "Германия")]),
    (VENTURE, [("place.aktobe", "Ақтөбеде"), ("place.kazakhstan", "қазақ"), ("place.germany", "неміс")]),
    ("Германия-Қазақстан қарым-қатынасы дамып келеді.", [("place.germany", "Германия"),
                                                        ("place.kazakhstan", "Қазақстан")]),
])
def test_both_names_of_a_hyphenated_compound_are_found(text, found):
    assert [(m.id, m.surface) for m in MATCHER.find(text)] == found
    for m in MATCHER.find(text):
        assert text[m.start:m.end] == m.surface


@pytest.mark.parametrize("text", ["ЕҚДБ-ның өкілі келді.", "Бұл АҚШ-тық компания емес.",
                                  "Жаңа қарым-қатынас орнады.", "Қазақ тілі күні өтті."])
def test_suffixes_after_a_hyphen_and_plain_words_are_no_compound(text):
    assert [m.id for m in MATCHER.find(text) if m.id.startswith("place.")] == []


@pytest.mark.parametrize("source, lang, target", [
    (FORUM, "en", "The Kazakhstan-Germany business forum took place in Berlin."),
    (FORUM, "de", "Das deutsch-kasachische Wirtschaftsforum fand in Berlin statt."),
    (FORUM, "de", "Das Kasachstan-Deutschland-Wirtschaftsforum fand in Berlin statt."),
    (FORUM, "ru", "Казахстанско-германский бизнес-форум прошёл в Берлине."),
    (VENTURE, "en", "A Kazakh-German joint venture opened in Aktobe."),
    (VENTURE, "de", "In Aktobe wurde ein kasachisch-deutsches Gemeinschaftsunternehmen eröffnet."),
    (VENTURE, "ru", "В Актобе открылось казахстанско-немецкое совместное предприятие."),
])
def test_compound_forms_in_each_language_raise_no_false_alarm(source, lang, target):
    assert run_checks([source], [target], "kk", lang, entries=ENTRIES, checks=["glossary"]) == []


@pytest.mark.parametrize("lang, target, missing", [
    ("en", "The Kazakhstan business forum took place in Berlin.", ["place.germany"]),
    ("de", "Das deutsche Wirtschaftsforum fand in Berlin statt.", ["place.kazakhstan"]),
    ("ru", "Бизнес-форум прошёл в Берлине.", ["place.kazakhstan", "place.germany"]),
])
def test_a_name_of_the_compound_left_out_is_reported(lang, target, missing):
    found = run_checks([FORUM], [target], "kk", lang, entries=ENTRIES, checks=["glossary"])
    assert [f.message.split()[2] for f in found] == missing


def test_enforcement_leaves_a_compound_to_the_model_and_masks_other_terms():
    from mt.glossary.enforce import _masked_source, _terms_for
    from mt.glossary.match import match_segments
    from mt.types import Segment

    text = "Ақтөбеде Қазақстан-Германия бизнес форумы өтті."
    by_id = {e.id: e for e in ENTRIES}
    terms = _terms_for(0, text, match_segments([Segment(0, 0, text)], MATCHER), by_id, None)
    assert [(t.id, t.in_compound) for t in terms] == [
        ("place.aktobe", False), ("place.kazakhstan", True), ("place.germany", True)]
    assert _masked_source(text, terms) == "ZX1-де Қазақстан-Германия бизнес форумы өтті."


def test_check_lints_compound_only_forms(tmp_path):
    from mt.glossary import store

    bad = tmp_path / "bad.tsv"
    bad.write_text("id\ttype\tkk\ten\tde\tru\tkk_variants\n"
                   "place.a\tplace\tқазақ-\tKazakhstan\tKasachstan\tКазахстан\t\n"
                   "place.b\tplace\tГермания\tGermany\tDeutschland\tГермания\tнеміс елі-\n"
                   "place.c\tplace\tРесей\tRussia\tRussland\tРоссия\tорыс-\n", encoding="utf-8")
    assert [(p.line, p.kind) for p in store.check([bad])] == [(2, "bad-compound"), (3, "bad-compound")]
