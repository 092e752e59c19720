"""Events as columns: their keys, and what they say of each contact and email, computed a batch
at a time with vectorised operations. The same rules as :mod:`bouncectl.ledger.rows` and
:mod:`bouncectl.ledger.fold`, which hold for one event at a time; these give the same results.

A batch is a :class:`pandas.DataFrame` with the columns of :data:`bouncectl.ledger.rows.ROW_FIELDS`
(a NULL as ``""``); a fold frame has one row per contact, with the columns :data:`FOLD_COLUMNS`
(a missing time, reason or id as ``None``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from itertools import repeat

import numpy as np
import pandas as pd

from bouncectl.ledger.fold import DELIVERY_EVENTS
from bouncectl.ledger.rows import NULL, REPORT_EVENTS
from bouncectl.model import COMPLAINED, ELIGIBLE, GLOBALLY_BOUNCED, HARD_BOUNCED, UNSUBSCRIBED

# A fold frame's columns: the contact's address, then a fold's fields in their order (see fold.py).
FOLD_COLUMNS = (
    "email", "first", "last", "bounces", "hard_at", "hard_reason", "hard_id", "global_at", "delivered_at",
    "complained_at", "unsubscribed_at", "recount",
)


def frame_of(columns: dict) -> pd.DataFrame:
    """A frame of these columns (arrays or lists of one length), text kept as Python objects:
    pandas would make it its own string type, slower for the operations done here. The arrays
    are taken as they are, not copied into one block per type (a copy of the whole frame)."""
    return pd.DataFrame({
        name: pd.Series(values, dtype=object, copy=False) if np.asarray(values).dtype == object else np.asarray(values)
        for name, values in columns.items()
    }, copy=False)


def _hashes(texts: list[str]) -> list[int]:
    """blake2b of each text, 8 bytes read as a signed big-endian integer (as event_key does)."""
    blake2b = hashlib.blake2b
    digests = b"".join([blake2b(text.encode(), digest_size=8).digest() for text in texts])
    return np.frombuffer(digests, dtype=">i8").astype(np.int64).tolist()


def event_keys(batch: pd.DataFrame) -> list[int]:
    """The de-duplication key of every event of a batch (see :func:`bouncectl.ledger.rows.event_key`),
    its natural key put together column by column. The events are dated (as every CSV row is)."""
    event = batch["event"].to_numpy(dtype=object)
    texts = [
        f"{email_id}\x1f{recipient}\x1f{kind}\x1f{'' if kind == 'not_sent' else stamp}"
        for email_id, recipient, kind, stamp in zip(
            batch["email_id"].tolist(), batch["recipient"].tolist(), event.tolist(), batch["timestamp"].tolist(),
            strict=True,
        )
    ]
    group = batch["list_group"].to_numpy(dtype=object)
    for index in np.flatnonzero(group != "").tolist():  # unsubscribes from two groups at one moment
        texts[index] += f"\x1f{group[index]}"
    reports = np.flatnonzero(np.isin(event, list(REPORT_EVENTS))).tolist()
    if reports:
        codes = batch["smtp_code"].to_numpy(dtype=object)
        statuses = batch["enhanced_status"].to_numpy(dtype=object)
        types = batch["provider_type"].to_numpy(dtype=object)
        for index in reports:
            code, status = codes[index], statuses[index]
            if code != "" or status != "":
                texts[index] += f"\x1f{code}\x1f{status}"
            elif types[index] != "":
                texts[index] += f"\x1f\x1f\x1f{types[index]}"
    return _hashes(texts)


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes in the values' sorted order (-1 for None) and the distinct values they stand for."""
    codes, uniques = pd.factorize(values, sort=True)
    return np.asarray(codes), np.asarray(uniques, dtype=object)


NO_TIME = -1  # a fold's time that is not there


def time_numbers(stamps: np.ndarray) -> np.ndarray:
    """Canonical times (``2026-01-05T09:00:16.000Z``, fixed width) as integers in the same order
    (20260105090016000): a fold frame holds them in 8 bytes each, and collapses them fast."""
    codes, uniques = pd.factorize(stamps)
    if not len(uniques):
        return np.zeros(len(stamps), dtype=np.int64)
    return _stamp_numbers(uniques.tolist())[codes]


