"""One function per dashboard tab. Each reads published marts through `Published.query` (DuckDB over
the published file, cached per publication) and draws with Streamlit. What a person or a test reads
is drawn as HTML or st.table (st.dataframe is a canvas); a mart that is missing or empty gets a
message saying what to run, not a traceback."""

from __future__ import annotations

import html
import textwrap
from urllib.parse import urlencode

import altair as alt
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from csi.dashboard import format as fmt
from csi.dashboard.data import Published

BAND_ORDER = ["Healthy", "Watch", "At Risk", "Critical"]
BAND_COLOURS = ["#2e7d32", "#f9a825", "#ef6c00", "#c62828"]
RISK_ORDER = ["Critical", "High", "Medium", "Low"]
# The headline raw measure of each component (fct_account_health_components.raw_value) and how to read it.
MEASURES: dict[str, tuple[str, str]] = {
    "churn_risk": ("retention likelihood", "percent"),
    "usage": ("seat utilisation (30 days)", "percent"),
    "health_check_cadence": ("days since the last health check", "days"),
    "onboarding": ("days from contract start to onboarding kickoff", "days"),
    "insider_calls": ("Insider calls in 90 days", "count"),
    "qbr_cadence": ("days since the last QBR", "days"),
    "pipeline": ("open expansion pipeline as a share of ARR", "percent"),
    "tenure": ("months as a customer", "count"),
    "csat": ("NPS", "count"),
}
AT_RISK_ROWS = 50
ALERT_ROWS = 50
# Trend charts show this many months up to the latest.
TREND_MONTHS = 24


# --- shared helpers ---------------------------------------------------------------------------


def available(published: Published, *tables: str) -> bool:
    """True when every table is published and the first has rows; otherwise a clear message."""
    missing = [table for table in tables if table not in published.tables()]
    if missing:
        st.info(
            f"Not built yet: {', '.join(f'`{t}`' for t in missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not in the published copy. "
            "This tab fills in once the mart is built and published (`csi build` publishes it)."
        )
        return False
    if published.query(f"select count(*) as n from {tables[0]}").iloc[0, 0] == 0:
        st.info(f"`{tables[0]}` is published but has no rows for this as-of date.")
        return False
    return True


def html_table(frame: pd.DataFrame, escape: bool = True, css_class: str = "csi-table") -> None:
    """A plain HTML table: readable by people, by screen readers and by the browser tests."""
    table = frame.to_html(index=False, escape=escape, classes=css_class, border=0, na_rep=fmt.MISSING)
    st.html(
        "<style>.csi-table{border-collapse:collapse;font-size:0.9rem;width:100%}"
        ".csi-table th{text-align:left;border-bottom:2px solid #ccc;padding:4px 8px}"
        ".csi-table td{border-bottom:1px solid #eee;padding:4px 8px;vertical-align:middle}"
        ".csi-table a{text-decoration:none}</style>" + table
    )


def metric_row(metrics: dict[str, str]) -> None:
    for column, (label, value) in zip(st.columns(len(metrics)), metrics.items(), strict=True):
        column.metric(label, value)


def account_link(account_id: str, name: object) -> str:
    """A link that opens the account drill for this account (a full reload keeps the URL shareable)."""
    query = html.escape(urlencode({"tab": "Account drill", "account": account_id}), quote=True)
    shown = name if isinstance(name, str) and name else account_id
    return f'<a href="?{query}" target="_self">{html.escape(shown)}</a>'


def measure(component: str, raw_value: object) -> str:
    name, kind = MEASURES.get(component, ("raw measure", "count"))
    if not fmt.finite(raw_value):
        return f"no {name} on record"
    value = float(raw_value)
    shown = {"percent": fmt.percent_points(value), "days": f"{value:,.0f} days"}.get(kind, fmt.measure(value))
    return f"{name}: {shown}"


# --- Health Score -----------------------------------------------------------------------------


