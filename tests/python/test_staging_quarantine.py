"""Nothing is lost: on dirty generated data, landed from CSV files (text, as a file export lands)
with a few values that do not parse as their column's type, a plain `dbt build` passes; every raw
row is staged, deduplicated, deleted or quarantined; and the quarantine holds exactly the defects
the generator injected and the unparseable values, each under its rule."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from csi.dbt import DbtProject
from csi.generate.dirty import RULES
from csi.sources import raw_tables
from tests.python.warehouse import TODAY, BuiltWarehouse, use_warehouse

# The scores as a list of rows; the unrounded composite to 9 decimals (a parallel float sum may differ
# in its last bits between runs).
HEALTH = ("select * replace (round(health_score_unrounded, 9) as health_score_unrounded) "
          "from marts.fct_account_health order by account_id")

# A value in each of several typed columns that does not parse: (raw table, column, the text).
BAD_VALUES = (
    ("product.usage_daily", "logins", "12 logins"),  # integer
    ("product.usage_daily", "usage_date", "2026-02-30"),  # date, part of the key
    ("product.user_activity_daily", "events", "3 events"),  # integer
    ("salesforce.opportunity", "amount", "12,500.00"),  # double
    ("ml.churn_prediction", "churn_probability", "high"),  # double
    ("salesforce.contract", "is_deleted", "nope"),  # boolean
    ("support.ticket", "is_escalated", "maybe"),  # boolean
    ("alchemer.survey_response", "nps_score", "N/A"),  # integer
    ("hubspot.contact", "id", "C-1001"),  # bigint, the key
    ("hubspot.email_event", "created", "31/12/2025 10:00"),  # timestamp
    ("salesforce.task", "_fivetran_synced", "yesterday"),  # the sync time of an incremental table
)


@dataclass(frozen=True)
class Unparseable:
    source_table: str
    column: str
    text: str
    record_key: str | None  # None when the value is part of the key


@dataclass(frozen=True)
class CsvWarehouse:
    built: BuiltWarehouse
    csv_dir: Path
    unparseable: tuple[Unparseable, ...]
    project: DbtProject
    health_before_full_refresh: list[tuple]


def write_csv(data_dir: Path, csv_dir: Path, bad_values: tuple[tuple[str, str, str], ...]) -> tuple[Unparseable, ...]:
    """Every raw table of data_dir as a CSV file under csv_dir, with each bad value written over the
    cell of a row the generator left clean (its key is not in the dirty manifest)."""
    dirty_keys = {(entry["source_table"], entry["record_key"]) for entry in manifest(data_dir)}
    written = []
    with duckdb.connect() as con:
        for table in raw_tables():
            name, key = table.qualified_name, RULES[table.qualified_name].key
            as_text = ", ".join(f"cast({column} as varchar) as {column}" for column in table.column_names)
            con.execute(f"create or replace table landed as select row_number() over () as row_number, {as_text} "
                        f"from read_parquet('{data_dir / table.source / table.name}.parquet')")
            record_key = " || '|' || ".join(key)
            rows = con.execute(f"select row_number, {record_key} from landed where {record_key} is not null "
                               "order by row_number").fetchall()
            clean = [(number, value) for number, value in rows if (name, value) not in dirty_keys]
            for (number, value), (_, column, text) in zip(clean, [bad for bad in bad_values if bad[0] == name]):
                con.execute(f"update landed set {column} = ? where row_number = ?", [text, number])
                written.append(Unparseable(name, column, text, None if column in key else value))
            (csv_dir / table.source).mkdir(parents=True, exist_ok=True)
            con.execute(f"copy (select * exclude (row_number) from landed order by row_number) "
                        f"to '{csv_dir / table.source / table.name}.csv' (header)")
    assert len(written) == len(bad_values)
    return tuple(written)


@pytest.fixture(scope="module")
def dirty_warehouse(tmp_path_factory: pytest.TempPathFactory) -> CsvWarehouse:
    from csi.generate import generate
    from csi.load import load_directory

    root = tmp_path_factory.mktemp("dirty")
    data_dir, csv_dir, warehouse = root / "data", root / "csv", use_warehouse(root)
    generate(out_dir=data_dir, accounts=200, seed=7, today=TODAY, dirty_rate=0.2)
    unparseable = write_csv(data_dir, csv_dir, BAD_VALUES)
    load_directory(csv_dir, warehouse)
    project = DbtProject(quiet=True)
    # What a user types, twice: `dbt build`, then `dbt build --full-refresh` (each fails on any error).
    project.invoke(["build"], TODAY)
    built = BuiltWarehouse(data_dir, warehouse, TODAY)
    health = built.query(HEALTH)
    project.invoke(["build", "--full-refresh"], TODAY)
    return CsvWarehouse(built, csv_dir, unparseable, project, health)


def manifest(data_dir: Path) -> list[dict]:
    return pq.read_table(data_dir / "_manifest" / "dirty.parquet").to_pylist()


def test_a_full_refresh_rebuilds_the_same_scores(dirty_warehouse: CsvWarehouse) -> None:
    rebuilt = dirty_warehouse.built.query(HEALTH)
    assert len(rebuilt) > 100 and rebuilt == dirty_warehouse.health_before_full_refresh


def test_every_raw_row_is_accounted_for(dirty_warehouse: CsvWarehouse) -> None:
    rows = dirty_warehouse.built.query("select source_table, raw_rows, unaccounted_rows from marts.fct_source_reconciliation")
    assert len(rows) == len(raw_tables())
    assert all(raw > 0 for _, raw, _ in rows)
    assert [(table, unaccounted) for table, _, unaccounted in rows if unaccounted != 0] == []


def test_quarantine_holds_exactly_the_injected_defects(dirty_warehouse: CsvWarehouse) -> None:
    injected = Counter(
        (entry["source_table"], entry["defect"])
        for entry in manifest(dirty_warehouse.built.data_dir) if entry["expected_outcome"] == "quarantined"
    )
    injected += Counter((bad.source_table, "unparseable_value") for bad in dirty_warehouse.unparseable)
    quarantined = Counter({
        (table, rule): count for table, rule, count in dirty_warehouse.built.query(
            "select source_table, rejection_rule, count(*) from marts.fct_quarantined_rows group by 1, 2")
    })
    assert {rule for _, rule in injected} >= {"null_key", "orphaned_key", "unparseable_date", "future_date",
                                                 "out_of_range", "unknown_enum", "unresolvable_duplicate",
                                                 "unparseable_value"}
    assert quarantined == injected


def test_quarantined_keys_match_the_manifest(dirty_warehouse: CsvWarehouse) -> None:
    injected = {
        (entry["source_table"], entry["record_key"], entry["defect"])
        for entry in manifest(dirty_warehouse.built.data_dir)
        if entry["expected_outcome"] == "quarantined" and entry["record_key"] is not None
    } | {(bad.source_table, bad.record_key, "unparseable_value") for bad in dirty_warehouse.unparseable if bad.record_key}
    found = set(dirty_warehouse.built.query(
        "select source_table, record_key, rejection_rule from marts.fct_quarantined_rows where record_key is not null"))
    assert found == injected


@pytest.mark.parametrize("outcome, column", [("deduplicated", "deduplicated_rows"), ("deleted", "deleted_rows")])
def test_duplicates_and_deletions_match_the_manifest(dirty_warehouse: CsvWarehouse, outcome: str, column: str) -> None:
    injected = Counter(e["source_table"] for e in manifest(dirty_warehouse.built.data_dir) if e["expected_outcome"] == outcome)
    counted = {table: n for table, n in dirty_warehouse.built.query(
        f"select source_table, {column} from marts.fct_source_reconciliation") if n}
    assert counted == dict(injected)


def test_cleaned_rows_are_staged_with_tidy_values(dirty_warehouse: CsvWarehouse) -> None:
    cleaned = [e for e in manifest(dirty_warehouse.built.data_dir) if e["expected_outcome"] == "cleaned"]
    assert cleaned, "the generator injects whitespace and case defects"
    segments = {row[0] for row in dirty_warehouse.built.query("select distinct segment from staging.stg_salesforce__accounts")}
    assert segments <= {"enterprise", "mid-market", "smb"}
    emails = dirty_warehouse.built.query("select count(*) from staging.stg_hubspot__contacts where email <> lower(trim(email))")
    assert emails == [(0,)]


def test_a_value_that_does_not_parse_is_quarantined_with_its_column_and_its_text(dirty_warehouse: CsvWarehouse) -> None:
    quarantined = dirty_warehouse.built.query(
        "select source_table, record_key, unparseable_columns, raw_row from marts.fct_quarantined_rows "
        "where rejection_rule = 'unparseable_value'")
    found = {(table, key, columns, json.loads(raw_row)[columns]) for table, key, columns, raw_row in quarantined}
    assert found == {(bad.source_table, bad.record_key, bad.column, bad.text) for bad in dirty_warehouse.unparseable}


def test_a_later_row_whose_sync_time_does_not_parse_is_quarantined_by_the_next_incremental_run(
    dirty_warehouse: CsvWarehouse, tmp_path: Path
) -> None:
    from csi.load import load_directory

    warehouse = use_warehouse(tmp_path)
    shutil.copy(dirty_warehouse.built.path, warehouse)
    tasks = dirty_warehouse.csv_dir / "salesforce" / "task.csv"
    with duckdb.connect() as con:
        con.execute(f"create table task as select * from read_csv('{tasks}', all_varchar = true, header = true)")
        con.execute("insert into task select * replace ('00TLATE000000001AA' as id, 'last night' as _fivetran_synced) "
                    "from task where account_id is not null limit 1")
        shutil.copytree(dirty_warehouse.csv_dir, tmp_path / "csv")
        con.execute(f"copy task to '{tmp_path / 'csv' / 'salesforce' / 'task.csv'}' (header)")
    load_directory(tmp_path / "csv", warehouse, sources=["salesforce"])
    dirty_warehouse.project.invoke(
        ["build", "--select", "base_salesforce__tasks", "stg_salesforce__tasks", "path:models/marts/quality",
         "--exclude-resource-type", "unit_test"], TODAY)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        late = con.execute("select rejection_rule, unparseable_columns from marts.fct_quarantined_rows "
                           "where record_key = '00TLATE000000001AA'").fetchall()
        unaccounted = con.execute("select sum(unaccounted_rows) from marts.fct_source_reconciliation").fetchall()
    assert late == [("unparseable_value", "_fivetran_synced")]
    assert unaccounted == [(0,)]


def test_triage_outcomes_fails_on_each_broken_expectation_with_its_rows(
    dirty_warehouse: CsvWarehouse, tmp_path: Path
) -> None:
    """The base models' one data test on their triage columns (tests/generic/triage_outcomes.sql)
    passed in the build above; on broken copies of the task rows it fails, naming each expectation."""
    warehouse = use_warehouse(tmp_path)
    shutil.copy(dirty_warehouse.built.path, warehouse)
    broken = {  # what to break -> in which rows of the tasks
        "is_deleted_at_source = null": "disposition = 'staged' order by rowid limit 2",
        "disposition = 'lost'": "disposition = 'staged' order by rowid limit 1 offset 10",
        "raw_row = null": "disposition = 'quarantined' order by rowid limit 3",
        "quarantine_rule = 'typo'": "disposition = 'staged' order by rowid limit 1 offset 20",
        "rejection_rule = 'expired'": "disposition = 'staged' order by rowid limit 1 offset 30",
    }
    with duckdb.connect(str(warehouse)) as con:
        for change, rows in broken.items():
            con.execute(f"update staging.base_salesforce__tasks set {change} where rowid in "
                        f"(select rowid from staging.base_salesforce__tasks where {rows})")
    result = DbtProject(quiet=True).invoke(["test", "--select", "base_salesforce__tasks,test_name:triage_outcomes"],
                                           TODAY, check=False)
    [test] = [node_result for node_result in result.results if node_result.node.resource_type == "test"]
    assert (str(test.status), test.failures) == ("fail", 8)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        failed = dict(con.execute(test.node.compiled_code).fetchall())
    assert failed == {
        "is_deleted_at_source is null": 2,
        "disposition lost is not staged, deduplicated, deleted or quarantined": 1,
        "raw_row is null on a quarantined row": 3,
        "quarantine_rule typo is not one of the checks": 1,
        "rejection_rule expired is not one of the checks or unresolvable_duplicate": 1,
    }
