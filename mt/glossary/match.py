"""Find glossary terms in Kazakh text, inflected forms included.

Token-level hashing instead of a character automaton: the text is split into
word and punctuation tokens once; each distinct token is analysed once as
`stem + suffix` (a split at each known suffix, one dict lookup for the stem).
Multi-word terms are indexed by their first word, two-word terms by their second
(inflected) word, terms that open with punctuation by the token before their first
word. Only the last word of a term inflects, so all other words are exact dict hits.
Cost is linear in the number of tokens and independent of the number of entries.

Hot path (`find`): one regex split gives tokens and, from their lengths, their
offsets; one dict maps every token seen to what it sets off (`_Trigger`): its best
one-word term, and dicts keyed by the token after it (longer terms) or before it
(two-word terms, terms after punctuation), so a token costs one lookup per kind it
has. Candidates of one span keep only their best tag; only overlapping candidates
can exclude one another, so the longest-first choice runs on each run of
overlapping candidates alone and the rest are taken as they are. Tokens are
compiled into triggers once, when first seen; what a (word, kind) ending sets off is
shared by all its inflected forms. The cached pieces are plain tuples of strings
and numbers, which the garbage collector stops scanning. eval/match_diff.py checks
`find` against an earlier revision, eval/match_speed.py times it.

Two passes cover what a term's own words cannot: names listed before one shared plural
head (Жамбыл, Қостанай мен Павлодар облыстарында: one hit per region entry, built from
the possessed head's plural, morphology.plural_head_forms), and names inside a
hyphenated compound (Қазақстан-Германия; a kk variant ending in "-", қазақ-, matches only
there). Both cost nothing on sentences without a plural head or a hyphen.

Why not pyahocorasick: not installed here, and an automaton over generated
surface forms would need ~100 forms per entry (5 million keys for 50,000
entries); the suffix tables depend only on a word's sound class, so a split
plus a lookup covers the same forms without listing them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, compress
from typing import NamedTuple

from mt.glossary import morphology as morph
from mt.types import GlossaryEntry, Segment, TermHit

MATCHING_STATUSES = frozenset({"approved", "proposed", ""})

# Every non-space character belongs to a token, so the gaps are whitespace.
_TOKEN = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*|[^\w\s]|_")
_SPLIT = re.compile(f"({_TOKEN.pattern})")
_QUOTES = str.maketrans({c: '"' for c in "«»“”„‟\"″‹›"} | {c: "'" for c in "’‘ʼ`"})
_HYPHENS = str.maketrans({"‐": "-", "‑": "-"})
_LATIN = re.compile(r"[A-Za-z]")

# Word kinds: how the last word of a pattern may be inflected and cased.
REGULAR, POSSESSED, ACRONYM, LATIN = "regular", "possessed", "acronym", "latin"

# Pattern priorities when two entries cover the same span: the entry's own kk
# form first, then its variants, then the derived patterns (surname alone ...).
_PRIMARY, _VARIANT, _DERIVED = 0, 1, 2
_GROUPED = 3  # subtracted from a name's priority inside a list before a plural head
_CACHE_LIMIT = 2_000_000  # distinct tokens remembered
_PREFIX = 3  # letters of a stem indexed for the fast reject


@dataclass(frozen=True)
class Match:
    """A glossary term in a text: character offsets into that text."""

    id: str
    surface: str
    start: int
    end: int


class _Unit(NamedTuple):
    text: str  # a word as written, or a canonical punctuation character
    kind: str  # word kind, or "" for punctuation


class _Pattern(NamedTuple):
    id: str
    units: tuple[_Unit, ...]
    priority: int
    order: int



def tokenize(text: str) -> list[tuple[int, int, str]]:
    """(start, end, surface) of each word (hyphenated words are one) and each
    punctuation character."""
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _canon_punct(ch: str) -> str:
    return ch.translate(_QUOTES)


def _word_kind(word: str, *, last: bool, multiword: bool) -> str:
    if _LATIN.search(word):
        return LATIN
    if morph.is_acronym(word):
        return ACRONYM
    if last and multiword and morph.ends_in_px3(word):
        return POSSESSED
    return REGULAR


def _units(form: str, pool: dict[_Unit, _Unit] | None = None) -> tuple[_Unit, ...]:
    """The form's words and punctuation; each unit taken from `pool` where an equal
    one is there (the garbage collector scans every NamedTuple, and 50,000 entries
    share their words)."""
    toks = _TOKEN.findall(form.translate(_HYPHENS))
    multiword = sum(1 for t in toks if t[0].isalnum()) > 1
    last = len(toks) - 1
    units = []
    for i, tok in enumerate(toks):
        if tok[0].isalnum():
            unit = _Unit(tok, _word_kind(tok, last=i == last, multiword=multiword))
        else:
            unit = _Unit(_canon_punct(tok), "")
        units.append(unit if pool is None else pool.setdefault(unit, unit))
    return tuple(units)


# What joins the names of a coordinated list: Жамбыл, Қостанай мен Павлодар облыстары
_LIST_JOINERS = frozenset({",", "мен", "бен", "пен", "және", "немесе"})
_LEGAL_FORM = re.compile(r"^[А-ЯӘҒҚҢӨҰҮҺІA-Z]{2,4}$")


def _quoted_core(units: tuple[_Unit, ...]) -> tuple[_Unit, ...] | None:
    """«Қазхром» ТҰК» АҚ -> «Қазхром»: the innermost quoted name of an
    organisation written with its legal form(s)."""
    quotes = [i for i, u in enumerate(units) if u.text == '"' and not u.kind]
    if len(quotes) < 2:
        return None
    first, second = quotes[0], quotes[1]
    core = units[first: second + 1]
    rest = [u for u in units[:first] + units[second + 1:] if u.kind]
    if len(core) < 3 or not rest or not all(_LEGAL_FORM.match(u.text) for u in rest):
        return None
    return core


def _derived(entry: GlossaryEntry, units: tuple[_Unit, ...]) -> list[tuple[_Unit, ...]]:
    """Extra patterns: a person's surname alone, initial + surname, surname +
    given name; an organisation's quoted name without its legal form."""
    words = [u for u in units if u.kind]
    out: list[tuple[_Unit, ...]] = []
    if entry.type == "person" and len(words) == len(units) and family_name_first([u.text for u in words]):
        family = words[0]
        out.append((_Unit(family.text, _word_kind(family.text, last=True, multiword=False)),))
    elif entry.type == "person" and len(words) >= 2 and len(words) == len(units):
        first, last = words[0], words[-1]
        surname = _Unit(last.text, _word_kind(last.text, last=True, multiword=False))
        out.append((surname,))
        out.append((_Unit(first.text[0], REGULAR), _Unit(".", ""), surname))
        given = _Unit(first.text, _word_kind(first.text, last=True, multiword=False))
        out.append((_Unit(last.text, _word_kind(last.text, last=False, multiword=True)), given))
    if entry.type == "org":
        core = _quoted_core(units)
        if core:
            out.append(core)
    return out


