"""CS Operations: the six KPIs against their targets (fct_cs_kpis), the activity index by month
(fct_cs_activity_trend) and the CSM leaderboard (fct_csm_leaderboard)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from csi.dashboard import format as fmt
from csi.dashboard.data import Published
from csi.dashboard.labels import SEGMENT_ORDER, Labels, choices, every
from csi.dashboard.layout import available, html_table

KPIS = "marts.fct_cs_kpis"
TREND = "marts.fct_cs_activity_trend"
LEADERBOARD = "marts.fct_csm_leaderboard"
# The activity chart shows this many months up to the as-of date's month.
TREND_MONTHS = 24


def render(published: Published) -> None:
    if not available(published, KPIS):
        return
    st.subheader("KPIs vs targets")
    kpis = published.query(f"select * from {KPIS} order by display_order")
    html_table(
        pd.DataFrame(
            {
                "KPI": kpis["kpi"],
                "Coverage": kpis["coverage"].map(fmt.percent),
                "Numerator": kpis["numerator"].map(fmt.number),
                "Denominator": kpis["denominator"].map(fmt.number),
                "Target": kpis["target"].map(lambda t: fmt.percent(t, 0)),
                "vs Target": [
                    fmt.status(fmt.signed_pp(100 * v), bool(met)) if fmt.finite(v) else fmt.MISSING
                    for v, met in zip(kpis["vs_target"], kpis["meets_target"])
                ],
            }
        ),
        escape=False,
    )
    st.subheader(f"Activity index, last {TREND_MONTHS} months")
    if available(published, TREND):
        segments = published.query(f"select distinct segment from {TREND}")["segment"]
        segment = st.selectbox(
            "Segment",
            choices(segments, SEGMENT_ORDER),
            format_func=lambda s: every(s, "segments"),
            key="activity_segment",
        )
        monthly = published.query(
            f"select activity_month, activity_type, activities, accounts_touched from {TREND} "
            "where segment = ? and months_before_as_of < ? order by activity_month, activity_type",
            segment,
            TREND_MONTHS,
        )
        monthly["activity_type"] = monthly["activity_type"].str.replace("_", " ")
        st.altair_chart(
            alt.Chart(monthly)
            .mark_line(point=True)
            .encode(
                x=alt.X("activity_month:T", title=None),
                y=alt.Y("activities:Q", title="Activities per month"),
                color=alt.Color("activity_type:N", title="Activity type"),
                tooltip=[
                    alt.Tooltip("activity_month:T", format="%b %Y"), "activity_type", "activities", "accounts_touched"
                ],
            )
            .properties(height=300),
            width="stretch",
        )
    st.subheader("CSM leaderboard")
    if available(published, LEADERBOARD):
        labels = Labels.of(published)
        board = published.query(f"select * from {LEADERBOARD} order by revenue_at_risk desc, csm_name")
        html_table(
            pd.DataFrame(
                {
                    "CSM": board["csm_name"],
                    "CSM Owner ID": board["csm_owner_id"],
                    "Accounts": board["accounts"].map(fmt.number),
                    labels.health_check_coverage: board["health_check_coverage"].map(fmt.percent),
                    "Onboarded on time": board["onboarded_on_time"].map(fmt.percent),
                    "Average health": board["average_health_score"].map(fmt.score),
                    "ARR owned": board["arr_owned"].map(fmt.money),
                    "Revenue at risk": board["revenue_at_risk"].map(fmt.money),
                }
            )
        )
