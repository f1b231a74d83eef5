# `make run` and `make test` are all a new user needs (see README.md).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
HOST   ?= 127.0.0.1

.PHONY: install run test test-fast lint serve migrate demo clean bench lock load soak

# Installs exactly what requirements.lock pins, every file checked against its hash; then the
# project itself (editable, no dependencies of its own). `make lock` updates the lock.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

## Install everything, load the demo data and serve on http://$(HOST):$(PORT)
run: demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

## Every test: unit, views and imports on both cores (pytest-xdist), then the headless-Chromium browser suite, also on both
test: install
	$(PY) -m pytest -n 2 -m "not browser"
	$(PY) -m pytest -n 2 -m browser

## Everything but the browser suite
test-fast: install
	$(PY) -m pytest -n 2 -m "not browser"

## The benchmark at 50, 500 and 5,000 providers (ARGS=--quick for the two smaller); on
## PostgreSQL too when DATABASE_URL points at one. Prints `name: value` lines (README).
bench: install
	$(PY) manage.py bench $(ARGS)

## The production shape (gunicorn x4, PostgreSQL, Redis, a Celery worker on 127.0.0.1:8217-8219) under
## 20 signed-in Locust users on the 500-provider estate: prints `load p50_ms/p95_ms/rps/errors` (ARGS=--seconds 30)
load: install
	$(PY) -m reporting.devtools.soak load $(ARGS)

## The same shape under faults (a worker killed mid-build, database connections terminated, Redis
## down, hostile uploads): prints requests, errors, p95, 500s on reads, lost writes and stuck jobs
soak: install
	$(PY) -m reporting.devtools.soak soak $(ARGS)

## Every check CI runs before the tests (the same as the pre-commit hooks)
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/mypy

## Re-resolve requirements.lock from pyproject.toml (after changing a dependency; ARGS=--upgrade for new releases)
lock: install
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --extra dev --strip-extras \
	  --no-emit-index-url --no-emit-find-links $(ARGS) -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) node_modules var
