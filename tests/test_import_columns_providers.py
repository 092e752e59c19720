"""The JSON provider formats (SES, SendGrid, Mailgun, Postmark) imported by blocks of columns give
the store that the import event by event gives (BOUNCECTL_IMPORT_COLUMNS=0): the same events,
contacts, emails, import counts and rejects, on the benchmark's provider logs, on every fixture of
these formats, and on logs with bad records, repeats, SNS envelopes holding notifications of
several recipients, records not to import, and bounces that name only the message they answer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_import_columns import assert_same, both_stores
from trusthelpers import canonical_dump, invoke

from bouncectl.sources import jsoncolumns
from bouncectl.usecases import importing_columns

ROOT = Path(__file__).resolve().parents[1]
PROVIDERLOGS = ROOT / "benchmarks" / "providerlogs.py"
FIXTURES = ROOT / "tests" / "fixtures"
PROVIDERS = ("ses", "sendgrid", "mailgun", "postmark")


def _provider_log(folder: Path, fmt: str, rows: int, *args: str) -> Path:
    log = folder / f"{fmt}-{rows}{''.join(args)}.jsonl"
    subprocess.run([sys.executable, PROVIDERLOGS, fmt, str(rows), str(log), *args], check=True)
    return log


@pytest.mark.parametrize("fmt", PROVIDERS)
def test_the_benchmark_provider_logs_give_the_same_store(tmp_path, monkeypatch, fmt):
    monkeypatch.setattr(jsoncolumns, "EVENTS_PER_BLOCK", 1500)  # several blocks, contacts in more than one
    log = _provider_log(tmp_path, fmt, 6000)
    other = _provider_log(tmp_path, fmt, 3000, "--seed", "7")
    again = tmp_path / f"again.{log.suffix}"
    again.write_bytes(log.read_bytes() + b"\n")  # another checksum: every record a duplicate
    by_rows, by_columns = both_stores(tmp_path, monkeypatch, (log,), (other,), (again,))
    assert len(by_rows["events"]) > 4000 and by_rows["imports"][2][7] > 2500  # the re-import: duplicates
    assert_same(by_rows, by_columns)


@pytest.mark.parametrize("args", [("--ses-style", "notifications", "--sns"), ("--layout", "array")])
def test_ses_notifications_in_sns_envelopes_and_arrays_give_the_same_store(tmp_path, monkeypatch, args):
    log = _provider_log(tmp_path, "ses", 4000, *args)
    by_rows, by_columns = both_stores(tmp_path, monkeypatch, (log,))
    assert len(by_rows["events"]) > 1000
    assert_same(by_rows, by_columns)


FIXTURE_FILES = sorted(
    [path for fmt in PROVIDERS for path in (FIXTURES / fmt).iterdir()]
    + [path for path in (FIXTURES / "payloads").iterdir() if path.name.startswith((*PROVIDERS, "sns-"))]
)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_fixture_gives_the_same_store(tmp_path, monkeypatch, path):
    """Every record type and wrapper these formats read, and those they skip."""
    outputs = []
    for columns in (False, True):
        monkeypatch.setenv("BOUNCECTL_IMPORT_COLUMNS", "1" if columns else "0")
        db = tmp_path / f"{columns}.db"
        result = invoke(db, "import", str(path))
        outputs.append((result.exit_code, result.output, canonical_dump(db)))
    assert outputs[0] == outputs[1]


def _notification(kind: str, recipients: list, when: str, message_id: str, tags: dict | None = None,
                  **section) -> dict:
    mail = {"timestamp": when, "messageId": message_id, "source": "news@example.org",
            "destination": [r if isinstance(r, str) else r.get("emailAddress", "") for r in recipients],
            "commonHeaders": {"messageId": f"<{message_id}@example.org>", "subject": "Spring sale"}}
    if tags is not None:
        mail["tags"] = tags
    names = {"Bounce": ("bounce", "bouncedRecipients"), "Complaint": ("complaint", "complainedRecipients"),
             "Delivery": ("delivery", "recipients")}
    name, entries = names[kind]
    return {"notificationType": kind, "mail": mail, name: {"timestamp": when, entries: recipients, **section}}


def _sns(record: dict, when: str) -> dict:
    return {"Type": "Notification", "MessageId": "m", "TopicArn": "arn:aws:sns:eu-west-1:1:ses",
            "Message": json.dumps(record), "Timestamp": when}


def _ses_log(path: Path, count: int) -> Path:
    """SES notifications, most in SNS envelopes, several recipients each; with bad records, bad
    recipients, repeats, SNS confirmations, bounces from a host the classifier knows, and
    notifications without an email id (their sends named by Message-ID)."""
    tagged = {"email_id": ["spring"]}
    lines = []
    for n in range(count):
        when = f"2026-03-{1 + n % 27:02d}T{n % 24:02d}:{n % 60:02d}:00.000Z"
        message_id = f"msg-{n % 40}"
        tags = tagged if n % 5 else None  # one in five names no email: its send, by its Message-ID
        bounced = [
            {"emailAddress": f"user{(n * 7 + k) % 300}@example.com", "status": "5.1.1" if k else "4.2.2",
             "diagnosticCode": "smtp; 550 5.1.1 user unknown" if k else "smtp; 452 4.2.2 mailbox full"}
            for k in range(1 + n % 3)
        ]
        if n % 17 == 3:
            bounced.append({"emailAddress": "not an address", "status": "5.1.1"})  # rejected, the others kept
        if n % 4 == 0:
            record = _notification("Delivery", [f"user{(n * 3) % 300}@example.com", f"user{n % 300}@example.net"],
                                   when, message_id, tags)
        elif n % 4 == 1:
            record = _notification("Bounce", bounced, when, message_id, tags, bounceType="Permanent",
                                   bounceSubType="General", remoteMtaIp="142.250.0.1",
                                   reportingMTA="dsn; a1-2.smtp-out.amazonses.com")
        elif n % 4 == 2:
            record = _notification("Bounce", bounced, when, message_id, tags, bounceType="Transient",
                                   bounceSubType="MailboxFull")
        else:
            record = _notification("Complaint", [{"emailAddress": f"user{n % 300}@example.com"}], when, message_id,
                                   tags, complaintFeedbackType="abuse")
        line = json.dumps(_sns(record, when) if n % 3 else record)
        lines.append(line)
        if n % 23 == 5:
            lines.append(line)  # a webhook retry: the same events again
        if n % 31 == 7:
            lines.append('{"notificationType": "Bounce", "mail": ')  # malformed JSON
        if n % 37 == 11:
            lines.append(json.dumps({"Type": "SubscriptionConfirmation", "TopicArn": "arn:aws:sns:eu-west-1:1:ses",
                                     "Message": "You have chosen to subscribe.", "SubscribeURL": "https://example.com"}))
        if n % 41 == 13:
            lines.append(json.dumps({"notificationType": "Bounce", "mail": {"timestamp": when}}))  # no bounce
    path.write_text("\n".join(lines) + "\n")
    return path


def _sends(path: Path) -> Path:
    """The sends of the SES log's messages, as a canonical CSV naming each message's Message-ID."""
    rows = ["email_id,recipient,event,timestamp,message_id"]
    rows += [f"spring,user{n}@example.com,sent,2026-02-28T00:00:00Z,<msg-{n % 40}@example.org>" for n in range(300)]
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.mark.parametrize("block", [7, 50, 10_000])
def test_ses_envelopes_several_recipients_bad_records_and_repeats_give_the_same_store(tmp_path, monkeypatch, block):
    # Small blocks: the same event in two blocks of a load into an empty store (the key index
    # cannot be built after it, and the load is made again with every index kept).
    monkeypatch.setattr(jsoncolumns, "EVENTS_PER_BLOCK", block)
    monkeypatch.setattr(importing_columns, "COLLAPSE_AT", 20)
    monkeypatch.setattr(importing_columns, "SPILL_AT", 60)
    log = _ses_log(tmp_path / "ses.jsonl", 400)
    by_rows, by_columns = both_stores(tmp_path, monkeypatch, (log,))
    assert_same(by_rows, by_columns)
    rejected = [error for _, _, error, _ in by_columns["rejects"]]
    assert any("malformed JSON" in error for error in rejected) and any("emailAddress" in error for error in rejected)
    assert by_columns["imports"][0][7] > 0  # duplicates
    stored = {(event[3], event[4]) for event in by_columns["events"]}  # recipient, event
    assert ("user1@example.com", "bounce") in stored


def test_bounces_naming_only_their_message_take_its_email_the_same_way(tmp_path, monkeypatch):
    """A notification without an email id takes the email of the stored send of its Message-ID."""
    sends = _sends(tmp_path / "sends.csv")
    log = _ses_log(tmp_path / "ses.jsonl", 200)
    by_rows, by_columns = both_stores(tmp_path, monkeypatch, (sends,), (log,))
    assert_same(by_rows, by_columns)
    email_ids = {event[2] for event in by_columns["events"]}
    assert email_ids == {"spring"}  # every untagged one found its send


def test_a_remote_host_and_a_verdict_of_the_source_are_kept(tmp_path, monkeypatch):
    """The classifier reads a provider's codes by the remote host (SES's remoteMtaIp, Mailgun's
    mx-host), and Mailgun's given-up retries come with their own verdict: the same both ways."""
    mailgun = tmp_path / "mailgun.jsonl"
    records = []
    for n in range(40):
        status = {"code": 550 if n % 2 else 421, "message": "5.7.1 [TSS04] Messages from 192.0.2.1 temporarily "
                  "deferred due to unexpected volume or user complaints" if n % 2 else "4.7.0 try again later",
                  "mx-host": "mta7.am0.yahoodns.net" if n % 3 else "mx.example.net"}
        records.append({"signature": {}, "event-data": {
            "event": "failed", "severity": "permanent" if n % 2 else "temporary", "reason": "old" if n % 4 == 2 else "",
            "recipient": f"u{n}@yahoo.com", "timestamp": 1767225600 + n, "delivery-status": status,
            "user-variables": {"email_id": "spring"}}})
    mailgun.write_text("\n".join(json.dumps(record) for record in records) + "\n")
    by_rows, by_columns = both_stores(tmp_path, monkeypatch, (mailgun,))
    assert_same(by_rows, by_columns)
    rules = {event[11] for event in by_columns["events"]}  # the deciding rules
    assert "mailgun reason old: retries given up" in rules


