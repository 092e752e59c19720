"""The store: one SQLite file, every table name and every SQL statement.

The store migrates itself when it is opened (numbered, additive migrations that
are never edited once shipped). It uses WAL mode and a busy timeout so that
several processes can share one file: readers never wait for a writer, and
writers queue. Every write happens in one ``BEGIN IMMEDIATE`` transaction, so a
failure or a kill leaves the store as it was before.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Self

from bouncectl import policy
from bouncectl.addresses import domain_of
from bouncectl.errors import NotFound, StoreError
from bouncectl.model import GLOBALLY_BOUNCED, HARD_BOUNCED, Event, ImportOptions, Reject
from bouncectl.timeparse import format_utc, now_utc

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

DEFAULT_BUSY_TIMEOUT = 300.0  # seconds a writer waits for another writer
MAX_PARAMS = 5000  # bound on "IN (...)" lists

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


# Every migration, in order. Each is applied once, in its own transaction, and never edited
# after it ships; a schema change is a new function appended here.
MIGRATIONS = (m001_initial, m002_audit_no_replace, m003_rejects_per_import)
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


def event_key(email_id: str | None, recipient: str, event: str, timestamp: str, dated: bool = True) -> int:
    """The 64-bit de-duplication key of an event: its natural key, hashed.

    The same event from a webhook retry or an overlapping export has the same
    key. A ``not_sent`` event is one per email and recipient, whenever recorded,
    and so is an event whose source gives no time.
    """
    when = timestamp if dated and event != "not_sent" else ""
    text = f"{email_id or ''}\x1f{recipient}\x1f{event}\x1f{when}".encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big", signed=True)


@dataclass
class BatchResult:
    stored: int = 0
    duplicates: int = 0
    newly_hard_bounced: int = 0


def event_row(e: Event, import_id: int | None) -> tuple:
    """An event as the store takes it (see ROW_FIELDS): None as "", and its key when its email is known.

    A bounce that names no email but the Message-ID of the message it answers gets its email
    (and so its key) from the store, in :meth:`Store.add_batch`.
    """
    message_id = e.message_id.strip().strip("<>").strip() if e.message_id else ""
    key = None if not e.email_id and message_id else event_key(e.email_id, e.recipient, e.event, e.timestamp, e.dated)
    return (
        key, e.email_id or _NULL, e.recipient, e.event, e.timestamp, e.bounce_type or _NULL, e.reason or _NULL,
        e.smtp_code or _NULL, e.enhanced_status or _NULL, e.diagnostic or _NULL, e.rule or _NULL,
        e.provider_type or _NULL, int(e.is_global), e.not_sent_reason or _NULL, message_id, e.raw or _NULL,
        import_id or _NULL,
    )


# What a batch says of one contact (see fold_rows), by position.
(_FIRST, _LAST, _BOUNCES, _HARD_AT, _HARD_REASON, _HARD_ID, _GLOBAL_AT, _DELIVERED_AT, _RECOUNT) = range(9)


def fold_rows(rows: Iterable[tuple[int, tuple]]) -> tuple[dict[str, list], dict[str, list]]:
    """What ``(id, row)`` pairs say of each contact and each email, in one pass.

    Per address: first seen, last event, bounces, the latest hard bounce (time, reason, id), the
    latest global bounce, the latest delivery, and whether the soft streak needs recounting.
    Per email id: its first and last event times. Rows are as in ROW_FIELDS, a NULL as "" or None.
    """
    contacts: dict[str, list] = {}
    emails: dict[str, list] = {}
    for event_id, row in rows:
        ts = row[_TIMESTAMP]
        email_id = row[_EMAIL_ID]
        if email_id:
            span = emails.get(email_id)
            if span is None:
                emails[email_id] = [ts, ts]
            elif ts < span[0]:
                span[0] = ts
            elif ts > span[1]:
                span[1] = ts
        not_sent_reason = row[_NOT_SENT_REASON]
        if not_sent_reason == "INVALID_ADDRESS":
            continue  # not an address: the email's not-sent report keeps it, the contacts do not
        recipient = row[_RECIPIENT]
        a = contacts.get(recipient)
        if a is None:
            a = contacts[recipient] = [ts, ts, 0, None, None, None, None, None, False]
        elif ts < a[_FIRST]:
            a[_FIRST] = ts
        elif ts > a[_LAST]:
            a[_LAST] = ts
        kind = row[_EVENT]
        if kind == "bounce":
            a[_BOUNCES] += 1
            if row[_GLOBAL] and (a[_GLOBAL_AT] is None or ts > a[_GLOBAL_AT]):
                a[_GLOBAL_AT] = ts
            if row[_BOUNCE_TYPE] == "hard":
                if a[_HARD_AT] is None or ts >= a[_HARD_AT]:
                    a[_HARD_AT], a[_HARD_REASON], a[_HARD_ID] = ts, row[_REASON] or None, event_id
            else:
                a[_RECOUNT] = True
        elif kind in DELIVERY_EVENTS:
            if a[_DELIVERED_AT] is None or ts > a[_DELIVERED_AT]:
                a[_DELIVERED_AT] = ts
            a[_RECOUNT] = True
        elif kind == "not_sent" and not_sent_reason == "GLOBALLY_BOUNCED" and (a[_GLOBAL_AT] is None or ts > a[_GLOBAL_AT]):
            a[_GLOBAL_AT] = ts
    return contacts, emails


KeyProbe = Callable[[list[int]], set[int]]


def stored_keys_probe(path: Path) -> KeyProbe:
    """For another process than the one writing: which of some event keys the store held at its
    last commit, read on a read-only connection of its own."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=DEFAULT_BUSY_TIMEOUT)
    conn.execute("PRAGMA cache_size = -8192")  # 8 MiB: the key index's pages, looked up in key order
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens it now: a failure is the caller's to see

    def stored(keys: list[int]) -> set[int]:
        # All at once: SQLite sorts them, then walks the key index once, in order.
        query = "SELECT key FROM events WHERE key IN (SELECT value FROM json_each(?))"
        return {key for (key,) in conn.execute(query, (json.dumps(keys),))}

    return stored


