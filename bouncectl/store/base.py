"""What every part of the store shares: its connection, one write transaction, rows as dicts."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

DEFAULT_BUSY_TIMEOUT = 300.0  # seconds a writer waits for another writer
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
