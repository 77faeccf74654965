# The two commands of the README: `make run` (service with demo data) and `make test` (the full suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-slow test-all lint typecheck bench clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs are reproducible: every package is pinned by requirements.lock (a constraints file).
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test,dev]'
	touch $@

# Re-resolves the dependencies within pyproject.toml's ranges in a scratch venv and pins them.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet '.[test,dev]'
	{ sed -n '1,2p' requirements.lock; .lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^ila-register'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock
	rm -rf .lock-venv

run: $(VENV)/.installed
	$(BIN)/ila-register serve --demo --host $(HOST) --port $(PORT)

# axe-core for the accessibility checks in tests/browser (from the npm registry, pinned by its lock file).
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	if command -v npm >/dev/null; then npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error; fi

test: $(VENV)/.installed $(AXE)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest

test-slow: $(VENV)/.installed $(AXE)
	$(BIN)/python -m pytest -m slow

test-all: $(VENV)/.installed $(AXE)
	$(BIN)/python -m pytest -m "slow or not slow"

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .lock-venv
