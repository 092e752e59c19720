"""The mail-system decoders and the generic readers of bounce messages: what each reads of
its own notice, and the generic defects each fixture was written to catch."""

from __future__ import annotations

import hashlib
from email.parser import BytesParser
from email.policy import compat32
from pathlib import Path

import pytest

from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources.messages import FORMAT, reader, registry
from bouncectl.sources.source import Source
from bouncectl.usecases.explaining import explain

FIXTURES = Path(__file__).parent / "fixtures" / "decoders"
MESSAGES = Path(__file__).parent / "fixtures" / "messages"


def findings(name: str):
    msg = BytesParser(policy=compat32).parsebytes((FIXTURES / name).read_bytes())
    return reader.analyse(msg).findings


def records(path: Path) -> list:
    source = Source(path)
    try:
        return list(FORMAT.parse(source, ImportOptions()))
    finally:
        source.close()


# --- the registry -------------------------------------------------------------------------------


def test_every_decoder_has_a_name_and_both_functions_and_names_are_unique():
    names = [decoder.NAME for decoder in registry.DECODERS]
    assert len(names) == len(set(names))
    for decoder in registry.DECODERS:
        assert callable(decoder.recognise) and callable(decoder.decode)
        assert decoder.__doc__, decoder.NAME  # each says whose notice it reads and how it looks


CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "sisimai"


def _tuning_half(path: Path) -> bool:
    return hashlib.sha256(path.name.encode("utf-8")).digest()[0] % 2 == 0


def _samples() -> list[Path]:
    found = sorted(FIXTURES.glob("*.eml")) + sorted(MESSAGES.glob("*.eml"))
    return found + [path for path in sorted((CORPUS / "eml").glob("*.eml")) if _tuning_half(path)]


def test_a_decoder_is_passed_over_only_for_a_bounce_it_would_not_recognise(monkeypatch):
    """The needs table (registry.NEEDS) leaves out no decoder that recognises the bounce: on every
    fixture and sample, each decoder that recognises it is among the candidates, in order."""
    asked = []
    candidates = registry.candidates
    monkeypatch.setattr(registry, "candidates", lambda bounce: asked.append(bounce) or candidates(bounce))
    samples = _samples()
    assert len(samples) > 100
    checked = 0
    for path in samples:
        asked.clear()
        msg = BytesParser(reader.IndexedMessage, policy=compat32).parsebytes(path.read_bytes().lstrip(b"\r\n"))
        reader.analyse(msg)
        for bounce in asked:
            listed = list(candidates(bounce))
            recognising = [decoder for decoder in registry.DECODERS if decoder.recognise(bounce)]
            assert [d for d in listed if d in recognising] == recognising, path.name
            checked += 1
    assert checked > 100


def test_the_needs_table_names_registered_decoders_and_needs_something_of_each():
    for decoder, (headers, words) in registry.NEEDS.items():
        assert decoder in registry.DECODERS and (headers or words), decoder.NAME
        assert all(word == word.lower() for word in words), decoder.NAME  # the notice is read lower-cased


# --- one fixture per mail system ---------------------------------------------------------------------


def test_postfix_reads_its_entries_the_refused_command_and_its_own_texts():
    left, typo = findings("postfix.eml")
    assert (left.decoder, left.recipient, left.command, left.host) == (
        "postfix", "left@example.com", "RCPT", "mx.example.com")
    assert "virtual mailbox table" in left.diagnostic  # the folded Diagnostic-Code, joined
    assert left.decoder_reason == "userunknown" and "smtpd_check" in left.reason_origin
    assert typo.diagnostic_type == "X-Postfix"
    assert typo.decoder_reason == "hostunknown"
    assert "Host not found" in typo.diagnostic


def test_exim_gives_each_address_its_own_lines_command_and_host():
    refused, nowhere = findings("exim.eml")
    assert refused.decoder == "exim"
    assert (refused.recipient, refused.command, refused.host, refused.smtp_code, refused.enhanced_status) == (
        "refused@example.com", "DATA", "mx.example.com", 550, "5.7.1")
    assert refused.decoder_reason is None  # a remote reply: the reason half reads it
    assert (nowhere.recipient, nowhere.decoder_reason, nowhere.diagnostic) == (
        "nowhere@unrouted.example", "hostunknown", "Unrouteable address")


