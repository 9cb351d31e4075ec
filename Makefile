# anjia — the two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python
VENV := .venv/.installed
WEB := web/node_modules/.installed
WEB_APPS_SRC := $(shell find web/shared web/customer web/worker web/admin -path '*/node_modules' -prune -o -path '*/dist' -prune -o -type f -print 2>/dev/null)
BUILT := web/.built

help:
	@echo "make run     set up everything and serve on http://127.0.0.1:8000 (embedded PostgreSQL)"
	@echo "make test    the whole suite: backend, front-end unit tests and type checks, builds, Chromium e2e"
	@echo "make bench   benchmarks (table + ratios, bench/results/*.json); make bench-money: issue 10's alone"
	@echo "make cluster nginx + two API nodes + job worker + PostgreSQL primary and hot standby (make cluster-down)"
	@echo "make openapi regenerate web/shared/openapi.json and the typed clients"

$(VENV): pyproject.toml
	python3 -m venv .venv
	.venv/bin/pip install -q --upgrade pip
	.venv/bin/pip install -q -e '.[test]'
	@touch $@

$(WEB): web/package.json web/package-lock.json web/shared/package.json web/customer/package.json web/worker/package.json web/admin/package.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

deps: $(VENV) $(WEB)

# Production builds: customer and worker (H5 + mp-weixin), admin.
$(BUILT): $(WEB) $(WEB_APPS_SRC)
	cd web && npm run build -w customer && npm run build:mp -w customer
	cd web && npm run build -w worker && npm run build:mp -w worker
	cd web && npm run build -w admin
	@touch $@

build: $(BUILT)

openapi: $(VENV) $(WEB)
	.venv/bin/anjia openapi --out web/shared/openapi.json
	cd web && npm run gen -w shared && npm run gen -w admin

# Debian Chromium and a CJK font for the e2e tests (root only; CHROMIUM=/path to use another).
chromium:
	@if [ -z "$$CHROMIUM" ] && ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "Chromium is missing: install Debian's chromium or set CHROMIUM=/path/to/chromium"; exit 1; fi; fi
	@if ! fc-list :lang=zh 2>/dev/null | grep -q . && [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; fi

run: deps build
	.venv/bin/anjia serve

test: deps build chromium nginx
	.venv/bin/ruff check src tests bench
	.venv/bin/lint-imports
	cd web && npm run typecheck && npm test
	$(PY) -m pytest -q

# Debian's wrk drives the payment-notification benchmark (root only; else put wrk on PATH).
wrk:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing: install Debian's wrk"; exit 1; fi; fi

bench: deps wrk
	$(PY) bench/run.py

bench-money: deps wrk
	BENCH_ONLY=money $(PY) bench/run.py

# Debian's nginx fronts the local cluster (root only; else install nginx-light yourself).
nginx:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; \
	  else echo "nginx is missing: install Debian's nginx-light"; exit 1; fi; fi

# The deploy/ topology on this machine (var/cluster): nginx :8180, API nodes :8181 :8182, job worker,
# PostgreSQL primary :55432 and hot standby :55433. `make cluster-down` stops it.
cluster: deps build nginx
	.venv/bin/anjia cluster up

cluster-down:
	.venv/bin/anjia cluster down

# The fault drills on a cluster of their own (var/cluster-drill, free ports), with their table.
drill: deps nginx
	$(PY) -m pytest -q -s -m drill tests/cluster/test_drills.py

lint: deps
	.venv/bin/ruff check src tests bench
	.venv/bin/lint-imports

.PHONY: help deps build openapi chromium wrk nginx cluster cluster-down drill run test bench bench-money lint
