"""salesforce.user: the CS organisation (CSMs in segment pods, team leads, a director, a VP) and the
account executives who sell new business. Generated once, before any account chunk."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csi.generate.calendar import Calendar
from csi.generate.names import Pools, people
from csi.generate.schema import raw
from csi.generate.segments import ACCOUNTS_PER_CSM, SEGMENT_SHARE
from csi.generate.text import join, salesforce_ids

USER_DOMAIN = "csi-software.example"
CSMS_PER_LEAD = 8
ACCOUNTS_PER_AE = 150
CSM_TITLES = ("Enterprise Customer Success Manager", "Customer Success Manager", "Customer Success Associate")


@dataclass(frozen=True)
class Users:
    table: pa.Table  # the clean salesforce.user rows
    ids: pa.Array
    csms_by_segment: tuple[np.ndarray, ...]  # user indices serving each segment
    diligence: np.ndarray  # per user: how regularly they run their cadences (1 = typical)
    account_executives: np.ndarray
    hubspot_owner_ids: np.ndarray  # the same people as HubSpot owners (integer ids)


def build_users(accounts: int, calendar: Calendar, pools: Pools, rng: np.random.Generator) -> Users:
    csm_counts = [
        max(1, int(np.ceil(accounts * share / per_csm)))
        for share, per_csm in zip(SEGMENT_SHARE, ACCOUNTS_PER_CSM)
    ]
    n_csm = sum(csm_counts)
    n_lead = max(1, int(np.ceil(n_csm / CSMS_PER_LEAD)))
    n_ae = max(1, int(np.ceil(accounts / ACCOUNTS_PER_AE)))
    n_former = max(1, n_csm // 10)  # people who left: inactive, own nothing today
    # Order: VP, director, sales manager, leads, CSMs, AEs, former staff.
    vp, director, sales_manager = 0, 1, 2
    leads = np.arange(3, 3 + n_lead)
    csms = np.arange(leads[-1] + 1, leads[-1] + 1 + n_csm)
    aes = np.arange(csms[-1] + 1, csms[-1] + 1 + n_ae)
    former = np.arange(aes[-1] + 1, aes[-1] + 1 + n_former)
    n = former[-1] + 1

    title = np.empty(n, dtype=object)
    manager = np.full(n, -1)
    title[[vp, director, sales_manager]] = [
        "VP Customer Success",
        "Director, Customer Success",
        "Sales Director",
    ]
    manager[[director, sales_manager]] = vp
    title[leads] = "Customer Success Team Lead"
    manager[leads] = director
    segment_of_csm = np.repeat(np.arange(3), csm_counts)
    title[csms] = np.array(CSM_TITLES, dtype=object)[segment_of_csm]
    manager[csms] = leads[np.arange(n_csm) // CSMS_PER_LEAD]
    title[aes] = "Account Executive"
    manager[aes] = sales_manager
    title[former] = "Customer Success Manager"
    manager[former] = leads[rng.integers(0, n_lead, n_former)]

    ids = salesforce_ids("005", np.arange(n))
    person = people(pools, rng, n)
    local = join(person.first_slug, ".", person.last_slug)
    local = _distinct(local)
    is_active = np.ones(n, dtype=bool)
    is_active[former] = False
    changed = rng.integers(calendar.history_start, calendar.last_day + 1, n)
    table = raw(
        "salesforce.user",
        {
            "id": ids,
            "name": join(person.first, " ", person.last),
            "email": join(local, "@" + USER_DOMAIN),
            "title": pa.array(title.tolist(), pa.string()),
            "manager_id": pc.take(ids, pa.array(np.maximum(manager, 0), mask=manager < 0)),
            "is_active": is_active,
            "_fivetran_synced": pa.array(calendar.synced_after(rng, changed), pa.timestamp("us")),
        },
    )
    diligence = np.clip(rng.lognormal(0.0, 0.25, n), 0.5, 1.8)
    return Users(
        table=table,
        ids=ids,
        csms_by_segment=tuple(csms[segment_of_csm == s] for s in range(3)),
        diligence=diligence,
        account_executives=aes,
        hubspot_owner_ids=40_000_000 + np.arange(n, dtype=np.int64) * 13,
    )


def _distinct(local_parts: pa.Array) -> pa.Array:
    """Number repeated e-mail local parts (jane.doe, jane.doe2, ...) as a mail admin would."""
    values = local_parts.to_pylist()
    seen: dict[str, int] = {}
    out = []
    for value in values:
        seen[value] = seen.get(value, 0) + 1
        out.append(value if seen[value] == 1 else f"{value}{seen[value]}")
    return pa.array(out)
