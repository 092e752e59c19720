"""Each big mail system's own notice and wording, written from its source or documentation, and what
the decoders and the classifier make of it: the decoder that recognises the notice, the recipient, the
refused command, the reason and hard or soft.

The notices are short synthetic ones (the layout each system's source prints, with one error text per
row); the error texts are those the systems' sources and documentation give, not corpus samples.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bouncectl.bounces import classify
from bouncectl.usecases.explaining import explain

SENDER = "news@example.net"


def _row(tmp_path: Path, message: str) -> dict:
    path = tmp_path / "notice.eml"
    path.write_bytes(message.replace("\n", "\r\n").encode("utf-8"))
    rows = [row for row in explain([str(path)]) if row["event"] in ("bounce", "deferred")]
    assert len(rows) == 1, rows
    return rows[0]


# --- Postfix: bounce(8)'s notice, each recipient "<address>: text" with 4-space continuation lines -------

def postfix(recipient: str, text: str) -> str:
    entry = "\n    ".join(textwrap.wrap(f"<{recipient}>: {text}", 76, break_long_words=False, break_on_hyphens=False))
    return (f"From: MAILER-DAEMON@mail.example.net (Mail Delivery System)\nTo: {SENDER}\n"
            "Subject: Undelivered Mail Returned to Sender\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n"
            "Auto-Submitted: auto-replied\n\n"
            "This is the mail system at host mail.example.net.\n\n"
            "I'm sorry to have to inform you that your message could not\n"
            "be delivered to one or more recipients. It's attached below.\n\n"
            "                   The mail system\n\n"
            f"{entry}\n")


POSTFIX = [
    # smtp(8): a remote reply, "host NAME[IP] said: REPLY (in reply to COMMAND command)" (smtp_proto.c)
    (("host mx.example.org[192.0.2.1] said: 550 5.1.1 <u@example.org>: Recipient address rejected: User unknown "
     "in local recipient table (in reply to RCPT TO command)"), "userunknown", "hard"),
    (("host mx.example.org[192.0.2.1] said: 554 5.7.1 <u@example.org>: Relay access denied (in reply to RCPT TO "
     "command)"), "norelaying", "soft"),
    ("host mx.example.org[192.0.2.1] said: 552 5.2.2 <u@example.org>: Mailbox full (in reply to RCPT TO command)",
     "mailboxfull", "soft"),
    (("host mx.example.org[192.0.2.1] said: 553 5.1.8 <news@example.net>: Sender address rejected: Domain not "
     "found (in reply to MAIL FROM command)"), "rejected", "soft"),
    (("host mx.example.org[192.0.2.1] said: 550 5.7.1 Mail from this server does not accept mail from your "
     "domain (in reply to MAIL FROM command)"), "rejected", "soft"),
    (("host mx.example.org[192.0.2.1] refused to talk to me: 554 5.7.1 Service unavailable; Client host "
     "[192.0.2.9] blocked using zen.spamhaus.org"), "blocked", "soft"),
    # smtp(8) and qmgr(8): Postfix's own texts (smtp_addr.c, smtp_connect.c, smtp_proto.c)
    ("Host or domain name not found. Name service error for name=example.org type=MX: Host not found",
     "hostunknown", "hard"),
    ("message size 20971520 exceeds size limit 10485760 of server mx.example.org[192.0.2.1]", "mesgtoobig", "soft"),
    ("mail for example.org loops back to myself", "systemerror", "soft"),
    ("TLS is required, but was not offered by host mx.example.org[192.0.2.1]", "failedstarttls", "soft"),
    # local(8) and pipe(8)
    ('unknown user: "u"', "userunknown", "hard"),
    ('Command died with status 1: "/usr/bin/procmail". Command output: procmail: Quota exceeded', "mailererror",
     "soft"),
]


@pytest.mark.parametrize(("text", "reason", "kind"), POSTFIX)
def test_postfix(tmp_path, text, reason, kind):
    row = _row(tmp_path, postfix("u@example.org", text))
    assert (row["decoder"], row["recipient"]) == ("postfix", "u@example.org")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]


# --- Exim: deliver.c's notice, each address indented by two spaces, its error lines by four --------------

def exim(recipient: str, text: str) -> str:
    body = "\n".join("    " + line for line in text.splitlines())
    return (f"From: Mail Delivery System <Mailer-Daemon@mail.example.net>\nTo: {SENDER}\n"
            "Subject: Mail delivery failed: returning message to sender\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n"
            f"X-Failed-Recipients: {recipient}\nAuto-Submitted: auto-replied\n\n"
            "This message was created automatically by mail delivery software.\n\n"
            "A message that you sent could not be delivered to one or more of its\n"
            "recipients. This is a permanent error. The following address(es) failed:\n\n"
            f"  {recipient}\n{body}\n\n"
            "------ This is a copy of the message, including all the headers. ------\n\n"
            f"From: {SENDER}\nTo: {recipient}\nSubject: news\n\nhello\n")


EXIM = [
    # routers and transports: Exim's own texts (route.c, routers/dnslookup.c, transports/smtp.c)
    ("Unrouteable address", "hostunknown", "hard"),
    ("all relevant MX records point to non-existent hosts", "hostunknown", "hard"),
    ("all host address lookups failed permanently", "hostunknown", "hard"),
    ("an MX or SRV record indicated no SMTP service", "notaccept", "hard"),
    ("no host found for existing SMTP connection", "notaccept", "hard"),
    # retry.c, transports/smtp.c
    ("retry timeout exceeded", "expired", "soft"),
    ("retry time not reached for any host after a long failure period", "expired", "soft"),
    ("all hosts have been failing for a long time and were last tried after this message arrived", "expired",
     "soft"),
    # transports/appendfile.c
    ("mailbox is full (MTA-imposed quota exceeded while writing to file /var/mail/u)", "mailboxfull", "soft"),
    ("Error: quota exceeded", "mailboxfull", "soft"),
    # deliver.c
    ('Too many "Received" headers - suspected mail loop', "contenterror", "soft"),
    ("delivery to file forbidden", "systemerror", "soft"),
    ("error in redirect data: missing or malformed local part", "systemerror", "soft"),
    (("host mx.example.org [192.0.2.1]\nRemote host mx.example.org [192.0.2.1] closed connection in response to RCPT "
     "TO:<u@example.org>"), "networkerror", "soft"),
    ("a TLS session is required for mx.example.org [192.0.2.1], but the server did not offer TLS support",
     "failedstarttls", "soft"),
    # parser.c
    ("malformed address: <u@example.org may not follow <u", "syntaxerror", "soft"),
    # transports/pipe.c
    (("pipe to |/usr/local/bin/filter\n  generated by u@example.org\nChild process of address_pipe transport "
     "returned 75 (could mean temporary error) from command: /usr/local/bin/filter"), "mailererror", "soft"),
    # smtp transport: "SMTP error from remote mail server after COMMAND: host NAME [IP]: REPLY"
    (("host mx.example.org [192.0.2.1]\nSMTP error from remote mail server after RCPT TO:<u@example.org>:\n"
     "550 5.1.1 <u@example.org>: Recipient address rejected: User unknown in virtual mailbox table"),
     "userunknown", "hard"),
    (("host mx.example.org [192.0.2.1]\nSMTP error from remote mail server after MAIL FROM:<news@example.net> "
     "SIZE=1234:\n553 5.1.8 <news@example.net>: Sender address rejected: Domain not found"), "rejected", "soft"),
    (("host mx.example.org [192.0.2.1]\nSMTP error from remote mail server after initial connection:\n"
     "554 mx.example.org ESMTP not accepting connections"), "blocked", "soft"),
    (("host mx.example.org [192.0.2.1]\nSMTP error from remote mail server after end of data:\n"
     "552 5.3.4 Message size exceeds fixed limit"), "mesgtoobig", "soft"),
]


@pytest.mark.parametrize(("text", "reason", "kind"), EXIM)
def test_exim(tmp_path, text, reason, kind):
    row = _row(tmp_path, exim("u@example.org", text))
    assert (row["decoder"], row["recipient"]) == ("exim", "u@example.org")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]


# --- qmail: qmail-send's "failure notice", each "<address>:" then its lines up to a blank line ------------

def qmail(recipient: str, text: str, *, opening: str = "Hi. This is the qmail-send program at mail.example.net.",
          below: str = "--- Below this line is a copy of the message.") -> str:
    return (f"From: MAILER-DAEMON@mail.example.net\nTo: {SENDER}\nSubject: failure notice\n"
            "Date: Tue, 01 Dec 2026 09:00:00 +0000\n\n"
            f"{opening}\n"
            "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
            "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
            f"<{recipient}>:\n{text}\n\n{below}\n\n"
            f"Return-Path: <{SENDER}>\nFrom: {SENDER}\nTo: {recipient}\nSubject: news\n\nhello\n")


QMAIL = [
    # qmail-local.c, qmail-remote.c, qmail-send.c, error_str.c
    ("Sorry, no mailbox here by that name. (#5.1.1)", "userunknown", "hard"),
    ("Sorry, I couldn't find any host named example.org. (#5.1.2)", "hostunknown", "hard"),
    # qmail-remote.c's soft DNS failure is not a hard unknown host
    ("Sorry, I couldn't find any host by that name. (#4.1.2)", "networkerror", "soft"),
    ("Out of memory. (#4.3.0)", "systemerror", "soft"),
    ("I'm not going to try again; this message has been in the queue too long.", "expired", "soft"),
    ("Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)", "networkerror", "soft"),
    ("This message is looping: it already has my Delivered-To line. (#5.4.6)", "networkerror", "soft"),
    ("disk quota exceeded (#4.3.0)", "mailboxfull", "soft"),
    (("192.0.2.1 does not like recipient.\nRemote host said: 550 5.1.1 <u@example.org>... User unknown\n"
     "Giving up on 192.0.2.1."), "userunknown", "hard"),
    (("Connected to 192.0.2.1 but sender was rejected.\nRemote host said: 553 sorry, your envelope sender is in my "
     "badmailfrom list (#5.7.1)"), "rejected", "soft"),
    (("192.0.2.1 failed after I sent the message.\nRemote host said: 552 sorry, that message size exceeds my "
     "databytes limit (#5.3.4)"), "mesgtoobig", "soft"),
    ("Remote host said: 553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", "norelaying",
     "soft"),
    # "Giving up on HOST." closes every permanent failure of qmail-remote: not an expiry
    (("Connected to 192.0.2.1 but greeting failed.\nRemote host said: 554 mx.example.org ESMTP not accepting "
     "messages\nGiving up on 192.0.2.1."), "blocked", "soft"),
    # qmail-remote.c's "does not like recipient.": a permanent refusal of RCPT TO whose reply names no reason
    # is of the address; a temporary one (4xx) is not
    (("192.0.2.1 does not like recipient.\nRemote host said: 550 Requested action not taken\n"
     "Giving up on 192.0.2.1."), "userunknown", "hard"),
    (("192.0.2.1 does not like recipient.\nRemote host said: 550 5.0.0 Requested action not taken\n"
     "Giving up on 192.0.2.1."), "userunknown", "hard"),
    # ... unless its status names another cause (RFC 3463 X.7.1: not authorized)
    (("192.0.2.1 does not like recipient.\nRemote host said: 550 5.7.1 Not permitted\n"
     "Giving up on 192.0.2.1."), "securityerror", "soft"),
    (("192.0.2.1 does not like recipient.\nRemote host said: 451 Requested action aborted\n"
     "I'm not going to try again; this message has been in the queue too long."), "expired", "soft"),
    # qmail-ldap (its patch's texts)
    ("Mailaddress is administratively disabled. (#5.2.1)", "suspend", "soft"),
    ("The message exeeded the maximum size the user accepts. (#5.2.3)", "exceedlimit", "soft"),
]


@pytest.mark.parametrize(("text", "reason", "kind"), QMAIL)
def test_qmail(tmp_path, text, reason, kind):
    row = _row(tmp_path, qmail("u@example.org", text))
    assert (row["decoder"], row["recipient"]) == ("qmail", "u@example.org")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]


# --- Sendmail: savemail.c's "Returned mail" with the transcript of the session -------------------------

def sendmail(recipient: str, command: str, reply: str) -> str:
    return (f"From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.net>\nTo: {SENDER}\n"
            "Subject: Returned mail: see transcript for details\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n"
            "Auto-Submitted: auto-generated (failure)\n\n"
            "The original message was received at Tue, 1 Dec 2026 08:59:00 GMT\n"
            "from localhost [127.0.0.1]\n\n"
            "   ----- The following addresses had permanent fatal errors -----\n"
            f"<{recipient}>\n"
            f"    (reason: {reply})\n\n"
            "   ----- Transcript of session follows -----\n"
            "... while talking to mx.example.org.:\n"
            f">>> {command}\n"
            f"<<< {reply}\n\n"
            "   ----- Original message follows -----\n\n"
            f"From: {SENDER}\nTo: {recipient}\nSubject: news\n\nhello\n")


SENDMAIL = [
    ("RCPT To:<u@example.org>", "550 5.1.1 <u@example.org>... User unknown", "userunknown", "hard"),
    ("RCPT To:<u@example.org>", "550 5.7.1 <u@example.org>... Relaying denied", "norelaying", "soft"),
    ("MAIL From:<news@example.net>", ("553 5.1.8 <news@example.net>... Domain of sender address news@example.net "
     "does not exist"), "rejected", "soft"),
    ("DATA", "552 5.3.4 Message size exceeds maximum value", "mesgtoobig", "soft"),
    ("RCPT To:<u@example.org>", "452 4.2.2 <u@example.org>... Mailbox full", "mailboxfull", "soft"),
    ("MAIL From:<news@example.net>", "550 5.7.1 Access denied", "rejected", "soft"),
]


@pytest.mark.parametrize(("command", "reply", "reason", "kind"), SENDMAIL)
def test_sendmail(tmp_path, command, reply, reason, kind):
    row = _row(tmp_path, sendmail("u@example.org", command, reply))
    assert (row["decoder"], row["recipient"]) == ("sendmail", "u@example.org")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]


# --- reason wordings: (reply code, status, text, refused command) -> reason, hard or soft ----------------

WORDINGS = [
    # Sendmail domain.c / RFC 7505: the domain takes no mail (hard); "does not accept mail from" is the sender
    (556, None, "556 5.1.10 example.org does not accept mail (nullMX)", None, "notaccept", "hard"),
    (550, "5.7.1", "550 5.7.1 This server does not accept mail from example.net", "MAIL", "rejected", "soft"),
    # RFC 3463 X.2.1: a mailbox that takes no messages is disabled, not a domain without mail service
    (550, None, "550 This mailbox is not accepting messages", "RCPT", "suspend", "soft"),
    (550, None, "550 This account does not accept mail", "RCPT", "suspend", "soft"),
    # RFC 3463 X.3.2 is also a host down for maintenance: a bare "not accepting messages" is not a hard verdict
    (554, None, "554 Mail server not accepting messages at this time", None, "onhold", "soft"),
    (550, None, "550 Our system is not accepting messages from your server", "CONN", "blocked", "soft"),
    (550, "5.3.2", "550 5.3.2 System not accepting network messages", None, "notaccept", "hard"),
    # the sender's domain and the client's HELO name are not the recipient's domain (no hard verdict)
    (550, None, "550 The sender domain does not exist", None, "rejected", "soft"),
    (550, None, "550 5.7.1 Sender domain unknown", "RCPT", "rejected", "soft"),
    (550, None, "550 Unknown domain in sender address", "RCPT", "rejected", "soft"),
    (550, None, "550 invalid address in MAIL FROM", "RCPT", "rejected", "soft"),
    (550, None, "550 5.7.1 <mail.example.net>: Helo command rejected: Host not found", "RCPT", "blocked", "soft"),
    (550, None, "550 unknown host mail.example.net in HELO", "RCPT", "blocked", "soft"),
    (550, None, "550 5.1.2 <u@example.org>: Recipient address rejected: Domain not found", "RCPT", "hostunknown",
     "hard"),
    # a lookup to be tried again is not a hard verdict (nor, with a bare 451, a reason of its own)
    (451, None, "451 DNS lookup failure: mail.example.net, try again later", None, "onhold", "soft"),
    # Dovecot's mailbox quota, not Amazon SES's sending quota (a rate limit)
    (552, None, "552 Quota exceeded (mailbox for user is full)", None, "mailboxfull", "soft"),
    (554, None, "554 Throttling failure: Daily message quota exceeded.", None, "speeding", "soft"),
    (421, None, "421 4.7.0 Mail sent from your IP address has been temporarily rate limited", None, "speeding",
     "soft"),
    (553, None, "553 Your IP address has been blocked", None, "blocked", "soft"),
    # SpamCop's refusal
    (554, None, "554 Blocked - see https://lists.example.org/check?ip=192.0.2.1", None, "blocked", "soft"),
    # Google's and Apple's reverse DNS texts
    (550, None, "550 the corresponding forward DNS entry does not point to the sending IP", None, "requireptr",
     "soft"),
    (450, None, "450 service permits 2 unverifyable sending IPs - example.net is not 192.0.2.1", None, "requireptr",
     "soft"),
    # RFC 5322 3.6: a header that may occur once
    (554, None, "554 Message contains multiple Subject header", "DATA", "notcompliantrfc", "soft"),
    # qmail-smtpd.c (rcpthosts), Symantec Email Security.cloud (SMTP authentication)
    (553, None, "553 sorry, that domain isn't in my list of allowed rcpthost", "RCPT", "norelaying", "soft"),
    (553, None, "553 Please make sure you have SMTP authentication turned on in your email client", None,
     "securityerror", "soft"),
    # sender refusals: McAfee, Exchange sender filtering, MailMarshal, BATV, Postfix at MAIL FROM
    (550, None, "550 denied [BounceDeny]", None, "rejected", "soft"),
    (550, None, "550 5.7.1 Email address is on SenderFilterConfig list", None, "rejected", "soft"),
    (550, None, "550 Rule imposed mailbox access for u@example.org refused", None, "rejected", "soft"),
    (550, "5.7.1", "550 5.7.1 Transaction failed unsigned DSN for u@example.org", "RCPT", "rejected", "soft"),
    (550, "5.1.0", "550 5.1.0 <news@example.net>... Address rejected", "MAIL", "rejected", "soft"),
]


@pytest.mark.parametrize(("code", "status", "text", "command", "reason", "kind"), WORDINGS)
def test_wording(code, status, text, command, reason, kind):
    verdict = classify(code, status, text, command=command)
    assert (verdict.reason, verdict.bounce_type) == (reason, kind), verdict.rule


# --- Exchange Server / Exchange Online: the NDR's "Remote Server returned '...'" with a component code ----

def exchange(recipient: str, reply: str) -> str:
    return (f"From: postmaster@corp.example.com\nTo: {SENDER}\nSubject: Undeliverable: news\n"
            "Date: Tue, 01 Dec 2026 09:00:00 +0000\nX-MS-Exchange-Message-Is-Ndr:\n\n"
            "Delivery has failed to these recipients or groups:\n\n"
            f"{recipient}\nThe message couldn't be delivered.\n\n"
            "Diagnostic information for administrators:\n\n"
            "Generating server: EX01.corp.example.com\n\n"
            f"{recipient}\nRemote Server returned '{reply}'\n\n"
            "Original message headers:\n\n"
            f"From: {SENDER}\nTo: {recipient}\nSubject: news\n")


EXCHANGE = [
    ("550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", "userunknown", "hard"),
    ("550 5.2.3 RESOLVER.RST.RecipSizeLimit; message too large for this recipient", "exceedlimit", "soft"),
    ("550 5.5.3 RESOLVER.ADR.RecipLimit; too many recipients", "toomanyconn", "soft"),
    ("550 5.2.0 RESOLVER.ADR.BadPrimary; the primary address is invalid", "systemerror", "soft"),
    ("554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain", "hostunknown", "hard"),
    ("554 5.4.4 SMTPSEND.DNS.MxLoopback; DNS config points back to the sending host", "networkerror", "soft"),
    ("550 4.4.7 QUEUE.Expired; message expired", "expired", "soft"),
    ("550 5.7.1 RESOLVER.RST.AuthRequired; authentication required", "securityerror", "soft"),
    ("550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized", "rejected", "soft"),
]


@pytest.mark.parametrize(("reply", "reason", "kind"), EXCHANGE)
def test_exchange(tmp_path, reply, reason, kind):
    row = _row(tmp_path, exchange("u@corp.example.com", reply))
    assert (row["decoder"], row["recipient"]) == ("exchange", "u@corp.example.com")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]


# --- Courier: module.dsn's notice, "<address>:" then the host and the session, or Courier's own text -------

def courier(recipient: str, text: str, *, headline: bool = True) -> str:
    intro = ("This is a delivery status notification from mail.example.org,\n"
             "running the Courier mail server, version 1.1.\n\n") if headline else ""
    body = "\n".join("    " + line if not line.startswith((">>>", "<<<")) else line for line in text.splitlines())
    return ("From: Courier mail server at mail.example.org <@>\n"
            f"To: {SENDER}\nSubject: NOTICE: mail delivery status.\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n"
            "Message-ID: <courier.000000000001.00000001@mail.example.org>\n\n"
            f"{intro}"
            "---------------------------------------------------------------------------\n\n"
            "                           UNDELIVERABLE MAIL\n\n"
            "Your message to the following recipients cannot be delivered:\n\n"
            f"<{recipient}>:\n{body}\n\n"
            "---------------------------------------------------------------------------\n")


COURIER = [
    # courier/module.esmtp/esmtpclient.c
    ("No such domain.", True, "hostunknown", "hard"),
    ("This domain's DNS violates RFC 1035.", True, "systemerror", "soft"),
    ("DNS lookup failed.", True, "networkerror", "soft"),
    ("mx.example.org [192.0.2.1]:\n>>> RCPT TO:<u@example.org>\n<<< 550 5.1.1 <u@example.org>: mailbox unavailable",
     True, "userunknown", "hard"),
    # the headline is configurable; the sender, the subject and the Message-ID are Courier's own
    ("No such domain.", False, "hostunknown", "hard"),
]


@pytest.mark.parametrize(("text", "headline", "reason", "kind"), COURIER)
def test_courier(tmp_path, text, headline, reason, kind):
    row = _row(tmp_path, courier("u@example.org", text, headline=headline))
    assert (row["decoder"], row["recipient"]) == ("courier", "u@example.org")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]


# --- HCL Domino: "Your message ... was not delivered to: ... because: ..." -----------------------------------

def domino(recipient: str, because: str, subject: str = "DELIVERY FAILURE: User u not listed") -> str:
    return (f"From: Postmaster@example.org\nTo: {SENDER}\nSubject: {subject}\n"
            "Date: Tue, 01 Dec 2026 09:00:00 +0000\n\n"
            "Your message\n\n  Subject: news\n\nwas not delivered to:\n\n"
            f"  {recipient}\n\nbecause:\n\n  {because}\n")


DOMINO = [
    ("User u (u@example.org) not listed in Domino Directory", "DELIVERY FAILURE: x", "userunknown", "hard"),
    ("El usuario u (u@example.org) no se encuentra en el Directorio de Domino", "DELIVERY FAILURE: x",
     "userunknown", "hard"),
    ("Several matches found in Domino Directory", "DELIVERY FAILURE: x", "systemerror", "soft"),
    ("Cannot route mail to user (u@example.org)", "DELIVERY_FAILURE: x", "filtered", "soft"),
]


@pytest.mark.parametrize(("because", "subject", "reason", "kind"), DOMINO)
def test_domino(tmp_path, because, subject, reason, kind):
    row = _row(tmp_path, domino("u@example.org", because, subject))
    assert (row["decoder"], row["recipient"]) == ("domino", "u@example.org")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]


# qmail's forks and qmail-based services keep qmail-send's layout under their own opening and closing lines.
QMAIL_FORKS = [
    ("This is the mail delivery agent at mail.example.net.", "--- Below the next line is a copy of the message."),
    ("Unfortunately, your mail was not delivered to the following address:", "Original message follows."),
]


@pytest.mark.parametrize(("opening", "below"), QMAIL_FORKS)
def test_qmail_forks(tmp_path, opening, below):
    message = qmail("u@example.org", "Sorry, no mailbox here by that name. (#5.1.1)", opening=opening, below=below)
    message = message.replace("I'm afraid I wasn't able to deliver your message to the following addresses.\n", "")
    row = _row(tmp_path, message)
    assert (row["decoder"], row["recipient"], row["reason"], row["bounce_type"]) == (
        "qmail", "u@example.org", "userunknown", "hard"), row["rule"]


# --- DragonFly Mail Agent: "There was an error delivering your mail to <address>." then the error ---------

def dragonfly(recipient: str, text: str, *, headline: bool = True) -> str:
    intro = "This is the DragonFly Mail Agent v0.13 at mail.example.net.\n\n" if headline else ""
    return ("From: MAILER-DAEMON <>\n"
            f"To: {SENDER}\nSubject: Mail delivery failed\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n"
            "Received: from MAILER-DAEMON id e070f by mail.example.net (DragonFly Mail Agent v0.13);\n"
            " Tue, 01 Dec 2026 09:00:00 +0000\n\n"
            f"{intro}There was an error delivering your mail to <{recipient}>.\n\n{text}\n\n"
            f"Original message follows.\n\nFrom: {SENDER}\nTo: {recipient}\nSubject: news\n")


DRAGONFLY = [
    # net.c: "%s [%s] did not like our %s:\n%s"
    (("mx.example.org [192.0.2.1] did not like our RCPT TO:\n552 5.2.2 <u@example.org>: Recipient address "
     "rejected: Mailbox full"), True, "mailboxfull", "soft"),
    (("mx.example.org [192.0.2.1] did not like our RCPT TO:\n550 5.1.1 <u@example.org>: Recipient address "
     "rejected: User unknown in virtual mailbox table"), True, "userunknown", "hard"),
    # dma.c, net.c: dma's own texts
    ("Could not deliver for the last 432000 seconds. Giving up.", True, "expired", "soft"),
    ("DNS lookup failure: host example.org not found", True, "hostunknown", "hard"),
    # dma's Received line names it when the headline is not there
    ("DNS lookup failure: host example.org not found", False, "hostunknown", "hard"),
]


@pytest.mark.parametrize(("text", "headline", "reason", "kind"), DRAGONFLY)
def test_dragonfly(tmp_path, text, headline, reason, kind):
    row = _row(tmp_path, dragonfly("u@example.org", text, headline=headline))
    assert (row["decoder"], row["recipient"]) == ("dragonfly", "u@example.org")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]


# --- OpenSMTPD: bounce.c's notice, one "address: error" line per recipient ------------------------------

def opensmtpd(recipient: str, text: str) -> str:
    return ("From: Mailer Daemon <MAILER-DAEMON@mail.example.net>\n"
            f"To: {SENDER}\nSubject: Delivery status notification: error\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n\n"
            "    Hi!\n\n"
            "    This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.\n\n"
            "    An error has occurred while attempting to deliver a message for\n"
            "    the following list of recipients:\n\n"
            f"{recipient}: {text}\n\n"
            "    Below is a copy of the original message:\n\n"
            f"From: {SENDER}\nTo: {recipient}\nSubject: news\n")


OPENSMTPD = [
    # a remote reply
    ("550 5.2.2 <u@example.org>... Mailbox Full", "mailboxfull", "soft"),
    ("550 5.1.1 <u@example.org>: Recipient address rejected: User unknown in local recipient table",
     "userunknown", "hard"),
    # smtpd/mta.c and smtpd/queue.c: its own relay failure strings
    ("Domain does not exist", "hostunknown", "hard"),
    ("Invalid domain name", "hostunknown", "hard"),
    ("No MX found for domain", "notaccept", "hard"),
    ("Destination seem to reject all mails", "notaccept", "hard"),
    ("Network error on destination MXs", "networkerror", "soft"),
    ("Loop detected", "networkerror", "soft"),
    ("Could not retrieve credentials", "securityerror", "soft"),
    ("Envelope expired", "expired", "soft"),
]


@pytest.mark.parametrize(("text", "reason", "kind"), OPENSMTPD)
def test_opensmtpd(tmp_path, text, reason, kind):
    row = _row(tmp_path, opensmtpd("u@example.org", text))
    assert (row["decoder"], row["recipient"]) == ("opensmtpd", "u@example.org")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]


# --- Gmail's older notice: "Delivery to the following recipient failed permanently:" ----------------------

def gmail(recipient: str, reply: str) -> str:
    return ("From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
            f"To: {SENDER}\nSubject: Delivery Status Notification (Failure)\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n\n"
            "This is an automatically generated Delivery Status Notification\n\n"
            "Delivery to the following recipient failed permanently:\n\n"
            f"     {recipient}\n\n"
            "Technical details of permanent failure:\n"
            "Google tried to deliver your message, but it was rejected by the recipient domain. We recommend\n"
            "contacting the other email provider for further information about the cause of this error. The error\n"
            f"that the other server returned was:\n{reply}\n\n"
            "----- Original message -----\n\n"
            f"From: {SENDER}\nTo: {recipient}\nSubject: news\n")


GMAIL = [
    # "(state 14)": the reply answered RCPT TO, so "no such user" is the recipient's
    ("550 550 <u@example.org> No such user here (state 14).", "userunknown", "hard"),
    # "(state 17)"/"(state 18)": after DATA, the same words are a filter's
    ("550 550 Unknown user u@example.org (state 18).", "filtered", "soft"),
    ("550 550 5.2.2 <u@example.org>... Mailbox Full (state 14).", "mailboxfull", "soft"),
]


@pytest.mark.parametrize(("reply", "reason", "kind"), GMAIL)
def test_gmail(tmp_path, reply, reason, kind):
    row = _row(tmp_path, gmail("u@example.org", reply))
    assert (row["decoder"], row["recipient"]) == ("gmail", "u@example.org")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]


# --- au by KDDI, EZweb: "Mail System Error - Returned Mail", the accounts' state above their lines --------

def ezweb(recipient: str, state: str, line: str) -> str:
    return ("From: Mail Administrator <Postmaster@ezweb.ne.jp>\n"
            f"To: {SENDER}\nSubject: Mail System Error - Returned Mail\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n"
            "MIME-Version: 1.0\n"
            'Content-Type: multipart/report; report-type=delivery-status; boundary="E"\n\n'
            "--E\nContent-Type: text/plain; charset=us-ascii\n\n"
            f"{state}\n\n\n<{recipient}>: {line}\n\n"
            "--E\nContent-Type: message/delivery-status\n\n"
            "Reporting-MTA: dns; lsean.ezweb.ne.jp\n\n"
            f"Final-Recipient: rfc822; {recipient}\nAction: failed\nStatus: 5.0.0\n\n--E--\n")


EZWEB = [
    ("The user(s) account is disabled.", "550 user unknown (in reply to RCPT TO command)", "suspend", "soft"),
    ("The user(s) account is temporarily limited.", "550 user unknown (in reply to RCPT TO command)", "suspend",
     "soft"),
    ("The user(s) account is temporarily over quota.", "552 mailbox full (in reply to RCPT TO command)",
     "mailboxfull", "soft"),
]


@pytest.mark.parametrize(("state", "line", "reason", "kind"), EZWEB)
def test_ezweb(tmp_path, state, line, reason, kind):
    row = _row(tmp_path, ezweb("u@ezweb.ne.jp", state, line))
    assert (row["decoder"], row["recipient"]) == ("kddi", "u@ezweb.ne.jp")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]


# --- Sendmail V5: savemail.c's "Transcript of session follows" without the addresses section ---------------

def v5sendmail(body: str) -> str:
    return ("From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.net>\n"
            f"To: {SENDER}\nSubject: Returned mail: User unknown\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n\n"
            f"   ----- Transcript of session follows -----\n{body}\n\n"
            "   ----- Unsent message follows -----\n"
            f"From: {SENDER}\nTo: u@example.org\nSubject: news\n\nhello\n")


V5SENDMAIL = [
    (("While talking to mx.example.org:\n>>> RCPT To:<u@example.org>\n<<< 550 <u@example.org>, User Unknown\n"
     "550 <u@example.org>... User unknown"), "userunknown", "hard"),
    # refused at MAIL FROM: the reply names the sender, and the refusal is every recipient's
    (("While talking to mx.example.org:\n>>> MAIL From:<news@example.net>\n<<< 553 <news@example.net>... Domain "
     "of sender address does not exist\n554 <u@example.org>... Service unavailable"), "rejected", "soft"),
    ("550 <u@example.org>... Host unknown (Name server: example.org: host not found)", "hostunknown", "hard"),
]


@pytest.mark.parametrize(("body", "reason", "kind"), V5SENDMAIL)
def test_v5sendmail(tmp_path, body, reason, kind):
    row = _row(tmp_path, v5sendmail(body))
    assert (row["decoder"], row["recipient"]) == ("sendmail", "u@example.org")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]


# --- a mail system that does not name itself: "* address" then "Technical details:" -------------------------

def technical(recipient: str, detail: str) -> str:
    rule = "=" * 76
    return ("From: Mail Delivery System <MAILER-DAEMON@mail.example.net>\n"
            f"To: {SENDER}\nSubject: Delivery status notification\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n\n"
            f"{rule}\n      This is an automatically generated Delivery Status Notification.\n\n"
            f"Delivery to the following recipients failed permanently:\n\n  * {recipient}\n\n\n"
            f"{rule}\n                            Technical details:\n\n{detail}\n\n\n{rule}\n")


TECHNICAL = [
    ("SMTP:RCPT host 192.0.2.8: 553 5.3.0 <u@example.org>... No such user here", "userunknown", "hard"),
    ("Routing: Could not find a gateway for u@example.org", "expired", "soft"),
]


@pytest.mark.parametrize(("detail", "reason", "kind"), TECHNICAL)
def test_technical_details(tmp_path, detail, reason, kind):
    row = _row(tmp_path, technical("u@example.org", detail))
    assert (row["decoder"], row["recipient"]) == ("x-mailer", "u@example.org")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]


# Exchange Online's own codes for the deliveries it gave up on (EOP mail flow intelligence).
MAIL_FLOW = [
    ("550 4.4.312 DNS query failed", "4.4.312", "networkerror"),
    ("550 4.4.315 Connection timed out", "4.4.315", "expired"),
    ("550 4.7.320 Certificate validation failed", "4.7.320", "failedstarttls"),
]


@pytest.mark.parametrize(("text", "status", "reason"), MAIL_FLOW)
def test_exchange_online_mail_flow_codes(text, status, reason):
    verdict = classify(550, status, text)
    assert (verdict.reason, verdict.bounce_type) == (reason, "soft"), verdict.rule


POSTFIX_OWN = [
    # smtp_addr.c: the MX hosts have no address (permanent)
    ("no MX host for example.org has a valid address record", None, "hostunknown", "hard"),
    # the TLS security level (smtp_proto.c, tls/)
    ("Server certificate not trusted", None, "failedstarttls", "soft"),
    # qmgr(8)
    ("mail transport unavailable", None, "systemerror", "soft"),
]


@pytest.mark.parametrize(("text", "status", "reason", "kind"), POSTFIX_OWN)
def test_postfix_own_texts(tmp_path, text, status, reason, kind):
    verdict = classify(None, status, text, diagnostic_type="X-Postfix")
    assert (verdict.reason, verdict.bounce_type) == (reason, kind), verdict.rule


def test_postfix_without_its_delivery_report_gives_no_reason(tmp_path):
    # bounce_notify_util.c: "--- Delivery report unavailable ---", a report part with no recipient in it; the
    # recipient is the returned message's, and the notice's own lines are no diagnostic.
    message = ("From: MAILER-DAEMON@mail.example.net (Mail Delivery System)\n"
               f"To: {SENDER}\nSubject: Undelivered Mail Returned to Sender\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n"
               'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="P"\n\n'
               "--P\nContent-Description: Notification\nContent-Type: text/plain\n\n"
               "This is the mail system at host mail.example.net.\n\n"
               "I'm sorry to have to inform you that your message could not\n"
               "be delivered to one or more recipients. It's attached below.\n\n"
               "                   The mail system\n\n\t--- Delivery report unavailable ---\n\n"
               "--P\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n\n"
               "Reporting-MTA: dns; mail.example.net\nX-Postfix-Queue-ID: 1234\n"
               f"X-Postfix-Sender: rfc822; {SENDER}\n\n"
               "--P\nContent-Description: Undelivered Message\nContent-Type: message/rfc822\n\n"
               f"From: {SENDER}\nTo: u@example.org\nSubject: news\n\nhello\n--P--\n")
    row = _row(tmp_path, message)
    assert (row["decoder"], row["recipient"], row["reason"], row["diagnostic"]) == (
        "postfix", "u@example.org", "undefined", None), row["rule"]


# --- Exchange 2000/2003: "did not reach the following recipient(s):", the IMS diagnostic code in brackets ---

def exchange2003(recipient: str, text: str, code: str) -> str:
    return (f"From: System Administrator <postmaster@corp.example.com>\nTo: {SENDER}\n"
            "Subject: Undeliverable: news\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n\n"
            f"Your message\n\n  To:      {recipient}\n  Subject: news\n  Sent:    Tue, 01 Dec 2026 08:59:00 +0000\n\n"
            "did not reach the following recipient(s):\n\n"
            f"{recipient} on Tue, 01 Dec 2026 09:00:00 +0000\n    {text}\n"
            f"    MSEXCH:IMS:Example:Site:EX01 0 ({code}) {text}\n")


EXCHANGE2003 = [
    ("Unknown Recipient", "000C05A6", "userunknown", "hard"),
    ("Ambiguous Recipient", "000C0595", "filtered", "soft"),
    ("Conversion to Internet format failed", "00050311", "contenterror", "soft"),
]


@pytest.mark.parametrize(("text", "code", "reason", "kind"), EXCHANGE2003)
def test_exchange2003(tmp_path, text, code, reason, kind):
    row = _row(tmp_path, exchange2003("u@corp.example.com", text, code))
    assert (row["decoder"], row["recipient"]) == ("exchange", "u@corp.example.com")
    assert (row["reason"], row["bounce_type"]) == (reason, kind), row["rule"]


def test_notes_failure_reasons(tmp_path):
    # Lotus Notes: "------- Failure Reasons --------", the reason then the address, "------- Returned Message --------"
    message = (f"From: Postmaster@notes.example.org\nTo: {SENDER}\nSubject: Undeliverable message\n"
               "Date: Tue, 01 Dec 2026 09:00:00 +0000\n\n"
               "------- Failure Reasons  --------\n\nMessage has exceeded maximum hop count\nu@notes.example.org\n\n"
               f"------- Returned Message --------\nFrom: {SENDER}\nTo: u@notes.example.org\nSubject: news\n")
    row = _row(tmp_path, message)
    assert (row["decoder"], row["recipient"], row["reason"], row["bounce_type"]) == (
        "notes", "u@notes.example.org", "networkerror", "soft"), row["rule"]


EXIM_UNNAMED = [
    # deliver.c: a hidden alias or a pipe is named by what it is, its address on the next line
    ("  an undisclosed address\n    (generated from u@example.org)\n    retry timeout exceeded", "expired"),
    (("  pipe to |/usr/local/bin/filter\n    generated by u@example.org\n    Child process of address_pipe transport "
     "returned 1 from command: /usr/local/bin/filter"), "mailererror"),
]


@pytest.mark.parametrize(("entry", "reason"), EXIM_UNNAMED)
def test_exim_entries_named_by_the_address_they_came_from(tmp_path, entry, reason):
    message = exim("u@example.org", "x").replace("  u@example.org\n    x\n", entry + "\n")
    row = _row(tmp_path, message)
    assert (row["decoder"], row["recipient"], row["reason"]) == ("exim", "u@example.org", reason), row["rule"]
    assert "From: " not in (row["diagnostic"] or "")  # the returned message's headers are not the diagnostic
