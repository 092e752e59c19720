"""Postmark suppression dumps: the ``Suppressions`` of a message stream, as its API returns them
(``/message-streams/{stream}/suppressions/dump``: each ``EmailAddress``, ``SuppressionReason``,
``Origin`` and ``CreatedAt``), one dump or several, one a line.

``SuppressionReason`` ``HardBounce`` is a bounce Postmark holds (global), ``SpamComplaint`` a
complaint, ``ManualSuppression`` an unsubscribe (the recipient's own when ``Origin`` is
``Recipient``; ``Customer`` and ``Admin`` suppressions keep the address out all the same).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources import jsonrecords as jr
from bouncectl.sources import suppressions as sl
from bouncectl.sources.format import Format, Records
from bouncectl.sources.source import Source

PROVIDER = "postmark"
REASONS = {"HardBounce": "bounce", "SpamComplaint": "complaint", "ManualSuppression": "unsubscribe"}
_SNIFF = re.compile(rb'"(?:SuppressionReason|Suppressions)"\s*:')
_SNIFF_WEBHOOK = re.compile(rb'"RecordType"\s*:')


def sniff(head: bytes, source: Source) -> bool:
    # A SubscriptionChange webhook names a SuppressionReason too, with its RecordType.
    return jr.looks_like_json(head) and bool(_SNIFF.search(head)) and not _SNIFF_WEBHOOK.search(head)


def parse(source: Source, options: ImportOptions) -> Records:
    fallback = sl.file_time(source)

    def convert(record: dict, _options: ImportOptions, line: int) -> Iterator[Event | Reject]:
        reason = jr.text(record.get("SuppressionReason"))
        if reason not in REASONS:
            raise jr.RecordError(f"SuppressionReason {str(reason)[:30]!r} is not HardBounce, SpamComplaint or "
                                 "ManualSuppression")
        details = {"SuppressionReason": reason}
        if jr.text(record.get("Origin")):
            details["Origin"] = record["Origin"]
        entry = sl.Entry(record.get("EmailAddress"), REASONS[reason], when=record.get("CreatedAt") or None,
                         details=details)
        yield sl.event_of(entry, PROVIDER, fallback, line)

    yield from jr.parse_records(source, options, convert, list_keys=("Suppressions",))


FORMAT = Format(
    name="postmark-suppressions",
    description="Postmark suppression dumps of a message stream (JSON)",
    sniff=sniff,
    parse=parse,
)
