"""Deliver the alerts: `csi alerts send` sends each new alert once, as one digest per recipient and
run (e-mail over SMTP to the people `intermediate.int_alerts__deliveries` routes it to, Slack
through the incoming webhook of the account's segment), and records every attempt in the ledger
`alerting.delivery_ledger`; `csi alerts ack` acknowledges or snoozes an alert.

Delivery is at least once: a digest is recorded as sent after the channel accepted it, so a crash
between the two sends it again on the next run. Each alert in a digest carries its delivery id
(stable across runs), by which a recipient recognises a repeat. A temporary failure (a timeout, a
refused connection, HTTP 429 or 5xx, SMTP 4xx) is retried with backoff and left pending for the next
run; a permanent one (SMTP 5xx, a webhook that is gone, a recipient without an address) is recorded
failed and reported. One failing digest never stops the others. Addresses and webhook URLs stay in
the warehouse and the environment: the ledger is never published.
"""

from __future__ import annotations

import os
import smtplib
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import duckdb

from csi.errors import UserError

DELIVERIES = "intermediate.int_alerts__deliveries"
LEDGER = "alerting.delivery_ledger"
ACKNOWLEDGEMENTS = "alerting.acknowledgements"
ALERTS = "marts.fct_health_alerts"
# Tries per digest and run; the waits between them double from `backoff` seconds.
TRIES_PER_RUN = 3
TIMEOUT_SECONDS = 10.0


