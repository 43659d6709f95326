"""Benchmarks as data, `mt eval run/compare/baseline`, and the shipped corpora.

System outputs are made here from the FLORES-200 devtest references (CC BY-SA 4.0, see
corpora/flores200/README.md), lightly perturbed so they score high but below 100."""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from mt import benchmark as bm
from mt.benchmark.compare import _metric_row
from mt.cli import cli
from mt.io import read_lines

ROOT = Path(__file__).resolve().parents[1]
DEVTEST = ROOT / "corpora" / "flores200" / "devtest"
REFS = {"en": "eng_Latn.devtest", "de": "deu_Latn.devtest", "ru": "rus_Cyrl.devtest"}
# kk-ru under its External-MT-leaderboard name, the others under <direction>.txt
HYP_NAMES = {"en": "kk-en.txt", "de": "kk-de.txt", "ru": "flores101-devtest.kaz-rus.output"}


def perturb(lines: list[str]) -> list[str]:
    """A plausible system: every 3rd line loses its last word, every 5th swaps its first two words."""
    out = []
    for i, line in enumerate(lines):
        words = line.split()
        if i % 3 == 0 and len(words) > 3:
            words = words[:-1]
        if i % 5 == 0 and len(words) > 2:
            words[0], words[1] = words[1], words[0]
        out.append(" ".join(words))
    return out


