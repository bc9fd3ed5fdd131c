"""The same project on PostgreSQL 15: a real server started here, the same generated data with a few
replayed nights, the whole build (seeds, staging, score, marts, snapshots, tests), and
fct_account_health compared row for row with the DuckDB build of the same data."""

from __future__ import annotations

import os
from datetime import timedelta

import duckdb
import pytest

from csi.engines import PostgresServer, differences, land_postgres, postgres_server, raw_directory_tables
from csi.generate import state_on
from tests.python.warehouse import TODAY, BuiltWarehouse, build_warehouse

ACCOUNTS = 200
NIGHTS = 3
COMPARED = "marts.fct_account_health"
# The base models of the raw tables a sync overwrites (csi.generate.STATE_TABLES).
OVERWRITTEN = ("base_salesforce__accounts", "base_salesforce__opportunities", "base_ml__churn_predictions")


@pytest.fixture(scope="module")
def duckdb_build(tmp_path_factory: pytest.TempPathFactory) -> BuiltWarehouse:
    return build_warehouse(tmp_path_factory.mktemp("pg_duckdb"), accounts=ACCOUNTS, dirty_rate=0.01,
                           history_days=NIGHTS)


@pytest.fixture(scope="module")
def postgres(duckdb_build: BuiltWarehouse, tmp_path_factory: pytest.TempPathFactory):
    """The DuckDB build's generated data landed, replayed and built on a fresh PostgreSQL server."""
    from csi import replay as replay_module
    from csi.build import build
    from csi.dbt import DbtProject

    root = tmp_path_factory.mktemp("pg")
    saved = dict(os.environ)
    patch = pytest.MonkeyPatch()
    with postgres_server() as server:
        os.environ.update(server.env(), CSI_TARGET="postgres", DBT_TARGET_PATH=str(root / "target"),
                          DBT_LOG_PATH=str(root / "logs"))
        # A replayed night lands that night's sync, rebuilds the score's tables, then snapshots.
        # PostgreSQL drops the views bound to a replaced table (DuckDB's views rebind by name), so
        # a night there also rebuilds the views among them: every model between the staged
        # overwritten tables (selectors.yml, replay_night) and the snapshots.
        def night_on_postgres(project, data_dir, night, snapshot):
            land_postgres(server, state_on(data_dir, night))
            project.invoke(["build", "--select", *(f"{model}+,+resource_type:snapshot" for model in OVERWRITTEN),
                            "--exclude-resource-type", "test", "unit_test"], night)

        patch.setattr(replay_module, "rebuild_night", night_on_postgres)
        try:
            land_postgres(server, raw_directory_tables(duckdb_build.data_dir))
            project = DbtProject(quiet=True)
            replay_module.replay(duckdb_build.data_dir, TODAY - timedelta(days=NIGHTS), TODAY - timedelta(days=1), 7,
                                 project, progress=False)
            land_postgres(server, raw_directory_tables(duckdb_build.data_dir))
            build(project, as_of=TODAY, unit_tests=True)
            yield server
        finally:
            patch.undo()
            os.environ.clear()
            os.environ.update(saved)


def _postgres_rows(server: PostgresServer, sql: str) -> tuple[list[str], list[tuple]]:
    with server.connect() as connection, connection.cursor() as cursor:
        cursor.execute(sql)
        return [column.name for column in cursor.description], cursor.fetchall()


def test_account_health_is_the_same_on_postgres(duckdb_build: BuiltWarehouse, postgres: PostgresServer) -> None:
    with duckdb.connect(str(duckdb_build.path), read_only=True) as con:
        result = con.execute(f"select * from {COMPARED}")
        duck_columns = [column[0] for column in result.description]
        duck_rows = sorted(result.fetchall(), key=lambda row: row[0])
    pg_columns, pg_rows = _postgres_rows(postgres, f"select * from {COMPARED}")
    pg_rows = sorted(pg_rows, key=lambda row: row[0])

    assert pg_columns == duck_columns
    assert len(duck_rows) > ACCOUNTS // 2
    found = differences(duck_columns, duck_rows, pg_rows)
    assert not found, f"{len(found)} differences from DuckDB (expected) on PostgreSQL, e.g.:\n" + "\n".join(found[:20])


def test_postgres_snapshots_hold_the_replayed_nights(postgres: PostgresServer) -> None:
    _, rows = _postgres_rows(postgres, "select count(distinct dbt_valid_from), count(*) from snapshots.snap_account_health")
    nights, versions = rows[0]
    assert nights >= NIGHTS and versions > ACCOUNTS // 2  # three nights and the final build


def test_postgres_snapshots_replace_a_night_built_again_and_keep_out_of_range_dates_out(
    postgres: PostgresServer,
) -> None:
    """The history guard's SQL on PostgreSQL: the latest night snapshotted again is rewound and
    recorded afresh (unchanged sources: the same versions), an earlier and a later date change nothing."""
    from csi.dbt import DbtProject

    history = "select * from snapshots.snap_account_health order by account_id, dbt_valid_from"
    before = _postgres_rows(postgres, history)
    project = DbtProject(quiet=True)
    for as_of in (TODAY, TODAY - timedelta(days=2), TODAY + timedelta(days=5)):
        project.invoke(["snapshot"], as_of)
        assert _postgres_rows(postgres, history) == before, as_of


def test_every_model_was_built_on_postgres(duckdb_build: BuiltWarehouse, postgres: PostgresServer) -> None:
    """Every table and view of the DuckDB build exists on PostgreSQL (nothing was skipped)."""
    listing = ("select table_schema || '.' || table_name from information_schema.tables "
               "where table_schema in ('staging', 'intermediate', 'marts', 'snapshots', 'seeds')")
    with duckdb.connect(str(duckdb_build.path), read_only=True) as con:
        on_duckdb = {row[0] for row in con.execute(listing).fetchall()}
    _, rows = _postgres_rows(postgres, listing)
    assert on_duckdb - {row[0] for row in rows} == set()
