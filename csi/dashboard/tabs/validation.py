"""Validation: how well the score and the churn model predicted renewals, metric by metric against
the targets and weights version beside weights version (fct_score_validation), lift by risk decile
(fct_score_lift_by_decile), the churn model's calibration (fct_churn_calibration_by_decile) and
revenue retention (fct_revenue_retention)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from csi.dashboard import format as fmt
from csi.dashboard.data import Published
from csi.dashboard.labels import EVERY, VALIDATION_METRICS
from csi.dashboard.layout import available, html_table

VALIDATION = "marts.fct_score_validation"
LIFT = "marts.fct_score_lift_by_decile"
CALIBRATION = "marts.fct_churn_calibration_by_decile"
RETENTION = "marts.fct_revenue_retention"
PORTFOLIO = "marts.fct_health_score_summary"
# The validation marts' row over every cohort quarter.
ALL_COHORTS = "All"
# The retention chart shows this many months up to the latest.
TREND_MONTHS = 24


def _metric_value(value: object, kind: str) -> str:
    if not fmt.finite(value):
        return fmt.MISSING
    return {
        "percent": fmt.percent(value),
        "times": f"{float(value):.2f}×",
        "days": f"{float(value):,.0f} days",
    }.get(kind, f"{float(value):.3f}")


def _current_version(published: Published, versions: list[str]) -> str:
    """The weights version the published scores use (the latest validated one if they are not published)."""
    if PORTFOLIO not in published.tables():
        return versions[-1]
    return published.query(
        f"select weights_version from {PORTFOLIO} where segment = ? and score_band = ?", EVERY, EVERY
    ).iloc[0, 0]


def _calibration_chart(published: Published, weights_version: str) -> None:
    """The churn model's calibration: mean predicted probability of each probability decile against
    the share that churned, beside the diagonal a perfectly calibrated model would follow."""
    st.markdown("**Calibration of the churn model**: predicted vs actual churn by probability decile")
    if not available(published, CALIBRATION):
        return
    deciles = published.query(
        f"select * from {CALIBRATION} where weights_version = ? and cohort_quarter = ? order by probability_decile",
        weights_version,
        ALL_COHORTS,
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


def render(published: Published) -> None:
    if not available(published, VALIDATION):
        return
    scores = published.query(f"select * from {VALIDATION} order by weights_version, cohort_quarter_start")
    versions = list(dict.fromkeys(scores["weights_version"]))
    st.subheader("Validation metrics vs targets" + (" — weights versions side by side" if len(versions) > 1 else ""))
    columns = [c for c in VALIDATION_METRICS if c in scores.columns]
    pooled = scores[scores["cohort_quarter"] == ALL_COHORTS].set_index("weights_version")
    st.caption(
        "Scores as they stood before each outcome, from the snapshot history; over all "
        f"{int(pooled['contracts'].iloc[-1]):,} ended contracts."
    )
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
                    f"Weights {version}": [
                        _metric_value(pooled.loc[version, c], VALIDATION_METRICS[c][1]) for c in columns
                    ]
                    for version in versions
                },
            }
        )
    )
    current = _current_version(published, versions)
    detail = scores[scores["weights_version"] == current]
    st.markdown(f"**By cohort quarter** (weights {current})")
    html_table(
        pd.DataFrame(
            {
                "Cohort": detail["cohort_quarter"],
                "Contracts": detail["contracts"].map(fmt.number),
                "Churned": detail["churned"].map(fmt.number),
                **{
                    VALIDATION_METRICS[c][0].split(" (")[0]: detail[c].map(
                        lambda v, k=VALIDATION_METRICS[c][1]: _metric_value(v, k)
                    )
                    for c in columns
                },
            }
        )
    )
    if available(published, LIFT):
        deciles = published.query(f"select * from {LIFT} where weights_version = ? order by risk_decile", current)
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
            _calibration_chart(published, current)
        html_table(
            pd.DataFrame(
                {
                    "Risk decile": deciles["risk_decile"],
                    "Contracts": deciles["contracts"].map(fmt.number),
                    "Churned": deciles["churned"].map(fmt.number),
                    "Health scores": [
                        f"{fmt.score(a)}–{fmt.score(b)}"
                        for a, b in zip(deciles["min_health_score"], deciles["max_health_score"])
                    ],
                    "Churn rate": deciles["churn_rate"].map(fmt.percent),
                    "Lift": deciles["lift"].map(lambda v: _metric_value(v, "times")),
                }
            )
        )
    if RETENTION in published.tables():
        _retention(published)


def _retention(published: Published) -> None:
    st.subheader(f"Revenue retention, last {TREND_MONTHS} months")
    retention = published.query(
        f"select month_start, nrr, grr, logo_retention from {RETENTION} where segment = ? "
        f"order by month_start desc limit {TREND_MONTHS}",
        EVERY,
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
