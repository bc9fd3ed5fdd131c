"""Build the dbt project into the warehouse as of a date: seeds first, then everything else."""

from __future__ import annotations

from datetime import date

from csi.dbt import DbtProject

# The toolkit's portfolio models score a JSON file `csi toolkit` loads on demand; the nightly
# build has no portfolio to read.
ON_DEMAND = ["source:toolkit+"]


def build(
    project: DbtProject, as_of: date, select: list[str] | None = None, unit_tests: bool = True, nightly: bool = False,
) -> None:
    """Seeds, then `dbt build` of the rest. Unit tests check the SQL, not the data: CI and the first
    build run them, a nightly job that runs the same code every night may leave them out. A
    `nightly` build follows last night's: staging's data tests check the rows synced since then."""
    # Seeds first: `dbt build` does not order seeds before models that read them through macros.
    project.invoke(["seed"], as_of)
    excluded = ["resource_type:seed", *ON_DEMAND] + ([] if unit_tests else ["resource_type:unit_test"])
    command = ["build", "--exclude", *excluded]
    if select:
        command += ["--select", *select]
    project.invoke(command, as_of, {"data_tests_recent_syncs_only": nightly})
