"""Turn a ReleaseResult into the files a press office gets: one document per target
language (title and paragraphs kept), an alignment file, and a QA report."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from mt.types import Finding, ReleaseResult, Translation

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def render_txt(result: ReleaseResult, lang: str, meta: dict | None = None) -> str:
    """Title on the first line, then one paragraph per line (the release's own layout)."""
    from mt.formats import txt

    return txt.dumps(result, lang, meta)


def render_md(result: ReleaseResult, lang: str, meta: dict | None = None) -> str:
    from mt.formats import md

    return md.dumps(result, lang, meta)


def render_xliff(result: ReleaseResult, lang: str, meta: dict | None = None) -> bytes:
    """XLIFF 2.0 for a translator's CAT tool (see mt.formats.xliff)."""
    from mt.formats import xliff

    return xliff.dumps(result, lang, meta)


def render_docx(result: ReleaseResult, lang: str, meta: dict | None = None) -> bytes:
    """The source .docx with its text translated (see mt.formats.docx)."""
    from mt.formats import docx

    return docx.dumps(result, lang, meta)


def render_html(result: ReleaseResult, lang: str, meta: dict | None = None) -> str:
    """The source page with its text translated (see mt.formats.html)."""
    from mt.formats import html

    return html.dumps(result, lang, meta)


def render_jsonl(result: ReleaseResult, lang: str, meta: dict | None = None) -> str:
    lines = [json.dumps({"segment": s.index, "paragraph": s.paragraph, "lang": lang,
                         "source": s.text, "target": t.text}, ensure_ascii=False)
             for s, t in zip(result.segments, result.translations[lang])]
    return "\n".join(lines) + "\n"


# --format name -> (file extension, render(result, lang, meta)).
FORMATS: dict[str, tuple[str, Callable[[ReleaseResult, str, dict], str | bytes]]] = {
    "txt": ("txt", render_txt),
    "md": ("md", render_md),
    "jsonl": ("jsonl", render_jsonl),
    "xliff": ("xlf", render_xliff),
    "docx": ("docx", render_docx),
    "html": ("html", render_html),
}
# Without --format a release comes out in its own format where a writer keeps its structure.
SAME_AS_INPUT = {"md": "md", "docx": "docx", "html": "html"}


def format_for(document_format: str, requested: str | None) -> str:
    """The --format to write a release read as `document_format` (mt.types.Document.format)."""
    return requested or SAME_AS_INPUT.get(document_format, "txt")


def _term_record(translation: Translation) -> list[dict]:
    return [{"id": t.id, "required": t.required, "found": t.found, "strategy": t.strategy}
            for t in translation.terms]


def render_alignment(result: ReleaseResult) -> str:
    """One line per segment: source, and per language the target and its term record."""
    lines = []
    for i, segment in enumerate(result.segments):
        record = {"segment": segment.index, "paragraph": segment.paragraph, "source": segment.text,
                  "terms": [h.id for h in result.hits if h.segment == segment.index],
                  "targets": {lang: {"text": items[i].text, "origin": items[i].origin,
                                     "terms": _term_record(items[i])}
                              for lang, items in result.translations.items()}}
        lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def _sorted(findings: tuple[Finding, ...]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.lang, f.segment, f.check))


def render_report_json(result: ReleaseResult, meta: dict) -> str:
    counts = Counter(f.severity for f in result.findings)
    report = {
        **meta,
        "segments": len(result.segments),
        "languages": list(result.translations),
        "findings_by_severity": dict(counts),
        "terms": {lang: {"required": sum(len(t.terms) for t in items),
                         "found": sum(term.found for t in items for term in t.terms)}
                  for lang, items in result.translations.items()},
        "findings": [{"segment": f.segment, "lang": f.lang, "check": f.check,
                      "severity": f.severity, "message": f.message} for f in _sorted(result.findings)],
    }
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def render_report_md(result: ReleaseResult, meta: dict) -> str:
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
    for f in _sorted(result.findings):
        source = result.segments[f.segment].text if 0 <= f.segment < len(result.segments) else ""
        cells = [f.severity, f.lang, str(f.segment), f.check, f.message, source[:80]]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def output_files(result: ReleaseResult, stem: Path, fmt: str, meta: dict) -> dict[Path, str | bytes]:
    """All files for one release, keyed by path: release.de.txt ..., release.align.jsonl,
    release.qa.json, release.qa.md."""
    ext, render = FORMATS[fmt]
    files: dict[Path, str | bytes] = {stem.with_name(f"{stem.name}.{lang}.{ext}"): render(result, lang, meta)
                                      for lang in result.translations}
    files[stem.with_name(f"{stem.name}.align.jsonl")] = render_alignment(result)
    files[stem.with_name(f"{stem.name}.qa.json")] = render_report_json(result, meta)
    files[stem.with_name(f"{stem.name}.qa.md")] = render_report_md(result, meta)
    return files


def output_stem(input_path: str, out_dir: str | None) -> Path:
    """release.kk.txt -> <dir>/release ; a trailing .kk language tag is dropped."""
    name = "stdin" if input_path == "-" else Path(input_path).name
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if stem.endswith(".kk"):
        stem = stem[: -len(".kk")]
    folder = Path(out_dir) if out_dir else (Path(".") if input_path == "-" else Path(input_path).parent)
    return folder / stem
