"""The provider's suppression lists and the store's in step, through the CLI.

Fixtures in tests/fixtures/suppressions/ are written from the shapes each provider documents:

- SES: ``ListSuppressedDestinations`` returns ``SuppressedDestinationSummaries`` (``EmailAddress``,
  ``Reason`` ``BOUNCE`` | ``COMPLAINT``, ``LastUpdateTime``) and a ``NextToken``
  (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SuppressedDestinationSummary.html).
  Its bulk import (``CreateImportJob`` with ``SuppressionListImportAction`` ``PUT``) reads a CSV
  of ``recipient@example.com,BOUNCE`` lines, reason ``BOUNCE`` or ``COMPLAINT``
  (https://docs.aws.amazon.com/ses/latest/dg/sending-email-suppression-list.html, "adding
  addresses in bulk").
- SendGrid: the v3 suppression endpoints return ``created`` (Unix time) and ``email``, with
  ``reason`` and ``status`` for bounces and blocks and ``ip`` for spam reports
  (https://www.twilio.com/docs/sendgrid/api-reference/blocks-api/retrieve-all-blocks); a sender
  adds addresses only to the global unsubscribes (``/v3/asm/suppressions/global``), uploaded as a
  CSV of addresses under an ``email`` header.
- Mailgun: ``POST /v3/{domain}/bounces/import`` takes a CSV with the headers ``address, code,
  error, created_at``; ``/complaints/import`` ``address, created_at``; ``/unsubscribes/import``
  ``address, tags, created_at`` (``*`` for all of the domain's mail), ``created_at`` in RFC 2822
  (https://documentation.mailgun.com/docs/mailgun/api-reference/send/mailgun/bounces/post-v3--domainid--bounces-import,
  .../unsubscribe/post-v3--domainid--unsubscribes-import, .../complaints/post-v3--domainid--complaints-import).
  List pages are ``{"items": [...], "paging": {...}}``.
- Postmark: a stream's suppressions are ``Suppressions`` of ``EmailAddress``,
  ``SuppressionReason`` (``HardBounce``, ``SpamComplaint``, ``ManualSuppression``), ``Origin``
  (``Recipient``, ``Customer``, ``Admin``) and ``CreatedAt``; suppressions are created with
  ``{"Suppressions": [{"EmailAddress": ...}]}``, at most 50 a request
  (https://postmarkapp.com/developer/api/suppressions-api).
"""

from __future__ import annotations

import csv
import io
import json
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from conftest import as_json, write_log

FIXTURES = Path(__file__).parent / "fixtures" / "suppressions"


def _statuses(bc) -> dict[str, str]:
    return {c["email"]: c["status"] for c in as_json(bc("contacts", "--format", "json"))}


@pytest.mark.parametrize(
    ("files", "fmt", "expected"),
    [
        (["ses-list-suppressed-destinations.json"], "ses-suppressions",
         {"gone@example.com": "globally_bounced", "angry@example.org": "complained",
          "shared@example.net": "globally_bounced"}),
        (["sendgrid-bounces.json", "sendgrid-blocks.json", "sendgrid-spam_reports.json", "sendgrid-unsubscribes.csv",
          "sendgrid-group-suppressions.json"], "sendgrid-suppressions",
         {"gone@example.com": "globally_bounced", "shared@example.net": "globally_bounced",
          "greylisted@example.com": "eligible", "angry@example.org": "complained", "left@example.com": "unsubscribed",
          "weekly.only@example.com": "eligible"}),
        (["mailgun-bounces-page.json", "mailgun-complaints.csv", "mailgun-unsubscribes.csv"], "mailgun-suppressions",
         {"gone@example.com": "globally_bounced", "shared@example.net": "globally_bounced",
          "angry@example.org": "complained", "left@example.com": "unsubscribed", "weekly.only@example.com": "eligible"}),
        (["postmark-suppressions-dump.json"], "postmark-suppressions",
         {"gone@example.com": "globally_bounced", "angry@example.org": "complained", "left@example.com": "unsubscribed"}),
    ],
)
def test_each_providers_suppression_list_imports_with_its_source(bc, files, fmt, expected):
    for name in files:
        result = bc("import", FIXTURES / name)
        assert result.exit_code == 0, result.stderr
        assert f"({fmt})" in result.stderr
    assert _statuses(bc) == expected
    # The import again changes nothing.
    for name in files:
        assert "nothing changed" in bc("import", FIXTURES / name).stderr


def test_a_group_suppression_at_the_provider_keeps_the_address_out_of_that_group(bc, tmp_path):
    assert bc("import", FIXTURES / "sendgrid-group-suppressions.json").exit_code == 0
    assert bc("import", FIXTURES / "mailgun-unsubscribes.csv").exit_code == 0
    planned = tmp_path / "planned.txt"
    planned.write_text("weekly.only@example.com\n", encoding="utf-8")
    for group, expected in (("4242", "UNSUBSCRIBED"), ("weekly", "UNSUBSCRIBED"), ("monthly", None)):
        assert bc("filter", planned, "--out", tmp_path / "s.txt", "--not-sent", tmp_path / "n.csv",
                  "--group", group).exit_code == 0
        rows = list(csv.DictReader(io.StringIO((tmp_path / "n.csv").read_text(encoding="utf-8"))))
        assert [r["not_sent_reason"] for r in rows] == ([expected] if expected else []), group


