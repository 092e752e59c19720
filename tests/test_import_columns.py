"""The canonical CSV imported by blocks of columns gives the store that the import event by event
gives (BOUNCECTL_IMPORT_COLUMNS=0): the same events, contacts, emails, import counts and rejects,
with the same line numbers, on the benchmark's logs and on logs with bad, blank, repeated and
multi-line rows, into an empty store and into one that holds other events."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from trusthelpers import canonical_dump, generate_rows, invoke, write_log

from bouncectl.ledger.columns import (
    ContactFolds,
    collapse,
    event_folds,
    event_keys,
    fold_lists,
    new_contact_rows,
    plain_new_contacts,
    plain_stored_contacts,
    stored_contact_rows,
)
from bouncectl.ledger.fields import CONTACT_FIELDS, NULL, ROW_FIELDS
from bouncectl.ledger.fold import add_fold, fold_rows, needs_recount, new_contact
from bouncectl.ledger.rows import event_key
from bouncectl.ledger.status import SoftBouncePolicy, status_of
from bouncectl.model import COMPLAINED, ELIGIBLE, GLOBALLY_BOUNCED, HARD_BOUNCED, UNSUBSCRIBED, ImportOptions
from bouncectl.sources import csvcolumns
from bouncectl.store import Store
from bouncectl.usecases import importing_columns
from bouncectl.usecases.importing import import_source

ROOT = Path(__file__).resolve().parents[1]
SENDLOG = ROOT / "benchmarks" / "sendlog.py"


def _import(db: Path, *args: str | Path, columns: bool, monkeypatch: pytest.MonkeyPatch, code: int | None = None):
    monkeypatch.setenv("BOUNCECTL_IMPORT_COLUMNS", "1" if columns else "0")
    result = invoke(db, "import", *map(str, args))
    if code is not None:
        assert result.exit_code == code, result.output
    return result


def both_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *imports: tuple) -> tuple[dict, dict]:
    """The stores the two paths make of the same imports (each a tuple of CLI arguments)."""
    dumps = []
    for columns in (False, True):
        db = tmp_path / f"{'columns' if columns else 'rows'}.db"
        for args in imports:
            _import(db, *args, columns=columns, monkeypatch=monkeypatch)
        dumps.append(canonical_dump(db))
    return dumps[0], dumps[1]


def assert_same(by_rows: dict, by_columns: dict) -> None:
    for table, rows in by_rows.items():
        assert by_columns[table] == rows, table


@pytest.fixture(scope="module")
def bench_logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two of the benchmark's logs (list order), the second from another seed: other emails' events."""
    folder = tmp_path_factory.mktemp("bench")
    first, second = folder / "first.csv", folder / "second.csv"
    subprocess.run([sys.executable, SENDLOG, "30000", first], check=True)
    subprocess.run([sys.executable, SENDLOG, "12000", second, "--seed", "5", "--contacts", "6000"], check=True)
    return first, second


def test_the_benchmark_logs_give_the_same_store(bench_logs, tmp_path, monkeypatch):
    first, second = bench_logs
    again = tmp_path / "again.csv"
    again.write_bytes(first.read_bytes() + b"\n")  # another checksum: every row a duplicate
    by_rows, by_columns = both_stores(tmp_path, monkeypatch, (first,), (second,), (again,))
    assert len(by_rows["events"]) > 40_000
    assert_same(by_rows, by_columns)


@pytest.mark.parametrize("spill_at", [100, 10**9])
def test_small_blocks_bad_and_repeated_rows_give_the_same_store(tmp_path, monkeypatch, spill_at):
    # Many blocks: an event repeated in two blocks of a load into an empty store (the key index
    # cannot be built after it, and the load is made again with it), bad rows in most blocks;
    # contacts' folds held in memory to the end, or spilled every 100 contacts and read back a
    # few at a time (a contact's folds then met in several spills, and across two reads).
    monkeypatch.setattr(csvcolumns, "BLOCK", 4096)
    monkeypatch.setattr(importing_columns, "COLLAPSE_AT", 50)
    monkeypatch.setattr(importing_columns, "SPILL_AT", spill_at)
    monkeypatch.setattr(importing_columns, "SPILLED_PART", 37)
    log = write_log(tmp_path / "log.csv", generate_rows(6000, seed=3))
    other = write_log(tmp_path / "other.csv", generate_rows(3000, seed=4))
    by_rows, by_columns = both_stores(tmp_path, monkeypatch, (log,), (other,))
    assert by_rows["rejects"] and by_rows["imports"][0][7] > 0  # rejected rows and duplicates
    assert_same(by_rows, by_columns)


