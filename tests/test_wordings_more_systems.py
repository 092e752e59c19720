"""More mail systems' own notices and wordings, written from their sources: hMailServer, chasquid and
Citadel (each writes a notice layout of its own), and the refusal texts of delivery agents, stores,
MTAs and filters (Dovecot, Cyrus IMAP, Zimbra, Haraka, maddy, chasquid, Stalwart, qmail, amavisd-new).

The notices are short synthetic ones in the layout each system's source prints; the error texts are
those the sources give (the origin of each rule names the file), not corpus samples.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bouncectl.bounces import classify
from bouncectl.usecases.explaining import explain

SENDER = "news@example.net"


def _rows(tmp_path: Path, message: str) -> list[dict]:
    path = tmp_path / "notice.eml"
    path.write_bytes(message.replace("\n", "\r\n").encode("utf-8"))
    return [row for row in explain([str(path)]) if row["event"] in ("bounce", "deferred")]


def _row(tmp_path: Path, message: str) -> dict:
    rows = _rows(tmp_path, message)
    assert len(rows) == 1, rows
    return rows[0]


# --- hMailServer: SEND_FAILED_NOTIFICATION, each address alone then its indented error lines ----------

def hmailserver(entries: str, *, retried: bool = False) -> str:
    tried = "Tried 3 time(s)\n\n" if retried else ""
    return (f"From: MAILER-DAEMON@mail.example.net\nTo: {SENDER}\nSubject: Message undeliverable: news\n"
            "Date: Tue, 01 Dec 2026 09:00:00 +0000\n\n"
            "Your message did not reach some or all of the intended recipients.\n\n"
            "   Sent: Tue, 01 Dec 2026 08:59:00 +0000\n   Subject: news\n\n"
            "The following recipient(s) could not be reached:\n\n"
            f"{entries}\n{tried}\nhMailServer\n")


def remote(address: str, sent: str, reply: str) -> str:
    # SMTPClientConnection.cpp: the command hMailServer sent and the reply it got
    return (f"{address}\n   Error Type: SMTP\n   Remote server (192.0.2.1) issued an error.\n"
            f"   hMailServer sent: {sent}\n   Remote server replied: {reply}\n")


HMAILSERVER = [
    (remote("u@example.org", "RCPT TO:<u@example.org>", "550 5.1.1 <u@example.org>: Recipient address rejected: "
            "User unknown"), "RCPT", "userunknown", "hard"),
    # no status: the command hMailServer names is what makes "Unknown user" the recipient's
    (remote("u@example.org", "RCPT TO:<u@example.org>", "550 Unknown user"), "RCPT", "userunknown", "hard"),
    (remote("u@example.org", "MAIL FROM:<news@example.net>", "553 5.1.8 Sender address rejected: Domain not found"),
     "MAIL", "rejected", "soft"),
    (remote("u@example.org", "DATA", "552 5.3.4 Message size exceeds fixed limit"), "DATA", "mesgtoobig", "soft"),
    # ExternalDelivery.cpp: its own texts when no server could be reached
    (("u@example.org\n   Error Type: SMTP\n   Error Description: No mail servers appear to exists for the "
      "recipient's address.\n   Additional information: Please check that you have not misspelled the "
      "recipient's email address.\n"), None, "hostunknown", "hard"),
    (("u@example.org\n   Error Type: SMTP\n   Error Description: Unable to find the recipient's email server. The "
     "DNS query has failed.\n"), None, "networkerror", "soft"),
    ("u@example.org\n   Error Type: SMTP\n   Connection to recipients server failed.\n   Error: 10060\n", None,
     "networkerror", "soft"),
    ("u@example.org\nRemote server closed connection.\n", None, "networkerror", "soft"),
]


@pytest.mark.parametrize(("entry", "command", "reason", "kind"), HMAILSERVER)
def test_hmailserver(tmp_path, entry, command, reason, kind):
    row = _row(tmp_path, hmailserver(entry))
    assert (row["decoder"], row["recipient"]) == ("hmailserver", "u@example.org")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]
    assert "hMailServer sent" not in (row["diagnostic"] or "")  # the reply alone, not the notice's labels
    if command == "RCPT":
        assert row["diagnostic"].startswith("550"), row


def test_hmailserver_each_recipient_its_own_error(tmp_path):
    entries = (remote("a@example.org", "RCPT TO:<a@example.org>", "550 5.1.1 User unknown") + "\n"
               + remote("b@example.org", "RCPT TO:<b@example.org>", "452 4.2.2 Mailbox full"))
    rows = {row["recipient"]: row for row in _rows(tmp_path, hmailserver(entries, retried=True))}
    assert set(rows) == {"a@example.org", "b@example.org"}
    assert {key: row["reason"] for key, row in rows.items()} == {"a@example.org": "userunknown",
                                                                 "b@example.org": "mailboxfull"}
    assert all(row["decoder"] == "hmailserver" for row in rows.values())


def test_an_exchange_notice_with_the_same_headline_is_not_hmailservers(tmp_path):
    # Exchange 5.5/2000 also writes "The following recipient(s) could not be reached:", with its MSEXCH lines and
    # no "hMailServer sent:" nor a closing "hMailServer" line
    message = ("From: System Administrator <postmaster@corp.example.com>\n"
               f"To: {SENDER}\nSubject: Undeliverable: news\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n\n"
               "Your message did not reach some or all of the intended recipients.\n\n"
               "      Subject:\tnews\n      Sent:\t12/1/2026 8:59 AM\n\n"
               "The following recipient(s) could not be reached:\n\n"
               "      u@corp.example.com on 12/1/2026 9:00 AM\n"
               "            The recipient name is not recognized\n"
               "            MSEXCH:IMS:Corp:Site:EX01 0 (000C05A6) Unknown Recipient\n")
    row = _row(tmp_path, message)
    assert row["decoder"] != "hmailserver"
    assert (row["recipient"], row["reason"]) == ("u@corp.example.com", "userunknown")


# --- chasquid: queue/dsn.go, '- "ADDRESS" (TYPE) failed ... with error:' and the error indented --------

def chasquid(address: str, how: str, error: str) -> str:
    return ("From: Mail Delivery System <postmaster-dsn@mail.example.net>\n"
            f"To: <{SENDER}>\nSubject: Mail delivery failed: returning message to sender\n"
            "Message-ID: <chasquid-dsn-abc@mail.example.net>\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n"
            f"X-Failed-Recipients: {address}, \nAuto-Submitted: auto-replied\n\n"
            f"Delivery to the following recipient(s) failed permanently:\n\n  - {address}\n\n\n"
            "----- Technical details -----\n\n"
            f'- "{address}" (EMAIL) {how}\n    {error}\n\n\n'
            f"----- Original message -----\n\nFrom: {SENDER}\nTo: {address}\nSubject: news\n\nhello\n")


PERMANENT = "failed permanently with error:"
RETRIED = "failed repeatedly and timed out, last error:"

CHASQUID = [
    (PERMANENT, ("MAIL+RCPT 550 5.1.1 <u@example.org>: Recipient address rejected: User unknown in local recipient "
     "table"), "userunknown", "hard"),
    (PERMANENT, "DATA 554 5.7.1 Message rejected as spam", "spamdetected", "soft"),
    # courier/smtp.go: its own texts
    (PERMANENT, "Could not find mail server: lookup example.org on 127.0.0.53:53: no such host", "hostunknown",
     "hard"),
    # given up after its retries: an expiry, unless the last error says more
    (RETRIED, "Could not dial: dial tcp 192.0.2.1:25: i/o timeout", "expired", "soft"),
    (RETRIED, "MAIL+RCPT 452 4.2.2 <u@example.org>: Mailbox full", "mailboxfull", "soft"),
]


@pytest.mark.parametrize(("how", "error", "reason", "kind"), CHASQUID)
def test_chasquid(tmp_path, how, error, reason, kind):
    row = _row(tmp_path, chasquid("u@example.org", how, error))
    assert (row["decoder"], row["recipient"]) == ("chasquid", "u@example.org")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]
    assert "MAIL+RCPT" not in (row["diagnostic"] or "")


# --- Citadel: serv_smtpclient.c's smtp_do_bounce, one "ADDRESS: TEXT" line per recipient ---------------

def citadel(line: str, *, gave_up: bool = False) -> str:
    head = ("A message you sent could not be delivered to some or all of its recipients\n"
            "due to prolonged unavailability of its destination(s).\nGiving up on the following addresses:\n\n"
            if gave_up else
            "A message you sent could not be delivered to some or all of its recipients.\n"
            "The following addresses were undeliverable:\n\n")
    return ("From: Citadel <room_aide@mail.example.net>\n"
            f"To: {SENDER}\nSubject: Delivery Status Notification (Failure)\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n"
            'Content-type: multipart/mixed; boundary="=_Citadel_Multipart_x"\nMIME-Version: 1.0\nX-Mailer: Citadel\n\n'
            "This is a multipart message in MIME format.\n\n--=_Citadel_Multipart_x\nContent-type: text/plain\n\n"
            f"{head}{line}\n--=_Citadel_Multipart_x\nContent-type: message/rfc822\n\n"
            f"From: {SENDER}\nTo: u@example.org\nSubject: news\n\nhello\n--=_Citadel_Multipart_x--\n")


CITADEL = [
    # the remote reply without its reply code
    ("u@example.org: 5.1.1 <u@example.org>: Recipient address rejected: User unknown", False, "userunknown", "hard"),
    ("u@example.org: 5.2.2 <u@example.org>: Mailbox full", False, "mailboxfull", "soft"),
    # its own texts
    ("u@example.org: No MX hosts found for <example.org>", False, "hostunknown", "hard"),
    ("u@example.org: Connection broken during SMTP RCPT", False, "networkerror", "soft"),
    # given up after retrying: an expiry, unless the last reply says more
    ("u@example.org: 4.7.0 Try again later, closing connection.", True, "expired", "soft"),
]


@pytest.mark.parametrize(("line", "gave_up", "reason", "kind"), CITADEL)
def test_citadel(tmp_path, line, gave_up, reason, kind):
    row = _row(tmp_path, citadel(line, gave_up=gave_up))
    assert (row["decoder"], row["recipient"]) == ("citadel", "u@example.org")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]


def test_citadel_each_recipient_its_own_line(tmp_path):
    lines = ("a@example.org: 5.1.1 <a@example.org>: Recipient address rejected: User unknown\n"
             "b@example.org: 5.2.2 <b@example.org>: Mailbox full")
    rows = {row["recipient"]: row["reason"] for row in _rows(tmp_path, citadel(lines))}
    assert rows == {"a@example.org": "userunknown", "b@example.org": "mailboxfull"}


# --- Haraka: outbound.bounce_message, "Intended Recipients:" then one "Failure Reason:" for them all -------

def haraka(recipients: str, reason: str) -> str:
    return ("Received: (Haraka 1234 invoked for bounce); Tue, 01 Dec 2026 09:00:00 +0000\n"
            f"From: MAILER-DAEMON@mail.example.net\nTo: {SENDER}\nSubject: failure notice\n"
            "Date: Tue, 01 Dec 2026 09:00:00 +0000\n\n"
            "Hi. This is the Haraka Mailer program at mail.example.net.\n"
            "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
            "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
            f"Intended Recipients: {recipients}\nFailure Reason: {reason}\n\n"
            "--- Below this line is a copy of the message.\n\n"
            f"From: {SENDER}\nTo: u@example.org\nSubject: news\n\nhello\n")


def test_haraka_gives_every_intended_recipient_the_failure_reason(tmp_path):
    message = haraka("a@example.org, b@example.org", "550 5.1.1 Recipient address rejected: User unknown")
    rows = _rows(tmp_path, message)
    assert [(row["recipient"], row["decoder"], row["reason"]) for row in rows] == [
        ("a@example.org", "haraka", "userunknown"), ("b@example.org", "haraka", "userunknown")]
    assert all(row["diagnostic"].startswith("550 5.1.1") for row in rows)


# --- SmarterMail: "Could not deliver message to the following recipient(s):", "Failed Recipient:", "Reason:" ----

def smartermail(reason: str) -> str:
    # the layout hosting providers' knowledge bases show for SmarterMail's delivery failure notice
    return ("From: System Administrator <postmaster@mail.example.net>\n"
            f"To: {SENDER}\nSubject: Undeliverable Mail\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n\n"
            "Could not deliver message to the following recipient(s):\n\n"
            f"Failed Recipient: u@example.org\nReason: {reason}\n\n"
            f"From: {SENDER}\nTo: u@example.org\nSubject: news\n\nhello\n")


SMARTERMAIL = [
    ("Remote host said: 550 5.1.1 <u@example.org>: Recipient address rejected: User unknown", "userunknown", "hard"),
    ("Remote host said: 552 5.2.2 Mailbox quota exceeded", "mailboxfull", "soft"),
    ("The mailbox is full", "mailboxfull", "soft"),
    ("The domain size limit has been exceeded", "mailboxfull", "soft"),
    ("Failed four attempts to connect to recipients mail server", "expired", "soft"),
]


@pytest.mark.parametrize(("reason_text", "reason", "kind"), SMARTERMAIL)
def test_smartermail(tmp_path, reason_text, reason, kind):
    row = _row(tmp_path, smartermail(reason_text))
    assert (row["decoder"], row["recipient"]) == ("smartermail", "u@example.org")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]
    assert "From:" not in (row["diagnostic"] or "")  # the returned message is not the reason


# --- reply texts: (reply code, status, text, refused command) -> reason, hard or soft -------------------

WORDINGS = [
    # Dovecot: src/plugins/quota/quota.c (the message count quota, the maximum mail size)
    (552, None, "552 <u@example.org> Too many messages in the mailbox", "DATA", "mailboxfull", "soft"),
    (552, None, "552 <u@example.org> Mail size is larger than the maximum size allowed by server configuration",
     "DATA", "mesgtoobig", "soft"),
    # Exim's lmtp transport wraps the store's reply ("LMTP error after COMMAND: REPLY"): the reply decides
    (550, "5.1.1", ("LMTP error after RCPT TO:<u@example.org>: 550 5.1.1 <u@example.org> User doesn't exist: "
     "u@example.org"), "RCPT", "userunknown", "hard"),
    (550, None, "LMTP error after RCPT TO:<u@example.org>: 550 User unknown", "RCPT", "userunknown", "hard"),
    (451, "4.3.0", "LMTP error after end of data: 451 4.3.0 <u@example.org> Temporary internal error", "DATA",
     "systemerror", "soft"),
    # Dovecot's LMTP proxy and SMTP client (lmtp-proxy.c, smtp-client-transaction.c)
    (451, None, "451 Remote server not answering (connection lost)", None, "networkerror", "soft"),
    # Cyrus IMAP lmtpd
    (451, "4.2.0", "451 4.2.0 Mailbox has an invalid format", None, "systemerror", "soft"),
    (554, "5.6.0", "554 5.6.0 Message contains bare newlines", "DATA", "notcompliantrfc", "soft"),
    (554, "5.6.0", "554 5.6.0 Message contains invalid header", "DATA", "notcompliantrfc", "soft"),
    (554, "5.6.0", "554 5.6.0 Message has no header/body separator", "DATA", "notcompliantrfc", "soft"),
    # hMailServer: SMTPConnection.cpp, RecipientParser.cpp
    (550, None, "550 Delivery is not allowed to this address.", "RCPT", "norelaying", "soft"),
    (550, None, "550 Domain has been disabled.", "RCPT", "suspend", "soft"),
    (550, None, "550 Alias is not active.", "RCPT", "suspend", "soft"),
    (550, None, "550 Distribution list is not active.", "RCPT", "suspend", "soft"),
    (550, None, "550 Recipient not in route list.", "RCPT", "userunknown", "hard"),
    # hMailServer's anti-spam tests (AntiSpam/SpamTestMXRecords.cpp): the sender's domain
    (550, None, "550 Sender domain does not have any MX records.", "RCPT", "rejected", "soft"),
    # Haraka: connection.js, plugins/data.headers.js, plugins/limit.js
    (550, None, "550 I cannot deliver mail for <u@example.org>", "RCPT", "norelaying", "soft"),
    (554, None, "554 Only one Subject header allowed. See RFC 5322, Section 3.6", "DATA", "notcompliantrfc", "soft"),
    (554, None, "554 Required header 'Date' missing", "DATA", "notcompliantrfc", "soft"),
    (554, None, "554 The Date header is too far in the future", "DATA", "notcompliantrfc", "soft"),
    (554, None, "554 The Date header is too old", "DATA", "notcompliantrfc", "soft"),
    (554, None, "554 Too many unrecognized commands", "CONN", "syntaxerror", "soft"),
    (550, None, "550 HELO is dynamic", None, "blocked", "soft"),  # helo.checks.js
    (550, None, "550 HELO IP literal does not match your IP address", None, "blocked", "soft"),
    (550, None, "550 You are not who you say you are", None, "blocked", "soft"),
    (550, None, "550 Sorry, no FCrDNS match found", "CONN", "requireptr", "soft"),  # connect.fcrdns.js
    (550, None, "550 No MX for your FROM address", None, "rejected", "soft"),  # mail_from.is_resolvable.js
    (451, None, "451 Temp. resolver error (ESERVFAIL)", None, "networkerror", "soft"),
    # chasquid: internal/smtpsrv/conn.go
    (521, "5.5.2", "521 5.5.2 Error reading DATA: invalid line ending", "DATA", "notcompliantrfc", "soft"),
    # maddy: internal/check/dns, internal/check/authorize_sender
    (550, "5.7.0", "550 5.7.0 IP in EHLO is not the same as the actual client IP", "MAIL", "blocked", "soft"),
    (553, "5.7.0", "553 5.7.0 Unauthorized use of sender address", "MAIL", "rejected", "soft"),
    (550, "5.7.0", "550 5.7.0 Multiple From addresses are not allowed", "DATA", "notcompliantrfc", "soft"),
    (550, "5.7.0", "550 5.7.0 Missing From header", "DATA", "notcompliantrfc", "soft"),
    # Zimbra: lmtpserver/LmtpReply.java
    (500, None, "500 Maximum line length exceeded", "DATA", "notcompliantrfc", "soft"),
    (450, "4.2.0", "450 4.2.0 Mailbox is not on this server", "RCPT", "systemerror", "soft"),
    (451, "4.0.0", "451 4.0.0 Temporary message delivery failure try again", "DATA", "systemerror", "soft"),
    # Stalwart: crates/smtp/src/queue/dsn.rs
    (None, "4.0.0", "<u@example.org> (queue error: failed to write the message)", None, "systemerror", "soft"),
    # qmail: qmail-local.c, qmail.c; IndiMail's qmail.c
    (None, "4.2.1", "Unable to chdir to maildir. (#4.2.1)", None, "systemerror", "soft"),
    (None, "4.7.0", "Uh-oh: home directory is writable. (#4.7.0)", None, "systemerror", "soft"),
    (554, None, "554 mail server permanently rejected message (#5.3.0)", "DATA", "systemerror", "soft"),
    (554, "5.7.1", "554 Message contains banned attachment (#5.7.1)", "DATA", "policyviolation", "soft"),
    # Apache James: RemoteDelivery's own texts
    (None, None, ("There are no DNS entries for the hostname example.org.  I cannot determine where to send this "
     "message."), None, "hostunknown", "hard"),
    (None, None, ("Temporary problem looking up mail server for host: example.org.  I cannot determine where to send "
     "this message."), None, "networkerror", "soft"),
    # Dovecot: the MDN a Sieve reject sends (lib-lda/mail-send.c): the recipient's own filter
    (None, None, ("Your message to <u@example.org> was automatically rejected: I do not accept messages from this "
     "sender"), None, "filtered", "soft"),
    # Sendmail: mail.local.c (a local delivery's own texts)
    (None, None, "mail.local: u: User database failure; retry later", None, "systemerror", "soft"),
    (550, "5.2.0", "550 5.2.0 /var/mail/u: wrong ownership (1001)", None, "systemerror", "soft"),
    # postfix-policyd-spf-perl's explanation, Postfix's reject_multi_recipient_bounce
    (550, "5.7.1", ("550 5.7.1 <u@example.org>: Recipient address rejected: Please see "
                    "http://www.openspf.net/Why?s=mfrom;id=news@example.net;ip=192.0.2.1;r=mx.example.org"), "RCPT",
     "authfailure", "soft"),
    (550, "5.5.0", "550 5.5.0 <>: Data command rejected: Multi-recipient bounce", "DATA", "rejected", "soft"),
    # iRedAPD's policy replies, as Postfix gives them (libs/__init__.py SMTP_ACTIONS)
    (554, "5.7.1", "554 5.7.1 <u@example.org>: Recipient address rejected: Policy rejection", "RCPT",
     "policyviolation", "soft"),
    (554, "5.7.1", "554 5.7.1 <>: Sender address rejected: Policy rejection due to null sender", "RCPT", "rejected",
     "soft"),
    (554, "5.7.1", ("554 5.7.1 <u@example.org>: Recipient address rejected: Message size exceed (maybe caused by big "
                    "attachment file)"), "RCPT", "mesgtoobig", "soft"),
    # amavisd-new: %smtp_reason_by_ccat
    (554, None, "554 Reject, id=12345-01 - Message size exceeds recipient's size limit", "DATA", "exceedlimit",
     "soft"),
    (550, None, "550 5.3.5 Reject, id=12345-01 - Rejected by next-hop MTA on relaying", "DATA", "systemerror",
     "soft"),
    # ... whose own texts come before the relaying list's words
    (550, None, "550 5.3.5 Reject, id=12345-01 - Unable to relay message back to MTA", "DATA", "systemerror", "soft"),
    # ... and after the next hop's reply that amavisd-new adds to them
    (550, "5.1.1", ("550 5.1.1 Rejected by next-hop MTA on relaying, from MTA(smtp:[127.0.0.1]:10025): 550 5.1.1 "
                    "<u@example.org>: Recipient address rejected: User unknown in local recipient table"), "RCPT",
     "userunknown", "hard"),
]


# Mailbox providers' and mail systems' published refusal texts (each origin names the page)
WORDINGS += [
    # Seznam: napoveda.seznam.cz "Uživatel neexistuje"
    (550, None, "550 szn; User hasn't got the service mapped", None, "userunknown", "hard"),
    # Coremail: its support notices on returned mail
    (550, None, "550 Requested action not taken: Local user only", "RCPT", "norelaying", "soft"),
    # policyd-weight: its default reject texts, as Postfix gives them (the sending host's score)
    (550, "5.7.1", ("550 5.7.1 <u@example.org>: Recipient address rejected: Mail appeared to be SPAM or forged. Ask "
                    "your Mail/DNS-Administrator to correct HELO and DNS MX settings or to get removed from DNSBLs"),
     "RCPT", "blocked", "soft"),
    (450, None, "450 No DNS entries for your MTA, HELO and Domain. Contact YOUR administrator", "RCPT", "blocked",
     "soft"),
    (550, "5.7.1", ("550 5.7.1 <u@example.org>: Recipient address rejected: temporarily blocked because of previous "
                    "errors - retrying too fast. penalty: 30 seconds x 0 retries."), "RCPT", "blocked", "soft"),
    # Italiaonline (Libero, Virgilio): its help page on the most frequent errors
    (550, None, "550 Relay Disabled", "RCPT", "norelaying", "soft"),
    # IceWarp: "Interpretation of 5xx Errors in IceWarp SMTP"
    (501, "5.7.1", "501 5.7.1 Message is too long", "DATA", "mesgtoobig", "soft"),
    # Rspamd: src/plugins/lua/ratelimit.lua and multimap.lua, their default texts as the MTA gives them
    (451, "4.7.1", '451 4.7.1 Ratelimit "to_ip" exceeded', "RCPT", "speeding", "soft"),
    (451, None, "451 Ratelimit exceeded", "DATA", "speeding", "soft"),
    (554, "5.7.1", "554 5.7.1 Matched map: FORBIDDEN_FILE_EXTENSION", "DATA", "policyviolation", "soft"),
    # GNU Mailutils: mda's quota texts
    (550, None, "550 u: message would exceed maximum mailbox size for this recipient", None, "mailboxfull", "soft"),
    # WildDuck: haraka-plugin-wildduck, its database out of reach
    (450, None, "450 Failed to process recipient, try again [ERRC01]", "RCPT", "systemerror", "soft"),
    # Cisco AsyncOS: its bounce category before the remote's reply; the reply decides
    (451, "4.1.0", ("4.1.0 - Unknown address error 451-'Automated block triggered by suspicious activity from your "
                    "IP address (192.0.2.1).'"), None, "rejected", "soft"),
    (550, "5.1.0", "5.1.0 - Unknown address error 550-'5.2.2 Mailbox full'", None, "mailboxfull", "soft"),
]


@pytest.mark.parametrize(("code", "status", "text", "command", "reason", "kind"), WORDINGS)
def test_wording(code, status, text, command, reason, kind):
    verdict = classify(code, status, text, command=command)
    assert (verdict.reason, verdict.bounce_type) == (reason, kind), verdict.rule


# Wordings these systems use that the lists already read: each must stay as it is.
ALREADY = [
    (550, "5.1.1", "550 5.1.1 <u@example.org> User doesn't exist: u@example.org", "RCPT", "userunknown"),  # Dovecot
    (552, "5.2.2", "552 5.2.2 <u@example.org> Quota exceeded (mailbox for user is full)", "RCPT", "mailboxfull"),
    (452, "4.2.2", "452 4.2.2 Over quota", "RCPT", "mailboxfull"),  # Cyrus, Zimbra
    (550, "5.1.2", "550 5.1.2 Mailbox does not exist.", "RCPT", "userunknown"),  # Stalwart
    (550, "5.1.2", "550 5.1.2 Relay not allowed.", "RCPT", "norelaying"),
    (550, "5.1.1", "550 5.1.1 Destination address is unknown (user does not exist)", "RCPT", "userunknown"),  # chasquid
    (554, "5.7.0", "554 5.7.0 Client identity is listed in the used DNSBL", "CONN", "blocked"),  # maddy
    (550, "5.7.0", "550 5.7.0 Message rejected due to local policy", "DATA", "policyviolation"),
    (450, "4.2.1", "450 4.2.1 Mailbox disabled, not accepting messages", "RCPT", "suspend"),  # Zimbra
    (550, None, "550 sender <news@example.net> SPF Fail", "MAIL", "authfailure"),  # Haraka's spf plugin
    (550, None, "550 The host name specified in HELO does not match IP address.", "RCPT", "blocked"),  # hMailServer
    (550, None, "550 No valid rDNS/PTR record found.", "RCPT", "requireptr"),
    (550, None, "550 client [192.0.2.1] rejected; no rDNS", "CONN", "requireptr"),  # Haraka's connect.fcrdns.js
    (550, None, "550 spam score exceeded threshold", "DATA", "spamdetected"),  # Haraka's spamassassin plugin
    (450, None, "mail.local: /var/mail/u: Disc quota exceeded", None, "mailboxfull"),  # Sendmail's mail.local
    (550, None, "550 5.1.1 <u@example.org>: unknown address", "RCPT", "userunknown"),  # Exim's own wording
    (550, None, "550 u: mailbox quota exceeded for this recipient", None, "mailboxfull"),  # GNU Mailutils
]


@pytest.mark.parametrize(("code", "status", "text", "command", "reason"), ALREADY)
def test_wording_already_read(code, status, text, command, reason):
    assert classify(code, status, text, command=command).reason == reason
