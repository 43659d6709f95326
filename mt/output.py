"""Turn a ReleaseResult into the files a press office gets: one document per target
language (title and paragraphs kept), an alignment file, and a QA report."""

from __future__ import annotations

import importlib
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mt.formats import txt
from mt.qa import registry
from mt.qa.release import project_config
from mt.release import draft_path, dump_alignment, dump_report, side_files, sorted_findings
from mt.types import ReleaseResult


def render_jsonl(result: ReleaseResult, lang: str, meta: dict[str, Any] | None = None) -> str:
    lines = [json.dumps({"segment": s.index, "paragraph": s.paragraph, "lang": lang,
                         "source": s.text, "target": t.text}, ensure_ascii=False)
             for s, t in zip(result.segments, result.translations[lang])]
    return "\n".join(lines) + "\n"


Render = Callable[[ReleaseResult, str, dict[str, Any]], "str | bytes"]


def _lazy(module: str, function: str) -> Render:
    """A writer imported when first called: a plain-text run never loads python-docx,
    markdown-it or the XLIFF writers (start-up time of every command)."""

    def render(result: ReleaseResult, lang: str, meta: dict[str, Any]) -> str | bytes:
        return getattr(importlib.import_module(module), function)(result, lang, meta)

    return render


# --format name -> (file extension, render(result, lang, meta)).
# The release formats' writers keep the source's structure (docx, html, md); xliff is
# bilingual, for a translator's CAT tool.
FORMATS: dict[str, tuple[str, Render]] = {
    "txt": ("txt", txt.dumps),
    "md": ("md", _lazy("mt.formats.md", "dumps")),
    "jsonl": ("jsonl", render_jsonl),
    "xliff": ("xlf", _lazy("mt.formats.xliff", "dumps")),
    "xliff12": ("xliff", _lazy("mt.formats.xliff12", "dumps")),  # XLIFF 1.2 for older CAT tools: RELEASE.<lang>.xliff
    # XLIFF 1.2 as OmegaT 3.6 reads it (the source in <target>): RELEASE.<lang>.omegat.xliff
    "xliff12-omegat": ("omegat.xliff", _lazy("mt.formats.xliff12", "dumps_for_omegat")),
    "docx": ("docx", _lazy("mt.formats.docx", "dumps")),
    "html": ("html", _lazy("mt.formats.html", "dumps")),
}
# Without --format a release comes out in its own format where a writer keeps its structure.
SAME_AS_INPUT = {"md": "md", "docx": "docx", "html": "html"}


def format_for(document_format: str, requested: str | None) -> str:
    """The --format to write a release read as `document_format` (mt.types.Document.format)."""
    return requested or SAME_AS_INPUT.get(document_format, "txt")


def render_report_md(result: ReleaseResult, meta: dict[str, Any]) -> str:
    """What a translator should check before publishing, worst first."""
    lines = [f"# QA report: {result.document.title}", ""]
    lines += [f"- {key}: {value}" for key, value in meta.items()]
    counts = Counter(f.severity for f in result.findings)
    lines += [f"- segments: {len(result.segments)}",
              f"- findings: {counts.get('error', 0)} errors, {counts.get('warning', 0)} warnings, "
              f"{counts.get('info', 0)} notes", ""]
    for lang, items in result.translations.items():
        required = sum(len(t.terms) for t in items)
        found = sum(term.found for t in items for term in t.terms)
        lines.append(f"- glossary terms ({lang}): {found}/{required} in place")
    lines.append("")
    if not result.findings:
        lines.append("Nothing to check.")
        return "\n".join(lines) + "\n"
    lines += ["| severity | lang | segment | check | message | source |", "|---|---|---|---|---|---|"]
    for f in sorted_findings(result.findings):
        source = result.segments[f.segment].text if 0 <= f.segment < len(result.segments) else ""
        cells = [f.severity, f.lang, str(f.segment), f.check, f.message, source[:80]]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines + _check_legend(result)) + "\n"


def _check_legend(result: ReleaseResult) -> list[str]:
    """What each check that reported something looks for, and how often per language."""
    titles = {c.id: c.title for c in registry(project_config()).values()}
    langs = list(result.translations)
    per_check: dict[str, Counter[str]] = {}
    for f in result.findings:
        per_check.setdefault(f.check, Counter())[f.lang] += 1
    lines = ["", "## Checks", "", "| check | what it looks for | " + " | ".join(langs) + " |",
             "|---|---|" + "---|" * len(langs)]
    for check in sorted(per_check):
        counts = [str(per_check[check][lang]) for lang in langs]
        lines.append(f"| {check} | {titles.get(check, '')} | " + " | ".join(counts) + " |")
    return lines


def output_files(result: ReleaseResult, stem: Path, fmt: str, meta: dict[str, Any]) -> dict[Path, str | bytes]:
    """All files for one release, keyed by path: release.de.txt ..., release.align.jsonl,
    release.qa.json, release.qa.md (names and layouts: mt.release)."""
    ext, render = FORMATS[fmt]
    files: dict[Path, str | bytes] = {draft_path(stem, lang, ext): render(result, lang, meta)
                                      for lang in result.translations}
    align, report, report_md = side_files(stem)
    files[align] = dump_alignment(result)
    files[report] = dump_report(result, meta)
    files[report_md] = render_report_md(result, meta)
    return files
