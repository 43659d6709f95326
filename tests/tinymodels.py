"""Tiny models of the real architectures, built in seconds, for tests and benchmarks.

No weights can be downloaded here, so tests build their own: a sentencepiece model
trained on the test texts, the real tokenizer classes (NllbTokenizer, M2M100Tokenizer,
MarianTokenizer, T5Tokenizer for MADLAD-400) and randomly initialised models of the
real architectures with tiny dimensions, saved with save_pretrained so the engine loads
them exactly as it loads a downloaded model folder.

`train_tiny_nllb` goes one step further: it trains a tiny NLLB-architecture model on a
handful of sentence pairs until greedy decoding reproduces every pair exactly, so a
test can assert exact translations through the whole pipeline.
"""

from __future__ import annotations

import io
import json
import random
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from mt.languages import code_for

LANGS = ("kk", "de", "en", "ru")
SAMPLE_TEXTS = (
    "Бүгін Ақтөбеде Германия делегациясымен кездесу өтті.",
    "Тараптар инвестициялық жобаларды, білім беру мен денсаулық сақтау салаларындағы ынтымақтастықты талқылады.",
    "Heute fand in Aktobe ein Treffen mit einer Delegation aus Deutschland statt.",
    "Today a meeting with a delegation from Germany took place in Aktobe.",
    "Сегодня в Актобе прошла встреча с делегацией из Германии.",
    "Die Seiten erörterten Investitionsprojekte, Bildung und Gesundheit.",
    "The parties discussed investment projects, education and health care.",
    "Стороны обсудили инвестиционные проекты, образование и здравоохранение.",
    "0 1 2 3 4 5 6 7 8 9 % « » – - ( ) ; : , . ! ?",
)

# Sentences of different lengths and shapes for the engine tests (order and batching
# bugs show only when outputs differ by input).
ENGINE_SENTENCES = (
    "Бүгін Ақтөбеде Германия делегациясымен кездесу өтті.",
    "Тараптар жобаларды талқылады.",
    "Білім беру",
    "Германия делегациясымен инвестициялық жобаларды, білім беру мен денсаулық сақтау салаларындағы "
    "ынтымақтастықты талқылады.",
    "0 1 2 3",
    "Бүгін кездесу өтті.",
    "Денсаулық сақтау салаларындағы ынтымақтастық",
)


def train_spm(texts: Iterable[str], path: Path, *, vocab_size: int = 400, model_type: str = "bpe",
              ids: Mapping[str, int] | None = None, user_defined: Sequence[str] = ()) -> Path:
    """Train a sentencepiece model on `texts` (all characters covered) and write it to `path`."""
    import sentencepiece as spm

    ids = dict(ids or {"bos_id": 0, "pad_id": 1, "eos_id": 2, "unk_id": 3})
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(texts)), model_writer=buffer, vocab_size=vocab_size,
        model_type=model_type, character_coverage=1.0, hard_vocab_limit=False,
        normalization_rule_name="identity", minloglevel=2, num_threads=1,
        user_defined_symbols=list(user_defined), **ids)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return path


def _save(model, tokenizer, folder: Path, **generation) -> Path:
    import transformers
    from transformers import GenerationConfig

    transformers.utils.logging.disable_progress_bar()

    model.generation_config = GenerationConfig(**generation)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def _seeded(seed: int):
    import torch

    torch.manual_seed(seed)
    random.seed(seed)
    return torch


# Random models get a wider initialisation than training uses (0.02), so that their
# outputs differ from input to input and an order or batching bug shows.
RANDOM_INIT_STD = 0.2


# -- NLLB-200 and M2M100 (model_type m2m_100) -------------------------------------------

def nllb_tokenizer(folder: Path, texts: Iterable[str], langs: Sequence[str] = LANGS, vocab_size: int = 400):
    """NllbTokenizer over a fresh sentencepiece model; language codes are added as
    special tokens (without them every code would be <unk>)."""
    from transformers import NllbTokenizer

    train_spm(texts, folder / "sentencepiece.bpe.model", vocab_size=vocab_size)
    codes = [code_for("nllb", lang) for lang in langs]
    return NllbTokenizer.from_pretrained(folder, additional_special_tokens=codes, src_lang=codes[0])


def m2m100_config(vocab_size: int, *, d_model: int = 32, layers: int = 1, heads: int = 2, ffn: int = 64,
                  max_positions: int = 64, init_std: float = 0.02):
    from transformers import M2M100Config

    return M2M100Config(vocab_size=vocab_size, d_model=d_model, encoder_layers=layers, decoder_layers=layers,
                        encoder_attention_heads=heads, decoder_attention_heads=heads, encoder_ffn_dim=ffn,
                        decoder_ffn_dim=ffn, max_position_embeddings=max_positions, dropout=0.0,
                        attention_dropout=0.0, activation_dropout=0.0, encoder_layerdrop=0.0,
                        decoder_layerdrop=0.0, scale_embedding=True, pad_token_id=1, bos_token_id=0,
                        eos_token_id=2, decoder_start_token_id=2, init_std=init_std)


