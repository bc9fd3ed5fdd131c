"""product.usage_daily: one row per account and day with any activity. Whether a day is active
and how many of the licensed seats are used follow the account's health, so a declining account's
usage visibly declines; weekends are quiet.

product.user_activity_daily: the same activity per user, as a product-analytics export lands it
for its last USER_ACTIVITY_DAYS days. Each account's seats are held by users of their own habits
(a persistent propensity: some use the product nearly daily, some hardly ever), and each active
day's users are drawn among the seat holders by propensity, exactly as many as the account's
active_users that day; their events (logins, saved searches, report downloads) add up to the
account's counts that day. So the account-level table is the user-level one counted per day."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from csi.generate.calendar import Calendar, weekday
from csi.generate.contracts import Lifecycle, running_contract
from csi.generate.latent import Accounts, Health, sigmoid
from csi.generate.schema import raw
from csi.generate.text import dates, timestamps

ACTIVE_WEEKDAY = np.array([0.97, 0.90, 0.72])  # chance a weekday has any use, at full health, by segment
WEEKEND_FACTOR = 0.12
# Days the user-level export holds, back from the last day: the measures' 30-day window, and a
# few replayed nights before it (the export began then; a larger window grows the table fast).
USER_ACTIVITY_DAYS = 35
# A user's id: the account's global number times this, plus the seat it holds.
USERS_PER_ACCOUNT = 100_000
PROPENSITY_SIGMA = 1.0  # spread of users' habits (log-normal)
SEAT_DAYS_PER_BATCH = 2_000_000  # bounds the memory of drawing a chunk's users


@dataclass(frozen=True)
class UsageDays:
    """The active account-days, aligned: chunk-local account, day, seats and the day's counts."""

    account: np.ndarray
    day: np.ndarray
    seats: np.ndarray
    users: np.ndarray
    logins: np.ndarray
    saved: np.ndarray
    downloads: np.ndarray


def simulate_usage(
    accounts: Accounts, health: Health, life: Lifecycle, calendar: Calendar, rng: np.random.Generator
) -> UsageDays:
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
    return UsageDays(account, day, seats, users, logins, saved, downloads)


def usage_table(accounts: Accounts, usage: UsageDays, calendar: Calendar, rng: np.random.Generator) -> pa.Table:
    """`rng`: the stream simulate_usage drew from, which then draws the sync times."""
    return raw(
        "product.usage_daily",
        {
            "account_id": accounts.ids.take(pa.array(usage.account)),
            "usage_date": dates(usage.day),
            "active_users": usage.users,
            "logins": usage.logins,
            "saved_searches": usage.saved,
            "report_downloads": usage.downloads,
            "licensed_seats": usage.seats,
            "_fivetran_synced": timestamps(calendar.synced_after(rng, usage.day)),
        },
    )


def user_activity_table(
    accounts: Accounts, usage: UsageDays, calendar: Calendar, rng: np.random.Generator
) -> pa.Table:
    recent = np.flatnonzero(usage.day > calendar.last_day - USER_ACTIVITY_DAYS)
    # Seat k of an account is held by the same user throughout, with a propensity of their own.
    held = np.zeros(len(accounts), dtype=np.int64)
    np.maximum.at(held, usage.account[recent], usage.seats[recent])
    first_seat = np.concatenate([[0], np.cumsum(held)])
    propensity = rng.lognormal(0.0, PROPENSITY_SIGMA, first_seat[-1])
    # In batches of account-days, so a chunk's seat-days are never all in memory at once.
    batches = np.cumsum(usage.seats[recent]) // SEAT_DAYS_PER_BATCH
    rows = [
        _active_users(usage, recent[batches == batch], first_seat, propensity, rng)
        for batch in np.unique(batches)
    ]
    row, seat, events = (np.concatenate(parts) if parts else np.zeros(0, np.int64) for parts in zip(*rows, strict=True))
    account, day = usage.account[row], usage.day[row]
    return raw(
        "product.user_activity_daily",
        {
            "user_id": accounts.index[account] * USERS_PER_ACCOUNT + seat,
            "account_id": accounts.ids.take(pa.array(account)),
            "activity_date": dates(day),
            "events": events,
            "_fivetran_synced": timestamps(calendar.synced_after(rng, day)),
        },
    )


def _active_users(
    usage: UsageDays, rows: np.ndarray, first_seat: np.ndarray, propensity: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each account-day in `rows`, its `users` seat holders drawn by propensity without
    replacement (the largest log(u)/propensity: Efraimidis-Spirakis), and each one's events: one,
    plus the day's other events spread evenly over them. Returns (usage row, seat, events)."""
    seats = usage.seats[rows]
    group = np.repeat(np.arange(rows.size), seats)
    group_start = np.concatenate([[0], np.cumsum(seats)[:-1]])
    seat = np.arange(group.size) - np.repeat(group_start, seats)
    key = np.log(rng.random(group.size)) / propensity[first_seat[usage.account[rows]][group] + seat]
    # Within each account-day, seat holders by key, highest first: rank < users is drawn.
    order = np.lexsort((-key, group))
    rank = np.arange(group.size) - np.repeat(group_start, seats)
    drawn = order[rank < np.repeat(usage.users[rows], seats)]
    drawn_group, drawn_seat = group[drawn], seat[drawn]
    # drawn is ordered by account-day: the extra events of each day go to its users uniformly.
    users = usage.users[rows]
    extra = usage.logins[rows] + usage.saved[rows] + usage.downloads[rows] - users
    first_user = np.concatenate([[0], np.cumsum(users)[:-1]])
    receiver = np.repeat(first_user, extra) + (rng.random(extra.sum()) * np.repeat(users, extra)).astype(np.int64)
    events = 1 + np.bincount(receiver, minlength=drawn.size)
    return rows[drawn_group], drawn_seat, events
