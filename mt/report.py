"""Reports on a benchmark run, alone or held against a baseline: Markdown (a CI job summary),
JUnit XML (one test case per direction and metric) and one self-contained HTML page with
matplotlib charts embedded as PNG. WRITERS maps a format name to its renderer."""

from __future__ import annotations

import base64
import html
import io
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from mt.benchmark import Comparison, Row, Run
from mt.errors import OutputError
from mt.io import atomic_write_text

SEVERITIES = ("error", "warning", "info")
COUNTS = {"qa_errors"}  # comparison rows that count findings rather than score


def _fmt(value: float | None, signed: bool = False, metric: str = "") -> str:
    if value is None:
        return "-"
    if metric in COUNTS:
        return f"{value:+.0f}" if signed else f"{value:.0f}"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def _cells(r: Row) -> list[str]:
    """baseline, run, delta and allowed of a comparison row, formatted."""
    return [_fmt(r.baseline, metric=r.metric), _fmt(r.current, metric=r.metric),
            _fmt(r.delta, True, r.metric), "-" if r.tolerance is None else f"{r.tolerance:g}"]


def _metrics(run: Run) -> list[tuple[str, str]]:
    """(metric, label) pairs in the order they were scored."""
    seen: dict[str, str] = {}
    for result in run.directions.values():
        for metric, score in result.scores.items():
            seen.setdefault(metric, score.label or metric)
    return list(seen.items())


def _checks(run: Run) -> list[str]:
    return sorted({check for result in run.directions.values() for check in result.qa})


def _signatures(run: Run) -> dict[str, str]:
    sigs: dict[str, str] = {}
    for result in run.directions.values():
        for metric, score in result.scores.items():
            sigs.setdefault(score.label or metric, score.signature)
    return sigs


def _system(run: Run) -> str:
    if "engine" in run.system:
        return run.system["engine"]
    return f"outputs from {run.system.get('hyp_dir', '?')}"


# --------------------------------------------------------------------------- plain text

def comparison_table(comparison: Comparison, only_failures: bool = False) -> str:
    """An aligned text table for the terminal."""
    rows = comparison.failures if only_failures else list(comparison.rows)
    header = ("direction", "metric", "baseline", "run", "delta", "allowed", "status", "note")
    body = [(r.direction, r.label, *_cells(r), r.status, r.note) for r in rows]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *body)]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(line, widths)).rstrip()
             for line in (header, *body)]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.extend(f"not comparable: {problem}" for problem in comparison.problems)
    return "\n".join(lines) + "\n"


def run_table(run: Run) -> str:
    metrics = _metrics(run)
    header = ("direction", "segments", *(label for _, label in metrics), "QA errors", "QA warnings")
    body = [(d, str(r.segments), *(_fmt(r.scores[m].score) if m in r.scores else "-" for m, _ in metrics),
             str(r.qa_total("error")), str(r.qa_total("warning"))) for d, r in run.directions.items()]
    widths = [max(len(cell) for cell in column) for column in zip(header, *body)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in (header, *body)]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- markdown

def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(run: Run, comparison: Comparison | None = None) -> str:
    out = [f"## Benchmark {run.benchmark}", ""]
    if comparison is not None:
        verdict = "passed" if comparison.passed else f"**FAILED** ({len(comparison.failures)} of " \
                                                    f"{len(comparison.rows)} checks)"
        out += [f"Run `{run.id}` against baseline `{comparison.baseline_name}`: {verdict}.", ""]
        out += [f"- not comparable: {_md_escape(p)}" for p in comparison.problems]
        if comparison.problems:
            out.append("")
        out += ["| direction | metric | baseline | run | Δ | allowed | status | note |",
                "| --- | --- | ---: | ---: | ---: | ---: | --- | --- |"]
        for r in comparison.rows:
            status = f"**{r.status}**" if r.failed else r.status
            out.append(f"| {r.direction} | {r.label} | " + " | ".join(_cells(r))
                       + f" | {status} | {_md_escape(r.note)} |")
        out.append("")
    else:
        out += [f"Run `{run.id}`.", ""]
    metrics = _metrics(run)
    out += [f"System: `{_system(run)}`", "",
            "| direction | segments | " + " | ".join(label for _, label in metrics) + " | QA errors | QA warnings |",
            "| --- | ---: | " + " | ".join("---:" for _ in metrics) + " | ---: | ---: |"]
    for d, result in run.directions.items():
        cells = [_fmt(result.scores[m].score) if m in result.scores else "-" for m, _ in metrics]
        out.append(f"| {d} | {result.segments} | " + " | ".join(cells)
                   + f" | {result.qa_total('error')} | {result.qa_total('warning')} |")
    checks = _checks(run)
    if checks:
        out += ["", "QA findings per check (errors/warnings/info):", "",
                "| check | " + " | ".join(run.directions) + " |",
                "| --- | " + " | ".join("---:" for _ in run.directions) + " |"]
        for check in checks:
            cells = ["/".join(str(r.qa.get(check, {}).get(s, 0)) for s in SEVERITIES) for r in run.directions.values()]
            out.append(f"| {check} | " + " | ".join(cells) + " |")
    out += ["", "Signatures:", ""]
    out += [f"- {label}: `{sig}`" for label, sig in _signatures(run).items()]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- junit

