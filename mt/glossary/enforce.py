"""Make glossary terms appear in the translation, whatever the model does.

Works with any Engine (only `translate(sentences, src, tgt)` is used), so with
pretrained models that have no constraint support. Per target language:

1. "mask": each matched Kazakh span becomes a placeholder (ZX1, ZX2, ...) that keeps
   the Kazakh case suffix after a hyphen, as Kazakh writes suffixes on Latin words
   (ZX1-ның). NLLB-200 copies Latin letter+digit tokens almost always (see
   eval/bench_enforce.py). After translation each placeholder becomes the target form;
   in Russian it is inflected to the case the preposition before it (or else the
   Kazakh suffix) asks for.
2. "inject": only the segments still missing a term are translated again with the
   target form written into the source (Russian already in the case the Kazakh suffix
   asks for), so the model sees a name and may inflect it itself.
3. "fallback": a term still missing is put in by hand into the best attempt: a
   near miss of the target form (Shakarov for Shakharov) is replaced, otherwise the
   form is inserted at the word boundary at the same relative position as the term in
   the source. The term record says strategy="fallback" so the QA report asks the
   translator to check the sentence; the draft never silently lacks a name.

Every attempt is verified with mt.glossary.verify (inflection-aware), and the
record of each segment says, per term, what was required, whether it was found and
which strategy put it there. Names the glossary lacks but mt.glossary.names
detects (persons and organisations) are transliterated and enforced the same way,
with id "translit:<surface>".
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from rapidfuzz import fuzz

from mt.engines.base import Engine
from mt.glossary import verify
from mt.glossary.match import Matcher
from mt.glossary.morphology import plural_head_forms
from mt.glossary.names import LOW_CONFIDENCE, release_countries, release_words, segment_names
from mt.glossary.proposals import target_forms
from mt.tags import blank_tags
from mt.types import EngineResult, GlossaryEntry, Segment, TermCheck, TermHit, Translation

STRATEGIES = ("mask", "inject")
# Unknown names enforced by transliteration. Places and acronyms without an entry are
# mostly exonyms the model knows better than a transliteration would (Еуропа is
# Europe, not "Yeuropa"; АҚШ доллары is "US dollars"), so they are left to the model.
TRANSLIT_TYPES = ("person", "org")
PLACEHOLDER = "ZX{n}"
# What the model may make of a placeholder: case changes, spaces, Cyrillic lookalikes,
# a case suffix it attached (ZX1-а).
_PLACEHOLDER_RE = re.compile(r"(?<!\w)[ZzЗз]\s?[XxХх]\s?[-_]?\s?(\d{1,3})(?:-[^\W\d_]{1,4})?(?!\w)")

# Kazakh case suffix (after the term's dictionary form) -> Russian case a translation
# most often uses for it. Longest first.
_KK_SUFFIX_CASE = (
    (("дағы", "дегі", "тағы", "тегі", "ндағы", "ндегі"), "loct"),
    (("ның", "нің", "дың", "дің", "тың", "тің"), "gent"),
    (("нан", "нен", "дан", "ден", "тан", "тен"), "gent"),
    (("мен", "бен", "пен"), "ablt"),
    (("нда", "нде", "да", "де", "та", "те"), "loct"),
    (("ға", "ге", "қа", "ке", "на", "не", "а", "е"), "datv"),
    (("ны", "ні", "ды", "ді", "ты", "ті", "н"), "accs"),
)
# Russian prepositions -> the case of the noun phrase after them (first = default).
_RU_PREP_CASES = {
    "в": ("loct", "accs"), "во": ("loct", "accs"), "на": ("loct", "accs"), "о": ("loct",),
    "об": ("loct",), "обо": ("loct",), "при": ("loct",), "с": ("ablt", "gent"), "со": ("ablt", "gent"),
    "между": ("ablt",), "над": ("ablt",), "под": ("ablt", "accs"), "перед": ("ablt",),
    "за": ("ablt", "accs"), "из": ("gent",), "от": ("gent",), "до": ("gent",), "у": ("gent",),
    "для": ("gent",), "без": ("gent",), "после": ("gent",), "около": ("gent",), "среди": ("gent",),
    "из-за": ("gent",), "вокруг": ("gent",), "к": ("datv",), "ко": ("datv",), "по": ("datv",),
    "про": ("accs",), "через": ("accs",),
}
_WORD_RE = re.compile(r"[^\W_][^\W_'’-]*(?:[-'’][^\W_]+)*")


@dataclass(frozen=True)
class _Term:
    """One term to place in one sentence."""

    id: str
    entry: GlossaryEntry
    start: int
    end: int
    surface: str
    suffix: str  # the Kazakh case suffix after the term's dictionary form
    group: int = -1  # names sharing one plural head (Жамбыл, Қостанай мен Павлодар облыстары)
    in_compound: bool = False  # a part of a hyphenated compound (Қазақстан-Германия)

    @property
    def kk_case(self) -> str:
        return kk_suffix_case(self.suffix)


def kk_suffix_case(suffix: str) -> str:
    """The Russian case most translations use for a Kazakh case suffix."""
    low = suffix.lower().lstrip("-")
    for endings, case in _KK_SUFFIX_CASE:
        if low.endswith(endings):
            return case
    return "nomn"


def _suffix(surface: str, entry: GlossaryEntry) -> str:
    """What the inflected `surface` adds to the entry's Kazakh form (Шахаровтың -> тың)."""
    last = surface.split()[-1] if surface.split() else surface
    best = ""
    for form in (entry.kk, *entry.kk_variants):
        words = form.split()
        if not words:
            continue
        stem = words[-1].lower()
        low = last.lower()
        common = 0
        while common < min(len(stem), len(low)) and stem[common] == low[common]:
            common += 1
        if common >= max(1, len(stem) - 1) and len(low) - common > len(best):
            best = last[common:]
    return best.lstrip("-")


