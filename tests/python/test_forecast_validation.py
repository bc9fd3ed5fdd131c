"""Renewal forecast accuracy, score validation, retention and backtests on the shared 500-account
warehouse with 400 nights of history. Every expected number is computed here in pandas from the
staged contracts, the generator's truth and the snapshot rows, never by re-running the models' SQL."""

from __future__ import annotations

import io
import math
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml
from rich.console import Console

from csi.errors import UserError
from csi.paths import PROJECT_DIR
from tests.python.warehouse import BuiltWarehouse, private_copy

PROJECT = PROJECT_DIR
VARS = yaml.safe_load((PROJECT / "dbt_project.yml").read_text())["vars"]
GRACE = timedelta(days=VARS["renewal_grace_days"])
LOOKBACK = timedelta(days=VARS["forecast_lookback_days"])
FAR = pd.Timestamp("9999-12-31")


def frame(wh: BuiltWarehouse, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(wh.path), read_only=True) as con:
        return con.execute(sql).df()


def quarter(dates: pd.Series) -> pd.Series:
    return dates.dt.year.astype(str) + "-Q" + dates.dt.quarter.astype(str)


def as_of_version(history: pd.DataFrame, rows: pd.DataFrame, key: str, day: str) -> pd.DataFrame:
    """rows joined to the history version that stood on rows[day] (valid_from <= day < valid_to)."""
    joined = rows.merge(history, on=key)
    return joined[(joined["valid_from"] <= joined[day]) & (joined[day] < joined["valid_to"])]


def snapshot(wh: BuiltWarehouse, table: str, columns: str) -> pd.DataFrame:
    history = frame(
        wh,
        f"select {columns}, cast(dbt_valid_from as date) as valid_from, cast(dbt_valid_to as date) as valid_to "
        f"from snapshots.{table}",
    )
    history["valid_from"] = pd.to_datetime(history["valid_from"])
    history["valid_to"] = pd.to_datetime(history["valid_to"]).fillna(FAR)
    return history


@pytest.fixture(scope="module")
def wh(history_warehouse: BuiltWarehouse) -> BuiltWarehouse:
    return history_warehouse


@pytest.fixture(scope="module")
def outcomes(wh: BuiltWarehouse) -> pd.DataFrame:
    """Decided renewals: a contract ended before today renewed if the account's next contract starts
    within the grace period, churned if none has once the grace period is over."""
    today = pd.Timestamp(wh.today)
    contracts = frame(
        wh,
        "select contract_id, account_id, contract_status, start_date, end_date, arr, created_date "
        "from staging.stg_salesforce__contracts",
    )
    for column in ("start_date", "end_date", "created_date"):
        contracts[column] = pd.to_datetime(contracts[column])
    contracts = contracts[
        (contracts.contract_status != "draft") & (contracts.created_date <= today) & (contracts.start_date <= today)
    ]
    ended = contracts[contracts.end_date < today]
    pairs = ended.merge(contracts, on="account_id", suffixes=("", "_next"))
    pairs = pairs[(pairs.start_date_next > pairs.start_date) & (pairs.start_date_next <= pairs.end_date + GRACE)]
    renewed = set(pairs.contract_id)
    decided = ended[ended.contract_id.isin(renewed) | (ended.end_date + GRACE < today)].copy()
    decided["churned"] = ~decided.contract_id.isin(renewed)
    decided["cohort_quarter"] = quarter(decided.end_date)
    decided["lookback"] = decided.end_date - LOOKBACK
    return decided


