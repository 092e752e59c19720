"""Wordings real mail systems use, as the reference classifier's per-reason phrase lists hold them.

Each case is a short synthetic reply built around one such wording (the mail system's words, in a
reply of our own making), and the reason the reason modules give it. The wordings came out of an
audit of our lists against the reference's (p5-sisimai lib/Sisimai/Reason/*.pm, then the ones
go-sisimai reason/why-*.go adds): each was read as another reason, or as nothing (``onhold``),
before its phrase was added.
"""

from __future__ import annotations

import pytest

from bouncectl.bounces import classify

RCPT = {"command": "RCPT"}
DATA = {"command": "DATA"}

WORDINGS = [
    # badreputation
    (550, None, "550 Message refused: a poor email reputation score for the sending host", {}, "badreputation"),
    (451, None, "451 Temporarily rejected because of IP/domain reputation problems", {}, "badreputation"),
    # blocked: the sending host
    (550, None, "550 Error: no valid recipients from 192.0.2.1", {}, "blocked"),
    (554, None, "554 Mail server at 192.0.2.1 is blocked", {}, "blocked"),
    (550, None, "550 Server access forbidden by your IP 192.0.2.1", {}, "blocked"),
    (550, None, "550 No matches to nameserver query", {}, "blocked"),
    # blocked: a server that drops the connection of a client it refuses, not a network failure
    (554, None, "554 Remote protocol error: Connection reset by peer during result wait", {}, "blocked"),
    (421, None, "421 Connection was dropped by remote host", {}, "blocked"),
    (None, None, "host mx.example.org[192.0.2.1] said: 550 blocked (in reply to RCPT TO command)", {}, "blocked"),
    (554, None, "554 Sorry, permission to submit messages to this e-mail system has been rejected", {}, "blocked"),
    (421, None, ("421 mwinf0001 ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. "
     "OFR_103 [103]"), {}, "blocked"),
    # contenterror
    (554, None, "554 This message contains improperly-formatted binary content", {}, "contenterror"),
    (554, None, "554 This message contains text that uses unnecessary base64 encoding", {}, "contenterror"),
    # filtered: the recipient's settings, a mail system's code
    (550, "5.7.1", "550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized", {}, "filtered"),
    (550, None, "550 Bounced Address", {}, "filtered"),
    (550, None, "550 User reject", DATA, "filtered"),
    (550, None, "550 This account is protected by a challenge-response filter", {}, "filtered"),
    (550, None, "550 The recipient is not accepting any mail", {}, "filtered"),
    (550, None, "550 Not found recipient account", DATA, "filtered"),
    (550, None, "550 Due to extended inactivity new mail is not currently being accepted for this mailbox", {},
     "filtered"),
    # mailboxfull
    (550, None, "550 Account disabled temporarly for exceeding receiving limits", {}, "mailboxfull"),
    (None, None, "vdelivermail: Maildir delivery failed: Userdisk quota 104857600 exceeded", {}, "mailboxfull"),
    (550, None, "550 The user has no diskspace quota left", {}, "mailboxfull"),
    (450, None, "450 Sorry, the user is over the quota", {}, "mailboxfull"),
    (550, None, "550 Mail file size exceeds the maximum size allowed for mail delivery", {}, "mailboxfull"),
    (452, None, "452 4.2.2 Sorry, the user is over its quota", {}, "mailboxfull"),
    (552, None, "552 Mailbox for this user is over the storage quota", {}, "mailboxfull"),
    (452, None, "452 Maildir has reached its quota", RCPT, "mailboxfull"),
    # mesgtoobig
    (552, None, "552 Line limit exceeded", {}, "mesgtoobig"),
    (552, None, "552 Your mail exceeded the allowed message size", {}, "mesgtoobig"),
    (552, None, "552 Message total size exceeded", {}, "mesgtoobig"),
    (552, None, "552 This message exceeds the configured limit", {}, "mesgtoobig"),
    (552, None, "552 Sorry, over the size limit of this server", {}, "mesgtoobig"),
    # norelaying
    (550, None, "550 example.org: not local host", {}, "norelaying"),
    (550, None, "550 We don't handle mail for example.org", {}, "norelaying"),
    (553, None, "553 Relaying mail to example.org refused", {}, "norelaying"),
    # notaccept
    (550, None, "550 No route for current request", {}, "notaccept"),
    (550, None, "550 SMTP protocol returned a permanent error", {}, "notaccept"),
    # policyviolation
    (550, None, "550 Protocol violation", {}, "policyviolation"),
    # rejected: the sender and its domain
    (550, None, "550 From: Domain is invalid. Please provide a valid From:", {}, "rejected"),
    (550, None, "550 Unroutable sender address", {}, "rejected"),
    (550, None, "550 Connections not accepted from servers without a valid sender domain", {}, "rejected"),
    (550, None, "550 RFC 1035 violation: recursive CNAME records for example.net", {}, "rejected"),
    (550, "5.7.1", "550 5.7.1 Access denied (sender blacklisted)", {}, "rejected"),
    (550, None, ("550 Your message was rejected because the sender isn't on the recipient's list of senders to "
                 "accept mail from"), {}, "rejected"),
    # securityerror
    (550, None, "550 Domain example.net is a dead domain", {}, "securityerror"),
    (552, None, "552 Executable files are not allowed in compressed files", {}, "securityerror"),
    # spamdetected
    (550, "5.7.1", "550-5.7.1 [192.0.2.1] Our system has detected that this message is", DATA, "spamdetected"),
    (451, None, "451 Your message has been temporarily blocked by our filter", DATA, "spamdetected"),
    (550, None, "550 Mail score (15.2) over (5.0)", DATA, "spamdetected"),
    # suspend
    (550, None, "550 <jdoe@example.org> has been suspended", {}, "suspend"),
    # systemerror
    (554, None, "554 Could not load DRD for domain example.org", {}, "systemerror"),
    (554, None, "554 A loop was found in the mail exchanger", {}, "systemerror"),
    (550, None, "550 Recipient deferred because there is no Mdb", {}, "systemerror"),
    (None, None, "Temporary local problem - please try later", {}, "systemerror"),
    (554, None, "554 The message was not delivered: it encountered an error while being processed", {}, "systemerror"),
    (554, None, "554 Remote server is misconfigured", {}, "systemerror"),
    # userunknown
    (550, None, "550 #5.1.1 bad address jdoe@example.org", RCPT, "userunknown"),
    (550, None, "550 Address invalid", RCPT, "userunknown"),
    (550, None, "550 <jdoe@example.org> not found", RCPT, "userunknown"),
    (550, None, "550 Address unknown", RCPT, "userunknown"),
    (550, None, "550 no thank you rejected: account unavailable", RCPT, "userunknown"),
    (550, None, "550 Mailbox unavaiable", RCPT, "userunknown"),
    (550, None, "550 RCPT <jdoe@example.org> does not exist", RCPT, "userunknown"),
    (None, None, ("host mx.example.org[192.0.2.1] said: 550 Recipient address rejected. (in reply to RCPT TO "
                  "command)"), {}, "userunknown"),
    (550, None, "550 Recipient address rejected: userunknown", RCPT, "userunknown"),
    (550, None, "550 Recipient refuses to accept your mail", RCPT, "userunknown"),
    (550, None, "550 This spectator does not exist", RCPT, "userunknown"),
]


