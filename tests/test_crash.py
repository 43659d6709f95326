"""Crash safety and concurrency (issue 14): `mt` killed with SIGKILL at exact points
(mt/crashpoints.py, MT_TEST_CRASH_AT) while it writes drafts, a batch, a glossary edit
or the translation memory; afterwards every file is the old one or the complete new
one, the memory passes PRAGMA integrity_check, no temporary file is left once the
folder is used again, and the same command run again completes. Then two processes at
once on one glossary file and on one memory (two concurrent `mt translate` runs on one
memory: tests/test_cli_translate.py::test_two_concurrent_runs_share_one_memory, which
also runs PRAGMA integrity_check).

The killed runs are real processes (`python -m mt`) using the tiny trained model; runs
that are not killed go in-process where they only need to be correct, to save the
model loading time.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import E2E
from test_e2e_translate import EXPECTED

from mt.cli import cli
from mt.io import _LEFTOVER, recover_interrupted_writes

LANGS = ("de", "en", "ru")
OUTPUTS = tuple(f"rel.{suffix}" for suffix in ("de.txt", "en.txt", "ru.txt", "align.jsonl", "qa.md", "qa.json"))
KILLED = -signal.SIGKILL


def mt(args: list[str], cwd: Path, crash: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", "MT_GLOSSARY_DIR": str(cwd / "glossaries")}
    env.pop("MT_TEST_CRASH_AT", None)
    if crash:
        env["MT_TEST_CRASH_AT"] = crash
    return subprocess.run([sys.executable, "-m", "mt", *map(str, args)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def integrity(tm: Path) -> tuple[str, int]:
    db = sqlite3.connect(tm)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0], db.execute("SELECT COUNT(*) FROM units").fetchone()[0]
    finally:
        db.close()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if _LEFTOVER.match(p.name))


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


@pytest.fixture(scope="module")
def served(trained_nllb, tmp_path_factory) -> Path:
    """A folder with the release, a memory that holds all its translations (so runs
    need not load the model) and, in ref/, the outputs of a run served by it: what
    every run below must write."""
    folder = tmp_path_factory.mktemp("crash")
    shutil.copy(E2E / "release.kk.txt", folder / "rel.kk.txt")
    here = os.getcwd()
    os.chdir(folder)  # relative names, as the runs below use them (they are in the QA report)
    try:
        for out in ("first", "ref"):
            args = translate_args(trained_nllb)
            args[args.index("out")] = out
            result = CliRunner().invoke(cli, [*map(str, args)])
            assert result.exit_code == 0, result.output
    finally:
        os.chdir(here)
    return folder


@pytest.fixture
def work(served, tmp_path, trained_nllb) -> Path:
    shutil.copy(served / "rel.kk.txt", tmp_path / "rel.kk.txt")
    shutil.copy(served / "tm.sqlite", tmp_path / "tm.sqlite")
    (tmp_path / "glossaries").mkdir()
    return tmp_path


def translate_args(model: Path, *extra: str) -> list[str]:
    return ["translate", "rel.kk.txt", "--model", model, "--no-glossary", "--tm", "tm.sqlite", "--out", "out", *extra]


# ---------------------------------------------------------------- kill -9: translate

def test_kill_while_the_memory_is_written_then_rerun(trained_nllb, tmp_path, monkeypatch):
    """Killed inside the second language's memory transaction: the first language is
    committed, the second not at all, the memory is intact and nothing was written."""
    shutil.copy(E2E / "release.kk.txt", tmp_path / "rel.kk.txt")
    (tmp_path / "glossaries").mkdir()
    killed = mt(translate_args(trained_nllb, "--threads", "1"), tmp_path, crash="tm-put:2")
    assert killed.returncode == KILLED, killed.stderr
    assert integrity(tmp_path / "tm.sqlite") == ("ok", 5)  # de committed; en rolled back by SQLite
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())

    monkeypatch.chdir(tmp_path)
    rerun = CliRunner().invoke(cli, [*map(str, translate_args(trained_nllb))])
    assert rerun.exit_code == 0, rerun.output
    assert integrity(tmp_path / "tm.sqlite") == ("ok", 15)
    for lang in LANGS:
        assert (tmp_path / "out" / f"rel.{lang}.txt").read_text(encoding="utf-8") == EXPECTED[lang]


@pytest.mark.parametrize("crash", ["write-temps", "write-moved:1", "write-moved:3", "write-moved:6"])
def test_kill_while_drafts_are_written_then_rerun(crash, served, work, trained_nllb):
    """New outputs: after the kill each file is absent or complete; the same command
    (no --force) then completes, because the interrupted write is undone first."""
    ref = contents(served / "ref")
    killed = mt(translate_args(trained_nllb), work, crash=crash)
    assert killed.returncode == KILLED, killed.stderr
    out = work / "out"
    for name, data in contents(out).items():
        assert data == ref[name], f"{name} is half written"
    rerun = mt(translate_args(trained_nllb), work)
    assert rerun.returncode == 0, rerun.stderr
    assert contents(out) == ref
    assert leftovers(out) == []
    assert integrity(work / "tm.sqlite") == ("ok", 15)


def test_kill_while_overwriting_puts_the_old_files_back(served, work, trained_nllb):
    """--force over a translator's edited drafts, killed after two of six files were
    moved: each file is old or new, and recovery brings back exactly the old set."""
    out = work / "out"
    out.mkdir()
    old = {name: f"edited {name}\n".encode() for name in OUTPUTS}
    for name, data in old.items():
        (out / name).write_bytes(data)
    ref = contents(served / "ref")
    killed = mt(translate_args(trained_nllb, "--force"), work, crash="write-moved:2")
    assert killed.returncode == KILLED, killed.stderr
    now = contents(out)
    assert sorted(now) == sorted(OUTPUTS)
    assert sum(now[n] == ref[n] for n in OUTPUTS) == 2 and all(now[n] in (old[n], ref[n]) for n in OUTPUTS)
    assert leftovers(out)  # the journal, backups and temporary files of the killed run

    assert recover_interrupted_writes(out) == 1
    assert contents(out) == old and leftovers(out) == []
    rerun = mt(translate_args(trained_nllb, "--force"), work)
    assert rerun.returncode == 0, rerun.stderr
    assert contents(out) == ref


def test_kill_during_a_batch(served, work, trained_nllb):
    """Two releases in one run, killed while the second one's files are moved: the
    first is complete, the second is undone; running it again completes."""
    shutil.copy(work / "rel.kk.txt", work / "second.kk.txt")
    args = ["translate", "rel.kk.txt", "second.kk.txt", "--model", trained_nllb, "--no-glossary",
            "--tm", "tm.sqlite", "--out", "out"]
    killed = mt(args, work, crash="write-moved:9")  # 6 files of rel, 3 of second
    assert killed.returncode == KILLED, killed.stderr
    out = work / "out"
    ref = contents(served / "ref")
    after_kill = contents(out)
    assert {n: after_kill[n] for n in OUTPUTS} == ref
    assert len(after_kill) == 9
    rerun = mt(["translate", "second.kk.txt", "--model", trained_nllb, "--no-glossary", "--tm", "tm.sqlite",
                "--out", "out"], work)
    assert rerun.returncode == 0, rerun.stderr
    final = contents(out)
    assert len(final) == 12 and leftovers(out) == []
    assert all(final[name] == data for name, data in after_kill.items())  # what the kill left was complete
    again = mt([*args, "--force"], work)  # the whole batch again, over its own outputs
    assert again.returncode == 0, again.stderr
    assert contents(out) == final


# ---------------------------------------------------------------- kill -9: glossary, memory API

GLOSSARY = ("id\ttype\tkk\ten\tde\tru\tkk_variants\ten_variants\tde_variants\tru_variants\tavoid\tstrategy\tstatus\tnote\n"
            "place.almaty\tplace\tАлматы\tAlmaty\tAlmaty\tАлматы\t\t\t\t\t\t\tapproved\t\n")
ADD = ["glossary", "add", "--id", "place.astana", "--type", "place", "--kk", "Астана", "--en", "Astana",
       "--de", "Astana", "--ru", "Астана", "--file", "glossaries/places.tsv"]


@pytest.mark.parametrize("crash", ["write-temps", "write-moved:1"])
def test_kill_during_glossary_add_then_rerun(crash, tmp_path):
    folder = tmp_path / "glossaries"
    folder.mkdir()
    (folder / "places.tsv").write_text(GLOSSARY, encoding="utf-8")
    killed = mt(ADD, tmp_path, crash=crash)
    assert killed.returncode == KILLED, killed.stderr
    text = (folder / "places.tsv").read_text(encoding="utf-8")
    assert text == GLOSSARY or (text.startswith(GLOSSARY.splitlines()[0]) and "place.astana" in text
                                and text.endswith("\n") and len(text.splitlines()) == 3)
    rerun = mt(ADD, tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    lines = (folder / "places.tsv").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[0] for line in lines] == ["id", "place.almaty", "place.astana"]
    assert leftovers(folder) == []
    check = mt(["glossary", "check", "glossaries"], tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr


def test_kill_inside_a_memory_transaction(tmp_path):
    """Through the TM API: a transaction killed after its inserts leaves none of them."""
    tm = tmp_path / "tm.sqlite"
    from mt.tm import TranslationMemory

    memory = TranslationMemory(tm)
    memory.put_many(["Бір.", "Екі."], ["One.", "Two."], "kk", "en", "k")
    memory.close()
    code = ("import sys; from mt.tm import TranslationMemory as T; "
            "T(sys.argv[1]).put_many([f'Сөйлем {i}.' for i in range(5000)], ['x'] * 5000, 'kk', 'en', 'k')")
    env = {**os.environ, "MT_TEST_CRASH_AT": "tm-put"}
    proc = subprocess.run([sys.executable, "-c", code, str(tm)], env=env, capture_output=True, timeout=60)
    assert proc.returncode == KILLED, proc.stderr
    assert integrity(tm) == ("ok", 2)
    assert TranslationMemory(tm).get_many(["Бір.", "Екі."], "kk", "en", "k") == ["One.", "Two."]


def test_kill_during_tm_import_then_rerun(tmp_path):
    """`mt tm import` killed inside its one transaction: none of the file's units are
    in, the memory is intact, and the import run again brings all of them."""
    from mt.formats import tmx
    from mt.tm import MemoryUnit, TranslationMemory

    tm = tmp_path / "tm.sqlite"
    memory = TranslationMemory(tm)
    memory.put_many(["Бір."], ["One."], "kk", "en", "k")
    memory.close()
    units = [MemoryUnit("kk", "en", f"Сөйлем {i}.", f"Sentence {i}.", creator="editor") for i in range(300)]
    (tmp_path / "edited.tmx").write_bytes(tmx.dumps(units))
    args = ["tm", "import", "edited.tmx", "--tm", "tm.sqlite"]
    killed = mt(args, tmp_path, crash="tm-put")
    assert killed.returncode == KILLED, killed.stderr
    assert integrity(tm) == ("ok", 1)
    rerun = mt(args, tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert integrity(tm) == ("ok", 301)


# ---------------------------------------------------------------- two at once

def test_concurrent_glossary_adds_all_land(tmp_path):
    """Eight `mt glossary add` on one file at once: without the file lock most would
    write over each other (each reads the file, adds its row, writes it back)."""
    folder = tmp_path / "glossaries"
    folder.mkdir()
    (folder / "places.tsv").write_text(GLOSSARY, encoding="utf-8")
    env = {**os.environ, "MT_GLOSSARY_DIR": str(folder)}
    names = ["Астана", "Ақтөбе", "Шымкент", "Қарағанды", "Павлодар", "Атырау", "Түркістан", "Көкшетау"]
    procs = [subprocess.Popen([sys.executable, "-m", "mt", "glossary", "add", "--id", f"place.p{i}", "--type",
                               "place", "--kk", name, "--en", f"P{i}", "--de", f"P{i}", "--ru", name,
                               "--file", "glossaries/places.tsv"],
                              cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i, name in enumerate(names)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert all(code == 0 for code, _ in results), results
    from mt.glossary.store import load_entries

    ids = sorted(e.id for e in load_entries(folder / "places.tsv"))
    assert ids == sorted(["place.almaty", *(f"place.p{i}" for i in range(len(names)))])
    assert leftovers(folder) == []


def test_concurrent_memory_writers_do_not_corrupt_it(tmp_path):
    """Four processes writing and reading one new memory at once (WAL, busy timeout,
    BEGIN IMMEDIATE): every row lands, the file passes integrity_check."""
    tm = tmp_path / "tm.sqlite"
    code = ("import sys; from mt.tm import TranslationMemory as T\n"
            "n = int(sys.argv[2]); m = T(sys.argv[1])\n"
            "for b in range(20):\n"
            "    src = [f'Сөйлем {n}-{b}-{i}.' for i in range(25)]\n"
            "    m.put_many(src, [s.upper() for s in src], 'kk', 'en', 'k')\n"
            "    assert m.get_many(src, 'kk', 'en', 'k') == [s.upper() for s in src]\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tm), str(n)], stderr=subprocess.PIPE, text=True)
             for n in range(4)]
    errors = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert all(c == 0 for c, _ in errors), errors
    assert integrity(tm) == ("ok", 4 * 20 * 25)


def test_recovery_leaves_a_running_writer_alone(tmp_path):
    """Leftovers of a live process (another `mt` still writing) are not touched; once
    it is gone they are cleaned up. The journal names the pid that wrote it."""
    import json

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        pid = sleeper.pid
        (tmp_path / "rel.de.txt").write_text("old\n", encoding="utf-8")
        temp = tmp_path / f".rel.de.txt.mt{pid}.abc123.tmp"
        temp.write_text("new\n", encoding="utf-8")
        journal = tmp_path / f".mt{pid}.xyz_9.journal"
        journal.write_text(json.dumps({"pid": pid, "files": [
            {"path": str(tmp_path / "rel.de.txt"), "temp": str(temp), "backup": None}]}), encoding="utf-8")
        assert recover_interrupted_writes(tmp_path) == 0
        assert leftovers(tmp_path) == sorted([journal.name, temp.name])
    finally:
        sleeper.kill()
        sleeper.wait()
    assert recover_interrupted_writes(tmp_path) == 1
    assert leftovers(tmp_path) == [] and (tmp_path / "rel.de.txt").read_text(encoding="utf-8") == "old\n"
