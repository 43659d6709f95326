"""`make bench`: speed and memory of translating one press release into de+en+ru.

Models are randomly initialised copies of the real architectures (eval/benchmodels.py:
nllb-200-distilled-600M and an Opus-MT base Marian model, real vocabulary sizes), so
outputs are noise but the arithmetic is the real one. Every output is forced to the same
length (35 tokens after the language token) so configurations do the same work.

Configurations, each in its own subprocess (its peak RSS is its own):
  a  transformers, one sentence at a time, fp32: what a user would write
  b  CTranslate2 int8, batched (32 sentences), one call per language: as a user would call it
  c  mt's CT2Engine: int8, token batches, vocabulary map, best translate_many mode
Each run's effective GOPS (the multiply-adds its model and settings need, see
multiply_adds, over its time) is set against this machine's int8 matmul throughput
(work_gops), so figures from different CPUs can be compared. Peak RSS is each worker's
own (VmHWM), and each translation run records its CPU seconds beside its wall time. Plus
segmentation, glossary matching, scoring and the warm re-run. Writes eval/bench/<date>.json
and eval/bench/<date>.md and prints the Markdown table.

Experiments: MT_BENCH_OPTIONS='{"max_batch_tokens": 3072}' passes EngineOptions fields to
(c); MKL_ENABLE_INSTRUCTIONS=AVX2 makes CTranslate2's oneMKL use its AVX2 kernels on a newer
CPU (what an AVX2-only machine runs; the banner line says which kernels ran).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

RELEASE = ROOT / "corpora/press-releases/aktobe-germany-2025/segments.kk"
MODELS = ROOT / "eval/runs/bench-models"
TARGETS = ["de", "en", "ru"]
NEW_TOKENS = 35
VMAP_FLOOR = 40000  # assumed size of a de/en/ru map over NLLB's real 256k vocabulary
SUBSET = {1: 2, 4: 1}  # (a): sentences per language measured, by beam size


def cpu_s() -> float:
    """CPU seconds of this process, all threads (user + system): the work done, which
    another process's load on the machine changes far less than the wall-clock time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rss_mb() -> float:
    """Peak resident memory of this process, in MB.

    VmHWM (/proc/self/status) is the high-water mark of this process image. ru_maxrss is
    not: Linux carries it across fork and exec, so every worker reported the parent's
    peak (the models it had built, 4873 MB in one run) instead of its own."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # no /proc (not Linux)


def cpu_flags() -> dict:
    """The CPU's model name and the instruction sets int8 inference depends on, from
    /proc/cpuinfo: int8 GOPS and c/b ratios from a machine with AVX-512 VNNI are not
    comparable with figures from an AVX2-only one."""
    info = {"model": platform.processor() or platform.machine(), "flags": []}
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return info
    model = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
    found = re.search(r"^flags\s*:\s*(.+)$", text, re.M)
    flags = set(found.group(1).split()) if found else set()
    wanted = ("avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_int8")
    info.update(model=model.group(1).strip() if model else info["model"], flags=[f for f in wanted if f in flags])
    return info


def isa_line(cpu: dict) -> str:
    """'AVX2 yes, AVX-512 yes, VNNI yes (avx512_vnni), AMX no': what the int8 yardstick ran on."""
    flags = set(cpu.get("flags", ()))
    vnni = [f for f in ("avx512_vnni", "avx_vnni") if f in flags]
    return (f"{cpu.get('model', '?')}: AVX2 {'yes' if 'avx2' in flags else 'no'}, "
            f"AVX-512 {'yes' if 'avx512f' in flags else 'no'}, "
            f"VNNI {'yes (' + ', '.join(vnni) + ')' if vnni else 'no'}, AMX {'yes' if 'amx_int8' in flags else 'no'}")


def gemm_path(ct2_folder: str) -> str:
    """The int8 kernels CTranslate2's oneMKL chooses on this CPU (MKL_VERBOSE's banner, one
    tiny translation in a child process): 'AVX-512 ... AMX' here runs the same ops far
    faster than 'AVX2' elsewhere, so c/b ratios and shares of the yardstick (fbgemm, which
    never uses AMX) only compare between machines with the same line."""
    probe = (f"import ctranslate2; t = ctranslate2.Translator({ct2_folder!r}, compute_type='int8'); "
             "t.translate_batch([['a', '</s>']], max_decoding_length=2)")
    try:
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "MKL_VERBOSE": "1"})
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    banner = next((line for line in out.stdout.splitlines() + out.stderr.splitlines()
                   if line.startswith("MKL_VERBOSE oneMKL")), "")
    found = re.search(r"architecture (.+?)(?:, Lnx|$)", banner)
    if not found:
        return "not oneMKL (no MKL_VERBOSE banner)"
    # "Intel(R) Advanced Vector Extensions 512 (Intel(R) AVX-512) with ..." -> "oneMKL for AVX-512 with ..."
    return "oneMKL for " + re.sub(r"Intel\(R\) Advanced \w+ Extensions[^()]*\(Intel\(R\) ([^)]+)\)", r"\1", found.group(1))


def release() -> list[str]:
    return [line for line in RELEASE.read_text(encoding="utf-8").splitlines() if line.strip()]


def subset(sentences: list[str], n: int) -> list[str]:
    """n sentences of median length (so the extrapolation is fair)."""
    ranked = sorted(sentences, key=len)
    middle = len(ranked) // 2
    return ranked[middle - n // 2: middle - n // 2 + n]


# ----------------------------------------------------------------------------- workers

def work_a(spec: dict) -> dict:
    import torch
    from benchmodels import MARIAN_TARGETS, NLLB_CODES
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    t0 = time.perf_counter()
    folder = spec["hf"]
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForSeq2SeqLM.from_pretrained(folder).eval()
    load = time.perf_counter() - t0
    sentences = subset(release(), SUBSET[spec["beam"]])
    nllb = spec["family"] == "nllb"
    t0 = time.perf_counter()
    with torch.inference_mode():
        for lang in TARGETS:
            for sentence in sentences:
                if nllb:
                    tokenizer.src_lang = NLLB_CODES["kk"]
                    inputs = tokenizer(sentence, return_tensors="pt")
                    extra = {"forced_bos_token_id": tokenizer.convert_tokens_to_ids(NLLB_CODES[lang])}
                    n = NEW_TOKENS + 1
                else:
                    inputs = tokenizer(f"{MARIAN_TARGETS[lang]} {sentence}", return_tensors="pt")
                    extra, n = {}, NEW_TOKENS
                out = model.generate(**inputs, num_beams=spec["beam"], min_new_tokens=n, max_new_tokens=n,
                                     do_sample=False, **extra)
                tokenizer.decode(out[0], skip_special_tokens=True)
    wall = time.perf_counter() - t0
    done = len(sentences) * len(TARGETS)
    return {"load_s": load, "measured_translations": done, "measured_s": wall,
            "note": f"measured on {len(sentences)} median-length sentence(s) x 3 languages, "
                    "extrapolated to the 60 translations of the release"}


def work_b(spec: dict) -> dict:
    import ctranslate2
    from benchmodels import MARIAN_TARGETS, NLLB_CODES
    from transformers import AutoTokenizer

    t0 = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(spec["ct2"])
    threads = {"inter_threads": 2, "intra_threads": 1} if spec["config"] == "b2" else {}
    translator = ctranslate2.Translator(spec["ct2"], device="cpu", compute_type="int8", **threads)
    load = time.perf_counter() - t0
    sentences = release()
    nllb = spec["family"] == "nllb"
    c0, t0 = cpu_s(), time.perf_counter()
    for lang in TARGETS:
        if nllb:
            tokenizer.src_lang = NLLB_CODES["kk"]
            source = [tokenizer.convert_ids_to_tokens(tokenizer(s)["input_ids"]) for s in sentences]
            prefix, n = [[NLLB_CODES[lang]]] * len(sentences), NEW_TOKENS + 1
        else:
            source = [tokenizer.convert_ids_to_tokens(tokenizer(f"{MARIAN_TARGETS[lang]} {s}")["input_ids"])
                      for s in sentences]
            prefix, n = None, NEW_TOKENS
        results = translator.translate_batch(source, prefix, beam_size=spec["beam"], max_batch_size=32,
                                             min_decoding_length=n, max_decoding_length=n)
        for r in results:
            tokenizer.decode(tokenizer.convert_tokens_to_ids(r.hypotheses[0]), skip_special_tokens=True)
    wall = time.perf_counter() - t0
    return {"load_s": load, "measured_translations": len(sentences) * 3, "measured_s": wall, "cpu_s": cpu_s() - c0}


def work_c(spec: dict) -> dict:
    from mt.engines.base import EngineOptions
    from mt.engines.ct2 import CT2Engine

    n = NEW_TOKENS + (1 if spec["family"] == "nllb" else 0)
    t0 = time.perf_counter()
    extra = json.loads(os.environ.get("MT_BENCH_OPTIONS", "{}"))  # experiments only
    engine = CT2Engine(spec["ct2_vmap"], EngineOptions(beam_size=spec["beam"], **extra),
                       decoding={"min_decoding_length": n, "max_decoding_length": n})
    load = time.perf_counter() - t0
    sentences = release()
    timings = {}
    cpu = {}
    for mode in spec["modes"]:
        engine.joint = mode == "joint"
        c0, t0 = cpu_s(), time.perf_counter()
        engine.translate_many(sentences, "kk", TARGETS)
        timings[mode] = time.perf_counter() - t0
        cpu[mode] = cpu_s() - c0
    best = min(timings, key=timings.get)
    return {"load_s": load, "measured_translations": len(sentences) * 3, "measured_s": timings[best],
            "cpu_s": cpu[best], "options": extra,
            "translate_many": best, "modes_s": timings, "vmap": engine.use_vmap,
            "torch_imported": "torch" in sys.modules}


def work_gops(spec: dict) -> dict:
    """This machine's int8 matrix-multiply throughput: fbgemm's dynamically quantised
    int8 Linear (int8 weights, activations quantised per call, as CTranslate2's int8 does)
    on decoder-sized shapes, all cores, about 3 s. The yardstick for each engine's share."""
    import warnings

    import torch

    warnings.filterwarnings("ignore", message=".*quantize_per_tensor.*deprecated")
    torch.manual_seed(0)
    results = {}
    for rows, d_in, d_out in ((128, 1024, 4096), (128, 4096, 1024), (128, 1024, 40000)):
        layer = torch.ao.quantization.quantize_dynamic(torch.nn.Sequential(torch.nn.Linear(d_in, d_out)),
                                                       {torch.nn.Linear}, dtype=torch.qint8)
        x = torch.randn(rows, d_in)
        with torch.inference_mode():
            layer(x)
            t0, n = time.perf_counter(), 0
            while time.perf_counter() - t0 < 1.0:
                layer(x)
                n += 1
        results[f"{rows}x{d_in}x{d_out}"] = 2 * rows * d_in * d_out * n / (time.perf_counter() - t0) / 1e9
    return {"gops": max(results.values()), "shapes": results, "threads": torch.get_num_threads(),
            "load_s": 0.0, "measured_translations": 1, "measured_s": 1.0}


WORKERS = {"a": work_a, "b": work_b, "b2": work_b, "c": work_c, "gops": work_gops}


def multiply_adds(spec: dict, config: str, beam: int, source_tokens: list[int]) -> float:
    """Multiply-adds one translation needs on average, from the model's config: encoder
    layers per source token, the decoder's cross-attention keys/values per source token,
    and per generated token and beam row the decoder layers plus the output layer (the
    vocabulary map's rows for config c, the whole vocabulary otherwise). Attention scores
    are left out (small for press-release sentences), so this is a slight undercount."""
    config_json = json.loads((Path(spec["hf"]) / "config.json").read_text(encoding="utf-8"))
    d = config_json["d_model"]
    ffn_e, ffn_d = config_json["encoder_ffn_dim"], config_json["decoder_ffn_dim"]
    layers_e, layers_d = config_json["encoder_layers"], config_json["decoder_layers"]
    vocab = config_json["vocab_size"]
    vmap = spec.get("vmap", {})
    per_language = [v for k, v in vmap.items() if k.startswith("always_") and len(k) == 9]
    if config == "c" and per_language:
        vocab = sum(per_language) / len(per_language)  # each language's map, on average
    elif config == "c" and vmap.get("always"):
        vocab = vmap["always"]
    steps = NEW_TOKENS + (1 if spec["family"] == "nllb" else 0)
    source = sum(source_tokens) / len(source_tokens)
    encoder = source * (layers_e * (4 * d * d + 2 * d * ffn_e) + layers_d * 2 * d * d)
    decoder = steps * beam * (layers_d * (6 * d * d + 2 * d * ffn_d) + d * vocab)
    return encoder + decoder


def source_lengths(spec: dict) -> list[int]:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(spec["hf"])
    return [len(tokenizer(s)["input_ids"]) + 1 for s in release()]  # + the language token


def worker(spec_json: str) -> None:
    spec = json.loads(spec_json)
    result = WORKERS[spec["config"]](spec)
    result["peak_rss_mb"] = rss_mb()
    print("RESULT " + json.dumps(result))


def run_worker(spec: dict) -> dict:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--worker", json.dumps(spec)], capture_output=True,
                          text=True, env={**os.environ, "TRANSFORMERS_VERBOSITY": "error"})
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": tail}
    result = json.loads(lines[-1][len("RESULT "):])
    rate = result["measured_translations"] / result["measured_s"]
    result.update(sentences_per_s=rate, release_s=60 / rate, process_s=time.perf_counter() - started)
    return result


