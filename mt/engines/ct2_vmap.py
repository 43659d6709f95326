"""The vocabulary map (vmap.txt) of a converted folder: the target tokens de/en/ru use,
so CTranslate2 computes the output layer for those rows only."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from mt import languages
from mt.engines import vocab as vocab_sets
from mt.engines.ct2_folder import SPECIALS_FIRST, VMAP_FILE, Pieces, front_token, model_vocabulary, read_meta
from mt.errors import ModelError


def build_vmap(folder: Path, target_texts: Iterable[str] | Mapping[str, Iterable[str]],
               terms: Iterable[str] | Mapping[str, Iterable[str]] = (), out: Path | None = None) -> dict:
    """Write CTranslate2's vocabulary map (vmap.txt) for a converted model.

    Always allowed ("" line): the language tokens, punctuation, digits and one- or
    two-letter Latin/Cyrillic pieces. Given texts and terms per target language (a
    mapping) and a folder whose source rows can name the target (language_keys), each
    language gets a line of its own, keyed on that source token, with the pieces of its
    texts and terms: a batch of German rows computes the output layer over the German
    pieces only. Otherwise (a plain list, or a model without language keys) the pieces of
    all texts and terms go into the "" line, one map for every language.
    Copy rules (token -> itself): every Latin/Cyrillic/digit piece, so a name or number in
    the source stays producible. Risk: a target word whose pieces are neither seen in the
    corpora nor copyable from the source must be spelled from shorter pieces, which the
    model may score lower than the unrestricted choice; agreement is measured in
    tests/test_ct2.py and eval/bench.py.
    Returns counts (vocabulary, always-allowed, copy rules, and per language the
    pieces its map allows)."""
    folder = Path(folder)
    meta = read_meta(folder)
    pieces = Pieces(folder, meta["family"])
    vocabulary = model_vocabulary(folder)
    if meta.get("vocabulary_order") != SPECIALS_FIRST:
        raise ModelError(f"{folder} was converted without mt's vocabulary order, which a vocabulary "
                         "map needs with CTranslate2 4.8", hint="convert it again with `mt models convert`")
    front = {p for p in vocabulary if front_token(p)}
    extra = vocab_sets.language_tokens(meta["family"]) | front
    by_lang = _by_language(target_texts, terms)
    keys = language_keys(meta, set(vocabulary), list(by_lang)) if by_lang else {}
    keyed: dict[str, set[str]] = {}
    counts: dict = {"vocabulary": len(vocabulary)}
    if by_lang and all(keys.get(lang) for lang in by_lang):
        fixed = vocab_sets.allowed_pieces(vocabulary, pieces.encode_many, [], extra)
        for lang, texts in by_lang.items():
            own = vocab_sets.allowed_pieces(vocabulary, pieces.encode_many, texts, extra) - fixed
            counts[f"always_{lang}"] = len(fixed | own)
            for key in keys[lang]:
                keyed[key] = own
    else:
        texts = [t for lines in by_lang.values() for t in lines] if by_lang else [*target_texts, *terms]
        fixed = vocab_sets.allowed_pieces(vocabulary, pieces.encode_many, texts, extra)
    rules = vocab_sets.copy_rules(vocabulary, fixed)
    out = Path(out) if out else folder / VMAP_FILE
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(vocab_sets.vmap_text(fixed, rules, keyed), encoding="utf-8")
    os.replace(tmp, out)
    return {**counts, "always": len(fixed), "copy_rules": len(rules), "per_language": bool(keyed)}


def _by_language(target_texts: Iterable[str] | Mapping[str, Iterable[str]],
                 terms: Iterable[str] | Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """{lang: texts + terms} when the texts come per language, else {}."""
    if not isinstance(target_texts, Mapping):
        return {}
    term_map = terms if isinstance(terms, Mapping) else {}
    return {lang: [*texts, *term_map.get(lang, ())] for lang, texts in target_texts.items()}


def language_keys(meta: dict, vocabulary: set[str], langs: Sequence[str]) -> dict[str, list[str]]:
    """The source tokens that name each target language in this folder's rows: its
    aliases of source tokens (NLLB, M2M100) or its target markers (MADLAD, multi-target
    Opus-MT); none for a single-pair model or a folder converted without aliases."""
    family = meta["family"]
    aliases = list(meta.get("source_aliases") or ())
    keys: dict[str, list[str]] = {}
    for lang in langs:
        tokens = {languages.token_for(family, c) for c in languages.language(lang).codes(family)}
        if family in languages.TARGET_IN_DECODER:
            keys[lang] = [a for a in aliases if a.partition(vocab_sets.ALIAS_MARK)[2] in tokens]
        else:
            keys[lang] = sorted(t for t in tokens if t in vocabulary)
    return keys


def build_corpus_vmap(folder: Path, corpora: Path, langs: Sequence[str] = ("de", "en", "ru"),
                      entries: Iterable = ()) -> dict:
    """build_vmap from the shipped corpora's `langs` text plus the target terms (and
    variants) of glossary `entries` (mt.types.GlossaryEntry), a map per language where
    the folder's rows can name the target."""
    entries = list(entries)
    texts = {lang: vocab_sets.corpus_texts(Path(corpora), [lang]) for lang in langs}
    if not any(texts.values()):
        raise ModelError(f"no target-language text under {corpora} for a vocabulary map",
                         hint="expected corpora/flores200, corpora/ntrex128 and corpora/press-releases")
    terms = {lang: vocab_sets.glossary_terms(entries, [lang]) for lang in langs}
    return build_vmap(folder, texts, terms)
