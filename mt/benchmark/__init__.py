"""Benchmarks as data (eval/benchmarks/*.toml), runs over them, and baseline comparison.

A benchmark names a line-aligned corpus (files per language in the project, or a sacrebleu test set
downloaded on demand), the directions to score, the engine and model, metric options, QA checks and
how far each score may fall before CI fails. A run translates the corpus through mt's pipeline (or
reads existing system outputs), scores it and writes everything to one folder; compare() holds a run
against a baseline. Modules: definitions, runs, compare.
"""

from __future__ import annotations

from mt.benchmark.compare import Comparison, Row, compare, signature_diff, write_baseline
from mt.benchmark.definitions import (
                                      BASELINES_DIR,
                                      LOWER_IS_BETTER,
                                      METRIC_NAMES,
                                      RUNS_DIR,
                                      Benchmark,
                                      BenchmarkError,
                                      BenchmarkUnavailable,
                                      Corpus,
                                      corpus_files,
                                      find_benchmark,
                                      list_benchmarks,
                                      load_benchmark,
)
from mt.benchmark.runs import TERM_LABELS, DirectionResult, Run, Score, find_hyp_file, load_run, metric_label, run

__all__ = ["BASELINES_DIR", "LOWER_IS_BETTER", "METRIC_NAMES", "RUNS_DIR", "TERM_LABELS", "Benchmark",
           "BenchmarkError", "BenchmarkUnavailable", "Comparison", "Corpus", "DirectionResult", "Row", "Run",
           "Score", "compare", "corpus_files", "find_benchmark", "find_hyp_file", "list_benchmarks",
           "load_benchmark", "load_run", "metric_label", "run", "signature_diff", "write_baseline"]
