"""Reference-based scores through sacrebleu (signatures kept), paired bootstrap
resampling, and the terminology success rate of the WMT 2023/2025 terminology tasks.

Scores are sacrebleu's own numbers: we only build the metric objects, hand them the
target language where the metric uses one, and carry the signature along so a score
is never compared with one computed differently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.base import Metric
from sacrebleu.significance import PairedTest, Result

from mt import __version__
from mt.errors import InputError, LanguageError
from mt.glossary.match import Matcher
from mt.glossary.verify import contains
from mt.types import GlossaryEntry

LANGS = ("kk", "en", "de", "ru")


def _bleu(tgt: str, **options: Any) -> Metric:
    return BLEU(trg_lang=tgt, **options)


def _chrf(tgt: str, **options: Any) -> Metric:
    # chrF++ (word bigrams) unless the caller asks otherwise; chrF has no use for trg_lang.
    return CHRF(**{"word_order": 2, **options})


def _ter(tgt: str, **options: Any) -> Metric:
    return TER(**options)


# name -> factory(target_language, **sacrebleu_options) -> sacrebleu Metric
METRICS: dict[str, Callable[..., Metric]] = {"bleu": _bleu, "chrf": _chrf, "ter": _ter}
DEFAULT_METRICS = ("bleu", "chrf", "ter")


@dataclass(frozen=True)
class MetricResult:
    name: str
    score: float
    signature: str

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "signature": self.signature}


@dataclass(frozen=True)
class PairedResult:
    """System B against baseline A for one metric (sacrebleu's paired bootstrap)."""

    name: str
    baseline: float
    system: float
    p_value: float
    mean: float  # bootstrap estimate of the system's true score
    ci: float    # half-width of its 95% confidence interval
    signature: str       # the metric's own signature (as `score` gives it)
    test_signature: str  # with the resampling settings (bs, seed)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "name"}


@dataclass(frozen=True)
class TermMiss:
    segment: int
    id: str
    required: str


@dataclass(frozen=True)
class TermResult:
    """`score` is the percentage of (segment, term) pairs found; None when the
    sources contain no glossary term at all."""

    score: float | None
    found: int
    total: int
    misses: tuple[TermMiss, ...] = ()
    signature: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "found": self.found, "total": self.total,
                "signature": self.signature,
                "misses": [asdict(miss) for miss in self.misses]}


def split_pair(lang_pair: str) -> tuple[str, str]:
    """'kk-en' -> ('kk', 'en'); unknown codes are a LanguageError."""
    parts = lang_pair.split("-")
    if len(parts) != 2 or not all(part in LANGS for part in parts):
        raise LanguageError(f"unknown language pair '{lang_pair}'",
                            hint=f"write SRC-TGT with codes from {', '.join(LANGS)}, e.g. kk-en")
    if parts[0] == parts[1]:
        raise LanguageError(f"language pair '{lang_pair}' has the same language on both sides",
                            hint="write SRC-TGT with two different codes, e.g. kk-en")
    return parts[0], parts[1]


def build_metrics(tgt: str, metrics: Iterable[str] = DEFAULT_METRICS,
                  **metric_options: dict[str, Any]) -> dict[str, Metric]:
    """name -> sacrebleu metric object. `metric_options` maps a metric name to its
    sacrebleu keyword arguments, e.g. bleu={"tokenize": "intl"}."""
    unknown = [name for name in metric_options if name not in METRICS]
    built: dict[str, Metric] = {}
    for name in metrics:
        if name not in METRICS:
            unknown.append(name)
            continue
        built[name] = METRICS[name](tgt, **metric_options.get(name, {}))
    if unknown:
        raise InputError(f"unknown metric '{unknown[0]}'", hint=f"choose from {', '.join(METRICS)}")
    if not built:
        raise InputError("no metric given", hint=f"name one or more of {', '.join(METRICS)}")
    return built


def check_aligned(hyps: Sequence[str], refs: Sequence[Sequence[str]]) -> None:
    lengths = {len(hyps), *(len(ref) for ref in refs)}
    if not refs or len(lengths) != 1:
        raise InputError("hypotheses and references differ in length: "
                         f"{len(hyps)} vs {', '.join(str(len(ref)) for ref in refs) or 'no references'}",
                         hint="score only line-aligned files")


