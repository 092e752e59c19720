"""SendGrid suppression lists: bounces, blocks, spam reports, invalid emails, global unsubscribes
and unsubscribe-group suppressions, as the v3 API returns them (a JSON array of ``email`` and
``created``, a Unix time, with ``reason`` and ``status`` for bounces and blocks, ``ip`` for spam
reports, ``group_id`` for a group's suppressions) or as CSV with the same column names.

Detected by those fields; a JSON file of bounce records is taken for this format when its name
names the list (``bounces.json``), else it is the sendgrid format's bounce list (or give
``--format sendgrid-suppressions``). Which list a file holds is read from its name (``bounces``, ``blocks``, ``spam_reports``,
``invalid_emails``, ``unsubscribes``), else from its fields: a group id is a group unsubscribe,
a reason or a status a bounce (a block when the status is 4.x.x), an ``ip`` a spam report,
anything else an unsubscribe. Bounces and invalid emails are bounces SendGrid holds (global);
blocks are soft bounces (SendGrid keeps sending to them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources import jsonrecords as jr
from bouncectl.sources import suppressions as sl
from bouncectl.sources.format import Format, Records
from bouncectl.sources.source import Source

PROVIDER = "sendgrid"
_SNIFF_EMAIL = re.compile(rb'"email"\s*:')
_SNIFF_CREATED = re.compile(rb'"created(?:_at)?"\s*:')
_SNIFF_EVENTS = re.compile(rb'"(?:event|sg_event_id|sg_message_id)"\s*:')
_SNIFF_REASON = re.compile(rb'"(?:reason|status)"\s*:')


def sniff(head: bytes, source: Source) -> bool:
    if jr.looks_like_json(head):
        if not (_SNIFF_EMAIL.search(head) and _SNIFF_CREATED.search(head)) or _SNIFF_EVENTS.search(head):
            return False
        # Bounce records without a list's name are the older bounce list: the sendgrid format's.
        return not _SNIFF_REASON.search(head) or sl.kind_from_name(source) is not None
    header = sl.csv_header(head)
    return bool(header) and header[0] == "email" and ("created" in header or "createdat" in header)


def _entry(fields: dict, named: str | None) -> sl.Entry:
    status = jr.text(fields.get("status"))
    group = jr.text(fields.get("groupid"))
    if group:
        kind = "unsubscribe"
    elif named:
        kind = named
    elif fields.get("reason") or status:
        kind = "block" if (status or "").startswith("4") else "bounce"
    elif fields.get("ip"):
        kind = "complaint"
    else:
        kind = "unsubscribe"
    if kind == "bounce" and status and status.startswith("4"):
        kind = "block"
    when = fields.get("created") or fields.get("createdat")
    details = {name: fields[name] for name in ("status", "ip", "groupname") if fields.get(name)}
    return sl.Entry(fields.get("email"), kind, when=when or None, reason=jr.text(fields.get("reason")), code=status,
                    group=group, details=details)


def parse(source: Source, options: ImportOptions) -> Records:
    named = sl.kind_from_name(source)
    if not jr.looks_like_json(source.head()):
        yield from sl.parse_csv(source, PROVIDER, lambda row, _source: _entry(row, named))
        return
    fallback = sl.file_time(source)

    def convert(record: dict, _options: ImportOptions, line: int) -> Iterator[Event | Reject]:
        fields = {sl.key(name): value for name, value in record.items()}
        yield sl.event_of(_entry(fields, named), PROVIDER, fallback, line)

    yield from jr.parse_records(source, options, convert, list_keys=("result", "suppressions"))


FORMAT = Format(
    name="sendgrid-suppressions",
    description="SendGrid suppression lists: bounces, blocks, spam reports, unsubscribes (JSON or CSV)",
    sniff=sniff,
    parse=parse,
)
