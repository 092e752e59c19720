"""The reason modules, the provider tables and the decision order, case by case."""

from __future__ import annotations

import re

import pytest

from bouncectl.bounces import WEAK_DECODER_REASONS, classify, provider_of, providers, rule_of
from bouncectl.bounces.reasons import ORDER
from bouncectl.bounces.rules import Rule, compile_phrase, contains_all, key_words, required_literals

# --- the phrase language ---------------------------------------------------------------------

PHRASE_CASES = [
    ("user unknown", "550 user unknown", True),
    ("user unknown", "user < > unknown", True),          # an address removed in between
    ("user unknown", "user: unknown", True),
    ("user unknown", "username unknown", False),         # whole words only
    ("user ... not found", "user jdoe was not found", True),
    ("user ... not found", "user a b c d e f g not found", False),  # more than GAP_WORDS words
    ("mailbox|account ... disabled", "the account is disabled", True),
    ("mailbox|account ... disabled", "the domain is disabled", False),
    ("disabl*", "disabling", True),
    ("[the] recipient rejected", "recipient rejected", True),
    ("[the] recipient rejected", "the recipient rejected", True),
    (r"re:(?<!not )\blisted in\b", "not listed in directory", False),
    (r"re:(?<!not )\blisted in\b", "ip listed in zen", True),
    ("aup#cxbl", "550 aup#cxbl blocked", True),
]


@pytest.mark.parametrize(("phrase", "text", "matches"), PHRASE_CASES)
def test_phrase_language(phrase, text, matches):
    assert bool(re.search(compile_phrase(phrase), text)) is matches


@pytest.mark.parametrize(
    ("phrase", "keys"),
    [("user unknown", (("unknown",), True)), ("mailbox|account ... disabled", (("disabled",), True)),
     ("re:anything", None), ("spf", (("spf",), True)), ("quotaexceeded*", (("quotaexceeded",), False)),
     ("ptr-record", (("ptr-record",), False))],
)
def test_key_words_are_a_necessary_literal(phrase, keys):
    assert key_words(phrase) == keys


@pytest.mark.parametrize(
    ("phrase", "needs"),
    [("user unknown", (("user",), ("unknown",))), ("[the] recipient ... rejected", (("recipient",), ("rejected",))),
     ("mailbox|account ... disabl*", (("mailbox", "account"), ("disabl",))), ("re:anything", None)],
)
def test_required_literals(phrase, needs):
    assert required_literals(phrase) == needs


def test_a_phrase_matches_only_texts_that_hold_its_required_literals():
    # The pre-filter may skip a rule only where its expression could not match: every text of the
    # cases below that a rule's expression matches holds that rule's literals.
    texts = [text.lower() for _, _, text, _, _ in CASES] + [text for _, text, _ in PHRASE_CASES]
    phrases = [rule.phrase for plist in ORDER for rule in plist.rules]
    phrases += [part for provider in providers.PROVIDERS for rule in provider.rules if rule.phrase
                and not rule.phrase.startswith("re:") for part in rule.phrase.split("|")]
    matched = 0
    for phrase in phrases:
        pattern = re.compile(compile_phrase(phrase))
        for text in texts:
            if pattern.search(text):
                matched += 1
                assert contains_all(text, required_literals(phrase)), (phrase, text)
    assert matched > len(texts)


def test_a_rule_needs_an_origin():
    with pytest.raises(ValueError):
        Rule("userunknown", "user unknown", "")


# --- reasons by their wording: (code, status, text, hints) -> reason --------------------------