@pytest.fixture(scope="module")
def scored(wh: BuiltWarehouse, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Decided renewals with the probability and the (recorded) health score that stood 60 days before the end."""
    probabilities = snapshot(wh, "snap_churn_probability", "contract_id, churn_probability")
    with_probability = outcomes.merge(
        as_of_version(probabilities, outcomes, "contract_id", "lookback")[["contract_id", "churn_probability"]],
        on="contract_id",
        how="left",
    )
    health = snapshot(wh, "snap_account_health", "account_id, segment, weights_version, health_score")
    return as_of_version(health, with_probability, "account_id", "lookback")


def test_outcomes_agree_with_the_generators_truth(wh: BuiltWarehouse, outcomes: pd.DataFrame):
    truth = pd.read_parquet(wh.data_dir / "_truth" / "contract.parquet")
    known = outcomes.merge(truth[truth.churned.notna()], on="contract_id", suffixes=("", "_truth"))
    assert len(known) >= 300
    assert (known.churned == known.churned_truth.astype(bool)).mean() >= 0.99
    mart = frame(wh, "select contract_id, is_churned from intermediate.int_contracts__renewal_outcomes where outcome <> 'pending'")
    assert dict(zip(mart.contract_id, mart.is_churned, strict=True)) == dict(
        zip(outcomes.contract_id, outcomes.churned, strict=True)
    )


def test_forecast_accuracy_matches_an_independent_count(wh: BuiltWarehouse, outcomes: pd.DataFrame):
    probabilities = snapshot(wh, "snap_churn_probability", "contract_id, churn_probability")
    measured = as_of_version(probabilities, outcomes, "contract_id", "lookback")
    flagged = measured.churned & (measured.churn_probability >= VARS["churn_flag_threshold"])
    expected = (
        measured.assign(flagged=flagged)
        .groupby("cohort_quarter")
        .agg(
            contracts=("contract_id", "size"),
            actually_churned=("churned", "sum"),
            flagged_60d=("flagged", "sum"),
            predicted=("churn_probability", "mean"),
            actual=("churned", "mean"),
        )
    )
    mart = frame(wh, "select * from marts.fct_renewal_forecast_accuracy").set_index("cohort_quarter")
    eligible = mart[mart.status == "eligible"]
    assert len(eligible) >= 4, mart[["status", "contracts"]]
    assert sorted(eligible.index) == sorted(expected.index)
    for cohort, row in expected.iterrows():
        got = eligible.loc[cohort]
        assert (got.contracts, got.actually_churned, got.flagged_60d) == (
            row.contracts, row.actually_churned, row.flagged_60d
        ), cohort
        assert got.early_warning_rate == pytest.approx(row.flagged_60d / row.actually_churned)
        assert got.predicted_churn_rate == pytest.approx(row.predicted)
        assert got.actual_churn_rate == pytest.approx(row.actual)
        assert got.variance_pp == pytest.approx(100 * (row.predicted - row.actual))
    warming = mart[mart.status == "warming_up"]
    assert warming.early_warning_rate.isna().all() and warming.actual_churn_rate.isna().all()
    first_scored = probabilities.valid_from.min()
    assert (pd.to_datetime(mart.eligible_from_date) == first_scored + LOOKBACK).all()


def pairwise_auc(scores: pd.DataFrame) -> float:
    """P(a churned renewal scored below a renewed one), ties counting half, over every pair."""
    churned = scores[scores.churned].health_score.to_numpy()
    renewed = scores[~scores.churned].health_score.to_numpy()
    wins = sum(float((c < renewed).sum()) + 0.5 * float((c == renewed).sum()) for c in churned)
    return wins / (len(churned) * len(renewed))


def test_auc_and_lift_match_and_the_score_predicts_churn(wh: BuiltWarehouse, scored: pd.DataFrame):
    mart = frame(wh, "select * from marts.fct_score_validation where segment = 'all'").set_index(
        ["weights_version", "cohort_quarter"])
    (version,) = scored.weights_version.unique()
    overall = mart.loc[(version, "All")]
    assert overall.contracts == len(scored) and overall.churned == scored.churned.sum()
    auc = pairwise_auc(scored)
    assert overall.auc == pytest.approx(auc)
    assert 0.70 <= auc <= 0.95, f"the health score's AUC against actual churn is {auc:.3f}"
    for cohort, rows in scored.groupby("cohort_quarter"):
        row = mart.loc[(version, cohort)]
        if min(rows.churned.sum(), (~rows.churned).sum()) < VARS["validation_min_count"]:
            assert pd.isna(row.auc) and "withheld" in row.withheld_reason, cohort
        else:
            assert row.auc == pytest.approx(pairwise_auc(rows)), cohort
    ordered = scored.sort_values(["health_score", "contract_id"])
    top = ordered.head(math.ceil(len(ordered) / 10))  # ntile(10) gives the first tenth the remainder
    assert overall.lift_top_decile == pytest.approx(top.churned.mean() / scored.churned.mean())
    lift = frame(wh, f"select * from marts.fct_score_lift_by_decile where weights_version = '{version}' and risk_decile = 1")
    assert lift.lift.iloc[0] == pytest.approx(overall.lift_top_decile)
    # At risk: a score below the lowest score of its segment's bands that are not at risk.
    bands = pd.read_csv(PROJECT / "seeds" / "health" / "health_bands.csv")
    lines = bands[~bands.band.isin(VARS["at_risk_bands"])].groupby("segment").min_score.min()
    churned = scored[scored.churned]
    flagged = churned.health_score < churned.segment.map(lines)
    assert overall.accuracy == pytest.approx(flagged.mean())
    assert overall.surprise_churn_rate == pytest.approx(1 - flagged.mean())



def test_churn_calibration_sets_each_probability_decile_beside_its_outcome(wh: BuiltWarehouse, scored: pd.DataFrame):
    (version,) = scored.weights_version.unique()
    probable = scored[scored.churn_probability.notna()].sort_values(["churn_probability", "contract_id"])
    # ntile(10): the first len % 10 tenths get one contract more
    size, extra = divmod(len(probable), 10)
    probable = probable.assign(decile=[d + 1 for d in range(10) for _ in range(size + (d < extra))])
    expected = probable.groupby("decile").agg(
        contracts=("contract_id", "size"), predicted=("churn_probability", "mean"), actual=("churned", "mean"))
    mart = frame(wh, "select * from marts.fct_churn_calibration_by_decile "
                     f"where weights_version = '{version}' and cohort_quarter = 'All' and segment = 'all' "
                     "order by probability_decile")
    assert list(mart.contracts) == list(expected.contracts)
    assert list(mart.predicted_rate) == pytest.approx(list(expected.predicted))
    assert list(mart.actual_rate) == pytest.approx(list(expected.actual))
    assert expected.actual.iloc[-1] > expected.actual.iloc[0]  # the model ranks: its top tenth churns more
    error = frame(wh, "select calibration_error from marts.fct_score_validation "
                      f"where weights_version = '{version}' and cohort_quarter = 'All' and segment = 'all'"
                      ).calibration_error.iloc[0]
    assert error == pytest.approx((mart.contracts * mart.calibration_gap.abs()).sum() / mart.contracts.sum())

def wilson(successes: int, trials: int, z: float) -> tuple[float, float]:
    centre = (successes + z * z / 2) / (trials + z * z)
    half = z * math.sqrt(successes * (trials - successes) / trials + z * z / 4) / (trials + z * z)
    return centre - half, centre + half


def test_the_new_metrics_agree_with_scikit_learn_per_segment(wh: BuiltWarehouse, scored: pd.DataFrame):
    """PR-AUC, Brier score, precision and F1 with their Wilson intervals, per segment and over all,
    recomputed here from the snapshot rows with scikit-learn and the textbook formulas."""
    from sklearn.metrics import (
        average_precision_score,
        brier_score_loss,
        f1_score,
        precision_score,
        roc_auc_score,
    )

    bands = pd.read_csv(PROJECT / "seeds" / "health" / "health_bands.csv")
    lines = bands[~bands.band.isin(VARS["at_risk_bands"])].groupby("segment").min_score.min()
    scored = scored.assign(flagged=scored.health_score < scored.segment.map(lines))
    mart = frame(wh, "select * from marts.fct_score_validation where cohort_quarter = 'All'").set_index("segment")
    z = VARS["validation_confidence_z"]
    for segment, rows in [("all", scored), *scored.groupby("segment")]:
        row = mart.loc[segment]
        assert (row.contracts, row.churned, row.flagged_at_risk) == (len(rows), rows.churned.sum(), rows.flagged.sum())
        if min(row.churned, row.renewed) < VARS["validation_min_count"]:
            assert pd.isna(row.auc) and pd.isna(row.pr_auc) and row.withheld_reason.startswith("fewer than"), segment
            continue
        assert row.auc == pytest.approx(roc_auc_score(rows.churned, -rows.health_score)), segment
        assert row.pr_auc == pytest.approx(average_precision_score(rows.churned, -rows.health_score)), segment
        probable = rows[rows.churn_probability.notna()]
        assert row.brier_score == pytest.approx(brier_score_loss(probable.churned, probable.churn_probability)), segment
        if row.flagged_at_risk < VARS["validation_min_count"]:
            assert pd.isna(row.precision_at_risk) and pd.isna(row.f1_at_risk), segment
        else:
            assert row.precision_at_risk == pytest.approx(precision_score(rows.churned, rows.flagged)), segment
            assert row.f1_at_risk == pytest.approx(f1_score(rows.churned, rows.flagged)), segment
        low, high = wilson(int((rows.churned & rows.flagged).sum()), int(rows.churned.sum()), z)
        assert (row.accuracy_ci_low, row.accuracy_ci_high) == pytest.approx((low, high), abs=1e-4), segment
        assert row.auc_ci_low < row.auc < row.auc_ci_high, segment


def test_component_validation_and_surprise_churns_read_the_recorded_components(wh: BuiltWarehouse, scored: pd.DataFrame):
    from sklearn.metrics import roc_auc_score

    health = snapshot(wh, "snap_account_health", "*")
    components = [f"{name}_score" for name in VARS["health_components"]]
    then = as_of_version(health[["account_id", "valid_from", "valid_to", *components]],
                         scored.drop(columns=["valid_from", "valid_to"]), "account_id", "lookback")
    assert len(then) == len(scored)
    mart = frame(wh, "select * from marts.fct_component_validation where cohort_quarter = 'All' and segment = 'all'")
    mart = mart.set_index("component")
    for name in VARS["health_components"]:
        applied = then[then[f"{name}_score"].notna()]
        assert mart.loc[name].contracts == len(applied), name
        if min(applied.churned.sum(), (~applied.churned).sum()) >= VARS["validation_min_count"]:
            assert mart.loc[name].auc == pytest.approx(roc_auc_score(applied.churned, -applied[f"{name}_score"])), name
    # the churn model's own component predicts churn
    assert mart.loc["churn_risk"].auc > 0.6
    bands = pd.read_csv(PROJECT / "seeds" / "health" / "health_bands.csv")
    lines = bands[~bands.band.isin(VARS["at_risk_bands"])].groupby("segment").min_score.min()
    surprises = then[then.churned & (then.health_score >= then.segment.map(lines))]
    mart = frame(wh, "select * from marts.fct_surprise_churns")
    assert set(mart.contract_id) == set(surprises.contract_id)
    assert mart.csm_name.notna().mean() > 0.9 and not mart.csm_name.str.contains("@").any()
    assert (mart.points_above_line >= 0).all()


def test_score_drift_compares_each_month_with_the_first(wh: BuiltWarehouse):
    drift = frame(wh, "select * from marts.fct_score_drift where segment = 'all' order by month_start")
    assert len(drift) >= 12 and drift.score_psi.iloc[0] == 0 and drift.band_psi.iloc[0] == 0
    assert (drift.reference_month_start == drift.month_start.iloc[0]).all()
    # the last month recomputed from the snapshot: each account's score on the reading date, in ten bins
    last = drift.iloc[-1]
    health = snapshot(wh, "snap_account_health", "account_id, health_score")
    def shares(day) -> pd.Series:
        day = pd.Timestamp(day)
        standing = health[(health.valid_from <= day) & (day < health.valid_to)]
        bins = (standing.health_score // 10).clip(upper=9)
        return bins.value_counts(normalize=True).reindex(range(10), fill_value=0.0)
    now, first = shares(last.reading_date), shares(drift.reading_date.iloc[0])
    floor = VARS["psi_min_share"]
    psi = float(((now - first) * (now.clip(lower=floor) / first.clip(lower=floor)).map(math.log)).sum())
    assert last.score_psi == pytest.approx(psi, abs=1e-5)
    assert last.accounts == int(((health.valid_from <= pd.Timestamp(last.reading_date))
                                 & (pd.Timestamp(last.reading_date) < health.valid_to)).sum())


def test_retention_marts_are_populated_and_the_bridge_balances(wh: BuiltWarehouse):
    retention = frame(wh, "select * from marts.fct_revenue_retention")
    assert set(retention.segment) == {"enterprise", "mid-market", "smb", "all"}
    assert len(retention[retention.segment == "all"]) >= 12
    bridge = retention.starting_arr + retention.expansion_arr - retention.contraction_arr - retention.churned_arr
    assert (bridge - retention.ending_arr).abs().max() < 0.01
    # ARR in force on the last day of the as-of month, counted from the staged contracts
    contracts = frame(
        wh,
        "select account_id, contract_id, arr, start_date, end_date from staging.stg_salesforce__contracts "
        f"where contract_status <> 'draft' and created_date <= date '{wh.today}'",
    )
    day = pd.Timestamp(wh.today)
    in_force = contracts[(pd.to_datetime(contracts.start_date) <= day) & (pd.to_datetime(contracts.end_date) >= day)]
    latest = in_force.sort_values(["start_date", "contract_id"], ascending=[False, True]).drop_duplicates("account_id")
    last_month = retention[(retention.segment == "all")].sort_values("month_start").iloc[-1]
    assert pd.Timestamp(last_month.month_start) == day.replace(day=1)
    assert last_month.ending_arr + last_month.new_arr == pytest.approx(latest.arr.sum())
    cohorts = frame(wh, "select * from marts.fct_cohort_retention")
    assert cohorts.cohort_quarter.nunique() >= 4
    assert (cohorts[cohorts.quarters_since_start == 0].logo_retention == 1).all()


def test_a_bad_weights_file_is_one_line_error(tmp_path: Path):
    from csi.backtest import read_candidate

    short = tmp_path / "short.csv"
    short.write_text("weights_version,component,weight,label\nx,usage,60,Usage\nx,churn_risk,30,Churn\n")
    with pytest.raises(UserError, match="sum to 90"):
        read_candidate(short)
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("weights_version,component,weight,label\nx,vibes,100,Vibes\n")
    with pytest.raises(UserError, match="unknown component 'vibes'"):
        read_candidate(unknown)
    result = subprocess.run(
        [sys.executable, "-c", "from csi.cli import main; main()", "backtest", "--weights", str(tmp_path / "none.csv")],
        capture_output=True, text=True, cwd=PROJECT,
    )
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "no such file" in result.stderr


def test_backtest_rescoring_with_the_recorded_weights_reproduces_their_metrics(wh: BuiltWarehouse, tmp_path: Path):
    """The candidate is rescored from the component scores each night recorded: with the weights
    the history was recorded with (under another name) it must validate exactly as the recorded
    scores do — anything else would mean it saw data the night did not have."""
    from csi.backtest import backtest

    weights = pd.read_csv(PROJECT / "seeds" / "health" / "health_weights.csv", dtype={"weights_version": str})
    recorded = weights[weights.weights_version == VARS["weights_version"]].assign(weights_version="same-weights")
    candidate = tmp_path / "candidate.csv"
    recorded.to_csv(candidate, index=False)
    out = io.StringIO()
    with private_copy(wh, tmp_path):
        metrics = backtest(candidate, console=Console(file=out, width=160))
    assert {VARS["weights_version"], "same-weights"} <= set(metrics)
    before, after = metrics[VARS["weights_version"]], metrics["same-weights"]
    assert after["contracts"] == before["contracts"] and after["churned"] == before["churned"]
    for metric in ("auc", "accuracy", "surprise_churn_rate", "lift_top_decile", "score_outcome_correlation"):
        assert after[metric] == pytest.approx(before[metric], abs=0.01), metric
    assert "same-weights (candidate)" in out.getvalue() and "AUC" in out.getvalue()
    # the shared warehouse itself is untouched
    versions = frame(wh, "select distinct weights_version from marts.fct_score_validation")
    assert "same-weights" not in set(versions.weights_version)
