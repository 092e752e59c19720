"""SendGrid event webhook batches (and the older bounce list records).

Each webhook POST is a JSON array of events; stored batches may be one per
line, one array, or one event per line.

- ``bounce``: ``type`` ``bounce`` is a permanent failure (provider says hard),
  ``blocked`` a temporary one (soft); ``status`` (enhanced code, sometimes a
  bare reply code, sometimes missing) and ``reason`` (the remote reply);
  ``bounce_classification`` is kept in raw.
- ``dropped``: SendGrid did not send: ``not_sent``, the reason from
  ``reason`` (``Bounced Address`` -> ``PREVIOUSLY_BOUNCED``, ``Invalid`` ->
  ``INVALID_ADDRESS``, unsubscribes, spam reports and anything else ->
  ``SUPPRESSED``).
- ``deferred`` (with ``response``), ``delivered``, ``processed`` (sent),
  ``spamreport`` (complaint), ``unsubscribe`` / ``group_unsubscribe`` (an
  unsubscribe from the group ``asm_group_id`` only),
  ``open``, ``click``.
- Records without ``event`` but with ``email``, ``created`` and ``reason`` or
  ``status`` are entries of the bounce list (suppression API, older exports):
  a bounce that SendGrid will not retry (hard unless the status is 4.x.x).

Batches are recognised by SendGrid's own ids (``sg_event_id``, ``sg_message_id``) or, when
they have none (the documentation's examples, legacy newsletter events), by an ``email``, a
``timestamp`` and an ``event`` named as SendGrid names them, with no ``recipient`` field.
``category`` may be a string or an array; reserved keys and ``newsletter`` objects are kept in raw.

The email id is the custom argument named ``options.email_id_tag`` (top-level
or under ``unique_args``/``custom_args``), else ``options.email_id`` (``--email-id``), else the
first ``category`` (SendGrid's categories usually name a campaign).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bouncectl.bounces import reply_code, status_in
from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources import jsonrecords as jr
from bouncectl.sources.format import Format, Records
from bouncectl.sources.source import Source

if TYPE_CHECKING:
    from bouncectl.sources.jsoncolumns import EventColumns

SIMPLE_EVENTS = {
    "processed": "sent",
    "delivered": "delivered",
    "spamreport": "complaint",
    "unsubscribe": "unsubscribe",
    "group_unsubscribe": "unsubscribe",
    "open": "open",
    "click": "click",
}
SKIPPED_EVENTS = frozenset({"group_resubscribe"})
BOUNCE_TYPES = {"bounce": "hard", "blocked": "soft"}
# dropped reasons (lowercase prefix) -> not_sent_reason; anything else is SUPPRESSED.
DROP_REASONS = (
    ("bounced address", "PREVIOUSLY_BOUNCED"),
    ("invalid smtpapi", "SUPPRESSED"),
    ("invalid", "INVALID_ADDRESS"),
    ("unsubscribed address", "SUPPRESSED"),
    ("spam reporting address", "SUPPRESSED"),
)
_MAPPED = frozenset(("email", "timestamp", "event", "smtp-id", "type", "reason", "status", "response", "category", "created"))
_SNIFF = re.compile(rb'"(?:sg_event_id|sg_message_id)"\s*:')
_SNIFF_EMAIL = re.compile(rb'"email"\s*:')
_SNIFF_CREATED = re.compile(rb'"created"\s*:')
_SNIFF_REASON = re.compile(rb'"(?:reason|status)"\s*:')
_SNIFF_EVENT = re.compile(
    rb'"event"\s*:\s*"(?:processed|dropped|delivered|deferred|bounce|open|click|spamreport|unsubscribe'
    rb'|group_unsubscribe|group_resubscribe)"'
)
_SNIFF_TIMESTAMP = re.compile(rb'"timestamp"\s*:\s*\d')
_SNIFF_RECIPIENT = re.compile(rb'"recipient"\s*:')


def sniff(head: bytes, source: Source) -> bool:
    if not jr.looks_like_json(head):
        return False
    if _SNIFF.search(head):
        return True
    # Without SendGrid's ids: its event names, an email and a Unix timestamp, and no recipient
    # field (which the canonical JSON and Mailgun have).
    if _SNIFF_EVENT.search(head) and _SNIFF_EMAIL.search(head) and _SNIFF_TIMESTAMP.search(head):
        return not _SNIFF_RECIPIENT.search(head)
    # The bounce list: {"created": ..., "email": ..., "reason": ..., "status": ...}
    return bool(_SNIFF_EMAIL.search(head) and _SNIFF_CREATED.search(head) and _SNIFF_REASON.search(head))


def parse(source: Source, options: ImportOptions) -> Records:
    yield from jr.parse_records(source, options, _convert, list_keys=("result", "bounces"))


def drop_reason(reason: str | None) -> str:
    word = (reason or "").strip().lower()
    for prefix, mapped in DROP_REASONS:
        if word.startswith(prefix):
            return mapped
    return "SUPPRESSED"


def _convert(record: dict, options: ImportOptions, line: int) -> Iterator[Event | Reject]:
    kind = jr.text(record.get("event"))
    if kind is None:
        if "email" in record and ("reason" in record or "status" in record):
            yield _bounce_list_entry(record, options, line)
            return
        raise jr.RecordError("not a SendGrid event (no event field)")
    kind = kind.lower()
    if kind in SKIPPED_EVENTS:
        return
    event = Event(
        recipient=jr.address(record.get("email"), "email"),
        event="",
        timestamp=jr.timestamp(record.get("timestamp")),
        email_id=_email_id(record, options),
        message_id=jr.message_id(record.get("smtp-id")),
        line=line,
    )
    if kind in SIMPLE_EVENTS:
        event.event = SIMPLE_EVENTS[kind]
        if kind == "group_unsubscribe":
            event.group = jr.text(record.get("asm_group_id"))
    elif kind == "bounce":
        event.event = "bounce"
        bounce_type = jr.text(record.get("type"))
        event.provider_type = BOUNCE_TYPES.get(bounce_type.lower()) if bounce_type else None
        _reply(event, record.get("status"), record.get("reason"))
    elif kind == "deferred":
        event.event = "deferred"
        event.provider_type = "soft"
        _reply(event, record.get("status"), record.get("response") or record.get("reason"))
    elif kind == "dropped":
        event.event = "not_sent"
        event.not_sent_reason = drop_reason(jr.text(record.get("reason")))
    else:
        raise jr.RecordError(f"unknown SendGrid event {kind[:40]!r}")
    event.raw = _raw(record, kind)
    yield event


def _bounce_list_entry(record: dict, options: ImportOptions, line: int) -> Event:
    event = Event(
        recipient=jr.address(record.get("email"), "email"),
        event="bounce",
        timestamp=jr.timestamp(record.get("created"), "created"),
        email_id=_email_id(record, options),
        line=line,
    )
    status = jr.text(record.get("status")) or ""
    event.provider_type = "soft" if status.startswith("4") else "hard"
    _reply(event, record.get("status"), record.get("reason"))
    event.raw = _raw(record, "bounce list")
    return event


def _reply(event: Event, status, text) -> None:
    diagnostic = jr.text(text)
    event.diagnostic = diagnostic
    event.smtp_code = jr.smtp_code(status) or reply_code(diagnostic)
    event.enhanced_status = jr.status_code(status) or status_in(diagnostic)


def _raw(record: dict, kind: str) -> str | None:
    """The fields kept with the event (see :func:`jsonrecords.raw_json`): its fields without a
    column, the event's name, and the type, categories, status and reason where they say more."""
    kept_value = jr.kept_value
    kept = {k: v for k, v in record.items() if k not in _MAPPED and (v or kept_value(v))}
    kept["event"] = kind
    if record.get("type"):
        kept["type"] = record["type"]
    if record.get("category"):
        kept["category"] = record["category"]
    status = record.get("status")
    if status is not None and not jr.status_code(status) and not jr.smtp_code(status) and kept_value(status):
        kept["status"] = status
    if kind == "dropped" and record.get("reason"):
        kept["reason"] = record["reason"]
    return jr.raw_text(kept)


