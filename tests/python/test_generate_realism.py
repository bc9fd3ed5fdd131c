"""The generated business behaves like a real one: plausible churn, retention and cohorts, a churn
model that is useful but imperfect, and activity, usage, e-mail, tickets and surveys that follow
the hidden account health (read back from _truth)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pytest

if TYPE_CHECKING:
    from tests.python.conftest import Generated


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney), ties counted half."""
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(scores.size)
    ranks[order] = np.arange(1, scores.size + 1)
    for value in np.unique(
        scores[np.unique(scores, return_counts=True)[1][np.searchsorted(np.unique(scores), scores)] > 1]
    ):
        ranks[scores == value] = ranks[scores == value].mean()
    positives = labels.astype(bool)
    n1, n0 = positives.sum(), (~positives).sum()
    return float((ranks[positives].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def per_account_health_sql(today: str, days: int) -> str:
    return f"""
        select w.account_id, any_value(a.segment_c) as segment_c, avg(w.latent_health) as health
        from truth_health_weekly w join salesforce_account a on a.id = w.account_id
        where w.week_start >= date '{today}' - {days} group by w.account_id
    """


def test_annual_logo_churn_is_plausible(generated: Generated) -> None:
    active, churned = (
        generated.connect()
        .execute(
            f"""
        with life as (
            select account_id, min(cast(start_date as date)) as first_start, max(cast(end_date as date)) as last_end
            from salesforce_contract group by 1
        ),
        cohort as (
            select life.*, a.account_status_c from life join salesforce_account a on a.id = life.account_id
            where first_start <= date '{generated.today}' - 365 and last_end >= date '{generated.today}' - 365
        )
        select count(*), count(*) filter (where account_status_c = 'Churned') from cohort
        """
        )
        .fetchone()
    )
    assert active > 400
    assert 0.08 <= churned / active <= 0.20


def test_churn_model_ranks_renewals_60_days_ahead_with_auc_between_070_and_090(generated: Generated) -> None:
    rows = (
        generated.connect()
        .execute(
            """
        select p.churn_probability, t.churned
        from truth_contract t
        join history_ml_churn_prediction p
          on p.contract_id = t.contract_id
         and p.valid_from <= t.end_date - 60 and (p.valid_to is null or p.valid_to > t.end_date - 60)
        where t.churned is not null
        """
        )
        .fetchall()
    )
    probability = np.array([r[0] for r in rows])
    churned = np.array([r[1] for r in rows])
    assert churned.size > 400 and churned.sum() > 50
    assert 0.70 <= auc(probability, churned) <= 0.90
    # Calibrated: the mean prediction is close to the churn rate, and so within the riskiest fifth.
    assert abs(probability.mean() - churned.mean()) < 0.04
    riskiest = probability >= np.quantile(probability, 0.8)
    assert abs(probability[riskiest].mean() - churned[riskiest].mean()) < 0.08


def test_net_retention_differs_from_gross_retention(generated: Generated) -> None:
    start, retained, net = (
        generated.connect()
        .execute(
            f"""
        with arr_on as (
            select account_id,
                   sum(arr_c) filter (where cast(start_date as date) <= date '{generated.today}' - 366
                                      and cast(end_date as date) >= date '{generated.today}' - 366) as arr_then,
                   sum(arr_c) filter (where cast(start_date as date) <= date '{generated.today}' - 1
                                      and cast(end_date as date) >= date '{generated.today}' - 1) as arr_now
            from salesforce_contract group by 1
        )
        select sum(arr_then), sum(least(coalesce(arr_now, 0), arr_then)), sum(coalesce(arr_now, 0))
        from arr_on where arr_then > 0
        """
        )
        .fetchone()
    )
    grr, nrr = retained / start, net / start
    assert 0.75 <= grr <= 0.97
    assert 0.90 <= nrr <= 1.25
    assert nrr - grr > 0.03


def test_cohorts_segments_and_terms_look_like_the_business(generated: Generated) -> None:
    con = generated.connect()
    insider, enterprise, mid_market, smb = con.execute(
        "select avg(is_insider_c::int), avg((segment_c = 'Enterprise')::int), avg((segment_c = 'Mid-Market')::int), "
        "avg((segment_c = 'SMB')::int) from salesforce_account"
    ).fetchone()
    assert 0.28 <= insider <= 0.39
    assert 0.10 <= enterprise <= 0.20 and 0.29 <= mid_market <= 0.41 and 0.44 <= smb <= 0.56
    terms = dict(con.execute("select contract_term, count(*) from salesforce_contract group by 1").fetchall())
    assert set(terms) == {12, 24, 36}
    median_arr = dict(
        con.execute(
            "select a.segment_c, median(c.arr_c) from salesforce_contract c join salesforce_account a on a.id = c.account_id group by 1"
        ).fetchall()
    )
    assert median_arr["Enterprise"] > 2 * median_arr["Mid-Market"] > 4 * median_arr["SMB"]
    starts = con.execute(
        f"select count(*) filter (where cast(start_date as date) >= date '{generated.today}' - 365), count(*) "
        "from (select account_id, min(start_date) as start_date from salesforce_contract group by 1)"
    ).fetchone()
    assert 0.1 <= starts[0] / starts[1] <= 0.4  # new accounts keep arriving


def test_each_csm_owns_40_to_80_accounts_and_reports_to_a_manager(generated: Generated) -> None:
    con = generated.connect()
    loads = [
        n for (n,) in con.execute("select count(*) from salesforce_account group by owner_id").fetchall()
    ]
    assert 40 <= np.median(loads) <= 80
    unmanaged = con.execute("select count(*) from salesforce_user where manager_id is null").fetchone()[0]
    assert unmanaged == 1  # the VP


def test_usage_follows_latent_health(generated: Generated) -> None:
    rows = (
        generated.connect()
        .execute(
            f"""
        with health as ({per_account_health_sql(str(generated.today), 90)}),
        usage as (
            select account_id, sum(active_users) / sum(licensed_seats) as adoption, count(*) as active_days
            from product_usage_daily where usage_date >= date '{generated.today}' - 90 group by 1
        )
        select health.health, usage.adoption, usage.active_days from health join usage using (account_id)
        """
        )
        .fetchall()
    )
    health, adoption, days = (np.array(column) for column in zip(*rows))
    assert np.corrcoef(health, adoption)[0, 1] > 0.5
    assert np.corrcoef(health, days)[0, 1] > 0.2


def test_user_activity_has_dormant_seats_and_power_users_that_follow_health(generated: Generated) -> None:
    """Over the last 30 days of the user-level export: DAU/MAU and the shares of dormant seats and
    of users active on 12 or more days are in the ranges usage benchmarks give, and healthier
    accounts leave fewer seats dormant."""
    rows = (
        generated.connect()
        .execute(
            f"""
        with window_users as (
            select account_id, user_id, count(*) as active_days from product_user_activity_daily
            where activity_date > date '{generated.today}' - 31 group by all
        ),
        accounts as (
            select account_id, count(*) as mau, count(*) filter (where active_days >= 12) as power_users,
                sum(active_days) as user_days
            from window_users group by 1
        ),
        seats as (
            select account_id, max(licensed_seats) as seats from product_usage_daily
            where usage_date > date '{generated.today}' - 31 group by 1
        ),
        health as ({per_account_health_sql(str(generated.today), 30)})
        select health.health, accounts.mau, accounts.power_users, accounts.user_days, seats.seats
        from accounts join seats using (account_id) join health using (account_id)
        """
        )
        .fetchall()
    )
    health, mau, power, user_days, seats = (np.array(column, dtype=float) for column in zip(*rows))
    dormant = np.clip(seats - mau, 0, None) / seats
    assert 0.1 < np.median(user_days / 30 / mau) < 0.35  # DAU/MAU
    assert 0.03 < (seats - mau).clip(0).sum() / seats.sum() < 0.3
    assert 0.1 < power.sum() / mau.sum() < 0.3
    assert np.corrcoef(health, dormant)[0, 1] < -0.3


def test_user_activity_is_deterministic(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The same seed generates the same users on the same days with the same events."""
    from datetime import date

    import pyarrow.parquet as pq

    from csi.generate import generate

    tables = []
    for run in ("first", "second"):
        out = tmp_path_factory.mktemp(run)
        generate(out, accounts=120, seed=9, today=date(2025, 6, 1))
        tables.append(pq.read_table(out / "product" / "user_activity_daily.parquet"))
    assert tables[0].num_rows > 0 and tables[0].equals(tables[1])


def test_churned_accounts_visibly_decline_before_they_leave(generated: Generated) -> None:
    early, late = (
        generated.connect()
        .execute(
            """
        with churned as (
            select account_id, max(end_date) as last_end from truth_contract group by 1
            having bool_or(churned) and max(end_date) < max(end_date) + 1
        ),
        usage as (
            select u.account_id,
                   sum(u.active_users) filter (where u.usage_date between c.last_end - 240 and c.last_end - 180) as early,
                   sum(u.active_users) filter (where u.usage_date between c.last_end - 60 and c.last_end) as late
            from product_usage_daily u join churned c using (account_id) group by 1
        )
        select sum(early), sum(late) from usage where early > 0
        """
        )
        .fetchone()
    )
    assert late < 0.85 * early


def test_onboarding_kickoff_usually_within_14_days_training_within_30(generated: Generated) -> None:
    kickoff, training, accounts = (
        generated.connect()
        .execute(
            f"""
        with first as (select account_id, min(cast(start_date as date)) as first_start from salesforce_contract group by 1),
        activity as (
            select account_id, activity_type_c, cast(activity_date as date) as day from salesforce_event
            union all select account_id, activity_type_c, cast(activity_date as date) from salesforce_task
        ),
        onboarded as (
            select first.account_id,
                   bool_or(activity_type_c = 'Onboarding Kickoff' and day <= first_start + 14) as kickoff,
                   bool_or(activity_type_c = 'Training' and day <= first_start + 30) as training
            from first left join activity on activity.account_id = first.account_id and day >= first_start
            where first_start between date '{generated.today}' - 600 and date '{generated.today}' - 60
            group by 1
        )
        select avg(kickoff::int), avg(training::int), count(*) from onboarded
        """
        )
        .fetchone()
    )
    assert accounts > 150
    assert 0.70 <= kickoff <= 0.92
    assert 0.60 <= training <= 0.90


def test_qbrs_are_about_quarterly_for_larger_customers_and_rarer_for_smb(generated: Generated) -> None:
    gaps = dict(
        generated.connect()
        .execute(
            """
        with qbr as (
            select e.account_id, a.segment_c, cast(e.activity_date as date) as day from salesforce_event e
            join salesforce_account a on a.id = e.account_id where e.activity_type_c = 'QBR'
        ),
        gaps as (select segment_c, day - lag(day) over (partition by account_id order by day) as gap from qbr)
        select segment_c, median(gap) from gaps where gap is not null group by 1
        """
        )
        .fetchall()
    )
    assert 60 <= gaps["Enterprise"] <= 130 and 60 <= gaps["Mid-Market"] <= 130
    assert gaps["SMB"] > gaps["Mid-Market"]


SIGNALS = {
    "health_checks": """(
        select count(*) from salesforce_task t where t.account_id = h.account_id and t.health_check_type_c is not null
        and cast(t.activity_date as date) >= date '{today}' - 180)""",
    "fewer_tickets": """-(
        select count(*) from support_ticket t where t.account_id = h.account_id
        and cast(t.created_at as date) >= date '{today}' - 180) / (
        select median(n) from (select count(*) as n from support_ticket t join salesforce_account a
        on a.id = t.account_id where a.segment_c = h.segment_c group by t.account_id))""",
    "nps": """(
        select avg(nps_score) from alchemer_survey_response s join hubspot_contact c on c.property_email = s.respondent_email
        join hubspot_company co on co.id = c.property_associatedcompanyid
        where co.property_salesforce_account_id = h.account_id and s.nps_score is not null)""",
}


@pytest.mark.parametrize("signal", sorted(SIGNALS))
def test_cs_signals_follow_latent_health(generated: Generated, signal: str) -> None:
    rows = (
        generated.connect()
        .execute(
            f"""
        with h as ({per_account_health_sql(str(generated.today), 180)})
        select h.health, {SIGNALS[signal].format(today=generated.today)} as measure from h
        """
        )
        .fetchall()
    )
    rows = [(health, value) for health, value in rows if value is not None]
    health, value = (np.array(column, dtype=float) for column in zip(*rows))
    assert np.corrcoef(health, value)[0, 1] > 0.2


def test_email_engagement_follows_health_and_scanners_are_flagged(generated: Generated) -> None:
    con = generated.connect()
    types = dict(con.execute("select type, count(*) from hubspot_email_event group by 1").fetchall())
    assert set(types) == {"SENT", "DELIVERED", "OPEN", "CLICK", "BOUNCE", "DROPPED", "SPAMREPORT"}
    assert types["DROPPED"] < types["BOUNCE"] < 0.05 * types["SENT"]
    filtered = con.execute(
        "select avg(filtered_event::int) from hubspot_email_event where type in ('OPEN', 'CLICK')"
    ).fetchone()[0]
    assert 0.05 <= filtered <= 0.5
    rows = con.execute(
        f"""
        with h as ({per_account_health_sql(str(generated.today), 365)}),
        owner as (
            select c.property_email as email, co.property_salesforce_account_id as account_id
            from hubspot_contact c join hubspot_company co on co.id = c.property_associatedcompanyid
        ),
        rates as (
            select owner.account_id,
                   count(*) filter (where e.type = 'OPEN' and not e.filtered_event)
                   / count(*) filter (where e.type = 'DELIVERED') as open_rate
            from hubspot_email_event e join owner on owner.email = e.recipient
            where e.created >= date '{generated.today}' - 365 group by 1
            having count(*) filter (where e.type = 'DELIVERED') >= 10
        )
        select h.health, rates.open_rate from h join rates using (account_id)
        """
    ).fetchall()
    health, open_rate = (np.array(column) for column in zip(*rows))
    assert 0.10 <= open_rate.mean() <= 0.45
    assert np.corrcoef(health, open_rate)[0, 1] > 0.2


def test_hubspot_companies_match_accounts_by_id_or_domain(generated: Generated) -> None:
    by_id, by_domain, unmatched = (
        generated.connect()
        .execute(
            """
        with domains as (
            select id, regexp_replace(regexp_replace(lower(website), '^(https?://)?(www\\.)?', ''), '/$', '') as domain
            from salesforce_account
        )
        select
            avg((property_salesforce_account_id is not null)::int),
            avg((property_salesforce_account_id is null and property_domain in (select domain from domains))::int),
            avg((property_salesforce_account_id is null and property_domain not in (select domain from domains))::int)
        from hubspot_company
        """
        )
        .fetchone()
    )
    assert 0.75 <= by_id <= 0.90
    assert 0.08 <= by_domain <= 0.25
    assert 0.005 <= unmatched <= 0.08


def test_campaign_names_follow_the_convention_with_its_themes(generated: Generated) -> None:
    names = [n for (n,) in generated.connect().execute("select name from hubspot_email_campaign").fetchall()]
    for theme in (
        "ROI Report",
        "Product Update",
        "Newsletter",
        "Webinar Invite",
        "Best Practices",
        "Renewal Notice",
        "QBR Invite",
    ):
        assert any(f" | {theme} | " in name for name in names), theme
    assert sum(" | " in name for name in names) > 0.9 * len(names)


def test_renewal_opportunities_usually_open_120_to_180_days_ahead(generated: Generated) -> None:
    on_time, late, total = (
        generated.connect()
        .execute(
            """
        select count(*) filter (where lead between 120 and 180), count(*) filter (where lead < 120), count(*)
        from (
            select cast(c.end_date as date) - cast(o.created_date as date) as lead
            from salesforce_opportunity o join salesforce_contract c on c.id = o.contract_id_c where o.type = 'Renewal'
        )
        """
        )
        .fetchone()
    )
    assert on_time / total >= 0.7
    assert 0.05 <= late / total <= 0.3


def test_csm_sentiment_is_often_empty_and_reads_health(generated: Generated) -> None:
    rows = (
        generated.connect()
        .execute(
            f"""
        with h as ({per_account_health_sql(str(generated.today), 60)})
        select a.csm_sentiment_c, h.health from salesforce_account a left join h on h.account_id = a.id
        where a.account_status_c = 'Active'
        """
        )
        .fetchall()
    )
    empty = sum(sentiment is None for sentiment, _ in rows) / len(rows)
    assert 0.3 <= empty <= 0.7
    mean = {s: np.mean([h for v, h in rows if v == s and h is not None]) for s in ("Green", "Yellow", "Red")}
    assert mean["Green"] > mean["Yellow"] > mean["Red"]