@dataclass
class EventBatch:
    """Events ready for :meth:`Store.add_batch`: rows, the email names they give, and what they
    say of each contact and email (made without the store, so it can be made in another process).
    ``known`` rows were left out because the store already held them."""

    rows: list[tuple]
    names: dict[str, str]
    contacts: dict[str, list]
    emails: dict[str, list]
    known: int = 0

    @classmethod
    def of(cls, events: Iterable[Event], import_id: int | None, stored: KeyProbe | None = None) -> EventBatch:
        """The batch of these events, folded ahead of storing them with ids counted from 0 (the
        fold holds if every row turns out to be new). With ``stored``, rows whose keys the store
        already holds are left out here, where it costs the storing process nothing."""
        names: dict[str, str] = {}
        rows = []
        for event in events:
            if event.email_name and event.email_id:
                names.setdefault(event.email_id, event.email_name)
            rows.append(event_row(event, import_id))
        known = 0
        if stored is not None:
            found = stored([row[_KEY] for row in rows if row[_KEY] is not None])
            if found:
                kept = [row for row in rows if row[_KEY] not in found]
                known, rows = len(rows) - len(kept), kept
        contacts, emails = fold_rows(enumerate(rows))
        return cls(rows, names, contacts, emails, known)


# Columns shown by the listing commands (SPEC section 4).
BOUNCED_COLUMNS = ["recipient", "bounce_type", "reason", "smtp_code", "enhanced_status", "diagnostic", "bounced_at"]
NOT_SENT_COLUMNS = ["recipient", "not_sent_reason", "event_at"]
CONTACT_COLUMNS = ["email", "status", "hard_bounce_reason", "hard_bounced_at", "bounces", "last_event_at"]
QUOTA_COLUMNS = ["month", "total_contacts", "limit", "used", "remaining"]
AUDIT_COLUMNS = ["id", "at", "user", "action", "contact", "bounce_event_id", "outcome", "code", "detail"]
REJECT_COLUMNS = ["import_id", "file", "line", "error", "raw"]
EXPORT_EMAIL_COLUMNS = [
    "recipient", "outcome", "bounce_type", "reason", "smtp_code", "enhanced_status", "diagnostic", "event_at",
]
EXPORT_CONTACT_COLUMNS = CONTACT_COLUMNS + [
    "bounce_type", "reason", "smtp_code", "enhanced_status", "diagnostic", "bounced_at",
]

# Which event stands for a recipient's outcome on an email, strongest first.
OUTCOME_PRECEDENCE = ("not_sent", "bounce", "complaint", "unsubscribe", "click", "open", "delivered", "deferred", "sent")
_OUTCOME_ORDER_SQL = "CASE event " + " ".join(
    f"WHEN '{name}' THEN {rank}" for rank, name in enumerate(OUTCOME_PRECEDENCE)
) + " END"

# Events that prove the message reached the inbox.
DELIVERY_EVENTS = frozenset({"delivered", "open", "click"})

_CONTACT_FIELDS = (
    "email", "domain", "status", "hard_bounce_reason", "hard_bounced_at", "hard_bounce_event_id",
    "global_bounced_at", "last_delivered_at", "bounces", "soft_streak", "soft_streak_since",
    "soft_streak_last", "third_party", "reactivated_at", "first_seen_at", "last_event_at",
)
# Python's sqlite3 binds None slowly (it looks for an adapter each time); bulk statements
# take "" for NULL instead, turned back into NULL by nullif(). No stored text is ever "".
_NULL = ""


def _values(fields: tuple[str, ...]) -> str:
    return ", ".join("nullif(?, '')" for _ in fields)


_INSERT_CONTACT = f"INSERT INTO contacts ({', '.join(_CONTACT_FIELDS)}) VALUES ({_values(_CONTACT_FIELDS)})"


def _update_contact(fields: tuple[str, ...]) -> str:
    return f"UPDATE contacts SET {', '.join(f'{name} = nullif(?, {_NULL!r})' for name in fields)} WHERE email = ?"


# An update sets only what may have changed, so SQLite leaves alone the indexes on what has not:
# the domain never changes, and the status and hard-bounce reason seldom do.
_UPDATE_CONTACT = _update_contact(_CONTACT_FIELDS[2:])
_UPDATE_CONTACT_SAME_STATUS = _update_contact(_CONTACT_FIELDS[4:])

