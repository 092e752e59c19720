"""Forgotten addresses (SPEC rule 2.11): the hash key, the kept statuses, and the erasure itself.

What an erasure keeps is decided in :mod:`bouncectl.ledger.erasure`; here it is read and written.
"""

from __future__ import annotations

import re
import sqlite3

from bouncectl.ledger.erasure import address_hash
from bouncectl.store.admin import AdminTables
from bouncectl.store.base import chunks

ERASURE_KEY = "erasure_key"


class ErasureTables(AdminTables):
    def erasure_key(self, conn: sqlite3.Connection) -> bytes:
        """The store's hash key, made (random, 32 bytes) on first use inside the caller's write transaction."""
        found = conn.execute("SELECT value FROM settings WHERE key = ?", (ERASURE_KEY,)).fetchone()
        if found:
            return bytes.fromhex(found[0])
        import secrets  # made once per store, by its first erasure: not loaded by every command

        key = secrets.token_bytes(32)
        conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (ERASURE_KEY, key.hex()))
        return key

    def hash_if_forgotten(self, conn: sqlite3.Connection, email: str) -> str | None:
        """The hash ``email`` was forgotten under, or ``None`` when it never was (a reactivation
        before its erasure is kept under that hash, and still counts: once per contact, ever)."""
        found = conn.execute("SELECT value FROM settings WHERE key = ?", (ERASURE_KEY,)).fetchone()
        if not found:
            return None
        digest = address_hash(bytes.fromhex(found[0]), email)
        return digest if conn.execute("SELECT 1 FROM forgotten WHERE hash = ?", (digest,)).fetchone() else None

    def kept_statuses(self, conn: sqlite3.Connection, emails: list[str]) -> dict[str, str]:
        """The kept status of each of ``emails`` that was forgotten (none is looked at when none was)."""
        if not emails or conn.execute("SELECT 1 FROM forgotten LIMIT 1").fetchone() is None:
            return {}
        found = conn.execute("SELECT value FROM settings WHERE key = ?", (ERASURE_KEY,)).fetchone()
        if not found:
            return {}
        key = bytes.fromhex(found[0])
        hashes = {address_hash(key, email): email for email in emails}
        kept: dict[str, str] = {}
        for chunk in chunks(list(hashes)):
            placeholders = ",".join("?" * len(chunk))
            for digest, status in conn.execute(f"SELECT hash, status FROM forgotten WHERE hash IN ({placeholders})", chunk):
                kept[hashes[digest]] = status
        return kept

    def erase(self, conn: sqlite3.Connection, email: str, digest: str, status: str, at: str) -> dict[str, int]:
        """Delete everything the store holds of ``email`` and keep ``digest`` with ``status``;
        returns how many rows of each kind went. Audit entries and reactivations keep their place
        (the quota and the log stay whole) with the hash for the address."""
        found = "instr(lower({0}), ?) > 0"
        counts = {
            "events": conn.execute("DELETE FROM events WHERE recipient = ?", (email,)).rowcount,
            "rejects": conn.execute(
                f"DELETE FROM rejects WHERE {found.format('coalesce(raw, error)')} OR {found.format('error')}",
                (email, email),
            ).rowcount,
            "contacts": conn.execute("DELETE FROM contacts WHERE email = ?", (email,)).rowcount,
        }
        # Another recipient's event that quotes the address (a bounce message naming several).
        counts["events"] += conn.execute(
            f"UPDATE events SET raw = NULL, diagnostic = NULL WHERE {found.format('raw')} OR {found.format('diagnostic')}",
            (email, email),
        ).rowcount
        conn.execute("UPDATE reactivations SET contact = ? WHERE contact = ?", (digest, email))
        named = re.compile(re.escape(email), re.IGNORECASE)
        entries = conn.execute(
            f"SELECT id, detail FROM audit WHERE contact = ? OR {found.format('detail')}", (email, email)
        ).fetchall()
        for entry_id, detail in entries:
            conn.execute(
                "UPDATE audit SET contact = ?, detail = ? WHERE id = ?",
                (digest, named.sub(digest, detail) if detail else detail, entry_id),
            )
        counts["audit"] = len(entries)
        conn.execute(
            "INSERT INTO forgotten (hash, status, forgotten_at) VALUES (?, ?, ?) "
            "ON CONFLICT (hash) DO UPDATE SET status = excluded.status, forgotten_at = excluded.forgotten_at",
            (digest, status, at),
        )
        return counts

    def scrub(self) -> None:
        """Leave no copy of erased rows in the file: rebuild it (an index's inner pages can keep a
        deleted key) and empty the write-ahead log."""
        self.conn.execute("VACUUM")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
