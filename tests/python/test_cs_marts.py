"""The CS Operations, engagement and at-risk marts agree with an independent computation in polars
over the staging tables and seeds of the demo warehouse (500 accounts, 400 nights of history), and
the incremental activity index equals a full refresh.

The expectations re-derive every measure here, in Python, from the staged sources (activities are
re-classified from the activity_type_map seed); only the set of customers on the as-of date, the
health score and the HubSpot company-to-account links are read from the models that own them. A QBR
is one definition everywhere: a Salesforce QBR or a HubSpot meeting titled QBR, one a day."""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

from csi.dbt import DbtProject
from csi.paths import PROJECT_DIR
from tests.python.warehouse import BuiltWarehouse, private_copy

WINDOW = {"health_check": 30, "health_check_cadence": 90, "qbr": 120, "kickoff": 14, "training": 30,
          "renewal": 120, "email": 90, "insider": 90, "usage": 30}
POWER_USER_DAYS = 12  # var power_user_min_active_days


def frame(warehouse: BuiltWarehouse, sql: str) -> pl.DataFrame:
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        return con.sql(sql).pl()


def seed(name: str) -> list[dict[str, str]]:
    path = next((PROJECT_DIR / "seeds").rglob(f"{name}.csv"))
    with path.open() as handle:
        return list(csv.DictReader(handle))


def like(pattern: str) -> re.Pattern[str]:
    """A SQL LIKE pattern (only % wildcards) as an anchored regex."""
    return re.compile("^" + ".*".join(re.escape(part) for part in pattern.split("%")) + "$", re.DOTALL)


def days_before(day: date, days: int) -> date:
    return day - timedelta(days=days)


@pytest.fixture(scope="module")
def wh(history_warehouse: BuiltWarehouse) -> BuiltWarehouse:
    return history_warehouse


@pytest.fixture(scope="module")
def activities(wh: BuiltWarehouse) -> pl.DataFrame:
    """Completed tasks and all events, typed by the first activity_type_map rule that matches."""
    raw = frame(
        wh,
        "select task_id as activity_id, account_id, activity_date, subject, activity_type_c, health_check_type_c "
        "from staging.stg_salesforce__tasks where task_status = 'completed' union all "
        "select event_id, account_id, activity_date, subject, activity_type_c, health_check_type_c "
        "from staging.stg_salesforce__events",
    )
    rules = sorted(seed("activity_type_map"), key=lambda rule: int(rule["priority"]))

    def classify(row: dict) -> str:
        for rule in rules:
            value = row[rule["match_column"]]
            if value is not None and like(rule["pattern"]).match(value.lower()):
                return rule["activity_type"]
        return "other"

    types = [classify(row) for row in raw.iter_rows(named=True)]
    return raw.with_columns(pl.Series("activity_type", types)).filter(pl.col("activity_date") <= wh.today)


@pytest.fixture(scope="module")
def customers(wh: BuiltWarehouse) -> pl.DataFrame:
    return frame(wh, "select * from intermediate.int_accounts__customers")


def per_account(activities: pl.DataFrame, kind: str, since: date | None = None) -> pl.DataFrame:
    rows = activities.filter(pl.col("activity_type") == kind)
    if since is not None:
        rows = rows.filter(pl.col("activity_date") > since)
    return rows.group_by("account_id").agg(pl.len().alias("n"), pl.col("activity_date").max().alias("last"))


@pytest.fixture(scope="module")
def hubspot_qbrs(wh: BuiltWarehouse) -> pl.DataFrame:
    meetings = frame(
        wh,
        "select e.engagement_id, c.account_id, e.engagement_date, e.meeting_title "
        "from staging.stg_hubspot__engagements e join intermediate.int_identity__hubspot_companies c "
        "on e.company_id = c.company_id "
        f"where e.engagement_type = 'meeting' and c.account_id is not null and e.engagement_date <= date '{wh.today}'",
    )
    is_qbr = [bool(title) and ("qbr" in title.lower() or "quarterly business review" in title.lower())
              for title in meetings["meeting_title"]]
    return meetings.filter(pl.Series(is_qbr))


