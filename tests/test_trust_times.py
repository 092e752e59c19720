"""Issue 13, item 5: impossible times are refused (the row, with its file and line), every stored
time is zero-padded UTC, and a store that already holds a bad time does not crash later commands."""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from trusthelpers import assert_clean_exit, assert_no_traceback, invoke, run_bouncectl, write_log

from bouncectl.timeparse import parse_timestamp

CANONICAL = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
TOMORROW_AND_MORE = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
IMPOSSIBLE = [
    "2026-13-45T99:99:99Z",
    "2026-13-45T99:99:99.000Z",
    "0001-01-01T00:00:00+01:00",
    "-50000000000",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59.000Z",
    "0999-06-01T00:00:00Z",
    "999-06-01T00:00:00Z",
    "1989-12-31T23:59:59Z",
    "0",
    TOMORROW_AND_MORE,
]


@pytest.mark.parametrize("text", IMPOSSIBLE)
def test_an_impossible_time_is_refused_by_the_parser(text: str) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(text)


def test_a_time_within_a_day_ahead_of_the_clock_is_kept() -> None:
    soon = datetime.now(UTC) + timedelta(hours=20)
    assert parse_timestamp(soon.isoformat()).startswith(soon.strftime("%Y-%m-%dT%H:%M"))


def _column(db: Path, sql: str) -> list:
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute(sql)]
    finally:
        conn.close()


def test_rows_with_impossible_times_are_rejected_with_their_lines(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    rows = [["nov", "kept@example.com", "bounce", "2026-11-03T09:00:00Z", "hard", "550", "5.1.1", "User unknown"]]
    rows += [["nov", f"r{n}@example.com", "bounce", text, "hard", "550", "5.1.1", "User unknown"]
             for n, text in enumerate(IMPOSSIBLE)]
    result = invoke(db, "import", write_log(tmp_path / "times.csv", rows))
    assert_clean_exit(result, (3,))
    assert _column(db, "SELECT recipient FROM events") == ["kept@example.com"]
    assert sorted(_column(db, "SELECT line FROM rejects")) == list(range(3, 3 + len(IMPOSSIBLE)))
    listed = invoke(db, "rejects", "--format", "json")
    assert "times.csv" in listed.stdout


def test_a_json_record_with_a_negative_unix_time_is_rejected(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    batch = tmp_path / "sendgrid.json"
    batch.write_text(
        '[{"email": "old@example.com", "event": "bounce", "timestamp": -50000000000, "sg_event_id": "a1",'
        ' "sg_message_id": "m1", "type": "bounce", "status": "5.1.1", "reason": "550 5.1.1 User unknown"},'
        ' {"email": "new@example.com", "event": "bounce", "timestamp": 1764000000, "sg_event_id": "a2",'
        ' "sg_message_id": "m2", "type": "bounce", "status": "5.1.1", "reason": "550 5.1.1 User unknown"}]'
    )
    result = invoke(db, "import", batch, "--email-id", "nov")
    assert_clean_exit(result, (3,))
    assert _column(db, "SELECT recipient FROM events") == ["new@example.com"]


def test_every_stored_time_is_canonical(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    rows = [["nov", "a@example.com", "bounce", stamp, "hard", "550", "5.1.1", "x"]
            for stamp in ("1990-01-01T00:00:00Z", "2026-11-03T09:00:00+14:00", "1764000000", "Tue, 3 Nov 2026 09:00:00 -1200")]
    invoke(db, "import", write_log(tmp_path / "ok.csv", rows))
    stamps = _column(db, "SELECT timestamp FROM events")
    stamps += _column(db, "SELECT hard_bounced_at FROM contacts")
    assert stamps and all(CANONICAL.fullmatch(s) for s in stamps), stamps


def test_a_postfix_log_with_a_file_time_in_2099_is_dated_no_later_than_the_clock(tmp_path: Path) -> None:
    log = tmp_path / "mail.log"
    log.write_text(
        "Nov  3 09:00:01 mx1 postfix/smtp[2103]: 4QkT1x0abcz1: to=<ada@example.com>, relay=mx.example.com"
        "[192.0.2.10]:25, delay=1.2, delays=0.1/0.01/0.5/0.6, dsn=5.1.1, status=bounced (host mx.example.com"
        "[192.0.2.10] said: 550 5.1.1 <ada@example.com>: User unknown (in reply to RCPT TO command))\n"
    )
    future = datetime(2099, 6, 1, tzinfo=UTC).timestamp()
    os.utime(log, (future, future))
    db = tmp_path / "store.db"
    result = invoke(db, "import", log, "--email-id", "nov")
    assert_clean_exit(result, (0, 3))
    stamps = _column(db, "SELECT timestamp FROM events")
    assert stamps, result.stderr
    now = datetime.now(UTC)
    assert all(s[:4] in (str(now.year), str(now.year - 1)) for s in stamps), stamps


def test_bad_times_already_in_a_store_do_not_crash_imports_or_config(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    soft = ["nov", "tired@example.com", "bounce", "2026-11-01T10:00:00Z", "soft", "452", "4.2.2", "Mailbox full"]
    assert invoke(db, "import", write_log(tmp_path / "one.csv", [soft])).exit_code == 0
    # As an earlier version could store them.
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "UPDATE contacts SET soft_streak = 4, soft_streak_since = '2026-13-45T99:99:99Z', "
            "soft_streak_last = '999-01-01T00:00:00.000Z', last_event_at = '9999-12-31T00:00:00.000Z'"
        )
        conn.execute("UPDATE events SET timestamp = '2026-13-45T99:99:99Z'")
    conn.close()
    later = [["dec", "tired@example.com", "bounce", "2026-11-20T10:00:00Z", "soft", "452", "4.2.2", "Mailbox full"]]
    for args in (
        ["import", write_log(tmp_path / "two.csv", later)],
        ["config", "soft_bounce_limit", "2"],
        ["config"],
        ["contacts"],
        ["unbounce", "tired@example.com", "--confirm", "--as", "ops"],
    ):
        result = run_bouncectl(db, *map(str, args))
        assert_no_traceback(result.stderr)
        assert result.returncode in (0, 1, 3), (args, result.stderr)
