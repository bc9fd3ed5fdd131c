"""The loader replaces raw tables all or nothing, and names exactly what is wrong with its input."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from csi.errors import UserError
from csi.load import load_directory
from csi.sources import raw_tables

ARROW_TYPES = {
    "varchar": pa.string(), "integer": pa.int32(), "bigint": pa.int64(), "double": pa.float64(),
    "boolean": pa.bool_(), "date": pa.date32(), "timestamp": pa.timestamp("us"),
}


def write_minimal_sources(data_dir: Path, rows: int = 2) -> None:
    """One Parquet file per declared raw table, with its declared columns and a few NULL rows."""
    for table in raw_tables():
        schema = pa.schema([(c.name, ARROW_TYPES[c.data_type]) for c in table.columns])
        (data_dir / table.source).mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist([{}] * rows, schema=schema), data_dir / table.source / f"{table.name}.parquet")


def raw_row_count(warehouse: Path, qualified_name: str) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(f"select count(*) from {qualified_name}").fetchall()[0][0]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    write_minimal_sources(tmp_path / "data")
    return tmp_path / "data"


def test_loads_every_declared_table(data_dir: Path, tmp_path: Path) -> None:
    loaded = load_directory(data_dir, tmp_path / "wh.duckdb")
    assert {t.qualified_name for t in loaded} == {t.qualified_name for t in raw_tables()}
    assert all(t.rows == 2 for t in loaded)


def test_missing_table_names_it_and_changes_nothing(data_dir: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh.duckdb"
    load_directory(data_dir, warehouse)
    write_minimal_sources(data_dir, rows=5)
    (data_dir / "support" / "ticket.parquet").unlink()
    with pytest.raises(UserError, match=r"missing table support\.ticket"):
        load_directory(data_dir, warehouse)
    assert raw_row_count(warehouse, "salesforce.account") == 2


def test_missing_column_names_table_and_column(data_dir: Path, tmp_path: Path) -> None:
    path = data_dir / "salesforce" / "contract.parquet"
    pq.write_table(pq.read_table(path).drop_columns(["end_date"]), path)
    with pytest.raises(UserError, match=r"salesforce\.contract.*end_date"):
        load_directory(data_dir, tmp_path / "wh.duckdb")


def test_unreadable_file_is_named_and_changes_nothing(data_dir: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh.duckdb"
    load_directory(data_dir, warehouse)
    write_minimal_sources(data_dir, rows=5)
    (data_dir / "ml" / "churn_prediction.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(UserError, match=r"cannot read .*churn_prediction\.parquet"):
        load_directory(data_dir, warehouse)
    assert raw_row_count(warehouse, "salesforce.account") == 2


def test_csv_lands_as_text_and_extra_columns_are_kept(data_dir: Path, tmp_path: Path) -> None:
    table = next(t for t in raw_tables() if t.qualified_name == "product.usage_daily")
    (data_dir / "product" / "usage_daily.parquet").unlink()
    header = ",".join([*table.column_names, "extra_vendor_column"])
    (data_dir / "product" / "usage_daily.csv").write_text(header + "\n" + ",".join(["1"] * (len(table.columns) + 1)) + "\n")
    load_directory(data_dir, tmp_path / "wh.duckdb", sources=["product"])
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        columns = dict(con.execute("select column_name, data_type from information_schema.columns "
                                   "where table_name = 'usage_daily'").fetchall())
    assert columns["extra_vendor_column"] == "VARCHAR" and columns["usage_date"] == "VARCHAR"


def test_unknown_source_is_refused(data_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="unknown source"):
        load_directory(data_dir, tmp_path / "wh.duckdb", sources=["zendesk"])


def test_a_file_without_our_custom_fields_loads_and_says_which(data_dir: Path, tmp_path: Path) -> None:
    path = data_dir / "salesforce" / "account.parquet"
    pq.write_table(pq.read_table(path).drop_columns(["segment_c", "arr_c"]), path)
    loaded = {table.qualified_name: table for table in load_directory(data_dir, tmp_path / "wh.duckdb")}
    assert loaded["salesforce.account"].missing_custom_fields == ("segment_c", "arr_c")
    assert loaded["salesforce.contract"].missing_custom_fields == ()


def test_an_optional_table_without_a_file_is_left_out_not_refused(data_dir: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh.duckdb"
    load_directory(data_dir, warehouse)
    optional = [table.qualified_name for table in raw_tables() if table.optional]
    assert optional == ["product.user_activity_daily"]
    (data_dir / "product" / "user_activity_daily.parquet").unlink()
    loaded = {table.qualified_name for table in load_directory(data_dir, warehouse)}
    assert loaded == {table.qualified_name for table in raw_tables()} - set(optional)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {f"{schema}.{name}" for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables").fetchall()}
    assert "product.usage_daily" in tables and "product.user_activity_daily" not in tables
