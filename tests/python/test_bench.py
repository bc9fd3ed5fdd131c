"""The benchmark's bookkeeping (the measurements themselves run in `csi bench`, never in tests)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from csi.bench.measure import measure
from csi.bench.report import write_report
from csi.bench.run import SizeResult, score_model_ids
from csi.errors import UserError


def test_a_measured_step_reports_its_time_memory_and_own_timing(tmp_path: Path) -> None:
    log = tmp_path / "bench.log"
    code = "import time; block = bytearray(200 * 2**20); time.sleep(0.5); print('seconds=0.25')"
    measured = measure("allocate", [sys.executable, "-c", code], log)
    assert measured.seconds >= 0.5 and measured.work_seconds == 0.25
    assert measured.peak_mb >= 200
    with pytest.raises(UserError, match="bench step 'fails' failed"):
        measure("fails", [sys.executable, "-c", "raise SystemExit(3)"], log)


def test_the_score_models_lie_between_the_score_inputs_and_the_mart(history_warehouse) -> None:
    manifest = json.loads((history_warehouse.path.parent / "target" / "manifest.json").read_text())
    names = {uid.split(".")[-1] for uid in score_model_ids(manifest)}
    assert {"int_accounts__customers", "int_health__usage", "int_health__account_scores", "fct_account_health"} <= names
    assert not any(name.startswith(("stg_", "base_")) for name in names)
    assert "int_activities__classified" not in names  # an input the polars job reads too


def test_the_report_compares_each_target_with_what_one_run_measured(tmp_path: Path) -> None:
    from csi.bench.measure import Measurement

    def steps(full: float, nightly: float, floor: float, polars: float, peak: float) -> dict[str, Measurement]:
        return {"full build": Measurement("full build", full + 5, peak, full),
                "nightly build": Measurement("nightly build", nightly + 5, 900, nightly),
                "floor: models' SQL": Measurement("floor: models' SQL", floor + 1, 800, floor),
                "floor: raw scan": Measurement("floor: raw scan", 3, 300, 2),
                "polars score": Measurement("polars score", polars + 3, 500, polars),
                "score models alone": Measurement("score models alone", 2 * polars + 8, 700, 1.5 * polars)}

    results = [SizeResult(100_000, 40_000_000, steps(100, 12, 80, 2.0, 6000), score_models_seconds=1.5,
                          dashboard_tabs={"Health Score": 0.4, "Alerts": 2.5}),
               SizeResult(1_000_000, 400_000_000, steps(1500, 100, 900, 20.0, 9000), score_models_seconds=30)]
    write_report(results, {"cpu": "test"}, datetime(2026, 11, 23, tzinfo=UTC), tmp_path)
    report = (tmp_path / "results.md").read_text()
    assert "| full build under 120 s at 100K | 100 s | met |" in report
    assert "| nightly build under 15 % of the full build at 100K | 12% (12 s) | met |" in report
    assert "| full build under 1.5× the floor (models' SQL without dbt) at 100K | 1.25× | met |" in report
    assert "slowest: Alerts 2.50 s | **not met** |" in report
    assert ("| score models faster than polars at 1,000,000 | dbt 30.00 s (`dbt run` of the score models alone) "
            "vs polars 20.00 s | **not met** |") in report
    assert "| 1M full build peak memory under 8 GB | 8.8 GB | **not met** |" in report
    assert json.loads((tmp_path / "results.json").read_text())[0]["accounts"] == 100_000
    assert (tmp_path / "results.png").stat().st_size > 10_000


def test_the_report_says_why_a_target_is_not_met_with_the_same_runs_figures(tmp_path: Path) -> None:
    from csi.bench.measure import Measurement

    def steps(full: float, nightly: float, polars: float, score: float) -> dict[str, Measurement]:
        return {"full build": Measurement("full build", full + 5, 900, full),
                "nightly build": Measurement("nightly build", nightly + 5, 900, nightly),
                "floor: models' SQL": Measurement("floor: models' SQL", full, 800, full / 1.2),
                "polars score": Measurement("polars score", polars + 3, 500, polars),
                "score models alone": Measurement("score models alone", score + 9, 700, score)}

    results = [SizeResult(1_000, 400_000, steps(25, 22, 0.1, 2.5),
                          dbt_nodes_by_kind={"nightly build": {"model": 180, "test": 800, "snapshot": 5, "seed": 15}},
                          slowest_nodes={"nightly build": [("base_product__usage_daily", 3.25), ("fct_account_health", 1.5)]}),
               SizeResult(100_000, 40_000_000, steps(100, 50, 1.5, 6.0),
                          dbt_time_by_kind={"nightly build": {"model": 60.0, "test": 25.0}})]
    write_report(results, {"cpu": "test"}, datetime(2026, 12, 6, tzinfo=UTC), tmp_path)
    report = (tmp_path / "results.md").read_text()
    assert "## Where a target is not met" in report
    assert "**Nightly build at 100K: 50% of the full build.** Its models took 60 s and its data tests 25 s" in report
    assert "The nightly build at 1,000 accounts, a night of a few thousand rows, took 22 s: 22% of the 100K" in report
    assert ("It ran 1,000 nodes (180 models, 800 data tests, 5 snapshots, 15 seeds): 22 ms a node. At that cost the "
            "target, 15 s, leaves room for about 682 nodes, whatever their SQL.") in report
    assert "| 1,000 | nightly build | base_product__usage_daily | 3.2 |" in report
    assert ("**Score models against polars** (1,000 accounts: dbt 2.50 s, polars 0.10 s; "
            "100,000 accounts: dbt 6.00 s, polars 1.50 s)") in report

    met = [SizeResult(100_000, 40_000_000, steps(100, 10, 1.5, 1.0))]
    write_report(met, {"cpu": "test"}, datetime(2026, 12, 6, tzinfo=UTC), tmp_path)
    assert "## Where a target is not met" not in (tmp_path / "results.md").read_text()


def test_a_build_only_size_reports_its_build_and_peak_memory_alone(tmp_path: Path) -> None:
    from csi.bench.measure import Measurement

    build_only = SizeResult(1_000_000, 400_000_000, {"full build": Measurement("full build", 1300, 7000, 1250)},
                            score_models_seconds=40)
    write_report([build_only], {"cpu": "test"}, datetime(2026, 12, 6, tzinfo=UTC), tmp_path)
    report = (tmp_path / "results.md").read_text()
    assert "| 1M full build peak memory under 8 GB | 6.8 GB | met |" in report
    assert "| 1,000,000 | 400,000,000 | full build | 1300.0 | 1250.0 | 7,000 |" in report
    assert "faster than polars at 1,000,000" not in report


def test_a_build_only_size_must_be_one_of_the_sizes(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from tests.python.test_generate_cli import run_cli

    code, _, err = run_cli(monkeypatch, capsys, "bench", "--size", "1000", "--build-only", "1000000")
    assert code == 2 and err.strip().splitlines() == ["csi: error: --build-only 1000000 is not among the sizes measured (1000)"]


def test_the_report_times_a_reweighting_from_the_command_to_a_new_page(tmp_path: Path) -> None:
    from csi.bench.measure import Measurement

    def size(rescore: float, page: float) -> SizeResult:
        return SizeResult(1_000, 400_000, {
            "polars score": Measurement("polars score", 1.4, 120, 0.11),
            "score models alone": Measurement("score models alone", 20.4, 400, 3.6),
            "publish": Measurement("publish", 1.5, 117, None),
            "rescore: first run (compiles)": Measurement("rescore: first run (compiles)", 14.0, 400, None),
            "rescore": Measurement("rescore", rescore, 180, None, 2.1)},
            rescore_page_seconds=page, rescore_page_scores=("70.1", "69.0"))

    write_report([size(2.6, 0.3)], {"cpu": "test"}, datetime(2026, 12, 7, tzinfo=UTC), tmp_path)
    report = (tmp_path / "results.md").read_text()
    assert ("| a reweighting on the dashboard within 5 s at 1,000 (`csi rescore` to published, then a new page load) "
            "| 2.6 s + 0.30 s = 2.9 s (2.1 s of CPU; polars score alone: 0.11 s) | met |") in report
    assert "| 1,000 | 2.6 | 2.1 | 0.30 | 70.1 → 69.0 |" in report
    assert "| 1,000 | 400,000 | rescore: first run (compiles) | 14.0 |" in report

    write_report([size(5.2, 0.4)], {"cpu": "test"}, datetime(2026, 12, 7, tzinfo=UTC), tmp_path)
    report = (tmp_path / "results.md").read_text()
    assert "| 5.2 s + 0.40 s = 5.6 s (2.1 s of CPU; polars score alone: 0.11 s) | **not met** |" in report
    assert ("**A reweighting at 1,000 accounts: 5.6 s to the dashboard.** `csi rescore` took 5.2 s of wall time "
            "(2.1 s of CPU: ") in report
    assert "What would close it: a machine the run has to itself: its CPU time fits the target." in report
