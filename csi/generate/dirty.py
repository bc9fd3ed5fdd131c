"""Dirty mode: the bad rows a real sync lands, each with exactly one defect, recorded in
_manifest/dirty.parquet with the outcome staging must reach. Clean rows are never touched,
except whitespace_case, which garbles an enum or e-mail of a real row in place (staging cleans it
and keeps the row). Rows with a quarantine defect get a key of their own (a fresh id, for usage
a day the account had no usage, for user activity a user no clean row has), so they never collide
with a clean row and no clean row ever points at them; duplicates reuse a real row's key."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csi.generate.calendar import US_PER_DAY, US_PER_SECOND, Calendar
from csi.generate.text import DIRTY_SERIAL, ORPHAN_SERIAL, hex_ids, iso_dates, iso_datetimes, salesforce_ids

DUPLICATE = "duplicate"
UNRESOLVABLE = "unresolvable_duplicate"
DELETED = "deleted"
NULL_KEY = "null_key"
ORPHANED = "orphaned_key"
UNPARSEABLE = "unparseable_date"
FUTURE = "future_date"
OUT_OF_RANGE = "out_of_range"
UNKNOWN_ENUM = "unknown_enum"
WHITESPACE = "whitespace_case"
OUTCOME = {
    DUPLICATE: "deduplicated",
    UNRESOLVABLE: "quarantined",
    DELETED: "deleted",
    NULL_KEY: "quarantined",
    ORPHANED: "quarantined",
    UNPARSEABLE: "quarantined",
    FUTURE: "quarantined",
    OUT_OF_RANGE: "quarantined",
    UNKNOWN_ENUM: "quarantined",
    WHITESPACE: "cleaned",
}
DEFECTS = tuple(OUTCOME)
MANIFEST_SCHEMA = pa.schema(
    [
        pa.field("source_table", pa.string()),
        pa.field("record_key", pa.string()),
        # The _fivetran_synced (ml: scored_at) of the raw row that must end with expected_outcome:
        # for a duplicate, the older row it supersedes.
        pa.field("row_marker", pa.timestamp("us")),
        pa.field("defect", pa.string()),
        pa.field("column_name", pa.string()),
        pa.field("expected_outcome", pa.string()),
    ]
)
GARBLED_DATES = (
    "31/02/2024",
    "N/A",
    "2024-13-45",
    "00/00/0000",
    "2023-02-30",
    "TBD",
    "12/31/2024",
    "yesterday",
)
DIRTY_INT = 9_000_000_000_000
ORPHAN_INT = 8_000_000_000_000
PER_CHUNK = 1 << 24

# How an out-of-range value is made: negative amount or count, or past the top of its scale.
NEGATIVE, PERCENT, UNIT, NPS, CSAT = "negative", "percent", "unit", "nps", "csat"
# How a text date is written: date only, date and time, date and time with milliseconds.
DATE, DATETIME, DATETIME_MS = "date", "datetime", "datetime_ms"


@dataclass(frozen=True)
class Rules:
    """What can go wrong in one raw table, as the staging checks see it."""

    key: tuple[str, ...] = ("id",)
    id_kind: str = ""  # how fresh ids look: a Salesforce key prefix, 'int' or 'hex'
    synced: str = "_fivetran_synced"
    deleted: str | None = None
    required: tuple[str, ...] = ("id",)  # columns a null_key row may have empty
    parent: tuple[str, str] | None = None  # (foreign key column, id kind of the parent)
    text_dates: dict[str, str] = field(default_factory=dict)
    event_dates: tuple[str, ...] = ()
    ranges: dict[str, str] = field(default_factory=dict)
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)  # unknown values to inject
    emails: tuple[str, ...] = ()
    variant: str = ""  # a content column two rows of an unresolvable duplicate disagree on

    def defects(self) -> list[str]:
        applies = {
            DUPLICATE: True,
            UNRESOLVABLE: True,
            DELETED: self.deleted is not None,
            NULL_KEY: True,
            ORPHANED: self.parent is not None,
            UNPARSEABLE: bool(self.text_dates),
            FUTURE: bool(self.event_dates),
            OUT_OF_RANGE: bool(self.ranges),
            UNKNOWN_ENUM: bool(self.enums),
            WHITESPACE: bool(self.enums or self.emails),
        }
        return [defect for defect in DEFECTS if applies[defect]]


ACCOUNT_FK = ("account_id", "001")
RULES = {
    "salesforce.account": Rules(
        id_kind="001",
        deleted="is_deleted",
        text_dates={"created_date": DATETIME},
        event_dates=("created_date",),
        ranges={"arr_c": NEGATIVE, "number_of_employees": NEGATIVE},
        enums={
            "segment_c": ("Strategic", "Key Account"),
            "account_status_c": ("Suspended", "On Hold"),
            "csm_sentiment_c": ("Amber", "Blue"),
        },
        variant="arr_c",
    ),
    "salesforce.contract": Rules(
        id_kind="800",
        deleted="is_deleted",
        required=("id", "account_id"),
        parent=ACCOUNT_FK,
        text_dates={"start_date": DATE, "end_date": DATE, "created_date": DATETIME},
        event_dates=("created_date",),
        ranges={"arr_c": NEGATIVE, "licensed_seats_c": NEGATIVE, "contract_term": NEGATIVE},
        enums={"status": ("Pending Approval", "Cancelled")},
        variant="arr_c",
    ),
    "salesforce.opportunity": Rules(
        id_kind="006",
        deleted="is_deleted",
        required=("id", "account_id"),
        parent=ACCOUNT_FK,
        text_dates={"created_date": DATETIME, "close_date": DATE},
        event_dates=("created_date",),
        ranges={"probability": PERCENT, "amount": NEGATIVE},
        enums={"type": ("Upsell Plus", "Partner Referral"), "stage_name": ("Verbal Commit", "Stalled")},
        variant="amount",
    ),
    "salesforce.task": Rules(
        id_kind="00T",
        deleted="is_deleted",
        required=("id", "account_id"),
        parent=ACCOUNT_FK,
        text_dates={"activity_date": DATE, "created_date": DATETIME},
        event_dates=("activity_date", "created_date"),
        variant="subject",
    ),
    "salesforce.event": Rules(
        id_kind="00U",
        deleted="is_deleted",
        required=("id", "account_id"),
        parent=ACCOUNT_FK,
        text_dates={"activity_date": DATE, "created_date": DATETIME},
        event_dates=("activity_date", "created_date"),
        ranges={"duration_in_minutes": NEGATIVE},
        variant="subject",
    ),
    "salesforce.user": Rules(id_kind="005", emails=("email",), variant="title"),
    "hubspot.company": Rules(
        id_kind="int",
        deleted="_fivetran_deleted",
        text_dates={"property_createdate": DATETIME_MS},
        event_dates=("property_createdate",),
        variant="property_name",
    ),
    "hubspot.contact": Rules(
        id_kind="int",
        deleted="_fivetran_deleted",
        parent=("property_associatedcompanyid", "int"),
        text_dates={"property_createdate": DATETIME_MS},
        event_dates=("property_createdate",),
        emails=("property_email",),
        variant="property_lastname",
    ),
    "hubspot.email_campaign": Rules(id_kind="int", variant="subject"),
    "hubspot.email_event": Rules(
        id_kind="hex",
        required=("id", "email_campaign_id", "recipient"),
        parent=("email_campaign_id", "int"),
        event_dates=("created",),
        enums={"type": ("UNKNOWN_TYPE",)},
        emails=("recipient",),
        variant="filtered_event",
    ),
    "hubspot.engagement": Rules(
        id_kind="int",
        deleted="_fivetran_deleted",
        parent=("company_id", "int"),
        text_dates={"property_hs_timestamp": DATETIME_MS},
        event_dates=("property_hs_timestamp",),
        enums={"type": ("SMS", "LINKEDIN_MESSAGE")},
        variant="property_hs_meeting_title",
    ),
    "product.usage_daily": Rules(
        key=("account_id", "usage_date"),
        required=("account_id",),
        parent=ACCOUNT_FK,
        event_dates=("usage_date",),
        ranges={
            c: NEGATIVE
            for c in ("active_users", "logins", "saved_searches", "report_downloads", "licensed_seats")
        },
        variant="logins",
    ),
    "product.user_activity_daily": Rules(
        key=("user_id", "activity_date"),
        required=("user_id", "account_id"),
        parent=ACCOUNT_FK,
        event_dates=("activity_date",),
        ranges={"events": NEGATIVE},
        variant="events",
    ),
    "support.ticket": Rules(
        id_kind="int",
        deleted="_fivetran_deleted",
        required=("id", "account_id"),
        parent=ACCOUNT_FK,
        text_dates={"created_at": DATETIME, "solved_at": DATETIME},
        event_dates=("created_at",),
        ranges={"csat_score": CSAT},
        enums={"priority": ("p0", "critical"), "status": ("escalated", "archived")},
        variant="subject",
    ),
    "alchemer.survey_response": Rules(
        id_kind="int",
        deleted="_fivetran_deleted",
        required=("id", "respondent_email"),
        text_dates={"submitted_at": DATETIME},
        event_dates=("submitted_at",),
        ranges={"nps_score": NPS, "csat_score": CSAT},
        enums={"status": ("Abandoned", "Disqualified")},
        emails=("respondent_email",),
        variant="status",
    ),
    "ml.churn_prediction": Rules(
        key=("contract_id",),
        synced="scored_at",
        required=("contract_id",),
        parent=("contract_id", "800"),
        ranges={"churn_probability": UNIT},
        variant="churn_probability",
    ),
}


@dataclass
class Injector:
    """Injects one chunk's dirt into one table at a time; counters run across chunks."""

    rate: float
    calendar: Calendar
    marker_counter: dict[str, int] = field(default_factory=dict)

    def inject(
        self,
        name: str,
        table: pa.Table,
        chunk: int,
        rng: np.random.Generator,
        first: bool,
        spare_keys: pa.Table | None = None,
    ) -> tuple[pa.Table, pa.Table]:
        """(the table with its dirt, the manifest rows). `first`: the first chunk, which carries at
        least one row of every defect that applies. spare_keys: for ml, real contracts without a
        current score, the only keys an injected prediction may take without being an orphan."""
        rules = RULES[name]
        if self.rate <= 0 or table.num_rows == 0:
            return table, _manifest([])
        defects = rules.defects()
        share = self.rate / len(defects)
        counts = {
            d: max(int(first), rng.binomial(table.num_rows, share / (2 if d == UNRESOLVABLE else 1)))
            for d in defects
        }
        ids = _FreshIds(rules, chunk, table, spare_keys)
        # In-place and duplicate defects take distinct real rows; the others copy any real row.
        touched = rng.permutation(table.num_rows)
        in_place = {}
        cursor = 0
        for defect in (DUPLICATE, WHITESPACE):
            if defect in counts:
                in_place[defect] = touched[cursor : cursor + counts[defect]]
                cursor += counts[defect]
        added, manifest = [], []
        modified = table
        for defect in defects:
            count = counts[defect]
            if defect == WHITESPACE:
                modified, entries = self._whitespace(name, rules, modified, in_place[WHITESPACE], rng)
                manifest.extend(entries)
                continue
            rows = in_place.get(defect, rng.integers(0, table.num_rows, count))
            template = table.take(pa.array(rows))
            made = getattr(self, f"_{defect}")(name, rules, template, ids, rng)
            for rows_added, entries in made:
                added.append(rows_added)
                manifest.extend(entries)
        return pa.concat_tables([modified, *added]), _manifest(manifest)

    # Each defect returns [(rows to add, manifest entries)].

    def _duplicate(
        self, name: str, rules: Rules, template: pa.Table, ids: _FreshIds, rng: np.random.Generator
    ) -> list[tuple[pa.Table, list[pa.Table]]]:
        later = pc.add(
            template[rules.synced],
            pa.array(rng.integers(1, 3600, template.num_rows) * US_PER_SECOND, pa.duration("us")),
        )
        later = pc.min_element_wise(
            later, pa.scalar(self.calendar.sync_window_end_us - 1, pa.timestamp("us"))
        )
        copies = _set(template, rules.synced, self._mark(name, later))
        return [(copies, _entries(name, rules, template, DUPLICATE, rules.synced))]

    def _unresolvable_duplicate(
        self, name: str, rules: Rules, template: pa.Table, ids: _FreshIds, rng: np.random.Generator
    ) -> list[tuple[pa.Table, list[pa.Table]]]:
        first = self._fresh(name, rules, template, ids, rng)
        second = _set(first, rules.variant, _variant(first[rules.variant]))
        return [
            (first, _entries(name, rules, first, UNRESOLVABLE, rules.variant)),
            (second, _entries(name, rules, second, UNRESOLVABLE, rules.variant)),
        ]

    def _deleted(
        self, name: str, rules: Rules, template: pa.Table, ids: _FreshIds, rng: np.random.Generator
    ) -> list[tuple[pa.Table, list[pa.Table]]]:
        rows = self._fresh(name, rules, template, ids, rng)
        rows = _set(rows, rules.deleted, pa.array(np.ones(rows.num_rows, dtype=bool)))
        return [(rows, _entries(name, rules, rows, DELETED, rules.deleted))]

    def _null_key(
        self, name: str, rules: Rules, template: pa.Table, ids: _FreshIds, rng: np.random.Generator
    ) -> list[tuple[pa.Table, list[pa.Table]]]:
        rows = self._fresh(name, rules, template, ids, rng)
        column = np.array(rules.required)[rng.integers(0, len(rules.required), rows.num_rows)]
        for target in rules.required:
            chosen = pa.array(column == target)
            rows = _set(
                rows,
                target,
                pc.if_else(chosen, pa.scalar(None, rows.schema.field(target).type), rows[target]),
            )
        return [(rows, _entries(name, rules, rows, NULL_KEY, column))]

    def _orphaned_key(
        self, name: str, rules: Rules, template: pa.Table, ids: _FreshIds, rng: np.random.Generator
    ) -> list[tuple[pa.Table, list[pa.Table]]]:
        rows = self._fresh(name, rules, template, ids, rng)
        column, kind = rules.parent
        rows = _set(rows, column, ids.orphans(kind, rows.num_rows))
        return [(rows, _entries(name, rules, rows, ORPHANED, column))]

    def _unparseable_date(
        self, name: str, rules: Rules, template: pa.Table, ids: _FreshIds, rng: np.random.Generator
    ) -> list[tuple[pa.Table, list[pa.Table]]]:
        rows = self._fresh(name, rules, template, ids, rng)
        columns = np.array(list(rules.text_dates))[rng.integers(0, len(rules.text_dates), rows.num_rows)]
        garbled = pa.array(np.array(GARBLED_DATES)[rng.integers(0, len(GARBLED_DATES), rows.num_rows)])
        for target in rules.text_dates:
            rows = _set(rows, target, pc.if_else(pa.array(columns == target), garbled, rows[target]))
        return [(rows, _entries(name, rules, rows, UNPARSEABLE, columns))]

    def _future_date(
        self, name: str, rules: Rules, template: pa.Table, ids: _FreshIds, rng: np.random.Generator
    ) -> list[tuple[pa.Table, list[pa.Table]]]:
        rows = self._fresh(name, rules, template, ids, rng)
        columns = np.array(rules.event_dates)[rng.integers(0, len(rules.event_dates), rows.num_rows)]
        synced_day = rows[rules.synced].cast(pa.int64()).to_numpy() // US_PER_DAY
        future_day = synced_day + rng.integers(1, 31, rows.num_rows)
        future_us = future_day * US_PER_DAY + rng.integers(8 * 3600, 18 * 3600, rows.num_rows) * US_PER_SECOND
        if "usage_date" in rules.key:  # the date is part of the key: keep it clear of real rows
            future_day = ids.free_days(rows, future_day, 1)
        for target in rules.event_dates:
            value = _as_column(
                rows.schema.field(target).type, rules.text_dates.get(target, DATETIME), future_day, future_us
            )
            rows = _set(rows, target, pc.if_else(pa.array(columns == target), value, rows[target]))
        return [(rows, _entries(name, rules, rows, FUTURE, columns))]

    def _out_of_range(
        self, name: str, rules: Rules, template: pa.Table, ids: _FreshIds, rng: np.random.Generator
    ) -> list[tuple[pa.Table, list[pa.Table]]]:
        rows = self._fresh(name, rules, template, ids, rng)
        columns = np.array(list(rules.ranges))[rng.integers(0, len(rules.ranges), rows.num_rows)]
        for target, how in rules.ranges.items():
            value = pa.array(_out_of_range_values(how, rows.num_rows, rng)).cast(
                rows.schema.field(target).type
            )
            rows = _set(rows, target, pc.if_else(pa.array(columns == target), value, rows[target]))
        return [(rows, _entries(name, rules, rows, OUT_OF_RANGE, columns))]

    def _unknown_enum(
        self, name: str, rules: Rules, template: pa.Table, ids: _FreshIds, rng: np.random.Generator
    ) -> list[tuple[pa.Table, list[pa.Table]]]:
        rows = self._fresh(name, rules, template, ids, rng)
        columns = np.array(list(rules.enums))[rng.integers(0, len(rules.enums), rows.num_rows)]
        for target, unknown in rules.enums.items():
            value = pa.array(np.array(unknown)[rng.integers(0, len(unknown), rows.num_rows)])
            rows = _set(rows, target, pc.if_else(pa.array(columns == target), value, rows[target]))
        return [(rows, _entries(name, rules, rows, UNKNOWN_ENUM, columns))]

    def _whitespace(
        self, name: str, rules: Rules, table: pa.Table, rows: np.ndarray, rng: np.random.Generator
    ) -> tuple[pa.Table, list[pa.Table]]:
        """Garble a set enum or e-mail of real rows in place: stray spaces, odd case."""
        candidates = list(rules.enums) + list(rules.emails)
        picks = table.take(pa.array(rows))
        present = np.column_stack([pc.is_valid(picks[c]).to_numpy(zero_copy_only=False) for c in candidates])
        score = np.where(present, rng.random(present.shape), -1.0)
        choice = score.argmax(axis=1)
        usable = present.any(axis=1)
        rows, choice = rows[usable], choice[usable]
        for position, target in enumerate(candidates):
            where = np.zeros(table.num_rows, dtype=bool)
            where[rows[choice == position]] = True
            garbled = _garble(table[target].combine_chunks(), rng)
            table = _set(table, target, pc.if_else(pa.array(where), garbled, table[target]))
        columns = np.array(candidates)[choice]
        return table, _entries(name, rules, table.take(pa.array(rows)), WHITESPACE, columns)

    def _fresh(
        self, name: str, rules: Rules, template: pa.Table, ids: _FreshIds, rng: np.random.Generator
    ) -> pa.Table:
        """Copies of real rows under keys no clean row has, each with its own marker."""
        keys = ids.fresh(template, rng)
        rows = template.slice(0, min(len(values) for values in keys.values()))
        for column, values in keys.items():
            rows = _set(rows, column, values)
        return _set(rows, rules.synced, self._mark(name, rows[rules.synced]))

    def _mark(self, name: str, synced: pa.Array | pa.ChunkedArray) -> pa.Array:
        """Give injected rows distinct microseconds (clean rows sync on whole seconds), so
        (record_key, row_marker) finds each row, and row_marker alone a row with a NULL key."""
        start = self.marker_counter.get(name, 0)
        size = len(synced)
        self.marker_counter[name] = start + size
        micros = 1 + (start + np.arange(size)) % (US_PER_SECOND - 1)
        base = pc.cast(synced, pa.int64()).to_numpy(zero_copy_only=False) // US_PER_SECOND * US_PER_SECOND
        return pa.array(base + micros, pa.timestamp("us"))


