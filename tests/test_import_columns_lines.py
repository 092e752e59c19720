"""Where the column import cuts its blocks, a record of the input is never cut in two, and every
line keeps the number the row reader gives it: the same store, rejects and line numbers as the
import event by event (BOUNCECTL_IMPORT_COLUMNS=0), on inputs whose count of quotes or line
breaks misleads a quick reading of the bytes.

- A quote in the middle of an unquoted field is a character, not a quote: counting quotes then
  puts a block's end inside a quoted field further on, whose line break is a character too.
- A line may end in a lone CR.
- A field may hold characters that ``str.splitlines`` takes for line breaks (form feed, U+2028).
- The last line may have no line break after it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from test_import_columns import assert_same, both_stores

from bouncectl.sources import csvcolumns

HEADER = b"email_id,recipient,event,timestamp,bounce_type,smtp_code,enhanced_status,diagnostic"


def _rows(count: int, start: int = 0, end: bytes = b"\n") -> bytes:
    return b"".join(
        b"e1,user%d@example.com,%s,2026-03-%02dT10:00:00Z,,,,%s" % (
            index, b"sent" if index % 3 else b"delivered", 1 + index % 28, end)
        for index in range(start, start + count)
    )


def _bounce(index: int, diagnostic: bytes) -> bytes:
    return b"e1,user%d@example.com,bounce,2026-03-05T10:00:00Z,hard,550,5.1.1,%s\n" % (index, diagnostic)


def _same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, block: int) -> dict[str, list[sqlite3.Row]]:
    """The two paths' stores are the same: the events and rejects of the store by columns."""
    monkeypatch.setattr(csvcolumns, "BLOCK", block)
    log = tmp_path / "log.csv"
    log.write_bytes(data)
    by_rows, by_columns = both_stores(tmp_path, monkeypatch, (log,))
    assert_same(by_rows, by_columns)
    conn = sqlite3.connect(tmp_path / "columns.db")
    conn.row_factory = sqlite3.Row
    try:
        return {table: conn.execute(f"SELECT * FROM {table}").fetchall() for table in ("events", "rejects")}
    finally:
        conn.close()


@pytest.mark.parametrize("block", [512, 4096])
def test_a_quote_inside_a_field_does_not_cut_a_quoted_line_break(tmp_path, monkeypatch, block):
    # Line 4 holds a quote in the middle of a field (an odd count of quotes from there on); line
    # 40's diagnostic is quoted and runs over three lines, with commas on them: read whole, it is
    # one bounce, and the lines after it keep their numbers.
    data = b"\n".join([
        HEADER, _rows(2).rstrip(b"\n"),
        _bounce(2, b'550 5.1.1 user"unknown').rstrip(b"\n"),
        _rows(35, 3).rstrip(b"\n"),
        _bounce(38, b'"550 5.1.1 the mailbox\nof user38, at example.com,\nis unknown"'),
    ]) + _rows(60, 39)
    store = _same(tmp_path, monkeypatch, data, block)
    diagnostics = [event["diagnostic"] for event in store["events"] if event["event"] == "bounce"]
    assert any(diagnostic and "is unknown" in diagnostic and "the mailbox" in diagnostic for diagnostic in diagnostics)


@pytest.mark.parametrize("block", [300, 4096])
def test_lines_ending_in_a_lone_cr_with_bad_rows_keep_their_numbers(tmp_path, monkeypatch, block):
    # Rows too wide make the row reader read the block; every line ends in CR alone.
    rows = _rows(80, end=b"\r").split(b"\r")
    rows[10] += b",too,many"
    rows[47] += b",too,many"
    data = HEADER + b"\r" + b"\r".join(rows)
    store = _same(tmp_path, monkeypatch, data, block)
    assert sorted(reject["line"] for reject in store["rejects"]) == [12, 49]


@pytest.mark.parametrize("separator", ["\x0c", "\u2028", "\x1c"])
def test_a_field_holding_a_splitlines_break_keeps_blank_lines_apart(tmp_path, monkeypatch, separator):
    # A field with a form feed (or another character str.splitlines breaks at), then a line of
    # blanks: the row reader leaves the blank line out and takes the row after it.
    data = b"\n".join([
        HEADER, _rows(3).rstrip(b"\n"),
        _bounce(3, f"550 5.1.1 user{separator}unknown".encode()).rstrip(b"\n"),
        b"   ",
        _rows(5, 4).rstrip(b"\n"),
    ]) + b"\n"
    store = _same(tmp_path, monkeypatch, data, 4096)
    assert not store["rejects"]
    assert len(store["events"]) == 9


def test_a_last_line_without_a_line_break_after_a_bad_row_is_read_once(tmp_path, monkeypatch):
    rows = _rows(40).rstrip(b"\n").split(b"\n")
    rows[30] += b",too,many"
    rows[-1] = rows[-1].replace(b"2026-03-", b"2026-13-")  # a bad time on the last line
    data = HEADER + b"\n" + b"\n".join(rows)
    store = _same(tmp_path, monkeypatch, data, 4096)
    assert sorted(reject["line"] for reject in store["rejects"]) == [32, 41]
