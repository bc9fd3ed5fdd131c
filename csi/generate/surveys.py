"""alchemer.survey_response: the Relationship NPS survey twice a year and a Training CSAT survey
after trainings, keyed by the respondent's e-mail (a HubSpot contact's, or now and then someone
unknown). Scores follow health; some responses are partial and a few are test submissions."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csi.generate.activities import TRAINING, Activities
from csi.generate.calendar import US_PER_DAY, US_PER_SECOND, Calendar, day_date, day_number
from csi.generate.contracts import Lifecycle
from csi.generate.hubspot import Contacts
from csi.generate.latent import Accounts, Health
from csi.generate.schema import raw
from csi.generate.text import iso_datetimes, join
from csi.generate.users import USER_DOMAIN

NPS_SURVEY, CSAT_SURVEY = (5_100_001, "Relationship NPS"), (5_100_002, "Training CSAT")
NPS_MONTHS = (3, 9)
RESPONSE_ID_BASE = 30_000_000
RESPONSES_PER_CHUNK = 10_000_000
UNKNOWN_SHARE, PARTIAL_SHARE, TEST_SHARE = 0.03, 0.10, 0.005


def _nps_waves(calendar: Calendar) -> list[int]:
    first, last = day_date(calendar.history_start), day_date(calendar.last_day)
    waves = [
        day_number(first.replace(year=y, month=m, day=3))
        for y in range(first.year, last.year + 1)
        for m in NPS_MONTHS
    ]
    return [w for w in waves if calendar.history_start <= w <= calendar.last_day]


def survey_table(
    accounts: Accounts,
    health: Health,
    life: Lifecycle,
    contacts: Contacts,
    activities: Activities,
    calendar: Calendar,
    chunk: int,
    rng: np.random.Generator,
) -> pa.Table:
    customer_contact = np.flatnonzero(contacts.account >= 0)
    respondent, day, survey = [], [], []
    for wave in _nps_waves(calendar):
        a = contacts.account[customer_contact]
        invited = (
            (accounts.first_start[a] + 30 <= wave)
            & (life.active_until[a] >= wave)
            & (contacts.created[customer_contact] <= wave)
        )
        responds = invited & (rng.random(a.size) < 0.18 + 0.2 * health.at(a, np.full(a.size, wave)))
        chosen = customer_contact[responds]
        respondent.append(chosen)
        day.append(wave + np.minimum(rng.exponential(4.0, chosen.size), 20).astype(np.int64))
        survey.append(np.zeros(chosen.size, dtype=np.int64))
    # Training CSAT: one or two attendees answer after most trainings.
    trained = np.flatnonzero((activities.kind == TRAINING) & (activities.day >= calendar.history_start))
    trained = np.repeat(trained, rng.integers(1, 3, trained.size))
    trained = trained[rng.random(trained.size) < 0.5]
    a = activities.account[trained]
    grouped = contacts.account[customer_contact]  # customers' contacts come first, grouped by account
    first = np.searchsorted(grouped, a)
    count = np.searchsorted(grouped, a, side="right") - first
    respondent.append(first + np.floor(rng.random(a.size) * count).astype(np.int64))
    day.append(activities.day[trained] + rng.integers(0, 6, a.size))
    survey.append(np.ones(a.size, dtype=np.int64))
    respondent, day, survey = np.concatenate(respondent), np.concatenate(day), np.concatenate(survey)
    account = contacts.account[respondent]
    keep = day <= np.minimum(life.active_until[account], calendar.last_day)
    respondent, day, survey, account = respondent[keep], day[keep], survey[keep], account[keep]
    order = np.lexsort((day, survey))
    respondent, day, survey, account = respondent[order], day[order], survey[order], account[order]
    size = respondent.size
    level = health.at(account, day)
    nps = np.clip(np.round(rng.normal(1.5 + 9.0 * level, 1.4)), 0, 10).astype(np.int64)
    csat = np.clip(np.round(rng.normal(1.8 + 3.2 * level, 0.7)), 1, 5).astype(np.int64)
    partial = rng.random(size) < PARTIAL_SHARE
    unanswered = partial & (rng.random(size) < 0.5)
    is_test = rng.random(size) < TEST_SHARE
    unknown = ~is_test & (rng.random(size) < UNKNOWN_SHARE)
    email = contacts.email.take(pa.array(respondent))
    domain = pc.extract_regex(email, r"@(?P<domain>.+)$").field("domain")
    unknown_email = join(
        pc.if_else(pa.array(rng.random(size) < 0.5), pa.scalar("info"), pa.scalar("team")), "@", domain
    )
    email = pc.if_else(pa.array(unknown), unknown_email, email)
    email = pc.if_else(pa.array(is_test), pa.scalar(f"qa.test@{USER_DOMAIN}"), email)
    submitted = day * US_PER_DAY + rng.integers(7 * 3600, 23 * 3600, size) * US_PER_SECOND
    return raw(
        "alchemer.survey_response",
        {
            "id": RESPONSE_ID_BASE + (chunk + 1) * RESPONSES_PER_CHUNK + np.arange(size),
            "survey_id": np.where(survey == 0, NPS_SURVEY[0], CSAT_SURVEY[0]),
            "survey_title": pa.array(np.where(survey == 0, NPS_SURVEY[1], CSAT_SURVEY[1])),
            "respondent_email": email,
            "status": pa.array(np.where(partial, "Partial", "Complete")),
            "submitted_at": iso_datetimes(submitted),
            "nps_score": pa.array(nps, pa.int32(), mask=(survey != 0) | unanswered),
            "csat_score": pa.array(csat, pa.int32(), mask=(survey != 1) | unanswered),
            "is_test_data": is_test,
            "_fivetran_deleted": np.zeros(size, dtype=bool),
            "_fivetran_synced": pa.array(calendar.synced_after(rng, day), pa.timestamp("us")),
        },
    )