def test_options_give_the_same_store(tmp_path, monkeypatch):
    rows = [row[1:] for row in generate_rows(2000, seed=9)]
    log = write_log(tmp_path / "log.csv", rows, header=["recipient", "event", "timestamp", "bounce_type", "smtp_code",
                                                         "enhanced_status", "diagnostic"])
    by_rows, by_columns = both_stores(tmp_path, monkeypatch, (log, "--email-id", "spring", "--third-party"))
    assert_same(by_rows, by_columns)


ODD_ROWS = (
    "email_id,recipient,event,timestamp,smtp_code,enhanced_status,diagnostic,global,not_sent_reason,group,"
    "email_name,message_id,extra\n"
    "e1,a@example.com,sent,2026-01-01T00:00:00Z,,,,,,,Spring sale,<m1@x>,kept\n"
    'e1,a@example.com,bounce,2026-01-01T00:01:00Z,550,5.1.1,"line one\nline two\r\nline three",yes,,,,,\n'
    "e1,b@example.com,bounce,2026-01-01T00:02:00,999,,,,,,,,\n"
    "\n"
    "   \n"
    ",,,,,,,,,,,,\n"
    "e1,b@example.com,sent,yesterday,,,,,,,,,\n"
    "e1,c@example.com,delivered,2026-01-01T00:03:00Z,250,,,,,,,,\n"
    "e1,c@example.com,delivered,2026-01-01T00:03:00Z,250,,,,,,,,\n"
    "e1,d@example.com,unsubscribe,2026-01-01T00:04:00Z,,,,,,news,,,\n"
    "e1,d@example.com,sent,2026-01-01T00:04:00Z,,,,,,news,,,\n"
    "e1,e@example.com,not_sent,2026-01-01T00:05:00Z,,,,,GLOBALLY_BOUNCED,,,,\n"
    "e1,f@example.com,sent,2026-01-01T00:05:00Z,,,,,GLOBALLY_BOUNCED,,,,\n"
    "e1,g@example.com,hard_bounce,2026-01-01T00:06:00Z,,,Mailbox unavailable,,,,,,\n"
    "e1,g@example.com,open,2026-01-01T00:06:00Z,,,,maybe,,,,,\n"
    "e1,h@example.com,sent,2026-01-01T00:07:00Z,,,,,,,,,,,\n"
    "e1,h@example.com,complaint,2026-01-01T00:08:00Z,,,,,,,,,\n"
    'e1,i@example.com,sent,"2026-01-01T00:09:00Z,,,,,,,,,\n'
    "e1,j@example.com,sent,2026-01-01T00:10:00Z,,,,,,,,,\n"
    "e1,k@example.com,deferred,2026-01-01T00:11:00Z,,,421 4.7.0 try later,,,,,,\n"
    "e1,k@example.com,sent,2026-01-01T00:11:00Z,,,,,,,,,"
)


@pytest.mark.parametrize("block", [64, 512, 1 << 20])
def test_odd_rows_give_the_same_store_and_rejects(tmp_path, monkeypatch, block):
    """Blank and whitespace lines, a row of empty cells, a quoted field over three lines (CRLF
    inside), cross-field mistakes, a repeated row, a row too wide, a quote left open, no final
    line break: the same rejects on the same lines whatever the block size."""
    monkeypatch.setattr(csvcolumns, "BLOCK", block)
    log = tmp_path / "odd.csv"
    log.write_bytes(ODD_ROWS.encode())
    by_rows, by_columns = both_stores(tmp_path, monkeypatch, (log,))
    assert_same(by_rows, by_columns)
    # The quoted field takes lines 3 to 5; 7 and 8 are blank; 12 repeats 11; the quote opened on
    # line 21 is never closed.
    assert [line for _, line, _, _ in by_columns["rejects"]] == [6, 9, 10, 14, 16, 18, 19, 21]
    assert len(by_columns["events"]) == 10