CASES = [
    # userunknown and its resolution by command and status
    (550, "5.1.1", "550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in local recipient table",
     {}, "userunknown"),
    (550, None, "550 sorry, no mailbox here by that name. (#5.1.1)", {"command": "RCPT"}, "userunknown"),
    (550, None, "550 The user jdoe was not found", {"command": "RCPT"}, "userunknown"),
    (550, None, "550 No such user here", {"command": "MAIL"}, "rejected"),
    (550, None, "550 No such user here", {"command": "DATA"}, "filtered"),
    (550, "5.7.1", "550 5.7.1 Unknown recipient", {}, "filtered"),
    (None, None, "User jdoe not listed in Domino Directory", {}, "userunknown"),
    # the domain
    (550, "5.1.2", "Host or domain name not found. Name service error for name=example.invalid type=MX", {},
     "hostunknown"),
    (None, "4.4.3", ("Host or domain name not found. Name service error for name=example.org type=MX: "
     "Host not found, try again"), {}, "networkerror"),
    (None, "5.1.10", "550 5.1.10 Recipient address has null MX", {}, "notaccept"),
    (None, "5.4.6", "mail for example.org loops back to myself", {}, "networkerror"),
    (554, None, "554 5.3.5 local configuration error", {}, "systemerror"),
    # the mailbox
    (552, "5.2.2", "552 5.2.2 Quota exceeded (mailbox for user is full)", {}, "mailboxfull"),
    (452, None, "452 4.2.2 The email account that you tried to reach is over quota", {}, "mailboxfull"),
    (550, None, "550 This account has been suspended", {}, "suspend"),
    (550, "5.1.6", "550 5.1.6 recipient no longer on server", {}, "hasmoved"),
    (552, "5.2.3", "552 5.2.3 Message exceeds the limit set by the recipient", {}, "exceedlimit"),
    (552, None, "552 sorry, that message size exceeds my databytes limit (#5.3.4)", {}, "mesgtoobig"),
    # the sending host and the sender
    (554, "5.7.1", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", {},
     "blocked"),
    (421, None, "421 host mx.example.org refused to talk to me: 421 Service not available", {}, "blocked"),
    (550, "5.7.1", "550 5.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]", {}, "requireptr"),
    (553, "5.1.8", "553 5.1.8 <a@example.net>... Domain of sender address a@example.net does not exist", {},
     "rejected"),
    (550, None, "550 Sender verify failed", {}, "rejected"),
    (550, None, "550 Access denied", {"command": "MAIL"}, "rejected"),
    (554, "5.7.1", "554 5.7.1 <a@example.org>: Relay access denied", {}, "norelaying"),
    (550, "5.7.26", "550 5.7.26 This message does not pass DMARC", {}, "authfailure"),
    (530, "5.7.0", "530 5.7.0 Must issue a STARTTLS command first", {}, "failedstarttls"),
    # the content (after DATA only)
    (554, "5.7.1", "554 5.7.1 Message rejected as spam by Content Filtering", {}, "spamdetected"),
    (550, None, "550 Message contains a virus (Eicar-Test-Signature)", {}, "virusdetected"),
    (550, None, "550 Rejected: this looks like spam", {"command": "DATA"}, "spamdetected"),
    (550, "5.6.0", "550 5.6.0 Improper use of 8-bit data in message header", {}, "contenterror"),
    (554, None, "554 Message not allowed - [PH01] Email not accepted for policy reasons", {}, "policyviolation"),
    (550, "5.7.1", "550 5.7.1 This message is not RFC 5322 compliant, duplicate headers", {}, "notcompliantrfc"),
    # volume and the way there
    (452, "4.5.3", "452 4.5.3 Error: too many recipients", {}, "toomanyconn"),
    (450, "4.2.1", ("450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents "
                   "additional messages from being delivered"), {}, "speeding"),
    (None, None, "retry timeout exceeded", {}, "expired"),
    (None, "4.4.7", "Message delayed", {}, "expired"),
    (452, "4.3.1", "452 4.3.1 Insufficient system storage", {}, "systemfull"),
    (503, None, "503 Bad sequence of commands", {}, "syntaxerror"),
]


@pytest.mark.parametrize(("code", "status", "text", "hints", "reason"), CASES,
                         ids=[f"{case[4]}-{i}" for i, case in enumerate(CASES)])
def test_reason(code, status, text, hints, reason):
    verdict = classify(code, status, text, **hints)
    assert verdict.reason == reason, verdict.rule
    rule = rule_of(verdict)
    assert rule is not None and rule.origin


# --- provider tables ---------------------------------------------------------------------------

