"""Importing the canonical CSV send log (SPEC section 5, rules 2.1, 2.7, 2.8)."""

from __future__ import annotations

import sqlite3

from conftest import ROOT, as_json, write_log

from bouncectl.bounces import needs_resolution

EXAMPLE = ROOT / "examples" / "send-log.csv"


def event_count(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]


def test_example_log_imports_and_hard_bounces_become_ineligible(bc, db):
    result = bc("import", EXAMPLE)
    assert result.exit_code == 0, result.stderr
    assert "events stored" in result.stderr and "newly hard-bounced" in result.stderr
    contacts = as_json(bc("contacts", "--format", "json"))
    by_status = {}
    for row in contacts:
        by_status.setdefault(row["status"], []).append(row)
    assert by_status["hard_bounced"], "the example has unknown users and dead domains"
    assert {row["hard_bounce_reason"] for row in by_status["hard_bounced"]} == {"userunknown", "hostunknown"}
    # Full mailboxes and greylisting are soft: those contacts stay eligible.
    full = [r for r in contacts if r["bounces"] and r["status"] == "eligible"]
    assert full


def test_hard_bounce_makes_contact_ineligible_soft_does_not(bc, tmp_path):
    log = write_log(tmp_path / "log.csv", [
        ["e1", "Dead@Example.com ", "bounce", "2026-11-03T09:00:00Z", "", "550", "5.1.1", "User unknown"],
        ["e1", "full@example.com", "bounce", "2026-11-03T09:00:00Z", "", "452", "4.2.2", "Mailbox full"],
        ["e1", "ok@example.com", "delivered", "2026-11-03T09:00:00Z", "", "", "", ""],
    ])
    assert bc("import", log).exit_code == 0
    rows = {r["email"]: r for r in as_json(bc("contacts", "--format", "json"))}
    assert rows["dead@example.com"]["status"] == "hard_bounced"
    assert rows["dead@example.com"]["hard_bounce_reason"] == "userunknown"
    assert rows["full@example.com"]["status"] == "eligible"
    assert rows["ok@example.com"]["status"] == "eligible"
    bounced = {r["recipient"]: r for r in as_json(bc("bounced", "--email-id", "e1", "--format", "json"))}
    assert bounced["full@example.com"]["bounce_type"] == "soft"
    assert bounced["full@example.com"]["reason"] == "mailboxfull"
    assert bounced["dead@example.com"]["bounce_type"] == "hard"


def test_same_file_twice_changes_nothing(bc, db):
    assert bc("import", EXAMPLE).exit_code == 0
    before = event_count(db)
    contacts_before = bc("contacts", "--format", "json").stdout
    again = bc("import", EXAMPLE)
    assert again.exit_code == 0
    assert "already imported" in again.stderr
    assert event_count(db) == before
    assert bc("contacts", "--format", "json").stdout == contacts_before


def test_same_events_in_two_files_are_stored_once(bc, db, tmp_path):
    rows = [
        ["e1", "a@example.com", "sent", "2026-11-03T09:00:00Z", "", "", "", ""],
        ["e1", "a@example.com", "bounce", "2026-11-03T09:00:05Z", "hard", "550", "5.1.1", "unknown"],
    ]
    write_log(tmp_path / "one.csv", rows)
    # An overlapping export: the same two events (times written differently) and one new.
    write_log(tmp_path / "two.csv", [
        ["e1", "A@EXAMPLE.COM", "sent", "2026-11-03 09:00:00", "", "", "", ""],
        ["e1", "a@example.com", "bounced", "1793696405", "hard", "550", "5.1.1", "unknown"],
        ["e1", "b@example.com", "delivered", "2026-11-03T09:00:07Z", "", "", "", ""],
    ])
    assert bc("import", tmp_path / "one.csv").exit_code == 0
    second = bc("import", tmp_path / "two.csv")
    assert second.exit_code == 0
    assert "1 event stored, 2 duplicates" in second.stderr
    assert event_count(db) == 3
    contact = next(r for r in as_json(bc("contacts", "--format", "json")) if r["email"] == "a@example.com")
    assert contact["bounces"] == 1


