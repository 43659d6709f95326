"""Train the Kazakh named-entity CRF on KazNERD and score it (`make ner`).

Never imported at run time: mt.glossary.ner only loads what this writes.
Trains on the valid split (the training split, about 90,000 sentences, is not
shipped), scores on the test split with seqeval (entity level, exact match: IOB2,
strict mode) and writes mt/data/ner/ (model, word list), eval/ner/scores.json and the
table in eval/ner/README.md. The data checksums are checked first; L-BFGS starts from
zero weights and visits the data in file order, so the same data give the same model.

    python -m mt.glossary.ner_train [--max-iterations N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pycrfsuite

from mt.errors import InputError
from mt.glossary import ner

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "corpora" / "kaznerd"
TRAIN_FILE = DATA / "IOB2_valid.txt.xz"
TEST_FILE = DATA / "IOB2_test.txt.xz"
SCORES = ROOT / "eval" / "ner" / "scores.json"
README = ROOT / "eval" / "ner" / "README.md"
# sha256 of the uncompressed text (corpora/kaznerd/README.md): the .xz bytes depend on xz's version
CHECKSUMS = {
    "IOB2_valid.txt.xz": "29d584d1a0d9aca6d58b39eb8a93e154791d303ecff56ef93f12b3c889239bf1",
    "IOB2_test.txt.xz": "359a1f61f6a21280c6c47b4fde9a5adcd07411d62015aa6e32d940c51f163b7a",
}
# The KazNERD recipe's regularisation (crf/runCRF_KazNERD.py: c1 0.1, c2 0.01).
PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 300, "feature.possible_transitions": True}
# A word counts as common when it is seen this often in lower case, not at a sentence start.
COMMON_MIN = 3
# The types the scores report first; the model learns all 25.
MAIN_TYPES = ("PERSON", "ORGANISATION", "GPE", "LOCATION", "FACILITY")
# Sentences of the test split scored again by the test suite against the shipped model.
SLICE = 500

Sentence = tuple[list[str], list[str]]


def read_text(path: Path) -> str:
    """The uncompressed text of a split, after checking its sha256."""
    text = lzma.decompress(path.read_bytes())
    want = CHECKSUMS.get(path.name)
    if want and hashlib.sha256(text).hexdigest() != want:
        raise InputError("sha256 of the uncompressed data differs from corpora/kaznerd/README.md",
                         file=str(path), hint="restore the file from git")
    return text.decode("utf-8")


def parse_conll(text: str, name: str = "<text>") -> list[Sentence]:
    """CoNLL `token TAG` lines, blank line between sentences."""
    sents: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []
    for n, line in enumerate([*text.splitlines(), ""], 1):
        if not line.strip():
            if toks:
                sents.append((toks, tags))
            toks, tags = [], []
            continue
        parts = line.rsplit(" ", 1)
        if len(parts) != 2 or not re.fullmatch(r"O|[BI]-[A-Z_]+", parts[1]):
            raise InputError(f"expected 'token TAG', got {line!r}", file=name, line=n)
        toks.append(parts[0])
        tags.append(parts[1])
    return sents


def load_split(path: Path) -> list[Sentence]:
    return parse_conll(read_text(path), str(path))


def common_words(sents: Sequence[Sentence], min_count: int = COMMON_MIN) -> list[str]:
    """Lower-case words seen at least min_count times in lower case, not first in a sentence."""
    counts = Counter(tok for toks, _ in sents for tok in toks[1:]
                     if tok.islower() and any(c.isalpha() for c in tok))
    return sorted(w for w, c in counts.items() if c >= min_count)


def train(sents: Sequence[Sentence], model: Path, common: frozenset[str],
          params: dict[str, object] | None = None) -> None:
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for toks, tags in sents:
        trainer.append(ner.features(toks, common), tags)
    trainer.set_params({**PARAMS, **(params or {})})
    model.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model))


def predict(rec: ner.Recogniser, sents: Sequence[Sentence]) -> list[list[str]]:
    return [rec.tag(toks) for toks, _ in sents]


def score(gold: list[list[str]], pred: list[list[str]]) -> dict[str, dict[str, float]]:
    """Entity-level exact-match precision, recall, F1 and support per type, micro and macro."""
    # seqeval is a dev dependency (scoring only); imported here so that ner_train's
    # helpers stay importable without it
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    report = classification_report(gold, pred, mode="strict", scheme=IOB2, output_dict=True,
                                   zero_division=0)
    return {k: {m: round(float(v[m]), 4) if m != "support" else int(v[m])
                for m in ("precision", "recall", "f1-score", "support")}
            for k, v in report.items()}


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table(scores: dict[str, dict[str, float]]) -> str:
    """The per-type markdown table: the main types, then micro and macro averages."""
    rows = ["| type | precision | recall | F1 | support |", "| --- | ---: | ---: | ---: | ---: |"]
    for key in (*MAIN_TYPES, "micro avg", "macro avg"):
        s = scores[key]
        rows.append(f"| {key} | {s['precision'] * 100:.2f} | {s['recall'] * 100:.2f} | "
                    f"{s['f1-score'] * 100:.2f} | {s['support']} |")
    return "\n".join(rows)


def write_readme_table(text: str) -> None:
    """Replace the table between the README's markers."""
    readme = README.read_text(encoding="utf-8")
    new = re.sub(r"(<!-- scores -->\n).*?(<!-- /scores -->)", lambda m: m.group(1) + text + "\n" + m.group(2),
                 readme, flags=re.DOTALL)
    README.write_text(new, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--max-iterations", type=int, default=int(str(PARAMS["max_iterations"])))
    opts = args.parse_args(argv)
    train_sents, test_sents = load_split(TRAIN_FILE), load_split(TEST_FILE)
    common = common_words(train_sents)
    ner.COMMON_FILE.parent.mkdir(parents=True, exist_ok=True)
    ner.COMMON_FILE.write_text("".join(f"{w}\n" for w in common), encoding="utf-8")
    params = {"max_iterations": opts.max_iterations}
    print(f"training on {len(train_sents)} sentences, {len(common)} common words ...", flush=True)
    train(train_sents, ner.MODEL_FILE, frozenset(common), params)
    rec = ner.Recogniser()
    gold = [tags for _, tags in test_sents]
    pred = predict(rec, test_sents)
    scores = score(gold, pred)
    result = {
        "data": {"train": TRAIN_FILE.name, "test": TEST_FILE.name, "sha256": CHECKSUMS,
                 "train_sentences": len(train_sents), "test_sentences": len(test_sents)},
        "params": {**PARAMS, **params, "common_min": COMMON_MIN},
        "model": {"file": ner.MODEL_FILE.name, "sha256": sha256_file(ner.MODEL_FILE),
                  "bytes": ner.MODEL_FILE.stat().st_size},
        "scores": scores,
        "slice": {"sentences": SLICE, "scores": score(gold[:SLICE], pred[:SLICE])},
    }
    SCORES.parent.mkdir(parents=True, exist_ok=True)
    SCORES.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if README.is_file():
        write_readme_table(table(scores))
    print(table(scores))


if __name__ == "__main__":
    main()