def _email_id(record: dict, options: ImportOptions) -> str | None:
    tag = options.email_id_tag
    found = record.get(tag) if tag else None
    if type(found) is str and found.strip():  # the custom argument at the top, as most events have it
        return found.strip()
    if tag:
        for holder in (record, record.get("unique_args"), record.get("custom_args")):
            found = jr.first_text(jr.lookup(holder, tag)) if isinstance(holder, dict) else None
            if found:
                return found
    return options.email_id or jr.first_text(record.get("category"))


def columns(record: dict, options: ImportOptions, line: int, out: EventColumns) -> bool:
    """A webhook event added to ``out`` as ``_convert`` reads it: the same event, each distinct
    time and address read once, without an Event (False, nothing added: a record of the bounce
    list, an event skipped or unknown, or one ``_convert`` refuses, read by ``_convert``)."""
    kind = jr.event_name(record.get("event"))
    if kind is None:
        return False
    simple = SIMPLE_EVENTS.get(kind)
    if simple is None and kind not in ("bounce", "deferred", "dropped"):
        return False
    read = out.distinct.address_and_time(record.get("email"), record.get("timestamp"))
    if read is None:
        return False
    recipient, when = read
    email_id = _email_id(record, options) or ""
    message_id = jr.message_id_column_of(record.get("smtp-id"))
    raw = _raw(record, kind) or ""
    if simple is not None:
        row = out.add(recipient, simple, when, email_id, "", message_id, raw, line)
        if kind == "group_unsubscribe":
            group = jr.text(record.get("asm_group_id"))
            if group:
                out.sparse["list_group"][row] = group
        return True
    row = out.add(recipient, "not_sent" if kind == "dropped" else kind, when, email_id, "", message_id, raw, line)
    if kind == "dropped":
        out.sparse["not_sent_reason"][row] = drop_reason(jr.text(record.get("reason")))
    else:
        _report_columns(record, kind, row, out)
    return True


