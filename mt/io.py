"""Bytes in, files out: decoding and atomic writes.

Reading: bytes -> text (encoding detected, never guessed silently); turning text into a
Document (or a glossary, a memory ...) is the job of the format modules in mt.formats.
Writing: all-or-nothing; every file is written to a temporary file beside it and only
then moved into place, and a failure puts back whatever was there before. A process
killed halfway (kill -9, power cut) leaves a journal; the next write to that folder
(or `recover_interrupted_writes`) puts the old files back and removes the leftovers.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import sys
import tempfile
from itertools import pairwise
from pathlib import Path

from mt.crashpoints import crash_point
from mt.errors import InputError, OutputError

RESAVE = "re-save the file as UTF-8: in most editors Save As, Encoding UTF-8"

# --------------------------------------------------------------------------- decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Bytes whose KZ-1048 letter (Қ Һ Ұ Ә Ң, lower and upper) only Serbian/Belarusian uses in
# cp1251: their presence means the file is Kazakh Windows (KZ-1048), not cp1251.
_KZ1048_ONLY = re.compile(rb"[\x8d\x8e\x9d\x9e\xa1\xa2\xa3\xbc\xbd\xbe]")
_NEUTRAL = set("«»„“”‘’‚–—…№•°§©®±×·\u00a0")
_UNLIKELY_CYRILLIC = set("ЂђЃѓЉљЊњЌќЋћЏџЎўЈјЅѕ")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MOJIBAKE = re.compile(r"[\u00d0\u00d1\u00d2\u00d3][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178"
                       r"\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]")
_WORD = re.compile(r"[^\W\d_]{3,}")


def _plausible_cyrillic(text: str) -> bool:
    """Whether an 8-bit decoding reads as Cyrillic prose, not as bytes of another
    encoding (Latin-1, KOI8-R...) shown through the wrong code page."""
    cyrillic = latin = bad = non_ascii = 0
    for char in text:
        if char < "\x80":
            latin += char.isalpha()
            continue
        non_ascii += 1
        if "\u0400" <= char <= "\u04ff" and char not in _UNLIKELY_CYRILLIC:
            cyrillic += 1
        elif char not in _NEUTRAL:
            bad += 1
    if cyrillic == 0 or cyrillic < latin or bad * 50 > non_ascii:
        return False
    # KOI8-R read as cp1251 swaps case: "пРИВЕТ", whole texts in capitals.
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    camel = sum(1 for w in words if any(a.islower() and b.isupper() for a, b in pairwise(w)))
    capitals = sum(1 for w in words if w.isupper())
    return camel * 20 <= len(words) and capitals * 2 <= len(words)


def _decode_error(name: str, data: bytes, exc: UnicodeDecodeError) -> InputError:
    line = data.count(b"\n", 0, exc.start) + 1
    byte = data[exc.start]
    return InputError(
        f"not UTF-8 text: byte 0x{byte:02X} at byte offset {exc.start} cannot be decoded, "
        "and the file does not read as Cyrillic cp1251/KZ-1048 either",
        file=name, line=line, hint=RESAVE)


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when `data` reads as UTF-16 without a byte-order mark:
    nearly every high byte is 0x00 (ASCII, Latin-1) or 0x04 (Cyrillic). UTF-8 text never
    looks like that (it has no NUL bytes, and 0x04 is a control character)."""
    if len(data) < 4 or len(data) % 2:
        return None
    for codec, high in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        if sum(byte in (0, 4) for byte in high) >= 0.9 * len(high):
            return codec
    return None


def is_utf8(data: bytes) -> bool:
    """Whether `data` decodes as UTF-8 (the test both markup readers make before they
    believe a declared 8-bit code page)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_bytes(data: bytes, name: str = "-") -> str:
    """Decode a release file: UTF-8 (with or without BOM), UTF-16/32 with a BOM, or
    Cyrillic Windows code pages (cp1251, Kazakh KZ-1048) when the result is plausibly
    Cyrillic text. Anything else (UTF-16 without a BOM included) raises InputError
    naming the file and line."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"broken {codec.upper()} text after its byte-order mark "
                                 f"(byte offset {exc.start})", file=name, hint=RESAVE) from None
            return _checked(text, name)
    utf16 = utf16_without_bom(data)
    if utf16:
        raise InputError(f"UTF-16 without a byte-order mark ({utf16[-2:].upper()}), not UTF-8 text",
                         file=name, hint=RESAVE)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            # Valid UTF-8 up to a character cut in half: an interrupted copy or download.
            raise InputError("the file ends in the middle of a UTF-8 character (it was cut short)",
                             file=name, line=data.count(b"\n", 0, exc.start) + 1,
                             hint="copy or download the file again") from None
        codec = "kz1048" if _KZ1048_ONLY.search(data) else "cp1251"
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            raise _decode_error(name, data, exc) from None
        if not _plausible_cyrillic(text):
            raise _decode_error(name, data, exc) from None
        return _checked(text, name)
    if len(_MOJIBAKE.findall(text)) >= 3 and not re.search(r"[\u0400-\u04ff]", text):
        raise InputError("the text looks like UTF-8 that was decoded and saved again as Latin-1 "
                         "(mojibake such as 'Ð°')", file=name,
                         hint="open the original file, or re-save it as UTF-8 from a program that shows it correctly")
    return _checked(text, name)


