"""Issue 13, item 4: reports of one recipient at one time that disagree (a 452 4.2.2 and a 550 5.1.1)
are two events, whatever the file order; a store keyed the old way is re-keyed by a migration, and
importing again still stores nothing new."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from trusthelpers import assert_clean_exit, invoke, write_log

from bouncectl.store import Store, build_migrations

SOFT = ["nov", "jane@example.com", "bounce", "2026-11-03T09:00:00Z", "soft", "452", "4.2.2", "452 4.2.2 Mailbox full"]
HARD = ["nov", "jane@example.com", "bounce", "2026-11-03T09:00:00Z", "", "550", "5.1.1", "550 5.1.1 User unknown"]


def _facts(db: Path) -> tuple[list, str]:
    conn = sqlite3.connect(db)
    try:
        events = sorted(conn.execute("SELECT smtp_code, enhanced_status, bounce_type FROM events").fetchall())
        (status,) = conn.execute("SELECT status FROM contacts WHERE email = 'jane@example.com'").fetchone()
        return events, status
    finally:
        conn.close()


@pytest.mark.parametrize("rows", [[SOFT, HARD], [HARD, SOFT]], ids=["soft first", "hard first"])
@pytest.mark.parametrize("files", ["one file", "two files"])
def test_disagreeing_reports_are_both_stored_in_either_order(tmp_path: Path, rows: list, files: str) -> None:
    db = tmp_path / "store.db"
    if files == "one file":
        assert_clean_exit(invoke(db, "import", write_log(tmp_path / "a.csv", rows)), (0,))
    else:
        for n, row in enumerate(rows):
            assert_clean_exit(invoke(db, "import", write_log(tmp_path / f"{n}.csv", [row])), (0,))
    events, status = _facts(db)
    assert events == [(452, "4.2.2", "soft"), (550, "5.1.1", "hard")]
    assert status == "hard_bounced"
    # Imported again (the same rows in another file): nothing new.
    again = invoke(db, "import", write_log(tmp_path / "again.csv", [*rows, *rows]))
    assert_clean_exit(again, (0,))
    assert _facts(db)[0] == events


def test_the_same_report_twice_is_still_one_event(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    assert_clean_exit(invoke(db, "import", write_log(tmp_path / "a.csv", [HARD, HARD, list(HARD)])), (0,))
    assert len(_facts(db)[0]) == 1


def _old_key(email_id: str, recipient: str, event: str, timestamp: str) -> int:
    """The key as stores made before the migration held it."""
    text = f"{email_id}\x1f{recipient}\x1f{event}\x1f{timestamp}".encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big", signed=True)


def test_an_older_store_is_re_keyed_so_an_overlapping_export_adds_only_the_new_report(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    conn = sqlite3.connect(db)
    build_migrations(3).apply(sqlite_utils.Database(conn))
    stamp = "2026-11-03T09:00:00.000Z"
    conn.execute(
        "INSERT INTO events (id, key, email_id, recipient, event, timestamp, bounce_type, reason, smtp_code, "
        "enhanced_status, diagnostic, provider_type) VALUES (1, ?, 'nov', 'jane@example.com', 'bounce', ?, 'soft', "
        "'mailboxfull', 452, '4.2.2', '452 4.2.2 Mailbox full', 'soft')",
        (_old_key("nov", "jane@example.com", "bounce", stamp), stamp),
    )
    conn.execute(
        "INSERT INTO contacts (email, domain, bounces, soft_streak, soft_streak_since, soft_streak_last, "
        "first_seen_at, last_event_at) VALUES ('jane@example.com', 'example.com', 1, 1, ?, ?, ?, ?)",
        (stamp, stamp, stamp, stamp),
    )
    conn.commit()
    conn.close()
    Store(db).close()  # migrates
    result = invoke(db, "import", write_log(tmp_path / "export.csv", [SOFT, HARD]))
    assert_clean_exit(result, (0,))
    events, status = _facts(db)
    assert events == [(452, "4.2.2", "soft"), (550, "5.1.1", "hard")]
    assert status == "hard_bounced"
