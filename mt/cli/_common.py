"""Options and small helpers shared by several commands."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import click


def parse_langs(value: str) -> list[str]:
    """'de,en,ru' -> ['de', 'en', 'ru'] (validation is the language table's job)."""
    langs = [part.strip() for part in value.split(",") if part.strip()]
    if not langs:
        raise click.BadParameter("give at least one language, e.g. --to de,en,ru")
    return langs


def glossary_option(func):
    return click.option("--glossary", "glossary_paths", multiple=True, type=click.Path(),
                        help="Glossary TSV file or folder (repeatable); default: the glossaries/ folder.")(func)




def echo_jsonl(records: Iterable[dict[str, Any]]) -> None:
    for record in records:
        click.echo(json.dumps(record, ensure_ascii=False))
