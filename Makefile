# Two commands on a fresh machine:  `make demo` runs the product, `make test` runs the tests.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test venv browser-deps bench-deps lint migrations-check ci clean mutants mutants-check

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changed.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# The admin on PORT; the fake platforms on SHOPIFY_PORT, WOO_PORT, CARTUM_PORT, NP_PORT (8101-8104 by default).
# Ctrl-C stops every process it started.
demo: venv
	PY=$(PY) PORT=$(PORT) scripts/demo.sh

# Browser tests drive Debian's chromium (browsers are never downloaded); installed here when missing.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# The webhook benchmark's load generator (bench/webhooks.py): Debian's wrk.
bench-deps: venv
	@command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk >/dev/null; }

# Uses DATABASE_URL when set (PostgreSQL), the embedded SQLite otherwise.
test: venv browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: venv
	$(PY) manage.py makemigrations --check --dry-run

ci: lint migrations-check test

# Mutation testing of the rule modules (docs/mutation-testing.md): mutmut, configured in pyproject.toml
# [tool.mutmut]. On SQLite (the postgres-marked tests skip); results are kept in mutants/ and a second run
# tests only what changed. MUTANTS narrows the run to some mutants, e.g. MUTANTS='integrations.sync.matching*'.
MUTANTS ?=
export MUTATION_SCORE := import json; s = json.load(open('mutants/mutmut-cicd-stats.json')); \
  caught = s['killed'] + s['timeout']; \
  print(f"Mutation score: {caught} of {s['total']} mutants killed ({100 * caught / max(s['total'], 1):.1f}%), \
  {s['survived']} survived, {s['no_tests']} reached by no rule test")
mutants: venv
	env -u DATABASE_URL $(VENV)/bin/mutmut run $(MUTANTS); status=$$?; \
	echo "Survivors and mutants no rule test reaches (mutmut show NAME for the change):"; \
	$(VENV)/bin/mutmut results; \
	$(VENV)/bin/mutmut export-cicd-stats >/dev/null && $(PY) -c "$$MUTATION_SCORE"; exit $$status

# CI's quick check that `make mutants` still starts: mutmut runs, its configuration names existing rule
# modules, and it mutates one of them (seconds; the run itself is too slow for CI).
mutants-check: venv
	$(VENV)/bin/mutmut --version
	$(PY) -m pytest -q -p no:cacheprovider roapp/tests/test_mutation_config.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* .pytest_cache test-artifacts mutants
