"""The vocabulary map (vmap.txt) of a converted folder: the target tokens de/en/ru use,
so CTranslate2 computes the output layer for those rows only."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from mt.engines import vocab as vocab_sets
from mt.engines.ct2_folder import SPECIALS_FIRST, VMAP_FILE, Pieces, front_token, model_vocabulary, read_meta
from mt.errors import ModelError


def build_vmap(folder: Path, target_texts: Iterable[str], terms: Iterable[str] = (),
               out: Path | None = None) -> dict:
    """Write CTranslate2's vocabulary map (vmap.txt) for a converted model.

    Always allowed ("" line): the pieces of `target_texts` (the shipped de/en/ru corpora),
    of glossary target `terms`, the language tokens, punctuation, digits and one- or
    two-letter Latin/Cyrillic pieces. Copy rules (token -> itself): every Latin/Cyrillic/
    digit piece, so a name or number in the source stays producible. Risk: a target word
    whose pieces are neither seen in the corpora nor copyable from the source must be
    spelled from shorter pieces, which the model may score lower than the unrestricted
    choice; agreement is measured in tests/test_ct2.py and eval/bench.py.
    Returns counts (vocabulary, always-allowed, copy rules)."""
    folder = Path(folder)
    meta = read_meta(folder)
    pieces = Pieces(folder, meta["family"])
    vocabulary = model_vocabulary(folder)
    if meta.get("vocabulary_order") != SPECIALS_FIRST:
        raise ModelError(f"{folder} was converted without mt's vocabulary order, which a vocabulary "
                         "map needs with CTranslate2 4.8", hint="convert it again with `mt models convert`")
    front = {p for p in vocabulary if front_token(p)}
    fixed = vocab_sets.allowed_pieces(vocabulary, pieces.encode_many, [*target_texts, *terms],
                                      vocab_sets.language_tokens(meta["family"]) | front)
    rules = vocab_sets.copy_rules(vocabulary, fixed)
    out = Path(out) if out else folder / VMAP_FILE
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(vocab_sets.vmap_text(fixed, rules), encoding="utf-8")
    os.replace(tmp, out)
    return {"vocabulary": len(vocabulary), "always": len(fixed), "copy_rules": len(rules)}


def build_corpus_vmap(folder: Path, corpora: Path, langs: Sequence[str] = ("de", "en", "ru"),
                      entries: Iterable = ()) -> dict:
    """build_vmap from the shipped corpora's `langs` text plus the target terms (and
    variants) of glossary `entries` (mt.types.GlossaryEntry)."""
    texts = vocab_sets.corpus_texts(Path(corpora), langs)
    if not texts:
        raise ModelError(f"no target-language text under {corpora} for a vocabulary map",
                         hint="expected corpora/flores200, corpora/ntrex128 and corpora/press-releases")
    return build_vmap(folder, texts, vocab_sets.glossary_terms(entries, langs))
