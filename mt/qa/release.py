"""QA of a whole release as translate_release produced it: the reference-free checks
per language, the enforcement's term record, and the notes the engine left on
sentences. `mt review` re-runs sentence_findings after a translator's edit."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from mt.qa import CHECKS, run_checks
from mt.types import SOURCE_LANG, Finding, Translation

TERM_CHECK = "term-enforced"
# The checks that judge one sentence's translation (the others, tm-fuzzy and
# long-sentence-split, describe the source or the memory and stay when the text changes).
SENTENCE_CHECKS = frozenset(CHECKS) | {TERM_CHECK}


def release_findings(translations: Mapping[str, Sequence[Translation]]) -> tuple[Finding, ...]:
    """Reference-free checks and term findings for every language, in language order."""
    findings: list[Finding] = []
    for lang, items in translations.items():
        sources = [t.source for t in items]
        hyps = [t.text for t in items]
        # Glossary terms are judged from the enforcement's own record (term_findings),
        # which knows which terms were required; the QA glossary check would repeat it.
        findings.extend(run_checks(sources, hyps, SOURCE_LANG, lang, entries=None))
        findings.extend(term_findings(items))
    return tuple(findings)


def term_findings(items: Sequence[Translation]) -> list[Finding]:
    """Terms the enforcement could not place, or placed only by the fallback."""
    findings = []
    for t in items:
        for term in t.terms:
            if not term.found:
                findings.append(Finding(t.segment, TERM_CHECK, "error",
                                        f"glossary term {term.id} missing: expected '{term.required}'", t.lang))
            elif term.strategy == "fallback":
                findings.append(Finding(t.segment, TERM_CHECK, "warning",
                                        f"'{term.required}' ({term.id}) was inserted after the model dropped it; "
                                        "check its position and grammar", t.lang))
    return findings


def note_findings(translations: Mapping[str, Sequence[Translation]]) -> list[Finding]:
    """The engine's notes that are findings (a sentence split into pieces), once per
    sentence and check: every language splits the same source the same way."""
    first: dict[tuple[int, str], Finding] = {}
    for items in translations.values():
        for t in items:
            for note in t.notes:
                if note.check:
                    first.setdefault((t.segment, note.check),
                                     Finding(t.segment, note.check, note.severity, note.message))
    return [first[k] for k in sorted(first)]


def sentence_findings(translation: Translation) -> list[Finding]:
    """QA for one translation, as release_findings runs it for a whole release,
    numbered with the translation's segment."""
    found = run_checks([translation.source], [translation.text], SOURCE_LANG, translation.lang, entries=None)
    return [dataclasses.replace(f, segment=translation.segment) for f in found] + term_findings([translation])


def recheck_sentence(findings: Sequence[Finding], translation: Translation) -> list[Finding]:
    """`findings` with those about `translation`'s sentence and language run again on
    its (new) text: what a translator's edit changes in the report."""
    kept = [f for f in findings if not (f.segment == translation.segment and f.lang == translation.lang
                                        and f.check in SENTENCE_CHECKS)]
    return kept + sentence_findings(translation)
