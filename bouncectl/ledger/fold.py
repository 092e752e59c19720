"""A contact's summary of events, called its *fold*: what a run of events says of one contact.

A fold is a list, by position: first seen, last event, bounces, the latest hard bounce (time,
reason, event id), the latest global bounce, the latest delivery, the latest complaint, the latest
unsubscribe from every email (one from a group is read from the events), which of those reports are
undated (:data:`UNDATED_BITS`), and whether the soft streak needs recounting from the stored events.
Every field is a count, a minimum or a maximum, so folds merge (:func:`merge`) in any order: the
batch's fold, the folds of later batches and the stored contact give the same contact whatever order
the events arrived in.

**Undated reports.** A report whose source gives no time (a HubSpot unsubscribes-and-bounces row,
a suppression-list entry without a date) is stored with the time its file was written, which says
only that it happened before then. Such a report never replaces a dated one: the latest hard
bounce, global bounce, complaint and unsubscribe are each the latest *dated* one when there is one,
else the latest undated one, which then counts with its file's time. That is a maximum too, of
(dated, time), so the order of imports still does not matter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bouncectl.addresses import domain_of
from bouncectl.ledger.fields import (
    BOUNCE_TYPE,
    CONTACT_FIELDS,
    DATED,
    EMAIL_ID,
    EVENT,
    GLOBAL,
    KEY,
    LIST_GROUP,
    NOT_SENT_REASON,
    REASON,
    RECIPIENT,
    TIMESTAMP,
)
from bouncectl.ledger.rows import event_row

if TYPE_CHECKING:
    from bouncectl.model import Event

# A fold's fields, by position.
(FIRST, LAST, BOUNCES, HARD_AT, HARD_REASON, HARD_ID, GLOBAL_AT, DELIVERED_AT, COMPLAINED_AT, UNSUBSCRIBED_AT,
 UNDATED, RECOUNT) = range(12)

# The contact columns that hold what a fold says, in the fold's order (all but RECOUNT).
FOLDED_FIELDS = (
    "first_seen_at", "last_event_at", "bounces", "hard_bounced_at", "hard_bounce_reason", "hard_bounce_event_id",
    "global_bounced_at", "last_delivered_at", "complained_at", "unsubscribed_at", "undated",
)

# UNDATED (the contacts' ``undated`` column) holds one bit per report field: set, that field comes
# from undated reports only (no dated report of its kind is known).
HARD_UNDATED, GLOBAL_UNDATED, COMPLAINED_UNDATED, UNSUBSCRIBED_UNDATED = 1, 2, 4, 8
UNDATED_BITS = {HARD_AT: HARD_UNDATED, GLOBAL_AT: GLOBAL_UNDATED, COMPLAINED_AT: COMPLAINED_UNDATED,
                UNSUBSCRIBED_AT: UNSUBSCRIBED_UNDATED}

# Events that prove the message reached the inbox.
DELIVERY_EVENTS = frozenset({"delivered", "open", "click"})


def fold_rows(rows: Iterable[tuple[int, tuple]]) -> tuple[dict[str, list], dict[str, list]]:  # noqa: C901
    """What ``(id, row)`` pairs say of each contact (its fold) and each email, in one pass.

    Per email id: its first and last event times. Rows are as in ROW_FIELDS, a NULL as "" or None.
    """
    contacts: dict[str, list] = {}
    emails: dict[str, list] = {}
    for event_id, row in rows:
        ts = row[TIMESTAMP]
        email_id = row[EMAIL_ID]
        if email_id:
            span = emails.get(email_id)
            if span is None:
                emails[email_id] = [ts, ts]
            elif ts < span[0]:
                span[0] = ts
            elif ts > span[1]:
                span[1] = ts
        not_sent_reason = row[NOT_SENT_REASON]
        if not_sent_reason == "INVALID_ADDRESS":
            continue  # not an address: the email's not-sent report keeps it, the contacts do not
        recipient = row[RECIPIENT]
        a = contacts.get(recipient)
        if a is None:
            a = contacts[recipient] = [ts, ts, 0, None, None, None, None, None, None, None, 0, False]
        elif ts < a[FIRST]:
            a[FIRST] = ts
        elif ts > a[LAST]:
            a[LAST] = ts
        kind = row[EVENT]
        if kind == "bounce":
            a[BOUNCES] += 1
            if row[GLOBAL]:
                _take(a, GLOBAL_AT, ts, not row[DATED])
            if row[BOUNCE_TYPE] == "hard":
                if row[DATED] and not a[UNDATED]:  # the usual case: dated reports only
                    if a[HARD_AT] is None or ts >= a[HARD_AT]:
                        a[HARD_AT], a[HARD_REASON], a[HARD_ID] = ts, row[REASON] or None, event_id
                elif _takes(a, HARD_AT, ts, not row[DATED], ties=True):
                    a[HARD_AT], a[HARD_REASON], a[HARD_ID] = ts, row[REASON] or None, event_id
                    _mark(a, HARD_UNDATED, not row[DATED])
            else:
                a[RECOUNT] = True
        elif kind in DELIVERY_EVENTS:
            if a[DELIVERED_AT] is None or ts > a[DELIVERED_AT]:
                a[DELIVERED_AT] = ts
            a[RECOUNT] = True
        elif kind == "complaint":
            _take(a, COMPLAINED_AT, ts, not row[DATED])
        elif kind == "unsubscribe" and not row[LIST_GROUP]:
            _take(a, UNSUBSCRIBED_AT, ts, not row[DATED])
        elif kind == "not_sent" and not_sent_reason == "GLOBALLY_BOUNCED":
            _take(a, GLOBAL_AT, ts, not row[DATED])
    return contacts, emails


def _takes(a: list, at: int, ts: str | None, undated: bool, ties: bool = False) -> bool:
    """Whether a report at ``ts`` (``undated`` or not) replaces the fold's report at position ``at``:
    a dated one replaces an undated one, never the other way; between two alike, the later wins
    (with ``ties``, also one at the same time)."""
    if ts is None:
        return False
    held = a[at]
    if held is None:
        return True
    held_undated = bool(a[UNDATED] & UNDATED_BITS[at])
    if held_undated != undated:
        return held_undated
    return ts >= held if ties else ts > held


def _mark(a: list, bit: int, undated: bool) -> None:
    a[UNDATED] = a[UNDATED] | bit if undated else a[UNDATED] & ~bit


def _take(a: list, at: int, ts: str | None, undated: bool) -> None:
    """Take a report at ``ts`` into the fold's position ``at`` if it replaces the one held there."""
    if _takes(a, at, ts, undated):
        a[at] = ts
        _mark(a, UNDATED_BITS[at], undated)