class DeliveryFailure(Exception):
    """A channel did not take a digest: `temporary` failures are retried, the others are final."""

    def __init__(self, reason: str, temporary: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.temporary = temporary


@dataclass
class Digest:
    """The new alerts of one run for one recipient on one channel."""

    channel: str
    recipient: str | None
    recipient_name: str | None
    webhook_env: str | None
    digest_id: str
    items: list[dict[str, Any]] = field(default_factory=list)

    def subject(self) -> str:
        count = len(self.items)
        return f"Customer health: {count} alert{'s' if count > 1 else ''} for {self.recipient_name or self.recipient}"

    def text(self) -> str:
        lines = [self.subject(), f"digest {self.digest_id}", ""]
        for item in sorted(self.items, key=_severity_order):
            lines += _describe(item) + [""]
        lines.append("Each alert is sent once; a repeat after an interrupted run carries the same delivery id.")
        return "\n".join(lines)


SEVERITIES = ("critical", "high", "medium", "low")


def _severity_order(item: dict[str, Any]) -> tuple[int, str, str]:
    severity = item["severity"] if item["severity"] in SEVERITIES else "low"
    return SEVERITIES.index(severity), item["account_name"] or "", item["delivery_id"]


def _describe(item: dict[str, Any]) -> list[str]:
    """One alert of a digest: the account, what changed, the drivers, the action and its link."""
    drivers = ", ".join(d for d in (item["top_driver_1"], item["top_driver_2"], item["top_driver_3"]) if d)
    title = f"[{item['severity'].upper()}] {item['account_name'] or item['account_id']}: {item['detail']}"
    if item["event"] == "escalation":
        title = (f"ESCALATION, no improvement since {item['alert_date']}: " + title
                 + f" (score {_score(item['health_score_at_alert'])} then, {_score(item['current_health_score'])} now)")
    lines = [title, f"  {item['alert_type'].replace('_', ' ')} on {item['alert_date']}; CSM: {item['csm_name'] or 'unassigned'}; "
             f"health score {_score(item['health_score_at_alert'])}; top drivers: {drivers or 'none'}"]
    if item["recommended_action"]:
        days = item["sla_days"]
        lines.append(f"  Recommended action (within {days} day{'' if days == 1 else 's'}): {item['recommended_action']}")
    lines += [f"  {item['link']}", f"  delivery id {item['delivery_id']}"]
    return lines


def _score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


# Channels ----------------------------------------------------------------------------------------

def send_email(digest: Digest, environ: dict[str, str]) -> None:
    """One message to the digest's recipient through the SMTP server of CSI_SMTP_HOST."""
    host = environ.get("CSI_SMTP_HOST")
    if not host:
        raise DeliveryFailure("CSI_SMTP_HOST is not set", temporary=True)
    message = EmailMessage()
    message["From"] = environ.get("CSI_SMTP_FROM", "csi-alerts@localhost")
    message["To"] = digest.recipient
    message["Subject"] = digest.subject()
    message.set_content(digest.text())
    try:
        with smtplib.SMTP(host, int(environ.get("CSI_SMTP_PORT", "25")), timeout=TIMEOUT_SECONDS) as smtp:
            if environ.get("CSI_SMTP_STARTTLS") == "1":
                smtp.starttls()
            if environ.get("CSI_SMTP_USER"):
                smtp.login(environ["CSI_SMTP_USER"], environ.get("CSI_SMTP_PASSWORD", ""))
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        code, reply = next(iter(error.recipients.values()))
        raise DeliveryFailure(f"SMTP {code} {_text(reply)}", temporary=code < 500) from None
    except smtplib.SMTPResponseException as error:
        raise DeliveryFailure(f"SMTP {error.smtp_code} {_text(error.smtp_error)}", temporary=error.smtp_code < 500) from None
    except (smtplib.SMTPException, OSError) as error:  # disconnected, timed out, refused: try later
        raise DeliveryFailure(f"SMTP {type(error).__name__}: {error}", temporary=True) from None


def send_slack(digest: Digest, environ: dict[str, str]) -> None:
    """One post to the channel's incoming webhook (its URL in the variable the channel seed names)."""
    from slack_sdk.webhook import WebhookClient

    url = environ.get(digest.webhook_env or "")
    if not url:
        raise DeliveryFailure(f"{digest.webhook_env or 'the webhook variable'} is not set", temporary=True)
    try:
        response = WebhookClient(url, timeout=int(TIMEOUT_SECONDS)).send(text=digest.text())
    except OSError as error:  # timeout, refused connection (urllib's URLError is an OSError)
        raise DeliveryFailure(f"Slack webhook {type(error).__name__}: {error}", temporary=True) from None
    if response.status_code != 200:
        temporary = response.status_code == 429 or response.status_code >= 500
        raise DeliveryFailure(f"Slack webhook HTTP {response.status_code} {_text(response.body)}", temporary=temporary)


def _text(value: object) -> str:
    text = value.decode(errors="replace") if isinstance(value, bytes) else str(value)
    return " ".join(text.split())[:200]


CHANNELS: dict[str, Callable[[Digest, dict[str, str]], None]] = {"email": send_email, "slack": send_slack}


# The run -----------------------------------------------------------------------------------------

@dataclass
class SendReport:
    digests: int = 0
    sent: int = 0
    pending: int = 0
    failed: int = 0
    backfilled: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.digests} digests: {self.sent} alerts sent, {self.pending} pending, {self.failed} failed"
                + (f", {self.backfilled} older alerts recorded as backfilled" if self.backfilled else ""))


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    if not warehouse.exists():
        raise UserError(f"no warehouse at {warehouse}: run `csi build` first")
    con = duckdb.connect(str(warehouse))
    missing = {LEDGER, DELIVERIES} - {
        f"{schema}.{name}" for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables").fetchall()}
    if missing:
        con.close()
        raise UserError(f"{warehouse} has no {', '.join(sorted(missing))}: run `csi build` first")
    return con


def _record(con: duckdb.DuckDBPyConnection, digest: Digest, attempts: dict[str, int], status: str,
            error: str | None, as_of: date, now: datetime, items: list[dict[str, Any]] | None = None) -> None:
    rows = []
    for item in items if items is not None else digest.items:
        attempts[item["delivery_id"]] = attempts.get(item["delivery_id"], 0) + 1
        rows.append([item["delivery_id"], item["alert_id"], item["account_id"], item["alert_date"], item["alert_type"],
                     item["event"], item["channel"], item["recipient_role"], item["recipient"], digest.digest_id,
                     attempts[item["delivery_id"]], status, error, now, as_of])
    con.executemany(f"insert into {LEDGER} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def send_alerts(
    warehouse: Path,
    dry_run: bool = False,
    environ: dict[str, str] | None = None,
    backoff: float = 1.0,
    now: Callable[[], datetime] = datetime.now,
    echo: Callable[[str], None] = print,
) -> SendReport:
    """Send every delivery the ledger does not hold as sent, failed or backfilled, one digest per
    recipient and channel; record each attempt. `dry_run` prints the digests and records nothing."""
    environ = dict(os.environ) if environ is None else environ
    report = SendReport()
    with _connect(warehouse) as con:
        as_of = con.execute("select max(as_of_date) from marts.dim_accounts").fetchall()[0][0]
        deliveries = _rows(con, f"select * from {DELIVERIES} order by delivery_id")
        history = dict(con.execute(
            f"select delivery_id, max(attempt) from {LEDGER} group by delivery_id").fetchall())
        done = {delivery_id for (delivery_id,) in con.execute(
            f"select delivery_id from {LEDGER} where status in ('sent', 'failed', 'backfilled')").fetchall()}
        first_run = not history
        due = [d for d in deliveries if d["delivery_id"] not in done]
        if first_run:  # a warehouse with history: the old alerts are recorded, never mailed
            old = [d for d in due if not d["is_recent"]]
            due = [d for d in due if d["is_recent"]]
            report.backfilled = len(old)
            if old and not dry_run:
                backfill = Digest("backfill", None, None, None, "backfill", old)
                _record(con, backfill, history, "backfilled", None, as_of, now())
        digests: dict[tuple, Digest] = {}
        for item in due:
            key = (item["channel"], item["recipient"], item["webhook_env"])
            if key not in digests:
                digests[key] = Digest(item["channel"], item["recipient"], item["recipient_name"], item["webhook_env"],
                                      uuid.uuid4().hex[:12])
            digests[key].items.append(item)
        for digest in digests.values():
            report.digests += 1
            if dry_run:
                echo(f"--- {digest.channel} to {digest.recipient or '(no address)'}\n{digest.text()}\n")
                continue
            _deliver(con, digest, history, environ, backoff, as_of, now, report)
    return report


def _deliver(con: duckdb.DuckDBPyConnection, digest: Digest, attempts: dict[str, int], environ: dict[str, str],
             backoff: float, as_of: date, now: Callable[[], datetime], report: SendReport) -> None:
    """Send one digest (retrying temporary failures) and record the outcome of each try."""
    if digest.recipient is None:  # the route found no address: nothing to retry until the data is fixed
        for item in digest.items:
            reason = f"no {digest.channel} address for the {item['recipient_role']} of account {item['account_id']}"
            _record(con, digest, attempts, "failed", reason, as_of, now(), [item])
            report.problems.append(f"failed: {reason}")
        report.failed += len(digest.items)
        return
    for attempt in range(TRIES_PER_RUN):
        try:
            CHANNELS[digest.channel](digest, environ)
        except DeliveryFailure as failure:
            final = not failure.temporary
            status = "failed" if final else "pending"
            _record(con, digest, attempts, status, failure.reason, as_of, now())
            if final or attempt == TRIES_PER_RUN - 1:
                setattr(report, status, getattr(report, status) + len(digest.items))
                report.problems.append(f"{status}: {digest.channel} to {digest.recipient}: {failure.reason}")
                return
            time.sleep(backoff * 2 ** attempt)
        else:
            _record(con, digest, attempts, "sent", None, as_of, now())
            report.sent += len(digest.items)
            return


def acknowledge(warehouse: Path, alert_id: str, until: date | None, now: datetime | None = None) -> None:
    """Record that the CSM acknowledged the alert (it does not escalate) or snoozed it until a date
    (its escalation waits until then)."""
    with _connect(warehouse) as con:
        if not con.execute(f"select count(*) from {ALERTS} where alert_id = ?", [alert_id]).fetchall()[0][0]:
            raise UserError(f"no alert {alert_id!r} in {ALERTS} (the alert ids are on the dashboard's Alerts tab)")
        con.execute(f"insert into {ACKNOWLEDGEMENTS} values (?, ?, ?)", [alert_id, now or datetime.now(), until])
