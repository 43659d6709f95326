"""Options and small helpers shared by several commands."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

import click

from mt.errors import OutputError


def parse_langs(value: str) -> list[str]:
    """'de,en,ru' -> ['de', 'en', 'ru'] (validation is the language table's job)."""
    langs = [part.strip() for part in value.split(",") if part.strip()]
    if not langs:
        raise click.BadParameter("give at least one language, e.g. --to de,en,ru")
    return langs


def glossary_option(func):
    return click.option("--glossary", "glossary_paths", multiple=True, type=click.Path(),
                        help="Glossary TSV file or folder (repeatable); default: the glossaries/ folder.")(func)


def force_option(func):
    return click.option("--force", is_flag=True, help="Overwrite the --out file if it exists.")(func)


def refuse_existing(out: str | None, force: bool) -> None:
    """An --out file that exists is the user's: replaced only with --force (and never when
    it is not a regular file: mt.io refuses that even with --force)."""
    if out and out != "-" and not force and os.path.lexists(out):
        raise OutputError("output exists", file=out, hint="use --force to overwrite it, or another --out")


def echo_jsonl(records: Iterable[dict[str, Any]]) -> None:
    for record in records:
        click.echo(json.dumps(record, ensure_ascii=False))
