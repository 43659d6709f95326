"""Hostile inputs, one table row per case (issue 14): what a press office really feeds
`mt` (files from email, old Word exports, legacy Windows encodings, web copy-paste,
broken glossaries and memories, full disks, closed pipes).

Each row: the files it starts from, the command, the exit code, a fragment of the
message, and the files that must be byte-for-byte the same afterwards. The runner also
checks what every row must do: a failure (exit 2) is exactly one line on stderr,
`mt: error: ...`, never a traceback, and leaves the folder exactly as it was (nothing
created, nothing half-written); no row leaves temporary files behind.

Rows run in-process through mt.cli.main (the real entry point) except where the
operating system is the point (stdin closed, SIGPIPE, stdout on a full device).
"""

from __future__ import annotations

import errno
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import E2E

RELEASE = (E2E / "release.kk.txt").read_bytes()
HEADER = "id\ttype\tkk\ten\tde\tru\tstatus\n"
GLOSSARY = (HEADER + "org.ebrd\torg\tЕҚДБ\tEBRD\tEBWE\tЕБРР\tapproved\n"
            "place.almaty\tplace\tАлматы\tAlmaty\tAlmaty\tАлматы\tapproved\n").encode()
ALMATY = "Алматы қаласында жиын өтті.\nЖиынға ЕҚДБ өкілдері қатысты.\n"
KAZAKH = "Қазақстан Республикасы Үкіметі шешім қабылдады.\nАстана қаласында жиын өтті.\n"
RUSSIAN = "Министр встретился с делегацией.\nПроекты в Актобе растут.\n"
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def _tm_with_units() -> bytes:
    """A real translation memory file with a few units, as bytes."""
    import tempfile

    from mt.tm import TranslationMemory

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tm.sqlite"
        memory = TranslationMemory(path)
        memory.put_many([f"Сөйлем {i}. " + "ө" * 400 for i in range(60)], ["x" * 400] * 60, "kk", "en", "k")
        memory._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        memory.close()
        return path.read_bytes()


def _damaged_tm() -> bytes:
    data = bytearray(_tm_with_units())
    data[4096 * 2:4096 * 6] = b"\xde\xad\xbe\xef" * 4096  # table pages overwritten, header intact
    return bytes(data)


def _foreign_sqlite() -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "contacts.db"
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE contacts (name TEXT, email TEXT)")
        db.execute("INSERT INTO contacts VALUES ('Press office', 'press@example.kz')")
        db.commit()
        db.close()
        return path.read_bytes()


# ---------------------------------------------------------------- simulated faults

def _no_space_on_fsync(monkeypatch, tmp_path) -> None:
    """The disk fills while a file is written (fsync is where a full disk shows)."""
    import mt.io

    def fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(mt.io.os, "fsync", fsync)


def _no_space_on_second_file(monkeypatch, tmp_path) -> None:
    """The English draft cannot be moved into place after the German one was: the
    German one must be put back."""
    import mt.io

    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if str(dst).endswith(".en.txt"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(mt.io.os, "replace", replace)


def _read_only_folder(monkeypatch, tmp_path) -> None:
    """tmp/ro behaves like a read-only folder (root ignores permission bits, so the
    refusal is simulated where files are created)."""
    import tempfile as tempfile_module

    ro = str(tmp_path / "ro")
    real_open = os.open
    real_temporary = tempfile_module.TemporaryFile

    def guarded_open(path, flags, *args, **kwargs):
        if os.path.abspath(path).startswith(ro) and flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    def temporary(*args, dir=None, **kwargs):
        if dir is not None and os.path.abspath(dir).startswith(ro):
            raise PermissionError(errno.EACCES, "Permission denied", str(dir))
        return real_temporary(*args, dir=dir, **kwargs)

    monkeypatch.setattr(os, "open", guarded_open)
    monkeypatch.setattr(tempfile_module, "TemporaryFile", temporary)


def _tm_disk_full(monkeypatch, tmp_path) -> None:
    """SQLite's own full-disk error: the memory may not grow by a single page."""
    import mt.tm

    real = sqlite3.connect

    def connect(*args, **kwargs):
        db = real(*args, **kwargs)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return db

    monkeypatch.setattr(mt.tm.sqlite3, "connect", connect)


# ---------------------------------------------------------------- the table

@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, bytes]  # written into the test folder first (a value None: a folder)
    args: tuple[str, ...]  # after `mt`; {model} is the trained tiny model
    code: int
    fragment: str  # in the error line (exit 2), else in stdout/stderr
    untouched: tuple[str, ...] = ()  # must be byte-equal afterwards
    setup: Callable | None = None  # simulated fault (monkeypatch, tmp_path)
    stdin: bytes | None = None
    check: Callable | None = None  # more assertions: check(tmp_path, stdout)
    mode: str = "inproc"  # or "closed-stdin", "pipe-head", "dev-full" (a real process)
    skip_root: bool = False


