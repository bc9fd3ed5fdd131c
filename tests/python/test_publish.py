"""`csi publish`: a complete read-only copy of the marts (DuckDB + Parquet), swapped in atomically, so a
reader never blocks a build and never sees a half-written copy."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from csi.errors import UserError
from csi.publish import DATABASE_NAME, LOCK_FILE, PARQUET_LINK, PUBLISHED_SCHEMAS, WORK_DIR, publish

CSI = Path(sys.executable).with_name("csi")


def _tables(database: Path) -> dict[str, int]:
    with duckdb.connect(str(database), read_only=True) as con:
        names = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and list_contains(?, table_schema)", [list(PUBLISHED_SCHEMAS)]
        ).fetchall()
        return {name: con.execute(f"select count(*) from {name}").fetchall()[0][0] for (name,) in names}


def _parquet_rows(folder: Path) -> dict[str, int]:
    with duckdb.connect() as con:
        return {
            f"{path.parent.name}.{path.stem}": con.execute("select count(*) from read_parquet(?)", [str(path)]).fetchall()[0][0]
            for path in folder.glob("*/*.parquet")
        }


def test_publish_copies_every_mart_snapshot_and_seed_to_duckdb_and_parquet(history_warehouse, tmp_path):
    expected = _tables(history_warehouse.path)
    assert {"marts.fct_account_health", "toolkit_scores.fct_toolkit_health", "snapshots.snap_account_health",
            "seeds.health_weights"} <= set(expected)

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
    assert not (published / WORK_DIR).exists()


def _use_warehouse(monkeypatch: pytest.MonkeyPatch, root: Path) -> Path:
    """Point dbt and csi at root/csi.duckdb, with dbt's artifacts and logs beside it."""
    monkeypatch.setenv("CSI_WAREHOUSE", str(root / "csi.duckdb"))
    monkeypatch.setenv("DBT_TARGET_PATH", str(root / "target"))
    monkeypatch.setenv("DBT_LOG_PATH", str(root / "logs"))
    return root / "csi.duckdb"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The dbt project, parsed once for this module's tests: each test points CSI_WAREHOUSE at its own
    `csi.duckdb` (the manifest names the database after the file, not its folder)."""
    from csi.dbt import DbtProject

    root = tmp_path_factory.mktemp("parse")
    with pytest.MonkeyPatch.context() as patch:
        _use_warehouse(patch, root)
        parsed = DbtProject(quiet=True)
        parsed.parse()
    return parsed


def test_a_reader_open_during_a_build_neither_blocks_it_nor_sees_partial_data(
    history_warehouse, project, tmp_path, monkeypatch
):
    from csi.build import build

    warehouse, published = _use_warehouse(monkeypatch, tmp_path), tmp_path / "published"
    shutil.copy(history_warehouse.path, warehouse)
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
        build(project, history_warehouse.today, ["fct_account_recent_activities"])
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
    env = {**os.environ, "CSI_WAREHOUSE": str(history_warehouse.path)}
    done = subprocess.run([str(CSI), "publish", "--out", str(tmp_path / "out")], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert f"published {len(_tables(history_warehouse.path))} tables to {tmp_path / 'out' / DATABASE_NAME}" in done.stdout
    env["CSI_WAREHOUSE"] = str(tmp_path / "missing.duckdb")
    missing = subprocess.run([str(CSI), "publish", "--out", str(tmp_path / "out")], capture_output=True, text=True, env=env)
    assert missing.returncode == 2 and missing.stderr.startswith("csi: error: no warehouse at")


def _kill_publish_when(published: Path, warehouse: Path, reached: Callable[[], bool]) -> None:
    """Run `csi publish` and kill -9 it as soon as it has `reached` a point of its work."""
    env = {**os.environ, "CSI_WAREHOUSE": str(warehouse)}
    child = subprocess.Popen([str(CSI), "publish", "--out", str(published)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not reached():
        assert child.poll() is None, "the publish ended before it could be killed"
        time.sleep(0.002)
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL


def test_a_publish_after_killed_ones_removes_their_litter_and_keeps_the_previous_complete_version(
    history_warehouse, tmp_path
):
    published, work = tmp_path / "published", tmp_path / "published" / WORK_DIR
    expected = publish(history_warehouse.path, published).tables
    previous = (published / PARQUET_LINK).resolve().name

    # Killed while copying the marts (its DuckDB file has a WAL), then while writing Parquet files.
    _kill_publish_when(published, history_warehouse.path, lambda: (work / f"{DATABASE_NAME}.wal").exists())
    _kill_publish_when(published, history_warehouse.path, lambda: any(work.glob("parquet.v*/*/*.parquet")))
    assert (work / DATABASE_NAME).exists()
    # What earlier versions of csi left when killed: temporary files and WALs beside the copy, and
    # a partial version folder newer than the complete one.
    for litter in (f".{DATABASE_NAME}.123.456.tmp", f".{DATABASE_NAME}.123.456.tmp.wal", f".{PARQUET_LINK}.123.link"):
        (published / litter).write_bytes(b"partial")
    partial = published / f"{PARQUET_LINK}.v9999999999999999999" / "marts"
    partial.mkdir(parents=True)
    shutil.copy(published / PARQUET_LINK / "marts" / "fct_account_health.parquet", partial)
    assert _tables(published / DATABASE_NAME) == expected, "a killed publish never touches the published copy"

    publish(history_warehouse.path, published)

    current = (published / PARQUET_LINK).resolve().name
    assert sorted(path.name for path in published.iterdir()) == sorted(
        [DATABASE_NAME, PARQUET_LINK, LOCK_FILE, previous, current]
    )
    assert _parquet_rows(published / previous) == expected, "the previous complete version is kept whole"
    assert _parquet_rows(published / current) == expected
    assert _tables(published / DATABASE_NAME) == expected


def test_a_publish_waits_for_one_in_progress_and_leaves_its_files_alone(history_warehouse, tmp_path):
    published, started = tmp_path / "published", tmp_path / "started"
    # Another process publishing into the same folder, slow after writing its files: it renames them
    # into place only after a pause, and fails if anything removed them meanwhile.
    slow_publish = """
