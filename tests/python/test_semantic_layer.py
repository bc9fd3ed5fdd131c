"""The semantic layer and the executive view on the shared history warehouse. Every MetricFlow metric is
asked for with `mf query`, as an analyst types it after a build, at grains no mart stores (by quarter from
the monthly rows, per segment as it stood then, and rolled up over every segment), and compared with the
same figure computed here from the underlying facts (the ARR in force at month boundaries, the renewal
outcomes, the score history), never with the model the metric reads. The executive summary's GRR and NRR
are recomputed from the revenue bridge's components (start, expansion, contraction, churn)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from csi.dbt import release_warehouse
from csi.paths import PROJECT_DIR

WINDOW_MONTHS = 12  # dbt_project.yml: executive_window_months
AT_RISK_BANDS = ("At Risk", "Critical")  # dbt_project.yml: at_risk_bands
DEFAULT_SEGMENT = "smb"  # dbt_project.yml: default_segment
SEGMENTS = ("enterprise", "mid-market", "smb")


def frame(warehouse, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        return con.execute(sql).df()


@pytest.fixture(scope="module")
def mf_project(history_warehouse, tmp_path_factory) -> Iterator[Path]:
    """The project directory `mf` runs in after the warehouse's build. mf reads the semantic manifest from
    <project>/target only (it ignores DBT_TARGET_PATH), so this directory links the project's files and
    the build's own target/; the profile points at the warehouse."""
    root = tmp_path_factory.mktemp("mf_project")
    for entry in PROJECT_DIR.iterdir():
        if entry.name not in ("target", "logs", "warehouse", "build", ".venv", ".git"):
            (root / entry.name).symlink_to(entry)
    (root / "target").symlink_to(history_warehouse.path.parent / "target")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DBT_PROJECT_DIR", str(root))
        env.setenv("CSI_WAREHOUSE", str(history_warehouse.path))
        env.setenv("DBT_LOG_PATH", str(history_warehouse.path.parent / "logs"))
        yield root


def mf_query(project: Path, metrics: list[str], group_by: list[str]) -> pd.DataFrame:
    """`mf query --metrics ... --group-by ... --csv ...`, MetricFlow's own command line (run in this process:
    dbt is imported already), then the connection it leaves open is closed so the test can read the file."""
    from click.testing import CliRunner
    from dbt_metricflow.cli.main import cli

    out = project / f"{'_'.join(group_by)}.csv"
    try:
        result = CliRunner().invoke(
            cli, ["query", "--metrics", ",".join(metrics), "--group-by", ",".join(group_by), "--csv", str(out)]
        )
    finally:
        release_warehouse()
    assert result.exit_code == 0, f"{result.output[-3000:]}\n{result.exception!r}"
    return pd.read_csv(out, parse_dates=["metric_time__quarter"])


@pytest.fixture(scope="module")
def metrics(mf_project) -> list[str]:
    """Every metric the semantic layer defines."""
    manifest = json.loads((mf_project / "target" / "semantic_manifest.json").read_text())
    return sorted(metric["name"] for metric in manifest["metrics"])


@pytest.fixture(scope="module")
def facts(history_warehouse) -> dict[str, pd.DataFrame]:
    wh = history_warehouse
    return {
        "months": frame(wh, "select account_id, month_start, starting_arr, ending_arr "
                            "from intermediate.int_retention__account_months"),
        "accounts": frame(wh, "select account_id, segment from staging.stg_salesforce__accounts"),
        "expanded": frame(wh, "select account_id, renewal_start_date from intermediate.int_contracts__renewal_outcomes "
                              "where outcome = 'expanded'"),
        "history": frame(wh, "select account_id, segment, health_score, score_band, arr, dbt_valid_from, dbt_valid_to "
                             "from snapshots.snap_account_health"),
    }


def segment_on(facts: dict[str, pd.DataFrame], day: pd.Timestamp) -> pd.Series:
    """Each account's segment as it stood on `day`, indexed by account: the one the score history recorded
    last by then (its first one before the history began), Salesforce's for an account never scored."""
    history = facts["history"].sort_values("dbt_valid_from")
    recorded = history[pd.to_datetime(history.dbt_valid_from).dt.normalize() <= day]
    accounts = facts["accounts"].set_index("account_id").segment.fillna(DEFAULT_SEGMENT)
    return (recorded.groupby("account_id").segment.last()
            .combine_first(history.groupby("account_id").segment.first())
            .combine_first(accounts))


