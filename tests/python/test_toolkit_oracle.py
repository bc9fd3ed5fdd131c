"""The rebuilt original scripts (tests/python/toolkit_oracle.py) are faithful: they compile, reproduce the
seed's sample output, and print the same in-process as when run as programs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.python.toolkit_oracle import (
    SCRIPTS,
    SEED_FILE_GLOB,
    SEEDS_DIR,
    SEEDS_MISSING_REASON,
    build_oracle,
    seed_sample_health_output,
    seed_sample_input,
)

requires_seeds = pytest.mark.skipif(not any(SEEDS_DIR.glob(SEED_FILE_GLOB)), reason=SEEDS_MISSING_REASON)


@requires_seeds
def test_reconstructed_scripts_compile(tmp_path: Path) -> None:
    oracle = build_oracle(tmp_path)
    for name in SCRIPTS:
        assert oracle.path(name).exists()


@requires_seeds
def test_reconstructed_health_script_reproduces_the_seed_sample_output(tmp_path: Path) -> None:
    oracle = build_oracle(tmp_path / "oracle")
    sample = tmp_path / "sample_customer_data.json"
    sample.write_text(json.dumps(seed_sample_input()), encoding="utf-8")
    result = oracle.run("health", sample, "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == seed_sample_health_output()
    assert result.stdout == json.dumps(seed_sample_health_output(), indent=2) + "\n"


@requires_seeds
def test_in_process_reports_equal_the_scripts_run_as_programs(tmp_path: Path) -> None:
    oracle = build_oracle(tmp_path / "oracle")
    sample = tmp_path / "sample_customer_data.json"
    sample.write_text(json.dumps(seed_sample_input()), encoding="utf-8")
    for script in SCRIPTS:
        for output_format in ("text", "json"):
            for today in ("2026-03-01", "2026-12-30"):
                program = oracle.run(script, sample, output_format, today)
                assert program.returncode == 0, program.stderr
                assert oracle.report(script, sample, output_format, today) == program.stdout
