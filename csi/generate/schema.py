"""Arrow schemas taken from the sources YAML (csi.sources), the one column list of the project."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import numpy as np
import pyarrow as pa

from csi.sources import raw_table, raw_tables

ARROW_TYPES = {
    "varchar": pa.string(),
    "integer": pa.int32(),
    "bigint": pa.int64(),
    "double": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
}
VALIDITY = [pa.field("valid_from", pa.date32()), pa.field("valid_to", pa.date32())]


def table_names() -> list[str]:
    return [table.qualified_name for table in raw_tables()]


@cache
def arrow_schema(qualified_name: str) -> pa.Schema:
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.data_type]) for c in raw_table(qualified_name).columns])


@cache
def history_schema(qualified_name: str) -> pa.Schema:
    """The table's columns plus the nights [valid_from, valid_to) on which a version was current
    (valid_to null: current today)."""
    return pa.schema(list(arrow_schema(qualified_name)) + VALIDITY)


def build(schema: pa.Schema, columns: Mapping[str, pa.Array | np.ndarray]) -> pa.Table:
    """A table with exactly the schema's columns, in its order and types."""
    missing = [name for name in schema.names if name not in columns]
    extra = [name for name in columns if name not in schema.names]
    if missing or extra:
        raise ValueError(f"columns do not match the schema: missing {missing}, unexpected {extra}")
    arrays = []
    for field in schema:
        values = columns[field.name]
        array = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values)
        arrays.append(array.cast(field.type) if array.type != field.type else array)
    return pa.Table.from_arrays(arrays, schema=schema)


def raw(qualified_name: str, columns: Mapping[str, pa.Array | np.ndarray]) -> pa.Table:
    return build(arrow_schema(qualified_name), columns)
