"""The Store: one SQLite file, opened (and migrated) here, with the append-only audit log.

The store migrates itself when it is opened (numbered, additive migrations that
are never edited once shipped). It uses WAL mode and a busy timeout so that
several processes can share one file: readers never wait for a writer, and
writers queue. Every write happens in one ``BEGIN IMMEDIATE`` transaction, so a
failure or a kill leaves the store as it was before.

Each table's code is in its own module (see :mod:`bouncectl.store`); nothing here decides a rule.
"""

from __future__ import annotations

import math
import os
import sqlite3
import time
import urllib.parse
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from bouncectl.errors import StoreError, StoreReadOnly, UsageError
from bouncectl.store.base import DEFAULT_BUSY_TIMEOUT, MAX_BUSY_TIMEOUT, store_failure
from bouncectl.store.events import EventTables
from bouncectl.store.queries import Queries
from bouncectl.store.schema import applied_migrations, migrate, pending_migrations, unknown_migrations
from bouncectl.timeparse import format_utc

WAL_SWITCH_RETRY = 0.02  # seconds between two tries of the switch to WAL mode
# Bytes a page of a new store (SQLite's default is 4096). An event row with its kept provider fields
# (an Amazon SES event's mail object) takes 0.5 to 1 KB: on pages twice the size, a load writes half as
# many pages to the write-ahead log, and an SES import takes 5 to 10% less CPU (benchmarks/import_bench.py
# --formats ses); the canonical CSV's short rows, and the load into a store of other events, show no
# change beyond noise.
PAGE_SIZE = 8192


def create_private(path: Path) -> None:
    """Create an empty store file readable by its owner only (through a symlink, its target)."""
    try:
        fd = os.open(os.path.realpath(path), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def busy_timeout_setting(setting: str | None) -> float:
    """BOUNCECTL_BUSY_TIMEOUT: seconds, from 0 to :data:`MAX_BUSY_TIMEOUT` (not given: the default)."""
    if setting is None:
        return DEFAULT_BUSY_TIMEOUT
    try:
        seconds = float(setting)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 <= seconds <= MAX_BUSY_TIMEOUT):
        raise UsageError(
            f"BOUNCECTL_BUSY_TIMEOUT={setting!r} is not a number of seconds from 0 to {MAX_BUSY_TIMEOUT:.0f}",
            hint="e.g. BOUNCECTL_BUSY_TIMEOUT=60",
        )
    return seconds


def _writable(path: Path) -> bool:
    """Whether the store file (and its folder, for the -wal and -shm files) can be written."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _read_only_uri(path: Path) -> str:
    """A read-only URI for ``path``: ``immutable`` when its folder cannot hold the -shm file either."""
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    if not os.access(path.parent, os.W_OK | os.X_OK) and not Path(f"{path}-wal").exists():
        uri += "&immutable=1"
    return uri


class Store(EventTables, Queries):
    """The bouncectl store. Open with ``Store(path)``; close once with :meth:`close`.

    A store that cannot be written (a read-only file, folder or medium) is opened read-only:
    reading works, and a write raises :class:`~bouncectl.errors.StoreReadOnly`."""

    def __init__(
        self, path: str | Path, busy_timeout: float | None = None, on_wait: Callable[[float], None] | None = None
    ):
        self.path = Path(path)
        if busy_timeout is None:
            busy_timeout = busy_timeout_setting(os.environ.get("BOUNCECTL_BUSY_TIMEOUT"))
        self.busy_timeout = busy_timeout
        self.on_wait = on_wait
        try:
            if str(path) == ":memory:":
                conn = sqlite3.connect(":memory:", isolation_level=None)
            else:
                if self.path.is_dir():
                    raise StoreError(f"{path}: is a folder, not a store file")
                if self.path.exists() and not _writable(self.path):
                    self.read_only = True
                else:
                    create_private(self.path)
                conn = self._connect()
            self.conn = conn
            self._set_busy_timeout(busy_timeout)
            # 12 MiB of pages: on PAGE_SIZE pages, an import's peak memory stays what 16 MiB of 4 KiB pages
            # gave (16 MiB of the larger ones: 14 MB more at a million SES events), and no time is lost.
            conn.execute("PRAGMA cache_size = -12288")
            if self.read_only:
                self._check_read_only_schema()
            else:
                # A new store's pages (a stored store keeps its own size: SQLite changes it only by a
                # VACUUM, and in WAL mode not at all).
                conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
                self._use_wal()
                conn.execute("PRAGMA synchronous = NORMAL")
                migrate(conn, self.begin)
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
                raise StoreError(f"{path}: cannot open the store: {exc}", hint="is it a bouncectl store file?") from None
            raise store_failure(self.path, exc) from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the store: {exc.strerror or exc}") from None

    def _use_wal(self) -> None:
        """Put the store in WAL mode, waiting up to the busy timeout for the lock that takes.

        A store written by an older version, or not yet opened by this one, is in rollback-journal
        mode. Switching it needs its write lock, and while another connection holds that lock (an
        older version writing, or another first use switching it at the same moment) SQLite refuses
        the switch at once with "database is locked": the statement already reads the file, and
        waiting with a read lock held could deadlock, so the busy timeout does not apply. The switch
        is tried again until the timeout has passed."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                    raise
                time.sleep(WAL_SWITCH_RETRY)

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            return sqlite3.connect(_read_only_uri(self.path), uri=True, isolation_level=None)
        return sqlite3.connect(str(self.path), isolation_level=None)

    def _check_read_only_schema(self) -> None:
        applied = applied_migrations(self.conn)
        newer = unknown_migrations(applied)
        if newer:
            migrate(self.conn)  # raises the newer-version error
        if pending_migrations(applied):
            raise StoreReadOnly(
                f"{self.path}: the store is read-only and needs an upgrade this version cannot write",
                hint="copy the store to a writable place and run bouncectl there once",
            )

    def close(self) -> None:
        self.conn.close()

    def files(self) -> list[Path]:
        """The files that hold the store (an output must never be written over one of them)."""
        if str(self.path) == ":memory:":
            return []
        return [self.path, *(self.path.with_name(self.path.name + end) for end in ("-wal", "-shm", "-journal"))]

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the audit log: appended to, never changed (triggers refuse UPDATE and DELETE) ---------

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

    def audit_change(self, conn: sqlite3.Connection, by: str, action: str, detail: str, changed: bool = True) -> None:
        """One audit line for a change of policy or of who may reactivate, in the change's transaction:
        who, when, what (``detail``: the old and the new value)."""
        self.record_audit(
            conn,
            user=by,
            action=action,
            contact=None,
            bounce_event_id=None,
            outcome="changed" if changed else "unchanged",
            code=None,
            detail=detail,
            at=datetime.now(UTC),
        )