def _surname_only(entry: GlossaryEntry, surface: str) -> GlossaryEntry:
    """A person mentioned by surname only (Шахаровтың) requires only the surname."""
    if entry.type != "person" or len(entry.kk.split()) < 2 or len(surface.split()) > 1:
        return entry
    # field name -> value: the names are target languages, each a str field
    last: dict[str, Any] = {lang: entry.target(lang).split()[-1] for lang in ("en", "de", "ru") if entry.target(lang)}
    return dataclasses.replace(entry, en_variants=(), de_variants=(), ru_variants=(), **last)


def _terms_for(index: int, sentence: str, hits: Sequence[TermHit],
               entries: Mapping[str, GlossaryEntry], matcher, seen: frozenset[str] = frozenset(),
               countries: str = "") -> list[_Term]:
    terms: list[_Term] = []
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        entry = entries.get(hit.id)
        if entry is None or (terms and hit.start < terms[-1].end):
            continue
        in_compound = sentence[hit.start - 1:hit.start] == "-" or sentence[hit.end:hit.end + 1] == "-"
        terms.append(_Term(hit.id, _surname_only(entry, hit.surface), hit.start, hit.end,
                           hit.surface, _suffix(hit.surface, entry), in_compound=in_compound))
    terms = _mark_groups(sentence, terms)
    if matcher is not None:
        terms = sorted(terms + _unknown_terms(index, sentence, terms, matcher, seen, countries),
                       key=lambda t: t.start)
    return terms


_SOURCE_JOINERS = frozenset({",", "мен", "бен", "пен", "және", ", және", "немесе"})
_TARGET_JOINER = re.compile(r"\s*(?:,|,?\s+(?:and|und|и)\s+)\s*")


