"""`make bench-ray`: releases per minute of a batch on Ray: a local Ray (1 actor x 2
threads, 2 actors x 1 thread), and a real cluster on loopback with one node and with two
(`ray start --head` / `ray start --address`, token authentication, the driver through
ray://, one CPU per node: tests/loopback_ray.py), with the in-process batch as the reference.

The model is make bench's randomly initialised nllb-200-distilled-600M converted to
CTranslate2 int8 with its vocabulary map (eval/bench.py builds it into
eval/runs/bench-models; real arithmetic, noise outputs), or --model. Releases are slices
of the shipped Aktobe release (distinct sentences, so nothing comes from a memory; the
memory is off). Every output runs to --max-length tokens (a random model rarely stops),
so the configurations do the same work. Model loading is timed apart from translating.
Writes eval/bench/ray-<date>.json and prints it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import os
import platform
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))  # loopback_ray

RELEASE = ROOT / "corpora/press-releases/aktobe-germany-2025/segments.kk"
TARGETS = ["de", "en", "ru"]


def bench_model() -> str:
    """make bench's random NLLB-600M as CTranslate2 int8 with a vocabulary map."""
    import bench
    import benchmodels as bm

    from mt.engines.ct2_convert import convert_model
    from mt.engines.ct2_folder import model_vocabulary as _model_vocabulary
    from mt.engines.ct2_vmap import build_vmap

    bench.MODELS.mkdir(parents=True, exist_ok=True)
    hf = bm.build_nllb_600m(bench.MODELS / "nllb-600m", bm.corpus_lines(ROOT / "corpora"))
    ct2 = bench.MODELS / "nllb-600m-ct2"
    if not (ct2 / "model.bin").is_file():
        convert_model(str(hf), ct2, quantization="int8", force=True)
    if not (ct2 / "vmap-counts.json").is_file():
        targets = [line for name in bm.CORPUS_FILES if "kaz" not in name
                   for line in (ROOT / "corpora" / name).read_text(encoding="utf-8").splitlines()]
        counts = build_vmap(ct2, targets)
        (ct2 / "vmap-counts.json").write_text(json.dumps(counts))
        if counts["always"] < bench.VMAP_FLOOR:
            bench.pad_vmap(ct2, bench.VMAP_FLOOR, _model_vocabulary(ct2), counts)
    return str(ct2)


def make_releases(folder: Path, count: int, sentences: int) -> list[Path]:
    """`count` releases of `sentences` distinct sentences each (title + one paragraph)."""
    lines = [line for line in RELEASE.read_text(encoding="utf-8").splitlines() if line.strip()]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        picked = [lines[(i * sentences + k) % len(lines)] for k in range(sentences)]
        # A number per release keeps releases distinct when the corpus wraps around.
        body = " ".join(f"{s.rstrip('.')} ({i + 1}-{k + 1})." for k, s in enumerate(picked[1:]))
        path = folder / f"r{i:03d}.kk.txt"
        path.write_text(f"{picked[0]}\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def run_config(name: str, model: str, releases: list[Path], out: Path, actors: int, threads: int,
               beam: int, max_length: int, use_ray: bool, address: str = "local") -> dict:
    from mt import batch, pipeline
    from mt.engines import EngineOptions

    options = EngineOptions(beam_size=beam, max_length=max_length, threads=threads)
    spec = batch.EngineSpec(model, "auto", options)
    if use_ray:
        import ray

        if address == "local":
            ray.init(address="local", num_cpus=actors * threads, include_dashboard=False,
                     _node_ip_address="127.0.0.1", logging_level=logging.ERROR, log_to_driver=False)
        from mt.engines.ray_actors import RayExecutor

        executor = RayExecutor(spec, address, actors)  # a cluster: connected (token, checks) by connect()
    else:
        executor = batch.InProcessExecutor(spec)
    try:
        t0 = time.perf_counter()
        executor.connect()
        executor.translate_many(["Сәлем."], "kk", TARGETS)  # starts the workers
        if use_ray:
            executor.ready()
        load_s = time.perf_counter() - t0
        jobs = batch.discover([str(r) for r in releases], str(out / name))
        settings = batch.Settings(TARGETS, "txt", [], pipeline.memory_key("auto", model, options, []),
                                  lambda: None, {"model": model}, force=True)
        started = time.perf_counter()
        summary = batch.run_batch(jobs, settings, executor)
        seconds = time.perf_counter() - started
    finally:
        executor.close()
        if use_ray:
            import ray

            ray.shutdown()
    done = summary.count("done")
    sentences = sum(r.sentences for r in summary.rows)
    return {"actors": actors, "threads_per_actor": threads, "ray": use_ray,
            "address": address.split(":")[0] + "://" if "://" in address else address, "releases": done,
            "sentences": sentences, "seconds": round(seconds, 2), "load_s": round(load_s, 2),
            "releases_per_min": round(60 * done / seconds, 3),
            "sentence_translations_per_s": round(sentences * len(TARGETS) / seconds, 3)}


