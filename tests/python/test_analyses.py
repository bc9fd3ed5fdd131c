"""The dbt analyses (a CS analyst's standard queries) compiled by dbt and run on the shared history warehouse,
each result checked against the same figures computed here from the marts and the snapshot history."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from csi.paths import PROJECT_DIR

VARS = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
COMPONENTS = list(VARS["health_components"])


@pytest.fixture(scope="module")
def analyses(history_warehouse, tmp_path_factory) -> dict[str, pd.DataFrame]:
    """Every analysis compiled by `dbt compile` (artifacts apart from the warehouse's own), then run
    read-only on the warehouse: its result per name."""
    from csi.dbt import DbtProject

    with pytest.MonkeyPatch.context() as env:
        env.setenv("CSI_WAREHOUSE", str(history_warehouse.path))
        env.setenv("DBT_TARGET_PATH", str(tmp_path_factory.mktemp("analyses_target")))
        compiled = DbtProject(quiet=True).invoke(["compile", "--select", "resource_type:analysis"], history_warehouse.today)
    queries = {result.node.name: result.node.compiled_code for result in compiled.results}
    with duckdb.connect(str(history_warehouse.path), read_only=True) as con:
        return {name: con.execute(sql).df() for name, sql in queries.items()}


OUTCOMES = (
    "select contract_id, account_id, end_date, outcome = 'churned' as churned "
    "from intermediate.int_contracts__renewal_outcomes where outcome <> 'pending'"
)


def score_then(history_warehouse, days: int) -> pd.DataFrame:
    """Each decided renewal (churned or not) with the account's recorded version as it stood `days` before
    the contract's end."""
    with duckdb.connect(str(history_warehouse.path), read_only=True) as con:
        return con.execute(
            f"select outcomes.*, history.* exclude (account_id) from ({OUTCOMES}) as outcomes "
            "join snapshots.snap_account_health as history on outcomes.account_id = history.account_id "
            f"and cast(history.dbt_valid_from as date) <= outcomes.end_date - {days} "
            f"and outcomes.end_date - {days} < cast(coalesce(history.dbt_valid_to, '9999-12-31') as date)"
        ).df()


def test_the_three_analyses_compile_and_run(analyses) -> None:
    assert set(analyses) == {"leading_indicator_correlation", "threshold_calibration_by_band", "churn_signal_inventory"}


def test_indicator_correlations_match_a_recount_and_the_score_predicts_churn(history_warehouse, analyses) -> None:
    result = analyses["leading_indicator_correlation"]
    assert sorted(result["shift_days"].unique()) == VARS["indicator_shift_days"]
    for days in VARS["indicator_shift_days"]:
        read = score_then(history_warehouse, days)
        for indicator in [*COMPONENTS, "health"]:
            values = read[[f"{indicator}_score", "churned"]].dropna().astype(float)
            row = result[(result["shift_days"] == days) & (result["indicator"] == indicator)]
            if values.empty:
                assert row.empty
                continue
            assert row["contracts"].item() == len(values) and row["churned"].item() == values["churned"].sum()
            expected = np.corrcoef(values.iloc[:, 0], values["churned"])[0, 1] if values.nunique().min() > 1 else None
            if expected is not None:
                assert row["correlation_with_churn"].item() == pytest.approx(expected, abs=1e-9)
        # On the generator's accounts a lower score goes with churn at every time shift.
        health = result[(result["shift_days"] == days) & (result["indicator"] == "health")]
        assert health["correlation_with_churn"].item() < -0.1, health


def test_threshold_calibration_counts_every_scored_renewal_and_churn_falls_towards_healthy(
    history_warehouse, analyses
) -> None:
    result = analyses["threshold_calibration_by_band"]
    lookback = VARS["forecast_lookback_days"]
    read = score_then(history_warehouse, lookback)
    assert result["contracts"].sum() == len(read) > 0 and result["churned"].sum() == read["churned"].sum()
    with duckdb.connect(str(history_warehouse.path), read_only=True) as con:
        bands = con.execute("select segment, band, min_score from seeds.health_bands").df()
    for row in result.itertuples():
        lower = bands[(bands["segment"] == row.segment) & (bands["min_score"] > row.min_score)]["min_score"]
        upper = lower.min() if len(lower) else np.inf
        in_band = read[(read["segment"] == row.segment) & (read["health_score"] >= row.min_score)
                       & (read["health_score"] < upper)]
        assert row.contracts == len(in_band) and row.churned == in_band["churned"].sum(), row
    # Every churn is caught at or below the healthiest band; the worst bands churn more than it.
    healthiest = result[result["band_rank"] == 1]
    churned = result.groupby("segment")["churned"].sum()
    assert (healthiest.set_index("segment")["churns_caught_at_or_below"][churned > 0] == 1).all()
    at_risk = result[result["band"].isin(VARS["at_risk_bands"])]
    assert at_risk["churned"].sum() / at_risk["contracts"].sum() > healthiest["churned"].sum() / healthiest["contracts"].sum()


def test_signal_inventory_counts_each_measured_signal_and_names_the_missing(history_warehouse, analyses) -> None:
    result = analyses["churn_signal_inventory"].set_index("signal")
    assert len(result) == 8
    missing = result[~result["is_measured"]]
    assert set(missing.index) == {"champion_departure", "competitor_mentions", "budget_review_mentions"}
    assert missing["customers_with_signal"].isna().all() and missing["measured_by"].isna().all()
    (customers,), = history_warehouse.query("select count(*) from marts.fct_account_health")
    measured = result[result["is_measured"]]
    assert (measured["customers"] == customers).all()
    assert (measured["at_risk_with_signal"] <= measured["customers_with_signal"]).all()
    (declining, declining_at_risk), = history_warehouse.query(
        "select count(*), count(*) filter (where health.score_band in ('At Risk', 'Critical')) "
        "from marts.fct_account_usage as usage join marts.fct_account_health as health using (account_id) "
        "where usage.is_usage_declining"
    )
    assert (result.loc["usage_decline", "customers_with_signal"], result.loc["usage_decline", "at_risk_with_signal"]) == (
        declining, declining_at_risk)
    (detractors,), = history_warehouse.query(
        "select count(*) from marts.fct_account_health_components where component = 'csat' and raw_value < 0"
    )
    assert result.loc["negative_nps", "customers_with_signal"] == detractors
    (escalated,), = history_warehouse.query(
        "select count(distinct tickets.account_id) from staging.stg_support__tickets as tickets "
        "join marts.fct_account_health as health on tickets.account_id = health.account_id "
        f"where tickets.is_escalated and cast(tickets.created_at as date) <= '{history_warehouse.today}' "
        f"and (tickets.solved_at is null or cast(tickets.solved_at as date) > '{history_warehouse.today}')"
    )
    assert result.loc["support_escalation", "customers_with_signal"] == escalated