def test_bad_rows_are_kept_with_line_numbers_and_good_rows_imported(bc, db, tmp_path):
    log = tmp_path / "mixed.csv"
    log.write_text(
        "email_id,recipient,event,timestamp,diagnostic\n"        # line 1
        "e1,good1@example.com,delivered,2026-11-03T09:00:00Z,\n"  # line 2
        'e1,multi@example.com,bounce,2026-11-03T09:00:00Z,"550 user unknown\n'  # lines 3-4: one record
        'second line of the reply"\n'
        "e1,not-an-address,delivered,2026-11-03T09:00:00Z,\n"     # line 5
        "e1,good2@example.com,exploded,2026-11-03T09:00:00Z,\n"   # line 6
        "e1,good3@example.com,delivered,yesterday-ish,\n"         # line 7
        "e1,good4@example.com,delivered,2026-11-03T09:00:09Z,\n"  # line 8
    )
    result = bc("import", log)
    assert result.exit_code == 3, result.stderr
    assert "3 rejected" in result.stderr
    rejects = as_json(bc("rejects", "--format", "json"))
    assert [(r["file"], r["line"]) for r in rejects] == [(str(log), 5), (str(log), 6), (str(log), 7)]
    assert "not an email address" in rejects[0]["error"]
    assert "unknown event" in rejects[1]["error"]
    assert "timestamp" in rejects[2]["error"]
    assert event_count(db) == 3
    emails = {r["email"] for r in as_json(bc("contacts", "--format", "json"))}
    assert emails == {"good1@example.com", "multi@example.com", "good4@example.com"}


def test_strict_imports_nothing_when_a_row_is_bad(bc, db, tmp_path):
    log = write_log(tmp_path / "log.csv", [
        ["e1", "a@example.com", "delivered", "2026-11-03T09:00:00Z", "", "", "", ""],
        ["e1", "b@example.com", "bounce", "not a time", "", "", "", ""],
    ])
    result = bc("import", "--strict", log)
    assert result.exit_code == 3
    assert "nothing was imported" in result.stderr
    assert event_count(db) == 0
    assert as_json(bc("contacts", "--format", "json")) == []
    assert [r["line"] for r in as_json(bc("rejects", "--format", "json"))] == [3]
    # Without --strict the good row goes in.
    assert bc("import", log).exit_code == 3
    assert event_count(db) == 1


