"""Point processes shared by the sources: recurring events per account whose pace may follow the
account's health, vectorised across accounts (one loop step per event, not per row)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from csi.generate.calendar import weekday

IntervalFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


def recurring(
    rng: np.random.Generator,
    account: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    mean_interval: IntervalFn,
    regularity: float = 2.0,
) -> tuple[np.ndarray, np.ndarray]:
    """(account, day) of events from start to end (inclusive) per account. Gaps are gamma
    distributed with the given shape (1: Poisson-like, 8: close to a fixed cadence) and a mean
    that mean_interval(account, day) sets at each event. The first event falls at a random phase."""
    account = np.asarray(account, dtype=np.int64)
    end = np.asarray(end, dtype=np.float64)
    t = np.asarray(start, dtype=np.float64) + rng.random(account.size) * mean_interval(
        account, np.asarray(start)
    )
    accounts, days = [], []
    alive = t <= end
    while alive.any():
        account, t, end = account[alive], t[alive], end[alive]
        accounts.append(account)
        days.append(np.floor(t).astype(np.int64))
        t = t + rng.gamma(regularity, mean_interval(account, np.floor(t).astype(np.int64)) / regularity)
        alive = t <= end
    if not accounts:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    account, day = np.concatenate(accounts), np.concatenate(days)
    order = np.lexsort((day, account))
    return account[order], day[order]


def poisson_days(
    rng: np.random.Generator,
    account: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    rate_per_day: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(account, day) of events at a constant rate per account between start and end."""
    span = np.maximum(np.asarray(end) - np.asarray(start) + 1, 0)
    counts = rng.poisson(np.asarray(rate_per_day) * span)
    owner = np.repeat(np.arange(span.size), counts)
    day = np.asarray(start)[owner] + np.floor(rng.random(owner.size) * span[owner]).astype(np.int64)
    order = np.lexsort((day, owner))
    return np.asarray(account)[owner][order], day[order]


def on_weekdays(days: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Move weekend days to the nearest working day inside [low, high] (people meet on weekdays)."""
    days = np.asarray(days, dtype=np.int64)
    wd = weekday(days)
    moved = days - (wd == 5) + (wd == 6)  # Saturday -> Friday, Sunday -> Monday
    moved = np.where(moved > high, moved - 3, moved)  # a Monday past the end becomes the Friday
    return np.where((moved >= low) & (moved <= high), moved, days)
