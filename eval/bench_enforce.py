"""Measure the glossary enforcement strategies: how often each one leaves the term in place.

    .venv/bin/python eval/bench_enforce.py --model facebook/nllb-200-distilled-600M
    .venv/bin/python eval/bench_enforce.py --tiny        # random tiny NLLB (noise; fallback only)

The release is segmented and matched against the glossary as `mt translate` does; then
every strategy runs alone (no retry), and the whole chain runs as `mt translate` runs
it. For each target language it prints, as one JSON object: terms required, terms the
strategy placed itself (found, not by the fallback), that share, and seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mt.engines import load_engine  # noqa: E402
from mt.engines.base import EngineOptions  # noqa: E402
from mt.glossary.enforce import STRATEGIES, translate_with_terms  # noqa: E402
from mt.glossary.store import load_glossary  # noqa: E402
from mt.pipeline import match_terms  # noqa: E402
from mt.release import prepare  # noqa: E402

RELEASE = ROOT / "corpora/press-releases/aktobe-germany-2025/release.kk.txt"


def run(engine, sentences, hits, entries, langs, strategies) -> dict:
    start = time.perf_counter()
    result = translate_with_terms(engine, sentences, hits, entries, "kk", langs, strategies=strategies)
    seconds = time.perf_counter() - start
    out = {}
    for lang, items in result.items():
        checks = [c for t in items for c in t.terms]
        placed = sum(c.found and c.strategy != "fallback" for c in checks)
        out[lang] = {"required": len(checks), "placed": placed,
                     "share": round(placed / len(checks), 3) if checks else None,
                     "found_in_the_end": sum(c.found for c in checks)}
    out["seconds"] = round(seconds, 2)
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="hub id or folder")
    parser.add_argument("--tiny", action="store_true", help="use a random tiny NLLB model (tests/tinymodels.py)")
    parser.add_argument("--release", default=str(RELEASE))
    parser.add_argument("--glossary", action="append", default=[])
    parser.add_argument("--to", default="de,en,ru")
    parser.add_argument("--beam-size", type=int, default=4)
    args = parser.parse_args(argv)
    if args.tiny:
        sys.path.insert(0, str(ROOT / "tests"))
        import tinymodels

        args.model = str(tinymodels.build_nllb(Path(tempfile.mkdtemp()) / "nllb"))
    if not args.model:
        parser.error("give --model or --tiny")

    prepared = prepare(args.release)
    entries = load_glossary(args.glossary).entries
    by_id = {e.id: e for e in entries}
    sentences = [s.text for s in prepared.segments]
    hits = [[] for _ in sentences]
    for hit in match_terms(prepared.segments, entries):
        hits[hit.segment].append(hit)
    engine = load_engine(args.model, options=EngineOptions(beam_size=args.beam_size))
    langs = args.to.split(",")
    report = {"model": args.model, "segments": len(sentences)}
    for strategy in STRATEGIES:
        report[strategy] = run(engine, sentences, hits, by_id, langs, (strategy,))
    report["chain:" + "+".join(STRATEGIES)] = run(engine, sentences, hits, by_id, langs, STRATEGIES)
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