PROVIDER_CASES = [
    ("example-com.mail.protection.outlook.com", 550, "5.7.606",
     "550 5.7.606 Access denied, banned sending IP [192.0.2.1]", "blocked"),
    ("example-com.mail.protection.outlook.com", 550, "5.1.10",
     "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", "userunknown"),
    ("outlook.com", 550, "5.7.509", "550 5.7.509 Access denied, sending domain example.org does not pass DMARC",
     "authfailure"),
    ("gmail-smtp-in.l.google.com", 550, "5.7.26",
     "550-5.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC policy", "authfailure"),
    ("gmail.com", 550, "5.2.1", "550-5.2.1 The email account that you tried to reach is inactive", "suspend"),
    ("mta7.am0.yahoodns.net", 421, "4.7.1", ("421 4.7.1 [TS03] All messages from 192.0.2.1 will be permanently "
     "deferred"), "blocked"),
    ("cox.net", 554, None, "554 cox.net rejected; IP blocked AUP#CXBL", "blocked"),
    ("charter.net", 421, None, "421 4.7.1 sender rejected AUP#I-1360", "speeding"),
    ("smtp.orange.fr", 550, "5.1.1", ("550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. "
     "OFR_416 [416]"), "userunknown"),
    ("smtp.secureserver.net", 554, None, ("554 Connection refused. This IP address is listed on the Spamhaus Block "
     "List (SBL). IB104"), "blocked"),
    ("mx.qq.com", 550, None, "550 Mail content denied", "spamdetected"),
    ("eu-smtp-inbound-1.mimecast.com", 550, None, "550 Administrative prohibition envelope blocked", "rejected"),
    ("mx.facebook.com", 550, "5.1.1", "550 5.1.1 RCP-P1 The attempted recipient address does not exist",
     "userunknown"),
    ("mx.i.ua", 550, None, "550 Mailbox is full, see http://mail.i.ua/err/4/", "mailboxfull"),
    ("mfsmax.docomo.ne.jp", 550, "5.0.0", "550 Unknown user a@docomo.ne.jp", "userunknown"),
    ("mx1.comcast.net", 554, None, ("554 resimta-po-01v.sys.comcast.net comcast 192.0.2.1 Comcast block for spam. "
     "Please see http://postmaster.comcast.net/smtp-error-codes.php#BL000000"), "blocked"),
    ("mx1.comcast.net", 421, None, "421 Too many sessions opened", "toomanyconn"),
]


@pytest.mark.parametrize(("host", "code", "status", "text", "reason"), PROVIDER_CASES,
                         ids=[case[0] for case in PROVIDER_CASES])
def test_provider_table(host, code, status, text, reason):
    verdict = classify(code, status, text, host=host, command="RCPT")
    assert verdict.reason == reason, verdict.rule
    assert "provider " + provider_of(host) in verdict.rule


def test_the_provider_comes_from_the_remote_host_or_the_recipient_domain():
    text = "554 5.7.1 [TS03] All messages from 192.0.2.1 will be permanently deferred"
    assert "provider yahoo" in classify(554, "5.7.1", text, recipient="someone@yahoo.com").rule
    assert "provider yahoo" in classify(554, "5.7.1", text, host="mta5.am0.yahoodns.net",
                                        recipient="someone@example.com").rule
    assert "provider" not in classify(554, "5.7.1", text, recipient="someone@example.com").rule
    assert provider_of("gmail-smtp-in.l.google.com") == provider_of("gmail.com") == "google"
    assert provider_of("example.com") is None
    # Without the provider, the same Microsoft code still counts where Exchange wrote it.
    assert classify(550, "5.7.606", "550 5.7.606 Access denied, banned sending IP").reason == "blocked"


# --- the decision order ------------------------------------------------------------------------

def test_a_strong_decoder_reason_decides_and_a_weak_one_is_refined():
    assert classify(550, "5.1.1", "550 5.1.1 mailbox full", decoder_reason="exceedlimit").reason == "exceedlimit"
    assert "userunknown" in WEAK_DECODER_REASONS
    assert classify(550, "5.2.2", "550 5.2.2 mailbox full", decoder_reason="userunknown").reason == "mailboxfull"
    verdict = classify(550, None, "550 rejected", decoder_reason="rejected", decoder_origin="Exim: src/acl.c")
    assert rule_of(verdict).origin == "Exim: src/acl.c" and rule_of(verdict).reason == "rejected"
    # A weak decoder reason still beats the bare status table.
    assert classify(550, "5.0.0", "550 rejected", decoder_reason="expired").reason == "expired"


