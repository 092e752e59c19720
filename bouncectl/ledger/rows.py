"""Rows at the store's edge: an event as the events table takes it (its fields are named in
:mod:`bouncectl.ledger.fields`) and its de-duplication key. Pure: made here, written by
:mod:`bouncectl.store`."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from bouncectl.ledger.fields import (
    DATED,
    EVENT,
    LIST_GROUP,
    NULL,
    PROVIDER_TYPE,
    RECIPIENT,
    SMTP_CODE,
    STATUS,
    TIMESTAMP,
)

if TYPE_CHECKING:
    from bouncectl.model import Event

# Events whose reports can disagree about one send: their codes and the source's verdict are part of the key.
REPORT_EVENTS = frozenset({"bounce", "deferred"})


def event_key(
    email_id: str | None,
    recipient: str,
    event: str,
    timestamp: str,
    dated: bool = True,
    smtp_code: int | str | None = None,
    enhanced_status: str | None = None,
    provider_type: str | None = None,
    group: str | None = None,
) -> int:
    """The 64-bit de-duplication key of an event: its natural key, hashed.

    The same event from a webhook retry or an overlapping export has the same
    key. A ``not_sent`` event is one per email and recipient, whenever recorded,
    and so is an event whose source gives no time. A bounce or deferral is told
    apart by what it reports too: its reply code and enhanced status, or when it
    gives neither, the source's hard or soft. A 452 4.2.2 and a 550 5.1.1 of one
    recipient at one time are two reports, and neither is dropped as a duplicate
    of the other. (A report with none of these keeps the key it always had.)
    """
    when = timestamp if dated and event != "not_sent" else ""
    text = f"{email_id or ''}\x1f{recipient}\x1f{event}\x1f{when}"
    if group:  # unsubscribes from two groups at one moment are two events
        text += f"\x1f{group}"
    if event in REPORT_EVENTS and (smtp_code or enhanced_status):
        text += f"\x1f{smtp_code or ''}\x1f{enhanced_status or ''}"
    elif event in REPORT_EVENTS and provider_type:
        text += f"\x1f\x1f\x1f{provider_type}"
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def row_key(row: tuple, email_id: str | None) -> int:
    """The key of a row (see ROW_FIELDS) under ``email_id``."""
    return event_key(
        email_id, row[RECIPIENT], row[EVENT], row[TIMESTAMP], bool(row[DATED]), row[SMTP_CODE], row[STATUS],
        row[PROVIDER_TYPE], row[LIST_GROUP],
    )


def event_row(e: Event, import_id: int | None) -> tuple:
    """An event as the store takes it (see ROW_FIELDS): None as "", and its key when its email is known.

    A bounce that names no email but the Message-ID of the message it answers gets its email
    (and so its key) from the store, in :meth:`bouncectl.store.Store.add_batch`.
    """
    message_id = e.message_id.strip().strip("<>").strip() if e.message_id else ""
    key = None if not e.email_id and message_id else event_key(
        e.email_id, e.recipient, e.event, e.timestamp, e.dated, e.smtp_code, e.enhanced_status, e.provider_type,
        e.group,
    )
    return (
        key, e.email_id or NULL, e.recipient, e.event, e.timestamp, e.bounce_type or NULL, e.reason or NULL,
        e.smtp_code or NULL, e.enhanced_status or NULL, e.diagnostic or NULL, e.rule or NULL,
        e.provider_type or NULL, int(e.is_global), e.not_sent_reason or NULL, message_id, e.raw or NULL,
        import_id or NULL, e.group or NULL, int(e.dated),
    )
