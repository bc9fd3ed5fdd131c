"""Account drill: one customer's score (fct_account_health), its components as a radar with their raw
measures and what each costs (fct_account_health_components), its score history
(snapshots.snap_account_health) with the nights its scoring configuration changed
(fct_health_score_changes), why the score moved over each window as a waterfall by component
(fct_account_score_trend), its alerts (fct_health_alerts) and recent activities
(fct_cs_account_summary, fct_account_recent_activities). The account comes from `?account=` or the
picker; an id the published copy does not score is named as such, never replaced by another."""

from __future__ import annotations

import html
import textwrap

import altair as alt
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from csi.dashboard import format as fmt
from csi.dashboard.data import Published
from csi.dashboard.labels import DIRECTIONS, QBR_LOGGED_IN, Labels
from csi.dashboard.layout import available, html_table, literal, metric_row

HEALTH = "marts.fct_account_health"
COMPONENTS = "marts.fct_account_health_components"
ACCOUNTS = "marts.dim_accounts"
HISTORY = "snapshots.snap_account_health"
CHANGES = "marts.fct_health_score_changes"
TREND = "marts.fct_account_score_trend"
ALERTS = "marts.fct_health_alerts"
SUMMARY = "marts.fct_cs_account_summary"
ACTIVITIES = "marts.fct_account_recent_activities"
CANDIDATES = 200
ACCOUNT_ALERTS = 8
# The window the waterfall opens on when the trend mart has it (the others are a click away).
WATERFALL_DAYS = 30
TRENDS = {"up": "▲ up", "down": "▼ down", "flat": "flat"}


def measure(labels: Labels, component: str, raw_value: object) -> str:
    name, kind = labels.measure(component)
    if not fmt.finite(raw_value):
        return f"no {name} on record"
    value = float(raw_value)
    shown = {"percent": fmt.percent_points(value), "days": f"{value:,.0f} days"}.get(kind, fmt.measure(value))
    return f"{name}: {shown}"


def _unknown_account(published: Published, account_id: str) -> None:
    """Say why the requested account is not shown: not a customer on the as-of date, or no such id."""
    known = (
        published.query(f"select account_name from {ACCOUNTS} where account_id = ?", account_id)
        if ACCOUNTS in published.tables()
        else pd.DataFrame()
    )
    if known.empty:
        st.warning(f"No account with id {literal(account_id)} in the published copy. Pick an account below.")
    else:
        st.warning(
            f"Account {literal(account_id)} ({literal(str(known.iloc[0, 0]))}) has no health score: it is not a "
            "customer on the as-of date. Pick an account below."
        )


def _pick_account(published: Published) -> str | None:
    requested = (st.query_params.get("account") or "").strip() or None
    scored = requested is not None and not published.query(
        f"select 1 from {HEALTH} where account_id = ?", requested
    ).empty
    notice = st.empty()  # above the picker, filled once it is known that nothing was picked
    search = st.text_input("Find an account by name or id", key="account_search")
    pattern = f"%{search.strip()}%"
    candidates = published.query(
        f"select account_id, account_name from {HEALTH} "
        "where account_name ilike ? or account_id ilike ? or account_id = ? "
        f"order by account_id = ? desc, revenue_at_risk desc nulls last, account_id limit {CANDIDATES}",
        pattern,
        pattern,
        requested or "",
        requested or "",
    )
    chosen = None
    if candidates.empty:
        st.info(f"No customer matches {literal(search)}.")
    else:
        names = dict(zip(candidates["account_id"], candidates["account_name"], strict=True))
        chosen = st.selectbox(
            "Account (highest revenue at risk first)",
            list(names),
            index=None if requested and not scored else 0,  # a scored requested id is the first candidate
            format_func=lambda a: f"{names[a]} · {a}",
            placeholder="Choose an account",
        )
    if chosen is None and requested and not scored:
        with notice:
            _unknown_account(published, requested)
    if chosen is not None and chosen != requested:
        st.query_params["account"] = chosen
    return chosen


