"""Erasure that keeps the suppression (SPEC rule 2.11), through the CLI and on the real store file.

After ``forget`` no row of any table, and no byte of the file, holds the address (in any case, nor
its distinctive local part); a later import and ``filter`` of it still say not sent; the audit
entry names the hash, not the address.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import as_json, write_log

PERSON = "Zebulon.Quuxley@Example.COM"
KEY = "zebulon.quuxley@example.com"
LOCAL = "zebulon.quuxley"
HEADER = ["email_id", "recipient", "event", "timestamp", "diagnostic", "note"]



def soon(hours: int) -> str:
    """A time after now (after the command just run) and within the day ahead that an import accepts."""
    return (datetime.now(UTC) + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")

def _log(tmp_path: Path) -> Path:
    rows = [
        ["nov", PERSON, "sent", "2026-11-03T09:00:00Z", "", f"added by {PERSON} on the web form"],
        ["nov", PERSON, "bounce", "2026-11-03T09:01:00Z", f"550 5.1.1 <{KEY}>: user unknown", ""],
        ["nov", PERSON, "spamreport", "2026-11-04T09:00:00Z", "", ""],
        ["nov", PERSON, "sent", "not a time", "", ""],  # rejected: the reject row holds the address
        ["nov", "other@example.com", "bounce", "2026-11-03T09:02:00Z", f"550 5.1.1 also tried {PERSON}", ""],
        ["nov", "kept@example.com", "delivered", "2026-11-03T09:03:00Z", "", ""],
    ]
    return write_log(tmp_path / "nov.csv", rows, HEADER)


def _traces(db: Path) -> list[str]:
    """Every table and column whose value holds the address or its local part, in any case."""
    conn = sqlite3.connect(db)
    found = []
    tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        cursor = conn.execute(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cursor.description]
        for row in cursor:
            for name, value in zip(names, row):
                text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                if LOCAL in text.lower():
                    found.append(f"{table}.{name}")
    conn.close()
    return found


def _file_bytes(db: Path) -> bytes:
    conn = sqlite3.connect(db)
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = db.read_bytes()
    wal = db.with_name(db.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def _filter(bc, tmp_path: Path, *emails: str) -> dict[str, str]:
    planned = tmp_path / "planned.csv"
    planned.write_text("email\n" + "".join(e + "\n" for e in emails), encoding="utf-8")
    result = bc("filter", planned, "--out", tmp_path / "send.csv", "--not-sent", tmp_path / "not-sent.csv")
    assert result.exit_code == 0, result.stderr
    sendable = (tmp_path / "send.csv").read_text(encoding="utf-8").split()[1:]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "not-sent.csv").read_text(encoding="utf-8"))))
    return {**dict.fromkeys(sendable, "sendable"), **{r["email"]: r["not_sent_reason"] for r in rows}}


def test_forget_leaves_no_trace_and_the_address_stays_not_sent(bc, tmp_path, db):
    log = _log(tmp_path)
    assert bc("import", log).exit_code == 3
    assert bc("users", "add", "alice", "--permission", "email").exit_code == 0
    assert bc("unbounce", PERSON, "--as", "alice").exit_code == 1  # refused, audited with the address
    assert bc("resubscribe", KEY, "--evidence", f"mail from {PERSON} asking back in", "--as", "alice").exit_code == 0
    assert bc("import", write_log(tmp_path / "dec.csv", [["dec", KEY, "spamreport", soon(1), "", ""]],
                                  HEADER)).exit_code == 0
    assert bc("lists", "create", "dead", "--status", "hard_bounced").exit_code == 0
    assert _traces(db), "the test must start with the address in the store"
    assert LOCAL.encode() in _file_bytes(db).lower()

    result = bc("forget", PERSON, "--as", "alice", "--format", "json")
    assert result.exit_code == 0, result.stderr
    [erased] = json.loads(result.stdout)
    assert erased["hash"].startswith("hmac-sha256:") and erased["status"] == "complained"
    assert LOCAL not in result.stdout.lower()

    assert _traces(db) == []
    assert LOCAL.encode() not in _file_bytes(db).lower()
    # The others are untouched, but for the quote of the address in another recipient's bounce.
    contacts = {c["email"]: c["status"] for c in as_json(bc("contacts", "--format", "json"))}
    assert contacts == {"other@example.com": "hard_bounced", "kept@example.com": "eligible"}
    # The audit log keeps every entry, the address replaced by its hash; the erasure's own entry names the hash.
    # (The changes of domains and users are audited too: these are the contacts' entries.)
    audit = [a for a in as_json(bc("audit", "--format", "json")) if a["contact"]]
    assert [(a["action"], a["contact"]) for a in audit] == [
        ("unbounce", erased["hash"]), ("resubscribe", erased["hash"]), ("forget", erased["hash"]),
    ]
    assert audit[-1]["detail"] == "status kept: complained"

    # Not sent, before and after the same address comes back in an import.
    assert _filter(bc, tmp_path, PERSON, "kept@example.com") == {PERSON: "COMPLAINED", "kept@example.com": "sendable"}
    again = write_log(tmp_path / "jan.csv", [["jan", PERSON, "delivered", soon(2), "", ""]], HEADER)
    assert bc("import", again).exit_code == 0
    contacts = {c["email"]: c["status"] for c in as_json(bc("contacts", "--format", "json"))}
    assert contacts[KEY] == "complained"  # the import does not make it eligible
    assert _filter(bc, tmp_path, PERSON) == {PERSON: "COMPLAINED"}
    assert bc("unbounce", KEY, "--confirm", "--as", "alice").exit_code == 1
    # Only the person's own new consent lifts it.
    assert bc("resubscribe", KEY, "--evidence", "signed up again").exit_code == 0
    assert _filter(bc, tmp_path, PERSON) == {PERSON: "sendable"}


def test_forgetting_an_eligible_or_unknown_address_keeps_it_out_as_unsubscribed(bc, tmp_path, db):
    rows = [["nov", "fine@example.com", "delivered", "2026-11-03T09:03:00Z", "", ""]]
    assert bc("import", write_log(tmp_path / "nov.csv", rows, HEADER)).exit_code == 0
    result = bc("forget", "fine@example.com", "never.seen@example.org", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [(e["status"], e["was_in_store"]) for e in json.loads(result.stdout)] == [
        ("unsubscribed", True), ("unsubscribed", False),
    ]
    assert bc("import", write_log(tmp_path / "dec.csv", rows, HEADER)).exit_code == 0  # the same file again
    assert _filter(bc, tmp_path, "fine@example.com", "never.seen@example.org") == {
        "fine@example.com": "UNSUBSCRIBED", "never.seen@example.org": "UNSUBSCRIBED",
    }


def test_the_hash_key_is_made_once_and_is_random(bc, tmp_path, db):
    assert bc("forget", "a@example.com").exit_code == 0
    assert bc("forget", "b@example.com").exit_code == 0
    conn = sqlite3.connect(db)
    keys = conn.execute("SELECT value FROM settings WHERE key = 'erasure_key'").fetchall()
    hashes = [h for (h,) in conn.execute("SELECT hash FROM forgotten ORDER BY forgotten_at")]
    conn.close()
    assert len(keys) == 1 and len(bytes.fromhex(keys[0][0])) == 32
    assert len(set(hashes)) == 2
    other = tmp_path / "other.db"
    assert bc("--db", other, "forget", "a@example.com").exit_code == 0  # another store, another key
    conn = sqlite3.connect(other)
    assert conn.execute("SELECT hash FROM forgotten").fetchone()[0] not in hashes
    conn.close()
    # The key is not a setting that `config` shows.
    assert "erasure_key" not in bc("config").stdout


def test_forget_from_a_file_and_usage_errors(bc, tmp_path):
    listing = tmp_path / "gone.txt"
    listing.write_text("# erasure requests\nx@example.com\ny@example.com\n", encoding="utf-8")
    result = bc("forget", "--from-file", listing, "--format", "json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 2
    empty = bc("forget")
    assert empty.exit_code == 2 and "no address given" in empty.stderr


def test_the_audit_log_allows_no_other_change(db, bc):
    assert bc("forget", "a@example.com").exit_code == 0
    conn = sqlite3.connect(db)
    for statement in ("UPDATE audit SET contact = 'someone@example.com'", "UPDATE audit SET detail = 'changed'",
                      "UPDATE audit SET contact = 'hmac-sha256:00'", "DELETE FROM audit"):
        try:
            conn.execute(statement)
        except sqlite3.IntegrityError as exc:
            assert "append-only" in str(exc)
        else:
            raise AssertionError(f"{statement} was allowed")
    conn.close()


def test_the_installed_command_forgets_without_a_trace_in_the_file(tmp_path, db):
    # Another process than the tests', as a user runs it: the file it leaves holds no byte of the
    # address even before anyone vacuums it (forget rebuilds the file and empties the WAL itself).
    from trusthelpers import run_bouncectl

    wal = db.with_name(db.name + "-wal")

    def file_bytes() -> bytes:
        return db.read_bytes().lower() + (wal.read_bytes().lower() if wal.exists() else b"")

    assert run_bouncectl(db, "import", str(_log(tmp_path))).returncode == 3
    assert LOCAL.encode() in file_bytes()
    result = run_bouncectl(db, "forget", PERSON)
    assert result.returncode == 0, result.stderr
    assert LOCAL.encode() not in file_bytes()


def test_a_reactivation_before_the_erasure_still_counts_when_the_address_comes_back(bc, tmp_path):
    header = ["email_id", "recipient", "event", "timestamp", "diagnostic", "note"]
    dead = [["nov", "back@example.com", "bounce", "2026-11-03T09:01:00Z", "550 5.1.1 user unknown", ""]]
    assert bc("import", write_log(tmp_path / "b.csv", dead, header)).exit_code == 0
    assert bc("domains", "add", "news.example.com").exit_code == 0
    assert bc("users", "add", "alice", "--permission", "email").exit_code == 0
    assert bc("unbounce", "back@example.com", "--confirm", "--as", "alice").exit_code == 0
    again = [["dec", "back@example.com", "bounce", soon(1), "550 5.1.1 user unknown", ""]]
    assert bc("import", write_log(tmp_path / "c.csv", again, header)).exit_code == 0
    assert bc("forget", "back@example.com").exit_code == 0
    # It comes back hard-bounced: the one reactivation it had is spent, even under its hash.
    later = [["jan", "back@example.com", "sent", soon(2), "", ""]]
    assert bc("import", write_log(tmp_path / "d.csv", later, header)).exit_code == 0
    refused = bc("unbounce", "back@example.com", "--confirm", "--as", "alice")
    assert refused.exit_code == 1 and "ALREADY_REACTIVATED" in refused.stderr
