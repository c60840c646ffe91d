# Engage — the two commands a newcomer needs are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app engage
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: install venv assets translations model demo run test test-sqlite test-postgres lint bench clean

$(BIN)/python:
	@command -v $(PY) >/dev/null || { echo "Python 3.11 is needed ($(PY) not found); set PY=python3.x"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

venv: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

assets:
	npm ci --no-audit --no-fund --silent
	rm -rf engage/static/vendor && mkdir -p engage/static/vendor/dkfds
	cp -r node_modules/dkfds/dist/css node_modules/dkfds/dist/js node_modules/dkfds/dist/fonts node_modules/dkfds/dist/img engage/static/vendor/dkfds/

translations: venv
	$(FLASK) translate compile

model: venv
	$(FLASK) nlp train --if-missing

install: venv assets translations model

# The laptop demo runs background jobs inside the web process (no worker, no Redis).
demo: export ENGAGE_JOBS_IMMEDIATE = true
demo: install
	$(FLASK) db upgrade
	$(FLASK) demo seed
	$(FLASK) surveys analyse
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install
	bash scripts/test.sh

lint: venv
	$(BIN)/ruff check engage tests bench

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) node_modules engage/static/vendor instance var
