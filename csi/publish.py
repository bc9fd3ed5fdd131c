"""Publish a read-only copy of the marts for BI tools and the dashboard, swapped in atomically.

DuckDB locks its file: a BI tool holding the warehouse open would make the next `dbt build` fail,
and a reader during a build would fail or see half-built tables. So after each build the marts,
the snapshot history and the seeds (weights, bands, targets) are copied into
`<published>/csi.duckdb` and into Parquet files under `<published>/parquet/<schema>/<table>.parquet`.
The DuckDB file is written beside its final name and renamed over it (atomic on one filesystem);
the Parquet files are written into a new version folder and the `parquet` symlink is switched to it
atomically. A reader that reconnects sees the new copy; one holding the old file keeps reading the
old, complete copy until it reconnects. Nothing ever opens the warehouse and the copy at once
except this module, which runs after the build, in the same job.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from csi.errors import UserError

# Schemas copied whole: what BI reads (marts), the nightly history (snapshots) and the reference
# tables the marts were computed with (seeds: weights and their version, bands, targets).
PUBLISHED_SCHEMAS = ("marts", "snapshots", "seeds")
DATABASE_NAME = "csi.duckdb"
PARQUET_LINK = "parquet"
# Parquet versions kept besides the current one, for a reader that listed the files just before a swap.
PARQUET_VERSIONS_KEPT = 1


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


def _write_database(warehouse: Path, target: Path) -> dict[str, int]:
    """Copy the published schemas of the warehouse into a new DuckDB file at target."""
    tables = published_tables(warehouse)
    if not any(schema == "marts" for schema, _ in tables):
        raise UserError(f"{warehouse} has no marts to publish: run `csi build` first")
    rows: dict[str, int] = {}
    with duckdb.connect(str(target)) as con:
        con.execute("set enable_progress_bar = false")
        con.execute(f"attach '{warehouse}' as warehouse (read_only)")
        for schema in sorted({schema for schema, _ in tables}):
            con.execute(f'create schema "{schema}"')
        for schema, table in tables:
            con.execute(f'create table "{schema}"."{table}" as select * from warehouse."{schema}"."{table}"')
            rows[f"{schema}.{table}"] = con.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0][0]
        con.execute("detach warehouse")
        con.execute("checkpoint")
    return rows


def _write_parquet(database: Path, folder: Path, tables: list[str]) -> None:
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute("set enable_progress_bar = false")
        for name in tables:
            schema, table = name.split(".")
            (folder / schema).mkdir(parents=True, exist_ok=True)
            path = folder / schema / f"{table}.parquet"
            con.execute(f"copy \"{schema}\".\"{table}\" to '{path}' (format parquet, compression zstd)")


def _swap_parquet(published: Path, version: Path) -> None:
    """Point the `parquet` symlink at a new version folder atomically and drop stale versions."""
    link = published / PARQUET_LINK
    if link.exists() and not link.is_symlink():  # a plain folder: replace it once by a link
        shutil.rmtree(link)
    temporary_link = published / f".{PARQUET_LINK}.{os.getpid()}.link"
    temporary_link.unlink(missing_ok=True)
    temporary_link.symlink_to(version.name, target_is_directory=True)
    os.replace(temporary_link, link)
    versions = sorted(p for p in published.glob(f"{PARQUET_LINK}.v*") if p.is_dir() and p != version)
    for stale in versions[: max(len(versions) - PARQUET_VERSIONS_KEPT, 0)]:
        shutil.rmtree(stale, ignore_errors=True)


def publish(warehouse: Path, published: Path) -> Publication:
    """Copy the marts, snapshots and seeds of the warehouse into `published`, atomically."""
    started = time.perf_counter()
    if not warehouse.exists():
        raise UserError(f"no warehouse at {warehouse}: run `csi build` (or `make demo`) first")
    published.mkdir(parents=True, exist_ok=True)
    database = published / DATABASE_NAME
    stamp = f"{time.time_ns()}"
    temporary = published / f".{DATABASE_NAME}.{os.getpid()}.{stamp}.tmp"
    version = published / f"{PARQUET_LINK}.v{stamp}"
    try:
        rows = _write_database(warehouse, temporary)
        _write_parquet(temporary, version, list(rows))
    except BaseException:
        temporary.unlink(missing_ok=True)
        shutil.rmtree(version, ignore_errors=True)
        raise
    os.replace(temporary, database)
    _swap_parquet(published, version)
    return Publication(database, published / PARQUET_LINK, rows, round(time.perf_counter() - started, 2))
