"""Undated reports (issue 13): a report whose source gives no time never replaces a dated one.

A HubSpot unsubscribes-and-bounces row without a date, or a suppression-list entry without one,
is stored with its file's modification time. On a contact, the latest hard bounce (reason, event,
time), global bounce, complaint and unsubscribe are the latest dated ones where any is known,
whichever file came first; a contact known only from undated rows still gets its status.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
import sqlite_utils
from trusthelpers import invoke, write_log

from bouncectl.ledger.fold import (
    COMPLAINED_AT,
    GLOBAL_AT,
    HARD_AT,
    HARD_ID,
    RECOUNT,
    UNDATED,
    UNSUBSCRIBED_AT,
    UNSUBSCRIBED_UNDATED,
    EventBatch,
    merge,
)
from bouncectl.ledger.rows import event_key
from bouncectl.model import Event
from bouncectl.store import MIGRATIONS, Store, build_migrations

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
HUBSPOT_LIST = "hubspot-unsubscribes-and-bounces.csv"
T1 = "2026-11-03T09:00:00Z"
T1_STORED = "2026-11-03T09:00:00.000Z"
LIST_HEADER = ["Email", "Portal Bounce", "Portal Unsubscribe", "Portal Spam Report", "Global Bounce"]


def _contacts(db: Path, emails) -> dict[str, dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    marks = ",".join("?" * len(emails))
    found = {row["email"]: dict(row) for row in conn.execute(f"SELECT * FROM contacts WHERE email IN ({marks})",
                                                            list(emails))}
    conn.close()
    return found


def _undated_list(path: Path, rows: list[list[str]]) -> Path:
    """A HubSpot unsubscribes-and-bounces export without dates, written "now" (after every dated row)."""
    write_log(path, rows, header=LIST_HEADER)
    now = time.time()
    os.utime(path, (now, now))
    return path


def _import(db: Path, *paths: Path) -> None:
    for path in paths:
        result = invoke(db, "import", path)
        assert result.exit_code == 0, result.stderr


REPORT_FIELDS = ("status", "hard_bounce_reason", "hard_bounced_at", "hard_bounce_event_id", "global_bounced_at",
                 "complained_at", "unsubscribed_at")


def _dated_log(tmp_path: Path) -> Path:
    return write_log(tmp_path / "dated.csv", [
        ["nov", "gone@example.com", "bounce", T1, "", "550", "5.1.1", "550 5.1.1 <gone@example.com>: user unknown", ""],
        ["nov", "held@example.com", "bounce", T1, "hard", "", "", "on the provider's suppression list", "true"],
        ["nov", "angry@example.com", "complaint", T1, "", "", "", "", ""],
        ["nov", "leaving@example.com", "unsubscribe", T1, "", "", "", "", ""],
    ], header=["email_id", "recipient", "event", "timestamp", "bounce_type", "smtp_code", "enhanced_status",
               "diagnostic", "global"])


def _undated_rows() -> list[list[str]]:
    return [
        # Another category, and a later (file) time, for the dated hard bounce's contact.
        ["gone@example.com", "Mailbox full", "FALSE", "FALSE", "FALSE"],
        ["angry@example.com", "FALSE", "FALSE", "TRUE", "FALSE"],
        ["leaving@example.com", "FALSE", "TRUE", "FALSE", "FALSE"],
        ["held@example.com", "TRUE", "FALSE", "FALSE", "TRUE"],
    ]


@pytest.mark.parametrize("dated_first", [True, False], ids=["dated-then-undated", "undated-then-dated"])
def test_an_undated_report_never_replaces_a_dated_one_in_either_order(tmp_path: Path, dated_first: bool) -> None:
    dated = _dated_log(tmp_path)
    undated = _undated_list(tmp_path / "list.csv", _undated_rows())
    alone = tmp_path / "alone.db"
    _import(alone, dated)
    expected = _contacts(alone, ["gone@example.com", "angry@example.com", "leaving@example.com", "held@example.com"])
    assert expected["gone@example.com"]["hard_bounced_at"] == T1_STORED
    assert expected["held@example.com"]["global_bounced_at"] == T1_STORED

    db = tmp_path / "both.db"
    _import(db, *((dated, undated) if dated_first else (undated, dated)))
    got = _contacts(db, expected)
    # The dated event's id differs with the order of imports: compare it through its time and reason.
    conn = sqlite3.connect(db)
    bounce = conn.execute(
        "SELECT timestamp, reason FROM events WHERE id = ?", (got["gone@example.com"]["hard_bounce_event_id"],)
    ).fetchone()
    conn.close()
    assert bounce == (T1_STORED, "userunknown")
    for email, contact in expected.items():
        for field in REPORT_FIELDS:
            if field != "hard_bounce_event_id":
                assert got[email][field] == contact[field], (email, field)
    # The contacts export shows each contact's latest dated bounce, not the undated one.
    exported = {row["email"]: row for row in json.loads(invoke(db, "export", "--json", "-").stdout)}
    for email in ("gone@example.com", "held@example.com"):
        assert (exported[email]["bounced_at"], exported[email]["reason"]) == (
            T1_STORED, expected[email]["hard_bounce_reason"]), email


def test_a_dated_and_an_undated_row_of_one_file_keep_the_dated_report(tmp_path: Path) -> None:
    # One export with a date column filled on some rows only: both rows fold in one batch.
    path = tmp_path / "list.csv"
    write_log(path, [
        ["gone@example.com", "Mailbox full", "FALSE", "FALSE", "FALSE", ""],
        ["gone@example.com", "Unknown user", "FALSE", "FALSE", "FALSE", "2026-11-03 09:00"],
        ["angry@example.com", "FALSE", "FALSE", "TRUE", "FALSE", "2026-11-03 09:00"],
        ["angry@example.com", "FALSE", "FALSE", "TRUE", "FALSE", ""],
    ], header=[*LIST_HEADER, "Date"])
    os.utime(path, (time.time(),) * 2)
    db = tmp_path / "s.db"
    assert invoke(db, "import", path, "--tz", "UTC").exit_code == 0
    got = _contacts(db, ["gone@example.com", "angry@example.com"])
    assert (got["gone@example.com"]["hard_bounce_reason"], got["gone@example.com"]["hard_bounced_at"]) == (
        "userunknown", T1_STORED)
    assert got["angry@example.com"]["complained_at"] == T1_STORED


def test_a_contact_known_only_from_undated_rows_still_gets_its_status(tmp_path: Path) -> None:
    path = _undated_list(tmp_path / "list.csv", [
        ["gone@example.com", "Unknown user", "FALSE", "FALSE", "FALSE"],
        ["held@example.com", "TRUE", "FALSE", "FALSE", "TRUE"],
        ["angry@example.com", "FALSE", "FALSE", "TRUE", "FALSE"],
        ["leaving@example.com", "FALSE", "TRUE", "FALSE", "FALSE"],
    ])
    db = tmp_path / "s.db"
    _import(db, path)
    got = _contacts(db, ["gone@example.com", "held@example.com", "angry@example.com", "leaving@example.com"])
    assert {email: c["status"] for email, c in got.items()} == {
        "gone@example.com": "hard_bounced", "held@example.com": "globally_bounced",
        "angry@example.com": "complained", "leaving@example.com": "unsubscribed",
    }
    assert got["gone@example.com"]["hard_bounce_reason"] == "userunknown"
    # A dated report arriving later replaces the undated one, although it is older than the file.
    _import(db, _dated_log(tmp_path))
    later = _contacts(db, ["gone@example.com", "angry@example.com", "leaving@example.com"])
    assert later["gone@example.com"]["hard_bounced_at"] == T1_STORED
    assert later["angry@example.com"]["complained_at"] == T1_STORED
    assert later["leaving@example.com"]["unsubscribed_at"] == T1_STORED


def test_an_undated_bounce_does_not_undo_a_reactivation_after_the_dated_one(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    _import(db, _dated_log(tmp_path))
    assert invoke(db, "domains", "add", "news.example.com").exit_code == 0
    assert invoke(db, "users", "add", "alice", "--permission", "email").exit_code == 0
    assert invoke(db, "unbounce", "gone@example.com", "--confirm", "--as", "alice").exit_code == 0
    # An export downloaded after the reactivation still lists the old bounce, without its date.
    _import(db, _undated_list(tmp_path / "list.csv", _undated_rows()[:1]))
    got = _contacts(db, ["gone@example.com"])["gone@example.com"]
    assert (got["status"], got["hard_bounced_at"], got["hard_bounce_reason"]) == ("eligible", T1_STORED, "userunknown")


def _examples_in_readme_order(tmp_path: Path, leave_out: str | None = None) -> Path:
    # The README's main command, `bouncectl --db demo.db import examples/*`: the shell's sorted order.
    folder = tmp_path / ("examples" if leave_out is None else "examples-without")
    folder.mkdir()
    for path in sorted(EXAMPLES.iterdir()):
        if path.is_file() and path.name != leave_out:
            shutil.copy2(path, folder / path.name)
    if leave_out is None:
        os.utime(folder / HUBSPOT_LIST, (time.time(),) * 2)  # a freshly downloaded export
    db = tmp_path / f"{folder.name}.db"
    result = invoke(db, "import", *sorted(str(p) for p in folder.iterdir()))
    assert result.exit_code == 0, result.stderr
    return db


def test_the_bundled_hubspot_list_keeps_the_other_examples_dated_reasons(tmp_path: Path) -> None:
    db = _examples_in_readme_order(tmp_path)
    without = _examples_in_readme_order(tmp_path, leave_out=HUBSPOT_LIST)
    listed = [line.split(",")[0] for line in (EXAMPLES / HUBSPOT_LIST).read_text().splitlines()[1:] if line]
    conn = sqlite3.connect(db)
    categories = dict(conn.execute(
        "SELECT e.recipient, e.reason FROM events e JOIN imports i ON i.id = e.import_id "
        "WHERE i.source LIKE ? AND e.event = 'bounce' AND e.bounce_type = 'hard' AND NOT e.is_global",
        (f"%{HUBSPOT_LIST}",),
    ).fetchall())
    conn.close()
    # HubSpot's "Unknown user" category: the address does not exist, a hard userunknown.
    assert categories and set(categories.values()) == {"userunknown"}
    got, before = _contacts(db, listed), _contacts(without, listed)
    dated = [email for email in listed if before.get(email, {}).get("hard_bounced_at")]
    assert dated, "some listed contacts have dated hard bounces in the other examples"
    for email in dated:
        for field in ("hard_bounce_reason", "hard_bounced_at", "global_bounced_at", "complained_at", "unsubscribed_at"):
            assert got[email][field] == before[email][field], (email, field)
        assert got[email]["status"] == "hard_bounced"
    # Those the list alone names still take its word.
    for email in listed:
        assert got[email]["status"] != "eligible", email


def test_an_old_store_is_repaired_by_the_migration(tmp_path: Path) -> None:
    # A store as the version before m008 left it: an undated HubSpot bounce imported after a dated
    # one had replaced its reason and time on the contact.
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    build_migrations(len(MIGRATIONS) - 1).apply(sqlite_utils.Database(conn))
    file_time = "2026-11-30T12:00:00.000Z"
    conn.execute("INSERT INTO imports (id, source, format, options, started_at, status) VALUES "
                 "(1, 'log.csv', 'csv', '{}', ?, 'complete'), (2, 'list.csv', 'hubspot', '{}', ?, 'complete')",
                 (file_time, file_time))
    insert = ("INSERT INTO events (id, key, email_id, recipient, event, timestamp, bounce_type, reason, smtp_code, "
              "enhanced_status, provider_type, is_global, import_id) VALUES (?, ?, ?, ?, 'bounce', ?, 'hard', ?, ?, ?, ?, "
              "0, ?)")
    conn.execute(insert, (1, event_key("nov", "gone@example.com", "bounce", T1_STORED, True, 550, "5.1.1"), "nov",
                          "gone@example.com", T1_STORED, "userunknown", 550, "5.1.1", None, 1))
    conn.execute(insert, (2, event_key(None, "gone@example.com", "bounce", file_time, False, None, None, "hard"), None,
                          "gone@example.com", file_time, "mailboxfull", None, None, "hard", 2))
    conn.execute(insert, (3, event_key(None, "only@example.com", "bounce", file_time, False, None, None, "hard"), None,
                          "only@example.com", file_time, "userunknown", None, None, "hard", 2))
    conn.execute("INSERT INTO reactivations (contact, user, at, month) VALUES ('gone@example.com', 'alice', "
                 "'2026-11-10T08:00:00.000Z', '2026-11')")
    for email, event_id in (("gone@example.com", 2), ("only@example.com", 3)):
        conn.execute(
            "INSERT INTO contacts (email, domain, status, hard_bounce_reason, hard_bounced_at, hard_bounce_event_id, "
            "bounces, reactivated_at, first_seen_at, last_event_at) VALUES (?, 'example.com', 'hard_bounced', ?, ?, ?, "
            "?, ?, ?, ?)",
            (email, "mailboxfull" if event_id == 2 else "userunknown", file_time, event_id, 2 if event_id == 2 else 1,
             "2026-11-10T08:00:00.000Z" if event_id == 2 else None, T1_STORED, file_time),
        )
    conn.close()

    with Store(path) as store:
        dated = dict(store.conn.execute("SELECT id, dated FROM events").fetchall())
    assert dated == {1: 1, 2: 0, 3: 0}
    got = _contacts(path, ["gone@example.com", "only@example.com"])
    assert (got["gone@example.com"]["hard_bounce_reason"], got["gone@example.com"]["hard_bounced_at"],
            got["gone@example.com"]["hard_bounce_event_id"], got["gone@example.com"]["status"]) == (
        "userunknown", T1_STORED, 1, "eligible")  # the dated bounce, lifted by the reactivation after it
    assert (got["only@example.com"]["hard_bounced_at"], got["only@example.com"]["status"]) == (file_time, "hard_bounced")


def test_the_fold_is_the_same_in_every_order_and_split() -> None:
    # The rule as the ledger has it: folds of any split of the events, merged in any order, agree.
    events = [
        Event("a@example.com", "bounce", "2026-11-30T12:00:00.000Z", bounce_type="hard", reason="mailboxfull",
              provider_type="hard", is_global=True, dated=False),
        Event("a@example.com", "bounce", "2026-11-03T09:00:00.000Z", bounce_type="hard", reason="userunknown",
              smtp_code=550, enhanced_status="5.1.1"),
        Event("a@example.com", "bounce", "2026-11-01T09:00:00.000Z", bounce_type="hard", reason="hostunknown",
              smtp_code=550, enhanced_status="5.1.2", is_global=True),
        Event("a@example.com", "complaint", "2026-11-30T12:00:00.000Z", dated=False),
        Event("a@example.com", "complaint", "2026-11-02T09:00:00.000Z"),
        Event("a@example.com", "unsubscribe", "2026-11-30T12:00:00.000Z", dated=False),
    ]
    seen = set()
    for order in itertools.permutations(range(len(events))):
        for cut in range(len(events) + 1):
            parts = [[events[i] for i in order[:cut]], [events[i] for i in order[cut:]]]
            folds = [EventBatch.of(part, None).contacts.get("a@example.com") for part in parts]
            folds = [f for f in folds if f is not None]
            merged = folds[0]
            for other in folds[1:]:
                merge(merged, other)
            seen.add(tuple(merged[:HARD_ID] + merged[HARD_ID + 1:RECOUNT]))  # event ids follow the order
    assert len(seen) == 1
    (fold,) = seen
    assert fold[HARD_AT:HARD_ID] == ("2026-11-03T09:00:00.000Z", "userunknown")
    # The global bounce and the complaint dated, the unsubscribe known only undated.
    assert fold[GLOBAL_AT - 1] == "2026-11-01T09:00:00.000Z" and fold[COMPLAINED_AT - 1] == "2026-11-02T09:00:00.000Z"
    assert fold[UNSUBSCRIBED_AT - 1] == "2026-11-30T12:00:00.000Z" and fold[UNDATED - 1] == UNSUBSCRIBED_UNDATED
