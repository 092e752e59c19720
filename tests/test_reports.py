"""Who bounced and why: `bounced`, `contacts`, `export` (SPEC rules 2.3, 2.4)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import as_json, write_log
from rich.cells import cell_len

ROWS = [
    ["nov", "dead@example.com", "sent", "2026-11-03T09:00:00Z", "", "", "", ""],
    ["nov", "dead@example.com", "bounce", "2026-11-03T09:00:40Z", "", "550", "5.1.1", "550 5.1.1 User unknown"],
    ["nov", "full@example.net", "sent", "2026-11-03T09:00:01Z", "", "", "", ""],
    ["nov", "full@example.net", "deferred", "2026-11-03T09:01:00Z", "", "452", "4.2.2", "Mailbox full"],
    ["nov", "full@example.net", "bounce", "2026-11-04T09:01:00Z", "soft", "452", "4.2.2", "Mailbox full"],
    ["nov", "ok@example.com", "sent", "2026-11-03T09:00:02Z", "", "", "", ""],
    ["nov", "ok@example.com", "delivered", "2026-11-03T09:00:03Z", "", "250", "", ""],
    ["nov", "ok@example.com", "open", "2026-11-03T11:00:00Z", "", "", "", ""],
    ["nov", "formula@example.org", "bounce", "2026-11-03T09:00:50Z", "hard", "550", "5.1.1",
     "=HYPERLINK(\"http://evil.example\",\"x\")"],
    ["dec", "dead@example.com", "not_sent", "2026-12-01T09:00:00Z", "", "", "", ""],
]


@pytest.fixture
def loaded(bc, tmp_path):
    assert bc("import", write_log(tmp_path / "log.csv", ROWS)).exit_code == 0
    return bc


def test_bounced_lists_each_bounce_with_the_spec_columns(loaded):
    result = loaded("bounced", "--email-id", "nov", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["recipient", "bounce_type", "reason", "smtp_code", "enhanced_status", "diagnostic", "bounced_at"]
    assert [(r["recipient"], r["bounce_type"], r["reason"]) for r in rows] == [
        ("dead@example.com", "hard", "userunknown"),
        ("formula@example.org", "hard", "userunknown"),
        ("full@example.net", "soft", "mailboxfull"),
    ]
    assert rows[0]["smtp_code"] == "550" and rows[0]["enhanced_status"] == "5.1.1"


def test_bounced_filters_by_type_and_reason(loaded):
    hard = as_json(loaded("bounced", "--email-id", "nov", "--type", "hard", "--format", "json"))
    assert {r["recipient"] for r in hard} == {"dead@example.com", "formula@example.org"}
    soft = as_json(loaded("bounced", "--email-id", "nov", "--type", "soft", "--format", "json"))
    assert [r["recipient"] for r in soft] == ["full@example.net"]
    full = as_json(loaded("bounced", "--email-id", "nov", "--reason", "mailboxfull", "--format", "json"))
    assert [r["recipient"] for r in full] == ["full@example.net"]


def test_bounced_table_shows_recipients(loaded):
    result = loaded("bounced", "--email-id", "nov")
    assert result.exit_code == 0
    assert "dead@example.com" in result.stdout and "userunknown" in result.stdout


def test_unknown_email_id_exits_1_and_says_so(loaded):
    result = loaded("bounced", "--email-id", "no-such-email")
    assert result.exit_code == 1
    assert "no email with id 'no-such-email'" in result.stderr
    assert result.stdout == ""


def test_contacts_filters(loaded):
    everyone = as_json(loaded("contacts", "--format", "json"))
    assert len(everyone) == 4
    assert list(everyone[0]) == ["email", "status", "hard_bounce_reason", "hard_bounced_at", "bounces", "last_event_at"]
    hard = as_json(loaded("contacts", "--status", "hard_bounced", "--format", "json"))
    assert {r["email"] for r in hard} == {"dead@example.com", "formula@example.org"}
    by_reason = as_json(loaded("contacts", "--hard-bounce-reason", "UserUnknown", "--domain", "EXAMPLE.com.", "--format", "json"))
    assert [r["email"] for r in by_reason] == ["dead@example.com"]
    assert as_json(loaded("contacts", "--domain", "example.net", "--format", "json"))[0]["email"] == "full@example.net"


def test_invalid_status_is_a_usage_error(loaded):
    result = loaded("contacts", "--status", "zombie")
    assert result.exit_code == 2


def test_export_email_one_row_per_recipient_with_outcome(loaded, tmp_path):
    target = tmp_path / "nov.csv"
    result = loaded("export", "--csv", target, "--email-id", "nov")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(target.open(newline="")))
    assert list(rows[0]) == ["recipient", "outcome", "bounce_type", "reason", "smtp_code", "enhanced_status",
                             "diagnostic", "event_at"]
    by = {r["recipient"]: r for r in rows}
    assert len(rows) == 4
    assert by["dead@example.com"]["outcome"] == "bounce" and by["dead@example.com"]["smtp_code"] == "550"
    # A deferral followed by a bounce is a bounce; an open after delivery is the outcome of a delivered mail.
    assert by["full@example.net"]["outcome"] == "bounce" and by["full@example.net"]["bounce_type"] == "soft"
    assert by["ok@example.com"]["outcome"] == "open" and by["ok@example.com"]["smtp_code"] == ""


def test_export_neutralizes_spreadsheet_formulas(loaded, tmp_path):
    target = tmp_path / "out.csv"
    assert loaded("export", "--csv", target, "--email-id", "nov").exit_code == 0
    by = {r["recipient"]: r for r in csv.DictReader(target.open(newline=""))}
    assert by["formula@example.org"]["diagnostic"].startswith("'=HYPERLINK(")
    listing = loaded("bounced", "--email-id", "nov", "--format", "csv").stdout
    assert ",'=HYPERLINK(" in listing.replace('"', "")


def test_export_json_to_stdout_and_all_contacts_with_bounce_data(loaded):
    result = loaded("export", "--json", "-")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert {r["email"] for r in rows} == {"dead@example.com", "full@example.net", "formula@example.org"}
    dead = next(r for r in rows if r["email"] == "dead@example.com")
    assert dead["reason"] == "userunknown" and dead["status"] == "hard_bounced" and dead["smtp_code"] == 550


def test_export_needs_exactly_one_destination(loaded):
    assert loaded("export").exit_code == 2
    assert loaded("export", "--csv", "a.csv", "--json", "b.json").exit_code == 2


def test_not_sent_lists_the_reason(bc, tmp_path):
    header = ["email_id", "recipient", "event", "timestamp", "not_sent_reason"]
    log = write_log(tmp_path / "ns.csv", [["dec", "Dead@example.com", "dropped", "2026-12-01T09:00:00Z",
                                           "previously_bounced"]], header)
    assert bc("import", log).exit_code == 0
    rows = as_json(bc("not-sent", "--email-id", "dec", "--format", "json"))
    assert rows == [{"recipient": "dead@example.com", "not_sent_reason": "PREVIOUSLY_BOUNCED",
                     "event_at": "2026-12-01T09:00:00.000Z"}]


def test_bounced_has_one_row_per_recipient_the_hard_report_first(bc, tmp_path):
    rows = [
        ["nov", "twice@example.com", "bounce", "2026-11-03T09:00:00Z", "soft", "452", "4.2.2", "Mailbox full"],
        ["nov", "twice@example.com", "bounce", "2026-11-04T09:00:00Z", "", "550", "5.1.1", "User unknown"],
        ["nov", "twice@example.com", "bounce", "2026-11-05T09:00:00Z", "soft", "452", "4.2.2", "Mailbox full"],
    ]
    assert bc("import", write_log(tmp_path / "log.csv", rows)).exit_code == 0
    [row] = as_json(bc("bounced", "--email-id", "nov", "--format", "json"))
    assert (row["bounce_type"], row["reason"], row["bounced_at"]) == ("hard", "userunknown", "2026-11-04T09:00:00.000Z")
    assert as_json(bc("bounced", "--email-id", "nov", "--type", "soft", "--format", "json")) == []
    assert len(as_json(bc("bounced", "--email-id", "nov", "--reason", "UserUnknown", "--format", "json"))) == 1


def test_export_files_get_the_usual_permissions(loaded, tmp_path):
    import os
    import stat

    old_umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.csv"
        assert loaded("export", "--csv", fresh).exit_code == 0
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "kept.csv"
        kept.write_text("old\n")
        kept.chmod(0o640)
        assert loaded("export", "--csv", kept).exit_code == 0
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text() != "old\n"
    finally:
        os.umask(old_umask)


def test_export_into_a_missing_folder_is_one_line_with_a_hint(loaded, tmp_path):
    result = loaded("export", "--csv", tmp_path / "no" / "such" / "x.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "hint: " in result.stderr


def test_a_long_table_is_shown_as_it_comes_aligned_and_whole(bc, tmp_path):
    # Past TABLE_CHUNK rows a table is streamed in parts, in the layout of its first part.
    from bouncectl.addresses import normalize
    from bouncectl.output import TABLE_CHUNK

    count = TABLE_CHUNK + 500
    rows = [["big", f"user{i:05d}@{'x' * (i % 30)}example.com", "bounce", "2026-11-03T09:00:00Z", "hard", "550", "5.1.1",
             "550 5.1.1 User unknown"] for i in range(count)]
    rows[7][1] = "ユーザー@例え.jp"  # wide characters: two terminal cells each
    # Sorted into the last part (contacts come by address), wider than any address of the first.
    rows[TABLE_CHUNK + 3][1] = "zz" + "y" * 60 + "@example.com"
    assert bc("import", write_log(tmp_path / "big.csv", rows)).exit_code == 0
    result = bc("contacts", "--hard-bounce-reason", "userunknown")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    header, data = lines[0], lines[1:]  # not a terminal: no title, no lines
    assert header.split() == ["email", "status", "reason", "bounced_at", "bounces"]
    assert len(data) == count
    # Shown whole, as stored: in the one normal form of an address (the domain in its IDNA form).
    # Not on a terminal there is no width to keep to, so the later part widens its column instead.
    assert sorted(line.split()[0] for line in data) == sorted(normalize(row[1]) for row in rows)
    status_at = cell_len(header[: header.index("status")])
    first, last = data[:TABLE_CHUNK], data[TABLE_CHUNK:]
    assert all(cell_len(line[: line.index(" hard_bounced ") + 1]) == status_at for line in first)  # under its name
    later_at = {cell_len(line[: line.index(" hard_bounced ") + 1]) for line in last}
    assert len(later_at) == 1 and later_at.pop() > status_at  # one layout for the part, wide enough for its rows
    assert json.loads(bc("contacts", "--hard-bounce-reason", "userunknown", "--format", "json").stdout)[0]["status"] \
        == "hard_bounced"