def bridge(facts: dict[str, pd.DataFrame], month_start: pd.Timestamp) -> pd.DataFrame:
    """Per customer at the window's start, the revenue bridge over the trailing window ending with the month,
    from the ARR in force at month boundaries (when the window began: the starting ARR of its first month;
    at the month's end), whether its ARR rose at a renewal that started in the window, and its segment then."""
    months = facts["months"].assign(month_start=lambda f: pd.to_datetime(f.month_start))
    window_start = month_start - pd.DateOffset(months=WINDOW_MONTHS - 1)
    month_end = month_start + pd.offsets.MonthEnd(0)
    start = months[months.month_start == window_start].set_index("account_id")["starting_arr"]
    end = months[months.month_start == month_start].set_index("account_id")["ending_arr"]
    accounts = pd.DataFrame({"start": start, "end": end}).fillna(0.0)
    accounts = accounts[accounts.start > 0]
    expanded = facts["expanded"]
    renewal_day = pd.to_datetime(expanded.renewal_start_date)
    grew = set(expanded[(renewal_day >= window_start) & (renewal_day <= month_end)].account_id)
    return accounts.assign(
        expansion=(accounts.end - accounts.start).clip(lower=0).where(accounts.end > 0, 0.0),
        contraction=(accounts.start - accounts.end).where((accounts.end > 0) & (accounts.end < accounts.start), 0.0),
        churn=accounts.start.where(accounts.end == 0, 0.0),
        retained=(accounts.end > 0).astype(int),
        expanded=[int(account in grew) for account in accounts.index],
        segment=segment_on(facts, month_end).reindex(accounts.index),
    )


def health_on(facts: dict[str, pd.DataFrame], month_start: pd.Timestamp) -> pd.DataFrame:
    """Each customer's health as the score history recorded it on the month's last day, with its segment then."""
    history, day = facts["history"], month_start + pd.offsets.MonthEnd(0)
    valid_to = pd.to_datetime(history.dbt_valid_to).dt.normalize().fillna(pd.Timestamp("9999-12-31"))
    standing = history[(pd.to_datetime(history.dbt_valid_from).dt.normalize() <= day) & (valid_to > day)]
    return standing.assign(segment=segment_on(facts, day).reindex(standing.account_id).values)


def expected(facts: dict[str, pd.DataFrame], month_start: pd.Timestamp, segment: str | None) -> dict[str, float]:
    accounts, health = bridge(facts, month_start), health_on(facts, month_start)
    if segment is not None:
        accounts, health = accounts[accounts.segment == segment], health[health.segment == segment]
    start, expansion = accounts.start.sum(), accounts.expansion.sum()
    contraction, churn = accounts.contraction.sum(), accounts.churn.sum()
    at_risk = health[health.score_band.isin(AT_RISK_BANDS)].arr.sum()
    return {
        "starting_arr": start,
        "expansion_arr": expansion,
        "contraction_arr": contraction,
        "churned_arr": churn,
        # NRR and GRR from the bridge's components
        "grr": (start - contraction - churn) / start,
        "nrr": (start + expansion - contraction - churn) / start,
        "starting_customers": len(accounts),
        "retained_customers": accounts.retained.sum(),
        "logo_retention": accounts.retained.sum() / len(accounts),
        "expanded_customers": accounts.expanded.sum(),
        "expansion_rate": accounts.expanded.sum() / len(accounts),
        "customers": len(health),
        "arr": health.arr.sum(),
        "health_score": health.health_score.mean(),
        "at_risk_arr": at_risk,
        "at_risk_arr_share": at_risk / health.arr.sum(),
    }


