"""Glossary terms: a term found in the Kazakh source must appear in the translation
in its required form (inflection-aware, through mt.glossary.verify).

A warning, not an error: a correct translation may render a term another way
(kasachische Wirtschaft for Қазақстан экономикасы, a title paraphrased), which no
verifier can tell from a wrong name. `mt translate` reports terms its enforcement
could not place as errors of its own."""

from __future__ import annotations

from collections.abc import Iterator

from mt.glossary.verify import contains
from mt.qa.base import Context, check


@check("glossary", "warning", "Glossary term not in its required form")
def glossary(ctx: Context) -> Iterator[str]:
    if not ctx.hits:
        return

    for term_id in dict.fromkeys(hit.id for hit in ctx.hits):
        entry = ctx.entries.get(term_id)
        if entry is not None and not contains(ctx.target, entry, ctx.tgt_lang):
            yield f"glossary term {term_id} missing: expected '{entry.target(ctx.tgt_lang)}'"
