# `make run` serves the demo site on SQLite; `make test` runs every test.
# Both set up what they need: a virtual environment in .venv with the pinned requirements.

PYTHON_VERSION := 3.13
# python3.13 if it runs here (pyenv shims exist but may refuse outside this folder),
# else pyenv's own 3.13 build.
PYTHON := $(shell if python3.13 --version >/dev/null 2>&1; then echo python3.13; \
	else ls -d $$HOME/.pyenv/versions/$(PYTHON_VERSION)*/bin/python3 2>/dev/null | sort -V | tail -n 1; fi)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format lock upgrade bench backup restore clean

run: $(VENV)/.installed-dev
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Branch coverage with a floor (pyproject.toml), measured in pytest and in the processes
# the tests start: one data file each, combined before the report. A run narrowed with
# PYTEST_ARGS still prints the report, but only the whole suite is held to the floor.
test: $(VENV)/.installed-dev
	$(BIN)/coverage erase
	$(BIN)/coverage run -m pytest $(PYTEST_ARGS)
	$(BIN)/coverage combine --quiet
	$(BIN)/coverage report $(if $(PYTEST_ARGS),--fail-under=0)

# Production-like benchmark on PostgreSQL, Redis and gunicorn, driven by wrk; writes
# docs/benchmarks.md. BENCH_ARGS="--sizes small --duration 5" for a quick run.
bench: $(VENV)/.installed-dev
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk; } \
		|| { echo "wrk is needed: sudo apt-get install -y wrk" >&2; exit 1; }
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# Backups of the database and the uploaded files, with the site's environment variables set
# (docs/operations.md). `make backup` writes backups/<UTC time>/ unless BACKUP_DIR names a
# new folder; `make restore FROM=folder` (FORCE=1 to replace what the database holds).
backup: $(VENV)/.installed-dev
	$(BIN)/python manage.py backup --to "$(or $(BACKUP_DIR),backups/$(shell date -u +%Y%m%dT%H%M%SZ))"

restore: $(VENV)/.installed-dev
	@if [ -z "$(FROM)" ]; then echo "Name the backup: make restore FROM=backups/..." >&2; exit 1; fi
	$(BIN)/python manage.py restore --from "$(FROM)" $(if $(FORCE),--force)

# pre-commit's hooks are all local (.pre-commit-config.yaml), so it needs no network; its
# own store stays in the git-ignored .cache/ rather than in the home folder.
lint: $(VENV)/.installed-dev
	PRE_COMMIT_HOME=$(CURDIR)/.cache/pre-commit $(BIN)/pre-commit run --all-files
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/mypy

# What lint checks and a tool can fix: Python code, then template indentation (HTML only:
# djhtml would indent the text of plain-text emails).
format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	git ls-files -z '*.py' ':!:*/migrations/*' \
		| xargs -0 $(BIN)/django-upgrade --target-version 6.1 --exit-zero-even-if-changed
	git ls-files -z 'templates/*.html' ':!:templates/registration/password_reset_email.html' \
		| xargs -0 $(BIN)/djhtml

# requirements.in and requirements-dev.in name what we depend on; the lock files pin all
# that it pulls in, with hashes. `make lock` after editing an .in file;
# `make upgrade PACKAGE=name` moves one package to its newest version the pins allow.
UV_COMPILE = $(BIN)/uv pip compile --quiet --python-version $(PYTHON_VERSION) --generate-hashes \
	--custom-compile-command "make lock"

lock: $(VENV)/.installed-dev
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) requirements-dev.in -o requirements-dev.txt

upgrade: $(VENV)/.installed-dev
	@if [ -z "$(PACKAGE)" ]; then echo "Name the package: make upgrade PACKAGE=django" >&2; exit 1; fi
	$(UV_COMPILE) --upgrade-package "$(PACKAGE)" requirements.in -o requirements.txt
	$(UV_COMPILE) --upgrade-package "$(PACKAGE)" requirements-dev.in -o requirements-dev.txt

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Python $(PYTHON_VERSION) is needed: install it (e.g. 'pyenv install $(PYTHON_VERSION)') and run make again." >&2; \
		exit 1; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The site and its tests share one environment, so `make run` followed by `make test`
# installs once. requirements-dev.txt locks everything, runtime packages included, and pip
# refuses any file whose hash differs from the lock.
$(VENV)/.installed-dev: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache .cache .coverage .coverage.*
