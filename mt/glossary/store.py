"""Glossary files: read, validate, format, find, diff (editing: mt.glossary.edit).

A glossary is one or more tab-separated files (header row, one concept per row,
UTF-8 NFC). Required columns: id type kk en de ru. Optional: kk_variants en_variants
de_variants ru_variants avoid strategy status note. Any other column is kept as
GlossaryEntry.extra so a file survives fmt/import/export unchanged. No quoting: a
cell is everything between two tabs (values with « » „ “ " stay as typed).

`load_glossary` is strict about structure (it raises GlossaryError naming file:line);
`check` reports every problem it can find, one Problem per file:line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from mt.errors import GlossaryError
from mt.glossary.match import Matcher
from mt.io import utf16_without_bom
from mt.types import GlossaryEntry

REQUIRED = ("id", "type", "kk", "en", "de", "ru")
LANGS = ("kk", "en", "de", "ru")
VARIANT_COLUMNS = tuple(f"{lang}_variants" for lang in LANGS)
LIST_COLUMNS = (*VARIANT_COLUMNS, "avoid")
OPTIONAL = (*VARIANT_COLUMNS, "avoid", "strategy", "status", "note")
COLUMNS = (*REQUIRED, *OPTIONAL)
TYPES = ("person", "org", "place", "title", "term", "legal")
STATUSES = ("approved", "proposed", "deprecated")
KEEP = "keep"  # strategy of a do-not-translate term: written in every target as in the source
SEPARATOR = " | "  # between several values of one list cell
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
WORD_RE = re.compile(r"[^\W\d_]+")
LATIN_RE = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
CYRILLIC_RE = re.compile(r"[\u0400-\u052F\u1C80-\u1C8F\u2DE0-\u2DFF\uA640-\uA69F]")

# Problems that make a file unusable: load_glossary raises on these.
FATAL = frozenset({"encoding", "missing-column", "duplicate-column", "column-count",
                   "missing-field", "duplicate-id", "unknown-status"})


@dataclass(frozen=True)
class Problem:
    """One fault of a glossary file. str() gives `file:line: message [kind]`."""

    file: str
    line: int
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message} [{self.kind}]"


def default_glossary_dir() -> Path:
    """$MT_GLOSSARY_DIR, else ./glossaries, else the glossaries/ folder beside the package."""
    env = os.environ.get("MT_GLOSSARY_DIR")
    if env:
        return Path(env)
    local = Path("glossaries")
    if local.is_dir():
        return local
    return Path(__file__).resolve().parents[2] / "glossaries"


# The shipped glossary keeps one file per type; `mt glossary add` appends there by default.
TYPE_FILES = {"person": "persons.tsv", "org": "orgs.tsv", "place": "places.tsv",
              "title": "titles.tsv", "term": "terms.tsv", "legal": "legal-forms.tsv"}


def default_file_for(entry_type: str) -> Path:
    return default_glossary_dir() / TYPE_FILES.get(entry_type, "terms.tsv")


def glossary_files(paths: Sequence[str | Path] = ()) -> list[Path]:
    """The TSV files named by `paths` (files, or folders searched for *.tsv);
    no paths: the default glossary folder."""
    if not paths:
        paths = [default_glossary_dir()]
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(path.rglob("*.tsv"))
            if not found:
                raise GlossaryError("no .tsv glossary files in this folder", file=str(path),
                                    hint="give a folder holding glossary .tsv files, or a .tsv file")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif os.path.lexists(path) and path.exists():
            raise GlossaryError("not a regular file (a device, pipe or socket), so not a glossary file",
                                file=str(path), hint="give a .tsv file or a folder of them with --glossary")
        else:
            raise GlossaryError("no such glossary file or folder", file=str(path),
                                hint="give a .tsv file or a folder of them with --glossary")
    return files


# ---------------------------------------------------------------- cells and rows

def clean(value: str) -> str:
    """Canonical form of one cell: NFC, trimmed, inner whitespace runs -> one space."""
    if not value:
        return value
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


def split_list(value: str) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part for part in (clean(p) for p in value.split("|")) if part)


def join_list(values: Iterable[str]) -> str:
    return SEPARATOR.join(values)


def entry_from_row(row: dict[str, str], *, file: str = "", line: int = 0) -> GlossaryEntry:
    """A GlossaryEntry from column -> raw cell; unknown columns go to `extra`."""
    known: dict[str, Any] = {}  # str cells and tuple list cells, by column
    for column in COLUMNS:
        value = row.get(column, "")
        known[column] = split_list(value) if column in LIST_COLUMNS else clean(value)
    known["status"] = known["status"] or "approved"
    # Empty extra cells are not kept: an entry is the same whichever table it came from.
    extra = tuple((column, clean(value)) for column, value in row.items()
                  if column not in COLUMNS and clean(value))
    return GlossaryEntry(**known, extra=extra, file=file, line=line)


def entry_to_row(entry: GlossaryEntry) -> dict[str, str]:
    row = {}
    for column in COLUMNS:
        value = getattr(entry, column)
        row[column] = join_list(value) if column in LIST_COLUMNS else value
    row.update(entry.extra)
    return row


def columns_of(entries: Iterable[GlossaryEntry], extra_columns: Iterable[str] = ()) -> list[str]:
    """The fixed columns, then `extra_columns`, then other extra columns in order of
    first appearance."""
    columns = list(dict.fromkeys([*COLUMNS, *extra_columns]))
    for entry in entries:
        for name, _ in entry.extra:
            if name not in columns:
                columns.append(name)
    return columns


def without_origin(entry: GlossaryEntry) -> GlossaryEntry:
    """The entry with file/line cleared: what equality of content means."""
    return dataclasses.replace(entry, file="", line=0)


def sort_key(entry: GlossaryEntry) -> tuple[str, str]:
    return (entry.id.casefold(), entry.id)


def format_tsv(entries: Iterable[GlossaryEntry], *, sort: bool = True, extra_columns: Iterable[str] = ()) -> str:
    """Canonical file text: fixed column order, NFC, trimmed, rows by id, LF endings.
    `extra_columns` are written even when empty (fmt keeps a file's own columns)."""
    entries = list(entries)
    if sort:
        entries.sort(key=sort_key)
    columns = columns_of(entries, extra_columns)
    lines = ["\t".join(columns)]
    for entry in entries:
        row = entry_to_row(entry)
        lines.append("\t".join(row.get(column, "") for column in columns))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- parsing

def _read_lines(path: Path) -> tuple[list[str], list[Problem]]:
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GlossaryError(f"cannot read glossary: {exc.strerror}", file=name) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_without_bom(data) or b"\x00" in data:
        return [], [Problem(name, 1, "encoding", "UTF-16 or binary data, not UTF-8 text: save the file as "
                                                 "UTF-8 (a spreadsheet's 'Unicode text' is UTF-16)")]
    lines, problems = [], []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError:
            problems.append(Problem(name, number, "encoding", "not UTF-8: save the file as UTF-8"))
            line = raw.decode("utf-8", "replace").rstrip("\r")
        if line.startswith("\ufeff"):
            # Files joined with `cat` (or rows pasted from a file saved "with BOM") carry a
            # byte-order mark inside: it would become part of the id. Read without it;
            # check and fmt --check report it, fmt removes it.
            line = line.lstrip("\ufeff")
            problems.append(Problem(name, number, "bom", "byte-order mark (U+FEFF) at the start of the line, "
                                                          "e.g. from joining files (run `mt glossary fmt`)"))
        lines.append(line)
    if lines and lines[-1] == "":
        lines.pop()
    return lines, problems


def _cell_problems(name: str, number: int, column: str, value: str) -> list[Problem]:
    problems = []
    nfc = unicodedata.normalize("NFC", value)
    if value != nfc:
        problems.append(Problem(name, number, "not-nfc",
                                f"{column}: text is not NFC (run `mt glossary fmt`)"))
    canonical = join_list(split_list(nfc)) if column in LIST_COLUMNS else clean(nfc)
    if nfc != canonical:
        problems.append(Problem(name, number, "whitespace",
                                f"{column}: stray whitespace in {value!r} (run `mt glossary fmt`)"))
    if not (LATIN_RE.search(value) and CYRILLIC_RE.search(value)):
        return problems
    for word in WORD_RE.findall(value):
        if LATIN_RE.search(word) and CYRILLIC_RE.search(word):
            problems.append(Problem(name, number, "lookalike",
                                    f"{column}: word {word!r} mixes Latin and Cyrillic letters "
                                    "(retype the look-alike letters)"))
    return problems


def _row_problems(entry: GlossaryEntry, name: str, number: int) -> list[Problem]:
    problems = []
    for column in ("id", "type", "kk"):
        if not getattr(entry, column):
            problems.append(Problem(name, number, "missing-field", f"empty {column}: every row needs id, type and kk"))
    if entry.id and not ID_RE.match(entry.id):
        problems.append(Problem(name, number, "bad-id",
                                f"id {entry.id!r}: use letters, digits and . _ - only (e.g. person.shakharov)"))
    if entry.type and entry.type not in TYPES:
        problems.append(Problem(name, number, "unknown-type",
                                f"unknown type {entry.type!r}: use one of {', '.join(TYPES)}"))
    if entry.status not in STATUSES:
        problems.append(Problem(name, number, "unknown-status",
                                f"unknown status {entry.status!r}: use one of {', '.join(STATUSES)}"))
    if entry.strategy == KEEP:
        changed = [lang for lang in ("en", "de", "ru") if entry.target(lang) != entry.kk]
        if changed:
            problems.append(Problem(name, number, "keep-translated",
                                    f"do-not-translate row (strategy {KEEP}): {changed[0]} must be {entry.kk!r} "
                                    "as in kk (or drop the strategy)"))
        if entry.avoid and entry.kk in entry.avoid:
            problems.append(Problem(name, number, "keep-translated", f"{entry.kk!r} is both kept and avoided"))
    if entry.kk.endswith("-"):
        problems.append(Problem(name, number, "bad-compound",
                                f"kk {entry.kk!r} ends in '-': give the full name in kk and the compound-only "
                                "form in kk_variants"))
    for form in entry.kk_variants:
        if form.endswith("-") and (" " in form or len(form) < 3):
            problems.append(Problem(name, number, "bad-compound",
                                    f"compound-only form {form!r}: one word before the '-' (қазақ-)"))
    if entry.status == "approved":
        missing = [lang for lang in ("en", "de", "ru") if not entry.target(lang)]
        if missing:
            problems.append(Problem(name, number, "missing-target",
                                    f"approved row without {', '.join(missing)}: fill it in or set status proposed"))
    return problems


def parse_file(path: str | Path, *, check_cells: bool = True) -> tuple[list[GlossaryEntry], list[Problem]]:
    """All entries of one file and every problem found in it (nothing raised for
    content faults; unreadable files raise GlossaryError). `check_cells=False` skips the
    per-cell checks (whitespace, NFC, look-alikes), which loading repairs or tolerates."""
    path = Path(path)
    name = str(path)
    lines, problems = _read_lines(path)
    if problems and problems[0].line == 1:  # an unreadable header hides every other fault
        return [], problems[:1]
    if not lines or not lines[0].strip():
        return [], [Problem(name, 1, "missing-column", f"no header row: the first line must name the columns "
                                                        f"({' '.join(REQUIRED)})")]
    header = [clean(cell) for cell in lines[0].split("\t")]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        return [], [Problem(name, 1, "missing-column",
                            f"missing column(s) {', '.join(missing)}: the header needs at least "
                            f"{' '.join(REQUIRED)} (tab-separated)")]
    duplicated = sorted({column for column in header if header.count(column) > 1})
    if duplicated:
        return [], [Problem(name, 1, "duplicate-column", f"column(s) {', '.join(duplicated)} appear twice in the header")]
    entries = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            problems.append(Problem(name, number, "whitespace", "blank line (run `mt glossary fmt`)"))
            continue
        row = line.split("\t")
        if len(row) != len(header):
            problems.append(Problem(name, number, "column-count",
                                    f"{len(row)} columns, the header has {len(header)}: "
                                    "separate cells with exactly one tab each"))
            continue
        if check_cells:
            for column, value in zip(header, row, strict=True):
                problems.extend(_cell_problems(name, number, column, value))
        entry = entry_from_row(dict(zip(header, row, strict=True)), file=name, line=number)
        problems.extend(_row_problems(entry, name, number))
        entries.append(entry)
    return entries, problems


def cross_problems(entries: Sequence[GlossaryEntry]) -> list[Problem]:
    """Problems between rows (possibly of different files): duplicate ids and the same
    Kazakh form in two active entries."""
    problems = []
    seen_ids: dict[str, GlossaryEntry] = {}
    seen_kk: dict[str, GlossaryEntry] = {}
    for entry in entries:
        first = seen_ids.get(entry.id)
        if entry.id and first is not None:
            problems.append(Problem(entry.file, entry.line, "duplicate-id",
                                    f"duplicate id {entry.id!r} (first at {first.file}:{first.line}): "
                                    "give each concept its own id"))
        elif entry.id:
            seen_ids[entry.id] = entry
        if entry.status == "deprecated":
            continue
        for form in dict.fromkeys(f for f in (entry.kk, *entry.kk_variants) if f):
            other = seen_kk.get(form.casefold())
            if other is not None and other.id != entry.id:
                problems.append(Problem(entry.file, entry.line, "duplicate-kk",
                                        f"Kazakh form {form!r} is also in {other.id} ({other.file}:{other.line}): "
                                        "merge the rows or deprecate one"))
            else:
                seen_kk.setdefault(form.casefold(), entry)
    return problems


def check(paths: Sequence[str | Path] = ()) -> list[Problem]:
    """Every problem of the glossary files named by `paths` (default: the glossary folder)."""
    problems: list[Problem] = []
    entries: list[GlossaryEntry] = []
    for path in glossary_files(paths):
        file_entries, file_problems = parse_file(path)
        problems.extend(file_problems)
        entries.extend(file_entries)
    problems.extend(cross_problems(entries))
    return sorted(problems, key=lambda p: (p.file, p.line, p.kind))


# ---------------------------------------------------------------- the glossary

@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...]

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[GlossaryEntry]:
        return iter(self.entries)

    @cached_property
    def by_id(self) -> dict[str, GlossaryEntry]:
        return {entry.id: entry for entry in self.entries}

    def active(self) -> list[GlossaryEntry]:
        """Entries to match and enforce: all but deprecated ones."""
        return [entry for entry in self.entries if entry.status != "deprecated"]

    def version(self) -> str:
        """Content hash (not file names or order): the translation-memory key part."""
        text = format_tsv(without_origin(entry) for entry in self.entries)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def to_tsv(self) -> str:
        return format_tsv(self.entries)

    def find(self, text: str) -> list[GlossaryEntry]:
        return find(self, text)


