"""Local delivery agents (maildrop, procmail, mail.local, Dovecot's LDA, vpopmail, vmailmgr): their own
error line, carried in the MTA's notice, says why the delivery failed, over the MTA's bare "the delivery
program failed" and over the agent's bare name.

The notices are short synthetic ones in the layout of the MTA that hands the message over (Postfix's
local(8)/pipe(8) "Command died with status N: "AGENT". Command output: ..." and Sendmail's DSN with an
X-Unix Diagnostic-Code); the agents' lines are the messages each agent writes.
"""

from __future__ import annotations

import textwrap
from email import message_from_bytes
from pathlib import Path

import pytest

from bouncectl.sources.messages import reader
from bouncectl.usecases.explaining import explain

SENDER = "news@example.net"


def _row(tmp_path: Path, message: str) -> dict:
    path = tmp_path / "notice.eml"
    path.write_bytes(message.replace("\n", "\r\n").encode("utf-8"))
    rows = [row for row in explain([str(path)]) if row["event"] in ("bounce", "deferred")]
    assert len(rows) == 1, rows
    return rows[0]


def _findings(message: str) -> list:
    return reader.analyse(message_from_bytes(message.replace("\n", "\r\n").encode("utf-8"))).findings


def postfix(recipient: str, text: str) -> str:
    """Postfix bounce(8)'s notice of one recipient."""
    entry = "\n    ".join(textwrap.wrap(f"<{recipient}>: {text}", 76, break_long_words=False, break_on_hyphens=False))
    return (f"From: MAILER-DAEMON@mail.example.net (Mail Delivery System)\nTo: {SENDER}\n"
            "Subject: Undelivered Mail Returned to Sender\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n"
            "Auto-Submitted: auto-replied\n\n"
            "This is the mail system at host mail.example.net.\n\n"
            "I'm sorry to have to inform you that your message could not\n"
            "be delivered to one or more recipients. It's attached below.\n\n"
            "                   The mail system\n\n"
            f"{entry}\n")


def sendmail(recipient: str, status: str, diagnostic: str) -> str:
    """Sendmail's DSN of a local delivery, its Diagnostic-Code of type X-Unix."""
    boundary = "B0UNDARY.1764579600/mail.example.net"
    return (f"From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.net>\nTo: <{SENDER}>\n"
            "Subject: Returned mail: see transcript for details\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n"
            "MIME-Version: 1.0\n"
            f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\n\n'
            f"--{boundary}\nContent-Type: text/plain\n\n"
            "   ----- The following addresses had permanent fatal errors -----\n"
            f"<{recipient}>\n    (reason: {status})\n\n"
            f"--{boundary}\nContent-Type: message/delivery-status\n\n"
            "Reporting-MTA: dns; mail.example.net\n\n"
            f"Final-Recipient: RFC822; {recipient}\nAction: failed\nStatus: {status}\n"
            f"Diagnostic-Code: X-Unix; {diagnostic}\n\n"
            f"--{boundary}--\n")


# Postfix's local(8): the agent's exit status (sys_exits.c: 77 EX_NOPERM is 5.7.0, 67 EX_NOUSER 5.1.1,
# 75 EX_TEMPFAIL 4.3.0) and its output.
STRONG = [
    ('Command died with status 77: "/usr/bin/maildrop". Command output: maildrop: maildir over quota.',
     "mailboxfull"),
    ('temporary failure. Command output: maildrop: maildir over quota.', "mailboxfull"),
    (('Command died with status 75: "procmail". Command output: procmail: Quota exceeded while writing '
     '"/var/mail/user"'), "mailboxfull"),
    (('Command died with status 75: "procmail". Command output: procmail: No space left to finish writing '
     '"/var/mail/user"'), "systemfull"),
    (('Command died with status 77: "/usr/local/bin/vdelivermail". Command output: vdelivermail: user is over '
     'quota'), "mailboxfull"),
    (('Command died with status 100: "/usr/local/bin/vdelivermail". Command output: vdelivermail: account is '
     'locked email bounced'), "suspend"),
    (('Command died with status 100: "vdeliver". Command output: vdeliver: Delivery failed due to system quota '
     'violation'), "mailboxfull"),
    ('Command died with status 75: "mail.local". Command output: mail.local: Disc quota exceeded',
     "mailboxfull"),
]


@pytest.mark.parametrize(("text", "reason"), STRONG)
def test_an_agents_own_line_in_postfix_command_output_states_the_reason(tmp_path: Path, text: str, reason: str):
    row = _row(tmp_path, postfix("user@example.org", text))
    assert row["reason"] == reason, row["rule"]
    assert row["bounce_type"] == "soft"
    assert "LDA.pm" in row["rule"]


@pytest.mark.parametrize(("diagnostic", "status", "reason"), [
    ('procmail: Quota exceeded while writing "/var/mail/user"', "4.3.0", "mailboxfull"),
    ("maildrop: maildir over quota.", "5.7.0", "mailboxfull"),
    ("mail.local: Disc quota exceeded", "5.3.0", "mailboxfull"),
    ('procmail: No space left to finish writing "/var/mail/user"', "4.3.0", "systemfull"),
])
def test_an_agents_own_line_in_an_x_unix_diagnostic_states_the_reason(tmp_path: Path, diagnostic: str,
                                                                      status: str, reason: str):
    row = _row(tmp_path, sendmail("user@example.org", status, diagnostic))
    assert row["reason"] == reason, row["rule"]


@pytest.mark.parametrize("text", [
    'Command died with status 77: "/usr/bin/maildrop". Command output: maildrop: Invalid user specified.',
    'Command died with status 67: "/usr/bin/maildrop". Command output: maildrop: Cannot find system user',
    'Command died with status 1: "vdeliver". Command output: vdeliver: Invalid or unknown virtual user',
])
def test_an_agents_unknown_user_is_read_as_the_decoders_reason(text: str):
    findings = _findings(postfix("user@example.org", text))
    assert [f.decoder_reason for f in findings] == ["userunknown"]
    assert "LDA.pm" in (findings[0].reason_origin or "")


def test_an_agent_failing_with_words_of_its_own_table_absent_stays_a_mailer_error(tmp_path: Path):
    row = _row(tmp_path, postfix("user@example.org", 'Command died with status 127: "/usr/bin/maildrop". '
                                 "Command output: maildrop: signal 0x09"))
    assert row["reason"] == "mailererror"


def test_a_remote_refusal_quoting_an_agents_name_is_not_read_as_the_agents():
    # A reply to RCPT TO is the remote server's: the agent never had the message.
    text = ("host mx.example.org[192.0.2.1] said: 452 4.2.2 <user@example.org>: maildrop: maildir over quota. "
            "(in reply to RCPT TO command)")
    findings = _findings(postfix("user@example.org", text))
    assert [f.command for f in findings] == ["RCPT"]
    assert "LDA.pm" not in (findings[0].reason_origin or "")