def test_file_that_cannot_be_read_exits_1_with_one_line(bc, tmp_path):
    result = bc("import", tmp_path / "missing.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_required_column_is_a_file_error(bc, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("email_id,recipient,event\ne1,a@example.com,sent\n")
    result = bc("import", "--format", "csv", bad)
    assert result.exit_code == 1
    assert "missing column timestamp" in result.stderr


def test_email_id_option_for_files_without_the_column(bc, tmp_path):
    header = ["Recipient", "EVENT", "Timestamp", "SMTP_Code", "Enhanced_Status"]
    log = write_log(tmp_path / "log.csv", [["x@example.com", "hard_bounce", "1762160400", "550", "5.1.1"]], header)
    refused = bc("import", log)
    assert refused.exit_code == 1 and "--email-id" in refused.stderr
    assert bc("import", log, "--email-id", "welcome").exit_code == 0
    [row] = as_json(bc("bounced", "--email-id", "welcome", "--format", "json"))
    assert row["bounce_type"] == "hard" and row["bounced_at"] == "2025-11-03T09:00:00.000Z"


def test_timestamps_naive_means_utc_offsets_are_converted(bc, tmp_path):
    log = write_log(tmp_path / "log.csv", [
        ["e1", "a@example.com", "bounce", "2026-11-03T09:00:00", "", "550", "5.1.1", ""],
        ["e1", "b@example.com", "bounce", "2026-11-03T10:00:00+01:00", "", "550", "5.1.1", ""],
    ])
    assert bc("import", log).exit_code == 0
    times = {r["recipient"]: r["bounced_at"] for r in as_json(bc("bounced", "--email-id", "e1", "--format", "json"))}
    assert times == {"a@example.com": "2026-11-03T09:00:00.000Z", "b@example.com": "2026-11-03T09:00:00.000Z"}


def test_global_column_marks_globally_bounced(bc, tmp_path):
    header = ["email_id", "recipient", "event", "timestamp", "global"]
    log = write_log(tmp_path / "log.csv", [["e1", "g@example.com", "bounce", "2026-11-03T09:00:00Z", "true"]], header)
    assert bc("import", log).exit_code == 0
    [contact] = as_json(bc("contacts", "--format", "json"))
    assert contact["status"] == "globally_bounced"


def test_provider_verdict_combines_with_classifier(bc, tmp_path):
    log = write_log(tmp_path / "log.csv", [
        # A provider's "permanent" makes a policy block hard; "transient" cannot soften an unknown domain.
        ["e1", "blocked@example.com", "bounce", "2026-11-03T09:00:00Z", "permanent", "554", "5.7.1", "rejected by policy"],
        ["e1", "nodomain@example.com", "bounce", "2026-11-03T09:00:00Z", "transient", "", "5.4.4", ""],
        ["e1", "full@example.com", "soft_bounce", "2026-11-03T09:00:00Z", "", "", "", "mailbox full"],
    ])
    assert bc("import", log).exit_code == 0
    rows = {r["recipient"]: r for r in as_json(bc("bounced", "--email-id", "e1", "--format", "json"))}
    assert rows["blocked@example.com"]["bounce_type"] == "hard"
    assert needs_resolution(rows["blocked@example.com"]["reason"]) == "allowlist or policy"
    assert (rows["nodomain@example.com"]["bounce_type"], rows["nodomain@example.com"]["reason"]) == ("hard", "hostunknown")
    assert (rows["full@example.com"]["bounce_type"], rows["full@example.com"]["reason"]) == ("soft", "mailboxfull")


def test_import_from_stdin(bc):
    text = "email_id,recipient,event,timestamp\ne9,s@example.com,hard_bounce,2026-11-03T09:00:00Z\n"
    result = bc("import", "-", input=text)
    assert result.exit_code == 0, result.stderr
    assert "<stdin> (csv)" in result.stderr
    assert as_json(bc("bounced", "--email-id", "e9", "--format", "json"))[0]["recipient"] == "s@example.com"


def test_unknown_format_name_is_an_error(bc):
    result = bc("import", "--format", "nope", EXAMPLE)
    # A usage mistake (exit 2) that names the formats it accepts.
    assert result.exit_code == 2 and "'nope' is not one of" in result.stderr and "'postfix'" in result.stderr


def test_two_records_failing_alike_at_one_place_are_both_kept(bc, db):
    # Two recipients of one message can fail with the same error at the same message number.
    from bouncectl.model import Reject
    from bouncectl.store import Store

    with Store(db) as store, store.write() as conn:
        import_id = store.start_import(conn, "bounces.mbox", "0" * 64, "message", "{}")
        store.add_rejects(conn, import_id, "bounces.mbox", [Reject(7, "no date", "a@example.com"),
                                                            Reject(7, "no date", "b@example.com")])
    rows = as_json(bc("rejects", "--format", "json"))
    assert [(r["line"], r["error"], r["raw"]) for r in rows] == [
        (7, "no date", "a@example.com"), (7, "no date", "b@example.com")
    ]


def test_codes_written_only_in_the_diagnostic_are_read_from_it(bc, tmp_path):
    header = ["email_id", "recipient", "event", "timestamp", "diagnostic"]
    log = write_log(tmp_path / "log.csv", [
        ["e1", "gone@example.com", "bounce", "2026-11-03T09:00:00Z", "550 5.1.1 <gone@example.com>: user unknown"],
        ["e1", "full@example.com", "bounce", "2026-11-03T09:00:00Z", "452 4.2.2 Mailbox full"],
    ], header)
    assert bc("import", log).exit_code == 0
    rows = {r["recipient"]: r for r in as_json(bc("bounced", "--email-id", "e1", "--format", "json"))}
    gone = rows["gone@example.com"]
    assert (gone["bounce_type"], gone["reason"], gone["smtp_code"], gone["enhanced_status"]) == (
        "hard", "userunknown", 550, "5.1.1")
    assert (rows["full@example.com"]["bounce_type"], rows["full@example.com"]["reason"]) == ("soft", "mailboxfull")
    statuses = {r["email"]: r["status"] for r in as_json(bc("contacts", "--format", "json"))}
    assert statuses["gone@example.com"] == "hard_bounced"


def test_a_forced_format_that_reads_nothing_says_so(bc):
    result = bc("import", "--format", "postfix", EXAMPLE)
    assert result.exit_code == 0
    assert "nothing in it reads as postfix records; nothing imported (check --format)" in result.stderr


def test_a_recipients_provider_reads_its_own_published_wording(bc, tmp_path):
    # Google's SMTP error reference: "421 4.7.0 Try again later, closing connection" refuses the
    # sending host. To a gmail.com recipient, Google's table reads it; elsewhere the general lists do.
    text = "421-4.7.0 Try again later, closing connection."
    log = write_log(tmp_path / "log.csv", [
        ["e1", "someone@gmail.com", "bounce", "2026-11-03T09:00:00Z", "", "421", "4.7.0", text],
        ["e1", "someone@example.org", "bounce", "2026-11-03T09:00:00Z", "", "421", "4.7.0", text],
    ])
    assert bc("import", log).exit_code == 0
    bounced = {r["recipient"]: r for r in as_json(bc("bounced", "--email-id", "e1", "--format", "json"))}
    assert bounced["someone@gmail.com"]["reason"] == "blocked"
    assert bounced["someone@example.org"]["reason"] not in ("blocked", None)


def test_the_summary_counts_one_thing_in_the_singular(bc, tmp_path):
    write_log(tmp_path / "one.csv", [["e1", "a@example.com", "bounce", "2026-11-03T09:00:05Z", "hard", "550", "5.1.1",
                                      "unknown"]])
    result = bc("import", tmp_path / "one.csv")
    assert result.exit_code == 0, result.stderr
    assert "1 row read, 1 event stored, 0 duplicates, 0 rejected, 1 contact newly hard-bounced" in result.stderr
