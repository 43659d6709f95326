"""Benchmark the glossary matcher: N generated entries over M MB of Kazakh text.

    .venv/bin/python eval/bench_match.py --entries 50000 --mb 1 --mb 10

Text: sentences of the project's Kazakh corpora (FLORES-200 dev/devtest, the
founding release), with inflected forms of generated glossary terms spliced in
(one every ~40 words) so that the analysis path runs on unseen tokens too.
--entries-from-text builds the glossary from the text's own words instead, as
eval/bench.py does: nearly every token then starts a term (the worst case).
Prints one JSON object: build time, MB/s and hits per text size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

import bench  # noqa: E402  (its glossary generator)

from mt.glossary.match import Matcher  # noqa: E402
from mt.glossary.morphology import inflections  # noqa: E402
from mt.types import GlossaryEntry  # noqa: E402

CORPORA = ("corpora/flores200/dev/kaz_Cyrl.dev", "corpora/flores200/devtest/kaz_Cyrl.devtest",
           "corpora/press-releases/aktobe-germany-2025/release.kk.txt")
BACK, FRONT = "аоұы", "әеөүі"
CONS = "бдгжзйклмнпрстшқғң"
HEADS = ("облысы", "ауданы", "компаниясы", "комбинаты", "министрлігі")
LEGAL = ("АҚ", "ЖШС", "ТҰК» АҚ")


def _word(rng: random.Random) -> str:
    vowels = rng.choice((BACK, FRONT))
    syllables = [rng.choice(CONS) + rng.choice(vowels) + rng.choice(("", rng.choice(CONS)))
                 for _ in range(rng.randint(2, 3))]
    return "".join(syllables).capitalize()


def make_entries(n: int, seed: int = 1) -> list[GlossaryEntry]:
    rng = random.Random(seed)
    entries: list[GlossaryEntry] = []
    for i in range(n):
        kind = rng.random()
        if kind < 0.35:
            kk, type_ = f"{_word(rng)} {_word(rng)}ов", "person"
        elif kind < 0.6:
            kk, type_ = _word(rng), "place"
        elif kind < 0.8:
            kk, type_ = f"{_word(rng)} {rng.choice(HEADS)}", "place"
        elif kind < 0.9:
            kk, type_ = f"«{_word(rng)}» {rng.choice(LEGAL)}", "org"
        else:
            kk, type_ = f"{_word(rng).lower()} {_word(rng).lower()}", "term"
        entries.append(GlossaryEntry(id=f"gen.{i}", type=type_, kk=kk, en="x", de="x", ru="x"))
    return entries


def make_text(entries: list[GlossaryEntry], mb: float, seed: int = 2) -> str:
    rng = random.Random(seed)
    sentences = [line for path in CORPORA for line in (ROOT / path).read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    target = int(mb * 1_000_000)
    parts: list[str] = []
    size = 0
    while size < target:
        words = rng.choice(sentences).split()
        for _ in range(max(1, len(words) // 40)):
            kk = rng.choice(entries).kk.split(" ")
            last = rng.choice(sorted(inflections(kk[-1])))
            words.insert(rng.randrange(len(words) + 1), " ".join([*kk[:-1], last]))
        sentence = " ".join(words)
        parts.append(sentence)
        size += len(sentence.encode("utf-8")) + 1
    return "\n".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=50_000)
    ap.add_argument("--mb", type=float, action="append", help="text size in MB (repeatable)")
    ap.add_argument("--text", help="match this Kazakh text file instead of generated text")
    ap.add_argument("--entries-from-text", action="store_true",
                    help="build the glossary from the text's own words, as eval/bench.py does")
    args = ap.parse_args()
    texts = [(args.text, Path(args.text).read_text(encoding="utf-8"))] if args.text else []
    entries = make_entries(args.entries)
    if not texts:
        texts = [(f"generated {mb} MB", make_text(entries, mb)) for mb in (args.mb or [1.0])]
    if args.entries_from_text:
        entries = bench.glossary_entries(bench.words_of(texts[0][1][:2_000_000]), args.entries)
    t0, c0 = time.perf_counter(), time.process_time()
    matcher = Matcher(entries)
    build_s, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    runs = []
    for name, text in texts:
        fresh = Matcher(entries)  # a cold token cache for each run
        mbytes = len(text.encode("utf-8")) / 1_000_000
        t0, c0 = time.perf_counter(), time.process_time()
        hits = sum(len(fresh.find(line)) for line in text.splitlines())
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        # CPU time too: on a shared machine wall time mostly measures the neighbours
        runs.append({"text": name, "mb": round(mbytes, 2), "seconds": round(secs, 2),
                     "mb_per_s": round(mbytes / secs, 2), "cpu_s": round(cpu, 2),
                     "mb_per_cpu_s": round(mbytes / cpu, 2), "hits": hits})
    print(json.dumps({"entries": args.entries, "patterns": len(matcher), "build_s": round(build_s, 2),
                      "build_cpu_s": round(build_cpu, 2), "load_avg_1m": round(os.getloadavg()[0], 2),
                      "runs": runs}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
