"""Count mt's QA findings on machine translations of test sets (issue 26's false-alarm
measure), and write a random sample of them per check for labelling by hand.

    .venv/bin/python eval/qa/count_findings.py OUTPUTS_DIR [--sample OUT.jsonl] [--per-check 40]

OUTPUTS_DIR holds model outputs named like the External-MT-leaderboard's
(`flores200-devtest.kaz-eng.output`, `flores101-devtest.kaz-deu.output`,
`ntrex128.kaz-rus.output`, one translation per line); the Kazakh sources come from this
repository's corpora/ (FLORES-200 devtest, NTREX-128). Each file is checked as one
release with glossaries/ (the consistency check compares its lines). The sample holds
text of the outputs: keep it out of the repository."""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from mt.glossary.store import load_glossary
from mt.qa import CHECKS, run_checks

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCES = {"flores200-devtest": ROOT / "corpora/flores200/devtest/kaz_Cyrl.devtest",
           "flores101-devtest": ROOT / "corpora/flores200/devtest/kaz_Cyrl.devtest",
           "ntrex128": ROOT / "corpora/ntrex128/newstest2019-ref.kaz.txt"}
LANGS = {"eng": "en", "deu": "de", "rus": "ru"}
NEW = ("consistency", "brackets", "spacing", "nbsp", "acronyms", "forbidden", "invented-name", "omission")


def outputs(folder: Path) -> list[tuple[str, str, Path]]:
    found = []
    for path in sorted(folder.rglob("*.output")):
        name, pair = path.name.split(".")[:2]
        lang = LANGS.get(pair.split("-")[-1])
        if name in SOURCES and lang and pair.startswith("kaz-"):
            found.append((f"{path.parent.name}/{name}", lang, path))
    return found


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def print_labels(path: Path) -> None:
    """Labelled findings and false alarms per check and language."""
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    table: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row in rows:
        table[(row["check"], row["lang"])][row["verdict"]] += 1
        table[(row["check"], "all")][row["verdict"]] += 1
    print("\ncheck\tlang\tlabelled\tfalse alarms")
    for (check, lang), c in sorted(table.items()):
        total = sum(c.values())
        print(f"{check}\t{lang}\t{total}\t{c['false-alarm']} ({c['false-alarm'] / total:.0%})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outputs", type=Path)
    parser.add_argument("--sample", type=Path, help="write a sample of findings per check (JSONL) here")
    parser.add_argument("--per-check", type=int, default=40)
    parser.add_argument("--seed", type=int, default=26)
    parser.add_argument("--labels", type=Path, help="labels by hand (eval/qa/labels.tsv): false alarms per check and language")
    args = parser.parse_args()
    entries = load_glossary([ROOT / "glossaries"]).active()
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    segments: Counter[tuple[str, str]] = Counter()
    pool: dict[str, list[dict[str, object]]] = defaultdict(list)
    for name, lang, path in outputs(args.outputs):
        name = name.split("/")[1] + " " + name.split("/")[0]
        sources, hyps = lines(SOURCES[name.split()[0]]), lines(path)
        segments[(name, lang)] = len(hyps)
        checks = [c for c in CHECKS if c != "glossary"]
        for f in run_checks(sources, hyps, "kk", lang, entries=entries, checks=checks):
            counts[(name, lang)][f.check] += 1
            if f.check in NEW:
                pool[f.check].append({"set": name, "lang": lang, "line": f.segment + 1, "check": f.check,
                                      "message": f.message, "source": sources[f.segment], "target": hyps[f.segment]})
    print("set\tlang\tsegments\t" + "\t".join(NEW))
    for (name, lang), counter in sorted(counts.items()):
        print(f"{name}\t{lang}\t{segments[(name, lang)]}\t" + "\t".join(str(counter[c]) for c in NEW))
    if args.labels:
        print_labels(args.labels)
    if args.sample:
        rng = random.Random(args.seed)
        with open(args.sample, "w", encoding="utf-8") as out:
            for check in NEW:
                items = pool[check]
                for item in rng.sample(items, min(args.per_check, len(items))):
                    out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
