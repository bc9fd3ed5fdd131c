"""A small generated, loaded and built warehouse shared by the end-to-end tests of one module."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

import duckdb

TODAY = date(2026, 6, 30)


@dataclass(frozen=True)
class BuiltWarehouse:
    data_dir: Path
    path: Path
    today: date
    statuses: dict[str, str] = field(default_factory=dict)  # unique id -> dbt status, of its last build

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute(sql).fetchall()


def use_warehouse(root: Path) -> Path:
    """Point dbt and the CLI at a warehouse under root (its artifacts and logs beside it), isolated
    from the user's own; return the warehouse file."""
    os.environ["CSI_WAREHOUSE"] = str(root / "csi.duckdb")
    os.environ["DBT_TARGET_PATH"] = str(root / "target")
    os.environ["DBT_LOG_PATH"] = str(root / "logs")
    return root / "csi.duckdb"


@contextmanager
def private_copy(built: BuiltWarehouse, root: Path) -> Iterator[BuiltWarehouse]:
    """A copy of a shared built warehouse under root, which dbt and the CLI use until the block ends:
    a module that changes the warehouse changes its own copy, and the modules that read the shared
    one see it as it was built."""
    shutil.copy(built.path, root / "csi.duckdb")
    with mock.patch.dict(os.environ):  # the environment as it was, once the block ends
        yield BuiltWarehouse(built.data_dir, use_warehouse(root), built.today, built.statuses)


def build_warehouse(
    root: Path, accounts: int, dirty_rate: float, select: list[str] | None = None, history_days: int = 0,
    unit_tests: bool = False,
) -> BuiltWarehouse:
    """Generate, load, optionally replay `history_days` of nights (weekly, nightly for the last 7),
    and build as of TODAY with a plain `dbt build` (what a user types: dbt's default selector, no
    seeds loaded first; `unit_tests` adds every unit test: `--selector ci`), into a warehouse under
    root, isolated from the user's own."""
    from csi.build import CI_SELECTOR
    from csi.dbt import DbtProject
    from csi.generate import generate
    from csi.load import load_directory
    from csi.replay import replay

    data_dir, warehouse = root / "data", use_warehouse(root)
    generate(out_dir=data_dir, accounts=accounts, seed=7, today=TODAY, dirty_rate=dirty_rate)
    load_directory(data_dir, warehouse)
    project = DbtProject(quiet=True)
    if history_days:
        replay(data_dir, TODAY - timedelta(days=history_days), TODAY - timedelta(days=1), 7, project, progress=False)
        load_directory(data_dir, warehouse)
    selection = ["--select", *select] if select else ["--selector", CI_SELECTOR] if unit_tests else []
    results = project.invoke(["build", *selection], TODAY).results
    return BuiltWarehouse(data_dir, warehouse, TODAY, {result.node.unique_id: str(result.status) for result in results})
