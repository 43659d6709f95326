"""Rendering a translated release: paragraph structure, alignment, QA report."""

from __future__ import annotations

import json
from pathlib import Path

from mt.formats import md, txt
from mt.output import output_files
from mt.release import output_stem
from mt.types import Document, Finding, ReleaseResult, Segment, TermCheck, TermHit, Translation


def _result() -> ReleaseResult:
    doc = Document("Тақырып", ("Бір. Екі.", "Үш."), "r.kk.txt")
    segs = (Segment(0, 0, "Тақырып"), Segment(1, 1, "Бір."), Segment(1, 2, "Екі."), Segment(2, 3, "Үш."))
    en = tuple(Translation(s.index, "en", s.text, t, terms) for s, t, terms in zip(
        segs, ["Title", "One.", "Two.", "Three."],
        [(), (TermCheck("x.one", "One", True, "placeholder"),), (), ()]))
    findings = (Finding(3, "numbers", "warning", "number 3 missing", "en"),
                Finding(2, "empty", "error", "empty translation", "en"))
    return ReleaseResult(doc, segs, (TermHit(1, "x.one", "Бір", 0, 3),), {"en": en}, findings)


def test_txt_and_md_keep_title_and_paragraphs():
    result = _result()
    assert txt.dumps(result, "en") == "Title\nOne. Two.\nThree.\n"
    assert md.dumps(result, "en") == "# Title\n\nOne. Two.\n\nThree.\n"


def test_output_files_names_and_alignment(tmp_path):
    result = _result()
    files = output_files(result, output_stem(str(tmp_path / "r.kk.txt"), None), "txt", {"model": "m"})
    assert sorted(p.name for p in files) == ["r.align.jsonl", "r.en.txt", "r.qa.json", "r.qa.md"]
    align = [json.loads(line) for line in files[tmp_path / "r.align.jsonl"].splitlines()]
    assert [a["segment"] for a in align] == [0, 1, 2, 3]
    assert align[1]["terms"] == ["x.one"]
    assert align[1]["targets"]["en"]["terms"] == [
        {"id": "x.one", "required": "One", "found": True, "strategy": "placeholder"}]


def test_report_lists_errors_first():
    result = _result()
    files = output_files(result, Path("out/r"), "md", {})
    report = json.loads(files[Path("out/r.qa.json")])
    assert [f["severity"] for f in report["findings"]] == ["error", "warning"]
    assert report["terms"] == {"en": {"required": 1, "found": 1}}
    md = files[Path("out/r.qa.md")]
    assert md.index("empty translation") < md.index("number 3 missing")


def test_output_stem_drops_language_tag(tmp_path):
    assert output_stem("a/release.kk.txt", None) == Path("a/release")
    assert output_stem("a/release.txt", "b") == Path("b/release")
    assert output_stem("-", None) == Path("stdin")
