"""The events, imports and rejects tables: batches of event rows stored, their folds handed to
the contacts (see :meth:`~bouncectl.store.contacts.ContactsTable.settle_contacts`)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from bouncectl.ledger.fields import EMAIL_ID, KEY, MESSAGE_ID, NULL, RECIPIENT, ROW_FIELDS
from bouncectl.store.base import DEFAULT_BUSY_TIMEOUT, MAX_PARAMS, chunks, values
from bouncectl.store.contacts import PENDING_INSERT, PENDING_TABLE, ContactsTable
from bouncectl.timeparse import now_utc

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from bouncectl.ledger.fold import EventBatch, KeyProbe
    from bouncectl.ledger.status import SoftBouncePolicy
    from bouncectl.model import Event, ImportOptions, Reject

# The folds and the event key are the import's: this module imports them where it writes, so
# that the commands that only read the store load neither (nor hashlib, which the key needs).

# A row whose key is already stored is a duplicate: it is skipped, and counted as one.
INSERT_ROW = (
    f"INSERT INTO events ({', '.join(ROW_FIELDS)}) VALUES ({values(ROW_FIELDS)}) ON CONFLICT (key) DO NOTHING"
)


# The events table's indexes kept during a load into an empty table: those of reports and
# unsubscribes alone (partial indexes on the kind of event), a small share of a log's events.
# Each index built after a load reads the whole table once, which costs more than adding these
# few entries as the rows come.
KEPT_DURING_LOAD = frozenset(("events_bounces", "events_group_unsubscribes", "events_consent"))


@dataclass
class BatchResult:
    stored: int = 0
    duplicates: int = 0
    newly_hard_bounced: int = 0


def _json_keys(keys: list[int]) -> str:
    """Event keys as a JSON array for ``json_each``: written by msgspec (loaded by an import alone), about
    three times as fast as json.dumps for a million keys; as text, since newer SQLite reads a BLOB as
    its binary JSON."""
    import msgspec

    return msgspec.json.encode(keys).decode()


def stored_keys_probe(path: Path) -> KeyProbe:
    """For another process than the one writing: which of some event keys the store held at its
    last commit, read on a read-only connection of its own."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=DEFAULT_BUSY_TIMEOUT)
    conn.execute("PRAGMA cache_size = -8192")  # 8 MiB: the key index's pages, looked up in key order
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens it now: a failure is the caller's to see

    def stored(keys: list[int]) -> set[int]:
        # All at once: SQLite sorts them, then walks the key index once, in order.
        query = "SELECT key FROM events WHERE key IN (SELECT value FROM json_each(?))"
        return {key for (key,) in conn.execute(query, (_json_keys(keys),))}

    return stored


