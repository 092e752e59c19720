"""Complaints and unsubscribes decide eligibility (SPEC rule 2.10), through the CLI.

One record of each source, in the shape its provider documents, makes the contact ``complained``
or ``unsubscribed``; ``filter`` reports them, ``unbounce`` refuses them with ``COMPLAINT`` and only
``resubscribe`` lifts them, audited. A group unsubscribe keeps the address out of that group only.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import as_json, write_log

from bouncectl.ledger.status import STATUS_PRECEDENCE, contact_status, strongest

FIXTURES = Path(__file__).parent / "fixtures"
WHEN = "2026-11-04T08:00:00Z"



def soon(hours: int) -> str:
    """A time after now (after the command just run) and within the day ahead that an import accepts."""
    return (datetime.now(UTC) + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")

def _jsonl(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _sendgrid(path: Path, event: str, email: str, **extra) -> Path:
    return _jsonl(path, {"email": email, "timestamp": 1793779200, "event": event, "sg_event_id": "c2cAAAA",
                         "sg_message_id": "m1.filter0001", "category": "dec", **extra})


def _mailgun(path: Path, event: str, email: str, **extra) -> Path:
    return _jsonl(path, {"event-data": {"id": "mgC1", "event": event, "timestamp": 1793779200.5, "recipient": email,
                                        "tags": ["dec"], "message": {"headers": {"message-id": "c1@mg.example.org"}},
                                        **extra}})


def _ses_complaint(path: Path, email: str) -> Path:
    return _jsonl(path, {
        "notificationType": "Complaint",
        "complaint": {"complainedRecipients": [{"emailAddress": email}], "complaintFeedbackType": "abuse",
                      "timestamp": "2026-11-04T08:00:05.000Z", "feedbackId": "0102-c1"},
        "mail": {"timestamp": "2026-11-03T09:00:01.000Z", "messageId": "0102-m1", "destination": [email],
                 "source": "news@example.org"},
    })


def _ses_subscription(path: Path, email: str, preferences: dict) -> Path:
    return _jsonl(path, {
        "eventType": "Subscription",
        "subscription": {"contactList": "news", "timestamp": "2026-11-04T08:00:05.000Z", "source": "UnsubscribeHeader",
                         "newTopicPreferences": preferences},
        "mail": {"timestamp": "2026-11-03T09:00:01.000Z", "messageId": "0102-m2", "destination": [email],
                 "source": "news@example.org"},
    })


def _postmark(path: Path, email: str, kind: str) -> Path:
    if kind == "complaint":
        return _jsonl(path, {"RecordType": "SpamComplaint", "ID": 42, "Type": "SpamComplaint", "TypeCode": 100001,
                             "MessageID": "pm-1", "Email": email, "BouncedAt": WHEN, "Metadata": {"email_id": "dec"}})
    return _jsonl(path, {"RecordType": "SubscriptionChange", "MessageID": "pm-2", "Recipient": email,
                         "ChangedAt": WHEN, "SuppressSending": True, "SuppressionReason": "ManualSuppression",
                         "Origin": "Recipient", "Metadata": {"email_id": "dec"}})


def _csv(path: Path, event: str, email: str, group: str = "") -> Path:
    return write_log(path, [["dec", email, event, WHEN, group]], ["email_id", "recipient", "event", "timestamp", "group"])


def _hubspot(path: Path, email: str, column: str) -> Path:
    header = ["Email", "Portal Bounce", "Portal Unsubscribe", "Portal Spam Report", "Global Bounce"]
    row = [email, "FALSE", "TRUE" if column == "unsubscribe" else "FALSE", "TRUE" if column == "spam" else "FALSE",
           "FALSE"]
    return write_log(path, [row], header)


def _arf(path: Path, email: str) -> Path:
    text = (FIXTURES / "messages" / "arf-complaint.eml").read_text(encoding="utf-8")
    path.write_text(text.replace("annoyed@example.org", email), encoding="utf-8")
    return path


COMPLAINTS = {
    "arf": lambda p, e: _arf(p.with_suffix(".eml"), e),
    "ses": lambda p, e: _ses_complaint(p.with_suffix(".jsonl"), e),
    "sendgrid": lambda p, e: _sendgrid(p.with_suffix(".jsonl"), "spamreport", e),
    "mailgun": lambda p, e: _mailgun(p.with_suffix(".jsonl"), "complained", e),
    "postmark": lambda p, e: _postmark(p.with_suffix(".jsonl"), e, "complaint"),
    "hubspot": lambda p, e: _hubspot(p.with_suffix(".csv"), e, "spam"),
    "csv": lambda p, e: _csv(p.with_suffix(".csv"), "spamreport", e),
}
UNSUBSCRIBES = {
    "ses": lambda p, e: _ses_subscription(p.with_suffix(".jsonl"), e, {"unsubscribeAll": True}),
    "sendgrid": lambda p, e: _sendgrid(p.with_suffix(".jsonl"), "unsubscribe", e),
    "mailgun": lambda p, e: _mailgun(p.with_suffix(".jsonl"), "unsubscribed", e),
    "postmark": lambda p, e: _postmark(p.with_suffix(".jsonl"), e, "unsubscribe"),
    "hubspot": lambda p, e: _hubspot(p.with_suffix(".csv"), e, "unsubscribe"),
    "csv": lambda p, e: _csv(p.with_suffix(".csv"), "unsubscribe", e),
}


def _status(bc, email: str) -> str:
    return {c["email"]: c["status"] for c in as_json(bc("contacts", "--format", "json"))}[email]


def _filter(bc, tmp_path: Path, *emails: str, group: str | None = None) -> dict[str, str]:
    planned = tmp_path / "planned.txt"
    planned.write_text("".join(e + "\n" for e in emails), encoding="utf-8")
    extra = ["--group", group] if group else []
    result = bc("filter", planned, "--out", tmp_path / "send.txt", "--not-sent", tmp_path / "not-sent.csv", *extra)
    assert result.exit_code == 0, result.stderr
    sendable = (tmp_path / "send.txt").read_text(encoding="utf-8").split()
    rows = list(csv.DictReader(io.StringIO((tmp_path / "not-sent.csv").read_text(encoding="utf-8"))))
    return {**dict.fromkeys(sendable, "sendable"), **{r["email"]: r["not_sent_reason"] for r in rows}}


@pytest.mark.parametrize("source", sorted(COMPLAINTS))
def test_a_complaint_from_each_source_makes_the_contact_complained(bc, tmp_path, source):
    email = f"upset.{source}@example.com"
    path = COMPLAINTS[source](tmp_path / source, email)
    assert bc("import", path).exit_code == 0
    assert _status(bc, email) == "complained"
    assert _filter(bc, tmp_path, email, "fine@example.com") == {email: "COMPLAINED", "fine@example.com": "sendable"}


@pytest.mark.parametrize("source", sorted(UNSUBSCRIBES))
def test_an_unsubscribe_from_each_source_gives_unsubscribed(bc, tmp_path, source):
    email = f"gone.{source}@example.com"
    path = UNSUBSCRIBES[source](tmp_path / source, email)
    assert bc("import", path).exit_code == 0
    assert _status(bc, email) == "unsubscribed"
    assert _filter(bc, tmp_path, email) == {email: "UNSUBSCRIBED"}


def test_not_sent_reports_complained_and_unsubscribed_for_an_email(bc, tmp_path):
    assert bc("import", _csv(tmp_path / "c.csv", "spamreport", "upset@example.com")).exit_code == 0
    assert bc("import", _csv(tmp_path / "u.csv", "unsubscribe", "gone@example.com")).exit_code == 0
    planned = tmp_path / "planned.txt"
    planned.write_text("upset@example.com\ngone@example.com\nfine@example.com\n", encoding="utf-8")
    assert bc("filter", planned, "--out", tmp_path / "send.txt", "--email-id", "jan").exit_code == 0
    rows = as_json(bc("not-sent", "--email-id", "jan", "--format", "json"))
    assert {r["recipient"]: r["not_sent_reason"] for r in rows} == {
        "upset@example.com": "COMPLAINED", "gone@example.com": "UNSUBSCRIBED",
    }


def test_unbounce_refuses_a_complaint_before_not_bounced_and_resubscribe_lifts_it(bc, tmp_path):
    email = "upset@example.com"
    rows = [["nov", email, "bounce", "2026-11-03T09:00:00Z", "", "550", "5.1.1", "550 5.1.1 User unknown"]]
    assert bc("import", write_log(tmp_path / "b.csv", rows)).exit_code == 0
    assert bc("import", _csv(tmp_path / "c.csv", "spamreport", email)).exit_code == 0
    assert bc("domains", "add", "news.example.com").exit_code == 0
    assert bc("users", "add", "alice", "--permission", "email").exit_code == 0
    # Complained and hard-bounced: the complaint decides, and unbounce cannot lift it.
    assert _status(bc, email) == "complained"
    refused = bc("unbounce", email, "--confirm", "--as", "alice")
    assert refused.exit_code == 1
    assert f"{email}: COMPLAINT: " in refused.stderr
    assert "only the recipient's own new consent" in refused.stderr
    assert "bouncectl resubscribe" in refused.stderr
    # An unsubscribed contact that never bounced is refused with COMPLAINT too, not NOT_BOUNCED.
    assert bc("import", _csv(tmp_path / "u.csv", "unsubscribe", "gone@example.com")).exit_code == 0
    assert "gone@example.com: COMPLAINT: " in bc("unbounce", "gone@example.com", "--confirm", "--as", "alice").stderr
    # New consent lifts the complaint, not the bounce under it.
    lifted = bc("resubscribe", email, "--evidence", "signed up again on the web form, 2026-12-01", "--as", "bob",
                "--format", "json")
    assert lifted.exit_code == 0, lifted.stderr
    assert json.loads(lifted.stdout)[0]["status"] == "hard_bounced"
    assert _status(bc, email) == "hard_bounced"
    # The changes of domains and users are audited too; these are the contact's entries.
    audit = [a for a in as_json(bc("audit", "--format", "json")) if a["action"] in ("unbounce", "resubscribe")]
    assert [(a["action"], a["user"], a["contact"], a["outcome"], a["code"]) for a in audit] == [
        ("unbounce", "alice", email, "refused", "COMPLAINT"),
        ("unbounce", "alice", "gone@example.com", "refused", "COMPLAINT"),
        ("resubscribe", "bob", email, "resubscribed", None),
    ]
    assert audit[-1]["detail"] == "evidence: signed up again on the web form, 2026-12-01"
    # Now it is a bounce like any other: unbounce may lift it.
    assert bc("unbounce", email, "--confirm", "--as", "alice").exit_code == 0
    assert _status(bc, email) == "eligible"


def test_a_complaint_after_new_consent_counts_again(bc, tmp_path):
    email = "upset@example.com"
    assert bc("import", _csv(tmp_path / "c.csv", "spamreport", email)).exit_code == 0
    assert bc("resubscribe", email, "--evidence", "double opt-in confirmed").exit_code == 0
    assert _status(bc, email) == "eligible"
    later = write_log(tmp_path / "c2.csv", [["feb", email, "spamreport", soon(1)]],
                      ["email_id", "recipient", "event", "timestamp"])
    assert bc("import", later).exit_code == 0
    assert _status(bc, email) == "complained"


@pytest.mark.parametrize(
    ("evidence", "setup", "code"),
    [
        ("   ", "unsubscribe", "NO_EVIDENCE"),
        ("form", "delivered", "NOT_UNSUBSCRIBED"),
        ("form", None, "NOT_UNSUBSCRIBED"),
        ("form", "third-party", "THIRD_PARTY_LIST"),
    ],
)
def test_resubscribe_refusals_are_audited(bc, tmp_path, evidence, setup, code):
    email = "someone@example.com"
    if setup == "third-party":
        assert bc("import", "--third-party", _csv(tmp_path / "u.csv", "unsubscribe", email)).exit_code == 0
    elif setup:
        assert bc("import", _csv(tmp_path / "u.csv", setup, email)).exit_code == 0
    result = bc("resubscribe", email, "--evidence", evidence)
    assert result.exit_code == 1
    assert f"{email}: {code}: " in result.stderr and "hint: " in result.stderr
    assert "Traceback" not in result.stderr
    audit = [a for a in as_json(bc("audit", "--format", "json")) if a["action"] in ("unbounce", "resubscribe")]
    assert [(a["action"], a["code"]) for a in audit] == [("resubscribe", code)]
    if setup == "third-party":
        assert _status(bc, email) == "unsubscribed"


def test_a_group_unsubscribe_keeps_the_address_out_of_that_group_only(bc, tmp_path):
    # SendGrid's group_unsubscribe names its group in asm_group_id; a Mailgun unsubscribe from a
    # mailing list names the list; SES names a topic; a canonical CSV has a group column.
    assert bc("import", _sendgrid(tmp_path / "sg.jsonl", "group_unsubscribe", "sg@example.com", asm_group_id=42)).exit_code == 0
    mg = _mailgun(tmp_path / "mg.jsonl", "unsubscribed", "mg@example.com", **{"mailing-list": {"address": "news@lists.example.org"}})
    assert bc("import", mg).exit_code == 0
    ses = _ses_subscription(tmp_path / "ses.jsonl", "ses@example.com", {
        "unsubscribeAll": False, "topicSubscriptionStatus": [{"topicName": "offers", "subscriptionStatus": "OptOut"},
                                                             {"topicName": "news", "subscriptionStatus": "OptIn"}]})
    assert bc("import", ses).exit_code == 0
    assert bc("import", _csv(tmp_path / "g.csv", "unsubscribe", "csv@example.com", group="weekly")).exit_code == 0
    everyone = ["sg@example.com", "mg@example.com", "ses@example.com", "csv@example.com"]
    for email in everyone:
        assert _status(bc, email) == "eligible"  # a group unsubscribe is not a global one
    assert _filter(bc, tmp_path, *everyone) == dict.fromkeys(everyone, "sendable")
    for group, email in (("42", "sg@example.com"), ("news@lists.example.org", "mg@example.com"),
                         ("offers", "ses@example.com"), ("weekly", "csv@example.com")):
        expected = {e: "UNSUBSCRIBED" if e == email else "sendable" for e in everyone}
        assert _filter(bc, tmp_path, *everyone, group=group) == expected, group
    assert _filter(bc, tmp_path, "ses@example.com", group="news") == {"ses@example.com": "sendable"}
    # New consent lifts a group unsubscribe too.
    assert bc("resubscribe", "csv@example.com", "--evidence", "ticked weekly again").exit_code == 0
    assert _filter(bc, tmp_path, "csv@example.com", group="weekly") == {"csv@example.com": "sendable"}


def test_a_group_on_another_event_is_a_rejected_row(bc, tmp_path):
    result = bc("import", _csv(tmp_path / "g.csv", "delivered", "x@example.com", group="weekly"))
    assert result.exit_code == 3
    assert "group given for a 'delivered' event" in bc("rejects").stdout


def test_stats_count_complaints_and_unsubscribes_apart_from_bounces(bc, tmp_path):
    rows = [["dec", f"r{i}@example.com", "sent", WHEN] for i in range(10)]
    rows += [["dec", "r1@example.com", "spamreport", WHEN], ["dec", "r2@example.com", "unsubscribe", WHEN],
             ["dec", "r3@example.com", "unsubscribe", WHEN]]
    assert bc("import", write_log(tmp_path / "s.csv", rows, ["email_id", "recipient", "event", "timestamp"])).exit_code == 0
    [row] = as_json(bc("stats", "--email-id", "dec", "--format", "json"))
    assert (row["sends"], row["complaints"], row["unsubscribes"], row["hard_bounces"], row["soft_bounces"]) == (
        10, 1, 2, 0, 0)
    assert row["complaint_rate"] == pytest.approx(0.1) and row["unsubscribe_rate"] == pytest.approx(0.2)
    assert row["bounce_rate"] == 0
    assert "unsub." in bc("stats", "--email-id", "dec").stdout


def test_the_status_precedence_is_consent_first():
    assert STATUS_PRECEDENCE[:2] == ("complained", "unsubscribed")
    assert strongest("hard_bounced", "unsubscribed", "complained") == "complained"
    assert strongest(None, "suppressed") == "suppressed" and strongest() == "eligible"
    base = {"hard_bounced_at": "2026-11-01T00:00:00.000Z", "global_bounced_at": None, "last_delivered_at": None,
            "reactivated_at": None, "soft_streak": 0, "soft_streak_since": None, "soft_streak_last": None}
    assert contact_status(**base) == "hard_bounced"
    assert contact_status(**base, unsubscribed_at="2026-11-02T00:00:00.000Z") == "unsubscribed"
    assert contact_status(**base, unsubscribed_at="2026-11-02T00:00:00.000Z",
                          resubscribed_at="2026-11-03T00:00:00.000Z") == "hard_bounced"
    assert contact_status(**base, kept_status="complained") == "complained"


def test_an_upgraded_store_takes_its_complaints_into_account(tmp_path, db):
    import sqlite3

    import sqlite_utils

    from bouncectl.store import Store
    from bouncectl.store.schema import build_migrations

    conn = sqlite3.connect(db)
    build_migrations(3).apply(sqlite_utils.Database(conn))
    conn.execute("INSERT INTO contacts (email, domain, status) VALUES ('a@example.com', 'example.com', 'eligible')")
    conn.execute("INSERT INTO events (key, recipient, event, timestamp) VALUES (1, 'a@example.com', 'complaint', ?)",
                 ("2026-11-01T00:00:00.000Z",))
    conn.commit()
    conn.close()
    with Store(db) as store:
        assert store.contact("a@example.com")["status"] == "complained"