@pytest.fixture(scope="module")
def qbr_days(activities: pl.DataFrame, hubspot_qbrs: pl.DataFrame) -> pl.DataFrame:
    """Every day an account held a QBR, logged in Salesforce, HubSpot or both."""
    salesforce = activities.filter(pl.col("activity_type") == "qbr").select(
        "account_id", pl.col("activity_date").alias("day"), pl.lit("salesforce").alias("logged_in"))
    hubspot = hubspot_qbrs.select(
        "account_id", pl.col("engagement_date").alias("day"), pl.lit("hubspot").alias("logged_in"))
    return pl.concat([salesforce, hubspot]).group_by("account_id", "day").agg(
        pl.when(pl.col("logged_in").n_unique() > 1).then(pl.lit("both")).otherwise(pl.col("logged_in").first())
        .alias("logged_in"))


@pytest.fixture(scope="module")
def messages(wh: BuiltWarehouse) -> pl.DataFrame:
    """One row per campaign and recipient with an event in the 90 days, attributed to one account."""
    since = days_before(wh.today, WINDOW["email"])
    events = frame(
        wh,
        "select email_campaign_id, recipient_email, event_type, is_filtered_event, cast(created_at as date) as day "
        f"from staging.stg_hubspot__email_events where cast(created_at as date) > date '{since}' "
        f"and cast(created_at as date) <= date '{wh.today}'",
    )
    human = ~pl.col("is_filtered_event")
    per_message = events.group_by("email_campaign_id", "recipient_email").agg(
        (pl.col("event_type") == "sent").any().alias("sent"),
        (pl.col("event_type") == "bounce").any().alias("bounced"),
        (pl.col("event_type").is_in(["open", "click"]) & human).any().alias("opened"),
        ((pl.col("event_type") == "click") & human).any().alias("clicked"),
    ).filter(pl.col("sent"))
    contacts = frame(wh, "select email, account_id from intermediate.int_identity__hubspot_contacts where account_id is not null")
    owners = contacts.group_by("email").agg(pl.col("account_id").unique()).filter(pl.col("account_id").list.len() == 1)
    owners = owners.select(pl.col("email").alias("recipient_email"), pl.col("account_id").list.first())
    campaigns = frame(wh, "select email_campaign_id, campaign_name from staging.stg_hubspot__email_campaigns")
    value_themes = {"roi report", "best practices"}
    value_ids = [cid for cid, name in campaigns.iter_rows()
                 if name and len(name.split(" | ")) == 3 and name.split(" | ")[1].strip().lower() in value_themes]
    return per_message.join(owners, on="recipient_email").with_columns(
        pl.col("email_campaign_id").is_in(value_ids).alias("value_driven")
    )


@pytest.fixture(scope="module")
def expected_flags(wh, customers, activities, qbr_days, messages) -> pl.DataFrame:
    """Per customer: each KPI due and met, computed from the sources."""
    today = wh.today
    hc = per_account(activities, "health_check", days_before(today, WINDOW["health_check"]))
    recent_qbrs = qbr_days.filter(pl.col("day") > days_before(today, WINDOW["qbr"]))
    kickoffs = activities.filter(pl.col("activity_type") == "onboarding_kickoff").group_by("account_id").agg(
        pl.col("activity_date").min().alias("kickoff"))
    trainings = activities.filter(pl.col("activity_type") == "training").join(
        customers.select("account_id", "first_contract_start_date"), on="account_id"
    ).filter(pl.col("activity_date") >= pl.col("first_contract_start_date")).group_by("account_id").agg(
        pl.col("activity_date").min().alias("training"))
    opportunities = frame(wh, "select renewed_contract_id, created_date from staging.stg_salesforce__opportunities "
                              f"where opportunity_type = 'renewal' and created_date <= date '{today}'")
    renewal = opportunities.group_by("renewed_contract_id").agg(pl.col("created_date").min().alias("opened"))
    valued = set(messages.filter(pl.col("value_driven") & ~pl.col("bounced"))["account_id"])
    rows = []
    lookups = {
        "hc": set(hc["account_id"]), "qbr": set(recent_qbrs["account_id"]),
        "kickoff": dict(kickoffs.iter_rows()), "training": dict(trainings.iter_rows()),
        "renewal": dict(renewal.iter_rows()),
    }
    for c in customers.iter_rows(named=True):
        start, account = c["first_contract_start_date"], c["account_id"]
        since_start = (today - start).days
        cohort = c["tenure_months"] < 12
        kickoff, training = lookups["kickoff"].get(account), lookups["training"].get(account)
        opened = lookups["renewal"].get(c["current_contract_id"])
        renewal_due = c["days_to_contract_end"] <= WINDOW["renewal"]
        kickoff_due = cohort and since_start > WINDOW["kickoff"]
        training_due = cohort and since_start > WINDOW["training"]
        qbr_due = c["segment"] in ("enterprise", "mid-market")
        rows.append({
            "account_id": account, "csm_owner_id": c["csm_owner_id"],
            "health_check_due": 1, "health_check_met": int(account in lookups["hc"]),
            "qbr_due": int(qbr_due), "qbr_met": int(qbr_due and account in lookups["qbr"]),
            "kickoff_due": int(kickoff_due),
            "kickoff_met": int(kickoff_due and kickoff is not None and (kickoff - start).days <= WINDOW["kickoff"]),
            "training_due": int(training_due),
            "training_met": int(training_due and training is not None and (training - start).days <= WINDOW["training"]),
            "renewal_due": int(renewal_due),
            "renewal_met": int(renewal_due and opened is not None
                                and (c["contract_end_date"] - opened).days >= WINDOW["renewal"]),
            "value_email_due": 1, "value_email_met": int(account in valued),
        })
    return pl.DataFrame(rows)