class _FreshIds:
    """Keys for injected rows: fresh ids from a range real rows never use; for usage, days the
    account had no usage; for ml, real contracts that have no current score."""

    def __init__(self, rules: Rules, chunk: int, table: pa.Table, spare_keys: pa.Table | None) -> None:
        self.rules, self.table, self.spare = rules, table, spare_keys
        self.next_serial = (chunk + 1) * PER_CHUNK
        self.used_spare = 0
        self.accounts: pa.Array | None = None
        self.taken: np.ndarray | None = None  # usage (account code, day) keys in use

    def _serials(self, n: int) -> np.ndarray:
        serials = self.next_serial + np.arange(n)
        self.next_serial += n
        return serials

    def fresh(self, template: pa.Table, rng: np.random.Generator) -> dict[str, pa.Array]:
        n = template.num_rows
        kind = self.rules.id_kind
        if self.rules.key == ("account_id", "usage_date"):
            start = template["usage_date"].cast(pa.int32()).to_numpy() - 1
            return {"usage_date": pa.array(self.free_days(template, start, -1).astype(np.int32), pa.date32())}
        if self.rules.key == ("user_id", "activity_date"):  # a user no clean row has, on its day
            return {"user_id": pa.array(DIRTY_INT + self._serials(n), pa.int64())}
        if self.rules.key == ("contract_id",):  # may run short in a tiny chunk: fewer rows then
            spare = self.spare.slice(self.used_spare, n)
            self.used_spare += spare.num_rows
            return {"contract_id": spare["contract_id"], "account_id": spare["account_id"]}
        serials = self._serials(n)
        if kind == "int":
            return {"id": pa.array(DIRTY_INT + serials, pa.int64())}
        if kind == "hex":
            return {"id": hex_ids(DIRTY_SERIAL + serials)}
        return {"id": salesforce_ids(kind, DIRTY_SERIAL + serials)}

    def orphans(self, kind: str, n: int) -> pa.Array:
        serials = self._serials(n)
        if kind == "int":
            return pa.array(ORPHAN_INT + serials, pa.int64())
        return salesforce_ids(kind, ORPHAN_SERIAL + serials)

    def free_days(self, template: pa.Table, start: np.ndarray, step: int) -> np.ndarray:
        """From `start`, the first day (moving by `step`) on which the template's account has
        neither usage nor another injected row."""
        if self.taken is None:
            self.accounts = pc.unique(self.table["account_id"])
            self.taken = np.sort(
                self._keys(self.table["account_id"], self.table["usage_date"].cast(pa.int32()).to_numpy())
            )
        day = np.asarray(start, dtype=np.int64).copy()
        while True:
            keys = self._keys(template["account_id"], day)
            _, first = np.unique(keys, return_index=True)
            position = np.minimum(np.searchsorted(self.taken, keys), self.taken.size - 1)
            clash = self.taken[position] == keys
            clash[np.setdiff1d(np.arange(keys.size), first)] = True  # two injected rows, one day
            if not clash.any():
                break
            day[clash] += step
        self.taken = np.sort(np.concatenate([self.taken, keys]))
        return day

    def _keys(self, accounts: pa.ChunkedArray, days: np.ndarray) -> np.ndarray:
        code = pc.index_in(accounts, value_set=self.accounts).to_numpy(zero_copy_only=False).astype(np.int64)
        return code * (1 << 32) + np.asarray(days, dtype=np.int64)


