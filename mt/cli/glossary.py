"""`mt glossary ...`: check, format, edit, search, import/export, match and suggest.
Thin over mt.glossary.store and .edit (and mt.formats tbx/csv, match, names, proposals)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mt import formats
from mt.cli._common import echo_jsonl, glossary_option
from mt.errors import GlossaryError
from mt.formats import read_bilingual, read_release, tbx2008
from mt.glossary import edit, store
from mt.glossary.learn import changes, suggestions
from mt.glossary.match import Matcher, match_segments
from mt.glossary.names import find_unknown_names
from mt.glossary.proposals import propose_by_confidence
from mt.io import atomic_write_bytes, atomic_write_text
from mt.normalize import normalize_document
from mt.segment import segment_document
from mt.types import GlossaryEntry

FORMATS = ("tbx", "csv")
TBX_VERSIONS = ("3", "2008")  # --tbx-version of the export (import reads both)


@click.group()
def glossary() -> None:
    """Maintain glossary files (TSV: id type kk en de ru ...) and use them on a release."""


@glossary.command()
@click.argument("paths", nargs=-1, type=click.Path())
def check(paths: tuple[str, ...]) -> None:
    """Report every problem as `file:line: problem`; exit 1 when there is any.

    PATHS are TSV files or folders (default: the glossaries/ folder)."""
    problems = store.check(paths)
    for problem in problems:
        click.echo(str(problem))
    files = store.glossary_files(paths)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {len({p.file for p in problems})} of {len(files)} file(s)", err=True)
        sys.exit(1)
    entries = sum(len(store.parse_file(path)[0]) for path in files)
    click.echo(f"glossary ok: {entries} entries in {len(files)} file(s)", err=True)


@glossary.command(name="fmt")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--check", "check_only", is_flag=True, help="Change nothing; exit 1 when a file is not canonical.")
def fmt_command(paths: tuple[str, ...], check_only: bool) -> None:
    """Rewrite files in canonical form: rows sorted by id, fixed column order, NFC, trimmed."""
    changed = edit.fmt(paths, write=not check_only)
    for path in changed:
        click.echo(f"{'would reformat' if check_only else 'reformatted'} {path}")
    if check_only and changed:
        sys.exit(1)


@glossary.command()
@click.option("--id", "entry_id", help="Stable id, e.g. person.shakharov.")
@click.option("--type", "entry_type", type=click.Choice(store.TYPES))
@click.option("--kk", help="Kazakh form (nominative).")
@click.option("--en", default="", help="English form.")
@click.option("--de", default="", help="German form.")
@click.option("--ru", default="", help="Russian form.")
@click.option("--status", default="approved", type=click.Choice(store.STATUSES), show_default=True)
@click.option("--note", default="")
@click.option("--file", "file", type=click.Path(dir_okay=False),
              help="TSV file to add to (default: the glossaries/ file for the type, e.g. persons.tsv).")
@click.option("--from", "rows_file", type=click.Path(dir_okay=False),
              help="Add every row of this TSV (with its header), e.g. what `mt glossary suggest` printed.")
@click.option("--update", is_flag=True, help="With --from: a row whose id exists replaces that entry.")
@glossary_option
def add(entry_id: str | None, entry_type: str | None, kk: str | None, en: str, de: str, ru: str, status: str,
        note: str, file: str | None, rows_file: str | None, update: bool, glossary_paths: tuple[str, ...]) -> None:
    """Add one entry (refuses a duplicate id or Kazakh form; keeps canonical order),
    or, with --from, every row of a TSV file at once (all or none)."""
    if rows_file:
        _add_rows(rows_file, update, file, glossary_paths)
        return
    missing = [name for name, value in (("--id", entry_id), ("--type", entry_type), ("--kk", kk)) if not value]
    if missing or entry_id is None or entry_type is None or kk is None:
        raise click.UsageError(f"missing option(s) {', '.join(missing)} (or pass --from ROWS.tsv)")
    target = Path(file) if file else store.default_file_for(entry_type)
    entry = GlossaryEntry(id=entry_id, type=entry_type, kk=kk, en=en, de=de, ru=ru, status=status, note=note)
    known = _load_if_any(glossary_paths)
    added = edit.add_entry(entry, target, glossary=known)
    click.echo(f"added {added.id} to {target}")


def _add_rows(rows_file: str, update: bool, file: str | None, glossary_paths: tuple[str, ...]) -> None:
    entries = store.load_entries(rows_file)
    if not entries:
        raise GlossaryError("no rows to add", file=rows_file, hint="give a TSV with a header row and entries")
    known = _load_if_any(glossary_paths) or store.Glossary(())
    for action, entry, target in edit.add_entries(entries, known, update=update, file=file):
        click.echo(f"{action} {entry.id} in {target}")


def _load_if_any(paths: tuple[str, ...]) -> store.Glossary | None:
    if paths:
        return store.load_glossary(paths)
    folder = store.default_glossary_dir()
    return store.load_glossary([folder]) if folder.is_dir() else None


@glossary.command()
@click.argument("text")
@glossary_option
def find(text: str, glossary_paths: tuple[str, ...]) -> None:
    """Entries matching TEXT in any language (inflected Kazakh works); exit 1 if none."""
    found = store.load_glossary(glossary_paths).find(text)
    for entry in found:
        click.echo(f"{entry.id}\t{entry.type}\t{entry.kk}\t{entry.en}\t{entry.de}\t{entry.ru}"
                   f"\t{entry.status}\t{entry.file}:{entry.line}")
    if not found:
        click.echo(f"no entry matches {text!r}", err=True)
        sys.exit(1)


def _format_of(path: str, given: str | None) -> str:
    fmt = given or Path(path).suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise GlossaryError("cannot tell the format", file=path, hint="give --format tbx or --format csv")
    return fmt


@glossary.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Input format (default: from the extension).")
@click.option("--out", type=click.Path(dir_okay=False), help="TSV file to write (default: stdout).")
def import_command(file: str, fmt: str | None, out: str | None) -> None:
    """Read a TBX (v3 or 2008 <martif>) or CSV glossary and write it as a canonical glossary TSV."""

    entries = formats.get(_format_of(file, fmt)).read(file)
    problems = store.validate_entries(entries)
    store.raise_fatal(problems)
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)
    text = store.format_tsv(entries)
    if out:
        atomic_write_text(out, text)
        click.echo(f"wrote {len(entries)} entries to {out}", err=True)
    else:
        click.echo(text, nl=False)


@glossary.command(name="export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option("--tbx-version", type=click.Choice(TBX_VERSIONS), default="3", show_default=True,
              help="TBX v3 (ISO 30042:2019, <tbx>) or TBX 2008 (<martif>, what translate-toolkit and OmegaT 3.6 "
                   "read); TBX-Basic either way.")
@click.option("--out", type=click.Path(dir_okay=False), help="File to write (default: stdout).")
@glossary_option
def export_command(fmt: str, tbx_version: str, out: str | None, glossary_paths: tuple[str, ...]) -> None:
    """Write the glossary as TBX-Basic (v3 or 2008) or CSV."""
    entries = store.load_glossary(glossary_paths).entries
    if tbx_version != "3" and fmt != "tbx":
        raise click.UsageError("--tbx-version goes with --format tbx")
    data = tbx2008.dumps(entries) if tbx_version == "2008" else formats.get(fmt).dumps(entries)
    data = data.encode("utf-8") if isinstance(data, str) else data
    if out:
        atomic_write_bytes(out, data)
        click.echo(f"wrote {len(entries)} entries to {out}", err=True)
    else:
        click.echo(data.decode("utf-8"), nl=False)


def _segments(file: str, accept_changes: bool = False):

    return segment_document(normalize_document(read_release(file, accept_changes)))


_accept_changes = click.option("--accept-changes", is_flag=True,
                               help="A .docx with tracked changes: read it as if they were accepted (else refused).")


@glossary.command()
@click.argument("file", type=str)
@glossary_option
@click.option("--format", "fmt", type=click.Choice(("jsonl", "text")), default="jsonl", show_default=True)
@_accept_changes
def match(file: str, glossary_paths: tuple[str, ...], fmt: str, accept_changes: bool) -> None:
    """Glossary terms in a Kazakh release (FILE; - for stdin), inflected forms included: one hit per line,
    segment as `mt segment` numbers it, start/end as offsets in that segment's text."""

    segments = _segments(file, accept_changes)
    hits = match_segments(segments, Matcher(store.load_glossary(glossary_paths).active()))
    if fmt == "jsonl":
        echo_jsonl({"segment": h.segment, "id": h.id, "surface": h.surface, "start": h.start, "end": h.end}
                   for h in hits)
    else:
        for h in hits:
            click.echo(f"{h.segment}\t{h.start}-{h.end}\t{h.id}\t{h.surface}")


