"""What every provider importer shares: detection, streaming JSON, bad records, the corpus."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, as_json

from bouncectl import sources as formats
from bouncectl.bounces import reply_code, status_in
from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources import jsonrecords, sendgrid
from bouncectl.sources.source import Source

FIXTURES = ROOT / "tests" / "fixtures"
SISIMAI_JSON = CORPUS / "sisimai" / "extra" / "json"


def parse(fmt, path: Path, **options) -> tuple[list[Event], list[Reject]]:
    records = list(fmt.parse(Source(path), ImportOptions(**options)))
    return [r for r in records if isinstance(r, Event)], [r for r in records if isinstance(r, Reject)]


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("ses/notifications.jsonl", "ses"),
        ("ses/sns-envelope.json", "ses"),
        ("ses/events-array.json", "ses"),
        ("sendgrid/events.jsonl", "sendgrid"),
        ("sendgrid/batch.json", "sendgrid"),
        ("mailgun/webhooks.jsonl", "mailgun"),
        ("mailgun/events-page.json", "mailgun"),
        ("postmark/webhooks.jsonl", "postmark"),
        ("postmark/bounces-page.json", "postmark"),
        ("hubspot/recipients.csv", "hubspot"),
        ("hubspot/unsubscribes-and-bounces.csv", "hubspot"),
        ("postfix/mail.log", "postfix"),
        ("postfix/mail-rfc3339.log", "postfix"),
    ],
)
def test_each_fixture_is_detected_as_its_format(fixture, expected):
    assert formats.detect(Source(FIXTURES / fixture)).name == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # An event column is the canonical CSV, whatever else the header holds.
        ("email_id,recipient,event,timestamp", "csv"),
        ("email_id,recipient,event,timestamp,bounce_reason,sent_at", "csv"),
        ("Recipient,Event,Sent At,Bounce Reason", "csv"),
        ("Recipient,Sent At,Bounce,Bounce Reason,Not Sent Reason", "hubspot"),
        ("Email,Portal Bounce,Portal Unsubscribe,Portal Spam Report,Global Bounce", "hubspot"),
        ("recipient,not_sent_reason", "hubspot"),
    ],
)
def test_csv_headers_go_to_the_right_format(tmp_path, header, expected):
    path = tmp_path / "export.csv"
    path.write_text(header + "\n")
    assert formats.detect(Source(path)).name == expected


def test_the_example_send_log_is_still_the_canonical_csv():
    assert formats.detect(Source(ROOT / "examples" / "send-log.csv")).name == "csv"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ses-notifications.jsonl", "ses"),
        ("sendgrid-events.json", "sendgrid"),
        ("mailgun-events.json", "mailgun"),
        ("postmark-bounces.json", "postmark"),
        ("hubspot-recipients.csv", "hubspot"),
        ("hubspot-unsubscribes-and-bounces.csv", "hubspot"),
        ("postfix-mail.log", "postfix"),
    ],
)
def test_examples_are_detected(name, expected):
    assert formats.detect(Source(ROOT / "examples" / name)).name == expected


def test_a_json_document_of_no_known_provider_is_not_claimed(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('[{"id": 1, "name": "not an email event"}]\n')
    with pytest.raises(Exception, match="cannot tell which format"):
        formats.detect(Source(path))


# --- streaming JSON -----------------------------------------------------------------------------


def _sendgrid_event(index: int) -> dict:
    return {
        "email": f"user{index}@example.com",
        "timestamp": 1793696400 + index,
        "event": "bounce" if index % 2 else "delivered",
        "type": "bounce",
        "status": "5.1.1",
        "reason": "550 5.1.1 user unknown " + "x" * 200,
        "sg_event_id": f"id{index}",
        "category": ["stream-test"],
    }


def test_a_one_line_array_larger_than_the_head_is_streamed(tmp_path):
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([_sendgrid_event(i) for i in range(2000)]))  # ~700 kB on one line
    events, rejects = parse(sendgrid.FORMAT, path)
    assert rejects == []
    assert len(events) == 2000
    assert [e.line for e in events[:3]] == [1, 2, 3]  # element numbers


def test_a_broken_array_stops_with_one_reject_naming_the_element(tmp_path):
    good = ",".join(json.dumps(_sendgrid_event(i)) for i in range(3))
    path = tmp_path / "broken.json"
    path.write_text("[\n" + good + ',\n{"email": "cut@example.com", "timestamp": \n')
    events, rejects = parse(sendgrid.FORMAT, path)
    assert len(events) == 3
    assert len(rejects) == 1
    assert rejects[0].line == 4
    assert "element 4 of the JSON array" in rejects[0].error and "reading stopped" in rejects[0].error


def test_json_lines_keep_going_after_a_bad_line(tmp_path):
    lines = [json.dumps(_sendgrid_event(1)), "{not json", json.dumps([_sendgrid_event(3), _sendgrid_event(5)])]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n")
    events, rejects = parse(sendgrid.FORMAT, path)
    assert [(e.recipient, e.line) for e in events] == [
        ("user1@example.com", 1),
        ("user3@example.com", 3),
        ("user5@example.com", 3),
    ]
    assert [r.line for r in rejects] == [2]


def test_gzip_and_byte_order_mark_are_read(tmp_path):
    path = tmp_path / "events.jsonl.gz"
    text = "\ufeff" + "\n".join(json.dumps(_sendgrid_event(i)) for i in range(5)) + "\n"
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    assert formats.detect(Source(path)).name == "sendgrid"
    events, rejects = parse(sendgrid.FORMAT, path)
    assert (len(events), rejects) == (5, [])


def test_an_overlong_line_is_one_reject_and_is_not_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonrecords, "MAX_LINE", 1000)
    path = tmp_path / "events.jsonl"
    long_event = _sendgrid_event(2) | {"reason": "y" * 5000}
    path.write_text("\n".join(json.dumps(e) for e in (_sendgrid_event(1), long_event, _sendgrid_event(3))) + "\n")
    events, rejects = parse(sendgrid.FORMAT, path)
    assert [e.recipient for e in events] == ["user1@example.com", "user3@example.com"]
    assert [(r.line, r.raw) for r in rejects] == [(2, None)]


def test_a_large_array_is_parsed_in_bounded_memory(tmp_path):
    path = tmp_path / "large.json"
    count = 30_000
    with path.open("w") as handle:  # ~10 MB, pretty-printed
        handle.write("[\n")
        for i in range(count):
            handle.write(("," if i else "") + json.dumps(_sendgrid_event(i), indent=1) + "\n")
        handle.write("]\n")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        seen = sum(1 for r in sendgrid.FORMAT.parse(Source(path), ImportOptions()) if isinstance(r, Event))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seen == count
    assert peak < size / 5, f"peak {peak} bytes for a {size}-byte file"


def test_raw_fields_are_bounded():
    big = {"text": "z" * 10_000, "items": list(range(100)), "nested": {"deep": {"deeper": "ok"}}}
    raw = json.loads(jsonrecords.raw_json(big))
    assert len(raw["text"]) < 1100
    assert len(raw["items"]) == 21 and raw["items"][-1] == "... 80 more"
    assert raw["nested"] == {"deep": {"deeper": "ok"}}


@pytest.mark.parametrize(
    ("text", "code", "status"),
    [
        ("smtp; 550 5.1.1 user unknown", 550, "5.1.1"),
        ("smtp;452 4.2.2 Mailbox full", 452, "4.2.2"),
        ("550-5.7.1 blocked", 550, "5.7.1"),
        ("host mx.example.com[192.0.2.1] refused", None, None),
        ("Mailbox full (quota 5000 messages)", None, None),
        ("", None, None),
    ],
)
def test_reply_codes_are_found_in_diagnostic_text(text, code, status):
    assert (reply_code(text), status_in(text)) == (code, status)


# --- the shared corpus --------------------------------------------------------------------------


@pytest.mark.skipif(not SISIMAI_JSON.is_dir(), reason="shared corpus not present")
def test_the_sisimai_json_samples_import_without_error(bc):
    files = sorted(SISIMAI_JSON.glob("*.json"))
    assert files
    for path in files:
        result = bc("import", path, "--email-id", "corpus")
        assert result.exit_code == 0, (path.name, result.stderr)
        assert ("(ses)" if "amazonses" in path.name else "(sendgrid)") in result.stderr
    assert as_json(bc("rejects", "--format", "json")) == []
    bounced = {row["recipient"]: row for row in as_json(bc("bounced", "--email-id", "corpus", "--format", "json"))}
    assert bounced["bounce@simulator.amazonses.com"]["enhanced_status"] == "5.1.1"
    assert bounced["kijitora@example.co.jp"]["bounce_type"] == "hard"
    assert {"neko@neko", "mailboxfull@example.jp"} <= set(bounced)