def test_qmail_reads_the_step_and_its_own_status():
    nosuch, refused = findings("qmail.eml")
    assert nosuch.decoder == "qmail"
    assert (nosuch.enhanced_status, nosuch.decoder_reason) == ("5.1.1", "userunknown")
    assert (refused.command, refused.smtp_code, refused.enhanced_status) == ("RCPT", 554, "5.7.1")
    assert refused.diagnostic_type == "SMTP" and refused.decoder_reason is None


def test_exchange_reads_the_remote_server_line_and_its_component_code():
    (finding,) = findings("exchange.eml")
    assert finding.decoder == "exchange"
    assert finding.recipient == "big-files@corp.example.com"
    assert "message too large for this recipient" in finding.diagnostic
    assert finding.decoder_reason == "exceedlimit"
    assert finding.host == "ex01.corp.example.com"


def test_exchange_reads_its_retry_history_and_the_receiving_server():
    (finding,) = findings("exchange-retries.eml")
    assert finding.host == "mx.branch.example.org"
    assert "QUEUE.Expired" in finding.diagnostic and "Connection dropped" in finding.diagnostic


def test_gmail_reads_the_listed_address_and_googles_dns_error():
    (finding,) = findings("gmail.eml")
    assert (finding.decoder, finding.recipient, finding.decoder_reason) == (
        "gmail", "someone@no-such-domain.example", "hostunknown")


def test_the_older_fixtures_name_their_decoders_in_explain():
    rows = list(explain([str(MESSAGES / "postfix-dsn.eml"), str(MESSAGES / "exim-text.eml"),
                         str(MESSAGES / "qmail-text.eml"), str(MESSAGES / "vacation.eml"),
                         str(MESSAGES / "arf-complaint.eml")]))
    assert [row["decoder"] for row in rows] == ["postfix", "postfix", "exim", "qmail", "qmail", "rfc3834", "arf"]
    assert all(row["rule"] for row in rows)


# --- the generic defects -------------------------------------------------------------------------


def test_an_address_quoted_in_an_error_line_is_not_a_recipient():
    found = findings("quoted-address.eml")
    assert [(f.recipient, f.smtp_code, f.enhanced_status) for f in found] == [
        ("first@example.com", 550, "5.1.1"), ("second@example.org", 552, "5.2.2")]
    assert "first.alias@example.net" in found[0].diagnostic or "Recipient address rejected" in found[0].diagnostic


def test_each_recipient_gets_the_error_line_that_names_it():
    # The DSN fields say nothing but 5.0.0; the notice's lines, each naming its recipient, say the rest.
    found = findings("wrong-recipient.eml")
    assert [(f.recipient, f.smtp_code, f.enhanced_status) for f in found] == [
        ("one@example.com", 550, "5.1.1"), ("two@example.org", 552, "5.2.2")]
    assert "over its quota" in found[1].diagnostic and "over its quota" not in found[0].diagnostic


def test_folded_continuation_lines_of_inline_dsn_fields_are_kept():
    (finding,) = findings("folded-inline-fields.eml")
    assert finding.recipient == "folded@example.com"
    assert "over its storage quota and inactive" in finding.diagnostic


def test_the_x_unix_diagnostic_type_reaches_the_classifier(monkeypatch):
    (finding,) = findings("x-unix.eml")
    assert finding.diagnostic_type == "X-Unix"
    seen = {}

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return original(*args, **kwargs)

    original = reader.classify
    monkeypatch.setattr(reader, "classify", spy)
    reader.classify_finding(finding)
    assert seen["diagnostic_type"] == "X-Unix"
    assert (seen["action"], seen["recipient"]) == ("failed", "local-user@example.net")
    assert "decoder_reason" in seen and "decoder_origin" in seen


def test_a_2xx_reply_in_a_transcript_is_not_the_result():
    (finding,) = findings("transcript-2xx.eml")
    assert (finding.recipient, finding.smtp_code, finding.enhanced_status, finding.command) == (
        "nobody-there@example.com", 550, "5.1.1", "RCPT")
    assert "250" not in (finding.diagnostic or "").split()[0]


def test_the_2xx_rule_of_the_shared_reply_reader():
    from bouncectl.sources.messages.base import reply_code

    assert reply_code("<<< 250 2.1.0 Sender ok\n<<< 550 5.1.1 No such user") == (550, "5.1.1")
    assert reply_code("250 2.0.0 Ok: queued") == (250, "2.0.0")


def test_a_truncated_diagnostic_code_gives_way_to_the_whole_reply_in_the_notice():
    (finding,) = findings("truncated-diagnostic.eml")
    assert finding.diagnostic.startswith("550 5.1.1 The email account")
    assert "unnecessary spaces" in finding.diagnostic


