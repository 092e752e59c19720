"""The order in which a status, the refused command and the words decide a reason, and hard or soft.

Each case is a synthetic bounce (reply code, status, text, hints) and the reason and type it must get,
with the rule of the order it checks (see the module docstring of :mod:`bouncectl.bounces.classify`).
"""

from __future__ import annotations

import pytest

from bouncectl.bounces import classify

RCPT = {"command": "RCPT"}

CASES = [
    # A permanent X.1.1/X.1.0/X.1.3 is an unknown user over the words of reasons weighed after it
    # (a spam verdict, a policy, a security or system failure) ...
    (550, "5.1.1", "550 5.1.1 <a@example.org>: this message looks like spam to us", RCPT, ("userunknown", "hard")),
    (550, "5.1.1", "550 5.1.1 <a@example.org>: rejected for policy reasons", RCPT, ("userunknown", "hard")),
    (550, "5.1.0", "550 5.1.0 <a@example.org>: access denied by local security policy", RCPT,
     ("userunknown", "hard")),
    (550, "5.1.1", "550 5.1.1 <a@example.org>: server error, try again", {}, ("userunknown", "hard")),
    # ... but not over the words weighed before it (a full or moved mailbox, relaying), nor over words
    # that say a block, a refused sender or a local mailer's error; and not for an X-Unix diagnostic.
    (550, "5.1.1", "550 5.1.1 <a@example.org>: mailbox full", RCPT, ("mailboxfull", "soft")),
    (550, "5.1.1", "550 5.1.1 <a@example.org>: relay access denied", RCPT, ("norelaying", "soft")),
    (550, "5.1.1", "550 5.1.1 client host blocked using zen.spamhaus.org", RCPT, ("blocked", "soft")),
    (None, "5.1.1", "procmail: Couldn't create \"/var/spool/mail/a\"", {}, ("mailererror", "soft")),
    (None, "5.1.1", "this message looks like spam to us", {"diagnostic_type": "X-Unix"}, ("spamdetected", "soft")),
    # In reply to MAIL FROM the address is the sender's, whatever the status.
    (550, "5.1.1", "550 5.1.1 <s@example.net>: this message looks like spam to us", {"command": "MAIL"},
     ("rejected", "soft")),
    # X.1.7/X.1.8 refuse the sender over a later reason's words (a spam verdict, a block list).
    (553, "5.1.8", "553 5.1.8 <s@example.net>: this message looks like spam to us", {}, ("rejected", "soft")),
    (550, "5.1.7", "550 5.1.7 <s@example.net>... client host blocked using bl.example.net", {},
     ("rejected", "soft")),
    # A transient X.1.1 is still no unknown user: the words decide.
    (450, "4.1.1", "450 4.1.1 <a@example.org>: this message looks like spam to us", RCPT, ("spamdetected", "soft")),
    # The status table as Sisimai reads the class: a transient X.2.1 or X.7.2 holds the sender back, a
    # permanent X.2.1 is the recipient's own setting.
    (450, "4.2.1", "450 4.2.1 nothing more", {}, ("blocked", "soft")),
    (450, "4.7.2", "450 4.7.2 nothing more", {}, ("blocked", "soft")),
    (550, "5.2.1", "550 5.2.1 nothing more", {}, ("filtered", "soft")),
    # X.5.0, X.5.1 and X.5.2 name no reason: a syntax error only by the reply code (501-504).
    (550, "5.5.0", "550 5.5.0 nothing more", {}, ("onhold", "soft")),
    (554, "5.5.1", "554 5.5.1 nothing more", {}, ("onhold", "soft")),
    (503, "5.5.0", "503 5.5.0 nothing more", {}, ("syntaxerror", "soft")),
    (501, "5.5.2", "501 5.5.2 nothing more", {}, ("syntaxerror", "soft")),
    # A reply code of the other class than the status's says nothing of the failure.
    (552, "4.0.0", "nothing more", {}, ("onhold", "soft")),
    (521, "4.0.0", "nothing more", {}, ("onhold", "soft")),
    (452, "5.0.0", "nothing more", {}, ("onhold", "soft")),
    (521, "5.0.0", "nothing more", {}, ("notaccept", "hard")),
    # A bare 553 is no unknown mailbox (servers give it to refused senders and relays too), nor a bare 551
    # a moved one; the other bare codes that cover several failures name none either: only words or a
    # status tell a full mailbox from a size limit, a busy server from a block.
    (553, None, "553 nothing more", {}, ("onhold", "soft")),
    (551, None, "551 nothing more", {}, ("onhold", "soft")),
    (552, None, "552 nothing more", {}, ("onhold", "soft")),
    (452, None, "452 nothing more", {}, ("onhold", "soft")),
    (421, None, "421 nothing more", {}, ("onhold", "soft")),
    (451, None, "451 nothing more", {}, ("onhold", "soft")),
    (454, None, "454 nothing more", {}, ("onhold", "soft")),
    (535, None, "535 nothing more", {}, ("onhold", "soft")),
    (555, None, "555 nothing more", {}, ("onhold", "soft")),
    # Under the sender's address statuses (X.1.7, X.1.8) the words of an unknown address are the sender's,
    # unless they answer RCPT TO.
    (550, "5.1.7", "550 5.1.7 invalid address", {}, ("rejected", "soft")),
    (553, "5.1.8", "553 5.1.8 user unknown", {}, ("rejected", "soft")),
    (550, "5.1.7", "550 5.1.7 invalid address", {"command": "RCPT"}, ("userunknown", "hard")),
    # The words still decide under those codes.
    (552, None, "552 mailbox full", {}, ("mailboxfull", "soft")),
    (551, None, "551 user not local; please try <new@example.org>", {}, ("hasmoved", "hard")),
    # A domain that takes no mail is hard unless a code or the words call it temporary.
    (None, None, "example.org does not accept mail", {}, ("notaccept", "hard")),
    (None, None, "example.org temporarily does not accept mail", {}, ("notaccept", "soft")),
    (None, None, "persistent failure: example.org does not accept mail", {}, ("notaccept", "soft")),
    (556, None, "556 example.org temporarily does not accept mail", {}, ("notaccept", "hard")),
]


@pytest.mark.parametrize(("code", "enhanced", "text", "hints", "expected"), CASES)
def test_the_decision_order(code, enhanced, text, hints, expected):
    verdict = classify(code, enhanced, text, **hints)
    assert (verdict.reason, verdict.bounce_type) == expected, verdict.rule


def test_a_trusted_status_names_itself_in_the_rule():
    verdict = classify(550, "5.1.1", "550 5.1.1 <a@example.org>: this message looks like spam to us", command="RCPT")
    assert verdict.rule.startswith("userunknown: status X.1.1") and "before the words" in verdict.rule
