"""Differential check of the glossary matcher against an earlier version of itself.

    .venv/bin/python eval/match_diff.py --rev cb55c5a            # all glossaries, all texts
    .venv/bin/python eval/match_diff.py --rev cb55c5a --quick    # smaller random glossaries

The old `mt/glossary/match.py` is read from git (`--rev`) and imported beside the
current one; both are built over the same glossaries and `find()` runs over the same
paragraphs, twice (a cold pass that analyses every new token, then a warm pass served
by the per-token caches), in changing orders. Every result list must be equal.

Glossaries: the project's glossaries/, tests/data/glossary, the morphology case
glossaries, the founding release's entities, random 50,000-entry glossaries made of
the corpus words as eval/bench.py makes them (several seeds), and random mixed
glossaries of persons, places with possessed heads, quoted organisations with legal
forms, variants and compound-only forms. Texts: the Kazakh corpora (FLORES-200,
NTREX-128, KazNERD sentences, the release), some in capitals and in lower case, and
lines with inflected glossary forms and hyphenated compounds spliced in.
Prints the number of paragraphs and hits compared; exits 1 at the first difference.
"""

from __future__ import annotations

import argparse
import importlib.util
import lzma
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

import bench  # noqa: E402  (its glossary generator)

from mt.glossary import store  # noqa: E402
from mt.glossary.match import Matcher  # noqa: E402
from mt.glossary.morphology import inflections  # noqa: E402
from mt.types import GlossaryEntry  # noqa: E402

KAZAKH = ("corpora/flores200/dev/kaz_Cyrl.dev", "corpora/flores200/devtest/kaz_Cyrl.devtest",
          "corpora/ntrex128/newstest2019-ref.kaz.txt", "corpora/press-releases/aktobe-germany-2025/release.kk.txt")
NER = ("corpora/kaznerd/IOB2_test.txt.xz", "corpora/kaznerd/IOB2_valid.txt.xz")
HEADS = ("облысы", "ауданы", "компаниясы", "министрлігі", "қаласы")
LEGAL = ("АҚ", "ЖШС", "ТҰК» АҚ")
JOINERS = (", ", " мен ", " және ", " бен ")


