"""The reads that must not scan every event: their statements, traced as the store runs them,
and SQLite's plan for each. Times are measured by benchmarks/query_bench.py, never asserted."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from conftest import write_log

from bouncectl.store import Store

HEADER = ["email_id", "recipient", "event", "timestamp", "bounce_type", "smtp_code", "enhanced_status",
          "diagnostic", "global"]
ROWS = [
    ["nov", "full@example.com", "sent", "2026-11-03T09:00:00Z", "", "", "", "", ""],
    # A soft bounce the provider lists as global: the contact is globally bounced, with no hard bounce.
    ["nov", "full@example.com", "bounce", "2026-11-03T09:05:00Z", "transient", "452", "4.2.2",
     "452 4.2.2 Mailbox full", "true"],
    # A later event that is not a bounce, marked global by the sender's tool: not the global bounce.
    ["nov", "full@example.com", "deferred", "2026-11-04T10:00:00Z", "", "", "", "", "true"],
    ["nov", "ok@example.com", "delivered", "2026-11-03T09:01:00Z", "", "", "", "", ""],
]


def plans(conn: sqlite3.Connection, statements: list[str]) -> list[str]:
    details = []
    for sql in statements:
        if sql.lstrip().upper().startswith("SELECT"):
            details += [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    return details


def traced(store: Store, read) -> tuple[object, list[str]]:
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        return read(), statements
    finally:
        store.conn.set_trace_callback(None)


def test_the_global_bounce_behind_an_unbounce_is_the_latest_global_bounce(bc, tmp_path: Path, db: Path) -> None:
    assert bc("import", write_log(tmp_path / "log.csv", ROWS, HEADER)).exit_code == 0
    with Store(db) as store:
        facts, contact, bounce = store.reactivation_facts(
            store.conn, "full@example.com", "alice", confirmed=False, resolved=False, now=datetime.now(UTC)
        )
    assert facts.status == "globally_bounced" and contact is not None and contact["hard_bounce_event_id"] is None
    assert bounce is not None
    assert (bounce["event"], bounce["timestamp"], bounce["smtp_code"]) == ("bounce", "2026-11-03T09:05:00.000Z", 452)


def test_the_reactivation_guards_read_no_event_table_scan(bc, tmp_path: Path, db: Path) -> None:
    assert bc("import", write_log(tmp_path / "log.csv", ROWS, HEADER)).exit_code == 0
    with Store(db) as store:
        _, statements = traced(store, lambda: store.reactivation_facts(
            store.conn, "full@example.com", "alice", confirmed=False, resolved=False, now=datetime.now(UTC)
        ))
        found = plans(store.conn, statements)
    assert any("INDEX events_bounces" in detail for detail in found)
    assert [detail for detail in found if detail.startswith("SCAN events")] == []
