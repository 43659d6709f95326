"""Report writers: Markdown, JUnit XML, self-contained HTML, on runs built here."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET

import pytest

from mt import benchmark as bm
from mt import report
from mt.errors import OutputError

SIG = {"bleu": "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0",
       "chrf": "nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0",
       "ter": "nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0"}


def make_run(run_id: str, chrf_de: float = 43.9, qa_de: int = 2) -> bm.Run:
    values = {"kk-en": (29.26, 54.22, 58.35), "kk-de": (17.39, chrf_de, 71.56), "kk-ru": (17.24, 43.33, 73.29)}
    directions = {}
    for d, (bleu, chrf, ter) in values.items():
        scores = {"bleu": bm.Score(bleu, SIG["bleu"], "BLEU"), "chrf": bm.Score(chrf, SIG["chrf"], "chrF++"),
                  "ter": bm.Score(ter, SIG["ter"], "TER")}
        qa = {"numbers": {"error": qa_de if d == "kk-de" else 1}, "repetition": {"warning": 3}}
        directions[d] = bm.DirectionResult(d, 1012, scores, qa)
    return bm.Run(id=run_id, benchmark="flores200-devtest", created="2025-11-26T12:00:00+00:00",
                  system={"hyp_dir": "/tmp/x"}, directions=directions, description="FLORES <devtest> & co",
                  tolerances={"bleu": 1.0, "chrf": 0.5, "ter": 1.0, "qa_errors": 5})


@pytest.fixture
def failing() -> bm.Comparison:
    return bm.compare(make_run("new", chrf_de=40.0), make_run("old"), "flores200-devtest")


def test_markdown_run_summary():
    text = report.render_markdown(make_run("r1"))
    assert "| direction | segments | BLEU | chrF++ | TER | QA errors | QA warnings |" in text
    assert "| kk-de | 1012 | 17.39 | 43.90 | 71.56 | 2 | 3 |" in text
    assert "| numbers | 1/0/0 | 2/0/0 | 1/0/0 |" in text
    assert f"- chrF++: `{SIG['chrf']}`" in text


def test_markdown_comparison_marks_the_regression(failing):
    text = report.render_markdown(failing.run, failing)
    assert "**FAILED** (1 of 12 checks)" in text
    row = next(line for line in text.splitlines() if line.startswith("| kk-de | chrF++ |"))
    assert "| 43.90 | 40.00 | -3.90 | 0.5 | **regression** |" in row
    assert sum("**regression**" in line for line in text.splitlines()) == 1


def test_junit_one_case_per_direction_and_metric(failing):
    root = ET.fromstring(report.render_junit(failing.run, failing))
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == 12 and suite.get("tests") == "12" and suite.get("failures") == "1"
    failed = [c for c in cases if c.find("failure") is not None]
    assert [(c.get("classname"), c.get("name")) for c in failed] == [("flores200-devtest.kk-de", "chrf")]
    assert "dropped by 3.90 (allowed 0.5)" in failed[0].find("failure").get("message")


def test_junit_without_baseline_records_scores():
    root = ET.fromstring(report.render_junit(make_run("r1")))
    cases = root.find("testsuite").findall("testcase")
    assert len(cases) == 9 and all(c.find("failure") is None for c in cases)
    assert any("chrF++ = 54.22" in c.find("system-out").text for c in cases)


def test_junit_reports_incomparable_runs():
    other = make_run("x")
    other = bm.Run(**{**other.__dict__, "benchmark": "ntrex128"})
    comparison = bm.compare(other, make_run("old"))
    root = ET.fromstring(report.render_junit(other, comparison))
    assert root.get("failures") == "1"
    assert "benchmark differs" in root.find("testsuite/testcase/failure").get("message")


def test_html_is_self_contained_with_two_charts(failing):
    page = report.render_html(failing.run, failing)
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == 2
    assert all(base64.b64decode(img).startswith(b"\x89PNG\r\n\x1a\n") for img in images)
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "FLORES &lt;devtest&gt; &amp; co" in page
    assert '<tr class="fail"><td>kk-de</td><td>chrF++</td>' in page


def test_text_table_lists_failures(failing):
    table = report.comparison_table(failing, only_failures=True)
    lines = table.splitlines()
    assert len(lines) == 3 and lines[2].split()[:2] == ["kk-de", "chrF++"]


def test_qa_error_increase_beyond_tolerance_fails():
    comparison = bm.compare(make_run("new", qa_de=9), make_run("old", qa_de=2))
    (row,) = comparison.failures
    assert (row.direction, row.metric, row.baseline, row.current) == ("kk-de", "qa_errors", 2, 9)


def test_write_report_is_atomic_and_checks_format(tmp_path, failing):
    path = report.write_report("junit", tmp_path / "out" / "junit.xml", failing.run, failing)
    assert path.read_text(encoding="utf-8").startswith('<?xml version="1.0"')
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["junit.xml"]
    with pytest.raises(OutputError, match="unknown report format 'pdf'"):
        report.write_report("pdf", tmp_path / "x.pdf", failing.run)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError):
        report.write_report("md", blocker / "sub" / "r.md", failing.run)
