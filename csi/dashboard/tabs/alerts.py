"""Alerts: how many alerts of each type fired in a window up to the as-of date
(fct_health_alert_summary) and the latest of them (fct_health_alerts, named from dim_accounts)."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from csi.dashboard import format as fmt
from csi.dashboard.data import Published
from csi.dashboard.labels import DIRECTIONS, EVERY, Labels
from csi.dashboard.layout import account_link, available, html_table, metric_row

ALERTS = "marts.fct_health_alerts"
SUMMARY = "marts.fct_health_alert_summary"
ACCOUNTS = "marts.dim_accounts"
ROWS = 50
DEFAULT_WINDOW_DAYS = 30


def render(published: Published) -> None:
    if not available(published, ALERTS, SUMMARY):
        return
    labels = Labels.of(published)
    alert_types = labels.alert_types
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
    names = ACCOUNTS in published.tables()
    rows = published.query(
        "select alerts.*, "
        + ("accounts.account_name " if names else "alerts.account_id as account_name ")
        + f"from {ALERTS} as alerts "
        + (f"left join {ACCOUNTS} as accounts on alerts.account_id = accounts.account_id " if names else "")
        + f"where {where} order by alerts.alert_date desc, alerts.alert_id limit {ROWS}",
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
                "What changed": rows["detail"].fillna(fmt.MISSING).map(html.escape),
                "Direction": rows["direction"].map(DIRECTIONS).fillna(fmt.MISSING),
                "At risk then": rows["is_at_risk"].map({True: "yes", False: "no"}).fillna(fmt.MISSING),
            }
        ),
        escape=False,
    )
    st.caption(f"The latest {len(rows)} alerts of the window ending {fmt.day(window['as_of_date'])}, newest first.")
