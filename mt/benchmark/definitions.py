"""Benchmarks as data: eval/benchmarks/*.toml read and checked, and the line-aligned corpus
they name (files in the project, or a sacrebleu test set downloaded on demand)."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mt.engines.base import EngineOptions
from mt.errors import InputError, MtError
from mt.qa import CHECKS

PROJECT_ROOT = Path(__file__).resolve().parents[2]
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
        return relative_name(self.dir) if self.dir else "-"


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

def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def relative_name(path: Path | None) -> str:
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
