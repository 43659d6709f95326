"""Shared fixtures: tiny models built once per test session (never downloaded).

Model fixtures return the folder of a model saved with save_pretrained; pass it as
`--model` or to `load_engine`. torch is imported only when a model fixture is used.
"""

from __future__ import annotations

import atexit
import csv
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

# Tests never touch the network; a hub id must come from the (test) cache.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
# mt.memo's cache: a folder of this session's own, never the user's ~/.cache (tests run as root in CI)
_CACHE = tempfile.mkdtemp(prefix="mt-test-cache-")
os.environ["MT_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

TESTS = Path(__file__).parent
sys.path.insert(0, str(TESTS))  # `import tinymodels` from test modules

E2E = TESTS / "data" / "e2e"


def _one_thread() -> None:
    import torch

    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def tiny_nllb(tmp_path_factory) -> Path:
    """Random NLLB-architecture model; kk/de/en/ru codes; 61-token source limit."""
    import tinymodels

    _one_thread()
    return tinymodels.build_nllb(tmp_path_factory.mktemp("nllb"))


@pytest.fixture(scope="session")
def tiny_m2m100(tmp_path_factory) -> Path:
    import tinymodels

    _one_thread()
    return tinymodels.build_m2m100(tmp_path_factory.mktemp("m2m100"))


@pytest.fixture(scope="session")
def tiny_marian(tmp_path_factory) -> Path:
    """Random single-pair Opus-MT model declared as kk -> en."""
    import tinymodels

    _one_thread()
    return tinymodels.build_marian(tmp_path_factory.mktemp("marian"), source_lang="kk", target_lang="en")


@pytest.fixture(scope="session")
def tiny_marian_multi(tmp_path_factory) -> Path:
    """Random multi-target Opus-MT model with >>deu<< >>eng<< >>rus<< tokens."""
    import tinymodels

    _one_thread()
    return tinymodels.build_marian(tmp_path_factory.mktemp("marian_multi"), targets=("de", "en", "ru"))


@pytest.fixture(scope="session")
def tiny_madlad(tmp_path_factory) -> Path:
    import tinymodels

    _one_thread()
    return tinymodels.build_madlad(tmp_path_factory.mktemp("madlad"))


def read_pairs(path: Path, langs=("de", "en", "ru")) -> list[tuple[str, dict[str, str]]]:
    """A TSV with columns kk, de, en, ru -> [(kk, {lang: target})]."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(row["kk"], {lang: row[lang] for lang in langs}) for row in rows]


@pytest.fixture(scope="session")
def e2e_pairs() -> list[tuple[str, dict[str, str]]]:
    return read_pairs(E2E / "pairs.tsv")


@pytest.fixture(scope="session")
def train_nllb(tmp_path_factory):
    """Factory: train_nllb(pairs) -> folder of a tiny NLLB model that reproduces
    `pairs` exactly (greedy). Cached per session by the pairs' content."""
    import tinymodels

    cache: dict[tuple, Path] = {}

    def train(pairs, langs=("de", "en", "ru"), **kwargs) -> Path:
        key = (tuple((s, tuple(sorted(t.items()))) for s, t in pairs), tuple(langs), tuple(sorted(kwargs.items())))
        if key not in cache:
            _one_thread()
            cache[key] = tinymodels.train_tiny_nllb(tmp_path_factory.mktemp("trained_nllb"), pairs, langs,
                                                    **kwargs)
        return cache[key]

    return train


@pytest.fixture(scope="session")
def trained_nllb(train_nllb, e2e_pairs) -> Path:
    """Tiny NLLB model trained on tests/data/e2e/pairs.tsv (kk -> de, en, ru)."""
    return train_nllb(e2e_pairs)


@pytest.fixture(scope="session")
def ct2_model(request, tmp_path_factory):
    """Factory: ct2_model("tiny_nllb", quantization="int8") -> the fixture's model
    converted to CTranslate2 once per session."""
    pytest.importorskip("ctranslate2")
    from mt.engines.ct2_convert import convert_model

    cache: dict[tuple[str, str], Path] = {}

    def convert(fixture: str, quantization: str = "int8") -> Path:
        if (fixture, quantization) not in cache:
            source = request.getfixturevalue(fixture)
            out = tmp_path_factory.mktemp("ct2") / f"{fixture}-{quantization}"
            cache[fixture, quantization] = convert_model(str(source), out, quantization=quantization)
        return cache[fixture, quantization]

    return convert
