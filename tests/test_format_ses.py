"""Amazon SES notifications and event publishing records."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, as_json, parse_fixture

from bouncectl.model import Event, ImportOptions
from bouncectl.sources import ses
from bouncectl.sources.source import Source
from bouncectl.usecases.importing import classify_event

FIXTURES = ROOT / "tests" / "fixtures" / "ses"


def parse(name: str, **options):
    return parse_fixture(ses.FORMAT, FIXTURES / name, **options)


def outline(event: Event) -> tuple:
    return (event.line, event.event, event.recipient, event.provider_type, event.enhanced_status, event.smtp_code)


def test_every_notification_type_becomes_its_events():
    events, _ = parse("notifications.jsonl")
    assert [outline(e) for e in events] == [
        (1, "bounce", "ada.lovelace@example.com", "hard", "5.1.1", 550),
        (1, "bounce", "grace.hopper@example.net", "hard", "5.4.4", 550),
        (2, "bounce", "alan.turing@example.org", "soft", "4.2.2", 452),
        (3, "bounce", "gone@example.com", "hard", "5.1.1", None),
        (4, "not_sent", "old.bounce@example.net", None, None, None),
        (5, "complaint", "annoyed@example.com", None, None, None),
        (6, "delivered", "katherine.johnson@example.com", None, None, None),
        (6, "delivered", "annoyed@example.com", None, None, None),
        (7, "deferred", "slow@example.org", "soft", "4.4.1", 421),
        (8, "sent", "katherine.johnson@example.com", None, None, None),
        (9, "bounce", "mystery@example.net", None, None, None),
        (11, "bounce", "no.such.user@example.org", "hard", "5.1.1", 550),
    ]
    # The import classifies: the parser leaves the reason to it.
    assert all(e.reason is None and e.bounce_type is None for e in events)


def test_suppression_list_subtypes():
    events, _ = parse("notifications.jsonl")
    by_recipient = {e.recipient: e for e in events}
    assert by_recipient["gone@example.com"].is_global is True
    assert by_recipient["ada.lovelace@example.com"].is_global is False
    suppressed = by_recipient["old.bounce@example.net"]
    assert (suppressed.event, suppressed.not_sent_reason, suppressed.is_global) == (
        "not_sent",
        "PREVIOUSLY_BOUNCED",
        False,
    )


def test_email_id_name_and_message_id():
    events, _ = parse("notifications.jsonl")
    assert {e.email_id for e in events} == {"ses-2026-11"}  # tags, or the X-Email-ID header on line 9
    assert {e.email_name for e in events} == {"November newsletter"}
    assert events[0].message_id == "<0102018f-mail-0001@eu-west-1.amazonses.com>"


def test_email_id_tag_is_configurable_and_falls_back_to_the_option():
    events, _ = parse("notifications.jsonl", email_id_tag="campaign", email_id_header="X-Campaign", email_id="given")
    assert {e.email_id for e in events} == {"given"}


def test_raw_keeps_provider_fields_but_not_the_headers():
    events, _ = parse("notifications.jsonl")
    raw = json.loads(events[0].raw)
    assert raw["bounceSubType"] == "General" and raw["feedbackId"] == "0102018f-aaaa-0001-000000"
    assert raw["action"] == "failed" and raw["mail"]["messageId"] == "0102018f-mail-0001-000000"
    assert "headers" not in raw["mail"]
    delayed = next(e for e in events if e.event == "deferred")
    assert json.loads(delayed.raw)["delayType"] == "TransientCommunicationFailure"


def test_bad_records_are_rejects_with_their_line():
    events, rejects = parse("notifications.jsonl")
    assert [r.line for r in rejects] == [10, 11]
    assert "malformed JSON" in rejects[0].error
    assert "emailAddress" in rejects[1].error
    # The other recipient of line 11 still imports.
    assert any(e.line == 11 for e in events)


def test_an_sns_envelope_is_unwrapped():
    events, rejects = parse("sns-envelope.json")
    assert rejects == []
    assert [outline(e) for e in events] == [(1, "bounce", "envelope.user@example.com", "hard", "5.1.1", 550)]


def test_a_json_array_is_streamed_and_rejects_name_the_element():
    events, rejects = parse("events-array.json")
    assert [(e.line, e.event, e.recipient) for e in events] == [
        (1, "bounce", "array.one@example.com"),
        (2, "delivered", "array.two@example.com"),
    ]
    assert [(r.line, r.error) for r in rejects] == [(3, "element 3 of the JSON array: no bounce.timestamp")]


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"eventType": "Reject", "reject": {"reason": "Bad content"}}, ["not_sent"]),  # not attempted
        ({"eventType": "Rendering Failure", "failure": {"errorMessage": "x"}}, []),
        ({"eventType": "Open", "open": {"timestamp": "2026-11-03T10:00:00Z"}}, ["open"]),
        (
            {"eventType": "Click", "click": {"timestamp": "2026-11-03T10:00:00Z", "link": "https://example.com"}},
            ["click"],
        ),
        (
            {"eventType": "Subscription", "subscription": {"newTopicPreferences": {"unsubscribeAll": True}}},
            ["unsubscribe"],
        ),
        ({"eventType": "Subscription", "subscription": {"newTopicPreferences": {"unsubscribeAll": False}}}, []),
        (
            {
                "notificationType": "Complaint",
                "complaint": {
                    "complaintSubType": "OnAccountSuppressionList",
                    "complainedRecipients": [{"emailAddress": "a@example.com"}],
                    "timestamp": "2026-11-03T10:00:00Z",
                },
            },
            ["not_sent"],
        ),
    ],
)
def test_other_event_types(tmp_path, record, expected):
    record["mail"] = {"timestamp": "2026-11-03T09:00:00Z", "destination": ["a@example.com"], "messageId": "m1"}
    path = tmp_path / "one.json"
    path.write_text(json.dumps(record) + "\n")
    records = list(ses.FORMAT.parse(Source(path), ImportOptions()))
    assert [r.event for r in records] == expected


def test_a_record_that_is_not_ses_is_rejected(tmp_path):
    path = tmp_path / "odd.jsonl"
    path.write_text('{"eventType": "Bounce"}\n{"hello": "world"}\n{"eventType": "Teleport", "mail": {}}\n')
    records = list(ses.FORMAT.parse(Source(path), ImportOptions()))
    assert [(r.line, type(r).__name__) for r in records] == [(1, "Reject"), (2, "Reject"), (3, "Reject")]
    assert "unknown SES notification type" in records[2].error


# --- through the CLI, with detection -------------------------------------------------------------


def test_cli_import_and_reports(bc):
    result = bc("import", FIXTURES / "notifications.jsonl")
    assert result.exit_code == 3  # imported, with rejected rows
    assert "(ses)" in result.stderr
    bounced = {r["recipient"]: r for r in as_json(bc("bounced", "--email-id", "ses-2026-11", "--format", "json"))}
    assert {r: (row["bounce_type"]) for r, row in bounced.items()} == {
        "ada.lovelace@example.com": "hard",
        "grace.hopper@example.net": "hard",
        "gone@example.com": "hard",
        "no.such.user@example.org": "hard",
        "alan.turing@example.org": "soft",
        "mystery@example.net": "soft",
    }
    assert bounced["ada.lovelace@example.com"]["reason"] == "userunknown"
    assert bounced["alan.turing@example.org"]["reason"] == "mailboxfull"
    status = {r["email"]: r["status"] for r in as_json(bc("contacts", "--format", "json"))}
    assert status["gone@example.com"] == "globally_bounced"
    assert status["ada.lovelace@example.com"] == "hard_bounced"
    assert status["alan.turing@example.org"] == "eligible"
    assert status["old.bounce@example.net"] != "globally_bounced"
    not_sent = as_json(bc("not-sent", "--email-id", "ses-2026-11", "--format", "json"))
    assert [(r["recipient"], r["not_sent_reason"]) for r in not_sent] == [
        ("old.bounce@example.net", "PREVIOUSLY_BOUNCED")
    ]
    assert [r["line"] for r in as_json(bc("rejects", "--format", "json"))] == [10, 11]


def test_cli_webhook_retries_are_stored_once(bc, tmp_path):
    line = (FIXTURES / "notifications.jsonl").read_text().splitlines()[0]
    (tmp_path / "first.jsonl").write_text(line + "\n")
    (tmp_path / "retry.jsonl").write_text(line + "\n" + line + "\n")
    assert bc("import", tmp_path / "first.jsonl").exit_code == 0
    assert bc("import", tmp_path / "retry.jsonl").exit_code == 0
    bounced = as_json(bc("bounced", "--email-id", "ses-2026-11", "--format", "json"))
    assert sorted(r["recipient"] for r in bounced) == ["ada.lovelace@example.com", "grace.hopper@example.net"]


def test_sqs_and_lambda_envelopes_are_unwrapped(tmp_path):
    inner = json.loads((FIXTURES / "sns-envelope.json").read_text())  # an SNS envelope
    lambda_event = {"Records": [{"EventSource": "aws:sns", "Sns": inner}]}
    sqs_message = {"messageId": "1", "body": json.dumps(inner), "eventSource": "aws:sqs"}
    path = tmp_path / "wrapped.jsonl"
    path.write_text(json.dumps(lambda_event) + "\n" + json.dumps(sqs_message) + "\n")
    records = list(ses.FORMAT.parse(Source(path), ImportOptions()))
    assert [(r.line, r.event, r.recipient) for r in records] == [
        (1, "bounce", "envelope.user@example.com"),
        (2, "bounce", "envelope.user@example.com"),
    ]


def test_the_remote_mta_is_the_remote_host_not_the_reporting_mta():
    # remoteMtaIp is the server SES tried; reportingMTA names SES's own host.
    record = {
        "notificationType": "Bounce",
        "bounce": {"bounceType": "Transient", "bounceSubType": "General", "timestamp": "2026-11-03T09:00:05.120Z",
                   "remoteMtaIp": "192.0.2.7", "reportingMTA": "dsn; a1-2.smtp-out.eu-west-1.amazonses.com",
                   "bouncedRecipients": [{"emailAddress": "someone@gmail.com", "status": "4.7.0",
                                          "diagnosticCode": "smtp; 421-4.7.0 Try again later, closing connection."}]},
        "mail": {"timestamp": "2026-11-03T09:00:01.000Z", "messageId": "m-1", "destination": ["someone@gmail.com"]},
    }
    events = [e for e in ses.convert(record, ImportOptions(), 1) if isinstance(e, Event)]
    assert [(e.recipient, e.remote_host) for e in events] == [("someone@gmail.com", "192.0.2.7")]
    classify_event(events[0])
    # An address names no provider: the recipient's domain chooses Google's table.
    assert events[0].reason == "blocked"


@pytest.mark.parametrize(("bounce_type", "sub_type", "reason", "kind"), [
    ("Permanent", "NoEmail", "userunknown", "hard"),
    ("Permanent", "Suppressed", "suppressed", "hard"),
    ("Transient", "MailboxFull", "mailboxfull", "soft"),
    ("Transient", "MessageTooLarge", "mesgtoobig", "soft"),
    ("Permanent", "General", "onhold", "hard"),  # a subtype that names no reason
])
def test_a_bounce_without_a_diagnostic_takes_the_reason_its_subtype_names(tmp_path, bounce_type, sub_type, reason,
                                                                         kind):
    # SES's diagnosticCode is optional; its bounce subtypes are documented (Amazon SES: bounce types).
    record = {"notificationType": "Bounce", "bounce": {
        "bounceType": bounce_type, "bounceSubType": sub_type, "timestamp": "2026-11-03T10:00:00Z",
        "bouncedRecipients": [{"emailAddress": "a@example.com", "action": "failed", "status": "5.0.0"}]},
        "mail": {"timestamp": "2026-11-03T09:00:00Z", "destination": ["a@example.com"], "messageId": "m1"}}
    path = tmp_path / "one.json"
    path.write_text(json.dumps(record) + "\n")
    (event,) = list(ses.FORMAT.parse(Source(path), ImportOptions()))
    classify_event(event)
    assert (event.reason, event.bounce_type) == (reason, kind)


def test_a_diagnostic_decides_over_the_subtype(tmp_path):
    record = {"notificationType": "Bounce", "bounce": {
        "bounceType": "Transient", "bounceSubType": "MailboxFull", "timestamp": "2026-11-03T10:00:00Z",
        "bouncedRecipients": [{"emailAddress": "a@example.com", "diagnosticCode": "smtp; 421 4.7.0 Try again later, "
                               "closing connection: too many connections from your host"}]},
        "mail": {"timestamp": "2026-11-03T09:00:00Z", "destination": ["a@example.com"], "messageId": "m1"}}
    path = tmp_path / "one.json"
    path.write_text(json.dumps(record) + "\n")
    (event,) = list(ses.FORMAT.parse(Source(path), ImportOptions()))
    classify_event(event)
    assert event.reason == "toomanyconn"
