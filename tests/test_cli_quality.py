"""`mt score` and `mt qa` through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mt.cli import cli

ROOT = Path(__file__).parent.parent
FLORES = ROOT / "corpora" / "flores200" / "devtest"
QA = Path(__file__).parent / "data" / "qa"


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    ref = FLORES.joinpath("eng_Latn.devtest").read_text(encoding="utf-8").split("\n")[:60]
    src = FLORES.joinpath("kaz_Cyrl.devtest").read_text(encoding="utf-8").split("\n")[:60]
    worse = [s if i % 2 else " ".join(s.split()[:4]) for i, s in enumerate(ref)]
    out = {"ref": ref, "src": src, "hyp": worse, "good": ref}
    paths = {}
    for name, lines in out.items():
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    paths["crlf"] = tmp_path / "crlf.txt"
    paths["crlf"].write_bytes(("\r\n".join(worse) + "\r\n").encode("utf-8"))
    paths["short"] = tmp_path / "short.txt"
    paths["short"].write_text("\n".join(worse[:-1]) + "\n", encoding="utf-8")
    return paths


def test_score_json_shape(files):
    result = run("score", "--hyp", files["hyp"], "--ref", files["ref"], "--lang", "kk-en", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["segments"] == 60
    assert set(report["metrics"]) == {"bleu", "chrf", "ter"}
    for metric in report["metrics"].values():
        assert isinstance(metric["score"], float) and "version:" in metric["signature"]
    assert 0 < report["metrics"]["bleu"]["score"] < 100


def test_score_strips_crlf(files):
    plain = run("score", "--hyp", files["hyp"], "--ref", files["ref"], "--lang", "kk-en", "--format", "json")
    crlf = run("score", "--hyp", files["crlf"], "--ref", files["ref"], "--lang", "kk-en", "--format", "json")
    assert json.loads(plain.output) == json.loads(crlf.output)


def test_score_refuses_misaligned_files(files):
    result = run("score", "--hyp", files["short"], "--ref", files["ref"], "--lang", "kk-en")
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert "\n" not in message and message.startswith("mt: error:")
    assert f"{files['short']} has 59 lines" in message and f"{files['ref']} has 60 lines" in message
    assert result.stdout == ""


def test_score_text_table(files):
    result = run("score", "--hyp", files["good"], "--ref", files["ref"], "--lang", "kk-en")
    assert result.exit_code == 0
    rows = {line.split()[0]: line.split()[1] for line in result.output.splitlines()[1:4]}
    assert rows == {"BLEU": "100.00", "chrF++": "100.00", "TER": "0.00"}
    assert "60 segments" in result.output


def test_two_hypotheses_add_paired_bootstrap(files):
    result = run("score", "--hyp", files["good"], "--hyp", files["hyp"], "--ref", files["ref"],
                 "--lang", "kk-en", "--metrics", "bleu,chrf", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    paired = report["paired_bootstrap"]
    assert set(paired) == {"bleu", "chrf"} and paired["bleu"]["p_value"] < 0.05
    assert [s["hyp"] for s in report["systems"]] == [str(files["good"]), str(files["hyp"])]
    assert report["metrics"]["bleu"]["score"] == pytest.approx(100.0)
    assert report["systems"][1]["metrics"]["bleu"]["score"] == pytest.approx(paired["bleu"]["system"])


def test_term_success_rate_with_glossary():
    release = QA / "release.kk"
    result = run("score", "--hyp", QA / "faulty.en", "--ref", QA / "release.en", "--src", release,
                 "--glossary", ROOT / "glossaries", "--lang", "kk-en", "--format", "json")
    assert result.exit_code == 0, result.output
    terms = json.loads(result.output)["metrics"]["term_success_rate"]
    assert 0 < terms["found"] < terms["total"]
    assert {"segment": 11, "id": "person.kinne", "required": "Ulrich Kinne"} in terms["misses"]


def test_glossary_without_source_is_a_usage_error(files):
    result = run("score", "--hyp", files["hyp"], "--ref", files["ref"], "--glossary", ROOT / "glossaries",
                 "--lang", "kk-en")
    assert result.exit_code == 2 and "--src" in result.output


@pytest.mark.parametrize("lang", ["en", "de", "ru"])
def test_qa_exit_codes_and_jsonl(lang):
    faulty = run("qa", "--src", QA / "release.kk", "--hyp", QA / f"faulty.{lang}", "--lang", f"kk-{lang}",
                 "--format", "jsonl")
    assert faulty.exit_code == 1
    records = [json.loads(line) for line in faulty.stdout.splitlines()]
    assert records and all(set(r) == {"segment", "check", "severity", "message"} for r in records)
    assert any(r["severity"] == "error" for r in records)
    clean = run("qa", "--src", QA / "release.kk", "--hyp", QA / f"release.{lang}", "--lang", f"kk-{lang}")
    assert clean.exit_code == 0 and "0 errors" in clean.output


def test_qa_text_names_file_and_line():
    result = run("qa", "--src", QA / "release.kk", "--hyp", QA / "faulty.en", "--lang", "kk-en",
                 "--checks", "empty")
    assert result.exit_code == 1
    assert f"{QA / 'faulty.en'}:18: error: [empty]" in result.output  # segment 17, line 18


def test_qa_bad_input_exits_2(tmp_path):
    short = tmp_path / "short.en"
    short.write_text("One line.\n", encoding="utf-8")
    result = run("qa", "--src", QA / "release.kk", "--hyp", short, "--lang", "kk-en")
    assert result.exit_code == 2 and f"{short} has 1 line " in result.stderr
    result = run("qa", "--src", QA / "release.kk", "--hyp", QA / "release.en", "--lang", "kk-en",
                 "--checks", "nosuch")
    assert result.exit_code == 2 and "nosuch" in result.stderr


def _one_line_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    message = result.stderr.strip()
    assert "\n" not in message and message.startswith("mt: error:"), message
    assert all(word in message for word in words), message
    assert result.stdout == ""


def test_empty_files_are_refused_not_scored(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    _one_line_error(run("score", "--hyp", empty, "--ref", empty, "--lang", "kk-en"), str(empty), "empty")
    _one_line_error(run("qa", "--src", empty, "--hyp", empty, "--lang", "kk-en"), str(empty), "empty")


def test_undecodable_and_folder_inputs_name_the_file(tmp_path, files):
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("ok\nMüller traf die Delegation.\n".encode("latin-1"))
    _one_line_error(run("score", "--hyp", latin1, "--ref", latin1, "--lang", "kk-de"), f"{latin1}:2:", "UTF-8")
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes("Ақтөбе облысы\n".encode("utf-16-le"))
    _one_line_error(run("qa", "--src", utf16, "--hyp", files["hyp"], "--lang", "kk-en"), str(utf16), "UTF-16")
    _one_line_error(run("score", "--hyp", tmp_path, "--ref", files["ref"], "--lang", "kk-en"), str(tmp_path), "folder")


@pytest.mark.parametrize("args, words", [
    (("--lang", "kk-kk"), ("same language",)),
    (("--lang", "en"), ("unknown language pair 'en'",)),
    (("--lang", "kk-en", "--metrics", ","), ("no metric given",)),
])
def test_score_refuses_bad_options_in_one_line(files, args, words):
    _one_line_error(run("score", "--hyp", files["hyp"], "--ref", files["ref"], *args), *words)


def test_qa_refuses_an_empty_check_list(files):
    _one_line_error(run("qa", "--src", files["src"], "--hyp", files["hyp"], "--lang", "kk-en", "--checks", ","),
                    "no QA check given")
