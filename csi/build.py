"""Build the dbt project into the warehouse as of a date: seeds first, then everything else."""

from __future__ import annotations

from datetime import date

from csi.dbt import DbtProject

# The toolkit's portfolio models score a JSON file `csi toolkit` loads on demand; the nightly
# build has no portfolio to read.
ON_DEMAND = ["source:toolkit+"]


def build(project: DbtProject, as_of: date, select: list[str] | None = None) -> None:
    # Seeds first: `dbt build` does not order seeds before models that read them through macros.
    project.invoke(["seed"], as_of)
    command = ["build", "--exclude", "resource_type:seed", *ON_DEMAND]
    if select:
        command += ["--select", *select]
    project.invoke(command, as_of)
