"""Executive: the month-end headline figures with their change against the month and the quarter before,
their trends and logo churn by segment (fct_executive_summary), cohort retention curves, whole and by
behavioural cohort (fct_cohort_retention), the value × health matrix (fct_value_health_matrix), and a
one-click CSV of the tab's figures for a deck."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from csi.dashboard import format as fmt
from csi.dashboard.data import Published
from csi.dashboard.labels import BAND_ORDER, EVERY, SEGMENT_ORDER, Labels, choices, every
from csi.dashboard.layout import available, html_table

SUMMARY = "marts.fct_executive_summary"
COHORTS = "marts.fct_cohort_retention"
MATRIX = "marts.fct_value_health_matrix"
# The trend charts show this many months up to the latest; the cohort chart this many start quarters.
TREND_MONTHS = 24
COHORT_CURVES = 8
# fct_cohort_retention's usage_cohort for accounts whose early feature use is unknown.
UNMEASURED = "unmeasured"
RATES = {"grr": "GRR", "nrr": "NRR", "logo_retention": "Logo retention", "expansion_rate": "Expansion rate"}
BANDS = {"Healthy": "healthy", "Watch": "watch", "At Risk": "at_risk", "Critical": "critical"}
EXPORT_COLUMNS = ["month_end", "segment", "section", "figure", "value", "change_vs_previous_month",
                  "change_vs_previous_quarter"]


def _value(value: object, kind: str) -> str:
    if not fmt.finite(value):
        return fmt.MISSING
    return {
        "count": f"{int(value):,}",
        "money": fmt.money_short(value),
        "score": fmt.score(value),
        "share": fmt.percent(value),
        "days": f"{float(value):,.0f} days",
    }[kind]


def _change(value: object, kind: str) -> str:
    if not fmt.finite(value):
        return fmt.MISSING
    amount = float(value)
    sign = "+" if amount >= 0 else "-"
    return {
        "count": f"{amount:+,.0f}",
        "money": f"{sign}{fmt.money_short(abs(amount))}",
        "score": f"{amount:+.1f}",
        "share": fmt.signed_pp(100 * amount),
        "days": f"{amount:+,.0f} days",
    }[kind]


def export_frame(latest: pd.Series, labels: Labels) -> pd.DataFrame:
    """The tab's figures for one month and segment as rows (section, figure, value and its changes), the
    values as the mart holds them: what the download button writes as CSV."""
    rows = [
        ("Headline", label, latest[column], latest[f"{column}_change_month"], latest[f"{column}_change_quarter"])
        for column, (label, _) in labels.executive_figures.items()
    ]
    for band, column in BANDS.items():
        rows.append(("Customers by band", band, latest[f"band_{column}_customers"], None, None))
        rows.append(("ARR by band", band, latest[f"band_{column}_arr"], None, None))
    for window in ("near", "far"):
        heading = labels.renewals_due(window)
        rows.append((heading, "Contracts", latest[f"renewals_due_{window}"], None, None))
        rows.append((heading, "ARR", latest[f"renewals_due_{window}_arr"], None, None))
        rows.append((heading, "At-risk contracts", latest[f"renewals_due_{window}_at_risk"], None, None))
        rows.append((heading, "At-risk ARR", latest[f"renewals_due_{window}_at_risk_arr"], None, None))
    frame = pd.DataFrame(rows, columns=EXPORT_COLUMNS[2:])
    frame.insert(0, "segment", latest["segment"])
    frame.insert(0, "month_end", latest["month_end"])
    return frame


def _headline(latest: pd.Series, labels: Labels) -> None:
    figures = labels.executive_figures
    for column_group in (list(figures)[:5], list(figures)[5:]):
        for column, name in zip(st.columns(len(column_group)), column_group, strict=True):
            label, kind = figures[name]
            column.metric(label, _value(latest[name], kind), delta=_change(latest[f"{name}_change_month"], kind),
                          delta_color="inverse" if name in ("at_risk_arr_share", "time_to_value_days") else "normal")
    html_table(
        pd.DataFrame(
            {
                "Figure": [label for label, _ in figures.values()],
                "Value": [_value(latest[name], kind) for name, (_, kind) in figures.items()],
                "vs previous month": [_change(latest[f"{name}_change_month"], kind) for name, (_, kind) in figures.items()],
                "vs previous quarter": [
                    _change(latest[f"{name}_change_quarter"], kind) for name, (_, kind) in figures.items()
                ],
            }
        )
    )


def _bands_and_renewals(latest: pd.Series, labels: Labels) -> None:
    left, right = st.columns(2)
    with left:
        st.markdown("**Customers and ARR by band**")
        html_table(
            pd.DataFrame(
                {
                    "Band": list(BANDS),
                    "Customers": [_value(latest[f"band_{c}_customers"], "count") for c in BANDS.values()],
                    "ARR": [fmt.money(latest[f"band_{c}_arr"]) for c in BANDS.values()],
                }
            )
        )
    with right:
        st.markdown("**Renewals due**")
        html_table(
            pd.DataFrame(
                {
                    "Window": [labels.renewals_due(window) for window in ("near", "far")],
                    "Contracts": [_value(latest[f"renewals_due_{w}"], "count") for w in ("near", "far")],
                    "ARR": [fmt.money(latest[f"renewals_due_{w}_arr"]) for w in ("near", "far")],
                    f"In the {labels.items('at_risk_bands')} band": [
                        f"{_value(latest[f'renewals_due_{w}_at_risk'], 'count')} · "
                        f"{fmt.money(latest[f'renewals_due_{w}_at_risk_arr'])}"
                        for w in ("near", "far")
                    ],
                }
            )
        )


def _trends(published: Published, segment: str, labels: Labels) -> None:
    trend = published.query(
        f"select month_start, grr, nrr, logo_retention, expansion_rate, average_health_score, at_risk_arr_share "
        f"from {SUMMARY} where segment = ? order by month_start desc limit {TREND_MONTHS}",
        segment,
    )
    st.subheader(f"Trends, last {TREND_MONTHS} months")
    left, right = st.columns(2)
    rates = trend.melt("month_start", value_vars=list(RATES), var_name="measure", value_name="rate")
    rates["measure"] = rates["measure"].map(RATES)
    left.markdown(f"**Retention and expansion** ({labels.executive_window})")
    left.altair_chart(
        alt.Chart(rates.dropna())
        .mark_line(point=True)
        .encode(
            x=alt.X("month_start:T", title=None),
            y=alt.Y("rate:Q", title=None, axis=alt.Axis(format="%"), scale=alt.Scale(zero=False)),
            color=alt.Color("measure:N", title=None),
            tooltip=[alt.Tooltip("month_start:T", format="%b %Y"), "measure", alt.Tooltip("rate:Q", format=".1%")],
        )
        .properties(height=260),
        width="stretch",
    )
    health = trend.dropna(subset=["average_health_score"])
    right.markdown("**Average health score and at-risk ARR share** (from the score history)")
    base = alt.Chart(health).encode(x=alt.X("month_start:T", title=None))
    right.altair_chart(
        alt.layer(
            base.mark_line(point=True, color="#1565c0").encode(
                y=alt.Y("average_health_score:Q", title="Average health score", scale=alt.Scale(zero=False)),
                tooltip=[alt.Tooltip("month_start:T", format="%b %Y"), alt.Tooltip("average_health_score:Q", format=".1f")],
            ),
            base.mark_bar(opacity=0.35, color="#c62828").encode(
                y=alt.Y("at_risk_arr_share:Q", title="At-risk ARR share", axis=alt.Axis(format="%")),
                tooltip=[alt.Tooltip("month_start:T", format="%b %Y"), alt.Tooltip("at_risk_arr_share:Q", format=".1%")],
            ),
        )
        .resolve_scale(y="independent")
        .properties(height=260),
        width="stretch",
    )


def _logo_churn(summary: pd.DataFrame, labels: Labels) -> None:
    st.subheader(f"Logo churn by segment ({labels.executive_window})")
    order = choices(summary["segment"], SEGMENT_ORDER)
    by_segment = summary.set_index("segment").reindex(order[1:] + order[:1]).reset_index()
    left, right = st.columns([2, 3])
    left.altair_chart(
        alt.Chart(by_segment[by_segment["segment"] != EVERY])
        .mark_bar()
        .encode(
            x=alt.X("segment:N", title=None, sort=SEGMENT_ORDER, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("logo_churn_rate:Q", title="Logo churn", axis=alt.Axis(format="%")),
            tooltip=["segment", "churned_customers", "starting_customers", alt.Tooltip("logo_churn_rate:Q", format=".1%")],
        )
        .properties(height=220),
        width="stretch",
    )
    with right:
        html_table(
            pd.DataFrame(
                {
                    "Segment": [every(s, "segments") for s in by_segment["segment"]],
                    "Customers at start": by_segment["starting_customers"].map(fmt.number),
                    "Churned": by_segment["churned_customers"].map(fmt.number),
                    "Logo churn": by_segment["logo_churn_rate"].map(fmt.percent),
                    "GRR": by_segment["grr"].map(fmt.percent),
                    "NRR": by_segment["nrr"].map(fmt.percent),
                }
            )
        )


def _cohorts(published: Published) -> None:
    if COHORTS not in published.tables():
        return
    st.subheader("Cohort retention curves")
    curves = published.query(
        f"select cohort_quarter, cohort_quarter_start, quarters_since_start, logo_retention, revenue_retention "
        f"from {COHORTS} where usage_cohort = ? and cohort_quarter_start in (select distinct cohort_quarter_start "
        f"from {COHORTS} order by cohort_quarter_start desc limit {COHORT_CURVES}) "
        "order by cohort_quarter_start, quarters_since_start",
        EVERY,
    )
    left, right = st.columns(2)
    left.markdown(f"**Logo retention by start quarter** (the latest {COHORT_CURVES})")
    left.altair_chart(
        alt.Chart(curves)
        .mark_line(point=True)
        .encode(
            x=alt.X("quarters_since_start:O", title="Quarters since start"),
            y=alt.Y("logo_retention:Q", title=None, axis=alt.Axis(format="%"), scale=alt.Scale(zero=False)),
            color=alt.Color("cohort_quarter:N", title="Start quarter"),
            tooltip=["cohort_quarter", "quarters_since_start", alt.Tooltip("logo_retention:Q", format=".1%"),
                     alt.Tooltip("revenue_retention:Q", format=".1%")],
        )
        .properties(height=260),
        width="stretch",
    )
    behavioural = published.query(
        f"select cohort_quarter, usage_cohort, quarters_since_start, cohort_accounts, logo_retention from {COHORTS} "
        "where usage_cohort not in (?, ?) order by cohort_quarter_start, usage_cohort, quarters_since_start",
        EVERY,
        UNMEASURED,
    )
    with right:
        if behavioural.empty:
            st.info("No start quarter has accounts whose first weeks of feature use the product history covers yet.")
            return
        quarters = list(dict.fromkeys(behavioural["cohort_quarter"]))
        quarter = st.selectbox("Behavioural cohorts of the start quarter", quarters, index=0, key="executive_cohort")
        shown = behavioural[behavioural["cohort_quarter"] == quarter]
        st.altair_chart(
            alt.Chart(shown)
            .mark_line(point=True)
            .encode(
                x=alt.X("quarters_since_start:O", title="Quarters since start"),
                y=alt.Y("logo_retention:Q", title="Logo retention", axis=alt.Axis(format="%"), scale=alt.Scale(zero=False)),
                color=alt.Color("usage_cohort:N", title="Early feature use"),
                tooltip=["usage_cohort", "cohort_accounts", "quarters_since_start",
                         alt.Tooltip("logo_retention:Q", format=".1%")],
            )
            .properties(height=220),
            width="stretch",
        )


def _matrix(published: Published, labels: Labels) -> None:
    if not available(published, MATRIX):
        return
    st.subheader("Value × health")
    st.caption(
        "Customers and ARR today by ARR tier and band, and the churn rate of the contracts whose account was in "
        f"the band {labels.lookback} before the contract ended (never today's band)."
    )
    matrix = published.query(f"select * from {MATRIX} order by tier_rank nulls last, score_band")
    matrix["cell"] = [
        f"{customers:,} · {fmt.money_short(arr)} · churn {fmt.percent(rate)}"
        for customers, arr, rate in zip(matrix["customers"], matrix["arr"], matrix["churn_rate"], strict=True)
    ]
    tiers = list(dict.fromkeys(matrix["arr_tier"]))
    table = matrix.pivot(index="arr_tier", columns="score_band", values="cell")
    table = table.reindex(index=tiers, columns=[b for b in [*BAND_ORDER, EVERY] if b in table.columns])
    table.index = [every(tier, "tiers") for tier in table.index]
    table.columns = [every(band, "bands") for band in table.columns]
    html_table(table.rename_axis("ARR tier").reset_index())


def render(published: Published) -> None:
    if not available(published, SUMMARY):
        return
    labels = Labels.of(published)
    latest_month = published.query(f"select max(month_start) as month_start from {SUMMARY}").iloc[0, 0]
    summary = published.query(f"select * from {SUMMARY} where month_start = ?", latest_month)
    segments = choices(summary["segment"], SEGMENT_ORDER)
    segment = st.selectbox("Segment", segments, format_func=lambda s: every(s, "segments"), key="executive_segment")
    latest = summary.set_index("segment").loc[segment].copy()
    latest["segment"] = segment
    st.subheader(f"Month ending {fmt.day(latest['month_end'])} · {every(segment, 'segments')}")
    st.caption(
        f"Every figure as it stood at the month's end; retention, expansion and time to value over the "
        f"{labels.executive_window}. Changes are against the month before and three months before."
    )
    _headline(latest, labels)
    export = export_frame(latest, labels)
    st.download_button(
        "Download these figures (CSV)",
        export.to_csv(index=False).encode(),
        file_name=f"executive_summary_{pd.Timestamp(latest['month_end']):%Y-%m}_{segment}.csv",
        mime="text/csv",
        key="executive_export",
    )
    _bands_and_renewals(latest, labels)
    _trends(published, segment, labels)
    _logo_churn(summary, labels)
    _cohorts(published)
    _matrix(published, labels)
