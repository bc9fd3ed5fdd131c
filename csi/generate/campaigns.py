"""hubspot.email_campaign (one calendar of campaigns for the whole company) and
hubspot.email_event: per contact and campaign SENT, DELIVERED or BOUNCE (a few DROPPED), OPEN
and CLICK at rates that follow the account's health, SPAMREPORT now and then, and the opens and
clicks of mail scanners that HubSpot flags as filtered_event."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from csi.generate.calendar import US_PER_DAY, US_PER_SECOND, Calendar, day_date, day_number, weekday
from csi.generate.contracts import Lifecycle
from csi.generate.hubspot import HubSpot
from csi.generate.latent import Accounts, Health
from csi.generate.schema import raw
from csi.generate.segments import ENTERPRISE, MID_MARKET, SMB
from csi.generate.text import hex_ids, timestamps

CAMPAIGN_ID_BASE = 250_000_000
ALL, LARGER, SMALLER = (ENTERPRISE, MID_MARKET, SMB), (ENTERPRISE, MID_MARKET), (MID_MARKET, SMB)
AUDIENCE_NAMES = {ALL: "All Customers", LARGER: "Enterprise & Mid-Market", SMALLER: "Mid-Market & SMB"}


@dataclass(frozen=True)
class Theme:
    name: str
    subject: str
    months: tuple[int, ...]  # months of the year it goes out
    audience: tuple[int, ...]
    reach: float  # share of the audience's mailing-list contacts that get it
    campaign_type: str = "BATCH_EMAIL"


THEMES = (
    Theme("Newsletter", "What's new this month", tuple(range(1, 13)), ALL, 0.9),
    Theme(
        "Product Update",
        "New in the product: faster reports and saved searches",
        tuple(range(1, 13)),
        ALL,
        0.5,
    ),
    Theme("Webinar Invite", "Join our live webinar", (1, 3, 5, 7, 9, 11), ALL, 0.3),
    Theme(
        "Best Practices", "Five ways teams get more from saved searches", (2, 4, 6, 8, 10, 12), SMALLER, 0.4
    ),
    Theme("ROI Report", "Your quarterly ROI report is ready", (1, 4, 7, 10), LARGER, 0.6),
    Theme("QBR Invite", "Let's schedule your quarterly business review", (3, 6, 9, 12), LARGER, 0.5),
    Theme(
        "Renewal Notice", "Your subscription renews soon", tuple(range(1, 13)), ALL, 0.9, "AUTOMATED_EMAIL"
    ),
)
RENEWAL_NOTICE = len(THEMES) - 1
# A few campaigns outside the naming convention, as every marketing team has.
OFF_CONVENTION = (("Customer Summit - save the date", 5), ("Holiday greetings", 12))
APP = {"BATCH_EMAIL": (113, "Batch"), "AB_EMAIL": (113, "AB"), "AUTOMATED_EMAIL": (114, "Automated")}


@dataclass(frozen=True)
class Campaigns:
    ids: np.ndarray
    theme: np.ndarray  # index into THEMES, -1 off convention
    send_us: np.ndarray  # when it went out
    table: pa.Table


def plan_campaigns(calendar: Calendar, rng: np.random.Generator) -> Campaigns:
    """Monthly campaigns named '<YYYY-MM> | <Theme> | <Audience>' from history start to the last day."""
    rows: list[tuple[str, str, str, int, int]] = []  # name, subject, type, theme, day
    first, last = day_date(calendar.history_start), day_date(calendar.last_day)
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        month_start = day_number(day_date(0).replace(year=year, month=month, day=1))
        for code, theme in enumerate(THEMES):
            if month in theme.months:
                kind = theme.campaign_type if code == RENEWAL_NOTICE or rng.random() > 0.2 else "AB_EMAIL"
                name = f"{year}-{month:02d} | {theme.name} | {AUDIENCE_NAMES[theme.audience]}"
                rows.append((name, theme.subject, kind, code, month_start + int(rng.integers(0, 26))))
        for name, in_month in OFF_CONVENTION:
            if month == in_month:
                rows.append(
                    (f"{name} {year}", name, "BATCH_EMAIL", -1, month_start + int(rng.integers(0, 26)))
                )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    day = np.array([r[4] for r in rows], dtype=np.int64)
    day = day + (weekday(day) == 5) * 2 + (weekday(day) == 6)  # marketing sends on weekdays
    keep = (day >= calendar.history_start) & (day <= calendar.last_day)
    rows = [row for row, k in zip(rows, keep) if k]
    day = day[keep]
    send_us = day * US_PER_DAY + rng.integers(13 * 3600, 17 * 3600, day.size) * US_PER_SECOND
    ids = CAMPAIGN_ID_BASE + np.arange(day.size)
    kinds = [r[2] for r in rows]
    table = raw(
        "hubspot.email_campaign",
        {
            "id": ids,
            "app_id": np.array([APP[k][0] for k in kinds], dtype=np.int64),
            "app_name": pa.array([APP[k][1] for k in kinds]),
            "name": pa.array([r[0] for r in rows]),
            "subject": pa.array([r[1] for r in rows]),
            "type": pa.array(kinds),
            "_fivetran_synced": timestamps(calendar.synced_after(rng, day)),
        },
    )
    return Campaigns(ids=ids, theme=np.array([r[3] for r in rows]), send_us=send_us, table=table)


def email_event_table(
    accounts: Accounts,
    health: Health,
    life: Lifecycle,
    hubspot: HubSpot,
    campaigns: Campaigns,
    calendar: Calendar,
    chunk: int,
    rng: np.random.Generator,
) -> pa.Table:
    contacts = hubspot.contacts
    listed = np.flatnonzero(contacts.on_mailing_list)
    account = contacts.account[listed]
    c = life.contracts
    sends_contact, sends_campaign = [], []
    for j in range(campaigns.ids.size):
        day = campaigns.send_us[j] // US_PER_DAY
        alive = (
            (accounts.first_start[account] <= day)
            & (life.active_until[account] >= day)
            & (contacts.created[listed] <= day)
        )
        theme = campaigns.theme[j]
        if theme >= 0:
            alive &= np.isin(accounts.segment[account], THEMES[theme].audience)
            reach = THEMES[theme].reach
        else:
            reach = 0.5
        if theme == RENEWAL_NOTICE:
            due = (c.end >= day + 60) & (c.end <= day + 120)
            alive &= np.isin(account, c.account[due])
        chosen = np.flatnonzero(alive & (rng.random(listed.size) < reach))
        sends_contact.append(listed[chosen])
        sends_campaign.append(np.full(chosen.size, j))
    contact = np.concatenate(sends_contact)
    campaign = np.concatenate(sends_campaign)
    account = contacts.account[contact]
    sent = campaigns.send_us[campaign] + rng.integers(0, 600, contact.size) * US_PER_SECOND
    level = health.at(account, sent // US_PER_DAY)
    draw = rng.random(contact.size)
    dropped = draw < 0.004
    bounced = ~dropped & (draw < 0.019)
    delivered = ~dropped & ~bounced
    delivered_at = sent + rng.integers(1, 60, contact.size) * US_PER_SECOND
    scanned = delivered & hubspot.has_scanner[account]
    opened = delivered & (rng.random(contact.size) < contacts.open_propensity[contact] * (0.08 + 0.5 * level))
    opened_at = delivered_at + (
        np.minimum(rng.exponential(10 * 3600, contact.size), 5 * 86400) * US_PER_SECOND
    ).astype(np.int64)
    clicked = opened & (rng.random(contact.size) < 0.05 + 0.2 * level)
    clicked_at = (
        opened_at + (rng.exponential(300, contact.size) * US_PER_SECOND).astype(np.int64) + US_PER_SECOND
    )
    spam = delivered & (rng.random(contact.size) < 0.0015 * (1.5 - level))
    spam_at = opened_at + 60 * US_PER_SECOND
    scan_open = delivered_at + rng.integers(1, 30, contact.size) * US_PER_SECOND
    events = [  # (rows, type, time, filtered)
        (dropped, "DROPPED", sent, False),
        (~dropped, "SENT", sent, False),
        (bounced, "BOUNCE", delivered_at, False),
        (delivered, "DELIVERED", delivered_at, False),
        (scanned, "OPEN", scan_open, True),
        (scanned, "CLICK", scan_open + rng.integers(1, 30, contact.size) * US_PER_SECOND, True),
        (opened, "OPEN", opened_at, False),
        (clicked, "CLICK", clicked_at, False),
        (spam, "SPAMREPORT", spam_at, False),
    ]
    rows = np.concatenate([np.flatnonzero(mask) for mask, *_ in events])
    kind = np.concatenate([np.full(mask.sum(), code) for code, (mask, *_) in enumerate(events)])
    created = np.concatenate([time[mask] for mask, _, time, _ in events])
    filtered = np.concatenate([np.full(mask.sum(), flag) for mask, _, _, flag in events])
    # Events after midnight wait for tomorrow's sync; none after the account has left.
    keep = (created < calendar.today * US_PER_DAY) & (
        created // US_PER_DAY <= life.active_until[account[rows]]
    )
    rows, kind, created, filtered = rows[keep], kind[keep], created[keep], filtered[keep]
    order = np.lexsort((created, rows))
    rows, kind, created, filtered = rows[order], kind[order], created[order], filtered[order]
    serial = ((chunk + 1) << 40) + np.arange(rows.size)
    types = pa.array([name for _, name, _, _ in events])
    return raw(
        "hubspot.email_event",
        {
            "id": hex_ids(serial),
            "email_campaign_id": campaigns.ids[campaign[rows]],
            "recipient": contacts.email.take(pa.array(contact[rows])),
            "type": types.take(pa.array(kind)),
            "created": timestamps(created),
            "filtered_event": filtered,
            "_fivetran_synced": timestamps(calendar.synced_after(rng, created // US_PER_DAY)),
        },
    )