def test_cs_kpis_match_the_sources(wh, expected_flags) -> None:
    marts = {row[0]: row[1:] for row in wh.query(
        "select kpi_code, numerator, denominator, coverage, target, vs_target, meets_target, kpi, window_days "
        "from marts.fct_cs_kpis")}
    targets = {row["kpi_code"]: row for row in seed("cs_kpi_targets")}
    flags = {"health_check_coverage": ("health_check", "health_check"), "qbr_coverage": ("qbr", "qbr"),
             "onboarding_kickoff": ("kickoff", "kickoff"), "training_completed": ("training", "training"),
             "renewal_opportunity": ("renewal", "renewal"), "value_email_coverage": ("value_email", "email")}
    assert set(marts) == set(flags) == set(targets)
    for code, (flag, window) in flags.items():
        met, due = int(expected_flags[f"{flag}_met"].sum()), int(expected_flags[f"{flag}_due"].sum())
        numerator, denominator, coverage, target, vs_target, meets_target, kpi, window_days = marts[code]
        assert window_days == WINDOW[window], code
        assert kpi == targets[code]["kpi"].format(days=WINDOW[window], segments="enterprise and mid-market"), code
        assert (numerator, denominator) == (met, due), code
        assert due > 0 and 0 < met <= due, f"{code}: the demo data should exercise the KPI"
        assert coverage == pytest.approx(met / due) and target == float(targets[code]["target"])
        assert vs_target == pytest.approx(met / due - target, abs=1e-6)
        assert meets_target == (met / due >= target), code


def test_csm_leaderboard_matches_the_sources(wh, expected_flags) -> None:
    health = frame(wh, "select account_id, health_score, arr, revenue_at_risk from marts.fct_account_health")
    users = frame(wh, "select user_id as csm_owner_id, user_name from staging.stg_salesforce__users")
    expected = expected_flags.join(health, on="account_id", how="left").with_columns(
        pl.col("csm_owner_id").fill_null("unassigned")
    ).group_by("csm_owner_id").agg(
        pl.len().alias("accounts"),
        (pl.col("health_check_met").sum() / pl.col("health_check_due").sum()).alias("coverage"),
        pl.col("kickoff_met").sum().alias("on_time"), pl.col("kickoff_due").sum().alias("due"),
        pl.col("health_score").mean().alias("score"), pl.col("arr").sum().alias("arr"),
        pl.col("revenue_at_risk").fill_null(0).sum().alias("at_risk"),
    ).join(users, on="csm_owner_id", how="left").sort("csm_owner_id")
    actual = frame(wh, "select * from marts.fct_csm_leaderboard order by csm_owner_id")
    assert actual["csm_owner_id"].to_list() == expected["csm_owner_id"].to_list()
    assert actual["accounts"].to_list() == expected["accounts"].to_list()
    assert actual["csm_name"].to_list() == expected["user_name"].fill_null("Unassigned").to_list()
    for got, want in zip(actual.iter_rows(named=True), expected.iter_rows(named=True)):
        assert got["health_check_coverage"] == pytest.approx(want["coverage"])
        assert got["onboarded_on_time"] == (pytest.approx(want["on_time"] / want["due"]) if want["due"] else None)
        assert got["average_health_score"] == pytest.approx(want["score"], abs=0.006)
        assert got["arr_owned"] == pytest.approx(want["arr"])
        assert got["revenue_at_risk"] == pytest.approx(want["at_risk"])


