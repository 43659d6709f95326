"""Score mt's QA checks on the planted-fault set (eval/qa/planted.tsv, issue 26).

Every row is one translated sentence (kind `seg`) or one human translation in the memory
(kind `tm`); rows with the same `release` and `lang` are checked together, as one release
(the consistency check compares them). A row with a `check` holds exactly one planted
fault: that check must report it on that row (recall). A row without one is a correct
translation: no check may report anything on it (false alarms).

    .venv/bin/python eval/qa/score_planted.py [--json OUT] [--checks a,b]

Glossary: glossaries/ and eval/qa/glossary.tsv (a do-not-translate entry). Exit 1 unless
recall is 100% and the clean rows raise nothing."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

from mt.glossary.store import load_glossary
from mt.qa import CHECKS, run_checks

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def load_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def score(rows: list[dict[str, str]], checks: list[str] | None = None) -> dict:
    # The glossary check (a required form missing) is not part of this set: a correct
    # translation may render a term another way (Хромтауский район), which it reports.
    checks = checks or [c for c in CHECKS if c != "glossary"]
    entries = load_glossary([ROOT / "glossaries", HERE / "glossary.tsv"]).active()
    groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        groups[(row["release"], row["lang"])].append(row)
    per_check: dict[str, dict[str, int]] = defaultdict(lambda: {"planted": 0, "found": 0})
    missed, false_alarms = [], []
    for (_, lang), group in groups.items():
        segs = [r for r in group if r["kind"] == "seg"]
        memory = [(r["source"], r["target"]) for r in group if r["kind"] == "tm"]
        found = run_checks([r["source"] for r in segs], [r["target"] for r in segs], "kk", lang,
                           entries=entries, checks=checks, memory=memory)
        by_segment: dict[int, set[str]] = defaultdict(set)
        for f in found:
            by_segment[f.segment].add(f.check)
        for i, row in enumerate(segs):
            raised = by_segment[i]
            if row["check"]:
                if checks is not None and row["check"] not in checks:
                    continue
                per_check[row["check"]]["planted"] += 1
                if row["check"] in raised:
                    per_check[row["check"]]["found"] += 1
                else:
                    missed.append({"id": row["id"], "check": row["check"], "raised": sorted(raised)})
            elif raised:
                messages = [f"{f.check}: {f.message}" for f in found if f.segment == i]
                false_alarms.append({"id": row["id"], "raised": messages})
    planted = sum(c["planted"] for c in per_check.values())
    hit = sum(c["found"] for c in per_check.values())
    clean = sum(1 for r in rows if r["kind"] == "seg" and not r["check"])
    return {"recall": hit / planted if planted else 1.0, "planted": planted, "found": hit,
            "clean_rows": clean, "false_alarms": false_alarms, "missed": missed,
            "per_check": dict(sorted(per_check.items()))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tsv", type=Path, default=HERE / "planted.tsv")
    parser.add_argument("--json", type=Path, help="write the result as JSON here")
    parser.add_argument("--checks", help="comma-separated check ids (default: all)")
    args = parser.parse_args()
    checks = [c for c in args.checks.split(",") if c] if args.checks else None
    result = score(load_rows(args.tsv), checks)
    for check, c in result["per_check"].items():
        print(f"{check:15} {c['found']}/{c['planted']}")
    print(f"recall {result['recall']:.1%} ({result['found']}/{result['planted']}); "
          f"clean rows {result['clean_rows']}, with findings {len(result['false_alarms'])}")
    for m in result["missed"]:
        print(f"missed {m['id']} ({m['check']}); raised {m['raised']}")
    for fa in result["false_alarms"]:
        print(f"false alarm {fa['id']}: {fa['raised']}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if result["recall"] == 1.0 and not result["false_alarms"] else 1


if __name__ == "__main__":
    sys.exit(main())
