"""Postfix mail logs."""

from __future__ import annotations

import gzip
import os
import shutil
from datetime import datetime

import pytest
from conftest import ROOT, as_json

from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources import postfix
from bouncectl.sources.source import Source

FIXTURES = ROOT / "tests" / "fixtures" / "postfix"


def parse(path, **options):
    records = list(postfix.FORMAT.parse(Source(path), ImportOptions(**options)))
    return [r for r in records if isinstance(r, Event)], [r for r in records if isinstance(r, Reject)]


def test_status_lines_become_events_and_other_lines_are_skipped():
    events, rejects = parse(FIXTURES / "mail.log")
    assert [(e.line, e.event, e.recipient, e.smtp_code, e.enhanced_status, e.provider_type) for e in events] == [
        (4, "bounce", "ada.lovelace@example.com", 550, "5.1.1", "hard"),  # status=bounced: the MTA's permanent verdict
        (5, "delivered", "katherine.johnson@example.com", None, None, None),
        (6, "deferred", "slow@example.org", None, "4.4.1", "soft"),
        (11, "deferred", "alan.turing@example.org", 452, "4.2.2", "soft"),
        (12, "bounce", "grace.hopper@example.net", None, "5.4.4", "hard"),
        (14, "bounce", "slow@example.org", None, None, "soft"),
        (16, "delivered", "alan.turing@example.org", None, None, None),
    ]
    # Only the unreadable address is an error; connect, pickup, dovecot... lines are not.
    assert [(r.line, r.error) for r in rejects] == [(13, "to 'not an address' is not an email address")]


def test_remote_reply_is_the_diagnostic():
    events, _ = parse(FIXTURES / "mail.log")
    assert events[0].diagnostic.startswith("550 5.1.1 <ada.lovelace@example.com>: Recipient address rejected")
    assert "in reply to" not in events[0].diagnostic
    assert events[2].diagnostic == "connect to mx.example.org[192.0.2.20]:25: Connection timed out"


def test_expired_queue_files_bounce_only_their_deferred_recipients():
    events, _ = parse(FIXTURES / "mail.log")
    expired = [e for e in events if e.reason == "expired"]
    assert [(e.recipient, e.bounce_type, e.rule) for e in expired] == [
        ("slow@example.org", "soft", "postfix status=expired")
    ]


def test_queue_ids_are_joined_to_message_ids():
    events, _ = parse(FIXTURES / "mail.log")
    assert {e.recipient: e.message_id for e in events} == {
        "ada.lovelace@example.com": "<20261103090000.1@news.example.org>",
        "katherine.johnson@example.com": "<20261103090000.1@news.example.org>",
        "slow@example.org": "<20261103090000.1@news.example.org>",
        "alan.turing@example.org": "<20261103090500.2@news.example.org>",
        "grace.hopper@example.net": "<20261103090500.2@news.example.org>",
    }


def test_the_email_id_comes_only_from_the_option():
    events, _ = parse(FIXTURES / "mail.log")
    assert {e.email_id for e in events} == {None}
    events, _ = parse(FIXTURES / "mail.log", email_id="pf-2026-11")
    assert {e.email_id for e in events} == {"pf-2026-11"}


def test_rfc3339_timestamps():
    events, rejects = parse(FIXTURES / "mail-rfc3339.log")
    assert rejects == []
    assert [(e.event, e.recipient, e.smtp_code, e.enhanced_status) for e in events] == [
        ("bounce", "rfc.one@example.com", 554, "5.7.1"),
        ("delivered", "rfc.two@example.com", None, None),
    ]


def test_a_log_across_new_year_keeps_its_order(tmp_path):
    path = tmp_path / "mail.log"
    path.write_text(
        "Dec 31 23:59:58 mx postfix/smtp[1]: AAAAA11111: to=<a@example.com>, relay=none, dsn=4.4.1, "
        "status=deferred (connect to mx.example.com[192.0.2.1]:25: Connection refused)\n"
        "Jan  1 00:00:02 mx postfix/smtp[1]: AAAAA11111: to=<a@example.com>, relay=mx.example.com[192.0.2.1]:25, "
        "dsn=2.0.0, status=sent (250 2.0.0 Ok)\n"
    )
    modified = datetime(2027, 1, 1, 0, 5).timestamp()
    os.utime(path, (modified, modified))
    events, _ = parse(path)
    deferred, delivered = events
    assert deferred.timestamp < delivered.timestamp
    assert deferred.timestamp[:4] != delivered.timestamp[:4]


