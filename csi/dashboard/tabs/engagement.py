"""Engagement: the engagement KPIs against their targets (fct_engagement_kpis), HubSpot e-mail engagement
and product usage by segment (fct_engagement_by_segment), the least engaged customers
(fct_account_email_engagement) and those whose usage is falling (fct_account_usage)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from csi.dashboard import format as fmt
from csi.dashboard.data import Published
from csi.dashboard.labels import EVERY, SEGMENT_ORDER, Labels, choices, every
from csi.dashboard.layout import account_link, available, html_table, metric_row

KPIS = "marts.fct_engagement_kpis"
BY_SEGMENT = "marts.fct_engagement_by_segment"
EMAIL = "marts.fct_account_email_engagement"
USAGE = "marts.fct_account_usage"
QUIET_ROWS = 15
DECLINING_ROWS = 20


def _kpis(published: Published) -> None:
    st.subheader("Engagement KPIs vs targets")
    if not available(published, KPIS):
        return
    kpis = published.query(f"select * from {KPIS} order by display_order")
    html_table(
        pd.DataFrame(
            {
                "KPI": kpis["kpi"],
                "Rate": kpis["rate"].map(fmt.percent),
                "Numerator": kpis["numerator"].map(fmt.number),
                "Denominator": kpis["denominator"].map(fmt.number),
                "Target": kpis["target"].map(lambda t: fmt.percent(t, 0)),
                "vs Target": [
                    fmt.status(fmt.signed_pp(100 * gap), bool(met)) if fmt.finite(gap) else fmt.MISSING
                    for gap, met in zip(kpis["vs_target"], kpis["meets_target"], strict=True)
                ],
            }
        ),
        escape=False,
    )


def render(published: Published) -> None:
    labels = Labels.of(published)
    _kpis(published)
    st.subheader(labels.email_heading)
    if not available(published, BY_SEGMENT):
        return
    by_segment = published.query(f"select * from {BY_SEGMENT}").set_index("segment")
    order = choices(by_segment.index, SEGMENT_ORDER)
    by_segment = by_segment.loc[order[1:] + order[:1]]  # the segments, then all of them
    overall = by_segment.loc[EVERY]
    metric_row(
        {
            "Open rate": fmt.percent(overall["open_rate"]),
            "Click rate": fmt.percent(overall["click_rate"]),
            labels.qbr_coverage: fmt.percent(overall["qbr_coverage"]),
            "Value-driven e-mail coverage": fmt.percent(overall["value_driven_email_coverage"]),
        }
    )
    html_table(
        pd.DataFrame(
            {
                "Segment": [every(s, "segments") for s in by_segment.index],
                "Accounts": by_segment["customers"].map(fmt.number),
                "E-mails delivered": by_segment["emails_delivered"].map(fmt.number),
                "Open rate": by_segment["open_rate"].map(fmt.percent),
                "Click rate": by_segment["click_rate"].map(fmt.percent),
                "Bounce rate": by_segment["bounce_rate"].map(fmt.percent),
                labels.qbr_coverage: by_segment["qbr_coverage"].map(fmt.percent),
                "Value-driven coverage": by_segment["value_driven_email_coverage"].map(fmt.percent),
            }
        )
    )
    if available(published, EMAIL):
        st.markdown("**Least engaged customers** (lowest open rate among those who received e-mail)")
        quiet = published.query(
            "select account_id, account_name, segment, emails_delivered, open_rate, click_rate, has_qbr_coverage "
            f"from {EMAIL} where emails_delivered > 0 order by open_rate, emails_delivered desc, account_id "
            f"limit {QUIET_ROWS}"
        )
        html_table(
            pd.DataFrame(
                {
                    "Account": [account_link(a, n) for a, n in zip(quiet["account_id"], quiet["account_name"])],
                    "Segment": quiet["segment"],
                    "Delivered": quiet["emails_delivered"].map(fmt.number),
                    "Open rate": quiet["open_rate"].map(fmt.percent),
                    "Click rate": quiet["click_rate"].map(fmt.percent),
                    labels.qbr_coverage: quiet["has_qbr_coverage"].map({True: "yes", False: "no"}),
                }
            ),
            escape=False,
        )

    st.subheader("Product usage")
    metric_row(
        {
            labels.seat_utilisation: fmt.percent_points(overall["average_seat_utilisation_pct"]),
            labels.usage_declining: f"{int(overall['declining_usage_customers']):,}",
        }
    )
    if not available(published, USAGE):
        return
    declining = published.query(
        "select account_id, account_name, segment, licensed_seats, monthly_active_users, seat_utilisation_pct, "
        f"mom_change_pct, wow_change_pct from {USAGE} where is_usage_declining "
        f"order by mom_change_pct, account_id limit {DECLINING_ROWS}"
    )
    if declining.empty:
        st.info(labels.no_usage_declining)
        return
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
