"""Amazon SES and SNS payloads of each kind, as the providers document them, read right."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from trusthelpers import invoke

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "payloads"


def _events(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT recipient, event, timestamp, not_sent_reason, diagnostic, email_id FROM events ORDER BY recipient"
        ).fetchall()
    finally:
        conn.close()


def test_a_reject_is_a_send_that_was_not_made(tmp_path):
    db = tmp_path / "s.db"
    result = invoke(db, "import", str(FIXTURES / "ses-reject.json"), "--format", "ses")
    assert result.exit_code == 0, result.stderr
    assert _events(db) == [
        ("ines.moreau@example.fr", "not_sent", "2026-10-14T08:12:40.101Z", "SUPPRESSED", "Bad content", None),
        ("tom.baker@example.co.uk", "not_sent", "2026-10-14T08:12:40.101Z", "SUPPRESSED", "Bad content", None),
    ]
    detected = invoke(tmp_path / "t.db", "import", str(FIXTURES / "ses-reject.json"))
    assert detected.exit_code == 0 and "(ses)" in detected.stderr


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("sns-subscription-confirmation.json", "an SNS subscription confirmation (confirm it at its SubscribeURL)"),
        ("sns-unsubscribe-confirmation.json", "an SNS unsubscribe confirmation"),
        ("ses-inbound-received.json", "an SES inbound-mail (Received) notification, not a sending event"),
    ],
)
def test_records_with_nothing_to_import_are_recognised_and_said_what_they_are(tmp_path, name, said):
    db = tmp_path / "s.db"
    result = invoke(db, "import", str(FIXTURES / name))  # detected, not given
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == f"{FIXTURES / name} (ses): {said}; nothing to import"
    assert _events(db) == []
    rejects = sqlite3.connect(db).execute("SELECT count(*) FROM rejects").fetchone()[0]
    assert rejects == 0


def test_a_notification_without_its_own_time_takes_the_sns_envelopes(tmp_path):
    db = tmp_path / "s.db"
    result = invoke(db, "import", str(FIXTURES / "ses-bounce-no-inner-timestamp.json"))
    assert result.exit_code == 0, result.stderr
    assert _events(db) == [
        ("old.account@example.net", "bounce", "2026-10-03T07:45:12.345Z", None, "smtp; 550 5.1.1 mailbox unavailable", None)
    ]
    status = sqlite3.connect(db).execute("SELECT status FROM contacts").fetchone()[0]
    assert status == "hard_bounced"