def test_a_quoted_line_break_keeps_the_line_numbers_after_it(tmp_path, monkeypatch):
    log = tmp_path / "log.csv"
    log.write_text(
        "email_id,recipient,event,timestamp,diagnostic\n"
        'e1,a@example.com,bounce,2026-01-01T00:00:00Z,"550 user unknown\nsecond line\nthird line"\n'
        "e1,b@example.com,sent,2026-01-01T00:00:00Z,\n"
        "e1,not-an-address,sent,2026-01-01T00:00:00Z,\n"
    )
    _import(tmp_path / "store.db", log, "--strict", columns=True, monkeypatch=monkeypatch, code=3)
    conn = sqlite3.connect(tmp_path / "store.db")
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    assert conn.execute("SELECT line FROM rejects").fetchall() == [(6,)]


def test_an_unclosed_quote_in_a_long_input_is_read_by_rows(tmp_path, monkeypatch):
    """A quote left open takes in everything after it: the rest is read row by row (memory stays
    bounded by a block), and the same rejects come out as from the row reader."""
    monkeypatch.setattr(csvcolumns, "BLOCK", 256)
    monkeypatch.setattr(csvcolumns, "MAX_BLOCK", 1024)
    monkeypatch.setattr(csvcolumns, "RECORDS_PER_BLOCK", 7)  # and handed on a few records at a time
    rows = [f"e1,u{i}@example.com,sent,2026-01-01T00:00:{i % 60:02d}Z,\n" for i in range(200)]
    rows[20] = 'e1,x@example.com,bounce,2026-01-01T00:00:00Z,"550 no such user\n'
    log = tmp_path / "log.csv"
    log.write_text("email_id,recipient,event,timestamp,diagnostic\n" + "".join(rows))
    by_rows, by_columns = both_stores(tmp_path, monkeypatch, (log,))
    assert_same(by_rows, by_columns)
    assert [line for _, line, _, _ in by_columns["rejects"]] == [22]
    assert len(by_columns["events"]) == 199


def test_a_header_with_a_quoted_line_break_is_read_by_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(csvcolumns, "RECORDS_PER_BLOCK", 3)
    rows = "".join(f"e1,u{i}@example.com,sent,2026-01-01T00:00:{i:02d}Z,\n" for i in range(20))
    log = tmp_path / "log.csv"
    log.write_text('email_id,recipient,event,timestamp,"diag\nnostic"\n' + rows + "e1,bad,sent,2026-01-01T00:00:00Z,\n")
    by_rows, by_columns = both_stores(tmp_path, monkeypatch, (log,))
    assert_same(by_rows, by_columns)
    assert len(by_columns["events"]) == 20 and [line for _, line, _, _ in by_columns["rejects"]] == [23]


def test_keys_by_column_are_the_keys_of_each_event():
    rng = random.Random(2)
    rows = []
    for _ in range(3000):
        event = rng.choice(["sent", "bounce", "deferred", "not_sent", "unsubscribe", "open"])
        code = rng.choice(["", 550, 421]) if event in ("bounce", "deferred") else ""
        status = rng.choice(["", "5.1.1"]) if event in ("bounce", "deferred") else ""
        rows.append({
            "email_id": rng.choice(["e1", "e2"]), "recipient": f"u{rng.randrange(50)}@example.com", "event": event,
            "timestamp": f"2026-01-0{rng.randrange(1, 9)}T00:00:00.000Z", "smtp_code": code,
            "enhanced_status": status, "provider_type": rng.choice(["", "hard", "soft"]) if not code else "",
            "list_group": rng.choice(["", "news"]) if event == "unsubscribe" else "",
            "dated": 1,  # as every CSV row is
        })
    frame = pd.DataFrame(rows)
    expected = [
        event_key(r["email_id"], r["recipient"], r["event"], r["timestamp"], True, r["smtp_code"] or None,
                  r["enhanced_status"] or None, r["provider_type"] or None, r["list_group"] or None)
        for r in rows
    ]
    assert event_keys(frame) == expected


