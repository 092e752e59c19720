"""The store's schema: numbered, additive migrations, never edited once shipped, applied on open."""

from __future__ import annotations

import sqlite3
import unicodedata
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


def _m006_key(parts: tuple, reported: tuple | None) -> int:
    # The key as m006 defines it, kept here as it was (a later key change is a later migration).
    import hashlib  # here, not with the module: opening an up-to-date store hashes nothing

    text = "\x1f".join(parts)
    if reported is not None:
        text += "\x1f" + "\x1f".join(reported)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def m006_reports_keyed_by_what_they_report(db: sqlite_utils.Database) -> None:
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
        dated = _m006_key((email_id, recipient, event, timestamp), None) == key
        parts = (email_id, recipient, event, timestamp if dated else "")
        reported = (str(code), status) if code != "" or status else ("", "", provider_type)
        updates.append((_m006_key(parts, reported), row_id))
    # Out of the unique index's way first: a new key could equal another row's old one.
    db.conn.executemany("UPDATE events SET key = -id - 1 WHERE id = ?", [(row_id,) for _, row_id in updates])
    db.conn.executemany("UPDATE events SET key = ? WHERE id = ?", updates)


def _m007_normal_form(address: str) -> str:
    # An address as m007 defines its normal form (NFC local part, IDNA ASCII domain, lowercased).
    if address.isascii():
        return address.lower()
    from email_validator import EmailNotValidError, validate_email

    try:
        valid = validate_email(address, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError:
        return unicodedata.normalize("NFC", address).lower()
    return f"{unicodedata.normalize('NFC', valid.local_part).lower()}@{valid.ascii_domain.lower()}"


def _m007_key(
    email_id: str, recipient: str, event: str, when: str, code: object, status: str, kind: str, group: str = ""
) -> int:
    # The event key as m006 left it (see bouncectl.ledger.rows.event_key at that version), with an
    # unsubscribe's group as m004 added it.
    reported: tuple[str, ...] | None = None
    if event in ("bounce", "deferred") and (code != "" or status):
        reported = (str(code), status)
    elif event in ("bounce", "deferred") and kind:
        reported = ("", "", kind)
    parts = (email_id, recipient, event, when, group) if group else (email_id, recipient, event, when)
    return _m006_key(parts, reported)


_M007_STATUS_RANK = {"eligible": 0, "suppressed": 1, "hard_bounced": 2, "globally_bounced": 3, "unsubscribed": 4,
                     "complained": 5}
_M007_CONTACT = (
    "email", "domain", "status", "hard_bounce_reason", "hard_bounced_at", "hard_bounce_event_id",
    "global_bounced_at", "last_delivered_at", "bounces", "soft_streak", "soft_streak_since",
    "soft_streak_last", "third_party", "reactivated_at", "first_seen_at", "last_event_at",
    "complained_at", "unsubscribed_at", "resubscribed_at", "kept_status",
)


def _m007_merged(email: str, rows: list[dict]) -> dict:
    """One contact from the contacts that are one mailbox: counts summed, the worst status kept."""

    def latest(name: str) -> str | None:
        return max((r[name] for r in rows if r[name]), default=None)

    def earliest(name: str) -> str | None:
        return min((r[name] for r in rows if r[name]), default=None)

    worst = max(rows, key=lambda r: _M007_STATUS_RANK.get(r["status"], 0))
    hard = max((r for r in rows if r["hard_bounced_at"]), key=lambda r: r["hard_bounced_at"], default=None)
    lifted = latest("reactivated_at")
    if worst["status"] in ("hard_bounced", "globally_bounced"):
        lifted = None  # a reactivation of one form does not lift the other form's bounce
    return {
        "email": email,
        "domain": email.rpartition("@")[2],
        "status": worst["status"],
        "hard_bounce_reason": hard["hard_bounce_reason"] if hard else None,
        "hard_bounced_at": hard["hard_bounced_at"] if hard else None,
        "hard_bounce_event_id": hard["hard_bounce_event_id"] if hard else None,
        "global_bounced_at": latest("global_bounced_at"),
        "last_delivered_at": latest("last_delivered_at"),
        "bounces": sum(r["bounces"] or 0 for r in rows),
        "soft_streak": sum(r["soft_streak"] or 0 for r in rows),
        "soft_streak_since": earliest("soft_streak_since"),
        "soft_streak_last": latest("soft_streak_last"),
        "third_party": max(r["third_party"] or 0 for r in rows),
        "reactivated_at": lifted,
        "first_seen_at": earliest("first_seen_at"),
        "last_event_at": latest("last_event_at"),
        "complained_at": latest("complained_at"),
        "unsubscribed_at": latest("unsubscribed_at"),
        # New consent given under one form lifts the complaints of the mailbox only up to its time.
        "resubscribed_at": earliest("resubscribed_at"),
        "kept_status": max((r["kept_status"] for r in rows if r["kept_status"]),
                           key=lambda status: _M007_STATUS_RANK.get(status, 0), default=None),
    }


def m007_one_contact_per_mailbox(db: sqlite_utils.Database) -> None:
    # Addresses get one normal form (NFC, IDNA ASCII domain, lowercased): contacts stored under
    # another form are renamed, and those that are one mailbox merged; their events follow, and
    # the earliest reactivation of the mailbox is kept, so "once per contact" still holds.
    conn = db.conn
    renamed: dict[str, str] = {}
    for (email,) in conn.execute("SELECT email FROM contacts").fetchall():
        target = _m007_normal_form(email)
        if target != email:
            renamed[email] = target
    if not renamed:
        return
    groups: dict[str, list[str]] = {}
    for email, target in renamed.items():
        groups.setdefault(target, []).append(email)
    columns = ", ".join(_M007_CONTACT)
    for target, forms in groups.items():
        names = [*forms, target]
        marks = ",".join("?" * len(names))
        rows = [dict(zip(_M007_CONTACT, r)) for r in conn.execute(
            f"SELECT {columns} FROM contacts WHERE email IN ({marks})", names)]
        merged = _m007_merged(target, rows)
        conn.execute(f"DELETE FROM contacts WHERE email IN ({marks})", names)
        conn.execute(f"INSERT INTO contacts ({columns}) VALUES ({','.join('?' * len(_M007_CONTACT))})",
                     [merged[c] for c in _M007_CONTACT])
        kept = conn.execute(
            f"SELECT id FROM reactivations WHERE contact IN ({marks}) ORDER BY at, id LIMIT 1", names
        ).fetchone()
        if kept is not None:
            conn.execute(f"DELETE FROM reactivations WHERE contact IN ({marks}) AND id != ?", [*names, kept[0]])
            conn.execute("UPDATE reactivations SET contact = ? WHERE id = ?", (target, kept[0]))
    for old, target in renamed.items():
        events = conn.execute(
            "SELECT id, key, coalesce(email_id, ''), event, timestamp, coalesce(smtp_code, ''), "
            "coalesce(enhanced_status, ''), coalesce(provider_type, ''), coalesce(list_group, '') FROM events "
            "WHERE recipient = ?",
            (old,),
        ).fetchall()
        for row_id, key, email_id, event, stamp, code, status, kind, group in events:
            when = stamp if event != "not_sent" else ""
            if _m007_key(email_id, old, event, when, code, status, kind, group) != key:
                when = ""  # keyed without its time (an undated source)
            new_key = _m007_key(email_id, target, event, when, code, status, kind, group)
            same = conn.execute("SELECT id FROM events WHERE key = ?", (new_key,)).fetchone()
            if same is not None:
                # The same event under both forms: one is kept, and what pointed at the other follows.
                conn.execute("UPDATE contacts SET hard_bounce_event_id = ? WHERE hard_bounce_event_id = ?",
                             (same[0], row_id))
                conn.execute("UPDATE reactivations SET bounce_event_id = ? WHERE bounce_event_id = ?",
                             (same[0], row_id))
                conn.execute("DELETE FROM events WHERE id = ?", (row_id,))
                continue
            conn.execute("UPDATE events SET recipient = ?, key = ? WHERE id = ?", (target, new_key, row_id))


# The contacts' ``undated`` bits as m008 defines them (see bouncectl.ledger.fold at that version).
_M008_BITS = (
    # bit, contact column, which events report it
    (1, "hard_bounced_at", "event = 'bounce' AND bounce_type = 'hard'"),
    (2, "global_bounced_at",
     "(event = 'bounce' AND is_global = 1) OR (event = 'not_sent' AND not_sent_reason = 'GLOBALLY_BOUNCED')"),
    (4, "complained_at", "event = 'complaint'"),
    (8, "unsubscribed_at", "event = 'unsubscribe' AND list_group IS NULL"),
)


def m008_undated_reports(db: sqlite_utils.Database) -> None:
    # Events whose source gives no time are marked (``dated`` 0), and a contact says which of its
    # reports come from such events only (``undated``, one bit each): an undated report never
    # replaces a dated one. Stored events are told apart by their key, which was made without the
    # time for an undated event (only the formats that have undated rows are looked at; a not-sent
    # event's key never holds its time, so a stored one stays dated, as it was read until now).
    conn = db.conn
    conn.execute("ALTER TABLE events ADD COLUMN dated INTEGER NOT NULL DEFAULT 1")
    conn.execute("ALTER TABLE contacts ADD COLUMN undated INTEGER NOT NULL DEFAULT 0")
    rows = conn.execute(
        "SELECT id, key, coalesce(email_id, ''), recipient, event, timestamp, coalesce(smtp_code, ''), "
        "coalesce(enhanced_status, ''), coalesce(provider_type, ''), coalesce(list_group, '') FROM events "
        "WHERE event != 'not_sent' AND import_id IN "
        "(SELECT id FROM imports WHERE format = 'hubspot' OR format LIKE '%-suppressions')"
    ).fetchall()
    undated = [
        (row_id,)
        for row_id, key, email_id, recipient, event, stamp, code, status, kind, group in rows
        if _m007_key(email_id, recipient, event, stamp, code, status, kind, group) != key
        and _m007_key(email_id, recipient, event, "", code, status, kind, group) == key
    ]
    conn.executemany("UPDATE events SET dated = 0 WHERE id = ?", undated)
    if not undated:
        return
    # The contacts those events are of: each report field is the latest dated report where there
    # is one, else the latest undated one (marked so), and their status is decided again by the
    # rules of the version that migrates.
    from bouncectl.ledger.status import soft_bounce_policy, status_of

    policy = soft_bounce_policy(dict(conn.execute("SELECT key, value FROM settings").fetchall()))
    affected = [email for (email,) in conn.execute(
        "SELECT DISTINCT recipient FROM events WHERE dated = 0"
    ).fetchall()]
    for email in affected:
        bits = 0
        for bit, column, which in _M008_BITS:
            found = conn.execute(
                f"SELECT timestamp, dated, id, reason FROM events WHERE recipient = ? AND ({which}) "
                "ORDER BY dated DESC, timestamp DESC, id DESC LIMIT 1",
                (email,),
            ).fetchone()
            if found is None:
                continue
            stamp, dated, event_id, reason = found
            if not dated:
                bits |= bit
            if column == "hard_bounced_at":
                conn.execute(
                    "UPDATE contacts SET hard_bounced_at = ?, hard_bounce_reason = ?, hard_bounce_event_id = ? "
                    "WHERE email = ?",
                    (stamp, reason, event_id, email),
                )
            else:
                conn.execute(f"UPDATE contacts SET {column} = ? WHERE email = ?", (stamp, email))
        cursor = conn.execute("SELECT * FROM contacts WHERE email = ?", (email,))
        found = cursor.fetchone()
        if found is None:
            continue
        contact = dict(zip([column[0] for column in cursor.description], found))
        contact["undated"] = bits
        conn.execute("UPDATE contacts SET undated = ?, status = ? WHERE email = ?",
                     (bits, status_of(contact, policy), email))


MIGRATIONS = (
    m001_initial,
    m002_audit_no_replace,
    m003_rejects_per_import,
    m004_consent,
    m005_erasure,
    m006_reports_keyed_by_what_they_report,
    m007_one_contact_per_mailbox,
    m008_undated_reports,
)
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