def load_entries(path: str | Path) -> list[GlossaryEntry]:
    """The entries of one file; GlossaryError at the first structural fault."""
    entries, problems = parse_file(path, check_cells=False)
    fatal = [problem for problem in problems if problem.kind in FATAL]
    if fatal:
        raise_problem(fatal[0])
    return entries


def load_glossary(paths: Sequence[str | Path] = ()) -> Glossary:
    """Read glossary files or folders (default: the glossary folder). Cells are read
    in canonical form (NFC, trimmed); faults that make rows unusable raise GlossaryError."""
    entries: list[GlossaryEntry] = []
    for path in glossary_files(paths):
        entries.extend(load_entries(path))
    duplicates = [p for p in cross_problems(entries) if p.kind == "duplicate-id"]
    if duplicates:
        raise_problem(duplicates[0])
    return Glossary(tuple(entries))


def raise_problem(problem: Problem) -> None:
    """GlossaryError for `problem`, pointing at `mt glossary check`."""
    raise GlossaryError(problem.message, file=problem.file, line=problem.line,
                        hint="`mt glossary check` lists every problem")


def extra_header(path: Path) -> list[str]:
    """The columns of `path`'s header that are not glossary columns (fmt keeps them)."""
    lines, _ = _read_lines(path)
    return [name for name in (clean(cell) for cell in lines[0].split("\t")) if name not in COLUMNS]


