"""mt.memo: results kept on disk between runs, never stale, never an error."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest

from mt import memo
from mt.glossary import cldr
from mt.glossary.verify import _ru_compound_first, ru_case_forms
from mt.qa import lexicon, numwords


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("MT_CACHE_DIR", str(folder))
    return folder


def counting(calls: list):
    @memo.disk_memo()
    def square(x: int) -> int:
        calls.append(x)
        return x * x

    return square


def fresh_process(fn) -> None:
    """What a new process sees: nothing loaded yet."""
    memo.save_all()
    fn.memo.clear()


def saved(cache, x: int):
    """A memo that computed square(x) and saved it, as the next process finds it:
    (square, its calls, the file)."""
    calls: list = []
    square = counting(calls)
    square(x)
    fresh_process(square)
    (path,) = cache.glob("*.pickle")
    return square, calls, path


def test_a_result_is_computed_once_and_read_back_in_the_next_run(cache):
    calls: list = []
    square = counting(calls)
    assert square(3) == 9 and square(3) == 9
    assert calls == [3]
    fresh_process(square)
    assert not calls[1:] and square(3) == 9 and square(4) == 16
    assert calls == [3, 4]  # 3 came from the file
    assert len(list(cache.glob("*.pickle"))) == 1


def test_changed_code_never_reads_an_old_result(cache, monkeypatch):
    calls: list = []
    square = counting(calls)
    square(5)
    fresh_process(square)
    monkeypatch.setattr(memo, "code_stamp", lambda: "another-version")
    assert square(5) == 25
    assert calls == [5, 5]
    fresh_process(square)
    assert len(list(cache.glob("*.pickle"))) == 1  # the old version's file is removed


def test_a_corrupt_file_is_recomputed_and_replaced(cache):
    square, calls, path = saved(cache, 2)
    path.write_bytes(b"\x80\x05not a pickle")
    assert square(2) == 4 and calls == [2, 2]
    fresh_process(square)
    assert pickle.loads(path.read_bytes()) == {(2,): 4}


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away")
def test_a_file_another_user_wrote_is_never_read(cache):
    square, calls, path = saved(cache, 6)
    path.write_bytes(pickle.dumps({(6,): "planted"}))
    os.chown(path, 12345, -1)
    assert square(6) == 36 and calls == [6, 6]


def test_an_unwritable_cache_is_not_an_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("MT_CACHE_DIR", str(blocker / "cache"))  # a folder under a file
    calls: list = []
    square = counting(calls)
    assert square(7) == 49
    fresh_process(square)
    assert square(7) == 49 and calls == [7, 7]


def test_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("MT_CACHE_DIR", "off")
    monkeypatch.chdir(tmp_path)
    calls: list = []
    square = counting(calls)
    square(1)
    fresh_process(square)
    assert square(1) == 1 and calls == [1, 1]
    assert not list(tmp_path.rglob("*.pickle"))


MEMOS = [
    (ru_case_forms, ("Германия", "place")),
    (ru_case_forms, ("европейский", "place")),  # pymorphy3 grammemes in its keys
    (_ru_compound_first, ("казахстанский",)),
    (lexicon._ru_normal_forms, ("германии",)),
    (numwords.lexicon, ("ru",)),
    (numwords._ru_lemma, ("тысячи",)),
    (cldr.territories, ()),
]


@pytest.mark.parametrize("fn,args", MEMOS, ids=[f"{f.__name__}{args}" for f, args in MEMOS])
def test_mt_memos_are_written_and_read_back_equal(cache, fn, args):
    """Every memo mt uses pickles (pymorphy3's grammemes are str subclasses that do not)
    and reads back the value the function computes."""
    fn.memo.clear()
    computed = fn.__wrapped__(*args)
    assert fn(*args) == computed
    fresh_process(fn)
    assert list(cache.glob(f"{fn.memo.name}-*.pickle")), "not written"
    assert fn(*args) == computed
    assert args in fn.memo.items
    fn.memo.clear()  # the next test reads its own folder


def test_no_home_means_no_cache_not_a_crash(monkeypatch):
    monkeypatch.delenv("MT_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(memo.Path, "home", staticmethod(no_home))
    assert memo.cache_dir() is None
    calls: list = []
    assert counting(calls)(2) == 4


def test_keyword_arguments_and_a_cap(cache):
    calls: list = []

    @memo.disk_memo(max_items=2)
    def power(x: int, e: int = 2) -> int:
        calls.append((x, e))
        return x ** e

    assert power(2, e=3) == 8 and power(2, e=3) == 8 and power(2) == 4
    assert calls == [(2, 3), (2, 2)]
    assert power(3) == 9 and power(3) == 9
    assert calls[2:] == [(3, 2), (3, 2)]  # past the cap: computed, not kept
    assert len(power.memo.items) == 2


def test_temporary_files_a_killed_process_left_are_removed(cache):
    calls: list = []
    square = counting(calls)
    cache.mkdir(parents=True)
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    old, new = cache / f".x.pickle.mt{finished.pid}.ab12.tmp", cache / f".x.pickle.mt{os.getpid()}.cd34.tmp"
    for tmp in (old, new):
        tmp.write_bytes(b"half")
    square(1)
    fresh_process(square)
    assert not old.exists() and new.exists()  # a dead writer's file goes; a running writer's stays
