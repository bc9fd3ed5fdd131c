"""Why a score moved, on the shared history warehouse: the configuration version every score carries
changes with any edit to the scoring configuration (and with nothing else), fct_health_score_changes
explains exactly the nights each score moved, recomputed here from the snapshot, and
fct_account_score_trend adds them up over its windows."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from csi.paths import PROJECT_DIR

COMPONENTS = list(yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["health_components"])
CONFIGURATION = "select configuration_version from intermediate.int_health__configuration"


@pytest.fixture(scope="module")
def wh(history_warehouse):
    return history_warehouse


@pytest.fixture(scope="module")
def history(wh) -> pd.DataFrame:
    with duckdb.connect(str(wh.path), read_only=True) as con:
        frame = con.execute(
            "select *, cast(dbt_valid_from as date) as valid_from, cast(dbt_valid_to as date) as valid_to "
            "from snapshots.snap_account_health order by account_id, dbt_valid_from"
        ).df()
    return frame.assign(valid_from=frame["valid_from"].dt.date, valid_to=frame["valid_to"].dt.date)


@pytest.fixture(scope="module")
def changes(wh) -> pd.DataFrame:
    with duckdb.connect(str(wh.path), read_only=True) as con:
        frame = con.execute("select * from marts.fct_health_score_changes order by account_id, changed_on").df()
    return frame.assign(changed_on=frame["changed_on"].dt.date)


def test_every_score_carries_the_configuration_version_of_its_build(wh) -> None:
    (version,), = wh.query(CONFIGURATION)
    (weights_version,), = wh.query("select distinct weights_version from marts.fct_account_health")
    assert version.startswith(f"{weights_version}+") and len(version) == len(weights_version) + 9
    assert wh.query("select distinct configuration_version from marts.fct_account_health") == [(version,)]
    assert wh.query("select distinct configuration_version from marts.fct_account_health_components") == [(version,)]
    assert wh.query("select distinct configuration_version from snapshots.snap_account_health "
                    "where dbt_valid_to is null") == [(version,)]


def test_every_seed_of_the_scoring_configuration_is_in_its_version(wh) -> None:
    manifest = json.loads((wh.path.parent / "target" / "manifest.json").read_text())
    read = set(manifest["nodes"]["model.client_success_intelligence.int_health__configuration"]["depends_on"]["nodes"])
    health_seeds = {
        unique_id for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "seed" and node["original_file_path"].startswith("seeds/health/")
    }
    assert health_seeds and health_seeds <= read, sorted(health_seeds - read)


# Each edit to a seed table of the scoring configuration, as SQL on a copy of the warehouse.
EDITS = {
    "a band threshold": "update seeds.health_bands set min_score = min_score + 1 where band_rank = 2",
    "a grid score": "update seeds.health_scoring_grid set score_at_lower = score_at_lower / 2 where component = 'tenure'",
    "a sentiment override": "update seeds.health_sentiment_overrides set band_shift = 0 where csm_sentiment = 'green'",
    "a risk level": "update seeds.health_risk_levels set min_probability = 0.75 where risk_level = 'Critical'",
    "a component requirement": "delete from seeds.health_component_requirements where component = 'onboarding'",
    "the activity classification": "update seeds.activity_type_map set pattern = '%qbr review%' where activity_type = 'qbr'",
    "an adopted weight": "update seeds.health_weights set weight = weight + 1 where component = 'usage'",
}


@pytest.fixture(scope="module")
def editable(wh, tmp_path_factory) -> Path:
    """A copy of the warehouse to edit (under the same file name: its views name the database)."""
    copy = tmp_path_factory.mktemp("configuration") / wh.path.name
    shutil.copy(wh.path, copy)
    return copy


def test_editing_any_piece_of_the_configuration_is_a_new_version(editable: Path) -> None:
    with duckdb.connect(str(editable)) as con:
        (original,), = con.execute(CONFIGURATION).fetchall()
        versions = {}
        for edit, sql in EDITS.items():
            con.execute("begin")
            changed = con.execute(sql).fetchall()[0][0]
            assert changed, f"{edit}: the edit changed no row"
            versions[edit] = con.execute(CONFIGURATION).fetchall()[0][0]
            con.execute("rollback")
            assert con.execute(CONFIGURATION).fetchall()[0][0] == original
    assert original not in versions.values(), versions
    assert len(set(versions.values())) == len(EDITS), versions


def test_rows_in_another_order_or_another_weights_version_are_the_same_configuration(editable: Path) -> None:
    with duckdb.connect(str(editable)) as con:
        (original,), = con.execute(CONFIGURATION).fetchall()
        con.execute("begin")
        con.execute("create temp table bands as select * from seeds.health_bands")
        con.execute("delete from seeds.health_bands")
        con.execute("insert into seeds.health_bands select * from bands order by segment desc, band_rank desc")
        con.execute("insert into seeds.health_weights select 'candidate', component, weight, label "
                    "from seeds.health_weights")
        assert con.execute(CONFIGURATION).fetchall()[0][0] == original
        con.execute("rollback")


def test_changing_a_window_the_components_measure_is_a_new_version(wh, editable: Path, monkeypatch) -> None:
    from csi.dbt import DbtProject

    monkeypatch.setenv("CSI_WAREHOUSE", str(editable))
    monkeypatch.setenv("DBT_TARGET_PATH", str(editable.parent / "target"))
    project = DbtProject(quiet=True)
    shown = {}
    for days in (30, 28):
        result = project.invoke(["show", "--select", "int_health__configuration"], wh.today,
                                extra_vars={"usage_window_days": days})
        shown[days] = result.results[0].agate_table.columns["configuration_version"].values()[0]
    (built,), = wh.query(CONFIGURATION)
    assert shown[30] == built and shown[28] != built


def _expected_changes(history: pd.DataFrame, today) -> pd.DataFrame:
    """Every pair of consecutive versions (no gap, both with recorded weights) in which a component's score
    or weight or the configuration changed, with each component's contribution to the change of the
    weighted mean Σ dᵢsᵢ / Σ dᵢ (100 when nothing applies), computed with numpy."""
    scores = history[[f"{c}_score" for c in COMPONENTS]].to_numpy(dtype=float)
    weights = np.nan_to_num(history[[f"{c}_weight" for c in COMPONENTS]].to_numpy(dtype=float))
    weighted = weights * np.nan_to_num(scores)
    total = weights.sum(axis=1)
    composite = np.where(total > 0, weighted.sum(axis=1) / np.where(total > 0, total, 1), 100.0)
    rows = []
    for position in range(1, len(history)):
        before, after = history.iloc[position - 1], history.iloc[position]
        if before.account_id != after.account_id or before.valid_to != after.valid_from:
            continue
        if pd.isna(before.health_score_unrounded) or pd.isna(after.health_score_unrounded) or after.valid_from > today:
            continue
        scores_moved = not np.array_equal(scores[position - 1], scores[position], equal_nan=True)
        weights_moved = not np.array_equal(weights[position - 1], weights[position])
        if not (scores_moved or weights_moved or before.configuration_version != after.configuration_version):
            continue
        if total[position] > 0:
            shares = (weighted[position] - weighted[position - 1]
                      - composite[position - 1] * (weights[position] - weights[position - 1])) / total[position]
        else:  # nothing applies any more: each component gives back the points it cost
            shares = weights[position - 1] * (100 - np.nan_to_num(scores[position - 1])) / max(total[position - 1], 1)
        rows.append({"account_id": after.account_id, "changed_on": after.valid_from,
                     **{f"{c}_contribution": share for c, share in zip(COMPONENTS, shares, strict=True)}})
    return pd.DataFrame(rows)


def test_changes_are_every_move_of_the_history_split_exactly_among_components(wh, history, changes) -> None:
    expected = _expected_changes(history, wh.today)
    assert len(changes) == len(expected) > 0
    assert (changes[["account_id", "changed_on"]].to_numpy() == expected[["account_id", "changed_on"]].to_numpy()).all()
    columns = [f"{c}_contribution" for c in COMPONENTS]
    assert np.allclose(changes[columns].to_numpy(dtype=float), expected[columns].to_numpy(dtype=float), rtol=0, atol=1e-9)
    assert np.allclose(changes[columns].sum(axis=1), changes["health_score_unrounded_delta"], rtol=0, atol=1e-9)
    # The largest mover is the component with the largest contribution in size.
    moved = changes[changes["largest_mover"].notna()]
    largest = moved[columns].abs().to_numpy().argmax(axis=1)
    assert list(moved["largest_mover"]) == [COMPONENTS[i] for i in largest]


def test_a_component_that_alone_moved_made_the_whole_change(changes, history) -> None:
    """When one component's score moved and nothing started or stopped applying, it explains everything."""
    columns = [f"{c}_contribution" for c in COMPONENTS]
    moving = (changes[columns].abs() > 0).sum(axis=1)
    alone = changes[(moving == 1) & ~changes["is_configuration_change"]]
    assert len(alone) > 0
    for row in alone.itertuples():
        assert abs(getattr(row, f"{row.largest_mover}_contribution") - row.health_score_unrounded_delta) < 1e-9