@pytest.mark.parametrize("fmt", PROVIDERS)
def test_strict_refuses_the_same_way(tmp_path, monkeypatch, fmt):
    """Under --strict an input with a bad record is refused whole, its rejects kept, both ways."""
    log = _provider_log(tmp_path, fmt, 800)
    lines = log.read_text().splitlines()
    lines.insert(len(lines) // 2, '{"broken": ')
    log.write_text("\n".join(lines) + "\n")
    outputs = _strict_stores(tmp_path, monkeypatch, log)
    assert outputs[0] == outputs[1]
    code, _, dump = outputs[1]
    assert code != 0 and not dump["events"] and dump["rejects"]


def test_records_not_to_import_are_counted_and_told(tmp_path, monkeypatch):
    """SNS confirmations and inbound-mail notifications are skipped and said so, by the column path too."""
    log = _ses_log(tmp_path / "ses.jsonl", 120)
    outputs = {}
    for columns in (False, True):
        monkeypatch.setenv("BOUNCECTL_IMPORT_COLUMNS", "1" if columns else "0")
        outputs[columns] = invoke(tmp_path / f"{columns}.db", "import", str(log)).output
    assert outputs[True] == outputs[False]
    assert "skipped" in outputs[True] and "SNS subscription confirmation" in outputs[True]


def _strict_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, log: Path) -> list[tuple]:
    outputs = []
    for columns in (False, True):
        monkeypatch.setenv("BOUNCECTL_IMPORT_COLUMNS", "1" if columns else "0")
        db = tmp_path / f"strict-{columns}.db"
        result = invoke(db, "import", str(log), "--strict")
        outputs.append((result.exit_code, result.output, canonical_dump(db)))
    return outputs


