"""The summary marts the dashboard reads (models/marts/dashboard) hold what the marts they sum hold:
each is recomputed here with pandas from its input marts on the shared history warehouse (500
accounts, 400 nights) and compared row for row, including the rows over every value ('all')."""

from __future__ import annotations

from itertools import combinations

import duckdb
import pandas as pd
import pytest

from tests.python.warehouse import BuiltWarehouse

EVERY = "all"
NULL_KEY = "<null>"


def read(warehouse: BuiltWarehouse, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        return con.execute(sql).df()


def total(values: pd.Series) -> float:
    """SQL's sum: NULL over no values."""
    return values.sum(min_count=1)


def grouping_sets(frame: pd.DataFrame, dimensions: list[str], sets: list[tuple[str, ...]], **measures) -> pd.DataFrame:
    """The measures over each set of kept columns; each of `dimensions` not kept reads 'all'."""
    parts = []
    for kept in sets:
        grouped = frame.assign(_every=1).groupby(["_every", *kept], dropna=False).agg(**measures).reset_index()
        parts.append(grouped.drop(columns="_every").assign(**{d: EVERY for d in dimensions if d not in kept}))
    return pd.concat(parts, ignore_index=True)


def every_subset(columns: list[str]) -> list[tuple[str, ...]]:
    return [subset for size in range(len(columns) + 1) for subset in combinations(columns, size)]


def assert_same(mart: pd.DataFrame, expected: pd.DataFrame, keys: list[str], measures: list[str]) -> None:
    def ordered(frame: pd.DataFrame) -> pd.DataFrame:
        keyed = frame[keys + measures].astype({key: object for key in keys})
        keyed[keys] = keyed[keys].where(keyed[keys].notna(), NULL_KEY).astype(str)
        return keyed.sort_values(keys).reset_index(drop=True)

    got, want = ordered(mart), ordered(expected)
    assert got[keys].values.tolist() == want[keys].values.tolist()
    for measure in measures:
        assert got[measure].astype(float).tolist() == pytest.approx(
            want[measure].astype(float).tolist(), abs=0.006, nan_ok=True
        ), measure


def test_health_score_summary_sums_the_account_health_by_segment_and_band(history_warehouse) -> None:
    health = read(history_warehouse, "select * from marts.fct_account_health")
    expected = grouping_sets(
        health, ["segment", "score_band"], every_subset(["segment", "score_band"]),
        customers=("account_id", "count"), arr=("arr", total), revenue_at_risk=("revenue_at_risk", total),
        average_health_score=("health_score", "mean"),
    )
    mart = read(history_warehouse, "select * from marts.fct_health_score_summary")
    assert_same(mart, expected, ["segment", "score_band"], ["customers", "arr", "revenue_at_risk", "average_health_score"])
    assert set(mart["weights_version"]) == set(health["weights_version"])


def test_health_component_summary_averages_each_component(history_warehouse) -> None:
    components = read(history_warehouse, "select * from marts.fct_account_health_components")
    expected = components.groupby(["component", "label", "weight"]).agg(
        customers_applied=("score", "count"), average_score=("score", "mean"),
        average_points_lost=("points_lost", "mean"),
    ).reset_index()
    mart = read(history_warehouse, "select * from marts.fct_health_component_summary")
    assert_same(mart, expected, ["component", "label"], ["weight", "customers_applied", "average_score",
                                                         "average_points_lost"])


def test_at_risk_summary_sums_the_list_for_every_choice_of_filters(history_warehouse) -> None:
    filters = ["csm_owner_id", "segment", "score_band", "risk_level"]
    listed = read(history_warehouse, "select * from marts.fct_at_risk_accounts")
    expected = grouping_sets(
        listed, filters, every_subset(filters),
        accounts=("account_id", "count"), arr=("arr", total), revenue_at_risk=("revenue_at_risk", total),
    )
    mart = read(history_warehouse, "select * from marts.fct_at_risk_summary")
    assert_same(mart, expected, filters, ["accounts", "arr", "revenue_at_risk"])
    names = dict(zip(listed["csm_owner_id"], listed["csm_name"]))
    assert all(names[csm] == name for csm, name in zip(mart["csm_owner_id"], mart["csm_name"]) if csm != EVERY)


def test_activity_trend_adds_every_segment_to_the_activity_index(history_warehouse) -> None:
    monthly = read(history_warehouse, "select * from marts.fct_cs_activity_monthly")
    expected = grouping_sets(
        monthly, ["segment"], [("activity_month", "activity_type", "segment"), ("activity_month", "activity_type")],
        activities=("activities", "sum"), accounts_touched=("accounts_touched", "sum"),
    )
    today = history_warehouse.today
    expected["months_before_as_of"] = [
        (today.year - month.year) * 12 + today.month - month.month for month in expected["activity_month"]
    ]
    mart = read(history_warehouse, "select * from marts.fct_cs_activity_trend")
    assert_same(mart, expected, ["activity_month", "activity_type", "segment"],
                ["activities", "accounts_touched", "months_before_as_of"])
    assert mart["months_before_as_of"].min() == 0


def test_engagement_by_segment_sums_e_mail_and_usage_per_segment(history_warehouse) -> None:
    email = read(history_warehouse, "select * from marts.fct_account_email_engagement")
    usage = read(history_warehouse, "select * from marts.fct_account_usage")
    sets = [("segment",), ()]
    expected = grouping_sets(
        email, ["segment"], sets,
        customers=("account_id", "count"), emails_sent=("emails_sent", "sum"),
        emails_delivered=("emails_delivered", "sum"), emails_bounced=("emails_bounced", "sum"),
        unique_opens=("unique_opens", "sum"), unique_clicks=("unique_clicks", "sum"),
        qbr_coverage=("has_qbr_coverage", "mean"), value_driven_email_coverage=("has_value_driven_email_coverage", "mean"),
    ).merge(grouping_sets(
        usage, ["segment"], sets,
        usage_customers=("account_id", "count"), average_seat_utilisation_pct=("seat_utilisation_pct", "mean"),
        declining_usage_customers=("is_usage_declining", "sum"),
    ), on="segment", how="left")
    expected["open_rate"] = expected["unique_opens"] / expected["emails_delivered"]
    expected["click_rate"] = expected["unique_clicks"] / expected["emails_delivered"]
    expected["bounce_rate"] = expected["emails_bounced"] / expected["emails_sent"]
    mart = read(history_warehouse, "select * from marts.fct_engagement_by_segment")
    assert_same(mart, expected, ["segment"], [
        "customers", "emails_sent", "emails_delivered", "emails_bounced", "unique_opens", "unique_clicks",
        "open_rate", "click_rate", "bounce_rate", "qbr_coverage", "value_driven_email_coverage",
        "usage_customers", "average_seat_utilisation_pct", "declining_usage_customers",
    ])


def test_alert_summary_counts_each_window_up_to_the_as_of_date(history_warehouse) -> None:
    alerts = read(history_warehouse, "select * from marts.fct_health_alerts")
    today = pd.Timestamp(history_warehouse.today)
    rows = []
    for days in (7, 30, 90, 365):
        window = alerts[(alerts["alert_date"] > today - pd.Timedelta(days=days)) & (alerts["alert_date"] <= today)]
        for alert_type in alerts["alert_type"].unique():
            for direction in ("worsened", "improved", EVERY):
                chosen = window[(window["alert_type"] == alert_type)
                                & ((window["direction"] == direction) if direction != EVERY else True)]
                rows.append({"window_days": days, "alert_type": alert_type, "direction": direction,
                             "alerts": len(chosen), "accounts": chosen["account_id"].nunique()})
    expected = pd.DataFrame(rows)
    mart = read(history_warehouse, "select * from marts.fct_health_alert_summary")
    assert_same(mart, expected, ["window_days", "alert_type", "direction"], ["alerts", "accounts"])
    starts = dict(zip(mart["window_days"], pd.to_datetime(mart["window_start_date"])))
    assert starts == {days: today - pd.Timedelta(days=days - 1) for days in (7, 30, 90, 365)}
    assert expected.query("window_days == 30 and direction == 'all'")["alerts"].sum() > 0, "the data should exercise it"
