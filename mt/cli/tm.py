"""`mt tm`: look after the translation memory; import translators' work (post-edited
XLIFF, TMX) and export it for CAT tools."""

from __future__ import annotations

import json
import time
from contextlib import closing
from pathlib import Path

import click

from mt import formats
from mt.cli._common import force_option, refuse_existing
from mt.errors import InputError
from mt.io import atomic_write_bytes
from mt.tm import MemoryUnit, TranslationMemory
from mt.types import APPROVED, HUMAN


def _open(path: str | None, create: bool = False):

    return TranslationMemory(Path(path) if path else None, create=create)


tm_option = click.option("--tm", "tm_path", default=None, help="Translation memory file (default: user cache).")
IMPORT_FORMATS = ("xliff", "tmx")


@click.group()
def tm() -> None:
    """Translation memory: stats, clear, import, export."""


@tm.command()
@tm_option
def stats(tm_path: str | None) -> None:
    """Units per language pair (human: translators' translations), file size."""
    click.echo(json.dumps(_open(tm_path).stats(), ensure_ascii=False, indent=2))


@tm.command()
@tm_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def clear(tm_path: str | None, yes: bool) -> None:
    """Delete every stored translation."""
    memory = _open(tm_path)
    if not yes:
        click.confirm(f"Delete all translations in {memory.path}?", abort=True)
    click.echo(f"deleted {memory.clear()} units", err=True)


def _format_of(path: str, given: str | None) -> str:

    if given:
        return given
    module = formats.for_path(path, ("bilingual", "memory"))
    if module is None:
        raise InputError("cannot tell the format from the file name", file=path,
                         hint="name it .xlf/.xliff or .tmx, or pass --format xliff|tmx")
    return module.NAME


def _units_of(path: str, fmt: str, translator: str) -> tuple[list, str]:
    """Memory units in one file and a line saying what was found."""

    if fmt == "tmx":
        units = formats.get("tmx").read(path)
        human = sum(u.origin == HUMAN for u in units)
        return units, f"{len(units)} units ({human} human, {len(units) - human} machine)"
    xliff = formats.get("xliff")
    bilingual = xliff.read(path)
    edited = xliff.post_edits(bilingual)
    now = time.time()
    units = [MemoryUnit(bilingual.src_lang, bilingual.tgt_lang, u.source, u.target, xliff.decision_origin(u),
                        translator, now, now) for u in edited]
    approved = sum(u.origin == APPROVED for u in units)
    summary = (f"{len(units)} post-edited or confirmed units: {len(units) - approved} as human translations, "
               f"{approved} as confirmed machine output ({len(bilingual.units) - len(units)} unchanged drafts skipped)")
    if all(u.draft is None for u in bilingual.units):
        # A CAT tool that drops mt's <mda:metadata> leaves no draft to compare with.
        summary += "; the file records no mt drafts, so only units set reviewed or final count"
    return units, summary


@tm.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@tm_option
@click.option("--format", "fmt", type=click.Choice(IMPORT_FORMATS), help="Input format (default: from the name).")
@click.option("--translator", default="", help="Who post-edited (stored as the units' TMX creationid).")
def import_command(files: tuple[str, ...], tm_path: str | None, fmt: str | None, translator: str) -> None:
    """Load post-edited XLIFF 2.0 files (units set reviewed/final, or changed) and TMX
    memories into the translation memory. Every file is read and checked first; then
    all units go in in one transaction, or nothing does."""
    found = []
    for path in files:
        units, summary = _units_of(path, _format_of(path, fmt), translator)
        found.append((path, units, summary))
    memory = _open(tm_path, create=True)
    counts = memory.import_units([unit for _, units, _ in found for unit in units])
    for path, _, summary in found:
        click.echo(f"{path}: {summary}", err=True)
    click.echo(f"imported {counts['human']} human and {counts['machine']} machine units into {memory.path}", err=True)


@tm.command()
@tm_option
@click.option("--format", "fmt", type=click.Choice(["tmx"]), default="tmx", show_default=True)
@click.option("--human-only", is_flag=True, help="Only translators' units (what CAT tools expect of a memory).")
@click.option("--out", default="-", help="Output file ('-' = stdout).")
@force_option
def export(tm_path: str | None, fmt: str, human_only: bool, out: str, force: bool) -> None:
    """Export the memory as TMX 1.4b; machine units carry <prop type="x-mt">."""
    refuse_existing(out, force)
    with closing(_open(tm_path)) as memory:  # closed before writing: no -wal/-shm left if the write fails
        data = formats.get(fmt).dumps(memory.memory_units(human_only))
    if out == "-":
        click.echo(data.decode("utf-8"), nl=False)
    else:
        atomic_write_bytes(Path(out), data)