# ----------------------------------------------------------------------------- models

LANG_OF = {"deu": "de", "eng": "en", "rus": "ru"}  # corpus file names -> target languages


def prepare_models() -> dict[str, dict]:
    import benchmodels as bm

    from mt.engines.ct2_convert import convert_model
    from mt.engines.ct2_folder import model_vocabulary as _model_vocabulary
    from mt.engines.ct2_vmap import build_vmap

    MODELS.mkdir(parents=True, exist_ok=True)
    lines = bm.corpus_lines(ROOT / "corpora")
    targets: dict[str, list[str]] = {}
    for name in bm.CORPUS_FILES:
        lang = next((v for k, v in LANG_OF.items() if k in name), None)
        if lang:
            targets.setdefault(lang, []).extend((ROOT / "corpora" / name).read_text(encoding="utf-8").splitlines())
    models = {}
    for key, build, family in (("nllb-200-distilled-600M (random)", bm.build_nllb_600m, "nllb"),
                               ("opus-mt base (random)", bm.build_opus_mt, "marian")):
        slug = "nllb-600m" if family == "nllb" else "opus-mt"
        t0 = time.perf_counter()
        hf = build(MODELS / slug, lines)
        ct2 = MODELS / f"{slug}-ct2"
        meta = ct2 / "mt-model.json"
        if not (ct2 / "model.bin").is_file() or not meta.is_file() \
                or "source_aliases" not in meta.read_text(encoding="utf-8"):
            # a folder from before mt reordered vocabularies, recorded decoder widths or added source aliases
            (ct2 / "vmap-counts.json").unlink(missing_ok=True)
            convert_model(str(hf), ct2, quantization="int8", force=True)
        mapped = ct2  # (b) never passes use_vmap, so one folder serves both
        counts_path = mapped / "vmap-counts.json"
        if not counts_path.is_file() or "per_language" not in counts_path.read_text():
            union = build_vmap(mapped, [t for v in targets.values() for t in v], out=mapped / "vmap-union.txt")
            counts = {**build_vmap(mapped, targets), "always_union": union["always"]}
            counts_path.write_text(json.dumps(counts))
        counts = json.loads(counts_path.read_text())
        if family == "nllb" and counts["always_union"] < VMAP_FLOOR and "padded_union_to" not in counts:
            counts = pad_vmap(mapped, VMAP_FLOOR, _model_vocabulary(mapped), counts)
        models[key] = {"family": family, "hf": str(hf), "ct2": str(ct2), "ct2_vmap": str(mapped),
                       "vmap": counts, "prepare_s": time.perf_counter() - t0}
    return models


