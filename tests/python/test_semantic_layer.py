"""The semantic layer and the executive view on the shared history warehouse: every MetricFlow metric is
queried at a grain no mart stores (by quarter from the monthly rows, per segment as it stood and rolled
up over every segment) and compared with the same figure computed here from the underlying facts (the
ARR at month boundaries, the renewal outcomes, the score history), never with the model the metric
reads; the executive summary's GRR and NRR are recomputed from the revenue bridge's components."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest

WINDOW_MONTHS = 12  # dbt_project.yml: executive_window_months
AT_RISK_BANDS = ("At Risk", "Critical")  # dbt_project.yml: at_risk_bands
METRICS = ["grr", "nrr", "logo_retention", "expansion_rate", "health_score", "at_risk_arr", "at_risk_arr_share"]


def frame(warehouse, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        return con.execute(sql).df()


@pytest.fixture(scope="module")
def engine(history_warehouse):
    """MetricFlow's engine over the semantic manifest the warehouse's build wrote (what `mf query` reads)."""
    from metricflow.engine.metricflow_engine import MetricFlowEngine
    from metricflow.protocols.sql_client import SqlEngine
    from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
    from metricflow_semantics.model.dbt_manifest_parser import parse_manifest_from_dbt_generated_manifest
    from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

    class DuckDbDialect:  # what the engine needs to render SQL; the test runs the SQL itself
        sql_engine_type = SqlEngine.DUCKDB
        sql_plan_renderer = DuckDbSqlPlanRenderer()

    manifest_path = Path(history_warehouse.path).parent / "target" / "semantic_manifest.json"
    manifest = parse_manifest_from_dbt_generated_manifest(manifest_path.read_text())
    return MetricFlowEngine(SemanticManifestLookup(manifest), DuckDbDialect())


def metricflow_query(engine, warehouse, metrics: list[str], group_by: list[str]) -> pd.DataFrame:
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

    request = MetricFlowQueryRequest.create(metric_names=metrics, group_by_names=group_by)
    return frame(warehouse, engine.explain(request).sql_statement.sql)


@pytest.fixture(scope="module")
def facts(history_warehouse) -> dict[str, pd.DataFrame]:
    wh = history_warehouse
    return {
        "months": frame(wh, "select account_id, month_start, month_end, starting_arr, ending_arr "
                            "from intermediate.int_retention__account_months"),
        "segments": frame(wh, "select * from intermediate.int_accounts__segment_history"),
        "expanded": frame(wh, "select account_id, renewal_start_date from intermediate.int_contracts__renewal_outcomes "
                              "where outcome = 'expanded'"),
        "history": frame(wh, "select account_id, segment, health_score, score_band, arr, dbt_valid_from, dbt_valid_to "
                             "from snapshots.snap_account_health"),
    }


def segment_on(segments: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """Each account's segment as it stood on `day`, indexed by account."""
    standing = segments[(pd.to_datetime(segments.valid_from_date) <= day) & (pd.to_datetime(segments.valid_to_date) > day)]
    return standing.set_index("account_id")["segment"]


def bridge(facts: dict[str, pd.DataFrame], month_start: pd.Timestamp) -> pd.DataFrame:
    """Per account, the revenue bridge over the trailing window ending with the month, from the ARR in force
    at month boundaries: the ARR when the window began (the starting ARR of its first month) and at the
    month's end, and whether the ARR rose at a renewal that started in the window."""
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
        segment=segment_on(facts["segments"], month_end).reindex(accounts.index),
    )


def health_on(facts: dict[str, pd.DataFrame], month_start: pd.Timestamp) -> pd.DataFrame:
    """Each customer's health as the score history recorded it on the month's last day."""
    history, day = facts["history"], month_start + pd.offsets.MonthEnd(0)
    valid_to = pd.to_datetime(history.dbt_valid_to).fillna(pd.Timestamp("9999-12-31"))
    standing = history[(pd.to_datetime(history.dbt_valid_from) <= day) & (valid_to > day)]
    return standing.assign(segment=segment_on(facts["segments"], day).reindex(standing.account_id).values)


def expected(facts: dict[str, pd.DataFrame], month_start: pd.Timestamp, segment: str | None) -> dict[str, float]:
    accounts = bridge(facts, month_start)
    health = health_on(facts, month_start)
    if segment is not None:
        accounts, health = accounts[accounts.segment == segment], health[health.segment == segment]
    start = accounts.start.sum()
    at_risk = health[health.score_band.isin(AT_RISK_BANDS)].arr.sum()
    return {
        # NRR and GRR from the bridge's components: start, expansion, contraction, churn.
        "grr": (start - accounts.contraction.sum() - accounts.churn.sum()) / start,
        "nrr": (start + accounts.expansion.sum() - accounts.contraction.sum() - accounts.churn.sum()) / start,
        "logo_retention": accounts.retained.sum() / len(accounts),
        "expansion_rate": accounts.expanded.sum() / len(accounts),
        "health_score": health.health_score.mean(),
        "at_risk_arr": at_risk,
        "at_risk_arr_share": at_risk / health.arr.sum(),
    }


