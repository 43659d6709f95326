"""CTranslate2 engine: converted models, int8 on CPU, token-budget batches and an
optional vocabulary map (vmap.txt) that restricts the output layer.

A converted folder holds CTranslate2's model.bin and vocabulary, the Hugging Face
tokenizer files copied beside them by `convert_model`, and mt-model.json (family,
source model, revision). Tokenizing uses the `tokenizers` library (tokenizer.json) or
sentencepiece directly, never transformers, so loading this engine does not import
torch: a CPU run stays small and starts fast. ctranslate2 is imported here only.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import ctranslate2

from mt.engines import vocab as vocab_sets
from mt.engines.base import Engine, EngineOptions
from mt.engines.ct2_folder import SPECIALS_FIRST, VMAP_FILE, Pieces, read_meta
from mt.engines.split import SPECIAL_MARGIN as _SPECIAL_MARGIN
from mt.engines.split import rejoin, truncated_note
from mt.errors import ModelError
from mt.languages import TARGET_IN_DECODER
from mt.models import fingerprint
from mt.types import EngineResult, Note

_REFERENCE_WIDTH = 12 * 1024  # NLLB-600M's decoder layers x width (CT2Engine.memory_scale)
MIN_BATCHES = 2  # a request is cut into at least this many batches (CT2Engine._request_budget)




# --------------------------------------------------------------------------- tokenizing

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
        self.aliases: list[str] = list(self.meta.get("source_aliases") or ())
        self.language_maps = self._read_language_maps() if self.use_vmap else {}
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
        return token in self.pieces.vocab  # the aliases are not tokens a caller may ask for

    def declared_pair(self) -> tuple[str | None, str | None]:
        config_path = self.folder / "tokenizer_config.json"
        config = json.loads(config_path.read_text(encoding="utf-8")) if config_path.is_file() else {}
        return config.get("source_lang"), config.get("target_lang")

    def _rows(self, encoded: list[list[str]], src: str, tgt: str,
              keyed: bool = False) -> tuple[list[list[str]], list[list[str]] | None]:
        """Source token rows (markers + pieces + </s>) and target prefixes that translate
        `encoded` into `tgt`; markers are whole vocabulary tokens, never text. `keyed`:
        NLLB's source token replaced by its alias for `tgt` (the same embedding), which
        selects tgt's line of a per-language vocabulary map."""
        markers = list(self.source_markers(src, tgt))
        forced = list(self.target_markers(tgt))
        key = self._language_key(src, tgt) if keyed else None
        if key is not None and self.family in TARGET_IN_DECODER:
            markers[0] = key
        rows = [[*markers, *p, "</s>"] for p in encoded]
        return rows, ([forced] * len(rows) if forced else None)

    # ---- per-language vocabulary maps (mt.engines.vocab)

    def _read_language_maps(self) -> dict[str, frozenset[str]]:
        """The per-language lines of vmap.txt: language key -> the pieces that target
        adds to the "" line. Empty for a map of one line for all languages (built before
        mt wrote per-language maps, or for a folder without language keys)."""
        lines = (self.folder / VMAP_FILE).read_text(encoding="utf-8").splitlines()
        fixed = frozenset(lines[0].partition("\t")[2].split(" ")) if lines else frozenset()
        keys = {k for k in self.aliases} | {t for t in self.pieces.vocab if vocab_sets.is_special(t)}
        maps: dict[str, frozenset[str]] = {}
        shared: dict[str, frozenset[str]] = {}  # the aliases of one target share their line
        for line in lines[1:]:
            key, _, values = line.partition("\t")
            if key in keys:
                maps[key] = shared.get(values) or shared.setdefault(values, fixed | frozenset(values.split(" ")))
        return maps

    def _language_key(self, src: str, tgt: str) -> str | None:
        if not self.language_maps:
            return None
        forced = self.target_markers(tgt)
        key = vocab_sets.language_key(self.family, self.source_markers(src, tgt),
                                      forced[0] if forced else None, self.aliases)
        return key if key in self.language_maps else None

    def _split_by_map(self, encoded: list[list[str]], src: str, tgt: str) -> tuple[list[int], list[int]]:
        """Indexes of the rows tgt's map can translate, and of those that need the whole
        vocabulary: a target without a map line, a forced token outside its map, or a
        source piece the map cannot give back (vocab.needs_full_vocabulary)."""
        key = self._language_key(src, tgt)
        if key is None:
            return [], list(range(len(encoded)))
        allowed = self.language_maps[key]
        if any(t not in allowed for t in self.target_markers(tgt)):
            return [], list(range(len(encoded)))
        full = [i for i, p in enumerate(encoded) if vocab_sets.needs_full_vocabulary(p, allowed)]
        taken = set(full)
        return [i for i in range(len(encoded)) if i not in taken], full

    def source_tokens(self, sentences: Sequence[str], src: str, tgt: str) -> list[list[str]]:
        self.check_pair(src, tgt)
        return self._rows(self.pieces.encode_many(sentences), src, tgt)[0]

    def forced_tokens(self, sentences: Sequence[str], src: str, tgt: str, steps: int = 2) -> list[list[str]]:
        self.check_pair(src, tgt)
        encoded = self.pieces.encode_many(sentences)
        out: list[list[str]] = [[] for _ in encoded]
        mapped, full = self._split_by_map(encoded, src, tgt) if self.language_maps else (
            list(range(len(encoded))), [])
        for indexes, keyed, use_vmap in ((mapped, True, self.use_vmap), (full, False, False)):
            if not indexes:
                continue
            rows, prefixes = self._rows([encoded[i] for i in indexes], src, tgt, keyed=keyed)
            results = self.translator.translate_batch(rows, prefixes, beam_size=1, max_decoding_length=steps,
                                                      use_vmap=use_vmap, **self._suppressed(use_vmap))
            for i, r in zip(indexes, results):
                out[i] = r.hypotheses[0][:steps]
        return out

    # ---- translating

    def count_tokens(self, text: str) -> int:
        return len(self.pieces.encode(text))

    def translate_many(self, sentences: Sequence[str], src: str,
                       tgts: Sequence[str]) -> dict[str, list[EngineResult]]:
        tgts = self.checked_targets(src, tgts)
        # pieces that fit the model (the rule of mt/engines/hf.py), each piece's sentence
        parts, owners, notes = self.plan(sentences)
        if not parts:
            return {tgt: [EngineResult("", n) for n in notes] for tgt in tgts}
        encoded = self.pieces.encode_many(parts)
        if self.language_maps:
            outputs = self._translate_per_language(encoded, src, tgts)
        else:
            outputs = self._translate_joint(encoded, src, tgts)
        return {tgt: rejoin(out, owners, notes) for tgt, out in zip(tgts, outputs)}

    def _translate_joint(self, encoded: list[list[str]], src: str, tgts: list[str]) -> list[list[EngineResult]]:
        """One map for all languages: every (sentence, target) row in one request (or one
        request per language when `joint` is off)."""
        requests = [self._rows(encoded, src, tgt) for tgt in tgts]
        if self.joint:
            sources = [row for rows, _ in requests for row in rows]
            prefixes = None if requests[0][1] is None else [p for _, pre in requests for p in pre or ()]
            texts = self._submit(sources, prefixes, self.use_vmap)()
            return [texts[k * len(encoded):(k + 1) * len(encoded)] for k in range(len(tgts))]
        return [self._submit(rows, pre, self.use_vmap)() for rows, pre in requests]

    def _translate_per_language(self, encoded: list[list[str]], src: str,
                                tgts: list[str]) -> list[list[EngineResult]]:
        """A map per target language: each language's rows are a request of their own,
        keyed to its map (CTranslate2 unites the maps of a batch's rows, so languages must
        not share batches); rows its map cannot serve go without a map. With `joint` the
        requests are all queued before any result is awaited, so both workers stay busy
        across languages as they do in one joint request."""
        plans = []
        for tgt in tgts:
            mapped, full = self._split_by_map(encoded, src, tgt)
            for indexes, keyed, use_vmap in ((mapped, True, True), (full, False, False)):
                if indexes:
                    rows, prefixes = self._rows([encoded[i] for i in indexes], src, tgt, keyed=keyed)
                    plans.append((tgt, indexes, rows, prefixes, use_vmap))
        waits = []
        for tgt, indexes, rows, prefixes, use_vmap in plans:
            waits.append((tgt, indexes, self._submit(rows, prefixes, use_vmap, wait=not self.joint)))
        outputs: dict[str, list[EngineResult]] = {tgt: [EngineResult("")] * len(encoded) for tgt in tgts}
        for tgt, indexes, wait in waits:
            for i, result in zip(indexes, wait()):
                outputs[tgt][i] = result
        return [outputs[tgt] for tgt in tgts]

    def _suppressed(self, use_vmap: bool) -> dict[str, Any]:
        """Without a map, the source aliases (rows copied from a source token) are
        output candidates; they are never a translation."""
        return {} if use_vmap or not self.aliases else {"suppress_sequences": [[a] for a in self.aliases]}

    def _submit(self, sources: list[list[str]], prefixes: list[list[str]] | None, use_vmap: bool,
                wait: bool = True) -> Callable[[], list[EngineResult]]:
        """Queue one request on CTranslate2's workers; the returned function waits for
        its results. `wait`: run it to the end now (one request at a time)."""
        prefix = len(prefixes[0]) if prefixes else 0
        options: dict[str, Any] = dict(max_batch_size=self._request_budget(sources), batch_type="tokens",
                       beam_size=self.options.beam_size, max_input_length=0,
                       max_decoding_length=self._decoding_limit(prefix), use_vmap=use_vmap and self.use_vmap)
        options.update(self.decoding)
        pending = self.translator.translate_batch(sources, prefixes, asynchronous=True,
                                                  **options, **self._suppressed(options["use_vmap"]))

        def results() -> list[EngineResult]:
            retried: tuple[Note, ...] = ()
            try:
                hypotheses = [p.result().hypotheses[0] for p in pending]
            except IndexError:
                # ctranslate2 4.8 indexes past a vocabulary map whose position table it kept
                # from an earlier batch (see _converter_class; the reordered vocabulary
                # prevents it). A guard: translating without the map is exact, only slower.
                if not options["use_vmap"]:
                    raise
                retried = (Note("retried", "vocabulary map failed in beam search; this batch ran without it"),)
                again = self.translator.translate_batch(sources, prefixes, **{**options, "use_vmap": False},
                                                        **self._suppressed(False))
                hypotheses = [r.hypotheses[0] for r in again]
            return self._results(hypotheses, options["max_decoding_length"], retried)

        if wait:
            done = results()
            return lambda: done
        return results

    def _request_budget(self, sources: list[list[str]]) -> int:
        """Source tokens per batch for one request: batch_tokens, or less so that a
        request that would fit one batch makes MIN_BATCHES. A greedy request of one
        language's rows (NLLB: 768 tokens, Opus-MT 3072) is often one batch, which one
        worker runs while the other idles (Opus-MT greedy gained 1.6x over plain
        CTranslate2 where beam 4, in many batches, gained 2.7x; see eval/bench/README.md).
        Fixed per request, never by the worker count, so outputs do not depend on it.
        Beam search only: greedy batches are cheap per row and the three languages'
        requests, queued at once, already keep both workers busy; cutting them made NLLB
        greedy 8.4 s against 5.9 s uncut in back-to-back quiet runs (eval/bench/2026-12-07-speed3.md)."""
        total = sum(len(row) for row in sources)
        longest = max((len(row) for row in sources), default=1)
        parts = MIN_BATCHES if self.options.beam_size > 1 else 1
        return max(1, min(self.batch_tokens, max(longest, -(-total // parts))))

    def _results(self, hypotheses: list[list[str]], limit: int, retried: tuple[Note, ...]) -> list[EngineResult]:
        checked = "min_decoding_length" not in self.decoding  # benchmarks force full-length outputs
        cut = (truncated_note(self.options.max_length),)
        out = []
        for hypothesis in hypotheses:
            ended = len(hypothesis) < limit or hypothesis[-1] == "</s>"
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
            o = self.options
            self._signature = (f"ct2:{self.meta.get('source', self.folder.name)}@"
                               f"{self.meta.get('revision') or 'local'}+{fingerprint(self.folder)}"
                               f"|{self.compute_type}|beam={o.beam_size}|max_length={o.max_length}"
                               f"|vmap={('per-language' if self.language_maps else 'on') if self.use_vmap else 'off'}")
        return self._signature


