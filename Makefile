# Set-up and checks. `make install` then `make test` is all a fresh machine needs.
VENV ?= .venv
PY := $(VENV)/bin/python
# The lock: every package pinned for CPython 3.11 on Linux x86_64 with the CPU build of torch
# 2.13.0 (which lies on this machine's disk, /opt/wheels). `make lock` refreshes it.
LOCK ?= requirements/py311-linux-x86_64-cpu.txt
# Only without a lock (`make install LOCK=`): the torch spec to install first. Other specs can
# pull a multi-GB CUDA build; pyproject itself asks only for a range.
TORCH ?= torch==2.13.0
# Extra pins on top of the lock, e.g. `make install VENV=.venv-524 PINS=transformers==5.24.0`.
PINS ?=
WHEELS ?= /opt/wheels
UV ?= uv==0.13.9
LATEST ?= .venv-latest

.PHONY: install test lock test-latest bench bench-docs bench-ray bench-budget bench-phases eval clean

install:
	python3 -m venv $(VENV)
ifneq ($(LOCK),)
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "$(LOCK) is for Python 3.11; on another Python run `make install LOCK=` (ranges from pyproject) or `make lock`")'
	$(PY) -m pip install -q -r $(LOCK)
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
else
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q "$(TORCH)"
	$(PY) -m pip install -q -e '.[ct2,dev,ray]'
endif
ifneq ($(PINS),)
	$(PY) -m pip install -q $(PINS)
endif
	$(PY) -m pip check
	@# byte-compile mt as pip does a wheel's files: no command compiles it again at start-up
	@# (0.15 s of each), also where PYTHONDONTWRITEBYTECODE is set
	$(PY) -m compileall -q mt

test:
	$(VENV)/bin/ruff check mt tests eval
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(VENV)/bin/mt glossary check
	$(VENV)/bin/mt glossary fmt --check
	$(PY) -m pytest -q

# The lock from pyproject's ranges with uv (kept in its own venv, not in the project's): pins
# stay where they are and only new or changed requirements are resolved; `make lock UPGRADE=1`
# moves every package to the newest version the ranges allow.
UPGRADE ?=
lock:
	python3 -m venv .venv-tools
	.venv-tools/bin/python -m pip install -q "$(UV)"
	.venv-tools/bin/uv pip compile pyproject.toml requirements/lock.in --extra ct2 --extra dev --extra ray \
		--python-version 3.11 --python-platform x86_64-manylinux_2_28 \
		--find-links $(WHEELS) --emit-find-links $(if $(UPGRADE),--upgrade) -o $(LOCK)

# Canary: the newest versions pyproject's ranges allow, in a venv of their own, then the suite.
# Not part of CI; run it to find the next upstream change before a user does.
test-latest:
	rm -rf $(LATEST)
	$(MAKE) install VENV=$(LATEST) LOCK=
	$(LATEST)/bin/python -m pip list --format=freeze | grep -i -E '^(torch|transformers|tokenizers|ctranslate2|sentencepiece|sacrebleu|huggingface.hub)=='
	$(MAKE) test VENV=$(LATEST)

# `make bench BENCH="--tag NAME"` writes eval/bench/<date>-NAME.json/.md (see eval/bench.py --help).
BENCH ?=
bench:
	$(PY) eval/bench.py $(BENCH)

# Documents by size: seconds and peak memory of `mt segment` per format (txt, md, html ...)
# at 1, 5 and 10 MB, and the cost per MB of input (eval/bench_docs.py; no model needed).
bench-docs:
	$(PY) eval/bench_docs.py

# Beam-4 batch budget of mt's CTranslate2 engine against plain CTranslate2 (after make bench).
bench-budget:
	$(PY) eval/bench_budget.py

# Where a beam-4 release's time goes, phase by phase (after make bench).
bench-phases:
	$(PY) eval/bench_phases.py $(BENCH)

# Releases per minute on a local Ray: 1 actor x 2 threads against 2 actors x 1 thread.
bench-ray:
	$(PY) eval/bench_ray.py

# Quality gate: translate FLORES devtest with the real model (weights needed) and compare.
eval:
	$(VENV)/bin/mt eval run flores200-devtest

clean:
	rm -rf $(VENV) $(LATEST) .venv-tools build *.egg-info .pytest_cache eval/runs

# Kazakh named-entity recogniser: retrain the CRF on KazNERD's valid split (checksums checked
# first), score it on the test split, write mt/data/ner/ and eval/ner/scores.json (about 5 min).
.PHONY: ner
ner:
	$(PY) -m mt.glossary.ner_train
