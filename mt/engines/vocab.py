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

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
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
        if copyable(piece) and not is_special(piece) and " " not in piece:
            targets = sorted(copy_variants(piece, known) - fixed)
            if targets:
                rules.append((piece, targets))
    return rules


def vmap_text(fixed: set[str], rules: Sequence[tuple[str, Sequence[str]]]) -> str:
    """vmap.txt: an empty key line with the always-allowed pieces, then one line per rule."""
    lines = ["\t" + " ".join(sorted(fixed)), *(f"{key}\t{' '.join(values)}" for key, values in rules)]
    return "\n".join(lines) + "\n"
