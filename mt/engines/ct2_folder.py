"""What a converted CTranslate2 folder holds besides model.bin: its vocabulary, the
tokenizer files copied beside it, mt-model.json (family, source model, revision,
vocabulary order) and an optional vmap.txt. Read without importing ctranslate2."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sentencepiece as spm
from tokenizers import Tokenizer

from mt import languages
from mt.engines import vocab as vocab_sets
from mt.errors import ModelError

META_FILE = "mt-model.json"
VMAP_FILE = "vmap.txt"
SPECIALS_FIRST = "specials-first"  # mt-model.json vocabulary_order (see _converter_class)
# Tokenizer files copied next to model.bin on conversion (whichever the source has).
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                   "added_tokens.json", "sentencepiece.bpe.model", "spiece.model",
                   "source.spm", "target.spm", "vocab.json", "generation_config.json")
# Tokenizer class (tokenizer_config.json) -> config.model_type, for folders converted
# without mt-model.json (by ct2-transformers-converter directly).
_TOKENIZER_MODEL_TYPE = {"nllb": "m2m_100", "m2m100": "m2m_100", "marian": "marian", "t5": "t5"}


def model_vocabulary(folder: Path) -> list[str]:
    """CTranslate2's target vocabulary (json since 3.x, txt before)."""
    for stem in ("shared_vocabulary", "target_vocabulary"):
        if (folder / f"{stem}.json").is_file():
            return json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))
        if (folder / f"{stem}.txt").is_file():
            return (folder / f"{stem}.txt").read_text(encoding="utf-8").splitlines()
    raise ModelError(f"{folder} has no CTranslate2 vocabulary file", hint="convert the model again")


def read_meta(folder: Path) -> dict[str, Any]:
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
    vocab = frozenset(model_vocabulary(folder)) if key == "t5" else frozenset()
    family = languages.family_of(_TOKENIZER_MODEL_TYPE[key], tokenizer_class, vocab)
    return {"family": family, "source": str(folder), "revision": None}


def front_token(piece: str) -> bool:
    """Special and language tokens: the ids CTranslate2 feeds or masks by id (decoder
    start, forced language prefix, end, unknown), which convert_model moves to the front
    of the vocabulary (see _converter_class)."""
    return vocab_sets.is_special(piece) and not piece.startswith("madeupword")


class Pieces:
    """Text <-> subword pieces (the strings CTranslate2 takes), without transformers.

    tokenizer.json (what transformers' fast tokenizers run) is preferred; Marian models
    ship source.spm/target.spm, which sentencepiece reads directly."""

    def __init__(self, folder: Path, family: str) -> None:
        self.family = family
        self._fast = None
        self._source_spm = self._target_spm = None
        if family != "marian" and (folder / "tokenizer.json").is_file():
            self._fast = Tokenizer.from_file(str(folder / "tokenizer.json"))
            # saved tokenizers may pad batches or truncate; CTranslate2 needs neither
            self._fast.no_padding()
            self._fast.no_truncation()
            self.vocab = set(self._fast.get_vocab(with_added_tokens=True))
            return

        source = next((folder / name for name in ("source.spm", "sentencepiece.bpe.model", "spiece.model")
                       if (folder / name).is_file()), None)
        if source is None:
            raise ModelError(f"{folder} has no tokenizer (tokenizer.json or a sentencepiece model)",
                             hint="convert the model with `mt models convert`, which copies the tokenizer")
        self._source_spm = spm.SentencePieceProcessor(model_file=str(source))
        target = folder / "target.spm"
        self._target_spm = (spm.SentencePieceProcessor(model_file=str(target))
                            if target.is_file() else self._source_spm)
        self.vocab = set(model_vocabulary(folder))

    def encode(self, text: str) -> list[str]:
        if self._fast is not None:
            return self._fast.encode(text, add_special_tokens=False).tokens
        assert self._source_spm is not None  # no tokenizer.json: __init__ loaded the .spm models
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
        assert self._target_spm is not None  # as in encode
        return self._target_spm.decode_pieces(pieces).strip()
