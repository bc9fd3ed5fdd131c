"""`csi alerts send` against a local SMTP server (aiosmtpd) and a local HTTP server standing in for
Slack's incoming webhooks, both on 127.0.0.1: each alert delivered exactly once across runs, a
channel failing then recovering, a crash between sending and recording, bad recipients, the first
run's backfill, withdrawn alerts and the digest's contents. Each test works on a copy of the shared
history warehouse."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
from aiosmtpd.controller import Controller

import csi.alerts
from csi.alerts import DELIVERIES, LEDGER, acknowledge, send_alerts
from csi.errors import UserError

DELIVERY_ID = re.compile(r"delivery id (\w+)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler: accepts mail, refuses the addresses in `refused` for good (550) and the
    ones in `busy` for as many tries as counted there (451)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []
        self.refused: set[str] = set()
        self.busy: Counter[str] = Counter()
        self.port = free_port()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's name)
        if address in self.refused:
            return "550 5.1.1 mailbox unavailable"
        if self.busy[address] > 0:
            self.busy[address] -= 1
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 Message accepted"


class Webhooks(ThreadingHTTPServer):
    """Slack's incoming webhooks: every POST is kept; a path answers the statuses queued for it in
    `answers` first (e.g. 503, 503, 503), then 200 'ok'; /gone answers 404 'no_service'."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, str]] = []
        self.answers: dict[str, list[int]] = {}

        class Handler(BaseHTTPRequestHandler):
            def do_POST(handler) -> None:  # noqa: N802,N805 (http.server's name; `self` is the server)
                body = handler.rfile.read(int(handler.headers["Content-Length"])).decode()
                queued = self.answers.get(handler.path, [])
                status, reply = (queued.pop(0), "busy") if queued else (
                    (404, "no_service") if handler.path == "/gone" else (200, "ok"))
                if status == 200:
                    self.posts.append((handler.path, body))
                handler.send_response(status)
                handler.end_headers()
                handler.wfile.write(reply.encode())

            def log_message(handler, *args) -> None:  # noqa: N805
                pass

        super().__init__(("127.0.0.1", free_port()), Handler)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_port}{path}"


@pytest.fixture(scope="module")
def inbox() -> Iterator[Inbox]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture(scope="module")
def webhooks() -> Iterator[Webhooks]:
    server = Webhooks()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture
def servers(inbox: Inbox, webhooks: Webhooks) -> tuple[Inbox, Webhooks]:
    inbox.messages.clear(), inbox.refused.clear(), inbox.busy.clear()
    webhooks.posts.clear(), webhooks.answers.clear()
    return inbox, webhooks


@pytest.fixture
def warehouse(history_warehouse, tmp_path: Path) -> Path:
    copy = tmp_path / "csi.duckdb"
    shutil.copy(history_warehouse.path, copy)
    return copy


def environment(inbox_port: int, webhooks: Webhooks, path: str = "/ok") -> dict[str, str]:
    env = {"CSI_SMTP_HOST": "127.0.0.1", "CSI_SMTP_PORT": str(inbox_port), "CSI_SMTP_FROM": "alerts@csi.example"}
    for segment in ("ENTERPRISE", "MID_MARKET", "SMB"):
        env[f"CSI_SLACK_WEBHOOK_{segment}"] = webhooks.url(path)
    return env


def rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def delivered_ids(inbox: Inbox, webhooks: Webhooks) -> list[str]:
    bodies = [body for _, body in inbox.messages] + [body for _, body in webhooks.posts]
    return [found for body in bodies for found in DELIVERY_ID.findall(body)]


