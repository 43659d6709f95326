"""QA checks that need no reference. One function per check (id, severity, title);
CHECKS is the registry: adding a check is one function and one line here. A project's
configuration (mt.qa.config: [tool.mt.qa] in pyproject.toml or [qa] in mt.toml) turns
checks off, changes their severity and adds regular-expression checks of its own."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from mt.errors import InputError
from mt.glossary.match import Matcher, match_segments
from mt.qa import codes, consistency, content, marks, numbers, pairs, terms, text, typography
from mt.qa.base import SEVERITIES, Check, Context, ReleaseContext, check, release_check
from mt.qa.config import QaConfig
from mt.types import Finding, GlossaryEntry, Segment, TermHit

CHECKS: dict[str, Check] = {c.id: c for c in (
    text.empty,
    text.untranslated,
    text.script,
    text.language,
    numbers.numbers,
    marks.links,
    terms.glossary,
    terms.forbidden,
    marks.quotes,
    pairs.brackets,
    codes.acronyms,
    content.invented_name,
    content.omission,
    consistency.consistency,
    text.repetition,
    text.length,
    text.punctuation,
    typography.spacing,
    typography.nbsp,
)}


def registry(config: QaConfig | None = None) -> dict[str, Check]:
    """Every check with the project's configuration applied: its own regex checks added,
    severities changed (the checks turned off are still listed: `select` leaves them out)."""
    checks = dict(CHECKS)
    if config is not None:
        checks.update({c.id: c for c in config.regex_checks()})
        for check_id, severity in config.severity.items():
            checks[check_id] = dataclasses.replace(checks[check_id], severity=severity)
    return checks


def select(checks: Iterable[str] | None, config: QaConfig | None = None) -> list[Check]:
    available = registry(config)
    if config is not None:
        config.validate(available)
    if checks is None:
        disabled = config.disable if config is not None else frozenset()
        return [c for c in available.values() if c.id not in disabled]
    checks = list(checks)
    if not checks:
        raise InputError("no QA check given", hint=f"name one or more of {', '.join(available)}, or leave --checks out")
    unknown = [c for c in checks if c not in available]
    if unknown:
        raise InputError(f"unknown QA check '{unknown[0]}'", hint=f"choose from {', '.join(available)}")
    return [available[c] for c in checks]


def _term_hits(sources: Sequence[str], entries: Sequence[GlossaryEntry]) -> list[list[TermHit]]:

    per_segment: list[list[TermHit]] = [[] for _ in sources]
    segments = [Segment(0, index, source) for index, source in enumerate(sources)]
    for hit in match_segments(segments, Matcher(list(entries))):
        per_segment[hit.segment].append(hit)
    return per_segment


def run_checks(sources: Sequence[str], hyps: Sequence[str], src_lang: str, tgt_lang: str,
               entries: Sequence[GlossaryEntry] | None = None,
               checks: Iterable[str] | None = None,
               memory: Sequence[tuple[str, str]] = (),
               config: QaConfig | None = None) -> list[Finding]:
    """Findings for line-aligned sources and translations, in segment order. The
    glossary checks (glossary, forbidden) run only when `entries` are given; the
    consistency check also compares with `memory`, (source, target) pairs that
    translators made."""
    if len(sources) != len(hyps):
        raise InputError(f"{len(sources)} source lines but {len(hyps)} translations",
                         hint="give line-aligned files")
    selected = select(checks, config)
    by_id = {entry.id: entry for entry in entries or ()}
    hits = _term_hits(sources, entries) if entries else [[] for _ in sources]
    contexts = [Context(index, source, hyp, src_lang, tgt_lang, by_id, tuple(hits[index]))
                for index, (source, hyp) in enumerate(zip(sources, hyps))
                if source.strip() or hyp.strip()]
    release = ReleaseContext(tuple(contexts), tuple(memory))
    found: list[tuple[int, int, Finding]] = []
    for order, item in enumerate(selected):
        if item.scope == "release":
            found.extend((segment, order, Finding(segment, item.id, item.severity, message, tgt_lang))
                         for segment, message in item.over_release(release))
            continue
        for ctx in contexts:
            # An empty translation is one finding, not one per thing it lacks.
            if not ctx.target.strip() and item.id != "empty":
                continue
            found.extend((ctx.segment, order, Finding(ctx.segment, item.id, item.severity, message, tgt_lang))
                         for message in item(ctx))
    return [f for _, _, f in sorted(found, key=lambda x: (x[0], x[1]))]


__all__ = ["CHECKS", "SEVERITIES", "Check", "Context", "QaConfig", "ReleaseContext", "check", "registry",
           "release_check", "run_checks", "select"]