def _mark_groups(sentence: str, terms: list[_Term]) -> list[_Term]:
    """Place terms listed before one shared plural head get one group number, so that the
    translation writes them as a list with one plural head (render_group)."""
    out = list(terms)
    for k, term in enumerate(terms):
        head = term.surface.split()[-1] if term.surface.split() else ""
        if term.entry.type != "place" or head not in plural_head_forms(term.entry.kk.split()[-1]):
            continue
        first = k
        while first > 0 and out[first - 1].entry.type == "place" \
                and sentence[out[first - 1].end:out[first].start].strip() in _SOURCE_JOINERS:
            first -= 1
        if first < k:
            for j in range(first, k + 1):
                out[j] = dataclasses.replace(out[j], group=k)
    return out


def _unknown_terms(index: int, sentence: str, known: Sequence[_Term], matcher,
                   seen: frozenset[str] = frozenset(), countries: str = "") -> list[_Term]:
    """Names the glossary lacks, with the lemma and forms `mt glossary suggest` proposes
    (`seen`: the words of the whole text, `countries`: the countries it names, as suggest
    reads the whole release); a
    low-confidence one is left to the model, as suggest sets it apart."""
    out = []
    # Inline-formatting tags (mt.tags) are no names; blanked, offsets stay.
    for cand in segment_names(Segment(0, index, blank_tags(sentence)), matcher, seen, countries):
        if cand.type not in TRANSLIT_TYPES or cand.confidence < LOW_CONFIDENCE \
                or any(cand.start < t.end and t.start < cand.end for t in known) or _described(cand.kk):
            continue
        en, de, ru = target_forms(cand)
        entry = GlossaryEntry(id=f"translit:{cand.surface}", type=cand.type, kk=cand.kk,
                              en=en, de=de, ru=ru, status="proposed")
        out.append(_Term(entry.id, entry, cand.start, cand.end, cand.surface,
                         _suffix(cand.surface, entry)))
    return out


def _release_words(sentences: Sequence[str]) -> frozenset[str]:
    return release_words([Segment(0, i, s) for i, s in enumerate(sentences)])


def _described(kk: str) -> bool:
    """A name with lower-case words outside its quotes (Ақтау халықаралық теңіз сауда
    порты, «Атамекен» ұлттық кәсіпкерлер палатасы): its proposed forms are drafts for a
    translator, not forms to force into a translation."""
    return any(w.islower() for w in re.sub(r"[«“„\"][^«»“”„\"]*[»”“\"]", " ", kk).split())


_matcher_cache: list = []  # [(entries object, Matcher)]: the pipeline calls once per chunk


def _matcher_for(entries: Mapping[str, GlossaryEntry]):
    if _matcher_cache and _matcher_cache[0][0] is entries:
        return _matcher_cache[0][1]
    matcher = Matcher(list(entries.values()))
    _matcher_cache[:] = [(entries, matcher)]
    return matcher


# -- the strategies ----------------------------------------------------------------

def _target_form(term: _Term, lang: str, case: str = "nomn") -> str:
    form = term.entry.target(lang)
    if lang == "ru" and case != "nomn":
        return verify.inflect_ru(form, case, term.entry.type)
    return form


def _source_with(sentence: str, terms: Sequence[_Term], replacement) -> str:
    parts, pos = [], 0
    for i, term in enumerate(terms):
        parts += [sentence[pos:term.start], replacement(i, term)]
        pos = term.end
    parts.append(sentence[pos:])
    return "".join(parts)


def _masked_source(sentence: str, terms: Sequence[_Term]) -> str:
    def mask(i: int, term: _Term) -> str:
        if term.in_compound:
            # Қазақстан-Германия, қазақ-неміс: the model writes the compound as its language
            # does (kasachisch-deutsche, казахстанско-германский); verify accepts those forms
            return term.surface
        token = PLACEHOLDER.format(n=i + 1)
        return f"{token}-{term.suffix}" if term.suffix else token

    return _source_with(sentence, terms, mask)


def _injected_source(sentence: str, terms: Sequence[_Term], lang: str) -> str:
    def inject(i: int, term: _Term) -> str:
        if lang == "ru":
            return _target_form(term, lang, term.kk_case)
        form = term.entry.target(lang)
        return f"{form}-{term.suffix}" if term.suffix else form

    return _source_with(sentence, terms, inject)


