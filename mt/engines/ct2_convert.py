"""Converting a transformers model into a CTranslate2 folder (`mt models convert`),
with the vocabulary reordered so CTranslate2's vocabulary map stays exact. ctranslate2's
converters import torch and transformers: only converting needs them."""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
from pathlib import Path

import ctranslate2
import numpy as np

from mt import languages
from mt.engines import vocab as vocab_sets
from mt.engines.ct2_folder import META_FILE, SPECIALS_FIRST, TOKENIZER_FILES, front_token
from mt.errors import ModelError
from mt.models import parse_model, resolve, revision_of

QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16",
                 "float16", "bfloat16", "float32")


def convert_model(model: str, out: Path, quantization: str = "int8", force: bool = False) -> Path:
    """Convert a transformers model (hub id from the cache, or folder) into a CTranslate2
    folder at `out`, tokenizer files and mt-model.json beside model.bin. The folder
    appears whole or not at all."""

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
        converter.alias_pairs = vocab_sets.alias_pairs(family)
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
                "source_aliases": converter.aliases,
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
        ids before it are always allowed: the front block, which build_vmap always allows.

        Source aliases (`alias_pairs`, NLLB and M2M100): kaz_Cyrl@deu_Latn ... appended
        at the end of both vocabularies (NLLB shares one embedding matrix for encoder,
        decoder and output layer, and a second copy would cost 256 MB), each row a copy of
        its source token's row. They key per-language vocabulary maps (mt.engines.vocab);
        as output candidates they never appear in a map, and the engine suppresses them
        when it decodes without one."""

        front_tokens = 0
        alias_pairs: list[tuple[str, str]] = []
        aliases: list[str] = []

        def _load(self):
            spec = super()._load()
            vocabularies = spec._vocabularies  # {"source": [tokens, ...], "target": [tokens]}
            orders, sizes = {}, {}
            for side in ("source", "target"):
                tokens = vocabularies[side][0]
                front = [i for i, t in enumerate(tokens) if front_token(t)]
                rest = [i for i, t in enumerate(tokens) if not front_token(t)]
                index = {t: i for i, t in enumerate(tokens)}
                pairs = [(s, t) for s, t in self.alias_pairs if s in index and t in index]
                # an alias row is a copy of its source token's row: its index in the old order
                orders[side] = front + rest + [index[s] for s, _ in pairs]
                sizes[side] = len(tokens)
                vocabularies[side][0] = [tokens[i] for i in front + rest] + [
                    vocab_sets.alias_token(s, t) for s, t in pairs]
                if side == "target":
                    self.front_tokens = len(front)
                    self.aliases = [vocab_sets.alias_token(s, t) for s, t in pairs]

            def permute(layer, name, value):
                side = "source" if name.startswith("encoder") else "target"
                shape: tuple[int, ...] = getattr(value, "shape", ())
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
