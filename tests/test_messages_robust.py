"""The generic reading of bounce messages, against the ways real notices differ from the standards:
report parts sent encoded or relabelled, notices in a legacy charset without (or with a wrong)
label, bounces forwarded by a person as an attachment, files written in UTF-16.

Every message here is written for these tests.
"""

from __future__ import annotations

import base64
import json
import quopri
from pathlib import Path

import pytest

from bouncectl.usecases.explaining import explain

DATE = "Tue, 01 Dec 2026 10:00:00 +0000"
REPORT_FIELDS = (
    "Reporting-MTA: dns; mx.example.net\n"
    "\n"
    "Final-Recipient: rfc822; gone@example.com\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <gone@example.com>: no mailbox here by that name (ref=550)\n"
)


def report(fields: str = REPORT_FIELDS, part_headers: str = "Content-Type: message/delivery-status\n",
           subject: str = "Delivery Status Notification (Failure)") -> str:
    return (
        "From: MAILER-DAEMON@mx.example.net\n"
        "To: sender@example.org\n"
        f"Subject: {subject}\n"
        f"Date: {DATE}\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="RPT"\n'
        "\n"
        "--RPT\n"
        "Content-Type: text/plain\n"
        "\n"
        "Your message could not be delivered.\n"
        "\n"
        "--RPT\n"
        f"{part_headers}"
        "\n"
        f"{fields}"
        "--RPT--\n"
    )


def rows(path: Path) -> list[dict]:
    return list(explain([str(path)]))


def bounces(path: Path) -> list[tuple]:
    return [(r["recipient"], r["reason"], r["bounce_type"], r["enhanced_status"]) for r in rows(path)]


GONE = [("gone@example.com", "userunknown", "hard", "5.1.1")]


# -- the report part -----------------------------------------------------------------------------


def test_a_delivery_status_part_sent_base64_is_decoded(tmp_path):
    encoded = base64.encodebytes(REPORT_FIELDS.encode()).decode()
    path = tmp_path / "b64.eml"
    path.write_text(report(encoded, "Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n"))
    assert bounces(path) == GONE
    (row,) = rows(path)
    assert row["diagnostic"] == "550 5.1.1 <gone@example.com>: no mailbox here by that name (ref=550)"


def test_a_delivery_status_part_sent_quoted_printable_is_decoded(tmp_path):
    # "=" is written "=3D", and the long Diagnostic-Code line is cut by a soft line break.
    encoded = quopri.encodestring(REPORT_FIELDS.encode()).decode()
    long_line = encoded.replace("no mailbox here by that name", "no mailbox here by=\n that name")
    path = tmp_path / "qp.eml"
    path.write_text(report(long_line, "Content-Type: message/delivery-status\n"
                                      "Content-Transfer-Encoding: quoted-printable\n"))
    (row,) = rows(path)
    assert row["diagnostic"] == "550 5.1.1 <gone@example.com>: no mailbox here by that name (ref=550)"
    assert (row["recipient"], row["reason"], row["bounce_type"]) == ("gone@example.com", "userunknown", "hard")


def test_a_report_part_relabelled_application_octet_stream_is_still_the_report(tmp_path):
    path = tmp_path / "octet.eml"
    path.write_text(report(part_headers="Content-Type: application/octet-stream\n"))
    assert bounces(path) == GONE
    assert rows(path)[0]["decoder"] == "rfc3464"


def test_a_relabelled_part_without_recipient_fields_is_not_a_report(tmp_path):
    path = tmp_path / "octet-other.eml"
    path.write_text(report("binary junk\n", part_headers="Content-Type: application/octet-stream\n"))
    assert [r["recipient"] for r in rows(path)] == [None]  # a bounce that names nobody: one reject row


# -- forwarded by a person ----------------------------------------------------------------------


def forwarded(subject: str) -> str:
    return (
        "From: Alice Person <alice@example.org>\n"
        "To: helpdesk@example.org\n"
        f"Subject: {subject}\n"
        "Date: Wed, 02 Dec 2026 09:00:00 +0000\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="FWD"\n'
        "\n"
        "--FWD\n"
        "Content-Type: text/plain\n"
        "\n"
        "This came back to me this morning, can you have a look?\n"
        "\n"
        "--FWD\n"
        "Content-Type: message/rfc822\n"
        "\n"
        f"{report()}"
        "\n"
        "--FWD--\n"
    )