def _checked(text: str, name: str) -> str:
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise InputError(f"binary data or UTF-16 without a byte-order mark (control character "
                         f"U+{ord(control.group()):04X})", file=name, line=line,
                         hint="give a plain-text or Markdown file saved as UTF-8")
    return text


def read_stdin() -> bytes:
    """All of standard input, as bytes; InputError when it is closed (`mt ... - <&-`)."""
    if sys.stdin is None:
        raise InputError("standard input is closed", file="-", hint="pipe a release into mt, or give a file name")
    try:
        stream = getattr(sys.stdin, "buffer", None)
        return stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
    except (OSError, ValueError) as exc:  # EBADF, or a closed file object
        raise InputError(f"cannot read standard input ({getattr(exc, 'strerror', None) or exc})", file="-",
                         hint="pipe a release into mt, or give a file name") from None


def read_lines(path: str | Path) -> list[str]:
    """A line-aligned file (system output, reference, source): one segment per line.
    Decoded like a release (see decode_bytes); a trailing newline ends the last line;
    CRLF counts as LF; an empty file is refused (nothing can be aligned with it)."""
    name = str(path)
    data = read_bytes(path)
    if not data:
        raise InputError("the file is empty", file=name, hint="give one segment per line")
    lines = decode_bytes(data, name).removeprefix("\ufeff").split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes; a missing, unreadable or folder path is an InputError naming it."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=str(path), hint="check the path") from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", file=str(path), hint="give the path of a file") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=str(path),
                         hint="check that the file exists and is readable") from None


# --------------------------------------------------------------------------- writing

def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _make_folder(folder: Path, created: list[Path]) -> None:
    missing = []
    for parent in (folder, *folder.parents):
        if parent.is_dir():
            break
        if parent.exists():
            raise NotADirectoryError(errno.ENOTDIR, f"{parent} is a file, not a folder")
        missing.append(parent)
    folder.mkdir(parents=True, exist_ok=True)
    created.extend(missing)  # deepest first, so cleanup can rmdir them in order


def _our_prefix(path: Path) -> str:
    """Temporary and backup files carry the writer's pid, so leftovers of a killed
    process can be told from those of a write still running."""
    return f".{path.name}.mt{os.getpid()}."


# .NAME.mt<pid>.<random>.tmp|.bak (temporary file, backup), .mt<pid>.<random>.journal(.tmp)
_LEFTOVER = re.compile(r"\A\.(?:.*\.)?mt(\d+)\.[a-z0-9_]+\.(journal\.tmp|journal|tmp|bak)\Z")


