"""Before the next send: filter a planned recipient list, saved contact lists, the soft-bounce settings.

- :func:`filter_list` splits a planned list into sendable and not sent (SPEC rule 2.2),
  streaming, in bounded memory, whatever the size of the list.
- :func:`create_list`, :func:`list_contacts`, :func:`saved_lists`: named contact filters
  (SPEC rule 2.4), evaluated when they are read, so they stay current.
- :func:`configure`: the soft-bounce policy settings (SPEC rule 2.9).

Nothing here knows about the terminal.
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TextIO

from bouncectl.addresses import normalize, normalize_domain, syntax_error
from bouncectl.errors import BouncectlError, InputError, NotFound, UsageError
from bouncectl.ledger.status import DEFAULT_SOFT_BOUNCE_DAYS, DEFAULT_SOFT_BOUNCE_LIMIT, not_sent_reason
from bouncectl.model import CONTACT_STATUSES, NOT_SENT_REASONS, Event, ImportOptions, NotSentReason
from bouncectl.output import write_rows
from bouncectl.sources.source import Source, decode
from bouncectl.store import CONTACT_COLUMNS, Store
from bouncectl.timeparse import ImplausibleTime, format_utc, now_utc, parse_timestamp

csv.field_size_limit(sys.maxsize)

INVALID_ADDRESS = "INVALID_ADDRESS"
DUPLICATE = "DUPLICATE"
BATCH_ROWS = 50_000

# Header names taken for the email column, compared after lowercasing and turning
# spaces and hyphens into underscores; the first match from the left wins.
EMAIL_COLUMN_NAMES = frozenset(
    {
        "email", "e_mail", "email_address", "e_mail_address", "emailaddress", "mail", "mail_address",
        "recipient", "recipient_email", "recipient_address", "address", "to", "contact_email",
    }
)
DELIMITERS = ",;\t|"


# --- address syntax, fast ---------------------------------------------------------------------


@lru_cache(maxsize=65_536)
def _domain_is_valid(domain: str) -> bool:
    return syntax_error("x@" + domain) is None


@lru_cache(maxsize=1)
def _plain_address_rules() -> tuple:
    # Loaded on first use: email-validator is slow to import and most commands never need it.
    from email_validator.rfc_constants import DOT_ATOM_TEXT, EMAIL_MAX_LENGTH

    return DOT_ATOM_TEXT.match, EMAIL_MAX_LENGTH


def address_error(address: str) -> str | None:
    """Why ``address`` is not a valid address (``None``: it is), as :func:`~bouncectl.addresses.syntax_error` says.

    Most addresses are plain ASCII ``dot-atom@domain`` at a few thousand domains. For those the
    verdict of the full check is known from its parts: the local part matches email-validator's own
    dot-atom pattern, the domain was already validated (cached per domain) and the address is within
    the length limit. Everything else gets the full check. This keeps a million addresses to seconds.
    """
    dot_atom, max_length = _plain_address_rules()
    local, at, domain = address.rpartition("@")
    if (
        at
        and len(address) <= max_length
        and address.isascii()
        and dot_atom(local)
        and _domain_is_valid(domain)
    ):
        return None
    return syntax_error(address)


# --- reading a planned list -------------------------------------------------------------------


def _header_key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


@dataclass
class PlannedList:
    """How a planned list is laid out: a CSV with a header, or one address a line."""

    mode: str  # "csv" or "lines"
    column: str | None = None
    index: int = 0
    header: list[str] = field(default_factory=list)
    delimiter: str = ","


def _delimiter(header_line: str) -> str:
    """The header line decides the delimiter (comma, semicolon, tab or bar); a single column is comma."""
    try:
        found = csv.Sniffer().sniff(header_line, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","
    return found if found in header_line else ","


def detect_layout(head: str, column: str | None, source_name: str) -> PlannedList:
    """Find the email column from the first line (``column`` names it when given)."""
    first = head.lstrip("\r\n").partition("\n")[0].rstrip("\r")
    if not first.strip():
        raise InputError(source_name, "the planned list is empty")
    delimiter = _delimiter(first)
    try:
        header = next(csv.reader([first], delimiter=delimiter))
    except (csv.Error, StopIteration):
        header = []
    if column is not None:
        wanted = _header_key(column)
        for index, name in enumerate(header):
            if _header_key(name) == wanted:
                return PlannedList("csv", name.strip(), index, header, delimiter)
        shown = ", ".join(h.strip() for h in header[:12]) or "none"
        raise InputError(source_name, f"no column named {column!r} (columns: {shown})", line=1)
    for index, name in enumerate(header):
        if _header_key(name) in EMAIL_COLUMN_NAMES:
            return PlannedList("csv", name.strip(), index, header, delimiter)
    lines = (line.strip() for line in head.splitlines())
    first_address = next((line for line in lines if line and not line.startswith("#")), "")
    if "@" in first_address and len(next(csv.reader([first_address], delimiter=delimiter), [])) <= 1:
        return PlannedList("lines")
    raise InputError(
        source_name,
        "cannot tell which column holds the addresses",
        line=1,
        hint="name it with --column NAME, or give one address a line",
    )


def _rows(source: Source, layout: PlannedList) -> Iterator[tuple[int, list[str], str]]:
    """(line, row, address) for every data row, in input order."""
    with source.open_text() as stream:
        if layout.mode == "lines":
            for number, line in enumerate(stream, start=1):
                text = line.strip()
                if text and not text.startswith("#"):
                    yield number, [text], text
            return
        reader = csv.reader(stream, delimiter=layout.delimiter)
        header_seen = False
        try:
            for row in reader:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # blank lines
                if not header_seen:
                    header_seen = True
                    continue
                yield reader.line_num, row, row[layout.index] if layout.index < len(row) else ""
        except csv.Error as exc:
            raise InputError(source.name, f"not a readable CSV file: {exc}", line=reader.line_num) from None


# --- filtering --------------------------------------------------------------------------------


class SeenAddresses:
    """The addresses seen so far, kept compactly: a sorted array of 64-bit hashes (8 bytes each).

    A million addresses take 8 MB. Two different addresses share a hash with a chance of about
    one in 30 million for a list of a million, which would report the second as a duplicate.
    """

    def __init__(self) -> None:
        import numpy as np  # loaded on first use: slow to import, and only filter needs it

        self._np = np
        self._sorted = np.empty(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self._sorted)

    def first_time(self, addresses: list[str]) -> list[bool]:
        """For each address in order: is this its first occurrence (here or in any earlier batch)?"""
        if not addresses:
            return []
        np = self._np
        hashes = np.fromiter((hash(a) for a in addresses), dtype=np.int64, count=len(addresses))
        first = np.ones(len(hashes), dtype=bool)
        if len(self._sorted):
            place = np.minimum(np.searchsorted(self._sorted, hashes), len(self._sorted) - 1)
            first &= self._sorted[place] != hashes
        # Within the batch, only the earliest occurrence of a hash is a first time.
        earliest = np.zeros(len(hashes), dtype=bool)
        earliest[np.unique(hashes, return_index=True)[1]] = True
        first &= earliest
        fresh = np.sort(hashes[first])
        self._sorted = np.insert(self._sorted, np.searchsorted(self._sorted, fresh), fresh)
        return first.tolist()


@dataclass
class FilterSummary:
    source: str
    layout: str
    column: str | None
    rows: int = 0
    sendable: int = 0
    not_sent: Counter = field(default_factory=Counter)
    recorded: int = 0
    email_id: str | None = None

    @property
    def not_sent_total(self) -> int:
        return sum(self.not_sent.values())

    def by_reason(self) -> list[tuple[str, int]]:
        return [(reason, self.not_sent[reason]) for reason in NOT_SENT_REASONS if self.not_sent[reason]]


def _decide(store: Store, seen: SeenAddresses, addresses: list[str], group: str | None = None) -> list[str | None]:
    """The not-sent reason of each planned address (``None``: sendable), in order.

    With ``group``, the send is one of that group's: an unsubscribe from it keeps an address out too.
    """
    keys = [normalize(a) for a in addresses]
    reasons: list[str | None] = [None] * len(keys)
    valid_at: list[int] = []
    for i, key in enumerate(keys):
        if not key or address_error(key) is not None:
            reasons[i] = INVALID_ADDRESS
        else:
            valid_at.append(i)
    first = seen.first_time([keys[i] for i in valid_at])
    lookup: list[int] = []
    for i, is_first in zip(valid_at, first):
        if is_first:
            lookup.append(i)
        else:
            reasons[i] = DUPLICATE
    # Sorted, each chunk of the look-up reads a narrow stretch of the index: about twice as fast.
    statuses = store.statuses(sorted(keys[i] for i in lookup))
    for i in lookup:
        reasons[i] = not_sent_reason(statuses.get(keys[i]))
    if group:
        sendable = [keys[i] for i in lookup if reasons[i] is None]
        left = store.unsubscribed_from_group(sendable, group)
        for i in lookup:
            if reasons[i] is None and keys[i] in left:
                reasons[i] = NotSentReason.UNSUBSCRIBED.value
    return reasons


def filter_list(  # noqa: C901
    store: Store,
    spec: str,
    sendable_out: TextIO,
    not_sent_out: TextIO | None = None,
    *,
    column: str | None = None,
    email_id: str | None = None,
    group: str | None = None,
    batch_rows: int = BATCH_ROWS,
) -> FilterSummary:
    """Split the planned list ``spec`` (a path, or ``-`` for stdin) into sendable and not sent.

    The sendable output keeps the input's columns and order (one address a line stays one
    address a line). The not-sent output is CSV: the input's columns and ``not_sent_reason``
    (``email, not_sent_reason`` for a plain list). With ``email_id`` the not-sent recipients
    are recorded as that email's ``not_sent`` events, all in one transaction (duplicate rows are
    reported in the output but not recorded: their address is a recipient of the email). With
    ``group`` the send belongs to that group or list, and its unsubscribers are not sent to.
    """
    source = Source(spec)
    try:
        if source.is_dir:
            raise InputError(source.name, "is a folder, not a file")
        layout = detect_layout(decode(source.head()), column, source.name)
        summary = FilterSummary(source.name, layout.mode, layout.column, email_id=email_id)
        sendable = csv.writer(sendable_out, delimiter=layout.delimiter, lineterminator="\n")
        not_sent = csv.writer(not_sent_out, delimiter=layout.delimiter, lineterminator="\n") if not_sent_out else None
        if layout.mode == "csv":
            sendable.writerow(layout.header)
            if not_sent:
                not_sent.writerow([*layout.header, "not_sent_reason"])
        elif not_sent:
            not_sent.writerow(["email", "not_sent_reason"])
        seen = SeenAddresses()
        recording = store.write() if email_id else nullcontext(None)
        with recording as conn:
            soft_policy = store.soft_bounce_policy()  # inside the transaction that records, when it records
            batch: list[tuple[int, list[str], str]] = []

            def flush() -> None:
                reasons = _decide(store, seen, [address for _, _, address in batch], group)
                events: list[Event] = []
                stamp = now_utc()
                for (line, row, address), reason in zip(batch, reasons):
                    if reason is None:
                        summary.sendable += 1
                        if layout.mode == "lines":
                            sendable_out.write(address + "\n")
                        else:
                            sendable.writerow(row)
                        continue
                    summary.not_sent[reason] += 1
                    if not_sent:
                        not_sent.writerow([*row, reason])
                    key = normalize(address)
                    # A duplicate row is not a not-sent recipient: the address is sent to once (or
                    # recorded once under its own reason), and the store keeps one not_sent event
                    # per email and recipient, which would mark a sent recipient as not sent.
                    if conn is not None and key and reason != DUPLICATE:
                        events.append(
                            Event(recipient=key, event="not_sent", timestamp=stamp, email_id=email_id,
                                  not_sent_reason=reason, line=line)
                        )
                if events and conn is not None:  # events are kept only with a connection
                    summary.recorded += store.add_events(conn, None, events, ImportOptions(), soft_policy).stored
                summary.rows += len(batch)
                batch.clear()

            for record in _rows(source, layout):
                batch.append(record)
                if len(batch) >= batch_rows:
                    flush()
            if batch:
                flush()
        return summary
    finally:
        source.close()


# --- saved lists ------------------------------------------------------------------------------

LIST_FILTERS = ("status", "hard_bounce_reason", "domain", "bounced_since")
LIST_COLUMNS = ["name", "filters", "contacts", "created_at"]
_RELATIVE = re.compile(r"(\d+)\s*([dw])")
MAX_WINDOW_DAYS = 36600  # about a hundred years: a --bounced-since window longer than this is a mistake


def _window_days(text: str) -> int | None:
    """The days of a window such as ``30d`` or ``2w`` (``None``: not a window)."""
    window = _RELATIVE.fullmatch(text)
    if not window:
        return None
    return int(window.group(1)) * (7 if window.group(2) == "w" else 1)


def list_filters(
    status: str | None = None,
    hard_bounce_reason: str | None = None,
    domain: str | None = None,
    bounced_since: str | None = None,
) -> dict:
    """Checked, normalized filters for a saved list (the ``contacts`` filters plus bounced-since).

    ``bounced_since`` is a date or time (kept as canonical UTC), or a window such as ``30d`` or
    ``2w`` that is measured back from the moment the list is read.
    """
    filters: dict = {}
    if status and status != "all":
        if status not in CONTACT_STATUSES:
            raise UsageError(f"unknown status {status!r}", f"one of {', '.join(CONTACT_STATUSES)}")
        filters["status"] = status
    if hard_bounce_reason:
        filters["hard_bounce_reason"] = hard_bounce_reason.strip().lower()
    if domain:
        filters["domain"] = normalize_domain(domain)
    if bounced_since:
        text = bounced_since.strip().lower()
        days = _window_days(text)
        if days is not None:
            if days > MAX_WINDOW_DAYS:
                raise UsageError(
                    f"--bounced-since {bounced_since!r} reaches back more than {MAX_WINDOW_DAYS:,} days",
                    "give a shorter window such as 365d, or a date such as 2020-01-01",
                )
            filters["bounced_since"] = text.replace(" ", "")
        else:
            try:
                filters["bounced_since"] = parse_timestamp(bounced_since)
            except ImplausibleTime as exc:
                raise UsageError(
                    f"--bounced-since {bounced_since!r} is {exc.why}", "a date from 1990 to a day ahead, or 30d",
                ) from None
            except ValueError:
                raise UsageError(
                    f"--bounced-since {bounced_since!r} is neither a date nor a window",
                    "e.g. 2026-11-01, or 30d for the last 30 days",
                ) from None
    return filters


def resolve_filters(filters: dict, now: datetime | None = None) -> dict:
    """The filters as :meth:`Store.contact_filter_sql` takes them, windows measured back from ``now``."""
    resolved = {name: filters.get(name) for name in LIST_FILTERS}
    days = _window_days(str(resolved["bounced_since"] or ""))
    if days is not None:
        try:
            resolved["bounced_since"] = format_utc((now or datetime.now(UTC)) - timedelta(days=days))
        except OverflowError:
            raise BouncectlError(f"bounced_since={resolved['bounced_since']} reaches before year 1") from None
    return resolved


def _saved_filters(name: str, text: str) -> dict:
    """A saved list's filters, read back: a damaged or out-of-range one names its list."""
    try:
        filters = json.loads(text)
    except ValueError:
        filters = None
    if not isinstance(filters, dict):
        raise BouncectlError(f"list {name!r}: its saved filter cannot be read", f"replace it: bouncectl lists create {name} --replace ...")
    try:
        resolve_filters(filters)
    except BouncectlError as exc:
        raise BouncectlError(f"list {name!r}: {exc.message}", f"replace it: bouncectl lists create {name} --replace ...") from None
    return filters


