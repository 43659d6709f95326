"""`mt translate` as a user runs it: memory reuse without the model, concurrent runs,
no overwriting, one-line errors, stdout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import E2E
from test_e2e_translate import EXPECTED

from mt.cli import cli


def invoke(*args: str):
    return CliRunner().invoke(cli, ["translate", *args])


@pytest.fixture
def release(tmp_path) -> Path:
    path = tmp_path / "release.kk.txt"
    shutil.copy(E2E / "release.kk.txt", path)
    return path


def test_second_run_uses_memory_and_does_not_load_the_model(trained_nllb, release, tmp_path, monkeypatch):
    tm = str(tmp_path / "tm.sqlite")
    first = invoke(str(release), "--model", str(trained_nllb), "--tm", tm, "--out", str(tmp_path / "a"))
    assert first.exit_code == 0, first.output

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded although every sentence is in the memory")

    monkeypatch.setattr("mt.engines.load_engine", no_model)
    second = invoke(str(release), "--model", str(trained_nllb), "--tm", tm, "--out", str(tmp_path / "b"))
    assert second.exit_code == 0, second.output
    for lang in ("de", "en", "ru"):
        assert (tmp_path / "b" / f"release.{lang}.txt").read_text(encoding="utf-8") == EXPECTED[lang]
    rows = [json.loads(line) for line in (tmp_path / "b" / "release.align.jsonl").read_text().splitlines()]
    assert {row["targets"]["en"]["origin"] for row in rows} == {"tm"}


def test_changed_options_miss_the_memory(trained_nllb, release, tmp_path, monkeypatch):
    tm = str(tmp_path / "tm.sqlite")
    assert invoke(str(release), "--model", str(trained_nllb), "--tm", tm, "--out", str(tmp_path / "a")).exit_code == 0
    loaded = []
    import mt.engines

    real = mt.engines.load_engine
    monkeypatch.setattr("mt.engines.load_engine", lambda *a, **k: loaded.append(1) or real(*a, **k))
    result = invoke(str(release), "--model", str(trained_nllb), "--tm", tm, "--beam", "1",
                    "--out", str(tmp_path / "b"))
    assert result.exit_code == 0, result.output
    assert loaded == [1]


def test_two_concurrent_runs_share_one_memory(trained_nllb, release, tmp_path):
    tm = tmp_path / "tm.sqlite"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}
    procs = [subprocess.Popen([sys.executable, "-c", "from mt.cli import main; main()", "translate", str(release),
                               "--model", str(trained_nllb), "--tm", str(tm), "--threads", "1",
                               "--out", str(tmp_path / f"out{i}")],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    for i in range(2):
        assert (tmp_path / f"out{i}" / "release.en.txt").read_text(encoding="utf-8") == EXPECTED["en"]
    from mt.tm import TranslationMemory

    assert TranslationMemory(tm).stats()["units"] == 3 * 5
    assert TranslationMemory(tm)._db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_existing_output_is_kept_without_force(trained_nllb, release, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "release.de.txt").write_text("edited by a translator\n", encoding="utf-8")
    result = invoke(str(release), "--model", str(trained_nllb), "--no-tm", "--out", str(out))
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "--force" in result.output
    assert (out / "release.de.txt").read_text(encoding="utf-8") == "edited by a translator\n"
    assert sorted(p.name for p in out.iterdir()) == ["release.de.txt"]
    result = invoke(str(release), "--model", str(trained_nllb), "--no-tm", "--out", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert (out / "release.de.txt").read_text(encoding="utf-8") == EXPECTED["de"]


@pytest.mark.parametrize("args, needle", [
    (["--to", "de,xx"], "unknown target language 'xx'"),
    (["--model", "/nonexistent"], "/nonexistent"),
])
def test_bad_arguments_give_one_line(args, needle, release, tmp_path, trained_nllb):
    base = ["--model", str(trained_nllb), "--no-tm", "--out", str(tmp_path / "out")]
    result = invoke(str(release), *base, *args)
    assert result.exit_code == 2
    assert result.output.startswith("mt: error:") and result.output.count("\n") == 1, result.output
    assert needle in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_unreadable_input_names_the_file(tmp_path, trained_nllb):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00\xd8broken")
    result = invoke(str(bad), "--model", str(trained_nllb), "--no-tm")
    assert result.exit_code == 2 and str(bad) in result.output and result.output.count("\n") == 1


def test_stdin_to_stdout_one_language(trained_nllb):
    text = (E2E / "release.kk.txt").read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["translate", "-", "--to", "en", "--model", str(trained_nllb), "--no-tm",
                                      "--no-glossary"], input=text)
    assert result.exit_code == 0, result.output
    assert result.stdout == EXPECTED["en"]


def test_several_languages_on_stdout_need_jsonl(trained_nllb):
    result = CliRunner().invoke(cli, ["translate", "-", "--model", str(trained_nllb), "--no-tm"], input="Сәлем.\n")
    assert result.exit_code == 2 and "--format jsonl" in result.output


def test_similar_earlier_translation_is_suggested_in_the_report(trained_nllb, release, tmp_path):
    from mt.tm import TranslationMemory

    tm = tmp_path / "tm.sqlite"
    earlier = "Бүгін қалада жаңа мектеп ашылды!"  # one character away from a release sentence
    TranslationMemory(tm).put_many([earlier], ["A new school opened in town today!"], "kk", "en", "other-model")
    result = invoke(str(release), "--to", "en", "--model", str(trained_nllb), "--tm", str(tm),
                    "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "release.qa.json").read_text(encoding="utf-8"))
    fuzzy = [f for f in report["findings"] if f["check"] == "tm-fuzzy"]
    assert [f["segment"] for f in fuzzy] == [1]
    assert "A new school opened in town today!" in fuzzy[0]["message"]


def test_an_edit_saved_while_translating_is_in_the_drafts(tiny_nllb, release, tmp_path, monkeypatch):
    """A translator saves a sentence (in `mt review`, or `mt tm import`) while `mt translate
    --force` is running: the drafts it writes carry that edit, not the run's older text,
    and its QA is the edit's."""
    from mt.tm import MemoryUnit, TranslationMemory

    tm = tmp_path / "tm.sqlite"
    first = invoke(str(release), "--to", "en", "--model", str(tiny_nllb), "--tm", str(tm), "--no-glossary")
    assert first.exit_code == 0, first.output
    rows = [json.loads(line) for line in (release.parent / "release.align.jsonl").read_text().splitlines()]
    source = rows[1]["source"]
    edit = "A new school opened in the city today."
    import mt.engines

    real = mt.engines.load_engine

    def load_then_save(*args, **kwargs):  # the model loads: meanwhile the translator saves
        memory = TranslationMemory(tm)
        memory.import_units([MemoryUnit("kk", "en", source, edit, creator="anna")])
        memory.close()
        return real(*args, **kwargs)

    monkeypatch.setattr("mt.engines.load_engine", load_then_save)
    again = invoke(str(release), "--to", "en", "--model", str(tiny_nllb), "--tm", str(tm), "--no-glossary",
                   "--beam", "1", "--force")  # other options: the engine translates every sentence
    assert again.exit_code == 0, again.output
    rows = [json.loads(line) for line in (release.parent / "release.align.jsonl").read_text().splitlines()]
    assert rows[1]["targets"]["en"] == {"text": edit, "origin": "human", "terms": []}
    assert edit in (release.parent / "release.en.txt").read_text(encoding="utf-8")
    report = json.loads((release.parent / "release.qa.json").read_text(encoding="utf-8"))
    assert not any(f["segment"] == 1 and f["check"] in ("untranslated", "script", "language")
                   for f in report["findings"])
