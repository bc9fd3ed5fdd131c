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

# What a night rebuilds before snapshotting: the customers table, whose as_of_date column every
# score model reads, and the tables between it and the health snapshot (the score's heavy steps,
# kept as tables so the build's tests and marts read them once). Staging of the overwritten tables
# and the rest of the score are views while replaying; the marts are refreshed by the next full build.
NIGHTLY_SELECTION = ["int_accounts__customers+,+snap_account_health,config.materialized:table"]


def replay_nights(start: date, end: date, nightly_days: int) -> list[date]:
    """Weekly from start, then every night for the last `nightly_days` nights up to end."""
    if start > end:
        raise UserError(f"--start {start} is after --end {end}")
    nightly_from = max(start, end - timedelta(days=nightly_days - 1))
    weekly = [start + timedelta(weeks=week) for week in range((nightly_from - start).days // 7 + 1)]
    nightly = [nightly_from + timedelta(days=day) for day in range((end - nightly_from).days + 1)]
    return [night for night in weekly if night < nightly_from] + nightly


def replaying(project: DbtProject | None = None) -> DbtProject:
    """The project parsed for replaying nights (var `replaying`): what a build keeps as tables for
    its tests stays views, which read each night's sync (macros/replay.sql). `project` lends its
    vars and verbosity."""
    lender = project or DbtProject(quiet=True)
    return DbtProject(project_vars={**lender.project_vars, "replaying": True}, quiet=lender.quiet)


def prepare_nights(project: DbtProject, first_night: date) -> None:
    """The seeds, and the views and tables the nightly selection reads, before the first night
    (what reads the snapshots waits for the build after the replay: they may not exist yet)."""
    project.invoke(["seed"], first_night)
    project.invoke(["run", "--exclude", "source:toolkit+", "resource_type:snapshot+"], first_night)


def rebuild_night(project: DbtProject, data_dir: Path, night: date, snapshot: bool) -> None:
    """Load the night's sync of the overwritten tables and rebuild the score as of that night
    (and snapshot it), as that night's run did."""
    replace_tables(warehouse_path(), state_on(data_dir, night))
    selection = [*NIGHTLY_SELECTION, "resource_type:snapshot"] if snapshot else NIGHTLY_SELECTION
    # A night is small: skip dbt's artifact files and relation cache, which cost more than its work.
    project.invoke(["build", "--no-write-json", "--no-populate-cache", "--select", *selection,
                    "--exclude", "resource_type:test", "resource_type:unit_test"], night)


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
    project = replaying(project)
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
