"""salesforce.task and salesforce.event: the CS team's logged work. Onboarding (kickoff, training)
follows the first contract; recurring cadences (health checks, QBRs, Insider calls, executive
sponsor meetings, check-in calls, e-mails, renewal discussions) run while the account is a
customer, faster when it is healthy and engaged and when its CSM is diligent."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csi.generate.calendar import Calendar
from csi.generate.contracts import Lifecycle
from csi.generate.events import on_weekdays, poisson_days, recurring
from csi.generate.latent import Accounts, Health
from csi.generate.schema import raw
from csi.generate.segments import SMB
from csi.generate.text import day_time_us, iso_dates, iso_datetimes, pick, salesforce_ids
from csi.generate.users import Users


@dataclass(frozen=True)
class Kind:
    activity_type: str | None  # activity_type_c (None: the CSM left it empty)
    subjects: tuple[str, ...]
    on_event: float  # share logged as calendar events rather than tasks
    minutes: tuple[int, ...] = (30,)
    task_type: str = "Call"


KINDS = (
    Kind(
        "Onboarding Kickoff",
        ("Onboarding kickoff", "Kickoff call - implementation plan", "Implementation kickoff"),
        1.0,
        (60, 90),
    ),
    Kind(
        "Training", ("Onboarding training", "Admin training", "End-user training session"), 1.0, (60, 90, 120)
    ),
    Kind("QBR", ("QBR",), 1.0, (60, 90)),
    Kind(
        "Health Check", ("Health check call", "Monthly health check", "Account health review"), 0.35, (30, 45)
    ),
    Kind(
        "Insider Call",
        ("Insider programme call", "Insider roadmap preview", "Insider feedback session"),
        0.2,
        (30, 45),
    ),
    Kind("Executive Sponsor Meeting", ("Executive sponsor meeting", "Exec sponsor sync"), 1.0, (45, 60)),
    Kind("Check-in Call", ("Check-in call", "Follow-up call", "Catch-up"), 0.0),
    Kind(None, ("Call", "Follow-up call", "Quick sync"), 0.0),
    Kind("Email", ("Follow-up email", "Sent usage report", "Shared best practices"), 0.0, task_type="Email"),
    Kind(None, ("Email", "Re: question on reports", "Sent meeting notes"), 0.0, task_type="Email"),
    Kind("Renewal Discussion", ("Renewal discussion", "Renewal pricing call", "Renewal timeline email"), 0.0),
)
KICKOFF, TRAINING, QBR, HEALTH_CHECK, INSIDER, EXEC, CHECK_IN, CALL, EMAIL_TYPED, EMAIL, RENEWAL = range(
    len(KINDS)
)
HEALTH_CHECK_TYPES = ("Standard", "Risk Review", "Adoption Review", "Executive Review")
QBR_ONLY_IN_HUBSPOT = 0.15  # some CSMs log QBRs only as HubSpot meetings
QBR_ALSO_IN_HUBSPOT = 0.25
SERIAL_PER_CHUNK = 1 << 36


@dataclass(frozen=True)
class Activities:
    """Every CS activity of the chunk, whichever system it was logged in."""

    account: np.ndarray
    day: np.ndarray
    kind: np.ndarray
    health_check_type: np.ndarray  # index into HEALTH_CHECK_TYPES, -1 for none
    in_salesforce: np.ndarray
    in_hubspot: np.ndarray  # QBRs (also) logged as HubSpot meetings


def plan_activities(
    accounts: Accounts, health: Health, life: Lifecycle, calendar: Calendar, rng: np.random.Generator
) -> Activities:
    seg = accounts.segment
    customer = np.flatnonzero(accounts.first_start <= calendar.last_day)
    start = np.maximum(accounts.first_start, calendar.history_start)[customer]
    end = life.active_until[customer]
    diligence = accounts.diligence

    def cadence(days_by_segment: tuple[float, float, float], health_weight: float):
        base = np.array(days_by_segment)

        def interval(a: np.ndarray, d: np.ndarray) -> np.ndarray:
            return base[seg[a]] * (1.0 + health_weight * (0.6 - health.at(a, d))) / diligence[a]

        return interval

    pieces: list[tuple[np.ndarray, np.ndarray, int]] = []
    # Onboarding, at the true start of the first contract (also for accounts older than history).
    first = np.flatnonzero(accounts.first_start + 2 <= np.minimum(life.active_until, calendar.last_day))
    draw = rng.random(first.size)
    delay = np.where(draw < 0.83, rng.integers(2, 15, first.size), rng.integers(15, 46, first.size))
    keep = draw < 0.95
    pieces.append((first[keep], accounts.first_start[first[keep]] + delay[keep], KICKOFF))
    draw = rng.random(first.size)
    delay = np.where(draw < 0.78, rng.integers(5, 31, first.size), rng.integers(31, 81, first.size))
    keep = draw < 0.91
    pieces.append((first[keep], accounts.first_start[first[keep]] + delay[keep], TRAINING))
    a, d = poisson_days(rng, customer, start + 60, end, np.array([1.0, 0.5, 0.2])[seg[customer]] / 365.0)
    pieces.append((a, d, TRAINING))
    # QBRs: quarterly for enterprise and mid-market, half of SMB twice a year or so, the rest never.
    holds_qbrs = (seg[customer] != SMB) | (rng.random(customer.size) < 0.5)
    pieces.append(
        (
            *recurring(
                rng,
                customer[holds_qbrs],
                start[holds_qbrs],
                end[holds_qbrs],
                cadence((91, 95, 200), 0.8),
                8.0,
            ),
            QBR,
        )
    )
    pieces.append((*recurring(rng, customer, start, end, cadence((25, 35, 60), 1.0), 3.0), HEALTH_CHECK))
    insider = accounts.is_insider[customer]
    pieces.append(
        (
            *recurring(rng, customer[insider], start[insider], end[insider], cadence((35, 35, 40), 1.2), 2.0),
            INSIDER,
        )
    )
    sponsored = seg[customer] != SMB
    pieces.append(
        (
            *recurring(
                rng, customer[sponsored], start[sponsored], end[sponsored], cadence((150, 300, 300), 0.5), 3.0
            ),
            EXEC,
        )
    )
    pieces.append((*recurring(rng, customer, start, end, cadence((45, 60, 90), 0.3), 1.5), CHECK_IN))
    pieces.append((*recurring(rng, customer, start, end, cadence((90, 120, 180), 0.0), 1.0), CALL))
    pieces.append((*recurring(rng, customer, start, end, cadence((45, 60, 90), 0.3), 1.0), EMAIL_TYPED))
    pieces.append((*recurring(rng, customer, start, end, cadence((60, 90, 120), 0.0), 1.0), EMAIL))
    # Renewal discussions in the last 90 days of each contract that reaches its end in the data.
    c = life.contracts
    due = np.flatnonzero(c.end <= life.active_until[c.account])
    a, d = poisson_days(rng, c.account[due], c.end[due] - 90, c.end[due], np.full(due.size, 2.0 / 90))
    pieces.append((a, d, RENEWAL))

    account = np.concatenate([p[0] for p in pieces]).astype(np.int64)
    day = np.concatenate([p[1] for p in pieces]).astype(np.int64)
    kind = np.concatenate([np.full(np.asarray(p[0]).size, p[2]) for p in pieces])
    # Onboarding keeps its true date; recurring work lies within history, all of it while a customer.
    onboarding = kind <= TRAINING
    lo = np.where(
        onboarding,
        accounts.first_start[account],
        np.maximum(accounts.first_start[account], calendar.history_start),
    )
    hi = life.active_until[account]
    day = on_weekdays(day, lo, hi)
    inside = (day >= lo) & (day <= hi)
    account, day, kind = account[inside], day[inside], kind[inside]
    order = np.lexsort((kind, day, account))
    account, day, kind = account[order], day[order], kind[order]

    level = health.at(account, day)
    draw = rng.random(account.size)
    check_type = np.where(
        level < 0.4,
        np.where(draw < 0.6, 1, np.where(draw < 0.85, 0, 2)),
        np.where(draw < 0.6, 0, np.where(draw < 0.9, 2, 3)),
    )
    check_type = np.where(
        kind == HEALTH_CHECK, np.where((check_type == 3) & (seg[account] == SMB), 0, check_type), -1
    )
    route = rng.random(account.size)
    is_qbr = kind == QBR
    in_salesforce = ~is_qbr | (route >= QBR_ONLY_IN_HUBSPOT)
    in_hubspot = is_qbr & (route < QBR_ONLY_IN_HUBSPOT + QBR_ALSO_IN_HUBSPOT)
    return Activities(account, day, kind, check_type, in_salesforce, in_hubspot)


def _one_of(options: list[tuple], kind: np.ndarray, rng: np.random.Generator) -> tuple[list, np.ndarray]:
    """Each row picks one of its kind's options: (all options flattened, the picked positions)."""
    offset = np.cumsum([0] + [len(o) for o in options])
    count = np.diff(offset)
    return [value for o in options for value in o], offset[kind] + np.floor(
        rng.random(kind.size) * count[kind]
    ).astype(np.int64)