# The wordings the reference's Go lists add to its Perl ones (go-sisimai reason/why-*.go).
WORDINGS_GO = [
    (550, None, "550 Mail from 192.0.2.1 refused, see the ORBS listing", {}, "blocked"),
    (550, None, "550 Your access IP 192.0.2.1 has been rejected", {}, "blocked"),
    (550, None, "550 Not sufficient disk space for this mailbox", {}, "mailboxfull"),
    (550, None, "550 Specified domain is not allowed", {}, "norelaying"),
    (421, None, "421 Too many open sessions from your host", {}, "toomanyconn"),
    (554, None, "554 Unable to connect to the filtering daemon", {}, "systemerror"),
    (550, None, "550 Cannot resolve your address.", {}, "requireptr"),
]


@pytest.mark.parametrize(("code", "status", "text", "facts", "reason"), WORDINGS + WORDINGS_GO)
def test_reference_wording(code, status, text, facts, reason):
    verdict = classify(code, status, text, **facts)
    assert verdict.reason == reason, verdict.rule


# Words that stay as they were: a wording close to one added that says something else.
KEPT = [
    # "Recipient address rejected: <more>" is decided by what follows, not by the bare refusal.
    (451, None, "451 4.7.1 <jdoe@example.org>: Recipient address rejected: Greylisted, see http://postgrey.example/",
     RCPT, "blocked"),
    (550, None, "550 5.1.2 <jdoe@example.org>: Recipient address rejected: Domain not found", RCPT, "hostunknown"),
    # the sending MTA's own lost connection stays a network failure; a sender's quota is no mailbox's
    (421, None, "421 lost connection with mx.example.org[192.0.2.1] while sending RCPT TO", {}, "networkerror"),
    (550, None, "550 Daily sending quota exceeded", {}, "speeding"),
    # a disabled account is still one, when not disabled for its quota
    (550, None, "550 5.2.1 Account disabled", RCPT, "suspend"),
    # a bad address syntax is no unknown mailbox (a bare 553 names no reason)
    (553, None, "553 Bad address syntax", {}, "onhold"),
    # the recipient's own size limit is still its own
    (552, None, "552 5.2.3 Message header size exceeds limit", {}, "exceedlimit"),
    # Sendmail's "Host unknown (Name server: .: host not found)" stays the recipient's domain
    (550, "5.1.2", "550 5.1.2 <jdoe@example.org>... Host unknown (Name server: .: host not found)", {}, "hostunknown"),
]


@pytest.mark.parametrize(("code", "status", "text", "facts", "reason"), KEPT)
def test_neighbouring_wordings_keep_their_reason(code, status, text, facts, reason):
    verdict = classify(code, status, text, **facts)
    assert verdict.reason == reason, verdict.rule
