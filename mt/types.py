"""The data that flows through the pipeline: frozen dataclasses, and the two small
Protocols (progress, memory) that the pipeline is typed against."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

SOURCE_LANG = "kk"
# Origins of a translation-memory unit: an engine's output, or a translator's decision
# (their own text, or machine output they confirmed); decisions are strongest first.
MACHINE, HUMAN, APPROVED = "machine", "human", "approved"
DECISIONS = (HUMAN, APPROVED)
TARGETS = ("de", "en", "ru")


@dataclass(frozen=True)
class Span:
    """Inline markup over text [start, end): `mark` numbers one piece of formatting of
    the document (a bold run, a link ...; Document.marks describes it). A `mask` span's
    content is kept as it is (inline code, an image, a line break): the engine sees one
    placeholder for it."""

    start: int
    end: int
    mark: int
    mask: bool = False


@dataclass(frozen=True)
class Document:
    """A release: a title line and body paragraphs, as read from one file.

    Formats with structure (docx, html, md) also set `markup` (per block of blocks(),
    its inline Spans over the block's text), `marks` (mark number -> description, for
    messages) and `original` (the file's bytes, for the writer to rebuild it); their
    text is already normalised (mt.normalize) by the reader, so that spans stay put."""

    title: str
    paragraphs: tuple[str, ...]
    path: str = "-"
    markup: tuple[tuple[Span, ...], ...] = ()
    marks: tuple[str, ...] = ()
    original: bytes = field(default=b"", repr=False, compare=False)
    format: str = ""

    def blocks(self) -> tuple[str, ...]:
        """Title first, then paragraphs: block 0 is the title."""
        return (self.title, *self.paragraphs)


@dataclass(frozen=True)
class Segment:
    """One sentence. `paragraph` 0 is the title, 1.. the body paragraphs;
    `index` counts segments from 0 across the whole document."""

    paragraph: int
    index: int
    text: str


@dataclass(frozen=True)
class GlossaryEntry:
    """One concept of a glossary file (one TSV row)."""

    id: str
    type: str
    kk: str
    en: str
    de: str
    ru: str
    kk_variants: tuple[str, ...] = ()
    en_variants: tuple[str, ...] = ()
    de_variants: tuple[str, ...] = ()
    ru_variants: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    strategy: str = ""
    status: str = "approved"
    note: str = ""
    extra: tuple[tuple[str, str], ...] = ()  # unknown columns, kept for lossless round trips
    file: str = ""
    line: int = 0

    def target(self, lang: str) -> str:
        form: str = getattr(self, lang)
        return form

    def variants(self, lang: str) -> tuple[str, ...]:
        forms: tuple[str, ...] = getattr(self, f"{lang}_variants")
        return forms


@dataclass(frozen=True)
class Analysis:
    """A Kazakh word read as stem + suffix chain (mt.glossary.morphology.analyses):
    Одағының -> Одақ + (ы, ның), tags (px3, gen). An uninflected reading has no suffixes."""

    stem: str
    suffixes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class TermHit:
    """A glossary term found in a segment's Kazakh text; offsets into that text."""

    segment: int
    id: str
    surface: str
    start: int
    end: int


@dataclass(frozen=True)
class TermCheck:
    """Whether a required target form appears in one translation."""

    id: str
    required: str
    found: bool
    strategy: str = ""


@dataclass(frozen=True)
class Note:
    """Something that happened to one sentence on its way through the engine (split into
    pieces, output cut at the length limit, a batch retried): kept with the sentence,
    stored with it in the memory, and turned into a QA finding where `check` is set."""

    kind: str           # "split", "truncated", "retried"
    message: str        # for the translator
    check: str = ""     # QA check id of the finding it becomes ("" = none)
    severity: str = "warning"


@dataclass(frozen=True)
class EngineResult:
    """One engine output for one input sentence (CTranslate2's result objects, smaller)."""

    text: str
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Translation:
    segment: int
    lang: str
    source: str
    text: str
    terms: tuple[TermCheck, ...] = ()
    origin: str = "engine"  # "engine", "tm" (machine translation from the memory) or "human" (a translator's)
    spans: tuple[Span, ...] = ()  # the source's inline markup carried onto `text` (mt.inline)
    notes: tuple[Note, ...] = ()  # what the engine reported for this sentence (kept in the memory too)


@dataclass(frozen=True)
class TmMatch:
    """A translation-memory fuzzy match for one segment: a similar source sentence
    (similarity 0-100) and how it was translated."""

    segment: int
    lang: str
    score: float
    source: str
    target: str
    origin: str  # "human" or "machine"


@dataclass(frozen=True)
class Finding:
    """One QA finding. `segment` is the 0-based segment (or line) number."""

    segment: int
    check: str
    severity: str  # "error" | "warning" | "info"
    message: str
    lang: str = ""


@dataclass(frozen=True)
class ReleaseResult:
    """What translating one release produced."""

    document: Document
    segments: tuple[Segment, ...]
    hits: tuple[TermHit, ...]
    translations: dict[str, tuple[Translation, ...]] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    matches: tuple[TmMatch, ...] = ()


@dataclass(frozen=True)
class Prepared:
    """A release read, normalised and segmented: what translate_release takes."""

    document: Document
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class MemoryHit:
    """An exact translation-memory match: the stored target and where it came from."""

    target: str
    origin: str
    creator: str = ""
    notes: tuple[Note, ...] = ()          # the engine's notes when the unit was made
    terms: tuple[TermCheck, ...] = ()     # the term record when the unit was made


@dataclass(frozen=True)
class FuzzyMatch:
    score: float
    source: str
    target: str
    origin: str = "machine"


class Progress(Protocol):
    """A progress sink: mt.progress.bar gives a tqdm one on a terminal, a silent one elsewhere."""

    def update(self, n: int = 1) -> None: ...

    def close(self) -> None: ...


class ProgressFactory(Protocol):
    def __call__(self, total: int, desc: str) -> Progress: ...


class Memory(Protocol):
    """What the pipeline needs of a translation memory (mt.tm.TranslationMemory is one)."""

    def lookup_many(self, sources: Sequence[str], src: str, tgt: str, key: str) -> list[MemoryHit | None]: ...

    def put_many(self, sources: Sequence[str], targets: Sequence[str], src: str, tgt: str, key: str,
                 creator: str = "", records: Sequence[Translation] | None = None) -> None: ...

    def fuzzy_many(self, sources: Sequence[str], src: str, tgt: str, limit: int = 3, cutoff: float = 75.0,
                   origins: Sequence[str] = ("machine", "human")) -> list[list[FuzzyMatch]]: ...


@dataclass(frozen=True)
class NamedEntity:
    """A name the recogniser (mt.glossary.ner) found in a text: characters [start, end),
    its KazNERD type (PERSON, GPE, ORGANISATION, ...) and a confidence in [0, 1], the
    smallest marginal probability of the tags over its tokens."""

    start: int
    end: int
    text: str
    type: str
    confidence: float


@dataclass(frozen=True)
class Candidate:
    """A name in a release without a glossary entry (mt.glossary.names)."""

    kk: str  # base (nominative) form
    type: str  # person | org | place | term
    surface: str  # first occurrence as written
    segment: int
    start: int
    end: int
    count: int = 1
    # how sure the finder is that this is a name of this type, 0-1: the recogniser's
    # marginal probability, or a rule's fixed weight (mt.glossary.names)
    confidence: float = 1.0
    # space-separated: the East Asian country the paragraph names (zh, ko, ja, lower case;
    # mt.glossary.eastasian.country_hint), which decides the transcription system of a
    # person's name when its syllables fit several; then the ISO codes (upper case) of the
    # countries the paragraph and the release name, whose spellings a foreign person's name
    # is read back to (mt.glossary.latin_names)
    country: str = ""


@dataclass(frozen=True)
class OrgForms:
    """An organisation name in the three targets (mt.glossary.orgs.translate_org).
    confidence: 1.0 every word known (lexicon, place table, quoted name); 0.7 a proper
    name part was transliterated; `unknown` lists words the lexicon lacked (then no forms)."""

    en: str
    de: str
    ru: str
    confidence: float
