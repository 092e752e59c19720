"""Bounce messages: .eml files, mbox files and maildir folders, read into events."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from conftest import as_json

from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources import detect
from bouncectl.sources.messages import FORMAT
from bouncectl.sources.messages import reader as message_format
from bouncectl.sources.source import Source
from bouncectl.timeparse import parse_timestamp
from bouncectl.usecases.explaining import COLUMNS, explain

FIXTURES = Path(__file__).parent / "fixtures" / "messages"


def records(path: Path, options: ImportOptions | None = None) -> list[Event | Reject]:
    source = Source(path)
    try:
        return list(FORMAT.parse(source, options or ImportOptions()))
    finally:
        source.close()


def events(path: Path, options: ImportOptions | None = None) -> list[Event]:
    found = records(path, options)
    assert all(isinstance(item, Event) for item in found), found
    return found  # type: ignore[return-value]


def summary(event: Event) -> tuple:
    return (event.recipient, event.event, event.reason, event.bounce_type, event.smtp_code, event.enhanced_status)


# One fixture per kind of message, and what it must give, in order.
EXPECTED = {
    "postfix-dsn.eml": [
        ("gone@example.com", "bounce", "userunknown", "hard", 550, "5.1.1"),
        ("full@example.org", "bounce", "mailboxfull", "soft", 552, "5.2.2"),
    ],
    "exim-text.eml": [("nobody-here@example.com", "bounce", "userunknown", "hard", 550, None)],
    "qmail-text.eml": [
        ("crowded@example.org", "bounce", "mailboxfull", "soft", 552, "5.2.2"),
        ("blocked-here@example.com", "bounce", "blocked", "soft", 554, "5.7.1"),
    ],
    "delayed-dsn.eml": [("slow@example.org", "deferred", "expired", None, None, "4.4.1")],
    "delivered-dsn.eml": [("happy@example.com", "delivered", None, None, 250, "2.0.0")],
    "arf-complaint.eml": [("annoyed@example.org", "complaint", None, None, None, None)],
    "ses-by-email.eml": [("no-such-user@example.com", "bounce", "userunknown", "hard", 550, "5.1.1")],
    "vacation.eml": [],
    "not-a-bounce.eml": [],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_events(name):
    assert [summary(event) for event in events(FIXTURES / name)] == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_messages_are_detected(name):
    assert detect(Source(FIXTURES / name)) is FORMAT


def test_the_returned_message_names_the_email_and_the_sent_message():
    found = events(FIXTURES / "postfix-dsn.eml", ImportOptions(email_id="fallback-id"))
    assert {event.email_id for event in found} == {"2026-11-newsletter"}
    assert {event.message_id for event in found} == {"<nov-2026-0001@example.net>"}
    assert all(event.line == 1 for event in found)
    assert all(event.rule for event in found)


def test_the_email_id_header_is_configurable_and_the_option_is_the_fallback():
    found = events(FIXTURES / "qmail-text.eml", ImportOptions(email_id="2026-11-newsletter"))
    assert {event.email_id for event in found} == {"2026-11-newsletter"}
    assert {event.message_id for event in found} == {"<nov-2026-0003@example.net>"}
    renamed = events(FIXTURES / "postfix-dsn.eml", ImportOptions(email_id_header="Message-ID"))
    assert {event.email_id for event in renamed} == {"<nov-2026-0001@example.net>"}


def test_the_per_recipient_date_comes_first(tmp_path):
    # The first recipient block has a Last-Attempt-Date; the second falls back to the DSN's Arrival-Date.
    gone, full = events(FIXTURES / "postfix-dsn.eml")
    assert gone.timestamp == parse_timestamp("Tue, 24 Nov 2026 09:15:05 +0000")
    assert full.timestamp == parse_timestamp("Tue, 24 Nov 2026 09:15:02 +0000")
    # A text bounce has only the bounce's Date.
    (exim,) = events(FIXTURES / "exim-text.eml")
    assert exim.timestamp == parse_timestamp("Wed, 25 Nov 2026 10:00:03 +0000")


def test_a_bounce_without_a_recipient_is_rejected_with_its_message_number():
    (reject,) = records(FIXTURES / "no-recipient.eml")
    assert isinstance(reject, Reject)
    assert reject.line == 1
    assert "no failed recipient" in reject.error


def test_an_mbox_numbers_its_messages_and_skips_what_is_not_a_bounce():
    found = events(FIXTURES / "bounces.mbox")
    assert [(event.line, event.recipient, event.reason, event.bounce_type) for event in found] == [
        (1, "left-company@example.com", "userunknown", "hard"),
        (3, "archived@example.org", "suspend", "soft"),
    ]
    assert found[0].email_id == "2026-12-newsletter"


def test_a_gzipped_mbox_reads_the_same(tmp_path):
    packed = tmp_path / "bounces.mbox.gz"
    with open(FIXTURES / "bounces.mbox", "rb") as raw, gzip.open(packed, "wb") as out:
        shutil.copyfileobj(raw, out)
    assert [summary(e) for e in events(packed)] == [summary(e) for e in events(FIXTURES / "bounces.mbox")]
    assert detect(Source(packed)) is FORMAT


def test_a_maildir_folder_reads_each_message_in_name_order():
    folder = FIXTURES / "maildir"
    assert detect(Source(folder)) is FORMAT
    found = events(folder)
    assert [(event.line, event.recipient, event.event) for event in found] == [
        (1, "gone@example.com", "bounce"),
        (1, "full@example.org", "bounce"),
    ]


@pytest.mark.parametrize("content", [b"", b" ", b"22\n", b"\n\n\n"])
def test_empty_and_tiny_files_give_nothing(tmp_path, content):
    path = tmp_path / "tiny"
    path.write_bytes(content)
    assert records(path) == []


def test_sniff_leaves_other_formats_alone(tmp_path):
    csv_file = tmp_path / "log.csv"
    csv_file.write_text("email_id,recipient,event,timestamp\nx,a@example.com,sent,2026-11-24T09:15:02Z\n")
    json_file = tmp_path / "events.json"
    json_file.write_text('[{"event": "bounce", "email": "a@example.com"}]\n')
    assert not FORMAT.sniff(csv_file.read_bytes(), Source(csv_file))
    assert not FORMAT.sniff(json_file.read_bytes(), Source(json_file))
    assert not FORMAT.sniff(b"Nov 24 09:15:02 mx postfix/smtp[1]: 4B7A: to=<a@example.com>, status=sent\n",
                            Source(csv_file))


def test_explain_rows_keep_the_order_and_show_non_bounces():
    rows = list(explain([str(FIXTURES / "qmail-text.eml"), str(FIXTURES / "vacation.eml"),
                         str(FIXTURES / "not-a-bounce.eml"), str(FIXTURES / "delivered-dsn.eml")]))
    assert all(set(COLUMNS) <= set(row) for row in rows)
    assert [(row["recipient"], row["reason"], row["bounce_type"]) for row in rows] == [
        ("crowded@example.org", "mailboxfull", "soft"),
        ("blocked-here@example.com", "blocked", "soft"),
        ("away@example.org", "vacation", None),
        ("happy@example.com", "delivered", None),
    ]
    assert rows[0]["file"].endswith("qmail-text.eml")
    assert rows[0]["rule"] and rows[0]["decoder"] == "qmail"


def test_explain_reads_other_import_formats_too(tmp_path):
    csv_file = tmp_path / "log.csv"
    csv_file.write_text(
        "email_id,recipient,event,timestamp,smtp_code,enhanced_status,diagnostic\n"
        "2026-11,a@example.com,bounce,2026-11-24T09:15:02Z,550,5.1.1,550 5.1.1 User unknown\n"
    )
    (row,) = explain([str(csv_file)])
    assert (row["recipient"], row["reason"], row["bounce_type"], row["line"]) == (
        "a@example.com", "userunknown", "hard", 2)


# --- the command line -------------------------------------------------------------------------


def test_cli_explain_json_csv_and_table(bc):
    result = bc("explain", FIXTURES / "postfix-dsn.eml", FIXTURES / "vacation.eml", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["recipient"], r["reason"], r["bounce_type"], r["enhanced_status"]) for r in rows] == [
        ("gone@example.com", "userunknown", "hard", "5.1.1"),
        ("full@example.org", "mailboxfull", "soft", "5.2.2"),
        ("away@example.org", "vacation", None, None),
    ]
    assert all(row["rule"] for row in rows)
    as_csv = bc("explain", FIXTURES / "exim-text.eml", "--format", "csv")
    header, line = as_csv.stdout.strip().splitlines()
    assert header.split(",") == list(COLUMNS)
    assert "nobody-here@example.com" in line and "userunknown" in line
    table = bc("explain", FIXTURES / "qmail-text.eml")
    assert table.exit_code == 0
    assert "crowded@example.org" in table.stdout and "mailboxfull" in table.stdout


def test_cli_explain_stores_nothing(bc, db):
    assert bc("explain", FIXTURES / "postfix-dsn.eml").exit_code == 0
    assert not db.exists()


def test_cli_explain_of_a_missing_file_is_one_error_line(bc):
    result = bc("explain", "no-such.eml")
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_cli_import_of_the_fixtures(bc):
    for name in ("postfix-dsn.eml", "exim-text.eml", "arf-complaint.eml", "vacation.eml", "not-a-bounce.eml",
                 "delayed-dsn.eml", "bounces.mbox"):
        result = bc("import", FIXTURES / name)
        assert result.exit_code == 0, (name, result.stderr)
    bounced = as_json(bc("bounced", "--email-id", "2026-11-newsletter", "--format", "json"))
    assert sorted((row["recipient"], row["bounce_type"], row["reason"]) for row in bounced) == [
        ("full@example.org", "soft", "mailboxfull"),
        ("gone@example.com", "hard", "userunknown"),
        ("nobody-here@example.com", "hard", "userunknown"),
    ]
    contacts = {row["email"]: row for row in as_json(bc("contacts", "--format", "json"))}
    assert contacts["gone@example.com"]["status"] == "hard_bounced"
    assert contacts["left-company@example.com"]["status"] == "hard_bounced"
    assert contacts["full@example.org"]["status"] == "eligible"
    assert "away@example.org" not in contacts  # a vacation reply is never a bounce
    assert contacts["archived@example.org"]["hard_bounce_reason"] is None


def test_cli_import_of_a_bounce_that_names_no_recipient_keeps_it_as_rejected(bc):
    result = bc("import", FIXTURES / "no-recipient.eml")
    assert result.exit_code == 3
    (reject,) = as_json(bc("rejects", "--format", "json"))
    assert reject["line"] == 1
    assert "no failed recipient" in reject["error"]


def test_cli_import_of_a_maildir_and_twice_changes_nothing(bc):
    assert bc("import", FIXTURES / "maildir").exit_code == 0
    first = as_json(bc("contacts", "--format", "json"))
    assert bc("import", FIXTURES / "maildir").exit_code == 0
    assert as_json(bc("contacts", "--format", "json")) == first
    assert {row["email"] for row in first} == {"gone@example.com", "full@example.org"}


def test_cli_a_bounce_finds_its_email_by_the_returned_message_id(bc, tmp_path):
    # The send, as Amazon SES reported it; the bounce (qmail) returns the sent message's headers only.
    send = {"eventType": "Send", "send": {}, "mail": {
        "timestamp": "2026-11-26T08:29:58.000Z", "source": "news@example.net", "messageId": "0100019a-send-0003",
        "destination": ["crowded@example.org", "blocked-here@example.com"],
        "commonHeaders": {"messageId": "<nov-2026-0003@example.net>", "subject": "November news"},
        "tags": {"email_id": ["2026-11-newsletter"]}}}
    sends = tmp_path / "ses-send.json"
    sends.write_text(json.dumps(send) + "\n")
    assert bc("import", sends).exit_code == 0
    assert bc("import", FIXTURES / "qmail-text.eml").exit_code == 0
    bounced = as_json(bc("bounced", "--email-id", "2026-11-newsletter", "--format", "json"))
    assert sorted((row["recipient"], row["reason"]) for row in bounced) == [
        ("blocked-here@example.com", "blocked"), ("crowded@example.org", "mailboxfull")]


def test_malformed_headers_and_charsets_do_not_stop_an_mbox(tmp_path, caplog):
    broken = (
        b"From MAILER-DAEMON Tue Dec  1 08:00:00 2026\n"
        b"Subject: =?utf-8?B?abcde?= Undelivered =?iso-\xff022-jp?B?abcd?=\n"
        b"Content-Type: text/plain; charset=\"iso-\xff022-jp\"\n\n"
        b"Delivery to the following recipient failed: broken@example.com 550 5.1.1 User unknown\n\n"
    )
    path = tmp_path / "mixed.mbox"
    path.write_bytes(broken + (FIXTURES / "bounces.mbox").read_bytes())
    found = events(path)
    assert [(item.line, item.recipient) for item in found] == [
        (1, "broken@example.com"), (2, "left-company@example.com"), (4, "archived@example.org")]
    assert not [record for record in caplog.records if record.name.startswith("flufl")]


def test_a_message_too_large_is_rejected_unread(monkeypatch):
    monkeypatch.setattr(message_format, "MAX_MESSAGE_BYTES", 1000)
    found = records(FIXTURES / "bounces.mbox")
    assert isinstance(found[0], Reject) and found[0].line == 1 and "larger than" in found[0].error
    assert [(item.line, item.recipient) for item in found[1:]] == [(3, "archived@example.org")]
    (single,) = records(FIXTURES / "postfix-dsn.eml")
    assert isinstance(single, Reject) and single.line == 1
