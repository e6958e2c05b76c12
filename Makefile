# The two commands of the README: `make demo [PORT=5000]` runs the app, `make test` runs the tests.
# Both create the virtual environment on first use.

VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: demo test lint services

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

demo: $(VENV)/.installed
	CASEWORK_ENV=development $(BIN)/flask --app wsgi demo --port $(PORT)

services:
	.ci/services

# ruff, then the architecture: import-linter's contracts in pyproject.toml.
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

test: $(VENV)/.installed services lint
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)