def test_the_second_recipient_group_of_one_dsn_is_kept():
    found = findings("two-groups.eml")
    assert [(f.recipient, f.smtp_code, f.enhanced_status) for f in found] == [
        ("one@example.com", 550, "5.1.1"), ("two@example.org", 552, "5.2.2")]


def test_original_recipient_is_preferred_to_a_rewritten_final_recipient():
    (finding,) = findings("original-recipient.eml")
    assert finding.recipient == "customer@example.com"
    assert finding.diagnostic_type == "X-Postfix"
    assert finding.decoder_reason == "userunknown"  # Postfix's local(8) "unknown user"


def test_an_arf_report_without_original_rcpt_to_names_whom_the_message_was_for():
    (finding,) = findings("arf-no-rcpt-to.eml")
    assert (finding.recipient, finding.kind, finding.decoder) == ("complainer@isp.example.org", "complaint", "arf")


# --- a message nested too deeply ---------------------------------------------------------------------


def nested(depth: int) -> bytes:
    head = b"From: someone@example.org\nTo: news@example.net\nSubject: deep\nMIME-Version: 1.0\n"
    body = b"".join(b'Content-Type: multipart/mixed; boundary="n%d"\n\n--n%d\n' % (i, i) for i in range(depth))
    body += b"Content-Type: text/plain\n\nhello\n"
    body += b"".join(b"--n%d--\n" % i for i in reversed(range(depth)))
    return head + body


def test_a_message_nested_thousands_of_levels_deep_is_rejected_alone(tmp_path):
    good = (MESSAGES / "postfix-dsn.eml").read_bytes()
    mbox = tmp_path / "deep.mbox"
    mbox.write_bytes(b"From MAILER-DAEMON Tue Dec  1 08:00:00 2026\n" + good + b"\n"
                     + b"From someone@example.org Tue Dec  1 08:01:00 2026\n" + nested(3000) + b"\n"
                     + b"From MAILER-DAEMON Tue Dec  1 08:02:00 2026\n" + good + b"\n")
    found = records(mbox)
    rejects = [item for item in found if isinstance(item, Reject)]
    assert [(r.line, "nested too deeply" in r.error) for r in rejects] == [(2, True)]
    assert [(e.line, e.recipient) for e in found if isinstance(e, Event)] == [
        (1, "gone@example.com"), (1, "full@example.org"), (3, "gone@example.com"), (3, "full@example.org")]


def test_the_cli_imports_the_rest_of_an_mbox_with_a_deep_message(bc, tmp_path):
    mbox = tmp_path / "deep.mbox"
    mbox.write_bytes(b"From someone@example.org Tue Dec  1 08:01:00 2026\n" + nested(3000) + b"\n"
                     + b"From MAILER-DAEMON Tue Dec  1 08:02:00 2026\n"
                     + (MESSAGES / "postfix-dsn.eml").read_bytes() + b"\n")
    result = bc("import", mbox)
    assert "Traceback" not in result.stderr
    assert result.exit_code == 3, result.stderr  # imported, with a rejected message kept
    assert "nested too deeply" in bc("rejects", "--format", "json").stdout


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.eml")))
def test_every_fixture_gives_rows_with_a_decoder_and_a_rule(name):
    rows = list(explain([str(FIXTURES / name)]))
    assert rows and all(row["decoder"] and row["rule"] and row["recipient"] for row in rows)


def test_courier_reads_the_refused_command_of_its_transcript_not_the_2xx_steps():
    (finding,) = findings("courier.eml")
    assert (finding.decoder, finding.recipient, finding.command, finding.host, finding.smtp_code) == (
        "courier", "gone@example.com", "RCPT", "mx.example.com", 550)
    assert finding.enhanced_status == "5.1.1" and "250" not in finding.diagnostic