def _case(suite: ET.Element, classname: str, name: str, message: str | None, output: str) -> None:
    case = ET.SubElement(suite, "testcase", classname=classname, name=name, time="0")
    if message is not None:
        ET.SubElement(case, "failure", message=message, type="regression").text = message
    ET.SubElement(case, "system-out").text = output


def render_junit(run: Run, comparison: Comparison | None = None) -> str:
    """One <testcase> per direction and metric: classname `benchmark.direction`, name the metric;
    a <failure> for each regression, signature mismatch or missing score."""
    suites = ET.Element("testsuites", name="mt eval")
    suite = ET.SubElement(suites, "testsuite", name=run.benchmark, timestamp=run.created)
    cases = failures = 0
    if comparison is not None:
        for problem in comparison.problems:
            _case(suite, run.benchmark, "comparable", problem, problem)
            cases += 1
            failures += 1
        rows: list[Row] = list(comparison.rows)
        for r in rows:
            base, cur, delta, allowed = _cells(r)
            output = (f"{r.label}: run {cur}, baseline {base}, delta {delta}, allowed {allowed}: {r.status}"
                      + (f" ({r.note})" if r.note else ""))
            message = f"{r.direction} {r.label}: {r.status}: {r.note}" if r.failed else None
            _case(suite, f"{run.benchmark}.{r.direction}", r.metric, message, output)
            cases += 1
            failures += message is not None
    else:
        for d, result in run.directions.items():
            for metric, score in result.scores.items():
                _case(suite, f"{run.benchmark}.{d}", metric, None,
                      f"{score.label} = {score.score:.2f} ({score.signature})")
                cases += 1
    suite.set("tests", str(cases))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suites.set("tests", str(cases))
    suites.set("failures", str(failures))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


# --------------------------------------------------------------------------- html

