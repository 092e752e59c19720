"""The Store: one SQLite file, opened (and migrated) here, with the append-only audit log.

The store migrates itself when it is opened (numbered, additive migrations that
are never edited once shipped). It uses WAL mode and a busy timeout so that
several processes can share one file: readers never wait for a writer, and
writers queue. Every write happens in one ``BEGIN IMMEDIATE`` transaction, so a
failure or a kill leaves the store as it was before.

Each table's code is in its own module (see :mod:`bouncectl.store`); nothing here decides a rule.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Self

from bouncectl.errors import StoreError
from bouncectl.store.base import DEFAULT_BUSY_TIMEOUT
from bouncectl.store.events import EventTables
from bouncectl.store.queries import Queries
from bouncectl.store.schema import migrate
from bouncectl.timeparse import format_utc


def create_private(path: Path) -> None:
    """Create an empty store file readable by its owner only."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)


class Store(EventTables, Queries):
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
                create_private(self.path)
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
