"""Files as translators' tools write and read them (issue 23): TMX per language pair,
XLIFF 1.2 (strict schema, same ids, read back by `mt tm import`), imports that verify
sources and find edits against the memory's drafts when a tool dropped mt's records, and
TBX 2008 (TBX-Basic in <martif>, valid against the 2008 schema, re-imported whole)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from mt.cli import cli
from mt.formats import read_bilingual, xliff12
from mt.tm import MemoryUnit, TranslationMemory

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SCHEMA_12 = DATA / "xliff" / "xliff-core-1.2-strict.xsd"
XML_XSD = DATA / "xliff" / "informativeCopiesOf3rdPartySchemas" / "w3c" / "xml.xsd"
TBX_2008_RNG = DATA / "tbx-basic-2008" / "TBXBasicRNGV02.rng"
FOUNDING = ROOT / "corpora" / "press-releases" / "aktobe-germany-2025" / "release.kk.txt"
GLOSSARY = ROOT / "glossaries"
X12 = {"x": xliff12.NS}
EDITED = "Der Akim des Gebiets Aktobe, Aschat Schacharow, traf eine deutsche Wirtschaftsdelegation."


def mt(*args) -> object:
    return CliRunner().invoke(cli, [str(a) for a in args])


def rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT * FROM units ORDER BY key, tgt_lang, source").fetchall()


def copy_memory(source: Path, target: Path) -> Path:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def xliff12_schema() -> etree.XMLSchema:
    """The OASIS strict schema, its import of the W3C xml.xsd pointed at the local copy."""
    doc = etree.parse(str(SCHEMA_12))
    for imported in doc.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
        if imported.get("namespace") == "http://www.w3.org/XML/1998/namespace":
            imported.set("schemaLocation", XML_XSD.as_uri())
    return etree.XMLSchema(doc)


@pytest.fixture(scope="module")
def release(tiny_nllb, tmp_path_factory):
    """The founding release translated to de by the tiny model as XLIFF 1.2 and 2.0."""
    folder = tmp_path_factory.mktemp("cat")
    source = folder / "release.kk.txt"
    shutil.copy(FOUNDING, source)
    tm = folder / "tm.sqlite"
    for fmt in ("xliff12", "xliff", "xliff12-omegat"):
        result = mt("translate", source, "--to", "de", "--format", fmt, "--model", tiny_nllb,
                    "--glossary", GLOSSARY, "--tm", tm, "--out", folder / "out")
        assert result.exit_code == 0, result.output
    return {"release": source, "tm": tm, "xliff": folder / "out" / "release.de.xliff",
            "xlf": folder / "out" / "release.de.xlf", "omegat": folder / "out" / "release.de.omegat.xliff"}


# ---------------------------------------------------------------- XLIFF 1.2

def test_xliff12_is_valid_strict_xliff_with_the_ids_of_mt_segment(release):
    doc = etree.parse(str(release["xliff"]))
    xliff12_schema().assertValid(doc)
    root = doc.getroot()
    file = root.find("x:file", X12)
    assert (root.get("version"), file.get("source-language"), file.get("target-language")) == ("1.2", "kk", "de")
    expected = [json.loads(line) for line in mt("segment", release["release"], "--format", "jsonl").stdout.splitlines()]
    units = root.findall(".//x:trans-unit", X12)
    assert [u.get("id") for u in units] == [f"p{s['paragraph']}-s{s['index']}" for s in expected]
    assert ["".join(u.find("x:source", X12).itertext()) for u in units] == [s["text"] for s in expected]
    # the same ids as the XLIFF 2.0 file of the same run
    assert [u.get("id") for u in units] == [u.id for u in read_bilingual(release["xlf"]).units]
    assert {u.find("x:target", X12).get("state") for u in units} == {"translated"}
    assert all(u.getparent().get("id") == u.get("id").split("-")[0] for u in units)


def test_xliff12_marks_terms_and_carries_qa_notes_and_the_draft(release):
    root = etree.parse(str(release["xliff"])).getroot()
    unit = root.find(".//x:trans-unit[@id='p1-s1']", X12)
    terms = {m.get("comment"): "".join(m.itertext()) for m in unit.iterfind("x:target/x:mrk[@mtype='term']", X12)}
    assert terms["mt-glossary:person.shakharov"] == "Aschat Schacharow"
    assert "mt-glossary:person.shakharov" in [m.get("comment") for m in unit.iterfind("x:source/x:mrk", X12)]
    draft = unit.find("x:alt-trans[@origin='mt-draft']/x:target", X12)
    assert draft.text == "".join(unit.find("x:target", X12).itertext())
    notes = root.findall(".//x:trans-unit/x:note", X12)
    report = json.loads((release["xliff"].parent / "release.qa.json").read_text(encoding="utf-8"))
    assert notes and len(notes) == len(report["findings"])
    assert all(n.get("from").startswith("mt-qa:") and n.get("annotates") == "target" for n in notes)


def _edit12(path: Path, out: Path, edits: dict[str, tuple[str | None, str]], drop_drafts: bool = False,
            sources: dict[str, str] | None = None) -> Path:
    """A post-edit as a tool would write it: unit id -> (new target or None, state)."""
    tree = etree.parse(str(path))
    for uid, (text, state) in edits.items():
        target = tree.find(f".//x:trans-unit[@id='{uid}']/x:target", X12)
        if text is not None:
            for child in list(target):
                target.remove(child)
            target.text = text
        target.set("state", state)
    for uid, text in (sources or {}).items():
        source = tree.find(f".//x:trans-unit[@id='{uid}']/x:source", X12)
        for child in list(source):
            source.remove(child)
        source.text = text
    if drop_drafts:  # as a tool that keeps only source, target and notes
        for alt in tree.findall(".//x:alt-trans", X12):
            alt.getparent().remove(alt)
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    return out


def test_xliff12_round_trips_through_tm_import(release, tmp_path):
    tm = copy_memory(release["tm"], tmp_path / "tm.sqlite")
    edited = _edit12(release["xliff"], tmp_path / "edited.xliff",
                     {"p1-s1": (EDITED, "translated"), "p0-s0": (None, "signed-off"), "p2-s2": (None, "final")})
    result = mt("tm", "import", edited, "--tm", tm, "--translator", "anna")
    assert result.exit_code == 0, result.output
    assert "20 units: 1 edited, 19 unchanged, 0 without a recorded draft" in result.output
    assert "storing 1 as human translations and 2 as confirmed machine output, skipping 17" in result.output
    units = read_bilingual(edited).units
    decided = sorted((r[3], r[4], r[6]) for r in rows(tm) if r[6] != "machine")
    assert decided == sorted([(units[1].source, EDITED, "human"), (units[0].source, units[0].target, "approved"),
                              (units[2].source, units[2].target, "approved")])


def test_xliff12_without_its_drafts_finds_edits_in_the_memory_and_counts_the_rest(release, tmp_path):
    """A tool rewrote the file and dropped mt's <alt-trans> drafts: edits are found against
    the drafts the memory recorded; sentences whose draft the memory lacks are counted as such."""
    tm = copy_memory(release["tm"], tmp_path / "tm.sqlite")
    units = read_bilingual(release["xliff"]).units
    with sqlite3.connect(tm) as db:  # the memory lost the drafts of three sentences
        db.executemany("DELETE FROM units WHERE source=? AND tgt_lang='de'", [(units[i].source,) for i in (5, 6, 7)])
    edited = _edit12(release["xliff"], tmp_path / "rewritten.xliff",
                     {"p1-s1": (EDITED, "translated"), "p2-s2": ("Ganz anders.", "needs-review-translation"),
                      "p0-s0": (None, "final")}, drop_drafts=True)
    assert all(u.draft is None for u in read_bilingual(edited).units)
    result = mt("tm", "import", edited, "--tm", tm)
    assert result.exit_code == 0, result.output
    assert ("20 units: 2 edited, 15 unchanged, 3 without a recorded draft (drafts compared: 17, 17 of them from "
            "the memory); storing 2 as human translations and 1 as confirmed machine output, skipping 17"
            ) in result.output


def test_omegat_layout_has_the_source_in_target_and_reads_back_what_omegat_filled(release, tmp_path):
    """OmegaT 3.6 translates the text of <target> (a unit without one is no segment to it)
    and writes its translation there, leaving the source copy in segments it did not
    translate. Those are counted as not translated, never stored as translations."""
    doc = etree.parse(str(release["omegat"]))
    xliff12_schema().assertValid(doc)
    units = doc.getroot().findall(".//x:trans-unit", X12)
    assert [u.get("id") for u in units] == [u.id for u in read_bilingual(release["xlf"]).units]
    for unit in units:
        target = unit.find("x:target", X12)
        assert (target.get("state"), target.text, len(target)) == ("new", "".join(unit.find("x:source", X12)
                                                                                  .itertext()), 0)
        assert unit.find("x:alt-trans[@origin='mt-draft']/x:target", X12).text  # mt's draft
    assert all(u.target == "" for u in read_bilingual(release["omegat"]).units)
    # what OmegaT writes after filling two segments from its memory (state left "new")
    for uid, text in (("p1-s1", EDITED), ("p0-s0", "Deutsche Unternehmer interessieren sich für Aktobe")):
        doc.find(f".//x:trans-unit[@id='{uid}']/x:target", X12).text = text
    filled = tmp_path / "release.de.omegat.xliff"
    doc.write(str(filled), xml_declaration=True, encoding="UTF-8")
    tm = copy_memory(release["tm"], tmp_path / "tm.sqlite")
    result = mt("tm", "import", filled, "--tm", tm, "--release", release["release"])
    assert result.exit_code == 0, result.output
    assert ("20 units: 2 edited, 0 unchanged, 0 without a recorded draft, 18 not translated (drafts compared: 2); "
            "storing 2 as human translations") in result.output
    assert sorted(r[4] for r in rows(tm) if r[6] == "human") == sorted([EDITED, "Deutsche Unternehmer interessieren "
                                                                                "sich für Aktobe"])


# ---------------------------------------------------------------- sources verified

@pytest.mark.parametrize("fmt", ["xliff", "xliff12"])
def test_a_damaged_source_is_refused_naming_the_unit_and_nothing_is_stored(release, tmp_path, fmt):
    tm = copy_memory(release["tm"], tmp_path / "tm.sqlite")
    before = rows(tm)
    path = release["xlf" if fmt == "xliff" else "xliff"]
    source = read_bilingual(path).units[3].source
    damaged_text = source.replace(" ", "  ", 1).rsplit(" ", 2)[0] + "."  # double space, and two words lost
    tree = etree.parse(str(path))
    ns = {"x": tree.getroot().nsmap[None]}
    xpath = (".//x:unit[@id='p3-s3']/x:segment/x:source" if fmt == "xliff"
             else ".//x:trans-unit[@id='p3-s3']/x:source")
    element = tree.find(xpath, ns)
    for child in list(element):
        element.remove(child)
    element.text = damaged_text
    damaged = tmp_path / f"damaged{path.suffix}"
    tree.write(str(damaged), xml_declaration=True, encoding="UTF-8")
    result = mt("tm", "import", damaged, "--tm", tm)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("mt: error: ") and result.output.count("\n") == 1, result.output
    assert f"{damaged}:" in result.output and "unit p3-s3: its source is not the sentence mt segmented" in result.output
    assert rows(tm) == before


def test_whitespace_changes_in_sources_are_not_damage_and_units_keep_mt_sentence(release, tmp_path):
    tm = copy_memory(release["tm"], tmp_path / "tm.sqlite")
    source = read_bilingual(release["xliff"]).units[1].source
    reflowed = "  " + source.replace(" ", " \n   ") + " "
    edited = _edit12(release["xliff"], tmp_path / "reflowed.xliff", {"p1-s1": (EDITED, "final")},
                     sources={"p1-s1": reflowed})
    result = mt("tm", "import", edited, "--tm", tm)
    assert result.exit_code == 0, result.output
    assert [(r[3], r[4]) for r in rows(tm) if r[6] == "human"] == [(source, EDITED)]


def test_without_the_release_sources_are_checked_against_the_memory(release, tmp_path):
    """A file moved away from its release and alignment (and <file original> pointing
    nowhere): its sentences must be ones the memory holds; an unknown one is refused."""
    tm = copy_memory(release["tm"], tmp_path / "tm.sqlite")
    text = release["xliff"].read_text(encoding="utf-8").replace(str(release["release"]), "elsewhere/gone.kk.txt")
    moved = tmp_path / "moved.xliff"
    moved.write_text(text, encoding="utf-8")
    _edit12(moved, moved, {"p1-s1": (EDITED, "final")})
    result = mt("tm", "import", moved, "--tm", tm)
    assert result.exit_code == 0, result.output
    assert "sources checked against the memory's sentences" in result.output
    fresh = tmp_path / "fresh.sqlite"
    refused = mt("tm", "import", moved, "--tm", fresh)
    assert refused.exit_code == 2 and "pass --release RELEASE" in refused.output, refused.output
    assert not fresh.exists()
    given = mt("tm", "import", moved, "--tm", fresh, "--release", release["release"])
    assert given.exit_code == 0 and f"sources checked against {release['release']}" in given.output, given.output


# ---------------------------------------------------------------- TMX per language pair

@pytest.fixture()
def two_pairs(tmp_path) -> Path:
    path = tmp_path / "tm.sqlite"
    memory = TranslationMemory(path)
    memory.import_units([MemoryUnit("kk", "de", "Сәлем.", "Hallo.", creator="anna"),
                         MemoryUnit("kk", "en", "Сәлем.", "Hello.", creator="anna"),
                         MemoryUnit("kk", "en", "Рақмет.", "Thank you.", creator="anna")])
    memory.close()
    return path


def _tuv_langs(path: Path) -> set[str]:
    root = etree.parse(str(path)).getroot()
    return {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")}


def test_tmx_export_writes_one_language_pair(two_pairs, tmp_path):
    out = tmp_path / "de.tmx"
    result = mt("tm", "export", "--tm", two_pairs, "--target", "de", "--out", out)
    assert result.exit_code == 0, result.output
    assert _tuv_langs(out) == {"kk", "de"} and len(etree.parse(str(out)).getroot().findall(".//tu")) == 1


def test_tmx_export_of_several_targets_writes_a_file_per_pair(two_pairs, tmp_path):
    result = mt("tm", "export", "--tm", two_pairs, "--target", "de,en", "--out", tmp_path / "memory.tmx")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("memory*")) == ["memory.kk-de.tmx", "memory.kk-en.tmx"]
    assert _tuv_langs(tmp_path / "memory.kk-de.tmx") == {"kk", "de"}
    assert _tuv_langs(tmp_path / "memory.kk-en.tmx") == {"kk", "en"}
    assert "wrote 2 kk-en units" in result.output


def test_tmx_export_of_a_memory_with_several_pairs_needs_target(two_pairs, tmp_path):
    result = mt("tm", "export", "--tm", two_pairs, "--out", tmp_path / "all.tmx")
    assert result.exit_code == 2 and "2 language pairs (kk-de, kk-en)" in result.output, result.output
    assert not list(tmp_path.glob("all*"))
    to_stdout = mt("tm", "export", "--tm", two_pairs, "--target", "de,en")
    assert to_stdout.exit_code == 2 and "--out FILE.tmx" in to_stdout.output


def test_tmx_import_still_reads_a_file_with_several_targets(two_pairs, tmp_path):
    mixed = tmp_path / "mixed.tmx"
    mixed.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="kk" datatype="plaintext" segtype="sentence" adminlang="en"
 creationtool="x" creationtoolversion="1" o-tmf="x"/><body>
<tu><tuv xml:lang="kk"><seg>Сау болыңыз.</seg></tuv><tuv xml:lang="de"><seg>Auf Wiedersehen.</seg></tuv>
<tuv xml:lang="ru"><seg>До свидания.</seg></tuv></tu></body></tmx>
""", encoding="utf-8")
    fresh = tmp_path / "fresh.sqlite"
    result = mt("tm", "import", mixed, "--tm", fresh)
    assert result.exit_code == 0, result.output
    assert sorted((r[2], r[4]) for r in rows(fresh)) == [("de", "Auf Wiedersehen."), ("ru", "До свидания.")]