def build_nllb(folder: Path, texts: Iterable[str] = SAMPLE_TEXTS, *, langs: Sequence[str] = LANGS,
               seed: int = 0, max_positions: int = 64, **dims) -> Path:
    """Randomly initialised NLLB-architecture model (M2M100ForConditionalGeneration)."""
    from transformers import M2M100ForConditionalGeneration

    torch = _seeded(seed)
    tokenizer = nllb_tokenizer(folder, texts, langs)
    with torch.no_grad():
        config = m2m100_config(len(tokenizer), max_positions=max_positions, init_std=RANDOM_INIT_STD, **dims)
        model = M2M100ForConditionalGeneration(config)
    return _save(model, tokenizer, folder, decoder_start_token_id=2, bos_token_id=0, eos_token_id=2,
                 pad_token_id=1)


def build_m2m100(folder: Path, texts: Iterable[str] = SAMPLE_TEXTS, *, seed: int = 0,
                 max_positions: int = 64, **dims) -> Path:
    """Randomly initialised M2M100 model with the real M2M100Tokenizer (__kk__ codes)."""
    import sentencepiece as spm
    from transformers import M2M100ForConditionalGeneration, M2M100Tokenizer
    from transformers.models.m2m_100.tokenization_m2m_100 import FAIRSEQ_LANGUAGE_CODES

    torch = _seeded(seed)
    spm_path = train_spm(texts, folder / "sentencepiece.bpe.model")
    pieces = spm.SentencePieceProcessor(model_file=str(spm_path))
    vocab = {pieces.id_to_piece(i): i for i in range(pieces.get_piece_size())}
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    # The hub's tokenizer_config lists the __xx__ codes as special tokens; without them
    # decoding would not drop a generated language code.
    codes = [f"__{code}__" for code in FAIRSEQ_LANGUAGE_CODES["m2m100"]]
    tokenizer = M2M100Tokenizer(str(folder / "vocab.json"), str(spm_path), src_lang="kk",
                                additional_special_tokens=codes)
    size = tokenizer.encoder_size + len(tokenizer.lang_code_to_id) + tokenizer.num_madeup_words
    with torch.no_grad():
        model = M2M100ForConditionalGeneration(m2m100_config(size, max_positions=max_positions,
                                                             init_std=RANDOM_INIT_STD, **dims))
    return _save(model, tokenizer, folder, decoder_start_token_id=2, bos_token_id=0, eos_token_id=2,
                 pad_token_id=1)


# -- Opus-MT (Marian) -------------------------------------------------------------------

def build_marian(folder: Path, texts: Iterable[str] = SAMPLE_TEXTS, *, source_lang: str = "kk",
                 target_lang: str = "en", targets: Sequence[str] = (), seed: int = 0,
                 max_positions: int = 64) -> Path:
    """Randomly initialised Marian model. With `targets` (our codes) it is a
    multi-target model whose vocabulary has >>deu<< style tokens."""
    import sentencepiece as spm
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    torch = _seeded(seed)
    spm_path = train_spm(texts, folder / "source.spm", model_type="unigram",
                         ids={"unk_id": 0, "bos_id": -1, "eos_id": -1, "pad_id": -1}, vocab_size=200)
    (folder / "target.spm").write_bytes(spm_path.read_bytes())
    processor = spm.SentencePieceProcessor(model_file=str(spm_path))
    tokens = ["</s>", "<unk>"] + [code_for("marian", lang) for lang in targets]
    tokens += [p for p in (processor.id_to_piece(i) for i in range(processor.get_piece_size())) if p not in tokens]
    tokens.append("<pad>")
    vocab = {token: i for i, token in enumerate(tokens)}
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        tokenizer = MarianTokenizer(str(spm_path), str(folder / "target.spm"), str(folder / "vocab.json"),
                                    source_lang=source_lang if not targets else "mul",
                                    target_lang=target_lang if not targets else "mul")
    pad = vocab["<pad>"]
    config = MarianConfig(vocab_size=len(vocab), d_model=32, encoder_layers=1, decoder_layers=1,
                          encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
                          decoder_ffn_dim=64, max_position_embeddings=max_positions, dropout=0.0,
                          attention_dropout=0.0, activation_dropout=0.0, scale_embedding=True,
                          pad_token_id=pad, eos_token_id=0, decoder_start_token_id=pad, forced_eos_token_id=0,
                          share_encoder_decoder_embeddings=True, init_std=RANDOM_INIT_STD)
    with torch.no_grad():
        model = MarianMTModel(config)
    return _save(model, tokenizer, folder, decoder_start_token_id=pad, eos_token_id=0, pad_token_id=pad,
                 bad_words_ids=[[pad]])


# -- MADLAD-400 (T5 with <2xx> target tokens) ---------------------------------------------

