# make run   — install, migrate, load the demo data and serve on http://127.0.0.1:8000
# make test  — install the dev requirements and run the whole suite
# make bench — run the benchmarks
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_DATA ?= 1
# DEMO_24H=1 opens the demo mall around the clock (to try it outside its hours); 0 ends it.
DEMO_24H ?=
CHROMIUM := /usr/bin/chromium

.PHONY: run test bench lint format messages chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@if [ "$(DEMO_DATA)" != "0" ]; then $(BIN)/python manage.py load_demo_data; fi
	@if [ "$(DEMO_24H)" = "1" ]; then $(BIN)/python manage.py demo_around_the_clock; \
	elif [ "$(DEMO_24H)" = "0" ]; then $(BIN)/python manage.py demo_around_the_clock --off; fi
	exec $(BIN)/python manage.py serve --port $(PORT)

# Debian's Chromium drives the browser tests; Playwright's own download cannot be used.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: sudo apt-get install chromium (browser tests will be skipped)"; fi; \
	fi

test: $(VENV)/.dev chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	SECRET_KEY="$${SECRET_KEY:-insecure-key-for-the-test-suite-only}" $(BIN)/python manage.py makemigrations --check --dry-run
	SECRET_KEY="$${SECRET_KEY:-insecure-key-for-the-test-suite-only}" $(BIN)/pytest $(PYTEST_ARGS)

bench: $(VENV)/.dev
	.ci/services
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python -m bench

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(VENV)/.dev
	$(BIN)/python manage.py makemessages -l en --ignore='.venv/*' --ignore='staticfiles/*'
	$(BIN)/python manage.py compilemessages --ignore='.venv/*'

clean:
	rm -rf $(VENV) staticfiles var db.sqlite3