def test_strict_with_an_event_repeated_in_two_blocks_keeps_each_reject_once(tmp_path, monkeypatch):
    """Into an empty store, an event repeated in two blocks makes the load start again with every
    index kept; under --strict the rejects kept during the first reading are not kept twice."""
    monkeypatch.setattr(jsoncolumns, "EVENTS_PER_BLOCK", 5)
    events = [{"email": f"u{n}@example.com", "timestamp": 1767225600 + n, "event": "delivered",
               "sg_event_id": f"e{n}", "email_id": "spring"} for n in range(40)]
    lines = [json.dumps(event) for event in events[:30]] + [json.dumps(events[0])]  # a repeat, blocks later
    lines += [json.dumps(event) for event in events[30:]] + ['{"broken": ']
    log = tmp_path / "sendgrid.jsonl"
    log.write_text("\n".join(lines) + "\n")
    by_rows, by_columns = _strict_stores(tmp_path, monkeypatch, log)
    assert by_columns == by_rows
    assert len(by_columns[2]["rejects"]) == 1 and by_columns[2]["imports"][-1][8] == 1


def test_strict_csv_with_an_event_repeated_in_two_blocks_keeps_each_reject_once(tmp_path, monkeypatch):
    from bouncectl.sources import csvcolumns

    monkeypatch.setattr(csvcolumns, "BLOCK", 256)
    rows = [f"spring,u{n}@example.com,delivered,2026-01-01T00:00:{n:02d}Z" for n in range(40)]
    rows = rows[:30] + rows[:1] + rows[30:] + ["spring,not an address,delivered,2026-01-01T00:00:00Z"]
    log = tmp_path / "log.csv"
    log.write_text("email_id,recipient,event,timestamp\n" + "\n".join(rows) + "\n")
    by_rows, by_columns = _strict_stores(tmp_path, monkeypatch, log)
    assert by_columns == by_rows
    assert len(by_columns[2]["rejects"]) == 1 and by_columns[2]["imports"][-1][8] == 1