def test_folds_by_column_are_the_folds_of_each_event():
    rng = random.Random(4)
    rows = []
    for _ in range(4000):
        event = rng.choice(["sent", "delivered", "open", "bounce", "bounce", "not_sent", "complaint", "unsubscribe"])
        rows.append({
            "key": 0, "email_id": rng.choice(["e1", "e2", "e3"]), "recipient": f"u{rng.randrange(80)}@example.com",
            "event": event, "timestamp": f"2026-01-{rng.randrange(1, 29):02d}T00:00:00.000Z",
            "bounce_type": rng.choice(["hard", "soft"]) if event == "bounce" else "",
            "reason": rng.choice(["userunknown", "mailboxfull", ""]) if event == "bounce" else "",
            "is_global": int(event == "bounce" and rng.random() < 0.2),
            "not_sent_reason": rng.choice(["GLOBALLY_BOUNCED", "INVALID_ADDRESS", "DUPLICATE"])
            if event == "not_sent" else "",
            "list_group": rng.choice(["", "news"]) if event == "unsubscribe" else "",
            "dated": 1,  # as every CSV row is
        })
    frame = pd.DataFrame(rows)
    ids = np.arange(100, 100 + len(rows))
    # Two halves folded apart and collapsed: the merge of batch folds is the fold of all.
    folds = collapse(pd.concat([collapse(event_folds(frame[:1500], ids[:1500])),
                                collapse(event_folds(frame[1500:], ids[1500:]))], ignore_index=True))
    tuples = [tuple(r.get(name, "") for name in ROW_FIELDS) for r in rows]
    expected, _ = fold_rows(zip(ids.tolist(), tuples, strict=True))
    assert dict(fold_lists(folds)) == expected
    # Merged a part at a time into the folds held (contacts known and new in each part, hard
    # bounces at one time with other ids): the same folds, in address order.
    held = ContactFolds()
    for start, stop in ((0, 700), (700, 710), (710, 2600), (2600, 4000)):
        held.add(event_folds(frame[start:stop], ids[start:stop]))
    merged = held.frame()
    assert merged["email"].tolist() == sorted(expected)
    assert dict(fold_lists(merged)) == expected
    # Spilled to the temporary table a part at a time, and read back a few at a time: each
    # contact once, in address order, with the fold of all its events.
    conn = sqlite3.connect(":memory:")
    for start, stop in ((0, 700), (700, 710), (710, 2600), (2600, 4000)):
        part = ContactFolds()
        part.add(event_folds(frame[start:stop], ids[start:stop]))
        Store.spill_folds(conn, part.parts(50, ordered=False), anew=start == 0)
    read = list(Store.spilled_folds(conn, 7))
    assert len(read) > 1
    spilled = pd.concat(read, ignore_index=True)
    assert spilled["email"].tolist() == sorted(expected)
    assert dict(fold_lists(spilled)) == expected
    assert conn.execute("SELECT count(*) FROM temp.spilled_folds").fetchone() == (0,)


@pytest.mark.parametrize("third_party", [False, True])
def test_new_contacts_by_column_are_the_contacts_of_each_fold(third_party):
    """A new address's contact row and status, made by columns, are those that new_contact and
    status_of give fold by fold: complaints, unsubscribes, global and hard bounces, deliveries
    before and after them, at the same time too."""
    rng = random.Random(7)
    rows = []
    for number in range(3000):
        event = rng.choice(["sent", "delivered", "open", "bounce", "bounce", "not_sent", "complaint", "unsubscribe"])
        rows.append({
            "key": 0, "email_id": "e1", "recipient": f"u{number % 900}@d{number % 7}.example.com", "event": event,
            "timestamp": f"2026-01-{rng.randrange(1, 5):02d}T00:00:00.000Z",
            "bounce_type": rng.choice(["hard", "hard", "soft"]) if event == "bounce" else "",
            "reason": rng.choice(["userunknown", ""]) if event == "bounce" else "",
            "is_global": int(event == "bounce" and rng.random() < 0.4),
            "not_sent_reason": rng.choice(["GLOBALLY_BOUNCED", "DUPLICATE"]) if event == "not_sent" else "",
            "list_group": rng.choice(["", "news"]) if event == "unsubscribe" else "",
            "dated": 1,
        })
    folds = collapse(event_folds(pd.DataFrame(rows), np.arange(1, len(rows) + 1)), ordered=True)
    plain = plain_new_contacts(folds, {"u3@d3.example.com"})
    assert 0 < plain.sum() < len(folds) - 1  # a stored address and soft streaks to count are left out
    made, statuses = new_contact_rows(folds[plain], third_party)
    expected = []
    for email, fold in fold_lists(folds[plain]):
        contact = new_contact(email, fold)
        contact["third_party"] = int(third_party)
        contact["status"] = status_of(contact, SoftBouncePolicy())
        expected.append(tuple(NULL if value is None else value for value in contact.values()))
    assert made == expected
    assert statuses == [row[2] for row in expected]
    assert {HARD_BOUNCED, GLOBALLY_BOUNCED, COMPLAINED, UNSUBSCRIBED, ELIGIBLE} <= set(statuses)


