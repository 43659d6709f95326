"""Content the translation adds or loses: a name with nothing behind it in the source
("possible invented name"), and a translation much shorter than the source that also
misses what the source anchors (numbers, names, glossary terms, clauses)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mt.glossary.verify import at_sentence_start, contains, is_headline
from mt.qa.base import Context, check, has_latin, quote_list, words
from mt.qa.langdata import CLAUSE_WORDS, LENGTH_RATIO
from mt.qa.lexicon import answers_to_source, compound_head, frequency_list, common_word, fold, is_acronym, names, rendered, word_forms

# A capitalised word (with hyphenated parts: Hans-Joachim, Kassym-Jomart).
_CAPITALISED = re.compile(r"(?<![\w-])[A-ZÄÖÜА-ЯЁ][^\W\d_]*(?:[-’'][A-ZÄÖÜА-ЯЁa-zäöüßа-яё][^\W\d_]*)*(?![\w-])")


def _name_groups(text: str) -> list[list[re.Match[str]]]:
    """Runs of capitalised words separated by single spaces; a run's sentence-initial
    word is left out (it is capitalised whatever it is)."""
    groups: list[list[re.Match[str]]] = []
    last_end = -2
    for m in _CAPITALISED.finditer(text):
        if at_sentence_start(text, m.start()):
            last_end = -2
            continue
        if groups and text[last_end:m.start()] == " ":
            groups[-1].append(m)
        else:
            groups.append([m])
        last_end = m.end()
    return groups


def _known(word: str, ctx: Context, source_words: list[str], known_words: frozenset[str]) -> bool:
    if any(form in known_words for form in word_forms(word, ctx.tgt_lang)) or fold(word) in fold(ctx.source):
        return True
    if answers_to_source(word, source_words, ctx.tgt_lang):
        return True
    # A German compound ending in a known name or term: Gebietsakimats, EBWE-Projekt.
    low = word.lower()
    return ctx.tgt_lang == "de" and any(
        compound_head(low[:cut], frequency_list("de")) and any(f in known_words for f in word_forms(low[cut:], "de"))
        for cut in range(3, len(low) - 3))


def _name_like(part: str, lang: str) -> bool:
    """Not a word of the target language, nor of English (Rail, Works in a German text)."""
    return not common_word(part, lang) and not (lang != "en" and common_word(part, "en"))


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"[«„“\"][^«»„“”\"]*[»“”\"]?", text)]


@check("invented-name", "warning", "Possible invented name: a name the source does not have")
def invented_name(ctx: Context) -> Iterator[str]:
    if ctx.tgt_lang not in ("en", "de", "ru") or is_headline(ctx.target):
        return
    source_words = [w for w in words(ctx.source) if len(w) > 1]
    known_words = names(ctx.entries.values()).words[ctx.tgt_lang]
    # A quoted name (a company, a programme) renders a quoted name of the source.
    quoted = _quoted_spans(ctx.target) if re.search(r"[«»“”„\"]", ctx.source) else []
    invented = []
    for group in _name_groups(ctx.target):
        # A title or a place beside it does not vouch for a name nobody mentioned.
        parts = [p for m in group if not any(a <= m.start() < b for a, b in quoted)
                 for p in re.split(r"[-’']", m.group()) if len(p) > 2 and not is_acronym(p)]
        if any(_name_like(p, ctx.tgt_lang) and not _known(p, ctx, source_words, known_words) for p in parts):
            invented.append(" ".join(m.group() for m in group))
    if invented:
        yield f"possible invented name, nothing in the source answers to it: {quote_list(invented)}"


# -- omissions ---------------------------------------------------------------------------

SHORT_RATIO = 0.8  # of the pair's usual length ratio (LENGTH_RATIO)
_NUMBER = re.compile(r"\d+(?:[ \u00a0.,]\d+)*")


def _numbers(text: str) -> set[str]:
    return {re.sub(r"\D", "", n) for n in _NUMBER.findall(text)}


def clauses(text: str, lang: str) -> int:
    marks = len(re.findall(r"[,;:–—]|\s-\s", text))
    joins = sum(1 for w in words(text.lower()) if w in CLAUSE_WORDS.get(lang, ()))
    return 1 + marks + joins


def _missing_anchors(ctx: Context) -> list[str]:
    missing = []
    numbers = _numbers(ctx.source) - _numbers(ctx.target)
    if numbers:
        missing.append(f"numbers {quote_list(sorted(numbers))}")
    entries = [ctx.entries[h.id] for h in ctx.hits if h.id in ctx.entries]
    terms = [e.id for e in entries if e.target(ctx.tgt_lang) and not contains(ctx.target, e, ctx.tgt_lang)]
    if terms:
        missing.append(f"glossary terms {quote_list(list(dict.fromkeys(terms)))}")
    target_words = [w for w in words(ctx.target) if len(w) > 1]
    in_terms = {w for h in ctx.hits for w in words(h.surface)}
    capitalised = [w for i, w in enumerate(words(ctx.source)) if i and w[:1].isupper() and not is_acronym(w)
                   and w not in in_terms and len(w) > 2 and not has_latin(w)]
    lost = [w for w in capitalised if not rendered(w, target_words, ctx.tgt_lang)]
    # An acronym the translation brings in (МИД for Сыртқы істер министрлігі) may stand
    # for the source's capitalised words.
    new_acronyms = [w for w in target_words if is_acronym(w) and w not in ctx.source]
    if lost and not new_acronyms:
        missing.append(f"names {quote_list(lost)}")
    source_clauses, target_clauses = clauses(ctx.source, "kk"), clauses(ctx.target, ctx.tgt_lang)
    if source_clauses >= 3 and target_clauses * 2 <= source_clauses:
        missing.append(f"{target_clauses} of {source_clauses} clauses")
    return missing


@check("omission", "warning", "Part of the sentence may be missing")
def omission(ctx: Context) -> Iterator[str]:
    source, target = len(ctx.source.strip()), len(ctx.target.strip())
    if source < 30 or not target:
        return
    expected = LENGTH_RATIO.get(ctx.tgt_lang, 1.0)
    if target / source >= SHORT_RATIO * expected:
        return
    missing = _missing_anchors(ctx)
    if missing:
        yield (f"part of the sentence may be missing: {target} characters for {source} "
               f"(usual {expected:.2f}), and the translation lacks {'; '.join(missing)}")
