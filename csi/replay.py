"""Replay past nights: load each night's overwritten tables, rebuild the score as of that night and
snapshot it, in order, so a new warehouse gets the history a year of nightly runs would have built.
Replaying from a night replaces the history the snapshots held from that night on."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from csi.dbt import DbtProject
from csi.errors import UserError
from csi.generate import STATE_TABLES, state_on
from csi.load import replace_tables
from csi.paths import warehouse_path
from csi.sources import raw_tables

# selectors.yml: before the first night, every model the snapshots are built from; each night, the
# tables among them (what the night's sync and its as-of date change) and the snapshots.
SETUP_SELECTOR = "replay_setup"
NIGHT_SELECTOR = "replay_night"


def replay_nights(start: date, end: date, nightly_days: int) -> list[date]:
    """Weekly from start, then every night for the last `nightly_days` nights up to end."""
    if start > end:
        raise UserError(f"--start {start} is after --end {end}")
    nightly_from = max(start, end - timedelta(days=nightly_days - 1))
    weekly = [start + timedelta(weeks=week) for week in range((nightly_from - start).days // 7 + 1)]
    nightly = [nightly_from + timedelta(days=day) for day in range((end - nightly_from).days + 1)]
    return [night for night in weekly if night < nightly_from] + nightly


def prepare_nights(project: DbtProject, first_night: date) -> None:
    """The seeds and every model the snapshots are built from, before the first night (what reads
    the snapshots waits for the build after the replay: they may not exist yet)."""
    project.invoke(["build", "--selector", SETUP_SELECTOR], first_night)


def rebuild_night(project: DbtProject, data_dir: Path, night: date, snapshot: bool) -> None:
    """Load the night's sync of the overwritten tables and rebuild the score's tables as of that
    night (and snapshot it), as that night's run did."""
    replace_tables(warehouse_path(), state_on(data_dir, night))
    # A night is small: skip dbt's artifact files and relation cache, which cost more than its work.
    command = ["build", "--no-write-json", "--no-populate-cache", "--selector", NIGHT_SELECTOR]
    project.invoke(command + ([] if snapshot else ["--exclude-resource-type", "snapshot"]), night)


def land_night(warehouse: Path, data_dir: Path, night: date) -> None:
    """Make the raw tables what the sync of `night` had landed: the overwritten tables as that
    night's sync wrote them, and the appended tables without the rows synced after that night.
    (Replay keeps the appended tables whole, as the score reads them only up to the as-of date.)"""
    replace_tables(warehouse, state_on(data_dir, night))
    with duckdb.connect(str(warehouse)) as con:
        for table in raw_tables():
            if table.qualified_name not in STATE_TABLES:
                con.execute(f"delete from {table.qualified_name} where _fivetran_synced >= ?",
                            [night + timedelta(days=1)])


def replay(
    data_dir: Path, start: date, end: date, nightly_days: int = 90, project: DbtProject | None = None,
    progress: bool = True,
) -> int:
    """Replay every night from start to end in order; return how many nights ran."""
    if not (data_dir / "_history").is_dir():
        raise UserError(f"{data_dir} has no night-by-night history: generate it with `csi generate --out {data_dir}`")
    project = project or DbtProject(quiet=True)
    nights = replay_nights(start, end, nightly_days)
    # The snapshots record a night only after the nights they hold: take them back to the history
    # they held before the first night, which the replayed nights then replace.
    project.operation("rewind_history", start, {"night": start.isoformat()})
    prepare_nights(project, nights[0])
    columns = [TextColumn("replaying"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"), TimeElapsedColumn()]
    with Progress(*columns, disable=not progress) as bar:
        task = bar.add_task("", total=len(nights))
        for night in nights:
            bar.update(task, description=night.isoformat())
            rebuild_night(project, data_dir, night, snapshot=True)
            bar.advance(task)
    return len(nights)
