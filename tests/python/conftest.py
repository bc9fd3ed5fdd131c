"""Shared fixtures. Generator tests: one clean generation of 1,000 accounts and one small dirty
generation per session (a few seconds each), read through DuckDB views named <source>_<table>."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

GENERATED_TODAY = date(2025, 6, 1)


@dataclass(frozen=True)
class Generated:
    data_dir: Path
    summary: dict

    @property
    def today(self) -> date:
        return date.fromisoformat(self.summary["today"])

    def connect(self) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB with a view per raw table (salesforce_account, ...), the truth
        (truth_contract, truth_account, truth_health_weekly), history_<source>_<table> and manifest."""
        con = duckdb.connect()
        for path in sorted(self.data_dir.glob("*/*.parquet")):
            folder = path.parent.name.lstrip("_")
            name = f"{folder}_{path.stem}".replace(".", "_")
            if folder == "manifest":
                name = "manifest"
            con.execute(f"create view {name} as select * from read_parquet('{path}')")
        return con


def _generate(root: Path, **options) -> Generated:
    from csi.generate import generate

    summary = generate(root, seed=42, today=GENERATED_TODAY, **options)
    return Generated(root, summary)


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return _generate(tmp_path_factory.mktemp("generated"), accounts=1000)


@pytest.fixture(scope="session")
def generated_dirty(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return _generate(tmp_path_factory.mktemp("generated_dirty"), accounts=400, dirty_rate=0.02)


@pytest.fixture(scope="session")
def history_warehouse(tmp_path_factory: pytest.TempPathFactory):
    """The demo in small: 500 accounts with 1 % bad rows, 400 nights of replayed history (weekly,
    nightly for the last week) and a full build as of its today with every unit test (the `ci`
    selector: the one build of the suite that runs them). Shared by the marts, quality-gate, history
    and dashboard tests: read it, never change it (change a copy: warehouse.private_copy)."""
    from tests.python.warehouse import build_warehouse

    return build_warehouse(tmp_path_factory.mktemp("history"), accounts=500, dirty_rate=0.01, history_days=400,
                           unit_tests=True)


@pytest.fixture(scope="session")
def fresh_warehouse(tmp_path_factory: pytest.TempPathFactory):
    """150 accounts as `csi generate` and `csi load` land them, then a plain `dbt build` (nothing
    selected or excluded, no seeds loaded first). Read it, never change it."""
    from tests.python.warehouse import build_warehouse

    return build_warehouse(tmp_path_factory.mktemp("fresh"), accounts=150, dirty_rate=0.0)


# The session's built warehouses: the modules that read one run on one worker, which builds it once.
SHARED_WAREHOUSES = ("history_warehouse", "fresh_warehouse")
# The groups that take longest (worker seconds in a `make test` run: 407, 138, 95, 65, 57, 35;
# every other group takes under 20 s). The workers take the groups in this order, the rest after them
# by module name (`make test` passes --no-loadscope-reorder, which would order them by test count):
# each worker takes the next group when it is nearly done, so the short ones fill in at the end and
# both workers finish close together.
SLOWEST_GROUPS = ("history_warehouse", "tests.python.test_postgres", "tests.python.test_real_warehouses",
                  "tests.python.test_staging_quarantine", "fresh_warehouse", "tests.python.test_incremental")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own hook reads the groups into the test ids
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`make test` runs two pytest-xdist workers with `--dist loadgroup`: each module stays on one worker
    (its module-scoped warehouses are built once), and the modules that read one of the shared
    warehouses join that warehouse's group, so it is built once too. The slowest groups come first."""
    by_module: dict[str, list[pytest.Item]] = {}
    for item in items:
        by_module.setdefault(item.module.__name__, []).append(item)
    group_of: dict[str, str] = {}
    for module, module_items in by_module.items():
        shared = [name for name in SHARED_WAREHOUSES if any(name in item.fixturenames for item in module_items)]
        if len(shared) > 1:
            raise pytest.UsageError(f"{module} reads {' and '.join(shared)}: a module reads one shared warehouse, "
                                    "or both are built on one worker")
        group_of[module] = shared[0] if shared else module
        for item in module_items:
            item.add_marker(pytest.mark.xdist_group(group_of[module]))
    rank = {group: index for index, group in enumerate(SLOWEST_GROUPS)}
    items.sort(key=lambda item: rank.get(group_of[item.module.__name__], len(rank)))  # stable: the rest keep their order
