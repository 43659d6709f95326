"""Benchmarks as data (eval/benchmarks/*.toml), runs over them, and baseline comparison.

A benchmark names a line-aligned corpus (files per language in the project, or a sacrebleu test set
downloaded on demand), the directions to score, the engine and model, metric options, QA checks and
how far each score may fall before CI fails. A run translates the corpus (or reads existing system
outputs), scores it and writes everything to one folder; compare() holds a run against a baseline.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mt import metrics as mt_metrics
from mt import progress as progress_bars
from mt.engines import load_engine
from mt.engines.base import Engine, EngineOptions
from mt.errors import InputError, MtError, OutputError
from mt.glossary.store import load_glossary
from mt.io import read_lines
from mt.normalize import normalize
from mt.pipeline import prepared_sentences, translate_release
from mt.qa import CHECKS, run_checks
from mt.types import GlossaryEntry

PROJECT_ROOT = Path(__file__).resolve().parents[1]
RUNS_DIR = Path("eval/runs")
BASELINES_DIR = Path("eval/baselines")
SCHEMA = 1

# Metrics where a lower score is better; every other metric is better when higher.
LOWER_IS_BETTER = {"ter", "qa_errors"}
METRIC_NAMES = ("bleu", "chrf", "ter", "terms")
ISO3 = {"kk": "kaz", "en": "eng", "de": "deu", "ru": "rus"}
DEFAULT_HYP_NAMES = ("{direction}.txt",)


class BenchmarkError(MtError):
    """A benchmark definition with a fault."""


class BenchmarkUnavailable(MtError):
    """The benchmark's data cannot be had here (e.g. a download while offline): skip, do not fail."""

    exit_code = 0


# --------------------------------------------------------------------------- definitions

@dataclass(frozen=True)
class Corpus:
    """Files per language (a list of files = several references) or a sacrebleu test set."""

    dir: Path | None = None
    files: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sacrebleu: str = ""
    langpair: str = ""

    def describe(self) -> str:
        if self.sacrebleu:
            return f"sacrebleu {self.sacrebleu} {self.langpair} (downloaded)"
        return _relative(self.dir) if self.dir else "-"


@dataclass(frozen=True)
class Benchmark:
    name: str
    path: Path
    description: str
    directions: tuple[str, ...]
    corpus: Corpus
    engine: str = "auto"
    model: str = "facebook/nllb-200-distilled-600M"
    engine_options: dict[str, Any] = field(default_factory=dict)
    metrics: tuple[str, ...] = ("bleu", "chrf", "ter")
    metric_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    glossary: tuple[Path, ...] = ()
    checks: tuple[str, ...] | None = None  # None: every check
    tolerances: dict[str, float] = field(default_factory=dict)
    hyp_names: tuple[str, ...] = DEFAULT_HYP_NAMES

    def hyp_candidates(self, direction: str) -> list[str]:
        """File names accepted for one direction's system output in a --hyp-dir."""
        src, tgt = direction.split("-")
        values = {"direction": direction, "src": src, "tgt": tgt, "name": self.name,
                  "src3": ISO3.get(src, src), "tgt3": ISO3.get(tgt, tgt)}
        return [pattern.format(**values) for pattern in self.hyp_names]


# key -> expected type(s), per table; None marks a sub-table handled separately.
_SCHEMA: dict[str, dict[str, Any]] = {
    "": {"description": str, "directions": list, "hyp_names": list, "corpus": None, "engine": None,
         "metrics": None, "qa": None, "tolerances": None},
    "corpus": {"dir": str, "files": dict, "sacrebleu": str, "langpair": str},
    "engine": {"engine": str, "model": str,
               **{f.name: type(f.default) for f in dataclasses.fields(EngineOptions)}},
    "metrics": {"names": list, "bleu": dict, "chrf": dict, "ter": dict, "glossary": list},
    "qa": {"checks": (str, list)},
    "tolerances": {name: (int, float) for name in (*METRIC_NAMES, "qa_errors")},
}


