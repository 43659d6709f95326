"""Over-long sentences: split at clause boundaries (then words, then characters) so
every piece fits the model, and rejoin the translated pieces (with what happened to
them: split, cut at the length limit). Pure functions shared by
the transformers and CTranslate2 engines, so both cut a sentence into the same pieces."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

from mt.types import EngineResult, Note

log = logging.getLogger("mt.engines")

# After , ; : followed by space (so 2,5 and 10:00 stay whole), or before a spaced dash.
CLAUSE = re.compile(r"(?<=[,;:])\s+|\s+(?=[–—-]\s)")
LEVELS = ("clauses", "words", "characters")
SPECIAL_MARGIN = 3  # language/prefix token + </s> + one spare


def split_note(tokens: int, limit: int, pieces: int, how: str) -> Note:
    """The note a sentence gets when it was translated in pieces; a QA warning."""
    return Note("split", f"{tokens} tokens exceed the model's {limit}-token limit: translated in {pieces} "
                f"pieces split at {how}; check the joins", check="long-sentence-split")


def truncated_note(limit: int) -> Note:
    return Note("truncated", f"output reached max_length={limit} tokens without ending; "
                "raise --max-length if it is cut")


def split_long(text: str, count: Callable[[str], int], limit: int) -> tuple[list[str], str]:
    """`text` as pieces of at most `limit` tokens (by `count`) and the finest level
    needed: "whole" when it fits, else "clauses", "words" or "characters". Nothing is
    dropped: the pieces joined by spaces give back the words of `text`."""
    text = text.strip()
    if not text:
        return [], "whole"
    if count(text) <= limit:
        return [text], "whole"
    return _pack(CLAUSE.split(text), "clauses", count, limit)


def plan(sentences: Sequence[str], count: Callable[[str], int],
         limit: int) -> tuple[list[str], list[int], list[tuple[Note, ...]]]:
    """Pieces to translate, the sentence each belongs to, and each sentence's notes (a
    split note where it had to be split). Empty sentences have no piece."""
    pieces: list[str] = []
    owners: list[int] = []
    notes: list[tuple[Note, ...]] = []
    for i, sentence in enumerate(sentences):
        parts, how = split_long(sentence, count, limit)
        if how != "whole":
            tokens = count(sentence.strip())
            notes.append((split_note(tokens, limit, len(parts), how),))
            log.warning("a %d-token sentence exceeds the model's %d-token limit; translated as %d pieces "
                        "split at %s", tokens, limit, len(parts), how)
        else:
            notes.append(())
        pieces.extend(parts)
        owners.extend([i] * len(parts))
    return pieces, owners, notes


def rejoin(results: Sequence[EngineResult], owners: Sequence[int],
           notes: Sequence[tuple[Note, ...]]) -> list[EngineResult]:
    """Translated pieces back into one result per sentence (len(notes) of them);
    owners[i] is the sentence of piece i. A sentence keeps its own notes and those of
    its pieces, each once."""
    texts: list[list[str]] = [[] for _ in notes]
    kept: list[list[Note]] = [list(n) for n in notes]
    for owner, result in zip(owners, results, strict=True):
        if result.text:
            texts[owner].append(result.text)
        kept[owner].extend(n for n in result.notes if n not in kept[owner])
    return [EngineResult(" ".join(t), tuple(n)) for t, n in zip(texts, kept)]


def _pack(parts: list[str], level: str, count: Callable[[str], int], limit: int) -> tuple[list[str], str]:
    """Greedily join consecutive parts while they fit; a part still too long is split at
    spaces, and a single giant word at characters."""
    pieces: list[str] = []
    current = ""
    needed = level
    for part in parts:
        joined = f"{current} {part}" if current else part
        if count(joined) <= limit:
            current = joined
            continue
        if current:
            pieces.append(current)
        if count(part) <= limit:
            current = part
            continue
        if level == "clauses":
            sub, finer = _pack(part.split(), "words", count, limit)
        else:
            sub, finer = _chars(part, count, limit), "characters"
        needed = max(needed, finer, key=LEVELS.index)
        pieces.extend(sub[:-1])
        current = sub[-1]
    if current:
        pieces.append(current)
    return pieces, needed


def _chars(word: str, count: Callable[[str], int], limit: int) -> list[str]:
    size = max(1, len(word) * limit // max(1, count(word)))
    while size > 1 and any(count(word[i:i + size]) > limit for i in range(0, len(word), size)):
        size //= 2
    return [word[i:i + size] for i in range(0, len(word), size)]
