"""The normalized records every importer produces, and the product's vocabulary.

An importer turns one input (a file, a folder, stdin) into a stream of
:class:`Event` and :class:`Reject` records. Nothing here knows about SQLite or
the terminal. The vocabulary (the enums and their names as text) lives in
:mod:`bouncectl.vocabulary` and is re-exported here; the store and the commands
that only read it take it from there, without building these records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bouncectl.vocabulary import (
    BOUNCE_REASONS,
    COMPLAINED,
    CONTACT_STATUSES,
    ELIGIBLE,
    EVENT_TYPES,
    GLOBALLY_BOUNCED,
    HARD_BOUNCED,
    NOT_SENT_REASONS,
    SUPPRESSED,
    UNSUBSCRIBED,
    BounceReason,
    BounceType,
    ContactStatus,
    EventKind,
    NotSentReason,
)

__all__ = [
    "BOUNCE_REASONS",
    "COMPLAINED",
    "CONTACT_STATUSES",
    "ELIGIBLE",
    "EVENT_TYPES",
    "GLOBALLY_BOUNCED",
    "HARD_BOUNCED",
    "NOT_SENT_REASONS",
    "SUPPRESSED",
    "UNSUBSCRIBED",
    "BounceReason",
    "BounceType",
    "ContactStatus",
    "Event",
    "EventKind",
    "ImportOptions",
    "NotSentReason",
    "Reject",
    "Skipped",
]


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
