# Pairwise developer commands. `make run` starts a demo site, `make test` runs every test.
#
# PYTHON=/path/to/python3.12 overrides the interpreter used to create .venv; otherwise the first
# of python3.13, python3.12, python3 and pyenv's installed versions (newest first) that actually
# runs and is 3.12 or newer. A pyenv shim for a version pyenv has not activated fails to run, so it
# is skipped like any other unusable candidate.
# PYTEST_ARGS adds pytest options (CI passes --create-db). DATABASE_URL selects PostgreSQL.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements.stamp
PYTEST_ARGS ?=
DEMO_PASSWORD := pairwise-demo
PORT ?= 8000
DEMO_LOGINS := manager@pairwise.test facilitator@pairwise.test policymaker@pairwise.test \
	practitioner@pairwise.test other@pairwise.test

define FIND_PYTHON
for py in python3.13 python3.12 python3 $$(ls -1d "$$HOME"/.pyenv/versions/*/bin/python3 2>/dev/null | sort -rV); do \
	if "$$py" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
		command -v "$$py"; exit 0; \
	fi; \
done; exit 1
endef

.PHONY: help venv run test lint browser sweep screenshots deploy-check clean distclean

help:
	@echo "make run           demo site on http://127.0.0.1:8000 (PORT=...), with a task worker for mail"
	@echo "make test          the whole test suite (browser tests skip when no Chromium is found)"
	@echo "make lint          ruff check, ruff format --check, mypy and a check for missing migrations"
	@echo "make browser       browser tests only"
	@echo "make sweep         axe and 390 px checks over every page each demo role reaches (CI runs it once)"
	@echo "make screenshots   regenerate docs/screenshots/ (ten main pages, desktop and phone)"
	@echo "make deploy-check  check --deploy and collectstatic with production settings"
	@echo "make venv          create or update .venv"
	@echo "make clean         remove generated files (keeps .venv and db.sqlite3; distclean removes .venv too)"

venv: $(STAMP)

$(BIN)/python:
	@py="$(PYTHON)"; \
	if [ -z "$$py" ]; then \
		py="$$( $(FIND_PYTHON) )" || { echo "No Python 3.12 or newer found; set PYTHON=/path/to/python3.12" >&2; exit 1; }; \
	elif ! "$$py" -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		echo "PYTHON=$$py is not a working Python 3.12 or newer" >&2; exit 1; \
	fi; \
	echo "Creating $(VENV) with $$py ($$("$$py" --version 2>&1))"; \
	"$$py" -m venv $(VENV)

# Re-installs whenever a requirements file changes.
$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

run: venv
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	@echo
	@echo "Pairwise is starting on http://127.0.0.1:$(PORT) -- sign in as any of:"
	@for login in $(DEMO_LOGINS); do echo "  $$login"; done
	@echo "  password: $(DEMO_PASSWORD)"
	@echo "Mail is sent by a task worker started beside the server, and printed here."
	@echo
	@# The worker runs in the background and is stopped when the server stops (Ctrl+C).
	@$(BIN)/python manage.py db_worker --queue-name='*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: venv
	$(BIN)/pytest $(PYTEST_ARGS)

browser: venv
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

# The page sweep takes a minute or two, so `make test` skips it; CI runs it once, in the PostgreSQL pass.
sweep: venv
	PAIRWISE_SWEEP=1 $(BIN)/pytest tests/browser/test_every_page.py $(PYTEST_ARGS)

screenshots: venv
	PAIRWISE_SCREENSHOTS=1 $(BIN)/pytest tests/browser/test_screenshots.py $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/python manage.py makemigrations --check --dry-run

# Production settings from the environment, as a real deployment would set them. DATABASE_URL is
# taken from the environment when set (CI points it at PostgreSQL), else the local SQLite file.
deploy-check: venv
	@set -euo pipefail; \
	export DEBUG=0 ALLOWED_HOSTS=example.org \
		SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
		DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3}" \
		STATIC_ROOT="$$(mktemp -d)"; \
	trap 'rm -rf "$$STATIC_ROOT"' EXIT; \
	echo "check --deploy against $${DATABASE_URL%%://*}"; \
	$(BIN)/python manage.py check --deploy --fail-level WARNING; \
	$(BIN)/python manage.py collectstatic --no-input | tail -n 1

clean:
	rm -rf staticfiles .pytest_cache .ruff_cache .mypy_cache test-results
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
