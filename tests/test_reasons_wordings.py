"""Published and widely seen wordings of the big mail systems and providers, and the reason each means.

Written from the providers' documentation, the mail systems' sources and bounce parsers' tables of
receivers' wordings (not from the shared corpus): a check that the reason modules and provider
tables read them as documented.
"""

from __future__ import annotations

import pytest

from bouncectl.bounces import classify

GMAIL = {"host": "gmail-smtp-in.l.google.com"}
EXCHANGE_ONLINE = {"host": "example-com.mail.protection.outlook.com"}

WORDINGS = [
    # Postfix
    (550, "5.1.1", "550 5.1.1 <x@example.org>: Recipient address rejected: User unknown in virtual alias table",
     {"command": "RCPT"}, "userunknown"),
    (554, "5.7.1", "554 5.7.1 <x@example.org>: Relay access denied", {"command": "RCPT"}, "norelaying"),
    (None, "5.4.4", ("Host or domain name not found. Name service error for name=nxdomain.example type=A: "
     "Host not found"),
     {}, "hostunknown"),
    (None, "4.4.3", ("Host or domain name not found. Name service error for name=example.org type=MX: Host not found, "
     "try again"), {}, "networkerror"),
    (None, None, "mail for example.org loops back to myself", {}, "systemerror"),
    (550, "5.1.8", "550 5.1.8 <x@example.net>: Sender address rejected: Domain not found", {"command": "MAIL"},
     "rejected"),
    (550, "5.2.1", "550 5.2.1 <x@example.org>: Recipient address rejected: Account disabled", {"command": "RCPT"},
     "suspend"),
    (451, "4.7.1", "451 4.7.1 <x@example.org>: Recipient address rejected: Greylisted, see http://postgrey.example/",
     {"command": "RCPT"}, "blocked"),
    (None, "4.4.1", "connect to mx.example.org[192.0.2.1]:25: Connection timed out", {}, "expired"),
    # Sendmail, Exim, qmail
    (552, None, "552 5.2.2 Mailbox size limit exceeded", {}, "mailboxfull"),
    (550, None, "550 No Such User Here", {"command": "RCPT"}, "userunknown"),
    # A reply that names only the address: what does not exist is the recipient asked about.
    (550, None, "550 <x@example.org> does not exist.", {"command": "RCPT"}, "userunknown"),
    (550, None, "550 x@example.org does not exist", {"command": "RCPT"}, "userunknown"),
    (550, "5.0.0", "550 5.0.0 x@example.org does not exist", {"command": "RCPT"}, "userunknown"),
    (550, None, "550 Domain of sender address x@example.net does not exist", {"command": "RCPT"}, "rejected"),
    # The same nouns and verdicts in other word orders, as bounce parsers' tables of receivers' wordings list them:
    # the recipient's at RCPT TO, the sender's at MAIL FROM.
    (550, "5.0.0", "550 5.0.0 Unknown account <x@example.org>", {"command": "RCPT"}, "userunknown"),
    (550, None, "550 Invalid account", {"command": "RCPT"}, "userunknown"),
    (550, "5.0.0", "550 5.0.0 x@example.org: account is unavailable", {"command": "RCPT"}, "userunknown"),
    (550, None, "550 Address is unknown", {"command": "RCPT"}, "userunknown"),
    (550, None, "550 <x@example.org> is not a known user here", {"command": "RCPT"}, "userunknown"),
    (550, "5.0.0", "550 5.0.0 User invalid", {"command": "RCPT"}, "userunknown"),
    (550, None, "550 Recipient invalid", {"command": "RCPT"}, "userunknown"),
    (550, None, "550 No such email address", {"command": "RCPT"}, "userunknown"),
    (550, None, "550 Sorry, this server doesn't handle mail for that user", {"command": "RCPT"}, "userunknown"),
    (550, None, "550 Unknown account", {"command": "MAIL"}, "rejected"),
    # iCloud's wording for an address its owner deactivated, relayed by another host: the words decide.
    (550, "5.1.1", "550 5.1.1 <x@example.org>: inactive email address", {"command": "RCPT"}, "suspend"),
    (550, None, "550 Administrative prohibition", {}, "rejected"),
    (550, None, "550 Verification failed for <x@example.org> Sender verify failed", {"command": "MAIL"}, "rejected"),
    # A failed sender verification at RCPT TO quotes the verification's own reply before its verdict: the
    # sender's domain or mailbox is meant, not the recipient's.
    (550, None, "550-Verification failed for <x@example.net>\n550-Unrouteable address\n550 Sender verify failed",
     {"command": "RCPT"}, "rejected"),
    (550, "5.1.0", "550 5.1.0 <x@example.net>: Sender address rejected: User unknown in local recipient table",
     {"command": "RCPT"}, "rejected"),
    # A reply that names the sender's address as the invalid or unknown one, at RCPT TO: not the recipient's.
    (550, "5.7.1", "550 5.7.1 Sender address invalid", {"command": "RCPT"}, "rejected"),
    (550, None, "550 Sender address is unknown", {"command": "RCPT"}, "rejected"),
    (550, None, "550 <x@example.org>: Recipient address invalid", {"command": "RCPT"}, "userunknown"),
    (554, None, "554 5.4.6 Too many hops", {}, "networkerror"),
    (552, None, "552 Message size exceeds maximum permitted", {}, "mesgtoobig"),
    (None, None, "Sorry, I couldn't find any host named nxdomain.example. (#5.1.2)", {}, "hostunknown"),
    (None, None, "retry time not reached for any host after a long failure period", {}, "expired"),
    # Google
    (550, "5.1.1", ("550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking "
     "the recipient's email address for typos"), GMAIL, "userunknown"),
    (452, "4.2.2", "452-4.2.2 The email account that you tried to reach is over quota and inactive.", GMAIL,
     "mailboxfull"),
    (421, "4.7.0", "421-4.7.0 This message is suspicious due to the very low reputation of the sending IP address.",
     GMAIL, "badreputation"),
    (550, "5.7.26", ("550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all "
     "senders to authenticate with either SPF or DKIM."), GMAIL, "authfailure"),
    (450, "4.2.1", "450-4.2.1 The user you are trying to contact is receiving mail too quickly.", GMAIL, "speeding"),
    (421, None, "421 4.7.0 Try again later, closing connection. (EHLO)", {"command": "EHLO", **GMAIL}, "blocked"),
    # Microsoft
    (550, "5.7.1", ("550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Spamhaus. To request removal "
     "from this list see https://www.spamhaus.org/query/ip/192.0.2.1 AS(1450)"), EXCHANGE_ONLINE, "blocked"),
    (550, "5.7.606", ("550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list "
     "please visit https://sender.office.com/"), {}, "blocked"),
    (550, "5.4.1", "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)", EXCHANGE_ONLINE,
     "userunknown"),
    # Its reply to the sending host's EHLO name (X.5.4: a command's invalid argument), not the recipient's domain.
    (501, "5.5.4", "501 5.5.4 Invalid domain name", EXCHANGE_ONLINE, "blocked"),
    (550, "5.4.1", "550 5.4.1 Recipient address rejected: Access denied. [BN8NAM12FT003.eop-nam12.prod.outlook.com]",
     {}, "userunknown"),
    (550, None, ("550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet "
     "service provider since part of their network is on our block list (S3140)."),
     {"host": "hotmail-com.olc.protection.outlook.com"}, "blocked"),
    (550, None, "550 Requested action not taken: mailbox unavailable", {"host": "hotmail.com"}, "userunknown"),
    (550, "5.7.1", "550 5.7.1 Delivery not authorized, message refused", {}, "securityerror"),
    (None, None, "Your message couldn't be delivered because it exceeded the maximum message size", {}, "mesgtoobig"),
    (550, "5.7.133", "550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required", {},
     "rejected"),
    (421, "4.7.66", ("421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support "
     "TLS 1.2."), {}, "failedstarttls"),
    (550, "5.1.10", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", {},
     "userunknown"),
    (550, "5.1.10", "550 5.1.10 Recipient address has null MX", {}, "notaccept"),
    # Yahoo
    (554, "5.7.9", ("554 5.7.9 Message not accepted for policy reasons.  "
     "See https://postmaster.yahooinc.com/error-codes"),
     {"host": "mta6.am0.yahoodns.net"}, "policyviolation"),
    (554, None, ("554 delivery error: dd Sorry your message to x@yahoo.com cannot be delivered. This mailbox is "
     "disabled (554.30)."), {"host": "yahoo.com"}, "suspend"),
    # Amazon SES, Mailgun
    (None, None, ("Amazon SES has suppressed sending to this address because it has a recent history of bouncing as "
     "an invalid address."), {}, "suppressed"),
    (None, None, "Not delivering to previously bounced address", {}, "suppressed"),
    # Others
    (554, "5.7.1", ("554 5.7.1 The message from (<x@example.org>) with the subject of (Hi) matches a profile the "
     "Internet community may consider spam."), {"command": "DATA"}, "spamdetected"),
    (550, "5.7.1", "550 5.7.1 SPF check failed", {}, "authfailure"),
    (421, None, "421 Too many concurrent SMTP connections from this IP address; please try again later.", {},
     "toomanyconn"),
]


@pytest.mark.parametrize(("code", "status", "text", "hints", "reason"), WORDINGS,
                         ids=[f"{case[4]}-{i}" for i, case in enumerate(WORDINGS)])
def test_published_wording(code, status, text, hints, reason):
    verdict = classify(code, status, text, **hints)
    assert verdict.reason == reason, verdict.rule
