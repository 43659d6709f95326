"""Glossary files: loading, check, fmt, add, find, version, TBX and CSV round trips."""

from __future__ import annotations

import dataclasses
import difflib
import shutil
import unicodedata
from pathlib import Path

import pytest

from mt.errors import GlossaryError
from mt.formats.csv import read_csv, to_csv
from mt.formats.tbx import read_tbx, to_tbx
from mt.glossary import edit, store
from mt.types import GlossaryEntry

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "glossary"
SHIPPED = ROOT / "glossaries"
ENTITIES = ROOT / "corpora" / "press-releases" / "aktobe-germany-2025" / "entities.tsv"


def content(entries) -> list[GlossaryEntry]:
    return sorted((store.without_origin(e) for e in entries), key=store.sort_key)


# ---------------------------------------------------------------- loading

def test_any_tsv_with_the_required_columns_loads():
    glossary = store.load_glossary([DATA / "minimal.tsv"])
    entry = glossary.by_id["place.aktobe-region"]
    assert (entry.kk, entry.en, entry.de, entry.ru) == ("Ақтөбе облысы", "Aktobe Region", "Gebiet Aktobe",
                                                         "Актюбинская область")
    assert entry.status == "approved"
    assert entry.extra == (("source", "entities.tsv"),)
    assert (entry.file, entry.line) == (str(DATA / "minimal.tsv"), 2)
    assert len(glossary) == 3