def _no_cr(tmp_path, out):
    assert "\r" not in out and out.count("\n") == 5


def _no_bidi(tmp_path, out):
    assert not set(out) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def _outputs_written(tmp_path, out):
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "al.align.jsonl", "al.de.txt", "al.en.txt", "al.qa.json", "al.qa.md", "al.ru.txt"]
    rows = [json.loads(line) for line in (tmp_path / "out" / "al.align.jsonl").read_text().splitlines()]
    ru_terms = [t["id"] for row in rows for t in row["targets"]["ru"]["terms"]]
    en_terms = [t["id"] for row in rows for t in row["targets"]["en"]["terms"]]
    assert "place.almaty" in en_terms and "place.almaty" not in ru_terms  # nothing required where empty


def _long_sentence_split(tmp_path, out):
    report = json.loads((tmp_path / "out" / "long.qa.json").read_text(encoding="utf-8"))
    assert any(f["check"] == "long-sentence-split" for f in report["findings"])
    assert (tmp_path / "out" / "long.en.txt").read_text(encoding="utf-8").strip()


def _tm_unchanged(tmp_path, out):
    from mt.tm import TranslationMemory

    memory = TranslationMemory(tmp_path / "tm.sqlite")
    assert memory.stats()["units"] == 60
    assert memory._db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _one_sentence(tmp_path, out):
    assert out.count("\n") == 1


def _sentences(count):
    def check(tmp_path, out):
        assert out.count("\n") == count
    return check


def _cells_intact(tmp_path, out):
    """White space inside a value becomes one space: the file keeps one row per line."""
    from mt.glossary.store import check, load_entries

    assert not check([tmp_path / "g.tsv"])
    assert [e.kk for e in load_entries(tmp_path / "g.tsv") if e.id == "term.tab"] == ["сөз сөз сөз"]


def _utf(text: str, codec: str) -> bytes:
    return text.encode(codec)


def _docx(body: str, doctype: str = "") -> bytes:
    """tests/data/libreoffice/release.docx (written by LibreOffice) with another body."""
    import zipfile

    with zipfile.ZipFile(Path(__file__).parent / "data" / "libreoffice" / "release.docx") as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = members["word/document.xml"].decode("utf-8")
    start, end = xml.index("<w:body>") + len("<w:body>"), xml.index("<w:sectPr>")
    declaration = xml.index("?>") + 2
    members["word/document.xml"] = (xml[:declaration] + doctype + xml[declaration:start] + body + xml[end:]).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


DOCX_TITLE = "<w:p><w:r><w:t>Жаңа мектеп ашылды</w:t></w:r></w:p>"
DOCX_NODES = _docx(DOCX_TITLE + "<w:p><w:r><w:t xml:space='preserve'>Мектепте </w:t></w:r><!-- редактор -->"
                   "<?mso-application progid='Word.Document'?><w:r><w:t>бес <!--x-->жүз<?pi?> оқушы</w:t>"
                   "<!-- run --></w:r><w:r><w:t xml:space='preserve'> оқиды.</w:t></w:r></w:p>")


def _docx_sentence_whole(tmp_path, out):
    assert out.splitlines()[:2] == ["Жаңа мектеп ашылды", "Мектепте бес жүз оқушы оқиды."], out


def _docx_translated(tmp_path, out):
    import docx

    paragraphs = docx.Document(tmp_path / "out" / "rel.en.docx").paragraphs
    assert [p.text for p in paragraphs[:2]] == ["New school opened", "Five hundred pupils study at the school."]


OLD = {f"out/rel.{lang}.txt": f"old {lang} draft, edited by hand\n".encode() for lang in ("de", "en", "ru")}
OLD_NAMES = tuple(OLD)
TRANSLATE = ("translate", "rel.kk.txt", "--model", "{model}", "--no-tm", "--no-glossary", "--out", "out")
MEGA_LINE = ("Тақырып\n" + "Бұл өте ұзын мәтін " * 55000 + "соңы.\n").encode()  # ~1 MB, one line
LONG_SENTENCE = "Тақырып\n" + " ".join(["мектеп", "оқушы", "қала"] * 1667) + ".\n"  # 5,001 words