class EventTables(ContactsTable):
    def completed_import(self, checksum: str, options: str) -> dict | None:
        """The earlier complete import of the same bytes with the same options, if any."""
        return next(
            self._rows(
                "SELECT * FROM imports WHERE checksum = ? AND options = ? AND status = 'complete' ORDER BY id LIMIT 1",
                (checksum, options),
            ),
            None,
        )

    def any_completed_import(self, options: str) -> bool:
        """Whether any import with these options is complete (else none can hold the same bytes)."""
        found = self.conn.execute(
            "SELECT 1 FROM imports WHERE options = ? AND status = 'complete' LIMIT 1", (options,)
        ).fetchone()
        return found is not None

    def start_import(self, conn: sqlite3.Connection, source: str, checksum: str | None, fmt: str, options: str) -> int:
        cursor = conn.execute(
            "INSERT INTO imports (source, checksum, format, options, started_at, status) VALUES (?, ?, ?, ?, ?, 'running')",
            (source, checksum, fmt, options, now_utc()),
        )
        return cast(int, cursor.lastrowid)  # an INSERT gives one

    def set_import_checksum(self, conn: sqlite3.Connection, import_id: int, checksum: str) -> None:
        conn.execute("UPDATE imports SET checksum = ? WHERE id = ?", (checksum, import_id))

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
        soft_policy: SoftBouncePolicy,
    ) -> BatchResult:
        """Store classified events and bring their contacts up to date (see :meth:`add_batch`)."""
        from bouncectl.ledger.fold import EventBatch

        result = self.add_batch(conn, EventBatch.of(events, import_id), options)
        result.newly_hard_bounced = self.settle_contacts(conn, options, soft_policy)
        return result

    @staticmethod
    def holds_events(conn: sqlite3.Connection) -> bool:
        return conn.execute("SELECT 1 FROM events LIMIT 1").fetchone() is not None

    @classmethod
    def drop_event_indexes(cls, conn: sqlite3.Connection) -> dict[str, str]:
        """Drop the indexes of the events table (the key's too) but those of :data:`KEPT_DURING_LOAD`;
        returns what re-creates each, by name (see :meth:`create_indexes`). Built at once after a
        load into an empty table, they cost a fraction of keeping them."""
        return cls.drop_indexes(conn, "events", keep=KEPT_DURING_LOAD)

    def add_columns(
        self, conn: sqlite3.Connection, batch: pd.DataFrame, options: ImportOptions, keyed: bool = True,
        probe: bool = False,
    ) -> tuple[BatchResult, pd.DataFrame]:
        """Store a batch of events given as columns (those of ROW_FIELDS, "" for NULL, and
        ``email_name``); returns the counts and what the stored events say of their contacts (a fold
        frame, one row per event stored, see :mod:`bouncectl.ledger.columns`), for
        :meth:`settle_folds` once per import.

        ``keyed=False``: the events table has no key index (see :meth:`drop_event_indexes`); a
        batch's own repeats are left out here, and a key stored twice is found when it is built.
        ``probe``: the keys the store holds already are looked up first, by one query, and those
        rows left out before anything is bound (an input imported again costs little more than
        reading it); the insert still leaves out any other repeat.
        """
        import numpy as np

        from bouncectl.ledger.columns import email_names, email_spans, event_folds

        result = BatchResult()
        if options.third_party:
            recipients = batch["recipient"].unique().tolist()
            for chunk in chunks(recipients):
                conn.execute(
                    f"UPDATE contacts SET third_party = 1 WHERE email IN ({','.join('?' * len(chunk))})", chunk
                )
        unknown = ((batch["email_id"] == NULL) & (batch["message_id"] != NULL)).to_numpy()
        if keyed and unknown.any():  # not keyed: the store held no event when the import began
            batch = self._resolve_columns(conn, batch, unknown)
        repeated = batch["key"].duplicated().to_numpy()
        if repeated.any():
            batch = batch[~repeated].reset_index(drop=True)
            result.duplicates = int(repeated.sum())
        read = batch  # the names of its emails are taken from every event read, stored or not
        if probe and keyed and len(batch):
            known = self._stored_keys(conn, batch["key"])
            if known.any():
                batch = batch[~known].reset_index(drop=True)
                result.duplicates += int(known.sum())
        if batch.empty:
            return result, event_folds(batch, np.zeros(0, dtype=np.int64))
        columns = {name: batch[name].to_numpy() for name in ROW_FIELDS if name not in ("import_id", "dated")}
        # Truthiness is what is not NULL (""): text, a reply code; ``is_global`` is 0 or 1.
        filled = {name: column.astype(bool) for name, column in columns.items() if name != "key"}
        # Only what varies is bound: a column empty throughout is left to its default (NULL; 0 for
        # ``is_global``), and the import's id, the same for every row, is written in the statement;
        # ``dated`` keeps its default (1): every event of a block is dated, as every CSV row is.
        names = ["key", *(name for name, full in filled.items() if full.any())]
        import_id = int(batch["import_id"].iat[0])
        placeholders = ", ".join(
            "?" if name == "key" or filled[name].all() else f"nullif(?, {NULL!r})" for name in names
        )
        insert = f"INSERT INTO events ({', '.join(names)}, import_id) VALUES ({placeholders}, {import_id})"
        if keyed:
            insert += " ON CONFLICT (key) DO NOTHING"
        first_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM events").fetchone()[0]
        stored = conn.executemany(insert, zip(*(columns[name].tolist() for name in names), strict=True)).rowcount
        result.stored = stored
        result.duplicates += len(batch) - stored
        if stored == len(batch):
            # Every row was stored, in order: their ids are first_id on.
            kept = batch
            ids = np.arange(first_id, first_id + stored, dtype=np.int64)
        else:
            kept, ids = self._stored_columns(conn, first_id)
        self._update_emails(conn, email_spans(kept), email_names(read) if stored else {})
        return result, event_folds(kept, ids)

    @staticmethod
    def _stored_keys(conn: sqlite3.Connection, keys: pd.Series) -> np.ndarray:
        """Which of these keys the events table holds: looked up in its key index in key order (one
        walk down the index, its pages read once). The query gives the keys it lacks (their places
        in the list sent), not those it holds: an input imported again returns no row at all."""
        import numpy as np

        given = keys.to_numpy(dtype=np.int64)
        order = np.argsort(given, kind="stable")
        missing = conn.execute(
            "SELECT probe.key FROM json_each(?) AS probe "
            "WHERE NOT EXISTS (SELECT 1 FROM events WHERE events.key = probe.value)",
            (_json_keys(given[order].tolist()),),
        ).fetchall()
        known = np.ones(len(given), dtype=bool)
        if missing:
            known[order[np.fromiter((place for (place,) in missing), dtype=np.int64, count=len(missing))]] = False
        return known

    @staticmethod
    def _resolve_columns(conn: sqlite3.Connection, batch: pd.DataFrame, unknown: np.ndarray) -> pd.DataFrame:
        """As :meth:`_resolve_email_ids` for a batch of columns: an event that names no email but the
        Message-ID of the message it answers takes the email of the stored event with that Message-ID
        (of those with one, the first stored), and its key under it; its own email name is not taken.

        Only events of earlier imports are looked at (by the Message-ID index): what a report of an
        input is matched to does not depend on where its blocks begin, and a load into an empty store,
        which builds its indexes after the load, has nothing to look up."""
        import numpy as np
        import pandas as pd

        from bouncectl.ledger.rows import event_key

        message_ids = sorted(set(batch["message_id"].to_numpy(dtype=object)[unknown].tolist()))
        import_id = int(batch["import_id"].iat[0])
        found: dict[str, str] = {}
        for chunk in chunks(message_ids, MAX_PARAMS - 1):
            rows = conn.execute(
                f"SELECT message_id, email_id, min(id) FROM events WHERE message_id IN ({','.join('?' * len(chunk))}) "
                "AND email_id IS NOT NULL AND import_id IS NOT ? GROUP BY message_id",
                [*chunk, import_id],
            )
            found.update((message_id, email_id) for message_id, email_id, _ in rows)
        batch = batch.copy()
        email_ids = batch["email_id"].to_numpy(dtype=object).copy()
        keys = batch["key"].to_numpy(dtype=object).copy()
        columns = {name: batch[name].to_numpy(dtype=object) for name in (
            "recipient", "event", "timestamp", "smtp_code", "enhanced_status", "provider_type", "list_group",
            "message_id")}
        for index in np.flatnonzero(unknown).tolist():
            email_id = found.get(columns["message_id"][index], NULL)
            if email_id == NULL:
                continue
            email_ids[index] = email_id
            keys[index] = event_key(
                email_id, columns["recipient"][index], columns["event"][index], columns["timestamp"][index], True,
                columns["smtp_code"][index] or None, columns["enhanced_status"][index] or None,
                columns["provider_type"][index] or None, columns["list_group"][index] or None,
            )
        batch["email_id"] = pd.Series(email_ids, dtype=object, index=batch.index)
        batch["key"] = pd.Series(keys, dtype=object, index=batch.index)
        if "email_name" in batch:
            batch.loc[unknown, "email_name"] = NULL
        return batch

    @staticmethod
    def _stored_columns(conn: sqlite3.Connection, first_id: int) -> tuple[pd.DataFrame, np.ndarray]:
        """The events stored from ``first_id`` on, as columns, and their ids."""
        import pandas as pd

        fields = ("recipient", "email_id", "event", "timestamp", "bounce_type", "reason", "is_global",
                  "not_sent_reason", "list_group")
        rows = conn.execute(
            f"SELECT id, {', '.join(f'coalesce({name}, {NULL!r})' for name in fields)} FROM events WHERE id >= ?",
            (first_id,),
        ).fetchall()
        frame = pd.DataFrame(rows, columns=["id", *fields], dtype=object)
        return frame, frame["id"].to_numpy(dtype="int64")

    def add_batch(self, conn: sqlite3.Connection, batch: EventBatch, options: ImportOptions) -> BatchResult:
        """Store a batch of events; what they say of their contacts waits for :meth:`settle_contacts`,
        which must run before the transaction ends.

        Events already in the store (same natural key) are counted as duplicates
        and change nothing, so importing the same input twice changes nothing.
        """
        from bouncectl.ledger.fold import fold_rows, offset_ids

        result = BatchResult(duplicates=batch.known)
        rows = batch.rows
        resolved = self._resolve_email_ids(conn, rows)
        if options.third_party:
            # Said of contacts already in the store too (a purchased list imported again, or late).
            recipients = list({row[RECIPIENT] for row in rows})
            for chunk in chunks(recipients):
                conn.execute(
                    f"UPDATE contacts SET third_party = 1 WHERE email IN ({','.join('?' * len(chunk))})", chunk
                )
        if not rows:
            return result
        # Inside the write transaction no one else adds events: SQLite numbers the new rows on from here.
        first_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM events").fetchone()[0]
        result.stored = conn.executemany(INSERT_ROW, rows).rowcount
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
            offset_ids(contacts, first_id)
        self._update_emails(conn, emails, batch.names)
        conn.execute(PENDING_TABLE)
        conn.executemany(
            PENDING_INSERT,
            [(email, *(NULL if value is None else value for value in state)) for email, state in contacts.items()],
        )
        return result

    @staticmethod
    def _resolve_email_ids(conn: sqlite3.Connection, rows: list[tuple]) -> bool:
        """Give a bounce without an email id the email of the stored send it answers, then its key.

        Returns whether any row needed it.
        """
        from bouncectl.ledger.rows import row_key

        resolved = False
        for index, row in enumerate(rows):
            if row[KEY] is not None:
                continue
            found = conn.execute(
                "SELECT email_id FROM events WHERE message_id = ? AND email_id IS NOT NULL LIMIT 1",
                (row[MESSAGE_ID],),
            ).fetchone()
            email_id = found[0] if found else NULL
            fixed = list(row)
            fixed[EMAIL_ID] = email_id
            fixed[KEY] = row_key(row, email_id)
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
