"""The store's schema: numbered, additive migrations, never edited once shipped, applied on open."""

from __future__ import annotations

import hashlib
import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.migrations import Migrations


def m001_initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE contacts (
            email TEXT PRIMARY KEY NOT NULL,
            domain TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'eligible',
            hard_bounce_reason TEXT,
            hard_bounced_at TEXT,
            hard_bounce_event_id INTEGER,
            global_bounced_at TEXT,
            last_delivered_at TEXT,
            bounces INTEGER NOT NULL DEFAULT 0,
            soft_streak INTEGER NOT NULL DEFAULT 0,
            soft_streak_since TEXT,
            soft_streak_last TEXT,
            third_party INTEGER NOT NULL DEFAULT 0,
            reactivated_at TEXT,
            first_seen_at TEXT,
            last_event_at TEXT
        ) WITHOUT ROWID;
        CREATE INDEX contacts_status ON contacts (status, hard_bounce_reason);
        CREATE INDEX contacts_reason
            ON contacts (hard_bounce_reason, email, status, hard_bounced_at, bounces, last_event_at)
            WHERE hard_bounce_reason IS NOT NULL;
        CREATE INDEX contacts_domain ON contacts (domain);

        CREATE TABLE emails (
            email_id TEXT PRIMARY KEY,
            name TEXT,
            first_event_at TEXT,
            last_event_at TEXT
        );

        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            key INTEGER NOT NULL,
            email_id TEXT,
            recipient TEXT NOT NULL,
            event TEXT NOT NULL,
            timestamp TEXT NOT NULL,
            bounce_type TEXT,
            reason TEXT,
            smtp_code INTEGER,
            enhanced_status TEXT,
            diagnostic TEXT,
            rule TEXT,
            provider_type TEXT,
            is_global INTEGER NOT NULL DEFAULT 0,
            not_sent_reason TEXT,
            message_id TEXT,
            import_id INTEGER,
            raw TEXT
        );
        CREATE UNIQUE INDEX events_key ON events (key);
        CREATE INDEX events_email ON events (email_id, event);
        CREATE INDEX events_bounces ON events (recipient, timestamp) WHERE event = 'bounce';
        CREATE INDEX events_message_id ON events (message_id) WHERE message_id IS NOT NULL;

        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            checksum TEXT,
            format TEXT,
            options TEXT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL,
            rows_read INTEGER NOT NULL DEFAULT 0,
            events_stored INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0,
            newly_hard_bounced INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX imports_checksum ON imports (checksum);

        CREATE TABLE rejects (
            id INTEGER PRIMARY KEY,
            import_id INTEGER NOT NULL,
            file TEXT NOT NULL,
            line INTEGER,
            error TEXT NOT NULL,
            raw TEXT,
            UNIQUE (file, line, error)
        );

        CREATE TABLE reactivations (
            id INTEGER PRIMARY KEY,
            contact TEXT NOT NULL UNIQUE,
            user TEXT NOT NULL,
            at TEXT NOT NULL,
            month TEXT NOT NULL,
            bounce_event_id INTEGER,
            reason TEXT
        );
        CREATE INDEX reactivations_month ON reactivations (month);

        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            action TEXT NOT NULL,
            contact TEXT,
            bounce_event_id INTEGER,
            outcome TEXT NOT NULL,
            code TEXT,
            detail TEXT
        );
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

        CREATE TABLE domains (domain TEXT PRIMARY KEY, added_at TEXT NOT NULL);
        CREATE TABLE users (name TEXT PRIMARY KEY, permissions TEXT NOT NULL, added_at TEXT NOT NULL);
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE lists (name TEXT PRIMARY KEY, filters TEXT NOT NULL, created_at TEXT NOT NULL);
        """
    )


def m002_audit_no_replace(db: sqlite_utils.Database) -> None:
    # An INSERT OR REPLACE over an existing id deleted that entry without running the delete trigger
    # (SQLite runs delete triggers for a replace only when recursive_triggers is on): refuse it.
    db.executescript(
        """
        CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit
        WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """
    )


def m003_rejects_per_import(db: sqlite_utils.Database) -> None:
    # One row per rejected record of each import: a unique (file, line, error) merged two
    # different records that failed alike at one place (two recipients of one message).
    db.executescript(
        """
        CREATE TABLE rejects_new (
            id INTEGER PRIMARY KEY,
            import_id INTEGER NOT NULL,
            file TEXT NOT NULL,
            line INTEGER,
            error TEXT NOT NULL,
            raw TEXT
        );
        INSERT INTO rejects_new (id, import_id, file, line, error, raw)
            SELECT id, import_id, file, line, error, raw FROM rejects;
        DROP TABLE rejects;
        ALTER TABLE rejects_new RENAME TO rejects;
        CREATE INDEX rejects_import ON rejects (import_id);
        """
    )


def _m004_key(parts: tuple, reported: tuple | None) -> int:
    # The key as m004 defines it, kept here as it was (a later key change is a later migration).
    text = "\x1f".join(parts)
    if reported is not None:
        text += "\x1f" + "\x1f".join(reported)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def m004_reports_keyed_by_what_they_report(db: sqlite_utils.Database) -> None:
    # A bounce or deferral's key gains its reply code and enhanced status (or when it has neither,
    # the source's hard or soft), so that two reports of one send that disagree are both kept. Stored ones are re-keyed,
    # so that an overlapping export imported later is still recognized; whether a stored event
    # was keyed with its time or without (an undated source) is told by its old key.
    rows = db.execute(
        "SELECT id, key, coalesce(email_id, ''), recipient, event, timestamp, coalesce(smtp_code, ''), "
        "coalesce(enhanced_status, ''), coalesce(provider_type, '') FROM events "
        "WHERE event IN ('bounce', 'deferred') AND (smtp_code IS NOT NULL OR enhanced_status IS NOT NULL "
        "OR provider_type IS NOT NULL)"
    ).fetchall()
    updates = []
    for row_id, key, email_id, recipient, event, timestamp, code, status, provider_type in rows:
        dated = _m004_key((email_id, recipient, event, timestamp), None) == key
        parts = (email_id, recipient, event, timestamp if dated else "")
        reported = (str(code), status) if code != "" or status else ("", "", provider_type)
        updates.append((_m004_key(parts, reported), row_id))
    # Out of the unique index's way first: a new key could equal another row's old one.
    db.conn.executemany("UPDATE events SET key = -id - 1 WHERE id = ?", [(row_id,) for _, row_id in updates])
    db.conn.executemany("UPDATE events SET key = ? WHERE id = ?", updates)


MIGRATIONS = (
    m001_initial,
    m002_audit_no_replace,
    m003_rejects_per_import,
    m004_reports_keyed_by_what_they_report,
)
MIGRATION_SET = "bouncectl"


def build_migrations(upto: int | None = None) -> Migrations:
    """The sqlite-utils migration set (the first ``upto`` migrations, or all)."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for function in MIGRATIONS[:upto]:
        migrations()(function)
    return migrations


def _pending_migrations(conn: sqlite3.Connection) -> bool:
    """Whether the store lacks a migration (read without loading sqlite-utils, which is slow to import)."""
    try:
        applied = {
            name for (name,) in conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,))
        }
    except sqlite3.OperationalError:  # no migrations table yet: a new store
        return True
    return any(function.__name__ not in applied for function in MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> None:
    """Apply every pending migration."""
    if _pending_migrations(conn):
        import sqlite_utils

        db = sqlite_utils.Database(conn)
        # Under the write lock: two first uses of a new store at once must not both migrate it.
        # apply() checks again which migrations are pending, once it holds the lock.
        conn.execute("BEGIN IMMEDIATE")
        try:
            build_migrations().apply(db)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