def health_score(published: Published) -> None:
    if not available(published, "marts.fct_account_health", "marts.fct_account_health_components"):
        return
    summary = published.query(
        "select count(*) as accounts, avg(health_score) as average, sum(arr) as arr, "
        "sum(revenue_at_risk) as at_risk, max(weights_version) as weights_version from marts.fct_account_health"
    ).iloc[0]
    metric_row(
        {
            "Customers scored": f"{int(summary['accounts']):,}",
            "Average health score": fmt.score(summary["average"]),
            "ARR": fmt.money_short(summary["arr"]),
            "Revenue at risk": fmt.money_short(summary["at_risk"]),
        }
    )

    st.subheader("Distribution by band and segment")
    bands = published.query(
        "select score_band as band, segment, count(*) as accounts, sum(arr) as arr "
        "from marts.fct_account_health group by score_band, segment"
    )
    left, right = st.columns([3, 2])
    left.altair_chart(
        alt.Chart(bands)
        .mark_bar()
        .encode(
            x=alt.X("segment:N", title="Segment", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("accounts:Q", title="Accounts"),
            color=alt.Color("band:N", sort=BAND_ORDER, scale=alt.Scale(domain=BAND_ORDER, range=BAND_COLOURS)),
            order=alt.Order("band_rank:Q"),
            tooltip=["segment", "band", "accounts", alt.Tooltip("arr:Q", format="$,.0f")],
        )
        .transform_calculate(band_rank=f"indexof({BAND_ORDER!r}, datum.band)"),
        width="stretch",
    )
    pivot = bands.pivot_table(index="band", columns="segment", values="accounts", aggfunc="sum", fill_value=0)
    pivot = pivot.reindex([b for b in BAND_ORDER if b in pivot.index])
    pivot["All segments"] = pivot.sum(axis=1)
    pivot.columns.name = None
    with right:
        html_table(pivot.astype(int).map(lambda n: f"{n:,}").reset_index().rename(columns={"band": "Band"}))

    st.subheader("Weights")
    weights_table = "seeds.health_weights"
    averages = published.query(
        "select component, max(label) as label, max(weight) as weight, avg(score) as average_score, "
        "count(score) as applies_to, avg(points_lost) as average_points_lost "
        "from marts.fct_account_health_components group by component order by max(weight) desc, component"
    )
    if weights_table in published.tables():
        weights = published.query(
            f"select component, label, weight from {weights_table} where weights_version = ? order by weight desc",
            summary["weights_version"],
        )
        st.caption(f"Weights version {summary['weights_version']}: the weights sum to {weights['weight'].sum():g}.")
    else:
        weights = averages[["component", "label", "weight"]]
    html_table(
        pd.DataFrame(
            {
                "Component": weights["label"],
                "Key": weights["component"],
                "Weight": weights["weight"].map(lambda w: fmt.number(w, 0)),
            }
        )
    )

    st.subheader("Component averages")
    st.altair_chart(
        alt.Chart(averages)
        .mark_bar()
        .encode(
            x=alt.X("average_score:Q", title="Average score (0-100)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=300)),
            tooltip=["label", alt.Tooltip("average_score:Q", format=".1f"), "applies_to"],
        ),
        width="stretch",
    )
    html_table(
        pd.DataFrame(
            {
                "Component": averages["label"],
                "Average score": averages["average_score"].map(fmt.score),
                "Applies to": averages["applies_to"].map(lambda n: f"{n:,} accounts"),
                "Average points lost": averages["average_points_lost"].map(fmt.score),
            }
        )
    )


# --- At-Risk Accounts -------------------------------------------------------------------------


def _filter_options(published: Published, table: str, column: str) -> list[str]:
    frame = published.query(f"select distinct {column} as value from {table} where {column} is not null order by 1")
    return list(frame["value"])


def at_risk_accounts(published: Published) -> None:
    table = "marts.fct_at_risk_accounts"
    if not available(published, table):
        return
    columns = st.columns(4)
    chosen = {
        "csm_name": columns[0].multiselect("CSM", _filter_options(published, table, "csm_name")),
        "segment": columns[1].multiselect("Segment", _filter_options(published, table, "segment")),
        "score_band": columns[2].multiselect(
            "Band", [b for b in BAND_ORDER if b in _filter_options(published, table, "score_band")]
        ),
        "risk_level": columns[3].multiselect(
            "Risk level", [r for r in RISK_ORDER if r in _filter_options(published, table, "risk_level")]
        ),
    }
    where = " and ".join(f"{column} in (select unnest(?))" for column, values in chosen.items() if values) or "true"
    params = [values for values in chosen.values() if values]
    totals = published.query(
        f"select count(*) as accounts, sum(arr) as arr, sum(revenue_at_risk) as at_risk from {table} where {where}",
        *params,
    ).iloc[0]
    metric_row(
        {
            "Accounts at risk": f"{int(totals['accounts']):,}",
            "Their ARR": fmt.money_short(totals["arr"]),
            "Revenue at risk": fmt.money_short(totals["at_risk"]),
        }
    )
    rows = published.query(
        f"select * from {table} where {where} order by revenue_at_risk desc nulls last, account_id limit {AT_RISK_ROWS}",
        *params,
    )
    if rows.empty:
        st.info("No at-risk account matches these filters.")
        return
    weeks = sorted(column for column in rows.columns if column.startswith("health_score_week_"))
    html_table(
        pd.DataFrame(
            {
                "Account Name": [account_link(a, n) for a, n in zip(rows["account_id"], rows["account_name"])],
                "Health": rows["health_score"].map(fmt.score),
                "Revenue": rows["arr"].map(fmt.money),
                "Risk Level": rows["risk_level"].fillna(fmt.MISSING),
                "Revenue at Risk": rows["revenue_at_risk"].map(fmt.money),
                "Top Drivers": rows["top_drivers"].fillna(fmt.MISSING).map(html.escape),
                "Tenure": rows["tenure_months"].map(fmt.months),
                "Band": rows["score_band"],
                "CSM": rows["csm_name"].fillna(fmt.MISSING).map(html.escape),
                f"Score, last {len(weeks)} weeks": [fmt.sparkline(tuple(values)) for values in rows[weeks].itertuples(index=False)],
            }
        ),
        escape=False,
    )
    if totals["accounts"] > len(rows):
        st.caption(f"The {len(rows)} with the most revenue at risk of {int(totals['accounts']):,}; filter to see others.")
    st.caption("Click an account to open its drill: components, score history, recent activities.")


# --- Account drill ----------------------------------------------------------------------------


def _pick_account(published: Published) -> str | None:
    requested = st.query_params.get("account")
    search = st.text_input("Find an account by name or id", key="account_search")
    pattern = f"%{search.strip()}%"
    candidates = published.query(
        "select account_id, account_name from marts.fct_account_health "
        "where account_name ilike ? or account_id ilike ? or account_id = ? "
        "order by account_id = ? desc, revenue_at_risk desc nulls last, account_id limit 200",
        pattern,
        pattern,
        requested or "",
        requested or "",
    )
    if candidates.empty:
        st.info(f"No customer matches {search!r}.")
        return None
    names = dict(zip(candidates["account_id"], candidates["account_name"], strict=True))
    options = list(names)
    index = options.index(requested) if requested in names else 0
    chosen = st.selectbox(
        "Account (highest revenue at risk first)", options, index=index, format_func=lambda a: f"{names[a]} · {a}"
    )
    if chosen != requested:
        st.query_params["account"] = chosen
    return chosen


def account_drill(published: Published) -> None:
    if not available(published, "marts.fct_account_health", "marts.fct_account_health_components"):
        return
    account_id = _pick_account(published)
    if account_id is None:
        return
    account = published.query("select * from marts.fct_account_health where account_id = ?", account_id).iloc[0]
    band = account["score_band"]
    moved = f" (computed {account['computed_band']}, CSM sentiment {account['csm_sentiment']})" if (
        account["computed_band"] != band
    ) else ""
    st.subheader(f"{account['account_name']}")
    csm = account["csm_owner_id"]
    if "marts.dim_accounts" in published.tables():
        names = published.query("select csm_name from marts.dim_accounts where account_id = ?", account_id)
        if not names.empty and names.iloc[0, 0]:
            csm = f"{names.iloc[0, 0]} ({csm})"
    st.markdown(
        f"**{account['segment']}** · CSM {csm} · tenure {fmt.months(account['tenure_months'])}"
        f" · band **{band}**{moved} · weights {account['weights_version']}"
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
        "select * from marts.fct_account_health_components where account_id = ? order by points_lost desc nulls last",
        account_id,
    )
    left, right = st.columns([5, 6])
    with left:
        _radar(components)
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
                        html.escape(measure(c, v)) for c, v in zip(components["component"], components["raw_value"])
                    ],
                    "Score": components["score"].map(fmt.score),
                    "Weight": [
                        f"{fmt.number(w)} ({fmt.percent_points(e)} effective)" if fmt.finite(s) else "does not apply"
                        for w, e, s in zip(components["weight"], components["effective_weight"], components["score"])
                    ],
                    "Points lost": components["points_lost"].map(fmt.score),
                    "Why": [_why(row) for row in components.itertuples()],
                }
            ),
            escape=False,
        )
    _score_history(published, account_id)
    _recent_activities(published, account_id)


