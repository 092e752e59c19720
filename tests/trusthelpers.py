"""Helpers for the trust tests: the installed command, generated logs, canonical store dumps."""

from __future__ import annotations

import csv
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from bouncectl.cli import app

LOG_HEADER = ["email_id", "recipient", "event", "timestamp", "bounce_type", "smtp_code", "enhanced_status", "diagnostic"]


def bouncectl_command() -> list[str]:
    """The installed ``bouncectl`` command (or the package run as a module)."""
    found = shutil.which("bouncectl")
    return [found] if found else [sys.executable, "-m", "bouncectl"]


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BOUNCECTL_DB", "BOUNCECTL_USER", "BOUNCECTL_BUSY_TIMEOUT")}
    env["COLUMNS"] = "250"
    env.update(extra)
    return env


def run_bouncectl(db: Path, *args: str, cwd: Path | None = None, timeout: float = 120, **env: str):
    """Run the installed command on store ``db``; returns the CompletedProcess (text)."""
    return subprocess.run(
        [*bouncectl_command(), "--db", str(db), *map(str, args)],
        cwd=cwd,
        env=subprocess_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_bouncectl(db: Path, *args: str, cwd: Path | None = None, **env: str) -> subprocess.Popen:
    """Start the installed command in its own process group (so it can be killed whole)."""
    return subprocess.Popen(
        [*bouncectl_command(), "--db", str(db), *map(str, args)],
        cwd=cwd,
        env=subprocess_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def invoke(db: Path, *args: str, input: str | bytes | None = None):
    """Run the CLI in-process; exceptions are caught so a test can tell a traceback from an exit."""
    return CliRunner().invoke(app, ["--db", str(db), *map(str, args)], input=input, catch_exceptions=True)


def assert_clean_exit(result, allowed: tuple[int, ...]) -> None:
    """The command ended through its own exit path (no unexpected exception) with an allowed code."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"unexpected {type(result.exception).__name__}: {result.exception!r}") from result.exception
    assert result.exit_code in allowed, (result.exit_code, result.stdout, result.stderr)


def assert_no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr and "Aborted!" not in stderr, stderr[-3000:]


def write_log(path: Path, rows: list[list], header: list[str] = LOG_HEADER, newline: str = "\n") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator=newline)
        writer.writerow(header)
        writer.writerows(rows)
    return path


DIAGNOSTICS = [
    ("hard", "550", "5.1.1", "550 5.1.1 <{r}>: Recipient address rejected: User unknown"),
    ("hard", "550", "5.1.2", "550 5.1.2 Host unknown: domain not found"),
    ("soft", "452", "4.2.2", "452 4.2.2 Mailbox full"),
    ("soft", "421", "4.7.0", "421 4.7.0 Try again later, rate limited"),
    ("", "554", "5.7.1", "554 5.7.1 Message rejected as spam"),
    ("", "", "", ""),
]
EVENTS = ["sent", "sent", "delivered", "delivered", "open", "click", "bounce", "bounce", "deferred", "unsubscribe"]


def generate_rows(count: int, seed: int, contacts: int = 5000, emails: int = 12, bad_every: int = 997) -> list[list]:
    """A realistic send log: sends, deliveries, opens, hard and soft bounces, repeated rows and bad rows."""
    rng = random.Random(seed)
    rows: list[list] = []
    for index in range(count):
        if bad_every and index % bad_every == bad_every - 1:
            rows.append(rng.choice([
                [f"e{index % emails}", "not-an-address", "sent", "2026-01-01T00:00:00Z", "", "", "", ""],
                [f"e{index % emails}", f"u{index}@example.com", "exploded", "2026-01-01T00:00:00Z", "", "", "", ""],
                [f"e{index % emails}", f"u{index}@example.com", "sent", "yesterday-ish", "", "", "", ""],
                [f"e{index % emails}", f"u{index}@example.com", "bounce", "2026-01-01T00:00:00Z", "", "999", "", ""],
            ]))
            continue
        if rows and rng.random() < 0.02:
            rows.append(list(rows[rng.randrange(len(rows))]))  # an overlapping export repeats a row
            continue
        recipient = f"user{rng.randrange(contacts)}@{rng.choice(['example.com', 'example.net', 'example.org'])}"
        event = rng.choice(EVENTS)
        day = 1 + rng.randrange(28)
        stamp = f"2026-0{1 + rng.randrange(6)}-{day:02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}Z"
        row = [f"e{rng.randrange(emails)}", recipient, event, stamp, "", "", "", ""]
        if event in ("bounce", "deferred"):
            kind, code, status, text = rng.choice(DIAGNOSTICS)
            row[4:] = [kind if event == "bounce" else "", code, status, text.format(r=recipient)]
        rows.append(row)
    return rows


STORE_TABLES = ("events", "contacts", "emails", "imports", "rejects", "reactivations", "audit")


def canonical_dump(db: Path) -> dict[str, list[tuple]]:
    """The store's data, in a form that does not depend on when or in which process it was written."""
    conn = sqlite3.connect(db)
    try:
        def rows(sql: str) -> list[tuple]:
            return conn.execute(sql).fetchall()

        event_columns = [r[1] for r in conn.execute("PRAGMA table_info(events)") if r[1] != "import_id"]
        return {
            "events": rows(f"SELECT {', '.join(event_columns)} FROM events ORDER BY id"),
            "contacts": rows("SELECT * FROM contacts ORDER BY email"),
            "emails": rows("SELECT * FROM emails ORDER BY email_id"),
            "imports": rows(
                "SELECT source, checksum, format, options, status, rows_read, events_stored, duplicates, rejected, "
                "newly_hard_bounced FROM imports ORDER BY id"
            ),
            "rejects": rows("SELECT file, line, error, raw FROM rejects ORDER BY file, line, error"),
        }
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def assert_imports_whole(db: Path, exact_rejects: bool = True) -> list[dict]:
    """Every import recorded in the store is complete, and all of its events and rejects are there.

    ``exact_rejects=False`` when the same file was imported twice: a reject already kept is kept once.
    """
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        imports = [dict(r) for r in conn.execute("SELECT * FROM imports ORDER BY id")]
        for imp in imports:
            assert imp["status"] == "complete", imp
            stored = conn.execute("SELECT count(*) FROM events WHERE import_id = ?", (imp["id"],)).fetchone()[0]
            assert stored == imp["events_stored"], (imp, stored)
            rejected = conn.execute("SELECT count(*) FROM rejects WHERE import_id = ?", (imp["id"],)).fetchone()[0]
            assert rejected == imp["rejected"] or (not exact_rejects and rejected <= imp["rejected"]), (imp, rejected)
        orphans = conn.execute(
            "SELECT count(*) FROM events WHERE import_id IS NOT NULL AND import_id NOT IN (SELECT id FROM imports)"
        ).fetchone()[0]
        assert orphans == 0
        return imports
    finally:
        conn.close()


def writing(db: Path) -> bool:
    """Whether another process holds the store's write transaction (an import has begun storing)."""
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()