def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _charts(run: Run, comparison: Comparison | None) -> list[tuple[str, str]]:
    """(title, base64 PNG) for scores per direction and QA findings per check."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    charts = []
    directions = list(run.directions)
    metrics = _metrics(run)
    if metrics and directions:
        fig = Figure(figsize=(2.2 + 1.8 * len(metrics), 3.2))
        axes = fig.subplots(1, len(metrics), squeeze=False)[0]
        for ax, (metric, label) in zip(axes, metrics):
            values = [run.directions[d].scores[metric].score if metric in run.directions[d].scores else 0
                      for d in directions]
            xs = range(len(directions))
            if comparison is not None:
                base = [comparison.baseline.directions[d].scores[metric].score
                        if d in comparison.baseline.directions and metric in comparison.baseline.directions[d].scores
                        else 0 for d in directions]
                ax.bar([x - 0.2 for x in xs], base, width=0.4, color="#bbbbbb", label="baseline")
                ax.bar([x + 0.2 for x in xs], values, width=0.4, color="#3b75af", label="run")
                ax.legend(fontsize=7)
            else:
                ax.bar(list(xs), values, width=0.6, color="#3b75af")
            ax.set_xticks(list(xs), directions)
            ax.set_title(label + (" (lower is better)" if metric == "ter" else ""), fontsize=9)
            for x, v in zip(xs, values):
                ax.annotate(f"{v:.1f}", (x + (0.2 if comparison is not None else 0), v), ha="center",
                            va="bottom", fontsize=7)
        fig.tight_layout()
        charts.append(("Scores per direction", _png(fig)))
    checks = _checks(run)
    if checks:
        fig = Figure(figsize=(7, 0.9 + 0.35 * len(checks)))
        ax = fig.subplots()
        height = 0.8 / max(1, len(directions))
        for i, d in enumerate(directions):
            counts = [sum(run.directions[d].qa.get(c, {}).values()) for c in checks]
            ax.barh([y + i * height for y in range(len(checks))], counts, height=height, label=d)
        ax.set_yticks([y + 0.4 - height / 2 for y in range(len(checks))], checks)
        ax.invert_yaxis()
        ax.set_xlabel("findings (all severities)")
        ax.legend(fontsize=7)
        fig.tight_layout()
        charts.append(("QA findings per check", _png(fig)))
    return charts


_CSS = """body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
td:first-child,th:first-child,td.l,th.l{text-align:left}.fail{background:#fdd;font-weight:bold}.pass{color:#276}
code{font-size:90%}img{max-width:100%}"""


def _table(header: list[str], rows: list[list[str]], classes: list[str] | None = None) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        f"<tr class=\"{(classes or [''] * len(rows))[i]}\">" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
        for i, row in enumerate(rows))
    return f"<table><tr>{head}</tr>{body}</table>"


def render_html(run: Run, comparison: Comparison | None = None) -> str:
    esc = html.escape
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
             f"<title>mt eval: {esc(run.benchmark)}</title><style>{_CSS}</style></head><body>",
             f"<h1>Benchmark {esc(run.benchmark)}</h1>",
             f"<p>{esc(run.description)}</p><p>Run <code>{esc(run.id)}</code>, {esc(run.created)}; "
             f"system <code>{esc(_system(run))}</code></p>"]
    if comparison is not None:
        verdict = "passed" if comparison.passed else f"FAILED ({len(comparison.failures)} of {len(comparison.rows)})"
        parts.append(f"<h2>Against baseline {esc(comparison.baseline_name)}: "
                     f"<span class=\"{'pass' if comparison.passed else 'fail'}\">{esc(verdict)}</span></h2>")
        parts += [f"<p class=\"fail\">Not comparable: {esc(p)}</p>" for p in comparison.problems]
        parts.append(_table(
            ["direction", "metric", "baseline", "run", "Δ", "allowed", "status", "note"],
            [[r.direction, r.label, *_cells(r), r.status, r.note] for r in comparison.rows],
            ["fail" if r.failed else "" for r in comparison.rows]))
    metrics = _metrics(run)
    parts.append("<h2>Scores</h2>")
    parts.append(_table(
        ["direction", "segments", *(label for _, label in metrics), "QA errors", "QA warnings"],
        [[d, str(r.segments), *(_fmt(r.scores[m].score) if m in r.scores else "-" for m, _ in metrics),
          str(r.qa_total("error")), str(r.qa_total("warning"))] for d, r in run.directions.items()]))
    for title, png in _charts(run, comparison):
        parts.append(f"<h2>{esc(title)}</h2><img alt=\"{esc(title)}\" src=\"data:image/png;base64,{png}\">")
    checks = _checks(run)
    if checks:
        parts.append("<h2>QA findings (errors / warnings / info)</h2>")
        parts.append(_table(["check", *run.directions],
                            [[c, *("/".join(str(r.qa.get(c, {}).get(s, 0)) for s in SEVERITIES)
                                   for r in run.directions.values())] for c in checks]))
    parts.append("<h2>Signatures</h2><ul>")
    parts += [f"<li>{esc(label)}: <code>{esc(sig)}</code></li>" for label, sig in _signatures(run).items()]
    parts.append("</ul></body></html>")
    return "\n".join(parts) + "\n"


# --------------------------------------------------------------------------- registry

Writer = Callable[[Run, "Comparison | None"], str]
WRITERS: dict[str, Writer] = {"md": render_markdown, "junit": render_junit, "html": render_html}
DEFAULT_NAMES = {"md": "report.md", "junit": "junit.xml", "html": "report.html"}


def write_atomic(path: Path, text: str) -> None:
    """Write whole or not at all (mt.io: a temp file beside the target, fsync, rename;
    never over anything that is not a regular file)."""
    atomic_write_text(path, text)


def write_report(fmt: str, path: str | Path, run: Run, comparison: Comparison | None = None) -> Path:
    if fmt not in WRITERS:
        raise OutputError(f"unknown report format '{fmt}'", hint=f"choose one of: {', '.join(WRITERS)}")
    text = WRITERS[fmt](run, comparison)
    write_atomic(Path(path), text)
    return Path(path)