def _why(row) -> str:
    if not fmt.finite(row.score):
        return "Does not apply to this account; the other weights renormalise."
    if row.points_lost <= 0.05:
        return f"Full marks on {html.escape(MEASURES.get(row.component, ('this component',))[0])}."
    if not fmt.finite(row.raw_value):
        return html.escape(
            f"Scores {row.score:.0f}/100 ({measure(row.component, row.raw_value)}); at "
            f"{row.effective_weight:.1f}% of the score that costs {row.points_lost:.1f} points."
        )
    return html.escape(
        f"{_sentence(measure(row.component, row.raw_value))} scores {row.score:.0f}/100; at "
        f"{row.effective_weight:.1f}% of the score that costs {row.points_lost:.1f} points."
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _radar(components: pd.DataFrame) -> None:
    applied = components[components["score"].notna()].sort_values("weight", ascending=False)
    if applied.empty:
        st.info("No component applies to this account.")
        return
    labels = ["<br>".join(textwrap.wrap(label, 16)) for label in applied["label"]]
    labels.append(labels[0])
    scores = list(applied["score"]) + [applied["score"].iloc[0]]
    hover = [measure(c, v) for c, v in zip(applied["component"], applied["raw_value"], strict=True)]
    figure = go.Figure(
        go.Scatterpolar(
            r=scores, theta=labels, fill="toself", name="score", text=hover + hover[:1], hovertemplate="%{theta}: %{r:.0f}<br>%{text}"
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
    if "snapshots.snap_account_health" not in published.tables():
        st.info("No snapshot history is published yet: it accumulates with each nightly `csi build`.")
        return
    history = published.query(
        "select cast(dbt_valid_from as date) as valid_from, cast(dbt_valid_to as date) as valid_to, "
        "health_score, score_band, churn_probability from snapshots.snap_account_health "
        "where account_id = ? order by dbt_valid_from",
        account_id,
    )
    if history.empty:
        st.info("No history yet for this account.")
        return
    points = pd.concat(
        [history[["valid_from", "health_score", "score_band"]].rename(columns={"valid_from": "date"})]
        + ([history.tail(1)[["valid_to", "health_score", "score_band"]].rename(columns={"valid_to": "date"})]
           if pd.notna(history["valid_to"].iloc[-1]) else [])
    )
    st.altair_chart(
        alt.Chart(points)
        .mark_line(interpolate="step-after", point=True)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("health_score:Q", title="Health score", scale=alt.Scale(domain=[0, 100])),
            tooltip=[alt.Tooltip("date:T"), alt.Tooltip("health_score:Q", format=".1f"), "score_band"],
        )
        .properties(height=220),
        width="stretch",
    )
    changes = history[history["score_band"] != history["score_band"].shift()].tail(8).iloc[::-1]
    st.caption("Band changes, latest first")
    html_table(
        pd.DataFrame(
            {
                "From": changes["valid_from"].map(fmt.day),
                "Band": changes["score_band"],
                "Health score": changes["health_score"].map(fmt.score),
                "Churn probability": changes["churn_probability"].map(fmt.percent),
            }
        )
    )


def _recent_activities(published: Published, account_id: str) -> None:
    st.markdown("**Recent activities**")
    if "marts.fct_cs_account_summary" in published.tables():
        summary = published.query("select * from marts.fct_cs_account_summary where account_id = ?", account_id)
        if not summary.empty:
            row = summary.iloc[0]
            metric_row(
                {
                    "Last health check": fmt.day(row["last_health_check_date"]),
                    "Health checks (90 days)": fmt.number(row["health_checks_90d"]),
                    "Last QBR": fmt.day(row["last_qbr_date"]),
                    "Last CSM touch": fmt.day(row["last_csm_touch_date"]),
                }
            )
    if "marts.fct_account_recent_activities" not in published.tables():
        st.info("Not built yet: `marts.fct_account_recent_activities` is not in the published copy.")
        return
    activities = published.query(
        "select * from marts.fct_account_recent_activities where account_id = ? order by recency_rank", account_id
    )
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


# --- CS Operations ----------------------------------------------------------------------------


def cs_operations(published: Published) -> None:
    if not available(published, "marts.fct_cs_kpis"):
        return
    st.subheader("KPIs vs targets")
    kpis = published.query("select * from marts.fct_cs_kpis order by display_order")
    html_table(
        pd.DataFrame(
            {
                "KPI": kpis["kpi"],
                "Coverage": kpis["coverage"].map(fmt.percent),
                "Numerator": kpis["numerator"].map(fmt.number),
                "Denominator": kpis["denominator"].map(fmt.number),
                "Target": kpis["target"].map(lambda t: fmt.percent(t, 0)),
                "vs Target": [
                    fmt.status(fmt.signed_pp(100 * v), v >= 0) if fmt.finite(v) else fmt.MISSING
                    for v in kpis["vs_target"]
                ],
            }
        ),
        escape=False,
    )
    st.subheader(f"Activity index, last {TREND_MONTHS} months")
    if available(published, "marts.fct_cs_activity_monthly"):
        segments = ["All segments", *_filter_options(published, "marts.fct_cs_activity_monthly", "segment")]
        segment = st.selectbox("Segment", segments, key="activity_segment")
        monthly = published.query(
            "select activity_month, replace(activity_type, '_', ' ') as activity_type, "
            "sum(activities) as activities, sum(accounts_touched) as accounts "
            "from marts.fct_cs_activity_monthly where (? = 'All segments' or segment = ?) and activity_month > "
            "(select max(activity_month) from marts.fct_cs_activity_monthly) - to_months(?) "
            "group by activity_month, activity_type order by activity_month",
            segment,
            segment,
            TREND_MONTHS,
        )
        st.altair_chart(
            alt.Chart(monthly)
            .mark_line(point=True)
            .encode(
                x=alt.X("activity_month:T", title=None),
                y=alt.Y("activities:Q", title="Activities per month"),
                color=alt.Color("activity_type:N", title="Activity type"),
                tooltip=[alt.Tooltip("activity_month:T", format="%b %Y"), "activity_type", "activities", "accounts"],
            )
            .properties(height=300),
            width="stretch",
        )
    st.subheader("CSM leaderboard")
    if available(published, "marts.fct_csm_leaderboard"):
        board = published.query("select * from marts.fct_csm_leaderboard order by revenue_at_risk desc, csm_name")
        html_table(
            pd.DataFrame(
                {
                    "CSM": board["csm_name"],
                    "CSM Owner ID": board["csm_owner_id"],
                    "Accounts": board["accounts"].map(fmt.number),
                    "Health-check coverage (30d)": board["health_check_coverage_30d"].map(fmt.percent),
                    "Onboarded on time": board["onboarded_on_time"].map(fmt.percent),
                    "Average health": board["average_health_score"].map(fmt.score),
                    "ARR owned": board["arr_owned"].map(fmt.money),
                    "Revenue at risk": board["revenue_at_risk"].map(fmt.money),
                }
            )
        )


# --- Engagement -------------------------------------------------------------------------------


def engagement(published: Published) -> None:
    st.subheader("E-mail engagement (HubSpot, last 90 days)")
    if available(published, "marts.fct_account_email_engagement"):
        by_segment = published.query(
            "select coalesce(segment, 'All segments') as segment_label, count(*) as accounts, "
            "sum(emails_delivered) as delivered, sum(unique_opens) / nullif(sum(emails_delivered), 0) as open_rate, "
            "sum(unique_clicks) / nullif(sum(emails_delivered), 0) as click_rate, "
            "sum(emails_bounced) / nullif(sum(emails_sent), 0) as bounce_rate, "
            "avg(case when has_qbr_coverage then 1.0 else 0.0 end) as qbr_coverage, "
            "avg(case when has_value_driven_email_coverage then 1.0 else 0.0 end) as value_coverage "
            "from marts.fct_account_email_engagement group by rollup (segment) order by grouping(segment), segment"
        )
        overall = by_segment.iloc[-1]
        metric_row(
            {
                "Open rate": fmt.percent(overall["open_rate"]),
                "Click rate": fmt.percent(overall["click_rate"]),
                "QBR coverage": fmt.percent(overall["qbr_coverage"]),
                "Value-driven e-mail coverage": fmt.percent(overall["value_coverage"]),
            }
        )
        html_table(
            pd.DataFrame(
                {
                    "Segment": by_segment["segment_label"],
                    "Accounts": by_segment["accounts"].map(fmt.number),
                    "E-mails delivered": by_segment["delivered"].map(fmt.number),
                    "Open rate": by_segment["open_rate"].map(fmt.percent),
                    "Click rate": by_segment["click_rate"].map(fmt.percent),
                    "Bounce rate": by_segment["bounce_rate"].map(fmt.percent),
                    "QBR coverage": by_segment["qbr_coverage"].map(fmt.percent),
                    "Value-driven coverage": by_segment["value_coverage"].map(fmt.percent),
                }
            )
        )
        st.markdown("**Least engaged customers** (lowest open rate among those who received e-mail)")
        quiet = published.query(
            "select account_id, account_name, segment, emails_delivered, open_rate, click_rate, has_qbr_coverage "
            "from marts.fct_account_email_engagement where emails_delivered > 0 "
            "order by open_rate, emails_delivered desc, account_id limit 15"
        )
        html_table(
            pd.DataFrame(
                {
                    "Account": [account_link(a, n) for a, n in zip(quiet["account_id"], quiet["account_name"])],
                    "Segment": quiet["segment"],
                    "Delivered": quiet["emails_delivered"].map(fmt.number),
                    "Open rate": quiet["open_rate"].map(fmt.percent),
                    "Click rate": quiet["click_rate"].map(fmt.percent),
                    "QBR in 90 days": quiet["has_qbr_coverage"].map({True: "yes", False: "no"}),
                }
            ),
            escape=False,
        )
    st.subheader("Product usage")
    if available(published, "marts.fct_account_usage"):
        usage = published.query(
            "select count(*) as accounts, avg(seat_utilisation_pct) as utilisation, "
            "sum(case when is_usage_declining then 1 else 0 end) as declining from marts.fct_account_usage"
        ).iloc[0]
        metric_row(
            {
                "Average seat utilisation (30 days)": fmt.percent_points(usage["utilisation"]),
                "Customers with usage down 30 %+ month over month": f"{int(usage['declining']):,}",
            }
        )
        declining = published.query(
            "select account_id, account_name, segment, licensed_seats, monthly_active_users, seat_utilisation_pct, "
            "mom_change_pct, wow_change_pct from marts.fct_account_usage where is_usage_declining "
            "order by mom_change_pct, account_id limit 20"
        )
        if declining.empty:
            st.info("No customer's usage fell 30 % or more month over month.")
        else:
            html_table(
                pd.DataFrame(
                    {
                        "Account": [account_link(a, n) for a, n in zip(declining["account_id"], declining["account_name"])],
                        "Segment": declining["segment"],
                        "Seats": declining["licensed_seats"].map(fmt.number),
                        "Monthly active users": declining["monthly_active_users"].map(fmt.number),
                        "Seat utilisation": declining["seat_utilisation_pct"].map(fmt.percent_points),
                        "Month over month": declining["mom_change_pct"].map(fmt.change),
                        "Week over week": declining["wow_change_pct"].map(fmt.change),
                    }
                ),
                escape=False,
            )


# --- Forecast Accuracy ------------------------------------------------------------------------


def forecast_accuracy(published: Published) -> None:
    if not available(published, "marts.fct_renewal_forecast_accuracy"):
        return
    st.markdown(
        "Nightly snapshots of the churn model's probability per contract: for every contract whose end date "
        "has passed, the probability as it stood 60 days before the end is compared with the actual renewal "
        "outcome. Targets: early-warning rate ≥ 75 %, forecast variance within ±5 pp."
    )
    cohorts = published.query("select * from marts.fct_renewal_forecast_accuracy order by cohort_quarter_start")
    eligible = cohorts[cohorts["status"] == "eligible"]
    warming = cohorts[cohorts["status"] != "eligible"]
    if eligible.empty:
        st.info("No cohort has 60 days of snapshot history yet: the backtest is warming up.")
    else:
        html_table(
            pd.DataFrame(
                {
                    "Cohort Quarter": eligible["cohort_quarter"],
                    "Contracts": eligible["contracts"].map(fmt.number),
                    "Actually Churned": eligible["actually_churned"].map(fmt.number),
                    "Flagged ≥60d": eligible["flagged_60d"].map(fmt.number),
                    "Early-Warning Rate": [
                        fmt.status(fmt.percent(r), bool(ok)) if fmt.finite(r) else fmt.MISSING
                        for r, ok in zip(eligible["early_warning_rate"], eligible["meets_early_warning_target"])
                    ],
                    "Predicted Churn": eligible["predicted_churn_rate"].map(fmt.percent),
                    "Actual Churn": eligible["actual_churn_rate"].map(fmt.percent),
                    "Variance (pp)": [
                        fmt.status(fmt.signed_pp(v), bool(ok)) if fmt.finite(v) else fmt.MISSING
                        for v, ok in zip(eligible["variance_pp"], eligible["meets_variance_target"])
                    ],
                }
            ),
            escape=False,
        )
    st.subheader("Warm-up status")
    eligible_from = cohorts["eligible_from_date"].dropna()
    if not eligible_from.empty:
        st.markdown(
            f"Contracts ending from **{fmt.day(eligible_from.min())}** have 60 days of snapshot history behind "
            "them and are measured; earlier ones are not counted as zero. Contracts still in their renewal grace "
            "period are counted once their outcome is known."
        )
    html_table(
        pd.DataFrame(
            {
                "Cohort Quarter": cohorts["cohort_quarter"],
                "Status": cohorts["status"].str.replace("_", " "),
                "Contracts ended": cohorts["contracts_ended"].map(fmt.number),
                "Measured": cohorts["contracts"].map(fmt.number),
                "In grace period": cohorts["contracts_pending"].map(fmt.number),
            }
        )
    )
    if warming.empty:
        st.caption(f"Every cohort is eligible ({len(eligible)} cohort quarters).")


# --- Validation -------------------------------------------------------------------------------

VALIDATION_METRICS = {
    "accuracy": ("Accuracy (churned accounts flagged at risk)", "percent"),
    "surprise_churn_rate": ("Surprise churn rate (churned while healthy)", "percent"),
    "false_positive_rate": ("False-positive rate", "percent"),
    "score_outcome_correlation": ("Score–outcome correlation", "ratio"),
    "auc": ("AUC", "ratio"),
    "lift_top_decile": ("Lift at the top risk decile", "times"),
    "calibration_error": ("Calibration error of the churn probability", "ratio"),
    "median_lead_time_days": ("Median early-warning lead time", "days"),
}


def calibration_chart(published: Published, weights_version: str) -> None:
    """The churn model's calibration: mean predicted probability of each probability decile against
    the share that churned, beside the diagonal a perfectly calibrated model would follow."""
    st.markdown("**Calibration of the churn model**: predicted vs actual churn by probability decile")
    if not available(published, "marts.fct_churn_calibration_by_decile"):
        return
    deciles = published.query(
        "select * from marts.fct_churn_calibration_by_decile where weights_version = ? and cohort_quarter = 'All' "
        "order by probability_decile", weights_version
    )
    axis = alt.Scale(domain=[0, 1])
    points = alt.Chart(deciles).mark_line(point=True).encode(
        x=alt.X("predicted_rate:Q", title="Predicted churn probability", axis=alt.Axis(format="%"), scale=axis),
        y=alt.Y("actual_rate:Q", title="Actual churn rate", axis=alt.Axis(format="%"), scale=axis),
        tooltip=["probability_decile", "contracts", alt.Tooltip("predicted_rate:Q", format=".1%"),
                 alt.Tooltip("actual_rate:Q", format=".1%")],
    )
    ideal = alt.Chart(pd.DataFrame({"predicted_rate": [0, 1], "actual_rate": [0, 1]})).mark_line(
        strokeDash=[4, 4], color="#999"
    ).encode(x="predicted_rate:Q", y="actual_rate:Q")
    st.altair_chart((ideal + points).properties(height=280), width="stretch")


def _metric_value(value: object, kind: str) -> str:
    if not fmt.finite(value):
        return fmt.MISSING
    return {
        "percent": fmt.percent(value),
        "times": f"{float(value):.2f}×",
        "days": f"{float(value):,.0f} days",
    }.get(kind, f"{float(value):.3f}")


def validation(published: Published) -> None:
    if not available(published, "marts.fct_score_validation"):
        return
    scores = published.query("select * from marts.fct_score_validation order by weights_version, cohort_quarter_start")
    versions = list(dict.fromkeys(scores["weights_version"]))
    st.subheader("Validation metrics vs targets" + (" — weights versions side by side" if len(versions) > 1 else ""))
    columns = [c for c in VALIDATION_METRICS if c in scores.columns]
    pooled = scores[scores["cohort_quarter"] == "All"]  # the mart's row over every cohort, when it has one
    if pooled.empty:
        means = scores.groupby("weights_version")[columns].mean()
        over = f"averaged over {scores['cohort_quarter'].nunique()} cohort quarters"
    else:
        means = pooled.set_index("weights_version")[columns]
        over = f"over all {int(pooled['contracts'].iloc[-1]):,} ended contracts"
    st.caption(f"Scores as they stood before each outcome, from the snapshot history; {over}.")
    html_table(
        pd.DataFrame(
            {
                "Metric": [VALIDATION_METRICS[c][0] for c in columns],
                "Target": [
                    _metric_value(scores[f"{c}_target"].iloc[0], VALIDATION_METRICS[c][1])
                    if f"{c}_target" in scores.columns else fmt.MISSING
                    for c in columns
                ],
                **{
                    f"Weights {version}": [_metric_value(means.loc[version, c], VALIDATION_METRICS[c][1]) for c in columns]
                    for version in versions
                },
            }
        )
    )
    current = versions[-1] if "marts.fct_account_health" not in published.tables() else published.query(
        "select max(weights_version) as v from marts.fct_account_health"
    ).iloc[0, 0]
    detail = scores[scores["weights_version"] == current]
    st.markdown(f"**By cohort quarter** (weights {current})")
    html_table(
        pd.DataFrame(
            {
                "Cohort": detail["cohort_quarter"],
                "Contracts": detail["contracts"].map(fmt.number),
                "Churned": detail["churned"].map(fmt.number),
                **{
                    VALIDATION_METRICS[c][0].split(" (")[0]: detail[c].map(lambda v, k=VALIDATION_METRICS[c][1]: _metric_value(v, k))
                    for c in columns
                },
            }
        )
    )
    if available(published, "marts.fct_score_lift_by_decile"):
        deciles = published.query(
            "select * from marts.fct_score_lift_by_decile where weights_version = ? order by risk_decile", current
        )
        left, right = st.columns(2)
        with left:
            st.markdown("**Lift by risk decile** (1 = lowest health scores)")
            st.altair_chart(
                alt.Chart(deciles)
                .mark_bar()
                .encode(
                    x=alt.X("risk_decile:O", title="Risk decile"),
                    y=alt.Y("lift:Q", title="Churn rate ÷ overall churn rate"),
                    tooltip=["risk_decile", alt.Tooltip("lift:Q", format=".2f"), "contracts", "churned"],
                )
                .properties(height=280),
                width="stretch",
            )
        with right:
            calibration_chart(published, current)
        html_table(
            pd.DataFrame(
                {
                    "Risk decile": deciles["risk_decile"],
                    "Contracts": deciles["contracts"].map(fmt.number),
                    "Churned": deciles["churned"].map(fmt.number),
                    "Health scores": [f"{fmt.score(a)}–{fmt.score(b)}" for a, b in zip(deciles["min_health_score"], deciles["max_health_score"])],
                    "Churn rate": deciles["churn_rate"].map(fmt.percent),
                    "Lift": deciles["lift"].map(lambda v: _metric_value(v, "times")),
                }
            )
        )
    if "marts.fct_revenue_retention" in published.tables():
        st.subheader(f"Revenue retention, last {TREND_MONTHS} months")
        retention = published.query(
            "select month_start, sum(ending_arr - new_arr) / nullif(sum(starting_arr), 0) as nrr, "
            "sum(starting_arr - contraction_arr - churned_arr) / nullif(sum(starting_arr), 0) as grr, "
            "sum(retained_customers) / nullif(sum(starting_customers), 0) as logo_retention "
            "from marts.fct_revenue_retention where month_start > "
            "(select max(month_start) from marts.fct_revenue_retention) - to_months(?) "
            "group by month_start order by month_start",
            TREND_MONTHS,
        )
        long = retention.melt("month_start", var_name="measure", value_name="rate")
        long["measure"] = long["measure"].map({"nrr": "NRR", "grr": "GRR", "logo_retention": "Logo retention"})
        st.altair_chart(
            alt.Chart(long)
            .mark_line()
            .encode(
                x=alt.X("month_start:T", title=None),
                y=alt.Y("rate:Q", title="Monthly retention", axis=alt.Axis(format="%"), scale=alt.Scale(zero=False)),
                color=alt.Color("measure:N", title=None),
                tooltip=[alt.Tooltip("month_start:T", format="%b %Y"), "measure", alt.Tooltip("rate:Q", format=".1%")],
            )
            .properties(height=260),
            width="stretch",
        )


# --- Alerts -----------------------------------------------------------------------------------

ALERT_TYPES = {
    "band_transition": "Band change",
    "churn_probability_rise": "Churn probability up 20+ points",
    "component_stale": "Component went stale",
}


def alerts(published: Published) -> None:
    table = "marts.fct_health_alerts"
    if not available(published, table):
        return
    latest = published.query(f"select max(alert_date) as latest from {table}").iloc[0, 0]
    left, middle, right = st.columns(3)
    days = left.selectbox("Window", [7, 30, 90, 365], index=1, format_func=lambda d: f"Last {d} days")
    types = middle.multiselect(
        "Alert type", _filter_options(published, table, "alert_type"), format_func=lambda t: ALERT_TYPES.get(t, t)
    )
    direction = right.selectbox("Direction", ["worsened", "improved", "both"])
    where = "alerts.alert_date > cast(? as date) - cast(? as integer)"
    params: list[object] = [latest, days]
    if types:
        where += " and alerts.alert_type in (select unnest(?))"
        params.append(types)
    if direction != "both":
        where += " and alerts.direction = ?"
        params.append(direction)
    counts = published.query(
        f"select alert_type, count(*) as alerts, count(distinct account_id) as accounts from {table} as alerts "
        f"where {where} group by alert_type order by alert_type",
        *params,
    )
    metric_row(
        {ALERT_TYPES.get(t, t): f"{a:,} ({n:,} accounts)" for t, a, n in counts.itertuples(index=False)}
        or {"Alerts": "0"}
    )
    names = "marts.dim_accounts" if "marts.dim_accounts" in published.tables() else None
    rows = published.query(
        "select alerts.*, "
        + ("accounts.account_name " if names else "alerts.account_id as account_name ")
        + f"from {table} as alerts "
        + ("left join marts.dim_accounts as accounts on alerts.account_id = accounts.account_id " if names else "")
        + f"where {where} order by alerts.alert_date desc, alerts.alert_id limit {ALERT_ROWS}",
        *params,
    )
    if rows.empty:
        st.info(f"No alert in the last {days} days up to {fmt.day(latest)}.")
        return
    html_table(
        pd.DataFrame(
            {
                "Date": rows["alert_date"].map(fmt.day),
                "Account": [account_link(a, n) for a, n in zip(rows["account_id"], rows["account_name"])],
                "Alert": rows["alert_type"].map(lambda t: ALERT_TYPES.get(t, t)),
                "What changed": rows["detail"].fillna(fmt.MISSING).map(html.escape),
                "Direction": rows["direction"].map({"worsened": "▼ worsened", "improved": "▲ improved"}).fillna(fmt.MISSING),
            }
        ),
        escape=False,
    )
    st.caption(f"The latest {len(rows)} alerts of the window ending {fmt.day(latest)}, newest first.")