_VOWEL_RUN = re.compile(r"[аәеёиоөуұүыіэюя]+", re.IGNORECASE)
# Kazakh and Russian surname and patronymic endings: a name with one is given-name first
_SURNAME_END = re.compile(r"(ов|ев|ёв|ова|ева|ёва|ұлы|қызы|вич|вна|ский|ская)$", re.IGNORECASE)


def family_name_first(words: Sequence[str]) -> bool:
    """Whether a person's name is written family name first, as Korean, Chinese and
    Vietnamese names are (Пак Чжи Хун, Ли Мин Хо, Си Цзиньпин): a one-syllable first
    word before a given name of one-syllable words, or of one word of at most two
    syllables, and no Kazakh or Russian surname ending anywhere (Ли Анатолий is
    caught by the syllables; Такэши Ямада, Асхат Шахаров are given-name first)."""
    syllables = [len(_VOWEL_RUN.findall(w)) for w in words]
    if len(words) < 2 or any(_SURNAME_END.search(w) and n > 1 for w, n in zip(words, syllables)):
        return False  # (Мин, Ин are syllables, not surname endings)
    if syllables[0] != 1 or 0 in syllables:
        return False
    given = syllables[1:]
    return all(n == 1 for n in given) or (len(given) == 1 and given[0] <= 2)


def _stem_case_ok(stem: str, word: str, kind: str, all_upper: bool) -> bool:
    """Latin words and acronyms match exactly; a Kazakh word may also be
    capitalised (sentence start) or written in capitals (headlines)."""
    if stem == word:
        return True
    if kind in (LATIN, ACRONYM):
        return False
    if word[:1].islower() and stem == word[:1].upper() + word[1:]:
        return True
    return all_upper and stem == word.upper()


