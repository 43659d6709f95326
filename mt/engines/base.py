"""The engine interface: a batch of sentences from one language to another, in input order."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from mt import languages
from mt.engines.split import plan
from mt.errors import LanguageError
from mt.types import EngineResult, Note


@dataclass(frozen=True)
class EngineOptions:
    """Decoding and runtime options. Defaults suit a 2-core CPU."""

    beam_size: int = 4
    batch_size: int = 16          # sentences per batch (upper bound)
    max_batch_tokens: int = 2048  # source tokens per batch (engines that batch by tokens)
    max_length: int = 256         # generated tokens per sentence
    device: str = "cpu"
    threads: int = 0              # 0 = engine default for this machine
    workers: int = 0              # ctranslate2: decoding workers sharing one model (0 = 2 where 2+ threads)
    quantization: str = "int8"    # ctranslate2 only
    use_vmap: bool = True         # ctranslate2: restrict the output layer when the model has a vmap.txt
    restrict_vocabulary: bool = False  # transformers: output layer limited to de/en/ru corpus tokens

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class Engine(ABC):
    """Translate batches of sentences. Implementations import their heavy libraries
    (torch, ctranslate2) inside their own module only."""

    name: str = "engine"

    def translate(self, sentences: Sequence[str], src: str, tgt: str) -> list[str]:
        """The texts of translate_many for one target (our codes: kk, de, en, ru), one
        string per input, in input order."""
        return [r.text for r in self.translate_many(sentences, src, [tgt])[tgt]]

    @abstractmethod
    def translate_many(self, sentences: Sequence[str], src: str,
                       tgts: Sequence[str]) -> dict[str, list[EngineResult]]:
        """Translate into several target languages at once, so an engine can encode
        each sentence once; per target one result per input sentence, in input order,
        each with the notes of what happened to it (split, cut at the length limit)."""

    # -- languages: every engine builds its markers from the one table in mt.languages --

    family: str = ""
    multi_target: bool = True  # Opus-MT: False for single-pair models (no >>xxx<< tokens)

    def known_token(self, token: str) -> bool:
        """Whether `token` is one entry of the model's vocabulary."""
        raise NotImplementedError

    def declared_pair(self) -> tuple[str | None, str | None]:
        """(source, target) a single-pair Opus-MT model declares in its tokenizer config."""
        return None, None

    def source_markers(self, src: str, tgt: str) -> tuple[str, ...]:
        """Tokens that open each source row (see mt.languages.source_markers)."""
        return languages.source_markers(self.family, src, tgt, self.known_token, multi_target=self.multi_target)

    def target_markers(self, tgt: str) -> tuple[str, ...]:
        """Tokens the decoder is forced to start with, after its start token."""
        return languages.target_markers(self.family, tgt, self.known_token)

    def check_pair(self, src: str, tgt: str) -> None:
        """Raise LanguageError when the model cannot translate src -> tgt."""
        languages.language(src)
        languages.language(tgt)
        if src == tgt:
            raise LanguageError(f"source and target language are both '{src}'", hint="choose another target")
        self.source_markers(src, tgt)
        self.target_markers(tgt)
        if self.family == "marian" and not self.multi_target:
            self._check_declared_pair(src, tgt)

    def _check_declared_pair(self, src: str, tgt: str) -> None:
        """A single-pair Opus-MT model names its languages (source_lang/target_lang;
        groups like 'trk' or 'mul' cover several, so only a known other language fails)."""
        known = set(languages.LANGUAGES) | set(languages.ISO3.values())
        for ours, declared, side in zip((src, tgt), self.declared_pair(), ("source", "target")):
            declared = (declared or "").split("_")[0].lower()
            if declared in known and declared not in (ours, languages.ISO3[ours]):
                raise LanguageError(f"this model translates {side} language '{declared}', not '{ours}'",
                                    hint="pick a model for this language pair")

    # -- inspection: what the model really sees and is forced to produce (engine contract) --

    def source_tokens(self, sentences: Sequence[str], src: str, tgt: str) -> list[list[str]]:
        """The source rows as the model receives them, as vocabulary tokens."""
        raise NotImplementedError

    def forced_tokens(self, sentences: Sequence[str], src: str, tgt: str, steps: int = 2) -> list[list[str]]:
        """The first `steps` tokens the model outputs per sentence (after the decoder's
        start token), forced prefix included."""
        raise NotImplementedError

    # -- over-long sentences: pieces that fit (mt.engines.split) --

    max_source_tokens: int = 0

    def count_tokens(self, text: str) -> int:
        """Source tokens of `text` without markers."""
        raise NotImplementedError

    def plan(self, sentences: Sequence[str]) -> tuple[list[str], list[int], list[tuple[Note, ...]]]:
        """Pieces to translate, the sentence each belongs to, and each sentence's notes:
        a sentence over max_source_tokens is split at clauses, then words, never cut."""
        return plan(sentences, self.count_tokens, self.max_source_tokens)

    def checked_targets(self, src: str, tgts: Sequence[str]) -> list[str]:
        """`tgts` without repeats, each pair checked before any work starts."""
        unique = list(dict.fromkeys(tgts))
        for tgt in unique:
            self.check_pair(src, tgt)
        return unique

    @property
    @abstractmethod
    def signature(self) -> str:
        """Identifies engine, model, revision and decoding options (translation memory key)."""
