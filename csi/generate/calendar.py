"""One time axis for every source: days as integers (days since 1970-01-01, which is what Arrow's
date32 stores) and the nightly sync that lands each day's changes early the next morning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

EPOCH = date(1970, 1, 1)
US_PER_SECOND = 1_000_000
US_PER_DAY = 86_400 * US_PER_SECOND
# The nightly sync runs between 01:00 and 05:00; rows it writes carry that time as _fivetran_synced.
SYNC_WINDOW_START_S = 3_600
SYNC_WINDOW_S = 4 * 3_600
PRE_HISTORY_YEARS = 3
# Outcomes of renewals due shortly after today are drawn too, so pipeline that is already open
# (an expansion being negotiated) is consistent with what will happen.
LOOKAHEAD_DAYS = 130


def day_number(value: date) -> int:
    return (value - EPOCH).days


def day_date(number: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + int(number))


def years_before(value: date, years: int) -> date:
    try:
        return value.replace(year=value.year - years)
    except ValueError:  # 29 February
        return value.replace(year=value.year - years, day=28)


def weekday(days: np.ndarray) -> np.ndarray:
    """Monday = 0 (1970-01-01 was a Thursday)."""
    return (np.asarray(days) + 3) % 7


@dataclass(frozen=True)
class Calendar:
    """today: the night of the final sync, which carries every change up to and including
    last_day. Recurring streams (activities, usage, e-mail, tickets, surveys, scores) cover
    history_start..last_day; accounts and their contracts may begin earlier, from world_start."""

    today: int
    history_start: int
    world_start: int

    @classmethod
    def build(cls, today: date, years: int) -> Calendar:
        history_start = years_before(today, years)
        return cls(
            today=day_number(today),
            history_start=day_number(history_start),
            world_start=day_number(years_before(history_start, PRE_HISTORY_YEARS)),
        )

    @property
    def last_day(self) -> int:
        return self.today - 1

    @property
    def horizon(self) -> int:
        return self.today + LOOKAHEAD_DAYS

    @property
    def week0(self) -> int:
        """The Monday on or before the earliest day anything can happen (a prospect's creation)."""
        first = self.world_start - 200
        return first - int(weekday(first))

    @property
    def n_weeks(self) -> int:
        return (self.horizon - self.week0) // 7 + 2

    def week_of(self, days: np.ndarray) -> np.ndarray:
        return ((np.asarray(days, dtype=np.int64) - self.week0) // 7).astype(np.int64)

    def sync_times(self, rng: np.random.Generator, nights: np.ndarray) -> np.ndarray:
        """_fivetran_synced (µs) of rows written by the syncs of the given nights, to the second."""
        nights = np.asarray(nights, dtype=np.int64)
        seconds = SYNC_WINDOW_START_S + rng.integers(0, SYNC_WINDOW_S, size=nights.shape)
        return nights * US_PER_DAY + seconds * US_PER_SECOND

    def synced_after(self, rng: np.random.Generator, last_change: np.ndarray, max_lag: int = 1) -> np.ndarray:
        """The sync that picked up a row last changed on `last_change`: usually the next night,
        sometimes a night or two later (a paused connector), never after today."""
        last_change = np.asarray(last_change, dtype=np.int64)
        lag = rng.integers(0, max_lag + 1, size=last_change.shape) * (rng.random(last_change.shape) < 0.1)
        return self.sync_times(rng, np.minimum(last_change + 1 + lag, self.today))

    @property
    def sync_window_end_us(self) -> int:
        """The latest moment a row of today's sync may carry."""
        return self.today * US_PER_DAY + (SYNC_WINDOW_START_S + SYNC_WINDOW_S) * US_PER_SECOND


def add_months(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """The same day of month `months` later (clipped to the month's last day), as epoch days."""
    start = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    month = start.astype("datetime64[M]")
    day_of_month = (start - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.asarray(months, dtype=np.int64)
    month_length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    return (
        target.astype("datetime64[D]").astype(np.int64) + np.minimum(day_of_month, month_length - 1)
    ).astype(np.int64)
