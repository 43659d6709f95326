"""Speed of the transformers engine (mt/engines/hf.py) step by step, on the founding
release (20 Kazakh segments) into de+en+ru with a randomly initialised model of
nllb-200-distilled-600M's exact architecture (eval/benchmodels.py), every output forced
to 35 tokens after the language token so all configurations do the same work.

Configurations, each in its own subprocess (so its peak RSS is its own):
  plain       transformers, one sentence at a time, fp32: what a user would write
  batched     HFEngine.translate once per language (length-sorted token-budget batches)
  once        HFEngine.translate_many: one encoder pass, all languages in one generate call
  restricted  once + restrict_vocabulary (sliced output layer); greedy also with "mask"
  restricted-int8  restricted, with torch's dynamic int8 Linear layers (fbgemm)

Measured on median-length subsets of the release (the model is slow on 2 shared cores;
a full run would take far beyond the ~8 minutes this script is allowed) and
extrapolated to the release's 60 translations; the subset sizes are in the JSON and the
table. Writes eval/bench/hf-<date>.json and prints a Markdown table.

    .venv/bin/python eval/bench_hf.py [--sentences 6 --beam-sentences 3 --plain-sentences 1]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from bench import NEW_TOKENS, RELEASE, TARGETS, release, rss_mb  # noqa: E402  (shared with make bench)
from bench import subset as _subset  # noqa: E402

MODEL = ROOT / "eval/runs/bench-models/nllb-600m"
# The bench tokenizer has 32k pieces, so the corpora give a smaller allowed set than
# NLLB's real 256k vocabulary would; pad it with unused rows to an assumed real size
# (the figure eval/bench.py assumes for CTranslate2's vmap) so the gain is not overstated.
ALLOWED_FLOOR = 40000
CONFIGS = ("plain", "batched", "once", "restricted", "restricted-int8")


def subset(n: int) -> list[str]:
    """n sentences of median length (so extrapolating to the release is fair)."""
    return _subset(release(), n)


# ----------------------------------------------------------------------------- workers

def run_plain(spec: dict) -> dict:
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    if spec["threads"]:
        torch.set_num_threads(spec["threads"])
    t0 = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(spec["model"])
    model = AutoModelForSeq2SeqLM.from_pretrained(spec["model"]).eval()
    load = time.perf_counter() - t0
    codes = {"kk": "kaz_Cyrl", "de": "deu_Latn", "en": "eng_Latn", "ru": "rus_Cyrl"}
    runs = {}
    for beam, n in spec["beams"].items():
        sentences = subset(n)
        outputs = {}
        t0 = time.perf_counter()
        with torch.inference_mode():
            for lang in TARGETS:
                outputs[lang] = []
                for sentence in sentences:
                    tokenizer.src_lang = codes["kk"]
                    inputs = tokenizer(sentence, return_tensors="pt")
                    out = model.generate(**inputs, num_beams=int(beam), do_sample=False,
                                         forced_bos_token_id=tokenizer.convert_tokens_to_ids(codes[lang]),
                                         min_new_tokens=NEW_TOKENS + 1, max_new_tokens=NEW_TOKENS + 1)
                    outputs[lang].append(tokenizer.decode(out[0], skip_special_tokens=True).strip())
        runs[beam] = {"sentences": len(sentences), "translations": 3 * len(sentences),
                      "s": time.perf_counter() - t0, "outputs": outputs}
    return {"load_s": load, "threads": torch.get_num_threads(), "runs": runs}


def run_engine(spec: dict) -> dict:
    from mt.engines.base import EngineOptions
    from mt.engines.hf import HFEngine

    t0 = time.perf_counter()
    engine = HFEngine(spec["model"], EngineOptions(threads=spec["threads"]),
                      decoding={"min_new_tokens": NEW_TOKENS, "max_new_tokens": NEW_TOKENS})
    load = time.perf_counter() - t0
    extra: dict = {}
    allowed: set[int] = set()
    if spec["config"].startswith("restricted"):
        from mt.glossary.store import load_glossary

        t0 = time.perf_counter()
        allowed = engine.corpus_vocabulary(glossary=load_glossary())
        unused = range(len(engine.tokenizer), engine.model.get_output_embeddings().weight.shape[0])
        padded = allowed | set(list(unused)[:max(0, ALLOWED_FLOOR - len(allowed))])
        extra = {"allowed_from_corpora": len(allowed), "allowed": len(padded),
                 "vocabulary": engine.model.get_output_embeddings().weight.shape[0],
                 "vocabulary_s": time.perf_counter() - t0}
        allowed = padded
    runs = {}
    methods = [("slice", spec["beams"])]
    if spec["config"] == "restricted" and "1" in spec["beams"]:
        methods.append(("mask", {"1": spec["beams"]["1"]}))
    for method, beams in methods:
        if allowed:
            engine.restrict_vocabulary(allowed, method)
        if spec["config"] == "restricted-int8" and method == "slice":
            # int8 weights, activations quantised per call (fbgemm), as CTranslate2's int8
            # does: whether the shared encoder makes transformers beat CTranslate2 (issue 15)
            engine._torch.ao.quantization.quantize_dynamic(engine.model, {engine._torch.nn.Linear},
                                                           dtype=engine._torch.qint8, inplace=True)
        for beam, n in beams.items():
            sentences = subset(n)
            engine.options = EngineOptions(beam_size=int(beam), threads=spec["threads"])
            t0 = time.perf_counter()
            if spec["config"] == "batched":
                outputs = {lang: engine.translate(sentences, "kk", lang) for lang in TARGETS}
            else:
                outputs = engine.translate_many(sentences, "kk", TARGETS)
            key = beam if method == "slice" else f"{beam}/mask"
            runs[key] = {"sentences": len(sentences), "translations": 3 * len(sentences),
                         "s": time.perf_counter() - t0, "outputs": outputs}
    return {"load_s": load, "threads": engine._torch.get_num_threads(), "runs": runs, **extra}


def worker(spec_json: str) -> None:
    spec = json.loads(spec_json)
    result = run_plain(spec) if spec["config"] == "plain" else run_engine(spec)
    result["peak_rss_mb"] = rss_mb()
    print("RESULT " + json.dumps(result, ensure_ascii=False))


def run_worker(spec: dict) -> dict:
    started = time.perf_counter()
    env = {**os.environ, "TRANSFORMERS_VERBOSITY": "error", "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, __file__, "--worker", json.dumps(spec)], capture_output=True,
                          text=True, env=env)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        return {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}
    result = json.loads(lines[-1][len("RESULT "):])
    for run in result["runs"].values():
        run["sentences_per_s"] = run["translations"] / run["s"]
        run["release_s"] = 60 / run["sentences_per_s"]
    result["process_s"] = time.perf_counter() - started
    return result


# ----------------------------------------------------------------------------- report

def agreement(result: dict) -> dict:
    """Share of identical outputs against `batched` on the sentences both translated
    (plain and once should be 1.0; restricted on random weights is not meaningful)."""
    base = result["configs"].get("batched", {}).get("runs", {})
    found = {}
    for name, config in result["configs"].items():
        for key, run in config.get("runs", {}).items():
            ref = base.get(key.split("/")[0])
            if name == "batched" or not ref:
                continue
            mine = run["sentences"]
            common = subset_common(mine, ref["sentences"])
            same = total = 0
            for lang in TARGETS:
                a = dict(zip(subset(mine), run["outputs"][lang]))
                b = dict(zip(subset(ref["sentences"]), ref["outputs"][lang]))
                for sentence in common:
                    total += 1
                    same += a[sentence] == b[sentence]
            if total:
                found[f"{name}/{key}"] = same / total
    return found


def subset_common(a: int, b: int) -> list[str]:
    return [s for s in subset(a) if s in set(subset(b))]


def table(result: dict) -> str:
    rows = ["| config | beam | measured | sentences/s | release (60) s | peak RSS MB | load s |",
            "|---|---|---|---|---|---|---|"]
    plain = result["configs"].get("plain", {}).get("runs", {})
    for name, config in result["configs"].items():
        if "error" in config:
            rows.append(f"| {name} | - | - | - | - | - | error: {config['error'][:80]} |")
            continue
        for key, run in config["runs"].items():
            beam = key.replace("/mask", " (mask)")
            rows.append(f"| {name} | {beam} | {run['translations']} of 60 | {run['sentences_per_s']:.3f} "
                        f"| {run['release_s']:.0f} | {config['peak_rss_mb']:.0f} | {config['load_s']:.1f} |")
    rows += ["", "| speed-up over plain | greedy | beam 4 |", "|---|---|---|"]
    for name, config in result["configs"].items():
        if name == "plain" or "error" in config:
            continue
        cells = []
        for beam in ("1", "4"):
            mine, base = config["runs"].get(beam), plain.get(beam)
            cells.append(f"{mine['sentences_per_s'] / base['sentences_per_s']:.1f}x" if mine and base else "-")
        rows.append(f"| {name} | {cells[0]} | {cells[1]} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker")
    parser.add_argument("--sentences", type=int, default=6, help="greedy subset for the engine configs")
    parser.add_argument("--beam-sentences", type=int, default=3, help="beam-4 subset for the engine configs")
    parser.add_argument("--plain-sentences", type=int, default=1, help="subset for plain (both beams)")
    parser.add_argument("--only", default=",".join(CONFIGS), help="comma-separated configurations")
    parser.add_argument("--threads", type=int, default=0,
                        help="torch threads for every configuration (0: torch's default, all cores)")
    parser.add_argument("--model", help="another NLLB model folder (default: build the random 600M one)")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    import benchmodels

    started = time.perf_counter()
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    model = Path(args.model) if args.model else benchmodels.build_nllb_600m(MODEL, benchmodels.corpus_lines(ROOT / "corpora"))
    prepare = time.perf_counter() - t0
    configs = {}
    for name in args.only.split(","):
        n = args.plain_sentences if name == "plain" else None
        beams = {"1": n or args.sentences, "4": n or args.beam_sentences}
        configs[name] = run_worker({"config": name, "model": str(model), "beams": beams,
                                    "threads": args.threads})
        print(f"{name}: {json.dumps({k: v for k, v in configs[name].items() if k != 'runs'})}",
              file=sys.stderr, flush=True)
    result = {
        "date": datetime.date.today().isoformat(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "loadavg_before": load_before, "loadavg_after": os.getloadavg()},
        "method": {"release": str(RELEASE.relative_to(ROOT)), "targets": TARGETS,
                   "model": args.model or "random weights, nllb-200-distilled-600M architecture "
                                         "(eval/benchmodels.py), fp32",
                   "forced_new_tokens": NEW_TOKENS,
                   "subsets": "median-length sentences of the release; sentences/s extrapolated to its 60 "
                              "translations (release (60) s = 60 / sentences/s)",
                   "allowed_floor": ALLOWED_FLOOR,
                   "engine_options": "EngineOptions defaults (batch_size 16, max_batch_tokens 2048)",
                   "threads": args.threads or "torch default (all cores)"},
        "prepare_s": prepare,
        "configs": configs,
    }
    result["agreement_with_batched"] = agreement(result)
    result["total_s"] = time.perf_counter() - started
    out = HERE / "bench" / f"hf-{result['date']}.json"
    out.parent.mkdir(exist_ok=True)
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, out)
    print(table(result))
    print(f"\n(total {result['total_s']:.0f} s, load average {load_before[0]:.1f} -> {os.getloadavg()[0]:.1f}; "
          f"written to {out.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
