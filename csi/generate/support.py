"""support.ticket: more tickets, more urgent ones, more escalations and worse CSAT when an account
is unhealthy. Status and solved_at are as of today: recent tickets may still be open."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from csi.generate.calendar import US_PER_DAY, US_PER_SECOND, Calendar
from csi.generate.contracts import Lifecycle
from csi.generate.events import recurring
from csi.generate.latent import Accounts, Health
from csi.generate.schema import raw
from csi.generate.text import iso_datetimes, pick

TICKETS_PER_YEAR = np.array([20.0, 9.0, 3.5])  # at middling health, by segment
PRIORITIES = ("low", "normal", "high", "urgent")
STATUSES = ("new", "open", "pending", "hold", "solved", "closed")
HOURS_TO_SOLVE = np.array([120.0, 60.0, 24.0, 8.0])  # mean, by priority
TICKET_ID_BASE = 1_000_000
TICKETS_PER_CHUNK = 10_000_000
SUBJECTS = (
    "Cannot export report to Excel",
    "SSO login failing",
    "Saved search returns no results",
    "Slow dashboard",
    "Add users to our licence",
    "Question about invoice",
    "API rate limit errors",
    "Report download times out",
    "Data looks out of date",
    "How do I share a saved search?",
    "Password reset not received",
    "Feature request: alerts",
)


def ticket_table(
    accounts: Accounts,
    health: Health,
    life: Lifecycle,
    calendar: Calendar,
    chunk: int,
    rng: np.random.Generator,
) -> pa.Table:
    customer = np.flatnonzero(accounts.first_start <= calendar.last_day)
    start = np.maximum(accounts.first_start, calendar.history_start)[customer]
    yearly = TICKETS_PER_YEAR[accounts.segment]

    def interval(a: np.ndarray, d: np.ndarray) -> np.ndarray:
        return 365.0 / (yearly[a] * (0.4 + 1.6 * (1.0 - health.at(a, d))))

    account, day = recurring(rng, customer, start, life.active_until[customer], interval, 1.0)
    level = health.at(account, day)
    size = account.size
    # Priority and escalation lean urgent when the account is unhappy.
    draw = rng.random(size)
    urgent_share = 0.03 + 0.12 * (1 - level)
    high_share = 0.12 + 0.15 * (1 - level)
    priority = np.where(
        draw < urgent_share, 3, np.where(draw < urgent_share + high_share, 2, np.where(draw < 0.75, 1, 0))
    )
    escalated = rng.random(size) < (0.02 + 0.20 * (1 - level)) * np.where(priority >= 2, 2.0, 1.0)
    created = day * US_PER_DAY + rng.integers(6 * 3600, 22 * 3600, size) * US_PER_SECOND
    solve_hours = rng.exponential(HOURS_TO_SOLVE[priority]) * np.where(escalated, 3.0, 1.0) + 0.2
    solved = created + (solve_hours * 3600 * US_PER_SECOND).astype(np.int64)
    cutoff = calendar.today * US_PER_DAY  # what the final sync can know
    is_solved = solved < cutoff
    closed = is_solved & (solved + 4 * US_PER_DAY < cutoff)  # solved tickets close after four days
    open_status = np.where(
        rng.random(size) < 0.5, 1, np.where(rng.random(size) < 0.7, 2, np.where(rng.random(size) < 0.5, 0, 3))
    )
    status = np.where(closed, 5, np.where(is_solved, 4, open_status))
    rated = is_solved & (rng.random(size) < 0.4)
    satisfaction = np.clip(
        np.round(1.2 + 3.6 * level + rng.normal(0, 0.8, size) - escalated * 1.0), 1, 5
    ).astype(np.int64)
    last_change = (
        np.where(closed, solved + 4 * US_PER_DAY, np.where(is_solved, solved, created)) // US_PER_DAY
    )
    return raw(
        "support.ticket",
        {
            "id": TICKET_ID_BASE + (chunk + 1) * TICKETS_PER_CHUNK + np.arange(size),
            "account_id": accounts.ids.take(pa.array(account)),
            "subject": pick(pa.array(SUBJECTS), rng.integers(0, len(SUBJECTS), size)),
            "priority": pick(pa.array(PRIORITIES), priority),
            "status": pick(pa.array(STATUSES), status),
            "created_at": iso_datetimes(created),
            "solved_at": iso_datetimes(solved, mask=~is_solved),
            "is_escalated": escalated,
            "csat_score": pa.array(satisfaction, pa.int32(), mask=~rated),
            "_fivetran_deleted": np.zeros(size, dtype=bool),
            "_fivetran_synced": pa.array(
                calendar.synced_after(rng, np.minimum(last_change, calendar.last_day)), pa.timestamp("us")
            ),
        },
    )