import sys, time
from pathlib import Path
import csi.publish as module
write_parquet = module._write_parquet
def write_then_pause(*args):
    write_parquet(*args)
    Path(sys.argv[3]).touch()
    time.sleep(1)
module._write_parquet = write_then_pause
module.publish(Path(sys.argv[1]), Path(sys.argv[2]))
"""
    other = subprocess.Popen([sys.executable, "-c", slow_publish, str(history_warehouse.path), str(published), str(started)])
    while not started.exists():
        assert other.poll() is None, "the other publish failed before writing its files"
        time.sleep(0.01)

    publish(history_warehouse.path, published)

    assert other.wait() == 0
    versions = sorted(path.name for path in published.glob(f"{PARQUET_LINK}.v*"))
    assert len(versions) == 2 and (published / PARQUET_LINK).resolve().name == versions[-1]
    assert not (published / WORK_DIR).exists()


def test_a_warehouse_and_a_published_folder_with_an_apostrophe_publish(history_warehouse, tmp_path):
    folder = tmp_path / "o'brien's"
    folder.mkdir()
    warehouse = folder / "csi.duckdb"
    warehouse.symlink_to(history_warehouse.path)

    publication = publish(warehouse, folder / "bi's copy")

    assert _tables(publication.database) == publication.tables == _tables(history_warehouse.path)
    assert _parquet_rows(publication.parquet_dir) == publication.tables


def test_a_warehouse_another_program_holds_is_one_line_on_build_publish_and_load(history_warehouse, tmp_path):
    warehouse = tmp_path / "csi.duckdb"
    env = {**os.environ, "CSI_WAREHOUSE": str(warehouse), "CSI_PUBLISHED_DIR": str(tmp_path / "published"),
           "DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path / "logs")}
    with duckdb.connect(str(warehouse)):  # a BI tool (here this test's process) keeps the warehouse open
        for command in (["build", "--as-of", "2026-06-30"], ["publish"], ["load", str(history_warehouse.data_dir)]):
            done = subprocess.run([str(CSI), *command], capture_output=True, text=True, env=env)
            assert done.returncode == 2, (command, done.stderr)
            assert done.stdout == "", command
            assert re.fullmatch(
                f"csi: error: {re.escape(str(warehouse))} is open in another program \\(.*python.*, PID {os.getpid()}\\): "
                f"close it and retry; BI tools and notebooks should read the published copy in "
                f"{re.escape(str(tmp_path / 'published'))} instead\n",
                done.stderr,
            ), (command, done.stderr)


def test_a_warehouse_taken_between_two_dbt_commands_fails_in_one_line_without_dbt_tracebacks(
    project, tmp_path, monkeypatch, capsys
):
    warehouse = _use_warehouse(monkeypatch, tmp_path)
    # The project was parsed (a first command ran); then another program opens the warehouse.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print(flush=True); time.sleep(60)",
         str(warehouse)],
        stdout=subprocess.PIPE,
    )
    try:
        holder.stdout.readline()
        with pytest.raises(UserError, match=f"^{re.escape(str(warehouse))} is open in another program .*PID {holder.pid}"):
            project.invoke(["seed"])
    finally:
        holder.kill()
        holder.wait()
    assert capsys.readouterr().out == "", "dbt printed the lock failure (errors are all a quiet run prints)"