def stage_deliveries(warehouse: Path, *changes: dict) -> list[str]:
    """Replace the routed deliveries with copies of one real delivery, each with `changes` applied
    (a recipient, a channel), all recent; return their delivery ids."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"create table delivery_template as select * from {DELIVERIES} where event = 'alert' limit 1")
        con.execute(f"drop view {DELIVERIES}")
        con.execute(f"create table {DELIVERIES} as select * from delivery_template limit 0")
        ids = []
        for number, change in enumerate(changes):
            values = {"delivery_id": f"d{number}", "alert_id": f"a{number}", "is_recent": True, **change}
            replaced = ", ".join(f"? as {column}" for column in values)
            con.execute(f"insert into {DELIVERIES} select * replace ({replaced}) from delivery_template", list(values.values()))
            ids.append(f"d{number}")
    return ids


def quick(warehouse: Path, env: dict[str, str], **options) -> csi.alerts.SendReport:
    return send_alerts(warehouse, environ=env, backoff=0.0, echo=lambda _: None, **options)


def test_each_alert_is_delivered_exactly_once_across_two_runs_and_older_ones_are_backfilled(warehouse, servers):
    inbox, webhooks = servers
    env = environment(inbox.port, webhooks)
    recent = {i for (i,) in rows(warehouse, f"select delivery_id from {DELIVERIES} where is_recent")}
    older = rows(warehouse, f"select count(*) from {DELIVERIES} where not is_recent")[0][0]
    assert recent and older, "the history warehouse should have recent and older alerts to deliver"

    first = quick(warehouse, env)
    assert (first.sent, first.failed, first.pending, first.backfilled) == (len(recent), 0, 0, older)
    assert sorted(delivered_ids(inbox, webhooks)) == sorted(recent)
    recipients = [tuple(to) for to, _ in inbox.messages]
    assert len(recipients) == len(set(recipients)), "one digest per recipient and run"

    second = quick(warehouse, env)
    assert (second.digests, second.sent) == (0, 0)
    assert sorted(delivered_ids(inbox, webhooks)) == sorted(recent)
    assert rows(warehouse, f"select status, count(*) from {LEDGER} group by status order by status") == [
        ("backfilled", older), ("sent", len(recent))]


def test_a_channel_that_fails_then_recovers_is_retried_with_backoff_and_left_pending(warehouse, servers):
    inbox, webhooks = servers
    env = environment(inbox.port, webhooks, "/flaky")
    [slack, mail] = stage_deliveries(
        warehouse,
        {"channel": "slack", "recipient": "#cs-smb", "recipient_role": "channel", "webhook_env": "CSI_SLACK_WEBHOOK_SMB"},
        {"channel": "email", "recipient": "slow@csi.example", "recipient_role": "csm", "webhook_env": None},
    )
    webhooks.answers["/flaky"] = [503, 503, 503, 503]  # every try of the first run, and the first of the next
    inbox.busy["slow@csi.example"] = 3

    first = quick(warehouse, env)
    assert (first.sent, first.pending, first.failed) == (0, 2, 0)
    assert any("HTTP 503" in problem for problem in first.problems)
    assert any("SMTP 451" in problem for problem in first.problems)
    assert delivered_ids(inbox, webhooks) == []

    second = quick(warehouse, env)
    assert (second.sent, second.pending, second.failed) == (2, 0, 0)
    assert sorted(delivered_ids(inbox, webhooks)) == [slack, mail]
    attempts = rows(warehouse, f"select delivery_id, attempt, status from {LEDGER} order by delivery_id, attempt")
    assert attempts == [(slack, 1, "pending"), (slack, 2, "pending"), (slack, 3, "pending"), (slack, 4, "pending"),
                        (slack, 5, "sent")] + [(mail, 1, "pending"), (mail, 2, "pending"), (mail, 3, "pending"),
                                               (mail, 4, "sent")]
    assert quick(warehouse, env).digests == 0


def test_a_crash_between_sending_and_recording_sends_again_with_the_same_delivery_id(warehouse, servers, monkeypatch):
    inbox, webhooks = servers
    env = environment(inbox.port, webhooks)
    [delivery] = stage_deliveries(warehouse, {"channel": "email", "recipient": "csm@csi.example"})
    record = csi.alerts._record

    def crash_on_sent(con, digest, attempts, status, *args, **kwargs):
        if status == "sent":
            raise RuntimeError("power cut")
        record(con, digest, attempts, status, *args, **kwargs)

    monkeypatch.setattr(csi.alerts, "_record", crash_on_sent)
    with pytest.raises(RuntimeError, match="power cut"):
        quick(warehouse, env)
    monkeypatch.setattr(csi.alerts, "_record", record)
    assert delivered_ids(inbox, webhooks) == [delivery]
    assert rows(warehouse, f"select count(*) from {LEDGER}") == [(0,)]

    again = quick(warehouse, env)
    assert again.sent == 1
    assert delivered_ids(inbox, webhooks) == [delivery, delivery], "at least once: the repeat carries the same id"
    assert rows(warehouse, f"select status from {LEDGER}") == [("sent",)]


def test_bad_recipients_fail_for_good_and_are_reported_without_stopping_the_others(warehouse, servers):
    inbox, webhooks = servers
    env = environment(inbox.port, webhooks)
    inbox.refused.add("left@csi.example")
    env["CSI_SLACK_WEBHOOK_SMB"] = webhooks.url("/gone")
    refused, no_address, gone, good = stage_deliveries(
        warehouse,
        {"channel": "email", "recipient": "left@csi.example"},
        {"channel": "email", "recipient": None, "recipient_role": "csm_manager"},
        {"channel": "slack", "recipient": "#cs-smb", "recipient_role": "channel", "webhook_env": "CSI_SLACK_WEBHOOK_SMB"},
        {"channel": "email", "recipient": "csm@csi.example"},
    )

    report = quick(warehouse, env)
    assert (report.sent, report.failed, report.pending) == (1, 3, 0)
    assert delivered_ids(inbox, webhooks) == [good]
    problems = "\n".join(report.problems)
    assert "SMTP 550" in problems and "HTTP 404 no_service" in problems and "no email address for the csm_manager" in problems
    assert rows(warehouse, f"select delivery_id, status from {LEDGER} order by delivery_id") == [
        (refused, "failed"), (no_address, "failed"), (gone, "failed"), (good, "sent")]
    assert quick(warehouse, env).digests == 0, "a permanent failure is not retried"


def test_the_digest_names_the_account_what_changed_the_drivers_and_the_action(warehouse, servers):
    inbox, webhooks = servers
    [item] = rows(warehouse, f"""
        select delivery_id, account_name, detail, top_driver_1, recommended_action, link, csm_name, recipient
        from {DELIVERIES} where is_recent and channel = 'email' and event = 'alert' order by delivery_id limit 1""")
    delivery_id, account, detail, driver, action, link, csm, recipient = item
    printed: list[str] = []

    report = send_alerts(warehouse, dry_run=True, environ={}, echo=printed.append)
    digest = next(text for text in printed if f"delivery id {delivery_id}" in text)
    for expected in (recipient, account, detail, driver, action, link, f"CSM: {csm}"):
        assert expected in digest
    assert report.sent == 0 and rows(warehouse, f"select count(*) from {LEDGER}") == [(0,)], "a dry run records nothing"
    assert delivered_ids(inbox, webhooks) == []


def test_an_alert_is_acknowledged_or_snoozed_by_id_and_an_unknown_id_is_refused(warehouse):
    [(alert_id,)] = rows(warehouse, "select min(alert_id) from marts.fct_alert_actions")
    acknowledge(warehouse, alert_id, date(2026, 7, 14))
    assert rows(warehouse, "select alert_id, snoozed_until from alerting.acknowledgements") == [(alert_id, date(2026, 7, 14))]
    with pytest.raises(UserError, match="no alert 'nope'"):
        acknowledge(warehouse, "nope", None)


def test_a_night_rebuilt_after_a_correction_resends_nothing_and_shows_the_lost_alert_withdrawn(
    warehouse, servers, monkeypatch
):
    from csi.dbt import DbtProject
    from tests.python.warehouse import TODAY, use_warehouse

    inbox, webhooks = servers
    env = environment(inbox.port, webhooks)
    assert quick(warehouse, env).sent > 0
    [(gone,)] = rows(warehouse, f"select min(alert_id) from {LEDGER} where status = 'sent' and event = 'alert'")
    with duckdb.connect(str(warehouse)) as con:  # the corrected night no longer raises it
        con.execute("delete from marts.fct_health_alerts where alert_id = ?", [gone])
    for name in ("CSI_WAREHOUSE", "DBT_TARGET_PATH", "DBT_LOG_PATH"):  # use_warehouse changes them: restored after
        monkeypatch.setenv(name, os.environ.get(name, ""))
    use_warehouse(warehouse.parent)
    DbtProject(quiet=True).invoke(["run", "--select", "fct_alert_deliveries"], TODAY)

    assert quick(warehouse, env).digests == 0
    assert rows(warehouse, "select alert_id, sent > 0 from marts.fct_alert_deliveries where is_withdrawn and event = 'alert'") == [
        (gone, True)]
    assert {alert_id for (alert_id,) in rows(warehouse, "select alert_id from marts.fct_alert_deliveries where is_withdrawn")} == {gone}
