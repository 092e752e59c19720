"""The product's vocabulary (SPEC section 1): events, bounce types and reasons, contact statuses and
the reasons a recipient is not sent to, as enums and as plain text.

Apart from :mod:`bouncectl.model` (the records importers produce, which re-exports these), so that a
command that only reads the store knows the words without building the records.
"""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    """What can happen to one contact for one email (SPEC section 1)."""

    SENT = "sent"
    DELIVERED = "delivered"
    BOUNCE = "bounce"
    DEFERRED = "deferred"
    NOT_SENT = "not_sent"
    COMPLAINT = "complaint"
    UNSUBSCRIBE = "unsubscribe"
    OPEN = "open"
    CLICK = "click"


class BounceType(StrEnum):
    """Whether a bounce keeps the contact out of later sends (SPEC rule 2.1)."""

    HARD = "hard"
    SOFT = "soft"


class BounceReason(StrEnum):
    """Why a delivery failed: Sisimai's vocabulary (SPEC section 3), hard reasons first."""

    USERUNKNOWN = "userunknown"
    HOSTUNKNOWN = "hostunknown"
    HASMOVED = "hasmoved"
    NOTACCEPT = "notaccept"
    AUTHFAILURE = "authfailure"
    BADREPUTATION = "badreputation"
    BLOCKED = "blocked"
    CONTENTERROR = "contenterror"
    EXCEEDLIMIT = "exceedlimit"
    EXPIRED = "expired"
    FAILEDSTARTTLS = "failedstarttls"
    FILTERED = "filtered"
    MAILBOXFULL = "mailboxfull"
    MAILERERROR = "mailererror"
    MESGTOOBIG = "mesgtoobig"
    NETWORKERROR = "networkerror"
    NORELAYING = "norelaying"
    NOTCOMPLIANTRFC = "notcompliantrfc"
    POLICYVIOLATION = "policyviolation"
    REJECTED = "rejected"
    REQUIREPTR = "requireptr"
    SECURITYERROR = "securityerror"
    SPAMDETECTED = "spamdetected"
    SPEEDING = "speeding"
    SUPPRESSED = "suppressed"
    SUSPEND = "suspend"
    SYNTAXERROR = "syntaxerror"
    SYSTEMERROR = "systemerror"
    SYSTEMFULL = "systemfull"
    TOOMANYCONN = "toomanyconn"
    VIRUSDETECTED = "virusdetected"
    ONHOLD = "onhold"
    UNDEFINED = "undefined"


class ContactStatus(StrEnum):
    """A contact's standing for the next send (SPEC section 1)."""

    ELIGIBLE = "eligible"
    HARD_BOUNCED = "hard_bounced"
    GLOBALLY_BOUNCED = "globally_bounced"
    SUPPRESSED = "suppressed"
    COMPLAINED = "complained"
    UNSUBSCRIBED = "unsubscribed"


class NotSentReason(StrEnum):
    """Why a planned recipient is not sent to (SPEC rule 2.2)."""

    PREVIOUSLY_BOUNCED = "PREVIOUSLY_BOUNCED"
    GLOBALLY_BOUNCED = "GLOBALLY_BOUNCED"
    SUPPRESSED = "SUPPRESSED"
    COMPLAINED = "COMPLAINED"
    UNSUBSCRIBED = "UNSUBSCRIBED"
    INVALID_ADDRESS = "INVALID_ADDRESS"
    DUPLICATE = "DUPLICATE"


# The same vocabularies as plain tuples and names, for the code that reads them as text.
EVENT_TYPES = tuple(kind.value for kind in EventKind)
ELIGIBLE = ContactStatus.ELIGIBLE.value
HARD_BOUNCED = ContactStatus.HARD_BOUNCED.value
GLOBALLY_BOUNCED = ContactStatus.GLOBALLY_BOUNCED.value
SUPPRESSED = ContactStatus.SUPPRESSED.value
COMPLAINED = ContactStatus.COMPLAINED.value
UNSUBSCRIBED = ContactStatus.UNSUBSCRIBED.value
CONTACT_STATUSES = tuple(status.value for status in ContactStatus)
NOT_SENT_REASONS = tuple(reason.value for reason in NotSentReason)
BOUNCE_REASONS = tuple(reason.value for reason in BounceReason)