def render(published: Published) -> None:
    if not available(published, HEALTH, COMPONENTS):
        return
    account_id = _pick_account(published)
    if account_id is None:
        return
    labels = Labels.of(published)
    account = published.query(f"select * from {HEALTH} where account_id = ?", account_id).iloc[0]
    band = account["score_band"]
    moved = (
        f" (computed {account['computed_band']}, CSM sentiment {account['csm_sentiment']})"
        if account["computed_band"] != band
        else ""
    )
    st.subheader(f"{account['account_name']}")
    csm = account["csm_owner_id"]
    if ACCOUNTS in published.tables():
        names = published.query(f"select csm_name from {ACCOUNTS} where account_id = ?", account_id)
        if not names.empty and names.iloc[0, 0]:
            csm = f"{names.iloc[0, 0]} ({csm})"
    st.markdown(
        f"**{account['segment']}** · CSM {csm} · tenure {fmt.months(account['tenure_months'])}"
        f" · band **{band}**{moved} · weights {account['weights_version']}"
        f" · configuration {account['configuration_version']}"
    )
    metric_row(
        {
            "Health score": fmt.score(account["health_score"]),
            "ARR": fmt.money(account["arr"]),
            "Churn probability": fmt.percent(account["churn_probability"]),
            "Risk level": account["risk_level"] or fmt.MISSING,
            "Revenue at risk": fmt.money(account["revenue_at_risk"]),
        }
    )
    components = published.query(
        f"select * from {COMPONENTS} where account_id = ? order by points_lost desc nulls last", account_id
    )
    left, right = st.columns([5, 6])
    with left:
        _radar(labels, components)
    with right:
        st.markdown("**Why: what each component costs the score**")
        drivers = {account["top_driver_1"], account["top_driver_2"], account["top_driver_3"]}
        html_table(
            pd.DataFrame(
                {
                    "Component": [
                        f"<b>{html.escape(label)}</b> (top driver)" if label in drivers else html.escape(label)
                        for label in components["label"]
                    ],
                    "Raw measure": [
                        html.escape(measure(labels, c, v))
                        for c, v in zip(components["component"], components["raw_value"])
                    ],
                    "Score": components["score"].map(fmt.score),
                    "Weight": [
                        f"{fmt.number(w)} ({fmt.percent_points(e)} effective)" if fmt.finite(s) else "does not apply"
                        for w, e, s in zip(components["weight"], components["effective_weight"], components["score"])
                    ],
                    "Points lost": components["points_lost"].map(fmt.score),
                    "Why": [_why(labels, row) for row in components.itertuples()],
                }
            ),
            escape=False,
        )
    _score_history(published, account_id)
    _score_change(published, components, account_id)
    _alerts(published, labels, account_id)
    _recent_activities(published, labels, account_id)


def _why(labels: Labels, row) -> str:
    if not fmt.finite(row.score):
        reason = row.not_applicable_reason or "no data for this account"
        return html.escape(f"Does not apply: {reason}. The other weights renormalise.")
    if row.points_lost <= 0.05:  # shows as 0.0 points
        return f"Full marks on {html.escape(labels.measure(row.component)[0])}."
    if not fmt.finite(row.raw_value):
        return html.escape(
            f"Scores {row.score:.0f}/100 ({measure(labels, row.component, row.raw_value)}); at "
            f"{row.effective_weight:.1f}% of the score that costs {row.points_lost:.1f} points."
        )
    sentence = measure(labels, row.component, row.raw_value)
    return html.escape(
        f"{sentence[:1].upper() + sentence[1:]} scores {row.score:.0f}/100; at "
        f"{row.effective_weight:.1f}% of the score that costs {row.points_lost:.1f} points."
    )


def _radar(labels: Labels, components: pd.DataFrame) -> None:
    applied = components[components["score"].notna()].sort_values("weight", ascending=False)
    if applied.empty:
        st.info("No component applies to this account.")
        return
    axes = ["<br>".join(textwrap.wrap(label, 16)) for label in applied["label"]]
    axes.append(axes[0])
    scores = list(applied["score"]) + [applied["score"].iloc[0]]
    hover = [measure(labels, c, v) for c, v in zip(applied["component"], applied["raw_value"], strict=True)]
    figure = go.Figure(
        go.Scatterpolar(
            r=scores, theta=axes, fill="toself", name="score", text=hover + hover[:1],
            hovertemplate="%{theta}: %{r:.0f}<br>%{text}",
        )
    )
    figure.update_layout(
        polar={"radialaxis": {"range": [0, 100], "tickvals": [25, 50, 75, 100]}},
        showlegend=False,
        margin={"l": 90, "r": 90, "t": 40, "b": 40},
        height=380,
    )
    st.plotly_chart(figure, width="stretch")


