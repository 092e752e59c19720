"""Mailgun's legacy (form-encoded, pre-2018) webhooks: bounced and dropped read right."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from trusthelpers import invoke

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "payloads"


def _events(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT recipient, event, timestamp, email_id, bounce_type, reason, smtp_code, enhanced_status, not_sent_reason "
            "FROM events ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_form_encoded_legacy_webhooks_are_detected_and_read(tmp_path):
    db = tmp_path / "s.db"
    result = invoke(db, "import", str(FIXTURES / "mailgun-legacy-webhooks.txt"))
    assert result.exit_code == 0, result.stderr
    assert "(mailgun): 5 rows read, 5 events stored" in result.stderr
    rows = _events(db)
    assert rows[0] == (
        "no.longer@example.net", "bounce", "2017-10-12T08:30:15.000Z", "2017-10-autumn", "hard", "userunknown", 550, "5.1.1", None
    )
    assert rows[1][:2] == ("bounced.before@example.org", "not_sent") and rows[1][8] == "PREVIOUSLY_BOUNCED"
    assert rows[2][:2] == ("gave.up@example.com", "bounce") and rows[2][4:6] == ("soft", "expired")
    assert rows[3][:2] == ("refused@example.com", "bounce") and rows[3][4:8] == ("hard", "userunknown", 550, "5.1.1")
    assert rows[4][:2] == ("fine@example.com", "delivered")
    statuses = dict(sqlite3.connect(db).execute("SELECT email, status FROM contacts").fetchall())
    assert statuses["no.longer@example.net"] == "hard_bounced"
    assert statuses["refused@example.com"] == "hard_bounced"
    assert statuses["gave.up@example.com"] != "hard_bounced"


def test_legacy_webhook_fields_as_json_are_read(tmp_path):
    db = tmp_path / "s.db"
    result = invoke(db, "import", str(FIXTURES / "mailgun-legacy-webhooks.json"))
    assert result.exit_code == 0, result.stderr
    rows = _events(db)
    assert rows[0][:7] == ("json.bounce@example.com", "bounce", "2017-10-12T08:38:20.000Z", "2017-10-json", "hard", "userunknown", 550)
    assert rows[1][:2] == ("maxed@example.com", "bounce") and rows[1][4:6] == ("soft", "expired")
