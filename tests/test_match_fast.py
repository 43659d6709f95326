"""The matcher's fast paths against a slow, obviously correct path over the same rules.

`find` indexes patterns by first word, by inflected second word and by the token
before them, caches what each token sets off, keeps one tag per span and settles
overlaps run by run. The path here does none of that: every pattern is tried at
every position where its first word could stand, a token's inflected forms are
found by trying every split of it against the suffix rules, and the greedy choice
runs over all candidates of the sentence at once. Both must give the same matches
on random glossaries of every kind of pattern (eval/match_diff.py runs the same
comparison against an earlier revision, with 50,000-entry glossaries).
"""

import random
from pathlib import Path

import pytest

from mt.glossary import morphology as morph
from mt.glossary.match import (
    _SPLIT,
    POSSESSED,
    REGULAR,
    Match,
    Matcher,
    _canon_punct,
    _stem_case_ok,
    _suffix_ok,
)
from mt.types import GlossaryEntry

ROOT = Path(__file__).resolve().parents[1]
HEADS = ("облысы", "ауданы", "компаниясы", "министрлігі", "қаласы")
PLURALS = ("облыстарында", "аудандарының", "қалаларына", "облыстары")


def _tails() -> frozenset[str]:
    suffixes = morph.any_suffix()
    return frozenset(suffixes | {"-" + s for s in suffixes if s}) - {""}


TAILS = _tails()


def is_form(token: str, word: str, kind: str) -> bool:
    """Whether `token` is `word` or `word` + a suffix: every split is tried."""
    upper = token.isupper()
    if token.lower() == word.lower() and _stem_case_ok(token, word, kind, upper):
        return True
    voiced = morph.voiced_stem(word) if kind in (REGULAR, POSSESSED) else None
    for written in (word, voiced):
        if written is None:
            continue
        for k in range(1, len(token)):
            stem, suffix = token[:-k], token[-k:]
            if stem.lower() == written.lower() and suffix.lower() in TAILS \
                    and _suffix_ok(word, kind, suffix, upper, written) and _stem_case_ok(stem, written, kind, upper):
                return True
    return False


def unit_ok(unit, token: str, inflected: bool) -> bool:
    if not unit.kind:
        return not token[0].isalnum() and _canon_punct(token) == unit.text
    if not token[0].isalnum():
        return False
    if inflected:
        return is_form(token, unit.text, unit.kind)
    return _stem_case_ok(token, unit.text, unit.kind, token.isupper())


def slow_find(matcher: Matcher, text: str) -> list[Match]:
    parts = _SPLIT.split(text)
    tokens = parts[1::2]
    ends = [0]
    for part in parts:
        ends.append(ends[-1] + len(part))
    ends = ends[1:]
    lows = [t.lower() for t in tokens]
    starts = {low[:m] for low in lows for m in range(len(low) + 1)}  # every token's beginnings
    candidates = []  # (first, last, tag)
    for p in matcher.patterns:
        n = len(p.units)
        k = next(j for j, u in enumerate(p.units) if u.kind)
        head = p.units[k].text.lower()
        if head[:-1] not in starts:  # no token begins as the first word does: skip the loop
            continue
        for i in range(len(tokens) - n + 1):
            # a necessary condition only, to keep the test quick: the first word's letters
            if not lows[i + k].startswith(head[:-1]):
                continue
            if all(unit_ok(u, tokens[i + j], j == n - 1) for j, u in enumerate(p.units)):
                candidates.append((i, i + n - 1, (p.priority, p.order, p.id)))
    for i in range(2, len(tokens)):  # names before a shared plural head: the matcher's own rule
        if tokens[i] in matcher._groups:
            matcher._coordinated(tokens, i, candidates.append)
    if not candidates and "-" not in text:
        return []
    ranked = sorted((ends[2 * f] - ends[2 * last + 1], ends[2 * f], tag, f, last) for f, last, tag in candidates)
    taken: set[int] = set()
    found = []
    for _, start, tag, first, last in ranked:
        if taken.isdisjoint(range(first, last + 1)):
            taken.update(range(first, last + 1))
            end = ends[2 * last + 1]
            found.append(Match(tag[2], text[start:end], start, end))
    found.sort(key=lambda m: m.start)
    # hyphenated compounds: the matcher's own pass, which looks at the found matches only
    return matcher._add_compound_parts(parts, found) if "-" in text else found


@pytest.fixture(scope="module")
def lines():
    text = (ROOT / "corpora/flores200/dev/kaz_Cyrl.dev").read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip()]


