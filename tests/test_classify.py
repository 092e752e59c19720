"""The classifier: reason and hard/soft from reply code, enhanced status, text, host and command."""

from __future__ import annotations

import pytest

from bouncectl.bounces import (
    ABANDONED_INBOX_REASONS,
    HARD_REASONS,
    NOT_BOUNCES,
    RESOLVABLE_REASONS,
    Verdict,
    classify,
    combine,
    natural_type,
    needs_resolution,
    provider_of,
)

# SPEC section 3: every reason the classifier may give.
SPEC_REASONS = {
    "userunknown", "hostunknown", "hasmoved", "notaccept", "authfailure", "badreputation", "blocked",
    "contenterror", "exceedlimit", "expired", "failedstarttls", "filtered", "mailboxfull", "mailererror",
    "mesgtoobig", "networkerror", "norelaying", "notcompliantrfc", "policyviolation", "rejected", "requireptr",
    "securityerror", "spamdetected", "speeding", "suppressed", "suspend", "syntaxerror", "systemerror",
    "systemfull", "toomanyconn", "virusdetected", "onhold", "undefined", "delivered", "feedback", "vacation",
}

# (smtp_code, enhanced_status, diagnostic, keyword hints) -> (reason, bounce_type)
CASES = [
    # The recipient.
    (550, "5.1.1", "550 5.1.1 <a@example.com>... User Unknown", {}, ("userunknown", "hard")),
    (550, None, "550 Requested action not taken: mailbox unavailable", {"command": "RCPT"}, ("userunknown", "hard")),
    (550, "5.0.0", "550 <a@example.com>: User unknown", {}, ("userunknown", "hard")),
    (None, None, "User some.one (a@example.com) not listed in Domino Directory", {}, ("userunknown", "hard")),
    (550, "5.1.6", "550 5.1.6 recipient no longer on server: a@example.com", {}, ("hasmoved", "hard")),
    (552, "5.2.2", "552 5.2.2 <a@example.com>: user is over quota", {}, ("mailboxfull", "soft")),
    (None, None, "Delivery failed: Disk quota exceeded", {}, ("mailboxfull", "soft")),
    (550, "5.2.1", "550 5.2.1 This account has been disabled or discontinued", {}, ("suspend", "soft")),
    (525, "5.7.13", "525 5.7.13 Disabled recipient address", {}, ("suspend", "soft")),
    # "No such user": the refused command and the status decide.
    (550, None, "550 Unknown user a@example.com", {"command": "MAIL"}, ("rejected", "soft")),
    (550, None, "550 Unknown user a@example.com", {"command": "DATA"}, ("filtered", "soft")),
    # In reply to RCPT TO the words mean the mailbox, even under a policy status (Sisimai's UserUnknown);
    # with that status and no command, a filter used them.
    (550, "5.7.1", "550 5.7.1 <a@example.com>: Recipient address rejected: User unknown", {"command": "RCPT"},
     ("userunknown", "hard")),
    (550, "5.7.1", "550 5.7.1 <a@example.com>: Recipient address rejected: User unknown", {},
     ("filtered", "soft")),
    (550, "5.2.1", "550 5.2.1 <a@example.com>... User Unknown", {}, ("filtered", "soft")),
    (550, "5.2.1", "550 5.2.1 <a@example.com>... User Unknown", {"command": "RCPT"}, ("userunknown", "hard")),
    (None, None, "a@example.com [User unknown]", {}, ("filtered", "soft")),
    (550, "5.1.1", "550 Requested action not taken: mailbox unavailable", {"command": "DATA"}, ("userunknown", "hard")),
    # The recipient's domain.
    (None, "5.4.4", "Host or domain name not found. Name service error for name=example.invalid type=A", {},
     ("hostunknown", "hard")),
    (550, "5.1.2", "550 Host unknown", {}, ("hostunknown", "hard")),
    (None, "4.0.0", "DNS Error: DNS type 'mx' lookup of example.invalid responded with code NXDOMAIN", {},
     ("networkerror", "soft")),
    (None, "5.1.10", "Recipient address has null MX", {}, ("notaccept", "hard")),
    (None, "4.0.0", "The domain example.com doesn't receive email according to the administrator: returned Null MX",
     {}, ("notaccept", "soft")),
    (550, "5.1.7", "550 5.1.7 No such domain example.net", {"command": "MAIL"}, ("rejected", "soft")),
    # The sending host, its name and its domain's authentication.
    (554, "5.7.1", "554 5.7.1 Service unavailable; client host [192.0.2.1] blocked using zen.spamhaus.org", {},
     ("blocked", "soft")),
    (553, "5.1.3", "553 http://www.spamhaus.org/query/bl?ip=192.0.2.1", {}, ("blocked", "soft")),
    (550, None, "550 Access denied", {"command": "CONN"}, ("blocked", "soft")),
    (550, "5.7.25", "550-5.7.25 The IP address sending this message does not have a PTR record setup", {},
     ("requireptr", "soft")),
    (550, "5.7.26", "550-5.7.26 This mail has been blocked because the sender is unauthenticated.", {},
     ("authfailure", "soft")),
    (550, "5.7.1", "550 5.7.1 Email rejected per DMARC policy for example.net", {}, ("authfailure", "soft")),
    (421, "4.7.0", "421 4.7.0 [TSS04] Messages temporarily deferred due to unexpected volume or user complaints", {},
     ("badreputation", "soft")),
    (530, "5.7.0", "530 5.7.0 Must issue a STARTTLS command first", {}, ("failedstarttls", "soft")),
    (554, "5.7.1", "554 5.7.1 <a@example.com>: Relay access denied", {}, ("norelaying", "soft")),
    # The message.
    (552, "5.3.4", "552 5.3.4 Message too large", {}, ("mesgtoobig", "soft")),
    (552, "5.2.3", "552 5.2.3 Message size exceeds fixed maximum message size (10485760)", {},
     ("exceedlimit", "soft")),
    (550, "5.7.1", "550 5.7.1 Message content rejected, UBE, id=00000-01", {}, ("spamdetected", "soft")),
    (550, None, "550 Virus Detected; Content Rejected", {}, ("virusdetected", "soft")),
    (550, "5.7.1", "550-5.7.1 This message is not RFC 5322 compliant. 550-5.7.1 To reduce the amount of spam sent", {},
     ("notcompliantrfc", "soft")),
    (550, "5.6.9", "550 5.6.9 improper use of 8-bit data in message header", {}, ("contenterror", "soft")),
    (554, "5.7.9", "554 5.7.9 Message not accepted for policy reasons.", {}, ("policyviolation", "soft")),
    (553, "5.1.8", "553 5.1.8 Domain of sender address root@host.example does not exist", {}, ("rejected", "soft")),
    # Volume, the way there and the receiving system.
    (550, "5.2.1", "550-5.2.1 The user you are trying to contact is receiving mail at a rate that prevents", {},
     ("speeding", "soft")),
    (452, "4.5.3", "452 4.5.3 Too many recipients", {}, ("toomanyconn", "soft")),
    (None, None, "retry timeout exceeded", {}, ("expired", "soft")),
    (None, "4.4.7", None, {}, ("expired", "soft")),
    (None, None, "lost connection with mx.example.com[192.0.2.9] while performing the HELO handshake", {},
     ("networkerror", "soft")),
    (452, "4.3.1", "452 4.3.1 Insufficient system storage", {}, ("systemfull", "soft")),
    (421, None, "421 Service not available, closing transmission channel", {"command": "CONN"}, ("blocked", "soft")),
    (554, "5.0.0", "554 Transaction failed", {}, ("systemerror", "soft")),
    (504, None, "504 Command parameter not implemented", {}, ("syntaxerror", "soft")),
    (None, "5.1.1", "procmail: Couldn't create \"/var/spool/mail/a\"", {}, ("mailererror", "soft")),
    # Known providers' own wording (the remote host, or the recipient's domain).
    (550, None, "550 Unknown user a@docomo.ne.jp", {"host": "mfsmax.docomo.ne.jp"}, ("userunknown", "hard")),
    (550, "5.0.0", "550 Unknown user a@docomo.ne.jp", {"host": "mfsmax.docomo.ne.jp", "command": "DATA"},
     ("rejected", "soft")),
    (550, "5.2.0", "550 Unknown user a@docomo.ne.jp", {"host": "docomo.ne.jp"}, ("filtered", "soft")),
    (550, "5.4.1", "550 5.4.1 Recipient address rejected: Access denied.",
     {"host": "example-com.mail.protection.outlook.com"}, ("userunknown", "hard")),
    (550, "5.1.0", "550 5.1.0 sender rejected. AUP#In-1310", {"host": "charter.net"}, ("toomanyconn", "soft")),
    # Nothing specific.
    (550, None, "550 Rejected for no stated reason", {}, ("onhold", "soft")),
    (None, None, None, {}, ("undefined", "soft")),
    (250, "2.0.0", "250 2.0.0 Ok: queued", {}, ("delivered", None)),
]


