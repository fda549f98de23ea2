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

# The service on the embedded default store (oxigraph), on http://127.0.0.1:$(PORT)/ (make run PORT=8080).
PORT ?= 8000
run: $(STAMP)
	$(BIN)/plgkg serve --port $(PORT)

# The suite on two processes (pytest-xdist); each file runs whole in one of them, with its servers.
TEST_WORKERS ?= 2
test: $(STAMP)
	$(BIN)/ruff check plgkg api tests
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadgroup

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

# Full-page screenshots of every page type at 1280 and 375 px, for review: build/screenshots/.
.PHONY: screenshots
screenshots: $(STAMP) browser-deps
	PLGKG_SCREENSHOTS=1 $(BIN)/pytest -q tests/browser/test_accessibility.py

# Benchmarks (bench/, issue 6): loopback only, bounded. `make bench` compares plgkg serve with
# rdflib-endpoint, oxigraph serve and (if installed) Virtuoso; BENCH_SECONDS=3 for a quick run
# (default 10 s per cell and round, 2 rounds: about 6 minutes). Uses Debian's wrk when present
# (apt-get install wrk), else an async httpx client. `make bench-scale` generates 10k/100k/1M-triple
# data sets and measures start-up, memory and latency at each size (the 1M size takes minutes;
# SCALE_SIZES="10000 100000" for a short run). Both write bench/RESULTS.md; bench-scale also bench/scale.png.
BENCH_STAMP := $(VENV)/.bench-installed
BENCH_SECONDS ?= 10
SCALE_SIZES ?= 10000 100000 1000000

.PHONY: bench bench-scale
$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	@command -v wrk >/dev/null 2>&1 || echo "note: no wrk (apt-get install wrk): using the slower httpx client"
	BENCH_SECONDS=$(BENCH_SECONDS) $(BIN)/python -m bench.run

bench-scale: $(BENCH_STAMP)
	SCALE_SIZES="$(SCALE_SIZES)" $(BIN)/python -m bench.scale

# The school list, a school's page and its gaps at 100k and 1M triples (issue 5), against oxigraph
# serve answering the gap queries: bench/schools.py; writes the Schools section of bench/RESULTS.md.
.PHONY: bench-schools
bench-schools: $(BENCH_STAMP)
	$(BIN)/python -m bench.schools

# Validation of a register import at 12,000 rows (VALIDATION_ROWS): the shapes compiled to SPARQL,
# pyshacl, and pyoxigraph's bulk_load of the same triples (issue 16); the Validation section of RESULTS.md.
.PHONY: bench-validation
bench-validation: $(BENCH_STAMP)
	$(BIN)/python -m bench.validation

# Endurance (tests/endurance) in full: the soak for 60 s, the fuzzing with 100 examples per operation
# and mode. `make test` runs both in a short form (20 s, 20 examples).
.PHONY: soak
soak: $(STAMP)
	PLGKG_SOAK_SECONDS=60 PLGKG_FUZZ_EXAMPLES=100 $(BIN)/pytest -q -m "soak or fuzz" tests/endurance