def _stamp_numbers(texts: list[str]) -> np.ndarray:
    """:func:`time_numbers` of distinct times: their digits read by arrays, all at once, when every
    one is a canonical time (else each read by itself, and a text that is not one raises)."""
    width = len(_TIME_FRAME)
    if all(len(text) == width and text.isascii() for text in texts):
        chars = np.array(texts, dtype=f"S{width}").view(np.uint8).reshape(len(texts), width)
        digits = chars[:, _DIGIT_PLACES].astype(np.int64) - ord("0")
        if ((digits >= 0) & (digits <= 9)).all() and (chars[:, _MARK_PLACES] == _TIME_FRAME[_MARK_PLACES]).all():
            return digits @ _POWERS
    return np.array(
        [int(t[0:4] + t[5:7] + t[8:10] + t[11:13] + t[14:16] + t[17:19] + t[20:23]) for t in texts], dtype=np.int64
    )


def _time_text(number: int) -> str | None:
    if number < 0:
        return None
    t = f"{number:017d}"
    return f"{t[0:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:14]}.{t[14:17]}Z"


# Where each of a time number's 17 digits goes in its text, and the text's other characters.
_DIGIT_PLACES = np.array([0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22])
_TIME_FRAME = np.frombuffer(b"0000-00-00T00:00:00.000Z", dtype=np.uint8)
_POWERS = 10 ** np.arange(16, -1, -1, dtype=np.int64)
_MARK_PLACES = np.setdiff1d(np.arange(len(_TIME_FRAME)), _DIGIT_PLACES)  # "-", "T", ":", "." and "Z"