def benchmark_dirs() -> list[Path]:
    """Where benchmark names are looked up: ./eval/benchmarks, then the project's own."""
    dirs = [Path.cwd() / "eval" / "benchmarks", PROJECT_ROOT / "eval" / "benchmarks"]
    unique: list[Path] = []
    for d in dirs:
        if d.resolve() not in [u.resolve() for u in unique]:
            unique.append(d)
    return unique


def list_benchmarks() -> list[Path]:
    seen: dict[str, Path] = {}
    for d in benchmark_dirs():
        for path in sorted(d.glob("*.toml")):
            seen.setdefault(path.stem, path)
    return [seen[name] for name in sorted(seen)]


def find_benchmark(ref: str | Path) -> Path:
    path = Path(ref)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise InputError("benchmark file not found", file=str(path))
        return path
    for d in benchmark_dirs():
        candidate = d / f"{ref}.toml"
        if candidate.is_file():
            return candidate
    names = ", ".join(p.stem for p in list_benchmarks()) or "none"
    raise InputError(f"unknown benchmark '{ref}'", hint=f"choose one of: {names}; or give a .toml path")


def load_benchmark(ref: str | Path) -> Benchmark:
    """Read and validate a benchmark by name (eval/benchmarks/NAME.toml) or path."""
    path = find_benchmark(ref)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BenchmarkError(f"not UTF-8 (byte {exc.start})", file=str(path), hint="save the file as UTF-8") from None
    except OSError as exc:
        raise BenchmarkError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = re.sub(r"\s*\(at line.*\)", "", str(exc)) or "invalid TOML"
        raise BenchmarkError(f"invalid TOML: {message}", file=str(path),
                             line=int(match.group(1)) if match else None) from None
    _validate(data, text, path)
    return _build(data, text, path)


def _key_line(text: str, table: str, key: str) -> int | None:
    """Best-effort line number of `key` in `[table]` (tomllib keeps no positions)."""
    lines = text.splitlines()
    start = 0
    if table:
        header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]")
        start = next((i + 1 for i, line in enumerate(lines) if header.match(line)), 0)
    pattern = re.compile(rf"(^|[{{,\s]){re.escape(key)}\s*=")
    for i in range(start, len(lines)):
        if table == "" and lines[i].lstrip().startswith("["):
            break
        if pattern.search(lines[i]):
            return i + 1
    return start or None


