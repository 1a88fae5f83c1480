# Tandem — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test install install-test assets messages messages-update lint migrations-check pytest clean

help:
	@echo "make run    install, migrate, load demo data and serve http://$(HOST):$(PORT) (SQLite, tasks inline)"
	@echo "make test   install test dependencies and run ruff, makemigrations --check and the whole suite"
	@echo "            against PostgreSQL, Redis and Debian's Chromium"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet ".[test]"
	touch $@

install: $(VENV)/.installed assets messages
install-test: $(VENV)/.installed-test assets messages

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Front-end assets come from the npm registry (package-lock.json), copied into static/vendor.
assets: node_modules/.package-lock.json
	@mkdir -p static/vendor/utrecht static/vendor/htmx
	@cp node_modules/@utrecht/component-library-css/dist/index.css static/vendor/utrecht/index.css
	@cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/htmx.min.js

messages: | $(VENV)/bin/python
	@command -v msgfmt >/dev/null || scripts/apt_install.sh gettext
	@DJANGO_DEBUG=true $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

# After changing source strings: update the catalogue, then translate (scripts/po_fill.py).
messages-update: | $(VENV)/bin/python
	DJANGO_DEBUG=true $(MANAGE) makemessages -l nl --no-location --ignore=.venv --ignore=node_modules \
	  --ignore=tests --ignore=var --ignore=staticfiles --ignore=bench

# The demo skips two-factor enrolment so a newcomer can try every role at once; production
# (TANDEM_REQUIRE_2FA unset) requires it for every role that can see child data. The demo has
# no beat process, so its dashboard figures are live (no figures cache, ADR 0081). E-mail links
# point at the server `make run` starts (HOST, PORT) unless TANDEM_SITE_URL is set.
TANDEM_SITE_URL ?= http://$(HOST):$(PORT)
DEMO_ENV := DJANGO_DEBUG=true TANDEM_REQUIRE_2FA=false TANDEM_FIGURES_CACHE_SECONDS=0 \
  TANDEM_SITE_URL=$(TANDEM_SITE_URL)
run: install
	@mkdir -p var
	$(DEMO_ENV) $(MANAGE) migrate --no-input
	$(DEMO_ENV) $(MANAGE) seed_demo
	$(DEMO_ENV) $(MANAGE) runserver $(HOST):$(PORT)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=portal.settings_test $(MANAGE) makemigrations --check --dry-run

# The whole suite. Services: uses running PostgreSQL/Redis, else starts throwaway instances.
test: install-test
	@scripts/ensure_chromium.sh
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@eval "$$($(PY) scripts/services.py up)" && \
	  DJANGO_SETTINGS_MODULE=portal.settings_test $(MANAGE) makemigrations --check --dry-run && \
	  status=0; DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(PYTEST_ARGS) || status=$$?; \
	  $(PY) scripts/services.py down; exit $$status

# Run pytest only (services must be reachable); e.g. make pytest PYTEST_ARGS="tests/contacts -x"
pytest: install-test
	@eval "$$($(PY) scripts/services.py up)" && DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles var

# --- Production-like operation (README "Running in production", "Operators") -------------------
.PHONY: serve backup restore
# gunicorn + Celery worker + Celery beat against DATABASE_URL / REDIS_URL; Ctrl-C stops all three.
serve: install
	$(PY) scripts/serve.py --bind $(HOST):$(PORT)

# One dated archive in backups/: pg_dump (custom format) + the private media + SHA-256 manifest.
backup: install
	@exports="$$($(PY) scripts/serve.py --print-env)" && eval "$$exports" && $(MANAGE) backup

# Restore an archive into an EMPTY database and an empty private media root.
restore: install
	@test -n "$(ARCHIVE)" || { echo "usage: make restore ARCHIVE=backups/tandem-YYYYmmdd-HHMMSS.tar.gz"; exit 2; }
	@exports="$$($(PY) scripts/serve.py --print-env)" && eval "$$exports" && $(MANAGE) restore "$(ARCHIVE)"

# Load benchmark (ADR 0080): gunicorn + PostgreSQL + Redis with DJANGO_DEBUG=false on the
# tandem_bench database (seeded with seed_load only when missing or of another size), measured
# with wrk. Quick run: make bench BENCH_REFERRALS=20000. See bench/run.py for the variables.
BENCH_REFERRALS ?= 1000000
.PHONY: bench
bench: install
	@command -v wrk >/dev/null || scripts/apt_install.sh wrk
	@eval "$$($(PY) scripts/services.py up)" && \
	  status=0; BENCH_REFERRALS=$(BENCH_REFERRALS) $(PY) bench/run.py || status=$$?; \
	  $(PY) scripts/services.py down; exit $$status
