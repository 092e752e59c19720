"""One module per reason, each with its phrase lists; :data:`ORDER` is the order they are tried.

Each module holds the wordings that mean its reason (``rules(...)`` groups of
phrases under the origin they come from) and, where the enhanced status code
alone names the reason, its ``STATUSES``. A module may have more than one list
when its wordings belong at different places in the order (a filter's verdict
"scored as spam" comes early, the bare word "spam" late).

How the lists combine with the other facts of a bounce:

- ``content``: the reason concerns the message itself, which a server only
  sees after DATA; such a list is skipped when the server refused an earlier
  command (CONN, EHLO/HELO, MAIL, RCPT).
- ``local``: the wording can come from a local mailer (a DSN whose
  Diagnostic-Code type is X-Unix); lists about the remote server's view of an
  address (unknown user, relaying, the sending host) are skipped for those.
- ``resolve``: turns a match into the final reason from the refused command and
  the status (``userunknown``'s "no such user" means the sender when refused at
  MAIL FROM, a filter after DATA).
"""

from __future__ import annotations

from bouncectl.bounces.reasons import (
    authfailure,
    badreputation,
    blocked,
    contenterror,
    exceedlimit,
    expired,
    failedstarttls,
    filtered,
    hasmoved,
    hostunknown,
    mailboxfull,
    mailererror,
    mesgtoobig,
    networkerror,
    norelaying,
    notaccept,
    notcompliantrfc,
    policyviolation,
    rejected,
    requireptr,
    securityerror,
    spamdetected,
    speeding,
    suppressed,
    suspend,
    syntaxerror,
    systemerror,
    systemfull,
    toomanyconn,
    userunknown,
    virusdetected,
)
from bouncectl.bounces.reasons.base import Facts, PhraseList
from bouncectl.bounces.rules import PhraseIndex, Rule

__all__ = ["FIRST_GROUP", "INDEX", "MODULES", "ORDER", "SECOND_GROUP", "STATUS_RULES", "Facts", "PhraseList",
           "all_rules", "rank"]

MODULES = (
    authfailure, badreputation, blocked, contenterror, exceedlimit, expired, failedstarttls, filtered,
    hasmoved, hostunknown, mailboxfull, mailererror, mesgtoobig, networkerror, norelaying, notaccept,
    notcompliantrfc, policyviolation, rejected, requireptr, securityerror, spamdetected, speeding,
    suppressed, suspend, syntaxerror, systemerror, systemfull, toomanyconn, userunknown, virusdetected,
)

# Statuses that name one reason outright, whatever the words ("X.2.3": the recipient's size
# limit even when the text only says "too large"); tried before any phrase.
STATUS_RULES: dict[str, Rule] = {}
for _module in MODULES:
    for _key, _origin in getattr(_module, "STATUSES", {}).items():
        if _key in STATUS_RULES:
            raise ValueError(f"status {_key} is claimed by two reasons")
        STATUS_RULES[_key] = Rule(_module.REASON, "", _origin, frozenset({_key}))

# The phrase lists, most specific first: the form and the authentication of the message, the
# recipient's domain and the way there, the sending host, the recipient's mailbox, the content,
# the sender, volume; then "no such user" (resolved by command and status); then what a sending
# MTA says of the way there (time-outs, retries), which it adds to whatever the server said.
ORDER: tuple[PhraseList, ...] = (
    suppressed.SUPPRESSION,
    notcompliantrfc.FORM,
    spamdetected.VERDICTS,
    mailererror.LOCAL_MAILER,
    systemerror.INTERNAL,
    authfailure.AUTHENTICATION,
    requireptr.REVERSE_DNS,
    failedstarttls.TLS,
    badreputation.REPUTATION,
    filtered.CODES,
    mailboxfull.RECEIVING_LIMITS,
    suspend.DISABLED,
    notaccept.NULL_MX,
    rejected.SENDER_DOMAIN,
    rejected.REFUSED_SENDER,
    blocked.HELO,
    networkerror.ROUTING,
    hostunknown.DOMAIN,
    rejected.LISTED,
    blocked.SENDING_HOST,
    norelaying.RELAYING,
    hasmoved.MOVED,
    suspend.OUT_OF_USE,
    mailboxfull.QUOTA,
    exceedlimit.RECIPIENT_LIMIT,
    mesgtoobig.SIZE,
    userunknown.DIRECTORY,
    virusdetected.VIRUS,
    spamdetected.WORDS,
    contenterror.MEDIA,
    policyviolation.POLICY,
    securityerror.SECURITY,
    rejected.SENDER,
    filtered.FILTER,
    speeding.RATE,
    toomanyconn.CONNECTIONS,
    userunknown.MAILBOX,
    expired.RETRIES,
    networkerror.CONNECTION,
    systemfull.STORAGE,
    mailererror.PIPE,
    systemerror.SERVER,
    syntaxerror.PROTOCOL,
)


INDEX = PhraseIndex([plist.rules for plist in ORDER])

# The reasons a bounce's status, refused command and words are weighed for first, in this order (Sisimai:
# lib/Sisimai/Reason.pm `get` and go-sisimai reason/lib.go `classorder[0]`, each reason's `true` /
# `ProbesInto`); every other reason (policy, virus, security, system, network, expiry, storage, null MX,
# STARTTLS, suppression, local mailer) only when none of these spoke (`anotherone`, go-sisimai
# reason/find.go). The classifier weighs a trusted status against the words by these places
# (:data:`bouncectl.bounces.classify.TRUSTED_STATUS_REASONS`).
FIRST_GROUP: tuple[str, ...] = (
    "mailboxfull", "mesgtoobig", "exceedlimit", "suspend", "hasmoved", "norelaying", "authfailure",
    "userunknown", "filtered", "requireptr", "notcompliantrfc", "badreputation", "contenterror", "rejected",
    "hostunknown", "spamdetected", "speeding", "toomanyconn", "blocked",
)
_RANK = {reason: place for place, reason in enumerate(FIRST_GROUP)}

# The reasons whose words are read again, without the first group's conditions (the refused command), once
# neither the first group nor the decoder spoke (Sisimai: go-sisimai reason/lib.go `classorder[1]`, read by
# reason/find.go `anotherone` with each reason's `IncludedIn`, the words alone). A spam filter's words in
# reply to RCPT TO are thus a spam verdict before the status's name, though before DATA no content was seen
# (see :func:`bouncectl.bounces.classify._by_content_words`).
SECOND_GROUP: frozenset[str] = frozenset({
    "mailboxfull", "authfailure", "badreputation", "speeding", "spamdetected", "virusdetected",
    "policyviolation", "norelaying", "systemerror", "networkerror", "suspend", "contenterror", "systemfull",
    "notaccept", "expired", "failedstarttls", "securityerror", "suppressed", "mailererror",
})


def rank(reason: str) -> int:
    """The place of a reason in :data:`FIRST_GROUP`; ``len(FIRST_GROUP)`` for a reason of the second group."""
    return _RANK.get(reason, len(FIRST_GROUP))


def all_rules() -> tuple[Rule, ...]:
    """Every phrase rule and status rule of the reason modules."""
    return tuple(rule for plist in ORDER for rule in plist.rules) + tuple(STATUS_RULES.values())
