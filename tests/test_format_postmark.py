"""Postmark webhooks and bounce API pages."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, as_json, parse_fixture

from bouncectl.model import ImportOptions
from bouncectl.sources import postmark
from bouncectl.sources.source import Source

FIXTURES = ROOT / "tests" / "fixtures" / "postmark"


def parse(name: str, **options):
    return parse_fixture(postmark.FORMAT, FIXTURES / name, **options)


def test_webhooks():
    events, _ = parse("webhooks.jsonl")
    assert [(e.line, e.event, e.recipient, e.provider_type, e.smtp_code, e.enhanced_status) for e in events] == [
        (1, "bounce", "ada.lovelace@example.com", "hard", 550, "5.1.1"),
        (2, "bounce", "alan.turing@example.org", "soft", 452, "4.2.2"),
        (3, "bounce", "slow@example.org", "soft", 421, "4.4.2"),
        (4, "bounce", "nodomain@example.invalid", "soft", None, None),
        (6, "bounce", "grace.hopper@example.net", "hard", None, None),
        (7, "bounce", "deactivated@example.com", "hard", None, None),
        (8, "complaint", "annoyed@example.com", None, None, None),
        # line 9: an AutoResponder is not a bounce
        (10, "delivered", "katherine.johnson@example.com", None, None, None),
    ]


def test_email_id_from_metadata_else_tag():
    events, _ = parse("webhooks.jsonl")
    assert {e.email_id for e in events} == {"pm-2026-11"}  # line 7 has empty Metadata and Tag pm-2026-11
    events, _ = parse("bounces-page.json")
    assert {e.email_id for e in events} == {"pm-2026-12"}


def test_raw_drops_the_message_dump():
    events, _ = parse("webhooks.jsonl")
    raw = json.loads(events[0].raw)
    assert "Content" not in raw
    assert raw["Type"] == "HardBounce" and raw["MessageID"] == "00000000-0000-4000-8000-000000000001"


def test_rejects():
    _, rejects = parse("webhooks.jsonl")
    assert [r.line for r in rejects] == [5, 11]
    assert "malformed JSON" in rejects[0].error
    assert rejects[1].error == "no BouncedAt"


def test_the_bounce_api_page():
    events, rejects = parse("bounces-page.json")
    assert rejects == []
    assert [(e.line, e.recipient, e.provider_type) for e in events] == [
        (1, "page.one@example.com", "hard"),
        (2, "page.two@example.com", "soft"),
    ]


@pytest.mark.parametrize(
    ("bounce_type", "expected"),
    [
        ("HardBounce", ("bounce", "hard")),
        ("BadEmailAddress", ("bounce", "hard")),
        ("ManuallyDeactivated", ("bounce", "hard")),
        ("SoftBounce", ("bounce", "soft")),
        ("Transient", ("bounce", "soft")),
        ("DnsError", ("bounce", "soft")),
        ("Blocked", ("bounce", "soft")),
        ("DMARCPolicy", ("bounce", "soft")),
        ("SpamNotification", ("bounce", "soft")),
        ("VirusNotification", ("bounce", "soft")),
        ("Unknown", ("bounce", "soft")),
        ("SMTPApiError", ("bounce", "soft")),
        ("Unconfirmed", ("bounce", "soft")),
        ("SomethingNew", ("bounce", "soft")),
        ("SpamComplaint", ("complaint", None)),
        ("Unsubscribe", ("unsubscribe", None)),
        ("AutoResponder", None),
        ("AddressChange", None),
        ("Subscribe", None),
        ("ChallengeVerification", None),
        ("OpenRelayTest", None),
        ("InboundError", None),
        ("TemplateRenderingFailed", None),
    ],
)
def test_every_bounce_type(tmp_path, bounce_type, expected):
    path = tmp_path / "one.json"
    path.write_text(
        json.dumps(
            {
                "RecordType": "Bounce",
                "Type": bounce_type,
                "Email": "a@example.com",
                "BouncedAt": "2026-11-03T09:00:00.1234567Z",
                "Details": "smtp;550 5.0.0 no",
            }
        )
    )
    records = list(postmark.FORMAT.parse(Source(path), ImportOptions()))
    assert [(r.event, r.provider_type) for r in records] == ([expected] if expected else [])


def test_cli_import_and_reports(bc):
    result = bc("import", FIXTURES / "webhooks.jsonl")
    assert result.exit_code == 3 and "(postmark)" in result.stderr
    bounced = {r["recipient"]: r for r in as_json(bc("bounced", "--email-id", "pm-2026-11", "--format", "json"))}
    assert {k: v["bounce_type"] for k, v in bounced.items()} == {
        "ada.lovelace@example.com": "hard",
        "grace.hopper@example.net": "hard",
        "deactivated@example.com": "hard",
        "alan.turing@example.org": "soft",
        "slow@example.org": "soft",
        "nodomain@example.invalid": "soft",
    }
    assert bounced["ada.lovelace@example.com"]["reason"] == "userunknown"
    status = {r["email"]: r["status"] for r in as_json(bc("contacts", "--format", "json"))}
    assert status["deactivated@example.com"] == "hard_bounced"
    assert status["alan.turing@example.org"] == "eligible"
    assert "vacation@example.com" not in status
    assert as_json(bc("not-sent", "--email-id", "pm-2026-11", "--format", "json")) == []


def _bounce_of(tmp_path, bounce_type: str, details: str):
    from bouncectl.usecases.importing import classify_event

    record = {"RecordType": "Bounce", "ID": 42, "Type": bounce_type, "MessageID": "m-1", "Description": "x",
              "Details": details, "Email": "jo@example.org", "BouncedAt": "2026-12-01T10:00:00Z"}
    path = tmp_path / "one.json"
    path.write_text(json.dumps(record) + "\n")
    (event,) = list(postmark.FORMAT.parse(Source(path), ImportOptions()))
    classify_event(event)
    return event


@pytest.mark.parametrize(("bounce_type", "reason"), [
    ("DnsError", "networkerror"), ("SpamNotification", "spamdetected"), ("VirusNotification", "virusdetected"),
    ("Blocked", "blocked"), ("DMARCPolicy", "authfailure"), ("ManuallyDeactivated", "suppressed"),
    ("HardBounce", "undefined"),  # a type that names no reason more specific
])
def test_a_bounce_without_details_takes_the_reason_its_type_names(tmp_path, bounce_type, reason):
    assert _bounce_of(tmp_path, bounce_type, "").reason == reason


def test_the_remote_s_details_decide_over_the_type(tmp_path):
    event = _bounce_of(tmp_path, "Blocked", "smtp;550 5.1.1 The email account that you tried to reach does not exist.")
    assert (event.reason, event.bounce_type) == ("userunknown", "hard")
