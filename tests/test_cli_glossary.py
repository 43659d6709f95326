"""`mt glossary ...` through the real click entry point (mt.cli.cli)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mt.cli import cli
from mt.glossary import edit, store

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "glossary"
RELEASE_DIR = ROOT / "corpora" / "press-releases" / "aktobe-germany-2025"
RELEASE = RELEASE_DIR / "release.kk.txt"


def run(*args: str):
    return CliRunner().invoke(cli, ["glossary", *map(str, args)])


def test_check_passes_on_the_shipped_glossary(monkeypatch):
    monkeypatch.delenv("MT_GLOSSARY_DIR", raising=False)
    monkeypatch.chdir(ROOT)
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "glossary ok: " in result.stderr


def test_check_lists_each_fault_as_file_line_and_fails():
    path = DATA / "faults.tsv"
    result = run("check", path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 11
    assert [int(line.split(":")[1]) for line in lines] == list(range(3, 14))
    assert all(line.startswith(f"{path}:") for line in lines)


def test_check_reports_missing_column_at_line_1(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("id\tkk\ten\tde\tru\n", encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}:1: missing column(s) type")


def test_fmt_and_fmt_check(tmp_path):
    path = tmp_path / "g.tsv"
    shutil.copy(DATA / "full.tsv", path)
    original = path.read_bytes()
    result = run("fmt", "--check", path)
    assert (result.exit_code, result.stdout) == (1, f"would reformat {path}\n")
    assert path.read_bytes() == original
    assert run("fmt", path).exit_code == 0
    assert path.read_bytes() != original
    assert run("fmt", "--check", path).exit_code == 0


def test_add_then_duplicate_is_a_one_line_error(tmp_path):
    path = tmp_path / "g.tsv"
    args = ["add", "--id", "place.semey", "--type", "place", "--kk", "Семей", "--en", "Semey", "--de", "Semei",
            "--ru", "Семей", "--file", path, "--glossary", ROOT / "glossaries"]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert [e.id for e in store.load_entries(path)] == ["place.semey"]
    again = run(*args)
    assert again.exit_code == 2
    assert again.stderr.count("\n") == 1
    assert again.stderr.startswith(f"mt: error: {path}: duplicate id 'place.semey'")


def test_find_inflected_kazakh_and_nothing_found():
    result = run("find", "Шахаровтың", "--glossary", ROOT / "glossaries")
    assert result.exit_code == 0
    assert result.stdout.split("\t")[0] == "person.shakharov"
    missing = run("find", "Германиялық", "--glossary", ROOT / "glossaries")
    assert (missing.exit_code, missing.stdout) == (1, "")


@pytest.mark.parametrize("fmt", ["tbx", "csv"])
def test_export_then_import_gives_the_same_files(tmp_path, fmt):
    exported = tmp_path / f"g.{fmt}"
    imported = tmp_path / "g.tsv"
    assert run("export", "--format", fmt, "--out", exported, "--glossary", ROOT / "glossaries").exit_code == 0
    result = run("import", exported, "--format", fmt, "--out", imported)
    assert result.exit_code == 0, result.output
    shipped = store.load_glossary([ROOT / "glossaries"])
    assert imported.read_text(encoding="utf-8") == shipped.to_tsv()
    assert store.load_glossary([imported]).version() == shipped.version()


def test_import_refuses_an_unreadable_file(tmp_path):
    path = tmp_path / "g.tbx"
    path.write_text("not xml", encoding="utf-8")
    result = run("import", path, "--out", tmp_path / "out.tsv")
    assert result.exit_code == 2 and "not well-formed XML" in result.stderr
    assert not (tmp_path / "out.tsv").exists()


def test_diff_reports_changes_by_id(tmp_path):
    new = tmp_path / "new.tsv"
    entries = [e for e in store.load_entries(DATA / "full.tsv") if e.id != "org.old"]
    edit.write_tsv(new, entries)
    result = run("diff", DATA / "full.tsv", new)
    assert result.stdout.splitlines() == ["- org.old\t«Ескі» АҚ = Eski JSC / AG „Eski“ / АО «Ески»"]


# ---------------------------------------------------------------- on the founding release

def _segments():
    from mt.formats import read_release
    from mt.normalize import normalize_document
    from mt.segment import segment_document

    return segment_document(normalize_document(read_release(RELEASE)))


def test_match_finds_the_release_entities_with_offsets():
    result = run("match", RELEASE, "--glossary", ROOT / "glossaries")
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    segments = _segments()
    for hit in hits:
        assert set(hit) == {"segment", "id", "surface", "start", "end"}
        assert segments[hit["segment"]].text[hit["start"]:hit["end"]] == hit["surface"]
    found = {hit["id"] for hit in hits}
    entities = {e.id for e in store.load_entries(RELEASE_DIR / "entities.tsv")}
    assert entities - found == {"place.aktobe"}  # the city never occurs alone in this release
    surfaces = {(hit["id"], hit["surface"]) for hit in hits}
    assert {("person.shakharov", "Асхат Шахаровтың"), ("place.germany", "Германиямен"),
            ("place.aktobe-region", "Ақтөбе облысының"), ("place.khromtau", "Хромтауда"),
            ("org.kazchrome", "«Қазхром» ТҰК» АҚ")} <= surfaces
    assert not any(hit["surface"].startswith("Германиялы") for hit in hits)


def test_match_text_format():
    result = run("match", RELEASE, "--glossary", DATA / "minimal.tsv", "--format", "text")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split("\t") == ["0", "19-35", "place.aktobe-region", "Ақтөбе облысында"]


def test_suggest_proposes_names_missing_from_an_empty_glossary(tmp_path):
    empty = tmp_path / "empty.tsv"
    empty.write_text("\t".join(store.REQUIRED) + "\n", encoding="utf-8")
    result = run("suggest", RELEASE, "--glossary", empty)
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows and all(len(row) == len(store.COLUMNS) for row in rows)
    assert all(row[store.COLUMNS.index("status")] == "proposed" for row in rows)
    by_kk = {row[2]: row for row in rows}
    assert by_kk["Асхат Шахаров"][3:6] == ["Askhat Shakharov", "Aschat Schacharow", "Асхат Шахаров"]
    kazchrome = by_kk["«Қазхром» ТҰК» АҚ"]
    assert kazchrome[3].startswith("TNC ") and kazchrome[3].endswith(" JSC")  # legal forms mapped and placed
    assert kazchrome[4].startswith("AG „TNK ") and kazchrome[5] == "АО «ТНК «Казхром»"
    # the rows paste into a glossary file that passes loading
    pasted = tmp_path / "pasted.tsv"
    pasted.write_text("\t".join(store.COLUMNS) + "\n" + result.stdout, encoding="utf-8")
    assert len(store.load_glossary([pasted])) == len(rows)


def test_suggest_with_the_full_glossary_leaves_known_names_out():
    result = run("suggest", RELEASE, "--glossary", ROOT / "glossaries")
    assert result.exit_code == 0, result.output
    assert "Шахаров" not in result.stdout and "Қазхром" not in result.stdout


def _one_line_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert "\n" not in message and message.startswith("mt: error:"), message
    assert all(word in message for word in words), message


@pytest.mark.parametrize("data, words", [
    ("id\ttype\tkk\ten\tde\tru\nx.a\tplace\tÄ\tA\tA\tA\n".encode("cp1252"), "not UTF-8"),
    ("Café\tnaïve\trésumé\n".encode("cp1252"), "not UTF-8"),
    ("id\ttype\tkk\ten\tde\tru\nx.a\tplace\tАқтөбе\tA\tA\tA\n".encode("utf-16-le"), "UTF-16"),
    ("id\ttype\tkk\ten\tde\tru\n".encode("utf-16"), "UTF-16"),
])
def test_check_names_encoding_faults_instead_of_missing_columns(tmp_path, data, words):
    path = tmp_path / "g.tsv"
    path.write_bytes(data)
    result = run("check", path)
    assert result.exit_code == 1
    assert words in result.stdout and "missing column" not in result.stdout
    assert result.stdout.startswith(f"{path}:")


def test_a_folder_without_glossary_files_is_refused(tmp_path):
    _one_line_error(run("check", tmp_path), str(tmp_path), "no .tsv glossary files")
    _one_line_error(run("match", RELEASE, "--glossary", tmp_path), str(tmp_path), "no .tsv glossary files")


def test_match_and_suggest_read_stdin_and_refuse_bad_files_in_one_line(tmp_path):
    text = RELEASE.read_text(encoding="utf-8")
    from_stdin = CliRunner().invoke(cli, ["glossary", "match", "-", "--glossary", DATA / "minimal.tsv"], input=text)
    from_file = run("match", RELEASE, "--glossary", DATA / "minimal.tsv")
    assert from_stdin.exit_code == 0 and from_stdin.stdout == from_file.stdout != ""
    _one_line_error(run("match", tmp_path / "nope.txt"), str(tmp_path / "nope.txt"), "no such file")
    (tmp_path / "empty.txt").write_bytes(b"")
    _one_line_error(run("suggest", tmp_path / "empty.txt"), str(tmp_path / "empty.txt"), "empty")


@pytest.mark.parametrize("command", ["export", "import"])
def test_unwritable_out_leaves_nothing(tmp_path, command):
    blocker = tmp_path / "plain"
    blocker.write_text("x")
    source = tmp_path / "g.csv"
    assert run("export", "--format", "csv", "--glossary", DATA / "minimal.tsv", "--out", source).exit_code == 0
    args = (["export", "--format", "tbx", "--glossary", DATA / "minimal.tsv"] if command == "export"
            else ["import", source])
    _one_line_error(run(*args, "--out", blocker / "g.out"), str(blocker / "g.out"), "nothing was written")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.csv", "plain"]


def test_suggest_gives_cldr_names_and_rows_that_pass_check(tmp_path):
    release = tmp_path / "visit.kk.txt"
    release.write_text("Делегация сапары\n\nМинистр АҚШ, Еуропа және БҰҰ өкілдерімен кездесті. "
                       "Кейін делегация Тайландқа және Бангкокқа барды.\n", encoding="utf-8")
    empty = tmp_path / "empty.tsv"
    empty.write_text("\t".join(store.REQUIRED) + "\n", encoding="utf-8")
    result = run("suggest", release, "--glossary", empty, "--header")
    assert result.exit_code == 0, result.output
    rows = {line.split("\t")[2]: line.split("\t")[3:6] for line in result.stdout.splitlines()[1:]}
    assert rows["АҚШ"] == ["USA", "USA", "США"]
    assert rows["Еуропа"] == ["Europe", "Europa", "Европа"]
    assert rows["БҰҰ"] == ["UN", "UNO", "ООН"]
    assert rows["Тайланд"] == ["Thailand", "Thailand", "Таиланд"]  # not a transliterated "Tayland"
    assert rows["Бангкок"] == ["Bangkok", "Bangkok", "Бангкок"]
    pasted = tmp_path / "proposed.tsv"
    pasted.write_text(result.stdout, encoding="utf-8")
    assert store.check([pasted]) == []
