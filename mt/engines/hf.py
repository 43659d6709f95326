"""Transformers engine: AutoTokenizer + AutoModelForSeq2SeqLM.generate for NLLB-200,
M2M100, MADLAD-400 (T5) and Opus-MT (Marian) models.

How a target language is chosen differs per family:
  nllb, m2m100  source carries the source code; the decoder starts with the target code
  madlad        source starts with a <2xx> token
  marian        multi-target models: source starts with >>xxx<<; single-pair models: none
Sentences longer than the model accepts are split at clause boundaries, translated
piece by piece and rejoined (recorded in `notes`), never cut.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from mt.engines.base import Engine, EngineOptions
from mt.errors import LanguageError, ModelError, MtError
from mt.languages import ISO3, LANGUAGES, codes_for, family_of, lang_token_id, language
from mt.models import parse_model, resolve, revision_of

log = logging.getLogger(__name__)

# After , ; : followed by space (so 2,5 and 10:00 stay whole), or before a spaced dash.
_CLAUSE = re.compile(r"(?<=[,;:])\s+|\s+(?=[–—-]\s)")
_SPECIAL_MARGIN = 3  # language/prefix token + </s> + one spare
_LEVELS = ("clauses", "words", "characters")


@dataclass(frozen=True)
class SplitNote:
    """A sentence that was too long for the model and was translated in pieces."""

    text: str
    tokens: int
    limit: int
    pieces: int
    how: str  # "clauses", "words" (last resort) or "characters" (a single giant word)


class HFEngine(Engine):
    name = "hf"

    def __init__(self, model: str, options: EngineOptions | None = None) -> None:
        self.options = options or EngineOptions()
        self.ref = parse_model(model)
        self.folder = resolve(self.ref)
        self.revision = revision_of(self.ref, self.folder)
        self._torch = _import_torch()
        if self.options.threads > 0:
            self._torch.set_num_threads(self.options.threads)
        self.device = _device(self._torch, self.options.device)
        self.tokenizer, self.model = _load(self.folder, self.ref.name, self.device)
        vocab = set(self.tokenizer.get_vocab()) if self.model.config.model_type in ("t5", "mt5") else set()
        self.family = family_of(self.model.config.model_type, type(self.tokenizer).__name__, vocab)
        self.max_source_tokens = self._source_limit()
        self.notes: list[SplitNote | str] = []

    # -- public ---------------------------------------------------------------------

    @property
    def signature(self) -> str:
        return f"hf:{self.ref.name}@{self.revision}:beam{self.options.beam_size}:maxlen{self.options.max_length}"

    def translate(self, sentences: Sequence[str], src: str, tgt: str) -> list[str]:
        return self.translate_many(sentences, src, [tgt])[tgt]

    def translate_many(self, sentences: Sequence[str], src: str,
                       tgts: Sequence[str]) -> dict[str, list[str]]:
        tgts = list(dict.fromkeys(tgts))
        for tgt in tgts:
            self.check_pair(src, tgt)
        pieces, owners = self.plan(sentences)
        return {tgt: _rejoin(self.translate_pieces(pieces, src, tgt), owners, len(sentences)) for tgt in tgts}

    def check_pair(self, src: str, tgt: str) -> None:
        """LanguageError unless this model can translate src -> tgt."""
        language(src)
        language(tgt)
        if src == tgt:
            raise LanguageError(f"source and target language are both '{src}'", hint="choose another target")
        if self.family in ("nllb", "m2m100"):
            lang_token_id(self.tokenizer, self.family, src)
            lang_token_id(self.tokenizer, self.family, tgt)
        elif self.family == "madlad":
            lang_token_id(self.tokenizer, self.family, tgt)
        elif self._marian_multi():
            lang_token_id(self.tokenizer, self.family, tgt)
        else:
            _check_marian_pair(self.tokenizer, src, tgt)

    def plan(self, sentences: Sequence[str]) -> tuple[list[str], list[int]]:
        """Pieces to translate and the sentence each belongs to. Sentences within the
        limit are one piece; longer ones are split; empty ones have no piece."""
        pieces: list[str] = []
        owners: list[int] = []
        for i, sentence in enumerate(sentences):
            for piece in self.split(sentence):
                pieces.append(piece)
                owners.append(i)
        return pieces, owners

    def split(self, text: str) -> list[str]:
        """`text` as pieces that each fit the model (clauses first, then words)."""
        text = text.strip()
        if not text:
            return []
        count = self.count_tokens(text)
        if count <= self.max_source_tokens:
            return [text]
        pieces, how = self._pack(_CLAUSE.split(text), "clauses")
        note = SplitNote(text, count, self.max_source_tokens, len(pieces), how)
        self.notes.append(note)
        log.warning("a %d-token sentence exceeds the model's %d-token limit; translated as %d pieces split at %s",
                    count, self.max_source_tokens, len(pieces), how)
        return pieces

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def translate_pieces(self, pieces: Sequence[str], src: str, tgt: str) -> list[str]:
        """Translate pieces that already fit, sorted by length and batched by token
        budget; results in input order."""
        lengths = [self.count_tokens(p) for p in pieces]
        results = [""] * len(pieces)
        skip = len(self.decoder_prefix(tgt))
        for batch in self.batches(lengths):
            rows = self.generate_ids([pieces[i] for i in batch], src, tgt)
            for i, text in zip(batch, self.decode([row[skip:] for row in rows]), strict=True):
                results[i] = text
        return results

    def batches(self, lengths: Sequence[int]) -> list[list[int]]:
        """Indices grouped longest first; a batch holds at most batch_size sentences
        and (longest x count) <= max_batch_tokens, so padding stays small."""
        order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
        limit, budget = max(1, self.options.batch_size), max(1, self.options.max_batch_tokens)
        batches: list[list[int]] = []
        batch: list[int] = []
        for i in order:
            longest = lengths[batch[0]] if batch else lengths[i]
            if batch and (len(batch) >= limit or longest * (len(batch) + 1) > budget):
                batches.append(batch)
                batch = []
            batch.append(i)
        if batch:
            batches.append(batch)
        return batches

    def generate_ids(self, texts: Sequence[str], src: str, tgt: str) -> list[list[int]]:
        """Generated token ids per text, decoder prefix included ([start, tgt code, ...]
        for NLLB and M2M100)."""
        inputs = self.encode(texts, src, tgt)
        prefix = self.decoder_prefix(tgt)
        return self.generate(inputs, [prefix] * len(texts))

    def encode(self, texts: Sequence[str], src: str, tgt: str):
        """Tokenised source batch (tensors on the engine's device)."""
        if self.family in ("nllb", "m2m100"):
            self.tokenizer.src_lang = codes_for(self.family, src)[0]
        texts = [self.source_prefix(tgt) + t for t in texts]
        return self.tokenizer(list(texts), return_tensors="pt", padding=True).to(self.device)

    def source_prefix(self, tgt: str) -> str:
        if self.family == "madlad" or (self.family == "marian" and self._marian_multi()):
            return lang_token_id(self.tokenizer, self.family, tgt)[0] + " "
        return ""

    def decoder_prefix(self, tgt: str) -> list[int]:
        start = self.model.generation_config.decoder_start_token_id
        if start is None:
            start = self.model.config.decoder_start_token_id
        if self.family in ("nllb", "m2m100"):
            return [start, lang_token_id(self.tokenizer, self.family, tgt)[1]]
        return [start]

    def generate(self, inputs, prefixes: Sequence[Sequence[int]], **overrides) -> list[list[int]]:
        """The one model.generate call. `inputs` holds input_ids + attention_mask (or
        encoder_outputs + attention_mask); each row's decoder starts with its prefix, so
        one batch may decode into several languages."""
        torch = self._torch
        decoder_input_ids = torch.tensor([list(p) for p in prefixes], dtype=torch.long, device=self.device)
        settings = {"num_beams": self.options.beam_size,
                    "max_new_tokens": self._max_new_tokens(decoder_input_ids.shape[1]),
                    "do_sample": False, **overrides}
        with torch.inference_mode():
            out = self.model.generate(**inputs, decoder_input_ids=decoder_input_ids, **settings)
        rows = out.tolist()
        self._note_long_outputs(rows, decoder_input_ids.shape[1], settings["max_new_tokens"])
        return rows

    def decode(self, rows: Sequence[Sequence[int]]) -> list[str]:
        """Text of generated ids with the decoder prefix already removed."""
        return [text.strip() for text in self.tokenizer.batch_decode(rows, skip_special_tokens=True)]

    # -- helpers --------------------------------------------------------------------

    def _marian_multi(self) -> bool:
        return bool(getattr(self.tokenizer, "supported_language_codes", None))

    def _max_new_tokens(self, prefix: int) -> int:
        """max_length, bounded by the positions the decoder has (Marian's are fixed)."""
        positions = getattr(self.model.config, "max_position_embeddings", None)
        if isinstance(positions, int) and 0 < positions < 1_000_000:
            return max(1, min(self.options.max_length, positions - prefix))
        return self.options.max_length

    def _source_limit(self) -> int:
        limits = [self.options.max_length]
        for value in (getattr(self.model.config, "max_position_embeddings", None),
                      getattr(self.tokenizer, "model_max_length", None)):
            if isinstance(value, int) and 0 < value < 1_000_000:
                limits.append(value)
        return max(1, min(limits) - _SPECIAL_MARGIN)

    def _pack(self, parts: list[str], level: str) -> tuple[list[str], str]:
        """Greedily join consecutive parts while they fit; a part still too long is
        split at spaces, and a single giant word at characters. Returns the pieces and
        the finest level that was needed."""
        pieces: list[str] = []
        current = ""
        needed = level
        for part in parts:
            joined = f"{current} {part}" if current else part
            if self.count_tokens(joined) <= self.max_source_tokens:
                current = joined
                continue
            if current:
                pieces.append(current)
            if self.count_tokens(part) <= self.max_source_tokens:
                current = part
                continue
            if level == "clauses":
                sub, finer = self._pack(part.split(), "words")
            else:
                sub, finer = self._chars(part), "characters"
            needed = max(needed, finer, key=_LEVELS.index)
            pieces.extend(sub[:-1])
            current = sub[-1]
        if current:
            pieces.append(current)
        return pieces, needed

    def _chars(self, word: str) -> list[str]:
        size = max(1, len(word) * self.max_source_tokens // max(1, self.count_tokens(word)))
        while size > 1 and any(self.count_tokens(word[i:i + size]) > self.max_source_tokens
                               for i in range(0, len(word), size)):
            size //= 2
        return [word[i:i + size] for i in range(0, len(word), size)]

    def _note_long_outputs(self, rows: list[list[int]], prefix: int, max_new: int) -> None:
        eos = self.model.generation_config.eos_token_id
        eos_ids = set(eos if isinstance(eos, list) else [eos])
        for row in rows:
            generated = row[prefix:]
            if len(generated) >= max_new and not eos_ids.intersection(generated):
                self.notes.append(f"output reached max_length={max_new} tokens without ending; "
                                  "raise --max-length if it is cut")


def _rejoin(texts: list[str], owners: list[int], n: int) -> list[str]:
    parts: list[list[str]] = [[] for _ in range(n)]
    for owner, text in zip(owners, texts, strict=True):
        if text:
            parts[owner].append(text)
    return [" ".join(p) for p in parts]


def _check_marian_pair(tokenizer, src: str, tgt: str) -> None:
    """A single-pair Opus-MT model names its languages in tokenizer_config
    (source_lang/target_lang; groups like 'trk' or 'mul' cover several)."""
    known = set(LANGUAGES) | set(ISO3.values())
    for ours, declared, side in ((src, getattr(tokenizer, "source_lang", None), "source"),
                                 (tgt, getattr(tokenizer, "target_lang", None), "target")):
        declared = (declared or "").split("_")[0].lower()
        if declared in known and declared not in (ours, ISO3[ours]):
            raise LanguageError(f"this model translates {side} language '{declared}', not '{ours}'",
                                hint="pick a model for this language pair")


def _import_torch():
    try:
        import torch
    except ImportError:
        raise ModelError("the transformers engine needs torch", hint="run `make install`") from None
    return torch


def _device(torch, device: str) -> str:
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ModelError(f"device {device} requested but no CUDA GPU is available", hint="use --device cpu")
    if not re.fullmatch(r"cpu|cuda(:\d+)?|mps", device):
        raise ModelError(f"unknown device '{device}'", hint="use cpu, cuda or cuda:N")
    return device


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _load(folder, name: str, device: str):
    """Tokenizer and model from a folder; every failure becomes one ModelError line."""
    import transformers
    from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer
    from transformers.models.auto.modeling_auto import MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING_NAMES

    transformers.utils.logging.disable_progress_bar()
    try:
        config = AutoConfig.from_pretrained(folder)
    except Exception as exc:
        raise ModelError(f"cannot read the model config of {name}: {_first_line(exc)}",
                         hint="the folder is incomplete or corrupt; download or save it again") from None
    if config.model_type not in MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING_NAMES:
        raise ModelError(f"{name} is a '{config.model_type}' model, not a sequence-to-sequence translation model",
                         hint="use an NLLB-200, M2M100, MADLAD-400 or Opus-MT model")
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
            tokenizer = AutoTokenizer.from_pretrained(folder)
        model = AutoModelForSeq2SeqLM.from_pretrained(folder, config=config)
    except MtError:
        raise
    except Exception as exc:
        raise ModelError(f"cannot load {name}: {_first_line(exc)}",
                         hint="the model files are incomplete or corrupt; download or save them again") from None
    model.eval()
    model.to(device)
    return tokenizer, model
