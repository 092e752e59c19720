"""SendGrid event webhook batches."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, as_json, parse_fixture

from bouncectl.model import ImportOptions
from bouncectl.sources import sendgrid
from bouncectl.sources.source import Source

FIXTURES = ROOT / "tests" / "fixtures" / "sendgrid"


def parse(name: str, **options):
    return parse_fixture(sendgrid.FORMAT, FIXTURES / name, **options)


def test_every_event_of_every_batch():
    events, _ = parse("events.jsonl")
    assert [(e.line, e.event, e.recipient, e.provider_type, e.not_sent_reason) for e in events] == [
        (1, "sent", "ada.lovelace@example.com", None, None),
        (1, "bounce", "ada.lovelace@example.com", "hard", None),
        (1, "sent", "grace.hopper@example.net", None, None),
        (1, "bounce", "grace.hopper@example.net", "soft", None),
        (2, "deferred", "alan.turing@example.org", "soft", None),
        (2, "delivered", "katherine.johnson@example.com", None, None),
        (2, "not_sent", "old.bounce@example.net", None, "PREVIOUSLY_BOUNCED"),
        (2, "not_sent", "left.us@example.com", None, "SUPPRESSED"),
        (2, "not_sent", "typo@example", None, "INVALID_ADDRESS"),
        (4, "complaint", "annoyed@example.com", None, None),
        (4, "unsubscribe", "annoyed@example.com", None, None),
        (4, "open", "katherine.johnson@example.com", None, None),
    ]


def test_bounce_codes_come_from_status_or_reason():
    events, _ = parse("events.jsonl")
    bounces = {e.recipient: e for e in events if e.event == "bounce"}
    ada, grace = bounces["ada.lovelace@example.com"], bounces["grace.hopper@example.net"]
    assert (ada.smtp_code, ada.enhanced_status) == (550, "5.1.1")
    # No status field: both codes are read from the reply.
    assert (grace.smtp_code, grace.enhanced_status) == (550, "5.7.1")
    assert json.loads(grace.raw)["bounce_classification"] == "Reputation"
    assert ada.message_id == "<0005.news@example.org>"


def test_email_id_from_custom_argument_else_category():
    events, _ = parse("events.jsonl")
    assert {e.email_id for e in events} == {"sg-2026-11"}  # custom arg on lines 1 and 4, category on line 2
    events, _ = parse("batch.json")
    assert {e.email_id for e in events} == {"sg-2026-12"}  # category given as an array
    # No custom argument of that name: the first category, else nothing.
    events, _ = parse("events.jsonl", email_id_tag="campaign")
    assert {(e.line, e.email_id) for e in events} == {(1, "newsletter"), (2, "sg-2026-11"), (4, None)}


def test_bad_lines_and_bad_events_are_rejects():
    _, rejects = parse("events.jsonl")
    assert [(r.line, r.error) for r in rejects][1] == (4, "element 4: no email")
    assert rejects[0].line == 3 and "malformed JSON" in rejects[0].error


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("Bounced Address", "PREVIOUSLY_BOUNCED"),
        ("Invalid", "INVALID_ADDRESS"),
        ("Invalid SMTPAPI header", "SUPPRESSED"),
        ("Unsubscribed Address", "SUPPRESSED"),
        ("Spam Reporting Address", "SUPPRESSED"),
        ("Recipient List over Package Quota", "SUPPRESSED"),
        (None, "SUPPRESSED"),
    ],
)
def test_dropped_reasons(reason, expected):
    assert sendgrid.drop_reason(reason) == expected


def test_bounce_list_entries_are_bounces(tmp_path):
    path = tmp_path / "bounces.json"
    path.write_text(
        json.dumps(
            [
                {
                    "created": 1793696400,
                    "email": "gone@example.com",
                    "reason": "550 5.1.1 No such user",
                    "status": "5.1.1",
                },
                {
                    "created": "2026-11-03 09:00:00",
                    "email": "full@example.com",
                    "reason": "452 Mailbox full",
                    "status": "4.0.0",
                },
            ]
        )
    )
    records = list(sendgrid.FORMAT.parse(Source(path), ImportOptions()))
    assert [(r.event, r.recipient, r.provider_type, r.smtp_code) for r in records] == [
        ("bounce", "gone@example.com", "hard", 550),
        ("bounce", "full@example.com", "soft", 452),
    ]


def test_cli_import_and_reports(bc):
    result = bc("import", FIXTURES / "events.jsonl")
    assert result.exit_code == 3 and "(sendgrid)" in result.stderr
    bounced = {r["recipient"]: r for r in as_json(bc("bounced", "--email-id", "sg-2026-11", "--format", "json"))}
    assert {k: v["bounce_type"] for k, v in bounced.items()} == {
        "ada.lovelace@example.com": "hard",
        "grace.hopper@example.net": "soft",  # type "blocked": SendGrid calls it temporary
    }
    assert bounced["ada.lovelace@example.com"]["reason"] == "userunknown"
    status = {r["email"]: r["status"] for r in as_json(bc("contacts", "--format", "json"))}
    assert status["ada.lovelace@example.com"] == "hard_bounced"
    assert status["grace.hopper@example.net"] == "eligible"
    not_sent = as_json(bc("not-sent", "--email-id", "sg-2026-11", "--format", "json"))
    assert sorted((r["recipient"], r["not_sent_reason"]) for r in not_sent) == [
        ("left.us@example.com", "SUPPRESSED"),
        ("old.bounce@example.net", "PREVIOUSLY_BOUNCED"),
        ("typo@example", "INVALID_ADDRESS"),
    ]


def test_cli_the_pretty_printed_batch(bc):
    assert bc("import", FIXTURES / "batch.json").exit_code == 0
    bounced = as_json(bc("bounced", "--email-id", "sg-2026-12", "--format", "json"))
    assert [(r["recipient"], r["bounce_type"]) for r in bounced] == [("pretty.one@example.com", "hard")]
