"""Which SMTP command a notice says was refused: only what the notice names as the command.

Sisimai takes the command from the transcript or from the command named in the diagnostic
(lib/Sisimai/SMTP/Command.pm ``find``, lib/Sisimai/RFC3464.pm, lib/Sisimai/Lhost/Sendmail.pm:
the last command the transcript shows sent), never from the words of a refusal.
"""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import compat32
from pathlib import Path

import pytest

from bouncectl.sources.messages import base, reader
from bouncectl.usecases.explaining import explain

# (text, command found)
TEXTS = [
    # a transcript: the last command sent before the refusal
    (">>> RCPT TO:<u@example.org>\n<<< 550 5.1.1 <u@example.org>... User unknown", "RCPT"),
    (">>> MAIL FROM:<s@example.net>\n<<< 553 5.1.8 sender refused", "MAIL"),
    (">>> DATA\n<<< 554 5.7.1 message refused", "DATA"),
    # pipelined replies shown after DATA: still DATA, even where the reply names the recipient
    (">>> DATA\n<<< 550 5.1.1 <u@example.org>... User unknown", "DATA"),
    (">>> DATA\n<<< 550 5.0.0 <u@example.org>... User unknown\n<<< 503 5.0.0 Need RCPT (recipient)", "DATA"),
    # what the notice names as the command
    ("550 5.1.1 <u@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command)", "RCPT"),
    ("SMTP error from remote mail server after RCPT TO:<u@example.org>: 550 no such user", "RCPT"),
    ("192.0.2.1 does not like recipient.\nRemote host said: 550 no mailbox here by that name", "RCPT"),
    ("550-RCPT TO:<u@example.org> refused", "RCPT"),
    # the words of a refusal name no command
    ("550 5.7.1 <u@example.org>: Recipient address rejected: User unknown", None),
    ("Reason: Remote SMTP server has rejected address\n550 5.7.1 550 User Unknown: u@example.org", None),
]


@pytest.mark.parametrize(("text", "command"), TEXTS)
def test_the_refused_command_is_the_one_the_notice_names(text, command):
    assert base.command_in(text) == command


SENDMAIL = """\
Return-Path: <MAILER-DAEMON@mta.example.net>
Date: Mon, 02 Mar 2026 10:00:00 +0000
From: Mail Delivery Subsystem <MAILER-DAEMON@mta.example.net>
To: sender@example.net
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="S1"
Subject: Returned mail: see transcript for details

--S1

The original message was received at Mon, 02 Mar 2026 09:59:58 +0000

   ----- The following addresses had permanent fatal errors -----
<nobody@example.org>
    (reason: {reply})

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> DATA
<<< {reply}
550 5.1.1 <nobody@example.org>... User unknown
<<< 503 5.0.0 Need RCPT (recipient)

--S1
Content-Type: message/delivery-status

Reporting-MTA: dns; mta.example.net

Final-Recipient: RFC822; nobody@example.org
Action: failed
Status: {status}
Remote-MTA: DNS; mx.example.org
Diagnostic-Code: SMTP; {reply}

--S1--
"""

# (reply after DATA, Status field, reason)
SENDMAIL_CASES = [
    # a vague or policy status: "user unknown" refused after DATA is a filter's refusal
    ("550 5.0.0 <nobody@example.org>... User unknown", "5.0.0", "filtered"),
    ("550 5.7.1 <nobody@example.org>: Recipient address rejected: User unknown", "5.7.1", "filtered"),
    # an address status settles it whatever the command
    ("550 5.1.1 <nobody@example.org>... User unknown", "5.1.1", "userunknown"),
]


@pytest.mark.parametrize(("reply", "status", "reason"), SENDMAIL_CASES)
def test_a_refusal_after_data_is_read_as_refused_at_data(tmp_path: Path, reply, status, reason):
    text = SENDMAIL.format(reply=reply, status=status)
    msg = BytesParser(policy=compat32).parsebytes(text.encode())
    (finding,) = reader.analyse(msg).findings
    assert finding.recipient == "nobody@example.org"
    assert finding.command == "DATA"
    path = tmp_path / "sendmail.eml"
    path.write_text(text)
    (row,) = list(explain([str(path)]))
    assert row["reason"] == reason
