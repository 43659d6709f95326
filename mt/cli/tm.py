"""`mt tm`: look after the translation memory."""

from __future__ import annotations

import json
from pathlib import Path

import click


def _open(path: str | None):
    from mt.tm import TranslationMemory

    return TranslationMemory(Path(path) if path else None, create=False)


tm_option = click.option("--tm", "tm_path", default=None, help="Translation memory file (default: user cache).")


@click.group()
def tm() -> None:
    """Translation memory: stats, clear, export."""


@tm.command()
@tm_option
def stats(tm_path: str | None) -> None:
    """Units per language pair, file size."""
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


@tm.command()
@tm_option
@click.option("--format", "fmt", type=click.Choice(["tmx"]), default="tmx", show_default=True)
@click.option("--out", default="-", help="Output file ('-' = stdout).")
def export(tm_path: str | None, fmt: str, out: str) -> None:
    """Export the memory as TMX 1.4."""
    from mt.io import atomic_write_text
    from mt.tm import export_tmx

    data = export_tmx(_open(tm_path)).decode("utf-8")
    if out == "-":
        click.echo(data, nl=False)
    else:
        atomic_write_text(Path(out), data)
