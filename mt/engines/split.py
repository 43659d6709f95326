"""Over-long sentences: split at clause boundaries (then words, then characters) so
every piece fits the model, and rejoin the translated pieces. Pure functions shared by
the transformers and CTranslate2 engines, so both cut a sentence into the same pieces."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

log = logging.getLogger("mt.engines")

# After , ; : followed by space (so 2,5 and 10:00 stay whole), or before a spaced dash.
CLAUSE = re.compile(r"(?<=[,;:])\s+|\s+(?=[–—-]\s)")
LEVELS = ("clauses", "words", "characters")
SPECIAL_MARGIN = 3  # language/prefix token + </s> + one spare


@dataclass(frozen=True)
class SplitNote:
    """A sentence that was too long for the model and was translated in pieces."""

    text: str
    tokens: int
    limit: int
    pieces: int
    how: str  # "clauses", "words" (last resort) or "characters" (a single giant word)
    index: int = -1  # the sentence's position in the call that split it (callers re-index: reindex)


def reindex(notes: list, seen: int, positions: Sequence[int]) -> None:
    """Notes added since `seen` by a call on a subset: their index (a position in that
    call) becomes the caller's position `positions[index]`, in place."""
    for k in range(seen, len(notes)):
        note = notes[k]
        if isinstance(note, SplitNote) and 0 <= note.index < len(positions):
            notes[k] = replace(note, index=positions[note.index])


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


def split_noted(text: str, count: Callable[[str], int], limit: int, notes: list, index: int = -1) -> list[str]:
    """split_long, recording a SplitNote in `notes` (and a warning) when `text` had to be
    split: the pipeline turns notes into QA findings."""
    pieces, how = split_long(text, count, limit)
    if how != "whole":
        tokens = count(text.strip())
        notes.append(SplitNote(text.strip(), tokens, limit, len(pieces), how, index))
        log.warning("a %d-token sentence exceeds the model's %d-token limit; translated as %d pieces split at %s",
                    tokens, limit, len(pieces), how)
    return pieces


def rejoin(texts: Sequence[str], owners: Sequence[int], n: int) -> list[str]:
    """Translated pieces back into `n` sentences; owners[i] is the sentence of piece i."""
    parts: list[list[str]] = [[] for _ in range(n)]
    for owner, text in zip(owners, texts, strict=True):
        if text:
            parts[owner].append(text)
    return [" ".join(p) for p in parts]


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
