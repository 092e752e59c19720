"""The normalized records every importer produces, and the product's vocabulary.

An importer turns one input (a file, a folder, stdin) into a stream of
:class:`Event` and :class:`Reject` records. Nothing here knows about SQLite or
the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(slots=True)
class Event:
    """One thing that happened to one contact for one email.

    ``timestamp`` is always the store's canonical UTC text form
    (see :func:`bouncectl.timeparse.parse_timestamp`). ``recipient`` is the
    normalized (trimmed, lowercased) address.

    For bounces, importers fill what the source says: ``smtp_code``,
    ``enhanced_status``, ``diagnostic`` and ``provider_type`` (the provider's
    own hard/soft verdict, ``"hard"``, ``"soft"`` or ``None``) and, where
    it names it, ``remote_host``. ``reason``,
    ``bounce_type`` and ``rule`` may be left empty: the import classifies every
    bounce that has no reason yet (:mod:`bouncectl.bounces`).
    """

    recipient: str
    event: str
    timestamp: str
    email_id: str | None = None
    email_name: str | None = None
    bounce_type: str | None = None
    reason: str | None = None
    smtp_code: int | None = None
    enhanced_status: str | None = None
    diagnostic: str | None = None
    provider_type: str | None = None
    rule: str | None = None
    is_global: bool = False
    not_sent_reason: str | None = None
    message_id: str | None = None
    # The group or list an unsubscribe is from (a SendGrid unsubscribe group, a Mailgun mailing
    # list, a ``group`` column); ``None``: the unsubscribe is from every email (rule 2.10).
    group: str | None = None
    # False when the source gives no time: ``timestamp`` is then when the file was written,
    # and the event is recognized again without it (a re-export is not a new event).
    dated: bool = True
    # Place in the source: the line number (header = line 1) or message number.
    line: int | None = None
    # Provider fields that have no column of their own, as a JSON text.
    raw: str | None = None
    # The remote server that answered (a host name or an address), where the source names it: the
    # classifier reads its provider's codes by it. Not stored.
    remote_host: str | None = None


@dataclass(slots=True)
class Reject:
    """A row or message that could not be imported, and why."""

    line: int | None
    error: str
    raw: str | None = None


@dataclass(slots=True)
class Skipped:
    """A record a format recognises and has nothing to import from, said in the user's words
    (an SNS subscription confirmation, an inbound-mail notification): not a bad row."""

    line: int | None
    what: str


@dataclass(slots=True)
class ImportOptions:
    """What the user said about the input, passed to every importer."""

    email_id: str | None = None
    third_party: bool = False
    tz: str | None = None
    # Where to find the email id in provider records and returned messages.
    email_id_header: str = "X-Email-ID"
    email_id_tag: str = "email_id"
    extra: dict = field(default_factory=dict)
