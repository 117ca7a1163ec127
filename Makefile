# Run `make help` for the targets. Every target installs what it needs first.
SHELL := /bin/bash
VENV := .venv/bin
export ORT_DISABLE_TELEMETRY := 1
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.DEFAULT_GOAL := help
.PHONY: help setup demo test lint typecheck unit samples generated bench-quality bench-ocr bench-ocr-groups bench-service bench-load eval-classify eval-extract \
	eval-verdict eval-verdict-heldout eval-verdict-unseen eval-real eval-heldout eval-unseen results docs-config prefect-server up down worker bench-startup bench-batch clean check-package

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}'

setup: ## Install Debian packages and the virtual environment (idempotent)
	@./scripts/bootstrap.sh

demo: setup ## Run the batch-intake flow over samples/cases with an embedded S3 server, print the report
	$(VENV)/intake batch samples/cases --manifest samples/cases/manifest.yaml

test: setup lint typecheck unit ## Run ruff, mypy and the whole test suite

lint: setup ## ruff, and the import layers (pyproject.toml [tool.importlinter])
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	$(VENV)/lint-imports

typecheck: setup ## mypy
	$(VENV)/mypy intake db ocr classifiers extractors validators storage pipeline flows interfaces synth bench

unit: setup ## pytest (real OCR, real S3 server, real Prefect flows)
	$(VENV)/pytest -q

samples: setup ## Regenerate the committed samples/ (deterministic)
	$(VENV)/python -m synth samples

# Documents per kind and variant in each generated set: 2 (200 files a set) by default; per-cell rates
# are quoted only from `make generated REPEAT=8` (800 files a set): docs/evaluation.md.
REPEAT ?= 2

generated: setup ## Generate the tuning and evaluation sets into generated/ (different seeds; REPEAT=8: 800 files each)
	$(VENV)/python -m synth generate --split tune --repeat $(REPEAT)
	$(VENV)/python -m synth generate --split eval --repeat $(REPEAT)

bench-quality: setup ## Quality-gate measures per variant: how its thresholds were chosen (prints)
	$(VENV)/python -m synth generate --split familytune --repeat 1
	$(VENV)/python -m bench.quality_gate --split familytune samples

bench-ocr: setup ## OCR on held-out families beside Tesseract: CER and pages per core-minute (writes bench/results/)
	$(VENV)/python -m synth generate --split heldout --repeat 2
	$(VENV)/python -m bench.ocr_bench --split heldout

bench-ocr-groups: setup ## OCR benchmark per sample group: ours, Tesseract 5 chi_sim, paddleocr (../paddle-venv) (prints)
	$(VENV)/python -m bench.ocr_bench

bench-service: setup ## Warm service: photo answer p50/p95, a case file by file, the CLI beside it (writes bench/results/)
	$(VENV)/python -m bench.service_bench --repeat 10

bench-load: setup ## Service under load: 4 uploaders for 30 s, throughput, p50/p95, errors, misplaced files (writes bench/results/)
	$(VENV)/python -m bench.load_service --uploaders 4 --seconds 30 --files 3

eval-classify: setup ## Type, side, separation, seal and copy accuracy on the evaluation set (prints)
	$(VENV)/python -m bench.eval_docs --classify

eval-extract: setup ## Field exact match and flagged share per type, field and variant (prints)
	$(VENV)/python -m bench.eval_docs --extract

eval-verdict: setup ## Verdict confusion on generated cases from evaluation seeds (prints)
	$(VENV)/python -m bench.eval_verdict

eval-verdict-heldout: setup ## Verdict on cases whose documents come from held-out template families (prints)
	$(VENV)/python -m bench.eval_verdict --split heldout

eval-verdict-unseen: setup ## Verdict on cases whose documents come from the unseen families (report-only; prints)
	$(VENV)/python -m bench.eval_verdict --split unseen

check-package: ## pip install . into a fresh venv and read a sample from /tmp with the default settings
	./scripts/check_installed_package.sh

eval-real: setup ## Type accuracy and field exact matches on ../shared/real-samples (prints, never asserts)
	$(VENV)/python -m bench.eval_real

results: setup ## Rebuild the README's results table from the newest files in bench/results/ (runs no evaluation)
	$(VENV)/python -m bench.results readme

docs-config: setup ## Regenerate docs/configuration.md from the settings models (a test checks it is current)
	$(VENV)/python -m bench.config_docs

# Held-out template families per document type and variant in the leave-family-out set: 2 (48 files).
HELDOUT_REPEAT ?= 2

eval-heldout: setup ## Leave-family-out: held-out template families (synth/families/split.yaml), type + fields per family
	$(VENV)/python -m synth generate --split heldout --repeat $(HELDOUT_REPEAT)
	$(VENV)/python -m bench.eval_docs --split heldout --families

UNSEEN_REPEAT ?= 2

eval-unseen: setup ## Families written blind to the rules (split.yaml unseen; report-only), type + fields per family
	$(VENV)/python -m synth generate --split unseen --repeat $(UNSEEN_REPEAT)
	$(VENV)/python -m bench.eval_docs --split unseen --families

prefect-server: setup ## Start a local Prefect server and UI on http://127.0.0.1:4200
	PREFECT_HOME=$(CURDIR)/.intake/prefect $(VENV)/prefect server start --host 127.0.0.1 --port 4200

up: setup ## Start the S3 and Prefect servers in the background; later intake calls use them (no start-up per call)
	$(VENV)/python -m interfaces.cli up

down: setup ## Stop the servers `make up` started
	$(VENV)/python -m interfaces.cli down

worker: setup ## A Prefect worker on the `intake` process pool (after `make up`, or with PREFECT_API_URL set)
	$(VENV)/python -m interfaces.cli worker

bench-startup: setup ## One-page `intake process` against `intake ocr` of that page, servers up (prints, writes bench/results/)
	$(VENV)/python -m bench.startup_bench --cold

# Pages in the throughput bench (the issue's figure is 200 or more).
PAGES ?= 200

bench-batch: setup ## Pages/min on 1 and 2 workers end to end against reading alone, peak RSS (prints, writes bench/results/)
	$(VENV)/python -m bench.batch_bench --pages $(PAGES) --workers 1,2

clean: ## Remove the embedded server's data, Prefect's local state and generated sets
	rm -rf .intake generated