def _validate(data: dict, text: str, path: Path) -> None:
    def fail(message: str, table: str, key: str, hint: str | None = None) -> None:
        raise BenchmarkError(message, file=str(path), line=_key_line(text, table, key), hint=hint)

    for table, schema in _SCHEMA.items():
        section = data if table == "" else data.get(table, {})
        if not isinstance(section, dict):
            fail(f"'{table}' must be a table", "", table)
        for key, value in section.items():
            if key not in schema:
                where = f" in [{table}]" if table else ""
                fail(f"unknown key '{key}'{where}", table, key, hint=f"known keys: {', '.join(schema)}")
            expected = schema[key]
            if expected is None:
                if not isinstance(value, dict):
                    fail(f"'{key}' must be a table", "", key)
            elif not isinstance(value, expected) or isinstance(value, bool) and expected is not bool:
                names = " or ".join(t.__name__ for t in (expected if isinstance(expected, tuple) else (expected,)))
                fail(f"'{key}' must be {names.replace('dict', 'table').replace('list', 'array')}, "
                     f"not {type(value).__name__}", table, key)
    for key in ("description", "directions", "corpus"):
        if key not in data:
            raise BenchmarkError(f"missing key '{key}'", file=str(path), line=1)
    for direction in data["directions"]:
        if not isinstance(direction, str) or not re.fullmatch(r"[a-z]{2}-[a-z]{2}", direction):
            fail(f"bad direction {direction!r}", "", "directions", hint="write e.g. \"kk-en\"")
    for key in ("hyp_names", "glossary"):
        values = data.get(key, data.get("metrics", {}).get(key, []) if key == "glossary" else [])
        if not all(isinstance(v, str) and v for v in values):
            fail(f"'{key}' must be a list of non-empty strings", "metrics" if key == "glossary" else "", key)
    for pattern in data.get("hyp_names", []):
        try:
            name = pattern.format(direction="kk-en", src="kk", tgt="en", src3="kaz", tgt3="eng", name="x")
        except (KeyError, IndexError, ValueError):
            fail(f"bad hyp_names pattern {pattern!r}", "", "hyp_names",
                 hint="use only {direction} {src} {tgt} {src3} {tgt3} {name}")
        if "/" in name or "\\" in name:
            fail(f"hyp_names pattern {pattern!r} is not a plain file name", "", "hyp_names")
    corpus = data["corpus"]
    if bool(corpus.get("sacrebleu")) == bool(corpus.get("files")):
        fail("[corpus] needs either 'files' (with 'dir') or 'sacrebleu' (with 'langpair')", "corpus",
             "files" if "files" in corpus else "sacrebleu")
    if corpus.get("sacrebleu") and not corpus.get("langpair"):
        fail("[corpus] 'sacrebleu' needs 'langpair'", "corpus", "sacrebleu")
    for lang, files in corpus.get("files", {}).items():
        if not (isinstance(files, str) or isinstance(files, list) and files
                and all(isinstance(f, str) for f in files)):
            fail(f"[corpus] files.{lang} must be a file name or a list of them", "corpus", "files")
    if corpus.get("files"):
        needed = {lang for d in data["directions"] for lang in d.split("-")}
        missing = sorted(needed - set(corpus["files"]))
        if missing:
            fail(f"[corpus] files has no entry for {', '.join(missing)}", "corpus", "files")
    for name in data.get("metrics", {}).get("names", []):
        if name not in METRIC_NAMES:
            fail(f"unknown metric '{name}'", "metrics", "names", hint=f"choose from: {', '.join(METRIC_NAMES)}")
    checks = data.get("qa", {}).get("checks", "all")
    if checks != "all":
        for name in [checks] if isinstance(checks, str) else checks:
            if name not in CHECKS:
                fail(f"unknown QA check {name!r}", "qa", "checks", hint=f"write \"all\" or choose from: {', '.join(CHECKS)}")
    if "terms" in data.get("metrics", {}).get("names", []) and not data["metrics"].get("glossary"):
        fail("metric 'terms' needs a [metrics] glossary", "metrics", "names")


def _build(data: dict, text: str, path: Path) -> Benchmark:
    base = path.parent
    corpus_data = data["corpus"]
    files = {lang: (v,) if isinstance(v, str) else tuple(v) for lang, v in corpus_data.get("files", {}).items()}
    corpus = Corpus(dir=(base / corpus_data.get("dir", ".")) if files else None, files=files,
                    sacrebleu=corpus_data.get("sacrebleu", ""), langpair=corpus_data.get("langpair", ""))
    engine = dict(data.get("engine", {}))
    metrics = dict(data.get("metrics", {}))
    checks = data.get("qa", {}).get("checks", "all")
    return Benchmark(
        name=path.stem, path=path, description=data["description"],
        directions=tuple(data["directions"]), corpus=corpus,
        engine=engine.pop("engine", "auto"),
        model=engine.pop("model", "facebook/nllb-200-distilled-600M"),
        engine_options=engine,
        metrics=tuple(metrics.get("names", ("bleu", "chrf", "ter"))),
        metric_options={m: dict(metrics.get(m, {})) for m in ("bleu", "chrf", "ter")},
        glossary=tuple(base / g for g in metrics.get("glossary", [])),
        checks=None if checks == "all" else tuple([checks] if isinstance(checks, str) else checks),
        tolerances={k: float(v) for k, v in data.get("tolerances", {}).items()},
        hyp_names=(*DEFAULT_HYP_NAMES, *data.get("hyp_names", [])),
    )


# --------------------------------------------------------------------------- corpus data