# An event as importers hand it to the store (see EventBatch): the events table's columns but its id,
# which SQLite gives in order. A NULL is "" (see _NULL); ``key`` is None until the email id is known.
ROW_FIELDS = (
    "key", "email_id", "recipient", "event", "timestamp", "bounce_type", "reason", "smtp_code",
    "enhanced_status", "diagnostic", "rule", "provider_type", "is_global", "not_sent_reason",
    "message_id", "raw", "import_id",
)
(_KEY, _EMAIL_ID, _RECIPIENT, _EVENT, _TIMESTAMP, _BOUNCE_TYPE, _REASON, _SMTP_CODE, _STATUS, _DIAGNOSTIC,
 _RULE, _PROVIDER_TYPE, _GLOBAL, _NOT_SENT_REASON, _MESSAGE_ID, _RAW, _IMPORT_ID) = range(len(ROW_FIELDS))
# A row whose key is already stored is a duplicate: it is skipped, and counted as one.
_INSERT_ROW = (
    f"INSERT INTO events ({', '.join(ROW_FIELDS)}) VALUES ({_values(ROW_FIELDS)}) ON CONFLICT (key) DO NOTHING"
)


# The contact columns that hold what a fold says (see fold_rows), in the fold's order.
_FOLDED_FIELDS = (
    "first_seen_at", "last_event_at", "bounces", "hard_bounced_at", "hard_bounce_reason", "hard_bounce_event_id",
    "global_bounced_at", "last_delivered_at",
)


def _merge_fold(a: list, b: list) -> None:
    """Merge what a later batch says of a contact (``b``) into what earlier ones, or the stored
    contact, said (``a``): the one rule for folding a contact's events in any order."""
    a[_FIRST] = _min(a[_FIRST], b[_FIRST])
    a[_LAST] = _max(a[_LAST], b[_LAST])
    a[_BOUNCES] += b[_BOUNCES]
    if b[_HARD_AT] is not None and (a[_HARD_AT] is None or b[_HARD_AT] >= a[_HARD_AT]):
        a[_HARD_AT], a[_HARD_REASON], a[_HARD_ID] = b[_HARD_AT], b[_HARD_REASON], b[_HARD_ID]
    a[_GLOBAL_AT] = _max(a[_GLOBAL_AT], b[_GLOBAL_AT])
    a[_DELIVERED_AT] = _max(a[_DELIVERED_AT], b[_DELIVERED_AT])
    a[_RECOUNT] = a[_RECOUNT] or b[_RECOUNT]


# What the batches of one write transaction say of their contacts, until they are settled.
_PENDING_FIELDS = (
    "first", "last", "bounces", "hard_at", "hard_reason", "hard_id", "global_at", "delivered_at", "recount",
)
_PENDING_TABLE = f"CREATE TEMP TABLE IF NOT EXISTS pending_contacts (email TEXT NOT NULL, {', '.join(_PENDING_FIELDS)})"
_PENDING_INSERT = f"INSERT INTO temp.pending_contacts VALUES (?, {_values(_PENDING_FIELDS)})"