def _time_array(numbers: np.ndarray, missing: str | None = None) -> np.ndarray:
    """:func:`_time_text` of each number (``missing`` for none), the texts' characters put together
    by arrays for the distinct numbers at once (a contact's times are mostly those of the few
    sends of an import, and each distinct time is one text object)."""
    codes, uniques = pd.factorize(numbers)
    if not len(uniques):
        return np.full(len(numbers), missing, dtype=object)
    given = np.asarray(uniques, dtype=np.int64)
    chars = np.tile(_TIME_FRAME, (len(given), 1))
    chars[:, _DIGIT_PLACES] = (np.maximum(given, 0)[:, None] // _POWERS % 10 + ord("0")).astype(np.uint8)
    texts = chars.view(f"S{len(_TIME_FRAME)}").ravel().astype(f"U{len(_TIME_FRAME)}").astype(object)
    texts[given < 0] = missing
    return texts[codes]


def _time_texts(numbers: np.ndarray, missing: str | None = None) -> list[str | None]:
    """:func:`_time_array` as a list."""
    return _time_array(numbers, missing).tolist()


def _texts_or(values: pd.Series, missing: str | None) -> np.ndarray:
    """A column of texts, ``missing`` where it holds none (None, or NaN)."""
    column = values.to_numpy(dtype=object, copy=True)
    column[pd.isna(values).to_numpy()] = missing
    return column


def _ids_or(values: pd.Series, missing: str | None) -> list:
    """A column of event ids (-1 for none) as Python values, ``missing`` for none."""
    column = values.to_numpy().astype(object)
    column[values.to_numpy() < 0] = missing
    return column.tolist()


_TIMES = ("first", "last", "hard_at", "global_at", "delivered_at", "complained_at", "unsubscribed_at")


def event_folds(batch: pd.DataFrame, ids: np.ndarray) -> pd.DataFrame:
    """Each event of a batch as a contact's fold of that event alone (before :func:`collapse`).
    An INVALID_ADDRESS not-sent report is not an address: it says nothing of a contact."""
    kept = batch["not_sent_reason"].to_numpy() != "INVALID_ADDRESS"
    if not kept.all():
        batch, ids = batch[kept], ids[kept]
    ts = time_numbers(batch["timestamp"].to_numpy(dtype=object))
    event = batch["event"].to_numpy(dtype=object)
    bounce = event == "bounce"
    hard = bounce & (batch["bounce_type"].to_numpy(dtype=object) == "hard")
    delivery = np.isin(event, list(DELIVERY_EVENTS))
    is_global = (bounce & (batch["is_global"].to_numpy() != 0)) | (
        (event == "not_sent") & (batch["not_sent_reason"].to_numpy(dtype=object) == "GLOBALLY_BOUNCED")
    )
    unsubscribed = (event == "unsubscribe") & (batch["list_group"].to_numpy(dtype=object) == "")
    reason = batch["reason"].to_numpy(dtype=object)

    def at(mask: np.ndarray) -> np.ndarray:
        return np.where(mask, ts, NO_TIME)

    return frame_of({
        "email": batch["recipient"].to_numpy(dtype=object),
        "first": ts,
        "last": ts,
        "bounces": bounce.astype(np.int64),
        "hard_at": at(hard),
        "hard_reason": np.where(hard & (reason != ""), reason, None),
        "hard_id": np.where(hard, ids, -1).astype(np.int64),
        "global_at": at(is_global),
        "delivered_at": at(delivery),
        "complained_at": at(event == "complaint"),
        "unsubscribed_at": at(unsubscribed),
        "recount": (bounce & ~hard) | delivery,
    })


def collapse(folds: pd.DataFrame, ordered: bool = False) -> pd.DataFrame:
    """One fold per contact from several (of events, or of batches): the rule of
    :func:`bouncectl.ledger.fold.merge` by columns. Counts add up, times take the earliest or the
    latest, and the latest hard bounce (the later event of two at one time) gives its reason and id.
    The contacts come in the order they first appear, or ``ordered``, in address order (sorting
    the addresses is most of the cost: done once, when they are settled)."""
    if folds.empty:
        return folds
    email_codes, emails = pd.factorize(folds["email"].to_numpy(dtype=object), sort=ordered)
    count = len(emails)
    names = ("first", "last", "bounces", "global_at", "delivered_at", "complained_at", "unsubscribed_at", "recount")
    how = {name: "max" for name in names}
    how.update(first="min", bounces="sum")
    grouped = folds[list(names)].groupby(email_codes, sort=True).agg(how)
    out = frame_of({"email": np.asarray(emails, dtype=object),
                    **{name: grouped[name].to_numpy() for name in ("first", "last", "bounces")}})
    # The latest hard bounce: the greatest (time, event id) among the hard bounces of each contact.
    hard_times = folds["hard_at"].to_numpy()
    hard_rows = np.flatnonzero(hard_times >= 0)
    hard_at = np.full(count, NO_TIME, dtype=np.int64)
    hard_reason = np.full(count, None, dtype=object)
    hard_id = np.full(count, -1, dtype=np.int64)
    if len(hard_rows):
        ids = folds["hard_id"].to_numpy()
        order = hard_rows[np.lexsort((ids[hard_rows], hard_times[hard_rows]))]
        last = pd.Series(order).groupby(email_codes[order]).last()  # the greatest of each contact: sorted last
        rows = last.to_numpy()
        hard_at[last.index] = hard_times[rows]
        hard_reason[last.index] = folds["hard_reason"].to_numpy(dtype=object)[rows]
        hard_id[last.index] = ids[rows]
    out["hard_at"], out["hard_reason"], out["hard_id"] = hard_at, pd.Series(hard_reason, dtype=object), hard_id
    for name in ("global_at", "delivered_at", "complained_at", "unsubscribed_at"):
        out[name] = grouped[name].to_numpy()
    out["recount"] = grouped["recount"].to_numpy()
    return out


_LATEST = ("last", "global_at", "delivered_at", "complained_at", "unsubscribed_at")


class ContactFolds:
    """The folds of an import's contacts, one per contact, while it reads on: fold frames merged
    in as they come by the rule of :func:`collapse`, each costing what it holds (the contacts
    already held are found by their address, not grouped again: a dictionary of the places of
    the addresses held grows with them, where an index of them would be hashed again for each
    frame)."""

    def __init__(self) -> None:
        self._emails: list[str] = []
        self._places: dict[str, int] = {}
        self._columns: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._emails)

    def add(self, folds: pd.DataFrame) -> None:
        """Merge in a fold frame (of events, or of contacts)."""
        new = collapse(folds)
        if new.empty:
            return
        columns = {name: new[name].to_numpy(copy=True) for name in FOLD_COLUMNS if name != "email"}
        emails = new["email"].tolist()
        if not self._columns:
            self._emails, self._columns = emails, columns
            self._places = dict(zip(emails, range(len(emails))))
            return
        positions = np.fromiter(map(self._places.get, emails, repeat(-1)), dtype=np.int64, count=len(emails))
        known = positions >= 0
        at, held = positions[known], self._columns
        held["first"][at] = np.minimum(held["first"][at], columns["first"][known])
        for name in _LATEST:
            held[name][at] = np.maximum(held[name][at], columns[name][known])
        held["bounces"][at] += columns["bounces"][known]
        held["recount"][at] |= columns["recount"][known]
        # The latest hard bounce: the greater (time, event id).
        hard_at, hard_id = columns["hard_at"][known], columns["hard_id"][known]
        later = (hard_at > held["hard_at"][at]) | ((hard_at == held["hard_at"][at]) & (hard_id > held["hard_id"][at]))
        for name in ("hard_at", "hard_id", "hard_reason"):
            held[name][at[later]] = columns[name][known][later]
        if not known.all():
            added = np.asarray(new["email"].to_numpy(dtype=object)[~known]).tolist()
            self._places.update(zip(added, range(len(self._emails), len(self._emails) + len(added))))
            self._emails += added
            for name in held:  # a column at a time: the old one goes before the next is copied
                held[name] = np.concatenate([held[name], columns[name][~known]])

    def frame(self) -> pd.DataFrame:
        """The folds held, one per contact, in address order (see :func:`collapse`)."""
        parts = list(self.parts(max(1, len(self))))
        return parts[0] if parts else frame_of({name: np.zeros(0, dtype=object) for name in FOLD_COLUMNS})

    def parts(self, size: int, ordered: bool = True) -> Iterator[pd.DataFrame]:
        """The folds held as frames of ``size`` contacts at most, in address order (or, not
        ``ordered``, in the order held): each made when it is taken, so that the folds are never
        held twice."""
        if not self._columns:
            return
        emails = np.asarray(self._emails, dtype=object)
        # Python's own sort of the addresses, by their places: twice as fast as numpy's of objects.
        order = np.array(sorted(range(len(emails)), key=self._emails.__getitem__)) if ordered else None
        for start in range(0, len(emails), size):
            rows = order[start : start + size] if order is not None else slice(start, start + size)
            yield frame_of({"email": emails[rows], **{name: column[rows] for name, column in self._columns.items()}})


