"""JSON lines are decoded from their bytes when they are UTF-8 JSON, addresses and times read once
per distinct value: what is read is what the text decoded line by line reads, and a refused value
is refused each time it comes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bouncectl.sources import jsonrecords as jr
from bouncectl.sources.source import Source, decode

LINES = [
    b'{"a": "plain", "n": 12345678901234567890123}',
    b'{"a": "caf\xc3\xa9"}',
    b'{"a": "caf\xe9"}',  # not UTF-8: read as Latin-1, as before
    b'\xef\xbb\xbf{"a": "a byte-order mark on a later line"}',
    b'{"a": "\\ud800 a lone surrogate"}',
    b'{"a": NaN}',
    b'{"a": 1}\xe2\x80\xa8',  # a Unicode line separator after the value
    b"   ",
    b'{"a": [1, 2.5, true, null, {"b": "\\u00e9"}]}  ',
    b'[{"a": 1}, {"a": 2}]',
    b'{"a": "broken"',
]


def test_lines_read_from_their_bytes_read_as_their_text(tmp_path: Path):
    path = tmp_path / "lines.jsonl"
    path.write_bytes(b"\n".join(LINES) + b"\n")
    got = []
    for record in jr.read_records(Source(str(path))):
        got.append((record.line, record.data) if isinstance(record, jr.Record) else (record.line, record.error))
    expected = []
    for number, line in enumerate(LINES, 1):
        text = decode(line).strip()
        if not text:
            continue
        try:
            value = json.loads(text)
        except ValueError as exc:
            expected.append((number, f"malformed JSON: {exc}"))
            continue
        expected.extend((number, item) for item in (value if isinstance(value, list) else [value]))
    assert repr(got) == repr(expected)  # repr: NaN is not equal to itself


def test_a_time_is_read_by_its_type_and_value():
    assert jr.timestamp(1767225600) == jr.timestamp("1767225600") == "2026-01-01T00:00:00.000Z"
    assert jr.timestamp(1767225600.5) == "2026-01-01T00:00:00.500Z"
    assert jr.timestamp(1767225600) == "2026-01-01T00:00:00.000Z"  # not the float's, read just before
    for _ in range(2):
        with pytest.raises(jr.RecordError, match="created: not a timestamp"):
            jr.timestamp("yesterday", "created")
    with pytest.raises(jr.RecordError, match="not a timestamp"):
        jr.timestamp(True)


def test_an_address_is_refused_each_time_it_comes():
    assert jr.address("Ada <ADA@Example.com>") == jr.address("ada@example.com") == "ada@example.com"
    for _ in range(2):
        with pytest.raises(jr.RecordError, match="email 'not an address' is not an email address"):
            jr.address("not an address", "email")
    for value in ("", "   ", None, 42):
        with pytest.raises(jr.RecordError, match="no recipient"):
            jr.address(value)


def test_raw_fields_leave_out_the_empty_values_only():
    fields = {"a": None, "b": "", "c": [], "d": {}, "e": 0, "f": 0.0, "g": False, "h": "x", "i": [0], "j": {"k": ""}}
    assert json.loads(jr.raw_json(fields) or "{}") == {"e": 0, "f": 0.0, "g": False, "h": "x", "i": [0],
                                                       "j": {"k": ""}}
