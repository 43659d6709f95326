"""Glossary terms: a term found in the Kazakh source must appear in the translation
in its required form (inflection-aware, through mt.glossary.verify)."""

from __future__ import annotations

from collections.abc import Iterator

from mt.qa.base import Context, check


@check("glossary", "error", "Glossary term missing")
def glossary(ctx: Context) -> Iterator[str]:
    if not ctx.hits:
        return
    from mt.glossary.verify import contains

    for term_id in dict.fromkeys(hit.id for hit in ctx.hits):
        entry = ctx.entries.get(term_id)
        if entry is not None and not contains(ctx.target, entry, ctx.tgt_lang):
            yield f"glossary term {term_id} missing: expected '{entry.target(ctx.tgt_lang)}'"
