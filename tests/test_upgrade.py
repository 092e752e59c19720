"""Upgrades: a store made by the first schema version opens, migrates, and keeps every row.

The old store is built here with the first migration only (sqlite-utils
``Migrations.apply(db, stop_before=<the second>)``) and filled the way that
version filled it; then the current code opens it. As migrations are added the
gap between the two grows, and this test keeps covering it.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
import sqlite_utils
from trusthelpers import bouncectl_command, invoke, subprocess_env, write_log

from bouncectl.errors import StoreError
from bouncectl.ledger.rows import event_key
from bouncectl.store import MIGRATIONS, Store, build_migrations

FIRST = MIGRATIONS[0].__name__
T0 = "2026-10-01T08:00:00.000Z"


def _old_store(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """A store at the first schema version, with data in every table; returns that data by table."""
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    later = [m.__name__ for m in MIGRATIONS[1:]]
    build_migrations().apply(db, stop_before=later[0] if later else None)
    assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")] == [FIRST]

    events = [
        ("e-old", "gone@example.com", "sent", "2026-10-01T07:00:00.000Z", None, None, None, None, None),
        ("e-old", "gone@example.com", "bounce", T0, "hard", "userunknown", 550, "5.1.1", "550 5.1.1 user unknown"),
        ("e-old", "full@example.net", "bounce", T0, "soft", "mailboxfull", 452, "4.2.2", "452 4.2.2 mailbox full"),
        ("e-old", "back@example.org", "bounce", T0, "hard", "userunknown", 550, "5.1.1", "no such user"),
        ("e-old", "fine@example.org", "delivered", T0, None, None, None, None, None),
    ]
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO imports (id, source, checksum, format, options, started_at, finished_at, status, rows_read, "
        "events_stored, duplicates, rejected, newly_hard_bounced) "
        "VALUES (1, 'old.csv', 'abc', 'csv', '{}', ?, ?, 'complete', 6, 5, 0, 1, 2)",
        (T0, T0),
    )
    for n, (email_id, recipient, event, stamp, kind, reason, code, status, text) in enumerate(events, start=1):
        conn.execute(
            "INSERT INTO events (id, key, email_id, recipient, event, timestamp, bounce_type, reason, smtp_code, "
            "enhanced_status, diagnostic, rule, provider_type, is_global, not_sent_reason, message_id, import_id, raw) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, NULL, NULL, 1, NULL)",
            (n, event_key(email_id, recipient, event, stamp), email_id, recipient, event, stamp, kind, reason, code,
             status, text, f"status {status}" if status else None),
        )
    contacts = [
        ("gone@example.com", "example.com", "hard_bounced", "userunknown", T0, 2, None, None, 1, 0, None, None, 0, None),
        ("full@example.net", "example.net", "eligible", None, None, None, None, None, 1, 1, T0, T0, 0, None),
        ("back@example.org", "example.org", "eligible", "userunknown", T0, 4, None, None, 1, 0, None, None, 0,
         "2026-10-02T09:00:00.000Z"),
        ("fine@example.org", "example.org", "eligible", None, None, None, None, T0, 0, 0, None, None, 0, None),
    ]
    for row in contacts:
        conn.execute(
            "INSERT INTO contacts (email, domain, status, hard_bounce_reason, hard_bounced_at, hard_bounce_event_id, "
            "global_bounced_at, last_delivered_at, bounces, soft_streak, soft_streak_since, soft_streak_last, "
            "third_party, reactivated_at, first_seen_at, last_event_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*row, T0, T0),
        )
    conn.execute("INSERT INTO emails (email_id, name, first_event_at, last_event_at) VALUES ('e-old', 'October', ?, ?)",
                 ("2026-10-01T07:00:00.000Z", T0))
    conn.execute("INSERT INTO rejects (import_id, file, line, error, raw) VALUES (1, 'old.csv', 7, 'unknown event', 'x')")
    conn.execute("INSERT INTO reactivations (contact, user, at, month, bounce_event_id, reason) "
                 "VALUES ('back@example.org', 'alice', '2026-10-02T09:00:00.000Z', '2026-10', 4, 'userunknown')")
    conn.execute("INSERT INTO audit (at, user, action, contact, bounce_event_id, outcome, code, detail) VALUES "
                 "('2026-10-02T09:00:00.000Z', 'alice', 'unbounce', 'back@example.org', 4, 'reactivated', NULL, 'ok')")
    conn.execute("INSERT INTO domains (domain, added_at) VALUES ('news.example.com', ?)", (T0,))
    conn.execute("INSERT INTO users (name, permissions, added_at) VALUES ('alice', 'email', ?)", (T0,))
    conn.execute("INSERT INTO settings (key, value) VALUES ('soft_bounce_limit', '4')")
    conn.execute("INSERT INTO lists (name, filters, created_at) VALUES ('dead', ?, ?)",
                 (json.dumps({"status": "hard_bounced"}), T0))
    conn.execute("COMMIT")
    data = _data(conn)
    conn.close()
    return data


def _data(conn: sqlite3.Connection, columns: dict[str, list[str]] | None = None) -> dict:
    """Every row of every bouncectl table (only ``columns`` of each, when given)."""
    tables = [n for (n,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '_sqlite_migrations'"
    )]
    data = {}
    for table in tables:
        if columns is not None and table not in columns:
            continue  # a table a later migration made: the old store had no rows in it
        names = columns[table] if columns else [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
        rows = conn.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY 1").fetchall()
        data[table] = (names, rows)
    return data


def _keys_apart(data: dict) -> tuple[dict, list[int]]:
    """The data with the events' keys left out (m004 re-keys bounces), and those keys."""
    names, rows = data["events"]
    at = names.index("key")
    kept = dict(data)
    kept["events"] = ([n for n in names if n != "key"], [row[:at] + row[at + 1 :] for row in rows])
    return kept, [row[at] for row in rows]