# name: (actors, threads per actor, cluster nodes; 0 = no cluster). Cluster rows: as
# many actors as the cluster has CPUs (one per node here), 1 thread each.
CONFIGS = {"local 1 process x 1 thread": (1, 1, 0),
           "local 1 process x 2 threads": (1, 2, 0),
           "ray 1 actor x 2 threads": (1, 2, 0),
           "ray 2 actors x 1 thread": (2, 1, 0),
           "cluster 1 node x 1 CPU": (1, 1, 1),
           "cluster 2 nodes x 1 CPU": (2, 1, 2)}


def run_on_cluster(name: str, nodes: int, model: str, releases: list[Path], out: Path,
                   args: argparse.Namespace) -> dict:
    """`nodes` nodes on loopback with token authentication; the driver joins through ray://."""
    import loopback_ray

    root = Path(tempfile.mkdtemp(prefix="mtbench", dir="/tmp"))
    token = secrets.token_hex(16)
    (root / "home").mkdir()
    env = {**os.environ, "HOME": str(root / "home"), "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": token,
           "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", "RAY_USAGE_STATS_ENABLED": "0",
           "GRPC_ENABLE_FORK_SUPPORT": "0"}
    cluster = loopback_ray.start_cluster(root, nodes, env)
    os.environ["RAY_AUTH_TOKEN"] = token  # the driver's, as an operator passes it
    try:
        loopback_ray.wait_started(*cluster)
        return run_config(name.replace(" ", "_"), model, releases, out, nodes, 1, args.beam, args.max_length,
                          use_ray=True, address=cluster[0].address) | {"nodes": nodes}
    finally:
        os.environ.pop("RAY_AUTH_TOKEN", None)
        for node in reversed(cluster):
            node.stop()
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model folder or hub id (default: make bench's random NLLB-600M, CT2 int8)")
    parser.add_argument("--releases", type=int, default=6)
    parser.add_argument("--sentences", type=int, default=8, help="sentences per release (title included)")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--max-length", type=int, default=36)
    parser.add_argument("--out", default=str(ROOT / "eval/bench"))
    parser.add_argument("--configs", default=",".join(CONFIGS),
                        help="comma-separated, of: " + ", ".join(CONFIGS))
    parser.add_argument("--tag", default="", help="appended to the file name (ray-<date><tag>.json)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model = args.model or bench_model()
    work = ROOT / "eval/runs/bench-ray"
    releases = make_releases(work / "releases", args.releases, args.sentences)
    load_before = os.getloadavg()
    runs = {}
    for key in args.configs.split(","):
        name, (actors, threads, nodes) = key, CONFIGS[key]
        if nodes:
            runs[name] = run_on_cluster(name, nodes, model, releases, work / "out", args)
        else:
            runs[name] = run_config(name.replace(" ", "_"), model, releases, work / "out", actors, threads,
                                    args.beam, args.max_length, use_ray=name.startswith("ray"))
        print(f"{name}: {json.dumps(runs[name])}", file=sys.stderr, flush=True)
    result = {
        "date": datetime.date.today().isoformat(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "loadavg_before": load_before, "loadavg_after": os.getloadavg()},
        "method": {"model": model if args.model else "nllb-200-distilled-600M (random), CT2 int8, vmap",
                   "releases": args.releases, "sentences_per_release": args.sentences, "targets": TARGETS,
                   "beam": args.beam, "max_length": args.max_length, "memory": "off",
                   "timing": "run_batch only; worker start and model load in load_s"},
        "runs": runs,
    }
    Path(args.out).mkdir(parents=True, exist_ok=True)
    path = Path(args.out) / f"ray-{result['date']}{args.tag}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