def _set(table: pa.Table, column: str, values: pa.Array | pa.ChunkedArray | np.ndarray) -> pa.Table:
    position = table.schema.get_field_index(column)
    values = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values)
    return table.set_column(
        position, table.schema.field(column), values.cast(table.schema.field(column).type)
    )


def _variant(values: pa.ChunkedArray) -> pa.Array:
    """The same column with a different but valid value."""
    values = values.combine_chunks()
    if pa.types.is_boolean(values.type):
        return pc.invert(pc.fill_null(values, False))
    if pa.types.is_floating(values.type):
        return pc.round(pc.multiply(pc.fill_null(values, 1.0), 0.9), 4)
    if pa.types.is_integer(values.type):
        return pc.add(pc.fill_null(values, 0), 1)
    if set(values.to_pylist()) <= {"Complete", "Partial"}:  # survey status: swap, both valid
        return pc.if_else(pc.equal(values, "Complete"), "Partial", "Complete")
    return pc.binary_join_element_wise(pc.fill_null(values, ""), " (2)", "")


def _garble(values: pa.Array, rng: np.random.Generator) -> pa.Array:
    """' mid-market ', 'SMB  ', 'CLOSED WON', ' Jane.Doe@Acme.com': the value staging must trim
    and lower-case. Always adds whitespace, so it differs from the clean value."""
    style = rng.integers(0, 3, len(values))
    cased = pc.if_else(
        pa.array(style == 0),
        pc.utf8_lower(values),
        pc.if_else(pa.array(style == 1), pc.utf8_upper(values), pc.utf8_title(values)),
    )
    where = rng.integers(0, 3, len(values))
    lead = pc.if_else(pa.array(where != 1), pa.scalar(" "), pa.scalar(""))
    trail = pc.if_else(pa.array(where != 0), pa.scalar("  "), pa.scalar(""))
    return pc.binary_join_element_wise(lead, cased, trail, "")