@pytest.mark.parametrize(("code", "status", "diagnostic", "hints", "expected"), CASES)
def test_classify(code, status, diagnostic, hints, expected):
    verdict = classify(code, status, diagnostic, **hints)
    assert (verdict.reason, verdict.bounce_type) == expected
    assert verdict.reason in SPEC_REASONS
    assert verdict.rule


def test_the_rule_names_the_evidence():
    assert "'mailbox full'" in classify(550, None, "550 Mailbox full").rule
    assert "X.1.2" in classify(None, "5.1.2", None).rule
    assert "554" in classify(554, None, "").rule
    assert "MAIL FROM" in classify(550, None, "550 User unknown", command="MAIL").rule
    assert "docomo" in classify(550, None, "550 Unknown user x@docomo.ne.jp", host="docomo.ne.jp").rule


def test_addresses_and_url_paths_are_not_read_as_words():
    # The local part says "filtered", the URL path says "spam": neither is the server's word.
    verdict = classify(550, "5.1.1", "550 5.1.1 <filtered@example.com>... User Unknown (see https://example.com/spam)")
    assert verdict.reason == "userunknown"


def test_three_positional_arguments_still_work_and_are_cached():
    first = classify(550, "5.1.1", "550 5.1.1 User unknown")
    assert classify(550, "5.1.1", "550 5.1.1 User unknown") is first