@glossary.command()
@click.argument("file", type=str, required=False)
@glossary_option
@click.option("--from", "post_edits", multiple=True, type=click.Path(dir_okay=False),
              help="Post-edited XLIFF file (repeatable): propose the forms a translator consistently changed.")
@click.option("--min-count", type=click.IntRange(1), default=2, show_default=True,
              help="With --from: how many units must show the same change.")
@click.option("--header/--no-header", default=None,
              help="Print the TSV header row first (default: only with --from, so `mt glossary add --from` "
                   "takes the output as it is).")
@_accept_changes
def suggest(file: str | None, glossary_paths: tuple[str, ...], post_edits: tuple[str, ...], min_count: int,
            header: bool | None, accept_changes: bool) -> None:
    """Names in a release FILE without a glossary entry, as TSV rows (status proposed), each
    with its type and en/de/ru forms (CLDR names for countries, regions and cities, head
    nouns translated, the rest transliterated), ready to paste into a glossary file; or, with --from,
    entries a translator's post-edits suggest (accept them with `mt glossary add --from
    ROWS.tsv`, and --update for changed forms of existing entries)."""
    if bool(file) == bool(post_edits):
        raise click.UsageError("give a release FILE or --from FILE.xlf (not both)")
    if post_edits:
        proposed = _from_post_edits(post_edits, glossary_paths, min_count)
        if not proposed:
            click.echo("no consistent changes to glossary terms or names", err=True)
            return
    else:
        assert file is not None  # one of the two is given (checked above)
        matcher = Matcher(store.load_glossary(glossary_paths).active())
        proposed, low = propose_by_confidence(find_unknown_names(_segments(file, accept_changes), matcher))
        if low:
            # apart, on stderr: a wrong row accepted puts a wrong name into every later release
            rows = store.format_tsv(low, sort=False).splitlines()[1:]
            click.echo(f"{len(low)} low-confidence proposal(s), not in the output; check them before "
                       "adding:\n" + "\n".join(rows), err=True)
        if not proposed:
            click.echo("no unknown names", err=True)
            return
    lines = store.format_tsv(proposed, sort=False).splitlines()
    click.echo("\n".join(lines if (header if header is not None else bool(post_edits)) else lines[1:]))


def _from_post_edits(paths: tuple[str, ...], glossary_paths: tuple[str, ...], min_count: int) -> list[GlossaryEntry]:

    entries = store.load_glossary(glossary_paths).active()
    found = []
    for path in paths:
        bilingual = read_bilingual(path)
        found += changes(bilingual.units, bilingual.tgt_lang, entries, file=Path(path).name)
    return suggestions(found, entries, min_count=min_count)


@glossary.command()
@click.argument("old", type=click.Path(exists=True))
@click.argument("new", type=click.Path(exists=True))
def diff(old: str, new: str) -> None:
    """Entries added (+), removed (-) and changed (~) from OLD to NEW (files or folders)."""
    for sign, entry_id, detail in store.diff(store.load_glossary([old]), store.load_glossary([new])):
        click.echo(f"{sign} {entry_id}\t{detail}")
