"""The translator's loop through the CLI: `mt translate --format xliff` (valid XLIFF 2.0,
one unit per sentence), a post-edit, `mt tm import`, and the edited sentence winning
next time; every bad XLIFF a one-line error that leaves the memory as it was."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import E2E
from lxml import etree

from mt.cli import cli
from mt.formats import xliff

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "tests" / "data" / "xliff" / "xliff_core_2.0.xsd"
FOUNDING = ROOT / "corpora" / "press-releases" / "aktobe-germany-2025" / "release.kk.txt"
GLOSSARY = ROOT / "glossaries"
NS = {"x": xliff.NS, "mda": xliff.MDA, "mtc": xliff.MTC}
EDITED = "Der Akim des Gebiets Aktobe, Aschat Schacharow, traf eine deutsche Wirtschaftsdelegation."


def mt(*args) -> object:
    return CliRunner().invoke(cli, [str(a) for a in args])


def copy_memory(source: Path, target: Path) -> Path:
    """A consistent copy of a memory whose writer may still hold it open (WAL)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT * FROM units ORDER BY key, tgt_lang, source").fetchall()


@pytest.fixture(scope="module")
def founding(tiny_nllb, tmp_path_factory):
    """The founding release translated to de by the tiny NLLB model, as XLIFF, with a memory."""
    folder = tmp_path_factory.mktemp("founding")
    release = folder / "release.kk.txt"
    shutil.copy(FOUNDING, release)
    tm = folder / "tm.sqlite"
    result = mt("translate", release, "--to", "de", "--format", "xliff", "--model", tiny_nllb,
                "--glossary", GLOSSARY, "--tm", tm, "--out", folder / "out")
    assert result.exit_code == 0, result.output
    return {"release": release, "tm": tm, "xlf": folder / "out" / "release.de.xlf", "model": tiny_nllb}


def test_xliff_is_valid_xliff_2_with_one_unit_per_segment(founding):
    doc = etree.parse(str(founding["xlf"]))
    etree.XMLSchema(etree.parse(str(SCHEMA))).assertValid(doc)
    root = doc.getroot()
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.0", "kk", "de")
    segmented = mt("segment", founding["release"], "--format", "jsonl")
    expected = [json.loads(line) for line in segmented.stdout.splitlines()]
    units = root.findall(".//x:unit", NS)
    assert len(expected) == 20
    assert [u.get("id") for u in units] == [f"p{s['paragraph']}-s{s['index']}" for s in expected]
    assert ["".join(u.find("x:segment/x:source", NS).itertext()) for u in units] == [s["text"] for s in expected]
    # paragraph structure: one group per paragraph, units inside their paragraph's group
    groups = root.findall(".//x:group", NS)
    assert [g.get("id") for g in groups] == [f"p{p}" for p in sorted({s["paragraph"] for s in expected})]
    assert all(u.getparent().get("id") == u.get("id").split("-")[0] for u in units)
    assert {s.get("state") for s in root.iter(f"{{{xliff.NS}}}segment")} == {"translated"}


def test_xliff_marks_terms_and_records_model_and_qa(founding):
    root = etree.parse(str(founding["xlf"])).getroot()
    meta = {m.get("type"): m.text for m in root.find("x:file/mda:metadata", NS).iter(f"{{{xliff.MDA}}}meta")}
    assert meta["model"] == str(founding["model"]) and meta["revision"].startswith("local-")
    assert meta["licence"] and meta["signature"].startswith("hf:")
    unit = root.find(".//x:unit[@id='p1-s1']", NS)
    source_terms = [m.get("ref") for m in unit.iterfind("x:segment/x:source/x:mrk[@type='term']", NS)]
    assert "mt-glossary:person.shakharov" in source_terms
    target_marks = {m.get("ref"): "".join(m.itertext()) for m in unit.iterfind("x:segment/x:target/x:mrk", NS)}
    assert target_marks["mt-glossary:person.shakharov"] == "Aschat Schacharow"   # glossary form, enforced
    notes = [n.get("category") for n in root.iterfind(".//x:unit/x:notes/x:note", NS)]
    report = json.loads((founding["xlf"].parent / "release.qa.json").read_text(encoding="utf-8"))
    assert len(notes) == len(report["findings"]) and notes  # every QA finding is a note of its unit


def _post_edit(path: Path, out: Path, unit_id: str, text: str | None, state: str = "final") -> Path:
    tree = etree.parse(str(path))
    segment = tree.find(f".//x:unit[@id='{unit_id}']/x:segment", NS)
    if text is not None:
        target = segment.find("x:target", NS)
        for child in list(target):
            target.remove(child)
        target.text = text
    segment.set("state", state)
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    return out


