"""Randomly initialised models of real architectures, for eval/bench.py.

They are not translators (their output is noise); only their size, and therefore their
speed and memory, is real: the exact layer shapes of facebook/nllb-200-distilled-600M and
of a Helsinki-NLP Opus-MT base model, with real-size vocabularies. The tokenizers are
sentencepiece models trained on the shipped corpora; the embedding and output layers keep
the real vocabulary size (CTranslate2's converter pads NLLB's vocabulary with its
`madeupword` tokens, as it does for the real model; Marian's vocab.json is padded with
dummy entries).

torch is imported here on purpose: this is a model builder, not library code.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# facebook/nllb-200-distilled-600M config.json (model_type m2m_100)
NLLB_600M = dict(
    vocab_size=256206, d_model=1024, encoder_layers=12, decoder_layers=12,
    encoder_attention_heads=16, decoder_attention_heads=16, encoder_ffn_dim=4096,
    decoder_ffn_dim=4096, max_position_embeddings=1024, activation_function="relu",
    scale_embedding=True, dropout=0.1, attention_dropout=0.1, activation_dropout=0.0,
    encoder_layerdrop=0.0, decoder_layerdrop=0.0, pad_token_id=1, bos_token_id=0,
    eos_token_id=2, decoder_start_token_id=2, tie_word_embeddings=True,
)

# Helsinki-NLP Opus-MT "transformer-align" base models (e.g. opus-mt-en-de): MarianConfig's
# own defaults. One multi-target model with >>deu<< / >>eng<< / >>rus<< tokens stands for
# the per-pair models a user would otherwise load three of.
OPUS_MT_BASE = dict(
    vocab_size=58101, d_model=512, encoder_layers=6, decoder_layers=6,
    encoder_attention_heads=8, decoder_attention_heads=8, encoder_ffn_dim=2048,
    decoder_ffn_dim=2048, max_position_embeddings=512, activation_function="swish",
    scale_embedding=True, static_position_embeddings=True, share_encoder_decoder_embeddings=True,
    pad_token_id=58100, eos_token_id=0, decoder_start_token_id=58100,
)

NLLB_CODES = {"kk": "kaz_Cyrl", "de": "deu_Latn", "en": "eng_Latn", "ru": "rus_Cyrl"}
MARIAN_TARGETS = {"de": ">>deu<<", "en": ">>eng<<", "ru": ">>rus<<"}

CORPUS_FILES = [
    "flores200/dev/kaz_Cyrl.dev", "flores200/dev/deu_Latn.dev", "flores200/dev/eng_Latn.dev",
    "flores200/dev/rus_Cyrl.dev", "ntrex128/newstest2019-ref.kaz.txt",
    "ntrex128/newstest2019-ref.deu.txt", "ntrex128/newstest2019-src.eng.txt",
    "ntrex128/newstest2019-ref.rus.txt",
]


def corpus_lines(corpora: Path = ROOT / "corpora") -> list[str]:
    lines: list[str] = []
    for name in CORPUS_FILES:
        path = corpora / name
        if path.is_file():
            lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        raise SystemExit(f"no corpus text under {corpora} (expected e.g. {CORPUS_FILES[0]})")
    return lines


def train_spm(lines: Iterable[str], vocab_size: int, out: Path, model_type: str = "unigram") -> Path:
    """Train a sentencepiece model on `lines`; returns the .model path."""
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(lines)), model_writer=buffer, vocab_size=vocab_size,
        model_type=model_type, character_coverage=1.0, input_sentence_size=200000,
        shuffle_input_sentence=True, num_threads=2, minloglevel=2,
        hard_vocab_limit=False)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buffer.getvalue())
    return out


def _tokenizer_saved(folder: Path) -> bool:
    return (folder / "tokenizer_config.json").is_file()


def build_nllb_600m(folder: Path, lines: list[str], spm_vocab: int = 32000, seed: int = 0) -> Path:
    """Save an untrained M2M100 model of nllb-200-distilled-600M's exact shape plus an
    NllbTokenizer to `folder` (skipped when it is already there)."""
    if (folder / "config.json").is_file() and _tokenizer_saved(folder):
        return folder
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    # NLLB's own sentencepiece model is BPE (transformers converts it to a BPE tokenizer).
    train_spm(lines, spm_vocab, folder / "sentencepiece.bpe.model", model_type="bpe")
    codes = sorted(set(NLLB_CODES.values()))
    tokenizer = NllbTokenizer.from_pretrained(folder, additional_special_tokens=codes,
                                              src_lang="kaz_Cyrl", tgt_lang="deu_Latn")
    tokenizer.save_pretrained(folder)
    torch.manual_seed(seed)
    config = M2M100Config(**NLLB_600M)
    model = M2M100ForConditionalGeneration(config).eval()
    model.generation_config.max_length = 200
    model.save_pretrained(folder)
    return folder


def build_opus_mt(folder: Path, lines: list[str], spm_vocab: int = 16000, seed: int = 0) -> Path:
    """Save an untrained Opus-MT base Marian model with a MarianTokenizer to `folder`."""
    if (folder / "config.json").is_file() and _tokenizer_saved(folder):
        return folder
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    spm_file = train_spm(lines, spm_vocab, folder / "source.spm")
    (folder / "target.spm").write_bytes(spm_file.read_bytes())
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(spm_file))
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for piece in list(MARIAN_TARGETS.values()) + pieces:
        vocab.setdefault(piece, len(vocab))
    size = OPUS_MT_BASE["vocab_size"]
    for i in range(size - 1 - len(vocab)):
        vocab[f"<dummy{i}>"] = len(vocab)
    vocab["<pad>"] = size - 1
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer(source_spm=str(folder / "source.spm"),
                                target_spm=str(folder / "target.spm"),
                                vocab=str(folder / "vocab.json"), separate_vocabs=False)
    tokenizer.save_pretrained(folder)
    torch.manual_seed(seed)
    model = MarianMTModel(MarianConfig(**OPUS_MT_BASE)).eval()
    model.generation_config.max_length = 200
    model.save_pretrained(folder)
    return folder