def fold_lists(folds: pd.DataFrame) -> list[tuple[str, list]]:
    """A fold frame as ``(email, fold)`` pairs, each fold a list as :mod:`bouncectl.ledger.fold` makes."""
    hard_id = _ids_or(folds["hard_id"], None)
    times = {name: _time_texts(folds[name].to_numpy()) for name in _TIMES}
    reasons = _texts_or(folds["hard_reason"], None).tolist()
    return [
        (email, [first, last, bounces, hard_at, hard_reason, hid, g, d, c, u, 0, bool(recount)])  # 0: all dated
        for email, first, last, bounces, hard_at, hard_reason, hid, g, d, c, u, recount in zip(
            folds["email"].tolist(), times["first"], times["last"], folds["bounces"].tolist(), times["hard_at"],
            reasons, hard_id, times["global_at"], times["delivered_at"], times["complained_at"],
            times["unsubscribed_at"], folds["recount"].tolist(), strict=True,
        )
    ]


def plain_new_contacts(folds: pd.DataFrame, known: set[str]) -> np.ndarray:
    """Which folds make a contact of an address the store lacks (not in ``known``: stored, or
    erased with a kept status) and have no soft streak to count (see
    :func:`bouncectl.ledger.fold.needs_recount`): those :func:`new_contact_rows` makes."""
    recount = folds["recount"].to_numpy(dtype=bool) & (folds["bounces"].to_numpy() > 0)
    if not known:
        return ~recount
    return ~recount & ~folds["email"].isin(known).to_numpy()


