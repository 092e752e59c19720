"""`bouncectl filter`: a planned list split into sendable and not sent (SPEC rule 2.2)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import as_json, write_log
from hypothesis import given, settings
from hypothesis import strategies as st

from bouncectl.addresses import syntax_error
from bouncectl.store import Store
from bouncectl.usecases import filtering as planning

HISTORY = [
    ["nov", "dead@example.com", "bounce", "2026-11-03T09:00:40Z", "", "550", "5.1.1", "550 5.1.1 User unknown"],
    ["nov", "listed@example.org", "bounce", "2026-11-03T09:00:41Z", "hard", "550", "5.1.1", "Address suppressed"],
    ["nov", "ok@example.com", "delivered", "2026-11-03T09:00:03Z", "", "250", "", ""],
    *(["nov", "tired@example.net", "bounce", f"2026-10-{day:02d}T10:00:00Z", "soft", "452", "4.2.2", "Mailbox full"]
      for day in (1, 3, 5, 7, 9)),
]
# Soft bounces of five different emails make the contact suppressed.
for n, row in enumerate(HISTORY[3:]):
    row[0] = f"oct{n}"


@pytest.fixture
def store_with_history(bc, tmp_path):
    header = ["email_id", "recipient", "event", "timestamp", "bounce_type", "smtp_code", "enhanced_status",
              "diagnostic", "global"]
    rows = [[*r, "true" if r[1] == "listed@example.org" else ""] for r in HISTORY]
    result = bc("import", write_log(tmp_path / "history.csv", rows, header))
    assert result.exit_code == 0, result.stderr
    return bc


def read_csv(path, delimiter=","):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


PLANNED = [
    # (address as written, expected not_sent_reason or None for sendable)
    ("ok@example.com", None),
    ("new@example.com", None),
    ("DEAD@Example.com", "PREVIOUSLY_BOUNCED"),
    ("listed@example.org", "GLOBALLY_BOUNCED"),
    ("tired@example.net", "SUPPRESSED"),
    ("not an address", "INVALID_ADDRESS"),
    ("two@@example.com", "INVALID_ADDRESS"),
    ("nodot@example", "INVALID_ADDRESS"),
    ("", "INVALID_ADDRESS"),
    (" Ok@EXAMPLE.com ", "DUPLICATE"),
    ("<new@example.com>", "DUPLICATE"),
    ("dead@example.com", "DUPLICATE"),
]


def test_every_not_sent_reason(store_with_history, tmp_path):
    bc = store_with_history
    planned = tmp_path / "planned.csv"
    with planned.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "Email", "first_name"])
        writer.writerows([[i, address, f"name{i}"] for i, (address, _) in enumerate(PLANNED)])
    result = bc("filter", planned, "--out", tmp_path / "send.csv", "--not-sent", tmp_path / "ns.csv")
    assert result.exit_code == 0, result.stderr

    sendable = read_csv(tmp_path / "send.csv")
    not_sent = read_csv(tmp_path / "ns.csv")
    assert sendable[0] == ["id", "Email", "first_name"]
    assert not_sent[0] == ["id", "Email", "first_name", "not_sent_reason"]
    expected_sendable = [[str(i), a, f"name{i}"] for i, (a, reason) in enumerate(PLANNED) if reason is None]
    expected_not_sent = [[str(i), a, f"name{i}", reason] for i, (a, reason) in enumerate(PLANNED) if reason]
    assert sendable[1:] == expected_sendable
    assert not_sent[1:] == expected_not_sent
    assert "12 rows, 2 sendable, 10 not sent" in result.stderr
    assert "INVALID_ADDRESS 4" in result.stderr and "DUPLICATE 3" in result.stderr


def test_columns_and_order_are_kept_semicolons_quotes_and_all(store_with_history, tmp_path):
    bc = store_with_history
    planned = tmp_path / "planned.csv"
    planned.write_text(
        'Last name;First name;E-mail Address;Notes\n'
        '"Doe; Jr.";Jane;zed@example.com;"said ""hi"""\n'
        'Roe;Rick;dead@example.com;\n'
        'Poe;Ann;abe@example.com;"two\nlines"\n',
        encoding="utf-8",
    )
    result = bc("filter", planned, "--out", tmp_path / "send.csv", "--not-sent", tmp_path / "ns.csv")
    assert result.exit_code == 0, result.stderr
    assert "column 'E-mail Address'" in result.stderr
    assert read_csv(tmp_path / "send.csv", ";") == [
        ["Last name", "First name", "E-mail Address", "Notes"],
        ["Doe; Jr.", "Jane", "zed@example.com", 'said "hi"'],
        ["Poe", "Ann", "abe@example.com", "two\nlines"],
    ]
    assert read_csv(tmp_path / "ns.csv", ";")[1] == ["Roe", "Rick", "dead@example.com", "", "PREVIOUSLY_BOUNCED"]


