# `make run` serves the demo site on SQLite; `make test` runs every test.
# Both set up what they need: a virtual environment in .venv with the pinned requirements.

PYTHON_VERSION := 3.13
# python3.13 if it runs here (pyenv shims exist but may refuse outside this folder),
# else pyenv's own 3.13 build.
PYTHON := $(shell if python3.13 --version >/dev/null 2>&1; then echo python3.13; \
	else ls -d $$HOME/.pyenv/versions/$(PYTHON_VERSION)*/bin/python3 2>/dev/null | sort -V | tail -n 1; fi)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format bench clean

run: $(VENV)/.installed-dev
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Production-like benchmark on PostgreSQL, Redis and gunicorn, driven by wrk; writes
# docs/benchmarks.md. BENCH_ARGS="--sizes small --duration 5" for a quick run.
bench: $(VENV)/.installed-dev
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk; } \
		|| { echo "wrk is needed: sudo apt-get install -y wrk" >&2; exit 1; }
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Python $(PYTHON_VERSION) is needed: install it (e.g. 'pyenv install $(PYTHON_VERSION)') and run make again." >&2; \
		exit 1; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The site and its tests share one environment, so `make run` followed by `make test`
# installs once.
$(VENV)/.installed-dev: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
