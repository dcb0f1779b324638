# Hộ tịch số: `make run` serves the demo, `make test` runs every check. Both work from a fresh clone.
SHELL := /bin/bash
# Debian's python3.11 (built with PGO and LTO) runs the pure-Python signing and PDF code about
# a tenth faster than an interpreter built without them (docs/adr/0007-signing-speed.md).
PYTHON ?= $(or $(wildcard /usr/bin/python3.11),python3.11)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
UV := $(BIN)/uv
# uv installs the exact dependency set of uv.lock into .venv, never a Python of its own (ADR 8).
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
UV_SYNC := $(UV) sync --locked --extra dev --extra spark --inexact --quiet --python $(BIN)/python
export HOTICH_DATA_DIR ?= $(CURDIR)/var

# Debian packages the project needs at run and test time.
DEBIAN_PACKAGES := python3.11 python3.11-venv python3.11-dev \
	tesseract-ocr tesseract-ocr-vie poppler-utils libnss3-tools softhsm2 \
	fonts-noto-core fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	chromium gettext postgresql-client sqlite3 zbar-tools pgbackrest \
	openjdk-17-jdk-headless

.PHONY: run test check lint pytest pytest-all system-deps venv deps-upgrade messages migrate demo serve clean screens

run: system-deps venv messages migrate
	$(BIN)/hotich demo --if-empty
	$(BIN)/hotich serve --port $${PORT:-8000}

test: system-deps venv messages lint pytest-all

system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Cài gói Debian / installing Debian packages:" $$missing; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

venv: $(STAMP)
$(STAMP): pyproject.toml uv.lock requirements/bootstrap.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --require-hashes -r requirements/bootstrap.txt
	$(UV_SYNC)
	touch $(STAMP)

# Re-resolves every dependency to the newest release the ranges of pyproject.toml allow, installs
# them, prints what changed and runs the whole test suite; commit uv.lock when it is green.
deps-upgrade: venv
	$(UV) lock --upgrade 2>&1 | grep -E '^(Updated|Added|Removed)' || echo "Không có gì mới / nothing changed"
	$(UV_SYNC)
	touch $(STAMP)
	$(MAKE) test

messages: venv
	cd src/hotich && ../../$(BIN)/hotich compilemessages -v0

migrate: venv
	$(BIN)/hotich migrate -v0

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

pytest: venv
	$(BIN)/pytest $(PYTEST_ARGS)

# The whole suite on every core (pytest-xdist): the browser tests in a second run of their own,
# so that no test shares a worker process with Playwright's event loop.
WORKERS ?= $(shell nproc)
pytest-all: venv
	$(BIN)/pytest -n $(WORKERS) -m "not browser" $(PYTEST_ARGS)
	$(BIN)/pytest -n $(WORKERS) -m browser $(PYTEST_ARGS)

# The main page of each role at 1366×768 and 390×844 into docs/screens/ (the demo served from
# var/screens, so your own data stays as it is).
screens: system-deps venv messages
	$(BIN)/python -m tests.e2e.screens

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
