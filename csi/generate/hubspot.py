"""hubspot.company, hubspot.contact and hubspot.engagement. Most companies carry the Salesforce
account id; the rest share the account website's domain; a few (a stray domain, prospects that
never bought) match nothing. Contacts have e-mail addresses at their company's domain."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csi.generate.activities import Activities
from csi.generate.calendar import Calendar
from csi.generate.contracts import Lifecycle
from csi.generate.events import poisson_days
from csi.generate.latent import INDUSTRIES, Accounts
from csi.generate.names import CONTACT_TITLES, Pools, companies, people
from csi.generate.schema import raw
from csi.generate.segments import CONTACTS_MEAN
from csi.generate.text import day_time_us, iso_datetimes, join, pick
from csi.generate.users import Users

COMPANY_ID_BASE = 4_000_000_000
PROSPECT_COMPANY_ID_BASE = 6_000_000_000
PROSPECT_EVERY = 32  # one prospect company (no Salesforce account) per 32 accounts
CONTACT_ID_BASE = 100_000_000
PROSPECT_CONTACT_ID_BASE = 900_000_000
CONTACTS_PER_COMPANY = 16  # id space per company
MAILING_LIST_SHARE = 0.45
ENGAGEMENT_ID_BASE = 20_000_000_000
ENGAGEMENTS_PER_CHUNK = 1 << 28
MEETING_TITLES = (
    "Product roadmap review",
    "Reporting workshop",
    "Demo: new dashboards",
    "Admin office hours",
)
QBR_TITLES = ("QBR", "Quarterly Business Review (QBR)", "QBR prep and review")
# Engagement types other than QBR meetings, with yearly rates per account.
ENGAGEMENT_RATES = (("MEETING", 1.0), ("CALL", 3.0), ("NOTE", 4.0), ("EMAIL", 2.0), ("TASK", 1.0))


@dataclass(frozen=True)
class Contacts:
    account: np.ndarray  # chunk-local account index, -1 for prospects' contacts
    email: pa.Array
    created: np.ndarray
    on_mailing_list: np.ndarray
    open_propensity: np.ndarray  # how much this person reads marketing e-mail


@dataclass(frozen=True)
class HubSpot:
    company_ids: np.ndarray  # per account
    has_scanner: np.ndarray  # per account: a mail security scanner opens and clicks every message
    contacts: Contacts
    tables: dict[str, pa.Table]


def build_hubspot(
    accounts: Accounts,
    life: Lifecycle,
    pools: Pools,
    calendar: Calendar,
    total_accounts: int,
    rng: np.random.Generator,
) -> HubSpot:
    n = len(accounts)
    identity = accounts.identity
    link = accounts.hubspot_link
    # Companies of customers, and prospect companies that match no account.
    prospects = accounts.index[accounts.index % PROSPECT_EVERY == 0]
    prospect_identity = companies(pools, total_accounts + prospects // PROSPECT_EVERY, rng)
    stray_domain = pc.replace_substring_regex(identity.domain, r"\.[a-z]+$", ".co.uk")
    company_ids = COMPANY_ID_BASE + accounts.index
    domain = pa.concat_arrays(
        [pc.if_else(pa.array(link == 2), stray_domain, identity.domain), prospect_identity.domain]
    )
    created_day = np.r_[
        np.maximum(accounts.created - rng.integers(0, 200, n), calendar.world_start - 200),
        rng.integers(calendar.world_start, calendar.last_day + 1, prospects.size),
    ]
    created_us = day_time_us(created_day, rng)
    # The CRM integration writes the account id once the account is a customer.
    modified = np.minimum(
        np.maximum(created_day, np.r_[accounts.signed, created_day[n:]])
        + rng.integers(0, 400, created_day.size),
        calendar.last_day,
    )
    name_full = rng.random(n) < 0.3
    industry = np.r_[accounts.industry, rng.integers(0, len(INDUSTRIES), prospects.size)]
    no_industry = rng.random(industry.size) < 0.1
    all_company_ids = np.r_[company_ids, PROSPECT_COMPANY_ID_BASE + prospects]
    sf_ids = pa.concat_arrays([accounts.ids, pa.nulls(prospects.size, pa.string())])
    sf_linked = np.r_[
        (link == 0) & (accounts.signed <= calendar.last_day), np.zeros(prospects.size, dtype=bool)
    ]
    company = raw(
        "hubspot.company",
        {
            "id": all_company_ids,
            "property_name": pa.concat_arrays(
                [
                    pc.if_else(pa.array(name_full), identity.name, identity.short_name),
                    prospect_identity.short_name,
                ]
            ),
            "property_domain": domain,
            "property_salesforce_account_id": pc.if_else(
                pa.array(sf_linked), sf_ids, pa.scalar(None, pa.string())
            ),
            "property_industry": pick(pa.array(INDUSTRIES), industry, no_industry),
            "property_createdate": iso_datetimes(created_us, millis=True),
            "_fivetran_deleted": np.zeros(created_day.size, dtype=bool),
            "_fivetran_synced": pa.array(calendar.synced_after(rng, modified), pa.timestamp("us")),
        },
    )
    contacts, contact_table = _contacts(accounts, life, pools, calendar, prospects, domain, created_day, rng)
    return HubSpot(
        company_ids=company_ids,
        has_scanner=rng.random(n) < 0.08,
        contacts=contacts,
        tables={"hubspot.company": company, "hubspot.contact": contact_table},
    )


def _contacts(
    accounts: Accounts,
    life: Lifecycle,
    pools: Pools,
    calendar: Calendar,
    prospects: np.ndarray,
    domain: pa.Array,
    company_created: np.ndarray,
    rng: np.random.Generator,
) -> tuple[Contacts, pa.Table]:
    n = len(accounts)
    per_company = np.r_[
        np.minimum(1 + rng.poisson(CONTACTS_MEAN[accounts.segment]), CONTACTS_PER_COMPANY),
        rng.integers(1, 3, prospects.size),
    ]
    company = np.repeat(np.arange(per_company.size), per_company)
    rank = np.arange(company.size) - np.repeat(np.cumsum(per_company) - per_company, per_company)
    is_customer = company < n
    account = np.where(is_customer, company, -1)
    company_index = np.where(
        is_customer, accounts.index[np.minimum(company, n - 1)], prospects[np.maximum(company - n, 0)]
    )
    ids = (
        np.where(is_customer, CONTACT_ID_BASE, PROSPECT_CONTACT_ID_BASE)
        + company_index * CONTACTS_PER_COMPANY
        + rank
    )
    person = people(pools, rng, company.size, distinct_within=company)
    email = join(person.first_slug, ".", person.last_slug, "@", domain.take(pa.array(company)))
    # Most people are added around the start of the customer relationship, some join later.
    anchor = np.where(
        is_customer, accounts.first_start[np.minimum(company, n - 1)] - 30, company_created[company]
    )
    anchor = np.maximum(anchor, company_created[company])
    life_end = np.where(is_customer, life.active_until[np.minimum(company, n - 1)], calendar.last_day)
    later = rng.random(company.size) < 0.2
    created = np.where(
        later,
        anchor + np.floor(rng.random(company.size) * np.maximum(life_end - anchor, 0)).astype(np.int64),
        anchor + rng.exponential(40, company.size).astype(np.int64),
    )
    created = np.minimum(created, calendar.last_day)
    created_us = day_time_us(created, rng)
    modified = np.minimum(created + rng.integers(0, 300, created.size), calendar.last_day)
    table = raw(
        "hubspot.contact",
        {
            "id": ids,
            "property_email": email,
            "property_firstname": person.first,
            "property_lastname": person.last,
            "property_jobtitle": pick(
                pa.array(CONTACT_TITLES),
                rng.integers(0, len(CONTACT_TITLES), company.size),
                rng.random(company.size) < 0.15,
            ),
            "property_associatedcompanyid": np.r_[
                COMPANY_ID_BASE + accounts.index, PROSPECT_COMPANY_ID_BASE + prospects
            ][company],
            "property_createdate": iso_datetimes(created_us, millis=True),
            "_fivetran_deleted": np.zeros(company.size, dtype=bool),
            "_fivetran_synced": pa.array(calendar.synced_after(rng, modified), pa.timestamp("us")),
        },
    )
    contacts = Contacts(
        account=account,
        email=email,
        created=created,
        on_mailing_list=is_customer & (rng.random(company.size) < MAILING_LIST_SHARE),
        open_propensity=rng.beta(2.0, 1.5, company.size),
    )
    return contacts, table


def engagement_table(
    accounts: Accounts,
    life: Lifecycle,
    activities: Activities,
    hubspot: HubSpot,
    users: Users,
    calendar: Calendar,
    chunk: int,
    rng: np.random.Generator,
) -> pa.Table:
    """QBRs the CSMs logged in HubSpot plus other meetings, calls, notes, e-mails and tasks."""
    customer = np.flatnonzero(accounts.first_start <= calendar.last_day)
    start = np.maximum(accounts.first_start, calendar.history_start)[customer]
    end = life.active_until[customer]
    qbr = np.flatnonzero(activities.in_hubspot)
    parts = [(activities.account[qbr], activities.day[qbr], np.zeros(qbr.size, dtype=np.int64), True)]
    for code, (_, per_year) in enumerate(ENGAGEMENT_RATES):
        a, d = poisson_days(rng, customer, start, end, np.full(customer.size, per_year / 365.0))
        parts.append((a, d, np.full(a.size, code), False))
    account = np.concatenate([p[0] for p in parts])
    day = np.concatenate([p[1] for p in parts])
    code = np.concatenate([p[2] for p in parts])
    is_qbr = np.concatenate([np.full(p[0].size, p[3]) for p in parts])
    order = np.lexsort((day, account))
    account, day, code, is_qbr = account[order], day[order], code[order], is_qbr[order]
    short = accounts.identity.short_name.take(pa.array(account))
    qbr_title = join(short, " ", pick(pa.array(QBR_TITLES), rng.integers(0, len(QBR_TITLES), account.size)))
    other_title = pick(
        pa.array(MEETING_TITLES), rng.integers(0, len(MEETING_TITLES), account.size), code != 0
    )
    stamp = day_time_us(day, rng)
    return raw(
        "hubspot.engagement",
        {
            "id": ENGAGEMENT_ID_BASE + (chunk + 1) * ENGAGEMENTS_PER_CHUNK + np.arange(account.size),
            "type": pick(pa.array([t for t, _ in ENGAGEMENT_RATES]), code),
            "company_id": hubspot.company_ids[account],
            "owner_id": users.hubspot_owner_ids[accounts.owner[account]],
            "property_hs_meeting_title": pc.if_else(pa.array(is_qbr), qbr_title, other_title),
            "property_hs_timestamp": iso_datetimes(stamp, millis=True),
            "_fivetran_deleted": np.zeros(account.size, dtype=bool),
            "_fivetran_synced": pa.array(calendar.synced_after(rng, day), pa.timestamp("us")),
        },
    )
