"""What a user sees after a run: how many accounts, rows per mart, where to look next."""

from __future__ import annotations

from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table


def mart_row_counts(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by table_name"
            ).fetchall()
        ]
        return {name: con.execute(f'select count(*) from marts."{name}"').fetchall()[0][0] for name in names}


def print_summary(warehouse: Path, console: Console | None = None) -> None:
    console = console or Console()
    counts = mart_row_counts(warehouse)
    table = Table(title="Marts (schema marts)")
    table.add_column("mart")
    table.add_column("rows", justify="right")
    for name, rows in counts.items():
        table.add_row(name, f"{rows:,}")
    console.print(table)
    console.print(f"Warehouse: {warehouse}")
    console.print(
        "Next: query it read-only with any DuckDB 2.0 client, e.g. "
        f".venv/bin/python -c \"import duckdb; print(duckdb.connect('{warehouse}', read_only=True)"
        ".sql('select * from marts.fct_source_reconciliation'))\"; `csi --help` lists every command."
    )
