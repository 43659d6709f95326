"""`mt tm`: look after the translation memory; import translators' work (post-edited
XLIFF, TMX) and export it for CAT tools."""

from __future__ import annotations

import json
from pathlib import Path

import click

from mt import formats, postedit
from mt.errors import InputError
from mt.io import write_files_atomically
from mt.tm import TranslationMemory, default_path
from mt.types import APPROVED, HUMAN

TARGETS = ("de", "en", "ru")


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
    return "xliff" if module.KIND == "bilingual" else module.NAME


def _units_of(path: str, fmt: str, translator: str, memory: TranslationMemory | None,
              release: str | None) -> tuple[list, str]:
    """Memory units in one file and a line saying what was found."""

    if fmt == "tmx":
        units = formats.get("tmx").read(path)
        human = sum(u.origin == HUMAN for u in units)
        return units, f"{len(units)} units ({human} human, {len(units) - human} machine)"
    imported = postedit.from_bilingual(path, memory, translator, release)
    return list(imported.units), imported.summary()


@tm.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@tm_option
@click.option("--format", "fmt", type=click.Choice(IMPORT_FORMATS),
              help="Input format (default: from the name; xliff reads XLIFF 2.0 and 1.2).")
@click.option("--translator", default="", help="Who post-edited (stored as the units' TMX creationid).")
@click.option("--release", type=click.Path(dir_okay=False, exists=True),
              help="The Kazakh release the XLIFF files were made from, to check their sources against "
                   "(default: the alignment beside the file, or the release its <file original> names).")
def import_command(files: tuple[str, ...], tm_path: str | None, fmt: str | None, translator: str,
                   release: str | None) -> None:
    """Load post-edited XLIFF files (2.0 or 1.2) and TMX memories into the translation
    memory. An XLIFF unit's source must be the sentence mt segmented for it (a changed
    source is refused); edited units (target differs from mt's draft, recorded in the file
    or in the memory) are stored as human translations, units set reviewed/final as it was
    as confirmed machine output. Every file is read and checked first; then all units go
    in in one transaction, or nothing does."""
    # An existing memory is read (drafts, sentences) while checking; a new one is made only
    # once every file has passed, so a refused import leaves no file behind.
    existing = TranslationMemory(Path(tm_path) if tm_path else None, create=False) \
        if Path(tm_path or default_path()).is_file() else None
    found = []
    for path in files:
        units, summary = _units_of(path, _format_of(path, fmt), translator, existing, release)
        found.append((path, units, summary))
    memory = existing or _open(tm_path, create=True)
    counts = memory.import_units([unit for _, units, _ in found for unit in units])
    for path, _, summary in found:
        click.echo(f"{path}: {summary}", err=True)
    click.echo(f"imported {counts['human']} human, {counts.get(APPROVED, 0)} confirmed machine and "
               f"{counts['machine']} machine units into {memory.path}", err=True)


@tm.command()
@tm_option
@click.option("--format", "fmt", type=click.Choice(["tmx"]), default="tmx", show_default=True)
@click.option("--target", "targets", default=None,
              help="Target language(s), comma-separated: one writes that pair to --out; several write one "
                   "file per pair (OUT.kk-de.tmx ...). Default: the memory's pairs; a memory with several "
                   "needs --target.")
@click.option("--human-only", is_flag=True, help="Only translators' units (what CAT tools expect of a memory).")
@click.option("--out", default="-", help="Output file ('-' = stdout).")
def export(tm_path: str | None, fmt: str, targets: str | None, human_only: bool, out: str) -> None:
    """Export the memory as TMX 1.4b, one language pair per file (kk-de, kk-en, kk-ru):
    a CAT tool takes every language in a TMX as a match for its project. Machine units
    carry <prop type="x-mt">."""
    tmx = formats.get("tmx")
    units = _open(tm_path).memory_units(human_only)
    langs = _export_targets(targets, {u.tgt_lang for u in units if u.src_lang == tmx.SOURCE})
    pairs = tmx.by_pair(units, langs)
    if len(pairs) > 1 and out == "-":
        raise click.UsageError(f"{len(pairs)} language pairs go to {len(pairs)} files: pass --out FILE.tmx "
                               f"(writes FILE.kk-de.tmx ...) or one --target")
    files = {Path(out) if len(pairs) == 1 else tmx.pair_path(out, lang): tmx.dumps(pair)
             for lang, pair in pairs.items()}
    for lang, pair in pairs.items():
        if not pair:
            click.echo(f"warning: no kk-{lang} units to export", err=True)
    if out == "-":
        click.echo(next(iter(files.values())).decode("utf-8"), nl=False)
        return
    write_files_atomically(files)
    for (lang, pair), path in zip(pairs.items(), files):
        click.echo(f"wrote {len(pair)} kk-{lang} units to {path}", err=True)


def _export_targets(given: str | None, present: set[str]) -> list[str]:
    """The target languages to export: those given, else the memory's (one pair, or refused)."""
    if given:
        langs = list(dict.fromkeys(lang.strip().lower() for lang in given.split(",") if lang.strip()))
        unknown = [lang for lang in langs if lang not in TARGETS]
        if unknown or not langs:
            raise click.BadParameter(f"'{given}': give one or more of {', '.join(TARGETS)}", param_hint="--target")
        return langs
    if len(present) > 1:
        raise click.UsageError(f"the memory holds {len(present)} language pairs "
                               f"({', '.join(f'kk-{lang}' for lang in sorted(present))}); a TMX with several "
                               f"makes CAT tools offer the wrong language: pass --target LANG, or "
                               f"--target {','.join(sorted(present))} --out FILE.tmx for one file per pair")
    return sorted(present) or ["de"]
