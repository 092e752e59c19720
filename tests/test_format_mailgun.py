"""Mailgun webhooks and events API pages."""

from __future__ import annotations

import json

from conftest import ROOT, as_json, parse_fixture

from bouncectl.sources import mailgun

FIXTURES = ROOT / "tests" / "fixtures" / "mailgun"


def parse(name: str, **options):
    return parse_fixture(mailgun.FORMAT, FIXTURES / name, **options)


def test_webhook_events():
    events, _ = parse("webhooks.jsonl")
    assert [
        (e.line, e.event, e.recipient, e.provider_type, e.smtp_code, e.enhanced_status, e.not_sent_reason)
        for e in events
    ] == [
        (1, "sent", "ada.lovelace@example.com", None, None, None, None),
        (2, "bounce", "ada.lovelace@example.com", "hard", 550, "5.1.1", None),
        (3, "deferred", "alan.turing@example.org", "soft", 452, "4.2.2", None),
        (5, "bounce", "slow@example.org", "soft", None, None, None),
        (6, "not_sent", "old.bounce@example.net", None, None, None, "PREVIOUSLY_BOUNCED"),
        (7, "not_sent", "left.us@example.com", None, None, None, "SUPPRESSED"),
        (8, "delivered", "katherine.johnson@example.com", None, None, None, None),
        (9, "complaint", "annoyed@example.com", None, None, None, None),
    ]


def test_given_up_retries_are_an_expired_soft_bounce():
    events, _ = parse("webhooks.jsonl")
    old = next(e for e in events if e.recipient == "slow@example.org")
    # Mailgun's own code (498) is not an SMTP reply; its description is the diagnostic.
    assert (old.reason, old.bounce_type, old.diagnostic) == ("expired", "soft", "Too old")


def test_email_id_from_user_variables_else_tags_else_campaigns():
    events, _ = parse("webhooks.jsonl")
    assert {e.email_id for e in events} == {"mg-2026-11"}  # line 9 has empty user-variables and a tag
    events, _ = parse("events-page.json")
    assert [(e.recipient, e.email_id) for e in events] == [
        ("page.one@example.com", "mg-2026-12"),  # campaigns
        ("page.two@example.com", "mg-2026-12"),  # tags
    ]


def test_message_id_subject_and_raw():
    events, _ = parse("webhooks.jsonl")
    bounce = events[1]
    assert bounce.message_id == "<20261103090000.5@mg.example.org>"
    assert bounce.email_name == "November newsletter"
    raw = json.loads(bounce.raw)
    assert raw["severity"] == "permanent" and raw["delivery-status"]["mx-host"] == "mx.example.net"
    assert "signature" not in raw and "message" not in raw


def test_rejects():
    _, rejects = parse("webhooks.jsonl")
    assert [r.line for r in rejects] == [4, 10]
    assert "malformed JSON" in rejects[0].error
    assert "not an email address" in rejects[1].error


def test_an_events_page_is_streamed_from_items():
    events, rejects = parse("events-page.json")
    assert rejects == []
    assert [(e.line, e.event) for e in events] == [(1, "bounce"), (2, "delivered")]


def test_cli_import_and_reports(bc):
    result = bc("import", FIXTURES / "webhooks.jsonl")
    assert result.exit_code == 3 and "(mailgun)" in result.stderr
    bounced = {r["recipient"]: r for r in as_json(bc("bounced", "--email-id", "mg-2026-11", "--format", "json"))}
    assert {k: (v["bounce_type"], v["reason"]) for k, v in bounced.items()} == {
        "ada.lovelace@example.com": ("hard", "userunknown"),
        "slow@example.org": ("soft", "expired"),
    }
    status = {r["email"]: r["status"] for r in as_json(bc("contacts", "--format", "json"))}
    assert status["ada.lovelace@example.com"] == "hard_bounced"
    assert status["alan.turing@example.org"] == "eligible"
    not_sent = as_json(bc("not-sent", "--email-id", "mg-2026-11", "--format", "json"))
    assert sorted((r["recipient"], r["not_sent_reason"]) for r in not_sent) == [
        ("left.us@example.com", "SUPPRESSED"),
        ("old.bounce@example.net", "PREVIOUSLY_BOUNCED"),
    ]


def test_cli_importing_the_same_page_twice_changes_nothing(bc):
    assert bc("import", FIXTURES / "events-page.json").exit_code == 0
    before = as_json(bc("contacts", "--format", "json"))
    assert bc("import", FIXTURES / "events-page.json").exit_code == 0
    assert as_json(bc("contacts", "--format", "json")) == before


def test_the_mx_host_that_answered_goes_to_the_classifier():
    # Mailgun's delivery-status names the recipient's MX it reached ("mx-host").
    events, _ = parse("events-page.json")
    assert [(e.event, e.remote_host) for e in events] == [("bounce", "mx.example.net"), ("delivered", None)]
