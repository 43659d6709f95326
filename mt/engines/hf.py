"""Transformers engine: AutoTokenizer + AutoModelForSeq2SeqLM.generate for NLLB-200,
M2M100, MADLAD-400 (T5) and Opus-MT (Marian) models.

How a target language is chosen differs per family:
  nllb, m2m100  source carries the source code; the decoder starts with the target code
  madlad        source starts with a <2xx> token
  marian        multi-target models: source starts with >>xxx<<; single-pair models: none
Sentences longer than the model accepts are split at clause boundaries, translated
piece by piece and rejoined (noted on the sentence's result), never cut (mt/engines/split.py).

Speed: pieces are sorted by length and batched by a token budget; NLLB and M2M100
encode a sentence once and decode every target language from the same encoder states
in one generate call; `restrict_vocabulary` computes the output layer only for the
tokens the target languages use (mt/engines/vocab.py).
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

from mt.engines import vocab as vocab_sets
from mt.engines.base import Engine, EngineOptions
from mt.engines.split import SPECIAL_MARGIN, rejoin, truncated_note
from mt.errors import LanguageError, ModelError, MtError
from mt.languages import TARGET_IN_DECODER, family_of, known_token_id
from mt.models import parse_model, resolve, revision_of
from mt.types import EngineResult

# Families whose decoder starts with the target language token, so one encoder pass
# serves every target. MADLAD and multi-target Opus-MT put the target token in the
# SOURCE: the encoder input differs per language, so they translate per language.
_ENCODE_ONCE = TARGET_IN_DECODER


class HFEngine(Engine):
    name = "hf"

    def __init__(self, model: str, options: EngineOptions | None = None, *,
                 vocabulary: Iterable[int] | None = None, decoding: dict | None = None) -> None:
        self.options = options or EngineOptions()
        self.ref = parse_model(model)
        self.folder = resolve(self.ref)
        self.revision = revision_of(self.ref, self.folder)
        self._torch = _import_torch()
        # 0 keeps torch's own default, which is the machine's (physical) core count;
        # an application or test harness that set a count keeps it.
        if self.options.threads > 0:
            self._torch.set_num_threads(self.options.threads)
        self.device = _device(self._torch, self.options.device)
        self.tokenizer, self.model = _load(self.folder, self.ref.name, self.device)
        vocab = set(self.tokenizer.get_vocab()) if self.model.config.model_type in ("t5", "mt5") else set()
        self.family = family_of(self.model.config.model_type, type(self.tokenizer).__name__, vocab)
        self.multi_target = self.family != "marian" or bool(getattr(self.tokenizer, "supported_language_codes", None))
        self.max_source_tokens = self._source_limit()
        self.decoding = dict(decoding or {})  # extra generate() settings (benchmarks)
        self._head = None  # the model's own output layer while a restriction is on
        self._restriction: _RestrictedHead | None = None
        if vocabulary is None and self.options.restrict_vocabulary:
            vocabulary = self.corpus_vocabulary()
        if vocabulary is not None:
            self.restrict_vocabulary(vocabulary)

    # -- public ---------------------------------------------------------------------

    @property
    def signature(self) -> str:
        base = f"hf:{self.ref.name}@{self.revision}:beam{self.options.beam_size}:maxlen{self.options.max_length}"
        return base + (f":vocab-{self._restriction.digest}" if self._restriction else "")

    def translate_many(self, sentences: Sequence[str], src: str,
                       tgts: Sequence[str]) -> dict[str, list[EngineResult]]:
        tgts = self.checked_targets(src, tgts)
        pieces, owners, notes = self.plan(sentences)
        if len(tgts) > 1 and self.family in _ENCODE_ONCE:
            outputs = self.translate_pieces_many(pieces, src, tgts)
        else:
            outputs = {tgt: self.translate_pieces(pieces, src, tgt) for tgt in tgts}
        return {tgt: rejoin(outputs[tgt], owners, notes) for tgt in tgts}

    def known_token(self, token: str) -> bool:
        return known_token_id(self.tokenizer, token) is not None

    def declared_pair(self) -> tuple[str | None, str | None]:
        return getattr(self.tokenizer, "source_lang", None), getattr(self.tokenizer, "target_lang", None)

    def source_tokens(self, sentences: Sequence[str], src: str, tgt: str) -> list[list[str]]:
        self.check_pair(src, tgt)
        inputs = self.encode(sentences, src, tgt)
        return [self.tokenizer.convert_ids_to_tokens(row[mask.bool()].tolist())
                for row, mask in zip(inputs["input_ids"], inputs["attention_mask"])]

    def forced_tokens(self, sentences: Sequence[str], src: str, tgt: str, steps: int = 2) -> list[list[str]]:
        self.check_pair(src, tgt)
        inputs = self.encode(sentences, src, tgt)
        prefix = self.decoder_prefix(tgt)
        rows = self.generate(inputs, [prefix] * len(sentences), max_new_tokens=steps)
        return [self.tokenizer.convert_ids_to_tokens(row[1:1 + steps]) for row in rows]

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def translate_pieces(self, pieces: Sequence[str], src: str, tgt: str) -> list[EngineResult]:
        """Translate pieces that already fit, sorted by length and batched by token
        budget; results in input order."""
        lengths = [self.count_tokens(p) for p in pieces]
        results = [EngineResult("")] * len(pieces)
        skip = len(self.decoder_prefix(tgt))
        for batch in self.batches(lengths):
            rows = self.generate_ids([pieces[i] for i in batch], src, tgt)
            for i, result in zip(batch, self.results(rows, skip), strict=True):
                results[i] = result
        return results

    def translate_pieces_many(self, pieces: Sequence[str], src: str,
                              tgts: Sequence[str]) -> dict[str, list[EngineResult]]:
        """Encode each batch once and decode it into every target in one generate call:
        the encoder states are repeated per language and each row's decoder starts with
        its own language token (NLLB and M2M100 only)."""
        from transformers.modeling_outputs import BaseModelOutput

        torch = self._torch
        lengths = [self.count_tokens(p) for p in pieces]
        results = {tgt: [EngineResult("")] * len(pieces) for tgt in tgts}
        prefixes = {tgt: self.decoder_prefix(tgt) for tgt in tgts}
        for batch in self.batches(lengths, rows_per_sentence=len(tgts)):
            inputs = self.encode([pieces[i] for i in batch], src, tgts[0])
            with torch.inference_mode():
                states = self.model.get_encoder()(input_ids=inputs["input_ids"],
                                                  attention_mask=inputs["attention_mask"]).last_hidden_state
            k = len(tgts)
            shared = {"encoder_outputs": BaseModelOutput(last_hidden_state=states.repeat(k, 1, 1)),
                      "attention_mask": inputs["attention_mask"].repeat(k, 1)}
            rows = self.generate(shared, [prefixes[t] for t in tgts for _ in batch], source_ids=inputs["input_ids"])
            for j, tgt in enumerate(tgts):
                part = rows[j * len(batch):(j + 1) * len(batch)]
                skip = len(prefixes[tgt])
                for i, result in zip(batch, self.results(part, skip), strict=True):
                    results[tgt][i] = result
        return results

    def batches(self, lengths: Sequence[int], rows_per_sentence: int = 1) -> list[list[int]]:
        """Indices grouped longest first; a batch holds at most batch_size sentences
        and (longest x count) <= max_batch_tokens, so padding stays small. A sentence
        decoded into k languages at once counts k times."""
        order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
        k = max(1, rows_per_sentence)
        limit = max(1, self.options.batch_size // k)
        budget = max(1, self.options.max_batch_tokens // k)
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
        return self.generate(inputs, [prefix] * len(texts), source_ids=inputs["input_ids"])

    def encode(self, texts: Sequence[str], src: str, tgt: str) -> dict:
        """Source batch as tensors on the engine's device: per row the language markers
        as ids, the text's pieces, </s>; right-padded. The markers never go through the
        tokenizer as text, so a tokenizer release that splits them cannot change them."""
        torch = self._torch
        markers = [self._token_id(t) for t in self.source_markers(src, tgt)]
        eos = self.tokenizer.eos_token_id
        pieces = self.tokenizer(list(texts), add_special_tokens=False)["input_ids"]
        rows = [markers + ids + [eos] for ids in pieces]
        width = max(map(len, rows), default=0)
        pad = self.tokenizer.pad_token_id
        ids = [row + [pad] * (width - len(row)) for row in rows]
        mask = [[1] * len(row) + [0] * (width - len(row)) for row in rows]
        return {"input_ids": torch.tensor(ids, dtype=torch.long, device=self.device),
                "attention_mask": torch.tensor(mask, dtype=torch.long, device=self.device)}

    def decoder_prefix(self, tgt: str) -> list[int]:
        """[decoder start, target markers...] as ids."""
        start = self.model.generation_config.decoder_start_token_id
        if start is None:
            start = self.model.config.decoder_start_token_id
        return [start, *(self._token_id(t) for t in self.target_markers(tgt))]

    def _token_id(self, token: str) -> int:
        token_id = known_token_id(self.tokenizer, token)
        if token_id is None:  # markers are checked before; this guards a changed tokenizer
            raise LanguageError(f"the model's vocabulary has no token '{token}'", hint="pick another model")
        return token_id

    def generate(self, inputs, prefixes: Sequence[Sequence[int]], source_ids=None,
                 **overrides) -> list[list[int]]:
        """The one model.generate call. `inputs` holds input_ids + attention_mask (or
        encoder_outputs + attention_mask); each row's decoder starts with its prefix, so
        one batch may decode into several languages. `source_ids` (the batch's source
        tokens) widen a vocabulary restriction by the pieces a translation may copy."""
        torch = self._torch
        if self._restriction is not None:
            self._restriction.allow(self._copyable_ids(source_ids))
        decoder_input_ids = torch.tensor([list(p) for p in prefixes], dtype=torch.long, device=self.device)
        settings = {"num_beams": self.options.beam_size,
                    "max_new_tokens": self._generation_limit(decoder_input_ids.shape[1]),
                    "do_sample": False, **self.decoding, **overrides}
        with torch.inference_mode():
            out = self.model.generate(**inputs, decoder_input_ids=decoder_input_ids, **settings)
        return out.tolist()

    def results(self, rows: Sequence[Sequence[int]], skip: int) -> list[EngineResult]:
        """Results of generate()'s rows (decoder prefix of `skip` ids): the text, and a
        note where an output ran to the length limit without ending."""
        eos = self.model.generation_config.eos_token_id
        eos_ids = set(eos if isinstance(eos, list) else [eos])
        limit = self._generation_limit(skip)
        texts = self.decode([row[skip:] for row in rows])
        return [EngineResult(text, (truncated_note(limit),)
                             if len(row) - skip >= limit and not eos_ids.intersection(row[skip:]) else ())
                for row, text in zip(rows, texts, strict=True)]

    def _generation_limit(self, prefix: int) -> int:
        """New tokens a row may get after a decoder prefix of `prefix` ids."""
        return int(self.decoding.get("max_new_tokens", self._max_new_tokens(prefix)))

    def decode(self, rows: Sequence[Sequence[int]]) -> list[str]:
        """Text of generated ids with the decoder prefix already removed."""
        return [text.strip() for text in self.tokenizer.batch_decode(rows, skip_special_tokens=True)]

    # -- target vocabulary restriction -------------------------------------------------

    def corpus_vocabulary(self, corpora: Path | None = None, glossary: Iterable = (),
                          langs: Sequence[str] = ("de", "en", "ru"), texts: Iterable[str] = ()) -> set[int]:
        """Token ids the target languages use: the pieces of the shipped corpora's
        `langs` text, of the glossary entries' target terms and of any domain `texts`
        (e.g. earlier translations), the language tokens, special tokens and the short
        pieces that can spell anything (mt/engines/vocab.py, the set CTranslate2's
        vmap.txt uses)."""
        texts = (vocab_sets.corpus_texts(corpora, langs) + vocab_sets.glossary_terms(glossary, langs)
                 + list(texts))
        if not texts:
            raise ModelError("no target-language corpus text for a vocabulary restriction",
                             hint="expected corpora/flores200, corpora/ntrex128 and corpora/press-releases")
        extra = vocab_sets.language_tokens(self.family) | set(self.tokenizer.all_special_tokens)
        pieces = vocab_sets.allowed_pieces(self._vocab(), self._encode_pieces, texts, extra)
        ids = {self._vocab()[p] for p in pieces}
        return ids | self._special_ids()

    def restrict_vocabulary(self, token_ids: Iterable[int] | None, method: str = "slice") -> None:
        """Let the decoder produce only `token_ids` (plus special ids and, per batch, the
        source's copyable pieces); None lifts the restriction.

        "slice" computes the output layer for the allowed rows only and writes them into
        a full-vocabulary row of -inf, so generate() and its logits processors keep the
        model's own ids: the saving is the output-layer matmul, about 60% of NLLB's
        decoder work per token. "mask" computes every logit and masks the rest (no saving;
        kept for measuring). Risk: a needed token outside the set cannot be produced."""
        if self._head is not None:
            self.model.set_output_embeddings(self._head)
            self._head, self._restriction = None, None
        if token_ids is None:
            return
        if method not in ("slice", "mask"):
            raise ModelError(f"unknown restriction method '{method}'", hint="use slice or mask")
        head = self.model.get_output_embeddings()
        size = head.weight.shape[0]
        ids = sorted({i for i in token_ids if 0 <= i < size} | self._special_ids())
        self._head = head
        self._restriction = _RestrictedHead.build(self._torch, head, ids, method)
        self.model.set_output_embeddings(self._restriction.module)

    def _vocab(self) -> dict[str, int]:
        if getattr(self, "_vocab_cache", None) is None:
            self._vocab_cache = self.tokenizer.get_vocab()
            self._known = set(self._vocab_cache)
        return self._vocab_cache

    def _encode_pieces(self, texts: list[str]) -> list[list[str]]:
        ids = self.tokenizer(texts, add_special_tokens=False)["input_ids"]
        return [self.tokenizer.convert_ids_to_tokens(row) for row in ids]

    def _special_ids(self) -> set[int]:
        ids = set(self.tokenizer.all_special_ids)
        for config in (self.model.generation_config, self.model.config):
            for name in ("decoder_start_token_id", "eos_token_id", "pad_token_id", "bos_token_id",
                         "forced_eos_token_id"):
                value = getattr(config, name, None)
                ids.update(value if isinstance(value, list) else [value] if isinstance(value, int) else [])
        return ids

    def _copyable_ids(self, source_ids) -> set[int]:
        """Ids of the source pieces a translation may copy (numbers, Latin and Cyrillic
        names), with and without the word-start mark."""
        if source_ids is None:
            return set()
        known = self._vocab()
        found: set[int] = set()
        for piece in self.tokenizer.convert_ids_to_tokens(sorted(set(source_ids.flatten().tolist()))):
            if piece and vocab_sets.copyable(piece) and not vocab_sets.is_special(piece):
                found.update(known[p] for p in vocab_sets.copy_variants(piece, self._known))
        return found

    # -- helpers --------------------------------------------------------------------

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
        return max(1, min(limits) - SPECIAL_MARGIN)


class _RestrictedHead:
    """An output layer limited to `ids` (see HFEngine.restrict_vocabulary); `allow` adds
    a batch's copyable source pieces on top of the fixed set."""

    def __init__(self, torch, head, ids: list[int], method: str) -> None:
        self.torch, self.method = torch, method
        self.size = head.weight.shape[0]
        self.ids = frozenset(ids)
        self.digest = hashlib.sha256(f"{method}:{','.join(map(str, ids))}".encode()).hexdigest()[:8]
        device = head.weight.device
        self.base = torch.tensor(ids, dtype=torch.long, device=device)
        self.extra = self.base[:0]
        self.mask = None
        self.head = head
        with torch.no_grad():
            self.weight = head.weight.index_select(0, self.base).contiguous() if method == "slice" else None
            bias = getattr(head, "bias", None)
            self.bias = bias.index_select(0, self.base) if bias is not None and method == "slice" else None
        self.module = _restricted_module(torch)(self)
        self.allow(set())

    @classmethod
    def build(cls, torch, head, ids: list[int], method: str) -> _RestrictedHead:
        return cls(torch, head, ids, method)

    def allow(self, ids: set[int]) -> None:
        torch = self.torch
        extra = sorted(i for i in ids if i not in self.ids and 0 <= i < self.size)
        self.extra = torch.tensor(extra, dtype=torch.long, device=self.base.device)
        if self.method == "mask":
            mask = torch.full((self.size,), float("-inf"), device=self.base.device)
            mask[self.base] = 0.0
            mask[self.extra] = 0.0
            self.mask = mask

    def logits(self, hidden):
        torch = self.torch
        if self.method == "mask":
            return self.head(hidden) + self.mask
        out = hidden.new_full((*hidden.shape[:-1], self.size), float("-inf"))
        out.index_copy_(-1, self.base, torch.nn.functional.linear(hidden, self.weight, self.bias))
        if self.extra.numel():
            bias = getattr(self.head, "bias", None)
            values = torch.nn.functional.linear(hidden, self.head.weight.index_select(0, self.extra),
                                                None if bias is None else bias.index_select(0, self.extra))
            out.index_copy_(-1, self.extra, values)
        return out


_MODULE_CLASS = None


def _restricted_module(torch):
    """An nn.Module wrapping _RestrictedHead (defined lazily: torch is imported late)."""
    global _MODULE_CLASS
    if _MODULE_CLASS is None:
        class RestrictedOutput(torch.nn.Module):  # type: ignore[name-defined]  # torch arrives as an argument
            def __init__(self, restriction: _RestrictedHead) -> None:
                super().__init__()
                self.restriction = restriction
                self.weight = restriction.head.weight  # what callers of get_output_embeddings read

            def forward(self, hidden):
                return self.restriction.logits(hidden)

        _MODULE_CLASS = RestrictedOutput
    return _MODULE_CLASS


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
