"""The latent account process everything else follows: who the customers are, when they arrive,
and a hidden health that drifts week by week (a mean-reverting random walk in logit space with
occasional shocks and lasting shifts). Activity, usage, e-mail, tickets, surveys, sentiment,
renewals and the churn model all read this health; none of it is ever written to a raw table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from csi.generate.calendar import Calendar
from csi.generate.names import Companies, Pools, companies
from csi.generate.segments import EMPLOYEES_MEDIAN, HEALTH_BASELINE, SEGMENT_SHARE
from csi.generate.text import choice_index, salesforce_ids
from csi.generate.users import Users

GROWTH_PER_YEAR = 0.20  # new-logo acquisition grows this much a year
INSIDER_SHARE = 0.33
INSIDER_HEALTH_LIFT = 0.25
HUBSPOT_LINK = (0.85, 0.13, 0.02)  # company carries the SF id / matches by domain only / matches nothing
SENTIMENT_HABIT = 0.55  # share of accounts whose CSM keeps csm_sentiment_c up to date

# Weekly dynamics in logit space.
REVERSION = 0.04
VOLATILITY = 0.17
BASELINE_SPREAD = 0.8
SHOCK_DOWN = (0.004, -1.2, 0.4)  # weekly probability, mean, sd: a champion leaves, a reorg
SHOCK_UP = (0.002, 0.7, 0.3)
SHIFT = (0.0015, -0.45, 0.6)  # a lasting change of the account's own baseline (budget cut, new sponsor)
HONEYMOON = 0.3

INDUSTRIES = (
    "Software",
    "Financial Services",
    "Healthcare",
    "Retail",
    "Manufacturing",
    "Education",
    "Media",
    "Logistics",
    "Professional Services",
    "Government",
    "Non-profit",
    "Energy",
)
INDUSTRY_WEIGHTS = np.array([18, 14, 12, 9, 10, 6, 5, 6, 9, 4, 3, 4], dtype=float)
COUNTRIES = (
    "United States",
    "United Kingdom",
    "Germany",
    "Canada",
    "France",
    "Australia",
    "Netherlands",
    "Sweden",
    "Ireland",
    "Singapore",
    "Spain",
    "Japan",
)
COUNTRY_WEIGHTS = np.array([52, 11, 7, 6, 5, 4, 3, 2, 2, 2, 3, 3], dtype=float)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass(frozen=True)
class Health:
    """Latent health per account (rows) and week (columns), in logit space."""

    x: np.ndarray
    cumulative: np.ndarray  # running sum of x along the weeks, with a leading zero column
    baseline: np.ndarray  # each account's own long-run level at the start (before shifts)
    calendar: Calendar

    def logit(self, account: np.ndarray, days: np.ndarray) -> np.ndarray:
        week = np.clip(self.calendar.week_of(days), 0, self.x.shape[1] - 1)
        return self.x[account, week]

    def at(self, account: np.ndarray, days: np.ndarray) -> np.ndarray:
        """Health as a probability-like 0..1 level on the given days."""
        return sigmoid(self.logit(account, days))

    def trailing_mean(self, account: np.ndarray, days: np.ndarray, weeks: int) -> np.ndarray:
        """Mean logit health over the `weeks` weeks before each day."""
        end = np.clip(self.calendar.week_of(days), weeks, self.x.shape[1])
        return (self.cumulative[account, end] - self.cumulative[account, end - weeks]) / weeks


@dataclass(frozen=True)
class Accounts:
    """One chunk of accounts; every array is aligned on the chunk-local account index."""

    index: np.ndarray  # global account number
    ids: pa.Array
    identity: Companies
    segment: np.ndarray
    is_insider: np.ndarray
    industry: np.ndarray
    country: np.ndarray
    employees: np.ndarray
    owner: np.ndarray  # user index of the CSM
    account_executive: np.ndarray
    created: np.ndarray  # day the account (a prospect) was created in the CRM
    signed: np.ndarray  # day the first contract was signed (new business closed won)
    first_start: np.ndarray  # first day of the first contract
    hubspot_link: np.ndarray  # 0 SF id on the company, 1 domain only, 2 no match
    keeps_sentiment: np.ndarray
    diligence: np.ndarray  # the owner's cadence discipline

    def __len__(self) -> int:
        return self.index.size


def simulate_accounts(
    global_index: np.ndarray, calendar: Calendar, pools: Pools, users: Users, rng: np.random.Generator
) -> Accounts:
    n = global_index.size
    segment = choice_index(rng, np.array(SEGMENT_SHARE), n)
    owner = np.empty(n, dtype=np.int64)
    for s, csms in enumerate(users.csms_by_segment):
        members = segment == s
        owner[members] = csms[rng.integers(0, csms.size, members.sum())]
    # Creation days with exponential growth of new logos from world_start to last_day.
    span = calendar.last_day - calendar.world_start
    rate = GROWTH_PER_YEAR / 365.0
    created = calendar.world_start + np.log1p(rng.random(n) * np.expm1(rate * span)) / rate
    created = created.astype(np.int64)
    sales_cycle = rng.integers(20, 121, n)
    first_start = created + sales_cycle
    signed = np.maximum(created + 7, first_start - rng.integers(1, 15, n))
    employees = np.maximum(3, rng.lognormal(np.log(EMPLOYEES_MEDIAN[segment]), 0.6)).astype(np.int64)
    return Accounts(
        index=global_index,
        ids=salesforce_ids("001", global_index),
        identity=companies(pools, global_index, rng),
        segment=segment,
        is_insider=rng.random(n) < INSIDER_SHARE,
        industry=choice_index(rng, INDUSTRY_WEIGHTS, n),
        country=choice_index(rng, COUNTRY_WEIGHTS, n),
        employees=employees,
        owner=owner,
        account_executive=users.account_executives[rng.integers(0, users.account_executives.size, n)],
        created=created,
        signed=signed,
        first_start=first_start,
        hubspot_link=choice_index(rng, np.array(HUBSPOT_LINK), n),
        keeps_sentiment=rng.random(n) < SENTIMENT_HABIT,
        diligence=users.diligence[owner],
    )


def simulate_health(accounts: Accounts, calendar: Calendar, rng: np.random.Generator) -> Health:
    n, weeks = len(accounts), calendar.n_weeks
    baseline = HEALTH_BASELINE[accounts.segment] + INSIDER_HEALTH_LIFT * accounts.is_insider
    baseline = baseline + rng.normal(0.0, BASELINE_SPREAD, n)
    # All weekly innovations drawn at once (one call per kind, not one per week).
    shape = (weeks, n)
    level = baseline + np.cumsum(_rare(rng, shape, *SHIFT), axis=0)
    steps = rng.normal(0.0, VOLATILITY, shape) + _rare(rng, shape, *SHOCK_DOWN) + _rare(rng, shape, *SHOCK_UP)
    start_week = calendar.week_of(accounts.first_start)
    onboarding = level[np.clip(start_week, 0, weeks - 1), np.arange(n)] + HONEYMOON + rng.normal(0.0, 0.5, n)
    x = np.empty((n, weeks), dtype=np.float32)
    current = baseline.copy()
    for week in range(weeks):
        current = current + REVERSION * (level[week] - current) + steps[week]
        current = np.where(start_week == week, onboarding, np.where(start_week > week, level[week], current))
        x[:, week] = current
    cumulative = np.concatenate([np.zeros((n, 1)), np.cumsum(x, axis=1, dtype=np.float64)], axis=1)
    return Health(x=x, cumulative=cumulative, baseline=baseline, calendar=calendar)


def _rare(
    rng: np.random.Generator, shape: tuple[int, int], probability: float, mean: float, sd: float
) -> np.ndarray:
    """Events that strike each cell with a small probability, with normal sizes (zero elsewhere)."""
    out = np.zeros(shape)
    hit = rng.random(shape) < probability
    out[hit] = rng.normal(mean, sd, hit.sum())
    return out