def test_missing_required_column_is_a_one_line_error_at_line_1(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("id\ttype\tkk\ten\tde\nx\tplace\tА\tA\tA\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        store.load_glossary([path])
    message = str(info.value)
    assert message.startswith(f"{path}:1: missing column(s) ru")
    assert "\n" not in message


def test_folder_loads_every_tsv_and_duplicate_ids_across_files_fail(tmp_path):
    header = "id\ttype\tkk\ten\tde\tru\n"
    (tmp_path / "a.tsv").write_text(header + "x.one\tplace\tБір\tOne\tEins\tОдин\n", encoding="utf-8")
    (tmp_path / "b.tsv").write_text(header + "x.two\tplace\tЕкі\tTwo\tZwei\tДва\n", encoding="utf-8")
    assert [e.id for e in store.load_glossary([tmp_path])] == ["x.one", "x.two"]
    (tmp_path / "c.tsv").write_text(header + "x.one\tplace\tҮш\tThree\tDrei\tТри\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"c\.tsv:2: duplicate id 'x.one'"):
        store.load_glossary([tmp_path])


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(GlossaryError, match="no such glossary"):
        store.load_glossary([tmp_path / "nope.tsv"])


def test_default_folder_follows_environment(tmp_path, monkeypatch):
    (tmp_path / "g.tsv").write_text("id\ttype\tkk\ten\tde\tru\nx.a\tterm\tА\tA\tA\tА\n", encoding="utf-8")
    monkeypatch.setenv("MT_GLOSSARY_DIR", str(tmp_path))
    assert [e.id for e in store.load_glossary()] == ["x.a"]
    monkeypatch.delenv("MT_GLOSSARY_DIR")
    monkeypatch.chdir(tmp_path)  # no ./glossaries here: the folder beside the package
    assert store.default_glossary_dir() == SHIPPED


# ---------------------------------------------------------------- check

FAULTS = {(3, "duplicate-id"), (4, "duplicate-kk"), (5, "missing-target"), (6, "lookalike"), (7, "whitespace"),
          (8, "unknown-type"), (9, "unknown-status"), (10, "not-nfc"), (11, "column-count"),
          (12, "missing-field"), (13, "bad-id")}


def test_check_reports_each_planted_fault_with_file_and_line():
    path = DATA / "faults.tsv"
    problems = store.check([path])
    assert {(p.line, p.kind) for p in problems} == FAULTS
    for problem in problems:
        assert str(problem).startswith(f"{path}:{problem.line}: ")


def test_check_reports_header_and_encoding_faults(tmp_path):
    (tmp_path / "nohead.tsv").write_text("id\ttype\tkk\n", encoding="utf-8")
    (tmp_path / "twice.tsv").write_text("id\ttype\tkk\ten\tde\tru\tru\n", encoding="utf-8")
    (tmp_path / "latin1.tsv").write_bytes("id\ttype\tkk\ten\tde\tru\nx.a\tplace\tÄ\tA\tA\tA\n".encode("latin-1"))
    found = {(Path(p.file).name, p.line, p.kind) for p in store.check([tmp_path])}
    assert found == {("nohead.tsv", 1, "missing-column"), ("twice.tsv", 1, "duplicate-column"),
                     ("latin1.tsv", 2, "encoding")}


def test_load_stops_at_the_first_structural_fault():
    with pytest.raises(GlossaryError) as info:
        store.load_glossary([DATA / "faults.tsv"])
    assert (info.value.line, info.value.message.split(" '")[0]) == (9, "unknown status")


def test_shipped_glossary_passes_check():
    assert [str(p) for p in store.check([SHIPPED])] == []


def test_shipped_glossary_holds_every_entity_of_the_founding_release():
    glossary = store.load_glossary([SHIPPED])
    entities = store.load_entries(ENTITIES)
    assert len(entities) == 23
    for entity in entities:
        entry = glossary.by_id[entity.id]
        assert (entry.kk, entry.en, entry.de, entry.ru, entry.note) == (
            entity.kk, entity.en, entity.de, entity.ru, entity.note), entity.id
        assert entry.status == "approved"


def test_shipped_glossary_has_all_regions_and_republican_cities():
    glossary = store.load_glossary([SHIPPED])
    regions = [e for e in glossary if e.type == "place" and e.id.endswith("-region")]
    assert len(regions) == 17
    assert all(e.kk.endswith(" облысы") and e.en.endswith(" Region") and e.de.startswith("Gebiet ")
               for e in regions)
    assert {"place.astana", "place.almaty", "place.shymkent"} <= glossary.by_id.keys()
    assert glossary.by_id["place.aktobe-region"].ru == "Актюбинская область"
    assert {e.type for e in glossary} == set(store.TYPES)


# ---------------------------------------------------------------- fmt

def test_fmt_canonicalises_and_is_idempotent(tmp_path):
    path = tmp_path / "g.tsv"
    nfd = unicodedata.normalize("NFD", "Костанай")
    path.write_text("ru\tkk\tid\ten\tde\ttype\n"
                    f"{nfd}\tҚостанай \tplace.kostanay\tKostanay\tKostanai\tplace\r\n"
                    "Актобе\tАқтөбе\tplace.aktobe\tAktobe\tAktobe\tplace\n", encoding="utf-8")
    assert edit.fmt([path]) == [path]
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].split("\t") == list(store.COLUMNS)
    assert [line.split("\t")[0] for line in lines[1:]] == ["place.aktobe", "place.kostanay"]
    assert lines[2].split("\t")[2] == "Қостанай" and lines[2].split("\t")[5] == "Костанай"
    assert "\r" not in text and store.check([path]) == []
    assert edit.fmt([path]) == []
    assert path.read_text(encoding="utf-8") == text


def test_fmt_keeps_extra_columns_even_when_empty(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("id\ttype\tkk\ten\tde\tru\treviewer\nx.a\tterm\tА\tA\tA\tА\t\n", encoding="utf-8")
    edit.fmt([path])
    assert path.read_text(encoding="utf-8").splitlines()[0].endswith("\tnote\treviewer")


def _diff(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_one_change_is_one_diff_line(tmp_path):
    path = tmp_path / "full.tsv"
    shutil.copy(DATA / "full.tsv", path)
    edit.fmt([path])
    before = path.read_text(encoding="utf-8")
    entry = store.load_glossary([path]).by_id["place.astana"]
    changed = [dataclasses.replace(e, note="capital since 1997") if e.id == entry.id else e
               for e in store.load_entries(path)]
    edit.write_tsv(path, reversed(changed))  # order of the input does not matter
    removed_added = _diff(before, path.read_text(encoding="utf-8"))
    assert len(removed_added) == 2
    assert removed_added[0].startswith("-place.astana") and removed_added[1].startswith("+place.astana")


def test_fmt_check_changes_nothing_and_broken_files_are_refused(tmp_path):
    path = tmp_path / "full.tsv"
    shutil.copy(DATA / "full.tsv", path)
    original = path.read_bytes()
    assert edit.fmt([path], write=False) == [path]
    assert path.read_bytes() == original
    broken = tmp_path / "faults.tsv"
    shutil.copy(DATA / "faults.tsv", broken)
    with pytest.raises(GlossaryError):
        edit.fmt([tmp_path])
    assert path.read_bytes() == original  # nothing written when one file is broken


def test_shipped_glossary_is_canonical():
    assert edit.fmt([SHIPPED], write=False) == []


# ---------------------------------------------------------------- add

def _entry(**kw) -> GlossaryEntry:
    base = dict(id="place.semey", type="place", kk="Семей", en="Semey", de="Semei", ru="Семей")
    return GlossaryEntry(**(base | kw))


def test_add_inserts_in_canonical_order_as_one_line(tmp_path):
    path = tmp_path / "full.tsv"
    shutil.copy(DATA / "full.tsv", path)
    edit.fmt([path])
    before = path.read_text(encoding="utf-8")
    edit.add_entry(_entry(note=" city  in Abai Region "), path)
    after = path.read_text(encoding="utf-8")
    assert _diff(before, after) == ["+place.semey\tplace\tСемей\tSemey\tSemei\tСемей\t\t\t\t\t\t\tapproved"
                                    "\tcity in Abai Region\t\t"]
    ids = [line.split("\t")[0] for line in after.splitlines()[1:]]
    assert ids == sorted(ids, key=str.casefold)


def test_add_refuses_duplicates_and_invalid_rows(tmp_path):
    path = tmp_path / "new.tsv"
    edit.add_entry(_entry(), path)
    with pytest.raises(GlossaryError, match="duplicate id 'place.semey'"):
        edit.add_entry(_entry(kk="Семей қаласы"), path)
    shipped = store.load_glossary([SHIPPED])
    with pytest.raises(GlossaryError, match="duplicate id"):
        edit.add_entry(_entry(id="place.astana", kk="Жаңа"), path, glossary=shipped)
    with pytest.raises(GlossaryError, match="Kazakh form 'Ақтөбе' is also in place.aktobe"):
        edit.add_entry(_entry(id="place.aktobe2", kk="Ақтөбе"), path, glossary=shipped)
    with pytest.raises(GlossaryError, match="approved row without de"):
        edit.add_entry(_entry(id="place.x", kk="Х", de=""), path)
    with pytest.raises(GlossaryError, match="unknown type"):
        edit.add_entry(_entry(id="place.y", kk="У", type="city"), path)
    assert [e.id for e in store.load_entries(path)] == ["place.semey"]
    edit.add_entry(_entry(id="place.x", kk="Х", de="", status="proposed"), path)
    assert [e.id for e in store.load_entries(path)] == ["place.semey", "place.x"]


# ---------------------------------------------------------------- find, version, diff

@pytest.fixture(scope="module")
def shipped() -> store.Glossary:
    return store.load_glossary([SHIPPED])


@pytest.mark.parametrize("query, expected", [
    ("Шахаровтың", "person.shakharov"),      # inflected Kazakh
    ("Ақтөбе облысының", "place.aktobe-region"),
    ("ЕҚДБ-ның", "org.ebrd"),
    ("schacharow", "person.shakharov"),      # German, any case
    ("Актюбинская", "place.aktobe-region"),  # Russian substring
    ("EBWE", "org.ebrd"),
    ("Jambyl", "place.zhambyl-region"),      # a variant
    ("Хромтауда", "place.khromtau"),
])
def test_find_by_any_language_and_inflected_kazakh(shipped, query, expected):
    assert expected in [e.id for e in shipped.find(query)]


def test_find_does_not_take_derivations_for_the_noun(shipped):
    assert "place.germany" not in [e.id for e in shipped.find("Германиялық")]
    assert shipped.find("   ") == []


def test_version_is_a_content_hash(shipped, tmp_path):
    reordered = store.Glossary(tuple(reversed([dataclasses.replace(e, file="x", line=1) for e in shipped])))
    assert reordered.version() == shipped.version()
    changed = store.Glossary(tuple(dataclasses.replace(e, de="Aqtöbe") if e.id == "place.aktobe" else e
                                   for e in shipped))
    assert changed.version() != shipped.version()


def test_diff_by_id():
    old = store.Glossary((_entry(), _entry(id="place.a", kk="А")))
    new = store.Glossary((_entry(de="Semej"), _entry(id="place.b", kk="Б")))
    assert store.diff(old, new) == [("-", "place.a", "А = Semey / Semei / Семей"),
                                    ("+", "place.b", "Б = Semey / Semei / Семей"),
                                    ("~", "place.semey", "de: 'Semei' -> 'Semej'")]


# ---------------------------------------------------------------- TBX and CSV

def test_tbx_export_then_import_reproduces_the_glossary(shipped, tmp_path):
    entries = [*shipped, *store.load_entries(DATA / "full.tsv")]
    path = tmp_path / "g.tbx"
    path.write_bytes(to_tbx(entries))
    back = read_tbx(path)
    assert content(back) == content(entries)
    assert store.format_tsv(back) == store.format_tsv(entries)


def test_tbx_is_tbx_basic_v3_in_the_iso_namespace(shipped):
    from lxml import etree

    root = etree.fromstring(to_tbx(shipped))
    # ISO 30042:2019 and the TBX-Basic RelaxNG schema use ed-2; "ed-2.0" is rejected by strict readers.
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    assert (root.tag, root.get("type"), root.get("style")) == ("{urn:iso:std:iso:30042:ed-2}tbx", "TBX-Basic", "dca")
    assert "ed-2.0" not in to_tbx(shipped).decode("utf-8")
    concept = root.find(".//t:conceptEntry[@id='place.aktobe-region']", ns)
    assert concept.findtext("t:descrip[@type='subjectField']", namespaces=ns) == "place"
    ru = concept.find("t:langSec[@{http://www.w3.org/XML/1998/namespace}lang='ru']", ns)
    assert ru.findtext("t:termSec/t:term", namespaces=ns) == "Актюбинская область"
    assert ru.findtext("t:termSec/t:termNote[@type='administrativeStatus']", namespaces=ns) == "preferredTerm-admn-sts"
    assert len(root.findall(".//t:conceptEntry", ns)) == len(shipped)


def test_tbx_in_the_old_namespace_still_imports(shipped, tmp_path):
    path = tmp_path / "old-ns.tbx"
    path.write_bytes(to_tbx(shipped).replace(b"urn:iso:std:iso:30042:ed-2", b"urn:iso:std:iso:30042:ed-2.0"))
    assert b"ed-2.0" in path.read_bytes()
    assert content(read_tbx(path)) == content(shipped)


def test_tbx_without_kazakh_terms_is_one_error(tmp_path):
    path = tmp_path / "en-de.tbx"
    concepts = "".join(f'<conceptEntry id="c{i}"><langSec xml:lang="en"><termSec><term>t{i}</term></termSec></langSec>'
                       f'<langSec xml:lang="de"><termSec><term>d{i}</term></termSec></langSec></conceptEntry>'
                       for i in range(3))
    path.write_text(f'<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca"><text><body>{concepts}'
                    "</body></text></tbx>", encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        read_tbx(path)
    assert "no Kazakh terms" in str(info.value) and "de, en" in str(info.value)
    assert info.value.file == str(path) and info.value.line == 1


def test_tbx_with_entity_declarations_is_refused(tmp_path):
    path = tmp_path / "bomb.tbx"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE tbx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                    '<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry id="a"><langSec xml:lang="kk">'
                    "<termSec><term>&x;</term></termSec></langSec></conceptEntry></body></text></tbx>", encoding="utf-8")
    with pytest.raises(GlossaryError, match="declares XML entities") as info:
        read_tbx(path)
    assert (info.value.file, info.value.line) == (str(path), 2)


def test_tbx_v2_martif_import(tmp_path):
    path = tmp_path / "old.tbx"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en"><text><body>
 <termEntry id="x.untyped"><langSet xml:lang="kk"><tig><term>сөз</term></tig></langSet></termEntry>
 <termEntry id="org.ebrd"><descrip type="subjectField">org</descrip><note>bank</note>
  <langSet xml:lang="kk-KZ"><tig><term>ЕҚДБ</term></tig></langSet>
  <langSet xml:lang="en"><tig><term>EBRD</term></tig><tig><term>European Bank</term></tig></langSet>
  <langSet xml:lang="de"><tig><term>EBWE</term></tig></langSet>
  <langSet xml:lang="ru"><tig><term>ЕБРР</term></tig></langSet>
 </termEntry></body></text></martif>""", encoding="utf-8")
    untyped, entry = read_tbx(path)
    assert (untyped.type, untyped.kk, untyped.en, untyped.status) == ("term", "сөз", "", "approved")
    assert (entry.id, entry.type, entry.kk, entry.en, entry.en_variants, entry.de, entry.ru, entry.note,
            entry.status) == ("org.ebrd", "org", "ЕҚДБ", "EBRD", ("European Bank",), "EBWE", "ЕБРР", "bank", "approved")


def test_tbx_errors_name_the_file(tmp_path):
    path = tmp_path / "bad.tbx"
    path.write_text("<tbx><text><body><conceptEntry>", encoding="utf-8")
    with pytest.raises(GlossaryError, match="not well-formed XML") as info:
        read_tbx(path)
    assert info.value.file == str(path)


def test_csv_round_trip(shipped, tmp_path):
    entries = [*shipped, *store.load_entries(DATA / "full.tsv")]
    path = tmp_path / "g.csv"
    path.write_text(to_csv(entries), encoding="utf-8")
    assert content(read_csv(path)) == content(entries)
    assert 'replaced by org.new; ""quoted"" & <escaped>' in path.read_text(encoding="utf-8")


def test_csv_missing_column_names_line_1(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("id,type,kk,en,de\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="missing column"):
        read_csv(path)
