"""Issue 13, item 8: a CSV header whose columns claim one field. The field's own (canonical) name wins
over an alias beside it (``recipient`` over ``email``, the sender); two columns that are both aliases
of a field, or both its canonical name, are refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from trusthelpers import assert_clean_exit, invoke, write_log


def _contacts(db: Path) -> dict[str, str]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT email, status FROM contacts"))
    finally:
        conn.close()


@pytest.mark.parametrize("order", ["email first", "recipient first"])
def test_recipient_wins_over_the_sender_in_email(tmp_path: Path, order: str) -> None:
    header = ["email_id", "email", "recipient", "event", "timestamp", "bounce_type", "smtp_code", "enhanced_status"]
    row = ["nov", "news@sender.example", "gone@example.com", "bounce", "2026-11-03T09:00:00Z", "hard", "550", "5.1.1"]
    if order == "recipient first":
        header[1], header[2] = header[2], header[1]
        row[1], row[2] = row[2], row[1]
    db = tmp_path / "store.db"
    result = invoke(db, "import", write_log(tmp_path / "log.csv", [row], header=header))
    assert_clean_exit(result, (0,))
    assert _contacts(db) == {"gone@example.com": "hard_bounced"}
    conn = sqlite3.connect(db)
    try:
        (raw,) = conn.execute("SELECT raw FROM events").fetchone()
    finally:
        conn.close()
    assert "news@sender.example" in raw  # the other column is kept, as any extra column is


@pytest.mark.parametrize(
    ("names", "value"),
    [
        (("email", "email_address"), "a@example.com"),
        (("recipient", "Recipient"), "a@example.com"),
        (("to", "rcpt"), "a@example.com"),
        (("time", "date"), "2026-11-03T09:00:00Z"),
    ],
)
def test_two_columns_that_claim_one_field_are_refused(tmp_path: Path, names: tuple[str, ...], value: str) -> None:
    is_time = value[0].isdigit()
    header = ["email_id", "event", "recipient" if is_time else "timestamp", *names]
    row = ["nov", "sent", "a@example.com" if is_time else "2026-11-03T09:00:00Z", *([value] * len(names))]
    db = tmp_path / "store.db"
    result = invoke(db, "import", write_log(tmp_path / "log.csv", [row], header=header))
    assert_clean_exit(result, (1,))
    assert "log.csv:1" in result.stderr and "hint:" in result.stderr, result.stderr
    assert _contacts(db) == {}


def test_a_canonical_name_beside_several_aliases_is_taken(tmp_path: Path) -> None:
    header = ["email_id", "recipient", "event", "time", "timestamp", "date"]
    row = ["nov", "a@example.com", "sent", "2020-01-01T00:00:00Z", "2026-11-03T09:00:00Z", "2021-01-01T00:00:00Z"]
    db = tmp_path / "store.db"
    assert_clean_exit(invoke(db, "import", write_log(tmp_path / "log.csv", [row], header=header)), (0,))
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT timestamp FROM events").fetchone()[0] == "2026-11-03T09:00:00.000Z"
    finally:
        conn.close()