def random_glossary(words: list[str], rng: random.Random, n: int) -> list[GlossaryEntry]:
    """Every kind of pattern: terms of the text's own words (so that most tokens start
    one), persons, names before possessed heads, quoted organisations with legal
    forms, acronyms, Latin names, variants, compound-only forms, statuses."""
    caps = [w for w in words if w[:1].isupper() and w.isalpha()]
    lower = [w for w in words if w.islower() and w.isalpha()]
    acronyms = [w for w in words if w.isupper() and len(w) >= 2] or ["ҚР"]
    out = []
    for i in range(n):
        r = rng.random()
        variants: tuple[str, ...] = ()
        if r < 0.3:
            kk, type_ = " ".join(rng.sample(words, rng.choice((1, 2, 2, 3)))), "org"
        elif r < 0.45:
            kk, type_ = " ".join(rng.sample(caps, rng.choice((2, 3)))), "person"
        elif r < 0.6:
            kk, type_ = f"{rng.choice(caps)} {rng.choice(HEADS)}", "place"
        elif r < 0.67:
            kk, type_ = f"«{rng.choice(caps)}» {rng.choice(('АҚ', 'ЖШС', 'ТҰК» АҚ'))}", "org"
        elif r < 0.77:
            kk, type_ = rng.choice(caps), "place"
            variants = (rng.choice(acronyms), rng.choice(lower) + "-")
        elif r < 0.87:
            kk, type_ = " ".join(rng.sample(lower, rng.choice((1, 2)))), "term"
        elif r < 0.93:
            kk, type_ = rng.choice(("Siemens", "BASF", "Linde", "Google")), "org"
        else:
            kk, type_ = f"— {rng.choice(caps)}", "term"  # opens with punctuation
        status = rng.choice(("approved", "proposed", "", "deprecated")) if rng.random() < 0.2 else "approved"
        out.append(GlossaryEntry(id=f"r{i}", type=type_, kk=kk, en="x", de="x", ru="x",
                                 kk_variants=variants, status=status))
    # entries that compete for one span, so that which one wins is tested: the same
    # term twice, and a two-word term beside the same with its last word without
    # -ы/-і (Жамбыл облыс, Жамбыл облысы: облысы is a form of both)
    for entry in rng.sample(out, n // 10):
        words_of = entry.kk.split(" ")
        kk = entry.kk
        if len(words_of) == 2 and words_of[1][-1:] in ("ы", "і") and rng.random() < 0.7:
            kk = f"{words_of[0]} {words_of[1][:-1]}"
        twin = GlossaryEntry(id=f"{entry.id}.twin", type=entry.type, kk=kk, en="x", de="x", ru="x")
        out.insert(rng.randrange(len(out) + 1), twin)
    return out


def texts_for(entries: list[GlossaryEntry], lines: list[str], rng: random.Random) -> list[str]:
    """Corpus lines, some in capitals, and lines with inflected terms, names listed
    before a plural head, hyphenated compounds and terms after a dash spliced in."""
    out = rng.sample(lines, 150) + [ln.upper() for ln in rng.sample(lines, 15)]
    kks = [e.kk for e in entries]
    heads = [k for k in kks if k.endswith(HEADS)]
    for ln in rng.sample(lines, 150):
        words = ln.split()
        for _ in range(3):
            kk = rng.choice(kks).split(" ")
            term = " ".join([*kk[:-1], rng.choice(sorted(morph.inflections(kk[-1])) or kk[-1:])])
            r = rng.random()
            if r < 0.15:
                term = term.upper()
            elif r < 0.35 and heads:
                names = [" ".join(rng.choice(heads).split()[:-1]) for _ in range(rng.randint(2, 3))]
                term = rng.choice((", ", " мен ", " және ")).join(names) + " " + rng.choice(PLURALS)
            elif r < 0.45:
                term = f"{rng.choice(kks).split()[-1]}-{rng.choice(kks).split()[0]}"
            words.insert(rng.randrange(len(words) + 1), term)
        out.append(" ".join(words))
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_find_equals_the_slow_path_on_random_glossaries(lines, seed):
    rng = random.Random(seed)
    words = sorted({w.strip("«»,.;:()!?\"'") for ln in lines for w in ln.split()} - {""})
    entries = random_glossary(words, rng, 1500)
    matcher = Matcher(entries)
    texts = texts_for(entries, lines, rng)
    expected = {text: slow_find(matcher, text) for text in texts}
    for _ in range(2):  # a first pass fills the per-token caches, a second one reads them
        for text in texts:
            assert matcher.find(text) == expected[text], text
        rng.shuffle(texts)
    # the comparison covered many matches of every kind, not just empty results
    hits = [m for found in expected.values() for m in found]
    assert len(hits) > 600
    assert {e.type for e in entries if e.id in {m.id for m in hits}} >= {"org", "person", "place", "term"}
    assert sum(m.surface.count(" ") >= 1 for m in hits) > 50  # multi-word matches too
