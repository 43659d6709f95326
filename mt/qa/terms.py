"""Glossary terms: a term found in the Kazakh source must appear in the translation
in its required form (inflection-aware, through mt.glossary.verify).

A warning, not an error: a correct translation may render a term another way
(kasachische Wirtschaft for Қазақстан экономикасы, a title paraphrased), which no
verifier can tell from a wrong name. `mt translate` reports terms its enforcement
could not place as errors of its own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from mt.glossary.store import KEEP
from mt.glossary.verify import contains
from mt.qa.base import Context, check
from mt.types import GlossaryEntry


@check("glossary", "warning", "Glossary term not in its required form")
def glossary(ctx: Context) -> Iterator[str]:
    if not ctx.hits:
        return

    for term_id in dict.fromkeys(hit.id for hit in ctx.hits):
        entry = ctx.entries.get(term_id)
        if entry is not None and not contains(ctx.target, entry, ctx.tgt_lang):
            yield f"glossary term {term_id} missing: expected '{entry.target(ctx.tgt_lang)}'"




def _avoid_pattern(form: str, lang: str) -> re.Pattern[str]:
    """An avoided form as a word; in Russian with any ending (Алма-Аты, Алма-Атинской,
    Чимкента), in English and German with a plural or genitive s and in compounds."""
    stem = re.escape(form)
    if lang == "ru" and re.search(r"[а-яё]$", form):
        stem = re.escape(form[:-1] if form[-1] in "аяоеиыьй" else form) + r"\w*"
    elif lang in ("en", "de"):
        stem += r"(?:'?s|es|-\w+)?"
    return re.compile(rf"(?<![\w-]){stem}(?![\w])")


@lru_cache(maxsize=8)
def _avoid(entries: tuple[GlossaryEntry, ...], lang: str) -> list[tuple[str, str, re.Pattern[str]]]:
    return [(entry.id, form, _avoid_pattern(form, lang)) for entry in entries for form in entry.avoid if form]


def _keep_present(form: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text) is not None


@check("forbidden", "error", "Form the glossary forbids, or a do-not-translate term translated")
def forbidden(ctx: Context) -> Iterator[str]:
    entries = tuple(ctx.entries.values())
    for term_id, _form, pattern in _avoid(entries, ctx.tgt_lang):
        found = pattern.search(ctx.target)
        if found and not pattern.search(ctx.source):
            entry = ctx.entries[term_id]
            yield f"'{found.group()}' is a form to avoid ({term_id}): write '{entry.target(ctx.tgt_lang)}'"
    for entry in entries:
        if entry.strategy != KEEP:
            continue
        for form in (entry.kk, *entry.kk_variants):
            if form and _keep_present(form, ctx.source) and not _keep_present(entry.target(ctx.tgt_lang) or form, ctx.target):
                yield f"'{form}' is not to be translated ({entry.id}): write it as in the source"
                break
