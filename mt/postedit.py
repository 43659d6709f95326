"""Post-edited XLIFF (2.0 or 1.2) into translation-memory units, verified.

A CAT tool or a script that rewrites mt's XLIFF may damage what the translator never
meant to change (a source with a lost word) and drop mt's own records (the draft in each
unit). So before anything is stored:

1. Sources. Each unit's source must be the sentence mt segmented for that unit id, after
   whitespace normalisation (runs of white space are one space; ends trimmed). The
   sentences come from, in this order: the release given with --release; the alignment
   mt wrote beside the drafts (RELEASE.align.jsonl, found from the XLIFF's name or its
   <file original>); the release named by <file original> itself, segmented again.
   Failing all three, the memory: each source must be a sentence it holds for the pair.
   A changed or unknown source is a one-line error naming the unit; nothing is stored.
   Units are stored under mt's sentence, so the next `mt translate` finds them.
2. Edits. A unit is edited when its target differs from mt's draft: the draft the file
   records (XLIFF 2.0 <mda:metadata>, 1.2 <alt-trans origin="mt-draft">) or, where the
   file lost it, a machine draft the memory holds for that sentence; unchanged when it
   equals it; without a recorded draft when neither exists.
3. Origins. Edited units are human translations; unchanged units a translator confirmed
   (reviewed/final, 1.2 signed-off/final) are approved machine output; confirmed units
   without a recorded draft count as human (a translator's text is never demoted); the
   rest (unchanged and unconfirmed, or unconfirmed without a draft) are skipped.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from mt.errors import InputError
from mt.formats import read_bilingual
from mt.formats.xliff import Bilingual, Unit
from mt.release import align_path, alignment_sources, output_stem, prepare
from mt.tm import MemoryUnit, TranslationMemory
from mt.types import APPROVED, HUMAN, MACHINE

CONFIRMED = ("reviewed", "final")
_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Whitespace-normalised text: what two tools may differ in without changing a sentence."""
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Reference:
    """The sentences mt segmented for a release: index -> (paragraph, text)."""

    name: str
    sentences: dict[int, tuple[int, str]]


@dataclass(frozen=True)
class Imported:
    """What one file gives the memory, and what was found on the way."""

    path: str
    units: tuple[MemoryUnit, ...]
    total: int
    edited: int
    unchanged: int
    no_draft: int
    untranslated: int        # units whose target is still the source (OmegaT's layout), skipped
    drafts_from_memory: int  # of the drafts compared, those the memory (not the file) recorded
    checked_against: str     # where the sources were checked

    def summary(self) -> str:
        human = sum(u.origin == HUMAN for u in self.units)
        approved = sum(u.origin == APPROVED for u in self.units)
        where = f", {self.drafts_from_memory} of them from the memory" if self.drafts_from_memory else ""
        left = f", {self.untranslated} not translated" if self.untranslated else ""
        return (f"{self.total} units: {self.edited} edited, {self.unchanged} unchanged, {self.no_draft} without a "
                f"recorded draft{left} (drafts compared: {self.edited + self.unchanged}{where}); "
                f"storing {human} as human translations and {approved} as confirmed machine output, skipping "
                f"{self.total - human - approved}; sources checked against {self.checked_against}")


def _xliff_stem(path: Path, lang: str) -> str:
    """release.de.xlf (.xliff, .omegat.xliff) -> release."""
    name = path.name
    for suffix in (".xlf", ".xliff", ".omegat"):
        name = name.removesuffix(suffix)
    return name.removesuffix(f".{lang}")


def _candidates(bilingual: Bilingual) -> list[Path]:
    """Alignments, then releases, that may hold the sentences this file was made from."""
    here = Path(bilingual.path).parent
    aligns = [here / f"{_xliff_stem(Path(bilingual.path), bilingual.tgt_lang)}.align.jsonl"]
    releases: list[Path] = []
    if bilingual.original and bilingual.original != "-":
        original = Path(bilingual.original)
        releases = [original] if original.is_absolute() else [here / original, here / original.name, original]
        aligns += [align_path(output_stem(str(original), str(here)))]
        aligns += [align_path(output_stem(str(release), None)) for release in releases]
    return [*dict.fromkeys(aligns), *dict.fromkeys(releases)]


