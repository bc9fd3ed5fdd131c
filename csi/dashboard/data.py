"""Read the published copy of the marts: one read-only DuckDB connection per published file version,
query results cached per version, so a new publication is picked up on the next page load."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from csi.publish import DATABASE_NAME


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(database: str, version: int) -> duckdb.DuckDBPyConnection:
    # `version` (the file's mtime) is part of the cache key: a republished file gets a new connection.
    # Attached to a new in-memory database: duckdb.connect(path) would hand back the database it
    # already opened at that path, i.e. the file the publication replaced, for as long as a
    # connection to it lives.
    con = duckdb.connect()
    con.execute("attach ? as published (read_only)", [database])
    return con


@st.cache_data(max_entries=512, show_spinner=False)
def _query(database: str, version: int, sql: str, params: tuple) -> pd.DataFrame:
    cursor = _connection(database, version).cursor()  # one cursor per query: sessions run on threads
    try:
        cursor.execute("use published")
        return cursor.execute(sql, list(params)).df()
    finally:
        cursor.close()


@dataclass(frozen=True)
class Published:
    """The published DuckDB file; `version` is None when nothing has been published yet."""

    folder: Path

    @property
    def database(self) -> Path:
        return self.folder / DATABASE_NAME

    @property
    def version(self) -> int | None:
        try:
            return self.database.stat().st_mtime_ns
        except FileNotFoundError:
            return None

    def query(self, sql: str, *params: object) -> pd.DataFrame:
        version = self.version
        if version is None:
            raise FileNotFoundError(self.database)
        return _query(str(self.database), version, sql, params)

    def tables(self) -> set[str]:
        """Every published table as schema.table."""
        if self.version is None:
            return set()
        frame = self.query("select table_schema || '.' || table_name as name from information_schema.tables")
        return set(frame["name"])

    def columns(self, table: str) -> set[str]:
        schema, name = table.split(".")
        frame = self.query(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            schema,
            name,
        )
        return set(frame["column_name"])
