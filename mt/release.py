"""A release on disk: reading it into a Prepared release, the names of the files
`mt translate` writes beside it, and the layouts of two of them, each with its writer
and its reader here: RELEASE.align.jsonl (every sentence, each draft with its origin,
term record and notes) and RELEASE.qa.json (the run's metadata and every QA finding).
mt.output, mt.batch and mt.review all use these; nothing else builds the names or
parses the files."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from mt.errors import InputError, MtError, OutputError
from mt.formats import read_release
from mt.io import decode_bytes, read_bytes, read_lines
from mt.normalize import normalize_document
from mt.segment import segment_document
from mt.types import Finding, Note, Prepared, ReleaseResult, Segment, TermCheck, Translation

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
# Keys of RELEASE.qa.json that are the report itself; the others are the run's metadata.
REPORT_KEYS = frozenset({"segments", "languages", "findings_by_severity", "terms", "findings"})
AGAIN = "run `mt translate --force` on the release again"
LOCK_TIMEOUT = 60.0  # seconds a writer waits for another one on the same release's drafts


def prepare(path: str | Path, accept_changes: bool = False) -> Prepared:
    """Read, normalise and segment a release file (`accept_changes`: see read_release)."""
    document = read_release(path, accept_changes)
    if not document.markup:  # readers of formats with inline markup normalise run by run
        document = normalize_document(document)
    return Prepared(document, tuple(segment_document(document)))


# -- names ---------------------------------------------------------------------------

def output_stem(input_path: str, out_dir: str | None) -> Path:
    """release.kk.txt -> <dir>/release ; a trailing .kk language tag is dropped."""
    name = "stdin" if input_path == "-" else Path(input_path).name
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if stem.endswith(".kk"):
        stem = stem[: -len(".kk")]
    folder = Path(out_dir) if out_dir else (Path(".") if input_path == "-" else Path(input_path).parent)
    return folder / stem


def draft_path(stem: Path, lang: str, ext: str) -> Path:
    """RELEASE.<lang>.<ext>: one draft per target language."""
    return stem.with_name(f"{stem.name}.{lang}.{ext}")


def align_path(stem: Path) -> Path:
    return stem.with_name(f"{stem.name}.align.jsonl")


def report_path(stem: Path) -> Path:
    return stem.with_name(f"{stem.name}.qa.json")


def report_md_path(stem: Path) -> Path:
    return stem.with_name(f"{stem.name}.qa.md")


def drafts_lock_path(stem: Path) -> Path:
    """The lock every writer of a release's drafts holds while it writes (`mt translate`,
    batches, `mt review` saves), so none writes over another's edit half-way. It lives in
    the user's temporary folder, named by the drafts' absolute path: nothing is added
    beside the drafts, and a full or read-only output folder fails as the writes do."""
    digest = hashlib.sha256(str(stem.resolve()).encode("utf-8")).hexdigest()[:24]
    folder = Path(tempfile.gettempdir()) / f"mt-locks-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / f"{digest}.lock"


@contextmanager
def drafts_locked(stem: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the release's drafts lock; a one-line error after `timeout` seconds."""
    lock = FileLock(str(drafts_lock_path(stem)), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise OutputError(f"another program has held these drafts for over {timeout:.0f} s",
                          file=lock.lock_file, hint="wait for it (a save in `mt review`?) and try again") from None
    try:
        yield
    finally:
        lock.release()


def side_files(stem: Path) -> list[Path]:
    """The files written beside the drafts, in the order they are listed."""
    return [align_path(stem), report_path(stem), report_md_path(stem)]


# -- RELEASE.align.jsonl -------------------------------------------------------------

def dump_alignment(result: ReleaseResult) -> str:
    """One line per segment: source, and per language the target, its origin, term
    record and the engine's notes."""
    lines = []
    for i, segment in enumerate(result.segments):
        record = {"segment": segment.index, "paragraph": segment.paragraph, "source": segment.text,
                  "terms": [h.id for h in result.hits if h.segment == segment.index],
                  "targets": {lang: _target_record(items[i]) for lang, items in result.translations.items()}}
        lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def _target_record(t: Translation) -> dict[str, Any]:
    record: dict[str, Any] = {"text": t.text, "origin": t.origin, "terms": [asdict(c) for c in t.terms]}
    if t.notes:
        record["notes"] = [asdict(n) for n in t.notes]
    return record


def load_alignment(path: Path, segments: Sequence[Segment]) -> dict[str, tuple[Translation, ...]]:
    """The translations dump_alignment wrote for `segments`; an alignment of another
    version of the release, or one that is not ours, is a one-line error."""
    lines = [line for line in read_lines(path) if line.strip()]
    stale = "the drafts are of another version of the release"
    again = f"{AGAIN} (saved edits come back from the memory)"
    if len(lines) != len(segments):
        raise MtError(f"{stale}: {len(lines)} sentences in the drafts, {len(segments)} in the release",
                      file=str(path), hint=again)
    out: dict[str, list[Translation]] = {}
    for number, (line, segment) in enumerate(zip(lines, segments), start=1):
        try:
            row = json.loads(line)
            if row["source"] != segment.text:
                raise MtError(f"{stale}: sentence {segment.index} differs", file=str(path), line=number, hint=again)
            for lang, target in row["targets"].items():
                out.setdefault(lang, []).append(_translation(segment, lang, target))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            raise InputError("not an alignment line written by mt translate", file=str(path), line=number,
                             hint=again) from None
    if not out or any(len(items) != len(segments) for items in out.values()):
        raise InputError("the alignment does not give every sentence in every language", file=str(path), hint=again)
    return {lang: tuple(items) for lang, items in out.items()}


def alignment_sources(path: Path) -> dict[int, tuple[int, str]] | None:
    """Sentence index -> (paragraph, source) as dump_alignment wrote them: the sentences
    mt segmented for the drafts beside it. None for a file that is not an alignment."""
    try:
        rows = [json.loads(line) for line in read_lines(path) if line.strip()]
        return {int(row["segment"]): (int(row["paragraph"]), str(row["source"])) for row in rows}
    except (MtError, ValueError, KeyError, TypeError):
        return None


def _translation(segment: Segment, lang: str, target: dict[str, Any]) -> Translation:
    terms = tuple(TermCheck(str(t["id"]), str(t["required"]), bool(t["found"]), str(t.get("strategy", "")))
                  for t in target.get("terms", ()))
    notes = tuple(Note(str(n["kind"]), str(n["message"]), str(n.get("check", "")), str(n.get("severity", "warning")))
                  for n in target.get("notes", ()))
    return Translation(segment.index, lang, segment.text, str(target["text"]), terms,
                       str(target.get("origin", "engine")), notes=notes)


# -- RELEASE.qa.json -----------------------------------------------------------------

def sorted_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Worst first; by language, segment and check within a severity."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.lang, f.segment, f.check))


def dump_report(result: ReleaseResult, meta: dict[str, Any]) -> str:
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
                      "severity": f.severity, "message": f.message} for f in sorted_findings(result.findings)],
    }
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def load_report(path: Path) -> tuple[dict[str, Any], list[Finding]]:
    """The run's metadata and the findings of a report dump_report wrote."""
    data = _json(path)
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise InputError("not a QA report written by mt translate", file=str(path), hint=AGAIN)
    meta = {key: value for key, value in data.items() if key not in REPORT_KEYS}
    try:
        findings = [Finding(int(f["segment"]), str(f["check"]), str(f["severity"]), str(f["message"]),
                            str(f.get("lang", ""))) for f in data["findings"]]
    except (KeyError, TypeError, ValueError):
        raise InputError("a finding lacks segment, check, severity or message", file=str(path), hint=AGAIN) from None
    return meta, findings


def _json(path: Path) -> Any:
    try:
        return json.loads(decode_bytes(read_bytes(path), str(path)))
    except json.JSONDecodeError as exc:
        raise InputError(f"broken JSON ({exc.msg})", file=str(path), line=exc.lineno, hint=AGAIN) from None


def load_drafts(stem: Path, segments: Sequence[Segment]
                ) -> tuple[dict[str, Any], list[Finding], dict[str, tuple[Translation, ...]]]:
    """Metadata, findings and translations that `mt translate` wrote for the release at `stem`."""
    for path in (align_path(stem), report_path(stem)):
        if not path.is_file():
            raise InputError("no drafts for this release here", file=str(path),
                             hint="run `mt translate` on the release first (pass the same --out DIR to both)")
    meta, findings = load_report(report_path(stem))
    return meta, findings, load_alignment(align_path(stem), segments)
