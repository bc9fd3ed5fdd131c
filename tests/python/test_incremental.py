"""A nightly incremental run gives exactly what a full refresh gives on the same data, while it
triages only the rows that can have changed.

Two warehouses over the same generated sources (with bad rows): one is built as the sync stood three
nights ago, then loaded with tonight's sync and built incrementally; the other is built from
scratch on tonight's sync. Three nights ago one account was missing from the account sync, so its
usage and tickets were orphaned then and must be staged tonight."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from csi.build import build
from csi.dbt import DbtFailure, DbtProject
from csi.generate import generate
from csi.load import load_directory
from csi.replay import land_night
from csi.sources import raw_tables
from tests.python.warehouse import use_warehouse

TODAY = date(2026, 6, 30)
LAST_RUN = TODAY - timedelta(days=3)
INCREMENTAL_MODELS = {  # and the raw table each one triages
    "staging.base_salesforce__tasks": "salesforce.task", "staging.base_salesforce__events": "salesforce.event",
    "staging.base_hubspot__email_events": "hubspot.email_event", "staging.base_hubspot__engagements": "hubspot.engagement",
    "staging.base_product__usage_daily": "product.usage_daily",
    "staging.base_product__user_activity_daily": "product.user_activity_daily", "staging.base_support__tickets": "support.ticket",
}
# Staging of every synced source (the toolkit's portfolio staging reads a file `csi toolkit` loads).
SELECTION = [*(f"path:models/staging/{source}" for source in sorted({t.source for t in raw_tables()})),
             "int_activities__classified"]


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, str]]:
    # Only the tests whose every parent is selected: the rest of the project is not built here.
    os.environ["DBT_INDIRECT_SELECTION"] = "cautious"
    try:
        yield build_both(tmp_path_factory)
    finally:
        os.environ.pop("DBT_INDIRECT_SELECTION")


def build_both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    data = tmp_path_factory.mktemp("data")
    generate(out_dir=data, accounts=150, seed=11, today=TODAY, dirty_rate=0.03)
    full, nightly = tmp_path_factory.mktemp("full"), tmp_path_factory.mktemp("nightly")

    load_directory(data, use_warehouse(full))
    build(DbtProject(quiet=True), as_of=TODAY, select=SELECTION)

    warehouse = use_warehouse(nightly)
    project = DbtProject(quiet=True)
    load_directory(data, warehouse)
    land_night(warehouse, data, LAST_RUN)
    with duckdb.connect(str(warehouse)) as con:
        (late_account,) = con.execute(
            "select account_id from product.usage_daily group by 1 order by count(*) desc limit 1").fetchone()
        con.execute("delete from salesforce.account where id = ?", [late_account])
    build(project, as_of=LAST_RUN, select=SELECTION)
    shutil.copy(warehouse, nightly / "last_run.duckdb")
    load_directory(data, warehouse)
    build(project, as_of=TODAY, select=SELECTION, nightly=True)
    return full / "csi.duckdb", nightly, late_account


def rows(con: duckdb.DuckDBPyConnection, query: str) -> int:
    return con.execute(query).fetchone()[0]


@pytest.mark.parametrize("model", [*INCREMENTAL_MODELS, "intermediate.int_activities__classified"])
def test_the_nightly_run_equals_a_full_refresh(warehouses: tuple[Path, Path, str], model: str) -> None:
    full, nightly, _ = warehouses
    with duckdb.connect() as con:
        con.execute(f"attach '{full}' as full_refresh (read_only)")
        con.execute(f"attach '{nightly / 'csi.duckdb'}' as nightly (read_only)")
        total = rows(con, f"select count(*) from full_refresh.{model}")
        assert total > 0
        assert rows(con, f"select count(*) from nightly.{model}") == total
        assert rows(con, f"select count(*) from (select * from nightly.{model} except all "
                         f"select * from full_refresh.{model})") == 0


def test_the_nightly_run_added_one_row_per_newly_synced_raw_row(warehouses: tuple[Path, Path, str]) -> None:
    _, nightly, _ = warehouses
    added = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{nightly / 'last_run.duckdb'}' as last_run (read_only)")
        con.execute(f"attach '{nightly / 'csi.duckdb'}' as tonight (read_only)")
        for model, raw in INCREMENTAL_MODELS.items():
            synced = rows(con, f"select count(*) from tonight.{raw} where _fivetran_synced >= date '{LAST_RUN}' + 1")
            added[model] = rows(con, f"select count(*) from tonight.{model}") - rows(con, f"select count(*) from last_run.{model}")
            assert added[model] == synced, model
    assert sum(added.values()) > 0


def test_rows_orphaned_last_run_are_staged_once_their_parent_arrives(warehouses: tuple[Path, Path, str]) -> None:
    _, nightly, late_account = warehouses
    with duckdb.connect() as con:
        con.execute(f"attach '{nightly / 'last_run.duckdb'}' as last_run (read_only)")
        con.execute(f"attach '{nightly / 'csi.duckdb'}' as tonight (read_only)")
        usage = "staging.base_product__usage_daily where account_id = ?"
        orphaned_then = con.execute(f"select count(*) from last_run.{usage} and rejection_rule = 'orphaned_key'",
                                    [late_account]).fetchone()[0]
        assert orphaned_then > 0
        assert con.execute(f"select count(*) from tonight.{usage} and rejection_rule = 'orphaned_key'",
                           [late_account]).fetchone()[0] == 0
        assert con.execute(f"select count(*) from tonight.{usage} and disposition = 'staged'",
                           [late_account]).fetchone()[0] > 0


def test_a_nightly_run_tests_the_staging_rows_synced_since_the_last_run(
    warehouses: tuple[Path, Path, str], tmp_path: Path,
) -> None:
    """Staging's data tests on a nightly run read the rows synced in the lookback window before the
    as-of date: a defect in older rows (here a duplicated staged key) is left to the next full
    build, which checks every row; the same defect in tonight's rows fails the night."""
    _, nightly, _ = warehouses
    warehouse = use_warehouse(tmp_path)
    shutil.copy(nightly / "csi.duckdb", warehouse)
    project = DbtProject(quiet=True)
    test_usage = ["test", "--select", "stg_product__usage_daily", "--exclude", "resource_type:unit_test"]
    duplicate_a_staged_row = ("insert into staging.base_product__usage_daily select * from staging.base_product__usage_daily "
                              "where disposition = 'staged' and _fivetran_synced {} limit 1")

    with duckdb.connect(str(warehouse)) as con:
        con.execute(duplicate_a_staged_row.format(f"< date '{LAST_RUN}' - 30"))
    project.invoke(test_usage, TODAY, {"data_tests_recent_syncs_only": True})
    with pytest.raises(DbtFailure, match="unique_combination_stg_product__usage_daily"):
        project.invoke(test_usage, TODAY, {"data_tests_recent_syncs_only": False})

    with duckdb.connect(str(warehouse)) as con:
        con.execute(duplicate_a_staged_row.format(f">= date '{TODAY}' - 1"))
    with pytest.raises(DbtFailure, match="unique_combination_stg_product__usage_daily"):
        project.invoke(test_usage, TODAY, {"data_tests_recent_syncs_only": True})