def pad_vmap(folder: Path, floor: int, vocabulary: list[str], counts: dict) -> dict:
    """The bench tokenizer (32k pieces trained on our corpora) yields smaller maps than
    NLLB's 256k vocabulary would; pad them with unused tokens so the benchmark does not
    overstate their gain. The de+en+ru map is assumed to have `floor` pieces with the real
    tokenizer; each language's map is padded by the same factor (its share of the union,
    measured with the bench tokenizer, is assumed to hold for the real one)."""
    path = folder / "vmap.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    fixed = set(lines[0].split("\t")[1].split(" "))
    factor = floor / counts["always_union"]
    filler = [t for t in vocabulary if t.startswith("madeupword") and t not in fixed]
    padded = {}
    for i, line in enumerate(lines[1:], start=1):
        key, _, values = line.partition("\t")
        lang = next((lang for lang in LANG_OF.values() if f"always_{lang}" in counts and key.endswith(
            {"de": "deu_Latn", "en": "eng_Latn", "ru": "rus_Cyrl"}[lang])), None)
        if lang is None or "@" not in key:
            continue  # a copy rule
        own = values.split(" ")
        want = round(counts[f"always_{lang}"] * factor) - len(fixed) - len(own)
        lines[i] = f"{key}\t{' '.join(sorted(own + filler[:max(0, want)]))}"
        padded[lang] = len(fixed) + len(own) + max(0, want)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts = {**counts, **{f"always_{lang}_measured": counts[f"always_{lang}"] for lang in padded},
              **{f"always_{lang}": n for lang, n in padded.items()}, "padded_union_to": floor,
              "padding_factor": factor}
    (folder / "vmap-counts.json").write_text(json.dumps(counts))
    return counts


