# Tandem — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_WORKERS ?= 2

.PHONY: help run test install install-test assets messages messages-update lint migrations-check pytest screenshots clean

help:
	@echo "make run    install, migrate, load demo data and serve http://$(HOST):$(PORT) (SQLite, tasks inline)"
	@echo "make test   install test dependencies and run ruff, makemigrations --check and the whole suite"
	@echo "            against PostgreSQL, Redis and Debian's Chromium"
	@echo "make lock   re-resolve requirements/*.txt (hashed lock files) after changing pyproject.toml"
	@echo "make scan   security scan of the production-like stack (wapiti, sqlmap, hostile input; ~20 min)"
	@echo "make screenshots  each role's main pages at 1280 and 320 px as PNGs in screenshots/"

# Every install comes from the hashed lock files in requirements/ (ADR 0100): first the build
# tools (pip, setuptools, wheel), then the runtime set (base.txt) or the test set (test.txt),
# then the project itself without dependencies and with the pinned setuptools.
PIP_LOCKED := $(PY) -m pip install --quiet --require-hashes

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-build: requirements/build.txt | $(VENV)/bin/python
	$(PIP_LOCKED) -r requirements/build.txt
	touch $@

$(VENV)/.installed: pyproject.toml requirements/base.txt $(VENV)/.installed-build
	$(PIP_LOCKED) -r requirements/base.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation .
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements/test.txt $(VENV)/.installed
	$(PIP_LOCKED) -r requirements/test.txt
	touch $@

# Re-resolve the lock files after editing pyproject.toml or requirements/build.in; existing
# pins stay unless they must move. `make lock UPGRADE=1` moves everything to the newest
# releases (Renovate does the same per package). pip-tools runs in its own venv (.venv-lock),
# and resolves against pypi.org only, ignoring local pip configuration, so the hashes are
# those of the files every other machine downloads.
PIP_TOOLS_VERSION := 7.6.2
LOCK_VENV := .venv-lock
PIP_COMPILE := env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null \
  $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
  --no-emit-index-url --no-emit-find-links --index-url=https://pypi.org/simple $(if $(UPGRADE),--upgrade)
.PHONY: lock
lock:
	@test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
	  $(LOCK_VENV)/bin/pip install --quiet pip-tools==$(PIP_TOOLS_VERSION); }
	$(PIP_COMPILE) --output-file requirements/build.txt requirements/build.in
	$(PIP_COMPILE) --output-file requirements/base.txt pyproject.toml
	$(PIP_COMPILE) --extra test --constraint requirements/base.txt --output-file requirements/test.txt pyproject.toml
	$(PIP_COMPILE) --output-file requirements/scan.txt requirements/scan.in

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
# (TANDEM_REQUIRE_2FA unset) requires it for every role (ADR 0136). The demo has
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

# The whole suite, in TEST_WORKERS parallel processes (pytest-xdist; each has its own test
# database). Services: uses running PostgreSQL/Redis, else starts throwaway instances.
test: install-test
	@scripts/ensure_chromium.sh
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@eval "$$($(PY) scripts/services.py up)" && \
	  DJANGO_SETTINGS_MODULE=portal.settings_test $(MANAGE) makemigrations --check --dry-run && \
	  status=0; DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS) || status=$$?; \
	  $(PY) scripts/services.py down; exit $$status

# Run pytest only (services must be reachable); e.g. make pytest PYTEST_ARGS="tests/contacts -x"
pytest: install-test
	@eval "$$($(PY) scripts/services.py up)" && DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(PYTEST_ARGS)

# Each role's main pages at 1280 and 320 px wide, as full-page PNGs in screenshots/ (gitignored),
# from the browser test that checks reflow and axe at both widths (tests/portal/test_screenshots.py;
# in `make test` it writes no files). Services as for `make test`.
screenshots: install-test
	@scripts/ensure_chromium.sh
	@rm -rf screenshots && mkdir -p screenshots
	@eval "$$($(PY) scripts/services.py up)" && \
	  status=0; TANDEM_SCREENSHOTS_DIR=$(CURDIR)/screenshots DJANGO_ALLOW_ASYNC_UNSAFE=true \
	  $(VENV)/bin/pytest -p no:cacheprovider tests/portal/test_screenshots.py $(PYTEST_ARGS) || status=$$?; \
	  $(PY) scripts/services.py down; ls screenshots | wc -l | xargs echo "screenshots/:"; exit $$status

clean:
	rm -rf $(VENV) $(LOCK_VENV) node_modules static/vendor staticfiles var

# --- Production-like operation (README "Running in production", "Operators") -------------------
.PHONY: serve backup restore
# gunicorn + Celery worker + Celery beat against DATABASE_URL / REDIS_URL; Ctrl-C stops all three.
serve: install
	$(PY) scripts/serve.py --bind $(HOST):$(PORT)

# One dated archive in backups/: pg_dump (custom format) + the private media + SHA-256 manifest,
# encrypted with gpg when TANDEM_BACKUP_GPG_RECIPIENTS is set (ADR 0104).
backup: install
	@exports="$$($(PY) scripts/serve.py --print-env)" && eval "$$exports" && $(MANAGE) backup

# Restore an archive into an EMPTY database and an empty private media root.
restore: install
	@test -n "$(ARCHIVE)" || { echo "usage: make restore ARCHIVE=backups/tandem-YYYYmmdd-HHMMSS.tar.gz[.gpg]"; exit 2; }
	@exports="$$($(PY) scripts/serve.py --print-env)" && eval "$$exports" && $(MANAGE) restore "$(ARCHIVE)"

# Load benchmark (ADR 0080): gunicorn + PostgreSQL + Redis with DJANGO_DEBUG=false on the
# tandem_bench database (seeded with seed_load only when missing or of another size, topped up
# with what an older data set lacks), every page of bench/pages.py measured with wrk at 8 and at 2
# connections (p95 <= 100 / 40 ms) with its server CPU ms per request, then 200 submissions at
# once (p95 <= 500 ms). Quick run: make bench BENCH_REFERRALS=20000. Variables: bench/run.py;
# profiling one page: bench/README.md.
BENCH_REFERRALS ?= 1000000
.PHONY: bench
bench: install
	@command -v wrk >/dev/null || scripts/apt_install.sh wrk
	@eval "$$($(PY) scripts/services.py up)" && \
	  status=0; BENCH_REFERRALS=$(BENCH_REFERRALS) $(PY) bench/run.py || status=$$?; \
	  $(PY) scripts/services.py down; exit $$status

# Security scan of the production-like stack (ADR 0160): gunicorn + worker + beat on a free port of
# 127.0.0.1 with the demo data (database tandem_scan, Redis db 11), wapiti, sqlmap and the
# project's hostile-input checks per role; report in build/scan/report.md and report.json; exits
# non-zero on any finding of medium or higher severity or any 5xx. About 15-20 minutes; not part
# of `make test` (its verdict logic is: tests/security/test_scan_gate.py).
SCAN_VENV := .venv-scan
.PHONY: scan
$(SCAN_VENV)/.installed: requirements/scan.txt requirements/build.txt
	@test -x $(SCAN_VENV)/bin/python || $(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet --require-hashes -r requirements/build.txt
	$(SCAN_VENV)/bin/python -m pip install --quiet --require-hashes -r requirements/scan.txt
	touch $@
scan: install $(SCAN_VENV)/.installed
	@eval "$$($(PY) scripts/services.py up)" && \
	  status=0; $(PY) scripts/scan/run.py || status=$$?; \
	  $(PY) scripts/services.py down; exit $$status
