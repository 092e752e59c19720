"""The audit log is append-only, and a reactivation is written with its audit entry or not at all.

- No bouncectl command changes or deletes an audit entry (run them all, compare).
- Triggers refuse UPDATE, DELETE and REPLACE on the audit table, even from plain SQL.
- A reactivation and its audit entry are written in one transaction: a failure
  between the two leaves neither.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from trusthelpers import invoke, write_log

import bouncectl
from bouncectl.store import Store
from bouncectl.usecases import reactivating as reactivation

GONE = [f"gone{n}@example.com" for n in range(4)]
PACKAGE = Path(bouncectl.__file__).parent


def _store(tmp_path: Path) -> Path:
    rows = [["e1", address, "bounce", "2026-10-01T08:00:00Z", "hard", "550", "5.1.1", "550 5.1.1 user unknown"]
            for address in GONE]
    rows.append(["e1", "blocked@example.com", "bounce", "2026-10-01T08:00:00Z", "hard", "554", "5.7.1",
                 "554 5.7.1 blocked using zen.spamhaus.org"])
    rows.append(["e1", "fine@example.com", "delivered", "2026-10-01T08:00:00Z", "", "", "", ""])
    db = tmp_path / "store.db"
    assert invoke(db, "import", write_log(tmp_path / "log.csv", rows)).exit_code == 0
    assert invoke(db, "domains", "add", "news.example.com").exit_code == 0
    assert invoke(db, "users", "add", "alice", "--permission", "email").exit_code == 0
    return db


def _audit(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT * FROM audit ORDER BY id").fetchall()
    finally:
        conn.close()


def test_every_attempt_is_audited_with_who_when_which_contact_the_bounce_and_the_outcome(tmp_path: Path) -> None:
    db = _store(tmp_path)
    assert invoke(db, "unbounce", GONE[0], "--confirm", "--as", "alice").exit_code == 0
    assert invoke(db, "unbounce", GONE[1], "--as", "alice").exit_code == 1  # not confirmed
    assert invoke(db, "unbounce", GONE[2], "--confirm", "--as", "mallory").exit_code == 1  # no permission
    assert invoke(db, "unbounce", GONE[0], "--confirm", "--as", "alice").exit_code == 1  # eligible already
    assert invoke(db, "unbounce", GONE[3], "--confirm", "--as", "alice", "--dry-run").exit_code == 0
    with Store(db) as store:
        entries = [e for e in store.audit() if e["action"] == "unbounce"]  # users add is audited too
        bounces = {e["recipient"]: e["id"] for e in store._rows("SELECT id, recipient FROM events WHERE event = 'bounce'")}
    assert [(e["user"], e["contact"], e["outcome"], e["code"]) for e in entries] == [
        ("alice", GONE[0], "reactivated", None),
        ("alice", GONE[1], "refused", "NOT_CONFIRMED"),
        ("mallory", GONE[2], "refused", "NO_PERMISSION"),
        ("alice", GONE[0], "refused", "NOT_BOUNCED"),
    ]  # a dry run changes nothing, the audit log included
    assert [e["bounce_event_id"] for e in entries[:3]] == [bounces[GONE[0]], bounces[GONE[1]], bounces[GONE[2]]]
    assert all(e["at"] and e["action"] == "unbounce" and e["detail"] for e in entries)


# --- nothing in bouncectl changes or deletes an entry -------------------------------------------

AUDIT_WRITE = re.compile(r"\b(UPDATE|DELETE\s+FROM|REPLACE\s+INTO|INSERT\s+OR\s+REPLACE\s+INTO)\s+\"?audit\b", re.IGNORECASE)


def test_no_statement_in_bouncectl_updates_or_deletes_audit_entries() -> None:
    sources = {path: path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py")}
    assert len(sources) > 5
    offenders = [f"{p.name}: {m.group(0)}" for p, text in sources.items() for m in AUDIT_WRITE.finditer(text)]
    # One exception, the erasure of an address (rule 2.11): its entries keep their place with the
    # address replaced by its hash, the one update the audit triggers allow.
    assert offenders == ["erasure.py: UPDATE audit"]
    erasure = sources[PACKAGE / "store" / "erasure.py"]
    assert '"UPDATE audit SET contact = ?, detail = ? WHERE id = ?"' in erasure
    inserts = [p.name for p, text in sources.items() if re.search(r"INSERT\s+INTO\s+audit\b", text, re.IGNORECASE)]
    assert inserts == ["store.py"]  # one place writes it: Store.record_audit


def test_the_audit_command_only_reads() -> None:
    result = invoke(Path("unused.db"), "audit", "--help")
    assert result.exit_code == 0
    options = set(re.findall(r"(--[a-z][a-z-]*)", result.stdout))
    assert options <= {"--format", "--wide", "--help"}, options  # ways to show it, nothing that changes it


def test_no_command_changes_or_deletes_an_audit_entry(tmp_path: Path) -> None:
    db = _store(tmp_path)
    invoke(db, "unbounce", GONE[0], "--confirm", "--as", "alice")
    invoke(db, "unbounce", GONE[1], "--as", "alice")
    before = _audit(db)
    assert len([entry for entry in before if entry[3] == "unbounce"]) == 2
    plan = tmp_path / "plan.txt"
    plan.write_text("\n".join([*GONE, "fine@example.com", "new@example.com"]) + "\n")
    again = write_log(tmp_path / "again.csv", [["e2", GONE[0], "bounce", "2026-11-01T08:00:00Z", "hard", "550", "5.1.1", ""]])
    commands = [
        ("import", str(again)),
        ("import", str(again)),
        ("bounced", "--email-id", "e1"),
        ("contacts",),
        ("export", "--csv", str(tmp_path / "out.csv")),
        ("export", "--json", str(tmp_path / "out.json"), "--email-id", "e1"),
        ("filter", str(plan), "--out", str(tmp_path / "send.csv"), "--email-id", "e3"),
        ("lists", "create", "dead", "--hard-bounce-reason", "userunknown"),
        ("lists", "delete", "dead"),
        ("quota",),
        ("audit",),
        ("rejects",),
        ("stats", "--by", "reason"),
        ("config", "soft_bounce_limit", "3"),
        ("domains", "remove", "news.example.com"),
        ("domains", "add", "news.example.com"),
        ("users", "add", "bob", "--permission", "email"),
        ("unbounce", GONE[2], "--confirm", "--as", "bob"),
        ("unbounce", GONE[3], "--as", "bob", "--dry-run"),
    ]
    for command in commands:
        result = invoke(db, *command)
        assert result.exception is None or isinstance(result.exception, SystemExit), (command, result.exception)
        after = _audit(db)
        assert after[: len(before)] == before, f"{command} changed the audit log"
        grew = len(after) - len(before)
        # A reactivation and every change of policy or of who may reactivate add one entry.
        audited = command[0] in ("unbounce", "config", "domains", "users") and "--dry-run" not in command
        assert grew == (1 if audited else 0), command
        before = after


# --- the triggers -------------------------------------------------------------------------------

TAMPERING = [
    "UPDATE audit SET outcome = 'refused' WHERE id = 1",
    "UPDATE audit SET user = 'someone else'",
    "DELETE FROM audit WHERE id = 1",
    "DELETE FROM audit",
    (
        "INSERT INTO audit (id, at, user, action, outcome) VALUES (1, 'x', 'x', 'unbounce', 'refused') "
        "ON CONFLICT (id) DO UPDATE SET outcome = excluded.outcome"
    ),
    "REPLACE INTO audit (id, at, user, action, outcome) VALUES (1, 'x', 'forger', 'unbounce', 'refused')",
    "INSERT OR REPLACE INTO audit (id, at, user, action, outcome) VALUES (1, 'x', 'forger', 'unbounce', 'refused')",
]


@pytest.mark.parametrize("sql", TAMPERING)
def test_triggers_refuse_changing_or_deleting_an_entry_even_from_plain_sql(tmp_path: Path, sql: str) -> None:
    db = _store(tmp_path)
    invoke(db, "unbounce", GONE[0], "--confirm", "--as", "alice")
    before = _audit(db)
    conn = sqlite3.connect(db, isolation_level=None)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute(sql)
    conn.close()
    assert _audit(db) == before


# --- one transaction ----------------------------------------------------------------------------


def test_a_reactivation_and_its_audit_entry_are_written_in_one_transaction(tmp_path: Path) -> None:
    db = _store(tmp_path)
    statements: list[str] = []
    with Store(db) as store:
        store.conn.set_trace_callback(statements.append)
        outcomes = reactivation.unbounce(store, [GONE[0], GONE[1]], "alice", confirm=True)
        store.conn.set_trace_callback(None)
    assert [o.outcome for o in outcomes] == ["reactivated", "reactivated"]

    transactions: list[list[str]] = []
    for sql in statements:
        word = sql.strip().split()[0].upper()
        if word == "BEGIN":
            transactions.append([])
        elif word in ("COMMIT", "ROLLBACK", "END"):
            transactions[-1].append(word)
        elif transactions and (not transactions[-1] or transactions[-1][-1] not in ("COMMIT", "ROLLBACK", "END")):
            transactions[-1].append(sql)
    writes = [t for t in transactions if any("INSERT INTO reactivations" in s for s in t)]
    assert len(writes) == 2  # one transaction per attempt
    for transaction in writes:
        assert transaction[-1] == "COMMIT"
        assert sum("INSERT INTO reactivations" in s for s in transaction) == 1
        assert any("INSERT INTO audit" in s for s in transaction)  # traced again for the insert trigger
        assert any(s.startswith("UPDATE contacts") for s in transaction)
    assert len([entry for entry in _audit(db) if entry[3] == "unbounce"]) == 2


@pytest.mark.parametrize("failing", ["record_audit", "reactivate"])
def test_a_failure_between_the_reactivation_and_its_audit_entry_leaves_neither(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    db = _store(tmp_path)
    original = getattr(Store, failing)

    def fail_after_writing(self, conn, *args, **kwargs):
        original(self, conn, *args, **kwargs)  # the write happens, then the disk fills up
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, failing, fail_after_writing)
    audited_before = _audit(db)  # the setup's users add
    with Store(db) as store:
        quota_before = store.quota()["used"]
        with pytest.raises(sqlite3.OperationalError):
            reactivation.unbounce(store, [GONE[0]], "alice", confirm=True)
        assert store.contact(GONE[0])["status"] == "hard_bounced"
        assert store.contact(GONE[0])["reactivated_at"] is None
        assert store.conn.execute("SELECT count(*) FROM reactivations").fetchone()[0] == 0
        assert store.quota()["used"] == quota_before
        assert len(list(store.audit())) == len(audited_before)
    monkeypatch.undo()
    result = invoke(db, "unbounce", GONE[0], "--confirm", "--as", "alice")  # and the store is usable after
    assert result.exit_code == 0 and len(_audit(db)) == len(audited_before) + 1
