# RepairApp + SmartRe. `make run` starts the whole system locally; `make test` runs every check.
# Every target installs what it needs first (idempotent), so both work on a fresh clone.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV      := .venv
VPY       := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
REQS      := requirements-dev.txt smartre/requirements.txt repairapp/requirements.txt
# The licensed data sits beside the repository (../shared/data); a clone elsewhere finds it at
# /work/shared/data. Override with DATA_DIR=... for other data.
DATA_DIR  ?= $(firstword $(wildcard ../shared/data /work/shared/data) ../shared/data)
export DATA_DIR
APPS      := smartre repairapp
# pytest exits 5 when it collected nothing: make treats that as a failure, as CI must.
# --durations: each tier names its slowest tests, so the suite's time budget can be watched in CI.
PYTEST    := $(VPY) -m pytest -p no:cacheprovider --durations=5
# Training imports SmartRe's inference code the way Chalice does, as top-level `chalicelib`.
TRAINING  := PYTHONPATH=smartre $(VPY) -m

export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install venv vendor frontend run aws test lint typecheck unit integration e2e reliability \
        unit-repaircore unit-smartre unit-repairapp unit-tools unit-localaws unit-frontend \
        bench train predict-images predict-outcomes predict-categories replay-outcomes \
        export-labels openapi cost clean browser screenshots

help:
	@echo "make run    start the whole system locally (embedded AWS, both APIs, the SPA)"
	@echo "make aws    only the embedded AWS, for \`chalice local\` in one app (docs/develop.md)"
	@echo "make test   install everything and run lint, types and every test tier"
	@echo "make bench  benchmarks (cold start, latency, package size, load)"
	@echo "make train  retrain the SmartRe models from DATA_DIR=$(DATA_DIR)"
	@echo "make screenshots  each main page in each language, to docs/screenshots/"