def _write_temp(path: Path, content: str | bytes, mode: int) -> str:
    fd, temp = tempfile.mkstemp(prefix=_our_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content.encode("utf-8") if isinstance(content, str) else content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
    except BaseException:
        os.unlink(temp)
        raise
    return temp


def _backup(path: Path) -> str | None:
    """A second name for an existing file, so it can be put back after a failure."""
    if not path.exists() or path.is_dir():
        return None
    fd, backup = tempfile.mkstemp(prefix=_our_prefix(path), suffix=".bak", dir=path.parent)
    os.close(fd)
    os.unlink(backup)
    try:
        os.link(path, backup)
    except OSError:
        shutil.copy2(path, backup)
    return backup


def _fsync_dir(folder: Path) -> None:
    """Make renames in `folder` durable (a power cut after return keeps them)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename itself is still atomic
    finally:
        os.close(fd)


def _write_journal(temps: list[tuple[Path, str]], backups: dict[Path, str | None]) -> str:
    """Record, before the first file is moved, how to undo the moves: written atomically
    itself, so after a crash it is either absent (nothing was moved) or complete."""
    folder = temps[0][0].parent
    records = [{"path": str(path.absolute()), "temp": str(Path(temp).absolute()),
                "backup": str(Path(backup).absolute()) if (backup := backups[path]) else None}
               for path, temp in temps]
    fd, temp = tempfile.mkstemp(prefix=f".mt{os.getpid()}.", suffix=".journal.tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"pid": os.getpid(), "files": records}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        journal = temp.removesuffix(".tmp")
        os.replace(temp, journal)
    except BaseException:
        _quiet_unlink(temp)
        raise
    _fsync_dir(folder)
    return journal


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill(pid, 0) would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def recover_interrupted_writes(folder: str | Path) -> int:
    """Undo what a killed `mt` process left in `folder`: a write that had begun moving
    files into place is rolled back from its journal (every file is the old one again,
    files it created are removed), and its temporary and backup files are deleted.
    Writes of running processes are left alone. Returns the number of writes undone."""
    folder = Path(folder)
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return 0
    dead = [(name, m.group(2)) for name in names if (m := _LEFTOVER.match(name)) and not _alive(int(m.group(1)))]
    undone = 0
    for name, kind in dead:
        if kind == "journal":
            _undo_journal(folder / name)
            undone += 1
    for name, kind in dead:
        if kind != "journal":
            _quiet_unlink(str(folder / name))
    if dead:
        _fsync_dir(folder)
    return undone


def _undo_journal(journal: Path) -> None:
    try:
        records = json.loads(journal.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        records = []  # cannot happen for a journal we wrote (it is renamed into place whole)
    for record in records:
        path, temp, backup = record["path"], record["temp"], record["backup"]
        moved = not os.path.exists(temp)
        try:
            if backup and os.path.exists(backup):
                os.replace(backup, path)
            elif moved and backup is None and os.path.exists(path):
                os.unlink(path)  # the file did not exist before the interrupted write
        except OSError:
            pass
        if not moved:
            _quiet_unlink(temp)
    _quiet_unlink(str(journal))


def _target(path: Path) -> Path:
    """The file a write to `path` replaces: `path` itself, or for a symbolic link the file
    it points to (the link stays a link and the linked file gets the content). Anything
    that exists and is not a regular file (a folder, a device such as /dev/full, a pipe,
    a socket) is refused: renaming over it would replace it with a regular file."""
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    if os.path.lexists(path) and not path.is_file():
        what = "a folder" if path.is_dir() else "not a regular file (a device, pipe or socket)"
        raise OutputError(f"is {what}; mt writes only regular files and never replaces anything else",
                          file=str(path), hint="give the path of a file to write")
    return path


def write_files_atomically(files: dict[Path, str | bytes]) -> None:
    """Write all files or none; text as UTF-8, bytes as they are. Missing folders are created. Each file goes to a
    temporary file in its own folder first; only when all are written are they moved into
    place, and if one move fails the files already moved are put back as they were.
    Raises OutputError naming the path on any failure, leaving nothing behind.

    Against a crash (kill -9) while moving: a journal beside the first file says how to
    undo the moves, and the next write to that folder does so before anything else.

    A path that exists and is not a regular file is refused before anything is written;
    a symbolic link is written through (see _target)."""
    items = [(_target(Path(p)), text) for p, text in files.items()]
    if not items:
        return
    mode = 0o666 & ~_umask()
    created: list[Path] = []
    temps: list[tuple[Path, str]] = []
    backups: dict[Path, str | None] = {}
    moved: list[Path] = []
    journal: str | None = None
    current = items[0][0]
    try:
        for path, content in items:
            current = path
            if path.parent not in created and path.parent.is_dir():
                recover_interrupted_writes(path.parent)
            _make_folder(path.parent, created)
            existing_mode = os.stat(path).st_mode & 0o7777 if path.is_file() else mode
            temps.append((path, _write_temp(path, content, existing_mode)))
        crash_point("write-temps")
        for path, _ in temps:
            current = path
            backups[path] = _backup(path)
        current = items[0][0]
        journal = _write_journal(temps, backups)
        for path, temp in temps:
            current = path
            os.replace(temp, path)
            moved.append(path)
            crash_point("write-moved")
        for folder in dict.fromkeys(path.parent for path, _ in temps):
            _fsync_dir(folder)
    except (OSError, UnicodeError) as exc:
        _roll_back(temps, moved, backups, created)
        if journal:
            _quiet_unlink(journal)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise OutputError(f"cannot write: {reason}; nothing was written", file=str(current),
                          hint="check that the folder exists and is writable and the disk has space") from None
    _quiet_unlink(journal)  # done: from here a crash leaves only backups, which are stale
    for backup in backups.values():
        if backup:
            _quiet_unlink(backup)


def _roll_back(temps: list[tuple[Path, str]], moved: list[Path], backups: dict[Path, str | None],
               created: list[Path]) -> None:
    for path in reversed(moved):
        backup = backups.get(path)
        try:
            if backup:
                os.replace(backup, path)
            else:
                os.unlink(path)
        except OSError:
            pass
    for path, temp in temps:
        if path not in moved:
            _quiet_unlink(temp)
    for backup in backups.values():
        if backup:
            _quiet_unlink(backup)
    for folder in created:
        try:
            folder.rmdir()
        except OSError:
            pass


def _quiet_unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write one UTF-8 file atomically (see write_files_atomically)."""
    write_files_atomically({Path(path): text})


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write one file's bytes atomically (see write_files_atomically)."""
    write_files_atomically({Path(path): data})