def describe_filters(filters: dict) -> str:
    return ", ".join(f"{name}={filters[name]}" for name in LIST_FILTERS if filters.get(name)) or "(every contact)"


def create_list(store: Store, name: str, filters: dict, replace: bool = False) -> int:
    """Save a named filter; returns how many contacts it matches now."""
    name = name.strip()
    if not name:
        raise BouncectlError("a list needs a name")
    if not replace:
        try:
            store.saved_list(name)
        except NotFound:
            pass
        else:
            raise BouncectlError(f"a list named {name!r} exists", "give another name, or --replace it")
    store.save_list(name, filters)
    return store.count_contacts(**resolve_filters(filters))


def list_contacts(store: Store, name: str, now: datetime | None = None) -> Iterator[dict]:
    """The contacts a saved list matches now."""
    return store.contacts(**resolve_filters(saved_list_filters(store, name), now))


def saved_list_filters(store: Store, name: str) -> dict:
    """A saved list's filters, checked (a missing or damaged list fails here, before any output)."""
    return _saved_filters(name, store.saved_list_text(name))


def saved_lists(store: Store, now: datetime | None = None) -> Iterator[dict]:
    """Every saved list, with how many contacts it matches now."""
    for row in store.lists():
        try:
            filters = _saved_filters(row["name"], row["filters"])
        except BouncectlError as exc:
            yield {"name": row["name"], "filters": f"unreadable: {exc.message}", "contacts": None, "created_at": row["created_at"]}
            continue
        yield {
            "name": row["name"],
            "filters": describe_filters(filters),
            "contacts": store.count_contacts(**resolve_filters(filters, now)),
            "created_at": row["created_at"],
        }