@pytest.mark.parametrize("subject", ["Fwd: Delivery Status Notification (Failure)", "Fwd: have a look"])
def test_a_report_forwarded_as_an_attachment_is_read(tmp_path, subject):
    path = tmp_path / "forwarded.eml"
    path.write_text(forwarded(subject))
    assert bounces(path) == GONE
    assert "no mailbox here" in rows(path)[0]["diagnostic"]


def test_a_bounce_returning_an_ordinary_message_does_not_read_that_message(tmp_path):
    # The returned message is the sender's own mail: nothing in it is a bounce of its own.
    path = tmp_path / "returned.eml"
    path.write_text(
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
        "To: sender@example.org\n"
        "Subject: Mail delivery failed\n"
        f"Date: {DATE}\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="B"\n'
        "\n"
        "--B\n"
        "Content-Type: text/plain\n"
        "\n"
        "The following address failed:\n"
        "\n"
        "  gone@example.com\n"
        "    550 5.1.1 no mailbox here by that name\n"
        "\n"
        "--B\n"
        "Content-Type: message/rfc822\n"
        "\n"
        "From: sender@example.org\n"
        "To: gone@example.com\n"
        "Subject: Hello\n"
        "\n"
        "Hello there.\n"
        "--B--\n"
    )
    assert bounces(path) == [("gone@example.com", "userunknown", "hard", "5.1.1")]


# -- legacy charsets ----------------------------------------------------------------------------


def notice(body: bytes, content_type: str, encoding: str) -> bytes:
    return (
        "From: Mail Delivery Subsystem <mailer-daemon@mx.example.net>\n"
        "To: sender@example.org\n"
        "Subject: Delivery failure\n"
        f"Date: {DATE}\n"
        "MIME-Version: 1.0\n"
        f"Content-Type: {content_type}\n"
        f"Content-Transfer-Encoding: {encoding}\n"
        "\n"
    ).encode() + body


JAPANESE = "<gone@example.com>: 550 5.1.1 宛先のアドレスは存在しません\n"
FRENCH = "<gone@example.com>: 550 5.1.1 l’adresse n’existe pas – vérifiez-la\n"


@pytest.mark.parametrize(("text", "coding", "content_type", "transfer"), [
    (JAPANESE, "shift_jis", "text/plain; charset=us-ascii", "base64"),
    (JAPANESE, "shift_jis", "text/plain", "quoted-printable"),
    (JAPANESE, "euc-jp", "text/plain; charset=utf-8", "8bit"),
    (JAPANESE, "iso-2022-jp", "text/plain; charset=shift_jis", "7bit"),
    (FRENCH, "cp1252", "text/plain; charset=iso-8859-1", "quoted-printable"),
    (FRENCH, "cp1252", "text/plain; charset=x-no-such-charset", "quoted-printable"),
])
def test_a_notice_in_a_legacy_charset_with_a_missing_or_wrong_label_is_read_in_its_own(
        tmp_path, text, coding, content_type, transfer):
    data = text.encode(coding)
    body = {"base64": base64.encodebytes, "quoted-printable": quopri.encodestring}.get(transfer, bytes)(data)
    path = tmp_path / "legacy.eml"
    path.write_bytes(notice(body, content_type, transfer))
    (row,) = rows(path)
    assert row["recipient"] == "gone@example.com"
    assert text.split("5.1.1 ")[1].strip() in row["diagnostic"]


@pytest.mark.parametrize("label", ["iso-2022-jp", "ISO-2022-JP", "iso-2022-jp-2"])
def test_a_notice_labelled_iso_2022_jp_is_read_in_it_although_its_bytes_are_7_bit(tmp_path, label):
    # RFC 1468: ISO-2022-JP is 7-bit text whose escapes switch to JIS X 0208.
    path = tmp_path / "jis.eml"
    path.write_bytes(notice(JAPANESE.encode("iso-2022-jp"), f"text/plain; charset={label}", "7bit"))
    (row,) = rows(path)
    assert "宛先のアドレスは存在しません" in row["diagnostic"]