def _ru_case_before(text: str, pos: int, fallback: str) -> str:
    words = re.findall(r"[\w-]+", text[:pos].lower())
    cases = _RU_PREP_CASES.get(words[-1]) if words else None
    if not cases:
        return fallback
    return fallback if fallback in cases else cases[0]


def _at_start(form: str, before: str) -> str:
    """A lower-case term (regional akim) opening a sentence gets a capital."""
    return form[:1].upper() + form[1:] if verify.at_sentence_start(before, len(before)) else form


def _unmask(text: str, terms: Sequence[_Term], lang: str) -> str:
    """Replace placeholders by target forms; drop placeholders the source did not have;
    a group of names sharing a plural head is written as one list (render_group)."""
    out: list[str] = []
    pos = 0
    prev_case: str | None = None
    placed: list[tuple[int, int, str]] = []  # (index in out, term number, case)
    for m in _PLACEHOLDER_RE.finditer(text):
        n = int(m.group(1)) - 1
        between = text[pos:m.start()]
        out.append(between)
        if 0 <= n < len(terms):
            term = terms[n]
            case = "nomn"
            if lang == "ru":
                # "между ZX1 и ZX2": the second conjunct takes the first one's case
                if prev_case and pos and between.strip() in ("и", "или", ","):
                    case = prev_case
                else:
                    case = _ru_case_before(text, m.start(), term.kk_case)
                prev_case = case
            placed.append((len(out), n, case))
            out.append(_at_start(_target_form(term, lang, case), "".join(out)))
        else:  # a placeholder the source did not have: drop it with its separator
            out[-1] = out[-1].rstrip()
            if out[-1].endswith(",") and text[m.end():m.end() + 1] in ".;:!?":
                out[-1] = out[-1][:-1]
        pos = m.end()
    out.append(text[pos:])
    _render_groups(out, placed, terms, lang)
    return re.sub(r"[ \t]{2,}", " ", "".join(out)).strip()


def _render_groups(out: list[str], placed: list[tuple[int, int, str]], terms: Sequence[_Term],
                   lang: str) -> None:
    """Where a group's members came out in order, joined only by commas and a
    conjunction, write them as the target language writes such a list."""
    for group in sorted({terms[n].group for _, n, _ in placed if terms[n].group >= 0}):
        members = [(i, n, case) for i, n, case in placed if terms[n].group == group]
        numbers = [n for _, n, _ in members]
        if numbers != sorted(numbers) or len(members) < 2 or numbers != [
                n for n, t in enumerate(terms) if t.group == group]:
            continue
        first, last = members[0][0], members[-1][0]
        if any(not _TARGET_JOINER.fullmatch(out[i]) for i in range(first + 1, last, 2)) \
                or last - first != 2 * (len(members) - 1):
            continue
        rendered = verify.render_group([terms[n].entry.target(lang) for n in numbers], lang,
                                       members[0][2], "".join(out[:first]))
        if rendered:
            out[first:last + 1] = [rendered] + [""] * (last - first)


# -- the fallback ----------------------------------------------------------------

def _near_miss(text: str, form: str, min_score: float = 80.0) -> tuple[int, int] | None:
    """The word span of `text` most like `form` (the model's misspelling of it)."""
    words = [(m.start(), m.end()) for m in _WORD_RE.finditer(text)]
    k = len(form.split())
    best, span = min_score, None
    for n in {max(1, k - 1), k, k + 1}:
        for i in range(len(words) - n + 1):
            start, end = words[i][0], words[i + n - 1][1]
            score = fuzz.ratio(form.lower(), text[start:end].lower())
            if score >= best:
                best, span = score, (start, end)
    return span


