"""Issue 13, item 6: one mailbox, one contact. Every importer, filter, unbounce and lists use one normal
form (NFC, IDNA ASCII domain, lowercased); the importers agree on what an address is; a store holding
several forms of one mailbox is merged by a migration."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from trusthelpers import assert_clean_exit, invoke, write_log

from bouncectl.addresses import AddressError, address_of, normalize
from bouncectl.store import Store, build_migrations

# After the reactivation made now (within the day ahead a source's clock may be off by).
AHEAD = (datetime.now(UTC) + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M:%SZ")
NFC = unicodedata.normalize("NFC", "josé@example.org")
NFD = unicodedata.normalize("NFD", "josé@example.org")
SAME_MAILBOX = [
    ("jane@bücher.de", "jane@xn--bcher-kva.de"),
    ("Jane@BÜCHER.de", "jane@xn--bcher-kva.de"),
    (NFC, NFD),
    ("bob@ｅｘａｍｐｌｅ.net", "bob@example.net"),
    (" <Bob@Example.NET> ", "bob@example.net"),
]


@pytest.mark.parametrize(("one", "other"), SAME_MAILBOX)
def test_two_forms_of_one_mailbox_have_one_normal_form(one: str, other: str) -> None:
    assert normalize(one) == normalize(other)
    assert normalize(normalize(one)) == normalize(one)


@pytest.mark.parametrize("text", ["a\x01b@example.com", "a@exa\x7fmple.com", "ab\u202e@example.com", "a b@example.com", "@example.com", "a@"])
def test_what_is_not_an_address_is_refused(text: str) -> None:
    with pytest.raises(AddressError):
        address_of(text)


def _sendgrid(path: Path, *recipients: str) -> Path:
    records = [
        {"email": r, "event": "bounce", "timestamp": 1764000000 + n, "sg_event_id": f"ev{n}", "sg_message_id": f"m{n}",
         "type": "bounce", "status": "5.1.1", "reason": "550 5.1.1 User unknown"}
        for n, r in enumerate(recipients)
    ]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def _contacts(db: Path) -> dict[str, str]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT email, status FROM contacts"))
    finally:
        conn.close()


@pytest.mark.parametrize(("stored", "planned"), SAME_MAILBOX)
def test_a_bounce_under_one_form_stops_a_send_to_the_other(tmp_path: Path, stored: str, planned: str) -> None:
    db = tmp_path / "store.db"
    rows = [["nov", stored, "bounce", "2026-11-03T09:00:00Z", "", "550", "5.1.1", "550 5.1.1 User unknown"]]
    assert_clean_exit(invoke(db, "import", write_log(tmp_path / "log.csv", rows)), (0,))
    _sendgrid(tmp_path / "sg.json", planned)
    assert_clean_exit(invoke(db, "import", tmp_path / "sg.json", "--email-id", "dec"), (0,))
    assert list(_contacts(db).values()) == ["hard_bounced"]
    (tmp_path / "planned.txt").write_text(planned + "\n", encoding="utf-8")
    result = invoke(db, "filter", tmp_path / "planned.txt", "--out", tmp_path / "sendable.txt",
                    "--not-sent", tmp_path / "not-sent.csv")
    assert_clean_exit(result, (0,))
    assert (tmp_path / "sendable.txt").read_text(encoding="utf-8").strip() == ""
    assert "PREVIOUSLY_BOUNCED" in (tmp_path / "not-sent.csv").read_text(encoding="utf-8")


def test_one_reactivation_per_mailbox_whatever_its_form(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    rows = [["nov", "jane@bücher.de", "bounce", "2026-11-03T09:00:00Z", "", "550", "5.1.1", "User unknown"]]
    assert invoke(db, "import", write_log(tmp_path / "log.csv", rows)).exit_code == 0
    assert invoke(db, "domains", "add", "news.example.com").exit_code == 0
    assert invoke(db, "users", "add", "alice", "--permission", "email").exit_code == 0
    first = invoke(db, "unbounce", "jane@xn--bcher-kva.de", "--confirm", "--as", "alice")
    assert first.exit_code == 0, first.stderr
    later = [["dec", "JANE@bücher.de", "bounce", AHEAD, "", "550", "5.1.1", "User unknown"]]
    assert invoke(db, "import", write_log(tmp_path / "later.csv", later)).exit_code == 0
    second = invoke(db, "unbounce", "jane@bücher.de", "--confirm", "--as", "alice", "--format", "json")
    assert second.exit_code == 1
    assert json.loads(second.stdout)[0]["code"] == "ALREADY_REACTIVATED"
    assert _contacts(db) == {"jane@xn--bcher-kva.de": "hard_bounced"}


def test_the_importers_agree_that_a_dotless_domain_is_an_address(tmp_path: Path) -> None:
    csv_db, json_db = tmp_path / "csv.db", tmp_path / "json.db"
    rows = [["nov", "a@b", "bounce", "2026-11-03T09:00:00Z", "", "550", "5.1.1", "User unknown"]]
    assert_clean_exit(invoke(csv_db, "import", write_log(tmp_path / "log.csv", rows)), (0,))
    _sendgrid(tmp_path / "sg.json", "a@b")
    assert_clean_exit(invoke(json_db, "import", tmp_path / "sg.json", "--email-id", "nov"), (0,))
    assert _contacts(csv_db) == _contacts(json_db) == {"a@b": "hard_bounced"}


def test_a_saved_list_by_unicode_domain_finds_the_contacts(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    rows = [["nov", "jane@bücher.de", "bounce", "2026-11-03T09:00:00Z", "", "550", "5.1.1", "User unknown"]]
    assert invoke(db, "import", write_log(tmp_path / "log.csv", rows)).exit_code == 0
    assert invoke(db, "lists", "create", "books", "--domain", "BÜCHER.de").exit_code == 0
    shown = invoke(db, "lists", "show", "books", "--format", "json")
    assert [c["email"] for c in json.loads(shown.stdout)] == ["jane@xn--bcher-kva.de"]


@pytest.mark.parametrize("text", ["ctl\x07@example.com", "rtl\u202e@example.com", "tab\t@example.com"])
def test_the_importers_agree_on_what_is_not_an_address(tmp_path: Path, text: str) -> None:
    csv_db, json_db = tmp_path / "csv.db", tmp_path / "json.db"
    rows = [["nov", text, "bounce", "2026-11-03T09:00:00Z", "", "550", "5.1.1", "User unknown"],
            ["nov", "fine@example.com", "sent", "2026-11-03T09:00:00Z", "", "", "", ""]]
    assert_clean_exit(invoke(csv_db, "import", write_log(tmp_path / "log.csv", rows)), (3,))
    _sendgrid(tmp_path / "sg.json", text, "fine@example.com")
    assert_clean_exit(invoke(json_db, "import", tmp_path / "sg.json", "--email-id", "nov"), (3,))
    assert list(_contacts(csv_db)) == list(_contacts(json_db)) == ["fine@example.com"]


def test_the_migration_merges_the_forms_of_one_mailbox(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    conn = sqlite3.connect(db)
    build_migrations(4).apply(sqlite_utils.Database(conn))
    # As an earlier version stored them: two contacts, one reactivated once, the other bounced since.
    contacts = [
        (NFD, "example.org", "eligible", "userunknown", "2026-10-01T00:00:00.000Z", 1, 1, "2026-10-02T00:00:00.000Z"),
        (NFC, "example.org", "hard_bounced", "userunknown", "2026-11-01T00:00:00.000Z", 2, 1, None),
        ("jane@bücher.de", "bücher.de", "eligible", None, None, None, 0, None),
        ("jane@xn--bcher-kva.de", "xn--bcher-kva.de", "hard_bounced", "userunknown", "2026-11-01T00:00:00.000Z", 3, 1,
         None),
    ]
    for email, domain, status, reason, at, event_id, bounces, reactivated in contacts:
        conn.execute(
            "INSERT INTO contacts (email, domain, status, hard_bounce_reason, hard_bounced_at, hard_bounce_event_id, "
            "bounces, reactivated_at, first_seen_at, last_event_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (email, domain, status, reason, at, event_id, bounces, reactivated, at, at),
        )
    for n, (email, _d, _s, _r, at, event_id, _b, _x) in enumerate(contacts, start=1):
        if event_id:
            conn.execute(
                "INSERT INTO events (id, key, email_id, recipient, event, timestamp, bounce_type, smtp_code, "
                "enhanced_status) VALUES (?, ?, 'nov', ?, 'bounce', ?, 'hard', 550, '5.1.1')",
                (event_id, n * 1000, email, at),
            )
    conn.execute("INSERT INTO reactivations (contact, user, at, month, bounce_event_id, reason) "
                 "VALUES (?, 'alice', '2026-10-02T00:00:00.000Z', '2026-10', 1, 'userunknown')", (NFD,))
    conn.commit()
    conn.close()
    Store(db).close()
    assert _contacts(db) == {NFC: "hard_bounced", "jane@xn--bcher-kva.de": "hard_bounced"}
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT bounces FROM contacts WHERE email = ?", (NFC,)).fetchone()[0] == 2
        assert conn.execute("SELECT contact FROM reactivations").fetchall() == [(NFC,)]
        assert sorted(r for (r,) in conn.execute("SELECT DISTINCT recipient FROM events")) == sorted(
            [NFC, "jane@xn--bcher-kva.de"])
    finally:
        conn.close()
    assert invoke(db, "domains", "add", "news.example.com").exit_code == 0
    assert invoke(db, "users", "add", "alice", "--permission", "email").exit_code == 0
    again = invoke(db, "unbounce", NFD, "--confirm", "--as", "alice", "--format", "json")
    assert again.exit_code == 1 and json.loads(again.stdout)[0]["code"] == "ALREADY_REACTIVATED"
