"""Validation: how well the score and the churn model predicted renewals, metric by metric against
the targets with their confidence intervals, weights version beside weights version, by cohort
quarter and by segment (fct_score_validation); each component's own predictive power
(fct_component_validation); the surprise churns to investigate (fct_surprise_churns); score drift
(fct_score_drift, fct_score_distribution); lift by risk decile (fct_score_lift_by_decile), the churn
model's calibration (fct_churn_calibration_by_decile) and revenue retention (fct_revenue_retention)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from csi.dashboard import format as fmt
from csi.dashboard.data import Published
from csi.dashboard.labels import BAND_COLOURS, BAND_ORDER, EVERY, VALIDATION_METRICS, Labels
from csi.dashboard.layout import available, html_table

VALIDATION = "marts.fct_score_validation"
LIFT = "marts.fct_score_lift_by_decile"
CALIBRATION = "marts.fct_churn_calibration_by_decile"
COMPONENTS = "marts.fct_component_validation"
SURPRISES = "marts.fct_surprise_churns"
DRIFT = "marts.fct_score_drift"
DISTRIBUTION = "marts.fct_score_distribution"
RETENTION = "marts.fct_revenue_retention"
PORTFOLIO = "marts.fct_health_score_summary"
# The validation marts' row over every cohort quarter, and over every segment.
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


def _with_interval(row: pd.Series, column: str, kind: str) -> str:
    """A metric with its confidence interval when it has one: 0.795 (0.725–0.866)."""
    value = _metric_value(row[column], kind)
    low, high = row.get(f"{column}_ci_low"), row.get(f"{column}_ci_high")
    if value == fmt.MISSING or not (fmt.finite(low) and fmt.finite(high)):
        return value
    return f"{value} ({_metric_value(low, kind)}–{_metric_value(high, kind)})"


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
    scores = published.query(f"select * from {VALIDATION} order by weights_version, cohort_quarter_start, segment")
    versions = list(dict.fromkeys(scores["weights_version"]))
    st.subheader("Validation metrics vs targets" + (" — weights versions side by side" if len(versions) > 1 else ""))
    columns = [c for c in VALIDATION_METRICS if c in scores.columns]
    pooled = scores[(scores["cohort_quarter"] == ALL_COHORTS) & (scores["segment"] == EVERY)].set_index("weights_version")
    st.caption(
        "Scores as they stood before each outcome, from the snapshot history; over all "
        f"{int(pooled['contracts'].iloc[-1]):,} ended contracts; in brackets, the confidence interval "
        f"(z = {Labels.of(published).value('validation_confidence_z')}). A slice with fewer than "
        f"{Labels.of(published).value('validation_min_count')} churned or renewed contracts withholds its metrics."
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
                        _with_interval(pooled.loc[version], c, VALIDATION_METRICS[c][1]) for c in columns
                    ]
                    for version in versions
                },
            }
        )
    )
    current = _current_version(published, versions)
    mine = scores[scores["weights_version"] == current]
    st.markdown(f"**By cohort quarter** (weights {current}, every segment)")
    _slices(mine[mine["segment"] == EVERY], "Cohort", "cohort_quarter", columns)
    st.markdown(f"**By segment** (weights {current}, every quarter)")
    _slices(mine[(mine["cohort_quarter"] == ALL_COHORTS) & (mine["segment"] != EVERY)], "Segment", "segment", columns)
    if COMPONENTS in published.tables():
        _components(published)
    if SURPRISES in published.tables():
        _surprise_churns(published)
    if DRIFT in published.tables():
        _drift(published)
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


def _slices(rows: pd.DataFrame, title: str, column: str, metrics: list[str]) -> None:
    """One row per slice: its counts, each metric with its interval, and why a metric is withheld."""
    html_table(
        pd.DataFrame(
            {
                title: rows[column],
                "Contracts": rows["contracts"].map(fmt.number),
                "Churned": rows["churned"].map(fmt.number),
                **{
                    VALIDATION_METRICS[c][0].split(" (")[0]: [
                        _with_interval(row, c, VALIDATION_METRICS[c][1]) for _, row in rows.iterrows()
                    ]
                    for c in metrics
                },
                "Withheld": rows["withheld_reason"].fillna(""),
            }
        )
    )


def _components(published: Published) -> None:
    """Each component's own AUC, lift and correlation with retention beside its weight."""
    st.subheader("What each component predicts on its own")
    rows = published.query(
        f"select * from {COMPONENTS} where cohort_quarter = ? and segment = ? order by auc desc nulls last",
        ALL_COHORTS, EVERY,
    )
    st.caption(f"Each component's score {Labels.of(published).days('forecast_lookback_days')} before the contract's end "
               "against the outcome, over the renewals it applied to: an AUC of 0.5 is no signal.")
    html_table(
        pd.DataFrame(
            {
                "Component": rows["label"].fillna(rows["component"]),
                "Weight": rows["weight"].map(fmt.number),
                "Renewals": rows["contracts"].map(fmt.number),
                "Churned": rows["churned"].map(fmt.number),
                "AUC": [_with_interval(row, "auc", "ratio") for _, row in rows.iterrows()],
                "Lift at top decile": [_with_interval(row, "lift_top_decile", "times") for _, row in rows.iterrows()],
                "Correlation with retention": [_with_interval(row, "correlation", "ratio") for _, row in rows.iterrows()],
                "Withheld": rows["withheld_reason"].fillna(""),
            }
        )
    )


