"""Health Score: the portfolio by band and segment (fct_health_score_summary), the weights of the
version in use and each component's average (fct_health_component_summary)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from csi.dashboard import format as fmt
from csi.dashboard.data import Published
from csi.dashboard.labels import BAND_COLOURS, BAND_ORDER, EVERY, SEGMENT_ORDER, every
from csi.dashboard.layout import available, html_table, metric_row

SUMMARY = "marts.fct_health_score_summary"
COMPONENTS = "marts.fct_health_component_summary"


def render(published: Published) -> None:
    if not available(published, SUMMARY, COMPONENTS):
        return
    summary = published.query(f"select * from {SUMMARY}")
    portfolio = summary[(summary["segment"] == EVERY) & (summary["score_band"] == EVERY)].iloc[0]
    metric_row(
        {
            "Customers scored": f"{int(portfolio['customers']):,}",
            "Average health score": fmt.score(portfolio["average_health_score"]),
            "ARR": fmt.money_short(portfolio["arr"]),
            "Revenue at risk": fmt.money_short(portfolio["revenue_at_risk"]),
        }
    )

    st.subheader("Distribution by band and segment")
    cells = summary[(summary["segment"] != EVERY) & (summary["score_band"] != EVERY)]
    left, right = st.columns([3, 2])
    left.altair_chart(
        alt.Chart(cells)
        .mark_bar()
        .encode(
            x=alt.X("segment:N", title="Segment", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("customers:Q", title="Accounts"),
            color=alt.Color(
                "score_band:N", title="Band", sort=BAND_ORDER, scale=alt.Scale(domain=BAND_ORDER, range=BAND_COLOURS)
            ),
            order=alt.Order("band_rank:Q"),
            tooltip=["segment", "score_band", "customers", alt.Tooltip("arr:Q", format="$,.0f")],
        )
        .transform_calculate(band_rank=f"indexof({BAND_ORDER!r}, datum.score_band)"),
        width="stretch",
    )
    by_band = summary[summary["score_band"] != EVERY].pivot(index="score_band", columns="segment", values="customers")
    segments = [s for s in SEGMENT_ORDER if s in by_band.columns] + sorted(
        set(by_band.columns) - {*SEGMENT_ORDER, EVERY}
    ) + [EVERY]
    by_band = by_band.reindex(index=[b for b in BAND_ORDER if b in by_band.index], columns=segments).fillna(0)
    by_band.columns = [every(segment, "segments") for segment in by_band.columns]
    with right:
        html_table(by_band.astype(int).map(lambda n: f"{n:,}").rename_axis("Band").reset_index())

    st.subheader("Weights and component averages")
    components = published.query(f"select * from {COMPONENTS} order by weight desc, component")
    st.caption(f"Weights version {portfolio['weights_version']}: each component's share of the score where it applies.")
    html_table(
        pd.DataFrame(
            {
                "Component": components["label"],
                "Key": components["component"],
                "Weight": components["weight"].map(lambda w: fmt.number(w, 0)),
                "Average score": components["average_score"].map(fmt.score),
                "Applies to": components["customers_applied"].map(lambda n: f"{n:,} accounts"),
                "Average points lost": components["average_points_lost"].map(fmt.score),
            }
        )
    )
    st.altair_chart(
        alt.Chart(components)
        .mark_bar()
        .encode(
            x=alt.X("average_score:Q", title="Average score (0-100)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=300)),
            tooltip=["label", alt.Tooltip("average_score:Q", format=".1f"), "customers_applied"],
        ),
        width="stretch",
    )
