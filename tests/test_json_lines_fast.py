"""JSON lines are decoded from their bytes when they are UTF-8 JSON, addresses and times read once
per distinct value: what is read is what the text decoded line by line reads, and a refused value
is refused each time it comes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bouncectl import timeparse
from bouncectl.sources import jsonrecords as jr
from bouncectl.sources.source import Source, decode
from bouncectl.timeparse import parse_timestamp

LINES = [
    b'{"a": "plain", "n": 12345678901234567890123}',
    b'{"a": "caf\xc3\xa9"}',
    b'{"a": "caf\xe9"}',  # not UTF-8: read as Latin-1, as before
    b'\xef\xbb\xbf{"a": "a byte-order mark on a later line"}',
    b'{"a": "\\ud83d\\ude00 a surrogate pair"}',
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


def _read_by_the_parser(value, what: str = "timestamp"):
    """What parse_timestamp makes of ``value``: its text, or the error the record is refused with."""
    try:
        return parse_timestamp(value)
    except ValueError as exc:
        return f"refused: {what}: {exc}"


def _read(value, what: str = "timestamp"):
    try:
        return jr.timestamp(value, what)
    except jr.RecordError as exc:
        return f"refused: {exc}"


# Times in the store's form and near it: each character of the template may be replaced.
_STORE_FORM = "2026-01-05T09:00:02.987Z"
_NEAR = st.sampled_from(list("0123456789.:-TZz +") + ["٣", "\u00a0", "", "00", "9999", "1e3", "654321", "987654321"])


@given(st.lists(st.tuples(st.integers(0, len(_STORE_FORM) - 1), _NEAR), max_size=4), st.sampled_from(["", "0", "000000", "Z"]))
@settings(max_examples=3000, deadline=None, database=None)
def test_a_time_in_the_store_form_reads_as_the_parser_reads_it(edits, tail):
    """Read once per second: the same time or the same refusal as parse_timestamp, whatever the text."""
    value = list(_STORE_FORM)
    for index, replacement in edits:
        value[index] = replacement
    text = "".join(value)
    text = text[:-1] + tail + text[-1:] if tail != "Z" else text + tail
    assert _read(text) == _read_by_the_parser(text)
    assert _read(text) == _read_by_the_parser(text)  # read again: from what was kept of the first


@pytest.mark.parametrize("value", [
    "1989-12-31T23:59:59.999Z", "1990-01-01T00:00:00.000Z", "1990-01-01T00:00:00.0000001Z", "2026-02-29T00:00:00.000Z",
    "2028-02-29T00:00:00.000Z", "2026-01-05T24:00:00.000Z", "2026-01-05T09:00:60.000Z", "2026-01-05T09:00:02.98765Z",
    "9999-12-31T23:59:59.999Z", "0000-01-01T00:00:00.000Z", " 2026-01-05T09:00:02.987Z", "2026-01-05T09:00:02.987z",
])
def test_a_time_near_the_edges_reads_as_the_parser_reads_it(value):
    assert _read(value, "bounce.timestamp") == _read_by_the_parser(value, "bounce.timestamp")


def test_a_time_in_the_second_of_the_latest_possible_is_read_by_the_parser(monkeypatch):
    """In the second that holds the latest time accepted, the times before it are read, the later refused."""
    latest = datetime(2026, 1, 5, 9, 0, 2, 500000, tzinfo=UTC)
    monkeypatch.setattr(timeparse, "latest_plausible", lambda now=None: latest)
    jr._possible_second.cache_clear()  # what was read before was read against the clock
    try:
        for value in ("2026-01-05T09:00:02.000Z", "2026-01-05T09:00:02.987Z", "2026-01-05T09:00:02.500Z",
                      "2026-01-05T09:00:02.5000001Z", "2026-01-05T09:00:01.999Z"):
            assert _read(value) == _read_by_the_parser(value)
        assert _read("2026-01-05T09:00:02.400Z") == "2026-01-05T09:00:02.400Z"
        assert _read("2026-01-05T09:00:02.987Z").endswith("is in the future)")
    finally:
        jr._possible_second.cache_clear()
