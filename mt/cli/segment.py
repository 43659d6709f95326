"""`mt segment`: show how a release is split into sentences."""

from __future__ import annotations

import click

from mt.cli._common import echo_jsonl
from mt.formats import read_release
from mt.normalize import normalize_document
from mt.segment import segment_document


@click.command()
@click.argument("file", type=str)
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True,
              help="text: one sentence per line; jsonl: {paragraph, index, text} per sentence.")
@click.option("--accept-changes", is_flag=True,
              help="A .docx with tracked changes: read the text as if they were accepted (else refused).")
def segment(file: str, fmt: str, accept_changes: bool) -> None:
    """Split FILE (a .txt, .md, .html or .docx release; - for stdin) into sentences.

    Paragraph 0 is the title; index counts sentences from 0 across the document.
    """
    segments = segment_document(normalize_document(read_release(file, accept_changes)))
    if fmt == "jsonl":
        echo_jsonl({"paragraph": s.paragraph, "index": s.index, "text": s.text} for s in segments)
    else:
        for s in segments:
            click.echo(s.text)
