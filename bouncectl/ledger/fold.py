"""A contact's summary of events, called its *fold*: what a run of events says of one contact.

A fold is a list, by position: first seen, last event, bounces, the latest hard bounce (time,
reason, event id), the latest global bounce, the latest delivery, the latest complaint, the latest
unsubscribe from every email (one from a group is read from the events), and whether the soft streak
needs recounting from the stored events. Every field is a count, a minimum or a maximum, so
folds merge (:func:`merge`) in any order: the batch's fold, the folds of later batches and the
stored contact give the same contact whatever order the events arrived in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bouncectl.addresses import domain_of
from bouncectl.ledger.rows import (
    BOUNCE_TYPE,
    CONTACT_FIELDS,
    EMAIL_ID,
    EVENT,
    GLOBAL,
    KEY,
    LIST_GROUP,
    NOT_SENT_REASON,
    REASON,
    RECIPIENT,
    TIMESTAMP,
    event_row,
)
from bouncectl.model import Event

# A fold's fields, by position.
(FIRST, LAST, BOUNCES, HARD_AT, HARD_REASON, HARD_ID, GLOBAL_AT, DELIVERED_AT, COMPLAINED_AT, UNSUBSCRIBED_AT,
 RECOUNT) = range(11)

# The contact columns that hold what a fold says, in the fold's order (all but RECOUNT).
FOLDED_FIELDS = (
    "first_seen_at", "last_event_at", "bounces", "hard_bounced_at", "hard_bounce_reason", "hard_bounce_event_id",
    "global_bounced_at", "last_delivered_at", "complained_at", "unsubscribed_at",
)

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
            a = contacts[recipient] = [ts, ts, 0, None, None, None, None, None, None, None, False]
        elif ts < a[FIRST]:
            a[FIRST] = ts
        elif ts > a[LAST]:
            a[LAST] = ts
        kind = row[EVENT]
        if kind == "bounce":
            a[BOUNCES] += 1
            if row[GLOBAL] and (a[GLOBAL_AT] is None or ts > a[GLOBAL_AT]):
                a[GLOBAL_AT] = ts
            if row[BOUNCE_TYPE] == "hard":
                if a[HARD_AT] is None or ts >= a[HARD_AT]:
                    a[HARD_AT], a[HARD_REASON], a[HARD_ID] = ts, row[REASON] or None, event_id
            else:
                a[RECOUNT] = True
        elif kind in DELIVERY_EVENTS:
            if a[DELIVERED_AT] is None or ts > a[DELIVERED_AT]:
                a[DELIVERED_AT] = ts
            a[RECOUNT] = True
        elif kind == "complaint":
            a[COMPLAINED_AT] = _max(a[COMPLAINED_AT], ts)
        elif kind == "unsubscribe" and not row[LIST_GROUP]:
            a[UNSUBSCRIBED_AT] = _max(a[UNSUBSCRIBED_AT], ts)
        elif kind == "not_sent" and not_sent_reason == "GLOBALLY_BOUNCED" and (a[GLOBAL_AT] is None or ts > a[GLOBAL_AT]):
            a[GLOBAL_AT] = ts
    return contacts, emails


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
    if b[HARD_AT] is not None and (a[HARD_AT] is None or b[HARD_AT] >= a[HARD_AT]):
        a[HARD_AT], a[HARD_REASON], a[HARD_ID] = b[HARD_AT], b[HARD_REASON], b[HARD_ID]
    a[GLOBAL_AT] = _max(a[GLOBAL_AT], b[GLOBAL_AT])
    a[DELIVERED_AT] = _max(a[DELIVERED_AT], b[DELIVERED_AT])
    a[COMPLAINED_AT] = _max(a[COMPLAINED_AT], b[COMPLAINED_AT])
    a[UNSUBSCRIBED_AT] = _max(a[UNSUBSCRIBED_AT], b[UNSUBSCRIBED_AT])
    a[RECOUNT] = a[RECOUNT] or b[RECOUNT]


def new_contact(email: str, fold: list) -> dict:
    """The contact (a dict with CONTACT_FIELDS) that a fold makes of an address the store lacks."""
    contact: dict = dict.fromkeys(CONTACT_FIELDS)
    contact.update(zip(FOLDED_FIELDS, fold), email=email, domain=domain_of(email), soft_streak=0, third_party=0)
    return contact


def add_fold(contact: dict, fold: list) -> None:
    """Take a fold into a stored contact, by the same rule as two folds (:func:`merge`)."""
    merged = [contact[name] for name in FOLDED_FIELDS] + [False]
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