def test_trend_adds_up_the_changes_of_each_window(wh, history) -> None:
    with duckdb.connect(str(wh.path), read_only=True) as con:
        trend = con.execute("select * from marts.fct_account_score_trend").df()
        (customers,), = con.execute("select count(*) from marts.fct_account_health").fetchall()
    windows = sorted(trend["window_days"].unique())
    assert windows == [7, 30, 90] and len(trend) == customers * len(windows)
    history = history.assign(valid_to=history["valid_to"].fillna(date.max))
    checked = 0
    for row in trend[trend["health_score_change"].notna()].itertuples():
        versions = history[history["account_id"] == row.account_id]
        before = wh.today - timedelta(days=int(row.window_days))
        then = versions[(versions["valid_from"] <= before) & (before < versions["valid_to"])]
        now = versions[(versions["valid_from"] <= wh.today) & (wh.today < versions["valid_to"])]
        assert then["health_score"].item() == row.previous_health_score and now["health_score"].item() == row.health_score
        contributions = sum(getattr(row, f"{c}_contribution") for c in COMPONENTS)
        assert abs(contributions - (now["health_score_unrounded"].item() - then["health_score_unrounded"].item())) < 1e-9
        expected_trend = "up" if row.health_score_change >= 2 else "down" if row.health_score_change <= -2 else "flat"
        assert row.trend == expected_trend
        checked += 1
    assert checked > customers  # most customers have a change in every window
