"""`mt models`: fetch models for offline use, list the cache, convert for CTranslate2."""

from __future__ import annotations

from pathlib import Path

import click

from mt.cli._common import echo_jsonl
from mt.engines.vocab import default_corpora
from mt.errors import ModelError
from mt.glossary.store import load_glossary
from mt.languages import table_markdown
from mt.models import KNOWN_MODELS, cache_dir, list_cached, parse_model
from mt.models import download as fetch


@click.group()
def models() -> None:
    """Fetch, list and convert translation models."""


@models.command("download")
@click.argument("model")
def download(model: str) -> None:
    """Fetch MODEL (hub id, optionally @revision) into the Hugging Face cache, so
    later runs work offline (HF_HUB_OFFLINE=1). Known models get a pinned revision."""

    folder = fetch(model)
    click.echo(f"{model}: {folder}")


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


@models.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
@click.option("--languages", is_flag=True, help="Print the language-code table instead.")
def list_models(fmt: str, languages: bool) -> None:
    """Translation models in the Hugging Face cache (and known ones not yet fetched)."""

    if languages:
        click.echo(table_markdown())
        return
    cached = list_cached()
    if fmt == "jsonl":
        echo_jsonl({"model": m.repo_id, "revision": m.revision, "refs": list(m.refs), "type": m.model_type,
                    "bytes": m.size_bytes, "path": str(m.path)} for m in cached)
        return
    if not cached:
        click.echo(f"no translation models in {cache_dir()}")
    for m in cached:
        refs = f" ({', '.join(m.refs)})" if m.refs else ""
        click.echo(f"{m.repo_id}@{m.revision}{refs}  {m.model_type}  {_size(m.size_bytes)}")
    missing = sorted(set(KNOWN_MODELS) - {m.repo_id for m in cached})
    if missing:
        click.echo("not cached (fetch with `mt models download MODEL`): " + ", ".join(missing))


@models.command("convert")
@click.argument("model")
@click.option("--to", "target", type=click.Choice(["ct2"]), required=True, help="Target format.")
@click.option("--quantization", default="int8", show_default=True,
              help="int8, int8_float16, int8_float32, float16, bfloat16 or float32.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: ./NAME-ct2-QUANTIZATION).")
@click.option("--force", is_flag=True, help="Overwrite an existing output folder.")
@click.option("--vmap/--no-vmap", default=True, show_default=True,
              help="Write a vocabulary map (de/en/ru corpus and glossary tokens) that restricts the output layer.")
def convert(model: str, target: str, quantization: str, out_dir: Path | None, force: bool, vmap: bool) -> None:
    """Convert MODEL for a faster engine (CTranslate2); the output folder can then be
    passed as --model."""
    try:
        from mt.engines.ct2_convert import convert_model
        from mt.engines.ct2_vmap import build_corpus_vmap
    except ImportError as exc:
        raise ModelError(f"conversion needs the CTranslate2 engine ({exc.name} missing)",
                         hint="run `pip install 'mt[ct2]'`") from None
    if out_dir is None:
        out_dir = _default_out(model, quantization)
    folder = convert_model(model, out_dir, quantization, force)
    if vmap:
        stats = build_corpus_vmap(folder, default_corpora(), entries=load_glossary([]).entries)
        click.echo(f"vocabulary map: {stats}", err=True)
    click.echo(str(folder))


def _default_out(model: str, quantization: str) -> Path:

    ref = parse_model(model)
    name = ref.path.resolve().name if ref.path else (ref.repo_id or model).split("/")[-1]
    return Path(f"{name}-ct2-{quantization}")