def export_list(store: Store, name: str, handle: TextIO, kind: str) -> int:
    return write_rows(list_contacts(store, name), CONTACT_COLUMNS, handle, kind)


# --- soft-bounce settings ---------------------------------------------------------------------

SETTINGS = {
    "soft_bounce_limit": (int, 1, DEFAULT_SOFT_BOUNCE_LIMIT, "consecutive soft-bounced sends"),
    "soft_bounce_days": (float, 0, DEFAULT_SOFT_BOUNCE_DAYS, "days the streak must span at least"),
}
SETTING_COLUMNS = ["key", "value", "default", "meaning"]


def settings(store: Store) -> list[dict]:
    stored = store.settings()
    return [
        {"key": key, "value": stored.get(key, _text(default)), "default": _text(default), "meaning": meaning}
        for key, (_kind, _low, default, meaning) in SETTINGS.items()
    ]


def _text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def configure(store: Store, key: str, value: str, by: str = "unknown") -> dict:
    """Set one soft-bounce setting and re-evaluate every contact with a soft-bounce streak.

    Returns the counts of contacts re-evaluated and whose status changed.
    """
    if key not in SETTINGS:
        raise UsageError(f"unknown setting {key!r}", f"one of {', '.join(SETTINGS)}")
    kind, low, _default, _meaning = SETTINGS[key]
    example = f"e.g. bouncectl config {key} {_text(kind(SETTINGS[key][2]))}"
    try:
        number = kind(value)
    except ValueError:
        raise UsageError(f"{key} must be a {'whole ' if kind is int else ''}number, not {value!r}", example) from None
    if not math.isfinite(number) or number < low:
        raise UsageError(f"{key} must be at least {low}", example)
    return store.update_soft_bounce_settings({key: _text(number)}, by=by)