CASES: list[Case] = [
    # ---- reading: encodings, binary, empty (mt segment reads exactly like mt translate)
    Case("empty file", {"rel.txt": b""}, ("segment", "rel.txt"), 2, "rel.txt: the file is empty", ("rel.txt",)),
    Case("only white space", {"rel.txt": b" \n\t\r\n\n"}, ("segment", "rel.txt"), 2, "rel.txt: the file is empty"),
    Case("only a BOM and blank lines", {"rel.txt": b"\xef\xbb\xbf\n\n"}, ("segment", "rel.txt"), 2,
         "rel.txt: the file has no text"),
    Case("binary data", {"rel.bin": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))},
         ("segment", "rel.bin"), 2, "rel.bin:"),
    Case("Word .docx", {"rel.docx": b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64}, ("segment", "rel.docx"), 2,
         "rel.docx: not a readable .docx (broken zip archive"),  # .docx is read since issue 12
    Case("docx: XML comments and processing instructions in a paragraph and a run", {"rel.docx": DOCX_NODES},
         ("segment", "rel.docx"), 0, "Мектепте бес жүз оқушы оқиды.", ("rel.docx",), check=_docx_sentence_whole),
    Case("docx: comments and processing instructions, translated", {"rel.docx": DOCX_NODES},
         ("translate", "rel.docx", "--model", "{model}", "--no-tm", "--no-glossary", "--to", "en", "--out", "out"),
         0, "rel.docx: 4 segments", ("rel.docx",), check=_docx_translated),
    Case("docx: an entity node in a paragraph",
         {"rel.docx": _docx(DOCX_TITLE + "<w:p><w:r><w:t>Мектепте &name; оқиды.</w:t></w:r>&name;</w:p>",
                            '<!DOCTYPE w:document [<!ENTITY name "бес жүз оқушы">]>')},
         ("segment", "rel.docx"), 2, "rel.docx: word/document.xml declares XML entities", ("rel.docx",)),
    Case("docx: tracked changes", {"rel.docx": _docx(
        DOCX_TITLE + "<w:p><w:r><w:t xml:space='preserve'>Мектепте </w:t></w:r><w:ins w:id='1' w:author='a'>"
        "<w:r><w:t xml:space='preserve'>бес жүз </w:t></w:r></w:ins><w:r><w:t>оқушы оқиды.</w:t></w:r></w:p>")},
         ("translate", "rel.docx", "--model", "{model}", "--no-tm", "--no-glossary", "--out", "out"), 2,
         "rel.docx: 1 tracked change: accept or reject them first, or pass --accept-changes", ("rel.docx",)),
    Case("PDF", {"rel.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"}, ("translate", "rel.pdf", "--no-tm"), 2,
         "rel.pdf: a PDF file, not plain text", ("rel.pdf",)),
    Case("RTF", {"rel.rtf": rb"{\rtf1\ansi\deff0 {\fonttbl{\f0 Times;}}\f0 Hello}"}, ("segment", "rel.rtf"), 2,
         "a RTF file"),
    Case("truncated UTF-8 (cut short mid-character)", {"rel.txt": RELEASE[:-2].rstrip(b"\n")[:-1]},
         ("segment", "rel.txt"), 2, "rel.txt:5: the file ends in the middle of a UTF-8 character"),
    Case("invalid UTF-8 byte on line 2", {"rel.txt": "Тақырып\n".encode() + b"\xd2\x9a\xff\xfe\n"},
         ("segment", "rel.txt"), 2, "rel.txt:2: not UTF-8 text"),
    Case("Kazakh Windows (KZ-1048)", {"rel.txt": _utf(KAZAKH, "kz1048")}, ("segment", "rel.txt"), 0,
         "Қазақстан Республикасы Үкіметі шешім қабылдады.", ("rel.txt",), check=_sentences(2)),
    Case("Cyrillic Windows (cp1251)", {"rel.txt": _utf(RUSSIAN, "cp1251")}, ("segment", "rel.txt"), 0,
         "Министр встретился с делегацией.", ("rel.txt",)),
    Case("KOI8-R", {"rel.txt": _utf(RUSSIAN, "koi8_r")}, ("segment", "rel.txt"), 2,
         "rel.txt:1: not UTF-8 text", ("rel.txt",)),
    Case("UTF-16 LE with BOM", {"rel.txt": b"\xff\xfe" + _utf(KAZAKH, "utf-16-le")}, ("segment", "rel.txt"), 0,
         "Астана қаласында жиын өтті."),
    Case("UTF-16 BE with BOM", {"rel.txt": b"\xfe\xff" + _utf(KAZAKH, "utf-16-be")}, ("segment", "rel.txt"), 0,
         "Астана қаласында жиын өтті."),
    Case("UTF-16 LE without BOM", {"rel.txt": _utf(KAZAKH, "utf-16-le")}, ("segment", "rel.txt"), 2,
         "rel.txt: UTF-16 without a byte-order mark (LE)"),
    Case("UTF-16 BE without BOM", {"rel.txt": _utf(KAZAKH, "utf-16-be")}, ("translate", "rel.txt", "--no-tm"), 2,
         "rel.txt: UTF-16 without a byte-order mark (BE)"),
    Case("UTF-8 with BOM", {"rel.txt": b"\xef\xbb\xbf" + KAZAKH.encode()}, ("segment", "rel.txt"), 0,
         "Қазақстан Республикасы", check=lambda tmp, out: out.startswith("Қазақстан")),
    Case("UTF-32 with BOM", {"rel.txt": _utf(KAZAKH, "utf-32")}, ("segment", "rel.txt"), 0, "Астана қаласында"),
    Case("UTF-8 saved again as Latin-1 (mojibake)",
         {"rel.txt": "Ð¡Ó™Ð»ÐµÐ¼ Ó™Ð»ÐµÐ¼. Ð‘Ò±Ð» Ñ\x81Ñ‹Ð½Ð°Ò›.\n".encode()}, ("segment", "rel.txt"), 2,
         "rel.txt: the text looks like UTF-8 that was decoded and saved again as Latin-1"),
    Case("Windows line ends", {"rel.txt": RELEASE.replace(b"\n", b"\r\n")}, ("segment", "rel.txt"), 0,
         "Бүгін қалада жаңа мектеп ашылды.", check=_no_cr),
    Case("old Mac line ends (CR only)", {"rel.txt": RELEASE.replace(b"\n", b"\r")}, ("segment", "rel.txt"), 0,
         "Олар мұғалімдерді құттықтады.", check=_no_cr),
    Case("a 1 MB line", {"big.txt": MEGA_LINE}, ("segment", "big.txt"), 0, "соңы.", ("big.txt",),
         check=_sentences(2)),
    Case("a 5,000-word sentence: segment", {"long.txt": LONG_SENTENCE.encode()}, ("segment", "long.txt"), 0,
         "мектеп оқушы қала", check=_sentences(2)),
    Case("a 5,000-word sentence: translate splits it and says so", {"long.txt": LONG_SENTENCE.encode()},
         ("translate", "long.txt", "--model", "{model}", "--no-tm", "--no-glossary", "--to", "en", "--beam", "1",
          "--batch-size", "64", "--out", "out"), 0, "long.en.txt", ("long.txt",), check=_long_sentence_split),
    Case("Latin look-alikes inside a Cyrillic name", {"al.txt": "Aлмaты қаласы.\n".encode(), "g.tsv": GLOSSARY},
         ("glossary", "match", "al.txt", "--glossary", "g.tsv"), 0, '"id": "place.almaty"', ("al.txt", "g.tsv")),
    Case("zero-width characters inside a name", {"al.txt": "Ал\u200bма\u00adты\u2060 қаласы.\n".encode(),
                                                 "g.tsv": GLOSSARY},
         ("glossary", "match", "al.txt", "--glossary", "g.tsv"), 0, '"surface": "Алматы"'),
    Case("bidi control characters", {"al.txt": "\u202eАлматы\u202c қаласы \u200fжиын\u2066 өтті\u2069.\n".encode()},
         ("segment", "al.txt"), 0, "Алматы қаласы жиын өтті.", check=_no_bidi),
    Case("Markdown with nothing but front matter", {"rel.md": b"---\ntitle: x\n---\n\n<!-- draft -->\n"},
         ("segment", "rel.md"), 2, "rel.md: the file has no text"),
    Case("a folder instead of a file", {"rel.txt": None}, ("segment", "rel.txt"), 2, "rel.txt: is a folder"),
    Case("no such file", {}, ("translate", "missing.kk.txt", "--no-tm"), 2, "missing.kk.txt: no such file"),
    Case("stdin closed", {}, ("segment", "-"), 2, "-: standard input is closed", mode="closed-stdin"),
    Case("SIGPIPE: mt segment | head -1", {"big.txt": ("Тақырып\n" + "Бұл сөйлем. " * 15000 + "\n").encode()},
         ("segment", "big.txt"), 0, "Тақырып", mode="pipe-head"),
    Case("stdout on a full disk (> /dev/full)", {"rel.txt": RELEASE}, ("segment", "rel.txt"), 1,
         "standard output: No space left on device", mode="dev-full"),
    # ---- glossaries
    Case("glossary with a wrong header", {"rel.kk.txt": RELEASE, "g.tsv": b"id\ttype\tkk\ten\tde\nx\tterm\ta\tb\tc\n"},
         ("translate", "rel.kk.txt", "--glossary", "g.tsv", "--no-tm", "--out", "out"), 2,
         "g.tsv:1: missing column(s) ru", ("rel.kk.txt", "g.tsv")),
    Case("glossary saved as CSV (commas)", {"al.txt": ALMATY.encode(), "g.tsv": GLOSSARY.replace(b"\t", b",")},
         ("glossary", "match", "al.txt", "--glossary", "g.tsv"), 2, "g.tsv:1: missing column(s) id, type, kk, en, de, ru"),
    Case("duplicate ids in one glossary", {"al.txt": ALMATY.encode(),
                                           "g.tsv": GLOSSARY + "place.almaty\tplace\tАлма\tA\tA\tА\tapproved\n".encode()},
         ("glossary", "match", "al.txt", "--glossary", "g.tsv"), 2, "g.tsv:4: duplicate id 'place.almaty'"),
    Case("duplicate ids across two glossaries", {"rel.kk.txt": RELEASE, "a.tsv": GLOSSARY, "b.tsv": GLOSSARY},
         ("translate", "rel.kk.txt", "--glossary", "a.tsv", "--glossary", "b.tsv", "--no-tm"), 2,
         "b.tsv:2: duplicate id 'org.ebrd' (first at a.tsv:2)"),
    Case("a tab inside a cell", {"g.tsv": GLOSSARY + "term.x\tterm\tсөз\tword\tWort\tслово\t\tapproved\n".encode()},
         ("glossary", "check", "g.tsv"), 1, "g.tsv:4: 8 columns, the header has 7", ("g.tsv",)),
    Case("glossary with Windows line ends", {"al.txt": ALMATY.encode(), "g.tsv": GLOSSARY.replace(b"\n", b"\r\n")},
         ("glossary", "match", "al.txt", "--glossary", "g.tsv", "--format", "text"), 0, "place.almaty\tАлматы",
         ("g.tsv",)),
    Case("glossary saved as UTF-16 ('Unicode text')", {"al.txt": ALMATY.encode(),
                                                       "g.tsv": b"\xff\xfe" + GLOSSARY.decode().encode("utf-16-le")},
         ("glossary", "match", "al.txt", "--glossary", "g.tsv"), 2, "g.tsv:1: UTF-16 or binary data"),
    Case("approved entry with an empty target form: check", {"g.tsv": (HEADER + "place.almaty\tplace\tАлматы\t"
                                                                        "Almaty\tAlmaty\t\tapproved\n").encode()},
         ("glossary", "check", "g.tsv"), 1, "g.tsv:2: approved row without ru"),
    Case("approved entry with an empty target form: translate",
         {"al.txt": ALMATY.encode(), "g.tsv": (HEADER + "place.almaty\tplace\tАлматы\tAlmaty\tAlmaty\t\tapproved\n"
                                               ).encode()},
         ("translate", "al.txt", "--model", "{model}", "--glossary", "g.tsv", "--no-tm", "--out", "out", "--beam", "1"),
         0, "al.txt: 2 segments", ("al.txt", "g.tsv"), check=_outputs_written),
    Case("glossary add: duplicate id", {"g.tsv": GLOSSARY},
         ("glossary", "add", "--id", "org.ebrd", "--type", "org", "--kk", "Басқа", "--en", "Other", "--de", "Andere",
          "--ru", "Другой", "--file", "g.tsv", "--glossary", "g.tsv"), 2, "g.tsv: duplicate id 'org.ebrd'", ("g.tsv",)),
    Case("glossary add: a tab and a line break in a value", {"g.tsv": GLOSSARY},
         ("glossary", "add", "--id", "term.tab", "--type", "term", "--kk", "сөз\tсөз\nсөз", "--en", "w", "--de", "W",
          "--ru", "с", "--file", "g.tsv", "--glossary", "g.tsv"), 0, "added term.tab to g.tsv", check=_cells_intact),
    Case("glossary add: file with a wrong header", {"g.tsv": b"name\tvalue\nx\ty\n"},
         ("glossary", "add", "--id", "term.a", "--type", "term", "--kk", "сөз", "--en", "w", "--de", "W",
          "--ru", "с", "--file", "g.tsv", "--glossary", "g.tsv"), 2, "g.tsv:1: missing column(s)", ("g.tsv",)),
    Case("glossary add: --file is a folder", {"g.tsv": GLOSSARY, "gdir": None},
         ("glossary", "add", "--id", "term.a", "--type", "term", "--kk", "сөз", "--en", "w", "--de", "W",
          "--ru", "с", "--file", "gdir", "--glossary", "g.tsv"), 2, "'gdir' is a directory"),
    Case("glossary add: full disk", {"g.tsv": GLOSSARY},
         ("glossary", "add", "--id", "term.a", "--type", "term", "--kk", "сөз", "--en", "w", "--de", "W",
          "--ru", "с", "--file", "g.tsv", "--glossary", "g.tsv"), 2, "g.tsv: cannot write: No space left on device",
         ("g.tsv",), setup=_no_space_on_fsync),
    Case("glossary import: broken TBX", {"g.tbx": b"<martif><text><body><termEntry id='x'><langSet"},
         ("glossary", "import", "g.tbx", "--out", "g.tsv"), 2, "g.tbx:1: not well-formed XML"),
    Case("glossary import: CSV with a wrong header", {"g.csv": b"Term;Translation\nx;y\n"},
         ("glossary", "import", "g.csv", "--out", "g.tsv"), 2, "g.csv:1: missing column(s)"),
    # ---- translation memory
    Case("memory that is not SQLite", {"rel.kk.txt": RELEASE, "tm.sqlite": b"translations, one per line\n"},
         ("translate", "rel.kk.txt", "--model", "{model}", "--no-glossary", "--tm", "tm.sqlite", "--out", "out"), 2,
         "tm.sqlite: translation memory is damaged or not an SQLite file", ("tm.sqlite", "rel.kk.txt")),
    Case("memory with damaged pages", {"tm.sqlite": _damaged_tm()}, ("tm", "stats", "--tm", "tm.sqlite"), 2,
         "tm.sqlite: translation memory is damaged or not an SQLite file (read: database disk image is malformed)",
         ("tm.sqlite",)),
    Case("memory cut short", {"tm.sqlite": _tm_with_units()[:4096 * 3]}, ("tm", "export", "--tm", "tm.sqlite"), 2,
         "tm.sqlite: translation memory is damaged or not an SQLite file", ("tm.sqlite",)),
    Case("another program's SQLite file as memory", {"rel.kk.txt": RELEASE, "contacts.db": _foreign_sqlite()},
         ("translate", "rel.kk.txt", "--model", "{model}", "--no-glossary", "--tm", "contacts.db", "--out", "out"),
         2, "contacts.db: not a translation memory of mt (an SQLite file with tables contacts)", ("contacts.db",)),
    Case("memory path is a folder", {"rel.kk.txt": RELEASE, "tm.sqlite": None},
         ("translate", "rel.kk.txt", "--model", "{model}", "--no-glossary", "--tm", "tm.sqlite", "--out", "out"), 2,
         "tm.sqlite: cannot open translation memory"),
    Case("no memory yet: tm stats", {}, ("tm", "stats", "--tm", "none.sqlite"), 2,
         "none.sqlite: no translation memory here"),
    Case("memory on a full disk", {"rel.kk.txt": RELEASE, "tm.sqlite": _tm_with_units()},
         ("translate", "rel.kk.txt", "--model", "{model}", "--no-glossary", "--tm", "tm.sqlite", "--out", "out",
          "--to", "en", "--beam", "1"), 2, "tm.sqlite: translation memory cannot grow: the disk is full",
         ("rel.kk.txt",), setup=_tm_disk_full, check=_tm_unchanged),
    # ---- outputs
    Case("--out is a file", {"rel.kk.txt": RELEASE, "out": b"not a folder\n"}, TRANSLATE, 2, "out is a file, not a folder",
         ("out", "rel.kk.txt")),
    Case("--out is read-only (simulated)", {"rel.kk.txt": RELEASE, "ro": None},
         ("translate", "rel.kk.txt", "--model", "{model}", "--no-tm", "--no-glossary", "--out", "ro"), 2,
         "ro: cannot write there (Permission denied)", setup=_read_only_folder),
    Case("--out is read-only (chmod)", {"rel.kk.txt": RELEASE, "ro": None},
         ("translate", "rel.kk.txt", "--model", "{model}", "--no-tm", "--no-glossary", "--out", "ro"), 2,
         "ro: cannot write there", setup=lambda mp, tmp: (tmp / "ro").chmod(0o555), skip_root=True),
    Case("outputs exist, no --force", {"rel.kk.txt": RELEASE, **OLD}, TRANSLATE, 2,
         "out/rel.de.txt: output exists (use --force", OLD_NAMES),
    Case("full disk while writing the drafts", {"rel.kk.txt": RELEASE, **OLD}, (*TRANSLATE, "--force"), 2,
         "cannot write: No space left on device; nothing was written", OLD_NAMES, setup=_no_space_on_fsync),
    Case("full disk after the first draft was moved", {"rel.kk.txt": RELEASE, **OLD}, (*TRANSLATE, "--force"), 2,
         "out/rel.en.txt: cannot write: No space left on device; nothing was written", OLD_NAMES,
         setup=_no_space_on_second_file),
    Case("several languages on stdout as txt", {"rel.kk.txt": RELEASE}, ("translate", "rel.kk.txt", "--out", "-"), 2,
         "several languages or files on stdout need --format jsonl"),
    # ---- languages and models
    Case("unknown target language", {"rel.kk.txt": RELEASE}, (*TRANSLATE, "--to", "de,xx"), 2,
         "unknown target language 'xx'"),
    Case("empty language list", {"rel.kk.txt": RELEASE}, (*TRANSLATE, "--to", " , "), 2,
         "give at least one language"),
    Case("the source language as target", {"rel.kk.txt": RELEASE}, (*TRANSLATE, "--to", "kk"), 2,
         "unknown target language 'kk' (use one or more of de,en,ru)"),
    Case("model folder that does not exist", {"rel.kk.txt": RELEASE},
         ("translate", "rel.kk.txt", "--model", "./no-model", "--no-tm", "--out", "out"), 2,
         "model folder no-model does not exist"),
    Case("model folder without config.json", {"rel.kk.txt": RELEASE, "m/weights.bin": b"\x00" * 16},
         ("translate", "rel.kk.txt", "--model", "./m", "--no-tm", "--out", "out"), 2, "m has no config.json"),
    Case("model folder with a broken config.json", {"rel.kk.txt": RELEASE, "m/config.json": b'{"model_type": '},
         ("translate", "rel.kk.txt", "--model", "./m", "--no-tm", "--no-glossary", "--out", "out"), 2,
         "cannot read the model config of m"),
    Case("a file as model", {"rel.kk.txt": RELEASE}, ("translate", "rel.kk.txt", "--model", "./rel.kk.txt", "--no-tm"),
         2, "rel.kk.txt is a file, not a model folder"),
    Case("hub model not in the cache (offline)", {"rel.kk.txt": RELEASE},
         ("translate", "rel.kk.txt", "--model", "example-org/no-such-model", "--no-tm", "--no-glossary", "--out", "out"),
         2, "model example-org/no-such-model is not in the Hugging Face cache"),
    Case("not a model name at all", {"rel.kk.txt": RELEASE},
         ("translate", "rel.kk.txt", "--model", "no such model!", "--no-tm", "--out", "out"), 2,
         "'no such model!' is neither a folder nor a hub id"),
    Case("ct2 engine on a transformers folder", {"rel.kk.txt": RELEASE},
         ("translate", "rel.kk.txt", "--model", "{model}", "--engine", "ct2", "--no-tm", "--no-glossary", "--out", "out"),
         2, "is not a CTranslate2 model folder"),
    Case("qa: unknown language pair", {"s.txt": b"a\n", "h.txt": b"b\n"},
         ("qa", "--src", "s.txt", "--hyp", "h.txt", "--lang", "kk-xx"), 2, "unknown language pair 'kk-xx'"),
    Case("qa: unknown check", {"s.txt": b"a\n", "h.txt": b"b\n"},
         ("qa", "--src", "s.txt", "--hyp", "h.txt", "--lang", "kk-en", "--checks", "spelling"), 2,
         "unknown QA check 'spelling'"),
    Case("score: line counts differ", {"h.txt": b"a\nb\n", "r.txt": b"a\n"},
         ("score", "--hyp", "h.txt", "--ref", "r.txt", "--lang", "kk-en"), 2,
         "line counts differ: h.txt has 2 lines, r.txt has 1 line"),
    Case("score: binary reference", {"h.txt": b"a\n", "r.txt": b"\x00\x01\x02\x03"},
         ("score", "--hyp", "h.txt", "--ref", "r.txt", "--lang", "kk-en"), 2, "r.txt:1: binary data"),
    Case("misspelt command", {}, ("transalte", "rel.kk.txt"), 2, "No such command 'transalte'"),
]


