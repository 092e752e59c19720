"""Provider JSON read by orjson: the same values as the standard library, and batch-a-line files
whose lines are longer than the head read as lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import parse_fixture

from bouncectl.sources import jsonrecords, sendgrid


def sendgrid_event(n: int, event: str = "delivered") -> dict:
    return {
        "email": f"reader{n:05d}@example.com", "timestamp": 1767603600 + n, "event": event,
        "sg_event_id": f"evt-{n:05d}", "sg_message_id": f"msg-{n:05d}.filter", "email_id": "2026-12-digest",
    }


def write_batches(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_batch_a_line_longer_than_the_head_is_read_line_by_line(tmp_path: Path) -> None:
    # Each POST of about 150 kB on one line, more than the 64 kB the format is detected from.
    first = json.dumps([sendgrid_event(n) for n in range(1000)])
    assert len(first) > 2 * 64 * 1024
    last = json.dumps([sendgrid_event(n) for n in range(1000, 2000)])
    log = write_batches(tmp_path / "posts.json", first, '[{"email": "broken@example.com", "event": ', last)
    events, rejects = parse_fixture(sendgrid.FORMAT, log)
    # The broken POST is one reject, with its line; the POST after it is read all the same.
    assert [(r.line, r.error.split(":")[0]) for r in rejects] == [(2, "malformed JSON")]
    assert len(events) == 2000
    assert {e.line for e in events} == {1, 3}
    assert events[-1].recipient == "reader01999@example.com"


def test_one_long_one_line_array_is_still_streamed(tmp_path: Path) -> None:
    # One array over one line with no newline at its end, broken near the end: streamed, so
    # the elements before the break are kept and the reject says where reading stopped.
    whole = json.dumps([sendgrid_event(n) for n in range(1000)])
    (tmp_path / "one.json").write_text(whole[:-30], encoding="utf-8")
    events, rejects = parse_fixture(sendgrid.FORMAT, tmp_path / "one.json")
    assert len(events) == 999
    assert len(rejects) == 1 and "reading stopped here" in rejects[0].error


@pytest.mark.parametrize(
    "text",
    ['{"big": 123456789012345678901234567890}', '{"x": NaN, "y": -Infinity}', '[1.5, "é", {"a": null}]',
     '{"a": 1, "a": 2}', '"\\ud83d\\ude00 a surrogate pair"'],
    ids=["integer beyond 64 bits", "NaN", "plain", "repeated key", "surrogate pair"],
)
def test_loads_reads_what_the_standard_decoder_reads(text: str) -> None:
    expected = json.loads(text)
    found = jsonrecords.loads(text)
    assert json.dumps(found) == json.dumps(expected)


def test_a_lone_surrogate_is_read_as_the_replacement_character_keys_too() -> None:
    # The standard decoder keeps "\\ud800" as a lone surrogate, which no text column can
    # store; a pair still reads as its one character.
    found = jsonrecords.loads('{"\\udc00k": ["\\ud800", "\\ud83d\\ude00\\ud83d"]}')
    assert found == {"\ufffdk": ["\ufffd", "\U0001f600\ufffd"]}


@pytest.mark.parametrize("text", ['{"a": 1,', "[" * 5000 + "]" * 5000], ids=["truncated", "too deep"])
def test_loads_fails_as_the_standard_decoder_fails(text: str) -> None:
    with pytest.raises((ValueError, RecursionError)) as standard:
        json.loads(text)
    with pytest.raises(standard.type) as ours:
        jsonrecords.loads(text)
    assert str(ours.value) == str(standard.value)


def test_raw_text_is_compact_sorted_json_that_keeps_every_value() -> None:
    raw = jsonrecords.raw_json({"zeta": "é", "alpha": {"b": 1.5, "a": [1, 2]}, "huge": 2**70, "empty": ""})
    assert raw is not None
    assert raw == '{"alpha":{"a":[1,2],"b":1.5},"huge":1180591620717411303424,"zeta":"é"}'
    assert json.loads(raw)["huge"] == 2**70


def test_a_json_array_with_bytes_that_are_not_utf8_is_a_reject_not_a_crash(bc, tmp_path: Path) -> None:
    # JSON is UTF-8 text (RFC 8259 section 8.1): an element that is not stops the reading there, as
    # malformed JSON does, and what came before it is imported.
    batch = tmp_path / "batch.json"
    batch.write_bytes(
        b'[{"email": "a@example.com", "event": "delivered", "timestamp": 1764000000, "sg_event_id": "x1"},\n'
        b'{"email": "\xc0\x80b@example.com", "event": "bounce", "timestamp": 1764000000, "sg_event_id": "x2"}]\n'
    )
    result = bc("import", "--format", "sendgrid", batch)
    assert result.exit_code == 3, result.stderr
    assert "Traceback" not in result.stderr
    [reject] = json.loads(bc("rejects", "--format", "json").stdout)
    assert reject["line"] == 2 and "not UTF-8 text" in reject["error"]
    assert [c["email"] for c in json.loads(bc("contacts", "--format", "json").stdout)] == ["a@example.com"]
