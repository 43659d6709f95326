"""Translation memory: exact reuse by key, fuzzy suggestions, concurrency, TMX."""

from __future__ import annotations

import multiprocessing
import sqlite3

from lxml import etree

from mt.formats import tmx
from mt.tm import TranslationMemory


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
    root = etree.fromstring(tmx.dumps(tm.memory_units()))
    segs = [seg.text for seg in root.iter("seg")]
    langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")]
    assert segs == ["«Қазхром» ТҰК» АҚ & <серіктес>", "АО «ТНК «Казхром» & <партнёр>"]
    assert langs == ["kk", "ru"]


# ---------------------------------------------------------------- origins, migration, TMX round trip

import json  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from mt.cli import cli  # noqa: E402
from mt.tm import HUMAN, MACHINE, MemoryUnit  # noqa: E402

OLD_SCHEMA = """CREATE TABLE units (key TEXT NOT NULL, src_lang TEXT NOT NULL, tgt_lang TEXT NOT NULL,
    source TEXT NOT NULL, target TEXT NOT NULL, created REAL NOT NULL,
    PRIMARY KEY (key, src_lang, tgt_lang, source));
CREATE INDEX units_pair ON units (src_lang, tgt_lang);"""


def mt(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_memory_from_before_origins_is_migrated_and_keeps_working(tmp_path):
    path = tmp_path / "tm.sqlite"
    with sqlite3.connect(path) as db:  # what mt wrote before this schema version
        db.executescript(OLD_SCHEMA)
        db.execute("INSERT INTO units VALUES ('k', 'kk', 'de', 'Сәлем.', 'Hallo.', 1.0)")
    tm = TranslationMemory(path)
    assert tm.get_many(["Сәлем."], "kk", "de", "k") == ["Hallo."]
    assert (tm.stats()["units"], tm.stats()["human"]) == (1, 0)
    assert [u.origin for u in tm.memory_units()] == [MACHINE]
    tm.import_units([MemoryUnit("kk", "de", "Сәлем.", "Guten Tag.", creator="anna")])
    assert tm.get_many(["Сәлем."], "kk", "de", "k") == ["Guten Tag."]
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone() == (2,)  # record and history added
    assert TranslationMemory(path).stats()["human"] == 1  # opening again: nothing to migrate


def _open_and_read(path: str, barrier=None) -> None:
    if barrier is not None:
        barrier.wait()  # open at the same moment
    assert TranslationMemory(path).get_many(["Сәлем."], "kk", "de", "k") == ["Hallo."]


def test_two_runs_opening_an_old_memory_at_once_migrate_it_once(tmp_path):
    path = tmp_path / "tm.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
        db.execute("INSERT INTO units VALUES ('k', 'kk', 'de', 'Сәлем.', 'Hallo.', 1.0)")
    # Opening switches the file to WAL; processes doing that at the same moment deadlock
    # on their shared locks and SQLite fails one of them at once ("database is locked";
    # 6 of 180 opens in a stress run before TranslationMemory._wal retried).
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(4)
    procs = [ctx.Process(target=_open_and_read, args=(str(path), barrier)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    columns = [row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(units)")]
    assert columns.count("origin") == 1 and "changed" in columns


def test_human_translation_wins_over_machine_under_any_key(tmp_path):
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.put_many(["Сәлем.", "Рақмет."], ["Hallo.", "Danke."], "kk", "de", "k1", creator="hf:m@1")
    tm.import_units([MemoryUnit("kk", "de", "Сәлем.", "Grüß Gott.", creator="anna")])
    hits = tm.lookup_many(["Сәлем.", "Рақмет."], "kk", "de", "k1")
    assert [(h.target, h.origin) for h in hits] == [("Grüß Gott.", HUMAN), ("Danke.", MACHINE)]
    assert tm.get_many(["Сәлем.", "Рақмет."], "kk", "de", "other-model") == ["Grüß Gott.", None]
    tm.put_many(["Сәлем."], ["Hallo!"], "kk", "de", "k1")  # the engine again: still the translator's
    assert tm.get_many(["Сәлем."], "kk", "de", "k1") == ["Grüß Gott."]
    assert tm.stats()["pairs"]["kk-de"] == {"units": 3, "keys": 1, "human": 1}


def test_fuzzy_human_matches_need_85_percent(tmp_path):
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.import_units([MemoryUnit("kk", "en", "Облыс әкімі делегациямен кездесті.", "The akim met the delegation.")])
    close = tm.fuzzy("Облыс әкімі делегациямен кездеседі.", "kk", "en", cutoff=85, origins=(HUMAN,))
    assert [(m.target, m.origin) for m in close] == [("The akim met the delegation.", HUMAN)]
    assert tm.fuzzy("Облыс әкімі кездесті.", "kk", "en", cutoff=85, origins=(HUMAN,)) == []


@pytest.fixture
def mixed(tmp_path) -> Path:
    path = tmp_path / "tm.sqlite"
    tm = TranslationMemory(path)
    tm.put_many(["Сәлем.", "«Қазхром» & <серіктес>"], ["Hallo.", "«Kazchrom» & <Partner>"], "kk", "de", "key1",
                creator="hf:facebook/nllb-200-distilled-600M@f8d333a")
    tm.import_units([MemoryUnit("kk", "en", "Рақмет.", "Thank you.", creator="anna", created=1.7e9, changed=1.71e9),
                     MemoryUnit("kk", "ru", "Рақмет.", "Спасибо.", creator="", created=1.7e9)])
    tm.close()
    return path


def test_tmx_export_marks_machine_units_and_can_leave_them_out(mixed, tmp_path):
    result = mt("tm", "export", "--tm", mixed, "--target", "de,en,ru", "--out", tmp_path / "all.tmx")
    assert result.exit_code == 0, result.output
    roots = [etree.parse(str(tmp_path / f"all.kk-{lang}.tmx")).getroot() for lang in ("de", "en", "ru")]
    assert {root.find("header").get("srclang") for root in roots} == {"kk"}
    tus = [tu for root in roots for tu in root.iter("tu")]
    machine = [tu for tu in tus if tu.find("prop[@type='x-mt']") is not None]
    assert len(machine) == 2 and len(tus) == 4
    assert {tu.findtext("prop[@type='x-mt']") for tu in machine} == {"hf:facebook/nllb-200-distilled-600M@f8d333a"}
    assert {tu.get("creationid") for tu in machine} == {"hf:facebook/nllb-200-distilled-600M@f8d333a"}
    human = [tu for tu in tus if tu not in machine]
    anna = next(tu for tu in human if tu.get("creationid") == "anna")
    assert (anna.get("creationdate"), anna.get("changedate")) == ("20231114T221320Z", "20240309T160000Z")
    segs = []
    for lang in ("de", "en", "ru"):
        only = mt("tm", "export", "--tm", mixed, "--human-only", "--target", lang)
        assert only.exit_code == 0 and "x-mt" not in only.stdout
        segs += [seg.text for seg in etree.fromstring(only.stdout.encode()).iter("seg")]
    assert sorted(segs) == ["Thank you.", "Рақмет.", "Рақмет.", "Спасибо."]


def test_tmx_round_trip_into_an_empty_memory_gives_the_same_pairs(mixed, tmp_path):
    first = mt("tm", "export", "--tm", mixed, "--target", "de,en,ru", "--out", tmp_path / "first.tmx")
    assert first.exit_code == 0, first.output
    empty = tmp_path / "empty.sqlite"
    imported = mt("tm", "import", *sorted(tmp_path.glob("first.kk-*.tmx")), "--tm", empty)
    assert imported.exit_code == 0, imported.output
    assert "imported 2 human, 0 confirmed machine and 2 machine units" in imported.output
    second = mt("tm", "export", "--tm", empty, "--target", "de,en,ru", "--out", tmp_path / "second.tmx")
    assert second.exit_code == 0, second.output
    for lang in ("de", "en", "ru"):
        assert (tmp_path / f"second.kk-{lang}.tmx").read_bytes() == (tmp_path / f"first.kk-{lang}.tmx").read_bytes()
    again = TranslationMemory(empty)
    assert again.get_many(["Сәлем."], "kk", "de", "key1") == ["Hallo."]  # machine unit reusable as before
    assert json.loads(mt("tm", "stats", "--tm", empty).stdout)["human"] == 2


def test_tmx_from_a_cat_tool_utf16_with_inline_codes(tmp_path):
    path = tmp_path / "trados.tmx"
    path.write_bytes("""<?xml version="1.0" encoding="UTF-16"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header creationtool="X" creationtoolversion="1" segtype="sentence" o-tmf="x"
 adminlang="en-US" srclang="kk-KZ" datatype="rtf"/>
<body><tu creationid="ANNA" creationdate="20250101T120000Z">
<tuv xml:lang="kk-KZ"><seg><bpt i="1">{\\b </bpt>Ақтөбе<ept i="1">}</ept> облысы</seg></tuv>
<tuv xml:lang="de-DE"><seg>Gebiet <hi>Aktobe</hi></seg></tuv>
<tuv xml:lang="fr-FR"><seg>Région d'Aktobe</seg></tuv></tu></body></tmx>""".encode("utf-16"))
    units = tmx.read(path)
    assert [(u.tgt_lang, u.source, u.target, u.origin, u.creator) for u in units] == [
        ("de", "Ақтөбе облысы", "Gebiet Aktobe", HUMAN, "ANNA")]


BAD_TMX = {
    "cp1251 bytes declared UTF-8": ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="kk"/>'
                                    '<body>\n<tu><tuv xml:lang="kk"><seg>Сәлем</seg></tuv>\n<tuv xml:lang="ru">'
                                    '<seg>Привет</seg></tuv></tu></body></tmx>').encode().replace(
                                        "Привет".encode(), "Привет".encode("cp1251")),
    "other source language": b'<tmx version="1.4"><header srclang="en"/><body/></tmx>',
    "no kk pairs": b'<tmx version="1.4"><header srclang="kk"/><body><tu><tuv xml:lang="kk"><seg>x</seg></tuv>'
                   b'<tuv xml:lang="fr"><seg>y</seg></tuv></tu></body></tmx>',
    "not tmx": b'<xliff version="2.0"/>',
    "bad date": b'<tmx version="1.4"><header srclang="kk"/><body><tu changedate="yesterday"><tuv xml:lang="kk">'
                b'<seg>x</seg></tuv><tuv xml:lang="de"><seg>y</seg></tuv></tu></body></tmx>',
    "xml bomb": b'<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY a "aaaaaaaaaa">\n'
                + b"".join(b'<!ENTITY %c "%s">\n' % (ord("b") + i, (b"&%c;" % (ord("a") + i)) * 20) for i in range(6))
                + b'<tmx version="1.4"><header srclang="kk"/><body><tu><tuv xml:lang="kk"><seg>&g;</seg></tuv>'
                b'<tuv xml:lang="de"><seg>&g;</seg></tuv></tu></body></tmx>',
}
BAD_TMX_NEEDLE = {"cp1251 bytes declared UTF-8": ":4: not well-formed XML", "other source language": "not Kazakh",
                  "no kk pairs": "no Kazakh -> German/English/Russian pairs", "not tmx": "is not <tmx>",
                  "bad date": "YYYYMMDDThhmmssZ", "xml bomb": ":3: the file declares XML entities"}


@pytest.mark.parametrize("case", list(BAD_TMX))
def test_bad_tmx_is_one_line_and_the_memory_is_unchanged(mixed, tmp_path, case):
    good = tmp_path / "good.tmx"
    assert mt("tm", "export", "--tm", mixed, "--target", "de", "--out", good).exit_code == 0
    bad = tmp_path / "bad.tmx"
    bad.write_bytes(BAD_TMX[case])
    before = sorted(sqlite3.connect(mixed).execute("SELECT * FROM units").fetchall())
    result = mt("tm", "import", good, bad, "--tm", mixed)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"mt: error: {bad}:") and result.output.count("\n") == 1, result.output
    assert BAD_TMX_NEEDLE[case] in result.output
    assert sorted(sqlite3.connect(mixed).execute("SELECT * FROM units").fetchall()) == before


def test_import_needs_a_known_format(tmp_path):
    path = tmp_path / "memory.txt"
    path.write_text("x", encoding="utf-8")
    result = mt("tm", "import", path, "--tm", tmp_path / "tm.sqlite")
    assert result.exit_code == 2 and "--format xliff|tmx" in result.output


def test_a_tmx_without_header_is_one_line_error(tmp_path):
    """A TMX whose <header> is missing names the file and what to do (it crashed with an
    AttributeError before)."""
    path = tmp_path / "no-header.tmx"
    path.write_text('<?xml version="1.0"?><tmx version="1.4"><body><tu><tuv xml:lang="kk"><seg>a</seg></tuv>'
                    '<tuv xml:lang="de"><seg>b</seg></tuv></tu></body></tmx>', encoding="utf-8")
    result = mt("tm", "import", path, "--tm", tmp_path / "tm.sqlite")
    assert result.exit_code == 2
    assert result.output.startswith(f"mt: error: {path}:1: source language is 'none', not Kazakh")
    assert not (tmp_path / "tm.sqlite").exists()  # nothing opened or created
