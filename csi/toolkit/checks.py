"""Input the original scripts would crash on: the toolkit's input-error model lists it per customer
and field; the CLI refuses the file with one line naming the first such customer and field."""

from __future__ import annotations

import duckdb

from csi.errors import UserError

INPUT_ERRORS = "fct_toolkit_portfolio_input_errors"


def raise_first_input_error(con: duckdb.DuckDBPyConnection, tool: str, output_format: str) -> None:
    row = con.execute(
        f"""
        select customer_index, customer_label, field, problem
        from toolkit.{INPUT_ERRORS}
        where tool = ? and (output_format = 'any' or output_format = ?)
        order by customer_index, field_order
        limit 1
        """,
        [tool, output_format],
    ).fetchone()
    if row:
        index, label, field, problem = row
        raise UserError(
            f"customer #{index} ({label}): {field} {problem}; the original {tool} script would crash on it. "
            "Fix the field in the file and run again."
        )