# ----------------------------------------------------------------------------- other steps

def kazakh_text(mb: float) -> str:
    import benchmodels as bm

    kk = [line for name in bm.CORPUS_FILES if "kaz" in name
          for line in (ROOT / "corpora" / name).read_text(encoding="utf-8").splitlines()]
    block = "\n".join(kk) + "\n"
    return (block * (int(mb * 1e6 / len(block.encode())) + 1))[: int(mb * 1e6 / 1.9)]


def bench_segmentation(text: str) -> dict:
    try:
        from mt.segment import split_sentences
    except ImportError:
        return {"status": "not available"}
    t0 = time.perf_counter()
    n = sum(len(split_sentences(par)) for par in text.split("\n") if par)
    wall = time.perf_counter() - t0
    mb = len(text.encode()) / 1e6
    return {"mb": mb, "sentences": n, "s": wall, "mb_per_s": mb / wall}


def words_of(text: str) -> list[str]:
    """The distinct words of `text`, surrounding punctuation stripped, sorted."""
    return sorted({w.strip("«»,.;:()!?\"'") for w in text.split()} - {""})


def glossary_entries(words: list[str], n: int = 50000, seed: int = 0) -> list:
    """`bench_glossary`'s glossary: n distinct terms of 1-3 of `words`, so that nearly
    every token of a text of those words starts a term (the matcher's worst case).
    eval/bench_match.py, match_diff.py and match_speed.py use the same."""
    from mt.types import GlossaryEntry

    rng = random.Random(seed)
    entries, seen = [], set()
    while len(entries) < n:
        kk = " ".join(rng.sample(words, rng.choice((1, 2, 2, 3))))
        if kk in seen:
            continue
        seen.add(kk)
        i = len(entries)
        entries.append(GlossaryEntry(id=f"g{i}", type="org", kk=kk, en=f"E{i}", de=f"D{i}", ru=f"R{i}"))
    return entries


