"""Kazakh named entities: a linear-chain CRF trained on KazNERD.

The model (mt/data/ner/, CC BY 4.0 data, see ATTRIBUTION.md there) is trained by
mt.glossary.ner_train (`make ner`); nothing here trains. The features follow the CRF
recipe of the KazNERD authors (IS2AI/KazNERD, crf/), extended for an agglutinative
language: suffixes of 1-5 letters (case and possessive endings), the word's shape,
whether its lower-case form is a frequent lower-case word of the training text (a
capitalised common word at a sentence start is no name), whether it is inside «»
quotes, and the same for the neighbours.

`tag(tokens)` gives IOB2 labels; `entities(text)` gives spans with character offsets,
KazNERD type and a confidence (the smallest marginal probability of the tags of the
span's tokens)."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import pycrfsuite

from mt.errors import ModelError
from mt.glossary.match import tokenize
from mt.types import NamedEntity

MODEL_DIR = Path(__file__).resolve().parents[1] / "data" / "ner"
MODEL_FILE = MODEL_DIR / "kaznerd-crf.crfsuite"
COMMON_FILE = MODEL_DIR / "common-lower.txt"

_SENTENCE_END = frozenset(".!?…")
_OPEN_QUOTES = frozenset("«“„")
_CLOSE_QUOTES = frozenset("»”")
_SHAPE_RUNS = re.compile(r"(.)\1+")


def shape(word: str) -> str:
    """Capitals X, small letters x, digits d, other characters kept, runs collapsed:
    Қасым-Жомарт -> Xx-Xx, ҚР -> X, 2024-жылы -> d-x."""
    out = ["X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c for c in word]
    return _SHAPE_RUNS.sub(r"\1", "".join(out))


def _word_features(word: str, prefix: str, common: frozenset[str]) -> list[str]:
    low = word.lower()
    feats = [f"{prefix}w={low}", f"{prefix}shape={shape(word)}"]
    if low in common:
        feats.append(f"{prefix}common")
    if word[:1].isupper():
        feats.append(f"{prefix}cap")
    return feats


def _quote_state(tokens: Sequence[str]) -> list[bool]:
    """Whether each token is inside «...» quotes (quotes themselves are not)."""
    inside, depth = [], 0
    for tok in tokens:
        if tok in _CLOSE_QUOTES or (tok == '"' and depth):
            depth = max(0, depth - 1)
            inside.append(False)
        elif tok in _OPEN_QUOTES or tok == '"':
            inside.append(False)
            depth += 1
        else:
            inside.append(depth > 0)
    return inside


def features(tokens: Sequence[str], common: frozenset[str]) -> list[list[str]]:
    """CRF attributes of each token of a sentence."""
    quoted = _quote_state(tokens)
    out: list[list[str]] = []
    for i, word in enumerate(tokens):
        low = word.lower()
        feats = ["bias", *_word_features(word, "", common)]
        feats += [f"suf{n}={low[-n:]}" for n in range(1, 6) if len(low) > n]
        feats += [f"pre{n}={low[:n]}" for n in range(1, 4) if len(low) > n]
        if word.isupper() and len(word) > 1:
            feats.append("allcaps")
        if i == 0 or tokens[i - 1] in _SENTENCE_END or (
                tokens[i - 1] in _OPEN_QUOTES and (i == 1 or tokens[i - 2] in _SENTENCE_END)):
            feats.append("sent_start")
        if quoted[i]:
            feats.append("in_quotes")
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < len(tokens):
                feats += _word_features(tokens[j], f"{off:+d}:", common)
                if abs(off) == 1:
                    feats.append(f"{off:+d}:suf3={tokens[j].lower()[-3:]}")
            else:
                feats.append(f"{off:+d}:none")
        out.append(feats)
    return out


def read_common(path: Path = COMMON_FILE) -> frozenset[str]:
    """The frequent lower-case words of the training text, one a line."""
    return frozenset(line for line in path.read_text(encoding="utf-8").splitlines() if line)


class Recogniser:
    """The shipped CRF with its word list. One tagger, used under a lock: crfsuite's
    tagger keeps the last sequence in itself, so two threads must not share it at once."""

    def __init__(self, model: Path = MODEL_FILE, common: Path = COMMON_FILE) -> None:
        if not model.is_file() or not common.is_file():
            raise ModelError(f"the named-entity model is missing ({model})",
                             hint="reinstall mt, or run `make ner` in a checkout")
        self.common = read_common(common)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model))
        self._lock = threading.Lock()

    def tag(self, tokens: Sequence[str]) -> list[str]:
        if not tokens:
            return []
        with self._lock:
            return list(self._tagger.tag(features(tokens, self.common)))

    def tag_marginals(self, tokens: Sequence[str]) -> tuple[list[str], list[float]]:
        """IOB2 labels and the marginal probability of each label."""
        if not tokens:
            return [], []
        with self._lock:
            self._tagger.set(features(tokens, self.common))
            labels = list(self._tagger.tag())
            probs = [self._tagger.marginal(lab, i) for i, lab in enumerate(labels)]
        return labels, probs

    def name_marginals(self, tokens: Sequence[str], types: Sequence[str]
                       ) -> tuple[list[str], list[dict[str, float]]]:
        """IOB2 labels, and for each token the probability that it is part of a name of
        each of `types` (the sum of the marginals of the type's B- and I- labels)."""
        if not tokens:
            return [], []
        with self._lock:
            self._tagger.set(features(tokens, self.common))
            labels = list(self._tagger.tag())
            known = set(self._tagger.labels())
            probs = [{t: sum(self._tagger.marginal(f"{p}-{t}", i) for p in "BI" if f"{p}-{t}" in known)
                      for t in types} for i in range(len(tokens))]
        return labels, probs

    def entities(self, text: str) -> list[NamedEntity]:
        toks = tokenize(text)
        labels, probs = self.tag_marginals([t for _, _, t in toks])
        return [NamedEntity(toks[a][0], toks[b - 1][1], text[toks[a][0]:toks[b - 1][1]], type_,
                            min(probs[a:b]))
                for a, b, type_ in spans(labels)]


def spans(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """Token ranges [a, b) and types of the entities in IOB2 labels; an I- tag that
    does not continue an entity of its type starts one (the CRF may emit it)."""
    out: list[tuple[int, int, str]] = []
    start, type_ = -1, ""
    for i, lab in enumerate([*labels, "O"]):
        kind, _, name = lab.partition("-")
        if start >= 0 and (kind != "I" or name != type_):
            out.append((start, i, type_))
            start = -1
        if kind == "B" or (kind == "I" and start < 0):
            start, type_ = i, name
    return out


@lru_cache(maxsize=1)
def load() -> Recogniser:
    """The shipped recogniser, loaded once."""
    return Recogniser()


def tag(tokens: Sequence[str]) -> list[str]:
    """IOB2 labels (KazNERD types) for a tokenised Kazakh sentence."""
    return load().tag(tokens)


def entities(text: str) -> list[NamedEntity]:
    """Named entities in a Kazakh text with character offsets, type and confidence."""
    return load().entities(text)
