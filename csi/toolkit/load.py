"""Load a toolkit portfolio (the JSON file the toolkit's scripts read) into the raw `toolkit` schema.

DuckDB parses the file; Python's json module is consulted only when DuckDB refuses it, so that an
invalid file gets the message the scripts give, and a file only Python accepts (NaN, Infinity, a
byte-order mark) gets a clear refusal instead of a different answer.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb

from csi.errors import UserError

NO_CUSTOMERS = "No customer records found in input file."


def load_portfolio(con: duckdb.DuckDBPyConnection, path: Path, as_of: dt.date, database: str | None = None) -> int:
    """Replace toolkit.portfolio and toolkit.portfolio_customers with the file's content.

    Returns the number of customers. Raises UserError for a file the scripts would refuse or crash on
    as a whole (missing, not JSON, no customers, customers that are not objects)."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"File not found: {path}")
    schema = f'"{database}".toolkit' if database else "toolkit"
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(b"\xef\xbb\xbf"):
        _explain_python_only_json(path)
    con.execute(f"create schema if not exists {schema}")
    try:
        # One parse of the whole file: the customers as a list of JSON objects (NULL unless the file
        # is an object whose "customers" is a list). Each JSON function re-reads the text it gets,
        # so the checks below look at the whole document only when this shape is not there.
        con.execute(
            f"""
            create or replace table {schema}.portfolio_customers as
            select
                cast(unnest(range(1, len(customers) + 1)) as integer) as customer_index,
                unnest(customers) as customer
            from (
                select json_transform(content, '{{"customers": ["JSON"]}}').customers as customers
                from read_text(?)
            )
            """,
            [str(path)],
        )
    except duckdb.Error:
        _explain_python_only_json(path)
        raise
    customer_count, non_objects = con.execute(
        f"select count(*), count(*) filter (where coalesce(json_type(customer), 'NULL') <> 'OBJECT') "
        f"from {schema}.portfolio_customers"
    ).fetchone()
    if customer_count == 0:
        _refuse_document(con, path)
    if non_objects:
        raise UserError(f"{path}: {non_objects} entries of \"customers\" are not customer objects")
    con.execute(
        f"create or replace table {schema}.portfolio as select ?::varchar as source_file, ?::date as as_of_date",
        [str(path), as_of.isoformat()],
    )
    return int(customer_count)


def _refuse_document(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The file holds no list of customers: say which of the scripts' refusals applies."""
    document_type, customers_type = con.execute(
        "select json_type(content), json_type(content, '$.customers') from read_text(?)", [str(path)]
    ).fetchone()
    if document_type != "OBJECT":
        raise UserError(f"{path}: the top level is not a JSON object, so there is no \"customers\" list to read")
    if customers_type is None or _falsy_customers(con, path):
        raise UserError(f"{NO_CUSTOMERS} ({path})")
    raise UserError(f"{path}: \"customers\" is not a list of customer objects")


def _falsy_customers(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """Python's `if not customers`: an empty list or object, "", 0, false or null."""
    return bool(
        con.execute(
            """
            select case json_type(content, '$.customers')
                when 'ARRAY' then json_array_length(content, '$.customers') = 0
                when 'OBJECT' then cast(content -> '$.customers' as varchar) = '{}'
                when 'VARCHAR' then (content ->> '$.customers') = ''
                when 'NULL' then true
                when 'BOOLEAN' then cast(content -> '$.customers' as varchar) = 'false'
                else cast(content -> '$.customers' as double) = 0
            end
            from read_text(?)
            """,
            [str(path)],
        ).fetchone()[0]
    )


def _explain_python_only_json(path: Path) -> None:
    """DuckDB refused the file: say why in the scripts' words, or why we refuse what Python accepts."""
    try:
        with path.open("r") as handle:
            json.load(handle)
    except json.JSONDecodeError as error:
        raise UserError(f"Invalid JSON in {path}: {error}") from None
    except UnicodeDecodeError as error:
        raise UserError(f"{path} is not UTF-8 text: {error}") from None
    raise UserError(
        f"{path} uses JSON that only Python reads (NaN, Infinity, a byte-order mark or numbers beyond "
        "64 bits): write plain JSON numbers and save the file as UTF-8 without BOM"
    )