def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _relative(path: Path | None) -> str:
    """A path as stable across machines as possible: inside the project (or sacrebleu's cache)
    relative to it, else as given."""
    if path is None:
        return ""
    resolved = path.resolve()
    from sacrebleu.utils import SACREBLEU_DIR

    for root, prefix in ((PROJECT_ROOT, ""), (Path(SACREBLEU_DIR).resolve(), "sacrebleu:"),
                         (Path.cwd().resolve(), "")):
        if resolved.is_relative_to(root):
            return prefix + str(resolved.relative_to(root))
    return str(resolved)


def _sacrebleu_files(testset: str, langpair: str) -> tuple[Path, list[Path]]:
    """Download (or find cached) a sacrebleu test set; raise BenchmarkUnavailable when offline."""
    from sacrebleu.dataset import DATASETS

    if testset not in DATASETS or langpair not in DATASETS[testset].langpairs:
        raise BenchmarkError(f"sacrebleu has no test set {testset} {langpair}",
                             hint="see `sacrebleu --list`")
    dataset = DATASETS[testset]
    try:
        return Path(dataset.get_source_file(langpair)), [Path(p) for p in dataset.get_reference_files(langpair)]
    except (OSError, SystemExit) as exc:  # URLError is an OSError; sacrebleu exits on a bad checksum
        raise BenchmarkUnavailable(
            f"cannot get sacrebleu test set {testset} {langpair}: {getattr(exc, 'reason', exc)}",
            hint=f"run it on a machine with internet access; sacrebleu then caches it in {dataset._outdir}") from None


def corpus_files(bench: Benchmark, lang: str) -> list[Path]:
    """The file(s) for one language: the source for 'kk', the reference(s) otherwise."""
    if bench.corpus.sacrebleu:
        src_lang, tgt_lang = bench.corpus.langpair.split("-")
        src, refs = _sacrebleu_files(bench.corpus.sacrebleu, bench.corpus.langpair)
        if lang == src_lang:
            return [src]
        if lang == tgt_lang:
            return refs
        raise BenchmarkError(f"sacrebleu test set {bench.corpus.langpair} has no '{lang}' side", file=str(bench.path))
    assert bench.corpus.dir is not None
    return [bench.corpus.dir / name for name in bench.corpus.files[lang]]


# --------------------------------------------------------------------------- runs

@dataclass(frozen=True)
class Score:
    score: float
    signature: str
    label: str = ""


@dataclass(frozen=True)
class DirectionResult:
    direction: str
    segments: int
    scores: dict[str, Score]
    qa: dict[str, dict[str, int]] = field(default_factory=dict)  # check -> severity -> count
    hyp_file: str = ""
    findings_file: str = ""

    def qa_total(self, severity: str) -> int:
        return sum(counts.get(severity, 0) for counts in self.qa.values())


@dataclass(frozen=True)
class Run:
    """One run's results: what scores.json (and a baseline file) holds."""

    id: str
    benchmark: str
    created: str
    system: dict[str, str]
    directions: dict[str, DirectionResult]
    tolerances: dict[str, float] = field(default_factory=dict)
    corpus: dict[str, str] = field(default_factory=dict)  # file -> sha256
    description: str = ""
    path: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA, "id": self.id, "benchmark": self.benchmark, "description": self.description,
            "created": self.created, "system": self.system, "corpus": self.corpus,
            "tolerances": self.tolerances,
            "directions": {
                d: {"segments": r.segments, "hyp_file": r.hyp_file, "findings_file": r.findings_file,
                    "scores": {m: {"score": s.score, "signature": s.signature, "label": s.label}
                               for m, s in r.scores.items()},
                    "qa": r.qa}
                for d, r in self.directions.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: Path | None = None) -> Run:
        try:
            directions = {
                d: DirectionResult(direction=d, segments=int(r["segments"]),
                                   scores={m: Score(float(s["score"]), str(s["signature"]), s.get("label", m))
                                           for m, s in r["scores"].items()},
                                   qa={c: dict(v) for c, v in r.get("qa", {}).items()},
                                   hyp_file=r.get("hyp_file", ""), findings_file=r.get("findings_file", ""))
                for d, r in data["directions"].items()}
            return cls(id=data["id"], benchmark=data["benchmark"], created=data.get("created", ""),
                       system=dict(data.get("system", {})), directions=directions,
                       tolerances={k: float(v) for k, v in data.get("tolerances", {}).items()},
                       corpus=dict(data.get("corpus", {})), description=data.get("description", ""),
                       path=path)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"not a scores file ({type(exc).__name__}: {exc})", file=str(path) if path else None,
                             hint="give a run folder from `mt eval run` or a baseline from eval/baselines/") from None