def find_reference(bilingual: Bilingual, release: str | None = None) -> Reference | None:
    """The sentences mt segmented for the file's release (see the module's docstring)."""
    if release:
        return Reference(release, {s.index: (s.paragraph, s.text) for s in prepare(release).segments})
    for candidate in _candidates(bilingual):
        if not candidate.is_file():
            continue
        if candidate.name.endswith(".align.jsonl"):
            sentences = alignment_sources(candidate)
            if sentences:
                return Reference(str(candidate), sentences)
        else:
            return Reference(str(candidate), {s.index: (s.paragraph, s.text) for s in prepare(candidate).segments})
    return None


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _changed(unit: Unit, expected: str, bilingual: Bilingual, where: str) -> InputError:
    return InputError(f"unit {unit.id}: its source is not the sentence mt segmented ({where} has "
                      f"«{_short(expected)}», the file «{_short(unit.source)}»)", file=bilingual.path, line=unit.line,
                      hint="another tool changed the source: restore it as mt wrote it (only targets are "
                           "post-edited), then import again")


def verified_sources(bilingual: Bilingual, reference: Reference | None,
                     known: set[str]) -> dict[str, str]:
    """Unit id -> mt's sentence for it; a unit whose source is not that sentence is an
    error. `known`: the sources the memory holds for the pair (used without a reference)."""
    out = {}
    for unit in bilingual.units:
        if reference is not None:
            paragraph, text = reference.sentences.get(unit.index, (-1, ""))
            if paragraph != unit.paragraph:
                raise InputError(f"unit {unit.id}: no such sentence in {reference.name}", file=bilingual.path,
                                 line=unit.line, hint="give the XLIFF of this release (or pass --release RELEASE)")
            if squeeze(unit.source) != squeeze(text):
                raise _changed(unit, text, bilingual, reference.name)
            out[unit.id] = text
        elif squeeze(unit.source) in known:
            out[unit.id] = squeeze(unit.source)
        else:
            raise InputError(f"unit {unit.id}: cannot check its source: the release is not found and the memory "
                             f"does not hold this sentence («{_short(unit.source)}»)", file=bilingual.path,
                             line=unit.line, hint="pass --release RELEASE (the Kazakh release this file was made "
                                                  "from), or import into the memory that translated it")
    return out


def from_bilingual(path: str, memory: TranslationMemory | None, translator: str = "",
                   release: str | None = None) -> Imported:
    """The memory units a post-edited XLIFF file gives (see the module's docstring);
    `memory` (None: a memory not made yet) gives recorded drafts and known sentences."""
    bilingual = read_bilingual(path)
    src, tgt = bilingual.src_lang, bilingual.tgt_lang
    reference = find_reference(bilingual, release)
    candidates = [squeeze(u.source) for u in bilingual.units]
    if reference is not None:
        candidates = [reference.sentences.get(u.index, (0, ""))[1] for u in bilingual.units]
    stored = memory.stored(candidates, src, tgt) if memory is not None else []
    sources = verified_sources(bilingual, reference, {source for source, _, _ in stored})
    machine: dict[str, set[str]] = {}
    for source, target, kind in stored:
        if kind == MACHINE:
            machine.setdefault(source, set()).add(squeeze(target))
    now, units = time.time(), []
    edited = unchanged = no_draft = untranslated = from_memory = 0
    for unit in bilingual.units:
        source, target = sources[unit.id], squeeze(unit.target)
        if not target:
            untranslated += 1
            continue
        drafts = {squeeze(unit.draft)} if unit.draft is not None else machine.get(source, set())
        confirmed = unit.state in CONFIRMED
        origin: str | None  # None: skipped
        from_memory += unit.draft is None and bool(drafts)
        if not drafts:
            no_draft += 1
            origin = HUMAN if confirmed else None
        elif target in drafts:
            unchanged += 1
            origin = APPROVED if confirmed else None
        else:
            edited += 1
            origin = HUMAN
        if origin is not None:
            units.append(MemoryUnit(src, tgt, source, unit.target, origin, translator, now, now))
    checked = reference.name if reference is not None else "the memory's sentences"
    return Imported(path, tuple(units), len(bilingual.units), edited, unchanged, no_draft, untranslated, from_memory,
                    checked)
