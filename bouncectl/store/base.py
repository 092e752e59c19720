"""What every part of the store shares: its connection, one write transaction, rows as dicts."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bouncectl.errors import StoreError, StoreReadOnly

DEFAULT_BUSY_TIMEOUT = 300.0  # seconds a writer waits for another writer
MAX_BUSY_TIMEOUT = 86400.0  # the longest wait BOUNCECTL_BUSY_TIMEOUT may ask for
WAIT_NOTICE_AFTER = 1.0  # seconds of waiting for the write lock before saying so
MAX_PARAMS = 5000  # bound on "IN (...)" lists


def values(fields: tuple[str, ...]) -> str:
    """Placeholders for ``fields``, each "" read as NULL (see :data:`bouncectl.ledger.rows.NULL`)."""
    return ", ".join("nullif(?, '')" for _ in fields)


def chunks(items: list, size: int = MAX_PARAMS) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class StoreBase:
    """The connection (opened by :class:`bouncectl.store.Store`) and what every table's code uses."""

    path: Path
    conn: sqlite3.Connection
    read_only: bool = False
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    # Called once when a writer has waited WAIT_NOTICE_AFTER seconds for another's lock (the
    # command layer says so on the terminal); the store itself prints nothing.
    on_wait: Callable[[float], None] | None = None

    def audit_change(self, conn: sqlite3.Connection, by: str, action: str, detail: str, changed: bool = True) -> None:
        """One audit line for a change of policy or of who may reactivate (see :class:`bouncectl.store.Store`)."""
        raise NotImplementedError

    def begin(self) -> None:
        """``BEGIN IMMEDIATE``: wait for the write lock up to the busy timeout, calling
        :attr:`on_wait` once when the wait passes :data:`WAIT_NOTICE_AFTER`."""
        if self.read_only:
            raise StoreReadOnly(
                f"{self.path}: the store is read-only (a read-only file or medium); this command changes it",
                hint="reading commands work; copy the store to a writable place to change it",
            )
        first = min(WAIT_NOTICE_AFTER, self.busy_timeout)
        self._set_busy_timeout(first)
        try:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or self.busy_timeout <= first:
                    raise
            if self.on_wait is not None:
                self.on_wait(self.busy_timeout)
            self._set_busy_timeout(self.busy_timeout - first)
            self.conn.execute("BEGIN IMMEDIATE")
        finally:
            self._set_busy_timeout(self.busy_timeout)

    def _set_busy_timeout(self, seconds: float) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (``BEGIN IMMEDIATE``) so checks and writes inside it
        see no other writer. Rolled back on any error; the error is raised, not a failed rollback's."""
        self.begin()
        try:
            yield self.conn
        except BaseException:
            self.rollback()
            raise
        else:
            self.conn.execute("COMMIT")

    def rollback(self) -> None:
        """Roll back the open transaction, if SQLite has not already (it does on a full disk)."""
        if not self.conn.in_transaction:
            return
        try:
            self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            # The error being handled says why; SQLite rolls back itself when the file is closed.
            pass

    def _rows(self, sql: str, params: Iterable = ()) -> Iterator[dict]:
        cursor = self.conn.execute(sql, tuple(params))
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(names, row))


def store_failure(path: Path, exc: sqlite3.Error) -> StoreError:
    """What a SQLite error on the store means to the user: busy, full, read-only or damaged."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreError(f"{path}: the store is busy: {exc}", hint="another bouncectl may hold the store; try again")
    if primary == sqlite3.SQLITE_FULL:
        # SQLite says the same of the store's file and of its temporary files in TMPDIR (a large
        # import's sorts, index builds and spilled contact folds): either may be the full one.
        return StoreError(
            f"{path}: the store's disk is full, or TMPDIR, where SQLite keeps its temporary files "
            "(nothing was changed)",
            hint="free some space on the store's disk or in TMPDIR (or point TMPDIR elsewhere), then run the "
                 "command again",
        )
    if primary == sqlite3.SQLITE_READONLY:
        return StoreReadOnly(
            f"{path}: the store is read-only (a read-only file or medium); this command changes it",
            hint="reading commands work; copy the store to a writable place to change it",
        )
    if primary == sqlite3.SQLITE_IOERR:
        return StoreError(f"{path}: the store's disk failed: {exc}", hint="check the disk and its free space")
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return StoreError(f"{path}: the store is damaged: {exc}", hint="restore it from a backup")
    return StoreError(f"{path}: store: {exc}")