# ---------------------------------------------------------------- the runner

def _snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder under `folder`, but the glossary edit locks."""
    state: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        if path.name.endswith(".tsv.lock"):
            continue
        rel = str(path.relative_to(folder))
        state[rel] = None if path.is_dir() else path.read_bytes()
    return state


def _leftovers(folder: Path) -> list[str]:
    from mt.io import _LEFTOVER

    return [str(p) for p in folder.rglob(".*") if _LEFTOVER.match(p.name)]


def _run_inproc(argv: list[str], stdin: bytes | None, capsys, monkeypatch) -> tuple[int, str, str]:
    from mt.cli import main

    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    capsys.readouterr()
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def _run_process(mode: str, argv: list[str], cwd: Path) -> tuple[int, str, str]:
    command = [sys.executable, "-m", "mt", *argv]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    if mode == "closed-stdin":
        proc = subprocess.run(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=60, preexec_fn=lambda: os.close(0))
        return proc.returncode, proc.stdout, proc.stderr
    if mode == "dev-full":
        with open("/dev/full", "w") as full:
            proc = subprocess.run(command, cwd=cwd, env=env, stdout=full, stderr=subprocess.PIPE, text=True,
                                  timeout=60)
        return proc.returncode, "", proc.stderr
    assert mode == "pipe-head"
    shell = " ".join(f"'{part}'" for part in command) + " | head -1"
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", shell], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60)
    # pipefail: the status is mt's own; with SIGPIPE it may only be 0 or 1, never a crash
    assert proc.returncode in (0, 1), proc
    return 0, proc.stdout, proc.stderr


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, tmp_path, monkeypatch, capsys, request):
    if case.skip_root and ROOT:
        pytest.skip("root ignores permission bits (the simulated row covers this case)")
    if case.mode == "dev-full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    work = tmp_path / "work"
    work.mkdir()
    for name, data in case.files.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is None:
            path.mkdir()
        else:
            path.write_bytes(data)
    monkeypatch.chdir(work)
    monkeypatch.setenv("MT_TM", str(tmp_path / "default-tm.sqlite"))
    (tmp_path / "glossaries").mkdir()
    (tmp_path / "glossaries" / "places.tsv").write_bytes(GLOSSARY)
    monkeypatch.setenv("MT_GLOSSARY_DIR", str(tmp_path / "glossaries"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.setenv("MT_DEBUG", "")
    model = str(request.getfixturevalue("trained_nllb")) if any("{model}" in a for a in case.args) else ""
    argv = [arg.replace("{model}", model) for arg in case.args]
    before = _snapshot(work)
    if case.setup:
        case.setup(monkeypatch, work)

    if case.mode == "inproc":
        code, out, err = _run_inproc(argv, case.stdin, capsys, monkeypatch)
    else:
        code, out, err = _run_process(case.mode, argv, work)
    monkeypatch.undo()  # the simulated fault ends with the command
    if case.skip_root:
        (work / "ro").chmod(0o755)

    assert code == case.code, (out, err)
    assert "Traceback" not in err and "Exception" not in err, err
    if case.code == 2:
        assert err.startswith("mt: error: ") and err.count("\n") == 1, err
        assert case.fragment in err, err
        assert _snapshot(work) == before, "a failed command changed or created files"
    elif case.mode == "pipe-head":
        assert out.strip() == case.fragment and err == "", (out, err)
    else:
        assert case.fragment in out + err, (out, err)
    after = _snapshot(work)
    for name in case.untouched:
        assert after[name] == before[name], f"{name} changed"
    assert not _leftovers(work)
    if case.check:
        case.check(work, out)


def test_the_table_is_big_enough():
    assert len(CASES) >= 40
    commands = {c.args[0] for c in CASES}
    assert {"segment", "translate", "glossary", "tm", "qa", "score"} <= commands


def test_mt_debug_shows_the_traceback(tmp_path, monkeypatch, capsys):
    """MT_DEBUG=1 (or --debug) prints the traceback above the usual one line."""
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MT_DEBUG", "")
    code, out, err = _run_inproc(["segment", "bin.txt"], None, capsys, monkeypatch)
    assert code == 2 and "Traceback" not in err and err.count("\n") == 1
    for argv, env in ((["--debug", "segment", "bin.txt"], None), (["segment", "bin.txt"], "1")):
        if env:
            monkeypatch.setenv("MT_DEBUG", env)
        code, out, err = _run_inproc(argv, None, capsys, monkeypatch)
        assert code == 2
        assert err.startswith("Traceback (most recent call last):") and "mt/io.py" in err
        assert err.splitlines()[-1].startswith("mt: error: bin.txt:1: binary data")
        monkeypatch.setenv("MT_DEBUG", "")
    code, out, err = _run_inproc(["segment", "bin.txt"], None, capsys, monkeypatch)
    assert code == 2 and err.count("\n") == 1  # --debug held for its own run only


def test_a_bug_is_one_line_and_says_how_to_report_it(tmp_path, monkeypatch, capsys):
    """An exception that is not an MtError (a bug) is still one line, exit 70."""
    (tmp_path / "rel.txt").write_bytes(RELEASE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MT_DEBUG", "")

    def broken(doc):
        raise KeyError("paragraph")

    monkeypatch.setattr("mt.cli.segment.segment_document", broken)
    code, out, err = _run_inproc(["segment", "rel.txt"], None, capsys, monkeypatch)
    assert code == 70 and err.count("\n") == 1
    assert err.startswith("mt: internal error: KeyError: 'paragraph'") and "MT_DEBUG=1" in err
    monkeypatch.setenv("MT_DEBUG", "1")
    code, out, err = _run_inproc(["segment", "rel.txt"], None, capsys, monkeypatch)
    assert code == 70 and "Traceback" in err and "in broken" in err