@pytest.mark.parametrize(
    ("reason", "permanent", "expected"),
    [("userunknown", True, "hard"), ("userunknown", False, "hard"), ("notaccept", True, "hard"),
     ("notaccept", False, "soft"), ("notaccept", None, "hard"), ("mailboxfull", True, "soft"),
     ("vacation", None, None), ("feedback", None, None), ("delivered", None, None)],
)
def test_natural_type(reason, permanent, expected):
    assert natural_type(reason, permanent) == expected


@pytest.mark.parametrize(
    ("verdict", "provider_type", "expected"),
    [
        (Verdict("userunknown", "hard", "r"), "soft", "hard"),
        (Verdict("mailboxfull", "soft", "r"), "hard", "hard"),
        (Verdict("mailboxfull", "soft", "r"), "soft", "soft"),
        (Verdict("mailboxfull", "soft", "r"), None, "soft"),
        (Verdict("vacation", None, "r"), "hard", None),
    ],
)
def test_combine(verdict, provider_type, expected):
    combined = combine(verdict, provider_type)
    assert combined.bounce_type == expected
    assert combined.reason == verdict.reason


def test_needs_resolution_and_reason_sets():
    assert needs_resolution("blocked") == "allowlist or policy"
    assert needs_resolution("expired") == "network"
    assert needs_resolution("spamdetected") == "content"
    assert needs_resolution("userunknown") is None
    assert HARD_REASONS <= SPEC_REASONS and NOT_BOUNCES <= SPEC_REASONS
    assert ABANDONED_INBOX_REASONS == {"mailboxfull", "userunknown"}
    for reasons in RESOLVABLE_REASONS.values():
        assert reasons <= SPEC_REASONS


@pytest.mark.parametrize(
    ("host", "provider"),
    [("mfsmax.docomo.ne.jp", "docomo"), ("docomo.ne.jp", "docomo"), ("example.mail.protection.outlook.com",
     "microsoft"), ("charter.net", "spectrum"), ("example.com", None), (None, None), ("notdocomo.ne.jp", None)],
)
def test_provider_of(host, provider):
    assert provider_of(host) == provider