def _report_columns(record: dict, kind: str, row: int, out: EventColumns) -> None:
    """A bounce's or a deferral's verdict and reply, in the sparse columns of its row (as ``_reply``)."""
    sparse = out.sparse
    if kind == "bounce":
        bounce_type = jr.text(record.get("type"))
        provider_type = BOUNCE_TYPES.get(bounce_type.lower()) if bounce_type else None
        reply = record.get("reason")
    else:
        provider_type = "soft"
        reply = record.get("response") or record.get("reason")
    if provider_type:
        sparse["provider_type"][row] = provider_type
    status = record.get("status")
    diagnostic = jr.text(reply)
    for name, value in (("diagnostic", diagnostic), ("smtp_code", jr.smtp_code(status) or reply_code(diagnostic)),
                        ("enhanced_status", jr.status_code(status) or status_in(diagnostic))):
        if value:
            sparse[name][row] = value
    if diagnostic:
        out.text += len(diagnostic)


def blocks(source: Source, options: ImportOptions) -> Iterator:
    """The input as blocks of columns (see :mod:`bouncectl.sources.jsoncolumns`, loaded when used)."""
    from bouncectl.sources.jsoncolumns import read_blocks

    return read_blocks(parse, source, options, _convert, ("result", "bounces"), columns)


FORMAT = Format(
    name="sendgrid",
    description="SendGrid event webhook batches and bounce list records (JSON lines or array)",
    sniff=sniff,
    parse=parse,
    blocks=blocks,
)
