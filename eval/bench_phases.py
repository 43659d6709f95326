"""Where a release's time goes in mt's CTranslate2 engine, phase by phase (beam 4, or --beam 1).

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


def phases(slug: str, beam: int = 4) -> dict:
    from mt.engines.base import EngineOptions
    from mt.engines.ct2 import CT2Engine
    from mt.engines.ct2_folder import model_vocabulary as _model_vocabulary

    folder = bench.MODELS / f"{slug}-ct2"
    nllb = slug.startswith("nllb")
    n = bench.NEW_TOKENS + (1 if nllb else 0)
    engine = CT2Engine(str(folder), EngineOptions(beam_size=beam),
                       decoding={"min_decoding_length": n, "max_decoding_length": n})
    sentences = bench.release()
    encoded = engine.pieces.encode_many(sentences)
    # each language's rows keyed to its map, queued together, as CT2Engine sends them
    requests = [engine._rows(encoded, "kk", tgt, keyed=True) for tgt in bench.TARGETS]
    tokens = engine.batch_tokens
    translate = engine.translator.translate_batch

    def send(reqs, **options):
        """Each request with the engine's own budget (CT2Engine._request_budget) unless
        max_batch_size is given."""
        pending = [translate(rows, prefixes, asynchronous=True,
                             **{"max_batch_size": engine._request_budget(rows), **options})
                   for rows, prefixes in reqs]
        return [r.result() for p in pending for r in p]

    def run(length: int, **extra):
        options = dict(beam_size=beam, batch_type="tokens", use_vmap=True,
                       min_decoding_length=length, max_decoding_length=length)
        options.update(extra)
        if not options["use_vmap"] and engine.aliases:
            options["suppress_sequences"] = [[a] for a in engine.aliases]
        return lambda: send(requests, **options)

    full = timed(run(n))
    one_batch = timed(run(n, max_batch_size=tokens))  # before a one-batch request was cut in two
    first = timed(run((1 if nllb else 0) + 1))
    no_map = timed(run(n, use_vmap=False))
    if beam > 1:
        x4 = [([row for row in rows for _ in range(beam)], [p for p in pre for _ in range(beam)] if pre else None)
              for rows, pre in requests]
        greedy4 = timed(lambda: send(x4, beam_size=1, max_batch_size=tokens * beam, batch_type="tokens",
                                     use_vmap=True, min_decoding_length=n, max_decoding_length=n))
    else:
        greedy4 = full + (beam - 1) * first  # no beam bookkeeping to measure
    whole = timed(lambda: engine.translate_many(sentences, "kk", bench.TARGETS))
    vocabulary = len(_model_vocabulary(folder))
    keys = [engine._language_key("kk", tgt) for tgt in bench.TARGETS]
    if engine.language_maps and all(keys):
        always = sum(len(engine.language_maps[k]) for k in keys if k) / len(keys)
    else:
        always = len((folder / "vmap.txt").read_text(encoding="utf-8").splitlines()[0].split(" "))
    output = max(0.0, (no_map - full) / (vocabulary / always - 1))
    beam_cost = max(0.0, full - (greedy4 - (beam - 1) * first))
    decoder = max(0.0, full - first - output - beam_cost)
    return {"model": MODELS[slug], "beam": beam, "workers": engine.workers, "batch_tokens": tokens,
            "vocabulary": vocabulary, "map_always": always, "per_language_maps": bool(engine.language_maps),
            "seconds": {"full": full, "encoder_and_first_step": first, "output_layer": output,
                        "beam_bookkeeping": beam_cost, "decoder_layers": decoder,
                        "python": max(0.0, whole - full)},
            "runs": {"one_batch_per_request_before": one_batch, "no_map": no_map, "greedy_rows_x4": greedy4, "translate_many": whole}}


def main() -> None:
    if not (bench.MODELS / "nllb-600m-ct2" / "model.bin").is_file():
        sys.exit(f"{bench.MODELS} is missing: run `make bench` once first")
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--beam", type=int, default=4, help="beam size (1: greedy, no beam bookkeeping)")
    parser.add_argument("--only", default="", help="nllb-600m or opus-mt (default both)")
    args = parser.parse_args()
    results = [phases(slug, args.beam) for slug in MODELS if not args.only or slug == args.only]
    result = {"date": datetime.date.today().isoformat(), "loadavg": os.getloadavg(), "beam": args.beam,
              "method": __doc__.split("\n\n")[1], "results": results}
    out = HERE / "bench" / f"phases-{result['date']}{'' if args.beam == 4 else f'-beam{args.beam}'}.json"
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
