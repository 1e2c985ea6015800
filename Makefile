# The two commands of the README: `make run` and `make test`.
PY ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup run once test services clean

$(BIN)/aidewatch: pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "needs $(PY) (set PY=python3 if that is 3.11+)"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

setup: $(BIN)/aidewatch

## Set up, then run worker + beat on the embedded default (SQLite, filesystem broker) until Ctrl-C.
run: setup
	$(BIN)/aidewatch run

## Set up, poll every feed once, process everything, print a summary and exit.
once: setup
	$(BIN)/aidewatch run --once

## Set up, then run the whole test suite (Redis and PostgreSQL on 127.0.0.1 are used when up).
test: setup
	$(BIN)/python -m pytest -ra $(PYTEST_ARGS)

## Start local Redis and PostgreSQL when they are down (Debian packages, as on CI).
services:
	bash .ci/services

clean:
	rm -rf $(VENV) aidewatch-data .pytest_cache