def new_contact_columns(folds: pd.DataFrame, third_party: bool) -> tuple[dict[str, list | None], list[str]]:
    """The contacts that folds make of new addresses with no soft streak (see
    :func:`plain_new_contacts`), as columns, and their statuses: each of CONTACT_FIELDS (NULL as
    "", a column that is NULL or 0 throughout as ``None``: left to its default), in the folds' order.
    :func:`bouncectl.ledger.fold.new_contact` then :func:`bouncectl.ledger.status.status_of` by
    columns. With no history, the strongest status is a complaint, then an unsubscribe, then a
    global bounce nothing was delivered after, then a hard bounce; else the contact is eligible."""
    numbers = {name: folds[name].to_numpy() for name in _TIMES}
    complained, unsubscribed = numbers["complained_at"] >= 0, numbers["unsubscribed_at"] >= 0
    delivered, global_at = numbers["delivered_at"], numbers["global_at"]
    global_bounced = (global_at >= 0) & ((delivered < 0) | (global_at > delivered))
    statuses = np.select(
        [complained, unsubscribed, global_bounced, numbers["hard_at"] >= 0],
        np.array([COMPLAINED, UNSUBSCRIBED, GLOBALLY_BOUNCED, HARD_BOUNCED], dtype=object),
        default=ELIGIBLE,
    ).tolist()

    def times(name: str) -> list | None:
        return _time_texts(numbers[name], NULL) if (numbers[name] >= 0).any() else None

    emails = folds["email"].tolist()
    hard = (numbers["hard_at"] >= 0).any()
    bounces = folds["bounces"].to_numpy()
    columns: dict[str, list | None] = {
        "email": emails,
        "domain": [email.rpartition("@")[2] for email in emails],
        "status": statuses,
        "hard_bounce_reason": _texts_or(folds["hard_reason"], NULL).tolist() if hard else None,
        "hard_bounced_at": times("hard_at"),
        "hard_bounce_event_id": _ids_or(folds["hard_id"], NULL) if hard else None,
        "global_bounced_at": times("global_at"),
        "last_delivered_at": times("delivered_at"),
        "bounces": bounces.tolist() if bounces.any() else None,
        "soft_streak": None, "soft_streak_since": None, "soft_streak_last": None,
        "third_party": [1] * len(emails) if third_party else None,
        "reactivated_at": None,
        "first_seen_at": times("first"),
        "last_event_at": times("last"),
        "complained_at": times("complained_at"),
        "unsubscribed_at": times("unsubscribed_at"),
        "resubscribed_at": None, "kept_status": None, "undated": None,
    }
    return columns, statuses


def new_contact_rows(folds: pd.DataFrame, third_party: bool) -> tuple[list[tuple], list[str]]:
    """:func:`new_contact_columns` as rows (every column of CONTACT_FIELDS, NULL as ""), and their statuses."""
    count = len(folds)
    if not count:
        return [], []
    columns, statuses = new_contact_columns(folds, third_party)
    empty = {"bounces": 0, "soft_streak": 0, "third_party": 0, "undated": 0}
    rows = list(zip(*(column if column is not None else [empty.get(name, NULL)] * count
                      for name, column in columns.items()), strict=True))
    return rows, statuses


def plain_stored_contacts(folds: pd.DataFrame, contacts: dict[str, dict]) -> np.ndarray:
    """Which folds are of stored contacts (``contacts``, by address) that :func:`stored_contact_rows`
    settles: no kept status, no report known undated, no soft streak, and none to count after
    the fold (see :func:`bouncectl.ledger.fold.needs_recount`)."""
    if not contacts:
        return np.zeros(len(folds), dtype=bool)
    plain = np.array([
        (contact := contacts.get(email)) is not None and not contact["kept_status"] and not contact["undated"]
        and not contact["soft_streak"] and contact["soft_streak_since"] is None
        for email in folds["email"].tolist()
    ], dtype=bool)
    return plain & ~(folds["recount"].to_numpy(dtype=bool) & (folds["bounces"].to_numpy() > 0))


def _later(held: np.ndarray, new: np.ndarray) -> np.ndarray:
    """The later of two times (text, "" for none) of each contact."""
    return np.where(new > held, new, held)