def test_gzipped_logs(tmp_path):
    path = tmp_path / "mail.log.gz"
    with open(FIXTURES / "mail.log", "rb") as plain, gzip.open(path, "wb") as packed:
        shutil.copyfileobj(plain, packed)
    assert postfix.FORMAT.sniff(Source(path).head(), Source(path))
    events, _ = parse(path)
    assert len(events) == 7


def test_cli_import_and_reports(bc):
    result = bc("import", FIXTURES / "mail.log", "--email-id", "pf-2026-11")
    assert result.exit_code == 3 and "(postfix)" in result.stderr
    bounced = {r["recipient"]: r for r in as_json(bc("bounced", "--email-id", "pf-2026-11", "--format", "json"))}
    assert {k: (v["bounce_type"], v["reason"]) for k, v in bounced.items()} == {
        "ada.lovelace@example.com": ("hard", "userunknown"),
        "grace.hopper@example.net": ("hard", "hostunknown"),
        "slow@example.org": ("soft", "expired"),
    }
    status = {r["email"]: r["status"] for r in as_json(bc("contacts", "--format", "json"))}
    assert status["ada.lovelace@example.com"] == "hard_bounced"
    assert status["alan.turing@example.org"] == "eligible"
    assert as_json(bc("not-sent", "--email-id", "pf-2026-11", "--format", "json")) == []


@pytest.mark.parametrize("written", ["<20261103090000.1@news.example.org>", "20261103090000.1@news.example.org"])
def test_cli_a_bounce_without_email_id_finds_its_email_through_the_message_id(bc, tmp_path, written):
    # The send log may write the Message-ID with or without its angle brackets.
    log = tmp_path / "send.csv"
    log.write_text(
        "email_id,recipient,event,timestamp,message_id\n"
        f"pf-joined,ada.lovelace@example.com,sent,2026-11-03T09:00:00Z,{written}\n"
    )
    assert bc("import", log).exit_code == 0
    assert bc("import", FIXTURES / "mail.log").exit_code == 3
    # Both failed recipients of that message; the other message's bounce stays without an email.
    bounced = as_json(bc("bounced", "--email-id", "pf-joined", "--format", "json"))
    assert sorted(r["recipient"] for r in bounced) == ["ada.lovelace@example.com", "slow@example.org"]


def test_the_relay_that_answered_chooses_the_providers_table(bc, tmp_path):
    # A Google Workspace domain's MX is Google's: Postfix's relay= names it, so Google's own
    # wording ("421 4.7.0 Try again later, closing connection": the sending host refused) decides.
    path = tmp_path / "mail.log"
    reply = "421-4.7.0 Try again later, closing connection. (in reply to end of DATA command)"
    path.write_text(
        "Nov  3 09:00:01 mx postfix/smtp[1]: AAAAA11111: to=<a@example.org>, relay=aspmx.l.google.com[192.0.2.5]:25, "
        f"dsn=4.7.0, status=bounced (host aspmx.l.google.com[192.0.2.5] said: {reply})\n"
        "Nov  3 09:00:02 mx postfix/smtp[1]: BBBBB22222: to=<b@example.org>, relay=mx.example.org[192.0.2.6]:25, "
        f"dsn=4.7.0, status=bounced (host mx.example.org[192.0.2.6] said: {reply})\n"
    )
    events, _ = parse(path)
    assert [e.remote_host for e in events] == ["aspmx.l.google.com", "mx.example.org"]
    assert bc("import", path, "--email-id", "e1").exit_code == 0
    bounced = {r["recipient"]: r for r in as_json(bc("bounced", "--email-id", "e1", "--format", "json"))}
    assert bounced["a@example.org"]["reason"] == "blocked"
    assert bounced["b@example.org"]["reason"] not in ("blocked", None)