def test_account_summary_matches_the_activity_stream(wh, customers, activities, qbr_days) -> None:
    today = wh.today
    last = {kind: dict(per_account(activities, kind).select("account_id", "last").iter_rows())
            for kind in ("health_check",)}
    last_qbr = {account: (day, logged_in) for account, day, logged_in in
                qbr_days.sort("day").group_by("account_id").agg(pl.col("day").last(), pl.col("logged_in").last()).iter_rows()}
    hc30 = dict(per_account(activities, "health_check", days_before(today, 30)).select("account_id", "n").iter_rows())
    hc90 = dict(per_account(activities, "health_check", days_before(today, 90)).select("account_id", "n").iter_rows())
    insider = dict(per_account(activities, "insider_call", days_before(today, 90)).select("account_id", "n").iter_rows())
    touch = dict(activities.group_by("account_id").agg(pl.col("activity_date").max()).iter_rows())
    kickoff = dict(activities.filter(pl.col("activity_type") == "onboarding_kickoff")
                   .group_by("account_id").agg(pl.col("activity_date").min()).iter_rows())
    summary = {row["account_id"]: row for row in frame(wh, "select * from marts.fct_cs_account_summary").iter_rows(named=True)}
    assert set(summary) == set(customers["account_id"])
    trained = 0
    for c in customers.iter_rows(named=True):
        account, start = c["account_id"], c["first_contract_start_date"]
        row = summary[account]
        trainings = activities.filter((pl.col("account_id") == account) & (pl.col("activity_type") == "training")
                                      & (pl.col("activity_date") >= start))["activity_date"]
        first_training = trainings.min() if len(trainings) else None
        assert row["last_health_check_date"] == last["health_check"].get(account), account
        assert (row["health_checks_in_coverage_window"], row["health_checks_in_cadence_window"]) == (
            hc30.get(account, 0), hc90.get(account, 0))
        assert (row["last_qbr_date"], row["last_qbr_logged_in"]) == last_qbr.get(account, (None, None)), account
        assert row["kickoff_date"] == kickoff.get(account)
        assert row["first_training_date"] == first_training
        assert row["is_training_completed_on_time"] == (
            first_training is not None and (first_training - start).days <= WINDOW["training"])
        assert row["insider_calls_in_window"] == insider.get(account, 0)
        assert row["last_csm_touch_date"] == touch.get(account)
        trained += row["is_training_completed_on_time"]
    assert trained > 0
    assert {logged_in for _, logged_in in last_qbr.values()} == {"salesforce", "hubspot", "both"}


def test_activity_monthly_matches_the_activity_stream(wh, activities) -> None:
    segments = frame(wh, "select account_id, coalesce(segment, 'smb') as segment from staging.stg_salesforce__accounts")
    expected = activities.join(segments, on="account_id", how="left").with_columns(
        pl.col("activity_date").dt.truncate("1mo").alias("activity_month"), pl.col("segment").fill_null("smb")
    ).group_by("activity_month", "activity_type", "segment").agg(
        pl.len().alias("activities"), pl.col("account_id").n_unique().alias("accounts_touched")
    ).sort("activity_month", "activity_type", "segment")
    actual = frame(wh, "select activity_month, activity_type, segment, activities, accounts_touched "
                       "from marts.fct_cs_activity_monthly order by 1, 2, 3")
    assert actual.rows() == expected.rows()
    assert actual["activities"].sum() == len(activities)


