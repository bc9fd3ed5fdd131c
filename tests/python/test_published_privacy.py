"""Nothing private leaves the warehouse: the published copy (every table of the DuckDB file and every
Parquet file `csi publish` writes) holds no e-mail address and no phone number, and the quarantine's
contact fields are pseudonyms a data steward can still match with the warehouse's own rows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest

from csi.publish import DATABASE_NAME, PUBLISHED_SCHEMAS, publish

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# +1 (555) 010-2030, 555.010.2030, +44 20 7946 0958; not dates, times, amounts or ids.
PHONE = re.compile(r"(?<![\w.:-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)|\d{2,4})[ .-]?\d{3,4}[ .-]\d{3,4}(?![\w.:-])")
CONTACT_FIELDS = ("property_email", "property_firstname", "property_lastname", "property_jobtitle")
PSEUDONYM = re.compile(r"[0-9a-f]{32}")


@pytest.fixture(scope="module")
def published(history_warehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return publish(history_warehouse.path, tmp_path_factory.mktemp("published")).database.parent


def _contact_details(con: duckdb.DuckDBPyConnection, relation: str, columns: list[str]) -> list[str]:
    found = []
    for column in columns:
        values = con.execute(f'select distinct "{column}" from {relation} where "{column}" is not null').fetchall()
        found += [f"{relation}.{column}: {value}" for (value,) in values if EMAIL.search(value) or PHONE.search(value)]
    return found


def test_the_patterns_find_what_they_look_for() -> None:
    assert EMAIL.search('{"recipient":"jane.doe@acme.co.uk"}')
    assert all(PHONE.search(text) for text in ("+1 (555) 010-2030", "call 555.010.2030", "+44 20 7946 0958"))
    assert not any(PHONE.search(text) for text in (
        "2026-07-13 04:46:42.000012", "2024-12-23", "52696.87", "001Hn0000000000IAA|2024-12-23", "QBR Q3 2024"))


def test_no_published_table_holds_an_email_address_or_a_phone_number(published: Path) -> None:
    with duckdb.connect(str(published / DATABASE_NAME), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name, list(column_name) from information_schema.columns "
            "where data_type = 'VARCHAR' group by all").fetchall()
        found = [detail for schema, table, columns in tables
                 for detail in _contact_details(con, f'"{schema}"."{table}"', columns)]
    assert {schema for schema, _, _ in tables} == set(PUBLISHED_SCHEMAS)
    assert found == []


def test_no_published_parquet_file_holds_an_email_address_or_a_phone_number(published: Path) -> None:
    files = sorted((published / "parquet").glob("*/*.parquet"))
    found = []
    with duckdb.connect() as con:
        for path in files:
            relation = f"read_parquet('{path}')"
            columns = [name for name, data_type, *_ in con.execute(f"describe select * from {relation}").fetchall()
                       if data_type == "VARCHAR"]
            found += _contact_details(con, relation, columns)
    assert len(files) > 40
    assert found == []


def test_quarantined_contacts_show_pseudonyms_a_steward_can_match(history_warehouse, published: Path) -> None:
    with duckdb.connect(str(published / DATABASE_NAME), read_only=True) as con:
        rows = con.execute("select record_key, raw_row from marts.fct_quarantined_rows "
                           "where source_table = 'hubspot.contact'").fetchall()
    contacts = [(key, json.loads(raw_row)) for key, raw_row in rows]
    assert contacts, "the dirty generation quarantines some contacts"
    for _, contact in contacts:
        assert all(contact[field] is None or PSEUDONYM.fullmatch(contact[field]) for field in CONTACT_FIELDS), contact
    # The warehouse keeps the row whole: the pseudonym is the MD5 of the trimmed, lower-case value.
    with duckdb.connect(str(history_warehouse.path), read_only=True) as con:
        kept = set(con.execute(
            "select cast(contact_id as varchar), md5(lower(trim(raw_row ->> 'property_email'))) "
            "from staging.base_hubspot__contacts where disposition = 'quarantined' and contact_id is not null").fetchall())
    assert {(key, contact["property_email"]) for key, contact in contacts if key} == kept