def _score_history(published: Published, account_id: str) -> None:
    st.markdown("**Score history** (nightly snapshots)")
    if HISTORY not in published.tables():
        st.info("No snapshot history is published yet: it accumulates with each nightly `csi build`.")
        return
    history = published.query(
        "select cast(dbt_valid_from as date) as valid_from, cast(dbt_valid_to as date) as valid_to, "
        f"health_score, score_band from {HISTORY} where account_id = ? order by dbt_valid_from",
        account_id,
    )
    if history.empty:
        st.info("No history yet for this account.")
        return
    # Each version is a step from its first day; a closed last version also marks the day it ended.
    steps = pd.concat(
        [history[["valid_from", "health_score", "score_band"]].rename(columns={"valid_from": "date"})]
        + ([history.tail(1)[["valid_to", "health_score", "score_band"]].rename(columns={"valid_to": "date"})]
           if pd.notna(history["valid_to"].iloc[-1]) else [])
    )
    chart = (
        alt.Chart(steps)
        .mark_line(interpolate="step-after", point=True)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("health_score:Q", title="Health score", scale=alt.Scale(domain=[0, 100])),
            tooltip=[alt.Tooltip("date:T"), alt.Tooltip("health_score:Q", format=".1f"), "score_band"],
        )
    )
    reconfigured = (
        published.query(
            "select changed_on as date, previous_configuration_version, configuration_version "
            f"from {CHANGES} where account_id = ? and is_configuration_change order by changed_on",
            account_id,
        )
        if CHANGES in published.tables()
        else pd.DataFrame()
    )
    if not reconfigured.empty:
        chart += (
            alt.Chart(reconfigured)
            .mark_rule(strokeDash=[4, 3], color="#6a1b9a")
            .encode(
                x="date:T",
                tooltip=[alt.Tooltip("date:T", title="configuration changed"), "previous_configuration_version",
                         "configuration_version"],
            )
        )
    st.altair_chart(chart.properties(height=220), width="stretch")
    if not reconfigured.empty:
        st.caption(
            "Dashed lines: the scoring configuration changed that night (weights, grid, bands, overrides or "
            "windows), so the score moved or was restated without a change in the customer."
        )


