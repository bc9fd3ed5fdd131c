"""Night-by-night state of the tables a sync overwrites: state_on(today) is what was written for
today, and an earlier night holds only what existed, as it stood then."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from csi.generate import STATE_TABLES, state_on
from csi.generate.schema import arrow_schema

if TYPE_CHECKING:
    from tests.python.conftest import Generated

KEY = {"salesforce.account": "id", "salesforce.opportunity": "id", "ml.churn_prediction": "contract_id"}


def written(generated: Generated, name: str) -> pa.Table:
    source, table = name.split(".")
    return pq.read_table(generated.data_dir / source / f"{table}.parquet")


def test_state_on_today_equals_the_tables_written_for_today(generated: Generated) -> None:
    state = state_on(generated.data_dir, generated.today)
    assert set(state) == set(STATE_TABLES)
    for name in STATE_TABLES:
        assert state[name].schema == arrow_schema(name)
        assert state[name].equals(written(generated, name)), name


def test_state_on_today_is_the_dirty_tables_without_their_injected_rows(generated_dirty: Generated) -> None:
    """History is kept clean: the written tables are today's state plus dirt (injected rows, and
    whitespace garbled in place), every piece of which the manifest names."""
    state = state_on(generated_dirty.data_dir, generated_dirty.today)
    manifest = pq.read_table(generated_dirty.data_dir / "_manifest" / "dirty.parquet")
    for name in STATE_TABLES:
        entries = manifest.filter(pc.equal(manifest["source_table"], name))
        touched = pc.unique(pc.drop_null(entries["record_key"]))
        table, clean = written(generated_dirty, name), state[name]
        synced = "scored_at" if name == "ml.churn_prediction" else "_fivetran_synced"
        markers = entries.filter(pc.is_null(entries["record_key"]))["row_marker"]
        keep = pc.invert(
            pc.or_(pc.is_in(table[KEY[name]], value_set=touched), pc.is_in(table[synced], value_set=markers))
        )
        assert table.filter(keep).equals(
            clean.filter(pc.invert(pc.is_in(clean[KEY[name]], value_set=touched)))
        )
        assert table.num_rows > clean.num_rows


@pytest.mark.parametrize("days_back", [1, 90, 365, 700])
def test_an_earlier_night_holds_only_what_existed_then(generated: Generated, days_back: int) -> None:
    night = generated.today - timedelta(days=days_back)
    state = state_on(generated.data_dir, night)
    accounts, opportunities, scores = (state[name] for name in STATE_TABLES)
    assert accounts.num_rows > 0 and scores.num_rows > 0
    for table, column in ((accounts, "created_date"), (opportunities, "created_date")):
        created = pc.cast(pc.utf8_slice_codeunits(table[column], 0, 10), pa.date32())
        assert pc.max(created).as_py() < night
    for table, column in (
        (accounts, "_fivetran_synced"),
        (opportunities, "_fivetran_synced"),
        (scores, "scored_at"),
    ):
        assert pc.max(table[column]).as_py().date() <= night
    for table, key in ((accounts, "id"), (opportunities, "id"), (scores, "contract_id")):
        assert pc.count_distinct(table[key]).as_py() == table.num_rows


def test_accounts_change_over_time(generated: Generated) -> None:
    """ARR, status and sentiment move between nights; accounts appear; a night later sees more."""
    earlier = state_on(generated.data_dir, generated.today - timedelta(days=365))["salesforce.account"]
    later = state_on(generated.data_dir, generated.today)["salesforce.account"]
    assert earlier.num_rows < later.num_rows
    before = dict(
        zip(
            earlier["id"].to_pylist(),
            earlier.select(["arr_c", "account_status_c", "csm_sentiment_c"]).to_pylist(),
        )
    )
    after = dict(
        zip(
            later["id"].to_pylist(),
            later.select(["arr_c", "account_status_c", "csm_sentiment_c"]).to_pylist(),
        )
    )
    for column in ("arr_c", "account_status_c", "csm_sentiment_c"):
        changed = sum(before[key][column] != after[key][column] for key in before)
        assert changed > 0.05 * len(before), column


def test_a_score_for_every_open_contract_and_none_for_others(generated: Generated) -> None:
    night = generated.today - timedelta(days=200)
    scores = state_on(generated.data_dir, night)["ml.churn_prediction"]
    con = generated.connect()
    con.register("scores", scores)
    run = pc.max(scores["scored_at"]).as_py().date()
    missing, extra = con.execute(
        f"""
        with open_then as (
            select id from salesforce_contract
            where cast(start_date as date) <= date '{run}' and cast(end_date as date) >= date '{run}'
        )
        select (select count(*) from open_then where id not in (select contract_id from scores)),
               (select count(*) from scores where contract_id not in (select id from open_then))
        """
    ).fetchone()
    assert (missing, extra) == (0, 0)
    assert 0 <= (night - run).days < 7


def test_nights_after_today_are_refused(generated: Generated) -> None:
    with pytest.raises(ValueError, match="after"):
        state_on(generated.data_dir, generated.today + timedelta(days=1))


def test_state_on_is_fast_enough_to_replay_every_night(generated: Generated) -> None:
    nights = [generated.today - timedelta(days=d) for d in range(0, 150, 10)]
    state_on(generated.data_dir, nights[0])  # warm the file cache
    started = time.perf_counter()
    for night in nights:
        state_on(generated.data_dir, night)
    assert (time.perf_counter() - started) / len(nights) < 0.2
