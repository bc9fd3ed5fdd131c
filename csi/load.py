"""Load Parquet or CSV files into the warehouse's raw schemas, all or nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from csi.errors import UserError
from csi.sources import RawTable, raw_tables

FILE_SUFFIXES = (".parquet", ".csv")


@dataclass(frozen=True)
class LoadedTable:
    qualified_name: str
    path: Path
    rows: int
    missing_custom_fields: tuple[str, ...] = ()


def find_file(data_dir: Path, table: RawTable) -> Path | None:
    """The table's file; None for an optional table without one."""
    for suffix in FILE_SUFFIXES:
        candidate = data_dir / table.source / f"{table.name}{suffix}"
        if candidate.is_file():
            return candidate
    if table.optional:
        return None
    raise UserError(
        f"missing table {table.qualified_name}: expected {data_dir / table.source / table.name}.parquet or .csv"
    )


def _scan_sql(path: Path) -> str:
    quoted = str(path).replace("'", "''")
    if path.suffix == ".csv":
        # CSV carries no types: land every column as text, as a file export would; staging casts.
        return f"select * from read_csv('{quoted}', all_varchar = true, header = true)"
    return f"select * from read_parquet('{quoted}')"


def _check_columns(con: duckdb.DuckDBPyConnection, table: RawTable, path: Path) -> tuple[str, ...]:
    """The custom fields the file lacks; any other declared column missing is an error."""
    try:
        found = {row[0] for row in con.execute(f"describe {_scan_sql(path)}").fetchall()}
    except duckdb.Error as error:
        first_line = str(error).strip().splitlines()[0]
        raise UserError(f"cannot read {path} for {table.qualified_name}: {first_line}") from None
    missing = [name for name in table.column_names if name not in found and name not in table.custom_fields]
    if missing:
        raise UserError(f"{path} ({table.qualified_name}) lacks column(s): {', '.join(missing)}")
    return tuple(name for name in table.custom_fields if name not in found)


def selected_tables(sources: Iterable[str] | None) -> list[RawTable]:
    tables = list(raw_tables())
    if not sources:
        return tables
    known = {table.source for table in tables}
    unknown = sorted(set(sources) - known)
    if unknown:
        raise UserError(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return [table for table in tables if table.source in set(sources)]


def load_directory(data_dir: Path, warehouse: Path, sources: Iterable[str] | None = None) -> list[LoadedTable]:
    """Replace the raw tables of the chosen sources with the files under data_dir/<source>/<table>.*

    Every file is checked (present, readable, has the declared columns: a custom field the org does
    not have may be missing) before anything is written, and the writes happen in one transaction,
    so a bad input changes nothing in the warehouse. An optional table without a file is dropped:
    the warehouse then holds what the files hold, and staging reads that table as empty."""
    if not data_dir.is_dir():
        raise UserError(f"no such directory: {data_dir}")
    found = {table.qualified_name: find_file(data_dir, table) for table in selected_tables(sources)}
    files = {name: path for name, path in found.items() if path is not None}
    tables = [table for table in selected_tables(sources) if table.qualified_name in files]
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        missing_custom_fields = {table.qualified_name: _check_columns(con, table, files[table.qualified_name])
                                 for table in tables}
        con.begin()
        try:
            for table in tables:
                con.execute(f"create schema if not exists {table.source}")
                con.execute(f"create or replace table {table.qualified_name} as {_scan_sql(files[table.qualified_name])}")
            for name in sorted(found.keys() - files.keys()):
                con.execute(f"drop table if exists {name}")
            con.commit()
        except duckdb.Error as error:
            con.rollback()
            raise UserError(f"loading failed, warehouse unchanged: {str(error).splitlines()[0]}") from None
        return [
            LoadedTable(name, files[name], con.execute(f"select count(*) from {name}").fetchall()[0][0],
                        missing_custom_fields[name])
            for name in files
        ]


def replace_tables(warehouse: Path, tables: Mapping[str, pa.Table]) -> None:
    """Overwrite raw tables with in-memory state (one night's sync) in one transaction."""
    with duckdb.connect(str(warehouse)) as con:
        con.begin()
        for qualified_name, arrow_table in tables.items():
            schema = qualified_name.split(".")[0]
            con.execute(f"create schema if not exists {schema}")
            con.register("incoming", arrow_table)
            con.execute(f"create or replace table {qualified_name} as select * from incoming")
            con.unregister("incoming")
        con.commit()
