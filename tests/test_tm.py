"""Translation memory: exact reuse by key, fuzzy suggestions, concurrency, TMX."""

from __future__ import annotations

import multiprocessing
import sqlite3

from lxml import etree

from mt.tm import TranslationMemory, export_tmx


def test_exact_reuse_is_keyed_by_pair_and_key(tmp_path):
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.put_many(["Сәлем.", "Рақмет."], ["Hallo.", "Danke."], "kk", "de", "k1")
    assert tm.get_many(["Рақмет.", "Сәлем.", "Жоқ."], "kk", "de", "k1") == ["Danke.", "Hallo.", None]
    assert tm.get_many(["Сәлем."], "kk", "en", "k1") == [None]      # other language
    assert tm.get_many(["Сәлем."], "kk", "de", "k2") == [None]      # other model/glossary
    tm.put_many(["Сәлем."], ["Guten Tag."], "kk", "de", "k1")        # replaced, not duplicated
    assert tm.get_many(["Сәлем."], "kk", "de", "k1") == ["Guten Tag."]
    assert tm.stats()["units"] == 2


def test_empty_outputs_are_reused_but_never_suggested(tmp_path):
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.put_many(["Сәлем.", "Рақмет.", "  "], ["", "Thanks.", "x"], "kk", "en", "k")
    assert tm.get_many(["Сәлем.", "Рақмет.", "  "], "kk", "en", "k") == ["", "Thanks.", None]
    assert tm.fuzzy("Сәлем!", "kk", "en") == []


def test_fuzzy_suggests_close_sentences_only(tmp_path):
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.put_many(["Облыс әкімі делегациямен кездесті.", "Экспорт 5,8 млн долларға артты."],
                ["The akim met the delegation.", "Exports grew by USD 5.8 million."], "kk", "en", "k")
    matches = tm.fuzzy("Облыс әкімі делегациямен кездеседі.", "kk", "en")
    assert [m.target for m in matches] == ["The akim met the delegation."]
    assert 75 <= matches[0].score < 100


def _writer(path: str, worker: int, n: int) -> None:
    tm = TranslationMemory(path)
    for i in range(n):
        tm.put_many([f"сөйлем {worker}-{i}"], [f"sentence {worker}-{i}"], "kk", "en", "k")
        tm.get_many([f"сөйлем {worker}-{i}"], "kk", "en", "k")


def test_concurrent_writers_do_not_corrupt(tmp_path):
    path = str(tmp_path / "tm.sqlite")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, w, 40)) for w in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert TranslationMemory(path).stats()["units"] == 80


def test_tmx_export_round_trips_text(tmp_path):
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.put_many(["«Қазхром» ТҰК» АҚ & <серіктес>"], ["АО «ТНК «Казхром» & <партнёр>"], "kk", "ru", "k")
    root = etree.fromstring(export_tmx(tm))
    segs = [seg.text for seg in root.iter("seg")]
    langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")]
    assert segs == ["«Қазхром» ТҰК» АҚ & <серіктес>", "АО «ТНК «Казхром» & <партнёр>"]
    assert langs == ["kk", "ru"]