def validate_entry(entry: GlossaryEntry) -> list[Problem]:
    """Problems of one new entry, as `check` would report them."""
    where = (entry.file or "<new entry>", entry.line or 0)
    problems = []
    for column, value in entry_to_row(entry).items():
        if "\t" in value or "\n" in value:
            problems.append(Problem(*where, "column-count", f"{column}: tabs and line breaks are not allowed"))
        problems.extend(p for p in _cell_problems(*where, column, value) if p.kind == "lookalike")
    return problems + _row_problems(entry, *where)


def find(glossary: Glossary | Iterable[GlossaryEntry], text: str) -> list[GlossaryEntry]:
    """Entries whose id or any form (kk, en, de, ru and variants) contains `text`
    (case-insensitive), plus entries found by the Kazakh matcher in `text`, so that an
    inflected Kazakh form ("Шахаровтың") finds its entry. Matcher hits come first."""
    entries = list(glossary.entries if isinstance(glossary, Glossary) else glossary)
    query = clean(text).casefold()
    if not query:
        return []
    found: dict[str, GlossaryEntry] = {}
    for entry_id in _matched_ids(entries, clean(text)):
        found.setdefault(entry_id, next(e for e in entries if e.id == entry_id))
    for entry in entries:
        forms = (entry.id, *(entry.target(lang) for lang in LANGS),
                 *(form for lang in LANGS for form in entry.variants(lang)))
        if any(query in form.casefold() for form in forms):
            found.setdefault(entry.id, entry)
    return list(found.values())