def _chunks(items: list, size: int = MAX_PARAMS) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _max(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _min(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _create_private(path: Path) -> None:
    """Create an empty store file readable by its owner only."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)


class Store:
    """The bouncectl store. Open with ``Store(path)``; close once with :meth:`close`."""

    def __init__(self, path: str | Path, busy_timeout: float | None = None):
        self.path = Path(path)
        if busy_timeout is None:
            setting = os.environ.get("BOUNCECTL_BUSY_TIMEOUT", str(DEFAULT_BUSY_TIMEOUT))
            try:
                busy_timeout = float(setting)
            except ValueError:
                raise StoreError(
                    f"BOUNCECTL_BUSY_TIMEOUT={setting!r} is not a number of seconds", hint="e.g. BOUNCECTL_BUSY_TIMEOUT=60"
                ) from None
        try:
            if str(path) != ":memory:":
                if self.path.is_dir():
                    raise StoreError(f"{path}: is a folder, not a store file")
                _create_private(self.path)
            conn = sqlite3.connect(str(path), timeout=busy_timeout, isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            conn.execute("PRAGMA cache_size = -16384")  # 16 MiB of pages
            self.conn = conn
            migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open the store: {exc}", hint="is it a bouncectl store file?") from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the store: {exc.strerror or exc}") from None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions -----------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (``BEGIN IMMEDIATE``) so checks and writes inside it
        see no other writer. Rolled back on any error."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def _rows(self, sql: str, params: Iterable = ()) -> Iterator[dict]:
        cursor = self.conn.execute(sql, tuple(params))
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(names, row))

    # --- settings ---------------------------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def settings(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM settings ORDER BY key").fetchall())

    def soft_bounce_policy(self) -> policy.SoftBouncePolicy:
        return policy.SoftBouncePolicy(
            limit=int(self.get_setting("soft_bounce_limit", str(policy.DEFAULT_SOFT_BOUNCE_LIMIT))),
            days=float(self.get_setting("soft_bounce_days", str(policy.DEFAULT_SOFT_BOUNCE_DAYS))),
        )

    # --- imports ----------------------------------------------------------------------------

    def completed_import(self, checksum: str, options: str) -> dict | None:
        """The earlier complete import of the same bytes with the same options, if any."""
        return next(
            self._rows(
                "SELECT * FROM imports WHERE checksum = ? AND options = ? AND status = 'complete' ORDER BY id LIMIT 1",
                (checksum, options),
            ),
            None,
        )

    def start_import(self, conn: sqlite3.Connection, source: str, checksum: str | None, fmt: str, options: str) -> int:
        cursor = conn.execute(
            "INSERT INTO imports (source, checksum, format, options, started_at, status) VALUES (?, ?, ?, ?, ?, 'running')",
            (source, checksum, fmt, options, now_utc()),
        )
        return int(cursor.lastrowid)

    def finish_import(self, conn: sqlite3.Connection, import_id: int, counts: dict) -> None:
        conn.execute(
            "UPDATE imports SET status = 'complete', finished_at = ?, rows_read = ?, events_stored = ?, "
            "duplicates = ?, rejected = ?, newly_hard_bounced = ? WHERE id = ?",
            (
                now_utc(), counts["rows_read"], counts["events_stored"], counts["duplicates"],
                counts["rejected"], counts["newly_hard_bounced"], import_id,
            ),
        )

    def add_rejects(self, conn: sqlite3.Connection, import_id: int, file: str, rejects: list[Reject]) -> None:
        conn.executemany(
            "INSERT INTO rejects (import_id, file, line, error, raw) VALUES (?, ?, ?, ?, ?)",
            [(import_id, file, r.line, r.error, r.raw) for r in rejects],
        )

    def add_events(
        self,
        conn: sqlite3.Connection,
        import_id: int | None,
        events: list[Event],
        options: ImportOptions,
        soft_policy: policy.SoftBouncePolicy,
    ) -> BatchResult:
        """Store classified events and bring their contacts up to date (see :meth:`add_batch`)."""
        result = self.add_batch(conn, EventBatch.of(events, import_id), options)
        result.newly_hard_bounced = self.settle_contacts(conn, options, soft_policy)
        return result

    def add_batch(self, conn: sqlite3.Connection, batch: EventBatch, options: ImportOptions) -> BatchResult:
        """Store a batch of events; what they say of their contacts waits for :meth:`settle_contacts`,
        which must run before the transaction ends.

        Events already in the store (same natural key) are counted as duplicates
        and change nothing, so importing the same input twice changes nothing.
        """
        result = BatchResult(duplicates=batch.known)
        rows = batch.rows
        resolved = self._resolve_email_ids(conn, rows)
        if options.third_party:
            # Said of contacts already in the store too (a purchased list imported again, or late).
            recipients = list({row[_RECIPIENT] for row in rows})
            for chunk in _chunks(recipients):
                conn.execute(
                    f"UPDATE contacts SET third_party = 1 WHERE email IN ({','.join('?' * len(chunk))})", chunk
                )
        if not rows:
            return result
        # Inside the write transaction no one else adds events: SQLite numbers the new rows on from here.
        first_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM events").fetchone()[0]
        result.stored = conn.executemany(_INSERT_ROW, rows).rowcount
        result.duplicates += len(rows) - result.stored
        if not result.stored:
            return result
        if result.stored < len(rows) or resolved:
            # Fold what was stored, and nothing else: the ids are those SQLite gave.
            stored = conn.execute(f"SELECT id, {', '.join(ROW_FIELDS)} FROM events WHERE id >= ?", (first_id,))
            contacts, emails = fold_rows((row[0], row[1:]) for row in stored)
        else:
            # Every row was stored, in order: the batch's own fold holds, its ids counted from first_id.
            contacts, emails = batch.contacts, batch.emails
            for state in contacts.values():
                if state[_HARD_ID] is not None:
                    state[_HARD_ID] += first_id
        self._update_emails(conn, emails, batch.names)
        conn.execute(_PENDING_TABLE)
        conn.executemany(
            _PENDING_INSERT,
            [(email, *(_NULL if value is None else value for value in state)) for email, state in contacts.items()],
        )
        return result

    def settle_contacts(self, conn: sqlite3.Connection, options: ImportOptions, soft_policy: policy.SoftBouncePolicy) -> int:
        """Bring the contacts of every batch stored since the last call up to date; returns how many
        became hard-bounced.

        Contacts are settled once each, in address order, however many batches named them: fewer
        and cheaper writes than contact by contact, batch by batch.
        """
        conn.execute(_PENDING_TABLE)
        newly_hard = 0
        chunk: dict[str, list] = {}
        for email, *state in conn.execute("SELECT * FROM temp.pending_contacts ORDER BY email, rowid"):
            known = chunk.get(email)
            if known is None:
                if len(chunk) >= MAX_PARAMS:
                    newly_hard += self._update_contacts(conn, chunk, options, soft_policy)
                    chunk = {}
                chunk[email] = state
            else:
                _merge_fold(known, state)
        if chunk:
            newly_hard += self._update_contacts(conn, chunk, options, soft_policy)
        conn.execute("DELETE FROM temp.pending_contacts")
        return newly_hard

    @staticmethod
    def _resolve_email_ids(conn: sqlite3.Connection, rows: list[tuple]) -> bool:
        """Give a bounce without an email id the email of the stored send it answers, then its key.

        Returns whether any row needed it.
        """
        resolved = False
        for index, row in enumerate(rows):
            if row[_KEY] is not None:
                continue
            found = conn.execute(
                "SELECT email_id FROM events WHERE message_id = ? AND email_id IS NOT NULL LIMIT 1",
                (row[_MESSAGE_ID],),
            ).fetchone()
            email_id = found[0] if found else _NULL
            fixed = list(row)
            fixed[_EMAIL_ID] = email_id
            fixed[_KEY] = event_key(email_id, row[_RECIPIENT], row[_EVENT], row[_TIMESTAMP])
            rows[index] = tuple(fixed)
            resolved = True
        return resolved

    @staticmethod
    def _update_emails(conn: sqlite3.Connection, emails: dict[str, list], names: dict[str, str]) -> None:
        conn.executemany(
            "INSERT INTO emails (email_id, name, first_event_at, last_event_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (email_id) DO UPDATE SET name = coalesce(excluded.name, name), "
            "first_event_at = min(first_event_at, excluded.first_event_at), "
            "last_event_at = max(last_event_at, excluded.last_event_at)",
            [(email_id, names.get(email_id), first, last) for email_id, (first, last) in emails.items()],
        )

    def _load_contacts(self, conn: sqlite3.Connection, emails: list[str]) -> dict[str, dict]:
        found: dict[str, dict] = {}
        for chunk in _chunks(emails):
            placeholders = ",".join("?" * len(chunk))
            cursor = conn.execute(f"SELECT {', '.join(_CONTACT_FIELDS)} FROM contacts WHERE email IN ({placeholders})", chunk)
            for row in cursor:
                found[row[0]] = dict(zip(_CONTACT_FIELDS, row))
        return found

    def _update_contacts(
        self,
        conn: sqlite3.Connection,
        batch: dict[str, list],
        options: ImportOptions,
        soft_policy: policy.SoftBouncePolicy,
    ) -> int:
        """Fold a batch's new events (see :func:`fold_rows`) into their contacts' state; returns how
        many became hard-bounced.

        Every field is a count, a minimum or a maximum, so the result does not depend on
        the order events arrive in; the soft-bounce streak is recounted from the events.
        """
        contacts = self._load_contacts(conn, list(batch))
        newly_hard = 0
        added, changed, same_status = [], [], []
        for email, state in batch.items():
            contact = contacts.get(email)
            before = None
            if contact is None:
                contact = dict.fromkeys(_CONTACT_FIELDS)
                contact.update(zip(_FOLDED_FIELDS, state), email=email, domain=domain_of(email), soft_streak=0, third_party=0)
            else:
                before = (contact["status"], contact["hard_bounce_reason"])
                merged = [contact[name] for name in _FOLDED_FIELDS] + [False]
                _merge_fold(merged, state)
                contact.update(zip(_FOLDED_FIELDS, merged))
            if options.third_party:
                contact["third_party"] = 1
            if state[_RECOUNT] and (state[_BOUNCES] or contact["soft_streak"]):
                self._recount_soft_streak(conn, contact)
            status = contact["status"] = self._status(contact, soft_policy)
            if status == HARD_BOUNCED and (before is None or before[0] != HARD_BOUNCED):
                newly_hard += 1
            values = tuple(_NULL if value is None else value for value in contact.values())
            if before is None:
                added.append(values)
            elif before == (status, contact["hard_bounce_reason"]):
                same_status.append((*values[4:], email))
            else:
                changed.append((*values[2:], email))
        # In address order, SQLite walks the contacts B-tree once instead of jumping about in it.
        conn.executemany(_INSERT_CONTACT, sorted(added))
        conn.executemany(_UPDATE_CONTACT_SAME_STATUS, sorted(same_status, key=itemgetter(-1)))
        conn.executemany(_UPDATE_CONTACT, sorted(changed, key=itemgetter(-1)))
        return newly_hard

    @staticmethod
    def _status(contact: dict, soft_policy: policy.SoftBouncePolicy) -> str:
        return policy.contact_status(
            hard_bounced_at=contact["hard_bounced_at"],
            global_bounced_at=contact["global_bounced_at"],
            last_delivered_at=contact["last_delivered_at"],
            reactivated_at=contact["reactivated_at"],
            soft_streak=contact["soft_streak"],
            soft_streak_since=contact["soft_streak_since"],
            soft_streak_last=contact["soft_streak_last"],
            policy=soft_policy,
        )

    @staticmethod
    def _recount_soft_streak(conn: sqlite3.Connection, contact: dict) -> None:
        """The soft bounces since the last delivery or reactivation, whatever order they arrived in.

        Sends are counted once each (several soft bounces of one email are one soft-bounced send).
        """
        since = _max(contact["last_delivered_at"], contact["reactivated_at"]) or ""
        count, first, last = conn.execute(
            "SELECT count(DISTINCT coalesce(email_id, id)), min(timestamp), max(timestamp) FROM events "
            "WHERE recipient = ? AND timestamp > ? AND event = 'bounce' AND bounce_type = 'soft'",
            (contact["email"], since),
        ).fetchone()
        contact["soft_streak"] = count
        contact["soft_streak_since"] = first
        contact["soft_streak_last"] = last

    # --- reading ----------------------------------------------------------------------------

    def email_exists(self, email_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM emails WHERE email_id = ?", (email_id,)).fetchone() is not None

    def require_email(self, email_id: str) -> None:
        if not self.email_exists(email_id):
            raise NotFound(f"no email with id {email_id!r} in the store", hint="see the ids with `bouncectl stats --by email`")

    def bounced(self, email_id: str, bounce_type: str = "all", reason: str | None = None) -> Iterator[dict]:
        """The email's bounced recipients, oldest bounce first.

        One row per recipient: when several reports of one recipient's bounce arrived (a
        provider's event and the bounce message, a soft bounce then a hard one), the hard
        one, else the latest, is the recipient's bounce.
        """
        self.require_email(email_id)
        sql = (
            "SELECT recipient, bounce_type, reason, smtp_code, enhanced_status, diagnostic, timestamp AS bounced_at "
            "FROM (SELECT *, row_number() OVER ("
            "  PARTITION BY recipient ORDER BY bounce_type = 'hard' DESC, timestamp DESC) AS rank"
            "  FROM events WHERE email_id = ? AND event = 'bounce') WHERE rank = 1"
        )
        params: list = [email_id]
        if bounce_type != "all":
            sql += " AND bounce_type = ?"
            params.append(bounce_type)
        if reason:
            sql += " AND reason = ?"
            params.append(reason.strip().lower())
        return self._rows(sql + " ORDER BY timestamp, recipient", params)

    def not_sent(self, email_id: str) -> Iterator[dict]:
        self.require_email(email_id)
        return self._rows(
            "SELECT recipient, not_sent_reason, timestamp AS event_at FROM events "
            "WHERE email_id = ? AND event = 'not_sent' ORDER BY timestamp, recipient",
            (email_id,),
        )

    @staticmethod
    def contact_filter_sql(
        status: str | None = None,
        hard_bounce_reason: str | None = None,
        domain: str | None = None,
        bounced_since: str | None = None,
    ) -> tuple[str, list]:
        """The WHERE clause of a contact filter (shared by ``contacts`` and saved lists)."""
        clauses, params = [], []
        if status and status != "all":
            clauses.append("status = ?")
            params.append(status)
        if hard_bounce_reason:
            clauses.append("hard_bounce_reason = ?")
            params.append(hard_bounce_reason.strip().lower())
        if domain:
            clauses.append("domain = ?")
            params.append(domain.strip().lower().rstrip("."))
        if bounced_since:
            clauses.append("hard_bounced_at >= ?")
            params.append(bounced_since)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def contacts(self, **filters: str | None) -> Iterator[dict]:
        where, params = self.contact_filter_sql(**filters)
        return self._rows(f"SELECT {', '.join(CONTACT_COLUMNS)} FROM contacts{where} ORDER BY email", params)

    def contact(self, email: str) -> dict | None:
        return next(self._rows("SELECT * FROM contacts WHERE email = ?", (email,)), None)

    def statuses(self, emails: list[str]) -> dict[str, str]:
        """The status of each of ``emails`` that is in the store."""
        found: dict[str, str] = {}
        for chunk in _chunks(emails):
            placeholders = ",".join("?" * len(chunk))
            found.update(self.conn.execute(f"SELECT email, status FROM contacts WHERE email IN ({placeholders})", chunk))
        return found

    def event(self, event_id: int | None) -> dict | None:
        if event_id is None:
            return None
        return next(self._rows("SELECT * FROM events WHERE id = ?", (event_id,)), None)

    def export_email_sql(self, email_id: str) -> tuple[str, list]:
        """One row per recipient of the email: its strongest outcome, with bounce details."""
        self.require_email(email_id)
        sql = (
            "SELECT recipient, event AS outcome, bounce_type, reason, smtp_code, enhanced_status, diagnostic, "
            "timestamp AS event_at FROM ("
            "  SELECT *, row_number() OVER ("
            f"    PARTITION BY recipient ORDER BY {_OUTCOME_ORDER_SQL}, timestamp DESC) AS rank"
            "  FROM events WHERE email_id = ?"
            ") WHERE rank = 1 ORDER BY recipient"
        )
        return sql, [email_id]

    def export_contacts_sql(self) -> tuple[str, list]:
        """Every contact with bounce data, with its latest bounce."""
        sql = (
            f"SELECT {', '.join('c.' + c for c in CONTACT_COLUMNS)}, e.bounce_type, e.reason, e.smtp_code, "
            "e.enhanced_status, e.diagnostic, e.timestamp AS bounced_at FROM contacts c "
            "LEFT JOIN events e ON e.id = ("
            "  SELECT id FROM events WHERE recipient = c.email AND event = 'bounce' ORDER BY timestamp DESC LIMIT 1"
            ") WHERE c.bounces > 0 ORDER BY c.email"
        )
        return sql, []

    def rejects(self) -> Iterator[dict]:
        return self._rows(f"SELECT {', '.join(REJECT_COLUMNS)} FROM rejects ORDER BY import_id, file, line")

    def audit(self) -> Iterator[dict]:
        return self._rows(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit ORDER BY id")

    def imports(self) -> Iterator[dict]:
        return self._rows("SELECT * FROM imports ORDER BY id")

    # --- quota and reactivation -------------------------------------------------------------

    def quota(self, now: datetime | None = None, conn: sqlite3.Connection | None = None) -> dict:
        conn = conn or self.conn
        month = policy.month_of(now or datetime.now(UTC))
        total = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
        used = conn.execute("SELECT count(*) FROM reactivations WHERE month = ?", (month,)).fetchone()[0]
        limit = policy.monthly_quota(total)
        return {"month": month, "total_contacts": total, "limit": limit, "used": used, "remaining": max(0, limit - used)}

    def reactivation_facts(
        self,
        conn: sqlite3.Connection,
        email: str,
        user: str,
        confirmed: bool,
        resolved: bool,
        now: datetime,
    ) -> tuple[policy.ReactivationFacts, dict | None, dict | None]:
        """What the guards need for one attempt, read inside the caller's write transaction."""
        contact = next(self._rows("SELECT * FROM contacts WHERE email = ?", (email,)), None)
        bounce = self.event(contact["hard_bounce_event_id"]) if contact else None
        if contact and contact["status"] == GLOBALLY_BOUNCED and bounce is None:
            bounce = next(
                self._rows(
                    "SELECT * FROM events WHERE recipient = ? AND is_global = 1 ORDER BY timestamp DESC LIMIT 1",
                    (email,),
                ),
                None,
            )
        quota = self.quota(now, conn)
        permissions = conn.execute("SELECT permissions FROM users WHERE name = ?", (user,)).fetchone()
        facts = policy.ReactivationFacts(
            status=contact["status"] if contact else None,
            reason=contact["hard_bounce_reason"] if contact else None,
            third_party=bool(contact and contact["third_party"]),
            reactivated_before=conn.execute("SELECT 1 FROM reactivations WHERE contact = ?", (email,)).fetchone()
            is not None,
            sending_domains=conn.execute("SELECT count(*) FROM domains").fetchone()[0],
            user_has_permission=bool(permissions and "email" in permissions[0].split(",")),
            confirmed=confirmed,
            resolved=resolved,
            quota_used=quota["used"],
            quota_limit=quota["limit"],
        )
        return facts, contact, bounce

    def record_audit(
        self,
        conn: sqlite3.Connection,
        *,
        user: str,
        action: str,
        contact: str | None,
        bounce_event_id: int | None,
        outcome: str,
        code: str | None,
        detail: str | None,
        at: datetime,
    ) -> None:
        conn.execute(
            "INSERT INTO audit (at, user, action, contact, bounce_event_id, outcome, code, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (format_utc(at), user, action, contact, bounce_event_id, outcome, code, detail),
        )

    def reactivate(self, conn: sqlite3.Connection, email: str, user: str, bounce: dict | None, at: datetime) -> str:
        """Lift the contact's bounce: record the reactivation and reset its status; returns the new status.

        Every bounce known now is lifted, also one dated after now (a clock or time zone off in
        the source): the contact's ``reactivated_at`` is the later of the two.
        """
        stamp = format_utc(at)
        conn.execute(
            "INSERT INTO reactivations (contact, user, at, month, bounce_event_id, reason) VALUES (?, ?, ?, ?, ?, ?)",
            (email, user, stamp, policy.month_of(at), bounce["id"] if bounce else None, bounce and bounce["reason"]),
        )
        contact = next(self._rows(f"SELECT {', '.join(_CONTACT_FIELDS)} FROM contacts WHERE email = ?", (email,)))
        lifted = max(stamp, contact["hard_bounced_at"] or "")
        contact["reactivated_at"] = lifted
        self._recount_soft_streak(conn, contact)
        contact["status"] = self._status(contact, self.soft_bounce_policy())
        conn.execute(
            "UPDATE contacts SET reactivated_at = ?, status = ?, soft_streak = ?, soft_streak_since = ?, "
            "soft_streak_last = ? WHERE email = ?",
            (lifted, contact["status"], contact["soft_streak"], contact["soft_streak_since"],
             contact["soft_streak_last"], email),
        )
        return contact["status"]

    # --- domains and users ------------------------------------------------------------------

    def add_domain(self, domain: str) -> None:
        with self.write() as conn:
            conn.execute("INSERT OR IGNORE INTO domains (domain, added_at) VALUES (?, ?)", (domain, now_utc()))

    def remove_domain(self, domain: str) -> None:
        with self.write() as conn:
            if conn.execute("DELETE FROM domains WHERE domain = ?", (domain,)).rowcount == 0:
                raise NotFound(f"no sending domain {domain!r}", hint="see them with `bouncectl domains list`")

    def domains(self) -> Iterator[dict]:
        return self._rows("SELECT domain, added_at FROM domains ORDER BY domain")

    def add_user(self, name: str, permissions: list[str]) -> None:
        with self.write() as conn:
            row = conn.execute("SELECT permissions FROM users WHERE name = ?", (name,)).fetchone()
            held = set(row[0].split(",")) if row and row[0] else set()
            merged = ",".join(sorted(held | set(permissions)))
            conn.execute(
                "INSERT INTO users (name, permissions, added_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET permissions = excluded.permissions",
                (name, merged, now_utc()),
            )

    def users(self) -> Iterator[dict]:
        return self._rows("SELECT name, permissions, added_at FROM users ORDER BY name")

    # --- saved lists ------------------------------------------------------------------------

    def save_list(self, name: str, filters: dict) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO lists (name, filters, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET filters = excluded.filters",
                (name, json.dumps(filters, sort_keys=True), now_utc()),
            )

    def saved_list(self, name: str) -> dict:
        row = self.conn.execute("SELECT filters FROM lists WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NotFound(f"no saved list {name!r}", hint="see them with `bouncectl lists`")
        return json.loads(row[0])

    def lists(self) -> Iterator[dict]:
        return self._rows("SELECT name, filters, created_at FROM lists ORDER BY name")

    def delete_list(self, name: str) -> None:
        with self.write() as conn:
            if conn.execute("DELETE FROM lists WHERE name = ?", (name,)).rowcount == 0:
                raise NotFound(f"no saved list {name!r}", hint="see them with `bouncectl lists`")

    # === planning and stats: counts, soft-bounce settings, send statistics ===================
    # (Used by bouncectl.planning and bouncectl.stats.)

    def count_contacts(self, **filters: str | None) -> int:
        where, params = self.contact_filter_sql(**filters)
        return self.conn.execute(f"SELECT count(*) FROM contacts{where}", params).fetchone()[0]

    def update_soft_bounce_settings(self, values: dict[str, str]) -> dict:
        """Store soft-bounce settings and re-evaluate, in the same transaction, every contact
        with a soft-bounce streak (or suppressed), so the new policy applies at once."""
        with self.write() as conn:
            conn.executemany(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )
            soft_policy = self.soft_bounce_policy()
            changed: dict[str, int] = {}
            checked = 0
            cursor = conn.execute(
                f"SELECT {', '.join(_CONTACT_FIELDS)} FROM contacts WHERE soft_streak > 0 OR status = 'suppressed'"
            )
            updates = []
            for row in cursor:
                contact = dict(zip(_CONTACT_FIELDS, row))
                checked += 1
                status = self._status(contact, soft_policy)
                if status != contact["status"]:
                    updates.append((status, contact["email"]))
                    changed[status] = changed.get(status, 0) + 1
            conn.executemany("UPDATE contacts SET status = ? WHERE email = ?", updates)
        return {"checked": checked, "changed": len(updates), "now": changed}

    def send_stats(self, email_id: str | None = None, by: str | None = None) -> Iterator[dict]:
        """Counts per group (``by``: None for one total row, ``email``, ``domain`` or ``month``):
        ``key, sends, deliveries, hard_bounces, soft_bounces, not_sent, complaints``.

        Each recipient counts once per email it is known to belong to: sent (any event but not_sent), delivered (a
        delivery, open or click), hard bounced, soft bounced (and not hard bounced), not sent,
        complained.
        """
        if email_id is not None:
            self.require_email(email_id)
        key, join = STATS_GROUPS[by]
        # Events that name no email (a bounce whose send is unknown) count for no email's sends.
        where, params = ("WHERE email_id = ?", [email_id]) if email_id is not None else ("WHERE email_id IS NOT NULL", [])
        order = {
            None: "",
            "email": "min(em.first_event_at), key",
            "domain": "sends DESC, key",
            "month": "key",
        }[by]
        sql = (
            f"SELECT {key} AS key, sum(per.sent) AS sends, sum(per.delivered) AS deliveries, "
            "sum(per.hard) AS hard_bounces, sum(per.soft AND NOT per.hard) AS soft_bounces, "
            "sum(per.not_sent) AS not_sent, sum(per.complaint) AS complaints "
            f"FROM ({PER_RECIPIENT_SQL.format(where=where)}) AS per{join}"
        )
        if by is not None:  # without a grouping, one total row even when there is nothing to count
            sql += f" GROUP BY 1 ORDER BY {order}"
        return self._rows(sql, params)

    def bounce_reason_stats(self, email_id: str | None = None) -> Iterator[dict]:
        """Bounced recipients per reason and type (``reason, bounce_type, bounces``), most first.

        A recipient counts once per email, under its deciding bounce: the latest hard bounce, else
        the latest soft one.
        """
        if email_id is not None:
            self.require_email(email_id)
        where, params = ("AND email_id = ?", [email_id]) if email_id is not None else ("", [])
        sql = (
            "SELECT reason, bounce_type, count(*) AS bounces FROM ("
            "  SELECT reason, bounce_type, row_number() OVER ("
            "    PARTITION BY email_id, recipient ORDER BY bounce_type = 'hard' DESC, timestamp DESC) AS rank"
            f"  FROM events WHERE event = 'bounce' {where}"
            ") WHERE rank = 1 GROUP BY reason, bounce_type ORDER BY bounces DESC, reason"
        )
        return self._rows(sql, params)


# Per email and recipient: what happened (a recipient counts once per email).
PER_RECIPIENT_SQL = (
    "SELECT email_id, recipient, min(timestamp) AS first_at, "
    "max(event <> 'not_sent') AS sent, "
    "max(event IN ('delivered', 'open', 'click')) AS delivered, "
    "max(event = 'bounce' AND bounce_type = 'hard') AS hard, "
    "max(event = 'bounce' AND bounce_type = 'soft') AS soft, "
    "max(event = 'not_sent') AS not_sent, "
    "max(event = 'complaint') AS complaint "
    "FROM events {where} GROUP BY email_id, recipient"
)
STATS_GROUPS = {
    None: ("'all'", ""),
    "email": ("per.email_id", " LEFT JOIN emails em ON em.email_id = per.email_id"),
    "domain": ("coalesce(c.domain, substr(per.recipient, instr(per.recipient, '@') + 1))",
               " LEFT JOIN contacts c ON c.email = per.recipient"),
    "month": ("substr(per.first_at, 1, 7)", ""),
}
