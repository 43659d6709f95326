"""What every QA check shares: the Check record, the per-run context, text helpers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from mt.types import GlossaryEntry, TermHit

SEVERITIES = ("error", "warning", "info")  # error = must be fixed before publishing


@dataclass(frozen=True)
class Context:
    """One (source, translation) pair and what the checks may need besides."""

    segment: int
    source: str
    target: str
    src_lang: str
    tgt_lang: str
    entries: dict[str, GlossaryEntry] = field(default_factory=dict)
    hits: tuple[TermHit, ...] = ()  # glossary terms found in this segment's source


@dataclass(frozen=True)
class ReleaseContext:
    """Every pair of a release (or line-aligned file) in one language, and the memory's
    human translations (source, target) of sentences like them: what a check that
    compares sentences with each other needs."""

    pairs: tuple[Context, ...]
    memory: tuple[tuple[str, str], ...] = ()


CheckFunc = Callable[[Context], Iterable[str]]
ReleaseFunc = Callable[[ReleaseContext], Iterable[tuple[int, str]]]


@dataclass(frozen=True)
class Check:
    """A QA check: `func` yields one message per problem in a segment pair. A check of
    scope "release" gets the whole release instead and yields (segment, message)."""

    id: str
    severity: str
    title: str
    func: CheckFunc
    scope: str = "segment"
    release_func: ReleaseFunc | None = None

    def __call__(self, ctx: Context) -> list[str]:
        return list(self.func(ctx))

    def over_release(self, ctx: ReleaseContext) -> list[tuple[int, str]]:
        """(segment index, message) for every problem in the release."""
        if self.release_func is not None:
            return list(self.release_func(ctx))
        return [(pair.segment, message) for pair in ctx.pairs if pair.target.strip() for message in self(pair)]


def check(id: str, severity: str, title: str) -> Callable[[CheckFunc], Check]:
    """Decorator: turn a function into a Check (the registry lists it in mt/qa/__init__.py)."""
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {SEVERITIES}")

    def wrap(func: CheckFunc) -> Check:
        return Check(id, severity, title, func)

    return wrap


def release_check(id: str, severity: str, title: str) -> Callable[[ReleaseFunc], Check]:
    """Decorator for a check that compares the sentences of a release with each other."""
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {SEVERITIES}")

    def wrap(func: ReleaseFunc) -> Check:
        return Check(id, severity, title, lambda ctx: (), scope="release", release_func=func)

    return wrap


KAZAKH_LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*")
CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def has_cyrillic(text: str) -> bool:
    return CYRILLIC_RE.search(text) is not None


def has_latin(text: str) -> bool:
    return LATIN_RE.search(text) is not None


def has_kazakh_letters(text: str) -> bool:
    return any(ch in KAZAKH_LETTERS for ch in text)


def quote_list(items: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" (+{len(items) - limit} more)" if len(items) > limit else "")