def _score_change(published: Published, components: pd.DataFrame, account_id: str) -> None:
    """The score's change over each window of the trend mart, and why: a waterfall from the score before
    the window through each component's contribution to the score now."""
    if TREND not in published.tables():
        return
    trend = published.query(f"select * from {TREND} where account_id = ? order by window_days", account_id)
    if trend.empty:
        return
    st.markdown("**Why the score moved**")
    metric_row(
        {
            f"{row.window_days} days": (
                f"{row.health_score_change:+.1f} ({TRENDS.get(row.trend, row.trend)})"
                if fmt.finite(row.health_score_change) else fmt.MISSING
            )
            for row in trend.itertuples()
        }
    )
    windows = list(trend["window_days"])
    days = st.radio(
        "Window", windows, index=windows.index(WATERFALL_DAYS) if WATERFALL_DAYS in windows else len(windows) - 1,
        format_func=lambda d: f"last {d} days", horizontal=True, key="waterfall_window",
    )
    row = trend[trend["window_days"] == days].iloc[0]
    if not fmt.finite(row["health_score_change"]):
        st.info(f"No change over the last {days} days: the account's explained score history starts within them.")
        return
    labels = dict(zip(components["component"], components["label"], strict=True))
    moved = [
        (labels.get(column.removesuffix("_contribution"), column.removesuffix("_contribution")), row[column])
        for column in trend.columns
        if column.endswith("_contribution") and fmt.finite(row[column]) and row[column] != 0
    ]
    moved.sort(key=lambda item: -abs(item[1]))
    figure = go.Figure(
        go.Waterfall(
            measure=["absolute", *["relative"] * len(moved), "total"],
            x=[f"Score before {fmt.day(row['window_start_date'])}", *[label for label, _ in moved], "Score now"],
            y=[row["previous_health_score"], *[value for _, value in moved], 0],
            text=[fmt.score(row["previous_health_score"]), *[f"{value:+.2f}" for _, value in moved],
                  fmt.score(row["health_score"])],
            textposition="outside",
            increasing={"marker": {"color": "#2e7d32"}},
            decreasing={"marker": {"color": "#c62828"}},
            totals={"marker": {"color": "#546e7a"}},
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    # The axis spans the levels the score passed through (from 0, a few points' move would not show).
    levels = [row["previous_health_score"], *(row["previous_health_score"] + pd.Series([v for _, v in moved]).cumsum())]
    figure.update_layout(
        yaxis={"title": "Health score", "range": [max(0, min(levels) - 10), min(100, max(levels) + 10)]},
        showlegend=False, height=360, margin={"l": 40, "r": 20, "t": 30, "b": 40},
    )
    st.plotly_chart(figure, width="stretch")
    reconfigured = int(row["configuration_changes"])
    st.caption(
        f"{fmt.score(row['previous_health_score'])} → {fmt.score(row['health_score'])} over the last {days} days "
        f"({row['health_score_change']:+.2f}) in {int(row['score_changes'])} nightly change(s)"
        + (f", {reconfigured} of them a change of scoring configuration" if reconfigured else "")
        + ". Each bar is a component's contribution; a component that started or stopped applying carries the "
        "renormalisation of the others."
    )


def _alerts(published: Published, labels: Labels, account_id: str) -> None:
    if ALERTS not in published.tables():
        return
    alerts = published.query(
        f"select * from {ALERTS} where account_id = ? order by alert_date desc, alert_id limit {ACCOUNT_ALERTS}",
        account_id,
    )
    st.caption("Alerts, latest first")
    if alerts.empty:
        st.info("No alert on record for this account.")
        return
    html_table(
        pd.DataFrame(
            {
                "Date": alerts["alert_date"].map(fmt.day),
                "Alert": alerts["alert_type"].map(lambda t: labels.alert_types.get(t, t)),
                "What changed": alerts["detail"].fillna(fmt.MISSING),
                "Direction": alerts["direction"].map(DIRECTIONS).fillna(fmt.MISSING),
            }
        )
    )


def _recent_activities(published: Published, labels: Labels, account_id: str) -> None:
    st.markdown("**Recent activities**")
    if SUMMARY in published.tables():
        summary = published.query(f"select * from {SUMMARY} where account_id = ?", account_id)
        if not summary.empty:
            row = summary.iloc[0]
            metric_row(
                {
                    "Last health check": fmt.day(row["last_health_check_date"]),
                    labels.health_checks_in_cadence_window: fmt.number(row["health_checks_in_cadence_window"]),
                    "Last QBR": fmt.day(row["last_qbr_date"]),
                    "Last CSM touch": fmt.day(row["last_csm_touch_date"]),
                }
            )
            if isinstance(row["last_qbr_logged_in"], str):
                st.caption(
                    f"The last QBR was logged in {QBR_LOGGED_IN.get(row['last_qbr_logged_in'], row['last_qbr_logged_in'])}: "
                    "QBRs count from Salesforce and HubSpot alike (the activities below are Salesforce's)."
                )
    if ACTIVITIES not in published.tables():
        st.info(f"Not built yet: `{ACTIVITIES}` is not in the published copy.")
        return
    activities = published.query(f"select * from {ACTIVITIES} where account_id = ? order by recency_rank", account_id)
    if activities.empty:
        st.info("No customer-success activity on record for this account.")
        return
    html_table(
        pd.DataFrame(
            {
                "Date": activities["activity_date"].map(fmt.day),
                "Days ago": activities["days_ago"].map(fmt.number),
                "Type": activities["activity_type"].str.replace("_", " "),
                "Subject": activities["subject"].fillna(fmt.MISSING),
                "Logged by": activities["owner_name"].fillna(activities["owner_id"]).fillna(fmt.MISSING),
            }
        )
    )
