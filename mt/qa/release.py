"""QA of a whole release as translate_release produced it: the reference-free checks
per language (with the glossary, and the memory's human translations for the
consistency check), the enforcement's term record, and the notes the engine left on
sentences. `mt review` re-runs sentence_findings after a translator's edit. The
project's QA configuration ([tool.mt.qa] in pyproject.toml or [qa] in mt.toml, found
from the working folder up) applies to both."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from mt.qa import CHECKS, registry, run_checks
from mt.qa import config as qa_config
from mt.qa.config import QaConfig
from mt.types import SOURCE_LANG, Finding, GlossaryEntry, TmMatch, Translation

TERM_CHECK = "term-enforced"
# The checks that judge one sentence's translation (the others, tm-fuzzy and
# long-sentence-split, describe the source or the memory and stay when the text changes).
SENTENCE_CHECKS = frozenset(CHECKS) | {TERM_CHECK}
# Glossary terms are judged from the enforcement's own record (term_findings), which
# knows which terms were required; the QA glossary check would repeat it.
RELEASE_SKIPS = frozenset({"glossary"})


@lru_cache(maxsize=8)
def _discovered(folder: str) -> QaConfig | None:
    return qa_config.discover(Path(folder), CHECKS)


def project_config() -> QaConfig | None:
    """The QA configuration for the working folder (None: the defaults)."""
    return _discovered(str(Path.cwd()))


def _checks(config: QaConfig | None) -> list[str]:
    disabled = config.disable if config is not None else frozenset()
    return [c for c in registry(config) if c not in RELEASE_SKIPS and c not in disabled]


def release_findings(translations: Mapping[str, Sequence[Translation]], entries: Sequence[GlossaryEntry] = (),
                     matches: Sequence[TmMatch] = (), config: QaConfig | None = None) -> tuple[Finding, ...]:
    """Reference-free checks and term findings for every language, in language order.
    `matches` are the memory's similar sentences; the human ones are what the
    consistency check compares the release with."""
    config = config if config is not None else project_config()
    findings: list[Finding] = []
    for lang, items in translations.items():
        sources = [t.source for t in items]
        hyps = [t.text for t in items]
        memory = [(m.source, m.target) for m in matches if m.lang == lang and m.origin == "human"]
        found = run_checks(sources, hyps, SOURCE_LANG, lang, entries=list(entries) or None,
                           checks=_checks(config), memory=memory, config=config)
        # run_checks numbers by position; a release's translations carry their segment.
        findings.extend(dataclasses.replace(f, segment=items[f.segment].segment) for f in found)
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


def sentence_findings(translation: Translation, entries: Sequence[GlossaryEntry] = (),
                      config: QaConfig | None = None) -> list[Finding]:
    """QA for one translation, as release_findings runs it for a whole release,
    numbered with the translation's segment (the consistency check, which compares
    sentences, waits for the next run over the release)."""
    config = config if config is not None else project_config()
    found = run_checks([translation.source], [translation.text], SOURCE_LANG, translation.lang,
                       entries=list(entries) or None, checks=_checks(config), config=config)
    return [dataclasses.replace(f, segment=translation.segment) for f in found if f.check != "consistency"] \
        + term_findings([translation])


def recheck_sentence(findings: Sequence[Finding], translation: Translation,
                     entries: Sequence[GlossaryEntry] = ()) -> list[Finding]:
    """`findings` with those about `translation`'s sentence and language run again on
    its (new) text: what a translator's edit changes in the report."""
    config = project_config()
    judged = SENTENCE_CHECKS | set(registry(config))
    kept = [f for f in findings if not (f.segment == translation.segment and f.lang == translation.lang
                                        and f.check in judged)]
    return kept + sentence_findings(translation, entries, config)