@pytest.mark.parametrize("third_party", [False, True])
def test_stored_contacts_by_column_take_their_folds_as_each_contact_does(third_party):
    """A stored contact's row after its fold, made by columns, is the row add_fold and status_of
    give: times before, at and after those held, hard bounces at the same time, reactivations
    and new consent before and after, complaints, global bounces and deliveries."""
    rng = random.Random(11)
    rows = []
    for number in range(3000):
        event = rng.choice(["sent", "delivered", "open", "bounce", "bounce", "not_sent", "complaint", "unsubscribe"])
        rows.append({
            "key": 0, "email_id": "e1", "recipient": f"u{number % 700}@example.com", "event": event,
            "timestamp": f"2026-01-{rng.randrange(3, 7):02d}T00:00:00.000Z",
            "bounce_type": "hard" if event == "bounce" else "",
            "reason": rng.choice(["userunknown", ""]) if event == "bounce" else "",
            "is_global": int(event == "bounce" and rng.random() < 0.3),
            "not_sent_reason": rng.choice(["GLOBALLY_BOUNCED", "DUPLICATE"]) if event == "not_sent" else "",
            "list_group": "", "dated": 1,
        })
    folds = collapse(event_folds(pd.DataFrame(rows), np.arange(5000, 5000 + len(rows))), ordered=True)

    def when(day: int | None) -> str | None:
        return None if day is None else f"2026-01-{day:02d}T00:00:00.000Z"

    def some_day() -> int | None:
        return rng.choice([None, None, 2, 4, 5, 8])

    contacts = {}
    for email in folds["email"].tolist():
        hard = some_day()
        contacts[email] = {
            "email": email, "domain": "example.com", "status": rng.choice([ELIGIBLE, HARD_BOUNCED, COMPLAINED]),
            "hard_bounce_reason": rng.choice(["userunknown", None]) if hard else None, "hard_bounced_at": when(hard),
            "hard_bounce_event_id": rng.randrange(1, 4000) if hard else None, "global_bounced_at": when(some_day()),
            "last_delivered_at": when(some_day()), "bounces": rng.randrange(3), "soft_streak": 0,
            "soft_streak_since": None, "soft_streak_last": None, "third_party": rng.randrange(2),
            "reactivated_at": when(some_day()), "first_seen_at": when(rng.choice([1, 4, 9])),
            "last_event_at": when(rng.choice([4, 9])), "complained_at": when(some_day()),
            "unsubscribed_at": when(some_day()), "resubscribed_at": when(some_day()), "kept_status": None, "undated": 0,
        }
    assert all(list(contact) == list(CONTACT_FIELDS) for contact in contacts.values())  # as the store reads them
    contacts["u5@example.com"]["undated"] = 1  # these are left to the contact-by-contact rules
    contacts["u6@example.com"]["kept_status"] = HARD_BOUNCED
    contacts["u7@example.com"]["soft_streak"] = 2
    plain = plain_stored_contacts(folds, contacts)
    assert 0 < plain.sum() < len(folds) - 3
    assert not plain[folds["email"].isin(["u5@example.com", "u6@example.com", "u7@example.com"]).to_numpy()].any()
    made = stored_contact_rows(folds[plain], contacts, third_party)
    expected = []
    for email, fold in fold_lists(folds[plain]):
        contact = dict(contacts[email])
        add_fold(contact, fold)
        if third_party:
            contact["third_party"] = 1
        assert not needs_recount(contact, fold)
        contact["status"] = status_of(contact, SoftBouncePolicy())
        expected.append(tuple(NULL if value is None else value for value in contact.values()))
    assert made == expected
    assert {HARD_BOUNCED, GLOBALLY_BOUNCED, COMPLAINED, UNSUBSCRIBED, ELIGIBLE} <= {row[2] for row in made}


