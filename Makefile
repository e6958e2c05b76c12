# The two commands of the README: `make demo` runs the app, `make test` runs the tests.
# Both create the virtual environment on first use.

VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint services

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

demo: $(VENV)/.installed
	CASEWORK_ENV=development $(BIN)/flask --app wsgi demo

services:
	.ci/services

lint: $(VENV)/.installed
	$(BIN)/ruff check .

test: $(VENV)/.installed services lint
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)
