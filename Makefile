# Two commands on a fresh machine:  `make demo` runs the product, `make test` runs the tests.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO_ENV := DEBUG=true ROAPP_ALLOW_INSECURE_PLATFORM_URLS=true

.PHONY: demo test venv lint migrations-check ci clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changed.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

demo: venv
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py demo_data
	@echo "Open http://127.0.0.1:$(PORT)/admin/ and log in as demo / demo"
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Uses DATABASE_URL when set (PostgreSQL), the embedded SQLite otherwise.
test: venv
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: venv
	$(PY) manage.py makemigrations --check --dry-run

ci: lint migrations-check test

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* .pytest_cache test-artifacts