def test_a_bad_entry_is_a_reject_with_its_line(bc):
    result = bc("import", FIXTURES / "ses-suppression-list.csv")
    assert result.exit_code == 3
    rejects = as_json(bc("rejects", "--format", "json"))
    assert [(r["line"], r["error"]) for r in rejects] == [(4, "Reason 'UNSUBSCRIBE' is not BOUNCE or COMPLAINT")]
    assert _statuses(bc) == {"gone@example.com": "globally_bounced", "angry@example.org": "complained"}


def test_unbounce_of_a_contact_a_provider_holds_names_the_provider(bc):
    assert bc("import", FIXTURES / "sendgrid-bounces.json").exit_code == 0
    assert bc("import", FIXTURES / "postmark-suppressions-dump.json").exit_code == 0
    assert bc("domains", "add", "news.example.com").exit_code == 0
    assert bc("users", "add", "alice", "--permission", "email").exit_code == 0
    held = bc("unbounce", "gone@example.com", "--confirm", "--as", "alice")
    assert held.exit_code == 1
    assert "GLOBAL_BOUNCE" in held.stderr
    assert "postmark, sendgrid hold it on their suppression lists: lift it there by hand" in held.stderr
    complained = bc("unbounce", "angry@example.org", "--confirm", "--as", "alice")
    assert "COMPLAINT" in complained.stderr and "postmark holds it" in complained.stderr
    # A contact no provider list holds says nothing of the kind.
    rows = [["nov", "dead@example.com", "bounce", "2026-11-03T09:00:00Z", "", "550", "5.1.1", "550 5.1.1 unknown"]]
    assert bc("import", write_log(Path("log.csv"), rows)).exit_code == 0
    lifted = bc("unbounce", "dead@example.com", "--confirm", "--as", "alice", "--format", "json")
    assert lifted.exit_code == 0 and "holds it" not in lifted.stderr + lifted.stdout


def _store_with_every_status(bc, tmp_path: Path) -> None:
    header = ["email_id", "recipient", "event", "timestamp", "bounce_type", "smtp_code", "enhanced_status",
              "diagnostic", "group"]
    rows = [
        ["nov", "dead@example.com", "bounce", "2026-11-03T09:00:00Z", "", "550", "5.1.1", "550 5.1.1 User unknown", ""],
        ["nov", "upset@example.com", "spamreport", "2026-11-04T09:00:00Z", "", "", "", "", ""],
        ["nov", "left@example.com", "unsubscribe", "2026-11-05T09:00:00Z", "", "", "", "", ""],
        ["nov", "weekly.only@example.com", "unsubscribe", "2026-11-05T10:00:00Z", "", "", "", "", "weekly"],
        ["nov", "fine@example.com", "delivered", "2026-11-03T09:00:00Z", "", "", "", "", ""],
        ["nov", "=cmd@example.com", "unsubscribe", "2026-11-06T09:00:00Z", "", "", "", "", ""],
    ]
    assert bc("import", write_log(tmp_path / "log.csv", rows, header)).exit_code == 0


UNSENDABLE = {"dead@example.com", "upset@example.com", "left@example.com", "=cmd@example.com"}


