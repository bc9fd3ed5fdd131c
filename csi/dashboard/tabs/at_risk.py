"""At-Risk Accounts: the at-risk list (fct_at_risk_accounts) with score sparklines, filtered by CSM,
segment, band and risk level, and its totals for the chosen filters (fct_at_risk_summary)."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from csi.dashboard import format as fmt
from csi.dashboard.data import Published
from csi.dashboard.labels import BAND_ORDER, EVERY, RISK_ORDER, SEGMENT_ORDER, Labels, choices, every
from csi.dashboard.layout import account_link, available, html_table, metric_row

LIST = "marts.fct_at_risk_accounts"
SUMMARY = "marts.fct_at_risk_summary"
ROWS = 50
FILTERS = ("csm_owner_id", "segment", "score_band", "risk_level")


def _options(summary: pd.DataFrame, column: str, order: list[str]) -> list[str]:
    """'all' and each value of one filter that has a summary row with every other filter at 'all'."""
    others = [c for c in FILTERS if c != column]
    return choices(summary[(summary[others] == EVERY).all(axis=1)][column], order)


def render(published: Published) -> None:
    if not available(published, LIST, SUMMARY):
        return
    labels = Labels.of(published)
    st.caption(labels.at_risk_listed)
    summary = published.query(f"select * from {SUMMARY}")
    csms = summary.dropna(subset=["csm_name"]).set_index("csm_owner_id")["csm_name"].to_dict()
    columns = st.columns(4)
    chosen = {
        "csm_owner_id": columns[0].selectbox(
            "CSM",
            _options(summary, "csm_owner_id", sorted(csms, key=csms.get)),
            format_func=lambda c: csms.get(c, every(c, "CSMs")),
        ),
        "segment": columns[1].selectbox(
            "Segment", _options(summary, "segment", SEGMENT_ORDER), format_func=lambda s: every(s, "segments")
        ),
        "score_band": columns[2].selectbox(
            "Band", _options(summary, "score_band", BAND_ORDER), format_func=lambda b: every(b, "bands")
        ),
        "risk_level": columns[3].selectbox(
            "Risk level", _options(summary, "risk_level", RISK_ORDER), format_func=lambda r: every(r, "risk levels")
        ),
    }
    match = summary[(summary[list(FILTERS)] == pd.Series(chosen)).all(axis=1)]
    # No summary row for a combination means no account in it.
    totals = match.iloc[0] if not match.empty else pd.Series({"accounts": 0, "arr": 0.0, "revenue_at_risk": 0.0})
    accounts = int(totals["accounts"])
    metric_row(
        {
            "Accounts at risk": f"{accounts:,}",
            "Their ARR": fmt.money_short(totals["arr"]),
            "Revenue at risk": fmt.money_short(totals["revenue_at_risk"]),
        }
    )
    if not accounts:
        st.info("No at-risk account matches these filters.")
        return
    filtered = {column: value for column, value in chosen.items() if value != EVERY}
    where = " and ".join(f"{column} = ?" for column in filtered) or "true"
    rows = published.query(
        f"select * from {LIST} where {where} order by revenue_at_risk_rank limit {ROWS}", *filtered.values()
    )
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
                "At risk": rows["is_at_risk"].map({True: "yes", False: "churn risk only"}),
                "CSM": rows["csm_name"].fillna(fmt.MISSING).map(html.escape),
                labels.csat_trend: [
                    fmt.trend(now, change) for now, change in zip(rows["survey_csat"], rows["survey_csat_change"])
                ],
                f"Score, last {len(weeks)} weeks": [
                    fmt.sparkline(tuple(values)) for values in rows[weeks].itertuples(index=False)
                ],
            }
        ),
        escape=False,
    )
    if accounts > len(rows):
        st.caption(f"The {len(rows)} with the most revenue at risk of {accounts:,}; filter to see others.")
    st.caption("Click an account to open its drill: components, score history, recent activities.")
