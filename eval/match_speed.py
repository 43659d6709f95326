"""Glossary matcher speed on eval/bench.py's workload, against an earlier revision.

    .venv/bin/python eval/match_speed.py --rev cb55c5a

The glossary is `bench_glossary`'s: 50,000 random terms of 1-3 words of the Kazakh
corpus text. Figures, each the best of --repeat runs, CPU time of this process
(on a shared machine wall time mostly measures the neighbours):

- build: `Matcher(entries)`;
- cold 2 MB: the first `find()` pass over `kazakh_text(2)` paragraph by paragraph,
  with a fresh matcher: every distinct token is analysed here;
- warm 2 MB: the second pass over the same paragraphs (per-token caches filled);
- 10 MB: `bench_glossary` itself: a fresh matcher over `kazakh_text(10)`.

The old and the new matcher run in turns in one process. Prints one table row each.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

import bench  # noqa: E402
import match_diff  # noqa: E402

from mt.glossary.match import Matcher  # noqa: E402
from mt.types import GlossaryEntry  # noqa: E402


def cpu(fn: Any) -> tuple[float, Any]:
    t0 = time.process_time()
    out = fn()
    return time.process_time() - t0, out


def two_passes(cls: type, entries: list[GlossaryEntry], paragraphs: list[str]) -> dict[str, float]:
    # no collection between a build and its passes: as in bench_glossary, the garbage
    # collector's work for what the build made falls into the first pass
    gc.collect()
    build, matcher = cpu(lambda: cls(entries))
    cold, hits = cpu(lambda: sum(len(matcher.find(p)) for p in paragraphs))
    warm, again = cpu(lambda: sum(len(matcher.find(p)) for p in paragraphs))
    assert hits == again
    return {"build": build, "cold": cold, "warm": warm}


def one_pass(cls: type, entries: list[GlossaryEntry], paragraphs: list[str]) -> float:
    gc.collect()
    matcher = cls(entries)
    return cpu(lambda: sum(len(matcher.find(p)) for p in paragraphs))[0]


def measure(cls: type, entries: list[GlossaryEntry], small: list[str], large: list[str]) -> dict[str, float]:
    return {**two_passes(cls, entries, small), "full": one_pass(cls, entries, large)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rev", default="main", help="git revision of the matcher to compare with")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    text10, text2 = bench.kazakh_text(10.0), bench.kazakh_text(2.0)
    mb10, mb2 = len(text10.encode()) / 1e6, len(text2.encode()) / 1e6
    large = [p for p in text10.split("\n") if p]
    small = [p for p in text2.split("\n") if p]
    entries = bench.glossary_entries(bench.words_of(text10[:2_000_000]))  # exactly bench_glossary's
    classes = {args.rev: match_diff.old_matcher_class(args.rev), "this tree": Matcher}
    best: dict[str, dict[str, float]] = {}
    for _ in range(args.repeat):
        for name, cls in classes.items():
            got = measure(cls, entries, small, large)
            best[name] = {k: min(v, best.get(name, got)[k]) for k, v in got.items()}
    print("| matcher | build s | cold 2 MB MB/s | warm 2 MB MB/s | 10 MB MB/s |")
    print("| --- | --- | --- | --- | --- |")
    for name, b in best.items():
        print(f"| {name} | {b['build']:.2f} | {mb2 / b['cold']:.2f} | {mb2 / b['warm']:.2f} | {mb10 / b['full']:.2f} |")


if __name__ == "__main__":
    main()
