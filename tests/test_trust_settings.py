"""Issue 13, item 9: the settings an import decides with are read inside its write transaction, so
a `config` committed while the import waited for the store applies to it."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from trusthelpers import assert_no_traceback, invoke, start_bouncectl, write_log

# Two soft bounces of two emails, a day apart: suppressed under a limit of 2, not under the default.
SOFT = [
    [f"e{n}", "tired@example.com", "bounce", f"2026-11-0{n + 1}T10:00:00Z", "soft", "452", "4.2.2", "452 4.2.2 Mailbox full"]
    for n in range(2)
]


def _waiting_for_the_store(pid: int, db: Path) -> bool:
    """Whether the process has the store open and sleeps (SQLite's busy handler waiting for the lock)."""
    try:
        opened = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
        with open(f"/proc/{pid}/wchan") as handle:
            sleeping = "nanosleep" in handle.read()
    except (FileNotFoundError, PermissionError, ProcessLookupError, OSError):
        return False
    return str(db.resolve()) in opened and sleeping


def _wait_until_waiting(pid: int, db: Path) -> None:
    seen = 0
    for _ in range(6000):
        seen = seen + 1 if _waiting_for_the_store(pid, db) else 0
        if seen >= 5:
            return
        time.sleep(0.01)
    raise AssertionError("the import never waited for the store")


def test_a_config_committed_while_the_import_waits_applies_to_it(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    assert invoke(db, "config", "soft_bounce_days", "0").exit_code == 0
    log = write_log(tmp_path / "soft.csv", SOFT)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        importing = start_bouncectl(db, "import", log, BOUNCECTL_BUSY_TIMEOUT="120")
        _wait_until_waiting(importing.pid, db)
        # What `bouncectl config soft_bounce_limit 2` commits (no contact has a streak yet).
        holder.execute(
            "INSERT INTO settings (key, value) VALUES ('soft_bounce_limit', '2') "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        )
        holder.execute("COMMIT")
    except BaseException:
        holder.execute("ROLLBACK")
        raise
    finally:
        holder.close()
    _out, err = importing.communicate(timeout=120)
    assert importing.returncode == 0, err
    assert_no_traceback(err)
    conn = sqlite3.connect(db)
    try:
        status = conn.execute("SELECT status FROM contacts WHERE email = 'tired@example.com'").fetchone()[0]
    finally:
        conn.close()
    assert status == "suppressed"
