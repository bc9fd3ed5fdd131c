# Two commands: `make demo` builds everything end to end on synthetic data; `make test` runs every
# gate: lint (ruff, sqlfluff), then pytest: dbt build and tests, the conventions check, the Great
# Expectations checkpoint (Data Docs in build/gx/) and the same build on a local PostgreSQL.
# `make test-spark` (opt-in: installs the spark extra) builds and compares the project on local Spark.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(PYTHON) -m uv
VENV := .venv
CSI := $(VENV)/bin/csi
export DBT_PROFILES_DIR := $(CURDIR)
export UV_PYTHON := $(shell command -v $(PYTHON))

.PHONY: setup demo test test-spark lint clean

$(VENV)/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) sync --frozen --quiet
	@touch $@

setup: $(VENV)/.synced

demo: setup
	$(CSI) demo

# sqlfluff twice: the model and test files as written (jinja templater, our macros as the stand-ins in
# lint/), then the SQL dbt compiles for every model, macros expanded (lint/compiled.sqlfluff),
# compiled against an empty scratch DuckDB so no warehouse (nor its lock) is needed.
lint: setup
	$(VENV)/bin/ruff check csi tests
	$(VENV)/bin/sqlfluff lint --processes 2 models tests analyses
	rm -rf target/lint/compiled && mkdir -p target/lint
	CSI_WAREHOUSE=target/lint/scratch.duckdb $(VENV)/bin/dbt compile --quiet --select resource_type:model \
		--indirect-selection empty --target-path target/lint
	$(VENV)/bin/sqlfluff lint --processes 2 --config lint/compiled.sqlfluff --disregard-sqlfluffignores target/lint/compiled

test: lint
	$(VENV)/bin/python -m pytest -n 2 --dist loadgroup --no-loadscope-reorder

test-spark: setup
	$(UV) sync --frozen --quiet --extra spark
	CSI_TEST_SPARK=1 $(VENV)/bin/python -m pytest -q tests/python/test_spark.py

clean:
	rm -rf $(VENV) target logs warehouse build data