def quarters_with_history(facts, history_warehouse) -> list[pd.Timestamp]:
    """The last month of each quarter whose end the score history reaches, and which a full window precedes."""
    months = pd.to_datetime(facts["months"].month_start)
    first_night = pd.to_datetime(facts["history"].dbt_valid_from).min()
    eligible = sorted({m for m in months if m + pd.offsets.MonthEnd(0) >= first_night
                       and m - pd.DateOffset(months=WINDOW_MONTHS - 1) >= months.min()})
    by_quarter: dict[pd.Period, pd.Timestamp] = {}
    for month in eligible:
        by_quarter[month.to_period("Q")] = month  # the last complete month of each quarter
    return list(by_quarter.values())


def test_metricflow_metrics_by_quarter_and_segment_match_the_underlying_facts(engine, history_warehouse, facts):
    by_segment = metricflow_query(engine, history_warehouse, METRICS, ["metric_time__quarter", "account__segment"])
    overall = metricflow_query(engine, history_warehouse, METRICS, ["metric_time__quarter"])
    checked = 0
    for last_month in quarters_with_history(facts, history_warehouse):
        quarter = last_month.to_period("Q").start_time
        for segment in ("enterprise", "mid-market", "smb", None):
            rows = (overall if segment is None else by_segment[by_segment.account__segment == segment])
            row = rows[pd.to_datetime(rows.metric_time__quarter) == quarter]
            assert len(row) == 1, (quarter, segment)
            for metric, value in expected(facts, last_month, segment).items():
                assert row.iloc[0][metric] == pytest.approx(value, rel=1e-9), (quarter, segment, metric)
                checked += 1
    assert checked >= 4 * len(METRICS) * 2  # at least two quarters of history, every segment and the roll-up


def test_executive_grr_and_nrr_recompute_from_the_revenue_bridge(history_warehouse, facts):
    summary = frame(history_warehouse, "select * from marts.fct_executive_summary")
    latest = pd.to_datetime(summary.month_start).max()
    for month_start in (latest, latest - pd.DateOffset(months=3)):
        accounts = bridge(facts, month_start)
        for segment in ("enterprise", "mid-market", "smb", "all"):
            part = accounts if segment == "all" else accounts[accounts.segment == segment]
            row = summary[(pd.to_datetime(summary.month_start) == month_start) & (summary.segment == segment)].iloc[0]
            start, expansion = part.start.sum(), part.expansion.sum()
            contraction, churn = part.contraction.sum(), part.churn.sum()
            assert (row.starting_arr, row.expansion_arr, row.contraction_arr, row.churned_arr) == pytest.approx(
                (start, expansion, contraction, churn)
            ), (month_start, segment)
            assert row.grr == pytest.approx((start - contraction - churn) / start)
            assert row.nrr == pytest.approx((start + expansion - contraction - churn) / start)
            assert row.starting_customers == len(part) and row.churned_customers == len(part) - part.retained.sum()
    quarter_before = summary[pd.to_datetime(summary.month_start) == latest - pd.DateOffset(months=3)]
    now = summary[pd.to_datetime(summary.month_start) == latest]
    change = now.set_index("segment").nrr - quarter_before.set_index("segment").nrr
    assert now.set_index("segment").nrr_change_quarter.to_dict() == pytest.approx(change.to_dict())


def test_executive_health_is_the_score_history_at_the_month_end(history_warehouse, facts):
    summary = frame(history_warehouse, "select * from marts.fct_executive_summary where segment = 'all'")
    latest = summary.sort_values("month_start").iloc[-1]
    health = health_on(facts, pd.Timestamp(latest.month_start))
    assert latest.customers == len(health)
    assert latest.average_health_score == pytest.approx(round(health.health_score.mean(), 2))
    assert latest.band_critical_customers == (health.score_band == "Critical").sum()
    assert latest.at_risk_arr == pytest.approx(health[health.score_band.isin(AT_RISK_BANDS)].arr.sum())
    first_night = pd.to_datetime(facts["history"].dbt_valid_from).min()
    before = summary[pd.to_datetime(summary.month_end) < first_night]
    assert not before.empty and before.customers.isna().all() and before.grr.notna().any()
    assert all(math.isfinite(v) for v in summary.dropna(subset=["nrr"]).nrr)
