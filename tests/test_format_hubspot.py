"""HubSpot exports: an email's recipients, and unsubscribes and bounces."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest
from conftest import ROOT, as_json, parse_fixture

from bouncectl.sources import hubspot

FIXTURES = ROOT / "tests" / "fixtures" / "hubspot"


def parse(name: str, **options):
    return parse_fixture(hubspot.FORMAT, FIXTURES / name, **options)


def test_recipients_export_rows_become_events():
    events, _ = parse("recipients.csv")
    assert [(e.line, e.event, e.recipient, e.not_sent_reason) for e in events] == [
        (2, "sent", "ada.lovelace@example.com", None),
        (2, "bounce", "ada.lovelace@example.com", None),
        (3, "sent", "grace.hopper@example.net", None),
        (3, "bounce", "grace.hopper@example.net", None),
        (4, "sent", "alan.turing@example.org", None),
        (4, "delivered", "alan.turing@example.org", None),
        (4, "open", "alan.turing@example.org", None),
        (4, "click", "alan.turing@example.org", None),
        (5, "not_sent", "old.bounce@example.net", "PREVIOUSLY_BOUNCED"),
        (6, "not_sent", "gone@example.com", "GLOBALLY_BOUNCED"),
        (7, "not_sent", "left.us@example.com", "SUPPRESSED"),
        (8, "sent", "annoyed@example.com", None),
        (8, "delivered", "annoyed@example.com", None),
        (8, "open", "annoyed@example.com", None),
        (8, "unsubscribe", "annoyed@example.com", None),
        (8, "complaint", "annoyed@example.com", None),
        (12, "sent", "minimal@example.org", None),
    ]


def test_bounce_reason_is_the_diagnostic_and_the_email_name_the_fallback_id():
    events, _ = parse("recipients.csv")
    bounces = {e.recipient: e for e in events if e.event == "bounce"}
    assert bounces["ada.lovelace@example.com"].diagnostic == "Unknown user"
    assert bounces["grace.hopper@example.net"].diagnostic == "POLICY"
    # HubSpot stops sending after an unknown user: its verdict is hard. A policy bounce has none.
    assert bounces["ada.lovelace@example.com"].provider_type == "hard"
    assert bounces["grace.hopper@example.net"].provider_type is None
    assert {e.email_id for e in events if e.recipient != "minimal@example.org"} == {"November newsletter"}
    events, _ = parse("recipients.csv", email_id="hs-2026-11")
    assert {e.email_id for e in events} == {"hs-2026-11"}


def test_bad_rows_are_rejects_with_their_line():
    _, rejects = parse("recipients.csv")
    assert [r.line for r in rejects] == [9, 10, 11]
    assert "not an email address" in rejects[0].error
    assert "not a time" in rejects[1].error
    assert "15 fields" in rejects[2].error


def test_times_are_in_the_account_time_zone():
    utc, _ = parse("recipients.csv")
    new_york, _ = parse("recipients.csv", tz="America/New_York")

    sent = [
        (datetime.fromisoformat(a.timestamp), datetime.fromisoformat(b.timestamp))
        for a, b in zip(utc, new_york, strict=True)
        if a.event == "sent"
    ]
    assert sent and all(b - a == timedelta(hours=5) for a, b in sent)  # EST in November


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Previously bounced", "PREVIOUSLY_BOUNCED"),
        ("PREVIOUSLY_BOUNCED", "PREVIOUSLY_BOUNCED"),
        ("Global bounce", "GLOBALLY_BOUNCED"),
        ("Invalid address", "INVALID_ADDRESS"),
        ("INVALID_TO_ADDRESS", "INVALID_ADDRESS"),
        ("Duplicate recipient", "DUPLICATE"),
        ("Unsubscribed", "SUPPRESSED"),
        ("PREVIOUS_SPAM", "SUPPRESSED"),
        ("Graymail suppression", "SUPPRESSED"),
    ],
)
def test_not_sent_reasons(text, expected):
    assert hubspot.not_sent_reason(text) == expected


def test_unsubscribes_and_bounces_export():
    events, rejects = parse("unsubscribes-and-bounces.csv")
    assert [(e.line, e.event, e.recipient, e.provider_type, e.is_global, e.diagnostic) for e in events] == [
        (2, "bounce", "ada.lovelace@example.com", "hard", False, "Unknown user"),
        (3, "bounce", "gone@example.com", "hard", True, None),
        (4, "unsubscribe", "left.us@example.com", None, False, None),
        (5, "complaint", "annoyed@example.com", None, False, None),
        (6, "unsubscribe", "only.marketing@example.org", None, False, None),
    ]
    # Opted out of one subscription type: an unsubscribe from that group only.
    assert [e.group for e in events] == [None, None, None, None, "Marketing Information"]
    assert '"Marketing Information": "TRUE"' in events[2].raw
    assert [(r.line, r.error) for r in rejects] == [(7, "no Email")]


def test_cli_recipients_export(bc):
    result = bc("import", FIXTURES / "recipients.csv", "--email-id", "hs-2026-11", "--tz", "America/New_York")
    assert result.exit_code == 3 and "(hubspot)" in result.stderr
    bounced = {r["recipient"]: r for r in as_json(bc("bounced", "--email-id", "hs-2026-11", "--format", "json"))}
    # HubSpot's category is the only evidence, and it names the reason.
    assert {k: (v["diagnostic"], v["reason"], v["bounce_type"]) for k, v in bounced.items()} == {
        "ada.lovelace@example.com": ("Unknown user", "userunknown", "hard"),
        "grace.hopper@example.net": ("POLICY", "policyviolation", "soft"),
    }
    not_sent = as_json(bc("not-sent", "--email-id", "hs-2026-11", "--format", "json"))
    assert sorted((r["recipient"], r["not_sent_reason"]) for r in not_sent) == [
        ("gone@example.com", "GLOBALLY_BOUNCED"),
        ("left.us@example.com", "SUPPRESSED"),
        ("old.bounce@example.net", "PREVIOUSLY_BOUNCED"),
    ]
    assert bounced["ada.lovelace@example.com"]["bounce_type"] == "hard"
    status = {r["email"]: r["status"] for r in as_json(bc("contacts", "--format", "json"))}
    assert status["ada.lovelace@example.com"] == "hard_bounced"
    assert status["alan.turing@example.org"] == "eligible"


def test_cli_unsubscribes_and_bounces_export(bc):
    assert bc("import", FIXTURES / "unsubscribes-and-bounces.csv").exit_code == 3
    status = {r["email"]: r for r in as_json(bc("contacts", "--format", "json"))}
    assert status["gone@example.com"]["status"] == "globally_bounced"
    # A portal bounce is a hard bounce whatever the reason reads as.
    assert status["ada.lovelace@example.com"]["status"] == "hard_bounced"
    assert status["ada.lovelace@example.com"]["hard_bounce_reason"]
    # An unsubscribe or a spam report keeps the contact out (rule 2.10); a subscription type
    # opted out of keeps it out of that group's sends only.
    assert status["left.us@example.com"]["status"] == "unsubscribed"
    assert status["annoyed@example.com"]["status"] == "complained"
    assert status["only.marketing@example.org"]["status"] == "eligible"


@pytest.mark.parametrize(
    ("category", "reason", "bounce_type"),
    [("Unknown user", "userunknown", "hard"), ("UNKNOWN_USER", "userunknown", "hard"),
     ("Mailbox full", "mailboxfull", "soft"), ("Content", "contenterror", "soft"), ("Spam", "spamdetected", "soft"),
     ("DNS failure", "hostunknown", "hard"), ("Throttled", "speeding", "soft"), ("Other", None, None)],
)
def test_bounce_categories_name_the_reason(category, reason, bounce_type):
    verdict = hubspot.category_verdict(category, hubspot._category_verdict(category))
    if reason is None:
        assert verdict is None  # an unknown category is left to the classifier
    else:
        assert (verdict.reason, verdict.bounce_type) == (reason, bounce_type)
        assert category in verdict.rule


def test_an_undated_export_downloaded_again_is_not_new(bc, tmp_path):
    # The unsubscribes-and-bounces export gives no times: a second download (a newer file
    # with the same rows) is recognized, whatever its modification time.
    first = tmp_path / "first.csv"
    first.write_bytes((FIXTURES / "unsubscribes-and-bounces.csv").read_bytes())
    second = tmp_path / "second.csv"
    second.write_bytes(first.read_bytes() + b"\n")
    os.utime(second, (first.stat().st_mtime + 86_400,) * 2)
    assert bc("import", first, "--email-id", "hs-list").exit_code in (0, 3)
    again = bc("import", second, "--email-id", "hs-list")
    assert again.exit_code in (0, 3)
    assert " 0 events stored" in again.stderr.replace(",", "")
