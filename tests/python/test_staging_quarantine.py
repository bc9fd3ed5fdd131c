"""Nothing is lost: on dirty generated data every raw row is staged, deduplicated, deleted or
quarantined, and the quarantine holds exactly the defects the generator injected, under their rule."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.python.warehouse import BuiltWarehouse, build_warehouse


@pytest.fixture(scope="module")
def dirty_warehouse(tmp_path_factory: pytest.TempPathFactory) -> BuiltWarehouse:
    return build_warehouse(
        tmp_path_factory.mktemp("dirty"), accounts=200, dirty_rate=0.2,
        select=["path:models/staging", "int_activities__classified",
                "path:models/intermediate/identity", "path:models/marts/quality"],
    )


def manifest(data_dir: Path) -> list[dict]:
    return pq.read_table(data_dir / "_manifest" / "dirty.parquet").to_pylist()


def test_every_raw_row_is_accounted_for(dirty_warehouse: BuiltWarehouse) -> None:
    rows = dirty_warehouse.query("select source_table, raw_rows, unaccounted_rows from marts.fct_source_reconciliation")
    assert len(rows) == 15
    assert all(raw > 0 for _, raw, _ in rows)
    assert [(table, unaccounted) for table, _, unaccounted in rows if unaccounted != 0] == []


def test_quarantine_holds_exactly_the_injected_defects(dirty_warehouse: BuiltWarehouse) -> None:
    injected = Counter(
        (entry["source_table"], entry["defect"])
        for entry in manifest(dirty_warehouse.data_dir) if entry["expected_outcome"] == "quarantined"
    )
    quarantined = Counter({
        (table, rule): count for table, rule, count in dirty_warehouse.query(
            "select source_table, rejection_rule, count(*) from marts.fct_quarantined_rows group by 1, 2")
    })
    assert {rule for _, rule in injected} >= {"null_key", "orphaned_key", "unparseable_date", "future_date",
                                                 "out_of_range", "unknown_enum", "unresolvable_duplicate"}
    assert quarantined == injected


def test_quarantined_keys_match_the_manifest(dirty_warehouse: BuiltWarehouse) -> None:
    injected = {
        (entry["source_table"], entry["record_key"], entry["defect"])
        for entry in manifest(dirty_warehouse.data_dir)
        if entry["expected_outcome"] == "quarantined" and entry["record_key"] is not None
    }
    found = set(dirty_warehouse.query(
        "select source_table, record_key, rejection_rule from marts.fct_quarantined_rows where record_key is not null"))
    assert found == injected


@pytest.mark.parametrize("outcome, column", [("deduplicated", "deduplicated_rows"), ("deleted", "deleted_rows")])
def test_duplicates_and_deletions_match_the_manifest(dirty_warehouse: BuiltWarehouse, outcome: str, column: str) -> None:
    injected = Counter(e["source_table"] for e in manifest(dirty_warehouse.data_dir) if e["expected_outcome"] == outcome)
    counted = {table: n for table, n in dirty_warehouse.query(
        f"select source_table, {column} from marts.fct_source_reconciliation") if n}
    assert counted == dict(injected)


def test_cleaned_rows_are_staged_with_tidy_values(dirty_warehouse: BuiltWarehouse) -> None:
    cleaned = [e for e in manifest(dirty_warehouse.data_dir) if e["expected_outcome"] == "cleaned"]
    assert cleaned, "the generator injects whitespace and case defects"
    segments = {row[0] for row in dirty_warehouse.query("select distinct segment from staging.stg_salesforce__accounts")}
    assert segments <= {"enterprise", "mid-market", "smb"}
    emails = dirty_warehouse.query("select count(*) from staging.stg_hubspot__contacts where email <> lower(trim(email))")
    assert emails == [(0,)]
