"""`mt score` (reference-based metrics) and `mt qa` (checks without a reference)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import click

from mt import metrics
from mt.cli._common import echo_jsonl
from mt.errors import InputError
from mt.glossary.store import load_glossary
from mt.io import read_lines
from mt.metrics import split_pair
from mt.pipeline import HUMAN_FUZZY_CUTOFF
from mt.qa import CHECKS, registry, run_checks, select
from mt.qa import config as qa_config
from mt.qa.config import QaConfig
from mt.tm import HUMAN_KEY, TranslationMemory
from mt.types import HUMAN


def read_aligned(paths: list[str]) -> list[list[str]]:
    """Each file's lines, in the order given; refuses files whose line counts differ."""
    texts = {path: read_lines(path) for path in dict.fromkeys(paths)}
    counts = {path: len(lines) for path, lines in texts.items()}
    if len(set(counts.values())) > 1:
        listing = ", ".join(f"{path} has {n} line{'s' * (n != 1)}" for path, n in counts.items())
        raise InputError(f"line counts differ: {listing}", hint="only line-aligned files can be compared")
    return [texts[path] for path in paths]


def _entries(paths: tuple[str, ...]):

    return load_glossary(list(paths)).active()


def _label(name: str, signature: str) -> str:
    if name == "chrf":
        order = signature.split("nw:")[1].split("|")[0] if "nw:" in signature else "0"
        return "chrF" + "+" * int(order)
    return {"bleu": "BLEU", "ter": "TER", "term_success_rate": "terms"}.get(name, name)


lang_option = click.option("--lang", "lang_pair", required=True, metavar="SRC-TGT",
                           help="Language pair, e.g. kk-en.")
glossary_paths_option = click.option(
    "--glossary", "glossary_paths", multiple=True, type=click.Path(),
    help="Glossary TSV file or folder (repeatable); without it no glossary term is checked.")


@click.command()
@click.option("--hyp", "hyp_paths", multiple=True, required=True, type=click.Path(),
              help="System output, one segment per line; give two to compare them.")
@click.option("--ref", "ref_paths", multiple=True, required=True, type=click.Path(),
              help="Reference translation (repeatable for several references).")
@click.option("--src", "src_path", type=click.Path(), help="Source text (needed for the term success rate).")
@lang_option
@glossary_paths_option
@click.option("--metrics", "metric_names", default="bleu,chrf,ter", show_default=True,
              help="Comma-separated metrics.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def score(hyp_paths: tuple[str, ...], ref_paths: tuple[str, ...], src_path: str | None, lang_pair: str,
          glossary_paths: tuple[str, ...], metric_names: str, fmt: str) -> None:
    """Score system output against references: BLEU, chrF++ and TER through sacrebleu,
    each with its signature; the glossary term success rate with --glossary and --src;
    paired bootstrap resampling when two --hyp are given."""

    if len(hyp_paths) > 2:
        raise click.UsageError("give one --hyp, or two to compare them")
    if glossary_paths and not src_path:
        raise click.UsageError("the term success rate needs the source: add --src")
    _, tgt = metrics.split_pair(lang_pair)
    names = tuple(n.strip() for n in metric_names.split(",") if n.strip())
    files = [*hyp_paths, *ref_paths, *([src_path] if src_path else [])]
    lines = dict(zip(files, read_aligned(files)))
    refs = [lines[path] for path in ref_paths]
    entries = _entries(glossary_paths) if glossary_paths else None

    paired = {}
    if len(hyp_paths) == 2:
        # The test scores both systems; reuse its scores rather than computing TER twice more.
        paired = metrics.paired_bootstrap(lines[hyp_paths[0]], lines[hyp_paths[1]], refs, lang_pair,
                                          metrics=names)
        per_hyp = [{name: {"score": getattr(r, field), "signature": r.signature} for name, r in paired.items()}
                   for field in ("baseline", "system")]
    else:
        per_hyp = [{name: r.to_dict() for name, r in
                    metrics.score(lines[hyp_paths[0]], refs, lang_pair, metrics=names).items()}]
    systems = []
    for path, results in zip(hyp_paths, per_hyp):
        if entries is not None and src_path:  # --glossary needs --src (checked above)
            results["term_success_rate"] = metrics.term_success_rate(
                lines[src_path], lines[path], entries, tgt).to_dict()
        systems.append({"hyp": path, "metrics": results})
    report: dict[str, Any] = {"metrics": systems[0]["metrics"], "segments": len(refs[0])}
    if paired:
        report["systems"] = systems
        report["paired_bootstrap"] = {name: r.to_dict() for name, r in paired.items()}
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(_score_table(report, systems))


def _cell(result: dict[str, Any]) -> str:
    if result.get("score") is None:
        return "n/a"
    text = f"{result['score']:.2f}"
    if "total" in result:
        text += f" ({result['found']}/{result['total']})"
    return text


def _score_table(report: dict[str, Any], systems: list[dict[str, Any]]) -> str:
    names = list(systems[0]["metrics"])
    paired = report.get("paired_bootstrap", {})
    header = ["metric", *("AB"[i] if len(systems) > 1 else "score" for i in range(len(systems)))]
    if paired:
        header.append("p-value")
    rows = [header]
    for name in names:
        signature = systems[0]["metrics"][name]["signature"]
        row = [_label(name, signature), *(_cell(s["metrics"][name]) for s in systems)]
        if paired:
            row.append(f"{paired[name]['p_value']:.4f}" if name in paired else "")
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in
                       enumerate(zip(row, widths))).rstrip() for row in rows]
    lines.append(f"{report['segments']} segments")
    if len(systems) > 1:
        lines.extend(f"{'AB'[i]}: {s['hyp']}" for i, s in enumerate(systems))
    for name in names:
        lines.append(f"{_label(name, systems[0]['metrics'][name]['signature'])}: "
                     f"{systems[0]['metrics'][name]['signature']}")
    if paired:
        lines.append("p-value: paired bootstrap resampling, B against A "
                     f"({paired[names[0]]['test_signature']})")
    return "\n".join(lines)


