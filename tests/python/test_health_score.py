"""The health score is point-in-time correct and its history replays: the same as-of date gives the
same scores, an earlier as-of date reproduces the score as it then stood, and a night snapshotted
twice adds nothing. On a private copy of the shared history warehouse (its last seven nights
replayed one by one)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from csi.dbt import DbtProject
from csi.load import load_directory
from csi.replay import NIGHT_SELECTOR, rebuild_night
from tests.python.warehouse import BuiltWarehouse, private_copy

SCORE_COLUMNS = "account_id, health_score, computed_band, score_band, churn_probability, top_driver_1, top_driver_2, top_driver_3"


@pytest.fixture(scope="module")
def scored(history_warehouse: BuiltWarehouse, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltWarehouse]:
    with private_copy(history_warehouse, tmp_path_factory.mktemp("scored")) as copy:
        yield copy


def rebuild_today(warehouse: BuiltWarehouse) -> None:
    """Tonight's sync as landed, and the score rebuilt from it."""
    load_directory(warehouse.data_dir, warehouse.path)
    DbtProject(quiet=True).invoke(["build", "--selector", NIGHT_SELECTOR, "--exclude-resource-type", "snapshot"],
                                  warehouse.today)


def scores(warehouse: BuiltWarehouse) -> list[tuple]:
    return warehouse.query(f"select {SCORE_COLUMNS} from intermediate.int_health__account_scores order by account_id")


def test_every_customer_is_scored_within_range(scored: BuiltWarehouse) -> None:
    (customers,) = scored.query("select count(*) from intermediate.int_accounts__customers")[0]
    rows = scored.query("select health_score, components_applied from marts.fct_account_health")
    assert len(rows) == customers > 100
    assert all(0 <= score <= 100 and applied >= 5 for score, applied in rows)


def test_the_same_as_of_date_gives_identical_scores(scored: BuiltWarehouse) -> None:
    first = scores(scored)
    rebuild_today(scored)
    assert scores(scored) == first


def test_an_earlier_as_of_date_reproduces_the_snapshotted_score(scored: BuiltWarehouse) -> None:
    night = scored.today - timedelta(days=3)
    snapshotted = scored.query(
        f"select {SCORE_COLUMNS} from snapshots.snap_account_health "
        f"where dbt_valid_from <= date '{night}' and (dbt_valid_to is null or dbt_valid_to > date '{night}') "
        "order by account_id"
    )
    rebuild_night(DbtProject(quiet=True), scored.data_dir, night, snapshot=False)
    assert scores(scored) == snapshotted
    rebuild_today(scored)


def test_snapshotting_the_same_night_twice_adds_nothing(scored: BuiltWarehouse) -> None:
    count = "select count(*) from snapshots.snap_account_health"
    before = scored.query(count)
    DbtProject(quiet=True).invoke(["snapshot"], scored.today)
    assert scored.query(count) == before


def test_history_has_a_version_per_change_not_per_night(scored: BuiltWarehouse) -> None:
    (accounts, versions, nights) = scored.query(
        "select count(distinct account_id), count(*), count(distinct dbt_valid_from) from snapshots.snap_account_health"
    )[0]
    assert nights >= 8
    assert accounts < versions < accounts * nights


def test_every_replayed_night_records_the_support_score(scored: BuiltWarehouse) -> None:
    """Support applies to every customer, weighed in the default weights version or not: each
    version the replay snapshotted has its score (a view that fixed its as-of date when it was
    created would leave the replayed nights without it)."""
    (versions, nights, with_support) = scored.query(
        "select count(*), count(distinct dbt_valid_from), count(support_score) from snapshots.snap_account_health")[0]
    assert nights >= 8 and with_support == versions