# Tokens a unit accepts: a tuple, not a frozenset (at most three words, or the few
# characters of a quote), so that the garbage collector stops scanning what holds it.
_Forms = tuple[str, ...]

# canonical quote -> every character written for it
_PUNCT_FORMS = {q: tuple(sorted({c for c in map(chr, _QUOTES) if _canon_punct(c) == q} | {q})) for q in "\"'"}


def _accepted_forms(unit: _Unit) -> _Forms:
    """Every token a unit accepts as written, each once: exactly the tokens that
    `_stem_case_ok` (words) or quote canonicalisation (punctuation) let through."""
    word, kind = unit
    if not kind:
        return _PUNCT_FORMS.get(word) or (word,)
    forms = [word]
    if kind not in (LATIN, ACRONYM):
        if word[:1].islower():
            forms.append(word[:1].upper() + word[1:])
        upper = word.upper()
        if upper.isupper() and upper not in forms:
            forms.append(upper)
    return tuple(forms)


_Tag = tuple[int, int, str]  # priority, entry order, id: how candidates of one span rank


# A pattern as `find` checks it once its trigger token is seen, as a plain tuple of
# strings and numbers (which the garbage collector stops scanning; a NamedTuple it
# scans for ever): (offset: index of the trigger unit, the first word; size: number
# of units; checks: (unit index, accepted tokens) for the units checked by spelling;
# last: (word, kind) the last token must be a form of, or None; tag; before: the
# tokens the unit before the trigger accepts, empty if offset is 0).
_Compiled = tuple[int, int, tuple[tuple[int, _Forms], ...], tuple[str, str] | None, _Tag, _Forms]

# What a token sets off, grouped so that `find` mostly does one dict lookup on a
# neighbouring token instead of a check per pattern. Candidates of one span differ
# only in their tag and only the lowest can be taken, so where a group has one span
# it keeps only its best tag; an empty group is None:
# (alone: the best one-word pattern the token is a form of, the token is a match;
#  by_next: next token as written -> patterns to finish;
#  pairs: two words, this token the inflected second: token before -> best tag;
#  by_prev: patterns that open with punctuation: token before -> patterns to check;
#  head: whether the token is a plural head names may share, `Matcher._coordinated`)
_Trigger = tuple[_Tag | None, dict[str, tuple[_Compiled, ...]] | None, dict[str, _Tag] | None,
                 dict[str, tuple[_Compiled, ...]] | None, bool]

# a plural head (облыстарында) that sets nothing off itself: the sentence still needs the
# pass over names listed before it (`Matcher._coordinated`)
_HEAD_ONLY: _Trigger = (None, None, None, None, True)
# (best one-word pattern, longer patterns that open with it, two-word patterns it ends:
# first word as written -> best tag), for a (word, kind) a token is a form of
_Ending = tuple[_Tag | None, tuple[_Compiled, ...], dict[str, _Tag] | None]
_Candidate = tuple[int, int, _Tag]  # first token, last token, tag


