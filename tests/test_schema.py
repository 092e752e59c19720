"""The schema a blank store gets: every table and its exact columns.

A migration that adds or changes a column must change this test too: that is
the point of it (the store is a file that users keep across versions).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bouncectl.store import MIGRATION_SET, MIGRATIONS, Store

# table: [(column, declared type, NOT NULL, primary key position)]
EXPECTED = {
    "_sqlite_migrations": [
        ("id", "INTEGER", 0, 1), ("migration_set", "TEXT", 0, 0), ("name", "TEXT", 0, 0), ("applied_at", "TEXT", 0, 0),
    ],
    "audit": [
        ("id", "INTEGER", 0, 1), ("at", "TEXT", 1, 0), ("user", "TEXT", 1, 0), ("action", "TEXT", 1, 0),
        ("contact", "TEXT", 0, 0), ("bounce_event_id", "INTEGER", 0, 0), ("outcome", "TEXT", 1, 0),
        ("code", "TEXT", 0, 0), ("detail", "TEXT", 0, 0),
    ],
    "contacts": [
        ("email", "TEXT", 1, 1), ("domain", "TEXT", 1, 0), ("status", "TEXT", 1, 0), ("hard_bounce_reason", "TEXT", 0, 0),
        ("hard_bounced_at", "TEXT", 0, 0), ("hard_bounce_event_id", "INTEGER", 0, 0),
        ("global_bounced_at", "TEXT", 0, 0), ("last_delivered_at", "TEXT", 0, 0), ("bounces", "INTEGER", 1, 0),
        ("soft_streak", "INTEGER", 1, 0), ("soft_streak_since", "TEXT", 0, 0), ("soft_streak_last", "TEXT", 0, 0),
        ("third_party", "INTEGER", 1, 0), ("reactivated_at", "TEXT", 0, 0), ("first_seen_at", "TEXT", 0, 0),
        ("last_event_at", "TEXT", 0, 0), ("complained_at", "TEXT", 0, 0), ("unsubscribed_at", "TEXT", 0, 0),
        ("resubscribed_at", "TEXT", 0, 0), ("kept_status", "TEXT", 0, 0), ("undated", "INTEGER", 1, 0),
    ],
    "domains": [("domain", "TEXT", 0, 1), ("added_at", "TEXT", 1, 0)],
    "emails": [("email_id", "TEXT", 0, 1), ("name", "TEXT", 0, 0), ("first_event_at", "TEXT", 0, 0),
               ("last_event_at", "TEXT", 0, 0)],
    "events": [
        ("id", "INTEGER", 0, 1), ("key", "INTEGER", 1, 0), ("email_id", "TEXT", 0, 0), ("recipient", "TEXT", 1, 0),
        ("event", "TEXT", 1, 0), ("timestamp", "TEXT", 1, 0), ("bounce_type", "TEXT", 0, 0), ("reason", "TEXT", 0, 0),
        ("smtp_code", "INTEGER", 0, 0), ("enhanced_status", "TEXT", 0, 0), ("diagnostic", "TEXT", 0, 0),
        ("rule", "TEXT", 0, 0), ("provider_type", "TEXT", 0, 0), ("is_global", "INTEGER", 1, 0),
        ("not_sent_reason", "TEXT", 0, 0), ("message_id", "TEXT", 0, 0), ("import_id", "INTEGER", 0, 0),
        ("raw", "TEXT", 0, 0), ("list_group", "TEXT", 0, 0), ("dated", "INTEGER", 1, 0),
    ],
    "forgotten": [("hash", "TEXT", 1, 1), ("status", "TEXT", 1, 0), ("forgotten_at", "TEXT", 1, 0)],
    "imports": [
        ("id", "INTEGER", 0, 1), ("source", "TEXT", 1, 0), ("checksum", "TEXT", 0, 0), ("format", "TEXT", 0, 0),
        ("options", "TEXT", 0, 0), ("started_at", "TEXT", 1, 0), ("finished_at", "TEXT", 0, 0), ("status", "TEXT", 1, 0),
        ("rows_read", "INTEGER", 1, 0), ("events_stored", "INTEGER", 1, 0), ("duplicates", "INTEGER", 1, 0),
        ("rejected", "INTEGER", 1, 0), ("newly_hard_bounced", "INTEGER", 1, 0),
    ],
    "lists": [("name", "TEXT", 0, 1), ("filters", "TEXT", 1, 0), ("created_at", "TEXT", 1, 0)],
    "reactivations": [
        ("id", "INTEGER", 0, 1), ("contact", "TEXT", 1, 0), ("user", "TEXT", 1, 0), ("at", "TEXT", 1, 0),
        ("month", "TEXT", 1, 0), ("bounce_event_id", "INTEGER", 0, 0), ("reason", "TEXT", 0, 0),
    ],
    "rejects": [
        ("id", "INTEGER", 0, 1), ("import_id", "INTEGER", 1, 0), ("file", "TEXT", 1, 0), ("line", "INTEGER", 0, 0),
        ("error", "TEXT", 1, 0), ("raw", "TEXT", 0, 0),
    ],
    "settings": [("key", "TEXT", 0, 1), ("value", "TEXT", 1, 0)],
    "sqlite_sequence": [("name", "", 0, 0), ("seq", "", 0, 0)],  # made by SQLite for audit's AUTOINCREMENT
    "users": [("name", "TEXT", 0, 1), ("permissions", "TEXT", 1, 0), ("added_at", "TEXT", 1, 0)],
}


def _schema(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {
        table: [(r[1], r[2], r[3], r[5]) for r in conn.execute(f'PRAGMA table_info("{table}")')] for table in tables
    }


def test_a_blank_store_gets_exactly_these_tables_and_columns(tmp_path: Path) -> None:
    with Store(tmp_path / "blank.db") as store:
        assert _schema(store.conn) == EXPECTED


def test_every_migration_is_recorded_once_in_order(tmp_path: Path) -> None:
    db = tmp_path / "blank.db"
    Store(db).close()
    Store(db).close()  # opening again applies nothing
    conn = sqlite3.connect(db)
    applied = [n for (n,) in conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id", (MIGRATION_SET,)
    )]
    conn.close()
    assert applied == [m.__name__ for m in MIGRATIONS]
    assert [m.__name__[:5] for m in MIGRATIONS] == [f"m{n:03d}_" for n in range(1, len(MIGRATIONS) + 1)]


def test_the_audit_log_is_guarded_by_its_triggers(tmp_path: Path) -> None:
    with Store(tmp_path / "blank.db") as store:
        triggers = {name for (name,) in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'"
        )}
    assert triggers >= {"audit_no_update", "audit_no_delete", "audit_no_replace"}


def test_the_store_runs_in_wal_mode(tmp_path: Path) -> None:
    db = tmp_path / "blank.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # the mode is kept in the file
    conn.close()


def test_a_new_store_gets_the_larger_pages_and_a_stored_one_keeps_its_own(tmp_path: Path) -> None:
    from bouncectl.store.store import PAGE_SIZE

    new = tmp_path / "new.db"
    Store(new).close()
    # A store made before with SQLite's default pages (an older version's): its pages stay as they are.
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.execute("PRAGMA page_size = 4096")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE earlier (x)")
    conn.close()
    store = Store(old)
    store.conn.execute("INSERT INTO domains (domain, added_at) VALUES ('example.org', '2026-12-01T00:00:00Z')")
    store.close()
    sizes = {}
    for db in (new, old):
        conn = sqlite3.connect(db)
        sizes[db.name] = conn.execute("PRAGMA page_size").fetchone()[0]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    assert PAGE_SIZE != 4096
    assert sizes == {"new.db": PAGE_SIZE, "old.db": 4096}
