"""Postfix with a content filter and a second instance: one message, one outcome."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from trusthelpers import invoke

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "payloads"


def _import(tmp_path: Path) -> Path:
    log = tmp_path / "mail.log"
    shutil.copy(FIXTURES / "postfix-content-filter.log", log)
    os.utime(log, (1792972800, 1792972800))  # 2026-10-26: the lines are from October 2026
    db = tmp_path / "s.db"
    result = invoke(db, "import", str(log), "--email-id", "2026-10-autumn")
    assert result.exit_code == 0, result.stderr
    return db


def test_a_hand_off_to_a_content_filter_is_not_a_delivery(tmp_path):
    db = _import(tmp_path)
    conn = sqlite3.connect(db)
    events = conn.execute("SELECT recipient, event, bounce_type FROM events ORDER BY id").fetchall()
    assert events == [
        ("olga.ivanova@example.ru", "delivered", None),
        ("wei.chen@example.cn", "deferred", None),
        ("wei.chen@example.cn", "bounce", "soft"),  # expired: the filter's hand-off was no delivery
        ("sam.taylor@example.com", "delivered", None),
        ("blocked.here@example.net", "bounce", "hard"),
    ]
    assert conn.execute("SELECT reason FROM events WHERE event = 'bounce' AND recipient = 'wei.chen@example.cn'").fetchone() == (
        "expired",
    )


def test_a_second_instance_does_not_double_a_delivery(tmp_path):
    db = _import(tmp_path)
    delivered = sqlite3.connect(db).execute(
        "SELECT count(*) FROM events WHERE recipient = 'sam.taylor@example.com' AND event = 'delivered'"
    ).fetchone()[0]
    assert delivered == 1


def test_a_permanent_5_7_1_that_postfix_bounced_is_a_hard_blocked(tmp_path):
    db = _import(tmp_path)
    row = sqlite3.connect(db).execute(
        "SELECT bounce_type, reason, provider_type FROM events WHERE recipient = 'blocked.here@example.net'"
    ).fetchone()
    assert row == ("hard", "blocked", "hard")  # README: a permanent 5.7.1 is a hard blocked
    status = sqlite3.connect(db).execute(
        "SELECT status FROM contacts WHERE email = 'blocked.here@example.net'"
    ).fetchone()[0]
    assert status == "hard_bounced"