# ---------------------------------------------------------------- TBX 2008

def test_tbx_2008_is_valid_tbx_basic_and_reimports_every_column(tmp_path):
    out = tmp_path / "glossary.tbx"
    result = mt("glossary", "export", "--format", "tbx", "--tbx-version", "2008", "--out", out)
    assert result.exit_code == 0, result.output
    doc = etree.parse(str(out))
    schema = etree.RelaxNG(etree.parse(str(TBX_2008_RNG)))
    assert schema.validate(doc), schema.error_log.filter_from_errors()[:3]
    assert doc.getroot().tag == "martif" and doc.getroot().get("type") == "TBX-Basic"
    back = tmp_path / "back.tsv"
    assert mt("glossary", "import", out, "--out", back).exit_code == 0
    original = mt("glossary", "export", "--format", "csv")
    again = mt("glossary", "export", "--format", "csv", "--glossary", back)
    assert original.exit_code == again.exit_code == 0
    assert again.stdout == original.stdout and original.stdout.count("\n") > 50


def test_the_tbx_2008_schema_tells_tbx_v3_and_a_broken_entry_apart(tmp_path):
    """The schema is not a rubber stamp: mt's TBX v3 and a 2008 file with a tig that lost
    its term both fail it."""
    schema = etree.RelaxNG(etree.parse(str(TBX_2008_RNG)))
    v3 = mt("glossary", "export", "--format", "tbx")
    assert not schema.validate(etree.fromstring(v3.stdout.encode("utf-8")))
    doc = etree.fromstring(mt("glossary", "export", "--format", "tbx", "--tbx-version", "2008").stdout.encode())
    term = doc.find(".//tig/term")
    term.getparent().remove(term)
    assert not schema.validate(doc)


def test_tbx_version_goes_with_tbx_only():
    result = mt("glossary", "export", "--format", "csv", "--tbx-version", "2008")
    assert result.exit_code == 2 and "--tbx-version goes with --format tbx" in result.output