def _as_column(arrow_type: pa.DataType, text_format: str, days: np.ndarray, us: np.ndarray) -> pa.Array:
    if arrow_type == pa.date32():
        return pa.array(days.astype(np.int32), pa.date32())
    if pa.types.is_timestamp(arrow_type):
        return pa.array(us, pa.timestamp("us"))
    if text_format == DATE:
        return iso_dates(days)
    return iso_datetimes(us, millis=text_format == DATETIME_MS)


def _out_of_range_values(how: str, n: int, rng: np.random.Generator) -> np.ndarray:
    above = rng.random(n) < 0.5
    if how == NEGATIVE:
        return -np.round(rng.uniform(1, 5000, n), 0)
    if how == PERCENT:
        return np.where(above, rng.integers(101, 151, n), -rng.integers(1, 20, n)).astype(float)
    if how == UNIT:
        return np.where(above, rng.uniform(1.01, 1.8, n), -rng.uniform(0.01, 0.5, n)).round(4)
    if how == NPS:
        return np.where(above, rng.integers(11, 16, n), -rng.integers(1, 4, n))
    return np.where(above, rng.integers(6, 10, n), 0)  # CSAT 1..5


def _record_keys(rules: Rules, rows: pa.Table) -> pa.Array:
    parts = [pc.cast(rows[column], pa.string()) for column in rules.key]
    return parts[0].combine_chunks() if len(parts) == 1 else pc.binary_join_element_wise(*parts, "|")


def _entries(
    name: str, rules: Rules, rows: pa.Table, defect: str, column: str | np.ndarray
) -> list[pa.Table]:
    n = rows.num_rows
    columns = column if isinstance(column, np.ndarray) else np.full(n, column)
    return [
        pa.table(
            {
                "source_table": pa.array([name] * n, pa.string()),
                "record_key": _record_keys(rules, rows),
                "row_marker": rows[rules.synced].cast(pa.timestamp("us")),
                "defect": pa.array([defect] * n, pa.string()),
                "column_name": pa.array(columns.tolist(), pa.string()),
                "expected_outcome": pa.array([OUTCOME[defect]] * n, pa.string()),
            },
            schema=MANIFEST_SCHEMA,
        )
    ]


def _manifest(entries: list[pa.Table]) -> pa.Table:
    return pa.concat_tables(entries) if entries else MANIFEST_SCHEMA.empty_table()
