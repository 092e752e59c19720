"""The admin tables: settings, sending domains, users and saved lists."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bouncectl.errors import NotFound
from bouncectl.store.base import StoreBase
from bouncectl.timeparse import now_utc

if TYPE_CHECKING:
    from bouncectl.ledger.status import SoftBouncePolicy


class AdminTables(StoreBase):
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

    def soft_bounce_policy(self) -> SoftBouncePolicy:
        from bouncectl.ledger.status import soft_bounce_policy  # the writing commands' (see store.contacts)

        return soft_bounce_policy(self.settings())

    def add_domain(self, domain: str, by: str = "unknown") -> None:
        with self.write() as conn:
            added = conn.execute("INSERT OR IGNORE INTO domains (domain, added_at) VALUES (?, ?)", (domain, now_utc()))
            self.audit_change(conn, by, "domains add", f"{domain}: connected", changed=added.rowcount > 0)

    def remove_domain(self, domain: str, by: str = "unknown") -> None:
        with self.write() as conn:
            if conn.execute("DELETE FROM domains WHERE domain = ?", (domain,)).rowcount == 0:
                raise NotFound(f"no sending domain {domain!r}", hint="see them with `bouncectl domains list`")
            self.audit_change(conn, by, "domains remove", f"{domain}: disconnected")

    def domains(self) -> Iterator[dict]:
        return self._rows("SELECT domain, added_at FROM domains ORDER BY domain")

    def add_user(self, name: str, permissions: list[str], by: str = "unknown") -> None:
        with self.write() as conn:
            row = conn.execute("SELECT permissions FROM users WHERE name = ?", (name,)).fetchone()
            held = set(row[0].split(",")) if row and row[0] else set()
            merged = ",".join(sorted(held | set(permissions)))
            conn.execute(
                "INSERT INTO users (name, permissions, added_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET permissions = excluded.permissions",
                (name, merged, now_utc()),
            )
            old = (",".join(sorted(held)) or "(none)") if row else "(new user)"
            self.audit_change(conn, by, "users add", f"{name}: permissions {old} -> {merged}", changed=old != merged)

    def users(self) -> Iterator[dict]:
        return self._rows("SELECT name, permissions, added_at FROM users ORDER BY name")

    def save_list(self, name: str, filters: dict) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO lists (name, filters, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET filters = excluded.filters",
                (name, json.dumps(filters, sort_keys=True), now_utc()),
            )

    def saved_list(self, name: str) -> dict:
        return json.loads(self.saved_list_text(name))

    def saved_list_text(self, name: str) -> str:
        """A saved list's filters as stored (JSON text)."""
        row = self.conn.execute("SELECT filters FROM lists WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NotFound(f"no saved list {name!r}", hint="see them with `bouncectl lists`")
        return row[0]

    def lists(self) -> Iterator[dict]:
        return self._rows("SELECT name, filters, created_at FROM lists ORDER BY name")

    def delete_list(self, name: str) -> None:
        with self.write() as conn:
            if conn.execute("DELETE FROM lists WHERE name = ?", (name,)).rowcount == 0:
                raise NotFound(f"no saved list {name!r}", hint="see them with `bouncectl lists`")
