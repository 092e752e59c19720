"""Mailgun suppression lists: bounces, complaints and unsubscribes, as the API's pages return them
(``items``, each with ``address`` and ``created_at``, an RFC 2822 date; bounces add ``code`` and
``error``, unsubscribes ``tags``) or as the CSV files Mailgun imports and exports
(``address,code,error,created_at``; ``address,created_at``; ``address,tags,created_at``).

A ``code`` or an ``error`` is a bounce Mailgun holds (global); ``tags`` an unsubscribe, from
every email when a tag is ``*``, else from each tag (its group); else a complaint. A file whose
name says its list (``bounces``, ``complaints``, ``unsubscribes``) is read as that list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources import jsonrecords as jr
from bouncectl.sources import suppressions as sl
from bouncectl.sources.format import Format, Records
from bouncectl.sources.source import Source

PROVIDER = "mailgun"
_SNIFF = re.compile(rb'"address"\s*:')
_SNIFF_CREATED = re.compile(rb'"created_at"\s*:')


def sniff(head: bytes, source: Source) -> bool:
    if jr.looks_like_json(head):
        return bool(_SNIFF.search(head) and _SNIFF_CREATED.search(head))
    header = sl.csv_header(head)
    return bool(header) and header[0] == "address" and "createdat" in header


def _tags(value) -> list[str]:
    if isinstance(value, list):
        return [tag for tag in (jr.text(v) for v in value) if tag]
    text = jr.text(value)
    return [tag.strip() for tag in text.split(",") if tag.strip()] if text else []


def _entries(fields: dict, named: str | None) -> Iterator[sl.Entry]:
    address, when = fields.get("address"), fields.get("createdat") or None
    tags = _tags(fields.get("tags"))
    kind = named or ("bounce" if fields.get("code") or fields.get("error") else "unsubscribe" if "tags" in fields
                     else "complaint")
    if kind != "unsubscribe":
        code = jr.text(fields.get("code"))
        yield sl.Entry(address, kind, when=when, reason=jr.text(fields.get("error")), code=code,
                       details={"code": code} if code else {})
        return
    groups: list[str | None] = [None] if not tags or "*" in tags else list(tags)
    for group in groups:
        yield sl.Entry(address, "unsubscribe", when=when, group=group, details={"tags": tags} if tags else {})


def parse(source: Source, options: ImportOptions) -> Records:
    named = sl.kind_from_name(source)
    if named == "block":
        named = None
    fallback = sl.file_time(source)

    def convert(fields: dict, line: int) -> Iterator[Event]:
        for entry in _entries(fields, named):
            yield sl.event_of(entry, PROVIDER, fallback, line)

    if not jr.looks_like_json(source.head()):
        for line, row in sl.csv_rows(source):
            try:
                yield from list(convert(row, line))
            except jr.RecordError as exc:
                yield Reject(line, str(exc), str(row)[: jr.REJECT_RAW])
        return

    def convert_record(record: dict, _options: ImportOptions, line: int) -> Iterator[Event | Reject]:
        yield from convert({sl.key(name): value for name, value in record.items()}, line)

    yield from jr.parse_records(source, options, convert_record, list_keys=("items",))


FORMAT = Format(
    name="mailgun-suppressions",
    description="Mailgun suppression lists: bounces, complaints, unsubscribes (API pages or CSV)",
    sniff=sniff,
    parse=parse,
)
