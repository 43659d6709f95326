"""Glossary suggestions from post-edits: where a translator consistently changed how a
glossary term or an unknown name was rendered, propose the translator's form.

For every post-edited unit (target differs from the draft mt wrote), the draft and the
edit are compared word by word (difflib); the draft's rendering of each term (found
inflection-aware by mt.glossary.verify) or unknown name (its transliteration, as
mt.glossary.proposals proposes it) is followed into the edit. A form is proposed when
the translator changed it the same way at least `min_count` times and never another way
(nor left it as it was in a unit they edited).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mt.glossary.match import Matcher, match_segments
from mt.glossary.names import find_unknown_names
from mt.glossary.proposals import propose_entries, target_forms
from mt.glossary.verify import find_form
from mt.types import Candidate, GlossaryEntry, Segment

_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Change:
    """How one term or name was rendered in one unit: mt's draft form and the edit's."""

    key: str      # glossary id, or "kk:" + the unknown name's Kazakh form
    lang: str
    draft: str
    edited: str
    unit: str
    file: str
    type: str = ""  # for an unknown name: person, org, place or term, as mt.glossary.names guesses


def _tokens(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text)]


def follow(draft: str, edited: str, span: tuple[int, int]) -> str | None:
    """The part of `edited` that corresponds to draft[span], by a word-level diff;
    None when the edit dropped it entirely."""
    a_tokens, b_tokens = _tokens(draft), _tokens(edited)
    first = next((i for i, (s, e) in enumerate(a_tokens) if e > span[0]), None)
    last = max((i for i, (s, e) in enumerate(a_tokens) if s < span[1]), default=None)
    if first is None or last is None or last < first:
        return None
    words = difflib.SequenceMatcher(None, [draft[s:e] for s, e in a_tokens], [edited[s:e] for s, e in b_tokens],
                                    autojunk=False)
    lo = hi = None
    for tag, i1, i2, j1, j2 in words.get_opcodes():
        if i2 <= first or i1 > last or (i1 == i2 and not (first < i1 <= last)):
            continue
        if tag == "equal":
            j1, j2 = j1 + max(0, first - i1), j2 - max(0, i2 - 1 - last)
        if j1 < j2:
            lo = j1 if lo is None else min(lo, j1)
            hi = j2 if hi is None else max(hi, j2)
    if lo is None or hi is None:  # set together
        return None
    return edited[b_tokens[lo][0]:b_tokens[hi - 1][1]]


def _find(text: str, phrase: str) -> tuple[int, int] | None:
    at = text.lower().find(phrase.lower()) if phrase else -1
    return (at, at + len(phrase)) if at >= 0 else None


def changes(units: Sequence, lang: str, entries: Sequence[GlossaryEntry], file: str = "") -> list[Change]:
    """Renderings of terms and unknown names in post-edited `units` (mt.formats.xliff.Unit)."""

    matcher = Matcher(list(entries)) if entries else None
    by_id = {entry.id: entry for entry in entries}
    found: list[Change] = []
    for unit in units:
        if unit.draft is None or unit.target == unit.draft.strip():
            continue
        segment = Segment(unit.paragraph, unit.index, unit.source)
        spans: list[tuple[str, str, tuple[int, int] | None]] = []
        for hit_id in dict.fromkeys(h.id for h in (match_segments([segment], matcher) if matcher else [])):
            entry = by_id[hit_id]
            span = find_form(unit.draft, entry, lang) or _find(unit.draft, entry.target(lang))
            spans.append((hit_id, entry.type, span))
        for cand in find_unknown_names([segment], matcher):
            form = dict(zip(("en", "de", "ru"), target_forms(cand)))[lang]
            spans.append((f"kk:{cand.kk}", cand.type, _find(unit.draft, form)))
        for key, kind, span in spans:
            if span is None:
                continue  # mt's draft does not hold the form: nothing to learn from the edit
            edited = follow(unit.draft, unit.target, span)
            if edited:
                found.append(Change(key, lang, unit.draft[span[0]:span[1]], edited, unit.id, file, kind))
    return found


def suggestions(found: Sequence[Change], entries: Sequence[GlossaryEntry], min_count: int = 2
                ) -> list[GlossaryEntry]:
    """Proposed entries (status proposed) for consistent changes: an existing entry with
    the translator's form for that language (same id), or a new entry for an unknown name."""

    by_id = {entry.id: entry for entry in entries}
    groups: dict[tuple[str, str], list[Change]] = defaultdict(list)
    for change in found:
        groups[(change.key, change.lang)].append(change)
    proposals: dict[str, GlossaryEntry] = {}
    for (key, lang), items in groups.items():
        forms = {c.edited for c in items}
        if len(forms) != 1 or len(items) < min_count or any(c.edited == c.draft for c in items):
            continue
        form = forms.pop()
        where = ", ".join(sorted({f"{c.file or '-'} {c.unit}" for c in items}))
        note = f"post-edited {lang} '{items[0].draft}' -> '{form}' in {len(items)} unit(s): {where}"
        if key.startswith("kk:"):
            kk = key[3:]
            base = proposals.get(key) or propose_entries([Candidate(kk, items[0].type or "term", kk, 0, 0,
                                                                    len(kk))])[0]
        else:
            base = proposals.get(key) or by_id[key]
        target: dict[str, Any] = {lang: form}  # field name -> value: a target language, a str field
        proposals[key] = dataclasses.replace(base, **target, status="proposed", file="", line=0,
                                             note=f"{base.note}; {note}" if key in proposals else note)
    return list(proposals.values())
