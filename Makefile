# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SPECTRAL := npx --yes @stoplight/spectral-cli@6.16.3

.PHONY: install run demo bench test lint openapi openapi-check lint-api pytest bench-load schermafdrukken clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

## Install, migrate the SQLite file wijkcontact.db and serve on http://127.0.0.1:8000
run: install
	$(BIN)/wijkcontact serve

## Fill wijkcontact.db with 100,000 synthetic gesprekken of last year (before or beside `make run`)
demo: install
	$(BIN)/wijkcontact demo --gesprekken 100000

## The analysis benchmark: 100k and 1M gesprekken on SQLite and PostgreSQL, the service against
## plain SQL and DuckDB (about an hour; options with ARGS, e.g. ARGS="--groottes 100000")
bench: install
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m bench.run $(ARGS)

## Install and run every check: ruff, mypy, the OpenAPI document, the ADR lint and all tests
test: install lint openapi-check lint-api pytest

lint: install
	$(BIN)/ruff check app tests migrations bench setup.py
	$(BIN)/ruff format --check app tests migrations bench setup.py
	$(BIN)/hadolint Dockerfile
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

openapi: install
	$(BIN)/wijkcontact openapi

openapi-check: install
	$(BIN)/wijkcontact openapi --check

# The NL API Design Rules ruleset (a copy of shared/adr/ruleset.yaml, see openapi/README.md).
lint-api:
	$(SPECTRAL) lint --fail-severity error -r openapi/adr-ruleset.yaml openapi/openapi.json

## Load benchmark (not part of `make test`): service vs bare baseline, SQLite and PostgreSQL,
## 100 simulated preventiewerkers, closed loop and paced; writes bench/RESULTS-load.md. About 13 minutes.
bench-load: install
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m bench.load --seconds $(or $(SECONDS),30)

## The form's and the jaarverslag's screenshots in docs/ (shown in the README), made by the browser tests
schermafdrukken: install
	WIJKCONTACT_SCHERMAFDRUKKEN=docs $(BIN)/pytest -q tests/web -k schermafdrukken

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache build dist
