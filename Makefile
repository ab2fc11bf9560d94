# aluekg: `make run` serves the graph, `make test` checks everything. Both make .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
AXE := tests/a11y/node_modules/axe-core/axe.min.js
VIRTUOSO := /usr/bin/virtuoso-t

.PHONY: run test check fmt bench registry browser virtuoso clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# serve validates the data first (not again when the same files validated before) and refuses
# to serve data that does not conform; 143 is its exit on SIGTERM once drained, not a failure.
run: $(INSTALLED)
	$(BIN)/aluekg serve || [ $$? -eq 143 ]

test: check browser virtuoso
	$(BIN)/python -m pytest

check: $(INSTALLED)
	$(BIN)/ruff format --check
	$(BIN)/ruff check
	$(BIN)/mypy

fmt: $(INSTALLED)
	$(BIN)/ruff format
	$(BIN)/ruff check --fix

# Debian's chromium for the page tests (Playwright drives it; it downloads no browser).
browser: $(CHROMIUM) $(AXE)
$(CHROMIUM):
	bash .ci/setup-browser

# axe-core from the npm registry, for the pages' accessibility check (tests/a11y/).
$(AXE): tests/a11y/package-lock.json
	bash .ci/setup-axe
	touch $@

# Debian's Virtuoso 7 for the remote-store tests (they start their own instance).
virtuoso: $(VIRTUOSO)
$(VIRTUOSO):
	bash .ci/setup-virtuoso

# Regenerate data/registry/*.ttl from the CSVs in data/registry/source/.
registry: $(INSTALLED)
	$(BIN)/python -m aluekg.registry

bench: $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