def load_run(ref: str | Path, runs_dir: Path = RUNS_DIR) -> Run:
    """A run by folder, by its scores.json, by id (under runs_dir), or a baseline JSON file."""
    path = Path(ref)
    if not path.exists() and (runs_dir / str(ref)).exists():
        path = runs_dir / str(ref)
    if path.is_dir():
        path = path / "scores.json"
    if not path.is_file():
        raise InputError("no such run or scores file", file=str(ref),
                         hint=f"give a folder under {runs_dir}/ made by `mt eval run`")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"invalid JSON: {exc}", file=str(path), line=getattr(exc, "lineno", None)) from None
    if not isinstance(data, dict):
        raise InputError("not a scores file", file=str(path))
    return Run.from_dict(data, path=path)


def _new_run_dir(out_dir: Path, name: str) -> tuple[str, Path]:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    run_id = f"{stamp}-{name}"
    n = 2
    while (out_dir / run_id).exists():
        run_id = f"{stamp}-{name}-{n}"
        n += 1
    return run_id, out_dir / run_id


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def find_hyp_file(bench: Benchmark, hyp_dir: Path, direction: str) -> Path:
    names = bench.hyp_candidates(direction)
    for name in names:
        if (hyp_dir / name).is_file():
            return hyp_dir / name
    raise InputError(f"no system output for {direction}", file=str(hyp_dir),
                     hint=f"expected one of: {', '.join(names)}")


def _normalize_sources(lines: list[str]) -> list[str]:
    return [normalize(line).strip() for line in lines]


def _load_glossary(bench: Benchmark) -> list[GlossaryEntry]:
    if not bench.glossary:
        return []
    return list(load_glossary([str(p) for p in bench.glossary]).entries)


def _engine(bench: Benchmark, engine: Engine | str | None, model: str | None) -> Engine:
    if isinstance(engine, Engine):
        return engine
    options = EngineOptions(**bench.engine_options)
    return load_engine(model or bench.model, engine=engine or bench.engine, options=options)


def _translate(engine: Engine, sources: list[str], tgts: list[str], entries: Sequence[GlossaryEntry],
               progress: bool) -> dict[str, list[str]]:
    """The test set through mt's pipeline, line by line (no sentence splitting), the
    memory off: with `entries` as mt translates a release (glossary terms enforced,
    names without an entry transliterated); without, the model's own output."""
    result = translate_release(prepared_sentences(sources), tgts, lambda: engine, entries, memory=None,
                               run_qa=False, progress=progress_bars.factory(progress))
    outputs = {lang: [t.text for t in items] for lang, items in result.translations.items()}
    for lang, lines in outputs.items():
        if len(lines) != len(sources):
            raise MtError(f"the pipeline returned {len(lines)} {lang} lines for {len(sources)} sentences")
    return outputs


def _check_aligned(hyp_file: str, hyps: list[str], ref_files: list[Path], n: int) -> None:
    if len(hyps) != n:
        raise InputError(f"{len(hyps)} lines, but the reference {ref_files[0]} has {n}", file=hyp_file,
                         hint="system outputs must be line-aligned with the test set")


def metric_label(metric: str, signature: str) -> str:
    if metric == "chrf":
        word_order = re.search(r"\|nw:(\d+)", signature)
        return "chrF" + "+" * int(word_order.group(1)) if word_order else "chrF"
    return {"bleu": "BLEU", "ter": "TER", "terms": "Terms"}.get(metric, metric)