def test_column_option_names_the_email_column(store_with_history, tmp_path):
    bc = store_with_history
    planned = tmp_path / "planned.csv"
    planned.write_text("who,backup\ndead@example.com,x@example.com\nfresh@example.com,dead@example.com\n")
    result = bc("filter", planned, "--column", "WHO", "--out", tmp_path / "send.csv")
    assert result.exit_code == 0, result.stderr
    assert read_csv(tmp_path / "send.csv") == [["who", "backup"], ["fresh@example.com", "dead@example.com"]]


def test_unknown_column_and_undetectable_layout_are_errors_and_write_nothing(store_with_history, tmp_path):
    bc = store_with_history
    planned = tmp_path / "planned.csv"
    planned.write_text("who,backup\ndead@example.com,x@example.com\n")
    result = bc("filter", planned, "--out", tmp_path / "send.csv")
    assert result.exit_code == 1
    assert "cannot tell which column holds the addresses" in result.stderr and "--column" in result.stderr
    result = bc("filter", planned, "--column", "mail", "--out", tmp_path / "send.csv")
    assert result.exit_code == 1
    assert "no column named 'mail'" in result.stderr and "who, backup" in result.stderr
    assert [p.name for p in tmp_path.iterdir() if "send" in p.name] == []


def test_one_address_a_line(store_with_history, tmp_path):
    bc = store_with_history
    planned = tmp_path / "planned.txt"
    planned.write_text("# December list\nzed@example.com\n\nDead@example.com\n  abe@example.com  \nZED@example.com\n")
    result = bc("filter", planned, "--out", "-", "--not-sent", tmp_path / "ns.csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "zed@example.com\nabe@example.com\n"
    assert read_csv(tmp_path / "ns.csv") == [
        ["email", "not_sent_reason"],
        ["Dead@example.com", "PREVIOUSLY_BOUNCED"],
        ["ZED@example.com", "DUPLICATE"],
    ]
    assert "one address a line" in result.stderr


def test_email_id_records_the_not_sent_recipients(store_with_history, tmp_path):
    bc = store_with_history
    planned = tmp_path / "planned.txt"
    planned.write_text("zed@example.com\ndead@example.com\ntired@example.net\nbad address\nzed@example.com\n")
    args = ("filter", planned, "--out", tmp_path / "send.txt", "--email-id", "dec")
    result = bc(*args)
    assert result.exit_code == 0, result.stderr
    assert "recorded 3 new not-sent recipients for dec" in result.stderr
    rows = as_json(bc("not-sent", "--email-id", "dec", "--format", "json"))
    assert sorted((r["recipient"], r["not_sent_reason"]) for r in rows) == [
        ("bad address", "INVALID_ADDRESS"),
        ("dead@example.com", "PREVIOUSLY_BOUNCED"),
        ("tired@example.net", "SUPPRESSED"),
    ]
    # An entry that is not an address is reported, but it is not a contact (nor counted for the quota).
    assert "bad address" not in {r["email"] for r in as_json(bc("contacts", "--format", "json"))}
    # Filtering the same list again for the same email records nothing new.
    again = bc(*args)
    assert "recorded 0 new not-sent recipients" in again.stderr
    assert len(as_json(bc("not-sent", "--email-id", "dec", "--format", "json"))) == 3
    # The repeated address is a recipient: once its send is imported, the export says delivered.
    sent = [["dec", "zed@example.com", "delivered", "2026-12-01T09:00:00Z", "", "250", "", ""]]
    assert bc("import", write_log(tmp_path / "dec.csv", sent)).exit_code == 0
    exported = json.loads(bc("export", "--json", "-", "--email-id", "dec").stdout)
    assert {r["recipient"]: r["outcome"] for r in exported}["zed@example.com"] == "delivered"
    # Without --email-id nothing is recorded.
    assert bc("filter", planned, "--out", tmp_path / "send.txt").exit_code == 0
    assert bc("not-sent", "--email-id", "jan").exit_code == 1


def test_stdin_input(store_with_history, tmp_path):
    result = store_with_history("filter", "-", "--out", "-", input="email\nzed@example.com\ndead@example.com\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "email\nzed@example.com\n"


def test_same_file_for_both_outputs_is_a_usage_error(bc, tmp_path):
    planned = tmp_path / "p.txt"
    planned.write_text("a@example.com\n")
    assert bc("filter", planned, "--out", tmp_path / "x.csv", "--not-sent", tmp_path / "x.csv").exit_code == 2


def test_empty_and_missing_inputs(bc, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    result = bc("filter", empty, "--out", tmp_path / "send.csv")
    assert result.exit_code == 1 and "empty" in result.stderr
    result = bc("filter", tmp_path / "nope.csv", "--out", tmp_path / "send.csv")
    assert result.exit_code == 1 and "no such file" in result.stderr


def test_duplicates_are_found_across_batches(tmp_path):
    planned = tmp_path / "planned.txt"
    addresses = [f"user{i % 7}@example.com" for i in range(40)]
    planned.write_text("\n".join(addresses) + "\n")
    with Store(tmp_path / "s.db") as store:
        sendable, not_sent = io.StringIO(), io.StringIO()
        summary = planning.filter_list(store, str(planned), sendable, not_sent, batch_rows=3)
    assert sendable.getvalue().split() == [f"user{i}@example.com" for i in range(7)]
    assert summary.not_sent == {"DUPLICATE": 33}
    assert summary.rows == 40


def test_seen_addresses_first_time():
    seen = planning.SeenAddresses()
    assert seen.first_time(["a", "b", "a"]) == [True, True, False]
    assert seen.first_time([]) == []
    assert seen.first_time(["c", "b", "c", "d"]) == [True, False, False, True]
    assert len(seen) == 4


FAST_PATH_CASES = [
    "jane@example.com", "jane.doe+tag@mail.example.co.uk", "a@b.c", "x@localhost", "x@example.invalid",
    "x@example..com", "x@-example.com", "x@exa_mple.com", "x..y@example.com", ".x@example.com", "x.@example.com",
    '"quoted"@example.com', "üser@example.com", "user@exämple.com", "user@xn--exmple-cua.com", "@example.com",
    "user@", "user@@example.com", "a" * 65 + "@example.com", "a@" + "b" * 250 + ".com", "x@[192.0.2.1]",
    "x@123.123.123.123", "x y@example.com", "x@example.com.", "x@EXAMPLE.COM", "o'brien@example.ie",
]


@pytest.mark.parametrize("address", FAST_PATH_CASES)
def test_fast_address_check_agrees_with_the_full_check(address):
    assert planning.address_error(address) == syntax_error(address)


@settings(max_examples=300, deadline=None)
@given(
    local=st.text(alphabet="abcz09._+-'~!#", min_size=0, max_size=70),
    domain=st.sampled_from(["example.com", "example", "ex-ample.org", "e.x.a.m.p.l.e", "localhost", "ex..com",
                            "a.b", "test", "exa mple.com", "b" * 64 + ".com"]),
)
def test_fast_address_check_agrees_on_generated_addresses(local, domain):
    address = f"{local}@{domain}"
    assert planning.address_error(address) == syntax_error(address)
