"""`mt translate`: releases in, publishable drafts and a QA report out."""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

import click

from mt import batch as _batch
from mt import engines, pipeline, progress
from mt.cli._common import glossary_option, parse_langs
from mt.engines import DEFAULT_MODEL, ENGINES, EngineOptions
from mt.errors import OutputError
from mt.glossary.store import load_glossary
from mt.io import recover_interrupted_writes, write_files_atomically
from mt.output import FORMATS, format_for, output_files
from mt.release import draft_path, drafts_locked, output_stem, prepare
from mt.tm import TranslationMemory
from mt.types import GlossaryEntry


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--to", "targets", default="de,en,ru", show_default=True, help="Target languages, comma-separated.")
@click.option("--model", default=lambda: os.environ.get("MT_MODEL", DEFAULT_MODEL), show_default=DEFAULT_MODEL,
              help="Hub id (optionally @revision), local model folder, or converted CTranslate2 folder.")
@click.option("--engine", type=click.Choice(["auto", *ENGINES]), default="auto", show_default=True)
@click.option("--out", "out_dir", default=None, help="Output folder ('-' = stdout); default: beside each input.")
@click.option("--format", "fmt", type=click.Choice(["txt", "md", "jsonl", "xliff", "xliff12", "xliff12-omegat", "docx", "html"]),
              default=None,
              help="Drafts as text, Markdown, JSON lines, Word, HTML, or XLIFF 2.0 for a CAT tool (RELEASE.<lang>.xlf; "
                   "post-edit it, then `mt tm import` it); xliff12: XLIFF 1.2 (RELEASE.<lang>.xliff) for tools "
                   "that do not read 2.0; xliff12-omegat: XLIFF 1.2 as OmegaT 3.6 reads it, the source in <target> "
                   "and mt's draft as <alt-trans> (RELEASE.<lang>.omegat.xliff). Default: .docx, .html and .md releases in their own "
                   "format (structure and inline formatting kept), others as txt.")
@glossary_option
@click.option("--no-glossary", is_flag=True, help="Translate without glossary enforcement.")
@click.option("--beam", "beam_size", type=click.IntRange(1, 16), default=4, show_default=True)
@click.option("--batch-size", type=click.IntRange(1, 512), default=16, show_default=True)
@click.option("--max-length", type=click.IntRange(8, 4096), default=256, show_default=True)
@click.option("--device", default="cpu", show_default=True, help="cpu, cuda or cuda:N.")
@click.option("--threads", type=click.IntRange(0, 256), default=0, help="CPU threads (0 = all cores).")
@click.option("--inter-threads", "workers", type=click.IntRange(0, 64), default=0,
              help="CTranslate2: batches decoded side by side, sharing --threads (0 = 2 where 2+ threads).")
@click.option("--restrict-vocab", is_flag=True,
              help="transformers: compute the output layer only for tokens de/en/ru use (faster; see README).")
@click.option("--tm", "tm_path", default=None, help="Translation memory file (default: user cache).")
@click.option("--no-tm", is_flag=True, help="Do not read or write the translation memory.")
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option("--strict", is_flag=True, help="Exit 1 when the QA report has errors.")
@click.option("--jobs", type=click.IntRange(1, 4096), default=None,
              help="Batch: model workers (processes, or Ray actors with --ray), each loading the model once.")
@click.option("--accept-changes", is_flag=True,
              help="A .docx with tracked changes: translate the text as if they were accepted (else refused).")
@click.option("--ray", "ray_address", is_flag=False, flag_value="local", default=None, metavar="[ADDRESS]",
              help="Batch on Ray: alone a local Ray, or auto / ray://HOST:PORT (write --ray=ADDRESS). "
                   "A cluster's token comes from RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH or ~/.ray/auth_token "
                   "(docs/ray.md). Needs pip install 'mt[ray]'.")