def _metric_scores(bench: Benchmark, hyps: list[str], refs: list[list[str]], sources: list[str],
                   direction: str, entries: list[GlossaryEntry], mode: str,
                   raw_hyps: list[str] | None = None) -> dict[str, Score]:
    """BLEU, chrF, TER of `hyps` and the term success rate, labelled with what made the
    output (`mode`: mt's pipeline, the raw model, or given files); with `raw_hyps`, the
    raw model's term success rate beside mt's."""
    names = tuple(m for m in bench.metrics if m != "terms")
    options = {m: opts for m, opts in bench.metric_options.items() if m in names and opts}
    results = mt_metrics.score(hyps, refs, direction, metrics=names, **options)
    scores = {name: Score(float(r.score), r.signature, metric_label(name, r.signature))
              for name, r in results.items()}
    if "terms" in bench.metrics:
        outputs = {"terms": (hyps, f"Terms ({TERM_LABELS[mode]})")}
        if raw_hyps is not None:
            outputs["terms_raw"] = (raw_hyps, f"Terms ({TERM_LABELS['raw']})")
        for name, (lines, label) in outputs.items():
            term = mt_metrics.term_success_rate(sources, lines, entries, direction.split("-")[1])
            if term.score is not None:  # None: no glossary term in this test set
                scores[name] = Score(float(term.score), term.signature, label)
    return scores


# What made the scored output: mt's pipeline (glossary enforced), the model alone, or files.
TERM_LABELS = {"mt": "mt", "raw": "raw model", "hyp": "given outputs"}


def _qa_counts(findings: Sequence[Any]) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter] = {}
    for finding in findings:
        counts.setdefault(finding.check, Counter())[finding.severity] += 1
    return {check: dict(counter) for check, counter in sorted(counts.items())}


