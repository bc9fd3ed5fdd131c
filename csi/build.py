"""Build the dbt project into the warehouse as of a date, with the selections named in selectors.yml."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from csi.dbt import DbtFailure, DbtProject
from csi.errors import UserError

# selectors.yml: what production builds (and a plain `dbt build`), and the same with the unit tests.
NIGHTLY_SELECTOR = "nightly"
CI_SELECTOR = "ci"


@dataclass(frozen=True)
class HistoryGuard:
    """What the snapshots do with an as-of date (the project's rule, macros/snapshot_history.sql):
    record it (reason None), or leave history unchanged because the date is more than a day after
    the latest sync ('future') or before the latest night they hold ('past')."""

    reason: str | None
    as_of: date
    latest_sync: date | None
    latest_night: date | None

    def refusal(self) -> str:
        if self.latest_sync is None:
            return "the raw tables hold no synced row yet: load a sync first (`csi load`)"
        return (f"--as-of {self.as_of} is more than a day after the latest sync ({self.latest_sync}): "
                "nothing has landed for that night yet")

    def left_alone(self) -> str:
        return (f"history left alone: {self.as_of} is before the latest night the snapshots hold "
                f"({self.latest_night}), so this was a point-in-time build (`csi replay` rebuilds history)")


def history_guard(project: DbtProject, as_of: date) -> HistoryGuard:
    """The guard of `as_of` against the snapshots and the raw tables, from the project's own macro."""
    for message in project.operation("log_history_guard", as_of):
        if message.startswith("history_guard "):
            report = json.loads(message.removeprefix("history_guard "))
            days = {key: report[key] and date.fromisoformat(report[key]) for key in ("latest_sync", "latest_night")}
            return HistoryGuard(report["reason"], as_of, **days)
    raise DbtFailure("dbt run-operation log_history_guard logged no guard")


def build(
    project: DbtProject, as_of: date, select: list[str] | None = None, unit_tests: bool = False, nightly: bool = False,
) -> HistoryGuard:
    """`dbt build` of the nightly selection: seeds, models, snapshots and data tests, what a plain
    `dbt build` builds; refused for an as-of date the sources have not reached. Unit tests check
    the SQL, not the data, with this project's column names: CI and development ask for them
    (`unit_tests`, the `ci` selector). `select` builds those nodes instead (dbt's selection syntax),
    after loading every seed they may read. A `nightly` build follows last night's: staging's data
    tests check the rows synced since then. Returns the guard, which says whether the snapshots
    recorded the night."""
    guard = history_guard(project, as_of)
    if guard.reason == "future":
        raise UserError(guard.refusal())
    run_vars = {"data_tests_recent_syncs_only": nightly}
    if select:
        project.invoke(["seed"], as_of)
        excluded = ["seed"] + ([] if unit_tests else ["unit_test"])
        project.invoke(["build", "--select", *select, "--exclude-resource-type", *excluded], as_of, run_vars)
    else:
        project.invoke(["build", "--selector", CI_SELECTOR if unit_tests else NIGHTLY_SELECTOR], as_of, run_vars)
    return guard


def stale_sources(project: DbtProject) -> list[str]:
    """`dbt source freshness` (against the wall clock, as dbt measures it): the raw tables past their
    warn_after, as '<source>.<table> (warn|error)'. A stale source does not stop the nightly job:
    marts.fct_stale_sources measures the same thresholds against the as-of date for the dashboard."""
    freshness = project.invoke(["source", "freshness"], check=False)
    return [f"{result.node.source_name}.{result.node.name} ({result.status})" for result in freshness.results
            if result.node.resource_type == "source" and str(result.status) != "pass"]  # not the run's hooks
