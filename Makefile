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
