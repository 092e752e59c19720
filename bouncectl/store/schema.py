"""The store's schema: numbered, additive migrations, never edited once shipped, applied on open."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from bouncectl import __version__
from bouncectl.errors import StoreError

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


def m004_consent(db: sqlite_utils.Database) -> None:
    # Complaints and unsubscribes decide eligibility (rule 2.10): when each last happened, when the
    # recipient last gave new consent, and an unsubscribe's group. ``kept_status``: the status an
    # erased address keeps when it comes back (rule 2.11).
    db.executescript(
        """
        ALTER TABLE contacts ADD COLUMN complained_at TEXT;
        ALTER TABLE contacts ADD COLUMN unsubscribed_at TEXT;
        ALTER TABLE contacts ADD COLUMN resubscribed_at TEXT;
        ALTER TABLE contacts ADD COLUMN kept_status TEXT;
        ALTER TABLE events ADD COLUMN list_group TEXT;
        CREATE INDEX events_group_unsubscribes ON events (list_group, recipient, timestamp)
            WHERE event = 'unsubscribe' AND list_group IS NOT NULL;
        CREATE INDEX events_consent ON events (recipient, timestamp) WHERE event IN ('complaint', 'unsubscribe');

        -- The complaints and unsubscribes a store already holds now decide its contacts' status.
        UPDATE contacts SET complained_at = seen.complained, unsubscribed_at = seen.unsubscribed
        FROM (
            SELECT recipient, max(CASE WHEN event = 'complaint' THEN timestamp END) AS complained,
                   max(CASE WHEN event = 'unsubscribe' THEN timestamp END) AS unsubscribed
            FROM events WHERE event IN ('complaint', 'unsubscribe') GROUP BY recipient
        ) AS seen
        WHERE seen.recipient = contacts.email;
        UPDATE contacts SET status = CASE WHEN complained_at IS NOT NULL THEN 'complained' ELSE 'unsubscribed' END
        WHERE complained_at IS NOT NULL OR unsubscribed_at IS NOT NULL;
        """
    )


def m005_erasure(db: sqlite_utils.Database) -> None:
    # Erasure (rule 2.11): the keyed hashes of forgotten addresses with the status each kept, and
    # the one change the audit log allows: an entry's address replaced by its hash.
    db.executescript(
        """
        CREATE TABLE forgotten (
            hash TEXT PRIMARY KEY NOT NULL,
            status TEXT NOT NULL,
            forgotten_at TEXT NOT NULL
        ) WITHOUT ROWID;

        DROP TRIGGER audit_no_update;
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        WHEN NOT (
            NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.user = OLD.user AND NEW.action = OLD.action
            AND NEW.bounce_event_id IS OLD.bounce_event_id AND NEW.outcome = OLD.outcome AND NEW.code IS OLD.code
            AND NEW.contact LIKE 'hmac-sha256:%' AND OLD.contact NOT LIKE 'hmac-sha256:%'
        )
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """
    )


MIGRATIONS = (m001_initial, m002_audit_no_replace, m003_rejects_per_import, m004_consent, m005_erasure)
MIGRATION_SET = "bouncectl"


def build_migrations(upto: int | None = None) -> Migrations:
    """The sqlite-utils migration set (the first ``upto`` migrations, or all)."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for function in MIGRATIONS[:upto]:
        migrations()(function)
    return migrations


def applied_migrations(conn: sqlite3.Connection) -> set[str] | None:
    """The names of the migrations the store has had (``None``: no migrations table, a new store).

    Read without loading sqlite-utils, which is slow to import."""
    try:
        return {
            name for (name,) in conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,))
        }
    except sqlite3.OperationalError:  # no migrations table yet: a new store
        return None


def unknown_migrations(applied: set[str] | None) -> list[str]:
    """Migrations the store has had that this version does not know: a store from a newer version."""
    known = {function.__name__ for function in MIGRATIONS}
    return sorted((applied or set()) - known)


def pending_migrations(applied: set[str] | None) -> bool:
    return applied is None or any(function.__name__ not in applied for function in MIGRATIONS)


def migrate(conn: sqlite3.Connection, begin: Callable[[], None] | None = None) -> None:
    """Apply every pending migration (``begin`` opens the write transaction, ``BEGIN IMMEDIATE`` if not given).

    Raises :class:`~bouncectl.errors.StoreError` for a store made by a newer version (a migration
    this one does not know): its tables may mean what this version cannot read."""
    applied = applied_migrations(conn)
    newer = unknown_migrations(applied)
    if newer:
        raise StoreError(
            f"the store was made by a newer bouncectl (migration {newer[-1]} is unknown to version {__version__})",
            hint="upgrade bouncectl to use this store",
        )
    if pending_migrations(applied):
        import sqlite_utils

        db = sqlite_utils.Database(conn)
        # Under the write lock: two first uses of a new store at once must not both migrate it.
        # apply() checks again which migrations are pending, once it holds the lock.
        if begin is None:
            conn.execute("BEGIN IMMEDIATE")
        else:
            begin()
        try:
            build_migrations().apply(db)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

