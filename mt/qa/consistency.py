"""Consistency across a release (Xbench's two inconsistency checks): the same source
sentence translated two ways, and two different source sentences given the same
translation; both within the release and against the memory's human translations."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from mt.qa.base import ReleaseContext, release_check, words

# A translation this short ("Thank you.", a heading) may rightly serve different sources.
MIN_TARGET_WORDS = 4


def source_key(text: str) -> str:
    """Sources that differ only in case, spacing or punctuation are the same sentence."""
    return " ".join(words(unicodedata.normalize("NFC", text).casefold()))


def target_key(text: str) -> str:
    """Translations are compared as written, apart from surrounding and doubled spaces."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _short(text: str, limit: int = 80) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit - 1] + "…"


@release_check("consistency", "warning", "Inconsistent translation (same source, other target, or the reverse)")
def consistency(ctx: ReleaseContext) -> Iterator[tuple[int, str]]:
    by_source: dict[str, tuple[int, str]] = {}   # source key -> first (segment, target)
    by_target: dict[str, tuple[int, str]] = {}   # target key -> first (segment, source key)
    human_by_source: dict[str, list[str]] = {}
    human_by_target: dict[str, list[tuple[str, str]]] = {}
    for source, target in ctx.memory:
        human_by_source.setdefault(source_key(source), []).append(target_key(target))
        human_by_target.setdefault(target_key(target), []).append((source_key(source), source))
    for pair in ctx.pairs:
        s, t = source_key(pair.source), target_key(pair.target)
        if not s or not t:
            continue
        seen = by_source.setdefault(s, (pair.segment, t))
        if seen[1] != t:
            yield pair.segment, f"the same source as sentence {seen[0] + 1} was translated there as: {_short(seen[1])}"
        elif s in human_by_source and t not in human_by_source[s]:
            yield pair.segment, f"a translator translated this sentence as: {_short(human_by_source[s][0])}"
        if len(words(t)) < MIN_TARGET_WORDS:
            continue
        other = by_target.setdefault(t, (pair.segment, s))
        if other[1] != s:
            yield pair.segment, f"sentence {other[0] + 1} has another source but the same translation"
        else:
            others = [raw for key, raw in human_by_target.get(t, []) if key != s]
            if others:
                yield pair.segment, f"a translator gave this translation to another source: {_short(others[0])}"
