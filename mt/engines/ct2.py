"""CTranslate2 engine: converted models, int8 on CPU, token-budget batches and an
optional vocabulary map (vmap.txt) that restricts the output layer.

A converted folder holds CTranslate2's model.bin and vocabulary, the Hugging Face
tokenizer files copied beside them by `convert_model`, and mt-model.json (family,
source model, revision). Tokenizing uses the `tokenizers` library (tokenizer.json) or
sentencepiece directly, never transformers, so loading this engine does not import
torch: a CPU run stays small and starts fast. ctranslate2 is imported here only.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import ctranslate2

from mt import languages
from mt.engines import vocab as vocab_sets
from mt.engines.base import Engine, EngineOptions
from mt.engines.split import SPECIAL_MARGIN as _SPECIAL_MARGIN
from mt.engines.split import plan, rejoin, truncated_note
from mt.errors import ModelError
from mt.types import EngineResult, Note


META_FILE = "mt-model.json"
VMAP_FILE = "vmap.txt"
_REFERENCE_WIDTH = 12 * 1024  # NLLB-600M's decoder layers x width (CT2Engine.memory_scale)
SPECIALS_FIRST = "specials-first"  # mt-model.json vocabulary_order (see _converter_class)
# Tokenizer files copied next to model.bin on conversion (whichever the source has).
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                   "added_tokens.json", "sentencepiece.bpe.model", "spiece.model",
                   "source.spm", "target.spm", "vocab.json", "generation_config.json")
QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16",
                 "float16", "bfloat16", "float32")
# Tokenizer class (tokenizer_config.json) -> config.model_type, for folders converted
# without mt-model.json (by ct2-transformers-converter directly).
_TOKENIZER_MODEL_TYPE = {"nllb": "m2m_100", "m2m100": "m2m_100", "marian": "marian", "t5": "t5"}


# --------------------------------------------------------------------------- tokenizing

class Pieces:
    """Text <-> subword pieces (the strings CTranslate2 takes), without transformers.

    tokenizer.json (what transformers' fast tokenizers run) is preferred; Marian models
    ship source.spm/target.spm, which sentencepiece reads directly."""

    def __init__(self, folder: Path, family: str) -> None:
        self.family = family
        self._fast = None
        self._source_spm = self._target_spm = None
        if family != "marian" and (folder / "tokenizer.json").is_file():
            from tokenizers import Tokenizer

            self._fast = Tokenizer.from_file(str(folder / "tokenizer.json"))
            # saved tokenizers may pad batches or truncate; CTranslate2 needs neither
            self._fast.no_padding()
            self._fast.no_truncation()
            self.vocab = set(self._fast.get_vocab(with_added_tokens=True))
            return
        import sentencepiece as spm

        source = next((folder / name for name in ("source.spm", "sentencepiece.bpe.model", "spiece.model")
                       if (folder / name).is_file()), None)
        if source is None:
            raise ModelError(f"{folder} has no tokenizer (tokenizer.json or a sentencepiece model)",
                             hint="convert the model with `mt models convert`, which copies the tokenizer")
        self._source_spm = spm.SentencePieceProcessor(model_file=str(source))
        target = folder / "target.spm"
        self._target_spm = (spm.SentencePieceProcessor(model_file=str(target))
                            if target.is_file() else self._source_spm)
        self.vocab = set(_model_vocabulary(folder))

    def encode(self, text: str) -> list[str]:
        if self._fast is not None:
            return self._fast.encode(text, add_special_tokens=False).tokens
        return self._source_spm.encode(text, out_type=str)

    def encode_many(self, texts: Sequence[str]) -> list[list[str]]:
        if self._fast is not None:
            return [enc.tokens for enc in self._fast.encode_batch(list(texts), add_special_tokens=False)]
        return [self.encode(text) for text in texts]

    def decode(self, pieces: Sequence[str]) -> str:
        pieces = [p for p in pieces if not vocab_sets.is_special(p)]
        if self._fast is not None:
            ids = [i for i in (self._fast.token_to_id(p) for p in pieces) if i is not None]
            return self._fast.decode(ids, skip_special_tokens=True).strip()
        return self._target_spm.decode_pieces(pieces).strip()


def _model_vocabulary(folder: Path) -> list[str]:
    """CTranslate2's target vocabulary (json since 3.x, txt before)."""
    for stem in ("shared_vocabulary", "target_vocabulary"):
        if (folder / f"{stem}.json").is_file():
            return json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))
        if (folder / f"{stem}.txt").is_file():
            return (folder / f"{stem}.txt").read_text(encoding="utf-8").splitlines()
    raise ModelError(f"{folder} has no CTranslate2 vocabulary file", hint="convert the model again")