def run(bench: Benchmark | str | Path, engine: Engine | str | None = None, model: str | None = None,
        hyp_dir: str | Path | None = None, out_dir: str | Path = RUNS_DIR,
        directions: Sequence[str] | None = None, progress: bool | None = None, raw: bool = False) -> Run:
    """Translate (or, with hyp_dir, read) each direction's outputs, score them, run the QA checks and
    write outputs, findings and scores.json to out_dir/<run id>/. Written whole or not at all.

    Translating goes through mt.pipeline.translate_release with the benchmark's glossary
    (terms enforced, as `mt translate` does) and the memory off; `raw` scores the model
    alone. A benchmark with a glossary also reports the raw model's term success rate
    (metric terms_raw) beside mt's, so the gain from enforcement is in every run."""
    if not isinstance(bench, Benchmark):
        bench = load_benchmark(bench)
    chosen = list(directions or bench.directions)
    unknown = [d for d in chosen if d not in bench.directions]
    if unknown:
        raise InputError(f"benchmark {bench.name} has no direction {', '.join(unknown)}",
                         hint=f"choose from: {', '.join(bench.directions)}")
    if progress is None:
        progress = sys.stderr.isatty()
    src_lang = chosen[0].split("-")[0]
    if any(d.split("-")[0] != src_lang for d in chosen):
        raise BenchmarkError("all directions of a benchmark must share one source language", file=str(bench.path))

    src_file = corpus_files(bench, src_lang)[0]
    raw_sources = read_lines(src_file)
    sources = _normalize_sources(raw_sources)
    refs: dict[str, tuple[list[Path], list[list[str]]]] = {}
    corpus_sums = {_relative(src_file): _sha256(src_file)}
    for d in chosen:
        files = corpus_files(bench, d.split("-")[1])
        streams = [read_lines(f) for f in files]
        for f, stream in zip(files, streams):
            corpus_sums[_relative(f)] = _sha256(f)
            if len(stream) != len(sources):
                raise InputError(f"{len(stream)} lines, but the source {src_file} has {len(sources)}",
                                 file=str(f), hint="corpus files must be line-aligned")
        refs[d] = (files, streams)

    hyps: dict[str, list[str]] = {}
    hyp_files: dict[str, str] = {}
    if hyp_dir is not None:
        hyp_dir = Path(hyp_dir)
        if not hyp_dir.is_dir():
            raise InputError("not a folder", file=str(hyp_dir), hint="give the folder holding the system outputs")
        for d in chosen:
            path = find_hyp_file(bench, hyp_dir, d)
            hyps[d] = read_lines(path)
            hyp_files[d] = str(path)
            _check_aligned(str(path), hyps[d], refs[d][0], len(sources))
        system = {"hyp_dir": str(hyp_dir.resolve()), **{f"hyp:{d}": Path(p).name for d, p in hyp_files.items()}}
    entries = _load_glossary(bench)
    mode = "hyp" if hyp_dir is not None else "raw" if raw else "mt"
    raw_hyps: dict[str, list[str]] = {}
    if hyp_dir is None:
        if src_lang != "kk":
            raise BenchmarkError(f"mt translates from Kazakh, not '{src_lang}'", file=str(bench.path))
        loaded = _engine(bench, engine, model)
        tgts = [d.split("-")[1] for d in chosen]
        outputs = _translate(loaded, sources, tgts, [] if raw else entries, progress)
        hyps = {d: outputs[d.split("-")[1]] for d in chosen}
        if mode == "mt" and entries and "terms" in bench.metrics:
            plain = _translate(loaded, sources, tgts, [], progress)
            raw_hyps = {d: plain[d.split("-")[1]] for d in chosen}
        system = {"engine": loaded.signature, "pipeline": mode}

    out_dir = Path(out_dir)
    run_id, final = _new_run_dir(out_dir, bench.name)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{run_id}.", dir=out_dir))
    except OSError as exc:
        raise OutputError(f"cannot write runs: {exc.strerror}", file=str(out_dir)) from None
    try:
        results: dict[str, DirectionResult] = {}
        for d in chosen:
            tgt = d.split("-")[1]
            scores = _metric_scores(bench, hyps[d], refs[d][1], sources, d, entries, mode, raw_hyps.get(d))
            findings = run_checks(sources, hyps[d], src_lang, tgt, entries=entries or None,
                                  checks=list(bench.checks) if bench.checks else None)
            _write(tmp / f"{d}.hyp.txt", "".join(line + "\n" for line in hyps[d]))
            _write(tmp / f"{d}.qa.jsonl", "".join(
                json.dumps({"segment": f.segment, "check": f.check, "severity": f.severity,
                            "message": f.message}, ensure_ascii=False) + "\n" for f in findings))
            results[d] = DirectionResult(d, len(sources), scores, _qa_counts(findings),
                                         hyp_file=f"{d}.hyp.txt", findings_file=f"{d}.qa.jsonl")
        result = Run(id=run_id, benchmark=bench.name, description=bench.description,
                     created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                     system=system, directions=results, tolerances=dict(bench.tolerances),
                     corpus=corpus_sums, path=final / "scores.json")
        _write(tmp / "scores.json", json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        os.chmod(tmp, 0o755)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result


# --------------------------------------------------------------------------- comparison

@dataclass(frozen=True)
class Row:
    direction: str
    metric: str
    label: str
    baseline: float | None
    current: float | None
    tolerance: float | None
    status: str  # "pass" | "regression" | "not comparable" | "missing" | "new"
    note: str = ""

    @property
    def delta(self) -> float | None:
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline

    @property
    def failed(self) -> bool:
        return self.status in ("regression", "not comparable", "missing")


@dataclass(frozen=True)
class Comparison:
    run: Run
    baseline: Run
    baseline_name: str
    rows: tuple[Row, ...]
    problems: tuple[str, ...] = ()  # whole-run reasons the two are not comparable

    @property
    def passed(self) -> bool:
        return not self.problems and not any(row.failed for row in self.rows)

    @property
    def failures(self) -> list[Row]:
        return [row for row in self.rows if row.failed]


def signature_diff(old: str, new: str) -> str:
    """'tok:13a -> tok:intl, version:2.6.0 -> version:2.7.0' for two sacrebleu signatures."""
    a, b = old.split("|"), new.split("|")
    keys_a = {part.split(":", 1)[0]: part for part in a}
    keys_b = {part.split(":", 1)[0]: part for part in b}
    changes = [f"{keys_a.get(k, '(none)')} -> {keys_b.get(k, '(none)')}"
               for k in dict.fromkeys([*keys_a, *keys_b]) if keys_a.get(k) != keys_b.get(k)]
    return ", ".join(changes) or f"{old} -> {new}"


def _metric_row(direction: str, metric: str, base: Score, cur: Score | None, tolerance: float | None) -> Row:
    label = (cur or base).label or metric
    if cur is None:
        return Row(direction, metric, label, base.score, None, tolerance, "missing", "not scored in this run")
    if cur.signature != base.signature:
        return Row(direction, metric, label, base.score, cur.score, tolerance, "not comparable",
                   f"signature differs: {signature_diff(base.signature, cur.signature)}")
    return _judge(direction, metric, label, base.score, cur.score, tolerance)


def _judge(direction: str, metric: str, label: str, base: float, cur: float, tolerance: float | None) -> Row:
    worse = (cur - base) if metric in LOWER_IS_BETTER else (base - cur)
    allowed = tolerance if tolerance is not None else 0.0
    if round(worse, 6) > allowed:
        what = "rose" if metric in LOWER_IS_BETTER else "dropped"
        amount = f"{abs(cur - base):g}" if metric == "qa_errors" else f"{abs(cur - base):.2f}"
        return Row(direction, metric, label, base, cur, tolerance, "regression",
                   f"{what} by {amount} (allowed {allowed:g})")
    return Row(direction, metric, label, base, cur, tolerance, "pass")


def compare(current: Run, baseline: Run, baseline_name: str = "") -> Comparison:
    """Hold a run against a baseline: a score worse than baseline by more than the tolerance, a
    metric signature that differs, or a direction/metric the run lacks makes it fail."""
    problems: list[str] = []
    if current.benchmark != baseline.benchmark:
        problems.append(f"benchmark differs: baseline is {baseline.benchmark}, run is {current.benchmark}")
    changed = [f for f, digest in baseline.corpus.items() if f in current.corpus and current.corpus[f] != digest]
    if changed:
        problems.append(f"test set files differ from the baseline's: {', '.join(changed)}")
    tolerances = current.tolerances or baseline.tolerances
    rows: list[Row] = []
    for direction, base in baseline.directions.items():
        cur = current.directions.get(direction)
        for metric, base_score in base.scores.items():
            rows.append(_metric_row(direction, metric, base_score, cur.scores.get(metric) if cur else None,
                                    tolerances.get(metric)))
        if cur is not None and "qa_errors" in tolerances and base.qa is not None:
            rows.append(_judge(direction, "qa_errors", "QA errors", base.qa_total("error"),
                               cur.qa_total("error"), tolerances["qa_errors"]))
        if cur is not None:
            for metric, score in cur.scores.items():
                if metric not in base.scores:
                    rows.append(Row(direction, metric, score.label or metric, None, score.score, None, "new",
                                    "not in the baseline"))
    for direction in current.directions.keys() - baseline.directions.keys():
        for metric, score in current.directions[direction].scores.items():
            rows.append(Row(direction, metric, score.label or metric, None, score.score, None, "new",
                            "direction not in the baseline"))
    return Comparison(current, baseline, baseline_name or baseline.id, tuple(rows), tuple(problems))


def write_baseline(current: Run, name: str, baselines_dir: str | Path = BASELINES_DIR, note: str = "") -> Path:
    """eval/baselines/NAME.json from a run: reviewed in git, changed only on purpose. `note` says
    where the scored outputs came from."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        raise InputError(f"bad baseline name '{name}'", hint="use letters, digits, '.', '_' and '-'")
    data = current.to_dict()
    data["from_run"] = data.pop("id")
    data["id"] = name
    if note:
        data["note"] = note
    for result in data["directions"].values():
        result.pop("hyp_file", None)
        result.pop("findings_file", None)
    baselines_dir = Path(baselines_dir)
    path = baselines_dir / f"{name}.json"
    try:
        baselines_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=baselines_dir)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write baseline: {exc.strerror}", file=str(path)) from None
    return path