def _surprise_churns(published: Published) -> None:
    """The churns the score did not flag 60 days ahead, with what it said then."""
    rows = published.query(f"select * from {SURPRISES} order by end_date desc, arr desc")
    st.subheader(f"Surprise churns ({len(rows):,})")
    st.caption(f"Churned contracts whose score {Labels.of(published).days('forecast_lookback_days')} before the end was "
               "at or above the at-risk line: what the score said then, to investigate one by one.")
    html_table(
        pd.DataFrame(
            {
                "Account": rows["account_name"],
                "CSM": rows["csm_name"].fillna(fmt.MISSING),
                "Segment": rows["segment"],
                "Ended": rows["end_date"].map(fmt.day),
                "ARR": rows["arr"].map(fmt.money),
                "Score then": rows["health_score"].map(fmt.score),
                "At-risk line": rows["at_risk_below_score"].map(fmt.score),
                "Churn probability then": rows["churn_probability"].map(fmt.percent),
                "Top drivers": [
                    ", ".join(d for d in drivers if isinstance(d, str))
                    for drivers in zip(rows["top_driver_1"], rows["top_driver_2"], rows["top_driver_3"])
                ],
            }
        )
    )


def _drift(published: Published) -> None:
    """The score distribution month by month, with its stability index against the reference month."""
    drift = published.query(f"select * from {DRIFT} where segment = ? order by month_start", EVERY)
    if drift.empty:
        return
    st.subheader("Score drift")
    st.caption(f"Population stability index of the month-end scores against {fmt.day(drift['reference_month_start'].iloc[0])}'s: "
               f"stable up to {drift['score_psi_target'].iloc[0]:g}, significant past {drift['score_psi_red_flag'].iloc[0]:g}.")
    left, right = st.columns(2)
    with left:
        long = drift.melt("month_start", ["score_psi", "band_psi"], var_name="index", value_name="psi")
        long["index"] = long["index"].map({"score_psi": "Score bins", "band_psi": "Bands"})
        st.altair_chart(
            alt.Chart(long).mark_line(point=True).encode(
                x=alt.X("month_start:T", title=None),
                y=alt.Y("psi:Q", title="PSI vs the reference month"),
                color=alt.Color("index:N", title=None),
                tooltip=[alt.Tooltip("month_start:T", format="%b %Y"), "index", alt.Tooltip("psi:Q", format=".3f")],
            ).properties(height=260),
            width="stretch",
        )
    with right:
        bands = published.query(
            f"select month_start, bucket, bucket_order, share from {DISTRIBUTION} "
            "where segment = ? and bucket_type = 'band' order by month_start, bucket_order", EVERY,
        )
        st.altair_chart(
            alt.Chart(bands).mark_area().encode(
                x=alt.X("month_start:T", title=None),
                y=alt.Y("share:Q", title="Share of accounts", axis=alt.Axis(format="%")),
                color=alt.Color("bucket:N", title="Band", sort=BAND_ORDER,
                                scale=alt.Scale(domain=BAND_ORDER, range=BAND_COLOURS)),
                order=alt.Order("bucket_order:Q"),
                tooltip=[alt.Tooltip("month_start:T", format="%b %Y"), "bucket", alt.Tooltip("share:Q", format=".1%")],
            ).properties(height=260),
            width="stretch",
        )
    html_table(
        pd.DataFrame(
            {
                "Month": drift["month_start"].map(lambda d: pd.Timestamp(d).strftime("%b %Y")),
                "Accounts": drift["accounts"].map(fmt.number),
                "Mean score": drift["avg_health_score"].map(fmt.score),
                "Median (P25–P75)": [
                    f"{fmt.score(m)} ({fmt.score(a)}–{fmt.score(b)})"
                    for m, a, b in zip(drift["median_health_score"], drift["p25_health_score"], drift["p75_health_score"])
                ],
                "At risk": drift["at_risk_share"].map(fmt.percent),
                "Score PSI": drift["score_psi"].map(lambda v: _metric_value(v, "ratio")),
                "Band PSI": drift["band_psi"].map(lambda v: _metric_value(v, "ratio")),
                "Drift": drift["drift_status"].fillna(fmt.MISSING),
            }
        )
    )


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
