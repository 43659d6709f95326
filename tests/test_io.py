"""Reading releases (layouts, encodings, refusals) and all-or-nothing writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import mt.io
from mt.cli import cli
from mt.errors import InputError, OutputError
from mt.formats import read_release
from mt.io import atomic_write_text, write_files_atomically

RELEASE = Path(__file__).parents[1] / "corpora" / "press-releases" / "aktobe-germany-2025" / "release.kk.txt"
RELEASE_TEXT = RELEASE.read_text(encoding="utf-8")
RUSSIAN = "Аким области встретился с делегацией.\n«Мы готовы», – сказал он. Проекты в Актобе растут.\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- layouts

def test_release_one_paragraph_per_line():
    doc = read_release(RELEASE)
    lines = RELEASE_TEXT.splitlines()
    assert doc.title == lines[0]
    assert doc.paragraphs == tuple(lines[1:]) and len(doc.paragraphs) == 12
    assert doc.path == str(RELEASE)


def test_txt_blank_line_separated_joins_wrapped_lines(tmp_path):
    path = _write(tmp_path, "r.txt", "\n\nТақырып\n\nБірінші абзац\nжалғасы.\n\n\nЕкінші абзац.\n".encode())
    doc = read_release(path)
    assert doc.title == "Тақырып"
    assert doc.paragraphs == ("Бірінші абзац жалғасы.", "Екінші абзац.")


def test_txt_blank_line_after_title_only_keeps_lines_as_paragraphs(tmp_path):
    path = _write(tmp_path, "r.txt", "Тақырып\n\nБір.\nЕкі.\r\nҮш.\n\n".encode())
    assert read_release(path).paragraphs == ("Бір.", "Екі.", "Үш.")


def test_markdown_marks_are_removed(tmp_path):
    text = ("# Неміс **кәсіпкерлері** Ақтөбеде\n\n"
            "Облыс әкімі *Асхат Шахаров* делегациямен\nкездесті. Толығырақ [сайтта](https://aktobe.gov.kz).\n\n"
            "## Меморандум\n\nҮш бағыт:\n1. Кооперация.\n- Кадр даярлау\n\n> «Біз дайынбыз», – деді ол.\n")
    doc = read_release(_write(tmp_path, "r.md", text.encode()))
    assert doc.title == "Неміс кәсіпкерлері Ақтөбеде"
    assert doc.paragraphs == (
        "Облыс әкімі Асхат Шахаров делегациямен кездесті. Толығырақ сайтта.",  # the address is markup
        "Меморандум", "Үш бағыт:", "Кооперация.", "Кадр даярлау", "«Біз дайынбыз», – деді ол.")  # list numbers stay markup


def test_markdown_without_blank_lines_is_one_paragraph_per_line(tmp_path):
    doc = read_release(_write(tmp_path, "r.md", "Тақырып\n=======\nБір **сөз**.\nЕкі_сөз.\n".encode()))
    assert doc.title == "Тақырып" and doc.paragraphs == ("Бір сөз.", "Екі_сөз.")


def test_plain_text_keeps_markdown_like_characters(tmp_path):
    doc = read_release(_write(tmp_path, "r.txt", "# Тақырып\n*Бір* сөз.\n".encode()))
    assert doc.title == "Тақырып" and doc.paragraphs == ("*Бір* сөз.",)


# --------------------------------------------------------------------------- encodings

@pytest.mark.parametrize("encode", [
    lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    lambda t: t.encode("utf-16"),          # with BOM
    lambda t: t.encode("utf-16-be").join([b"\xfe\xff", b""]),
    lambda t: t.encode("kz1048"),          # Kazakh Windows code page
], ids=["utf8-bom", "utf16-le-bom", "utf16-be-bom", "kz1048"])
def test_release_in_other_encodings_reads_the_same(tmp_path, encode):
    expected = read_release(RELEASE)
    doc = read_release(_write(tmp_path, "r.txt", encode(RELEASE_TEXT)))
    assert (doc.title, doc.paragraphs) == (expected.title, expected.paragraphs)


def test_cp1251_is_decoded(tmp_path):
    doc = read_release(_write(tmp_path, "r.txt", RUSSIAN.encode("cp1251")))
    assert doc.title == "Аким области встретился с делегацией."
    assert doc.paragraphs == ("«Мы готовы», – сказал он. Проекты в Актобе растут.",)


@pytest.mark.parametrize("data", [
    "Ascii title\nline two\nMüller traf die Delegation in Aktöbe.\n".encode("latin-1"),
    ("Title\nline two\n" + RUSSIAN).encode("koi8-r", "replace"),   # reads as Cyrillic letters in cp1251, wrong case
    ("Title\nline two\n" + RUSSIAN).encode("cp866", "replace"),
    b"Title\nline two\n\x98\x98 \xff\xfe\x81",
], ids=["latin1", "koi8r", "cp866", "junk"])
def test_undecodable_bytes_are_refused_with_file_and_line(tmp_path, data):
    path = _write(tmp_path, "bad.txt", data)
    with pytest.raises(InputError) as caught:
        read_release(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:3: ") and "UTF-8" in message and "\n" not in message


def test_cli_refuses_undecodable_file_in_one_line(tmp_path):
    path = _write(tmp_path, "bad.txt", "Title\nMüller traf die Delegation.\n".encode("latin-1"))
    result = CliRunner().invoke(cli, ["segment", str(path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mt: error: ") and str(path) in lines[0]
    assert "re-save the file as UTF-8" in lines[0] and "Traceback" not in result.output


@pytest.mark.parametrize("data, words", [
    (b"", "empty"), (b" \n\n\t\n", "empty"),
    ("Title\nBody".encode("utf-16-le"), "UTF-16 without a byte-order mark"),
    ("Аким области встретился с делегацией".encode().decode("cp1252", "replace").encode("utf-8") * 2,
     "mojibake"),
])
def test_empty_binary_and_mojibake_files_are_refused(tmp_path, data, words):
    path = _write(tmp_path, "r.txt", data)
    with pytest.raises(InputError, match=words) as caught:
        read_release(path)
    assert str(path) in str(caught.value)


def test_word_and_pdf_files_are_refused_with_what_to_do(tmp_path):
    path = _write(tmp_path, "release.txt", b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)))
    with pytest.raises(InputError, match="save it as plain text"):
        read_release(path)
    path = _write(tmp_path, "release.docx", b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)))
    with pytest.raises(InputError, match="broken zip archive"):  # .docx is read (mt.formats.docx)
        read_release(path)


def test_missing_file_and_folder_are_refused(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_release(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="folder"):
        read_release(tmp_path)


# --------------------------------------------------------------------------- writing

def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_write_files_atomically_writes_all_with_normal_permissions(tmp_path):
    files = {tmp_path / "out" / "r.de.txt": "Titel\n", tmp_path / "out" / "r.en.txt": "Title\n"}
    write_files_atomically(files)
    for path, text in files.items():
        assert path.read_text(encoding="utf-8") == text
        umask = os.umask(0)
        os.umask(umask)
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    assert _leftovers(tmp_path / "out") == []


def test_atomic_write_text_replaces_existing_file_and_keeps_its_mode(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    atomic_write_text(path, "жаңа\n")
    assert path.read_text(encoding="utf-8") == "жаңа\n" and path.stat().st_mode & 0o777 == 0o640


def test_failure_writing_second_file_leaves_neither_and_keeps_existing(tmp_path):
    first = tmp_path / "r.de.txt"
    first.write_text("the user's file", encoding="utf-8")
    second = tmp_path / "new" / "r.en.txt"
    with pytest.raises(OutputError) as caught:
        write_files_atomically({first: "neu", second: "bad \ud800 text"})  # cannot be encoded
    assert str(second) in str(caught.value)
    assert first.read_text(encoding="utf-8") == "the user's file"
    assert not second.exists() and not second.parent.exists()
    assert _leftovers(tmp_path) == []


def test_failure_while_moving_into_place_puts_back_the_first_file(tmp_path):
    first = tmp_path / "r.de.txt"
    first.write_text("the user's file", encoding="utf-8")
    second = tmp_path / "r.en.txt"
    second.mkdir()
    (second / "keep").write_text("x")  # a non-empty folder cannot be replaced by a file
    with pytest.raises(OutputError) as caught:
        write_files_atomically({first: "neu", second: "new"})
    assert str(second) in str(caught.value)
    assert first.read_text(encoding="utf-8") == "the user's file"
    assert second.is_dir() and (second / "keep").read_text() == "x"
    assert _leftovers(tmp_path) == []


def test_failure_after_first_move_removes_a_new_first_file(tmp_path, monkeypatch):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    second.write_text("the user's b", encoding="utf-8")
    real_replace = os.replace

    def failing_replace(src, dst):
        if Path(dst) == second:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(mt.io.os, "replace", failing_replace)
    with pytest.raises(OutputError, match="No space left"):
        write_files_atomically({first: "A", second: "B"})
    assert not first.exists()
    assert second.read_text(encoding="utf-8") == "the user's b"
    assert _leftovers(tmp_path) == []


def test_unwritable_place_is_an_output_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError) as caught:
        atomic_write_text(blocker / "r.txt", "text")
    assert str(blocker / "r.txt") in str(caught.value) and blocker.read_text() == "x"


# --------------------------------------------------------------------------- line-aligned files

def test_kazakh_utf16_without_bom_is_refused_as_utf16_not_as_bad_utf8(tmp_path):
    path = _write(tmp_path, "r.txt", "Ақтөбе облысы\nСәлем әлем.\n".encode("utf-16-le"))
    with pytest.raises(InputError, match=r"UTF-16 without a byte-order mark \(LE\)"):
        read_release(path)
    assert mt.io.utf16_without_bom("Ақтөбе облысы".encode("utf-16-be")) == "utf-16-be"
    assert mt.io.utf16_without_bom("Ақтөбе облысы".encode()) is None


def test_read_lines_keeps_alignment_and_refuses_empty_and_undecodable_files(tmp_path):
    path = _write(tmp_path, "h.txt", "\ufeffone\r\n\r\nthree\n".encode("utf-8"))
    assert mt.io.read_lines(path) == ["one", "", "three"]
    with pytest.raises(InputError, match="the file is empty") as caught:
        mt.io.read_lines(_write(tmp_path, "e.txt", b""))
    assert str(caught.value).startswith(f"{tmp_path / 'e.txt'}: ")
    with pytest.raises(InputError, match="not UTF-8") as caught:
        mt.io.read_lines(_write(tmp_path, "l.txt", "a\nMüller traf\n".encode("latin-1")))
    assert str(caught.value).startswith(f"{tmp_path / 'l.txt'}:2: ")
    with pytest.raises(InputError, match="folder"):
        mt.io.read_lines(tmp_path)


def test_atomic_write_bytes_creates_folders_and_refuses_a_path_under_a_file(tmp_path):
    mt.io.atomic_write_bytes(tmp_path / "new" / "g.tbx", b"<tbx/>")
    assert (tmp_path / "new" / "g.tbx").read_bytes() == b"<tbx/>"
    (tmp_path / "plain").write_text("x")
    with pytest.raises(OutputError, match="nothing was written") as caught:
        mt.io.atomic_write_bytes(tmp_path / "plain" / "g.tbx", b"<tbx/>")
    assert str(tmp_path / "plain" / "g.tbx") in str(caught.value)
    assert _leftovers(tmp_path) == []


def test_every_file_is_synced_whole_before_it_is_moved_into_place(tmp_path, monkeypatch):
    """A power cut after the rename must find the new content on disk, not an empty file:
    each temporary file is fsynced after its last byte is written and before os.replace."""
    synced: dict[tuple[int, int], int] = {}  # (device, inode) -> size when fsynced
    moved: list[tuple[str, int, int | None]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        info = os.fstat(fd)
        synced[(info.st_dev, info.st_ino)] = info.st_size
        return real_fsync(fd)

    def replace(src, dst, *args, **kwargs):
        info = os.stat(src)
        moved.append((Path(dst).name, info.st_size, synced.get((info.st_dev, info.st_ino))))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(mt.io.os, "fsync", fsync)
    monkeypatch.setattr(mt.io.os, "replace", replace)
    (tmp_path / "b.txt").write_text("old b\n", encoding="utf-8")
    write_files_atomically({tmp_path / "a.txt": "new a\n", tmp_path / "sub" / "b.txt": b"new b" * 1000,
                            tmp_path / "b.txt": "new b\n"})
    monkeypatch.undo()
    drafts = [(name, size, synced_size) for name, size, synced_size in moved if name.endswith(".txt")]
    assert sorted(name for name, _, _ in drafts) == ["a.txt", "b.txt", "b.txt"]
    assert all(synced_size == size for _, size, synced_size in drafts), drafts
    assert (tmp_path / "sub" / "b.txt").read_bytes() == b"new b" * 1000


_KINDS = ("missing", "file", "link to a file", "folder", "pipe", "socket", "link to a pipe",
          *(("character device", "link to a device") if os.geteuid() == 0 else ()))


def _make(path: Path, kind: str) -> None:
    import socket
    import stat

    if kind == "file":
        path.write_bytes(b"old\n")
    elif kind == "folder":
        path.mkdir()
    elif kind == "pipe":
        os.mkfifo(path)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
    elif kind == "character device":
        os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # a private /dev/null
    elif kind.startswith("link to a "):
        _make(path.with_name(path.name + ".real"), kind.removeprefix("link to a ").replace("device", "character device"))
        os.symlink(path.name + ".real", path)


def _state(folder: Path) -> dict[str, object]:
    import stat

    out: dict[str, object] = {}
    for path in sorted(folder.iterdir()):
        info = path.lstat()
        if stat.S_ISREG(info.st_mode):
            out[path.name] = path.read_bytes()
        elif stat.S_ISLNK(info.st_mode):
            out[path.name] = f"link to {os.readlink(path)}"
        else:
            out[path.name] = f"{stat.S_IFMT(info.st_mode):o} {info.st_rdev}"
    return out


@settings(max_examples=120, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(_KINDS), min_size=1, max_size=4))
def test_the_writer_replaces_regular_files_only_all_or_nothing(kinds):
    """The property of mt.io's writer: for any mix of targets, either every target was a
    regular file, a link to one or missing and all get the new content (links stay links,
    their files change), or OutputError and nothing at all changed."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        targets = {}
        for i, kind in enumerate(kinds):
            _make(base / f"t{i}", kind)
            targets[base / f"t{i}"] = f"new {i}\n"
        before = _state(base)
        writable = all(kind in ("missing", "file", "link to a file") for kind in kinds)
        if not writable:
            with pytest.raises(OutputError, match="mt writes only regular files|is a folder"):
                write_files_atomically(targets)
            assert _state(base) == before
            return
        write_files_atomically(targets)
        after = _state(base)
        for i, kind in enumerate(kinds):
            name = f"t{i}" + (".real" if kind == "link to a file" else "")
            assert after[name] == f"new {i}\n".encode()
            if kind == "link to a file":
                assert after[f"t{i}"] == f"link to t{i}.real"