def _insert(text: str, form: str, fraction: float, protected: Sequence[tuple[int, int]] = (),
            after: int | None = None, before: int | None = None) -> str:
    """Insert `form` at a word boundary: right after the term that precedes it in the
    source (`after`), else right before the one that follows it (`before`), else at
    the same relative position as in the source; never inside another term."""
    if not text.strip():
        return form
    bounds = [0] + [m.end() for m in re.finditer(r"\s+", text)] + [len(text)]
    bounds = [b for b in bounds if not any(s < b < e for s, e in protected)]
    if after is not None:
        at = min((b for b in bounds if b >= after), default=len(text))
    elif before is not None:
        at = max((b for b in bounds if b <= before), default=0)
    else:
        at = min(bounds, key=lambda b: abs(b - fraction * len(text)))
    head, rest = text[:at].rstrip(), text[at:].lstrip()
    if not head:
        return f"{_at_start(form, '')} {rest}".rstrip()
    return f"{head} {form} {rest}".rstrip() if rest else f"{head} {form}"


def _fallback(text: str, sentence: str, terms: Sequence[_Term], j: int, lang: str) -> str:
    """Put term j into `text`: correct the model's near miss, or insert it next to its
    neighbours from the source."""
    term = terms[j]
    form = _target_form(term, lang, term.kk_case)
    spans = {k: verify.find_form(text, t.entry, lang) for k, t in enumerate(terms) if k != j}
    protected = [s for s in spans.values() if s is not None]
    span = _near_miss(text, term.entry.target(lang))
    if span is not None and not any(s < span[1] and span[0] < e for s, e in protected):
        return text[:span[0]] + form + text[span[1]:]
    after = next((s[1] for s in map(spans.get, range(j - 1, -1, -1)) if s), None)
    before = next((s[0] for s in map(spans.get, range(j + 1, len(terms))) if s), None)
    return _insert(text, form, term.start / max(1, len(sentence)), protected, after, before)


# -- driver ----------------------------------------------------------------------

def _found(text: str, term: _Term, lang: str) -> bool:
    return verify.contains(text, term.entry, lang)


def _check_all(text: str, terms: Sequence[_Term], lang: str) -> list[bool]:
    return [_found(text, t, lang) for t in terms]


def _sources(sentences: Sequence[str], terms: Sequence[Sequence[_Term]], idx: Sequence[int],
             strategy: str, lang: str) -> list[str]:
    if strategy == "mask":
        return [_masked_source(sentences[i], terms[i]) for i in idx]
    if strategy == "inject":
        return [_injected_source(sentences[i], terms[i], lang) for i in idx]
    raise ValueError(f"unknown enforcement strategy {strategy!r}")


def _restore(outputs: Sequence[EngineResult], terms: Sequence[Sequence[_Term]], idx: Sequence[int],
             strategy: str, lang: str) -> list[EngineResult]:
    if strategy == "mask":
        return [replace(out, text=_unmask(out.text, terms[i], lang)) for out, i in zip(outputs, idx, strict=True)]
    return list(outputs)


def _attempt(engine: Engine, sentences: Sequence[str], terms: Sequence[Sequence[_Term]],
             idx: Sequence[int], strategy: str, src: str, lang: str) -> list[EngineResult]:
    outputs = engine.translate_many(_sources(sentences, terms, idx, strategy, lang), src, [lang])[lang]
    return _restore(outputs, terms, idx, strategy, lang)


def _first_pass(engine: Engine, sentences: Sequence[str], terms: Mapping[str, Sequence[Sequence[_Term]]],
                strategy: str, src: str) -> dict[str, list[EngineResult]]:
    """The first strategy over every sentence, for all languages at once: languages
    whose prepared sources are identical (the usual case for masking) share one
    translate_many call, so engines that encode once do so here."""
    idx = range(len(sentences))
    groups: dict[tuple[str, ...], list[str]] = {}
    for lang, lang_terms in terms.items():
        groups.setdefault(tuple(_sources(sentences, lang_terms, idx, strategy, lang)), []).append(lang)
    out: dict[str, list[EngineResult]] = {}
    for sources, langs in groups.items():
        translated = engine.translate_many(list(sources), src, langs)
        for lang in langs:
            out[lang] = _restore(translated[lang], terms[lang], idx, strategy, lang)
    return out


