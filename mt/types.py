"""The data that flows through the pipeline. Frozen dataclasses, nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field

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
        return getattr(self, lang)

    def variants(self, lang: str) -> tuple[str, ...]:
        return getattr(self, f"{lang}_variants")


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
class Translation:
    segment: int
    lang: str
    source: str
    text: str
    terms: tuple[TermCheck, ...] = ()
    origin: str = "engine"  # "engine", "tm" (machine translation from the memory) or "human" (a translator's)
    spans: tuple[Span, ...] = ()  # the source's inline markup carried onto `text` (mt.inline)


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


@dataclass(frozen=True)
class OrgForms:
    """An organisation name in the three targets (mt.glossary.orgs.translate_org).
    confidence: 1.0 every word known (lexicon, place table, quoted name); 0.7 a proper
    name part was transliterated; `unknown` lists words the lexicon lacked (then no forms)."""

    en: str
    de: str
    ru: str
    confidence: float
