"""`make demo`: synthetic sources to marts in one command, on the embedded DuckDB warehouse."""

from __future__ import annotations

import time
from datetime import date

from rich.console import Console

from csi.build import build
from csi.dbt import DbtProject
from csi.generate import generate
from csi.load import load_directory
from csi.paths import PROJECT_DIR, warehouse_path
from csi.summary import print_summary

DEMO_DATA_DIR = PROJECT_DIR / "data" / "generated"


def run_demo(accounts: int, seed: int, today: date, dirty_rate: float) -> None:
    console = Console()
    started = time.perf_counter()
    console.rule(f"Generating {accounts:,} synthetic accounts up to {today}")
    generate(out_dir=DEMO_DATA_DIR, accounts=accounts, seed=seed, today=today, dirty_rate=dirty_rate)
    console.rule(f"Loading into {warehouse_path()}")
    loaded = load_directory(DEMO_DATA_DIR, warehouse_path())
    console.print(f"{len(loaded)} raw tables, {sum(t.rows for t in loaded):,} rows")
    console.rule(f"Building as of {today}")
    build(DbtProject(), as_of=today)
    print_summary(warehouse_path(), console)
    console.print(f"Demo finished in {time.perf_counter() - started:.0f} s")