def test_the_ascii_check_of_an_address_is_the_unicode_one():
    """Addresses are checked once per distinct value, and ASCII ones by one pattern: the same verdict
    as the character-by-character rule (a space or a control character refuses an address)."""
    import unicodedata

    from bouncectl.addresses import AddressError, address_of

    for code in range(128):
        char = chr(code)
        refused = char.isspace() or unicodedata.category(char) in ("Cc", "Cf")
        try:
            address_of(f"a{char}b@example.com")
        except AddressError as exc:
            assert refused or "not an email address" in str(exc), repr(char)
        else:
            assert not refused, repr(char)


def test_an_address_taken_as_it_is_is_its_own_normal_form():
    from bouncectl.addresses import address_of

    texts = ["a@example.com", "x.y+z@sub.example.org", "A@example.com", "<a@example.com>", "a@b@example.com",
             "a@Example.com", "a @example.com", "a@", "@example.com", "a\x7f@example.com", "ä@example.com",
             "a@example.com>", "<a@example.com", "a" * 330 + "@example.com", "1@2", "a@[192.0.2.1]"]
    for text in texts:
        if csvcolumns._NORMAL_ASCII_ADDRESS.fullmatch(text) and len(text) <= 320:
            assert address_of(text) == text, text


def test_a_block_of_addresses_is_read_as_each_address_is(tmp_path):
    # The distinct values of a block are matched as the lines of one text: each refused or
    # normalised as the row reader does it one by one, wherever it is among the others.
    from bouncectl.sources import csvlog
    from bouncectl.sources.source import Source

    log = write_log(tmp_path / "log.csv", [])
    reader = csvlog.row_reader(Source(str(log)), ["email_id", "recipient", "event", "timestamp"], ImportOptions())
    texts = ["a@example.com", "A@Example.com", "<b@example.com>", " c@example.com ", "", "a @example.com", "a@",
             "@example.com", "a\x7f@example.com", "ä@example.com", "a" * 330 + "@example.com", "x.y+z@sub.example.org",
             "1@2", "a@b@example.com", "d@example.com\ne@example.com", "f@example.com"]
    values = [texts[index % len(texts)] for index in range(7 * len(texts) + 3)]
    for sample in (values, values[:-1], [value for value in values if "\n" not in value], ["a@example.com"]):
        found, refused = csvcolumns._addresses(pd.Series(sample, dtype=object), reader)
        expected = []
        for text in sample:
            try:
                expected.append(reader.recipient(text))
            except csvlog._RowError:
                expected.append(None)
        assert found.tolist() == expected
        assert refused.tolist() == [value is None for value in expected]


def test_overlapping_inputs_give_the_same_store(bench_logs, tmp_path, monkeypatch):
    # Into a store that holds events, a block's stored keys are looked up first while that finds
    # some: a file whose first part is stored, then new rows, then stored ones again.
    monkeypatch.setattr(csvcolumns, "BLOCK", 16384)
    first, _ = bench_logs
    header, *lines = first.read_bytes().splitlines(keepends=True)
    head = tmp_path / "head.csv"
    head.write_bytes(header + b"".join(lines[:8000]) + b"".join(lines[16000:20000]))
    whole = tmp_path / "whole.csv"
    whole.write_bytes(header + b"".join(lines[:24000]))
    by_rows, by_columns = both_stores(tmp_path, monkeypatch, (head,), (whole,))
    imports = by_columns["imports"]
    assert imports == by_rows["imports"]
    assert_same(by_rows, by_columns)


