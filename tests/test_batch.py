"""Batches (mt/batch.py): `mt translate DIR`, many files, --jobs, resuming after kill -9,
a bad release reported while the rest go on, the summary table."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import E2E
from test_e2e_translate import EXPECTED

from mt.cli import cli

FAST = ("--beam", "1", "--max-length", "40", "--threads", "1")
LANGS = ("de", "en", "ru")


def long_release(n: int) -> str:
    """A title and `n` distinct sentences in paragraphs of four (more than one chunk of 16)."""
    words = ["мектеп", "аурухана", "саябақ", "кітапхана", "стадион", "көпір", "жол", "зауыт", "театр", "мұражай"]
    sentences = [f"Облыста {words[i % 10]} {'жаңа' if i < 10 else 'үлкен'} салынды." for i in range(n)]
    paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, n, 4)]
    return "Облыс жаңалықтары\n\n" + "\n\n".join(paragraphs) + "\n"


def make_archive(folder: Path, long_sentences: int = 20) -> Path:
    """a: the e2e release (the model knows it), b: a long release, c: a short one,
    plus files a scan must skip (an earlier output, a hidden file)."""
    (folder / "sub").mkdir(parents=True)
    shutil.copy(E2E / "release.kk.txt", folder / "a.kk.txt")
    (folder / "sub" / "b.kk.txt").write_text(long_release(long_sentences), encoding="utf-8")
    (folder / "c.kk.md").write_text("# Ауа райы\n\nЕртең күн жылы болады.\n", encoding="utf-8")
    (folder / "old.en.txt").write_text("an earlier output, not a release\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("not a release\n", encoding="utf-8")
    return folder


def invoke(*args: str):
    return CliRunner().invoke(cli, ["translate", *args])


def drafts(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8")
            for p in sorted(out.rglob("*")) if p.is_file() and p.suffix in (".txt", ".md")
            and p.name.split(".")[-2] in LANGS}


def all_files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def origins(align: Path) -> list[str]:
    return [row["targets"]["en"]["origin"] for row in map(json.loads, align.read_text(encoding="utf-8").splitlines())]


def test_folder_batch_writes_every_release_and_a_summary(trained_nllb, tmp_path):
    archive = make_archive(tmp_path / "archive")
    out = tmp_path / "out"
    result = invoke(str(archive), "--model", str(trained_nllb), "--no-tm", "--no-glossary", "--out", str(out), *FAST)
    assert result.exit_code == 0, result.output
    assert (out / "a.en.txt").read_text(encoding="utf-8") == EXPECTED["en"]
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert names == sorted([f"{stem}.{tail}" for stem, ext in (("a", "txt"), ("sub/b", "txt"), ("c", "md"))
                            for tail in (f"de.{ext}", f"en.{ext}", f"ru.{ext}", "align.jsonl", "qa.json", "qa.md")])
    lines = result.output.splitlines()
    assert lines[0].split() == ["file", "status", "sentences", "QA", "errors", "seconds"]
    rows = {line.split()[0]: line.split() for line in lines[1:4]}
    assert rows[str(archive / "a.kk.txt")][1:3] == ["done", "5"]
    assert rows[str(archive / "sub" / "b.kk.txt")][1:3] == ["done", "21"]
    assert rows[str(archive / "c.kk.md")][1:3] == ["done", "2"]
    assert lines[-1].startswith("3 translated, 0 skipped (outputs exist), 0 failed")

    again = invoke(str(archive), "--model", str(trained_nllb), "--no-tm", "--no-glossary", "--out", str(out), *FAST)
    assert again.exit_code == 0 and again.output.splitlines()[-1].startswith("0 translated, 3 skipped"), again.output


def test_a_bad_release_is_reported_and_the_rest_go_on(trained_nllb, tmp_path):
    archive = make_archive(tmp_path / "archive")
    (archive / "broken.kk.txt").write_bytes(b"\xff\xfe\x00\xd8broken")
    out = tmp_path / "out"
    result = invoke(str(archive), "--model", str(trained_nllb), "--no-tm", "--no-glossary", "--out", str(out), *FAST)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    failed = [line for line in result.output.splitlines() if line.startswith(f"{archive / 'broken.kk.txt'}:")]
    assert len(failed) == 1, result.output
    assert result.output.splitlines()[-1].startswith("3 translated, 0 skipped (outputs exist), 1 failed")
    assert (out / "c.ru.md").is_file() and not list(out.glob("broken*"))


def test_discovery_refuses_two_inputs_with_the_same_outputs(tmp_path):
    (tmp_path / "x.kk.txt").write_text("Сәлем.\n", encoding="utf-8")
    (tmp_path / "x.txt").write_text("Сәлем.\n", encoding="utf-8")
    result = invoke(str(tmp_path), "--model", "/nonexistent", "--no-tm")
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "same outputs" in result.output


def test_jobs_processes_give_the_same_files_as_one_process(trained_nllb, tmp_path):
    archive = make_archive(tmp_path / "archive")
    base = [str(archive), "--model", str(trained_nllb), "--no-glossary", *FAST]
    one = invoke(*base, "--tm", str(tmp_path / "tm1.sqlite"), "--out", str(tmp_path / "one"))
    two = invoke(*base, "--tm", str(tmp_path / "tm2.sqlite"), "--out", str(tmp_path / "two"), "--jobs", "2")
    assert one.exit_code == 0 and two.exit_code == 0, (one.output, two.output)
    assert all_files(tmp_path / "one") == all_files(tmp_path / "two")


def run_cli(args: list[str], env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "mt", "translate", *args], env=env, capture_output=True,
                          text=True, timeout=300)


def test_kill_9_mid_batch_then_the_same_command_resumes(trained_nllb, tmp_path):
    archive = make_archive(tmp_path / "archive")
    out, tm = tmp_path / "out", tmp_path / "tm.sqlite"
    args = [str(archive), "--model", str(trained_nllb), "--tm", str(tm), "--no-glossary", "--out", str(out), *FAST]
    # Releases go in path order: a, c, sub/b. Memory writes: one per chunk and language,
    # so a and c make 3 each and b's first chunk of 16 sentences 3 more: the 9th write
    # kills the run with a and c written and b half done (its second chunk not translated).
    killed = run_cli(args, {"MT_TEST_CRASH_AT": "batch-tm-written:9"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == sorted(
        f"{stem}.{tail}" for stem, ext in (("a", "txt"), ("c", "md"))
        for tail in (f"de.{ext}", f"en.{ext}", f"ru.{ext}", "align.jsonl", "qa.json", "qa.md"))
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.glob("*.*")}

    resumed = invoke(*args)  # the same command (in this process: one model load less)
    assert resumed.exit_code == 0, resumed.output
    rows = {line.split()[0]: line.split()[1] for line in resumed.output.splitlines()[1:4]}
    assert rows == {str(archive / "a.kk.txt"): "skipped", str(archive / "sub" / "b.kk.txt"): "done",
                    str(archive / "c.kk.md"): "skipped"}
    # a and c were not translated again (their files are the very same ones); b's first
    # chunk came from the memory and only its last 5 segments went to the model.
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.glob("*.*")} == before
    assert origins(out / "sub" / "b.align.jsonl") == ["tm"] * 16 + ["engine"] * 5
    assert not [p for p in out.rglob("*") if p.name.endswith((".tmp", ".bak"))]

    # Every output is whole: the same drafts as a run that was never interrupted.
    fresh = tmp_path / "fresh"
    clean = invoke(str(archive), "--model", str(trained_nllb), "--no-tm", "--no-glossary", "--out", str(fresh), *FAST)
    assert clean.exit_code == 0, clean.output
    assert drafts(out) == drafts(fresh) and len(drafts(out)) == 9


def test_ray_without_ray_installed_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    archive = make_archive(tmp_path / "archive")
    result = invoke(str(archive), "--ray", "--model", "/nonexistent", "--no-tm", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("mt: error:"), result.output
    assert "pip install 'mt[ray]'" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("address", ["archive", "nonsense:port"])
def test_a_ray_address_that_is_not_one_is_refused(address, tmp_path):
    pytest.importorskip("ray")
    result = invoke(str(tmp_path), f"--ray={address}", "--model", "/nonexistent", "--no-tm")
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "not a Ray address" in result.output


def test_ctrl_c_stops_cleanly_and_the_same_command_resumes(trained_nllb, tmp_path, monkeypatch):
    archive = make_archive(tmp_path / "archive")
    out, tm = tmp_path / "out", tmp_path / "tm.sqlite"
    args = [str(archive), "--model", str(trained_nllb), "--tm", str(tm), "--no-glossary", "--out", str(out), *FAST]
    # A Ctrl-C (SIGINT to this process) right after b's first chunk is in the memory.
    import mt.crashpoints

    monkeypatch.setattr(mt.crashpoints, "_seen", {})
    monkeypatch.setenv("MT_TEST_CRASH_AT", "batch-tm-written:9:INT")
    stopped = invoke(*args)
    assert stopped.exit_code == 130, stopped.output
    assert "interrupted: 1 not done (run the same command again to resume)" in stopped.output
    assert not list(out.glob("sub/*")) and len(list(out.glob("*.*"))) == 12
    monkeypatch.delenv("MT_TEST_CRASH_AT")
    resumed = invoke(*args)
    assert resumed.exit_code == 0, resumed.output
    assert resumed.output.splitlines()[-1].startswith("1 translated, 2 skipped")
    assert origins(out / "sub" / "b.align.jsonl") == ["tm"] * 16 + ["engine"] * 5


def test_kill_9_while_a_release_is_written_then_the_batch_resumes(trained_nllb, tmp_path):
    archive = make_archive(tmp_path / "archive")
    out = tmp_path / "out"
    args = [str(archive), "--model", str(trained_nllb), "--no-tm", "--no-glossary", "--out", str(out), *FAST]
    killed = run_cli(args, {"MT_TEST_CRASH_AT": "write-moved:8"})  # a's 6 files, then 2 of c's
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert len([p for p in out.glob("c.*")]) == 2  # half of c is in place, with its journal
    resumed = invoke(*args)
    assert resumed.exit_code == 0, resumed.output
    rows = {line.split()[0]: line.split()[1] for line in resumed.output.splitlines()[1:4]}
    assert rows[str(archive / "a.kk.txt")] == "skipped" and rows[str(archive / "c.kk.md")] == "done"
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # journal, temporaries gone
    fresh = tmp_path / "fresh"
    assert invoke(*args[:-len(FAST) - 2], "--out", str(fresh), *FAST).exit_code == 0
    assert all_files(out) == all_files(fresh)