def test_export_for_ses_is_its_bulk_import_csv(bc, tmp_path):
    _store_with_every_status(bc, tmp_path)
    result = bc("export", "--suppressions", "--for", "ses", tmp_path / "ses.csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader((tmp_path / "ses.csv").open(encoding="utf-8")))
    assert all(len(row) == 2 and row[1] in ("BOUNCE", "COMPLAINT") for row in rows)  # no header: address,REASON
    assert {row[0].lstrip("'"): row[1] for row in rows} == {
        "dead@example.com": "BOUNCE", "upset@example.com": "COMPLAINT", "left@example.com": "COMPLAINT",
        "=cmd@example.com": "COMPLAINT",
    }
    # The file reads back as an SES list, by its own detection.
    other = tmp_path / "other.db"
    back = bc("--db", other, "import", tmp_path / "ses.csv")
    assert back.exit_code in (0, 3) and "(ses-suppressions)" in back.stderr


def test_export_for_sendgrid_is_an_email_column(bc, tmp_path):
    _store_with_every_status(bc, tmp_path)
    assert bc("export", "--suppressions", "--for", "sendgrid", tmp_path / "sg.csv").exit_code == 0
    rows = list(csv.DictReader((tmp_path / "sg.csv").open(encoding="utf-8")))
    assert list(rows[0]) == ["email"]
    assert {r["email"] for r in rows} == {"dead@example.com", "upset@example.com", "left@example.com",
                                          "'=cmd@example.com"}  # a formula-looking cell is neutralized


def test_export_for_mailgun_is_its_three_import_files(bc, tmp_path):
    _store_with_every_status(bc, tmp_path)
    result = bc("export", "--suppressions", "--for", "mailgun", tmp_path / "mg.csv")
    assert result.exit_code == 0, result.stderr
    files = {name: list(csv.DictReader((tmp_path / f"mg-{name}.csv").open(encoding="utf-8")))
             for name in ("bounces", "complaints", "unsubscribes")}
    assert [list(files[n][0]) for n in files] == [
        ["address", "code", "error", "created_at"], ["address", "created_at"], ["address", "tags", "created_at"],
    ]
    [bounce] = files["bounces"]
    assert (bounce["address"], bounce["code"], bounce["error"]) == ("dead@example.com", "550", "550 5.1.1 User unknown")
    assert parsedate_to_datetime(bounce["created_at"]).isoformat() == "2026-11-03T09:00:00+00:00"  # RFC 2822
    assert [r["address"] for r in files["complaints"]] == ["upset@example.com"]
    assert sorted((r["address"], r["tags"]) for r in files["unsubscribes"]) == [
        ("'=cmd@example.com", "*"), ("left@example.com", "*"), ("weekly.only@example.com", "weekly"),
    ]
    to_stdout = bc("export", "--suppressions", "--for", "mailgun", "-")
    assert to_stdout.exit_code == 1 and "three files" in to_stdout.stderr


def test_export_for_postmark_is_its_create_suppressions_requests(bc, tmp_path):
    rows = [["nov", f"gone{i:03}@example.com", "bounce", "2026-11-03T09:00:00Z", "hard", "550", "5.1.1", "unknown"]
            for i in range(120)]
    assert bc("import", write_log(tmp_path / "log.csv", rows)).exit_code == 0
    assert bc("export", "--suppressions", "--for", "postmark", tmp_path / "pm.jsonl").exit_code == 0
    bodies = [json.loads(line) for line in (tmp_path / "pm.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [len(b["Suppressions"]) for b in bodies] == [50, 50, 20]
    assert all(list(entry) == ["EmailAddress"] for b in bodies for entry in b["Suppressions"])
    assert {e["EmailAddress"] for b in bodies for e in b["Suppressions"]} == {r[1] for r in rows}


def test_export_usage_errors(bc, tmp_path):
    assert bc("export", "--suppressions", tmp_path / "x.csv").exit_code == 2
    assert bc("export", "--suppressions", "--for", "ses").exit_code == 2
    assert bc("export", "--suppressions", "--for", "yahoo", tmp_path / "x.csv").exit_code == 2
    assert bc("export", "--for", "ses", tmp_path / "x.csv").exit_code == 2


@pytest.mark.parametrize(
    ("provider", "name"),
    [("ses", "ses-list-suppressed-destinations.json"), ("sendgrid", "sendgrid-bounces.json"),
     ("mailgun", "mailgun-bounces-page.json"), ("postmark", "postmark-suppressions-dump.json")],
)
def test_diff_lists_what_to_fix_on_each_side(bc, tmp_path, provider, name):
    _store_with_every_status(bc, tmp_path)
    result = bc("suppressions", "diff", "--for", provider, FIXTURES / name, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    there = {"ses": {"gone@example.com": "bounce", "angry@example.org": "complaint", "shared@example.net": "bounce"},
             "sendgrid": {"gone@example.com": "bounce", "shared@example.net": "bounce"},
             "mailgun": {"gone@example.com": "bounce", "shared@example.net": "bounce"},
             "postmark": {"gone@example.com": "bounce", "angry@example.org": "complaint",
                          "left@example.com": "unsubscribe"}}[provider]
    provider_only = {r["email"]: r["provider_list"] for r in rows if r["side"] == "provider_only"}
    store_only = {r["email"]: r["status"] for r in rows if r["side"] == "store_only"}
    assert provider_only == {e: k for e, k in there.items() if e not in UNSENDABLE}
    expected_store_only = {"dead@example.com": "hard_bounced", "upset@example.com": "complained",
                           "left@example.com": "unsubscribed", "=cmd@example.com": "unsubscribed"}
    assert store_only == {e: s for e, s in expected_store_only.items() if e not in there}
    assert all(r["fix"] for r in rows)
    # Once the provider's list is imported, nothing is left on its side.
    assert bc("import", FIXTURES / name).exit_code == 0
    again = json.loads(bc("suppressions", "diff", "--for", provider, FIXTURES / name, "--format", "json").stdout)
    assert [r for r in again if r["side"] == "provider_only"] == []


def test_diff_of_a_missing_file_is_one_error_line(bc, tmp_path):
    result = bc("suppressions", "diff", "--for", "ses", tmp_path / "nope.json")
    assert result.exit_code == 1
    assert "no such file" in result.stderr and "Traceback" not in result.stderr
