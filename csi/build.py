"""Build the dbt project into the warehouse as of a date: seeds first, then everything else."""

from __future__ import annotations

from datetime import date

from csi.dbt import DbtProject


def build(project: DbtProject, as_of: date, select: list[str] | None = None, exclude: list[str] | None = None) -> None:
    # Seeds first: `dbt build` does not order seeds before models that read them through macros.
    project.invoke(["seed"], as_of)
    command = ["build", "--exclude", "resource_type:seed"]
    if select:
        command += ["--select", *select]
    if exclude:
        command += ["--exclude", *exclude]
    project.invoke(command, as_of)