def _qa_config(config_path: str | None) -> QaConfig | None:
    if config_path:
        return qa_config.load(Path(config_path), CHECKS)
    return qa_config.discover(Path.cwd(), CHECKS)


@click.command()
@click.option("--src", "src_path", type=click.Path(), help="Source text, one segment per line.")
@click.option("--hyp", "hyp_path", type=click.Path(), help="Translation, line-aligned with --src.")
@click.option("--lang", "lang_pair", metavar="SRC-TGT", help="Language pair, e.g. kk-en.")
@glossary_paths_option
@click.option("--checks", "check_ids", default=None, help="Comma-separated check ids (default: all that are on).")
@click.option("--config", "config_path", type=click.Path(), default=None,
              help="QA configuration: mt.toml ([qa]) or pyproject.toml ([tool.mt.qa]); "
                   "default: the nearest one from the working folder up.")
@click.option("--tm", "tm_path", type=click.Path(), default=None,
              help="Translation memory whose human translations the consistency check compares with.")
@click.option("--list-checks", is_flag=True, help="Print every check: id, severity, title (and whether it is off).")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
@click.pass_context
def qa(ctx: click.Context, src_path: str | None, hyp_path: str | None, lang_pair: str | None,
       glossary_paths: tuple[str, ...], check_ids: str | None, config_path: str | None, tm_path: str | None,
       list_checks: bool, fmt: str) -> None:
    """Check a translation without a reference: numbers, links, glossary terms and forms to
    avoid, acronyms and codes, names not in the source, omissions, quotation marks, brackets,
    spacing and typography, untranslated or wrong-language text, repetition, length, end
    punctuation, consistency between the lines. Exit code 1 when any finding is an error
    (must be fixed before publishing).

    The project's configuration turns checks off, changes severities and adds regular-
    expression checks ([tool.mt.qa] in pyproject.toml or [qa] in mt.toml):

    \b
    [tool.mt.qa]
    disable = ["nbsp"]
    severity = { spacing = "info" }
    [[tool.mt.qa.regex]]
    id = "ru-yo"
    title = "Пугачев without ё"
    langs = ["ru"]
    target = "Пугачев"
    message = "write Пугачёв"

    A regex check reports a match of `target` in the translation; with `source`, only
    for lines whose source matches; with `expect`, lines (whose source matches) whose
    translation does not match it."""

    config = _qa_config(config_path)
    if list_checks:
        _list_checks(config, fmt)
        return
    missing = [name for name, value in (("--src", src_path), ("--hyp", hyp_path), ("--lang", lang_pair)) if not value]
    if missing:
        raise click.UsageError(f"missing option {missing[0]} (or --list-checks)")
    assert src_path and hyp_path and lang_pair  # checked above
    src_lang, tgt_lang = split_pair(lang_pair)
    checks = None if check_ids is None else [c.strip() for c in check_ids.split(",") if c.strip()]
    select(checks, config)  # unknown ids fail before any file is read
    sources, hyps = read_aligned([src_path, hyp_path])
    entries = _entries(glossary_paths) if glossary_paths else None
    memory = _human_translations(tm_path, sources, src_lang, tgt_lang) if tm_path else []
    findings = run_checks(sources, hyps, src_lang, tgt_lang, entries=entries, checks=checks, memory=memory,
                          config=config)
    if fmt == "jsonl":
        echo_jsonl({"segment": f.segment, "check": f.check, "severity": f.severity, "message": f.message}
                   for f in findings)
    else:
        for f in findings:
            click.echo(f"{hyp_path}:{f.segment + 1}: {f.severity}: [{f.check}] {f.message}")
        counts = Counter(f.severity for f in findings)
        click.echo(f"{len(sources)} segments: {counts['error']} errors, {counts['warning']} warnings, "
                   f"{counts['info']} info")
    if any(f.severity == "error" for f in findings):
        ctx.exit(1)


def _human_translations(tm_path: str, sources: list[str], src: str, tgt: str) -> list[tuple[str, str]]:
    """The memory's human translations of these sources and of similar ones (>= 85%, as
    `mt translate` shows them), for the consistency check."""
    memory = TranslationMemory(Path(tm_path), create=False)
    exact = memory.lookup_many(sources, src, tgt, HUMAN_KEY)
    pairs = [(source, hit.target) for source, hit in zip(sources, exact) if hit is not None and hit.origin == HUMAN]
    for found in memory.fuzzy_many(sources, src, tgt, limit=1, cutoff=HUMAN_FUZZY_CUTOFF, origins=(HUMAN,)):
        pairs += [(m.source, m.target) for m in found]
    return pairs


def _list_checks(config: QaConfig | None, fmt: str) -> None:
    disabled = config.disable if config is not None else frozenset()
    checks = list(registry(config).values())
    if fmt == "jsonl":
        echo_jsonl({"id": c.id, "severity": c.severity, "title": c.title, "on": c.id not in disabled}
                   for c in checks)
        return
    width = max(len(c.id) for c in checks)
    for c in checks:
        click.echo(f"{c.id:<{width}}  {c.severity:<7}  {c.title}{'' if c.id not in disabled else '  (off)'}")
