"""`bouncectl stats`: the figures of a small data set whose answers are counted by hand."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from conftest import as_json, write_log

from bouncectl import timeparse


@pytest.fixture(autouse=True)
def _clock_after_the_data_set(monkeypatch: pytest.MonkeyPatch) -> None:
    # The data set runs to 2026-12-05: it is read as by an import made after it.
    monkeypatch.setattr(timeparse, "latest_plausible", lambda now=None: datetime(2027, 1, 1, tzinfo=UTC))

UNKNOWN = ("", "550", "5.1.1", "550 5.1.1 User unknown")
NO_HOST = ("", "550", "5.1.2", "550 5.1.2 Host unknown")
FULL = ("soft", "452", "4.2.2", "452 4.2.2 Mailbox full")


def recipient(i: int) -> str:
    domain = "example.com" if i < 30 else "example.net" if i < 45 else "example.org"
    return f"r{i:02d}@{domain}"


def data_set() -> list[list]:
    """nov: 50 sends (30 at example.com, 15 at example.net, 5 at example.org), 44 deliveries,
    4 hard bounces (3 userunknown at example.net, 1 hostunknown at example.org; r32 soft-bounced
    first, then hard), 2 soft bounces, 1 complaint, 2 not sent.
    dec: 20 sends at example.com, 19 deliveries, 1 soft bounce."""
    rows: list[list] = []
    at = "2026-11-03T09:00:00Z"
    later = "2026-11-03T10:00:00Z"
    for i in range(50):
        rows.append(["nov", recipient(i), "sent", at, "", "", "", ""])
    for i in (30, 31):
        rows.append(["nov", recipient(i), "bounce", later, *UNKNOWN])
    rows.append(["nov", recipient(32), "bounce", at, *FULL])
    rows.append(["nov", recipient(32), "bounce", later, *UNKNOWN])
    rows.append(["nov", recipient(45), "bounce", later, *NO_HOST])
    for i in (33, 34):
        rows.append(["nov", recipient(i), "bounce", later, *FULL])
    for i in [*range(30), *range(35, 45), *range(46, 50)]:
        rows.append(["nov", recipient(i), "delivered", later, "", "250", "", ""])
    rows.append(["nov", recipient(1), "open", "2026-11-03T11:00:00Z", "", "", "", ""])
    rows.append(["nov", recipient(1), "complaint", "2026-11-04T11:00:00Z", "", "", "", ""])
    for name in ("x1@example.com", "x2@example.com"):
        rows.append(["nov", name, "not_sent", "2026-11-02T09:00:00Z", "", "", "", ""])
    for i in range(20):
        rows.append(["dec", f"d{i:02d}@example.com", "sent", "2026-12-05T09:00:00Z", "", "", "", ""])
        if i == 0:
            rows.append(["dec", f"d{i:02d}@example.com", "bounce", "2026-12-05T09:05:00Z", *FULL])
        else:
            rows.append(["dec", f"d{i:02d}@example.com", "delivered", "2026-12-05T09:05:00Z", "", "250", "", ""])
    return rows


@pytest.fixture
def loaded(bc, tmp_path):
    result = bc("import", write_log(tmp_path / "log.csv", data_set()))
    assert result.exit_code == 0, result.stderr
    return bc


def figures(row: dict) -> tuple:
    return tuple(row[c] for c in ("sends", "deliveries", "hard_bounces", "soft_bounces", "not_sent", "complaints"))


def test_totals(loaded):
    [row] = as_json(loaded("stats", "--format", "json"))
    assert row["scope"] == "all emails"
    assert figures(row) == (70, 63, 4, 3, 2, 1)
    assert row["hard_bounce_rate"] == pytest.approx(4 / 70, abs=1e-6)
    assert row["bounce_rate"] == pytest.approx(7 / 70, abs=1e-6)
    assert row["delivery_rate"] == pytest.approx(63 / 70, abs=1e-6)
    assert row["complaint_rate"] == pytest.approx(1 / 70, abs=1e-6)


def test_one_email(loaded):
    [row] = as_json(loaded("stats", "--email-id", "dec", "--format", "json"))
    assert row["scope"] == "dec"
    assert figures(row) == (20, 19, 0, 1, 0, 0)
    assert row["soft_bounce_rate"] == pytest.approx(0.05)


def test_by_email_domain_and_month(loaded):
    by_email = as_json(loaded("stats", "--by", "email", "--format", "json"))
    assert [(r["email_id"], figures(r)) for r in by_email] == [
        ("nov", (50, 44, 4, 2, 2, 1)),
        ("dec", (20, 19, 0, 1, 0, 0)),
    ]
    by_domain = as_json(loaded("stats", "--email-id", "nov", "--by", "domain", "--format", "json"))
    assert [(r["domain"], figures(r)) for r in by_domain] == [
        ("example.com", (30, 30, 0, 0, 2, 1)),
        ("example.net", (15, 10, 3, 2, 0, 0)),
        ("example.org", (5, 4, 1, 0, 0, 0)),
    ]
    assert by_domain[1]["hard_bounce_rate"] == pytest.approx(0.2)
    by_month = as_json(loaded("stats", "--by", "month", "--format", "json"))
    assert [(r["month"], figures(r)) for r in by_month] == [
        ("2026-11", (50, 44, 4, 2, 2, 1)),
        ("2026-12", (20, 19, 0, 1, 0, 0)),
    ]


def test_by_reason_counts_each_recipient_once_under_its_deciding_bounce(loaded):
    rows = as_json(loaded("stats", "--by", "reason", "--format", "json"))
    assert [(r["reason"], r["bounce_type"], r["bounces"]) for r in rows] == [
        ("mailboxfull", "soft", 3),
        ("userunknown", "hard", 3),
        ("hostunknown", "hard", 1),
    ]
    assert rows[0]["share_of_bounces"] == pytest.approx(3 / 7, abs=1e-6)
    assert rows[2]["rate"] == pytest.approx(1 / 70, abs=1e-6)
    nov = as_json(loaded("stats", "--email-id", "nov", "--by", "reason", "--format", "json"))
    assert {r["reason"]: r["bounces"] for r in nov} == {"userunknown": 3, "mailboxfull": 2, "hostunknown": 1}


def test_warning_names_the_email_domains_and_reasons(loaded):
    result = loaded("stats", "--format", "json")
    lines = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(lines) == 2  # nov's hard bounce rate and complaint rate; dec is healthy
    hard, complaints = lines
    assert "nov: hard bounce rate 8.00% passes 2.0% (4 of 50 sends)" in hard
    assert "worst domains: example.net 3 (20.0%), example.org 1 (20.0%)" in hard
    assert "reasons: userunknown 3, hostunknown 1" in hard
    assert "nov: complaint rate 2.00% passes 0.1% (1 of 50 sends)" in complaints
    assert "example.com 1" in complaints
    assert "warning" not in loaded("stats", "--email-id", "dec").stderr


def test_csv_output_and_table_with_bars(loaded):
    result = loaded("stats", "--by", "email", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0])[:7] == ["email_id", "sends", "deliveries", "hard_bounces", "soft_bounces", "not_sent",
                                 "complaints"]
    assert rows[1]["soft_bounce_rate"] == "0.05"
    table = loaded("stats", "--by", "domain")
    assert table.exit_code == 0
    assert "example.net" in table.stdout and "█" in table.stdout and "20.00%" in table.stdout
    assert "█" in loaded("stats", "--by", "reason").stdout


def test_the_chart_reads_without_colour_and_a_test_send_does_not_set_its_scale(loaded, tmp_path):
    # A test send to two colleagues, one of whom bounced: 50% hard bounces, on 2 sends.
    test = [["nov-test", "a@example.com", "sent", "2026-11-02T09:00:00Z", "", "", "", ""],
            ["nov-test", "b@example.com", "sent", "2026-11-02T09:00:00Z", "", "", "", ""],
            ["nov-test", "b@example.com", "bounce", "2026-11-02T09:01:00Z", *UNKNOWN]]
    assert loaded("import", write_log(tmp_path / "test-send.csv", test)).exit_code == 0
    table = loaded("stats", "--by", "email", env={"NO_COLOR": "1"})
    assert table.exit_code == 0, table.stderr
    bars = {line.split()[0]: line.split()[-1] for line in table.stdout.splitlines()[1:]}
    # nov sets the scale (8% hard + 4% soft = 12%): its bar is full, hard then soft, in two characters.
    assert bars["nov"] == "█" * 20 + "░" * 10
    assert bars["dec"] == "░" * round(0.05 / 0.12 * 30)
    assert bars["nov-test"].endswith("›") and len(bars["nov-test"]) == 30  # past the scale


def test_unknown_email(loaded):
    result = loaded("stats", "--email-id", "nope")
    assert result.exit_code == 1 and "no email with id 'nope'" in result.stderr


def test_empty_store_has_no_rates(bc):
    [row] = as_json(bc("stats", "--format", "json"))
    assert figures(row) == (0, 0, 0, 0, 0, 0) and row["bounce_rate"] is None
    assert as_json(bc("stats", "--by", "domain", "--format", "json")) == []


def test_events_that_name_no_email_count_for_no_email(bc, tmp_path):
    assert bc("import", write_log(tmp_path / "known.csv", data_set())).exit_code == 0
    before = as_json(bc("stats", "--format", "json"))
    # A bounce message whose original send is unknown: stored against the contact, with no email.
    message = tmp_path / "stray.eml"
    message.write_text(
        "From: MAILER-DAEMON@mx.example.net\nTo: news@example.com\nSubject: Undelivered Mail Returned to Sender\n"
        "Date: Tue, 03 Nov 2026 09:00:00 +0000\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nMail delivery failed.\n\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
        "Final-Recipient: rfc822; stray@example.net\nAction: failed\nStatus: 5.1.1\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n\n--b--\n"
    )
    assert bc("import", message).exit_code == 0
    assert [r["bounces"] for r in as_json(bc("contacts", "--format", "json")) if r["email"] == "stray@example.net"] == [1]
    assert as_json(bc("stats", "--format", "json")) == before
    assert all(row["email_id"] for row in as_json(bc("stats", "--by", "email", "--format", "json")))
