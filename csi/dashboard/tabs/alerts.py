"""Alerts: the CSM's queue (fct_alert_actions: open alerts by severity with the recommended action and
the SLA clock, filtered by CSM), alerts sent and since withdrawn (fct_alert_deliveries), the outcome of
interventions by quarter (fct_intervention_metrics), and how many alerts of each type fired in a window
(fct_health_alert_summary) with the latest of them (fct_health_alerts)."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from csi.dashboard import format as fmt
from csi.dashboard.data import Published
from csi.dashboard.labels import (
    DIRECTIONS,
    EVERY,
    INTERVENTION_METRICS,
    SEVERITY_ORDER,
    Labels,
    choices,
    every,
)
from csi.dashboard.layout import account_link, available, html_table, metric_row

ALERTS = "marts.fct_health_alerts"
SUMMARY = "marts.fct_health_alert_summary"
ACTIONS = "marts.fct_alert_actions"
DELIVERIES = "marts.fct_alert_deliveries"
METRICS = "marts.fct_intervention_metrics"
ROWS = 50
DEFAULT_WINDOW_DAYS = 30
NO_CAUSAL_EFFECT = (
    "On the synthetic demo data a CSM's action has no causal effect on the renewal: these figures show "
    "the measurement at work, not the effect of an intervention."
)


def render(published: Published) -> None:
    if not available(published, ALERTS, SUMMARY):
        return
    if ACTIONS in published.tables():
        queue(published)
    alert_types = Labels.of(published).alert_types
    if DELIVERIES in published.tables():
        withdrawn(published, alert_types)
    if METRICS in published.tables():
        outcomes(published)
    history(published, alert_types)


def queue(published: Published) -> None:
    """The alerts nobody has acted on yet, most severe first, with their playbook and SLA clock."""
    st.subheader("Queue: alerts waiting for an action")
    csms = published.query(f"select distinct csm_name from {ACTIONS} where csm_name is not null")["csm_name"]
    csm = st.selectbox("CSM", choices(csms, []), format_func=lambda c: every(c, "CSMs"))
    where, params = "first_action_date is null", []
    if csm != EVERY:
        where += " and csm_name = ?"
        params.append(csm)
    rows = published.query(
        f"select * from {ACTIONS} where {where} "
        "order by list_position(?, severity), sla_days_left, alert_date desc, alert_id limit ?",
        *params, SEVERITY_ORDER, ROWS,
    )
    if rows.empty:
        st.info("No alert is waiting for an action" + ("" if csm == EVERY else f" for {csm}") + ".")
        return
    for severity in [s for s in SEVERITY_ORDER if s in set(rows["severity"])]:
        shown = rows[rows["severity"] == severity]
        st.markdown(f"**{severity.capitalize()}**")
        html_table(pd.DataFrame({
            "Alert": shown["alert_date"].map(fmt.day),
            "Account": [account_link(a, n) for a, n in zip(shown["account_id"], shown["account_name"])],
            "CSM": shown["csm_name"].fillna(fmt.MISSING).map(html.escape),
            "What changed": shown["detail"].fillna(fmt.MISSING).map(html.escape),
            "Recommended action": shown["recommended_action"].map(html.escape),
            "SLA": [sla_clock(days, status) for days, status in zip(shown["sla_days_left"], shown["sla_status"])],
            "Acknowledged": [acknowledgement(at, until) for at, until in zip(shown["acknowledged_at"], shown["snoozed_until"])],
            "Escalated": shown["is_escalated"].map(lambda e: "escalated" if e else ""),
            "Alert id": shown["alert_id"].map(lambda i: f"<code>{html.escape(i)}</code>"),
        }), escape=False)
    st.caption(f"Up to {ROWS} alerts without an action as of {fmt.day(rows['as_of_date'].iloc[0])}; "
               "`csi alerts ack <alert id> [--until DATE]` acknowledges or snoozes one (from the next build).")


def sla_clock(days_left: object, status: str) -> str:
    if fmt.finite(days_left) and status == "open":
        return fmt.status(f"{int(days_left)} days left", True)
    if fmt.finite(days_left):
        return fmt.status(f"overdue by {-int(days_left)} days", False)
    return html.escape(status)


def acknowledgement(at: object, until: object) -> str:
    if pd.isna(at):
        return ""
    return f"snoozed until {fmt.day(until)}" if not pd.isna(until) else f"acknowledged {fmt.day(at)}"


def withdrawn(published: Published, alert_types: dict[str, str]) -> None:
    """Alerts that were sent but no longer hold (a night rebuilt after a correction): not retracted by mail."""
    rows = published.query(f"select * from {DELIVERIES} where is_withdrawn order by alert_date desc, alert_id limit ?", ROWS)
    if rows.empty:
        return
    st.subheader("Sent, then withdrawn")
    html_table(pd.DataFrame({
        "Alert": rows["alert_date"].map(fmt.day),
        "Account": rows["account_id"],
        "Type": rows["alert_type"].map(lambda t: alert_types.get(t, t)),
        "Event": rows["event"],
        "Sent": rows["first_sent_at"].map(fmt.day),
        "Status": "withdrawn",
    }))
    st.caption("These alerts were delivered and no longer hold after the night was rebuilt; no retraction was mailed.")


def outcomes(published: Published) -> None:
    """The intervention metrics per quarter beside their targets, each with the contracts it counts."""
    st.subheader("Did it work? Intervention outcomes by quarter")
    segments = published.query(f"select distinct segment from {METRICS}")["segment"]
    segment = st.selectbox("Segment", choices(segments, []), format_func=lambda s: every(s, "segments"), key="outcome_segment")
    rows = published.query(f"select * from {METRICS} where segment = ? order by cohort_quarter", segment)
    if rows.empty:
        st.info("No contract has reached its renewal with score history behind it yet.")
        return
    table = {"Metric": [label for label, _ in INTERVENTION_METRICS.values()],
             "Target": [target(rows, metric) for metric in INTERVENTION_METRICS]}
    for quarter in dict.fromkeys(rows["cohort_quarter"]):
        table[quarter] = [cell(rows, quarter, metric) for metric in INTERVENTION_METRICS]
    html_table(pd.DataFrame(table), escape=False)
    st.caption("Each value with the contracts it is measured on (n). " + NO_CAUSAL_EFFECT)


def _metric(rows: pd.DataFrame, quarter: str | None, metric: str) -> pd.Series | None:
    found = rows[(rows["metric"] == metric) & ((rows["cohort_quarter"] == quarter) if quarter else True)]
    return None if found.empty else found.iloc[0]


def target(rows: pd.DataFrame, metric: str) -> str:
    row = _metric(rows, None, metric)
    if row is None or pd.isna(row["target"]):
        return ""
    return ("≥ " if row["comparison"] == "at_least" else "≤ ") + show(row["target"], metric)


def cell(rows: pd.DataFrame, quarter: str, metric: str) -> str:
    row = _metric(rows, quarter, metric)
    if row is None or not fmt.finite(row["metric_value"]):
        return f"{fmt.MISSING} (n={0 if row is None else int(row['denominator'])})"
    text = f"{show(row['metric_value'], metric)} (n={int(row['denominator'])})"
    return text if pd.isna(row["meets_target"]) else fmt.status(text, bool(row["meets_target"]))


def show(value: object, metric: str) -> str:
    kind = INTERVENTION_METRICS[metric][1]
    if kind == "percent":
        return fmt.percent(value)
    if kind == "points":
        return fmt.signed_pp(value)
    return fmt.number(value, 1)


def history(published: Published, alert_types: dict[str, str]) -> None:
    """How many alerts of each type fired in a window up to the as-of date, and the latest of them."""
    st.subheader("Alerts raised")
    summary = published.query(f"select * from {SUMMARY} order by window_days, alert_type")
    windows = list(dict.fromkeys(summary["window_days"]))
    left, middle, right = st.columns(3)
    days = left.selectbox(
        "Window",
        windows,
        index=windows.index(DEFAULT_WINDOW_DAYS) if DEFAULT_WINDOW_DAYS in windows else 0,
        format_func=lambda d: f"Last {d} days",
    )
    types = middle.multiselect(
        "Alert type", list(dict.fromkeys(summary["alert_type"])), format_func=lambda t: alert_types.get(t, t)
    )
    direction = right.selectbox(
        "Direction", ["worsened", "improved", EVERY], format_func=lambda d: "both" if d == EVERY else d
    )
    counts = summary[
        (summary["window_days"] == days)
        & (summary["direction"] == direction)
        & (summary["alert_type"].isin(types) if types else True)
    ]
    metric_row(
        {
            alert_types.get(t, t): f"{a:,} ({n:,} accounts)"
            for t, a, n in counts[["alert_type", "alerts", "accounts"]].itertuples(index=False)
        }
    )
    window = counts.iloc[0]  # every alert type has a row in every window and direction
    where = "alerts.alert_date between ? and ?"
    params: list[object] = [window["window_start_date"], window["as_of_date"]]
    if types:
        where += " and alerts.alert_type in (select unnest(?))"
        params.append(types)
    if direction != EVERY:
        where += " and alerts.direction = ?"
        params.append(direction)
    rows = published.query(
        f"select * from {ALERTS} as alerts where {where} order by alerts.alert_date desc, alerts.alert_id limit {ROWS}",
        *params,
    )
    if rows.empty:
        st.info(f"No alert in the last {days} days up to {fmt.day(window['as_of_date'])}.")
        return
    html_table(
        pd.DataFrame(
            {
                "Date": rows["alert_date"].map(fmt.day),
                "Account": [account_link(a, n) for a, n in zip(rows["account_id"], rows["account_name"])],
                "Alert": rows["alert_type"].map(lambda t: alert_types.get(t, t)),
                "Severity": rows["severity"],
                "What changed": rows["detail"].fillna(fmt.MISSING).map(html.escape),
                "Direction": rows["direction"].map(DIRECTIONS).fillna(fmt.MISSING),
                "At risk then": rows["is_at_risk"].map({True: "yes", False: "no"}).fillna(fmt.MISSING),
                "Route": rows["route"],
            }
        ),
        escape=False,
    )
    st.caption(f"The latest {len(rows)} alerts of the window ending {fmt.day(window['as_of_date'])}, newest first.")