def test_post_edit_goes_into_the_memory_and_wins(founding, tmp_path, monkeypatch):
    tm = copy_memory(founding["tm"], tmp_path / "tm.sqlite")
    edited = _post_edit(founding["xlf"], tmp_path / "edited.xlf", "p1-s1", EDITED)
    result = mt("tm", "import", edited, "--tm", tm, "--translator", "anna")
    assert result.exit_code == 0, result.output
    assert "20 units: 1 edited, 19 unchanged, 0 without a recorded draft" in result.output
    stats = json.loads(mt("tm", "stats", "--tm", tm).stdout)
    assert (stats["human"], stats["pairs"]["kk-de"]["human"]) == (1, 1)

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded although the memory serves every sentence")

    monkeypatch.setattr("mt.engines.load_engine", no_model)
    again = mt("translate", founding["release"], "--to", "de", "--model", founding["model"], "--glossary",
               GLOSSARY, "--tm", tm, "--out", tmp_path / "again", "--force")
    assert again.exit_code == 0, again.output
    draft = (tmp_path / "again" / "release.de.txt").read_text(encoding="utf-8").splitlines()
    assert draft[1] == EDITED  # paragraph 1 is that one sentence
    align = [json.loads(line) for line in (tmp_path / "again" / "release.align.jsonl").read_text().splitlines()]
    assert [a["targets"]["de"]["origin"] for a in align].count("human") == 1
    assert align[1]["targets"]["de"] == {**align[1]["targets"]["de"], "text": EDITED, "origin": "human"}


def test_confirmed_unchanged_unit_counts_and_changed_initial_unit_counts(founding, tmp_path):
    tm = copy_memory(founding["tm"], tmp_path / "tm.sqlite")
    confirmed = _post_edit(founding["xlf"], tmp_path / "a.xlf", "p0-s0", None, state="reviewed")
    changed = _post_edit(confirmed, tmp_path / "b.xlf", "p2-s2", "Eine neue Fassung.", state="initial")
    result = mt("tm", "import", changed, "--tm", tm)
    assert result.exit_code == 0, result.output
    # The draft confirmed as it was is approved machine output (as `mt review`'s Confirm),
    # never a human translation; the changed one is human.
    assert "storing 1 as human translations and 1 as confirmed machine output, skipping 18" in result.output
    stats = json.loads(mt("tm", "stats", "--tm", tm).stdout)
    assert (stats["human"], stats["approved"]) == (1, 1)


def _broken(founding, tmp_path: Path, edit) -> Path:
    text = founding["xlf"].read_text(encoding="utf-8")
    path = tmp_path / "bad.xlf"
    path.write_bytes(edit(text).encode("utf-8") if isinstance(edit(text), str) else edit(text))
    return path


BOMB = """<?xml version="1.0"?>
<!DOCTYPE xliff [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="kk" trgLang="de">
<file id="f"><unit id="p0-s0"><segment state="final"><source>&e;</source><target>&e;</target></segment></unit></file>
</xliff>
"""
XLIFF_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="kk" target-language="de" datatype="plaintext" original="release.kk.txt">
    <body><trans-unit id="1"><source>Сәлем.</source><target state="final">Hallo.</target></trans-unit></body>
  </file>