@pytest.mark.parametrize("empty", [True, False])
def test_a_report_is_matched_to_a_send_of_an_earlier_import_whatever_the_blocks(tmp_path, monkeypatch, empty):
    """By columns, a report naming only its message is matched to the events of earlier imports, so
    what it is filed under does not depend on where the input's blocks begin."""
    sends = _sends(tmp_path / "sends.csv")  # msg-0 to msg-39
    records = []
    for n in range(60):
        when = f"2026-03-01T00:{n:02d}:00.000Z"
        records.append(_notification("Delivery", [f"late{n}@example.com"], when, f"new-{n}", {"email_id": ["summer"]}))
        records.append(_notification("Bounce", [{"emailAddress": f"late{n}@example.com", "status": "5.1.1"}], when,
                                     f"new-{n}", None, bounceType="Permanent"))  # its send: in this file only
        records.append(_notification("Complaint", [{"emailAddress": f"user{n}@example.com"}], when, f"msg-{n % 40}"))
    log = tmp_path / "ses.jsonl"
    log.write_text("\n".join(json.dumps(record) for record in records) + "\n")
    monkeypatch.setenv("BOUNCECTL_IMPORT_COLUMNS", "1")
    dumps = []
    for block in (2, 10_000):
        monkeypatch.setattr(jsoncolumns, "EVENTS_PER_BLOCK", block)
        db = tmp_path / f"{block}.db"
        if not empty:
            invoke(db, "import", str(sends))
        invoke(db, "import", str(log))
        dumps.append(canonical_dump(db)["events"])
    assert dumps[0] == dumps[1]
    filed = {(event[3], event[4]): event[2] for event in dumps[1]}  # (recipient, event): email id
    assert filed[("late5@example.com", "bounce")] is None
    assert filed[("user5@example.com", "complaint")] == (None if empty else "spring")
