# plgkg — make targets. Each creates the virtual environment .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint validate stats clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The service on the embedded default store (oxigraph), on http://127.0.0.1:8000/.
run: $(STAMP)
	$(BIN)/plgkg serve

test: $(STAMP)
	$(BIN)/ruff check plgkg api tests
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check plgkg api tests
	$(BIN)/ruff format --check plgkg api tests

validate: $(STAMP)
	$(BIN)/plgkg validate

stats: $(STAMP)
	$(BIN)/plgkg stats

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Browser tests (tests/browser): axe-core from the npm registry, pinned in package-lock.json, and
# Debian's chromium. `make test` installs the first (npm ci) and says how to get the second; without
# either, those tests skip.
.PHONY: browser-deps
test: browser-deps
browser-deps:
	@if [ ! node_modules/.package-lock.json -nt package-lock.json ]; then \
	  if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	  else echo "note: no npm, so no axe-core: the accessibility tests skip (install Node.js, then npm ci)"; fi; \
	fi
	@test -x /usr/bin/chromium || echo "note: no /usr/bin/chromium: the browser tests skip" \
	  "(apt-get install chromium, as .ci/run does; Playwright's browser download is not used)"
