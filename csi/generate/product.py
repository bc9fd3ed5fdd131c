"""product.usage_daily: one row per account and day with any activity. Whether a day is active
and how many of the licensed seats are used follow the account's health, so a declining account's
usage visibly declines; weekends are quiet."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from csi.generate.calendar import Calendar, weekday
from csi.generate.contracts import Lifecycle, running_contract
from csi.generate.latent import Accounts, Health, sigmoid
from csi.generate.schema import raw
from csi.generate.text import dates, timestamps

ACTIVE_WEEKDAY = np.array([0.97, 0.90, 0.72])  # chance a weekday has any use, at full health, by segment
WEEKEND_FACTOR = 0.12


def usage_table(
    accounts: Accounts, health: Health, life: Lifecycle, calendar: Calendar, rng: np.random.Generator
) -> pa.Table:
    days = np.arange(calendar.history_start, calendar.last_day + 1)
    start = np.maximum(accounts.first_start, calendar.history_start)
    # Health moves weekly: compute per account and week, then spread over the dense account x day
    # matrix (contiguous, cheap) and keep only the active cells.
    absolute_week = calendar.week_of(days)
    level_weekly = sigmoid(health.x[:, absolute_week[0] : absolute_week[-1] + 1])
    week = absolute_week - absolute_week[0]
    engaged = 0.15 + 0.85 * level_weekly**1.5  # steep: a slipping account is quickly seen less often
    weekend = np.where(weekday(days) >= 5, WEEKEND_FACTOR, 1.0).astype(np.float32)
    p_active = (
        ACTIVE_WEEKDAY[accounts.segment].astype(np.float32)[:, None] * engaged[:, week] * weekend[None, :]
    )
    alive = (days[None, :] >= start[:, None]) & (days[None, :] <= life.active_until[:, None])
    account, column = np.nonzero(alive & (rng.random(p_active.shape, dtype=np.float32) < p_active))
    level = level_weekly[account, week[column]]
    day, weekend = days[column], weekday(days[column]) >= 5
    seats = life.contracts.seats[running_contract(life.contracts, account, day)]
    share = np.clip(
        (0.02 + 0.7 * level**2) * np.where(weekend, 0.2, 1.0) * rng.lognormal(0.0, 0.25, account.size),
        0.0,
        1.0,
    )
    users = np.clip(rng.binomial(seats, share), 1, seats)
    logins = users + rng.poisson(users * (0.3 + 0.6 * level))
    saved = rng.poisson(users * 0.25 * level)
    downloads = rng.poisson(users * 0.12 * (0.5 + level))
    return raw(
        "product.usage_daily",
        {
            "account_id": accounts.ids.take(pa.array(account)),
            "usage_date": dates(day),
            "active_users": users,
            "logins": logins,
            "saved_searches": saved,
            "report_downloads": downloads,
            "licensed_seats": seats,
            "_fivetran_synced": timestamps(calendar.synced_after(rng, day)),
        },
    )
