"""`make demo`: synthetic sources to marts in one command, on the embedded DuckDB warehouse."""

from __future__ import annotations

import time
from datetime import date, timedelta

from rich.console import Console

from csi.build import build
from csi.dbt import DbtProject
from csi.generate import generate
from csi.load import load_directory
from csi.paths import PROJECT_DIR, published_dir, warehouse_path
from csi.publish import publish
from csi.replay import replay
from csi.summary import print_summary

DEMO_DATA_DIR = PROJECT_DIR / "data" / "generated"
# Enough history for score trends and for a year of renewal cohorts whose 60-day-earlier
# churn probabilities were snapshotted: weekly nights back to HISTORY_DAYS, nightly for the last 90.
HISTORY_DAYS = 400
NIGHTLY_DAYS = 90


def run_demo(accounts: int, seed: int, today: date, dirty_rate: float) -> None:
    console = Console()
    started = time.perf_counter()
    console.rule(f"Generating {accounts:,} synthetic accounts up to {today}")
    generate(out_dir=DEMO_DATA_DIR, accounts=accounts, seed=seed, today=today, dirty_rate=dirty_rate)
    console.rule(f"Loading into {warehouse_path()}")
    for stale in (warehouse_path(), warehouse_path().with_name(warehouse_path().name + ".wal")):
        stale.unlink(missing_ok=True)  # history is replayed from scratch, in order
    loaded = load_directory(DEMO_DATA_DIR, warehouse_path())
    console.print(f"{len(loaded)} raw tables, {sum(t.rows for t in loaded):,} rows")
    project = DbtProject(quiet=True)
    first_night = today - timedelta(days=HISTORY_DAYS)
    console.rule(f"Replaying nights {first_night} to {today - timedelta(days=1)} for history")
    replay(DEMO_DATA_DIR, first_night, today - timedelta(days=1), NIGHTLY_DAYS, project)
    console.rule(f"Building as of {today}")
    load_directory(DEMO_DATA_DIR, warehouse_path())  # tonight's sync, as landed
    build(project, as_of=today)
    print_summary(warehouse_path(), console)
    publication = publish(warehouse_path(), published_dir())
    console.print(f"Published {len(publication.tables)} tables for BI to {publication.database.parent}; "
                  "`csi dashboard` serves them on http://127.0.0.1:8501")
    console.print(f"Demo finished in {time.perf_counter() - started:.0f} s")
