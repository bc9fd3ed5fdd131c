"""_truth/: what really happened, for tests and analyses only (never loaded into the warehouse):
each contract's true churn probability and outcome, each account's hidden attributes, and its
latent health week by week over the history."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from csi.generate.calendar import Calendar
from csi.generate.contracts import Lifecycle
from csi.generate.latent import Accounts, Health, sigmoid
from csi.generate.schema import build
from csi.generate.segments import SEGMENT_NAMES
from csi.generate.text import dates, masked, pick

SCHEMAS = {
    "contract": pa.schema(
        [
            ("contract_id", pa.string()),
            ("account_id", pa.string()),
            ("start_date", pa.date32()),
            ("end_date", pa.date32()),
            ("arr", pa.float64()),
            ("true_churn_probability", pa.float64()),
            ("churned", pa.bool_()),
            ("renewal_arr", pa.float64()),
            ("expansion_arr", pa.float64()),
        ]
    ),
    "account": pa.schema(
        [
            ("account_id", pa.string()),
            ("segment", pa.string()),
            ("is_insider", pa.bool_()),
            ("baseline_health", pa.float64()),
            ("first_contract_start", pa.date32()),
            ("churn_date", pa.date32()),
            ("hubspot_match", pa.string()),
        ]
    ),
    "health_weekly": pa.schema(
        [("account_id", pa.string()), ("week_start", pa.date32()), ("latent_health", pa.float32())]
    ),
}
HUBSPOT_MATCH = ("salesforce_id", "domain", "none")


def truth_tables(
    accounts: Accounts, health: Health, life: Lifecycle, calendar: Calendar
) -> dict[str, pa.Table]:
    c = life.contracts
    visible = np.flatnonzero(c.signed <= calendar.last_day)
    known = c.end[visible] <= calendar.last_day  # the renewal or churn has happened by today
    contract = build(
        SCHEMAS["contract"],
        {
            "contract_id": c.ids.take(pa.array(visible)),
            "account_id": accounts.ids.take(pa.array(c.account[visible])),
            "start_date": dates(c.start[visible]),
            "end_date": dates(c.end[visible]),
            "arr": c.arr[visible],
            "true_churn_probability": masked(
                np.nan_to_num(c.churn_probability[visible]), ~known, pa.float64()
            ),
            "churned": masked(c.outcome[visible] == 1, ~known, pa.bool_()),
            "renewal_arr": masked(c.renewal_amount[visible], ~known, pa.float64()),
            "expansion_arr": masked(c.expansion_amount[visible], ~known, pa.float64()),
        },
    )
    churned = life.churn_day <= calendar.last_day
    account = build(
        SCHEMAS["account"],
        {
            "account_id": accounts.ids,
            "segment": pick(pa.array(SEGMENT_NAMES), accounts.segment),
            "is_insider": accounts.is_insider,
            "baseline_health": sigmoid(health.baseline),
            "first_contract_start": dates(accounts.first_start),
            "churn_date": dates(np.where(churned, life.churn_day, 0), ~churned),
            "hubspot_match": pick(pa.array(HUBSPOT_MATCH), accounts.hubspot_link),
        },
    )
    # Weekly health while a customer, over the history.
    weeks = np.arange(calendar.week_of(calendar.history_start), calendar.week_of(calendar.last_day) + 1)
    week_start = calendar.week0 + 7 * weeks
    first = np.maximum(accounts.first_start, calendar.history_start)
    last = np.minimum(life.active_until, calendar.last_day)
    alive = (week_start[None, :] + 6 >= first[:, None]) & (week_start[None, :] <= last[:, None])
    who, column = np.nonzero(alive)
    weekly = build(
        SCHEMAS["health_weekly"],
        {
            "account_id": accounts.ids.take(pa.array(who)),
            "week_start": dates(week_start[column]),
            "latent_health": sigmoid(health.x[who, weeks[column]]).astype(np.float32),
        },
    )
    return {"contract": contract, "account": account, "health_weekly": weekly}
