"""A night is a unit and the as-of date guards history: building the latest night again after a
source correction replaces that night's versions (one per account and night), and an as-of date the
sources have not reached, or one before the latest night the snapshots hold, leaves them unchanged:
`csi build` refuses the first and says it left history alone for the second; a plain `dbt build`
stays green and warns. All on one copy of the shared history warehouse, in file order."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date, timedelta

import duckdb
import pytest

from csi.cli import main
from csi.dbt import DbtProject
from tests.python.warehouse import BuiltWarehouse, private_copy

SNAPSHOTS = ("snap_account_health", "snap_churn_probability")
# Plain dbt: the snapshots and everything that reads them, with their tests (validation, alerts).
HISTORY = ["build", "--select", "resource_type:snapshot+", "--exclude", "resource_type:unit_test"]
CORRECTED_ACCOUNTS = 40


@pytest.fixture(scope="module")
def warehouse(history_warehouse: BuiltWarehouse, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltWarehouse]:
    """A private copy of the shared history warehouse, which dbt and the CLI use for this module."""
    with private_copy(history_warehouse, tmp_path_factory.mktemp("history_guard")) as copy:
        yield copy


@pytest.fixture(scope="module")
def project(warehouse: BuiltWarehouse) -> DbtProject:
    """The project parsed once for this warehouse (the CLI's own parse then reuses it, partially)."""
    project = DbtProject(quiet=True)
    project.parse()
    return project


def history(warehouse: BuiltWarehouse) -> dict[str, list[tuple]]:
    """Every row of every snapshot and of the nights it recorded."""
    return {
        table: warehouse.query(f"select * from snapshots.{table} order by all")
        for snapshot in SNAPSHOTS
        for table in (snapshot, f"{snapshot}_nights")
    }


def run_csi(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["csi", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def dbt_warnings(project: DbtProject, command: list[str], as_of: date) -> list[str]:
    """Run a dbt command (it must succeed) and return the warnings it fired."""
    warnings: list[str] = []

    def collect(event) -> None:
        if event.info.name == "JinjaLogWarning":
            warnings.append(event.data.msg)

    project.invoke(command, as_of, callbacks=[collect])
    return warnings


def test_each_snapshot_lists_the_nights_it_recorded(warehouse: BuiltWarehouse) -> None:
    nights = [night for (night,) in warehouse.query("select night from snapshots.snap_account_health_nights order by night")]
    changed = warehouse.query("select count(distinct dbt_valid_from) from snapshots.snap_account_health")[0][0]
    assert nights[-1] == warehouse.today
    assert len(nights) >= changed > 10


def test_csi_build_refuses_an_as_of_date_the_sources_have_not_reached(
    warehouse: BuiltWarehouse, project: DbtProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = history(warehouse)
    code, _, err = run_csi(monkeypatch, capsys, "build", "--as-of", "2099-01-01")
    assert code == 2
    assert err == (f"csi: error: --as-of 2099-01-01 is more than a day after the latest sync ({warehouse.today}): "
                   "nothing has landed for that night yet\n")
    assert history(warehouse) == before


def test_csi_build_of_an_earlier_date_is_point_in_time_and_leaves_history_alone(
    warehouse: BuiltWarehouse, project: DbtProject, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = history(warehouse)
    earlier = warehouse.today - timedelta(days=10)
    code, out, err = run_csi(monkeypatch, capsys, "build", "--as-of", str(earlier), "--select", "resource_type:snapshot",
                             "--no-unit-tests")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == (f"history left alone: {earlier} is before the latest night the snapshots hold "
                                    f"({warehouse.today}), so this was a point-in-time build (`csi replay` rebuilds history)")
    assert history(warehouse) == before


@pytest.mark.parametrize("days_after_today", [2, -3], ids=["future", "earlier"])
def test_plain_dbt_build_out_of_range_stays_green_warns_and_leaves_history_unchanged(
    warehouse: BuiltWarehouse, project: DbtProject, days_after_today: int
) -> None:
    before = history(warehouse)
    as_of = warehouse.today + timedelta(days=days_after_today)
    warnings = dbt_warnings(project, HISTORY, as_of)
    assert sorted(warning.split(":")[0] for warning in warnings) == [f"{name} left unchanged" for name in SNAPSHOTS]
    assert all(f"as-of date {as_of} is " in warning for warning in warnings)
    assert history(warehouse) == before


def test_a_corrected_rerun_of_the_latest_night_replaces_its_versions(
    warehouse: BuiltWarehouse, project: DbtProject
) -> None:
    """Accounts re-delivered an hour after their last sync with another CSM sentiment (which moves
    the band), and the night built again: one version per account and night, the open versions are
    the corrected scores, and validation and alerts build and pass their tests."""
    with duckdb.connect(str(warehouse.path)) as con:
        con.execute(f"""
            insert into salesforce.account
            select * replace (
                case when csm_sentiment_c = 'Green' then 'Red' else 'Green' end as csm_sentiment_c,
                _fivetran_synced + interval 1 hour as _fivetran_synced)
            from salesforce.account
            where id in (select account_id from marts.fct_account_health order by account_id limit {CORRECTED_ACCOUNTS})
            qualify row_number() over (partition by id order by _fivetran_synced desc) = 1
        """)
    earlier = f"""select * exclude (dbt_valid_to) from snapshots.snap_account_health
                   where dbt_valid_from < date '{warehouse.today}' order by all"""
    earlier_nights = warehouse.query(earlier)
    # The night again, as a nightly run builds it: the score's tables from the corrected accounts
    # (the views between them read it as they are), then the snapshot and what reads it.
    project.invoke(["run", "--select", "base_salesforce__accounts+,+snap_account_health,config.materialized:table"],
                   warehouse.today)
    assert dbt_warnings(project, ["build", "--select", "snap_account_health+", "--exclude", "resource_type:unit_test"],
                        warehouse.today) == []

    versions, nights, replaced = warehouse.query(f"""
        select count(*), count(distinct account_id || cast(dbt_valid_from as varchar)),
               count(case when dbt_valid_from = date '{warehouse.today}' then 1 end)
        from snapshots.snap_account_health""")[0]
    assert versions == nights and replaced > CORRECTED_ACCOUNTS // 4
    stale = warehouse.query("""
        select count(*)
        from snapshots.snap_account_health as history
        inner join intermediate.int_health__account_scores as scores on history.account_id = scores.account_id
        where history.dbt_valid_to is null
            and (history.score_band <> scores.score_band or history.health_score <> scores.health_score)""")
    assert stale == [(0,)]
    assert warehouse.query(earlier) == earlier_nights, "the earlier nights' versions are kept"

    after = history(warehouse)
    dbt_warnings(project, ["snapshot"], warehouse.today)
    assert history(warehouse) == after, "the same night again, unchanged, adds nothing"