def test_a_labelled_legacy_charset_is_read_as_labelled(tmp_path):
    text = "<gone@example.com>: 550 5.1.1 Адресат не найден\n"
    path = tmp_path / "koi8.eml"
    path.write_bytes(notice(quopri.encodestring(text.encode("koi8-r")), "text/plain; charset=koi8-r",
                            "quoted-printable"))
    assert "Адресат не найден" in rows(path)[0]["diagnostic"]


# -- files in UTF-16 ----------------------------------------------------------------------------


@pytest.mark.parametrize("coding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_message_saved_in_utf16_is_read(tmp_path, coding):
    path = tmp_path / "wide.eml"
    path.write_bytes(report().replace("\n", "\r\n").encode(coding))
    assert bounces(path) == GONE


def test_an_mbox_saved_in_utf16_gives_each_message(tmp_path):
    second = report(REPORT_FIELDS.replace("gone@", "left@"))
    mbox = (f"From MAILER-DAEMON Tue Dec  1 10:00:00 2026\n{report()}\n"
            f"From MAILER-DAEMON Tue Dec  1 11:00:00 2026\n{second}\n")
    path = tmp_path / "wide.mbox"
    path.write_bytes(mbox.encode("utf-16"))
    assert [(r["line"], r["recipient"]) for r in rows(path)] == [(1, "gone@example.com"), (2, "left@example.com")]


def test_import_reads_a_utf16_message(bc, tmp_path):
    path = tmp_path / "wide.eml"
    path.write_bytes(report().encode("utf-16"))
    result = bc("import", path)
    assert result.exit_code == 0, result.stderr
    listed = bc("contacts", "--format", "json")
    assert [(row["email"], row["status"]) for row in json.loads(listed.stdout)] == [("gone@example.com", "hard_bounced")]


def test_a_file_that_is_not_valid_utf16_is_refused_in_one_line(bc, tmp_path):
    data = report().encode("utf-16-le")
    path = tmp_path / "broken.eml"
    path.write_bytes(b"\xff\xfe" + data[:60] + b"\x00\xdc" + data[60:])  # a lone low surrogate
    result = bc("explain", path)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [f"Error: {path}:1: looks like UTF-16 text but is not valid UTF-16 (at byte 62)"]
    assert "Traceback" not in result.stderr


# -- mbox files ---------------------------------------------------------------------------------


def two_messages(between: str = "\n") -> str:
    second = report(REPORT_FIELDS.replace("gone@", "left@"))
    return (f"From MAILER-DAEMON Tue Dec  1 10:00:00 2026\n{report()}{between}"
            f"From MAILER-DAEMON@mx.example.net  Tue Dec  1 11:00:00 2026\n{second}")


def test_an_mbox_without_a_blank_line_before_a_separator_gives_each_message(tmp_path):
    path = tmp_path / "tight.mbox"
    path.write_text(two_messages(between=""))
    assert [(r["line"], r["recipient"]) for r in rows(path)] == [(1, "gone@example.com"), (2, "left@example.com")]


def test_an_mbox_with_bare_cr_line_ends_gives_each_message(tmp_path):
    path = tmp_path / "mac.mbox"
    path.write_bytes(two_messages().replace("\n", "\r").encode())
    assert [(r["line"], r["recipient"]) for r in rows(path)] == [(1, "gone@example.com"), (2, "left@example.com")]


def test_a_from_line_of_the_text_is_not_a_separator_without_a_blank_line(tmp_path):
    text = two_messages().replace("Your message could not be delivered.\n",
                                  "Your message could not be delivered.\nFrom the desk of the postmaster\n", 1)
    path = tmp_path / "body.mbox"
    path.write_text(text)
    assert [(r["line"], r["recipient"]) for r in rows(path)] == [(1, "gone@example.com"), (2, "left@example.com")]


# -- report fields indented ---------------------------------------------------------------------


def indented(text: str, by: str = "    ") -> str:
    return "".join(by + line if line.strip() else line for line in text.splitlines(keepends=True))


def test_a_report_part_whose_fields_are_indented_is_read(tmp_path):
    path = tmp_path / "indented.eml"
    path.write_text(report(indented(REPORT_FIELDS)))
    assert bounces(path) == GONE
    assert rows(path)[0]["decoder"] == "rfc3464"


def test_report_fields_indented_in_the_text_of_a_notice_are_read_as_fields(tmp_path):
    fields = REPORT_FIELDS.replace("Diagnostic-Code: smtp; 550 5.1.1 <gone@example.com>: no mailbox here",
                                   "Diagnostic-Code: smtp; 550 5.1.1 <gone@example.com>: no mailbox here\n  ")
    path = tmp_path / "inline.eml"
    path.write_text(
        "From: Mail Delivery System <MAILER-DAEMON@relay.example.net>\n"
        "To: sender@example.org\n"
        "Subject: Delivery Status Notification (Failure)\n"
        f"Date: {DATE}\n"
        "\n"
        "Your message could not be delivered.\n"
        "\n"
        f"{indented(fields)}"
    )
    (row,) = rows(path)
    assert (row["recipient"], row["reason"], row["decoder"]) == ("gone@example.com", "userunknown", "rfc3464")
    # The folded line (indented further) is part of the Diagnostic-Code.
    assert row["diagnostic"] == "550 5.1.1 <gone@example.com>: no mailbox here by that name (ref=550)"


def test_a_multi_line_reply_folded_into_a_diagnostic_code_is_one_reply(tmp_path):
    fields = REPORT_FIELDS.replace(
        "Diagnostic-Code: smtp; 550 5.1.1 <gone@example.com>: no mailbox here by that name (ref=550)\n",
        "Diagnostic-Code: smtp;\n 550-5.1.1 <gone@example.com>: no mailbox\n 550-5.1.1 here by that\n"
        " 550 5.1.1 name (ref=550)\n")
    path = tmp_path / "multiline.eml"
    path.write_text(report(fields))
    (row,) = rows(path)
    assert row["diagnostic"] == "550 5.1.1 <gone@example.com>: no mailbox here by that name (ref=550)"
    assert (row["reason"], row["bounce_type"]) == ("userunknown", "hard")


def test_a_diagnostic_code_folded_before_a_quoted_reply_is_not_taken_for_a_multi_line_reply(tmp_path):
    # A relay's own words, then the reply it quotes; folded where the quote begins "550-'5.7.1".
    # One line of the code is no multi-line reply: the field is only unfolded.
    text = ("5.1.0 - Unknown address error 550-'5.7.1 <gone@example.com>... Access denied' "
            "(delivery attempts: 0)")
    fields = REPORT_FIELDS.replace("Status: 5.1.1\n", "Status: 5.0.0\n").replace(
        "Diagnostic-Code: smtp; 550 5.1.1 <gone@example.com>: no mailbox here by that name (ref=550)\n", "{}")
    one_line = tmp_path / "one.eml"
    one_line.write_text(report(fields.format(f"Diagnostic-Code: smtp; {text}\n")))
    folded = tmp_path / "folded.eml"
    folded.write_text(report(fields.format(
        "Diagnostic-Code: smtp; 5.1.0 - Unknown address error\n\t550-'5.7.1 <gone@example.com>...\n"
        "\tAccess denied' (delivery attempts: 0)\n")))
    assert bounces(folded) == bounces(one_line)
    assert rows(folded)[0]["diagnostic"] == rows(one_line)[0]["diagnostic"]


# -- feedback reports ---------------------------------------------------------------------------


def feedback(part_headers: str) -> str:
    return (
        "From: fbl@isp.example.net\n"
        "To: fbl-reports@example.org\n"
        "Subject: Abuse report\n"
        f"Date: {DATE}\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=feedback-report; boundary="AR"\n'
        "\n"
        "--AR\n"
        "Content-Type: text/plain\n"
        "\n"
        "A recipient marked your message as spam.\n"
        "\n"
        "--AR\n"
        f"{part_headers}"
        "\n"
        "Feedback-Type: abuse\n"
        "User-Agent: ExampleFeedback/2.1\n"
        "Version: 1\n"
        "Original-Rcpt-To: annoyed@example.org\n"
        "\n"
        "--AR\n"
        "Content-Type: text/rfc822-headers\n"
        "\n"
        "From: news@example.org\n"
        "To: annoyed@example.org\n"
        "Subject: This week\n"
        "\n"
        "--AR--\n"
    )


@pytest.mark.parametrize("part_type", ["text/plain", "application/octet-stream"])
def test_a_feedback_report_part_sent_as_text_is_a_complaint_not_a_bounce(tmp_path, part_type):
    path = tmp_path / "arf.eml"
    path.write_text(feedback(f"Content-Type: {part_type}\n"))
    assert [(r["recipient"], r["event"], r["decoder"]) for r in rows(path)] == [
        ("annoyed@example.org", "complaint", "arf")]


# -- text-only notices --------------------------------------------------------------------------


def daemon_notice(subject: str, body: str, *, sender: str = "Mail Delivery System <MAILER-DAEMON@relay.example.net>",
                  headers: str = "") -> str:
    """A notice from a mail system's daemon (plain text unless ``headers`` say otherwise), ``body`` below
    its headers."""
    return (
        f"From: {sender}\n"
        "To: sender@example.org\n"
        f"Subject: {subject}\n"
        f"Date: {DATE}\n"
        f"{headers}"
        "\n"
        f"{body}"
    )


@pytest.mark.parametrize("subject", ["failure notice", "Returned mail: see transcript for details"])
def test_a_recipient_the_transcript_shows_accepted_gives_no_row_next_to_failed_ones(tmp_path, subject):
    path = tmp_path / "transcript.eml"
    path.write_text(daemon_notice(
        subject,
        "   ----- Transcript of session follows -----\n"
        "... while talking to mx.example.com.:\n"
        ">>> MAIL From:<sender@example.org>\n"
        "<<< 250 2.1.0 sender ok\n"
        ">>> RCPT To:<fine@example.com>\n"
        "<<< 250 2.1.5 recipient ok\n"
        ">>> RCPT To:<gone@example.com>\n"
        "<<< 550 5.1.1 <gone@example.com>... no mailbox here by that name\n"
        ">>> RCPT To:<busy@example.com>\n"
        "<<< 452 4.2.2 <busy@example.com>... mailbox full\n"
    ))
    assert [(r["recipient"], r["reason"], r["bounce_type"]) for r in rows(path)] == [
        ("gone@example.com", "userunknown", "hard"), ("busy@example.com", "mailboxfull", "soft")]


def test_report_fields_written_right_below_the_part_header_are_read(tmp_path):
    # No blank line between the part's Content-Type and its fields: the parser takes them for
    # the part's own headers.
    text = report().replace("Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n",
                            "Content-Type: message/delivery-status\nReporting-MTA: dns; mx.example.net\n")
    path = tmp_path / "tight-part.eml"
    path.write_text(text)
    assert bounces(path) == GONE


@pytest.mark.parametrize("lead", ["\n\n", "\r\n", "From MAILER-DAEMON Tue Dec  1 10:00:00 2026\n\n"])
def test_blank_lines_before_the_headers_are_skipped(tmp_path, lead):
    path = tmp_path / "lead.eml"
    path.write_bytes((lead + report()).encode())
    assert bounces(path) == GONE


def test_import_of_a_message_after_blank_lines(bc, tmp_path):
    path = tmp_path / "lead.eml"
    path.write_text("\n\n" + report())
    result = bc("import", path)
    assert result.exit_code == 0, result.stderr
    listed = bc("contacts", "--format", "json")
    assert [(row["email"], row["status"]) for row in json.loads(listed.stdout)] == [("gone@example.com", "hard_bounced")]


# -- auto-replies that no marker names -----------------------------------------------------------


def out_of_office(subject: str, auto_submitted: bool = False) -> str:
    return (
        "Return-Path: <>\n"
        "From: Jo Doe <jo@example.org>\n"
        "To: sender@example.net\n"
        f"Subject: {subject}\n"
        f"Date: {DATE}\n"
        + ("Auto-Submitted: auto-replied\n" if auto_submitted else "")
        + "\n"
        "I am away until Monday. For urgent matters please write to my colleague\n"
        "Sam Roe (sam.roe@example.org), or to the service desk at help@example.org,\n"
        "phone +1 555 0100 or\n"
        "555-0123, release 2.1.1 notes at https://example.org/4.2/\n"
    )


def test_a_reply_with_a_null_return_path_that_says_nothing_failed_is_no_bounce(tmp_path):
    # RFC 3834 asks auto-replies for a null return path too: with no failure in its words, no reply
    # code or status, the colleagues an out-of-office reply names are not bounced addresses.
    path = tmp_path / "away.eml"
    path.write_text(out_of_office("Not in the office this week"))
    assert rows(path) == []


def test_a_notice_with_a_null_return_path_and_a_failure_reply_is_still_read(tmp_path):
    path = tmp_path / "notice.eml"
    path.write_text(
        "Return-Path: <>\n"
        "From: gateway@example.net\n"
        "To: sender@example.org\n"
        "Subject: Your message\n"
        f"Date: {DATE}\n"
        "\n"
        "<gone@example.com>: 550 5.1.1 no mailbox here by that name\n"
    )
    assert bounces(path) == GONE


@pytest.mark.parametrize("subject", [
    "[SPAM] Automatic reply: Newsletter", "***SPAM*** Out of Office: Newsletter", "Re: Automatic reply: Newsletter",
    "Automatische Antwort: Newsletter", "Risposta automatica: Newsletter", "Autosvar: Newsletter",
])
def test_an_auto_reply_is_known_by_its_subject_behind_a_filter_s_tag_and_in_other_languages(tmp_path, subject):
    path = tmp_path / "away.eml"
    path.write_text(out_of_office(subject))
    assert [(r["recipient"], r["event"], r["reason"]) for r in rows(path)] == [("jo@example.org", None, "vacation")]


@pytest.mark.parametrize("quoted", ["'gone@example.com'", "`gone@example.com'"])
def test_an_address_the_notice_quotes_is_read_without_the_quote_marks(tmp_path, quoted):
    path = tmp_path / "quoted.eml"
    path.write_text(daemon_notice(
        "Returned mail: see transcript for details",
        f"Message delivery to {quoted} failed: remote host said: 550 5.1.1 no mailbox here by that name\n",
    ))
    assert bounces(path) == GONE


def test_an_apostrophe_inside_a_local_part_is_kept(tmp_path):
    path = tmp_path / "apostrophe.eml"
    path.write_text(
        "Return-Path: <>\n"
        "From: gateway@example.net\n"
        "To: sender@example.org\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        f"Date: {DATE}\n"
        "\n"
        "<o'gone@example.com>: 550 5.1.1 no mailbox here by that name\n"
    )
    assert [r["recipient"] for r in rows(path)] == ["o'gone@example.com"]


def test_a_sendmail_line_about_a_host_is_not_the_failure_of_the_recipient_named_before_it(tmp_path):
    # Sendmail writes a host's line ("550 HOST (smtp)... TEXT") before the lines of the recipients at
    # that host: the recipient above it failed otherwise.
    path = tmp_path / "hosts.eml"
    path.write_text(daemon_notice(
        "Undeliverable message",
        "Your message could not be delivered.\n"
        "\n"
        "421 example.edu (smtp)... Deferred: Connection reset by peer during result wait with example.edu\n"
        "554 <reset@example.edu>... Remote protocol error: Connection reset by peer\n"
        "550 nxdomain.example (smtp)... 550 Host unknown\n"
        "554 <gone@nxdomain.example>... 550 Host unknown (Authoritative answer from name server)\n",
    ))
    assert [(r["recipient"], r["bounce_type"]) for r in rows(path)] == [
        ("reset@example.edu", "soft"), ("gone@nxdomain.example", "hard")]
    assert [r["reason"] for r in rows(path)][1] == "hostunknown"


@pytest.mark.parametrize("tag", ["[SPAM] ", "*****SPAM***** ", "***UNCHECKED*** ", "[EXTERNAL] [SPAM] "])
def test_a_subject_tagged_by_a_filter_still_names_the_mail_system(tmp_path, tag):
    # MailFoundry's notice is known by its subject: a filter's tag before it does not hide it.
    path = tmp_path / "tagged.eml"
    path.write_text(daemon_notice(
        f"{tag}Message delivery has failed",
        "Unable to deliver message to: <gone@example.com>\n"
        "Delivery failed for the following reason:\n"
        "Server mx.example.com[192.0.2.1] failed with: 550 5.1.1 no mailbox here by that name\n",
    ))
    assert [(r["recipient"], r["decoder"], r["reason"]) for r in rows(path)] == [
        ("gone@example.com", "mailfoundry", "userunknown")]


def test_a_bracketed_subject_that_is_no_filter_s_tag_is_kept():
    from bouncectl.sources.messages.reader import untagged_subject

    assert untagged_subject("[BOUNCE]") == "[BOUNCE]"
    assert untagged_subject("[newsletter] Undeliverable") == "[newsletter] Undeliverable"
    assert untagged_subject("[SPAM]") == "[SPAM]"  # nothing after it: the tag is the subject


def test_an_ses_notification_sent_by_email_is_read_below_a_gateway_s_banner_and_above_its_footer(tmp_path):
    notification = json.dumps({
        "notificationType": "Bounce",
        "bounce": {"bounceType": "Permanent", "bounceSubType": "General", "timestamp": "2026-12-01T10:00:00.000Z",
                   "bouncedRecipients": [{"emailAddress": "gone@example.com", "action": "failed", "status": "5.1.1",
                                          "diagnosticCode": "smtp; 550 5.1.1 no mailbox here by that name"}]},
        "mail": {"timestamp": "2026-12-01T09:59:00.000Z", "source": "sender@example.org",
                 "messageId": "0100-example", "destination": ["gone@example.com"]},
    })
    envelope = json.dumps({"Type": "Notification", "Message": notification}, indent=2)
    path = tmp_path / "sns.eml"
    path.write_text(daemon_notice(
        "AWS Notification Message",
        "CAUTION: This email originated from outside of the organization.\n"
        "\n"
        f"{envelope}\n"
        "\n"
        "-- \n"
        "This message has been scanned for viruses and dangerous content, and is believed to be clean.\n",
        sender="Notifications <no-reply@sns.amazonaws.com>",
        headers="Content-Type: text/plain; charset=UTF-8\n",
    ))
    assert bounces(path) == GONE


MAILSCANNER_SIGNATURE = (
    "-- \n"
    "This message has been scanned for viruses and\n"
    "dangerous content by MailScanner, and is\n"
    "believed to be clean.\n"
)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_gateway_s_signature_below_a_notice_is_not_read_as_its_failure(tmp_path, newline):
    path = tmp_path / "signed.eml"
    path.write_bytes(daemon_notice(
        "Undeliverable message",
        "<later@example.com>: retry timeout exceeded\n\n" + MAILSCANNER_SIGNATURE,
    ).replace("\n", newline).encode("ascii"))
    assert [(r["recipient"], r["reason"]) for r in rows(path)] == [("later@example.com", "expired")]


def test_a_separator_followed_by_more_than_a_signature_is_kept():
    from bouncectl.sources.messages.reader import SIGNATURE_LINES, _unsigned

    signed = "notice\n" + MAILSCANNER_SIGNATURE
    assert _unsigned(signed) == "notice\n"
    long = "notice\n-- \n" + "more of the notice\n" * (SIGNATURE_LINES + 1)
    assert _unsigned(long) == long


def test_an_html_notice_reads_as_a_browser_lays_it_out(tmp_path):
    # A line break in the HTML source is a space; <br> and blocks break lines; a style sheet is no text.
    path = tmp_path / "html.eml"
    path.write_text(daemon_notice(
        "failure notice",
        "<html><head><style>p { margin: 0 }</style></head><body>\n"
        "Hi. This is the qmail-send program at mx.example.net.<br>\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.<br>\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.<br>\n"
        "<br>\n"
        "&lt;gone@example.com&gt;:<br>\n"
        "192.0.2.1 does not like recipient.<br>\n"
        "Remote host said: 550 5.1.1 no mailbox here by that name<br>\n"
        "Giving up on 192.0.2.1.<br>\n"
        "</body></html>\n",
        headers="Content-Type: text/html; charset=us-ascii\n",
    ))
    assert bounces(path) == GONE


@pytest.mark.parametrize("heading", [
    "<old.name@mailhost.example.net> (expanded from <gone@example.com>): host\n",
    # Wrapped by Postfix within the parenthesis, its continuation indented.
    "<old.name@mailhost.example.net> (expanded from\n    <gone@example.com>): host\n",
])
def test_a_postfix_notice_names_the_recipient_the_sender_gave_before_its_alias(tmp_path, heading):
    # "<final> (expanded from <original>): reason": the sender mailed the original address.
    path = tmp_path / "expanded.eml"
    path.write_text(daemon_notice(
        "Undelivered Mail Returned to Sender",
        "This is the mail system at host mx.example.net.\n"
        "\n"
        "I'm sorry to have to inform you that your message could not\n"
        "be delivered to one or more recipients. It's attached below.\n"
        "\n"
        "                   The mail system\n"
        "\n"
        f"{heading}"
        "    mailhost.example.net[192.0.2.2] said: 550 5.1.1 no mailbox here by that name\n"
        "    (in reply to RCPT TO command)\n",
        sender="MAILER-DAEMON@mx.example.net (Mail Delivery System)",
    ))
    assert bounces(path) == GONE


@pytest.mark.parametrize("heading", ["--- The following addresses had delivery problems ---",
                                     "----- The following addresses had permanent fatal errors -----"])
def test_a_notice_from_no_named_sender_that_returns_the_message_is_known_by_its_words(tmp_path, heading):
    path = tmp_path / "unnamed.eml"
    path.write_text(daemon_notice(
        "Delivery Status",
        "--B\n"
        "Content-Type: text/plain\n"
        "\n"
        f"{heading}\n"
        "\n"
        "<gone@example.com>   (550 5.1.1 gone@example.com... no mailbox here by that name)\n"
        "\n"
        "--B\n"
        "Content-Type: message/rfc822\n"
        "\n"
        "From: sender@example.org\n"
        "To: gone@example.com\n"
        "Subject: Hello\n"
        "\n"
        "Hello\n"
        "--B--\n",
        sender="<>",
        headers='MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="B"\n',
    ))
    assert bounces(path) == GONE


def test_gmail_s_notice_of_a_group_address_that_does_not_exist_is_no_refusal_of_a_post(tmp_path):
    # Without its DSN part, a failed delivery to a Google Groups address still quotes the server's reply.
    path = tmp_path / "group.eml"
    path.write_text(daemon_notice(
        "Delivery Status Notification (Failure)",
        "** Address not found **\n"
        "\n"
        "Your message wasn't delivered to gone@googlegroups.com because the address couldn't be found, or is "
        "unable to receive mail.\n"
        "\n"
        "The response from the remote server was:\n"
        "550 5.1.1 The email account that you tried to reach does not exist.\n",
        sender="Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
        headers="X-Failed-Recipients: gone@googlegroups.com\n",
    ))
    assert [(r["recipient"], r["reason"], r["bounce_type"]) for r in rows(path)] == [
        ("gone@googlegroups.com", "userunknown", "hard")]


@pytest.mark.parametrize("coding", ["latin-1", "utf-8"])
def test_report_fields_in_8_bit_text_are_read_in_their_own_charset(tmp_path, coding):
    # RFC 3464 fields are US-ASCII, but a remote's reply is quoted as it came: 8-bit bytes in Latin-1 or
    # UTF-8, and an internationalised address (RFC 6533) in UTF-8. They are read as the rest of a
    # notice is (UTF-8, else Latin-1), never replaced, and the recipient's bounce is not lost.
    fields = (REPORT_FIELDS.replace("no mailbox here by that name (ref=550)", "Empfänger unbekannt")
              .replace("Final-Recipient: rfc822; gone@example.com", "Final-Recipient: rfc822; jürgen@example.com"))
    path = tmp_path / "report.eml"
    path.write_bytes(report(fields).encode(coding))
    rows = list(explain([str(path)]))
    assert [(r["recipient"], r["reason"], r["diagnostic"]) for r in rows] == [
        ("jürgen@example.com", "userunknown", "550 5.1.1 <gone@example.com>: Empfänger unbekannt")]