</xliff>
"""


# Units of the founding release (see `mt segment`): p3-s3 and p3-s4 are one paragraph's sentences.
def _unit_line(text: str, unit: str) -> int:
    return text[:text.index(f'<unit id="{unit}"')].count("\n") + 1


def _without_target(text: str, unit: str) -> str:
    start = text.index("<target>", text.index(f'<unit id="{unit}"'))
    return text[:start] + text[text.index("</target>", start) + len("</target>"):]


def _segment_line(text: str, unit: str) -> int:
    return text[:text.index("<segment", text.index(f'<unit id="{unit}"'))].count("\n") + 1


@pytest.mark.parametrize("case, edit, needle, line", [
    ("xliff 1.2, ids not mt's", lambda t: XLIFF_12, "unknown unit id '1'", lambda t: 4),
    ("wrong srcLang", lambda t: t.replace('srcLang="kk"', 'srcLang="ru"'), "srcLang is 'ru'", lambda t: 2),
    ("wrong trgLang", lambda t: t.replace('trgLang="de"', 'trgLang="fr"'), "trgLang is 'fr'", lambda t: 2),
    ("unknown unit id", lambda t: t.replace('<unit id="p3-s4">', '<unit id="u7">'), "unknown unit id 'u7'",
     lambda t: _unit_line(t, "u7")),
    ("repeated unit id", lambda t: t.replace('<unit id="p3-s4">', '<unit id="p3-s3">'), "appears twice",
     lambda t: t[:t.rindex('<unit id="p3-s3">')].count("\n") + 1),
    ("missing target", lambda t: _without_target(t, "p3-s4"), "unit p3-s4 has no target",
     lambda t: _segment_line(t, "p3-s4")),
    ("xml bomb", lambda t: BOMB, "declares XML entities", lambda t: 3),
    ("not xml", lambda t: t[: len(t) // 2], "not well-formed XML", None),
])
def test_bad_xliff_is_one_line_and_leaves_the_memory_alone(founding, tmp_path, case, edit, needle, line):
    tm = copy_memory(founding["tm"], tmp_path / "tm.sqlite")
    edited = _post_edit(founding["xlf"], tmp_path / "good.xlf", "p1-s1", EDITED)  # a valid file imported with it
    before = rows(tm)
    original = founding["xlf"].read_text(encoding="utf-8")
    bad = _broken(founding, tmp_path, edit)
    result = mt("tm", "import", edited, bad, "--tm", tm)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("mt: error: ") and result.output.count("\n") == 1, result.output
    assert needle in result.output and str(bad) in result.output
    if line is not None:
        assert f"{bad}:{line(edit(original))}:" in result.output
    assert rows(tm) == before


def test_bad_xliff_into_a_new_memory_creates_nothing(tmp_path):
    bad = tmp_path / "old.xlf"
    bad.write_text(XLIFF_12, encoding="utf-8")
    result = mt("tm", "import", bad, "--tm", tmp_path / "new.sqlite")
    assert result.exit_code == 2 and "unknown unit id '1'" in result.output
    assert not (tmp_path / "new.sqlite").exists()


def test_human_fuzzy_match_in_report_and_xliff_exact_human_match_used(trained_nllb, tmp_path):
    from mt.tm import MemoryUnit, TranslationMemory

    tm = tmp_path / "tm.sqlite"
    memory = TranslationMemory(tm)
    memory.import_units([
        MemoryUnit("kk", "en", "Бүгін қалада жаңа мектеп ашылды!", "Today a new school opened in the town!",
                   creator="anna"),                      # 1 character from sentence 1: a fuzzy match
        MemoryUnit("kk", "en", "Мектепте бес жүз оқушы оқиды.", "The school has five hundred pupils.",
                   creator="anna"),                      # sentence 2 exactly: used as it is
    ])
    memory.close()
    release = tmp_path / "release.kk.txt"
    shutil.copy(E2E / "release.kk.txt", release)
    result = mt("translate", release, "--to", "en", "--format", "xliff", "--model", trained_nllb, "--no-glossary",
                "--tm", tm, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "release.qa.json").read_text(encoding="utf-8"))
    fuzzy = [f for f in report["findings"] if f["check"] == "tm-fuzzy"]
    assert [(f["segment"], "by a translator" in f["message"]) for f in fuzzy] == [(1, True)]
    root = etree.parse(str(tmp_path / "out" / "release.en.xlf")).getroot()
    match = root.find(".//x:unit[@id='p1-s1']/mtc:matches/mtc:match", NS)
    assert 85 <= float(match.get("similarity")) < 100
    assert match.findtext("x:target", namespaces=NS) == "Today a new school opened in the town!"
    unit = root.find(".//x:unit[@id='p1-s2']", NS)
    assert "".join(unit.find("x:segment/x:target", NS).itertext()) == "The school has five hundred pupils."
    etree.XMLSchema(etree.parse(str(SCHEMA))).assertValid(root.getroottree())


# ---------------------------------------------------------------- glossary suggestions from post-edits

def test_consistent_post_edits_of_a_term_become_a_glossary_update(founding, tmp_path):
    tree = etree.parse(str(founding["xlf"]))
    ref = "mt-glossary:place.aktobe-region"
    edited = 0
    for mark in tree.iterfind(f".//x:target/x:mrk[@ref='{ref}']", NS):
        if mark.text == "Gebiet Aktobe":
            mark.text = "Gebiet Aqtöbe"  # the translator prefers the German Wikipedia spelling
            edited += 1
    assert edited >= 2
    tree.write(str(tmp_path / "edited.xlf"), xml_declaration=True, encoding="UTF-8")
    result = CliRunner().invoke(cli, ["glossary", "suggest", "--from", str(tmp_path / "edited.xlf"),
                                      "--glossary", str(GLOSSARY)])
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header.startswith("id\ttype\tkk\ten\tde\tru")
    assert len(rows) == 1
    row = dict(zip(header.split("\t"), rows[0].split("\t")))
    assert (row["id"], row["de"], row["en"], row["status"]) == ("place.aktobe-region", "Gebiet Aqtöbe",
                                                                "Aktobe Region", "proposed")
    assert f"in {edited} unit(s)" in row["note"]
    # accepted as it is with `mt glossary add --from ... --update`, into a copy of the glossary
    glossary = tmp_path / "glossaries"
    shutil.copytree(GLOSSARY, glossary)
    (tmp_path / "rows.tsv").write_text(result.stdout, encoding="utf-8")
    added = CliRunner().invoke(cli, ["glossary", "add", "--from", str(tmp_path / "rows.tsv"), "--update",
                                     "--glossary", str(glossary)])
    assert added.exit_code == 0, added.output
    assert "updated place.aktobe-region" in added.output
    places = (glossary / "places.tsv").read_text(encoding="utf-8")
    assert "\tGebiet Aqtöbe\t" in places and "\tGebiet Aktobe\t" not in places
    without_update = CliRunner().invoke(cli, ["glossary", "add", "--from", str(tmp_path / "rows.tsv"),
                                              "--glossary", str(glossary)])
    assert without_update.exit_code == 2 and "--update" in without_update.output


def test_unknown_name_changed_twice_is_proposed_once_changed_two_ways_is_not():
    from mt.glossary.learn import changes, suggestions

    def unit(i, source, draft, target):
        return xliff.Unit(f"p1-s{i}", 1, i, source, target, "final", draft, 0)

    units = [unit(1, "Кеше Жанар Серікова келді.", "Yesterday Zhanar Serikova came.", "Yesterday Janar Serikova came."),
             unit(2, "Жанар Серікова сөйледі.", "Zhanar Serikova spoke.", "Janar Serikova spoke."),
             unit(3, "Бүгін Асқар Бекұлы келді.", "Today Askar Bekuly came.", "Today Asqar Bekuly came."),
             unit(4, "Асқар Бекұлы сөйледі.", "Askar Bekuly spoke.", "Askar Bek-uly spoke.")]
    proposed = suggestions(changes(units, "en", []), [])
    assert [(e.kk, e.en, e.type, e.status) for e in proposed] == [("Жанар Серікова", "Janar Serikova", "person",
                                                                    "proposed")]
    assert suggestions(changes(units[:1], "en", []), []) == []               # once is not consistent
    assert len(suggestions(changes(units[:1], "en", []), [], min_count=1)) == 1


def test_file_without_mt_drafts_edits_are_found_against_the_memory(founding, tmp_path):
    tree = etree.parse(str(founding["xlf"]))
    for metadata in tree.findall(".//x:unit/mda:metadata", NS):  # as a CAT tool that drops modules would
        metadata.getparent().remove(metadata)
    tree.write(str(tmp_path / "stripped.xlf"), xml_declaration=True, encoding="UTF-8")
    _post_edit(tmp_path / "stripped.xlf", tmp_path / "stripped.xlf", "p2-s2", "Geändert, aber nicht bestätigt.",
               state="translated")
    _post_edit(tmp_path / "stripped.xlf", tmp_path / "stripped.xlf", "p1-s1", EDITED)
    tm = copy_memory(founding["tm"], tmp_path / "tm.sqlite")
    result = mt("tm", "import", tmp_path / "stripped.xlf", "--tm", tm)
    assert result.exit_code == 0, result.output
    # Both edits are found against the drafts the memory recorded, the confirmed one and
    # the one left "translated"; the other 18 are unchanged and skipped.
    assert ("20 units: 2 edited, 18 unchanged, 0 without a recorded draft (drafts compared: 20, 20 of them from "
            "the memory)") in result.output
    units = xliff.read(tmp_path / "stripped.xlf").units
    assert sorted((r[3], r[4]) for r in rows(tm) if r[6] == "human") == sorted(
        [(units[1].source, EDITED), (units[2].source, "Geändert, aber nicht bestätigt.")])
    # Into a memory that never saw the release: no draft anywhere, so only the unit set
    # final counts (as a human translation); the sources are checked against the release.
    fresh = tmp_path / "fresh.sqlite"
    result = mt("tm", "import", tmp_path / "stripped.xlf", "--tm", fresh)
    assert result.exit_code == 0, result.output
    assert "20 units: 0 edited, 0 unchanged, 20 without a recorded draft" in result.output
    assert f"storing 1 as human translations and 0 as confirmed machine output, skipping 19; sources checked " \
           f"against {founding['release']}" in result.output
    assert [(r[3], r[4]) for r in rows(fresh) if r[6] == "human"] == [(units[1].source, EDITED)]
