"""The contacts table: contacts brought up to date from the folds of stored events, reactivations
and soft-bounce settings applied. What a fold, a status or a reactivation means is decided in
:mod:`bouncectl.ledger`; here it is read and written.

Those rules are imported by the methods that apply them, which all write: a command that only
reads the store (``quota``, ``bounced``) opens it without loading them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING

from bouncectl.ledger.fields import CONTACT_FIELDS, NULL
from bouncectl.ledger.quota import month_of
from bouncectl.store.base import MAX_PARAMS, chunks, values
from bouncectl.store.erasure import ErasureTables
from bouncectl.timeparse import format_utc
from bouncectl.vocabulary import COMPLAINED, HARD_BOUNCED, UNSUBSCRIBED

if TYPE_CHECKING:
    import pandas as pd

    from bouncectl.ledger.status import SoftBouncePolicy
    from bouncectl.model import ImportOptions


def _update_contact(fields: tuple[str, ...]) -> str:
    return f"UPDATE contacts SET {', '.join(f'{name} = nullif(?, {NULL!r})' for name in fields)} WHERE email = ?"


# An update sets only what may have changed, so SQLite leaves alone the indexes on what has not:
# the domain never changes, and the status and hard-bounce reason seldom do.
UPDATE_CONTACT = _update_contact(CONTACT_FIELDS[2:])
UPDATE_CONTACT_SAME_STATUS = _update_contact(CONTACT_FIELDS[4:])

# What the batches of one write transaction say of their contacts (their folds), until they are settled.
PENDING_FIELDS = (
    "first", "last", "bounces", "hard_at", "hard_reason", "hard_id", "global_at", "delivered_at", "complained_at",
    "unsubscribed_at", "undated", "recount",
)
PENDING_TABLE = f"CREATE TEMP TABLE IF NOT EXISTS pending_contacts (email TEXT NOT NULL, {', '.join(PENDING_FIELDS)})"
PENDING_INSERT = f"INSERT INTO temp.pending_contacts VALUES (?, {values(PENDING_FIELDS)})"


# The soft streak of each contact of a JSON list of [address, start] (see _recount_soft_streak):
# for each, its soft bounces after its start, looked up in the index of bounces.
RECOUNT_SOFT_STREAKS = (
    "SELECT json_extract(wanted.value, '$[0]') AS email, count(DISTINCT coalesce(events.email_id, events.id)), "
    "min(events.timestamp), max(events.timestamp) FROM json_each(?) AS wanted CROSS JOIN events "
    "WHERE events.recipient = json_extract(wanted.value, '$[0]') AND events.timestamp > json_extract(wanted.value, '$[1]') "
    "AND events.event = 'bounce' AND events.bounce_type = 'soft' GROUP BY email"
)

# The folds an import could not hold, by address: the columns of a fold frame (see
# :mod:`bouncectl.ledger.columns`), times as the numbers it holds them as.
SPILLED_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS spilled_folds (email TEXT NOT NULL, first INTEGER, last INTEGER, "
    "bounces INTEGER, hard_at INTEGER, hard_reason TEXT, hard_id INTEGER, global_at INTEGER, delivered_at INTEGER, "
    "complained_at INTEGER, unsubscribed_at INTEGER, recount INTEGER)"
)


class ContactsTable(ErasureTables):
    @staticmethod
    def spill_folds(conn: sqlite3.Connection, parts: Iterable[pd.DataFrame], anew: bool = False) -> None:
        """Keep fold frames aside, in a temporary table (on disk, as SQLite keeps temporary
        tables by default), for :meth:`spilled_folds` to merge: an import of more contacts than
        it holds in memory then settles each once, at its end. ``anew``: what an earlier attempt
        of the same load kept there is let go first."""
        from bouncectl.ledger.columns import FOLD_COLUMNS

        conn.execute(SPILLED_TABLE)
        if anew:
            conn.execute("DELETE FROM temp.spilled_folds")
        insert = f"INSERT INTO temp.spilled_folds VALUES ({', '.join('?' * len(FOLD_COLUMNS))})"
        for part in parts:
            conn.executemany(insert, zip(*(part[name].tolist() for name in FOLD_COLUMNS), strict=True))

    @staticmethod
    def spilled_folds(conn: sqlite3.Connection, size: int) -> Iterator[pd.DataFrame]:
        """The folds kept by :meth:`spill_folds`, one per contact, in address order, as frames of
        about ``size`` contacts (see :func:`bouncectl.ledger.columns.collapse`); the table is
        emptied at the end. SQLite sorts them (on disk past its cache), and a contact's folds,
        next to each other then, are merged by the same rule as those held."""
        import pandas as pd

        from bouncectl.ledger.columns import FOLD_COLUMNS, collapse, frame_of

        conn.execute(SPILLED_TABLE)
        cursor = conn.execute(f"SELECT {', '.join(FOLD_COLUMNS)} FROM temp.spilled_folds ORDER BY email")
        carried: list[tuple] = []  # the folds of the last address read: more of them may follow
        while True:
            rows = carried + cursor.fetchmany(size)
            ended = len(rows) == len(carried)
            if not ended:
                last = rows[-1][0]
                cut = len(rows)
                while cut and rows[cut - 1][0] == last:
                    cut -= 1
                rows, carried = rows[:cut], rows[cut:]
            if rows:
                columns = list(zip(*rows, strict=True))
                frame = frame_of({name: pd.Series(values, dtype=object) if name in ("email", "hard_reason") else values
                                  for name, values in zip(FOLD_COLUMNS, columns, strict=True)})
                frame["recount"] = frame["recount"].astype(bool)
                yield collapse(frame, ordered=True)
            if ended:
                break
        cursor.close()
        conn.execute("DELETE FROM temp.spilled_folds")

    def settle_contacts(self, conn: sqlite3.Connection, options: ImportOptions, soft_policy: SoftBouncePolicy) -> int:
        """Bring the contacts of every batch stored since the last call up to date; returns how many
        became hard-bounced.

        Contacts are settled once each, in address order, however many batches named them: fewer
        and cheaper writes than contact by contact, batch by batch.
        """
        from bouncectl.ledger.fold import merge

        conn.execute(PENDING_TABLE)
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
                merge(known, state)
        if chunk:
            newly_hard += self._update_contacts(conn, chunk, options, soft_policy)
        conn.execute("DELETE FROM temp.pending_contacts")
        return newly_hard

    def settle_folds(
        self, conn: sqlite3.Connection, folds: Iterable[pd.DataFrame], options: ImportOptions,
        soft_policy: SoftBouncePolicy,
    ) -> int:
        """Bring up to date the contacts of fold frames (one fold a contact, each contact in one
        frame, in address order: see :func:`bouncectl.ledger.columns.collapse`), each once;
        returns how many became hard-bounced.

        Into an empty contacts table, no stored contact is looked for (the frames name each
        contact once), and the table's secondary indexes are built once its rows are written, in
        the same transaction: a fraction of what keeping them row by row costs."""
        fresh = conn.execute("SELECT 1 FROM contacts LIMIT 1").fetchone() is None
        dropped = self.drop_indexes(conn, "contacts") if fresh else {}
        newly_hard = 0
        for frame in folds:
            newly_hard += self._settle_part(conn, frame, options, soft_policy, fresh)
        self.create_indexes(conn, list(dropped.values()))
        return newly_hard

    @staticmethod
    def drop_indexes(conn: sqlite3.Connection, table: str, keep: frozenset[str] = frozenset()) -> dict[str, str]:
        """Drop every index made by a statement on ``table`` (not those of its own key), but those
        named in ``keep``; returns what re-creates each, by name (see :meth:`create_indexes`)."""
        found = [(name, sql) for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
            "ORDER BY name",
            (table,),
        ) if name not in keep]
        for name, _ in found:
            conn.execute(f'DROP INDEX "{name}"')
        return dict(found)

    @staticmethod
    def create_indexes(conn: sqlite3.Connection, statements: list[str]) -> None:
        """Re-create what :meth:`drop_indexes` dropped (an IntegrityError if a unique key repeats)."""
        for sql in statements:
            conn.execute(sql)

    def _settle_part(
        self, conn: sqlite3.Connection, folds: pd.DataFrame, options: ImportOptions, soft_policy: SoftBouncePolicy,
        fresh: bool = False,
    ) -> int:
        """Settle a frame of folds (see :meth:`settle_folds`; ``fresh``: the contacts table was empty)."""
        from bouncectl.ledger.columns import (
            fold_lists,
            new_contact_columns,
            plain_new_contacts,
            plain_stored_contacts,
            stored_contact_rows,
        )

        newly_hard = 0
        for start in range(0, len(folds), MAX_PARAMS):
            part = folds.iloc[start : start + MAX_PARAMS]
            emails = part["email"].tolist()
            contacts = {} if fresh else self._load_contacts(conn, emails)
            # A forgotten address that comes back keeps the status it had (rule 2.11).
            kept = self.kept_statuses(conn, emails if fresh else [email for email in emails if email not in contacts])
            # New addresses, and stored contacts, with no soft streak to count, no kept status and
            # no undated report: settled by columns (new ones written from their columns); the
            # others one by one.
            new = plain_new_contacts(part, {*contacts, *kept})
            if new.any():
                columns, statuses = new_contact_columns(part[new], options.third_party)
                newly_hard += statuses.count(HARD_BOUNCED)
                self._insert_contact_columns(conn, columns)
            stored = plain_stored_contacts(part, contacts)
            settled: list[tuple[tuple, tuple | None]] = [
                (row, (contacts[row[0]]["status"], contacts[row[0]]["hard_bounce_reason"]))
                for row in stored_contact_rows(part[stored], contacts, options.third_party)
            ]
            others = ~(new | stored)
            batch = dict(fold_lists(part[others])) if others.any() else {}
            newly_hard += self._update_contacts(conn, batch, options, soft_policy, loaded=(contacts, kept),
                                                settled=settled)
        return newly_hard

    def _load_contacts(self, conn: sqlite3.Connection, emails: list[str]) -> dict[str, dict]:
        found: dict[str, dict] = {}
        for chunk in chunks(emails):
            placeholders = ",".join("?" * len(chunk))
            cursor = conn.execute(f"SELECT {', '.join(CONTACT_FIELDS)} FROM contacts WHERE email IN ({placeholders})", chunk)
            for row in cursor:
                found[row[0]] = dict(zip(CONTACT_FIELDS, row))
        return found

    def _update_contacts(
        self,
        conn: sqlite3.Connection,
        batch: dict[str, list],
        options: ImportOptions,
        soft_policy: SoftBouncePolicy,
        loaded: tuple[dict[str, dict], dict[str, str]] | None = None,
        settled: list[tuple[tuple, tuple | None]] | None = None,
    ) -> int:
        """Take the folds of a batch's new events (see :mod:`bouncectl.ledger.fold`) into their
        contacts; returns how many became hard-bounced.

        Every field is a count, a minimum or a maximum, so the result does not depend on
        the order events arrive in; the soft-bounce streak is recounted from the events.
        ``loaded``: the batch's stored contacts and kept statuses, already read; ``settled``:
        contacts settled already (see :meth:`_write_contacts`), written with these.
        """
        from bouncectl.ledger.fold import add_fold, needs_recount, new_contact
        from bouncectl.ledger.status import status_of

        if loaded is None:
            contacts = self._load_contacts(conn, list(batch))
            # A forgotten address that comes back keeps the status it had (rule 2.11).
            kept = self.kept_statuses(conn, [email for email in batch if email not in contacts])
        else:
            contacts, kept = loaded
        settled = [] if settled is None else settled
        taken: list[tuple[dict, tuple | None]] = []
        recount: list[dict] = []
        for email, fold in batch.items():
            contact = contacts.get(email)
            before = None
            if contact is None:
                contact = new_contact(email, fold)
                contact["kept_status"] = kept.get(email)
            else:
                before = (contact["status"], contact["hard_bounce_reason"])
                add_fold(contact, fold)
            if options.third_party:
                contact["third_party"] = 1
            if needs_recount(contact, fold):
                recount.append(contact)
            taken.append((contact, before))
        self._recount_soft_streaks(conn, recount)
        for contact, before in taken:
            contact["status"] = status_of(contact, soft_policy)
            settled.append((tuple(NULL if value is None else value for value in contact.values()), before))
        return self._write_contacts(conn, settled)

    @staticmethod
    def _write_contacts(conn: sqlite3.Connection, settled: list[tuple[tuple, tuple | None]]) -> int:
        """Write settled contacts, each its row (CONTACT_FIELDS, NULL as "") and what its status and
        hard-bounce reason were (None: a new contact); returns how many became hard-bounced."""
        newly_hard = 0
        added, changed, same_status = [], [], []
        for row, before in settled:
            email, status = row[0], row[2]
            if status == HARD_BOUNCED and (before is None or before[0] != HARD_BOUNCED):
                newly_hard += 1
            if before is None:
                added.append(row)
            elif before == (status, row[3] or None):
                same_status.append((*row[4:], email))
            else:
                changed.append((*row[2:], email))
        # In address order, SQLite walks the contacts B-tree once instead of jumping about in it.
        ContactsTable._insert_contacts(conn, sorted(added))
        conn.executemany(UPDATE_CONTACT_SAME_STATUS, sorted(same_status, key=itemgetter(-1)))
        conn.executemany(UPDATE_CONTACT, sorted(changed, key=itemgetter(-1)))
        return newly_hard

    @staticmethod
    def _insert_contacts(conn: sqlite3.Connection, rows: list[tuple]) -> None:
        """Insert contact rows (CONTACT_FIELDS, NULL as "")."""
        if rows:
            ContactsTable._insert_contact_columns(conn, dict(zip(CONTACT_FIELDS, zip(*rows, strict=True), strict=True)))

    @staticmethod
    def _insert_contact_columns(conn: sqlite3.Connection, columns: Mapping[str, Sequence | None]) -> None:
        """Insert contacts given as columns (of CONTACT_FIELDS, NULL as ""), binding only what
        varies: a column empty (or 0) in every row, or None, is left to its default, which is
        NULL (or 0)."""
        used = {name: column for name, column in columns.items() if column is not None and any(column)}
        if not used:
            return
        placeholders = ", ".join("?" if all(column) else f"nullif(?, {NULL!r})" for column in used.values())
        conn.executemany(f"INSERT INTO contacts ({', '.join(used)}) VALUES ({placeholders})",
                         zip(*used.values(), strict=True))

    @staticmethod
    def _recount_soft_streaks(conn: sqlite3.Connection, contacts: list[dict]) -> None:
        """:meth:`_recount_soft_streak` for many contacts, by one query per chunk of them: each
        contact's soft bounces are found by the index of bounces, from its own start on."""
        import json

        from bouncectl.ledger.status import soft_streak_start

        for chunk in chunks(contacts):
            wanted = json.dumps([[contact["email"], soft_streak_start(contact)] for contact in chunk])
            found = {email: streak for email, *streak in conn.execute(RECOUNT_SOFT_STREAKS, (wanted,))}
            for contact in chunk:
                count, first, last = found.get(contact["email"], (0, None, None))
                contact["soft_streak"] = count
                contact["soft_streak_since"] = first
                contact["soft_streak_last"] = last

    @staticmethod
    def _recount_soft_streak(conn: sqlite3.Connection, contact: dict) -> None:
        """The soft bounces since the last delivery or reactivation, whatever order they arrived in.

        Sends are counted once each (several soft bounces of one email are one soft-bounced send).
        """
        from bouncectl.ledger.status import soft_streak_start

        since = soft_streak_start(contact)
        count, first, last = conn.execute(
            "SELECT count(DISTINCT coalesce(email_id, id)), min(timestamp), max(timestamp) FROM events "
            "WHERE recipient = ? AND timestamp > ? AND event = 'bounce' AND bounce_type = 'soft'",
            (contact["email"], since),
        ).fetchone()
        contact["soft_streak"] = count
        contact["soft_streak_since"] = first
        contact["soft_streak_last"] = last

    def reactivate(self, conn: sqlite3.Connection, email: str, user: str, bounce: dict | None, at: datetime) -> str:
        """Lift the contact's bounce: record the reactivation and reset its status; returns the new status.

        Every bounce known now is lifted, also one dated after now (a clock or time zone off in
        the source): the contact's ``reactivated_at`` is the later of the two.
        """
        from bouncectl.ledger.reactivation import lifted_until
        from bouncectl.ledger.status import status_of

        stamp = format_utc(at)
        conn.execute(
            "INSERT INTO reactivations (contact, user, at, month, bounce_event_id, reason) VALUES (?, ?, ?, ?, ?, ?)",
            (email, user, stamp, month_of(at), bounce["id"] if bounce else None, bounce and bounce["reason"]),
        )
        contact = next(self._rows(f"SELECT {', '.join(CONTACT_FIELDS)} FROM contacts WHERE email = ?", (email,)))
        lifted = lifted_until(stamp, contact["hard_bounced_at"])
        contact["reactivated_at"] = lifted
        self._recount_soft_streak(conn, contact)
        contact["status"] = status_of(contact, self.soft_bounce_policy())
        conn.execute(
            "UPDATE contacts SET reactivated_at = ?, status = ?, soft_streak = ?, soft_streak_since = ?, "
            "soft_streak_last = ? WHERE email = ?",
            (lifted, contact["status"], contact["soft_streak"], contact["soft_streak_since"],
             contact["soft_streak_last"], email),
        )
        return contact["status"]

    def resubscribe(self, conn: sqlite3.Connection, email: str, at: datetime) -> str:
        """Record the recipient's new consent: every complaint and unsubscribe known now is lifted
        (also one dated after now, as for a reactivation); returns the new status."""
        from bouncectl.ledger.status import status_of

        contact = next(self._rows(f"SELECT {', '.join(CONTACT_FIELDS)} FROM contacts WHERE email = ?", (email,)))
        latest = conn.execute(
            "SELECT max(timestamp) FROM events WHERE recipient = ? AND event IN ('complaint', 'unsubscribe')", (email,)
        ).fetchone()[0]
        lifted = max(format_utc(at), latest or "", contact["complained_at"] or "", contact["unsubscribed_at"] or "")
        contact["resubscribed_at"] = lifted
        if contact["kept_status"] in (COMPLAINED, UNSUBSCRIBED):
            contact["kept_status"] = None
        contact["status"] = status_of(contact, self.soft_bounce_policy())
        conn.execute(
            "UPDATE contacts SET resubscribed_at = ?, kept_status = ?, status = ? WHERE email = ?",
            (lifted, contact["kept_status"], contact["status"], email),
        )
        return contact["status"]

    def update_soft_bounce_settings(self, values: dict[str, str], by: str = "unknown") -> dict:
        """Store soft-bounce settings and re-evaluate, in the same transaction, every contact
        with a soft-bounce streak (or suppressed), so the new policy applies at once. Each
        setting's old and new value goes into the audit log, by ``by``."""
        from bouncectl.ledger.status import status_of

        with self.write() as conn:
            for key, value in values.items():
                old = self.get_setting(key)
                detail = f"{key}: {'(default)' if old is None else old} -> {value}"
                self.audit_change(conn, by, "config", detail, changed=old != value)
            conn.executemany(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )
            soft_policy = self.soft_bounce_policy()
            changed: dict[str, int] = {}
            checked = 0
            cursor = conn.execute(
                f"SELECT {', '.join(CONTACT_FIELDS)} FROM contacts WHERE soft_streak > 0 OR status = 'suppressed'"
            )
            updates = []
            for row in cursor:
                contact = dict(zip(CONTACT_FIELDS, row))
                checked += 1
                status = status_of(contact, soft_policy)
                if status != contact["status"]:
                    updates.append((status, contact["email"]))
                    changed[status] = changed.get(status, 0) + 1
            conn.executemany("UPDATE contacts SET status = ? WHERE email = ?", updates)
        return {"checked": checked, "changed": len(updates), "now": changed}
