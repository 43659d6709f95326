"""Where a beam-4 release's time goes in mt's CTranslate2 engine, phase by phase.

The pip build of CTranslate2 has no profiler, so phases are measured by difference, all
on make bench's random models (run `make bench` once first), with mt's own rows,
batches and two workers, each run warm and forced to the bench's output length:

  full         the request as CT2Engine.translate_many sends it (beam 4, vocabulary map)
  encoder      the same request stopped after one generated token: encoder + one step
  output layer from the run without the map: (no map - full) = O * (V/M - 1), where O is
               the map's output layer, V the vocabulary and M the map's size
  beam         full - (greedy run of every row 4 times - 3 extra encoder passes): top-k,
               cache reordering and the rest of beam bookkeeping
  decoder      what is left: the decoder layers (self- and cross-attention, FFN)
  python       CT2Engine.translate_many - full: tokenizing, splitting, detokenizing

Writes eval/bench/phases-<date>.json and prints a table.

    .venv/bin/python eval/bench_phases.py
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import bench  # noqa: E402  (models, release, forced length)

MODELS = {"nllb-600m": "nllb-200-distilled-600M (random)", "opus-mt": "opus-mt base (random)"}


def timed(fn, repeat: int = 2) -> float:
    """Best of `repeat` runs (the first warms caches)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def phases(slug: str) -> dict:
    from mt.engines.base import EngineOptions
    from mt.engines.ct2 import CT2Engine
    from mt.engines.ct2_folder import model_vocabulary as _model_vocabulary

    folder = bench.MODELS / f"{slug}-ct2"
    nllb = slug.startswith("nllb")
    n = bench.NEW_TOKENS + (1 if nllb else 0)
    beam = 4
    engine = CT2Engine(str(folder), EngineOptions(beam_size=beam),
                       decoding={"min_decoding_length": n, "max_decoding_length": n})
    sentences = bench.release()
    encoded = engine.pieces.encode_many(sentences)
    rows, prefixes = [], []
    for tgt in bench.TARGETS:
        r, p = engine._rows(encoded, "kk", tgt)
        rows += r
        prefixes += p or []
    prefixes = prefixes or None
    tokens = engine.batch_tokens
    translate = engine.translator.translate_batch

    def run(length: int, **extra):
        options = dict(beam_size=beam, max_batch_size=tokens, batch_type="tokens", use_vmap=True,
                       min_decoding_length=length, max_decoding_length=length)
        options.update(extra)
        return lambda: translate(rows, prefixes, **options)

    full = timed(run(n))
    first = timed(run((1 if nllb else 0) + 1))
    no_map = timed(run(n, use_vmap=False))
    rows4 = [row for row in rows for _ in range(beam)]
    prefixes4 = [p for p in prefixes for _ in range(beam)] if prefixes else None
    greedy4 = timed(lambda: translate(rows4, prefixes4, beam_size=1, max_batch_size=tokens * beam,
                                      batch_type="tokens", use_vmap=True, min_decoding_length=n,
                                      max_decoding_length=n))
    whole = timed(lambda: engine.translate_many(sentences, "kk", bench.TARGETS))
    vocabulary = len(_model_vocabulary(folder))
    always = len((folder / "vmap.txt").read_text(encoding="utf-8").splitlines()[0].split(" "))
    output = max(0.0, (no_map - full) / (vocabulary / always - 1))
    beam_cost = max(0.0, full - (greedy4 - (beam - 1) * first))
    decoder = max(0.0, full - first - output - beam_cost)
    return {"model": MODELS[slug], "workers": engine.workers, "batch_tokens": tokens,
            "vocabulary": vocabulary, "map_always": always,
            "seconds": {"full": full, "encoder_and_first_step": first, "output_layer": output,
                        "beam_bookkeeping": beam_cost, "decoder_layers": decoder,
                        "python": max(0.0, whole - full)},
            "runs": {"no_map": no_map, "greedy_rows_x4": greedy4, "translate_many": whole}}


def main() -> None:
    if not (bench.MODELS / "nllb-600m-ct2" / "model.bin").is_file():
        sys.exit(f"{bench.MODELS} is missing: run `make bench` once first")
    results = [phases(slug) for slug in MODELS]
    result = {"date": datetime.date.today().isoformat(), "loadavg": os.getloadavg(), "beam": 4,
              "method": __doc__.split("\n\n")[1], "results": results}
    out = HERE / "bench" / f"phases-{result['date']}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("| model | phase | s | share |\n|---|---|---|---|")
    for r in results:
        total = r["seconds"]["full"] + r["seconds"]["python"]
        for phase, s in r["seconds"].items():
            if phase != "full":
                print(f"| {r['model']} | {phase} | {s:.2f} | {s / total:.0%} |")
        print(f"| {r['model']} | total (full + python) | {total:.2f} | 100% |")
    print(f"\n(written to {out.relative_to(HERE.parent)})")


if __name__ == "__main__":
    main()
