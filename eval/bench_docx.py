"""Reading a .docx with one very long paragraph: seconds and peak memory of `mt segment`
against the number of runs (issue 24 item 2: 50,000 runs took over 70 s).

Builds each document once (one paragraph of N runs as Word splits them: words with a
language tag, every fifth bold, every seventh a hyperlink-free italic), then runs the
reader (read_release, normalise, segment: exactly what `mt segment` does) in its own
process, and reads its peak RSS (VmHWM); --write also times the writer on the same
document (each sentence "translated" as itself, spans kept, no model). --code DIR runs another checkout's `mt` (its
folder goes first on the child's PYTHONPATH), for the figures before a change.

    .venv/bin/python eval/bench_docx.py [--runs 2000,8000,50000] [--write] [--code /path/to/old/checkout]
                                        [--out eval/bench/docx-DATE.json]
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORDS = ["Мектепте", "бес", "жүз", "оқушы", "оқиды.", "Салтанатты", "шараға", "ата-аналар", "қатысты."]


def build(runs: int) -> bytes:
    """A .docx (python-docx's template) whose second paragraph has `runs` runs."""
    import docx

    document = docx.Document()
    document.add_paragraph("Жаңа мектеп ашылды", style="Title")
    paragraph = document.add_paragraph()
    for i in range(runs):
        run = paragraph.add_run(WORDS[i % len(WORDS)] + " ")
        run.bold = True if i % 5 == 0 else None
        run.italic = True if i % 7 == 0 else None
        run.font.name = "Arial" if i % 11 == 0 else None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def one(path: str) -> dict:
    """In the child: segment the file as `mt segment` does; time and peak memory."""
    t0 = time.perf_counter()
    from mt.formats import read_release
    from mt.normalize import normalize_document
    from mt.segment import segment_document

    imported = time.perf_counter()
    document = read_release(path)
    segments = segment_document(normalize_document(document))
    done = time.perf_counter()
    read_peak = _rss_mb()
    written = _write(document, segments) if os.environ.get("BENCH_DOCX_WRITE") else None
    return {"s": done - imported, "import_s": imported - t0, "segments": len(segments), "peak_rss_mb": read_peak,
            "write_s": written, "write_peak_rss_mb": _rss_mb() if written is not None else None,
            "mt": str(Path(sys.modules["mt"].__file__).parent)}


def _write(document, segments) -> float:
    """The writer on the same document: each sentence 'translated' as itself with its
    spans (no model), then mt.formats.docx.dumps (spans to runs, the zip)."""
    from mt.formats import docx
    from mt.inline.spans import sentence_spans
    from mt.types import ReleaseResult, Translation

    t0 = time.perf_counter()
    spans = sentence_spans(document, segments)
    translations = tuple(Translation(s.index, "en", s.text, s.text, spans=spans[i]) for i, s in enumerate(segments))
    docx.dumps(ReleaseResult(document, tuple(segments), (), {"en": translations}), "en", {"model": "none"})
    return time.perf_counter() - t0


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure(path: Path, code: str | None, timeout: float, write: bool) -> dict:
    env = dict(os.environ, BENCH_DOCX_WRITE="1" if write else "")
    if code:
        env["PYTHONPATH"] = os.pathsep.join([code, env.get("PYTHONPATH", "")])
    try:
        proc = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True, text=True,
                              env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:.0f} s (stopped)"}
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    return json.loads(lines[-1][7:]) if lines else {"error": (proc.stderr.strip().splitlines() or ["?"])[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one")
    parser.add_argument("--runs", default="2000,8000,50000")
    parser.add_argument("--code", default=None, help="another checkout whose mt to run (figures before a change)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per document")
    parser.add_argument("--write", action="store_true", help="also time the writer (mt.formats.docx.dumps)")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    if args.one:
        print("RESULT " + json.dumps(one(args.one)))
        return
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for runs in (int(n) for n in args.runs.split(",")):
            path = Path(folder) / f"runs-{runs}.docx"
            path.write_bytes(build(runs))
            with zipfile.ZipFile(path) as archive:
                xml_mb = archive.getinfo("word/document.xml").file_size / 2**20
            result = measure(path, args.code, args.timeout, args.write)
            row = {"runs": runs, "docx_kb": round(path.stat().st_size / 1024, 1), "document_xml_mb": round(xml_mb, 2),
                   **result}
            if "s" in result:
                row["us_per_run"] = round(result["s"] / runs * 1e6, 1)
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    report = {"date": datetime.date.today().isoformat(), "code": args.code or str(ROOT),
              "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
              "method": "one process per document: read_release + normalize_document + segment_document "
                        "(= mt segment); s excludes importing mt; peak_rss_mb is VmHWM of that process; with "
                        "--write, write_s: sentence_spans + docx.dumps of each sentence as its own translation",
              "rows": rows}
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
