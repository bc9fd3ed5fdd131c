"""Contracts and renewals: each account's chain of 12/24/36-month terms, a renewal being a new
contract from the day after the previous end. At each end the account renews or churns with a
probability that falls as its latent health rises; renewals expand or contract with health too."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from csi.generate.calendar import Calendar, add_months
from csi.generate.latent import Accounts, Health, sigmoid
from csi.generate.segments import (
    SEAT_PRICE,
    SEATS_MEDIAN,
    SEATS_SIGMA,
    TERM_MONTHS,
    TERM_WEIGHTS,
    TIER_WEIGHTS,
)
from csi.generate.text import choice_index, salesforce_ids

NEVER = np.iinfo(np.int32).max
CONTRACTS_PER_ACCOUNT = 64  # serial space per account (ids stay unique across chunks)
# True churn probability at a contract's end: sigmoid(INTERCEPT - SLOPE * mean logit health over
# the last OUTCOME_WEEKS weeks of the term).
CHURN_INTERCEPT = -0.75
CHURN_SLOPE = 1.6
OUTCOME_WEEKS = 8
KEEP_TERM = 0.7  # renewals usually keep the term they had


def churn_probability(trailing_logit: np.ndarray) -> np.ndarray:
    return sigmoid(CHURN_INTERCEPT - CHURN_SLOPE * trailing_logit)


@dataclass(frozen=True)
class Contracts:
    account: np.ndarray  # chunk-local account index
    ordinal: np.ndarray  # 0 for the first contract, then one per renewal
    ids: pa.Array
    number: np.ndarray
    start: np.ndarray
    end: np.ndarray
    signed: np.ndarray  # day the contract was created (new business or renewal closed won)
    term: np.ndarray
    seats: np.ndarray
    arr: np.ndarray
    tier: np.ndarray
    churn_probability: np.ndarray  # true probability at the end (NaN when not decided)
    outcome: np.ndarray  # 1 churned, 0 renewed, -1 ends after the simulated horizon
    renewal_amount: np.ndarray  # ARR renewed at the end, before expansion (0 when churned)
    expansion_amount: np.ndarray  # ARR added at the end by an expansion (0 if none)

    def __len__(self) -> int:
        return self.account.size


def running_contract(contracts: Contracts, account: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Index of the contract running on each (account, day): the latest one started by then
    (contracts are sorted by account and start, and a renewal starts the day after the end)."""
    key = contracts.account.astype(np.int64) * (1 << 32) + contracts.start
    position = np.searchsorted(key, np.asarray(account, dtype=np.int64) * (1 << 32) + day, side="right") - 1
    return np.clip(position, 0, len(contracts) - 1)


@dataclass(frozen=True)
class Lifecycle:
    contracts: Contracts
    churn_day: np.ndarray  # per account: first day as a former customer, NEVER if none yet
    active_until: np.ndarray  # per account: last customer day within the data (<= last_day)


def simulate_lifecycle(
    accounts: Accounts, health: Health, calendar: Calendar, rng: np.random.Generator
) -> Lifecycle:
    n = len(accounts)
    account = np.arange(n)
    start = accounts.first_start.astype(np.int64)
    signed = accounts.signed.astype(np.int64)
    term = TERM_MONTHS[choice_index(rng, TERM_WEIGHTS[accounts.segment], n)]
    tier = choice_index(rng, TIER_WEIGHTS[accounts.segment], n)
    seats = np.maximum(
        2, np.round(rng.lognormal(np.log(SEATS_MEDIAN[accounts.segment]), SEATS_SIGMA[accounts.segment]))
    )
    price = SEAT_PRICE[tier] * rng.uniform(0.78, 1.0, n)  # negotiated discount
    churn_day = np.full(n, NEVER, dtype=np.int64)
    parts: list[dict[str, np.ndarray]] = []
    ordinal = 0
    while account.size:
        end = add_months(start, term) - 1
        decided = end <= calendar.horizon
        trailing = health.trailing_mean(account, end + 1, OUTCOME_WEEKS)
        probability = np.where(decided, churn_probability(trailing), np.nan)
        churned = decided & (rng.random(account.size) < probability)
        renewing = decided & ~churned
        level = sigmoid(trailing)
        draw = rng.random(account.size)
        grow = draw < 0.12 + 0.45 * level
        shrink = ~grow & (draw < 0.12 + 0.45 * level + 0.25 * (1 - level))
        change = (
            1 + grow * rng.uniform(0.15, 0.60, account.size) - shrink * rng.uniform(0.10, 0.30, account.size)
        )
        uplift = 1 + rng.uniform(0.0, 0.05, account.size)  # list-price increase at renewal
        upgrade = (level > 0.6) & (tier < 2) & (rng.random(account.size) < 0.06)
        new_tier = tier + upgrade
        new_price = price * uplift * SEAT_PRICE[new_tier] / SEAT_PRICE[tier]
        new_seats = np.maximum(1, np.round(seats * change))
        arr = np.round(seats * price, 2)
        new_arr = np.round(new_seats * new_price, 2)
        renewed_flat = np.round(arr * uplift, 2)
        expands = renewing & (new_arr > renewed_flat)
        parts.append(
            {
                "account": account,
                "ordinal": np.full(account.size, ordinal),
                "start": start,
                "end": end,
                "signed": signed,
                "term": term,
                "seats": seats,
                "arr": arr,
                "tier": tier,
                "churn_probability": probability,
                "outcome": np.where(decided, churned.astype(np.int8), -1),
                "renewal_amount": np.where(renewing, np.where(expands, renewed_flat, new_arr), 0.0),
                "expansion_amount": np.where(expands, new_arr - renewed_flat, 0.0),
            }
        )
        churn_day[account[churned]] = end[churned] + 1
        keep = rng.random(account.size) < KEEP_TERM
        next_term = np.where(
            keep, term, TERM_MONTHS[choice_index(rng, TERM_WEIGHTS[accounts.segment[account]], account.size)]
        )
        account, start, signed = account[renewing], end[renewing] + 1, end[renewing]
        term, seats, price, tier = (
            next_term[renewing],
            new_seats[renewing],
            new_price[renewing],
            new_tier[renewing],
        )
        ordinal += 1
    columns = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    order = np.lexsort((columns["ordinal"], columns["account"]))
    columns = {key: values[order] for key, values in columns.items()}
    serial = accounts.index[columns["account"]] * CONTRACTS_PER_ACCOUNT + columns["ordinal"]
    contracts = Contracts(
        ids=salesforce_ids("800", serial),
        number=serial,
        seats=columns.pop("seats").astype(np.int64),
        **columns,
    )
    active_until = np.minimum(churn_day - 1, calendar.last_day)
    return Lifecycle(contracts=contracts, churn_day=churn_day, active_until=active_until)