def stored_contact_rows(folds: pd.DataFrame, contacts: dict[str, dict], third_party: bool) -> list[tuple]:
    """The contacts rows (CONTACT_FIELDS, NULL as "") of stored contacts (see
    :func:`plain_stored_contacts`) with their folds taken in: :func:`bouncectl.ledger.fold.add_fold`
    then :func:`bouncectl.ledger.status.status_of` by columns. Counts add up, times take the earliest
    or the latest, a hard bounce at the time held or later replaces it; the status is the strongest
    of a complaint or an unsubscribe after the last new consent, a global bounce nothing was
    delivered after, a hard bounce no reactivation came after, else eligible (no soft streak)."""
    if not len(folds):
        return []
    stored = [contacts[email] for email in folds["email"].tolist()]

    def held(name: str) -> np.ndarray:
        return np.array([NULL if (value := contact[name]) is None else value for contact in stored], dtype=object)

    texts = {name: _time_array(folds[name].to_numpy(), NULL) for name in _TIMES}
    first_held, first_new = held("first_seen_at"), texts["first"]
    first = np.where((first_held == NULL) | ((first_new != NULL) & (first_new < first_held)), first_new, first_held)
    hard_held, hard_new = held("hard_bounced_at"), texts["hard_at"]
    takes = (hard_new != NULL) & ((hard_held == NULL) | (hard_new >= hard_held))
    hard_at = np.where(takes, hard_new, hard_held)
    new_reasons = _texts_or(folds["hard_reason"], NULL)
    reasons = np.where(takes, new_reasons, held("hard_bounce_reason"))
    hard_ids = np.where(takes, folds["hard_id"].to_numpy().astype(object), held("hard_bounce_event_id"))
    global_at = _later(held("global_bounced_at"), texts["global_at"])
    delivered = _later(held("last_delivered_at"), texts["delivered_at"])
    complained = _later(held("complained_at"), texts["complained_at"])
    unsubscribed = _later(held("unsubscribed_at"), texts["unsubscribed_at"])
    resubscribed, reactivated = held("resubscribed_at"), held("reactivated_at")
    statuses = np.select(
        [(complained != NULL) & ((resubscribed == NULL) | (complained > resubscribed)),
         (unsubscribed != NULL) & ((resubscribed == NULL) | (unsubscribed > resubscribed)),
         (global_at != NULL) & ((delivered == NULL) | (global_at > delivered)),
         (hard_at != NULL) & ((reactivated == NULL) | (hard_at > reactivated))],
        np.array([COMPLAINED, UNSUBSCRIBED, GLOBALLY_BOUNCED, HARD_BOUNCED], dtype=object),
        default=ELIGIBLE,
    )
    bounces = (np.array([contact["bounces"] for contact in stored], dtype=np.int64) + folds["bounces"].to_numpy())
    count = len(stored)
    return list(zip(
        folds["email"].tolist(), held("domain").tolist(), statuses.tolist(), reasons.tolist(), hard_at.tolist(),
        hard_ids.tolist(), global_at.tolist(), delivered.tolist(), bounces.tolist(), held("soft_streak").tolist(),
        [NULL] * count, held("soft_streak_last").tolist(),
        [1] * count if third_party else held("third_party").tolist(), reactivated.tolist(), first.tolist(),
        _later(held("last_event_at"), texts["last"]).tolist(), complained.tolist(), unsubscribed.tolist(),
        resubscribed.tolist(), [NULL] * count, [0] * count,
        strict=True,
    ))


def email_spans(batch: pd.DataFrame) -> dict[str, list]:
    """Per email id of a batch: its first and last event times."""
    email_ids = batch["email_id"].to_numpy(dtype=object)
    stamps = batch["timestamp"].to_numpy(dtype=object)
    named = email_ids != ""
    if not named.all():
        email_ids, stamps = email_ids[named], stamps[named]
    if not len(email_ids):
        return {}
    codes, texts = _codes(stamps)
    emails, names = pd.factorize(email_ids, sort=True)
    low = np.full(len(names), len(texts), dtype=np.int64)
    high = np.full(len(names), -1, dtype=np.int64)
    np.minimum.at(low, emails, codes)
    np.maximum.at(high, emails, codes)
    return {email_id: [texts[first], texts[last]]
            for email_id, first, last in zip(names.tolist(), low.tolist(), high.tolist(), strict=True)}


def email_names(batch: pd.DataFrame) -> dict[str, str]:
    """The first name given to each email id in a batch (its ``email_name`` column)."""
    if "email_name" not in batch:
        return {}
    named = batch[batch["email_name"] != ""]
    if named.empty:
        return {}
    first = named.drop_duplicates("email_id")
    return dict(zip(first["email_id"].tolist(), first["email_name"].tolist(), strict=True))