def test_a_local_mailer_error_is_a_mailer_error_unless_the_text_says_more():
    unix = {"diagnostic_type": "X-Unix"}
    assert classify(None, "5.1.1", "procmail: Couldn't create /var/mail/a; No such user", **unix).reason \
        == "mailererror"
    assert classify(None, "5.3.0", "exit status 75", **unix).reason == "mailererror"
    assert classify(None, "4.3.0", "/var/mail/a: Disk quota exceeded", **unix).reason == "mailboxfull"
    assert classify(None, "5.3.0", "exit status 75", diagnostic_type="SMTP").reason == "systemerror"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("550 User unknown (in reply to RCPT TO command)", "userunknown"),
        ("550 User unknown (in reply to end of DATA command)", "filtered"),
        ("550 User unknown (in reply to MAIL FROM command)", "rejected"),
        ("Connected to 192.0.2.1 but sender was rejected. Remote host said: 553 unknown user", "rejected"),
        ("192.0.2.1 does not like recipient. Remote host said: 550 user unknown", "userunknown"),
        ("550 User unknown", "filtered"),  # neither a command nor a status: too little to call it hard
    ],
)
def test_the_refused_command_is_read_from_the_text_when_not_given(text, reason):
    assert classify(550, None, text).reason == reason


def test_content_reasons_are_not_given_before_data():
    # "spam" in reply to RCPT TO is not a verdict on the content, which the server has not seen.
    text = "550 5.7.1 Mail from 192.0.2.1 refused, spam source"
    assert classify(550, "5.7.1", text, command="RCPT").reason != "spamdetected"
    assert classify(550, "5.7.1", text, command="DATA").reason == "spamdetected"


@pytest.mark.parametrize(
    ("status", "reason", "bounce_type"),
    [("4.4.4", "networkerror", "soft"), ("5.4.4", "hostunknown", "hard"), ("5.7.100", "securityerror", "soft"),
     ("5.6.8", "contenterror", "soft"), ("4.7.1", "blocked", "soft")],
)
def test_the_status_table_reads_the_class(status, reason, bounce_type):
    verdict = classify(None, status, None)
    assert (verdict.reason, verdict.bounce_type) == (reason, bounce_type)


@pytest.mark.parametrize("command", ["CONN", "EHLO", "HELO"])
def test_a_refusal_before_mail_from_refuses_the_sending_host(command):
    assert classify(550, None, "550 Rejected", command=command).reason == "blocked"
    assert classify(554, "5.7.1", "554 5.7.1 Access denied", command=command).reason == "blocked"


def test_a_delayed_dsn_with_nothing_more_is_expired():
    assert classify(None, None, "The message could not be delivered yet", action="delayed").reason == "expired"
    assert classify(None, None, "The message could not be delivered yet", action="failed").reason == "onhold"


def test_every_phrase_list_is_named_and_in_one_order():
    assert len(ORDER) == len({id(plist) for plist in ORDER})
    for plist in ORDER:
        assert plist.title and plist.rules


# --- explain names the rule --------------------------------------------------------------------

DSN = """\
From: MAILER-DAEMON@mx.example.net
To: sender@example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

This is the mail system at host mx.example.net.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; gone@example.com
Action: failed
Status: 5.2.2
Remote-MTA: dns; mail.example.com
Diagnostic-Code: smtp; 552 5.2.2 <gone@example.com>: Quota exceeded (mailbox for user is full)

--b1--
"""


def test_explain_names_the_rule_and_its_origin(bc, tmp_path):
    from conftest import as_json

    path = tmp_path / "bounce.eml"
    path.write_text(DSN)
    rows = [row for row in as_json(bc("explain", path, "--format", "json")) if row["recipient"]]
    assert [(row["recipient"], row["reason"], row["bounce_type"]) for row in rows] == \
        [("gone@example.com", "mailboxfull", "soft")]
    rule = rule_of(rows[0]["rule"])
    assert rule is not None and rule.reason == "mailboxfull" and "RFC 3463" in rule.origin
