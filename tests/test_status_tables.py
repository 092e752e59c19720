"""The last evidence: the status table, the reply-code table and the class defaults.

They decide only when no provider code and no phrase spoke; what they give follows the
standards' meaning of each code (RFC 3463, RFC 4954, RFC 5248, RFC 5321, RFC 6531, RFC 8617).
"""

from __future__ import annotations

import pytest

from bouncectl.bounces import classify, status


@pytest.mark.parametrize(
    ("code", "enhanced", "reason", "bounce_type"),
    [
        # X.1.1-X.1.3 are only useful for permanent failures: a transient one is not a dead address.
        (None, "5.1.1", "userunknown", "hard"),
        (None, "4.1.1", "onhold", "soft"),
        (None, "4.1.3", "onhold", "soft"),
        (None, "5.1.2", "hostunknown", "hard"),
        (None, "4.1.2", "networkerror", "soft"),
        # X.1.5 says the destination address is valid: never an unknown user.
        (550, "5.1.5", "onhold", "soft"),
        # X.5.5, a protocol version the systems cannot agree on, in either class; X.5.6 (RFC 4954).
        (None, "5.5.5", "systemerror", "soft"),
        (None, "4.5.5", "systemerror", "soft"),
        (None, "5.5.6", "syntaxerror", "soft"),
        # RFC 6531's and RFC 8617's codes.
        (None, "5.6.7", "contenterror", "soft"),
        (None, "5.7.29", "authfailure", "soft"),
        # A code of a known subject whose detail no table lists.
        (None, "4.4.22", "networkerror", "soft"),
        (None, "5.3.99", "systemerror", "soft"),
        (None, "5.7.100", "securityerror", "soft"),
    ],
)
def test_a_status_alone_means_what_the_standard_says(code, enhanced, reason, bounce_type):
    verdict = classify(code, enhanced, None)
    assert (verdict.reason, verdict.bounce_type) == (reason, bounce_type), verdict.rule


@pytest.mark.parametrize(
    ("code", "reason"),
    [(523, "failedstarttls"), (432, "securityerror"), (501, "syntaxerror"), (525, "suspend"),
     (521, "notaccept"), (556, "notaccept"), (550, "onhold")],
)
def test_a_bare_reply_code_means_what_the_standard_says(code, reason):
    verdict = classify(code, None, f"{code} no more words")
    assert verdict.reason == reason, verdict.rule
    assert f"reply code {code}" in verdict.rule


def test_a_phrase_comes_before_the_status_table():
    # The transient 4.1.1 alone holds the bounce; the server's words name the reason.
    assert classify(450, "4.1.1", "450 4.1.1 <a@example.com>: mailbox full").reason == "mailboxfull"


@pytest.mark.parametrize("key", sorted(status.STATUS_TABLE))
def test_a_transient_status_alone_never_makes_a_hard_bounce(key):
    verdict = classify(None, "4" + key[1:], None)
    assert verdict.bounce_type == "soft", verdict.rule


def test_every_class_entry_names_a_class_and_every_origin_a_standard():
    for code, rule in status.CLASS_STATUS_TABLE.items():
        assert code[0] in "45" and rule.statuses == {code}
    for rule in (*status.STATUS_TABLE.values(), *status.CLASS_STATUS_TABLE.values(), *status.REPLY_CODES.values(),
                 *status.SUBJECTS.values()):
        assert rule.origin.startswith(("RFC", "IANA")), rule.origin


@pytest.mark.parametrize(
    ("code", "text"),
    [(550, "550 no more words"), (450, "450 try again later"), (None, None)],
)
def test_a_refusal_at_mail_from_with_nothing_more_refuses_the_sender(code, text):
    verdict = classify(code, None, text, command="MAIL")
    assert (verdict.reason, verdict.bounce_type) == ("rejected", "soft"), verdict.rule
    assert "MAIL FROM" in verdict.rule


def test_a_refusal_at_rcpt_to_with_nothing_more_is_held():
    assert classify(550, None, "550 no more words", command="RCPT").reason == "onhold"