# --- installation -------------------------------------------------------------------------------
$(STAMP): $(REQS)
	@if [ ! -x $(VPY) ]; then \
	  py=$$(scripts/find-python.sh); echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV); fi
	$(VPY) -m pip install --quiet --disable-pip-version-check --upgrade "pip<26.3"
	$(VPY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv install: $(STAMP)

# The shared package is copied into each app's vendor/ (Chalice ships vendor/ at the package root).
vendor: $(STAMP)
	@for app in $(APPS); do \
	  rm -rf $$app/vendor/repaircore; mkdir -p $$app/vendor; \
	  cp -r repaircore $$app/vendor/repaircore; \
	  find $$app/vendor -name __pycache__ -prune -exec rm -rf {} +; \
	done

frontend:
	@if [ -f frontend/package.json ]; then $(MAKE) --no-print-directory -C frontend build; fi

# Debian's Chromium for the browser tests (Playwright's own browser download cannot work here).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium missing: run 'sudo apt-get install -y chromium'" >&2; exit 1; fi; fi

# --- running ------------------------------------------------------------------------------------
run: vendor frontend
	$(VPY) -m localaws.stack

# Only the embedded AWS with the local stage's resources, for `chalice local` in one app
# (docs/develop.md). Prints the environment a shell needs for the aws CLI or boto3.
aws: vendor
	$(VPY) -m localaws.stack --aws-only

# --- checks -------------------------------------------------------------------------------------
lint: $(STAMP)
	$(VPY) -m ruff check .
	$(VPY) -m ruff format --check .

# Each app is type-checked from its own directory: both define a top-level `chalicelib`.
typecheck: vendor
	$(VPY) -m mypy repaircore infra stepfunctions localaws $(wildcard training bench)
	@for app in $(APPS); do \
	  (cd $$app && MYPYPATH=vendor ../$(VPY) -m mypy --config-file ../pyproject.toml app.py chalicelib) || exit 1; \
	done

# The two apps both define top-level `app` and `chalicelib`: each runs in its own pytest process.
unit-repaircore: $(STAMP)
	$(PYTEST) tests/unit/repaircore

unit-tools: $(STAMP)
	$(PYTEST) tests/unit/tools

unit-localaws: $(STAMP)
	$(PYTEST) tests/unit/localaws

unit-smartre: vendor
	$(PYTEST) tests/unit/smartre

unit-repairapp: vendor
	$(PYTEST) tests/unit/repairapp

unit-frontend:
	@if [ -f frontend/package.json ]; then $(MAKE) --no-print-directory -C frontend test; fi

unit: unit-repaircore unit-tools unit-localaws unit-smartre unit-repairapp unit-frontend

integration: vendor
	$(PYTEST) tests/integration

e2e: vendor frontend browser
	@if [ -d tests/e2e ] && ls tests/e2e/test_*.py >/dev/null 2>&1; then $(PYTEST) tests/e2e; fi

# Hostile input, faults, concurrency, access and API fuzzing against the whole local stack
# (docs/reliability.md); its 500-request and load runs are in `make bench`.
reliability: vendor
	$(PYTEST) tests/reliability

# Each main page in each language on a private local stack, to docs/screenshots/ (the README shows two).
screenshots: vendor frontend browser
	$(VPY) scripts/screenshots.py --out docs/screenshots

test: lint typecheck unit integration reliability e2e
	@echo "make test: all green"

# --- models, benchmarks, operations -------------------------------------------------------------
# LABELS="a.csv b.csv" folds a deployment's exported labels (make export-labels) into the outcome model.
train: $(STAMP)
	$(VPY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-train.txt
	$(TRAINING) training.train --data-dir $(DATA_DIR) $(foreach part,$(ONLY),--only $(part)) \
	  $(foreach file,$(LABELS),--labels $(file))

predict-images: vendor
	@test -n "$(LIST)" -a -n "$(OUT)" || { echo "usage: make predict-images LIST=paths.txt OUT=out.csv" >&2; exit 2; }
	$(TRAINING) training.predict images --list "$(LIST)" --out "$(OUT)"

predict-outcomes: vendor
	@test -n "$(CSV)" -a -n "$(OUT)" || { echo "usage: make predict-outcomes CSV=records.csv OUT=out.csv" >&2; exit 2; }
	$(TRAINING) training.predict outcomes --csv "$(CSV)" --out "$(OUT)"

# An ORDS file through the adaptation SmartRe runs, in event_date order: each row predicted from the
# state so far, then learned from (docs/model-card.md).
replay-outcomes: vendor
	@test -n "$(CSV)" -a -n "$(OUT)" || { echo "usage: make replay-outcomes CSV=records.csv OUT=out.csv" >&2; exit 2; }
	$(TRAINING) training.replay --csv "$(CSV)" --out "$(OUT)"

# SmartRe's stored feedback labels as an Open Repair Data CSV (boto3: AWS, or the local stack after
# `source .localaws/emulator/env`); then `make train LABELS=$(OUT)`.
export-labels: $(STAMP)
	@test -n "$(OUT)" || { echo "usage: make export-labels STAGE=local OUT=labels.csv" >&2; exit 2; }
	$(TRAINING) training.labels export --stage $(STAGE) --out "$(OUT)"

predict-categories: vendor
	@test -n "$(CSV)" -a -n "$(OUT)" || { echo "usage: make predict-categories CSV=records.csv OUT=out.csv" >&2; exit 2; }
	$(TRAINING) training.predict categories --csv "$(CSV)" --out "$(OUT)"

# Regenerate the committed OpenAPI documents from the declarations (repaircore.contracts) and the
# route tables, and the SPA's types from RepairApp's (tests fail when either drifts).
openapi: vendor
	@for app in $(APPS); do \
	  if [ -f $$app/chalicelib/openapi.py ]; then \
	    (cd $$app && PYTHONPATH=vendor ../$(VPY) -m chalicelib.openapi > openapi.json) && echo "wrote $$app/openapi.json"; fi; \
	done
	$(MAKE) --no-print-directory -C frontend api-types

bench: vendor frontend
	$(VPY) -m bench

# STAGE's daily spend by service (resources tagged stage=STAGE) for the last DAYS days (Cost Explorer, as a table and
# build/cost/daily-spend.png) and the month to date against STAGE's budget; needs AWS credentials.
# The offline estimate for N analyses a month: .venv/bin/python -m infra.cost estimate
DAYS  ?= 14
STAGE ?= dev
cost: $(STAMP)
	$(VPY) -m infra.cost report --days $(DAYS) --stage $(STAGE)

clean:
	rm -rf $(VENV) smartre/vendor repairapp/vendor .localaws build frontend/node_modules frontend/dist