def test_email_engagement_matches_the_events(wh, customers, messages, qbr_days) -> None:
    delivered = ~pl.col("bounced")
    expected = messages.group_by("account_id").agg(
        pl.len().alias("emails_sent"), delivered.sum().alias("emails_delivered"),
        pl.col("bounced").sum().alias("emails_bounced"),
        (pl.col("opened") & delivered).sum().alias("unique_opens"),
        (pl.col("clicked") & delivered).sum().alias("unique_clicks"),
        (pl.col("value_driven") & delivered).sum().alias("value_driven_emails_delivered"),
    )
    expected = {row["account_id"]: row for row in expected.iter_rows(named=True)}
    qbrs = qbr_days.filter(pl.col("day") > days_before(wh.today, WINDOW["qbr"])).group_by("account_id").agg(pl.len())
    qbrs = dict(qbrs.iter_rows())
    last_qbr = dict(qbr_days.group_by("account_id").agg(pl.col("day").max()).iter_rows())
    actual = frame(wh, "select * from marts.fct_account_email_engagement")
    assert sorted(actual["account_id"]) == sorted(customers["account_id"])
    checked = 0
    for row in actual.iter_rows(named=True):
        want = expected.get(row["account_id"])
        assert row["qbrs_in_coverage_window"] == qbrs.get(row["account_id"], 0)
        assert row["has_qbr_coverage"] == (row["account_id"] in qbrs)
        assert row["last_qbr_date"] == last_qbr.get(row["account_id"])
        if want is None:
            assert row["emails_sent"] == 0 and row["open_rate"] is None
            continue
        for column in ("emails_sent", "emails_delivered", "emails_bounced", "unique_opens", "unique_clicks",
                       "value_driven_emails_delivered"):
            assert row[column] == want[column], (row["account_id"], column)
        assert row["open_rate"] == pytest.approx(want["unique_opens"] / want["emails_delivered"])
        assert row["click_rate"] == pytest.approx(want["unique_clicks"] / want["emails_delivered"])
        assert row["bounce_rate"] == pytest.approx(want["emails_bounced"] / want["emails_sent"])
        checked += 1
    assert checked > 100 and 0 < actual["open_rate"].mean() < 1 and actual["emails_bounced"].sum() > 0


def test_usage_matches_the_daily_feed(wh, customers) -> None:
    today = wh.today
    usage = frame(wh, "select account_id, usage_date, active_users from staging.stg_product__usage_daily "
                      f"where usage_date > date '{days_before(today, 60)}' and usage_date <= date '{today}'")
    usage = usage.with_columns((pl.lit(today) - pl.col("usage_date")).dt.total_days().alias("ago"))

    def window(lo: int, hi: int, name: str) -> pl.DataFrame:
        rows = usage.filter((pl.col("ago") >= lo) & (pl.col("ago") < hi))
        return rows.group_by("account_id").agg(pl.col("active_users").sum().alias(f"{name}_days"),
                                               pl.col("active_users").max().alias(f"{name}_peak"))

    user_days = frame(wh, "select account_id, user_id, count(*) as active_days, max(activity_date) as last_day "
                          "from staging.stg_product__user_activity_daily "
                          f"where activity_date > date '{days_before(today, 30)}' and activity_date <= date '{today}' "
                          "group by all")
    users = user_days.group_by("account_id").agg(
        pl.len().alias("mau"),
        pl.col("active_days").sum().alias("user_days"),
        (pl.col("last_day") > days_before(today, 7)).sum().alias("wau"),
        (pl.col("active_days") >= POWER_USER_DAYS).sum().alias("power"),
    )
    last_login = frame(wh, "select account_id, max(usage_date) as last_login from staging.stg_product__usage_daily "
                           f"where logins > 0 and usage_date <= date '{today}' group by 1")
    expected = customers.select("account_id", "licensed_seats").join(users, on="account_id", how="left")
    for lo, hi, name in ((0, 7, "w"), (7, 14, "pw"), (0, 30, "m"), (30, 60, "pm")):
        expected = expected.join(window(lo, hi, name), on="account_id", how="left")
    expected = expected.fill_null(0).join(last_login, on="account_id", how="left")
    expected = {row["account_id"]: row for row in expected.iter_rows(named=True)}
    actual = frame(wh, "select * from marts.fct_account_usage")
    assert sorted(actual["account_id"]) == sorted(expected)
    assert actual["dormant_seats"].sum() > 0 and actual["power_users"].sum() > 0
    for row in actual.iter_rows(named=True):
        want = expected[row["account_id"]]
        assert (row["weekly_active_users"], row["monthly_active_users"]) == (want["wau"], want["mau"])
        assert row["power_users"] == want["power"]
        assert row["dau_mau_ratio"] == (pytest.approx(want["user_days"] / WINDOW["usage"] / want["mau"])
                                        if want["mau"] else None)
        assert row["last_login_date"] == want["last_login"]
        assert row["days_since_last_login"] == ((today - want["last_login"]).days if want["last_login"] else None)
        if want["licensed_seats"]:
            assert row["dormant_seats"] == max(want["licensed_seats"] - want["mau"], 0)
        assert (row["active_user_days"], row["prior_active_user_days"]) == (want["m_days"], want["pm_days"])
        assert row["average_daily_active_users"] == pytest.approx(want["m_days"] / WINDOW["usage"])
        mom = 100 * (want["m_days"] - want["pm_days"]) / want["pm_days"] if want["pm_days"] else None
        wow = 100 * (want["w_days"] - want["pw_days"]) / want["pw_days"] if want["pw_days"] else None
        assert row["mom_change_pct"] == (pytest.approx(mom) if mom is not None else None)
        assert row["wow_change_pct"] == (pytest.approx(wow) if wow is not None else None)
        assert row["is_usage_declining"] == (mom is not None and mom <= -30)
        if want["licensed_seats"]:
            assert row["seat_utilisation_pct"] == pytest.approx(
                100 * want["m_days"] / (WINDOW["usage"] * want["licensed_seats"]))
    assert 0 < actual["is_usage_declining"].sum() < len(actual)


