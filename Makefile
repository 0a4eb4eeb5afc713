# The two commands of the README: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.synced
WEB_STAMP := web/node_modules/.installed
CLIENT := atiende/static/index.html
API_SCHEMA := web/src/lib/openapi.json
API_TYPES := web/src/lib/api-types.ts
WEB_SOURCES := $(shell find web/src web/index.html web/vite.config.ts web/tsconfig.json web/svelte.config.js -type f 2>/dev/null)

.PHONY: help run test venv web build lint api api-check services browser proxy bytecode unit integration e2e clean bench

help:
	@echo "make run   - install what is missing, seed the demo and serve it"
	@echo "make test  - the whole test suite (lint, types, client, unit, integration, browser)"
	@echo "make bench - the benchmarks that print figures (needs PostgreSQL and Redis)"

# Bytecode compiled once here: where PYTHONDONTWRITEBYTECODE is set (this machine, many CI
# images) every `python` the tests start would otherwise compile ~1,200 modules from source
# again, ~3 s of CPU each time (the browser tests start one server per test).
$(STAMP): pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
	uv sync --frozen --compile-bytecode
	@touch $@

venv: $(STAMP)

$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

web: $(WEB_STAMP)

$(CLIENT): $(WEB_STAMP) $(WEB_SOURCES)
	cd web && npm run build

build: $(CLIENT)

run: venv build
	$(BIN)/atiende demo

services:
	@bash scripts/ensure-services.sh

browser:
	@bash scripts/ensure-chromium.sh

proxy:
	@bash scripts/ensure-nginx.sh

lint: venv web api-check
	$(BIN)/ruff check atiende tests bench
	$(BIN)/ruff format --check atiende tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	cd web && npm run check

# The client's types of the server's routes and WebSocket events are generated from the
# server (atiende/api/contract.py), never written by hand: after changing a route's or an
# event's schema, run `make api` and commit both files.
api: venv web
	$(BIN)/python -m atiende.api.contract > $(API_SCHEMA)
	cd web && npm run --silent gen:api

api-check: venv web
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/python -m atiende.api.contract > "$$tmp/openapi.json" && \
	(cd web && npx --no-install openapi-typescript "$$tmp/openapi.json" --output "$$tmp/api-types.ts" >/dev/null) && \
	if ! cmp -s "$$tmp/openapi.json" $(API_SCHEMA) || ! cmp -s "$$tmp/api-types.ts" $(API_TYPES); then \
		echo "$(API_TYPES) is out of date with the server: run \`make api\` and commit it with $(API_SCHEMA)." >&2; \
		exit 1; \
	fi

# The suite in parallel: its tests mostly wait on servers, sockets and databases, so more
# workers than cores pay. Each worker has its own databases, Redis database and ports.
TEST_WORKERS ?= 4

test: venv build services browser proxy lint bytecode
	cd web && npm test
	$(BIN)/pytest -n $(TEST_WORKERS)

# Our own modules (installed editable, so not compiled by uv): compileall writes their
# bytecode whatever PYTHONDONTWRITEBYTECODE says, and only for files that changed.
bytecode: venv
	@$(BIN)/python -m compileall -q -j 0 atiende

unit: venv bytecode
	$(BIN)/pytest tests/unit

integration: venv services proxy bytecode
	$(BIN)/pytest tests/integration

e2e: venv build browser bytecode
	$(BIN)/pytest tests/e2e

clean:
	rm -rf $(VENV) web/node_modules atiende/static data

# Figures, never asserted: each prints the machine's load beside what it measured. The five
# of issue 11 in turn (README "Benchmarks"); bench.volume seeds a year of data first (minutes).
bench: venv services
	$(BIN)/python -m bench.ingest
	$(BIN)/python -m bench.sockets
	$(BIN)/python -m bench.routing
	$(BIN)/python -m bench.volume