def score(hyps: list[str], refs: list[list[str]], lang_pair: str,
          metrics: Iterable[str] = DEFAULT_METRICS, **metric_options: dict[str, Any]
          ) -> dict[str, MetricResult]:
    """Corpus scores of `hyps` against one or more reference sets (one list per set)."""
    _, tgt = split_pair(lang_pair)
    check_aligned(hyps, refs)
    results = {}
    for name, metric in build_metrics(tgt, metrics, **metric_options).items():
        result = metric.corpus_score(hyps, refs)
        results[name] = MetricResult(name, result.score, str(metric.get_signature()))
    return results


def paired_bootstrap(baseline: list[str], system: list[str], refs: list[list[str]],
                     lang_pair: str, metrics: Iterable[str] = DEFAULT_METRICS,
                     n_samples: int = 1000, **metric_options: dict[str, Any]
                     ) -> dict[str, PairedResult]:
    """Is `system` different from `baseline`? sacrebleu's paired bootstrap resampling
    (Koehn 2004, as in Moses); seed 12345 unless SACREBLEU_SEED says otherwise."""
    _, tgt = split_pair(lang_pair)
    check_aligned(baseline, refs)
    check_aligned(system, refs)
    built = build_metrics(tgt, metrics, **metric_options)
    test = PairedTest([("baseline", baseline), ("system", system)], built, refs,
                      test_type="bs", n_samples=n_samples)
    signatures, table = test()
    # PairedTest keys its table by sacrebleu's score names (BLEU, chrF2++, TER), in
    # the order of `built`.
    score_names = [key for key in table if key != "System"]
    results = {}
    for (name, metric), score_name in zip(built.items(), score_names, strict=True):
        base, sys_ = table[score_name]
        assert isinstance(base, Result) and isinstance(sys_, Result)  # only the "System" column holds names
        # the paired bootstrap test fills these in for the system compared to the baseline
        assert sys_.p_value is not None and sys_.mean is not None and sys_.ci is not None
        results[name] = PairedResult(name, float(base.score), float(sys_.score), float(sys_.p_value),
                                     float(sys_.mean), float(sys_.ci), str(metric.get_signature()),
                                     str(signatures[score_name]))
    return results


def glossary_fingerprint(entries: Iterable[GlossaryEntry], lang: str) -> str:
    digest = hashlib.sha256()
    for entry in sorted(entries, key=lambda e: e.id):
        fields = (entry.id, entry.kk, *entry.kk_variants, entry.target(lang), *entry.variants(lang))
        digest.update("\t".join(fields).encode() + b"\n")
    return digest.hexdigest()[:12]


def term_success_rate(sources: list[str], hyps: list[str], entries: Sequence[GlossaryEntry],
                      tgt_lang: str) -> TermResult:
    """Share of glossary terms found in the Kazakh sources (inflection-aware) whose
    required target form appears in the hypothesis (inflection-aware). A term counts
    once per segment however often it occurs there."""

    if len(sources) != len(hyps):
        raise InputError(f"sources and hypotheses differ in length: {len(sources)} vs {len(hyps)}",
                         hint="score only line-aligned files")
    by_id = {entry.id: entry for entry in entries}
    matcher = Matcher(list(entries))
    found = total = 0
    misses: list[TermMiss] = []
    for index, (source, hyp) in enumerate(zip(sources, hyps)):
        for term_id in dict.fromkeys(hit.id for hit in matcher.find(source)):
            entry = by_id[term_id]
            total += 1
            if contains(hyp, entry, tgt_lang):
                found += 1
            else:
                misses.append(TermMiss(index, term_id, entry.target(tgt_lang)))
    signature = (f"TSR|terms:{len(by_id)}|glossary:{glossary_fingerprint(entries, tgt_lang)}"
                 f"|trg:{tgt_lang}|mt:{__version__}")
    return TermResult(100.0 * found / total if total else None, found, total, tuple(misses),
                      signature)


__all__ = ["DEFAULT_METRICS", "METRICS", "MetricResult", "PairedResult", "TermMiss", "TermResult",
           "build_metrics", "paired_bootstrap", "score", "split_pair", "term_success_rate"]