def test_at_risk_accounts_and_their_weekly_scores(wh) -> None:
    health = frame(wh, "select * from marts.fct_account_health")
    at_risk = pl.col("score_band").is_in(["At Risk", "Critical"])
    expected = health.filter(pl.col("risk_level").is_in(["Critical", "High"]) | at_risk)
    expected = expected.sort([pl.col("revenue_at_risk").fill_null(0), pl.col("account_id")], descending=[True, False])
    actual = frame(wh, "select * from marts.fct_at_risk_accounts")
    assert actual["account_id"].to_list() == expected["account_id"].to_list()
    assert actual["is_at_risk"].to_list() == expected.select(at_risk)["score_band"].to_list()
    assert actual["revenue_at_risk_rank"].to_list() == list(range(1, len(actual) + 1))
    assert 0 < len(actual) < len(health)
    history = frame(wh, "select account_id, health_score, cast(dbt_valid_from as date) as valid_from, "
                        "cast(dbt_valid_to as date) as valid_to from snapshots.snap_account_health")
    history = history.filter(pl.col("account_id").is_in(actual["account_id"].to_list()))
    versions: dict[str, list[tuple]] = {}
    for account, score, valid_from, valid_to in history.iter_rows():
        versions.setdefault(account, []).append((valid_from, valid_to, score))
    for row in actual.iter_rows(named=True):
        for week in range(1, 13):
            point = wh.today - timedelta(weeks=12 - week)
            held = [score for valid_from, valid_to, score in versions.get(row["account_id"], [])
                    if valid_from <= point and (valid_to is None or valid_to > point)]
            assert row[f"health_score_week_{week:02d}"] == (held[0] if held else None), (row["account_id"], week)
        drivers = [d for d in (row["top_driver_1"], row["top_driver_2"], row["top_driver_3"]) if d]
        assert row["top_drivers"] == ", ".join(drivers)
    assert actual["health_score_week_01"].null_count() < len(actual)
    assert actual["health_score_week_12"].to_list() == actual["health_score"].to_list()


def test_incremental_activity_index_equals_a_full_refresh(wh, tmp_path: Path) -> None:
    """Built first as of mid-May, then incrementally as of the demo's today: the same rows as a
    full refresh as of today (the look-back month rebuilds the partly built months)."""
    select = ["run", "--select", "fct_cs_activity_monthly"]
    query = "select * from marts.fct_cs_activity_monthly order by activity_month_key"
    with private_copy(wh, tmp_path) as copy:
        project = DbtProject(quiet=True)
        project.invoke([*select, "--full-refresh"], wh.today)
        full = copy.query(query)
        project.invoke([*select, "--full-refresh"], date(2026, 5, 15))
        early = copy.query(query)
        project.invoke(select, wh.today)
        assert len(early) < len(full)
        assert copy.query(query) == full