def bench_glossary(text: str, n_entries: int = 50000) -> dict:
    try:
        from mt.glossary.match import Matcher
    except ImportError:
        return {"status": "not available"}
    entries = glossary_entries(words_of(text[:2_000_000]), n_entries)
    t0 = time.perf_counter()
    matcher = Matcher(entries)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    hits = sum(len(matcher.find(par)) for par in text.split("\n") if par)
    wall = time.perf_counter() - t0
    mb = len(text.encode()) / 1e6
    return {"entries": n_entries, "build_s": build, "mb": mb, "hits": hits, "s": wall, "mb_per_s": mb / wall}


def bench_scoring() -> dict:
    try:
        from mt.metrics import score
    except ImportError:
        return {"status": "not available"}
    files = {"de": "deu_Latn", "en": "eng_Latn", "ru": "rus_Cyrl"}
    t0 = time.perf_counter()
    for lang, name in files.items():
        refs = (ROOT / f"corpora/flores200/devtest/{name}.devtest").read_text(encoding="utf-8").splitlines()
        hyps = refs[1:] + refs[:1]  # timing only: references shifted by one line
        score(hyps, [refs], f"kk-{lang}")
    return {"directions": 3, "sentences": len(refs), "s": time.perf_counter() - t0,
            "note": "hypotheses are the references shifted by one line (timing only)"}


