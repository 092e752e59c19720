"""TLS refused or failed: the wordings of the mail systems that require it, and a refusal of the STARTTLS
command itself, are ``failedstarttls`` (RFC 3207; RFC 3463 X.7.10 / X.7.11 in the RFC 5248 registry), not a
connection, security or system error. The texts are those the systems' sources print; the notices are
synthetic ones in each system's layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_wordings_by_mail_system import exim

from bouncectl.bounces import classify
from bouncectl.usecases.explaining import explain

SENDER = "news@example.net"

# (reply code, status, text, refused command): each the wording of one mail system's source.
WORDINGS = [
    # RFC 3207 4: the server's replies
    (530, "5.7.0", "530 5.7.0 Must issue a STARTTLS command first", "MAIL"),
    (454, None, "454 TLS not available due to temporary reason", None),
    # Postfix: smtp/smtp_proto.c (the client) and smtpd/smtpd.c (the server)
    (450, "4.7.4", "TLS is required, but was not offered by host mx.example.org[192.0.2.1]", None),
    (450, "4.7.5", "Cannot start TLS: handshake failure", None),
    (450, "4.7.5", "TLS failure: Cannot verify server certificate", None),
    (450, "4.7.5", "TLS failure: Cannot verify server hostname", None),
    (454, "4.7.0", "TLS is required, but host mx.example.org[192.0.2.1] refused to start TLS: 454 4.7.0 Try again",
     None),
    (454, "4.7.0", "454 4.7.0 TLS not available due to local problem", None),
    # Exim: transports/smtp.c (the client) and smtp_in.c (the server)
    (None, None, "a TLS session is required, but the server did not offer TLS support", None),
    (None, None, "a TLS session is required, but an attempt to start TLS failed", None),
    (454, None, "454 TLS currently unavailable", None),
    # Sendmail: srvrsmtp.c (the server) and cf/m4/proto.m4 (the TLS rulesets)
    (454, "4.3.3", "454 4.3.3 TLS not available: error generating SSL handle", None),
    (403, "4.7.0", "403 4.7.0 TLS handshake.", None),
    (403, "4.7.0", "403 4.7.0 encryption too weak 56 less than 128", None),
    (None, None, ("TLS error on connection to mx.example.org [192.0.2.1] (SSL_connect): error:0A000086:SSL "
                  "routines::certificate verify failed"), None),
    # OpenSMTPD: smtpd/mta_session.c; Microsoft and Google: their documented replies
    (None, None, "TLS required but not supported by remote host", None),
    (451, "5.7.3", "451 5.7.3 STARTTLS is required to send mail", None),
    (530, "5.7.0", "530 5.7.0 Must issue a STARTTLS command first. - gsmtp", None),
    # RFC 5248 registry: X.7.10 encryption needed, X.7.11 encryption required for the mechanism
    (523, "5.7.10", "523 5.7.10 Encryption Needed", None),
    (538, "5.7.11", "538 5.7.11 Encryption required for requested authentication mechanism", None),
]


@pytest.mark.parametrize(("code", "status", "text", "command"), WORDINGS)
def test_tls_wordings_are_failedstarttls(code, status, text, command):
    verdict = classify(code, status, text, command=command)
    assert (verdict.reason, verdict.bounce_type) == ("failedstarttls", "soft"), verdict.rule


# A reply to STARTTLS: generic words are a TLS failure; words that say more keep their own reason.
STARTTLS_REPLIES = [
    (554, "5.7.0", "554 5.7.0 Unable to initialize security subsystem", "failedstarttls"),
    (454, "4.3.0", "454 4.3.0 Try again later", "failedstarttls"),
    (502, "5.5.1", "502 5.5.1 Command not implemented", "failedstarttls"),
    (None, None, "", "failedstarttls"),
    (421, "4.7.0", "421 4.7.0 Too many connections", "toomanyconn"),
]


@pytest.mark.parametrize(("code", "status", "text", "reason"), STARTTLS_REPLIES)
def test_a_refusal_of_starttls(code, status, text, reason):
    verdict = classify(code, status, text, command="STARTTLS")
    assert verdict.reason == reason, verdict.rule


def test_the_text_naming_the_starttls_command_gives_it():
    # Sendmail's 'Local configuration error' is read before the TLS wordings; the command makes it a TLS failure.
    verdict = classify(451, "4.3.0", "451 4.3.0 Local configuration error (in reply to STARTTLS command)")
    assert verdict.reason == "failedstarttls", verdict.rule
    assert "refused at STARTTLS" in verdict.rule


def _rows(tmp_path: Path, message: str) -> list[dict]:
    path = tmp_path / "notice.eml"
    path.write_bytes(message.replace("\n", "\r\n").encode("utf-8"))
    return [row for row in explain([str(path)]) if row["event"] in ("bounce", "deferred")]


def sendmail(recipients: list[str], reply: str) -> str:
    listed = "".join(f"<{r}>\n    (reason: {reply})\n" for r in recipients)
    return (f"From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.net>\nTo: {SENDER}\n"
            "Subject: Returned mail: see transcript for details\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n"
            "Auto-Submitted: auto-generated (failure)\n\n"
            "The original message was received at Tue, 1 Dec 2026 08:59:00 GMT\n"
            "from localhost [127.0.0.1]\n\n"
            "   ----- The following addresses had permanent fatal errors -----\n"
            f"{listed}\n"
            "   ----- Transcript of session follows -----\n"
            "... while talking to mx.example.org.:\n"
            ">>> EHLO mail.example.net\n"
            "<<< 250-mx.example.org\n"
            "<<< 250 STARTTLS\n"
            ">>> STARTTLS\n"
            f"<<< {reply}\n\n"
            "   ----- Original message follows -----\n\n"
            f"From: {SENDER}\nTo: {recipients[0]}\nSubject: news\n\nhello\n")


def test_sendmail_transcript_refused_at_starttls_is_a_tls_failure_not_a_blocked_host(tmp_path):
    (row,) = _rows(tmp_path, sendmail(["u@example.org"], "554 5.7.0 Unable to initialize security subsystem"))
    assert (row["decoder"], row["recipient"], row["reason"], row["bounce_type"]) == (
        "sendmail", "u@example.org", "failedstarttls", "soft"), row["rule"]


def test_sendmail_refusal_of_starttls_fails_every_recipient_listed(tmp_path):
    rows = _rows(tmp_path, sendmail(["u@example.org", "v@example.org"],
                                    "454 4.3.3 TLS not available: error generating SSL handle"))
    assert [(row["recipient"], row["reason"]) for row in rows] == [
        ("u@example.org", "failedstarttls"), ("v@example.org", "failedstarttls")]
    assert all("454 4.3.3" in row["diagnostic"] for row in rows)


def test_exim_error_after_starttls(tmp_path):
    (row,) = _rows(tmp_path, exim("u@example.org", "host mx.example.org [192.0.2.1]\n"
                                  "SMTP error from remote mail server after STARTTLS:\n"
                                  "554 5.7.0 Unable to initialize security subsystem"))
    assert (row["decoder"], row["reason"], row["bounce_type"]) == ("exim", "failedstarttls", "soft"), row["rule"]