def old_matcher_class(rev: str) -> type:
    source = subprocess.run(["git", "show", f"{rev}:mt/glossary/match.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp(prefix="match-diff-")) / "match_old.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("match_old", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["match_old"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module.Matcher  # type: ignore[no-any-return]


def ner_sentences(path: Path) -> list[str]:
    """KazNERD's token-per-line sentences joined back with spaces."""
    sentences, words = [], []
    for line in lzma.open(path, "rt", encoding="utf-8"):
        token = line.split(" ")[0].strip()
        if token:
            words.append(token)
        elif words:
            sentences.append(" ".join(words))
            words = []
    return sentences + ([" ".join(words)] if words else [])


def corpus_lines() -> list[str]:
    lines = [ln for name in KAZAKH for ln in (ROOT / name).read_text(encoding="utf-8").splitlines() if ln.strip()]
    return lines + [s for name in NER for s in ner_sentences(ROOT / name)]


def mixed_entries(words: list[str], n: int, seed: int) -> list[GlossaryEntry]:
    """Every kind of pattern: persons (surname, initials, reversed), places before a
    possessed head, quoted organisations with legal forms, variants, compound-only
    forms, terms in lower case, acronyms and Latin names, some not approved."""
    rng = random.Random(seed)
    caps = [w for w in words if w[:1].isupper() and w.isalpha()]
    lower = [w for w in words if w.islower() and w.isalpha()]
    acronyms = [w for w in words if w.isupper() and 2 <= len(w) <= 5]
    latin = [w for w in words if w.isascii() and w.isalpha()] or ["Siemens"]
    entries = []
    for i in range(n):
        r = rng.random()
        variants: tuple[str, ...] = ()
        if r < 0.25:
            kk, type_ = " ".join(rng.sample(caps, rng.choice((2, 2, 3)))), "person"
        elif r < 0.45:
            kk, type_ = f"{rng.choice(caps)} {rng.choice(HEADS)}", "place"
        elif r < 0.55:
            kk, type_ = f"«{' '.join(rng.sample(caps, rng.choice((1, 2))))}» {rng.choice(LEGAL)}", "org"
        elif r < 0.65:
            kk, type_ = rng.choice(caps), "place"
            variants = (rng.choice(acronyms or caps), rng.choice(lower).lower() + "-")
        elif r < 0.8:
            kk, type_ = " ".join(rng.sample(lower, rng.choice((1, 2, 3)))), "term"
        elif r < 0.9:
            kk, type_ = rng.choice(acronyms or caps), "org"
        else:
            kk, type_ = rng.choice(latin), "org"
        status = rng.choice(("approved", "proposed", "", "deprecated")) if rng.random() < 0.2 else "approved"
        entries.append(GlossaryEntry(id=f"m{i}", type=type_, kk=kk, en="x", de="x", ru="x",
                                     kk_variants=variants, status=status))
    return entries


def fixed_glossaries() -> Iterator[tuple[str, list[GlossaryEntry]]]:
    import csv
    import json

    yield "glossaries/", list(store.load_glossary().active())
    for name in ("full.tsv", "minimal.tsv"):
        yield f"tests/data/glossary/{name}", store.load_entries(ROOT / "tests/data/glossary" / name)
    for name in ("morphology.json", "morphology-rules.json"):
        cases = json.loads((ROOT / "tests/data/kk-nlp-cases" / name).read_text(encoding="utf-8"))
        yield name, [GlossaryEntry(id=g["kk"], type=g["type"], kk=g["kk"], en="x", de="x", ru="x")
                     for g in cases["glossary"]]
    with open(ROOT / "corpora/press-releases/aktobe-germany-2025/entities.tsv", encoding="utf-8") as f:
        yield "release entities", [GlossaryEntry(id=r["id"], type=r["type"], kk=r["kk"], en="x", de="x", ru="x")
                                   for r in csv.DictReader(f, delimiter="\t")]


def texts_for(entries: list[GlossaryEntry], lines: list[str], rng: random.Random, n_spliced: int) -> list[str]:
    """The corpus lines, some in capitals or lower case, plus lines with inflected
    glossary forms, coordinated names before a plural head and hyphenated compounds."""
    out = list(lines)
    out += [ln.upper() for ln in rng.sample(lines, min(300, len(lines)))]
    out += [ln.lower() for ln in rng.sample(lines, min(300, len(lines)))]
    kks = [e.kk for e in entries if e.kk.strip()] or ["Германия"]
    for _ in range(n_spliced):
        words = rng.choice(lines).split()
        for _ in range(rng.randint(1, 4)):
            kk = rng.choice(kks).split(" ")
            forms = sorted(inflections(kk[-1])) or [kk[-1]]
            term = " ".join([*kk[:-1], rng.choice(forms)])
            r = rng.random()
            if r < 0.1:
                term = term.upper()
            elif r < 0.2:  # names listed before one plural head
                heads = [k for k in kks if k.endswith(HEADS)]
                if heads:
                    names = [" ".join(rng.choice(heads).split()[:-1]) for _ in range(rng.randint(2, 3))]
                    plural = rng.choice(("облыстарында", "аудандарының", "қалаларына"))
                    term = rng.choice(JOINERS).join(names) + " " + plural
            elif r < 0.3:  # a hyphenated compound of two terms
                term = f"{rng.choice(kks).split()[-1]}-{rng.choice(kks).split()[0]}"
            words.insert(rng.randrange(len(words) + 1), term)
        out.append(" ".join(words))
    return out


def as_tuples(matches: list) -> list[tuple[str, str, int, int]]:
    """Matches of either module as plain tuples (their classes differ)."""
    return [(m.id, m.surface, m.start, m.end) for m in matches]


def compare(name: str, old_cls: type, entries: list[GlossaryEntry], texts: list[str], rng: random.Random) -> int:
    t0 = time.perf_counter()
    old = old_cls(entries)
    t1 = time.perf_counter()
    new = Matcher(entries)
    t2 = time.perf_counter()
    hits = 0
    order = list(range(len(texts)))
    for pass_ in ("cold", "warm"):
        for i in order:
            a, b = as_tuples(old.find(texts[i])), as_tuples(new.find(texts[i]))
            if a != b:
                print(f"DIFFERENCE ({name}, {pass_} pass) in: {texts[i]!r}\n old: {a}\n new: {b}")
                sys.exit(1)
            hits += len(a)
        rng.shuffle(order)
    print(f"{name}: {len(entries)} entries, {len(texts)} paragraphs x2, {hits} hits equal "
          f"(build old {t1 - t0:.2f} s, new {t2 - t1:.2f} s)", flush=True)
    return hits


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rev", default="main", help="git revision of the reference matcher")
    ap.add_argument("--quick", action="store_true", help="5,000-entry random glossaries and fewer lines")
    ap.add_argument("--seeds", type=int, default=3, help="random glossaries of each kind")
    args = ap.parse_args()
    old_cls = old_matcher_class(args.rev)
    rng = random.Random(0)
    lines = corpus_lines()
    words = bench.words_of("\n".join(lines))
    n = 5_000 if args.quick else 50_000
    sample = rng.sample(lines, 3000) if args.quick else lines
    for name, entries in fixed_glossaries():
        compare(name, old_cls, entries, texts_for(entries, sample, rng, 500), rng)
    for seed in range(args.seeds):
        entries = bench.glossary_entries(words, n, seed)
        compare(f"bench-style seed {seed}", old_cls, entries, texts_for(entries, sample, rng, 2000), rng)
        entries = mixed_entries(words, n, seed)
        compare(f"mixed seed {seed}", old_cls, entries, texts_for(entries, sample, rng, 2000), rng)
    print("all equal")


if __name__ == "__main__":
    main()
