"""HubSpot's unsubscribes-and-bounces export: a category written in the bounce cell is its reason."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from trusthelpers import invoke

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "payloads"


def test_an_unknown_user_category_is_userunknown_not_filtered(tmp_path):
    db = tmp_path / "s.db"
    result = invoke(db, "import", str(FIXTURES / "hubspot-unsubscribes-and-bounces-undated.csv"))
    assert result.exit_code == 0, result.stderr
    rows = dict(sqlite3.connect(db).execute("SELECT recipient, reason FROM events WHERE event = 'bounce'").fetchall())
    assert rows == {"noor.haddad@example.com": "userunknown", "full.box@example.org": "mailboxfull"}
    contact = sqlite3.connect(db).execute(
        "SELECT status, hard_bounce_reason FROM contacts WHERE email = 'noor.haddad@example.com'"
    ).fetchone()
    assert contact == ("hard_bounced", "userunknown")