def degrade(lines: list[str]) -> list[str]:
    """A broken system: every other line cut to its first half."""
    return [" ".join(line.split()[: max(1, len(line.split()) // 2)]) if i % 2 else line
            for i, line in enumerate(lines)]


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


@pytest.fixture(scope="module")
def hyp_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hyps")
    for tgt, name in REFS.items():
        write_lines(folder / HYP_NAMES[tgt], perturb(read_lines(DEVTEST / name)))
    return folder


@pytest.fixture(scope="module")
def baseline_run(hyp_dir, tmp_path_factory):
    """One CLI run over all three directions, and a baseline made from it."""
    work = tmp_path_factory.mktemp("work")
    runner = CliRunner()
    result = runner.invoke(cli, ["eval", "run", "flores200-devtest", "--hyp-dir", str(hyp_dir),
                                 "--out", str(work / "runs")])
    assert result.exit_code == 0, result.output
    (run_dir,) = (work / "runs").iterdir()
    made = runner.invoke(cli, ["eval", "baseline", str(run_dir), "--name", "flores200-devtest",
                               "--dir", str(work / "baselines")])
    assert made.exit_code == 0, made.output
    return run_dir, work / "baselines" / "flores200-devtest.json", result


def run_cli(*args: str):
    return CliRunner().invoke(cli, list(args))


# --------------------------------------------------------------------------- definitions

def test_shipped_benchmarks_load_and_their_corpora_are_aligned():
    names = {path.stem for path in bm.list_benchmarks()}
    assert {"flores200-devtest", "flores200-dev", "ntrex128", "wmt19-kken", "release-aktobe"} <= names
    for name in sorted(names):
        bench = bm.load_benchmark(name)
        assert bench.directions and set(bench.directions) <= {"kk-en", "kk-de", "kk-ru"}
        if bench.corpus.sacrebleu:
            continue
        counts = {lang: len(read_lines(f)) for lang in ("kk", *(d[3:] for d in bench.directions))
                  for f in bm.corpus_files(bench, lang)}
        assert len(set(counts.values())) == 1, (name, counts)


def test_flores_devtest_definition():
    bench = bm.load_benchmark("flores200-devtest")
    assert bench.metric_options["chrf"] == {"word_order": 2}
    assert bench.tolerances["chrf"] == 0.5
    assert "flores101-devtest.kaz-deu.output" in bench.hyp_candidates("kk-de")
    assert bench.hyp_candidates("kk-en")[0] == "kk-en.txt"


@pytest.mark.parametrize("text, line, words", [
    ('description = "x"\ndirections = ["kk-en"]\n[corpus]\ndir = "."\nfiles = { kk = "a", en = "b" }\n'
     '[tolerances]\nchrf = 0.5\nbelu = 1\n', 8, "unknown key 'belu' in [tolerances]"),
    ('description = "x"\ndirections = ["kk-en"]\n[corpus]\nfiles = { kk = "a" en = "b" }\n', 4, "invalid TOML"),
    ('description = "x"\ndirections = ["kk-en"]\n[corpus]\ndir = "."\nfiles = { kk = "a" }\n', 5, "no entry for en"),
    ('description = "x"\ndirections = ["kk-en"]\n[corpus]\nsacrebleu = "wmt19"\nlangpair = "kk-en"\n'
     '[metrics]\nnames = ["bleu", "comet"]\n', 7, "unknown metric 'comet'"),
])
def test_bad_benchmark_is_one_line_error_with_file_and_line(tmp_path, text, line, words):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(bm.BenchmarkError) as info:
        bm.load_benchmark(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: ") and words in message and "\n" not in message
    result = run_cli("eval", "run", str(path), "--hyp-dir", str(tmp_path))
    assert result.exit_code == 2 and f"mt: error: {path}:{line}: " in result.stderr


def test_unknown_benchmark_names_the_known_ones():
    result = run_cli("eval", "run", "flores999")
    assert result.exit_code == 2
    assert "unknown benchmark 'flores999'" in result.stderr and "flores200-devtest" in result.stderr


def test_list_shows_every_benchmark():
    result = run_cli("eval", "list")
    assert result.exit_code == 0
    assert {line.split("\t")[0] for line in result.stdout.splitlines()} >= {"flores200-devtest", "wmt19-kken"}
    assert "sacrebleu wmt19 kk-en" in result.stdout


def test_corpus_readmes_checksums_match_the_files():
    for folder in ("flores200", "ntrex128"):
        readme = (ROOT / "corpora" / folder / "README.md").read_text(encoding="utf-8")
        rows = re.findall(r"^\| (\S+) \|.*?\| (\d+) \| `([0-9a-f]{64})`", readme, flags=re.M)
        assert len(rows) >= 5
        for name, lines, digest in rows:
            path = ROOT / "corpora" / folder / name
            assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, name
            assert len(read_lines(path)) == int(lines), name
            assert b"\r" not in path.read_bytes(), name


def test_read_lines_treats_crlf_as_lf(tmp_path):
    (tmp_path / "a").write_bytes(b"one\r\ntwo\r\n")
    (tmp_path / "b").write_bytes(b"one\ntwo")
    assert read_lines(tmp_path / "a") == read_lines(tmp_path / "b") == ["one", "two"]


# --------------------------------------------------------------------------- run + compare

def test_run_writes_scores_outputs_and_reports(baseline_run, hyp_dir):
    run_dir, _, result = baseline_run
    assert re.fullmatch(r"\d{8}T\d{6}Z-flores200-devtest", run_dir.name)
    names = {p.name for p in run_dir.iterdir()}
    assert {"scores.json", "report.md", "junit.xml", "report.html", "kk-en.hyp.txt", "kk-de.qa.jsonl"} <= names
    scores = json.loads((run_dir / "scores.json").read_text(encoding="utf-8"))
    chrf = scores["directions"]["kk-de"]["scores"]["chrf"]
    assert 60 < chrf["score"] < 100 and "nw:2" in chrf["signature"]
    assert scores["directions"]["kk-en"]["scores"]["bleu"]["signature"].startswith("nrefs:1|case:mixed")
    assert scores["directions"]["kk-ru"]["segments"] == 1012
    assert (run_dir / "kk-ru.hyp.txt").read_text(encoding="utf-8") == \
        (hyp_dir / HYP_NAMES["ru"]).read_text(encoding="utf-8")
    assert scores["system"]["hyp:kk-ru"] == "flores101-devtest.kaz-rus.output"
    assert "kk-en" in result.stdout and "chrF++" in result.stdout


def test_scores_reproduce_sacrebleu(baseline_run, hyp_dir):
    import sacrebleu

    run = bm.load_run(baseline_run[0])
    hyps = read_lines(hyp_dir / "kk-en.txt")
    refs = read_lines(DEVTEST / REFS["en"])
    expected = sacrebleu.corpus_chrf(hyps, [refs], word_order=2).score
    assert run.directions["kk-en"].scores["chrf"].score == pytest.approx(expected, abs=1e-9)


def test_compare_same_outputs_passes(baseline_run, hyp_dir, tmp_path):
    run_dir, baseline, _ = baseline_run
    out = tmp_path / "r"
    result = run_cli("eval", "compare", str(run_dir), "--baseline", str(baseline),
                     "--report-md", str(out / "summary.md"), "--junit", str(out / "junit.xml"),
                     "--html", str(out / "page.html"))
    assert result.exit_code == 0, result.output
    assert "PASS" in result.stdout
    suite = ET.parse(out / "junit.xml").getroot().find("testsuite")
    cases = suite.findall("testcase")
    # 3 directions x (bleu, chrf, ter, qa_errors)
    assert len(cases) == 12 and suite.get("failures") == "0"
    assert {c.get("classname") for c in cases} == {f"flores200-devtest.kk-{t}" for t in ("en", "de", "ru")}
    assert "passed" in (out / "summary.md").read_text(encoding="utf-8")


def test_compare_never_replaces_a_report_without_force(baseline_run, tmp_path):
    run_dir, baseline, _ = baseline_run
    md, junit = tmp_path / "summary.md", tmp_path / "junit.xml"
    md.write_text("the user's notes\n", encoding="utf-8")
    args = ["eval", "compare", str(run_dir), "--baseline", str(baseline), "--junit", str(junit), "--report-md", str(md)]
    refused = run_cli(*args)
    assert refused.exit_code != 0 and "--force" in refused.output and str(md) in refused.output
    assert md.read_text(encoding="utf-8") == "the user's notes\n" and not junit.exists()  # nothing written
    assert run_cli(*args, "--force").exit_code == 0
    assert "passed" in md.read_text(encoding="utf-8") and junit.exists()


def test_degraded_output_fails_with_table_naming_direction_and_metric(baseline_run, hyp_dir, tmp_path):
    _, baseline, _ = baseline_run
    bad = tmp_path / "hyps"
    bad.mkdir()
    for tgt in REFS:
        text = (hyp_dir / HYP_NAMES[tgt]).read_text(encoding="utf-8")
        if tgt == "de":
            text = "".join(line + "\n" for line in degrade(text.splitlines()))
        (bad / f"kk-{tgt}.txt").write_text(text, encoding="utf-8")
    runs = tmp_path / "runs"
    assert run_cli("eval", "run", "flores200-devtest", "--hyp-dir", str(bad), "--out", str(runs)).exit_code == 0
    (run_dir,) = runs.iterdir()
    junit, md, page = tmp_path / "junit.xml", tmp_path / "summary.md", tmp_path / "page.html"
    result = run_cli("eval", "compare", str(run_dir), "--baseline", str(baseline),
                     "--junit", str(junit), "--report-md", str(md), "--html", str(page))
    assert result.exit_code == 1
    failing = [line for line in result.stdout.splitlines() if "regression" in line]
    assert failing and all(line.startswith("kk-de") for line in failing)
    assert any(re.match(r"kk-de\s+chrF\+\+\s+.*regression\s+dropped by", line) for line in failing)
    assert "kk-de chrF++: regression" in result.stderr
    failures = [c for c in ET.parse(junit).getroot().iter("testcase") if c.find("failure") is not None]
    assert {(c.get("classname"), c.get("name")) for c in failures} >= {("flores200-devtest.kk-de", "chrf")}
    assert all(c.get("classname") == "flores200-devtest.kk-de" for c in failures)
    assert "**FAILED**" in md.read_text(encoding="utf-8")
    assert 'class="fail"' in page.read_text(encoding="utf-8")


def test_signature_mismatch_is_not_comparable(baseline_run, tmp_path):
    run_dir, baseline, _ = baseline_run
    data = json.loads(baseline.read_text(encoding="utf-8"))
    bleu = data["directions"]["kk-en"]["scores"]["bleu"]
    bleu["signature"] = re.sub(r"version:[\d.]+", "version:2.3.1", bleu["signature"])
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("eval", "compare", str(run_dir), "--baseline", str(old))
    assert result.exit_code == 1
    assert re.search(r"kk-en\s+BLEU .*not comparable\s+signature differs: version:2\.3\.1 -> version:", result.stdout)


def test_changed_metric_options_are_not_comparable(baseline_run, hyp_dir, tmp_path):
    """The same benchmark with another BLEU tokenizer: its scores cannot be held against the baseline."""
    _, baseline, _ = baseline_run
    text = (ROOT / "eval" / "benchmarks" / "flores200-devtest.toml").read_text(encoding="utf-8")
    text = text.replace('tokenize = "13a"', 'tokenize = "intl"').replace(
        '"../../corpora/flores200/devtest"', json.dumps(str(DEVTEST)))
    bench = tmp_path / "flores200-devtest.toml"
    bench.write_text(text, encoding="utf-8")
    run = bm.run(bench, hyp_dir=hyp_dir, out_dir=tmp_path / "runs", directions=["kk-en"], progress=False)
    comparison = bm.compare(run, bm.load_run(baseline))
    assert not comparison.passed
    statuses = {(r.direction, r.metric): (r.status, r.note) for r in comparison.rows}
    assert statuses[("kk-en", "bleu")][0] == "not comparable"
    assert "tok:13a -> tok:intl" in statuses[("kk-en", "bleu")][1]
    assert statuses[("kk-en", "chrf")][0] == "pass"
    assert statuses[("kk-de", "chrf")][0] == "missing"


def test_tolerance_lets_small_drops_pass():
    base = bm.Score(50.0, "sig", "chrF++")
    assert _metric_row("kk-en", "chrf", base, bm.Score(49.6, "sig"), 0.5).status == "pass"
    assert _metric_row("kk-en", "chrf", base, bm.Score(49.4, "sig"), 0.5).status == "regression"
    # TER: lower is better, so a rise is the regression
    assert _metric_row("kk-en", "ter", base, bm.Score(49.0, "sig"), 0.5).status == "pass"
    assert _metric_row("kk-en", "ter", base, bm.Score(51.0, "sig"), 0.5).status == "regression"


def test_misaligned_output_is_refused(tmp_path):
    lines = read_lines(DEVTEST / REFS["en"])[:-3]
    write_lines(tmp_path / "kk-en.txt", lines)
    result = run_cli("eval", "run", "flores200-devtest", "--hyp-dir", str(tmp_path), "--direction", "kk-en",
                     "--out", str(tmp_path / "runs"))
    assert result.exit_code == 2
    assert f"{tmp_path / 'kk-en.txt'}: 1009 lines, but the reference" in result.stderr and "1012" in result.stderr
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_missing_output_names_the_accepted_file_names(tmp_path):
    result = run_cli("eval", "run", "flores200-devtest", "--hyp-dir", str(tmp_path), "--direction", "kk-de")
    assert result.exit_code == 2
    assert "no system output for kk-de" in result.stderr and "flores200-devtest.kaz-deu.output" in result.stderr


def test_wmt19_is_skipped_offline(tmp_path, monkeypatch):
    from sacrebleu.dataset import DATASETS

    def no_network(*args, **kwargs):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    dataset = DATASETS["wmt19"]
    monkeypatch.setattr(dataset, "_outdir", str(tmp_path / "sacrebleu" / "wmt19"))
    monkeypatch.setattr(dataset, "_rawdir", str(tmp_path / "sacrebleu" / "wmt19" / "raw"))
    result = run_cli("eval", "run", "wmt19-kken", "--hyp-dir", str(tmp_path), "--out", str(tmp_path / "runs"))
    assert result.exit_code == 0
    assert "skipped wmt19-kken" in result.stderr
    assert "cannot get sacrebleu test set wmt19 kk-en" in result.stderr and "internet" in result.stderr
    assert not (tmp_path / "runs").exists()


def test_baseline_name_is_checked(baseline_run, tmp_path):
    result = run_cli("eval", "baseline", str(baseline_run[0]), "--name", "../evil", "--dir", str(tmp_path))
    assert result.exit_code == 2 and "bad baseline name" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_baseline_keeps_scores_and_signatures(baseline_run, tmp_path):
    run_dir, baseline, _ = baseline_run
    noted = bm.write_baseline(bm.load_run(run_dir), "noted", tmp_path, note="outputs of system X")
    assert json.loads(noted.read_text(encoding="utf-8"))["note"] == "outputs of system X"
    base = bm.load_run(baseline)
    run = bm.load_run(run_dir)
    assert base.id == "flores200-devtest" and json.loads(baseline.read_text())["from_run"] == run.id
    for direction, result in run.directions.items():
        assert base.directions[direction].scores == result.scores


def test_run_translates_with_an_engine(tiny_nllb, tmp_path):
    """Without --hyp-dir the benchmark's test set goes through the engine (a tiny random NLLB here:
    the scores mean nothing, the plumbing does), glossary term success rate included."""
    result = run_cli("eval", "run", "release-aktobe", "--engine", "hf", "--model", str(tiny_nllb),
                     "--direction", "kk-en", "--direction", "kk-ru", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    (run_dir,) = tmp_path.iterdir()
    scores = json.loads((run_dir / "scores.json").read_text(encoding="utf-8"))
    assert str(tiny_nllb) in scores["system"]["engine"]
    sources = read_lines(ROOT / "corpora" / "press-releases" / "aktobe-germany-2025" / "segments.kk")
    assert set(scores["directions"]) == {"kk-en", "kk-ru"}
    for direction in ("kk-en", "kk-ru"):
        assert len(read_lines(run_dir / f"{direction}.hyp.txt")) == len(sources) == 20
        result_scores = scores["directions"][direction]["scores"]
        assert set(result_scores) == {"bleu", "chrf", "ter", "terms", "terms_raw"}
        # A random model does not write the glossary's names; mt's pipeline enforces them.
        assert result_scores["terms_raw"]["score"] < 50
        assert result_scores["terms"]["score"] > result_scores["terms_raw"]["score"] + 25
        assert result_scores["terms"]["label"] == "Terms (mt)"
        assert result_scores["terms_raw"]["label"] == "Terms (raw model)"
    assert scores["system"]["pipeline"] == "mt"
    assert (run_dir / "report.html").is_file()


def test_raw_run_scores_the_model_alone(tiny_nllb, tmp_path):
    """`mt eval run --raw` skips enforcement: its term success rate is the one the default
    run reports as terms_raw, labelled as the raw model's."""
    runs = {}
    for flag in ((), ("--raw",)):
        out = tmp_path / ("raw" if flag else "mt")
        result = run_cli("eval", "run", "release-aktobe", "--engine", "hf", "--model", str(tiny_nllb),
                         "--direction", "kk-en", "--out", str(out), *flag)
        assert result.exit_code == 0, result.output
        (run_dir,) = out.iterdir()
        runs[bool(flag)] = json.loads((run_dir / "scores.json").read_text(encoding="utf-8"))
    raw, mt = runs[True], runs[False]
    assert raw["system"]["pipeline"] == "raw"
    raw_scores, mt_scores = raw["directions"]["kk-en"]["scores"], mt["directions"]["kk-en"]["scores"]
    assert "terms_raw" not in raw_scores and raw_scores["terms"]["label"] == "Terms (raw model)"
    assert raw_scores["terms"]["score"] == mt_scores["terms_raw"]["score"] < mt_scores["terms"]["score"]


def test_shipped_baselines_match_their_benchmarks_and_corpora():
    baselines = sorted((ROOT / "eval" / "baselines").glob("*.json"))
    assert baselines
    for path in baselines:
        base = bm.load_run(path)
        bench = bm.load_benchmark(base.benchmark)
        assert set(base.directions) <= set(bench.directions), path.name
        for name, digest in base.corpus.items():
            assert hashlib.sha256((ROOT / name).read_bytes()).hexdigest() == digest, (path.name, name)
        for result in base.directions.values():
            assert "nw:2" in result.scores["chrf"].signature and "tok:13a" in result.scores["bleu"].signature
