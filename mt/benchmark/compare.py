"""A run held against a baseline: per direction and metric, better, same or worse beyond
the benchmark's tolerance; baselines written on purpose."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from mt.benchmark.definitions import BASELINES_DIR, LOWER_IS_BETTER
from mt.benchmark.runs import Run, Score
from mt.errors import InputError
from mt.io import atomic_write_text


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
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return path
