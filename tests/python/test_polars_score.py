"""The in-house polars job of the benchmark scores every customer as the dbt marts do: an
independent implementation of the composite health score, read from the same staged relations."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from csi.bench.polars_score import export_score_inputs, polars_health_scores
from csi.dbt import health_components
from csi.paths import PROJECT_DIR
from tests.python.warehouse import BuiltWarehouse

SCORES = [f"{component}_score" for component in health_components()] + ["health_score"]
BANDS = ["computed_band", "score_band", "risk_level", "top_driver_1", "top_driver_2", "top_driver_3"]


@pytest.fixture(scope="module")
def compared(history_warehouse: BuiltWarehouse, tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    inputs = tmp_path_factory.mktemp("score_inputs")
    export_score_inputs(history_warehouse.path, inputs)
    ours = polars_health_scores(inputs, history_warehouse.today, PROJECT_DIR / "seeds" / "health")
    columns = ["account_id", *SCORES, *BANDS]
    marts = pl.DataFrame(
        history_warehouse.query(f"select {', '.join(columns)} from marts.fct_account_health"),
        schema=columns, orient="row",
    )
    return ours.select(columns).join(marts, on="account_id", how="full", suffix="_dbt", coalesce=True)


def _disagreeing(compared: pl.DataFrame, column: str, tolerance: float | None = None) -> pl.DataFrame:
    ours, theirs = pl.col(column), pl.col(f"{column}_dbt")
    differs = ours.is_null() != theirs.is_null()
    differs = differs | ((ours - theirs).abs() > tolerance if tolerance is not None else ours != theirs)
    return compared.filter(differs.fill_null(False)).select("account_id", column, f"{column}_dbt")


def test_the_same_customers_are_scored(compared: pl.DataFrame) -> None:
    assert compared.height > 300
    assert compared.filter(pl.col("health_score").is_null() | pl.col("health_score_dbt").is_null()).is_empty()


@pytest.mark.parametrize("column", SCORES)
def test_every_score_agrees_with_the_mart(compared: pl.DataFrame, column: str) -> None:
    assert compared[f"{column}_dbt"].is_not_null().any()
    assert _disagreeing(compared, column, tolerance=0.01).is_empty()


@pytest.mark.parametrize("column", BANDS)
def test_bands_risk_and_drivers_agree_with_the_mart(compared: pl.DataFrame, column: str) -> None:
    assert _disagreeing(compared, column).is_empty()


def test_inputs_can_be_given_as_frames(history_warehouse: BuiltWarehouse, tmp_path: Path) -> None:
    paths = export_score_inputs(history_warehouse.path, tmp_path)
    frames = {name: pl.read_parquet(path) for name, path in paths.items()}
    seeds = PROJECT_DIR / "seeds" / "health"
    assert polars_health_scores(frames, history_warehouse.today, seeds).equals(
        polars_health_scores(tmp_path, history_warehouse.today, seeds)
    )
