"""Beam-4 batch budget sweep for mt's CTranslate2 engine against plain CTranslate2, in one
run: seconds and peak RSS (VmHWM) per setting, each in its own process.

Uses make bench's random NLLB-600M CTranslate2 copy (run `make bench` once first) and its
release and forced output length. Writes eval/bench/budget-<date>.json and prints a table.

    .venv/bin/python eval/bench_budget.py [--budgets 2048,4096,6144,8192]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import bench  # noqa: E402  (release, forced length, VmHWM, plain CTranslate2 worker)

FOLDER = bench.MODELS / "nllb-600m-ct2"


def one(spec: dict) -> dict:
    from mt.engines.base import EngineOptions
    from mt.engines.ct2 import CT2Engine

    n = bench.NEW_TOKENS + 1
    engine = CT2Engine(str(FOLDER), EngineOptions(beam_size=spec["beam"], max_batch_tokens=spec["budget"],
                                                  use_vmap=spec["vmap"]),
                       decoding={"min_decoding_length": n, "max_decoding_length": n})
    t0 = time.perf_counter()
    engine.translate_many(bench.release(), "kk", bench.TARGETS)
    return {"s": time.perf_counter() - t0, "peak_rss_mb": bench.rss_mb()}


def run(spec: dict) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--one", json.dumps(spec)], capture_output=True, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    return json.loads(lines[-1][7:]) if lines else {"error": (proc.stderr.strip().splitlines() or ["?"])[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one")
    parser.add_argument("--budgets", default="1024,1536,2048,2560,3072")
    args = parser.parse_args()
    if args.one:
        print("RESULT " + json.dumps(one(json.loads(args.one))))
        return
    if not (FOLDER / "model.bin").is_file():
        sys.exit(f"{FOLDER} is missing: run `make bench` once first")
    beam = 4
    plain = bench.run_worker({"config": "b", "beam": beam, "family": "nllb", "ct2": str(FOLDER)})
    rows = [{"setting": "plain CTranslate2 (b), 32 sentences per batch", "s": plain.get("measured_s"),
             "peak_rss_mb": plain.get("peak_rss_mb")}]
    for budget in map(int, args.budgets.split(",")):
        result = run({"beam": beam, "budget": budget, "vmap": True})
        tokens = budget * 3 // (8 * beam)  # CT2Engine.batch_tokens
        rows.append({"setting": f"mt CT2Engine, max_batch_tokens={budget} ({tokens} source tokens per batch, "
                                "2 workers)",
                     **result})
    rows.append({"setting": "mt CT2Engine, max_batch_tokens=2048, no vocabulary map",
                 **run({"beam": beam, "budget": 2048, "vmap": False})})
    for row in rows[1:]:
        if row.get("s") and rows[0].get("s"):
            row["vs_plain"] = rows[0]["s"] / row["s"]
    result = {"date": datetime.date.today().isoformat(), "beam": beam, "loadavg": os.getloadavg(),
              "release_translations": 60, "forced_new_tokens": bench.NEW_TOKENS, "rows": rows}
    out = HERE / "bench" / f"budget-{result['date']}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("| setting | release s | peak RSS MB | vs plain |\n|---|---|---|---|")
    for row in rows:
        print(f"| {row['setting']} | {row.get('s', 0):.1f} | {row.get('peak_rss_mb', 0):.0f} "
              f"| {row.get('vs_plain', 1):.2f}x |")


if __name__ == "__main__":
    main()
