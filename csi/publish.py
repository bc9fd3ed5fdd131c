"""Publish a read-only copy of the marts for BI tools and the dashboard, swapped in atomically.

DuckDB locks its file: a BI tool holding the warehouse open would make the next `dbt build` fail,
and a reader during a build would fail or see half-built tables. So after each build the marts,
the snapshot history and the seeds (weights, bands, targets) are copied into
`<published>/csi.duckdb` and into Parquet files under `<published>/parquet/<schema>/<table>.parquet`.
Both are written under `<published>/.publishing/` and moved into place once complete: the DuckDB
file is renamed over the published one, the Parquet version folder gets its final name
(`parquet.v<stamp>`, so every such folder is complete) and the `parquet` symlink is switched to it;
each step is atomic on one filesystem. A reader that reconnects sees the new copy; one holding the
old file keeps reading the old, complete copy until it reconnects.

A publish holds an exclusive lock on `<published>/.publish.lock` (released by the OS however the
process ends), so two publishes into one folder take turns, and whatever is in `.publishing/` when
a publish gets the lock was left by one that was killed: it is removed. Nothing ever opens the
warehouse and the copy at once except this module, which runs after the build, in the same job.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from csi.errors import UserError

# Schemas copied whole: what BI reads (marts, and the toolkit's nightly scores for the teams that
# know the toolkit: docs/toolkit.md), the nightly history (snapshots) and the reference tables the
# marts were computed with (seeds: weights and their version, bands, targets).
PUBLISHED_SCHEMAS = ("marts", "toolkit_scores", "snapshots", "seeds")
DATABASE_NAME = "csi.duckdb"
PARQUET_LINK = "parquet"
WORK_DIR = ".publishing"
LOCK_FILE = ".publish.lock"
# `csi rescore --preview` publishes a what-if into this folder of the published folder (the
# dashboard's ?preview page), leaving the published copy everyone reads as it is.
PREVIEW_DIR = "preview"
# What earlier versions of csi left beside the published files when a publish was killed.
LEGACY_LITTER = (f".{DATABASE_NAME}.*.tmp*", f".{PARQUET_LINK}.*.link")


@dataclass(frozen=True)
class Publication:
    database: Path
    parquet_dir: Path
    tables: dict[str, int]  # "schema.table" -> rows
    seconds: float


def published_tables(warehouse: Path) -> list[tuple[str, str]]:
    """(schema, table) of every base table in the published schemas of a warehouse."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [
            (schema, table)
            for schema, table in con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_type = 'BASE TABLE' and table_schema in (select unnest(?)) "
                "order by table_schema, table_name",
                [list(PUBLISHED_SCHEMAS)],
            ).fetchall()
        ]


def _write_database(warehouse: Path, target: Path, replaced_by: Path | None = None) -> dict[str, int]:
    """Copy the published schemas of the warehouse into a new DuckDB file at target; a table that
    `replaced_by` (a rescore's preview) holds too is copied from there instead."""
    tables = published_tables(warehouse)
    if not any(schema == "marts" for schema, _ in tables):
        raise UserError(f"{warehouse} has no marts to publish: run `csi build` first")
    replaced = set(published_tables(replaced_by)) if replaced_by else set()
    rows: dict[str, int] = {}
    with duckdb.connect(str(target)) as con:
        con.execute("set enable_progress_bar = false")
        con.execute("attach ? as warehouse (read_only)", [str(warehouse)])
        if replaced_by:
            con.execute("attach ? as replacement (read_only)", [str(replaced_by)])
        for schema in sorted({schema for schema, _ in tables}):
            con.execute(f'create schema "{schema}"')
        for schema, table in tables:
            source = "replacement" if (schema, table) in replaced else "warehouse"
            con.execute(f'create table "{schema}"."{table}" as select * from {source}."{schema}"."{table}"')
            rows[f"{schema}.{table}"] = con.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0][0]
        con.execute("detach warehouse")
        if replaced_by:
            con.execute("detach replacement")
        con.execute("checkpoint")
    return rows


def _write_parquet(database: Path, folder: Path, tables: list[str]) -> None:
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute("set enable_progress_bar = false")
        for name in tables:
            schema, table = name.split(".")
            (folder / schema).mkdir(parents=True, exist_ok=True)
            path = folder / schema / f"{table}.parquet"
            con.execute(f'copy "{schema}"."{table}" to ? (format parquet, compression zstd)', [str(path)])


def _swap_parquet(published: Path, written: Path) -> None:
    """Give the complete version folder written under the work folder its final name, point the
    `parquet` symlink at it atomically and drop every version but the new and the previous one."""
    link = published / PARQUET_LINK
    previous = os.readlink(link) if link.is_symlink() else None  # kept for a reader that resolved it
    if link.exists() and not link.is_symlink():  # a plain folder: replace it once by a link
        shutil.rmtree(link)
    version = published / written.name
    os.rename(written, version)
    temporary_link = written.parent / PARQUET_LINK
    temporary_link.symlink_to(version.name, target_is_directory=True)
    os.replace(temporary_link, link)
    for stale in published.glob(f"{PARQUET_LINK}.v*"):
        if stale.name not in (version.name, previous):
            shutil.rmtree(stale)


@contextmanager
def _publishing(published: Path) -> Iterator[Path]:
    """Hold the folder's publish lock (waiting for a publish in progress) and yield an empty work
    folder, cleared of what a killed publish left there, and removed afterwards."""
    published.mkdir(parents=True, exist_ok=True)
    with open(published / LOCK_FILE, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # closing the file (or the process ending) releases it
        work = published / WORK_DIR
        shutil.rmtree(work, ignore_errors=True)
        for pattern in LEGACY_LITTER:
            for litter in published.glob(pattern):
                litter.unlink()
        work.mkdir()
        try:
            yield work
        finally:
            shutil.rmtree(work, ignore_errors=True)


def publish(warehouse: Path, published: Path, replaced_by: Path | None = None) -> Publication:
    """Copy the marts, snapshots and seeds of the warehouse into `published`, atomically; the tables
    a DuckDB file `replaced_by` holds in those schemas take the place of the warehouse's."""
    started = time.perf_counter()
    if not warehouse.exists():
        raise UserError(f"no warehouse at {warehouse}: run `csi build` (or `make demo`) first")
    with _publishing(published) as work:
        rows = _write_database(warehouse, work / DATABASE_NAME, replaced_by)
        version = work / f"{PARQUET_LINK}.v{time.time_ns()}"
        _write_parquet(work / DATABASE_NAME, version, list(rows))
        database = published / DATABASE_NAME
        os.replace(work / DATABASE_NAME, database)
        _swap_parquet(published, version)
    return Publication(database, published / PARQUET_LINK, rows, round(time.perf_counter() - started, 2))
