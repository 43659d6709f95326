"""QA checks that need no reference. One function per check (id, severity, title);
CHECKS is the registry: adding a check is one function and one line here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mt.errors import InputError
from mt.glossary.match import Matcher, match_segments
from mt.qa import marks, numbers, terms, text
from mt.qa.base import SEVERITIES, Check, Context, check
from mt.types import Finding, GlossaryEntry, Segment, TermHit

CHECKS: dict[str, Check] = {c.id: c for c in (
    text.empty,
    text.untranslated,
    text.script,
    text.language,
    numbers.numbers,
    marks.links,
    terms.glossary,
    marks.quotes,
    text.repetition,
    text.length,
    text.punctuation,
)}


def select(checks: Iterable[str] | None) -> list[Check]:
    if checks is None:
        return list(CHECKS.values())
    checks = list(checks)
    if not checks:
        raise InputError("no QA check given", hint=f"name one or more of {', '.join(CHECKS)}, or leave --checks out")
    unknown = [c for c in checks if c not in CHECKS]
    if unknown:
        raise InputError(f"unknown QA check '{unknown[0]}'", hint=f"choose from {', '.join(CHECKS)}")
    return [CHECKS[c] for c in checks]


def _term_hits(sources: Sequence[str], entries: Sequence[GlossaryEntry]) -> list[list[TermHit]]:

    per_segment: list[list[TermHit]] = [[] for _ in sources]
    segments = [Segment(0, index, source) for index, source in enumerate(sources)]
    for hit in match_segments(segments, Matcher(list(entries))):
        per_segment[hit.segment].append(hit)
    return per_segment


def run_checks(sources: Sequence[str], hyps: Sequence[str], src_lang: str, tgt_lang: str,
               entries: Sequence[GlossaryEntry] | None = None,
               checks: Iterable[str] | None = None) -> list[Finding]:
    """Findings for line-aligned sources and translations, in segment order.
    The glossary check runs only when `entries` are given."""
    if len(sources) != len(hyps):
        raise InputError(f"{len(sources)} source lines but {len(hyps)} translations",
                         hint="give line-aligned files")
    selected = select(checks)
    by_id = {entry.id: entry for entry in entries or ()}
    hits = _term_hits(sources, entries) if entries and "glossary" in {c.id for c in selected} \
        else [[] for _ in sources]
    findings: list[Finding] = []
    for index, (source, hyp) in enumerate(zip(sources, hyps)):
        if not source.strip() and not hyp.strip():
            continue
        ctx = Context(index, source, hyp, src_lang, tgt_lang, by_id, tuple(hits[index]))
        # An empty translation is one finding, not one per thing it lacks.
        for item in selected if hyp.strip() else [c for c in selected if c.id == "empty"]:
            findings.extend(Finding(index, item.id, item.severity, message, tgt_lang)
                            for message in item(ctx))
    return findings


__all__ = ["CHECKS", "SEVERITIES", "Check", "Context", "check", "run_checks", "select"]
