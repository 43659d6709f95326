"""The engine interface: a batch of sentences from one language to another, in input order."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class EngineOptions:
    """Decoding and runtime options. Defaults suit a 2-core CPU."""

    beam_size: int = 4
    batch_size: int = 16          # sentences per batch (upper bound)
    max_batch_tokens: int = 2048  # source tokens per batch (engines that batch by tokens)
    max_length: int = 256         # generated tokens per sentence
    device: str = "cpu"
    threads: int = 0              # 0 = engine default for this machine
    quantization: str = "int8"    # ctranslate2 only
    use_vmap: bool = True         # ctranslate2: restrict the output layer when the model has a vmap.txt
    restrict_vocabulary: bool = False  # transformers: output layer limited to de/en/ru corpus tokens

    def as_dict(self) -> dict:
        return asdict(self)


class Engine(ABC):
    """Translate batches of sentences. Implementations import their heavy libraries
    (torch, ctranslate2) inside their own module only."""

    name: str = "engine"

    def translate(self, sentences: Sequence[str], src: str, tgt: str) -> list[str]:
        """Translate `sentences` from `src` to `tgt` (our codes: kk, de, en, ru);
        the result has one string per input, in input order."""
        return self.translate_many(sentences, src, [tgt])[tgt]

    @abstractmethod
    def translate_many(self, sentences: Sequence[str], src: str,
                       tgts: Sequence[str]) -> dict[str, list[str]]:
        """Translate into several target languages at once, so an engine can encode
        each sentence once; one list per target, in input order."""

    def check_pair(self, src: str, tgt: str) -> None:
        """Raise LanguageError when the model cannot translate src -> tgt."""

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
