# Set-up and checks. `make install` then `make test` is all a fresh machine needs.
VENV ?= .venv
PY := $(VENV)/bin/python
# This machine has a CPU build of torch 2.13.0 on local disk; other specs can pull a multi-GB CUDA build.
TORCH ?= torch==2.13.0

.PHONY: install test bench eval clean

install:
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q "$(TORCH)"
	$(PY) -m pip install -q -e '.[ct2,dev]'

test:
	$(VENV)/bin/mt glossary check
	$(VENV)/bin/mt glossary fmt --check
	$(PY) -m pytest -q

bench:
	$(PY) eval/bench.py

# Quality gate: translate FLORES devtest with the real model (weights needed) and compare.
eval:
	$(VENV)/bin/mt eval run flores200-devtest

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache eval/runs
