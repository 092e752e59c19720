"""Amazon SES account-level suppression list exports.

- JSON: ``ListSuppressedDestinations`` response pages (``SuppressedDestinationSummaries``, each
  ``EmailAddress``, ``Reason`` and ``LastUpdateTime``; pages may be concatenated or one a line),
  a ``GetSuppressedDestination`` response (``SuppressedDestination``), and the JSON lines of a
  bulk import (``emailAddress``, ``reason``).
- CSV: with a header naming the address (``EmailAddress``, ``EMAIL_ADDRESS``, ``email``) and
  ``Reason`` (and ``LastUpdateTime``), or the bulk import's rows without a header
  (``address,REASON``).

``Reason`` ``BOUNCE`` is a bounce SES holds (a global bounce), ``COMPLAINT`` a complaint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources import jsonrecords as jr
from bouncectl.sources import suppressions as sl
from bouncectl.sources.format import Format, Records
from bouncectl.sources.source import Source, decode

PROVIDER = "ses"
REASONS = {"BOUNCE": "bounce", "COMPLAINT": "complaint"}
_SNIFF = re.compile(rb'"(?:SuppressedDestinationSummaries|SuppressedDestination)"\s*:')
_HEADERLESS = re.compile(r"^\s*[^,@\s]+@[^,\s]+\s*,\s*(?:BOUNCE|COMPLAINT)\s*$", re.IGNORECASE)
_ADDRESS_KEYS = ("emailaddress", "email")


def sniff(head: bytes, source: Source) -> bool:
    if jr.looks_like_json(head):
        return bool(_SNIFF.search(head))
    header = sl.csv_header(head)
    if any(name in header for name in _ADDRESS_KEYS) and "reason" in header and "lastupdatetime" in header:
        return True
    first = decode(head).lstrip("\ufeff").partition("\n")[0].rstrip("\r")
    return bool(_HEADERLESS.match(first))


def _entry(fields: dict) -> sl.Entry:
    reason = (jr.text(fields.get("reason")) or "").upper()
    if reason not in REASONS:
        raise jr.RecordError(f"Reason {reason[:20]!r} is not BOUNCE or COMPLAINT")
    address = next((fields[name] for name in _ADDRESS_KEYS if fields.get(name)), None)
    when = fields.get("lastupdatetime")
    return sl.Entry(address, REASONS[reason], when=when if when not in ("", None) else None,
                    details={"Reason": reason})


def parse(source: Source, options: ImportOptions) -> Records:
    if not jr.looks_like_json(source.head()):
        yield from sl.parse_csv(source, PROVIDER, lambda row, _source: _entry(row), headerless=("email", "reason"))
        return
    fallback = sl.file_time(source)

    def convert(record: dict, _options: ImportOptions, line: int) -> Iterator[Event | Reject]:
        found = record.get("SuppressedDestination", record)
        if not isinstance(found, dict):
            raise jr.RecordError("SuppressedDestination is not an object")
        if "NextToken" in found and len(found) == 1:
            return  # a page's last element: the token of the next page
        fields = {sl.key(name): value for name, value in found.items()}
        yield sl.event_of(_entry(fields), PROVIDER, fallback, line)

    yield from jr.parse_records(source, options, convert, list_keys=("SuppressedDestinationSummaries",))


FORMAT = Format(
    name="ses-suppressions",
    description="Amazon SES account-level suppression list: ListSuppressedDestinations JSON pages, CSV",
    sniff=sniff,
    parse=parse,
)