# ----------------------------------------------------------------------------- report

def bench_warm_rerun(ct2_folder: str) -> dict:
    """`mt translate` of the founding release twice with one translation memory: the
    second, unchanged run must come from the memory without loading the model."""
    import shutil
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="mt-bench-"))
    try:
        source = work / "release.kk.txt"
        shutil.copy(RELEASE.with_name("release.kk.txt"), source)
        base = [sys.executable, "-m", "mt", "translate", str(source), "--model", ct2_folder,
                "--tm", str(work / "tm.sqlite"), "--beam", "1", "--max-length", "24"]
        times = []
        # a cache folder of its own (mt.memo): the cold run fills it as a user's first run would
        env = {**os.environ, "MT_CACHE_DIR": str(work / "cache")}
        for out in ("cold", "warm"):
            t0 = time.perf_counter()
            subprocess.run([*base, "--out", str(work / out)], check=True, capture_output=True, env=env)
            times.append(time.perf_counter() - t0)
        return {"cold_s": times[0], "warm_s": times[1],
                "note": "whole command incl. Python start-up; cold = greedy, max 24 tokens, glossary on"}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table(result: dict) -> str:
    gops = result.get("int8_gops", {}).get("gops")
    cpu = result.get("machine", {}).get("cpu", {})
    rows = [(f"This machine's int8 matmul: {gops:.0f} GOPS (fbgemm, all cores) on {isa_line(cpu)}. " if gops
             else f"CPU: {isa_line(cpu)}. ") + f"CTranslate2's int8 GEMM: {cpu.get('ct2_gemm', '?')}.",
            "| model | config | beam | sentences/s | release (60) s | peak RSS MB | eff. GOPS | share | load s | note |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for model, runs in result["translation"].items():
        for key, run in runs.items():
            config, beam = key.split("/")
            if "error" in run:
                rows.append(f"| {model} | {config} | {beam} | - | - | - | - | - | - | error: {run['error'][:80]} |")
                continue
            note = "extrapolated" if config == "a" else (f"{run.get('translate_many', '')}"
                                                          f"{', vmap' if run.get('vmap') else ''}"
                                                          f"{', options ' + json.dumps(run['options']) if run.get('options') else ''}")
            share = run.get("share_of_int8_gops")
            rows.append(f"| {model} | {config} | {beam} | {run['sentences_per_s']:.2f} | {run['release_s']:.1f} "
                        f"| {run['peak_rss_mb']:.0f} | {run.get('effective_gops', 0):.0f} "
                        f"| {f'{share:.0%}' if share else '-'} | {run['load_s']:.1f} | {note} |")
    rows.append("")
    rows.append("| headline | greedy | beam 4 |")
    rows.append("|---|---|---|")
    for model, ratios in result["ratios"].items():
        for name in ("c/a", "c/b", "c/b2"):
            g, b = ratios.get(f"{name}/1"), ratios.get(f"{name}/4")
            rows.append(f"| {model} {name} | {g:.1f}x | {b:.1f}x |" if g and b else f"| {model} {name} | - | - |")
    rows.append("")
    seg, glo, sco = result["segmentation"], result["glossary"], result["scoring"]
    rows.append("| step | throughput |")
    rows.append("|---|---|")
    rows.append(f"| segmentation | {seg['mb_per_s']:.2f} MB/s |" if "mb_per_s" in seg
                else f"| segmentation | {seg.get('status', seg.get('error'))} |")
    rows.append(f"| glossary matching (50,000 entries) | {glo['mb_per_s']:.2f} MB/s (build {glo['build_s']:.1f} s) |"
                if "mb_per_s" in glo else f"| glossary matching | {glo.get('status', glo.get('error'))} |")
    rows.append(f"| scoring FLORES devtest x3 | {sco['s']:.1f} s |" if "s" in sco
                else f"| scoring | {sco.get('status', sco.get('error'))} |")
    warm = result.get("warm_rerun", {})
    rows.append(f"| mt translate, release: cold / warm (memory) | {warm['cold_s']:.1f} s / {warm['warm_s']:.2f} s |"
                if "warm_s" in warm else f"| warm re-run | {warm.get('error')} |")
    rows.append("")
    t = result["targets"]
    rows.append("| target | measured | met |")
    rows.append("|---|---|---|")
    for name, (value, ok) in t.items():
        rows.append(f"| {name} | {value} | {'yes' if ok else 'no'} |")
    return "\n".join(rows)


def safe(fn, *args) -> dict:
    try:
        return fn(*args)
    except Exception as exc:  # one failing step must not lose the others' figures
        return {"error": f"{type(exc).__name__}: {exc}"[:200]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker")
    parser.add_argument("--skip", default="", help="comma-separated configs to skip, e.g. a")
    parser.add_argument("--text-mb", type=float, default=10.0)
    parser.add_argument("--tag", default="", help="written as eval/bench/<date>-<tag>.json/.md (default <date>)")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    started = time.perf_counter()
    print(f"CPU: {isa_line(cpu_flags())}", flush=True)
    load_before = os.getloadavg()
    models = prepare_models()
    gemm = gemm_path(models["opus-mt base (random)"]["ct2"])
    print(f"CTranslate2 int8 GEMM: {gemm}", flush=True)
    probe = run_worker({"config": "gops"})
    gops = probe.get("gops")
    skip = set(filter(None, args.skip.split(",")))
    translation: dict[str, dict] = {}
    ratios: dict[str, dict] = {}
    for name, spec in models.items():
        runs: dict[str, dict] = {}
        best_mode = "joint"
        lengths = source_lengths(spec)
        for beam in (1, 4):
            for config in ("c", "b", "b2", "a"):
                if config in skip:
                    continue
                modes = ["joint", "per_language"] if beam == 1 else [best_mode]
                run = run_worker({**spec, "config": config, "beam": beam, "modes": modes})
                if "measured_s" in run:
                    work = multiply_adds(spec, config, beam, lengths) * run["measured_translations"]
                    run["effective_gops"] = 2 * work / run["measured_s"] / 1e9
                    run["share_of_int8_gops"] = run["effective_gops"] / gops if gops else None
                if config == "c" and beam == 1 and "translate_many" in run:
                    best_mode = run["translate_many"]
                runs[f"{config}/{beam}"] = run
                print(f"{name} {config} beam {beam}: {json.dumps(run)}", file=sys.stderr, flush=True)
        translation[name] = runs
        ratios[name] = {}
        for beam in (1, 4):
            c = runs.get(f"c/{beam}", {}).get("sentences_per_s")
            for other in ("a", "b", "b2"):
                o = runs.get(f"{other}/{beam}", {}).get("sentences_per_s")
                if c and o:
                    ratios[name][f"c/{other}/{beam}"] = c / o
    text = kazakh_text(args.text_mb)
    result = {
        "date": datetime.date.today().isoformat(),
        "machine": {"cpus": os.cpu_count(), "cpu": {**cpu_flags(), "ct2_gemm": gemm}, "platform": platform.platform(),
                    "python": platform.python_version(),
                    "loadavg_before": load_before, "loadavg_after": os.getloadavg()},
        "method": {"release": str(RELEASE.relative_to(ROOT)), "targets": TARGETS,
                   "forced_new_tokens": NEW_TOKENS, "a_subset_sentences_per_language": SUBSET,
                   "b": "ctranslate2.Translator int8, translate_batch per language, max_batch_size=32",
                   "b2": "as b, with inter_threads=2, intra_threads=1 (plain CTranslate2 tuned as mt is)",
                   "c": "CT2Engine int8, 2 workers x 1 thread, max_batch_tokens=2048 (x memory_scale: 1 NLLB, 4 Opus-MT; 3/8 of it over the beam, "
                        "source tokens per batch; a request that fits one batch cut in two), a vocabulary map per target language "
                        "(one request per language, keyed on a source alias for NLLB, >>xxx<< for Opus-MT), vocabulary reordered by "
                        "mt's converter; translate_many mode measured greedy (joint: the three requests queued at once; "
                        "per_language: one after the other), the faster used for beam 4",
                   "vmap_note": f"NLLB maps padded by the factor that takes the de+en+ru map to {VMAP_FLOOR} pieces "
                                "(assumed real size); each language's map by the same factor"},
        "models": {k: {"vmap": v["vmap"], "prepare_s": v["prepare_s"]} for k, v in models.items()},
        "int8_gops": probe,
        "translation": translation,
        "ratios": ratios,
        "segmentation": safe(bench_segmentation, text),
        "glossary": safe(bench_glossary, text),
        "scoring": safe(bench_scoring),
        "warm_rerun": safe(bench_warm_rerun, models["nllb-200-distilled-600M (random)"]["ct2"]),
    }
    nllb = translation.get("nllb-200-distilled-600M (random)", {})
    c1, c4 = nllb.get("c/1", {}), nllb.get("c/4", {})
    peak = max((r.get("peak_rss_mb", 0) for k, r in nllb.items() if k.startswith("c/")), default=0)
    seg, glo, warm = result["segmentation"], result["glossary"], result["warm_rerun"]
    ratio = result["ratios"]
    opus = "opus-mt base (random)"
    nllb_key = "nllb-200-distilled-600M (random)"
    result["targets"] = {
        **{f"{label} c/b {mode} >= 2.2x": (f"{ratio.get(key, {}).get(f'c/b/{beam}', 0):.2f}x",
                                           ratio.get(key, {}).get(f"c/b/{beam}", 0) >= 2.2)
           for label, key in (("NLLB-600M", nllb_key), ("Opus-MT", opus))
           for mode, beam in (("greedy", 1), ("beam 4", 4))},
        "600M beam 4 release <= 20 s": (f"{c4.get('release_s', float('nan')):.1f} s", c4.get("release_s", 1e9) <= 20),
        "600M greedy >= 8 sentences/s": (f"{c1.get('sentences_per_s', 0):.2f}", c1.get("sentences_per_s", 0) >= 8),
        "600M peak memory <= 1.2 GB (c)": (f"{peak:.0f} MB", 0 < peak <= 1200),
        "segmentation >= 5 MB/s": (f"{seg.get('mb_per_s', 0):.2f} MB/s", seg.get("mb_per_s", 0) >= 5),
        "glossary 50k entries >= 2 MB/s": (f"{glo.get('mb_per_s', 0):.2f} MB/s", glo.get("mb_per_s", 0) >= 2),
        "warm re-run < 1 s": (f"{warm.get('warm_s', float('nan')):.2f} s", warm.get("warm_s", 9) < 1),
    }
    result["total_s"] = time.perf_counter() - started
    out_dir = HERE / "bench"
    out_dir.mkdir(exist_ok=True)
    markdown = table(result)
    for suffix, content in ((".json", json.dumps(result, indent=2, ensure_ascii=False) + "\n"),
                            (".md", markdown + "\n")):
        path = out_dir / f"{result['date']}{'-' + args.tag if args.tag else ''}{suffix}"
        tmp = path.with_suffix(suffix + ".tmp")
        tmp.write_text(content, encoding="utf-8")
        os.replace(tmp, path)
    print(markdown)
    print(f"\n(total {result['total_s']:.0f} s; written to {path.relative_to(ROOT)} and .json)")


if __name__ == "__main__":
    main()