def _max(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _min(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def merge(a: list, b: list) -> None:
    """Merge what a later batch says of a contact (``b``) into what earlier ones, or the stored
    contact, said (``a``): the one rule for folding a contact's events in any order."""
    a[FIRST] = _min(a[FIRST], b[FIRST])
    a[LAST] = _max(a[LAST], b[LAST])
    a[BOUNCES] += b[BOUNCES]
    b_undated = b[UNDATED] or 0
    if _takes(a, HARD_AT, b[HARD_AT], bool(b_undated & HARD_UNDATED), ties=True):
        a[HARD_AT], a[HARD_REASON], a[HARD_ID] = b[HARD_AT], b[HARD_REASON], b[HARD_ID]
        _mark(a, HARD_UNDATED, bool(b_undated & HARD_UNDATED))
    for at in (GLOBAL_AT, COMPLAINED_AT, UNSUBSCRIBED_AT):
        _take(a, at, b[at], bool(b_undated & UNDATED_BITS[at]))
    a[DELIVERED_AT] = _max(a[DELIVERED_AT], b[DELIVERED_AT])
    a[RECOUNT] = a[RECOUNT] or b[RECOUNT]


def new_contact(email: str, fold: list) -> dict:
    """The contact (a dict with CONTACT_FIELDS) that a fold makes of an address the store lacks."""
    contact: dict = dict.fromkeys(CONTACT_FIELDS)
    contact.update(zip(FOLDED_FIELDS, fold), email=email, domain=domain_of(email), soft_streak=0, third_party=0)
    return contact


def add_fold(contact: dict, fold: list) -> None:
    """Take a fold into a stored contact, by the same rule as two folds (:func:`merge`)."""
    merged = [contact[name] for name in FOLDED_FIELDS] + [False]
    merged[UNDATED] = merged[UNDATED] or 0
    merge(merged, fold)
    contact.update(zip(FOLDED_FIELDS, merged))


def needs_recount(contact: dict, fold: list) -> bool:
    """Whether the contact's soft streak must be recounted from its events after this fold."""
    return bool(fold[RECOUNT] and (fold[BOUNCES] or contact["soft_streak"]))


def offset_ids(contacts: dict[str, list], first_id: int) -> None:
    """Number a batch fold's hard-bounce event ids from ``first_id`` instead of 0."""
    for fold in contacts.values():
        if fold[HARD_ID] is not None:
            fold[HARD_ID] += first_id


KeyProbe = Callable[[list[int]], set[int]]


@dataclass
class EventBatch:
    """Events ready for :meth:`bouncectl.store.Store.add_batch`: rows, the email names they give, and
    what they say of each contact and email (made without the store, so it can be made in another
    process). ``known`` rows were left out because the store already held them."""

    rows: list[tuple]
    names: dict[str, str]
    contacts: dict[str, list]
    emails: dict[str, list]
    known: int = 0

    @classmethod
    def of(cls, events: Iterable[Event], import_id: int | None, stored: KeyProbe | None = None) -> EventBatch:
        """The batch of these events, folded ahead of storing them with ids counted from 0 (the
        fold holds if every row turns out to be new). With ``stored``, rows whose keys the store
        already holds are left out here, where it costs the storing process nothing."""
        names: dict[str, str] = {}
        rows = []
        for event in events:
            if event.email_name and event.email_id:
                names.setdefault(event.email_id, event.email_name)
            rows.append(event_row(event, import_id))
        known = 0
        if stored is not None:
            found = stored([row[KEY] for row in rows if row[KEY] is not None])
            if found:
                kept = [row for row in rows if row[KEY] not in found]
                known, rows = len(rows) - len(kept), kept
        contacts, emails = fold_rows(enumerate(rows))
        return cls(rows, names, contacts, emails, known)
