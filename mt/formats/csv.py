"""CSV glossaries (standard csv module, RFC 4180 quoting, UTF-8):
read(path) -> list[GlossaryEntry], dumps(entries) -> str.

Same columns as the TSV files; for spreadsheets and tools that want commas."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

from mt.errors import GlossaryError
from mt.glossary.store import REQUIRED, columns_of, entry_from_row, entry_to_row, sort_key
from mt.io import atomic_write_text
from mt.types import GlossaryEntry

NAME = "csv"
KIND = "glossary"
SUFFIXES = (".csv",)
_LINE_BOM = re.compile(r"(?m)^\ufeff+")


def to_csv(entries: Iterable[GlossaryEntry]) -> str:
    entries = sorted(entries, key=sort_key)
    columns = columns_of(entries)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for entry in entries:
        row = entry_to_row(entry)
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue()


def read_csv(path: str | Path) -> list[GlossaryEntry]:
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"cannot read CSV file: {exc}", file=name, hint="save it as UTF-8 CSV") from None
    # A byte-order mark at the start of any line (files joined with `cat`) is not text.
    text = _LINE_BOM.sub("", text)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise GlossaryError("empty CSV file", file=name, line=1) from None
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise GlossaryError(f"missing column(s) {', '.join(missing)}", file=name, line=1,
                            hint=f"the header needs at least {' '.join(REQUIRED)}")
    entries = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise GlossaryError(f"{len(row)} fields, the header has {len(header)}", file=name, line=line,
                                hint="quote fields that contain commas")
        entries.append(entry_from_row(dict(zip(header, row, strict=True)), file=name, line=line))
    return entries


def write_csv(path: str | Path, entries: Iterable[GlossaryEntry]) -> None:
    atomic_write_text(path, to_csv(entries))


read = read_csv
dumps = to_csv
