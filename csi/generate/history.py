"""Night-by-night state of the tables a real sync overwrites (salesforce.account,
salesforce.opportunity, ml.churn_prediction). Each version of a row is kept once in
_history/<table>.parquet with the nights [valid_from, valid_to) on which it was current, so
any night is one filtered read."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from csi.generate.calendar import day_number
from csi.generate.schema import arrow_schema

STATE_TABLES = ("salesforce.account", "salesforce.opportunity", "ml.churn_prediction")
HISTORY_DIR = "_history"
HISTORY_ROW_GROUP = 16_384


def history_path(data_dir: Path, qualified_name: str) -> Path:
    return Path(data_dir) / HISTORY_DIR / f"{qualified_name}.parquet"


def valid_to(entity: np.ndarray, valid_from: np.ndarray) -> np.ndarray:
    """For versions sorted by (entity, valid_from): the next version's valid_from, or -1 for the
    last version of each entity (still current)."""
    following = np.r_[valid_from[1:], -1]
    last = np.r_[entity[1:] != entity[:-1], True]
    return np.where(last, -1, following)


def forward_fill(values: np.ndarray, is_set: np.ndarray) -> np.ndarray:
    """Carry the last set value forward (rows sorted by entity; each entity's first row sets it)."""
    position = np.where(is_set, np.arange(is_set.size), 0)
    return values[np.maximum.accumulate(position)]


def last_per_night(entity: np.ndarray, night: np.ndarray) -> np.ndarray:
    """Mask of the last change of each (entity, night), for changes sorted by entity and time:
    a sync sees only the state at the end of the day."""
    return np.r_[(entity[1:] != entity[:-1]) | (night[1:] != night[:-1]), True]


def by_expiry(versions: pa.Table) -> list[pa.Table]:
    """Versions ordered by the night they stopped being current (current ones last, and in key
    order), cut into small row groups: Parquet statistics then let a night skip every group of
    versions that had expired by then."""
    expiry = pc.fill_null(versions["valid_to"].cast(pa.int32()), np.iinfo(np.int32).max).to_numpy()
    ordered = versions.take(np.argsort(expiry, kind="stable"))
    return [
        ordered.slice(start, HISTORY_ROW_GROUP) for start in range(0, ordered.num_rows, HISTORY_ROW_GROUP)
    ]


def state_on(data_dir: Path, night: date) -> dict[str, pa.Table]:
    """The overwritten tables as the sync of `night` landed them, with exactly the columns of
    the sources YAML. History is kept clean: on today's night this equals the written tables
    minus the rows the dirty mode injected (see _manifest/dirty.parquet). Nights after today,
    which the data cannot know, raise ValueError."""
    summary = Path(data_dir) / "generation.json"
    if not summary.is_file():
        raise FileNotFoundError(f"no generation at {data_dir}: run `csi generate --out {data_dir}` first")
    today = date.fromisoformat(json.loads(summary.read_text())["today"])
    if night > today:
        raise ValueError(f"{night} is after {today}, the last night generated in {data_dir}")
    day = pa.scalar(day_number(night), pa.date32())
    valid = (pc.field("valid_from") <= day) & (pc.field("valid_to").is_null() | (pc.field("valid_to") > day))
    state = {}
    for name in STATE_TABLES:
        path = history_path(data_dir, name)
        if not path.is_file():
            raise FileNotFoundError(
                f"no history for {name} at {path}: run `csi generate --out {data_dir}` first"
            )
        columns = arrow_schema(name).names
        state[name] = ds.dataset(path, format="parquet").to_table(columns=columns, filter=valid)
    return state
