"""The target vocabulary an engine may restrict its output layer to (CTranslate2 calls
it a vocabulary map): the subword pieces that German, English and Russian text in the
shipped corpora uses, the glossary's target terms, language tokens, short pieces that
can spell anything, and, per request, the pieces a translation may copy from the
source (numbers, Latin and Cyrillic names).

Shared by the transformers engine (HFEngine.restrict_vocabulary) and the CTranslate2
engine (vmap.txt), so both restrict to the same set. Imports neither torch nor
ctranslate2; the tokenizer comes in as an `encode_many` function (texts -> pieces).

Risk: a target word whose pieces are neither in the set nor copyable from the source
cannot be produced as the unrestricted model would; it is spelled from shorter pieces
(always allowed), which the model may score lower. Agreement with the unrestricted
model is measured in tests/test_engines.py and tests/test_ct2.py.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import mt
from mt import languages

EncodeMany = Callable[[list[str]], list[list[str]]]

# Target-language text shipped in corpora/ (see corpora/*/README.md).
CORPUS_TARGETS: dict[str, tuple[str, ...]] = {
    lang: (f"flores200/dev/{code}.dev", f"flores200/devtest/{code}.devtest", ntrex,
           f"press-releases/aktobe-germany-2025/segments.{lang}")
    for lang, code, ntrex in (("de", "deu_Latn", "ntrex128/newstest2019-ref.deu.txt"),
                              ("en", "eng_Latn", "ntrex128/newstest2019-src.eng.txt"),
                              ("ru", "rus_Cyrl", "ntrex128/newstest2019-ref.rus.txt"))
}


def default_corpora() -> Path:

    return Path(mt.__file__).resolve().parents[1] / "corpora"


def corpus_texts(corpora: Path | None = None, langs: Sequence[str] = ("de", "en", "ru")) -> list[str]:
    """Lines of the shipped target-language corpora for `langs` (missing files skipped)."""
    root = Path(corpora) if corpora else default_corpora()
    lines: list[str] = []
    for lang in langs:
        for name in CORPUS_TARGETS.get(lang, ()):
            path = root / name
            if path.is_file():
                lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def glossary_terms(entries: Iterable, langs: Sequence[str] = ("de", "en", "ru")) -> list[str]:
    """Target terms and variants of glossary entries (mt.types.GlossaryEntry)."""
    return [term for entry in entries for lang in langs
            for term in (entry.target(lang), *entry.variants(lang)) if term]


def is_special(piece: str) -> bool:
    """Special and language tokens of the supported families."""
    return (piece in ("<s>", "</s>", "<pad>", "<unk>") or piece.startswith("madeupword")
            or (piece.startswith(">>") and piece.endswith("<<"))
            or (piece.startswith("<2") and piece.endswith(">"))
            or bool(re.fullmatch(r"[a-z]{3}_[A-Z][a-z]{3}|__[a-z]{2,3}__", piece)))


@functools.lru_cache(maxsize=65536)
def copyable(piece: str) -> bool:
    """Pieces a translation may copy from the source: letters/digits, every letter in
    Latin or Cyrillic script (names, numbers, abbreviations)."""
    core = piece.lstrip("▁")
    return bool(core) and any(ch.isdigit() or ch.isalpha() for ch in core) and all(
        not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") or "CYRILLIC" in unicodedata.name(ch, "")
        for ch in core)


def always(piece: str) -> bool:
    """Pieces kept whatever the corpora say: punctuation, digits and one- or two-letter
    Latin/Cyrillic pieces, so an unseen name or number can still be spelled."""
    core = piece.lstrip("▁")
    if not core:
        return True
    if all(not ch.isalnum() for ch in core) and len(core) <= 3:
        return True
    return len(core) <= 2 and copyable(piece)


def language_tokens(family: str) -> set[str]:
    """Every language token `family` has in our language table."""
    return {languages.token_for(family, code)
            for lang in languages.LANGUAGES for code in languages.language(lang).codes(family)}


def allowed_pieces(vocabulary: Iterable[str], encode_many: EncodeMany, texts: Iterable[str],
                   extra: Iterable[str] = (), chunk: int = 2048) -> set[str]:
    """The always-allowed pieces: those of `texts` (corpora + glossary terms), `extra`
    (language and special tokens), and the `always` pieces of `vocabulary`; restricted
    to `vocabulary` and without pieces holding a space or tab (vmap.txt separators)."""
    vocabulary = list(vocabulary)
    known = set(vocabulary)
    fixed: set[str] = set(extra)
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) >= chunk:
            fixed.update(p for pieces in encode_many(batch) for p in pieces)
            batch = []
    if batch:
        fixed.update(p for pieces in encode_many(batch) for p in pieces)
    fixed.update(p for p in vocabulary if always(p))
    return {p for p in fixed & known if " " not in p and "\t" not in p}


def copy_variants(piece: str, known: set[str]) -> set[str]:
    """`piece` and its forms with and without the word-start mark ("▁Siemens" in the
    source may be "Siemens" after a quote mark, and back), where the vocabulary has them."""
    core = piece.lstrip("▁")
    return {piece, core, "▁" + core} & known


def copy_rules(vocabulary: Iterable[str], fixed: set[str]) -> list[tuple[str, list[str]]]:
    """(source piece, target pieces it allows) for every copyable piece whose variants
    are not already always allowed (CTranslate2's vmap.txt rule lines)."""
    vocabulary = list(vocabulary)
    known = set(vocabulary)
    rules = []
    for piece in vocabulary:
        if copyable(piece) and not is_special(piece) and not is_alias(piece) and " " not in piece:
            targets = sorted(copy_variants(piece, known) - fixed)
            if targets:
                rules.append((piece, targets))
    return rules


def vmap_text(fixed: set[str], rules: Sequence[tuple[str, Sequence[str]]],
              keyed: Mapping[str, Iterable[str]] | None = None) -> str:
    """vmap.txt: an empty key line with the always-allowed pieces, then one line per
    language key (the pieces one target language adds, see language_key), then one line
    per copy rule."""
    lines = ["\t" + " ".join(sorted(fixed)),
             *(f"{key}\t{' '.join(sorted(values))}" for key, values in (keyed or {}).items()),
             *(f"{key}\t{' '.join(values)}" for key, values in rules)]
    return "\n".join(lines) + "\n"


# -- per-language maps ------------------------------------------------------------------------
#
# CTranslate2 picks a batch's candidates from its source tokens only (VocabularyMap::
# get_candidates: the "" line, the rules of every source token and n-gram, the forced
# prefix). A per-language map therefore needs a source token that names the target:
# MADLAD's <2de> and multi-target Opus-MT's >>deu<< are one; NLLB and M2M100 name only
# the source language, so mt's converter adds one alias of the source token per target
# (kaz_Cyrl@deu_Latn), whose embedding row is a copy of kaz_Cyrl's: the encoder computes
# exactly what it computes for kaz_Cyrl, and the alias keys that target's line of vmap.txt.

ALIAS_MARK = "@"


def alias_token(source_token: str, target_token: str) -> str:
    """The source-language token that also names the target: kaz_Cyrl@deu_Latn."""
    return f"{source_token}{ALIAS_MARK}{target_token}"


def is_alias(piece: str) -> bool:
    """A source alias (kaz_Cyrl@deu_Latn): a key of the map, never an output candidate."""
    first, mark, second = piece.partition(ALIAS_MARK)
    return bool(mark) and is_special(first) and is_special(second)


def alias_pairs(family: str, targets: Iterable[str] = tuple(CORPUS_TARGETS)) -> list[tuple[str, str]]:
    """(source token, target token) for every source language in our table and every
    target with shipped corpora, for the families whose source does not name the target."""
    if family not in languages.TARGET_IN_DECODER:
        return []
    pairs = []
    for src in languages.LANGUAGES:
        for tgt in targets:
            if src != tgt:
                for s in languages.language(src).codes(family):
                    pairs += [(languages.token_for(family, s), languages.token_for(family, t))
                              for t in languages.language(tgt).codes(family)]
    return pairs


def language_key(family: str, markers: Sequence[str], target_token: str | None,
                 aliases: Iterable[str]) -> str | None:
    """The source token that keys a target language's line of vmap.txt: the target
    marker in the source (MADLAD, multi-target Opus-MT) or the source token's alias for
    the target (NLLB, M2M100, folders converted with aliases); None when there is none."""
    if family in languages.TARGET_IN_DECODER:
        if not markers or target_token is None:
            return None
        alias = alias_token(markers[0], target_token)
        return alias if alias in set(aliases) else None
    return markers[0] if markers else None


def needs_full_vocabulary(pieces: Iterable[str], allowed: frozenset[str] | set[str]) -> bool:
    """Whether a source row holds a piece its language's map cannot give back: neither
    allowed nor copyable (a copy rule covers Latin, Cyrillic and digits), nor punctuation
    and short pieces (always allowed). A glossary term written into the source in another
    script (Greek, Chinese ...) is the case: that row is translated with the whole
    vocabulary, so the model may copy it."""
    return any(p not in allowed and not copyable(p) and not always(p) and not is_special(p) for p in pieces)