# --------------------------------------------------------------------------- engine

def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _threads(options: EngineOptions, device: str) -> tuple[int, int]:
    """(workers, threads per worker). On a CPU, two workers of half the threads each,
    sharing one copy of the weights: CTranslate2 runs the batches of one request on them
    side by side. eval/bench.py (2 cores): one-thread workers decode 1.4-1.9x faster than
    one two-thread worker, as the decoder's many small steps barely use a second thread.
    Each worker only ever runs whole batches, so the output is the same with any count."""
    if device != "cpu":
        return max(1, options.workers or 1), 0
    threads = options.threads or _cpu_count()
    workers = options.workers or (2 if threads >= 2 else 1)
    return workers, max(1, threads // workers)


def compute_type(options: EngineOptions) -> str:
    """int8 on CPU by default; on a GPU int8 becomes int8_float16 (float16 activations)."""
    quantization = options.quantization or "int8"
    if options.device.startswith("cuda") and quantization in ("int8", "int8_float32"):
        quantization = "int8_float16"
    supported = ctranslate2.get_supported_compute_types(options.device.split(":")[0])
    if quantization not in supported:
        raise ModelError(f"quantization '{quantization}' is not available on {options.device}",
                         hint=f"choose one of: {', '.join(sorted(supported))}")
    return quantization


def read_meta(folder: Path) -> dict:
    """mt-model.json, or what can be inferred from the tokenizer files."""
    meta_path = folder / META_FILE
    if meta_path.is_file():
        return json.loads(meta_path.read_text(encoding="utf-8"))
    tokenizer_class = ""
    config_path = folder / "tokenizer_config.json"
    if config_path.is_file():
        tokenizer_class = json.loads(config_path.read_text(encoding="utf-8")).get("tokenizer_class", "") or ""
    key = next((k for k in _TOKENIZER_MODEL_TYPE if tokenizer_class.lower().startswith(k)), None)
    if key is None:
        raise ModelError(f"cannot tell which model family {folder} holds",
                         hint="convert it with `mt models convert`, which records it in mt-model.json")
    vocab = frozenset(_model_vocabulary(folder)) if key == "t5" else frozenset()
    family = languages.family_of(_TOKENIZER_MODEL_TYPE[key], tokenizer_class, vocab)
    return {"family": family, "source": str(folder), "revision": None}


class CT2Engine(Engine):
    """Translate with a converted CTranslate2 model folder.

    Sentences into several languages go to CTranslate2 as one request: every
    (sentence, target) row with its own target prefix, batched by a source-token budget
    (CTranslate2 sorts rows by length and restores their order). CTranslate2's Translator
    cannot reuse an encoder pass across rows; eval/bench.py measured one joint request
    against one request per language, and `joint` keeps the faster."""

    name = "ct2"
    joint = True  # one translate_batch for all target languages (see eval/bench.py)

    def __init__(self, model: str, options: EngineOptions | None = None, *,
                 decoding: dict | None = None) -> None:
        self.folder = Path(model).expanduser()
        if not (self.folder / "model.bin").is_file():
            raise ModelError(f"{model} is not a CTranslate2 model folder (no model.bin)",
                             hint="convert a model with `mt models convert MODEL --to ct2`")
        self.options = options or EngineOptions()
        self.meta = read_meta(self.folder)
        self.family: str = self.meta["family"]
        self.compute_type = compute_type(self.options)
        self.use_vmap = self._vmap_usable()
        self.decoding = dict(decoding or {})  # extra translate_batch options (benchmarks)
        device, _, index = self.options.device.partition(":")
        self.workers, intra = _threads(self.options, device)
        try:
            self.translator = ctranslate2.Translator(
                str(self.folder), device=device, device_index=int(index or 0),
                compute_type=self.compute_type, intra_threads=intra, inter_threads=self.workers)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"cannot load CTranslate2 model {model}: {str(exc).splitlines()[0]}",
                             hint="convert it again with this ctranslate2 version") from None
        self.pieces = Pieces(self.folder, self.family)
        self.multi_target = self.family != "marian" or any(
            t.startswith(">>") and t.endswith("<<") for t in self.pieces.vocab)
        limits = [self.options.max_length] + [v for v in (self.meta.get("max_positions"),)
                                              if isinstance(v, int) and v > 0]
        self.max_source_tokens = max(1, min(limits) - _SPECIAL_MARGIN)
        self._signature: str | None = None

    def _vmap_usable(self) -> bool:
        """vmap.txt is used only in a folder whose vocabulary convert_model reordered
        (see _converter_class): elsewhere CTranslate2 4.8 feeds wrong language tokens
        after the first batch."""
        if not (self.options.use_vmap and (self.folder / VMAP_FILE).is_file()):
            return False
        if self.meta.get("vocabulary_order") == SPECIALS_FIRST:
            return True
        logging.getLogger("mt.engines").warning(
            "%s is not used: the folder was converted before mt reordered vocabularies; convert the model "
            "again with `mt models convert`", self.folder / VMAP_FILE)
        return False

    # ---- languages (the checks themselves live in Engine.check_pair)

    def known_token(self, token: str) -> bool:
        return token in self.pieces.vocab

    def declared_pair(self) -> tuple[str | None, str | None]:
        config_path = self.folder / "tokenizer_config.json"
        config = json.loads(config_path.read_text(encoding="utf-8")) if config_path.is_file() else {}
        return config.get("source_lang"), config.get("target_lang")

    def _rows(self, encoded: list[list[str]], src: str,
              tgt: str) -> tuple[list[list[str]], list[list[str]] | None]:
        """Source token rows (markers + pieces + </s>) and target prefixes that translate
        `encoded` into `tgt`; markers are whole vocabulary tokens, never text."""
        markers = list(self.source_markers(src, tgt))
        forced = list(self.target_markers(tgt))
        rows = [[*markers, *p, "</s>"] for p in encoded]
        return rows, ([forced] * len(rows) if forced else None)

    def source_tokens(self, sentences: Sequence[str], src: str, tgt: str) -> list[list[str]]:
        self.check_pair(src, tgt)
        return self._rows(self.pieces.encode_many(sentences), src, tgt)[0]

    def forced_tokens(self, sentences: Sequence[str], src: str, tgt: str, steps: int = 2) -> list[list[str]]:
        self.check_pair(src, tgt)
        rows, prefixes = self._rows(self.pieces.encode_many(sentences), src, tgt)
        results = self.translator.translate_batch(rows, prefixes, beam_size=1, max_decoding_length=steps,
                                                  use_vmap=self.use_vmap)
        return [r.hypotheses[0][:steps] for r in results]

    # ---- translating

    def count_tokens(self, text: str) -> int:
        return len(self.pieces.encode(text))

    def translate_many(self, sentences: Sequence[str], src: str,
                       tgts: Sequence[str]) -> dict[str, list[EngineResult]]:
        tgts = self.checked_targets(src, tgts)
        # pieces that fit the model (the rule of mt/engines/hf.py), each piece's sentence
        parts, owners, notes = plan(sentences, self.count_tokens, self.max_source_tokens)
        if not parts:
            return {tgt: [EngineResult("", n) for n in notes] for tgt in tgts}
        encoded = self.pieces.encode_many(parts)
        requests = [self._rows(encoded, src, tgt) for tgt in tgts]
        if self.joint:
            sources = [row for rows, _ in requests for row in rows]
            prefixes = None if requests[0][1] is None else [p for _, pre in requests for p in pre]
            texts = self._translate_rows(sources, prefixes)
            outputs = [texts[k * len(parts):(k + 1) * len(parts)] for k in range(len(tgts))]
        else:
            outputs = [self._translate_rows(rows, pre) for rows, pre in requests]
        return {tgt: rejoin(out, owners, notes) for tgt, out in zip(tgts, outputs)}

    def _translate_rows(self, sources: list[list[str]], prefixes: list[list[str]] | None) -> list[EngineResult]:
        prefix = len(prefixes[0]) if prefixes else 0
        options = dict(max_batch_size=self.batch_tokens, batch_type="tokens",
                       beam_size=self.options.beam_size, max_input_length=0,
                       max_decoding_length=self._decoding_limit(prefix), use_vmap=self.use_vmap)
        options.update(self.decoding)
        retried: tuple[Note, ...] = ()
        try:
            results = self.translator.translate_batch(sources, prefixes, **options)
        except IndexError:
            # ctranslate2 4.8 indexes past a vocabulary map whose position table it kept
            # from an earlier batch (see _converter_class; the reordered vocabulary
            # prevents it). A guard: translating without the map is exact, only slower.
            if not options["use_vmap"]:
                raise
            retried = (Note("retried", "vocabulary map failed in beam search; this batch ran without it"),)
            results = self.translator.translate_batch(sources, prefixes, **{**options, "use_vmap": False})
        checked = "min_decoding_length" not in self.decoding  # benchmarks force full-length outputs
        cut = (truncated_note(self.options.max_length),)
        out = []
        for hypothesis in (r.hypotheses[0] for r in results):
            ended = len(hypothesis) < options["max_decoding_length"] or hypothesis[-1] == "</s>"
            out.append(EngineResult(self.pieces.decode(hypothesis), retried + (() if ended or not checked else cut)))
        return out

    def _decoding_limit(self, prefix: int) -> int:
        """max_length tokens after the forced prefix, within the model's positions (a
        random or small model that never ends would otherwise fail past them)."""
        limit = self.options.max_length + prefix
        positions = self.meta.get("max_positions")
        return min(limit, positions - 1) if isinstance(positions, int) and positions > 1 else limit

    @property
    def batch_tokens(self) -> int:
        """Source tokens per CTranslate2 batch. Every row of a batch decodes beam_size
        hypotheses whose attention caches fill memory, and two batches run at once (the
        workers), so max_batch_tokens is shared: 3/8 of it over the beam per batch
        (eval/bench_budget.py, 2 cores: about 0.26 MB per source token and beam row over
        700 MB for the 600M model's weights; 1.10-1.15 GB at beam 1 and 4). Not tied to
        the worker count, so changing workers never changes batches (nor, through the
        vocabulary map, outputs)."""
        beam = max(1, self.options.beam_size)
        budget = self.options.max_batch_tokens * self.memory_scale
        return max(1, int(budget * 3 // (8 * beam)))

    @property
    def memory_scale(self) -> float:
        """The budget above is fitted on NLLB-600M (12 decoder layers x 1024); a model
        whose tokens cost less cache memory (Opus-MT base: 6 x 512, a quarter) gets
        larger batches, up to 4x, and a larger one smaller batches. 1 when the folder does
        not say (converted before mt recorded it)."""
        width = self.meta.get("decoder_width")
        return min(4.0, _REFERENCE_WIDTH / width) if isinstance(width, int) and width > 0 else 1.0

    @property
    def signature(self) -> str:
        if self._signature is None:
            from mt.models import fingerprint

            o = self.options
            self._signature = (f"ct2:{self.meta.get('source', self.folder.name)}@"
                               f"{self.meta.get('revision') or 'local'}+{fingerprint(self.folder)}"
                               f"|{self.compute_type}|beam={o.beam_size}|max_length={o.max_length}"
                               f"|vmap={'on' if self.use_vmap else 'off'}")
        return self._signature


# --------------------------------------------------------------------------- conversion

def convert_model(model: str, out: Path, quantization: str = "int8", force: bool = False) -> Path:
    """Convert a transformers model (hub id from the cache, or folder) into a CTranslate2
    folder at `out`, tokenizer files and mt-model.json beside model.bin. The folder
    appears whole or not at all."""
    from mt.models import parse_model, resolve, revision_of

    out = Path(out).expanduser()
    if out.exists() and not force:
        raise ModelError(f"{out} already exists", hint="use --force to override")
    if quantization not in QUANTIZATIONS:
        raise ModelError(f"unknown quantization '{quantization}'", hint=f"choose one of: {', '.join(QUANTIZATIONS)}")
    ref = parse_model(model)
    folder = resolve(ref)
    if (folder / "model.bin").is_file() and not (folder / "pytorch_model.bin").exists():
        raise ModelError(f"{model} is already a CTranslate2 model", hint="pass it to --model as it is")
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    tokenizer_config = folder / "tokenizer_config.json"
    tokenizer_class = (json.loads(tokenizer_config.read_text(encoding="utf-8")).get("tokenizer_class") or ""
                       if tokenizer_config.is_file() else "")
    family = languages.family_of(config.get("model_type", ""), tokenizer_class)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        converter = _converter_class()(
            str(folder), copy_files=[name for name in TOKENIZER_FILES if (folder / name).is_file()])
        try:
            converter.convert(str(tmp), quantization=quantization, force=True)
        except (ValueError, RuntimeError, NotImplementedError, OSError) as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise ModelError(f"cannot convert {model}: {first}",
                             hint="supported: NLLB-200, M2M100, MADLAD-400 (T5), Opus-MT (Marian)") from None
        meta = {"family": family, "source": ref.name, "revision": revision_of(ref, folder),
                "model_type": config.get("model_type"), "quantization": quantization,
                "max_positions": _max_positions(config, folder),
                "vocabulary_order": SPECIALS_FIRST, "front_tokens": converter.front_tokens,
                "decoder_width": _decoder_width(config),
                "ctranslate2": ctranslate2.__version__}
        (tmp / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out


def front_token(piece: str) -> bool:
    """Special and language tokens: the ids CTranslate2 feeds or masks by id (decoder
    start, forced language prefix, end, unknown), which convert_model moves to the front
    of the vocabulary (see _converter_class)."""
    return vocab_sets.is_special(piece) and not piece.startswith("madeupword")


@functools.cache
def _converter_class():
    """_SpecialsFirstConverter, defined on first use: ctranslate2.converters imports torch
    and transformers, which translating never needs."""
    class _SpecialsFirstConverter(ctranslate2.converters.TransformersConverter):
        """TransformersConverter that reorders the vocabulary: special and language tokens
        first, the rest in their original order, with the rows of every vocabulary-sized
        weight (embeddings, output projection and its bias) permuted alike. The model
        computes exactly what it did; tokens go to CTranslate2 as strings, so nothing else
        changes.

        Why: CTranslate2 4.8 keeps the original-id -> output-position table of a vocabulary
        map from the first batch a worker ran (Decoder::update_output_layer adds to the table
        with emplace and never clears it), so in later batches whose map differs, the forced
        language token, the decoder start token and the end token point at the wrong rows
        (54 of 60 rows of a release lost their language token in eval/bench.py's model). A
        token whose id is below every map's size keeps its position in every map when all
        ids before it are always allowed: the front block, which build_vmap always allows."""

        front_tokens = 0

        def _load(self):
            spec = super()._load()
            vocabularies = spec._vocabularies  # {"source": [tokens, ...], "target": [tokens]}
            orders = {}
            for side in ("source", "target"):
                tokens = vocabularies[side][0]
                front = [i for i, t in enumerate(tokens) if front_token(t)]
                rest = [i for i, t in enumerate(tokens) if not front_token(t)]
                orders[side] = front + rest
                vocabularies[side][0] = [tokens[i] for i in orders[side]]
                if side == "target":
                    self.front_tokens = len(front)
            sizes = {side: len(order) for side, order in orders.items()}

            def permute(layer, name, value):
                side = "source" if name.startswith("encoder") else "target"
                shape = getattr(value, "shape", ())
                if len(shape) >= 1 and shape[0] == sizes[side] and not isinstance(value, str):
                    attr = name.rsplit("/", 1)[-1]
                    setattr(layer, attr, value[_index(value, orders[side])])

            from ctranslate2.specs.model_spec import visit_spec

            visit_spec(spec, permute)
            return spec

    return _SpecialsFirstConverter


def _index(value, order: list[int]):
    """`order` as an index for `value` (a torch tensor or a numpy array)."""
    if type(value).__module__.startswith("torch"):
        import torch  # conversion only: the converter has imported torch already

        return torch.tensor(order, dtype=torch.long)
    import numpy as np

    return np.asarray(order)


def _decoder_width(config: dict) -> int | None:
    """Decoder layers x model width: what one token's attention caches cost per layer
    set (CT2Engine.batch_tokens scales its batches by it)."""
    layers = config.get("decoder_layers") or config.get("num_decoder_layers") or config.get("num_layers")
    width = config.get("d_model")
    return layers * width if isinstance(layers, int) and isinstance(width, int) else None


def _max_positions(config: dict, folder: Path) -> int | None:
    """Longest input the model accepts (T5 has relative positions: no limit)."""
    limits = [v for v in (config.get("max_position_embeddings"), config.get("n_positions"))
              if isinstance(v, int) and v > 0]
    tokenizer_config = folder / "tokenizer_config.json"
    if tokenizer_config.is_file():
        value = json.loads(tokenizer_config.read_text(encoding="utf-8")).get("model_max_length")
        if isinstance(value, int) and 0 < value < 1_000_000:
            limits.append(value)
    return min(limits) if limits else None


# --------------------------------------------------------------------------- vocabulary map

def build_vmap(folder: Path, target_texts: Iterable[str], terms: Iterable[str] = (),
               out: Path | None = None) -> dict:
    """Write CTranslate2's vocabulary map (vmap.txt) for a converted model.

    Always allowed ("" line): the pieces of `target_texts` (the shipped de/en/ru corpora),
    of glossary target `terms`, the language tokens, punctuation, digits and one- or
    two-letter Latin/Cyrillic pieces. Copy rules (token -> itself): every Latin/Cyrillic/
    digit piece, so a name or number in the source stays producible. Risk: a target word
    whose pieces are neither seen in the corpora nor copyable from the source must be
    spelled from shorter pieces, which the model may score lower than the unrestricted
    choice; agreement is measured in tests/test_ct2.py and eval/bench.py.
    Returns counts (vocabulary, always-allowed, copy rules)."""
    folder = Path(folder)
    meta = read_meta(folder)
    pieces = Pieces(folder, meta["family"])
    vocabulary = _model_vocabulary(folder)
    if meta.get("vocabulary_order") != SPECIALS_FIRST:
        raise ModelError(f"{folder} was converted without mt's vocabulary order, which a vocabulary "
                         "map needs with CTranslate2 4.8", hint="convert it again with `mt models convert`")
    front = {p for p in vocabulary if front_token(p)}
    fixed = vocab_sets.allowed_pieces(vocabulary, pieces.encode_many, [*target_texts, *terms],
                                      vocab_sets.language_tokens(meta["family"]) | front)
    rules = vocab_sets.copy_rules(vocabulary, fixed)
    out = Path(out) if out else folder / VMAP_FILE
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(vocab_sets.vmap_text(fixed, rules), encoding="utf-8")
    os.replace(tmp, out)
    return {"vocabulary": len(vocabulary), "always": len(fixed), "copy_rules": len(rules)}


def build_corpus_vmap(folder: Path, corpora: Path, langs: Sequence[str] = ("de", "en", "ru"),
                      entries: Iterable = ()) -> dict:
    """build_vmap from the shipped corpora's `langs` text plus the target terms (and
    variants) of glossary `entries` (mt.types.GlossaryEntry)."""
    texts = vocab_sets.corpus_texts(Path(corpora), langs)
    if not texts:
        raise ModelError(f"no target-language text under {corpora} for a vocabulary map",
                         hint="expected corpora/flores200, corpora/ntrex128 and corpora/press-releases")
    return build_vmap(folder, texts, vocab_sets.glossary_terms(entries, langs))

