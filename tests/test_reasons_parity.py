"""Reason by reason: a typical wording of each reason, read with a typical status and without one.

The texts are short synthetic replies written for this test, in the words the mail systems'
sources and documentation give for each reason (the origin each list entry names). Each row is
read twice: with the status that usually comes with it, and with the reply code alone, so the
phrase, not the status table, has to say the reason. Where a wording sits in two reasons' lists,
the row's reason is the one the decision order of ``bouncectl.bounces.reasons.ORDER`` gives.
"""

from __future__ import annotations

import pytest

from bouncectl.bounces import classify

# (reason, reply code, status, refused command, text)
ROWS = [
    # userunknown
    ("userunknown", 550, "5.1.1", "RCPT", "550 5.1.1 <jdoe@example.org>... User unknown"),
    ("userunknown", 550, "5.1.1", "RCPT", "550 5.1.1 sorry, no mailbox here by that name"),
    ("userunknown", 550, "5.1.1", "RCPT", "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"),
    ("userunknown", 550, "5.1.1", "RCPT", "550 5.1.1 RESOLVER.ADR.Recipient NotFound"),
    ("userunknown", 550, "5.1.1", "RCPT", "550 5.1.1 Recipient address rejected: User unknown in local recipient table"),
    ("userunknown", 550, "5.1.1", "RCPT", "550 5.1.1 vdeliver: invalid or unknown virtual user"),
    ("userunknown", 550, "5.1.1", "RCPT", "550 5.1.1 No valid recipients, bye"),
    # hostunknown
    ("hostunknown", 550, "5.1.2", "RCPT", "550 5.1.2 Host or domain name not found. Name service error"),
    ("hostunknown", 550, "5.1.2", "RCPT", "550 5.1.2 Unrouteable address"),
    # hasmoved
    ("hasmoved", 550, "5.1.6", "RCPT", "550 5.1.6 jdoe has been replaced by jane"),
    # notaccept
    ("notaccept", 556, "5.1.10", "RCPT", "556 5.1.10 example.org does not accept mail (nullMX)"),
    ("notaccept", 550, "5.1.10", "RCPT", "550 5.1.10 no MX record found for domain=example.org"),
    # suspend
    ("suspend", 550, "5.2.1", "RCPT", "550 5.2.1 The email account that you tried to reach is disabled"),
    ("suspend", 550, "5.2.1", "RCPT", "550 5.2.1 this mailbox is disabled"),
    # mailboxfull
    ("mailboxfull", 552, "5.2.2", "RCPT", "552 5.2.2 Mailbox full"),
    ("mailboxfull", 552, "5.2.2", "RCPT", "552 5.2.2 user is over quota"),
    # filtered
    ("filtered", 550, "5.2.0", "DATA", "550 5.2.0 message rejected due to user rules"),
    # rejected
    ("rejected", 553, "5.1.8", "MAIL", "553 5.1.8 Sender address rejected: Domain not found"),
    ("rejected", 550, "5.7.1", "MAIL",
     "550 5.7.1 It looks like you are sending this from a different address or alias using the Send mail as feature"),
    ("rejected", 550, "5.7.1", "DATA", "550 5.7.1 NOT MEMBER article from jdoe"),
    ("rejected", 550, "5.7.1", "DATA", "550 5.7.1 Denied by SecuMail Valid-Address-Filter"),
    # blocked
    ("blocked", 554, "5.7.1", "CONN", "554 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org"),
    ("blocked", 554, "5.7.1", None, "554 Your access to submit messages to this e-mail system has been rejected"),
    # spamdetected
    ("spamdetected", 550, "5.7.1", "DATA", "550 5.7.1 message rejected as spam"),
    ("spamdetected", 550, "5.7.1", "DATA", "550 5.7.1 This message has been scored as spam with a probability"),
    # policyviolation
    ("policyviolation", 550, "5.7.1", "DATA", "550 5.7.1 message rejected due to local policy"),
    # expired
    ("expired", 451, "4.4.7", None, "451 4.4.7 message expired after sitting in queue for 5 days"),
    # networkerror
    ("networkerror", 554, "5.4.6", None, "554 5.4.6 hop count exceeded - possible mail loop"),
    # systemerror
    ("systemerror", 451, "4.3.0", None, "451 4.3.0 local configuration error"),
    # securityerror
    ("securityerror", 530, "5.7.0", None, "530 5.7.0 authentication required"),
    # authfailure
    ("authfailure", 550, "5.7.23", None, "550 5.7.23 SPF check: fail"),
    # requireptr
    ("requireptr", 550, "5.7.25", None, "550 5.7.25 reverse DNS required"),
    # norelaying
    ("norelaying", 554, "5.7.1", "RCPT", "554 5.7.1 Relay access denied"),
    # toomanyconn
    ("toomanyconn", 421, "4.7.0", "CONN", "421 4.7.0 too many concurrent SMTP connections"),
    # speeding
    ("speeding", 421, "4.7.0", None, "421 4.7.0 please try again slower"),
    # contenterror
    ("contenterror", 554, "5.6.0", "DATA", "554 5.6.0 improper use of 8-bit data in message header"),
    # mesgtoobig
    ("mesgtoobig", 552, "5.3.4", "DATA", "552 5.3.4 message file too big"),
    # exceedlimit
    ("exceedlimit", 552, "5.2.3", "DATA", "552 5.2.3 message header size exceeds limit"),
    # virusdetected
    ("virusdetected", 554, "5.7.1", "DATA", "554 5.7.1 your message was infected with a virus"),
    # mailererror
    ("mailererror", 550, "5.3.0", None, "550 5.3.0 command died with status 1"),
    # notcompliantrfc
    ("notcompliantrfc", 550, "5.7.1", "DATA", "550 5.7.1 This message is not RFC 5322 compliant"),
    # badreputation
    ("badreputation", 421, "4.7.0", None, "421 4.7.0 the sending MTA's poor reputation"),
    # failedstarttls
    ("failedstarttls", 530, "5.7.10", None, "530 5.7.10 STARTTLS is required to send mail"),
    # systemfull
    ("systemfull", 452, "4.3.1", None, "452 4.3.1 mail system full"),
]


def _id(row):
    return f"{row[0]}: {row[4][:50]}"


@pytest.mark.parametrize("row", ROWS, ids=[_id(row) for row in ROWS])
def test_wording_with_its_typical_status(row):
    reason, code, status, command, text = row
    assert classify(code, status, text, command=command).reason == reason


@pytest.mark.parametrize("row", ROWS, ids=[_id(row) for row in ROWS])
def test_wording_without_a_status(row):
    reason, code, _status, command, text = row
    verdict = classify(code, None, text, command=command)
    assert verdict.reason == reason, verdict.rule


# The bare reply codes the IANA registry (RFC 5248) associates with one enhanced status.
@pytest.mark.parametrize(("code", "reason"), [(523, "failedstarttls"), (524, "failedstarttls"), (525, "suspend")])
def test_bare_reply_code_of_a_registered_status(code, reason):
    verdict = classify(code, None, f"{code} delivery refused")
    assert verdict.reason == reason
    assert verdict.rule.startswith(f"{reason}: reply code {code} [")
