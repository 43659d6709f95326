"""`mt eval`: run benchmarks, compare runs with baselines, write CI reports."""

from __future__ import annotations

from pathlib import Path

import click

from mt import benchmark as bm
from mt import progress, report
from mt.cli._common import refuse_existing
from mt.errors import MtError


@click.group("eval")
def eval_group() -> None:
    """Quality benchmarks (eval/benchmarks/*.toml) for CI."""


@eval_group.command("list")
def list_cmd() -> None:
    """List the benchmarks: name, directions, corpus, description."""
    for path in bm.list_benchmarks():
        try:
            bench = bm.load_benchmark(path)
        except MtError as exc:
            click.echo(f"{path.stem}\tINVALID: {exc}")
            continue
        click.echo(f"{bench.name}\t{','.join(bench.directions)}\t{bench.corpus.describe()}\t{bench.description}")


@eval_group.command("run")
@click.argument("bench")
@click.option("--engine", default=None, help="Engine (hf, ct2, auto); default: the benchmark's.")
@click.option("--model", default=None, help="Model id or folder; default: the benchmark's.")
@click.option("--hyp-dir", type=click.Path(file_okay=False), default=None,
              help="Score existing outputs in DIR (<direction>.txt or leaderboard names) instead of translating.")
@click.option("--direction", "directions", multiple=True, help="Only this direction (repeatable), e.g. kk-en.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=str(bm.RUNS_DIR), show_default=True,
              help="Folder that receives the run folder.")
@click.option("--raw", is_flag=True,
              help="Score the model alone (no glossary enforcement); default: mt's pipeline as `mt translate` runs it.")
def run_cmd(bench: str, engine: str | None, model: str | None, hyp_dir: str | None,
            directions: tuple[str, ...], out_dir: str, raw: bool) -> None:
    """Translate (or read) and score benchmark BENCH (a name from `mt eval list` or a .toml path).
    Translating runs mt's pipeline (glossary terms enforced, memory off); a benchmark with
    a glossary reports the raw model's term success rate beside mt's."""
    try:
        result = bm.run(bench, engine=engine, model=model, hyp_dir=hyp_dir, out_dir=Path(out_dir),
                        directions=directions or None, progress=progress.enabled(), raw=raw)
    except bm.BenchmarkUnavailable as exc:
        click.echo(f"mt eval: skipped {bench}: {exc}", err=True)
        return
    assert result.path is not None  # run() writes the run folder
    folder = result.path.parent
    for fmt, name in report.DEFAULT_NAMES.items():
        report.write_report(fmt, folder / name, result)
    click.echo(report.run_table(result), nl=False)
    click.echo(f"run {result.id}: {folder}", err=True)


@eval_group.command("compare")
@click.argument("run_ref", metavar="RUN")
@click.option("--baseline", required=True, type=click.Path(dir_okay=False),
              help="Baseline JSON, e.g. eval/baselines/flores200-devtest.json.")
@click.option("--report-md", type=click.Path(dir_okay=False), help="Write a Markdown summary here.")
@click.option("--junit", type=click.Path(dir_okay=False), help="Write JUnit XML here.")
@click.option("--html", type=click.Path(dir_okay=False), help="Write an HTML page with charts here.")
@click.option("--force", is_flag=True, help="Replace report files that exist.")
def compare_cmd(run_ref: str, baseline: str, report_md: str | None, junit: str | None, html: str | None,
                force: bool) -> None:
    """Compare RUN (run folder or id) with a baseline; exit 1 on a regression beyond tolerance
    or a metric signature that differs. A report file that exists is replaced only with --force."""
    for path in (report_md, junit, html):
        refuse_existing(path, force)  # all checked before anything is written
    current = bm.load_run(run_ref)
    base = bm.load_run(baseline)
    comparison = bm.compare(current, base, baseline_name=Path(baseline).stem)
    for fmt, path in (("md", report_md), ("junit", junit), ("html", html)):
        if path:
            report.write_report(fmt, Path(path), current, comparison)
    click.echo(report.comparison_table(comparison), nl=False)
    if comparison.passed:
        click.echo(f"PASS: {current.id} is within tolerance of baseline {comparison.baseline_name}")
        return
    failures = comparison.failures
    click.echo(f"FAIL: {len(failures)} of {len(comparison.rows)} checks failed against baseline "
               f"{comparison.baseline_name}" + (f"; {'; '.join(comparison.problems)}" if comparison.problems else ""),
               err=True)
    for row in failures:
        click.echo(f"  {row.direction} {row.label}: {row.status}: {row.note}", err=True)
    raise click.exceptions.Exit(1)


@eval_group.command("baseline")
@click.argument("run_ref", metavar="RUN")
@click.option("--name", required=True, help="Baseline name: writes eval/baselines/NAME.json.")
@click.option("--dir", "baselines_dir", type=click.Path(file_okay=False), default=str(bm.BASELINES_DIR),
              show_default=True)
@click.option("--note", default="", help="Where the scored outputs came from (kept in the file).")
@click.option("--force", is_flag=True, help="Replace an existing baseline NAME.")
def baseline_cmd(run_ref: str, name: str, baselines_dir: str, note: str, force: bool) -> None:
    """Make RUN the baseline NAME (review the diff; change baselines only on purpose: an
    existing one is replaced only with --force)."""
    refuse_existing(str(Path(baselines_dir) / f"{name}.json"), force)
    path = bm.write_baseline(bm.load_run(run_ref), name, Path(baselines_dir), note=note)
    click.echo(str(path))