def _matched_ids(entries: Sequence[GlossaryEntry], text: str) -> list[str]:
    return [match.id for match in Matcher(entries).find(text)]


def diff(old: Glossary, new: Glossary) -> list[tuple[str, str, str]]:
    """(sign, id, detail) by id: '+' added, '-' removed, '~' changed (one per column)."""
    changes: list[tuple[str, str, str]] = []
    for entry_id in sorted(old.by_id.keys() | new.by_id.keys(), key=str.casefold):
        before, after = old.by_id.get(entry_id), new.by_id.get(entry_id)
        if before is None:
            assert after is not None  # the id is in one of the two
            changes.append(("+", entry_id, f"{after.kk} = {after.en} / {after.de} / {after.ru}"))
        elif after is None:
            changes.append(("-", entry_id, f"{before.kk} = {before.en} / {before.de} / {before.ru}"))
        else:
            old_row, new_row = entry_to_row(before), entry_to_row(after)
            for column in dict.fromkeys([*old_row, *new_row]):
                if old_row.get(column, "") != new_row.get(column, ""):
                    changes.append(("~", entry_id, f"{column}: {old_row.get(column, '')!r} -> "
                                                   f"{new_row.get(column, '')!r}"))
    return changes


def validate_entries(entries: Sequence[GlossaryEntry]) -> list[Problem]:
    """Row and cross-row problems of entries read from any format (e.g. an import)."""
    problems = []
    for entry in entries:
        problems.extend(_row_problems(entry, entry.file, entry.line))
    return problems + cross_problems(entries)


def raise_fatal(problems: Iterable[Problem]) -> None:
    """GlossaryError for the first problem that makes the rows unusable, if any."""
    for problem in problems:
        if problem.kind in FATAL:
            raise_problem(problem)
