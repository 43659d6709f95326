"""Score `mt glossary suggest` on the names evaluation set (eval/names/README.md).

    .venv/bin/python eval/names/score.py [--gold DIR] [--json OUT]

DIR holds the releases (*.kk.txt) and their gold.tsv: eval/names/ (the default, the
set the rules were developed against) or eval/names/heldout/ (measured, never tuned on).

Runs the library behind the CLI (mt.glossary.names.find_unknown_names +
mt.glossary.proposals.propose_by_confidence, the project's glossaries/ as the known names;
the low-confidence rows the CLI sets apart on stderr are not counted as proposals) on every release
eval/names/*.kk.txt and compares the proposals with eval/names/gold.tsv. A proposal is
correct when its Kazakh form (span, as the lemma), type and English form all equal a
gold row of the same release. Prints precision, recall and F1 per type and overall, the
proposals that match no gold lemma, the ones with the right lemma but a wrong type or
English form, and flags proposals that are common words (written lower case in one of
the releases).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from mt.formats import read_release
from mt.glossary import morphology as morph
from mt.glossary import store
from mt.glossary.match import Matcher
from mt.glossary.names import find_unknown_names
from mt.glossary.proposals import propose_by_confidence
from mt.normalize import normalize_document
from mt.segment import segment_document

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold.tsv"
GLOSSARY = HERE.parent.parent / "glossaries"
TYPES = ("person", "place", "org")


@dataclass(frozen=True)
class Proposal:
    release: str
    kk: str
    type: str
    en: str


def norm(text: str) -> str:
    return " ".join(text.split())


def load_gold(path: Path = GOLD) -> list[dict[str, str]]:
    """The gold rows of a set (a gold.tsv file)."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def releases(folder: Path = HERE) -> dict[str, str]:
    """Release name (file name without .kk.txt) -> its text, for the releases in `folder`."""
    return {p.name.removesuffix(".kk.txt"): p.read_text(encoding="utf-8")
            for p in sorted(folder.glob("*.kk.txt"))}


def propose(release_file: Path, matcher: Matcher) -> list[Proposal]:
    """What `mt glossary suggest FILE` proposes (the CLI reads, normalises and segments alike)."""
    segments = segment_document(normalize_document(read_release(str(release_file))))
    name = release_file.name.removesuffix(".kk.txt")
    sure, _low = propose_by_confidence(find_unknown_names(segments, matcher))
    return [Proposal(name, e.kk, e.type, e.en) for e in sure]


def common_word(kk: str, texts: list[str]) -> bool:
    """The proposal written lower case somewhere in the set: as it is (биылғы), or for one
    word, as the stem of an inflected lower-case word (Ай: айында, Сау: сауда)."""
    low = kk.lower()
    if low == kk:
        return False
    if " " in low:
        return any(re.search(rf"(?<!\w){re.escape(low)}(?!\w)", t) for t in texts)
    return any(w == low or morph.strip_case(w) == low for t in texts for w in re.findall(r"\w+", t)
               if w.islower())


def prf(tp: int, proposed: int, gold: int) -> dict[str, float]:
    p = tp / proposed if proposed else 0.0
    r = tp / gold if gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score(proposals: list[Proposal], gold: list[dict[str, str]], texts: list[str]) -> dict:
    keyed = {(g["release"], norm(g["lemma"])): g for g in gold}
    tp: Counter[str] = Counter()
    n_prop: Counter[str] = Counter()
    n_gold = Counter(g["type"].strip().lower() for g in gold)
    not_names, wrong, common = [], [], []
    for p in proposals:
        ptype = p.type.strip().lower()
        n_prop[ptype] += 1
        g = keyed.get((p.release, norm(p.kk)))
        if g is None:
            not_names.append(p)
        elif g["type"].strip().lower() == ptype and norm(g["en"]) == norm(p.en):
            tp[ptype] += 1
        else:
            wrong.append((p, g))
        if common_word(p.kk, texts):
            common.append(p)
    types = sorted(set(TYPES) | set(n_prop) | set(n_gold))
    per_type = {t: {"gold": n_gold[t], "proposed": n_prop[t], "correct": tp[t],
                    **prf(tp[t], n_prop[t], n_gold[t])} for t in types}
    total = {"gold": len(gold), "proposed": len(proposals), "correct": sum(tp.values()),
             **prf(sum(tp.values()), len(proposals), len(gold))}
    return {"per_type": per_type, "overall": total,
            "not_names": [vars(p) for p in not_names],
            "wrong_type_or_form": [{**vars(p), "gold_type": g["type"], "gold_en": g["en"]} for p, g in wrong],
            "common_words": [vars(p) for p in common]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=HERE,
                    help="folder with the releases (*.kk.txt) and gold.tsv (default: eval/names/)")
    ap.add_argument("--json", type=Path, help="also write the figures and lists as JSON here")
    args = ap.parse_args(argv)
    if not (args.gold / "gold.tsv").is_file():
        print(f"error: {args.gold / 'gold.tsv'}: no such file; give --gold a folder with gold.tsv "
              "and its releases", file=sys.stderr)
        return 2
    texts = releases(args.gold)
    matcher = Matcher(store.load_glossary([str(GLOSSARY)]).active())
    proposals = [p for name in texts for p in propose(args.gold / f"{name}.kk.txt", matcher)]
    result = score(proposals, load_gold(args.gold / "gold.tsv"), list(texts.values()))
    print(f"{'type':8} {'gold':>5} {'prop':>5} {'ok':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for t, s in [*result["per_type"].items(), ("overall", result["overall"])]:
        print(f"{t:8} {s['gold']:5} {s['proposed']:5} {s['correct']:5} "
              f"{s['precision']:6.1%} {s['recall']:6.1%} {s['f1']:6.1%}")
    gold = load_gold(args.gold / "gold.tsv")
    foreign = sum(g["detail"].startswith(("person.foreign", "person.east-asian")) for g in gold)
    print(f"\n{foreign} gold rows are foreign persons (set apart as low-confidence when their "
          "spelling is unknown; they count against recall all the same)")
    print(f"\nnot names ({len(result['not_names'])}):")
    for p in result["not_names"]:
        print(f"  {p['release']}\t{p['type']}\t{p['kk']}\t{p['en']}")
    print(f"\nright lemma, wrong type or English form ({len(result['wrong_type_or_form'])}):")
    for p in result["wrong_type_or_form"]:
        print(f"  {p['release']}\t{p['kk']}\t{p['type']} {p['en']!r} (gold {p['gold_type']} {p['gold_en']!r})")
    print(f"\ncommon words proposed ({len(result['common_words'])}):")
    for p in result["common_words"]:
        print(f"  {p['release']}\t{p['kk']}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
