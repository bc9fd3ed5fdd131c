# Two commands: `make demo` builds everything end to end on synthetic data; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(PYTHON) -m uv
VENV := .venv
CSI := $(VENV)/bin/csi
export DBT_PROFILES_DIR := $(CURDIR)
export UV_PYTHON := $(shell command -v $(PYTHON))

.PHONY: setup demo test lint pytest dbt-test clean

$(VENV)/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) sync --frozen --quiet
	@touch $@

setup: $(VENV)/.synced

demo: setup
	$(CSI) demo

test: setup
	$(VENV)/bin/ruff check csi tests
	$(VENV)/bin/python -m pytest

clean:
	rm -rf $(VENV) target logs warehouse build data
