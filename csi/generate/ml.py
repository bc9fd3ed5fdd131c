"""ml.churn_prediction: the churn model rescoring every open contract each Sunday evening. It
sees the account's health only through noise (a blind spot per contract, jitter per run) and
projects it to the contract's end, so it is calibrated but imperfect; it never sees the outcome.
Only the latest run is in the table on any night: every run is kept in the history."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa

from csi.generate.calendar import US_PER_DAY, US_PER_SECOND, Calendar, day_date, weekday
from csi.generate.contracts import CHURN_INTERCEPT, CHURN_SLOPE, Lifecycle
from csi.generate.latent import REVERSION, SHOCK_DOWN, SHOCK_UP, VOLATILITY, Accounts, Health, sigmoid
from csi.generate.schema import build, history_schema
from csi.generate.text import dates, masked

BLIND_SPOT = 0.45  # sd of the model's persistent error per contract (logit health)
JITTER = 0.25  # sd of its error per run
BASELINE_ERROR = 0.4  # sd of its estimate of the account's long-run level
RELEASE_EVERY_DAYS = 182
SCORING_HOUR = 21


def run_days(calendar: Calendar) -> np.ndarray:
    """Sundays from the last one before history start to the last one before today."""
    first = calendar.history_start - 1
    first -= (weekday(first) + 1) % 7
    return np.arange(first, calendar.last_day + 1, 7)


def model_version(days: np.ndarray, calendar: Calendar) -> np.ndarray:
    """The release in production on each day, named by its release month ('m2-2024.03')."""
    epoch = calendar.world_start
    released = epoch + (np.asarray(days) - epoch) // RELEASE_EVERY_DAYS * RELEASE_EVERY_DAYS
    labels = {d: f"m2-{day_date(d):%Y.%m}" for d in np.unique(released)}
    return np.array([labels[d] for d in released], dtype=object)


def prediction_runs(
    accounts: Accounts, health: Health, life: Lifecycle, calendar: Calendar, rng: np.random.Generator
) -> Iterator[pa.Table]:
    """One history table per weekly run (a Parquet row group each, so a night reads one run)."""
    c = life.contracts
    blind_spot = rng.normal(0.0, BLIND_SPOT, len(c))
    baseline_guess = health.baseline[c.account] + rng.normal(0.0, BASELINE_ERROR, len(c))
    rho = 1.0 - REVERSION
    # Shocks pull health below the account's baseline on average and add variance: the model
    # learned both from history.
    shock_mean = SHOCK_DOWN[0] * SHOCK_DOWN[1] + SHOCK_UP[0] * SHOCK_UP[1]
    shock_var = SHOCK_DOWN[0] * (SHOCK_DOWN[1] ** 2 + SHOCK_DOWN[2] ** 2) + SHOCK_UP[0] * (
        SHOCK_UP[1] ** 2 + SHOCK_UP[2] ** 2
    )
    baseline_guess = baseline_guess + shock_mean / REVERSION
    stationary = (VOLATILITY**2 + shock_var) / (1 - rho**2)
    noise = BLIND_SPOT**2 + JITTER**2
    shrink = stationary / (stationary + noise)  # how far a calibrated model trusts what it sees
    runs = run_days(calendar)
    versions = model_version(runs, calendar)
    for position, run in enumerate(runs):
        open_ = np.flatnonzero((c.start <= run) & (c.end >= run))
        account = c.account[open_]
        seen = (
            health.logit(account, np.full(open_.size, run))
            + blind_spot[open_]
            + rng.normal(0.0, JITTER, open_.size)
        )
        estimate = baseline_guess[open_] + shrink * (seen - baseline_guess[open_])
        decay = rho ** (np.maximum(c.end[open_] - run, 0) / 7.0)
        expected = baseline_guess[open_] + (estimate - baseline_guess[open_]) * decay
        variance = (
            stationary * (1 - decay**2)
            + (1 - shrink) * stationary * decay**2
            + BASELINE_ERROR**2 * (1 - decay) ** 2
        )
        probability = sigmoid(
            (CHURN_INTERCEPT - CHURN_SLOPE * expected) / np.sqrt(1 + np.pi * CHURN_SLOPE**2 * variance / 8)
        )
        scored = (
            run * US_PER_DAY
            + (SCORING_HOUR * 3600 + np.sort(rng.integers(0, 5400, open_.size))) * US_PER_SECOND
        )
        following = runs[position + 1] + 1 if position + 1 < runs.size else -1
        yield build(
            history_schema("ml.churn_prediction"),
            {
                "contract_id": c.ids.take(pa.array(open_)),
                "account_id": accounts.ids.take(pa.array(account)),
                "churn_probability": np.round(np.clip(probability, 0.001, 0.999), 4),
                "model_version": pa.array(np.full(open_.size, versions[position]).tolist(), pa.string()),
                "scored_at": pa.array(scored, pa.timestamp("us")),
                "valid_from": dates(np.full(open_.size, run + 1)),
                "valid_to": masked(
                    np.full(open_.size, max(following, 0), dtype=np.int32),
                    np.full(open_.size, following < 0),
                    pa.date32(),
                ),
            },
        )
