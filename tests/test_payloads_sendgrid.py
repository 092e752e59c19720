"""SendGrid batches as the documentation shows them: no sg_event_id or smtp-id, string or array
categories, reserved keys, legacy newsletter unsubscribes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from trusthelpers import invoke

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "payloads"


def _events(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT recipient, event, email_id, bounce_type, enhanced_status, not_sent_reason FROM events ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_a_batch_without_sendgrid_ids_is_detected_and_read(tmp_path):
    db = tmp_path / "s.db"
    result = invoke(db, "import", str(FIXTURES / "sendgrid-batch-without-ids.json"))
    assert result.exit_code == 0, result.stderr
    assert "(sendgrid): 7 rows read, 7 events stored" in result.stderr
    assert _events(db) == [
        ("maria.lopez@example.es", "sent", "2026-10-digest", None, None, None),
        ("maria.lopez@example.es", "delivered", "2026-10-digest", None, None, None),
        ("k.tanaka@example.jp", "bounce", "2026-10-digest", "hard", "5.1.1", None),
        ("lars.berg@example.se", "not_sent", "2026-10-digest", None, None, "PREVIOUSLY_BOUNCED"),
        ("maria.lopez@example.es", "open", "2026-10-digest", None, None, None),
        ("maria.lopez@example.es", "click", "2026-10-digest", None, None, None),
        ("slow.server@example.org", "deferred", "2026-10-digest", None, "4.7.0", None),
    ]


def test_a_legacy_newsletter_unsubscribe_is_read(tmp_path):
    db = tmp_path / "s.db"
    result = invoke(db, "import", str(FIXTURES / "sendgrid-legacy-newsletter-unsubscribe.json"))
    assert result.exit_code == 0, result.stderr
    assert _events(db) == [("old.reader@example.com", "unsubscribe", None, None, None, None)]


def test_email_id_given_wins_over_the_category(tmp_path):
    db = tmp_path / "s.db"
    result = invoke(db, "import", str(FIXTURES / "sendgrid-batch-without-ids.json"), "--email-id", "2026-10-newsletter")
    assert result.exit_code == 0, result.stderr
    assert {row[2] for row in _events(db)} == {"2026-10-newsletter"}


def test_canonical_json_lines_are_not_taken_for_sendgrid(tmp_path):
    from bouncectl import sources
    from bouncectl.sources.source import Source

    path = tmp_path / "log.jsonl"
    path.write_text('{"email": "a@example.com", "recipient": "a@example.com", "event": "bounce", "timestamp": 1792310400}\n')
    assert not sources.sendgrid.FORMAT.sniff(Source(path).head(), Source(path))
