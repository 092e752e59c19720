"""What the providers' suppression-list exports share (one module per provider uses it).

A provider's suppression list names the addresses it will not send to, and why. Each entry
becomes one event, with the provider's name in its raw fields (``suppression_list``):

- ``bounce``: a hard bounce the provider holds on its own list, so a global one (SPEC section 1):
  it is lifted only there;
- ``block``: a soft bounce (a SendGrid block: the provider keeps sending);
- ``complaint`` and ``unsubscribe`` (from every email, or from its ``group``).

An entry without a time is dated when the file was written (and recognized again without it).
CSV exports are read by header name, compared lowercased with spaces, hyphens and underscores
left out; a bad row is a reject with its line.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any

from bouncectl.bounces import reply_code, status_in
from bouncectl.errors import InputError
from bouncectl.model import Event, Reject
from bouncectl.sources import jsonrecords as jr
from bouncectl.sources.source import Source, decode
from bouncectl.timeparse import format_utc

csv.field_size_limit(sys.maxsize)

KINDS = ("bounce", "block", "complaint", "unsubscribe")
_EVENT = {"bounce": "bounce", "block": "bounce", "complaint": "complaint", "unsubscribe": "unsubscribe"}
_KEY = re.compile(r"[\s_\-]+")


@dataclass
class Entry:
    """One address on a provider's list."""

    address: Any  # as the file gives it: checked when it becomes an event
    kind: str
    when: str | None = None
    reason: str | None = None  # the provider's text (a bounce's reply)
    code: str | None = None  # a reply code or an enhanced status code
    group: str | None = None
    details: dict = field(default_factory=dict)


def key(name: str) -> str:
    """A header or field name as compared: lowercased, without spaces, hyphens and underscores."""
    return _KEY.sub("", name.strip().lower())


def file_time(source: Source) -> str:
    """When the file was written (now, for stdin): the time of entries that give none."""
    if source.path is not None:
        return format_utc(datetime.fromtimestamp(source.path.stat().st_mtime, UTC))
    return format_utc(datetime.now(UTC))


def event_of(entry: Entry, provider: str, fallback: str, line: int | None) -> Event:
    """The event an entry of ``provider``'s list stands for."""
    code = (entry.code or "").strip()
    event = Event(
        recipient=jr.address(entry.address, "address"),
        event=_EVENT[entry.kind],
        timestamp=jr.timestamp(entry.when, "time") if entry.when else fallback,
        dated=bool(entry.when),
        line=line,
        raw=jr.raw_json({"suppression_list": provider, "list": entry.kind, **entry.details}),
    )
    if entry.kind in ("bounce", "block"):
        event.provider_type = "hard" if entry.kind == "bounce" else "soft"
        event.is_global = entry.kind == "bounce"
        event.diagnostic = entry.reason
        event.smtp_code = jr.smtp_code(code) or reply_code(entry.reason)
        event.enhanced_status = jr.status_code(code) or status_in(entry.reason)
    elif entry.kind == "unsubscribe":
        event.group = entry.group
    return event


def csv_header(head: bytes) -> list[str]:
    """The keys of the first line of a CSV file (empty when it is not one)."""
    first = decode(head).lstrip("\ufeff").lstrip("\r\n").partition("\n")[0].rstrip("\r")
    try:
        return [key(name) for name in next(csv.reader([first]))]
    except (csv.Error, StopIteration):
        return []


def csv_rows(source: Source, headerless: tuple[str, ...] = ()) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, row)`` of every data row, keyed by :func:`key` of its header; a file whose first
    cell holds an address has no header, and its columns are ``headerless``."""
    with source.open_text() as stream:
        reader = csv.reader(stream)
        names: list[str] | None = None
        try:
            for row in reader:
                if not row or not any(cell.strip() for cell in row):
                    continue
                if names is None:
                    if headerless and "@" in row[0]:
                        names = list(headerless)
                    else:
                        names = [key(name) for name in row]
                        continue
                yield reader.line_num, {name: cell.strip() for name, cell in zip(names, row)}
        except csv.Error as exc:
            raise InputError(source.name, f"not a readable CSV file: {exc}", line=reader.line_num) from None


def parse_csv(source: Source, provider: str, entry_of, headerless: tuple[str, ...] = ()) -> Iterator[Event | Reject]:
    """The events of a CSV export, ``entry_of(row, source)`` giving each row's :class:`Entry`."""
    fallback = file_time(source)
    for line, row in csv_rows(source, headerless):
        try:
            yield event_of(entry_of(row, source), provider, fallback, line)
        except jr.RecordError as exc:
            yield Reject(line, str(exc), json.dumps(row, ensure_ascii=False)[: jr.REJECT_RAW])


def kind_from_name(source: Source) -> str | None:
    """The list a file holds, when its name says (``bounces.csv``, ``spam_reports.json``...)."""
    name = PurePath(source.name).name.lower()
    for word, kind in (("block", "block"), ("spam", "complaint"), ("complain", "complaint"), ("unsub", "unsubscribe"),
                       ("bounce", "bounce"), ("invalid", "bounce")):
        if word in name:
            return kind
    return None