def translate(files: tuple[str, ...], targets: str, model: str, engine: str, out_dir: str | None, fmt: str | None,
              glossary_paths: tuple[str, ...], no_glossary: bool, beam_size: int, batch_size: int,
              max_length: int, device: str, threads: int, workers: int, restrict_vocab: bool, tm_path: str | None, no_tm: bool, force: bool,
              strict: bool, jobs: int | None, accept_changes: bool, ray_address: str | None) -> int:
    """Translate Kazakh releases FILE... ('-' = stdin) or folders of them into German,
    English and Russian. Plain text, Markdown, Word (.docx) and HTML releases are read;
    the last three come out in their own format with structure and inline formatting kept.

    Writes RELEASE.<lang>.<format> per language, RELEASE.align.jsonl (sentence alignment
    with the glossary term record) and RELEASE.qa.md / RELEASE.qa.json (what to check).
    A folder, several files, --jobs or --ray run a batch: one progress bar, a summary
    table, finished releases skipped, so the same command resumes after a crash.
    """
    langs = pipeline.check_targets(parse_langs(targets))
    to_stdout = out_dir == "-" or (out_dir is None and files == ("-",))
    if to_stdout and (len(langs) > 1 or len(files) > 1) and fmt != "jsonl":
        raise click.UsageError("several languages or files on stdout need --format jsonl (or use --out DIR)")
    options = EngineOptions(beam_size=beam_size, batch_size=batch_size, max_length=max_length,
                            device=device, threads=threads, workers=workers,
                            restrict_vocabulary=restrict_vocab)
    entries, glossary_version = ([], "") if no_glossary else _glossary_entries(glossary_paths)
    key = pipeline.memory_key(engine, model, options, entries)
    info = pipeline.model_info(engine, model)
    meta = {"model": model, "engine": info["engine"], "targets": ",".join(langs)}
    details = {k: info[k] for k in ("revision", "licence", "signature")} | {"glossary": glossary_version}
    if to_stdout and (jobs or ray_address):
        raise click.UsageError("--jobs and --ray write files: give --out DIR (or none: beside each input)")
    if not to_stdout and _batch.is_batch(files, jobs, ray_address):
        return _run_batch(files, out_dir, langs, fmt, entries, key, tm_path, no_tm, force, strict,
                          _batch.EngineSpec(model, engine, options), jobs, ray_address,
                          {**meta, **details}, info["signature"], accept_changes)

    prepared = [(path, prepare(path, accept_changes)) for path in files]
    planned = {path: output_stem(path, None if to_stdout else out_dir) for path, _ in prepared}
    formats = {path: format_for(prep.document.format, fmt) for path, prep in prepared}
    if to_stdout and any(FORMATS[f][0] == "docx" for f in formats.values()):
        raise click.UsageError("a .docx draft cannot go to stdout: use --out DIR (or --format txt)")
    if not to_stdout:
        _refuse_overwrites(planned, langs, formats, force)
    # Opened only now, so that a bad input or output path does not create a memory file.
    memory = None if no_tm else _memory(tm_path)
    if memory is not None:  # closing folds the WAL into the file: a copy of tm.sqlite alone is whole
        click.get_current_context().call_on_close(memory.close)

    # Loaded once, on the first sentence the memory does not serve.
    loader = functools.cache(lambda: engines.load_engine(model, engine, options))
    errors = 0
    for path, prep in prepared:
        result = pipeline.translate_release(prep, langs, loader, entries, memory, key, progress=progress.bar,
                                            signature=info["signature"])
        if to_stdout:
            errors += sum(f.severity == "error" for f in result.findings)
            render = FORMATS[formats[path]][1]
            for lang in langs:
                data = render(result, lang, {"input": path, **meta, **details})
                click.echo(data.decode("utf-8") if isinstance(data, bytes) else data, nl=False)
            continue
        with drafts_locked(planned[path]):  # a translator saving in `mt review` waits, and is kept
            result = pipeline.apply_decisions(result, memory, entries)
            write_files_atomically(output_files(result, planned[path], formats[path],
                                                {"input": path, **meta, **details}))
        errors += sum(f.severity == "error" for f in result.findings)
        drafts = (draft_path(planned[path], lang, FORMATS[formats[path]][0]).name for lang in langs)
        click.echo(f"{path}: {len(result.segments)} segments -> {', '.join(drafts)}; "
                   f"QA: {planned[path].name}.qa.md", err=True)
    if strict and errors:
        click.get_current_context().exit(1)
    return 0


def _run_batch(files, out_dir, langs, fmt, entries, key, tm_path, no_tm, force, strict, spec, jobs,
               ray_address, meta, signature, accept_changes) -> int:
    """Many releases: the logic is mt.batch's; this only wires options and prints."""
    executor = _batch.make_executor(spec, jobs, ray_address)  # --ray without Ray fails here, in one line
    found = _batch.discover(files, out_dir)
    for folder in {job.stem.parent for job in found}:
        _check_writable(folder)
    settings = _batch.Settings(langs, fmt, entries, key, (lambda: None) if no_tm else (lambda: _memory(tm_path)),
                               meta, force=force, progress=progress.enabled(), signature=signature,
                               accept_changes=accept_changes)
    summary = _batch.run_batch(found, settings, executor)
    click.echo(_batch.render_summary(summary), err=True, nl=False)
    code = _batch.exit_code(summary, strict)
    if code:
        click.get_current_context().exit(code)
    return 0


def _glossary_entries(paths: tuple[str, ...]) -> tuple[list[GlossaryEntry], str]:
    glossary = load_glossary(list(paths))
    return [e for e in glossary.entries if e.status != "deprecated"], glossary.version()


def _memory(path: str | None) -> TranslationMemory:
    return TranslationMemory(Path(path) if path else None)


def _refuse_overwrites(planned: dict[str, Path], langs: list[str], formats: dict[str, str], force: bool) -> None:
    for path, stem in planned.items():
        fmt = formats[path]
        _check_writable(stem.parent)
        # A run killed while moving its files into place left a journal: put the old
        # files back first, so that the check below sees what the user really had.
        recover_interrupted_writes(stem.parent)
        if force:
            continue
        for lang in langs:
            target = draft_path(stem, lang, FORMATS[fmt][0])
            if target.exists():
                raise OutputError("output exists", file=str(target),
                                  hint="use --force to overwrite it, or --out DIR")


def _check_writable(folder: Path) -> None:
    """Fail before translating (minutes with a real model) when the output folder
    cannot be made or written."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"{existing} is a file, not a folder", file=str(folder), hint="pass --out DIR")
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        raise OutputError(f"cannot write there ({exc.strerror})", file=str(existing),
                          hint="pass --out DIR to a writable folder") from None
