"""issue 26: the QA configuration ([tool.mt.qa] / mt.toml [qa]), `mt qa --list-checks`,
do-not-translate glossary rows, and the new checks in the release's QA report, its
Markdown legend and the XLIFF notes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from mt.cli import cli
from mt.errors import InputError
from mt.formats import xliff
from mt.glossary import store
from mt.output import render_report_md
from mt.qa import CHECKS, config, run_checks
from mt.qa.release import release_findings
from mt.release import dump_report
from mt.types import Document, GlossaryEntry, ReleaseResult, Segment, TmMatch, Translation

SOURCE = "Облыс әкімдігі хабарлады."
FAULTY = "The regional akimate  reported"


def run(*args: str, cwd: Path | None = None):
    return CliRunner().invoke(cli, [str(a) for a in args])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_configuration_turns_off_changes_severity_and_adds_regex_checks(tmp_path):
    path = write(tmp_path / "mt.toml", """
[qa]
disable = ["punctuation"]
severity = { spacing = "error" }
[[qa.regex]]
id = "no-akimate"
title = "akimate is not English"
target = "(?i)akimate"
[[qa.regex]]
id = "akimat-kept"
title = "әкімдік is akimat"
langs = ["en"]
source = "әкімдіг"
expect = "akimat\\\\b"
""")
    cfg = config.load(path, CHECKS)
    found = {(f.check, f.severity) for f in run_checks([SOURCE], [FAULTY], "kk", "en", config=cfg)}
    assert ("spacing", "error") in found and ("no-akimate", "warning") in found and ("akimat-kept", "warning") in found
    assert not any(check == "punctuation" for check, _ in found)
    # without the configuration: the defaults
    default = {(f.check, f.severity) for f in run_checks([SOURCE], [FAULTY], "kk", "en")}
    assert ("spacing", "warning") in default and ("punctuation", "warning") in default
    assert not any(c.startswith("no-") for c, _ in default)
    # the regex check passes a correct line; "expect" is only asked where the source matches
    assert run_checks([SOURCE], ["The regional akimat reported."], "kk", "en", config=cfg) == []
    assert run_checks(["Басқа сөйлем."], ["Another sentence."], "kk", "en", config=cfg) == []


def test_pyproject_table_is_found_from_a_subfolder(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n[tool.mt.qa]\ndisable = ["nbsp"]\n')
    (tmp_path / "a" / "b").mkdir(parents=True)
    found = config.discover(tmp_path / "a" / "b", CHECKS)
    assert found is not None and found.disable == {"nbsp"}
    # a pyproject without the table does not stop the search, and none is no configuration
    write(tmp_path / "a" / "pyproject.toml", '[project]\nname = "y"\n')
    assert config.discover(tmp_path / "a" / "b", CHECKS).disable == {"nbsp"}


@pytest.mark.parametrize("text, message", [
    ('[qa]\ndisable = ["nosuch"]\n', "unknown QA check 'nosuch'"),
    ('[qa]\nseverity = { spacing = "fatal" }\n', "'severity' maps check ids"),
    ('[qa]\nfoo = 1\n', "unknown QA configuration key 'foo'"),
    ('[[qa.regex]]\nid = "x"\ntitle = "t"\ntarget = "("\n', "regex check key 'target'"),
    ('[[qa.regex]]\nid = "spacing"\ntitle = "t"\ntarget = "a"\n', "is a built-in check"),
    ('[[qa.regex]]\nid = "x"\ntitle = "t"\n', "needs 'target' or 'expect'"),
    ('[qa\n', "not valid TOML"),
])
def test_bad_configuration_is_one_error_naming_the_file(tmp_path, text, message):
    path = write(tmp_path / "mt.toml", text)
    with pytest.raises(InputError, match=message) as err:
        config.load(path, CHECKS)
    assert err.value.file == str(path)
    result = run("qa", "--config", path, "--list-checks")
    assert result.exit_code == 2 and message.split("'")[0] in result.output


def test_list_checks_prints_id_severity_title_and_what_is_off(tmp_path):
    result = run("qa", "--list-checks")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(CHECKS)
    for line, check in zip(lines, CHECKS.values()):
        assert line.split()[:2] == [check.id, check.severity] and check.title in line
    path = write(tmp_path / "mt.toml", '[qa]\ndisable = ["nbsp"]\n[[qa.regex]]\nid = "x-1"\ntitle = "Mine"\ntarget = "x"\n')
    rows = [json.loads(x) for x in run("qa", "--config", path, "--list-checks", "--format", "jsonl").output.splitlines()]
    assert {"id": "nbsp", "severity": "info", "title": CHECKS["nbsp"].title, "on": False} in rows
    assert rows[-1] == {"id": "x-1", "severity": "warning", "title": "Mine", "on": True}
    assert "missing option --src" in run("qa").output


def test_do_not_translate_rows_are_checked_and_enforced_as_written(tmp_path):
    rows = "id\ttype\tkk\ten\tde\tru\tstrategy\norg.air-astana\torg\tAir Astana\tAir Astana\tAir Astana\tAir Astana\tkeep\n"
    assert store.check([write(tmp_path / "ok.tsv", rows)]) == []
    bad = write(tmp_path / "bad.tsv", rows.replace("\tAir Astana\tAir Astana\tkeep", "\tLuft Astana\tAir Astana\tkeep"))
    assert [p.kind for p in store.check([bad])] == ["keep-translated"]
    entries = store.load_glossary([tmp_path / "ok.tsv"]).active()
    source = "Air Astana әуе компаниясы жаңа рейс ашады."
    assert [f.check for f in run_checks([source], ["Astana Airlines opens a new route."], "kk", "en", entries,
                                        checks=["forbidden"])] == ["forbidden"]
    assert run_checks([source], ["Air Astana opens a new route."], "kk", "en", entries, checks=["forbidden"]) == []


def test_avoided_forms_are_found_inflected():
    entry = GlossaryEntry("place.almaty", "place", "Алматы", "Almaty", "Almaty", "Алматы", avoid=("Alma-Ata", "Алма-Ата"))
    found = run_checks(["Алматыда көрме ашылды."], ["В Алма-Ате открылась выставка."], "kk", "ru", [entry],
                       checks=["forbidden"])
    assert [f.severity for f in found] == ["error"] and "Алматы" in found[0].message
    assert run_checks(["Алматыда көрме ашылды."], ["В Алматы открылась выставка."], "kk", "ru", [entry],
                      checks=["forbidden"]) == []


def _release() -> ReleaseResult:
    sources = ["Кездесу өтті.", "Кездесу өтті.", "Облыс әкімдігі хабарлады."]
    targets = ["The meeting took place.", "The meeting was held.", "The regional akimat reported ."]
    segments = tuple(Segment(1, i, s) for i, s in enumerate(sources))
    translations = {"en": tuple(Translation(i, "en", s, t) for i, (s, t) in enumerate(zip(sources, targets)))}
    matches = (TmMatch(2, "en", 90.0, "Облыс әкімдігі хабарлады", "The regional akimat said.", "human"),)
    result = ReleaseResult(Document("T", tuple(sources)), segments, (), translations, (), matches)
    return ReleaseResult(result.document, segments, (), translations,
                         release_findings(translations, (), matches), matches)


def test_release_report_markdown_and_xliff_carry_the_new_checks():
    result = _release()
    found = {(f.segment, f.check) for f in result.findings}
    # the same source translated two ways; the memory's translator wrote another sentence
    assert {(1, "consistency"), (2, "consistency"), (2, "spacing")} <= found
    report = json.loads(dump_report(result, {}))
    assert {(f["segment"], f["check"]) for f in report["findings"]} == found
    md = render_report_md(result, {})
    assert f"| consistency | {CHECKS['consistency'].title} | 2 |" in md
    assert f"| spacing | {CHECKS['spacing'].title} | 1 |" in md
    root = etree.fromstring(xliff.dumps(result, "en"))
    notes = root.xpath("//x:note/@category", namespaces={"x": "urn:oasis:names:tc:xliff:document:2.0"})
    assert {"mt-qa:consistency", "mt-qa:spacing"} <= set(notes)


def test_mt_qa_compares_with_the_memorys_human_translations(tmp_path):
    from mt.tm import MemoryUnit, TranslationMemory

    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.import_units([MemoryUnit("kk", "en", "Кездесу Астанада өтті.", "The meeting took place in Astana.", creator="anna")])
    tm.put_many(["Делегация Ақтөбеге келді."], ["The delegation came to Aktobe."], "kk", "en", "k1")
    src = write(tmp_path / "s.kk", "Кездесу Астанада өтті.\nДелегация Ақтөбеге келді.\n")
    hyp = write(tmp_path / "h.en", "The meeting was held in Astana.\nThe delegation arrived in Aktobe.\n")
    result = run("qa", "--src", src, "--hyp", hyp, "--lang", "kk-en", "--tm", tmp_path / "tm.sqlite",
                 "--checks", "consistency", "--format", "jsonl")
    found = [json.loads(line) for line in result.output.splitlines()]
    # the translator's translation differs; the machine unit is no one's decision
    assert [(f["segment"], f["check"]) for f in found] == [(0, "consistency")]
    assert "The meeting took place in Astana." in found[0]["message"]
    without = run("qa", "--src", src, "--hyp", hyp, "--lang", "kk-en", "--checks", "consistency")
    assert "[consistency]" not in without.output
    missing = run("qa", "--src", src, "--hyp", hyp, "--lang", "kk-en", "--tm", tmp_path / "none.sqlite")
    assert missing.exit_code != 0 and "no translation memory here" in missing.output