# One line per fixture: the decoder, then (recipient, reply code, status, command, decoder reason) per result.
MORE = {
    "opensmtpd.eml": ("opensmtpd", [("full-box@example.com", 552, "5.2.2", None, None),
                                    ("no-one@example.org", 550, "5.1.1", None, None)]),
    "dragonfly.eml": ("dragonfly", [("blocked@example.com", 554, "5.7.1", "RCPT", None)]),
    "yahoo.eml": ("yahoo", [("over-quota@example.com", 552, "5.2.2", "RCPT", None)]),
    "imailserver.eml": ("imailserver", [("packed@imail.example.org", None, None, None, "mailboxfull")]),
    "domino.eml": ("domino", [("someone@domino.example.com", None, None, None, "userunknown")]),
    "zoho.eml": ("zoho", [("gone@example.com", 550, "5.1.1", None, None)]),
    "googlegroups.eml": ("googlegroups", [("announce@googlegroups.com", None, None, None, "rejected")]),
    "mimecast.eml": ("mimecast", [("nobody@example.com", 550, "5.1.1", None, None)]),
    # "Recipient address rejected" names no command (the notice shows none).
    "amazonses.eml": ("amazonses", [("closed@example.com", 550, "5.1.1", None, None)]),
    "kddi.eml": ("kddi", [("crowded@example.dion.ne.jp", None, None, None, "mailboxfull")]),
    "mfilter.eml": ("mfilter", [("nobody@example.org", 550, "5.1.1", "RCPT", None)]),
    "mailfoundry.eml": ("mailfoundry", [("gone@example.org", 550, "5.1.1", None, None)]),
    "interscan.eml": ("interscan", [("away@example.co.jp", 550, "5.1.1", "RCPT", None)]),
    "x-mailer.eml": ("x-mailer", [("left@example.com", 550, "5.1.1", "RCPT", None)]),
    # Exchange 2003 documents its IMS code 000C05A6 as DSN 5.1.1.
    "exchange2003.eml": ("exchange", [("someone@old.example.org", None, "5.1.1", None, "userunknown")]),
    "exim-relay.eml": ("exim", [("moved-on@example.com", 550, "5.1.1", "RCPT", None)]),
    "exchange-retries.eml": ("exchange", [("far-away@branch.example.org", 451, "4.4.0", None, "expired")]),
    "biglobe.eml": ("biglobe", [("stuffed@example.biglobe.ne.jp", None, None, None, "mailboxfull")]),
    "workmail.eml": ("amazonses", [("slow@example.org", 421, "4.4.2", None, None)]),
    "messagingserver.eml": ("messagingserver", [("nodomain@no-such-host.example", None, None, None, "hostunknown")]),
}


@pytest.mark.parametrize("name", sorted(MORE))
def test_each_mail_system_reads_its_own_notice(name):
    decoder, expected = MORE[name]
    found = findings(name)
    assert {f.decoder for f in found} == {decoder}
    assert [(f.recipient, f.smtp_code, f.enhanced_status, f.command, f.decoder_reason) for f in found] == expected


def test_kddi_reads_a_reason_rewrapped_onto_the_line_of_its_address():
    notice = (FIXTURES / "kddi.eml").read_bytes()
    lines = notice.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if b"Could not be delivered to:" in line)
    assert lines[at + 1].startswith(b" ") and lines[at + 1].strip()  # the reason, on its own line
    joined = b"".join([*lines[:at], lines[at].rstrip() + b" " + lines[at + 1].lstrip(), *lines[at + 2 :]])
    msg = BytesParser(policy=compat32).parsebytes(joined)
    assert [(f.recipient, f.decoder_reason) for f in reader.analyse(msg).findings] == [
        ("crowded@example.dion.ne.jp", "mailboxfull")]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.eml")))
def test_a_huge_line_in_a_notice_is_read_without_error(tmp_path, name):
    # Each decoder's patterns read a line in one pass: a 200 kB address-like line (hostile or broken
    # mail) neither stops the reading nor loses the message's results.
    raw = (FIXTURES / name).read_bytes()
    head, sep, body = raw.partition(b"\n\n")
    junk = b"  <a@" + b"b" * 200_000 + b" #550 5.1.1 x: said: ERROR_CODE :\n"
    path = tmp_path / name
    path.write_bytes(head + sep + junk + body)
    rows = list(explain([str(path)]))
    assert rows and all(row["rule"] for row in rows)


# --- delay warnings read by a mail system's decoder ---------------------------------------------


@pytest.mark.parametrize(("name", "decoder"), [("postfix-delay-text.eml", "postfix"), ("sendmail-warning.eml", "sendmail"),
                                             ("exim-warning.eml", "exim")])
def test_a_delay_warning_without_a_report_gives_a_soft_deferral(name, decoder):
    rows = list(explain([str(FIXTURES / name)]))
    assert [(row["recipient"], row["event"], row["bounce_type"], row["decoder"]) for row in rows] == [
        ("user@example.org", "deferred", "soft", decoder)]


def test_a_failure_notice_of_the_same_decoder_stays_a_bounce():
    rows = list(explain([str(FIXTURES / "postfix.eml")]))
    assert rows and all(row["event"] == "bounce" for row in rows)