def _enforce_lang(engine: Engine, sentences: Sequence[str], terms: Sequence[Sequence[_Term]],
                  src: str, lang: str, strategies: Sequence[str], first: Sequence[EngineResult]
                  ) -> list[Translation]:
    n = len(sentences)
    best: list[EngineResult | None] = [None] * n
    found: list[list[bool]] = [[False] * len(terms[i]) for i in range(n)]
    chosen: list[str] = [strategies[0]] * n
    pending = list(range(n))  # the first pass also translates sentences without terms
    for k, strategy in enumerate(strategies):
        if not pending:
            break
        outputs = first if k == 0 else _attempt(engine, sentences, terms, pending, strategy, src, lang)
        for i, out in zip(pending, outputs, strict=True):
            flags = _check_all(out.text, terms[i], lang)
            if best[i] is None or sum(flags) > sum(found[i]):
                best[i], found[i], chosen[i] = out, flags, strategy
        pending = [i for i in pending if not all(found[i])]

    results = []
    for i in range(n):
        chosen_result = best[i] or EngineResult("")
        text = chosen_result.text
        how = [chosen[i]] * len(terms[i])
        for j, term in enumerate(terms[i]):
            if not found[i][j] and not _found(text, term, lang):
                text = _fallback(text, sentences[i], terms[i], j, lang)
                how[j] = "fallback"
        results.append(Translation(i, lang, sentences[i], text, _record(text, terms[i], how, lang),
                                   notes=chosen_result.notes))
    return results


def _record(text: str, terms: Sequence[_Term], how: Sequence[str], lang: str) -> tuple[TermCheck, ...]:
    """One TermCheck per term id; a repeated term is found when every mention is."""
    checks: dict[str, TermCheck] = {}
    for term, strategy in zip(terms, how, strict=True):
        ok = _found(text, term, lang)
        prev = checks.get(term.id)
        if prev is not None:
            strategy = "fallback" if "fallback" in (prev.strategy, strategy) else prev.strategy
            ok = ok and prev.found
        checks[term.id] = TermCheck(term.id, term.entry.target(lang), ok, strategy)
    return tuple(checks.values())


def translate_with_terms(engine: Engine, sentences: Sequence[str],
                         hits_per_sentence: Sequence[Sequence[TermHit]],
                         entries: Mapping[str, GlossaryEntry], src: str, tgts: Sequence[str],
                         *, strategies: Sequence[str] = STRATEGIES, unknown_names: bool = True,
                         ) -> dict[str, list[Translation]]:
    """Translate `sentences` into each of `tgts` with every glossary term's target form
    present. `hits_per_sentence[i]` are the TermHits of sentence i (offsets into it),
    `entries` maps entry id -> GlossaryEntry. Returns, per target language, one
    Translation per sentence in input order (`segment` is the position in `sentences`),
    with its term record and the engine's notes on the output it kept."""
    if len(hits_per_sentence) != len(sentences):
        raise ValueError("hits_per_sentence must have one list per sentence")
    if not strategies:
        raise ValueError(f"give at least one enforcement strategy of {STRATEGIES}")
    matcher = _matcher_for(entries) if unknown_names else None
    seen = _release_words(sentences) if unknown_names else frozenset()
    countries = release_countries([Segment(0, i, s) for i, s in enumerate(sentences)]) if unknown_names else ""
    terms = [_terms_for(i, s, h, entries, matcher, seen, countries)
             for i, (s, h) in enumerate(zip(sentences, hits_per_sentence, strict=True))]
    by_lang = {lang: [[t for t in ts if t.entry.target(lang)] for ts in terms] for lang in tgts}
    first = _first_pass(engine, sentences, by_lang, strategies[0], src)
    return {lang: _enforce_lang(engine, sentences, by_lang[lang], src, lang, strategies, first[lang])
            for lang in tgts}


__all__ = ["PLACEHOLDER", "STRATEGIES", "kk_suffix_case", "translate_with_terms"]
