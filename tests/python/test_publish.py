"""`csi publish`: a complete read-only copy of the marts (DuckDB + Parquet), swapped in atomically, so a
reader never blocks a build and never sees a half-written copy."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import duckdb
import pytest

from csi.errors import UserError
from csi.publish import DATABASE_NAME, PARQUET_LINK, publish


def _tables(database: Path, schemas: tuple[str, ...] = ("marts", "snapshots", "seeds")) -> dict[str, int]:
    with duckdb.connect(str(database), read_only=True) as con:
        names = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema in ('marts', 'snapshots', 'seeds')"
        ).fetchall()
        return {
            name: con.execute(f"select count(*) from {name}").fetchall()[0][0]
            for (name,) in names
            if name.split(".")[0] in schemas
        }


def _parquet_rows(folder: Path) -> dict[str, int]:
    with duckdb.connect() as con:
        return {
            f"{path.parent.name}.{path.stem}": con.execute(f"select count(*) from read_parquet('{path}')").fetchall()[0][0]
            for path in folder.glob("*/*.parquet")
        }


def test_publish_copies_every_mart_snapshot_and_seed_to_duckdb_and_parquet(history_warehouse, tmp_path):
    expected = _tables(history_warehouse.path)
    assert {"marts.fct_account_health", "snapshots.snap_account_health", "seeds.health_weights"} <= set(expected)

    publication = publish(history_warehouse.path, tmp_path / "published")

    assert publication.tables == expected
    assert _tables(tmp_path / "published" / DATABASE_NAME) == expected
    assert _parquet_rows(tmp_path / "published" / PARQUET_LINK) == expected
    with duckdb.connect() as con:  # same content, not only the same counts
        con.execute(f"attach '{history_warehouse.path}' as warehouse (read_only)")
        con.execute(f"attach '{tmp_path / 'published' / DATABASE_NAME}' as published (read_only)")
        for table in ("marts.fct_account_health", "snapshots.snap_account_health"):
            for left, right in (("warehouse", "published"), ("published", "warehouse")):
                difference = con.execute(f"select count(*) from (from {left}.{table} except all from {right}.{table})")
                assert difference.fetchall()[0][0] == 0, (table, left, right)


def test_republishing_keeps_one_parquet_version_besides_the_current(history_warehouse, tmp_path):
    published = tmp_path / "published"
    for _ in range(4):
        publish(history_warehouse.path, published)
    versions = sorted(path.name for path in published.glob(f"{PARQUET_LINK}.v*"))
    assert len(versions) == 2
    assert (published / PARQUET_LINK).resolve().name == versions[-1]
    assert not list(published.glob(".*.tmp"))


def test_a_reader_open_during_a_build_neither_blocks_it_nor_sees_partial_data(history_warehouse, tmp_path, monkeypatch):
    from csi.build import build
    from csi.dbt import DbtProject

    warehouse, published = tmp_path / "csi.duckdb", tmp_path / "published"
    shutil.copy(history_warehouse.path, warehouse)
    monkeypatch.setenv("CSI_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "logs"))
    before = publish(warehouse, published).tables

    held = duckdb.connect(str(published / DATABASE_NAME), read_only=True)  # a BI tool keeping the copy open
    seen: list[dict[str, int]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def read_fresh_copies() -> None:  # a dashboard reconnecting over and over during the build and publish
        while not stop.is_set():
            try:
                seen.append(_tables(published / DATABASE_NAME))
                seen.append(_parquet_rows((published / PARQUET_LINK).resolve()))  # one version, resolved once
            except BaseException as error:  # noqa: BLE001 - any failure to read is what this test looks for
                errors.append(error)

    reader = threading.Thread(target=read_fresh_copies)
    reader.start()
    try:
        # The nightly job: a real dbt build into the warehouse (here of one mart) ...
        build(DbtProject(quiet=True), history_warehouse.today, ["fct_account_recent_activities"])
        with duckdb.connect(str(warehouse)) as con:  # ... whose marts changed (fewer customers), then publish
            con.execute("delete from marts.fct_account_health where segment = 'smb'")
        after = publish(warehouse, published).tables
    finally:
        stop.set()
        reader.join()

    assert not errors, errors[:3]
    assert after != before
    assert seen and all(state in (before, after) for state in seen), "a reader saw a mix of two publications"
    assert held.execute("select count(*) from marts.fct_account_health").fetchall()[0][0] == (
        before["marts.fct_account_health"]
    ), "a held connection keeps reading its complete copy"
    held.close()
    assert _tables(published / DATABASE_NAME) == after


def test_publishing_a_warehouse_without_marts_says_what_to_run(tmp_path):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(UserError, match="csi build"):
        publish(empty, tmp_path / "published")
    with pytest.raises(UserError, match="csi build"):
        publish(tmp_path / "missing.duckdb", tmp_path / "published")
    assert not (tmp_path / "published" / DATABASE_NAME).exists()


def test_csi_publish_command_reports_what_it_published(history_warehouse, tmp_path):
    import os
    import subprocess
    import sys

    csi = Path(sys.executable).with_name("csi")
    env = {**os.environ, "CSI_WAREHOUSE": str(history_warehouse.path)}
    done = subprocess.run([str(csi), "publish", "--out", str(tmp_path / "out")], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert f"published {len(_tables(history_warehouse.path))} tables to {tmp_path / 'out' / DATABASE_NAME}" in done.stdout
    env["CSI_WAREHOUSE"] = str(tmp_path / "missing.duckdb")
    missing = subprocess.run([str(csi), "publish", "--out", str(tmp_path / "out")], capture_output=True, text=True, env=env)
    assert missing.returncode == 2 and missing.stderr.startswith("csi: error: no warehouse at")