class Matcher:
    """Inflection-aware matcher over a glossary's Kazakh forms.

    `find(text)` returns non-overlapping matches, longest first, then leftmost.
    Only approved and proposed entries match."""

    def __init__(self, entries: Sequence[GlossaryEntry]):
        self.patterns: list[_Pattern] = []
        self._tags: list[_Tag] = []  # each pattern's tag, made in the build: no new objects in `find`
        # stem as written before a suffix (lower case) -> (word, kind, that stem, (word, kind))
        # for each word that may end a pattern; Одақ is filed under одақ and одағ (Одағы)
        self._stems: dict[str, Sequence[tuple[str, str, str, tuple[str, str]]]] = {}
        # first word of a pattern, not itself inflected: lower-case key -> pattern numbers
        self._by_word: dict[str, Sequence[int]] = {}
        # first word that is also the last unit: (word, kind) -> pattern numbers
        self._by_last: dict[tuple[str, str], Sequence[int]] = {}
        # two-word patterns, by their second word: (word, kind) -> pattern numbers
        self._by_second: dict[tuple[str, str], Sequence[int]] = {}
        # patterns compiled for `find` once a token triggers them, and their shared parts
        self._compiled: dict[int, _Compiled] = {}
        # (word, kind) a token is a form of -> what that sets off (`_Ending`)
        self._endings: dict[tuple[str, str], _Ending] = {}
        self._forms: dict[_Unit, _Forms] = {}
        self._analyses: dict[str, tuple[tuple[str, str], ...]] = {}
        # tokens already looked at, and those that may start a pattern
        # every token looked at -> what it triggers, or False
        self._seen: dict[str, _Trigger | bool] = {}
        self._compound_only: dict[str, _Tag] = {}
        self._hyphen_seen: dict[str, bool] = {}  # hyphenated token -> may a part be a term
        self.types: dict[str, str] = {entry.id: entry.type for entry in entries}
        pool: dict[_Unit, _Unit] = {}  # one object for equal units (`_units`)
        for order, entry in enumerate(entries):
            if entry.status not in MATCHING_STATUSES:
                continue
            self._add_entry(entry, order, pool)
        self._tails = frozenset(morph.any_suffix() | {"-" + s for s in morph.any_suffix() if s}) - {""}
        self._max_tail = max(map(len, self._tails))
        self._tail_ends = frozenset(t[-k:] for t in self._tails for k in range(1, len(t) + 1))
        # Fast reject before any suffix analysis: a token can only be stem + suffix
        # if it starts with a stem, i.e. its first _PREFIX letters are a stem's.
        self._prefixes = frozenset(stem[:_PREFIX] for stem in self._stems)
        # tuples of strings and ints drop out of the garbage collector's scans; lists never do
        self._stems = {k: tuple(v) for k, v in self._stems.items()}
        self._by_word = {k: tuple(v) for k, v in self._by_word.items()}
        self._by_last = {k: tuple(v) for k, v in self._by_last.items()}
        self._by_second = {k: tuple(v) for k, v in self._by_second.items()}
        self._short = tuple(sorted({len(stem) for stem in self._stems if len(stem) < _PREFIX}))
        self._groups = self._group_heads()

    def _group_heads(self) -> dict[str, dict[tuple[str, ...], _Tag]]:
        """Plural head forms (облыстарында, аудандарының) -> the names that may share them
        (Жамбыл облысы, Қостанай облысы: ("Жамбыл",), ("Қостанай",))."""
        groups: dict[str, dict[tuple[str, ...], _Tag]] = {}
        for pattern in self.patterns:
            units = pattern.units
            if pattern.priority == _DERIVED or len(units) < 2 or not all(u.kind for u in units) \
                    or units[-1].kind != POSSESSED:
                continue
            names = tuple(u.text for u in units[:-1])
            # ranks before any entry of the bare name: Ақтөбе және Павлодар облыстарында
            # names two regions, though Ақтөбе alone is the city
            tag = (pattern.priority - _GROUPED, pattern.order, pattern.id)
            for form in morph.plural_head_forms(units[-1].text):
                groups.setdefault(form, {}).setdefault(names, tag)
        return groups

    def _coordinated(self, tokens: list[str], head: int, add: Callable[[_Candidate], None]) -> None:
        """Жамбыл, Қостанай мен Павлодар облыстарында: each name before a shared plural
        head is a hit of its own entry; the last one's span takes the head."""
        names = self._groups[tokens[head]]
        longest = max(map(len, names))
        found: list[tuple[int, int, _Tag]] = []
        j = head - 1
        while j >= 0:
            hit = next(((j - n + 1, names[key]) for n in range(min(longest, j + 1), 0, -1)
                        if (key := tuple(tokens[j - n + 1: j + 1])) in names), None)
            if hit is None:
                break
            found.append((hit[0], j, hit[1]))
            k = hit[0] - 1
            if k >= 1 and tokens[k] in _LIST_JOINERS:
                k -= 1
                if k >= 1 and tokens[k] == "," and tokens[k + 1] == "және":
                    k -= 1
            else:
                break
            j = k
        if len(found) < 2:
            return
        for n, (first, last, tag) in enumerate(found):
            last = head if n == 0 else last
            add((first, last, tag))

    def __len__(self) -> int:
        return len(self.patterns)

    def _add_entry(self, entry: GlossaryEntry, order: int, pool: dict[_Unit, _Unit]) -> None:
        seen: set[tuple[_Unit, ...]] = set()
        forms = [(entry.kk, _PRIMARY)] + [(v, _VARIANT) for v in entry.kk_variants]
        for form, priority in forms:
            if form.strip().endswith("-") and " " not in form.strip():
                # a form used only as part of a hyphenated compound: қазақ- (қазақ-мажар)
                self._compound_only.setdefault(form.strip()[:-1].lower(), (priority, order, entry.id))
                continue
            units = _units(form.strip(), pool) if form and form.strip() else ()
            if not any(u.kind for u in units):
                continue
            for pattern_units, prio in [(units, priority)] + [(d, _DERIVED) for d in _derived(entry, units)]:
                if pattern_units not in seen:
                    seen.add(pattern_units)
                    self._add_pattern(_Pattern(entry.id, pattern_units, prio, order))

    def _add_pattern(self, pattern: _Pattern) -> None:
        number = len(self.patterns)
        self.patterns.append(pattern)
        self._tags.append((pattern.priority, pattern.order, pattern.id))
        units = pattern.units
        last = units[-1]
        if last.kind:
            voiced = morph.voiced_stem(last.text) if last.kind in (REGULAR, POSSESSED) else None
            for written in (last.text, voiced):
                if written is None:
                    continue
                stems = self._stems.setdefault(written.lower(), [])
                assert isinstance(stems, list)  # lists until __init__ freezes the tables
                # with the (word, kind) pair `_analyse` returns: made once here, not per token
                entry = (last.text, last.kind, written, (last.text, last.kind))
                if entry not in stems:
                    stems.append(entry)
        offset = _first_word(units)
        if offset == len(units) - 1:
            numbers = self._by_last.setdefault((last.text, last.kind), [])
        elif len(units) == 2 and last.kind:  # two words: found from the second, inflected one
            numbers = self._by_second.setdefault((last.text, last.kind), [])
        else:
            numbers = self._by_word.setdefault(units[offset].text.lower(), [])
        assert isinstance(numbers, list)  # lists until __init__ freezes the tables
        numbers.append(number)

    def _compile(self, number: int) -> _Compiled:
        compiled = self._compiled.get(number)
        if compiled is not None:
            return compiled
        pattern = self.patterns[number]
        units = pattern.units
        size = len(units)
        offset = _first_word(units)
        last = units[-1]
        inflected = bool(last.kind)  # a final word is checked by analysis, not by spelling
        # a pattern that opens with its trigger has its unit 1 checked by `_Trigger.by_next`
        checks = tuple((j, self._forms_of(units[j])) for j in range(size - 1 if inflected else size)
                       if j != offset and (offset or j != 1))
        final = (last.text, last.kind) if inflected and offset != size - 1 else None
        before = self._forms_of(units[offset - 1]) if offset else ()
        compiled = (offset, size, checks, final, self._tags[number], before)
        self._compiled[number] = compiled
        return compiled

    def _forms_of(self, unit: _Unit) -> _Forms:
        forms = self._forms.get(unit)
        if forms is None:
            forms = self._forms[unit] = _accepted_forms(unit)
        return forms

    # -- analysis of one token (cached: each distinct token is analysed once) ----

    def _analyse(self, token: str) -> tuple[tuple[str, str], ...]:
        """The (word, kind) pairs the token is an inflected form of."""
        hit = self._analyses.get(token)
        if hit is not None:
            return hit
        low = token.lower()
        prefixes = self._prefixes
        if low[:_PREFIX] not in prefixes and not any(low[:n] in prefixes for n in self._short):
            self._analyses[token] = ()
            return ()
        upper = token.isupper()
        all_stems = self._stems
        found = [pair for word, kind, written, pair in all_stems.get(low, ())
                 if written == word and _stem_case_ok(token, word, kind, upper)]
        tails, ends = self._tails, self._tail_ends
        for k in range(1, min(len(token), self._max_tail + 1)):
            tail = low[-k:]
            if tail not in ends:
                break  # no suffix ends in this string: longer cuts cannot match either
            if tail in tails:
                stems = all_stems.get(low[:-k])
                if stems:
                    stem, suffix = token[:-k], token[-k:]
                    for word, kind, written, pair in stems:
                        if _suffix_ok(word, kind, suffix, upper, written) \
                                and _stem_case_ok(stem, written, kind, upper):
                            found.append(pair)
        result = tuple(found)
        self._analyses[token] = result
        return result

    def _triggers_of(self, token: str) -> _Trigger | bool:
        """What the token sets off, grouped; False if nothing. Runs once per distinct
        token, and nearly every pattern it meets is met for the first time: the
        patterns are read directly, not prepared first."""
        if not token[0].isalnum():
            return False
        firsts = self._by_word.get(token.lower(), ())
        forms = self._analyse(token)
        if not firsts and not forms:  # most tokens
            return token in self._groups and _HEAD_ONLY
        upper = token.isupper()
        patterns = self.patterns
        by_next: dict[str, tuple[_Compiled, ...]] | None = None
        other: list[_Compiled] = []  # patterns that open with punctuation
        for number in firsts:
            pattern = patterns[number]
            units = pattern.units
            head = units[0]
            if not head.kind:
                head = units[_first_word(units)]
                if token == head.text or _stem_case_ok(token, head.text, head.kind, upper):
                    other.append(self._compile(number))
                continue
            if token != head.text and not _stem_case_ok(token, head.text, head.kind, upper):
                continue
            one = (self._compile(number),)
            if by_next is None:
                by_next = dict.fromkeys(self._forms_of(units[1]), one)
            else:
                for form in self._forms_of(units[1]):
                    by_next[form] = by_next.get(form, ()) + one
        alone: _Tag | None = None
        pairs: dict[str, _Tag] | None = None
        endings = self._endings
        for analysis in forms:
            best_alone, longer, firsts_of = endings.get(analysis) or self._ending(analysis)
            if best_alone is not None and (alone is None or best_alone < alone):
                alone = best_alone
            if longer:
                other.extend(longer)
            if firsts_of is not None:
                if pairs is None:
                    pairs = firsts_of  # shared, read only; copied before a merge
                else:
                    pairs = {**pairs}
                    for form, tag in firsts_of.items():
                        best = pairs.get(form)
                        if best is None or tag < best:
                            pairs[form] = tag
        by_prev: dict[str, tuple[_Compiled, ...]] | None = None
        if other:
            by_prev = {}
            for compiled in other:
                for form in compiled[5]:  # the tokens the unit before accepts
                    by_prev[form] = by_prev.get(form, ()) + (compiled,)
        if alone is None and by_next is None and pairs is None and by_prev is None:
            return token in self._groups and _HEAD_ONLY
        return (alone, by_next, pairs, by_prev, token in self._groups)

    def _ending(self, analysis: tuple[str, str]) -> _Ending:
        """What a token that is a form of `analysis` (word, kind) sets off as a pattern's
        last word (once per pair): the best one-word pattern; the longer patterns whose
        first word it is, compiled; and the two-word patterns it ends, by the tokens
        their first word accepts, with the best tag per token."""
        alone: _Tag | None = None
        longer: list[_Compiled] = []
        for number in self._by_last.get(analysis, ()):
            pattern = self.patterns[number]
            if len(pattern.units) == 1:
                tag = self._tags[number]
                if alone is None or tag < alone:
                    alone = tag
            else:
                longer.append(self._compile(number))
        pairs: dict[str, _Tag] | None = None
        for number in self._by_second.get(analysis, ()):
            tag = self._tags[number]
            forms = self._forms_of(self.patterns[number].units[0])
            if pairs is None:
                pairs = dict.fromkeys(forms, tag)
                continue
            for form in forms:
                best = pairs.get(form)
                if best is None or tag < best:
                    pairs[form] = tag
        ending = (alone, tuple(longer), pairs)
        self._endings[analysis] = ending
        return ending

    # -- matching -------------------------------------------------------------------

    def find(self, text: str) -> list[Match]:
        parts = _SPLIT.split(text)
        found = self._find_tokens(text, parts)
        if "-" not in text:
            return found
        return self._add_compound_parts(parts, found)

    def _may_name(self, token: str) -> bool:
        """Whether a hyphenated token has a part that may be a term (remembered)."""
        if len(self._hyphen_seen) > _CACHE_LIMIT:
            self._hyphen_seen.clear()
        answer = any(p[:1].isupper() or p.lower() in self._compound_only for p in token.split("-"))
        self._hyphen_seen[token] = answer
        return answer

    def _part_tag(self, part: str) -> _Tag | None:
        """The entry a part of a hyphenated compound names: a one-word term (Қазақстан,
        Германия) or a compound-only form (қазақ- in қазақ-мажар)."""
        tag = self._compound_only.get(part.lower())
        if tag is not None:
            return tag
        if not part[:1].isupper():
            return None
        tags = [(p.priority, p.order, p.id) for analysis in self._analyse(part)
                for p in (self.patterns[n] for n in self._by_last.get(analysis, ())) if len(p.units) == 1]
        return min(tags) if tags else None

    def _add_compound_parts(self, parts: list[str], found: list[Match]) -> list[Match]:
        """Names inside a hyphenated compound: Қазақстан-Ресей, Қазақстан-Германия,
        қазақ-мажар; each part that is a term becomes a match of its own."""
        # most hyphenated words (сондай-ақ, қарым-қатынас) name nothing: decided once per word
        seen = self._hyphen_seen
        named = {tok for tok in parts[1::2] if "-" in tok and (
            seen[tok] if tok in seen else self._may_name(tok))}
        if not named:
            return found
        hyphenated = [t for t in range(1, len(parts), 2) if parts[t] in named]
        offsets = list(accumulate(map(len, parts)))
        extra: list[Match] = []
        for t in hyphenated:
            pieces = parts[t].split("-")
            last = pieces[-1]
            if last.lower() in morph.any_suffix() or (last.islower() and len(last) <= 4):
                continue  # ЕҚДБ-ның, АҚШ-тық: a suffix after a hyphen, not a compound
            start, end = offsets[t - 1], offsets[t]
            if any(f.start < end and start < f.end for f in found):
                continue  # the whole compound is a term (Жаңа-Әлжан ..., СНПС-АМГ)
            pos = start
            for piece in pieces:
                tag = self._part_tag(piece)
                if tag is not None:
                    extra.append(Match(tag[2], piece, pos, pos + len(piece)))
                pos += len(piece) + 1
        return sorted(found + extra, key=_start) if extra else found

    def _find_tokens(self, text: str, parts: list[str]) -> list[Match]:
        # parts: gap, token, gap, token, ..., gap: token t spans ends[2t] .. ends[2t + 1]
        tokens = parts[1::2]
        seen = self._seen
        triggers = list(map(seen.get, tokens))
        if None in triggers:  # tokens not seen before: analysed once, then remembered
            new = set(tokens).difference(seen)
            if len(seen) + len(new) > _CACHE_LIMIT:  # bound memory on endless corpora
                seen.clear()
                self._analyses.clear()
                new = set(tokens)
            for token in new:
                seen[token] = self._triggers_of(token)
            triggers = list(map(seen.get, tokens))
        if not any(triggers):  # most sentences of a text stop here
            return []
        before = ["", *tokens]  # the token before each ("" is no token)
        after = tokens[1:]
        after.append("")
        fits = self._fits
        # (first token, last token, tag), in order of the first token unless `ordered` is off
        candidates: list[_Candidate] = []
        add = candidates.append
        ordered = True
        heads: list[int] = []  # plural heads, for the pass over the names before them
        for i in compress(range(len(tokens)), triggers):
            alone, by_next, pairs, by_prev, head = triggers[i]  # type: ignore[misc]  # compress: no False
            if pairs is not None:
                tag = pairs.get(before[i])
                if tag is not None:
                    add((i - 1, i, tag))
            if by_prev is not None:
                for c in by_prev.get(before[i], ()):
                    first = i - c[0]
                    if fits(tokens, first, c):
                        add((first, first + c[1] - 1, c[4]))  # size, tag
                        ordered = False
            if alone is not None:
                add((i, i, alone))
            if by_next is not None:
                for c in by_next.get(after[i], ()):
                    if fits(tokens, i, c):
                        add((i, i + c[1] - 1, c[4]))  # size, tag
            if head:
                heads.append(i)
        for i in heads:
            if i >= 2:
                self._coordinated(tokens, i, add)
                ordered = False
        if not candidates:
            return []
        if not ordered:
            candidates.sort()
        return _select(text, list(accumulate(map(len, parts))), candidates)

    def _fits(self, tokens: list[str], first: int, c: _Compiled) -> bool:
        """Whether the tokens from `first` on match the pattern's checked units."""
        _, size, checks, last, _, _ = c
        end = first + size
        if first < 0 or end > len(tokens):
            return False
        for j, forms in checks:
            if tokens[first + j] not in forms:
                return False
        if last is None:
            return True
        forms_of = self._analyses.get(tokens[end - 1])
        return last in (self._analyse(tokens[end - 1]) if forms_of is None else forms_of)


