"""Dirty mode: every kind of bad row a sync produces lands in every table it applies to, at about
the requested rate, each with exactly one defect and listed in the manifest with the outcome
staging must reach; rows the manifest does not name break no rule. The rules are restated here
from the staging contract, independently of the generator's own table of them."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

import duckdb
import pyarrow.parquet as pq
import pytest

from csi.sources import raw_tables

if TYPE_CHECKING:
    from tests.python.conftest import Generated

RATE = 0.02
OUTCOMES = {
    "duplicate": "deduplicated", "unresolvable_duplicate": "quarantined", "deleted": "deleted",
    "null_key": "quarantined", "orphaned_key": "quarantined", "unparseable_date": "quarantined",
    "future_date": "quarantined", "out_of_range": "quarantined", "unknown_enum": "quarantined",
    "whitespace_case": "cleaned",
}  # fmt: skip
ACCOUNT = ("account_id", "salesforce_account", "id")
# Accepted enum values are space separated; '|' stands for a space inside a value.
SENT = "sent delivered open click bounce dropped deferred processed spamreport statuschange forward print"
SPEC = {
    "salesforce.account": dict(
        deleted="is_deleted", dates=["created_date"], events=["created_date"],
        ranges="arr_c < 0 or number_of_employees < 0",
        enums={"segment_c": "enterprise mid-market smb", "account_status_c": "active churned",
               "csm_sentiment_c": "green yellow red"},
    ),
    "salesforce.contract": dict(
        deleted="is_deleted", required=["account_id"], parent=ACCOUNT, dates=["start_date", "end_date", "created_date"],
        events=["created_date"], ranges="arr_c < 0 or licensed_seats_c < 0 or contract_term < 0",
        enums={"status": "activated expired draft"},
    ),
    "salesforce.opportunity": dict(
        deleted="is_deleted", required=["account_id"], parent=ACCOUNT, dates=["created_date", "close_date"],
        events=["created_date"], ranges="amount < 0 or probability < 0 or probability > 100",
        enums={"type": "renewal expansion new|business",
               "stage_name": "prospecting qualification proposal negotiation closed|won closed|lost"},
    ),
    "salesforce.task": dict(
        deleted="is_deleted", required=["account_id"], parent=ACCOUNT, dates=["activity_date", "created_date"],
        events=["activity_date", "created_date"],
    ),
    "salesforce.event": dict(
        deleted="is_deleted", required=["account_id"], parent=ACCOUNT, dates=["activity_date", "created_date"],
        events=["activity_date", "created_date"], ranges="duration_in_minutes < 0",
    ),
    "salesforce.user": dict(emails=["email"]),
    "hubspot.company": dict(deleted="_fivetran_deleted", dates=["property_createdate"], events=["property_createdate"]),
    "hubspot.contact": dict(
        deleted="_fivetran_deleted", parent=("property_associatedcompanyid", "hubspot_company", "id"),
        dates=["property_createdate"], events=["property_createdate"], emails=["property_email"],
    ),
    "hubspot.email_campaign": dict(),
    "hubspot.email_event": dict(
        required=["email_campaign_id", "recipient"], parent=("email_campaign_id", "hubspot_email_campaign", "id"),
        events=["created"], enums={"type": SENT}, emails=["recipient"],
    ),
    "hubspot.engagement": dict(
        deleted="_fivetran_deleted", parent=("company_id", "hubspot_company", "id"), dates=["property_hs_timestamp"],
        events=["property_hs_timestamp"], enums={"type": "meeting call email note task"},
    ),
    "product.usage_daily": dict(
        key=["account_id", "usage_date"], required=["account_id", "usage_date"], parent=ACCOUNT, events=["usage_date"],
        ranges="active_users < 0 or logins < 0 or saved_searches < 0 or report_downloads < 0 or licensed_seats < 0",
    ),
    "product.user_activity_daily": dict(
        key=["user_id", "activity_date"], required=["user_id", "activity_date", "account_id"], parent=ACCOUNT,
        events=["activity_date"], ranges="events < 0",
    ),
    "support.ticket": dict(
        deleted="_fivetran_deleted", required=["account_id"], parent=ACCOUNT, dates=["created_at", "solved_at"],
        events=["created_at"], ranges="csat_score < 1 or csat_score > 5",
        enums={"priority": "low normal high urgent", "status": "new open pending hold solved closed"},
    ),
    "alchemer.survey_response": dict(
        deleted="_fivetran_deleted", required=["respondent_email"], dates=["submitted_at"], events=["submitted_at"],
        ranges="nps_score < 0 or nps_score > 10 or csat_score < 1 or csat_score > 5",
        enums={"status": "complete partial"}, emails=["respondent_email"],
    ),
    "ml.churn_prediction": dict(
        key=["contract_id"], required=["account_id"], synced="scored_at",
        parent=("contract_id", "salesforce_contract", "id"), ranges="churn_probability < 0 or churn_probability > 1",
    ),
}  # fmt: skip


def applicable(spec: dict) -> set[str]:
    kinds = {"duplicate", "unresolvable_duplicate", "null_key"}
    for kind, present in (
        ("deleted", "deleted" in spec), ("orphaned_key", "parent" in spec), ("unparseable_date", "dates" in spec),
        ("future_date", "events" in spec), ("out_of_range", "ranges" in spec), ("unknown_enum", "enums" in spec),
        ("whitespace_case", "enums" in spec or "emails" in spec),
    ):  # fmt: skip
        if present:
            kinds.add(kind)
    return kinds


def key_sql(spec: dict) -> str:
    key = spec.get("key", ["id"])
    return " || '|' || ".join(f"cast({column} as varchar)" for column in key)


def violations_sql(name: str, spec: dict) -> str:
    """Per raw row: its position, key, sync, content, and each rule it breaks (one column each)."""
    view = name.replace(".", "_")
    synced = spec.get("synced", "_fivetran_synced")
    key = spec.get("key", ["id"])
    required = " or ".join(f"{column} is null" for column in key + spec.get("required", []))
    parent = spec.get("parent")
    rules = {
        "null_key": required,
        "orphaned_key": (
            f"{parent[0]} is not null and {parent[0]} not in (select {parent[2]} from {parent[1]} where {parent[2]} is not null)"
            if parent else "false"
        ),
        "unparseable_date": " or ".join(f"({c} is not null and try_cast({c} as timestamp) is null)" for c in spec.get("dates", []))
        or "false",
        "future_date": " or ".join(f"cast(try_cast({c} as timestamp) as date) > cast({synced} as date)" for c in spec.get("events", []))
        or "false",
        "out_of_range": spec.get("ranges", "false"),
        "unknown_enum": " or ".join(
            f"lower(trim({c})) not in ({', '.join(repr(v.replace('|', ' ')) for v in values.split())})"
            for c, values in spec.get("enums", {}).items()
        ) or "false",
        "whitespace_case": " or ".join(
            [f"{c} <> trim({c})" for c in spec.get("enums", {})] + [f"{c} <> lower(trim({c}))" for c in spec.get("emails", [])]
        ) or "false",
        "deleted": spec.get("deleted", "false"),
    }  # fmt: skip
    flags = ", ".join(f"coalesce({rule}, false) as {defect}" for defect, rule in rules.items())
    return f"""
        select row_number() over () as position, {key_sql(spec)} as record_key, {synced} as synced,
               md5(cast(columns(*) as varchar)) is not null as present, {flags},
               case when {key_sql(spec)} is null then 1 else count(*) over (partition by {key_sql(spec)}) end as copies,
               count(distinct {synced}) over (partition by {key_sql(spec)}) as syncs
        from {view}
    """.replace("md5(cast(columns(*) as varchar)) is not null as present, ", "")


@pytest.fixture(scope="module")
def con(generated_dirty: Generated) -> duckdb.DuckDBPyConnection:
    connection = generated_dirty.connect()
    for name, spec in SPEC.items():
        connection.execute(f"create table checked_{name.replace('.', '_')} as {violations_sql(name, spec)}")
    return connection


@pytest.fixture(scope="module")
def manifest(generated_dirty: Generated) -> list[dict]:
    return pq.read_table(generated_dirty.data_dir / "_manifest" / "dirty.parquet").to_pylist()


def test_the_spec_covers_every_raw_table() -> None:
    assert set(SPEC) == {table.qualified_name for table in raw_tables()}


def test_manifest_columns_and_vocabulary(generated_dirty: Generated, manifest: list[dict]) -> None:
    schema = pq.read_schema(generated_dirty.data_dir / "_manifest" / "dirty.parquet")
    assert schema.names == [
        "source_table",
        "record_key",
        "row_marker",
        "defect",
        "column_name",
        "expected_outcome",
    ]
    assert all(OUTCOMES[entry["defect"]] == entry["expected_outcome"] for entry in manifest)
    assert all(
        entry["row_marker"] is not None and entry["column_name"]
        for entry in manifest
        if entry["defect"] != "duplicate"
    )


@pytest.mark.parametrize("name", sorted(SPEC))
def test_every_applicable_kind_is_injected_into_every_table(manifest: list[dict], name: str) -> None:
    kinds = {entry["defect"] for entry in manifest if entry["source_table"] == name}
    assert kinds == applicable(SPEC[name])


@pytest.mark.parametrize("name", sorted(SPEC))
def test_bad_rows_make_up_about_the_requested_share(
    generated_dirty: Generated, manifest: list[dict], name: str
) -> None:
    rows = generated_dirty.summary["rows"][name]
    bad = sum(entry["source_table"] == name for entry in manifest)
    assert generated_dirty.summary["dirty_rows"][name] == bad
    if rows >= 2000:  # small tables carry at least one row of each kind, whatever the rate
        assert 0.5 * RATE <= bad / rows <= 1.5 * RATE


@pytest.mark.parametrize("name", sorted(SPEC))
def test_each_manifest_row_is_in_the_table_with_exactly_its_defect(
    con: duckdb.DuckDBPyConnection, name: str
) -> None:
    checked = f"checked_{name.replace('.', '_')}"
    rules = list(OUTCOMES)[2:]
    found = con.execute(
        f"""
        select m.defect, m.record_key, m.row_marker, count(distinct c.position), any_value(c.copies), any_value(c.syncs),
               {", ".join(f"bool_or(c.{rule})" for rule in rules)}
        from manifest m left join {checked} c
          on c.synced = m.row_marker and (c.record_key = m.record_key or (c.record_key is null and m.record_key is null))
        where m.source_table = ?
        group by m.defect, m.record_key, m.row_marker
        """,
        [name],
    ).fetchall()
    assert found
    for defect, key, marker, rows, copies, syncs, *flags in found:
        broken = {rule for rule, flag in zip(rules, flags) if flag}
        expected = {
            "duplicate": (1, 2, 2, set()),  # the older original; its newer copy is the other row
            "unresolvable_duplicate": (2, 2, 1, set()),  # both rows, same sync, each in the manifest
        }.get(defect, (1, 1, syncs, {defect}))
        assert (rows, copies, syncs, broken) == expected, (defect, key, marker)


@pytest.mark.parametrize("name", sorted(SPEC))
def test_rows_the_manifest_does_not_name_break_no_rule(
    con: duckdb.DuckDBPyConnection, manifest: list[dict], name: str
) -> None:
    named = [(e["record_key"], e["row_marker"]) for e in manifest if e["source_table"] == name]
    duplicated = {
        key
        for e in manifest
        if e["source_table"] == name and e["defect"] == "duplicate"
        for key in [e["record_key"]]
    }
    con.execute("create or replace temp table named (record_key varchar, synced timestamp)")
    if named:
        con.executemany("insert into named values (?, ?)", named)
    checked = f"checked_{name.replace('.', '_')}"
    breaking = " or ".join(list(OUTCOMES)[2:]) + " or copies > 1"
    rows = con.execute(
        f"""
        select record_key, copies from {checked} c
        where not exists (select 1 from named n where n.synced = c.synced
                          and (n.record_key = c.record_key or (n.record_key is null and c.record_key is null)))
          and ({breaking})
        """
    ).fetchall()
    # The only exception: the newer copy of a duplicate, whose older original the manifest names.
    assert [key for key, copies in rows if not (key in duplicated and copies == 2)] == []
    clean = con.execute(f"select count(*) from {checked}").fetchone()[0]
    assert clean > len(named)


def test_whitespace_garbles_are_only_spaces_and_case(
    con: duckdb.DuckDBPyConnection, manifest: list[dict]
) -> None:
    cleaned = [e for e in manifest if e["defect"] == "whitespace_case"]
    by_table = defaultdict(list)
    for entry in cleaned:
        by_table[entry["source_table"]].append(entry)
    assert Counter(e["source_table"] for e in cleaned).keys() == {
        n for n, s in SPEC.items() if "enums" in s or "emails" in s
    }
    for name, entries in by_table.items():
        view = name.replace(".", "_")
        spec = SPEC[name]
        synced = spec.get("synced", "_fivetran_synced")
        for entry in entries:
            column = entry["column_name"]
            value = con.execute(
                f"select {column} from {view} where {key_sql(spec)} = ? and {synced} = ?",
                [entry["record_key"], entry["row_marker"]],
            ).fetchone()[0]
            assert value != value.strip() and value.strip().lower() in value.lower()