def build_madlad(folder: Path, texts: Iterable[str] = SAMPLE_TEXTS, *, langs: Sequence[str] = LANGS,
                 seed: int = 0) -> Path:
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer

    torch = _seeded(seed)
    codes = [code_for("madlad", lang) for lang in langs]
    train_spm(texts, folder / "spiece.model", model_type="unigram", vocab_size=200, user_defined=codes,
              ids={"pad_id": 0, "eos_id": 1, "unk_id": 2, "bos_id": -1})
    tokenizer = T5Tokenizer.from_pretrained(folder, extra_ids=0)
    config = T5Config(vocab_size=len(tokenizer), d_model=32, d_kv=16, d_ff=64, num_layers=1,
                      num_decoder_layers=1, num_heads=2, relative_attention_num_buckets=8, dropout_rate=0.0,
                      feed_forward_proj="relu", pad_token_id=0, eos_token_id=1, decoder_start_token_id=0)
    with torch.no_grad():
        model = T5ForConditionalGeneration(config)
    return _save(model, tokenizer, folder, decoder_start_token_id=0, eos_token_id=1, pad_token_id=0)


# -- a trained tiny NLLB model ----------------------------------------------------------

Pair = tuple[str, Mapping[str, str]]


def train_tiny_nllb(folder: Path, pairs: Sequence[Pair], langs: Sequence[str] = ("de", "en", "ru"), *,
                    src: str = "kk", steps: int = 1500, seed: int = 0, d_model: int = 64, layers: int = 2,
                    lr: float = 3e-3, check_every: int = 50, max_positions: int = 128) -> Path:
    """Train an NLLB-architecture model on `pairs` = [(source, {lang: target})] until
    greedy decoding reproduces every target exactly; save it to `folder`.

    Deterministic for a fixed seed (one CPU thread while training). Raises
    RuntimeError when `steps` are not enough, so a test never runs on a model that
    only half learned its pairs."""
    import torch
    from transformers import M2M100ForConditionalGeneration

    texts = [s for s, _ in pairs] + [t[lang] for _, t in pairs for lang in langs]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        _seeded(seed)
        tokenizer = nllb_tokenizer(folder, texts, (src, *langs), vocab_size=600)
        config = m2m100_config(len(tokenizer), d_model=d_model, layers=layers, heads=4, ffn=4 * d_model,
                               max_positions=max_positions)
        model = M2M100ForConditionalGeneration(config)
        batch = _nllb_batch(tokenizer, pairs, langs, src)
        optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
        for step in range(1, steps + 1):
            model.train()
            loss = model(**batch).loss
            loss.backward()
            optimiser.step()
            optimiser.zero_grad()
            if step % check_every == 0 and _reproduces(model, tokenizer, pairs, langs, src):
                return _save(model.eval(), tokenizer, folder, decoder_start_token_id=2, bos_token_id=0,
                             eos_token_id=2, pad_token_id=1)
    finally:
        torch.set_num_threads(threads)
    raise RuntimeError(f"tiny model did not learn its {len(pairs)} pairs in {steps} steps (loss {loss.item():.3f})")


def _nllb_batch(tokenizer, pairs: Sequence[Pair], langs: Sequence[str], src: str) -> dict:
    import torch

    tokenizer.src_lang = code_for("nllb", src)
    sources, labels = [], []
    for source, targets in pairs:
        ids = tokenizer(source)["input_ids"]
        for lang in langs:
            code = tokenizer.convert_tokens_to_ids(code_for("nllb", lang))
            sources.append(ids)
            labels.append([code, *tokenizer(targets[lang], add_special_tokens=False)["input_ids"],
                           tokenizer.eos_token_id])
    width, label_width = max(map(len, sources)), max(map(len, labels))
    pad = tokenizer.pad_token_id
    return {
        "input_ids": torch.tensor([s + [pad] * (width - len(s)) for s in sources]),
        "attention_mask": torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in sources]),
        "labels": torch.tensor([t + [-100] * (label_width - len(t)) for t in labels]),
    }


def _reproduces(model, tokenizer, pairs: Sequence[Pair], langs: Sequence[str], src: str) -> bool:
    import torch

    model.eval()
    tokenizer.src_lang = code_for("nllb", src)
    inputs = tokenizer([s for s, _ in pairs], return_tensors="pt", padding=True)
    for lang in langs:
        code = tokenizer.convert_tokens_to_ids(code_for("nllb", lang))
        start = torch.tensor([[2, code]] * len(pairs))
        with torch.no_grad():
            out = model.generate(**inputs, decoder_input_ids=start, num_beams=1, do_sample=False,
                                 max_new_tokens=64)
        got = tokenizer.batch_decode(out[:, 2:], skip_special_tokens=True)
        if [g.strip() for g in got] != [t[lang] for _, t in pairs]:
            return False
    return True


def texts(results: dict) -> dict[str, list[str]]:
    """The texts of Engine.translate_many's results, per language."""
    return {lang: [r.text for r in rows] for lang, rows in results.items()}