def _subjects(kind: np.ndarray, day: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """A subject from the kind's templates; QBRs are titled by quarter ('QBR Q3 2024')."""
    templates, choice = _one_of([k.subjects for k in KINDS], kind, rng)
    text = iso_dates(day)
    quarter = pick(pa.array(["1", "2", "3", "4"]), (pc.month(pc.cast(text, pa.date32())).to_numpy() - 1) // 3)
    qbr_title = pc.binary_join_element_wise("QBR Q", quarter, " ", pc.utf8_slice_codeunits(text, 0, 4), "")
    return pc.if_else(pa.array(kind == QBR), qbr_title, pick(pa.array(templates), choice))


def activity_tables(
    accounts: Accounts,
    activities: Activities,
    users: Users,
    calendar: Calendar,
    chunk: int,
    rng: np.random.Generator,
) -> dict[str, pa.Table]:
    """The Salesforce share of the activities, split into tasks and calendar events."""
    logged = np.flatnonzero(activities.in_salesforce)
    kind = activities.kind[logged]
    as_event = rng.random(logged.size) < np.array([k.on_event for k in KINDS])[kind]
    tables = {}
    for name, rows in (("salesforce.task", logged[~as_event]), ("salesforce.event", logged[as_event])):
        account, day, kind = activities.account[rows], activities.day[rows], activities.kind[rows]
        check = activities.health_check_type[rows]
        if name == "salesforce.task":
            # Tasks are logged on the day or a day or two after; events are booked ahead.
            created = np.minimum(day + rng.choice([0, 0, 0, 1, 2], rows.size), calendar.last_day)
        else:
            created = np.maximum(day - rng.integers(1, 22, rows.size), accounts.signed[account])
        columns = {
            "id": salesforce_ids(
                "00T" if name == "salesforce.task" else "00U",
                (chunk + 1) * SERIAL_PER_CHUNK + np.arange(rows.size),
            ),
            "account_id": accounts.ids.take(pa.array(account)),
            "owner_id": users.ids.take(pa.array(accounts.owner[account])),
            "subject": _subjects(kind, day, rng),
            "activity_date": iso_dates(day),
            "activity_type_c": pick(
                pa.array([k.activity_type or "" for k in KINDS]),
                kind,
                np.array([k.activity_type is None for k in KINDS])[kind],
            ),
            "health_check_type_c": pick(pa.array(HEALTH_CHECK_TYPES), np.maximum(check, 0), check < 0),
            "created_date": iso_datetimes(day_time_us(created, rng)),
            "is_deleted": np.zeros(rows.size, dtype=bool),
            "_fivetran_synced": pa.array(
                calendar.synced_after(rng, np.maximum(day, created)), pa.timestamp("us")
            ),
        }
        if name == "salesforce.task":
            task_type = np.array([0 if k.task_type == "Call" else 1 for k in KINDS])[kind]
            task_type = np.where((kind == HEALTH_CHECK) & (rng.random(rows.size) < 0.3), 2, task_type)
            status = np.where(rng.random(rows.size) < 0.96, 0, rng.integers(1, 3, rows.size))
            columns["type"] = pick(pa.array(["Call", "Email", "Meeting", "Other"]), task_type)
            columns["status"] = pick(pa.array(["Completed", "Not Started", "In Progress"]), status)
        else:
            lengths, choice = _one_of([k.minutes for k in KINDS], kind, rng)
            columns["type"] = pick(
                pa.array(["Meeting", "Call"]), (kind == HEALTH_CHECK) & (rng.random(rows.size) < 0.3)
            )
            columns["duration_in_minutes"] = np.array(lengths)[choice]
        tables[name] = raw(name, columns)
    return tables