def quarter_ends_with_history(facts: dict[str, pd.DataFrame]) -> list[pd.Timestamp]:
    """Per quarter, its last complete month, where the score history reaches that month's end and the
    monthly ARR reaches back a whole window before it."""
    months = pd.to_datetime(facts["months"].month_start)
    first_night = pd.to_datetime(facts["history"].dbt_valid_from).min().normalize()
    last_months: dict[pd.Period, pd.Timestamp] = {}
    for month in sorted(set(months)):
        if month + pd.offsets.MonthEnd(0) >= first_night and month - pd.DateOffset(months=WINDOW_MONTHS - 1) >= months.min():
            last_months[month.to_period("Q")] = month
    return list(last_months.values())


def test_every_metric_by_quarter_and_segment_matches_the_underlying_facts(mf_project, metrics, facts):
    by_segment = mf_query(mf_project, metrics, ["metric_time__quarter", "account__segment"])
    overall = mf_query(mf_project, metrics, ["metric_time__quarter"])
    last_months = quarter_ends_with_history(facts)
    assert len(last_months) >= 3, "the history warehouse should cover at least three quarters"
    for last_month in last_months:
        quarter = last_month.to_period("Q").start_time
        for segment in (*SEGMENTS, None):
            rows = overall if segment is None else by_segment[by_segment.account__segment == segment]
            row = rows[rows.metric_time__quarter == quarter]
            assert len(row) == 1, (quarter, segment)
            want = expected(facts, last_month, segment)
            assert sorted(want) == metrics  # a metric added to the semantic layer is checked here too
            for metric, value in want.items():
                assert math.isfinite(value), (quarter, segment, metric)
                assert row.iloc[0][metric] == pytest.approx(value, rel=1e-9), (quarter, segment, metric)


def test_executive_grr_and_nrr_recompute_from_the_revenue_bridge(history_warehouse, facts):
    summary = frame(history_warehouse, "select * from marts.fct_executive_summary")
    summary["month_start"] = pd.to_datetime(summary.month_start)
    latest = summary.month_start.max()
    for month_start in (latest, latest - pd.DateOffset(months=3)):
        accounts = bridge(facts, month_start)
        for segment in (*SEGMENTS, "all"):
            part = accounts if segment == "all" else accounts[accounts.segment == segment]
            row = summary[(summary.month_start == month_start) & (summary.segment == segment)].iloc[0]
            start, expansion = part.start.sum(), part.expansion.sum()
            contraction, churn = part.contraction.sum(), part.churn.sum()
            assert (row.starting_arr, row.expansion_arr, row.contraction_arr, row.churned_arr) == pytest.approx(
                (start, expansion, contraction, churn)
            ), (month_start, segment)
            assert row.grr == pytest.approx((start - contraction - churn) / start), (month_start, segment)
            assert row.nrr == pytest.approx((start + expansion - contraction - churn) / start), (month_start, segment)
            assert row.starting_customers == len(part), (month_start, segment)
            assert row.churned_customers == len(part) - part.retained.sum(), (month_start, segment)
    now = summary[summary.month_start == latest].set_index("segment")
    quarter_before = summary[summary.month_start == latest - pd.DateOffset(months=3)].set_index("segment")
    assert now.nrr_change_quarter.to_dict() == pytest.approx((now.nrr - quarter_before.nrr).to_dict(), abs=1e-6)


def test_executive_health_is_the_score_history_at_the_month_end(history_warehouse, facts):
    summary = frame(history_warehouse, "select * from marts.fct_executive_summary where segment = 'all'")
    latest = summary.sort_values("month_start").iloc[-1]
    health = health_on(facts, pd.Timestamp(latest.month_start))
    at_risk = health[health.score_band.isin(AT_RISK_BANDS)]
    assert latest.customers == len(health)
    assert latest.average_health_score == pytest.approx(round(health.health_score.mean(), 2))
    assert latest.band_critical_customers == (health.score_band == "Critical").sum()
    assert (latest.at_risk_customers, latest.at_risk_arr) == (len(at_risk), pytest.approx(at_risk.arr.sum()))
    # months before the score history began have no health figures, but their retention reads the contracts
    first_night = pd.to_datetime(facts["history"].dbt_valid_from).min().normalize()
    before = summary[pd.to_datetime(summary.month_end) < first_night]
    assert not before.empty and before.customers.isna().all() and before.grr.notna().any()
