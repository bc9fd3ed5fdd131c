"""Clean generated data is consistent: every table matches its sources YAML, keys are unique,
every foreign key finds its parent, and every date is consistent with time (nothing before the
first contract or after churn, nothing after the sync that delivered it)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pyarrow.parquet as pq
import pytest

from csi.generate.product import USER_ACTIVITY_DAYS, USERS_PER_ACCOUNT
from csi.generate.schema import arrow_schema
from csi.sources import raw_tables

if TYPE_CHECKING:
    from tests.python.conftest import Generated

TABLES = [table.qualified_name for table in raw_tables()]
KEYS = {
    "product.usage_daily": "account_id || '|' || cast(usage_date as varchar)",
    "product.user_activity_daily": "cast(user_id as varchar) || '|' || cast(activity_date as varchar)",
    "ml.churn_prediction": "contract_id",
}
FOREIGN_KEYS = [  # (child view, column, parent view, parent column)
    ("salesforce_account", "owner_id", "salesforce_user", "id"),
    ("salesforce_user", "manager_id", "salesforce_user", "id"),
    ("salesforce_contract", "account_id", "salesforce_account", "id"),
    ("salesforce_opportunity", "account_id", "salesforce_account", "id"),
    ("salesforce_opportunity", "contract_id_c", "salesforce_contract", "id"),
    ("salesforce_opportunity", "owner_id", "salesforce_user", "id"),
    ("salesforce_task", "account_id", "salesforce_account", "id"),
    ("salesforce_task", "owner_id", "salesforce_user", "id"),
    ("salesforce_event", "account_id", "salesforce_account", "id"),
    ("salesforce_event", "owner_id", "salesforce_user", "id"),
    ("hubspot_company", "property_salesforce_account_id", "salesforce_account", "id"),
    ("hubspot_contact", "property_associatedcompanyid", "hubspot_company", "id"),
    ("hubspot_email_event", "email_campaign_id", "hubspot_email_campaign", "id"),
    ("hubspot_email_event", "recipient", "hubspot_contact", "property_email"),
    ("hubspot_engagement", "company_id", "hubspot_company", "id"),
    ("product_usage_daily", "account_id", "salesforce_account", "id"),
    ("product_user_activity_daily", "account_id", "salesforce_account", "id"),
    ("support_ticket", "account_id", "salesforce_account", "id"),
    ("ml_churn_prediction", "contract_id", "salesforce_contract", "id"),
    ("ml_churn_prediction", "account_id", "salesforce_account", "id"),
]
# Business dates per table that must lie on or before the day of the row's sync.
EVENT_DATES = {
    "salesforce_account": ["created_date"],
    "salesforce_contract": ["created_date"],
    "salesforce_opportunity": ["created_date"],
    "salesforce_task": ["activity_date", "created_date"],
    "salesforce_event": ["activity_date", "created_date"],
    "hubspot_company": ["property_createdate"],
    "hubspot_contact": ["property_createdate"],
    "hubspot_email_event": ["created"],
    "hubspot_engagement": ["property_hs_timestamp"],
    "product_usage_daily": ["usage_date"],
    "product_user_activity_daily": ["activity_date"],
    "support_ticket": ["created_at", "solved_at"],
    "alchemer_survey_response": ["submitted_at"],
}
# Activity-like rows and the date they happened on, per account.
ACCOUNT_ACTIVITY = {
    "salesforce_task": "cast(activity_date as date)",
    "salesforce_event": "cast(activity_date as date)",
    "product_usage_daily": "usage_date",
    "product_user_activity_daily": "activity_date",
    "support_ticket": "cast(created_at as date)",
}


def view(qualified_name: str) -> str:
    return qualified_name.replace(".", "_")


@pytest.mark.parametrize("name", TABLES)
def test_every_table_has_exactly_the_yaml_columns_and_types(generated: Generated, name: str) -> None:
    source, table = name.split(".")
    schema = pq.read_schema(generated.data_dir / source / f"{table}.parquet")
    assert schema.names == arrow_schema(name).names
    assert [field.type for field in schema] == [field.type for field in arrow_schema(name)]


def test_every_table_has_rows_and_the_summary_counts_them(generated: Generated) -> None:
    con = generated.connect()
    summary = json.loads((generated.data_dir / "generation.json").read_text())
    assert summary["accounts"] == 1000 and summary["today"] == generated.today.isoformat()
    assert summary["seed"] == 42 and summary["years"] == 2 and summary["dirty_rate"] == 0
    for name in TABLES:
        count = con.execute(f"select count(*) from {view(name)}").fetchone()[0]
        assert count > 0, name
        assert summary["rows"][name] == count
    assert summary["rows"]["salesforce.account"] == 1000


@pytest.mark.parametrize("name", TABLES)
def test_keys_are_unique_and_present(generated: Generated, name: str) -> None:
    key = KEYS.get(name, "id")
    duplicates, nulls = (
        generated.connect()
        .execute(f"select count(*) - count(distinct {key}), count(*) - count({key}) from {view(name)}")
        .fetchone()
    )
    assert (duplicates, nulls) == (0, 0)


@pytest.mark.parametrize("child, column, parent, parent_column", FOREIGN_KEYS)
def test_foreign_keys_find_their_parent(
    generated: Generated, child: str, column: str, parent: str, parent_column: str
) -> None:
    orphans = (
        generated.connect()
        .execute(
            f"select count(*) from {child} where {column} is not null "
            f"and {column} not in (select {parent_column} from {parent} where {parent_column} is not null)"
        )
        .fetchone()[0]
    )
    assert orphans == 0


@pytest.mark.parametrize("table", sorted(EVENT_DATES))
def test_dates_lie_between_their_sync_and_today(generated: Generated, table: str) -> None:
    con = generated.connect()
    too_late = con.execute(
        f"select count(*) from {table} where cast(_fivetran_synced as date) > date '{generated.today}'"
    ).fetchone()[0]
    assert too_late == 0
    for column in EVENT_DATES[table]:
        after_sync = con.execute(
            f"select count(*) from {table} where cast({column} as timestamp) > _fivetran_synced"
        ).fetchone()[0]
        assert after_sync == 0, column


def test_predictions_were_scored_before_today(generated: Generated) -> None:
    late = (
        generated.connect()
        .execute(f"select count(*) from ml_churn_prediction where scored_at >= date '{generated.today}'")
        .fetchone()[0]
    )
    assert late == 0


@pytest.mark.parametrize("table", sorted(ACCOUNT_ACTIVITY))
def test_no_activity_before_the_first_contract_or_after_churn(generated: Generated, table: str) -> None:
    day = ACCOUNT_ACTIVITY[table]
    outside = (
        generated.connect()
        .execute(
            f"""
        with life as (
            select account_id, min(cast(start_date as date)) as first_start, max(cast(end_date as date)) as last_end
            from salesforce_contract group by account_id
        )
        select count(*) from {table} t
        join life using (account_id)
        join salesforce_account a on a.id = t.account_id
        where {day} < life.first_start
           or (a.account_status_c = 'Churned' and {day} > life.last_end)
        """
        )
        .fetchone()[0]
    )
    assert outside == 0


def test_renewals_start_the_day_after_the_previous_contract(generated: Generated) -> None:
    gaps = (
        generated.connect()
        .execute(
            """
        with ordered as (
            select account_id, cast(start_date as date) as start_date,
                   lag(cast(end_date as date)) over (partition by account_id order by cast(start_date as date)) as previous_end
            from salesforce_contract
        )
        select count(*) filter (where previous_end is not null and start_date <> previous_end + 1), count(*) from ordered
        """
        )
        .fetchone()
    )
    assert gaps[0] == 0 and gaps[1] > 1000


def test_account_status_turns_churned_only_after_the_last_contract_ended(generated: Generated) -> None:
    wrong = (
        generated.connect()
        .execute(
            f"""
        with life as (select account_id, max(cast(end_date as date)) as last_end from salesforce_contract group by 1)
        select
            count(*) filter (where a.account_status_c = 'Churned' and life.last_end >= date '{generated.today}' - 1),
            count(*) filter (where a.account_status_c = 'Churned' and a.arr_c <> 0),
            count(*) filter (where a.account_status_c = 'Active' and life.last_end < date '{generated.today}' - 1
                              and not exists (select 1 from salesforce_contract c where c.account_id = a.id
                                              and cast(c.start_date as date) > life.last_end))
        from salesforce_account a join life on life.account_id = a.id
        """
        )
        .fetchone()
    )
    assert wrong == (0, 0, 0)


def test_contract_status_follows_its_dates(generated: Generated) -> None:
    wrong = (
        generated.connect()
        .execute(
            f"""
        select count(*) from salesforce_contract
        where case when cast(end_date as date) < date '{generated.today}' - 1 then 'Expired'
                   when cast(start_date as date) <= date '{generated.today}' - 1 then 'Activated'
                   else 'Draft' end <> status
        """
        )
        .fetchone()[0]
    )
    assert wrong == 0


def test_usage_never_exceeds_licensed_seats_and_counts_are_sane(generated: Generated) -> None:
    wrong = (
        generated.connect()
        .execute(
            "select count(*) from product_usage_daily where active_users > licensed_seats or active_users < 1 "
            "or logins < active_users or saved_searches < 0 or report_downloads < 0"
        )
        .fetchone()[0]
    )
    assert wrong == 0


def test_user_activity_adds_up_to_the_account_usage_of_its_days(generated: Generated) -> None:
    """The user-level export covers its last USER_ACTIVITY_DAYS days, and on each of them an
    account's distinct users are its active_users and their events its logins, saved searches and
    report downloads; no user holds a seat beyond the account's, and a user belongs to one account."""
    con = generated.connect()
    first, last, days = con.execute(
        "select min(activity_date), max(activity_date), count(distinct activity_date) from product_user_activity_daily"
    ).fetchone()
    assert (last - first).days + 1 == days == USER_ACTIVITY_DAYS
    mismatched, matched = con.execute(
        f"""
        with users as (
            select account_id, activity_date, count(distinct user_id) as users, sum(events) as events,
                max(user_id % {USERS_PER_ACCOUNT}) as highest_seat
            from product_user_activity_daily group by all
        )
        select
            count(*) filter (where users.users is distinct from usage.active_users
                or users.events is distinct from usage.logins + usage.saved_searches + usage.report_downloads
                or users.highest_seat >= usage.licensed_seats),
            count(*)
        from product_usage_daily as usage
        full join users on usage.account_id = users.account_id and usage.usage_date = users.activity_date
        where coalesce(usage.usage_date, users.activity_date) >= date '{first}'
        """
    ).fetchone()
    assert (mismatched, matched > 1000) == (0, True)
    shared = con.execute(
        "select count(*) from (select user_id from product_user_activity_daily group by 1 "
        "having count(distinct account_id) > 1)"
    ).fetchone()[0]
    assert shared == 0


def test_renewal_opportunities_close_at_the_contract_end_as_it_turned_out(generated: Generated) -> None:
    rows = (
        generated.connect()
        .execute(
            """
        select o.stage_name, t.churned, o.close_date = c.end_date as at_end
        from salesforce_opportunity o
        join salesforce_contract c on c.id = o.contract_id_c
        join truth_contract t on t.contract_id = c.id
        where o.type = 'Renewal' and o.is_closed
        """
        )
        .fetchall()
    )
    assert len(rows) > 500
    assert all(at_end for _, _, at_end in rows)
    assert all((stage == "Closed Lost") == churned for stage, churned, _ in rows)