def test_an_input_imported_again_binds_no_event_row(bench_logs, tmp_path, monkeypatch):
    # Its events are found in the store by their keys before anything is bound or folded.
    first, _ = bench_logs
    again = tmp_path / "again.csv"
    again.write_bytes(first.read_bytes() + b"\n")
    store = Store(tmp_path / "store.db")
    try:
        assert import_source(store, str(first), ImportOptions()).events_stored > 20_000
        inserts: list[str] = []
        store.conn.set_trace_callback(lambda sql: inserts.append(sql) if sql.startswith("INSERT INTO events") else None)
        summary = import_source(store, str(again), ImportOptions())
        store.conn.set_trace_callback(None)
    finally:
        store.close()
    assert summary.events_stored == 0 and summary.duplicates == summary.rows_read > 20_000
    assert inserts == []


def test_soft_streaks_recounted_together_are_those_recounted_one_by_one(tmp_path):
    """The soft streaks of many contacts, recounted by one query, are those of one query per
    contact: each from its own start (a delivery, a reactivation, or none), with none to count too."""
    log = write_log(tmp_path / "log.csv", generate_rows(6000, seed=8, bad_every=0))
    store = Store(tmp_path / "store.db")
    try:
        assert import_source(store, str(log), ImportOptions()).events_stored > 5000
        conn = store.conn
        contacts = [dict(zip(CONTACT_FIELDS, row, strict=True))
                    for row in conn.execute(f"SELECT {', '.join(CONTACT_FIELDS)} FROM contacts ORDER BY email")]
        rng = random.Random(2)
        for contact in contacts:  # starts before, among and after each contact's bounces
            contact["last_delivered_at"] = rng.choice([None, contact["last_delivered_at"], contact["first_seen_at"]])
            contact["reactivated_at"] = rng.choice([None, None, contact["last_event_at"], contact["first_seen_at"]])
        contacts.append({**contacts[0], "email": "nobody@example.com"})
        one_by_one = [dict(contact) for contact in contacts]
        for contact in one_by_one:
            Store._recount_soft_streak(conn, contact)
        together = [dict(contact) for contact in contacts]
        Store._recount_soft_streaks(conn, together)
    finally:
        store.close()
    assert together == one_by_one
    assert sum(contact["soft_streak"] > 0 for contact in together) > 50
    assert {contact["soft_streak"] for contact in together} >= {0, 1, 2}


def test_an_import_into_an_empty_store_keeps_the_indexes_of_its_tables(bench_logs, tmp_path):
    """The indexes an empty load builds after it (of events and contacts) are those the store had."""
    first, _ = bench_logs
    store = Store(tmp_path / "store.db")
    try:
        query = "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        before = store.conn.execute(query).fetchall()
        assert import_source(store, str(first), ImportOptions()).events_stored > 20_000
        after = store.conn.execute(query).fetchall()
    finally:
        store.close()
    assert {table for _, table, sql in before if sql} >= {"events", "contacts"}
    assert after == before


def test_the_page_cache_of_a_load_is_the_stores_own_again_after_it(bench_logs, tmp_path, monkeypatch):
    """A load into a store that holds events widens SQLite's page cache for itself only: after it,
    and after one that fails, the connection's cache is what it was; into an empty store, it is
    not widened at all."""
    first, again = bench_logs
    store = Store(tmp_path / "store.db")
    seen: list[int] = []
    store_blocks = importing_columns._store_blocks

    def watched(*args, **kwargs):
        seen.append(store.conn.execute("PRAGMA cache_size").fetchone()[0])
        return store_blocks(*args, **kwargs)

    monkeypatch.setattr(importing_columns, "_store_blocks", watched)
    try:
        (own,) = store.conn.execute("PRAGMA cache_size").fetchone()
        assert import_source(store, str(first), ImportOptions()).events_stored > 20_000
        assert import_source(store, str(again), ImportOptions()).events_stored > 0
        assert seen == [own, -importing_columns.KEYED_LOAD_CACHE_KIB] and own != seen[1]
        assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == own

        def failing(*args, **kwargs):
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(importing_columns, "_store_blocks", failing)
        copy = tmp_path / "copy.csv"
        copy.write_bytes(again.read_bytes() + b"\n")
        with pytest.raises(sqlite3.OperationalError):
            import_source(store, str(copy), ImportOptions())
        assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == own
    finally:
        store.close()