def _first_word(units: tuple[_Unit, ...]) -> int:
    offset = 0
    while not units[offset].kind:
        offset += 1
    return offset


def _select(text: str, ends: list[int], candidates: list[_Candidate]) -> list[Match]:
    """Non-overlapping matches, longest (in characters) first, then leftmost, then by
    tag; returned by position. `candidates` come in order of their first token.

    Only candidates that overlap can exclude one another, so the greedy choice is
    made within each run of overlapping candidates; a candidate that overlaps
    nothing (most of them) is taken as it is."""
    out: list[Match] = []
    emit = out.append
    group_start = 0
    reach = -1  # last token covered by the current run
    for k, (first, last, _) in enumerate(candidates):
        if first > reach:  # a new run starts: settle the previous one
            if k - group_start == 1:
                f, l_, t = candidates[group_start]
                start, end = ends[2 * f], ends[2 * l_ + 1]
                emit(_new_match(t[2], text[start:end], start, end))
            elif k:
                out.extend(_settle(text, ends, candidates[group_start:k]))
            group_start = k
            reach = last
        elif last > reach:
            reach = last
    if len(candidates) - group_start == 1:
        f, l_, t = candidates[group_start]
        start, end = ends[2 * f], ends[2 * l_ + 1]
        emit(_new_match(t[2], text[start:end], start, end))
    else:
        out.extend(_settle(text, ends, candidates[group_start:]))
    return out


