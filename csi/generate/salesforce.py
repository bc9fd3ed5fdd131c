"""salesforce.account and salesforce.opportunity as version histories (they are overwritten by each
sync), and salesforce.contract as landed today."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csi.generate.calendar import Calendar
from csi.generate.contracts import Lifecycle, running_contract
from csi.generate.events import recurring
from csi.generate.history import forward_fill, last_per_night, valid_to
from csi.generate.latent import COUNTRIES, INDUSTRIES, Accounts, Health
from csi.generate.schema import build, history_schema, raw
from csi.generate.segments import SEGMENT_NAMES, TIERS
from csi.generate.text import day_time_us, iso_dates, iso_datetimes, masked, pick, salesforce_ids
from csi.generate.users import Users

ACCOUNT_TYPES = ("Prospect", "Customer", "Former Customer")
STATUSES = ("Active", "Churned")
SENTIMENTS = ("Green", "Yellow", "Red")
SENTIMENT_EVERY_DAYS = 40.0
OPPORTUNITIES_PER_ACCOUNT = 256  # serial space per account
STAGES = ("Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost")
STAGE_PROBABILITY = np.array([10.0, 20.0, 50.0, 75.0, 100.0, 0.0])
STAGE_AT = np.array([0.0, 0.2, 0.45, 0.75])  # share of the way from creation to close
OPPORTUNITY_TYPES = ("New Business", "Renewal", "Expansion")
NEW_BUSINESS, RENEWAL, EXPANSION = 0, 1, 2
UNCHANGED, NULL = -9, -1  # codes of an account change: leaves the attribute alone, empties it


def _histories(
    calendar: Calendar, rng: np.random.Generator, entity: np.ndarray, day: np.ndarray
) -> dict[str, np.ndarray]:
    """Validity of versions (one per entity and night) from changes sorted by entity and time."""
    night = day + 1
    keep = last_per_night(entity, night)
    valid_from = night[keep]
    return {
        "keep": keep,
        "valid_from": valid_from,
        "valid_to": valid_to(entity[keep], valid_from),
        "synced": calendar.sync_times(rng, valid_from),
    }


def account_history(
    accounts: Accounts,
    health: Health,
    life: Lifecycle,
    users: Users,
    calendar: Calendar,
    rng: np.random.Generator,
) -> pa.Table:
    """Every version of every account row: created as a prospect, a customer from the first
    signature, ARR updated at each renewal, the CSM's sentiment now and then, and 'Churned' the
    day after the last contract ends. Sorted by account, then night."""
    c = life.contracts
    n = len(accounts)
    idx = np.arange(n)
    first_arr = c.arr[c.ordinal == 0]  # contracts are sorted by account, ordinal: one first per account
    renewal = (c.ordinal > 0) & (c.start <= calendar.last_day)
    churned = life.churn_day <= calendar.last_day
    # Sentiment: accounts whose CSM keeps it, updated every ~40 days while a customer.
    signed = accounts.signed <= calendar.last_day
    keeps = np.flatnonzero(accounts.keeps_sentiment & signed)
    s_account, s_day = recurring(
        rng,
        keeps,
        np.maximum(accounts.signed[keeps], calendar.history_start - 90),
        life.active_until[keeps],
        lambda a, d: np.full(a.size, SENTIMENT_EVERY_DAYS),
    )
    read = health.at(s_account, s_day) + rng.normal(0.0, 0.1, s_account.size)
    s_value = np.where(read >= 0.62, 0, np.where(read >= 0.40, 1, 2))

    changes = [  # in the order they apply within a day
        _change(idx, accounts.created, type_code=0, status=NULL, arr=np.nan, sentiment=NULL),
        _change(idx[signed], accounts.signed[signed], type_code=1, status=0, arr=first_arr[signed]),
        _change(c.account[renewal], c.start[renewal], arr=c.arr[renewal]),
        _change(idx[churned], life.churn_day[churned], type_code=2, status=1, arr=0.0, sentiment=NULL),
        _change(s_account, s_day, sentiment=s_value),
    ]
    merged = {key: np.concatenate([change[key] for change in changes]) for key in changes[0]}
    order = np.concatenate([np.full(change["entity"].size, rank) for rank, change in enumerate(changes)])
    sort = np.lexsort((order, merged["day"], merged["entity"]))
    entity, day = merged["entity"][sort], merged["day"][sort]
    type_code, status_code, arr, sentiment = (
        forward_fill(merged[key][sort], merged[key][sort] != UNCHANGED)
        for key in ("type_code", "status", "arr", "sentiment")
    )

    v = _histories(calendar, rng, entity, day)
    keep, a = v["keep"], entity[v["keep"]]
    type_code, status_code, arr, sentiment = type_code[keep], status_code[keep], arr[keep], sentiment[keep]
    created_us = day_time_us(accounts.created, rng)
    identity = accounts.identity
    take = pa.array(a)
    return build(
        history_schema("salesforce.account"),
        {
            "id": accounts.ids.take(take),
            "name": identity.name.take(take),
            "type": pick(pa.array(ACCOUNT_TYPES), type_code),
            "industry": pick(pa.array(INDUSTRIES), accounts.industry[a]),
            "website": identity.website.take(take),
            "billing_country": pick(pa.array(COUNTRIES), accounts.country[a]),
            "number_of_employees": accounts.employees[a],
            "owner_id": users.ids.take(pa.array(accounts.owner[a])),
            "segment_c": pick(pa.array(SEGMENT_NAMES), accounts.segment[a]),
            "is_insider_c": accounts.is_insider[a],
            "csm_sentiment_c": pick(pa.array(SENTIMENTS), np.maximum(sentiment, 0), sentiment < 0),
            "account_status_c": pick(pa.array(STATUSES), np.maximum(status_code, 0), status_code < 0),
            "arr_c": masked(np.nan_to_num(arr), np.isnan(arr), pa.float64()),
            "created_date": iso_datetimes(created_us[a]),
            "is_deleted": np.zeros(a.size, dtype=bool),
            "_fivetran_synced": pa.array(v["synced"], pa.timestamp("us")),
            "valid_from": pa.array(v["valid_from"].astype(np.int32), pa.date32()),
            "valid_to": masked(np.maximum(v["valid_to"], 0).astype(np.int32), v["valid_to"] < 0, pa.date32()),
        },
    )


def _change(
    entity: np.ndarray,
    day: np.ndarray,
    type_code: int = UNCHANGED,
    status: int = UNCHANGED,
    arr: float | np.ndarray = UNCHANGED,
    sentiment: int | np.ndarray = UNCHANGED,
) -> dict[str, np.ndarray]:
    """Changes to accounts on days: the attributes each sets (UNCHANGED: left alone; NULL: emptied)."""
    size = np.asarray(entity).size
    return {
        "entity": np.asarray(entity, dtype=np.int64),
        "day": np.asarray(day, dtype=np.int64),
        "type_code": np.broadcast_to(type_code, size).astype(np.int64),
        "status": np.broadcast_to(status, size).astype(np.int64),
        "arr": np.broadcast_to(arr, size).astype(np.float64),
        "sentiment": np.broadcast_to(sentiment, size).astype(np.int64),
    }


def contract_table(
    accounts: Accounts, life: Lifecycle, calendar: Calendar, rng: np.random.Generator
) -> pa.Table:
    """Contracts signed up to the last day, with their status as of today (Draft until the start,
    Activated during the term, Expired after the end)."""
    c = life.contracts
    visible = np.flatnonzero(c.signed <= calendar.last_day)
    start, end = c.start[visible], c.end[visible]
    status = np.where(end < calendar.last_day, 1, np.where(start <= calendar.last_day, 0, 2))
    last_change = np.select([status == 1, status == 0], [end + 1, start], c.signed[visible])
    signed_us = day_time_us(c.signed[visible], rng)
    synced = calendar.synced_after(rng, last_change)
    return raw(
        "salesforce.contract",
        {
            "id": c.ids.take(pa.array(visible)),
            "account_id": accounts.ids.take(pa.array(c.account[visible])),
            "contract_number": pa.array(np.char.zfill(c.number[visible].astype(str), 8)),
            "status": pick(pa.array(("Activated", "Expired", "Draft")), status),
            "start_date": iso_dates(start),
            "end_date": iso_dates(end),
            "contract_term": c.term[visible],
            "arr_c": c.arr[visible],
            "licensed_seats_c": c.seats[visible],
            "product_tier_c": pick(pa.array(TIERS), c.tier[visible]),
            "created_date": iso_datetimes(signed_us),
            "is_deleted": np.zeros(visible.size, dtype=bool),
            "_fivetran_synced": pa.array(synced, pa.timestamp("us")),
        },
    )


@dataclass(frozen=True)
class Opportunities:
    account: np.ndarray
    kind: np.ndarray  # NEW_BUSINESS, RENEWAL, EXPANSION
    contract: np.ndarray  # contract index for renewals, -1 otherwise
    created: np.ndarray
    close: np.ndarray  # the day it closes (may lie after today: still open then)
    expected_close: np.ndarray  # close date shown while open
    won: np.ndarray
    open_amount: np.ndarray
    closed_amount: np.ndarray
    owner: np.ndarray


def plan_opportunities(
    accounts: Accounts, health: Health, life: Lifecycle, calendar: Calendar, rng: np.random.Generator
) -> Opportunities:
    c = life.contracts
    n = len(accounts)
    parts = []
    # New business: opened when the prospect is created, won at the first signature.
    nb_created = np.minimum(accounts.created + rng.integers(0, 4, n), accounts.signed - 5)
    parts.append(
        (
            np.arange(n),
            NEW_BUSINESS,
            -1,
            nb_created,
            accounts.signed,
            accounts.signed + rng.integers(-20, 21, n),
            True,
            c.arr[c.ordinal == 0],
            c.arr[c.ordinal == 0],
            accounts.account_executive,
        )
    )
    # Renewals: usually opened 120-180 days before the end, late when the account is neglected.
    ends = np.arange(len(c))
    level = health.at(c.account, c.end - 150)
    late = rng.random(len(c)) < 0.08 + 0.25 * (1 - level)
    lead = np.where(late, rng.integers(15, 111, len(c)), rng.integers(120, 181, len(c)))
    created = np.maximum(c.end - lead, c.start + 14)
    closed_amount = np.where(c.outcome == 0, c.renewal_amount, c.arr)
    parts.append(
        (
            c.account,
            RENEWAL,
            ends,
            created,
            c.end,
            c.end,
            c.outcome == 0,
            c.arr,
            closed_amount,
            accounts.owner[c.account],
        )
    )
    # Expansions negotiated into a renewal.
    grow = np.flatnonzero(c.expansion_amount > 0)
    estimate = np.round(c.expansion_amount[grow] * rng.uniform(0.8, 1.2, grow.size), -2)
    parts.append(
        (
            c.account[grow],
            EXPANSION,
            -1,
            c.end[grow] - rng.integers(30, 101, grow.size),
            c.end[grow],
            c.end[grow],
            True,
            estimate,
            c.expansion_amount[grow],
            accounts.owner[c.account[grow]],
        )
    )
    # Mid-term upsell attempts at healthy accounts that came to nothing.
    start = np.maximum(accounts.first_start, calendar.history_start - 365)
    acct, day = recurring(
        rng,
        np.arange(n),
        start,
        life.active_until - 30,
        lambda a, d: 365.0 / (0.05 + 0.25 * health.at(a, d)),
        1.0,
    )
    close = np.minimum(day + rng.integers(30, 91, day.size), life.active_until[acct])
    arr_then = c.arr[running_contract(c, acct, day)]
    parts.append(
        (
            acct,
            EXPANSION,
            -1,
            day,
            close,
            day + 60,
            False,
            np.round(arr_then * rng.uniform(0.1, 0.3, day.size), -2),
            np.round(arr_then * rng.uniform(0.1, 0.3, day.size), -2),
            accounts.owner[acct],
        )
    )
    columns = [
        np.concatenate([np.broadcast_to(np.asarray(part[i]), np.asarray(part[0]).shape) for part in parts])
        for i in range(10)
    ]
    account, kind, contract, created, close, expected, won, open_amount, closed_amount, owner = columns
    order = np.lexsort((kind, created, account))
    return Opportunities(
        account=account[order],
        kind=kind[order],
        contract=contract[order],
        created=created[order],
        close=close[order],
        expected_close=expected[order],
        won=won[order].astype(bool),
        open_amount=open_amount[order],
        closed_amount=closed_amount[order],
        owner=owner[order],
    )


def opportunity_history(
    accounts: Accounts,
    life: Lifecycle,
    opportunities: Opportunities,
    users: Users,
    calendar: Calendar,
    rng: np.random.Generator,
) -> pa.Table:
    """Every version of every opportunity created up to the last day: it moves through the stages
    on its way to the close, where it is won or lost as the renewal turned out."""
    o = opportunities
    created_us = day_time_us(o.created, rng)
    ordinal = np.arange(o.account.size) - np.searchsorted(o.account, o.account)  # rank within account
    serial = accounts.index[o.account] * OPPORTUNITIES_PER_ACCOUNT + ordinal
    visible = np.flatnonzero(o.created <= calendar.last_day)
    span = (o.close - o.created)[visible]
    # Stage changes: 4 open stages, then the close.
    open_days = o.created[visible, None] + np.floor(span[:, None] * STAGE_AT[None, :]).astype(np.int64)
    open_days[:, 1:] += rng.integers(-3, 4, (visible.size, 3))
    open_days = np.maximum.accumulate(
        np.clip(open_days, o.created[visible, None], (o.close[visible] - 1)[:, None]), axis=1
    )
    change_day = np.concatenate([open_days, o.close[visible, None]], axis=1)
    stage = np.broadcast_to(np.arange(5), change_day.shape).copy()
    stage[:, 4] = np.where(o.won[visible], 4, 5)
    row = np.broadcast_to(visible[:, None], change_day.shape)
    happened = change_day <= calendar.last_day
    row, stage, day = row[happened], stage[happened], change_day[happened]
    order = np.lexsort((stage, day, row))
    row, stage, day = row[order], stage[order], day[order]
    v = _histories(calendar, rng, row, day)
    keep = v["keep"]
    row, stage = row[keep], stage[keep]
    closed = stage >= 4
    close_day = np.where(closed, o.close[row], o.expected_close[row])
    amount = np.where(closed, o.closed_amount[row], o.open_amount[row])
    contract = o.contract[row]
    short = accounts.identity.short_name.take(pa.array(o.account[row]))
    renewal_year = pc.utf8_slice_codeunits(iso_dates(o.close[row] + 1), 0, 4)
    label = pc.if_else(
        pa.array(o.kind[row] == RENEWAL),
        pc.binary_join_element_wise("Renewal", renewal_year, " "),
        pick(pa.array(OPPORTUNITY_TYPES), o.kind[row]),
    )
    return build(
        history_schema("salesforce.opportunity"),
        {
            "id": salesforce_ids("006", serial[row]),
            "account_id": accounts.ids.take(pa.array(o.account[row])),
            "contract_id_c": life.contracts.ids.take(pa.array(np.maximum(contract, 0), mask=contract < 0)),
            "name": pc.binary_join_element_wise(short, label, " - "),
            "type": pick(pa.array(OPPORTUNITY_TYPES), o.kind[row]),
            "stage_name": pick(pa.array(STAGES), stage),
            "amount": amount,
            "probability": STAGE_PROBABILITY[stage],
            "is_closed": closed,
            "is_won": stage == 4,
            "created_date": iso_datetimes(created_us[row]),
            "close_date": iso_dates(close_day),
            "owner_id": users.ids.take(pa.array(o.owner[row])),
            "is_deleted": np.zeros(row.size, dtype=bool),
            "_fivetran_synced": pa.array(v["synced"], pa.timestamp("us")),
            "valid_from": pa.array(v["valid_from"].astype(np.int32), pa.date32()),
            "valid_to": masked(np.maximum(v["valid_to"], 0).astype(np.int32), v["valid_to"] < 0, pa.date32()),
        },
    )
