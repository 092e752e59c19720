"""Where a decoder's weak reason stands among the words and statuses, and the notices whose decoders
give one: a reason of the first group keeps its place in that group, one of the second group comes
before the second group's words, and "undefined" or "onhold" says nothing.

Every message here is written for these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bouncectl.bounces import classify
from bouncectl.usecases.explaining import explain

QUEUE = ("Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n"
         "I'm not going to try again; this message has been in the queue too long.")

CASES = [
    # A decoder's unknown user stands before the words of a reason weighed after it: without a status or
    # a command, "unknown user" alone is a filter's (soft), but not when the notice's own decoder said it.
    (None, None, "Unknown user: gone@example.com", {}, ("filtered", "soft")),
    (None, None, "Unknown user: gone@example.com", {"decoder_reason": "userunknown"}, ("userunknown", "hard")),
    (550, None, "550 unknown user (in reply to end of DATA command)", {"decoder_reason": "userunknown"},
     ("userunknown", "hard")),
    # ... but not before the words of a reason weighed before it (a full mailbox).
    (None, None, "Unknown user: gone@example.com; mailbox full", {"decoder_reason": "userunknown"},
     ("mailboxfull", "soft")),
    # A decoder's unknown domain gives way to an unknown user (weighed before it), in reply to RCPT TO.
    (550, "5.1.1", "550 5.1.1 user unknown", {"decoder_reason": "hostunknown", "command": "RCPT"},
     ("userunknown", "hard")),
    # A reason of the second group comes before that group's words ("in the queue too long" is expired) ...
    (None, "4.4.1", QUEUE, {}, ("expired", "soft")),
    (None, "4.4.1", QUEUE, {"decoder_reason": "networkerror"}, ("networkerror", "soft")),
    # ... and after the first group's words and statuses.
    (None, None, "connection failed; mailbox full", {"decoder_reason": "networkerror"}, ("mailboxfull", "soft")),
    (452, "4.2.2", "452 4.2.2 nothing more", {"decoder_reason": "networkerror"}, ("mailboxfull", "soft")),
    # "onhold" and "undefined" from a decoder say nothing: every word comes first.
    (None, "4.4.1", QUEUE, {"decoder_reason": "onhold"}, ("expired", "soft")),
    (None, None, "this message has been in the queue too long", {"decoder_reason": "undefined"},
     ("expired", "soft")),
    (550, None, "550 nothing more", {"decoder_reason": "onhold"}, ("onhold", "soft")),
    # A spam filter's words in reply to RCPT TO, skipped with the content lists there, still come before the
    # status's name when nothing else spoke; but after a decoder's reason, and not at MAIL FROM or at the
    # connection, where the class defaults stay.
    (550, "5.7.0", "550 5.7.0 Recipient address rejected: Spam detected", {"command": "RCPT"},
     ("spamdetected", "soft")),
    (550, "5.7.0", "550 5.7.0 Recipient address rejected: Spam detected",
     {"command": "RCPT", "decoder_reason": "networkerror"}, ("networkerror", "soft")),
    (550, "5.7.0", "550 5.7.0 Recipient address rejected: Spam detected",
     {"command": "RCPT", "decoder_reason": "onhold"}, ("spamdetected", "soft")),
    (550, None, "550 spam", {"command": "MAIL"}, ("rejected", "soft")),
    (554, None, "554 spam", {"command": "CONN"}, ("blocked", "soft")),
    # The filter lists are no second-group words: a filter in reply to RCPT TO is not read again.
    (550, "5.7.1", "550 5.7.1 message filtered", {"command": "RCPT"}, ("securityerror", "soft")),
]


@pytest.mark.parametrize(("code", "enhanced", "text", "hints", "expected"), CASES)
def test_the_place_of_a_weak_decoder_reason(code, enhanced, text, hints, expected):
    verdict = classify(code, enhanced, text, **hints)
    assert (verdict.reason, verdict.bounce_type) == expected, verdict.rule


def test_yahoos_words_without_a_code_or_status_are_weighed_as_any_no_such_user():
    text = "This user doesn't have a example.com account (gone@example.com) [0]"
    assert classify(None, None, text).reason == "filtered"
    yahoo = "554 delivery error: dd This user doesn't have a yahoo.com account (gone@yahoo.com) [0] - mta1"
    assert (classify(554, "5.0.0", yahoo).reason, classify(554, "5.0.0", yahoo).bounce_type) == ("userunknown", "hard")


# -- the notices ---------------------------------------------------------------------------------------


def rows(path: Path) -> list[tuple]:
    return [(r["recipient"], r["event"], r["reason"], r["bounce_type"], r["smtp_code"], r["diagnostic"], r["decoder"])
            for r in explain([str(path)])]


def _qmail(entry: str) -> str:
    return (
        "Received: (qmail 4021 invoked for bounce); 01 Dec 2026 10:00:00 -0000\n"
        "From: MAILER-DAEMON@mail.example.net\n"
        "To: sender@example.org\n"
        "Subject: failure notice\n"
        "\n"
        "Hi. This is the qmail-send program at mail.example.net.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\n"
        "\n"
        f"{entry}\n"
        "\n"
        "--- Below this line is a copy of the message.\n"
    )


def test_qmail_names_the_failure_its_queue_gave_up_on(tmp_path):
    path = tmp_path / "qmail.eml"
    path.write_text(_qmail(f"<far@example.com>:\n{QUEUE}"))
    ((recipient, event, reason, kind, *_), ) = rows(path)
    assert (recipient, event, reason, kind) == ("far@example.com", "bounce", "networkerror", "soft")


def test_qmails_queue_lifetime_is_no_reason_of_its_own_when_the_failure_before_it_names_one(tmp_path):
    path = tmp_path / "qmail.eml"
    path.write_text(_qmail("<far@example.com>:\nUnable to contact LDAP server. (#4.4.3)I'm not going to try again; "
                           "this message has been in the queue too long."))
    assert [row[2:4] for row in rows(path)] == [("systemerror", "soft")]
    # With nothing before it, the queue's lifetime is the reason.
    path.write_text(_qmail("<far@example.com>:\nI'm not going to try again; this message has been in the queue too "
                           "long."))
    assert [row[2:4] for row in rows(path)] == [("expired", "soft")]


@pytest.mark.parametrize(("reply", "expected"), [
    ("550 5.1.1 sorry, mailbox gone", ("userunknown", "hard")),
    ("550 5.0.0 sorry, rejected", ("userunknown", "hard")),
    # The sender's status, given in reply to RCPT TO by a server that checks the sender there.
    ("553 5.1.8 <sender@example.org>: Sender address rejected: Domain not found", ("rejected", "soft")),
    ("550 5.7.1 sorry, rejected", ("securityerror", "soft")),
])
def test_qmails_refused_recipient_is_the_address_unless_the_status_says_otherwise(tmp_path, reply, expected):
    path = tmp_path / "qmail.eml"
    path.write_text(_qmail(f"<far@example.com>:\n192.0.2.9 does not like recipient.\nRemote host said: {reply}\n"
                           "Giving up on 192.0.2.9."))
    assert [row[2:4] for row in rows(path)] == [expected]


def test_gmail_that_gave_up_on_a_server_refusing_connections_says_it_expired(tmp_path):
    path = tmp_path / "gmail.eml"
    path.write_text(
        "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
        "To: sender@example.org\n"
        "Subject: Delivery Status Notification (Failure)\n"
        "\n"
        "Delivery to the following recipient failed permanently:\n"
        "\n"
        "     far@example.com\n"
        "\n"
        "Technical details of permanent failure:\n"
        "The recipient server did not accept our requests to connect. Learn more at\n"
        "https://support.google.com/mail/answer/7720 [mx.example.com. 192.0.2.9: timed out]\n"
    )
    ((recipient, event, reason, kind, *_, decoder), ) = rows(path)
    assert (recipient, event, reason, kind, decoder) == ("far@example.com", "bounce", "expired", "soft", "gmail")


def test_zohos_delay_warning_gives_the_bracketed_recipient_without_the_copied_headers(tmp_path):
    path = tmp_path / "zoho.eml"
    path.write_text(
        "From: mailer-daemon@mail.zoho.com\n"
        "To: sender@zoho.example.com\n"
        "Subject: Mail Delivery Status Notification (Delay)\n"
        "X-ZohoMail: Si CHF_MF_NL SS_10\n"
        "\n"
        "This message was created automatically by mail delivery system.\n"
        "\n"
        "THIS IS A WARNING MESSAGE ONLY.\n"
        "\n"
        "YOU DO NOT NEED TO RESEND YOUR MESSAGE.\n"
        "\n"
        "----- The following addresses had fatal errors ----- \n"
        "[Status: Error, Address: <slow@example.com>, ResponseCode 421, , Host not reachable.]\n"
        "\n"
        "Message will be retried for 4 more day(s)\n"
        "\n"
        "----- Transcript of session follows ----- \n"
        "\n"
        "Received:from mail.zoho.com by mx.zohomail.com\n"
        "Subject:November news\n"
    )
    assert rows(path) == [("slow@example.com", "deferred", "expired", "soft", 421, "Host not reachable.", "zoho")]


def _sendmail(remote: str) -> str:
    return (
        "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>\n"
        "To: sender@example.org\n"
        "Subject: Returned mail: see transcript for details\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n'
        "\n"
        "--B\n"
        "\n"
        "   ----- The following addresses had permanent fatal errors -----\n"
        "<gone@example.com>\n"
        "    (reason: 550 5.0.0 <gone@example.com>... User unknown)\n"
        "\n"
        "--B\n"
        "Content-Type: message/delivery-status\n"
        "\n"
        "Reporting-MTA: dns; relay.example.net\n"
        "\n"
        "Final-Recipient: RFC822; gone@example.com\n"
        "Action: failed\n"
        "Status: 5.0.0\n"
        f"{remote}"
        "Diagnostic-Code: SMTP; 550 5.0.0 <gone@example.com>... User unknown\n"
        "\n"
        "--B--\n"
    )


def test_sendmails_user_unknown_is_its_local_mailers_only_without_a_remote_server(tmp_path):
    local = tmp_path / "local.eml"
    local.write_text(_sendmail(""))
    assert [row[2:4] for row in rows(local)] == [("userunknown", "hard")]
    # Another Sendmail's reply to DATA in the same words: a filter's refusal, weighed by the refused command.
    remote = tmp_path / "remote.eml"
    remote.write_text(_sendmail("Remote-MTA: DNS; mx.example.com\n").replace(
        "    (reason: 550 5.0.0 <gone@example.com>... User unknown)\n",
        "    (reason: 550 5.0.0 <gone@example.com>... User unknown)\n\n"
        "   ----- Transcript of session follows -----\n"
        "... while talking to mx.example.com.:\n"
        ">>> DATA\n"
        "<<< 550 5.0.0 <gone@example.com>... User unknown\n"))
    assert [row[2:4] for row in rows(remote)] == [("filtered", "soft")]


def test_imails_own_unknown_user_line_is_hard(tmp_path):
    path = tmp_path / "imail.eml"
    path.write_text(
        "From: postmaster@mail.example.net\n"
        "To: sender@example.org\n"
        "Subject: Undeliverable Mail\n"
        "X-Mailer: <SMTP32 v8.22>\n"
        "\n"
        "Unknown user: gone@example.com\n"
        "\n"
        "Original message follows.\n"
    )
    assert [row[:4] for row in rows(path)] == [("gone@example.com", "bounce", "userunknown", "hard")]


def test_zohos_returned_message_is_a_bounce_whatever_the_last_reply_and_host_not_reachable_an_expiry(tmp_path):
    path = tmp_path / "zoho.eml"
    path.write_text(
        "From: mailer-daemon@mail.zoho.com\n"
        "To: sender@zoho.example.com\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "X-ZohoMail: Si CHF_MF_NL SS_10\n"
        "\n"
        "This message was created automatically by mail delivery software.\n"
        "A message that you sent could not be delivered to one or more of its recipients. This is a permanent "
        "error.\n"
        "\n"
        "slow@example.com Error, ERROR_CODE :421, ERROR_CODE :, Host not reachable.\n"
    )
    assert [row[:4] for row in rows(path)] == [("slow@example.com", "bounce", "expired", "soft")]