def _settle(text: str, ends: list[int], run: list[_Candidate]) -> list[Match]:
    """The greedy choice within one run of overlapping candidates."""
    ranked = sorted((ends[2 * first] - ends[2 * last + 1], ends[2 * first], tag, first, last)
                    for first, last, tag in run)
    taken: list[tuple[int, int]] = []
    chosen: list[Match] = []
    for _, start, tag, first, last in ranked:
        if any(first <= t_last and t_first <= last for t_first, t_last in taken):
            continue
        taken.append((first, last))
        end = ends[2 * last + 1]
        chosen.append(_new_match(tag[2], text[start:end], start, end))
    chosen.sort(key=_start)
    return chosen


def _new_match(id_: str, surface: str, start: int, end: int) -> Match:
    """Match(id_, surface, start, end) at half the cost: a frozen dataclass's __init__
    sets each field through object.__setattr__; this fills the instance dict at once.
    The result is the same object (tests/test_match.py compares the two)."""
    match = _NEW(Match)
    match.__dict__.update(id=id_, surface=surface, start=start, end=end)
    return match


_NEW = object.__new__


def _start(match: Match) -> int:
    return match.start


@cache
def _word_suffixes(word: str, kind: str, written: str) -> frozenset[str]:
    """The suffixes written after `written`, the spelling of `word` before them
    (Одақ: Одақ + тың, Одағ + ы)."""
    regular = dict(morph.stem_forms(word)).get(written, frozenset())
    if kind == POSSESSED and written == word:
        # A multi-word name ending in -ы/-і is nearly always a possessed head
        # (облысы, Ахметұлы); regular forms are kept for the rare other case.
        return regular | morph.suffixes(word, px3=True)
    return regular


def _suffix_ok(word: str, kind: str, suffix: str, upper: bool, written: str | None = None) -> bool:
    hyphen = suffix.startswith(("-", "‐", "‑"))
    body = suffix[1:] if hyphen else suffix
    if upper and (hyphen or kind not in (ACRONYM, LATIN)):
        body = body.lower()  # a headline in capitals: ГЕРМАНИЯНЫҢ, ЕҚДБ-НЫҢ
    if body != body.lower():
        return False
    if kind == LATIN:
        return hyphen and body in morph.any_suffix()
    if kind == ACRONYM:
        return body in morph.any_suffix()
    return not hyphen and body in _word_suffixes(word, kind, word if written is None else written)


def match_segments(segments: Sequence[Segment], matcher: Matcher) -> list[TermHit]:
    """Glossary hits of each segment; offsets into that segment's text."""
    return [TermHit(seg.index, m.id, m.surface, m.start, m.end)
            for seg in segments for m in matcher.find(seg.text)]