def _current_keys(conn: sqlite3.Connection) -> list[int]:
    """Each stored event's key as this version computes it."""
    rows = conn.execute(
        "SELECT email_id, recipient, event, timestamp, smtp_code, enhanced_status, provider_type FROM events ORDER BY id"
    ).fetchall()
    return [event_key(e, r, ev, t, True, c, s, p) for e, r, ev, t, c, s, p in rows]


def test_a_first_version_store_opens_migrates_and_keeps_every_row(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    before = _old_store(db)
    assert all(rows for _, rows in before.values()), "the old store has data in every table"

    with Store(db) as store:
        applied = [n for (n,) in store.conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
        after = _data(store.conn, {table: names for table, (names, _) in before.items()})
        current = _current_keys(store.conn)
    assert applied == [m.__name__ for m in MIGRATIONS]
    # The columns the first version had hold the same values, but the keys, which are this version's.
    assert _keys_apart(after)[0] == _keys_apart(before)[0]
    assert _keys_apart(after)[1] == current


def test_the_upgraded_store_works_like_a_new_one(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _old_store(db)

    contacts = json.loads(invoke(db, "contacts", "--format", "json").stdout)
    assert {c["email"]: c["status"] for c in contacts} == {
        "gone@example.com": "hard_bounced", "full@example.net": "eligible",
        "back@example.org": "eligible", "fine@example.org": "eligible",
    }
    bounced = json.loads(invoke(db, "bounced", "--email-id", "e-old", "--format", "json").stdout)
    assert sorted(b["recipient"] for b in bounced) == ["back@example.org", "full@example.net", "gone@example.com"]
    assert json.loads(invoke(db, "lists", "show", "dead", "--format", "json").stdout)[0]["email"] == "gone@example.com"

    # The same events arriving again are recognized: the old store's keys still match.
    again = write_log(tmp_path / "again.csv", [
        ["e-old", "gone@example.com", "bounce", T0, "hard", "550", "5.1.1", "550 5.1.1 user unknown"],
        ["e-old", "fine@example.org", "delivered", T0, "", "", "", ""],
        ["e-new", "new@example.com", "sent", "2026-11-01T08:00:00Z", "", "", "", ""],
    ])
    result = invoke(db, "import", again)
    assert result.exit_code == 0 and "1 event stored, 2 duplicates" in result.stderr, result.stderr

    # The rules hold on old rows: a contact reactivated once is never again, the old audit entry is guarded.
    refused = invoke(db, "unbounce", "back@example.org", "--confirm", "--as", "alice")
    assert refused.exit_code == 1
    assert invoke(db, "unbounce", "gone@example.com", "--confirm", "--as", "alice").exit_code == 0
    audit = json.loads(invoke(db, "audit", "--format", "json").stdout)
    assert [(a["contact"], a["outcome"]) for a in audit] == [
        ("back@example.org", "reactivated"), ("back@example.org", "refused"), ("gone@example.com", "reactivated"),
    ]
    conn = sqlite3.connect(db)
    for sql in ("UPDATE audit SET user = 'x'", "DELETE FROM audit",
                "REPLACE INTO audit (id, at, user, action, outcome) VALUES (1, 'x', 'x', 'x', 'x')"):
        try:
            conn.execute(sql)
        except sqlite3.DatabaseError as exc:
            assert "append-only" in str(exc)
        else:
            raise AssertionError(f"{sql} was allowed on the upgraded store")
    conn.close()


def test_two_processes_upgrading_the_same_old_store_at_once(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    before = _old_store(db)
    procs = [
        subprocess.Popen([*bouncectl_command(), "--db", str(db), command], env=subprocess_env(),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for command in ("quota", "audit")
    ]
    for proc in procs:
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
    conn = sqlite3.connect(db)
    applied = [n for (n,) in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == [m.__name__ for m in MIGRATIONS]  # each applied once
    after = _data(conn, {table: names for table, (names, _) in before.items()})
    assert _keys_apart(after) == (_keys_apart(before)[0], _current_keys(conn))
    conn.close()


def _hold_write_lock(db: Path) -> sqlite3.Connection:
    """Another connection holding the write lock of a rollback-journal store, as an older version writing
    (or another first use switching the store to WAL mode) does."""
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    other.execute("BEGIN IMMEDIATE")
    return other


def test_an_old_store_whose_write_lock_is_held_is_opened_once_the_lock_is_released(tmp_path: Path) -> None:
    # SQLite refuses the switch to WAL mode at once, busy timeout or not, while another connection
    # holds the write lock: the store waits for it as for any other write.
    db = tmp_path / "old.db"
    _old_store(db)
    other = _hold_write_lock(db)
    release = threading.Timer(0.3, other.execute, ("COMMIT",))
    release.start()
    try:
        with Store(db, busy_timeout=10.0) as store:
            assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            applied = [n for (n,) in store.conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    finally:
        release.join()
        other.close()
    assert applied == [m.__name__ for m in MIGRATIONS]


def test_an_old_store_locked_past_the_busy_timeout_is_a_clear_busy_error(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    before = _old_store(db)
    other = _hold_write_lock(db)
    try:
        started = time.monotonic()
        with pytest.raises(StoreError, match="the store is busy"):
            Store(db, busy_timeout=0.5)
        assert time.monotonic() - started >= 0.5  # it waited for the lock, then gave up
    finally:
        other.execute("ROLLBACK")
        other.close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert _data(conn) == before  # nothing changed
    conn.close()
