"""Runs: a benchmark's test set translated through mt's pipeline (or system outputs read
from files), scored, checked, and written whole to one folder with scores.json."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mt import metrics as mt_metrics
from mt import progress as progress_bars
from mt.benchmark.definitions import (
    RUNS_DIR,
    SCHEMA,
    Benchmark,
    BenchmarkError,
    corpus_files,
    load_benchmark,
    relative_name,
    sha256_of,
)
from mt.engines import load_engine
from mt.engines.base import Engine, EngineOptions
from mt.errors import InputError, MtError, OutputError
from mt.glossary.store import load_glossary
from mt.io import read_lines
from mt.normalize import normalize
from mt.pipeline import prepared_sentences, translate_release
from mt.qa import run_checks
from mt.types import GlossaryEntry


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
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
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
    corpus_sums = {relative_name(src_file): sha256_of(src_file)}
    for d in chosen:
        files = corpus_files(bench, d.split("-")[1])
        streams = [read_lines(f) for f in files]
        for f, stream in zip(files, streams):
            corpus_sums[relative_name(f)] = sha256_of(f)
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
                     created=datetime.now(UTC).isoformat(timespec="seconds"),
                     system=system, directions=results, tolerances=dict(bench.tolerances),
                     corpus=corpus_sums, path=final / "scores.json")
        _write(tmp / "scores.json", json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        os.chmod(tmp, 0o755)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result
