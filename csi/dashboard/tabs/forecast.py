"""Forecast Accuracy: per cohort quarter of contract end, how well the churn probability as it stood
before the end predicted the outcome, against the targets, and which cohorts are still warming up
(fct_renewal_forecast_accuracy)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from csi.dashboard import format as fmt
from csi.dashboard.data import Published
from csi.dashboard.labels import Labels
from csi.dashboard.layout import available, html_table

FORECAST = "marts.fct_renewal_forecast_accuracy"


def render(published: Published) -> None:
    if not available(published, FORECAST):
        return
    labels = Labels.of(published)
    cohorts = published.query(f"select * from {FORECAST} order by cohort_quarter_start")
    first = cohorts.iloc[0]  # targets and the warm-up date are the same on every row
    st.markdown(
        "Nightly snapshots of the churn model's probability per contract: for every contract whose end date "
        f"has passed, the probability as it stood {labels.lookback} before the end is compared with the actual renewal "
        f"outcome. Targets: early-warning rate ≥ {fmt.percent(first['early_warning_target'], 0)}, "
        f"forecast variance within ±{fmt.number(first['variance_target_pp'])} pp."
    )
    eligible = cohorts[cohorts["status"] == "eligible"]
    if eligible.empty:
        st.info(f"No cohort has {labels.lookback} of snapshot history yet: the backtest is warming up.")
    else:
        html_table(
            pd.DataFrame(
                {
                    "Cohort Quarter": eligible["cohort_quarter"],
                    "Contracts": eligible["contracts"].map(fmt.number),
                    "Actually Churned": eligible["actually_churned"].map(fmt.number),
                    labels.flagged: eligible["flagged_60d"].map(fmt.number),
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
    if pd.notna(first["eligible_from_date"]):
        st.markdown(
            f"Contracts ending from **{fmt.day(first['eligible_from_date'])}** have {labels.lookback} of snapshot history "
            "behind them and are measured; earlier ones are not counted as zero. Contracts still in their renewal "
            "grace period are counted once their outcome is known."
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
    if len(eligible) == len(cohorts):
        st.caption("Every cohort quarter is eligible.")
