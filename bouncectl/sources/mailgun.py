"""Mailgun events: webhook bodies (``event-data``) and events API pages (``items``).

- ``failed``: ``severity`` ``permanent`` is a bounce the provider calls hard;
  ``temporary`` is ``deferred``, except ``reason`` ``old`` (Mailgun gave up
  retrying), which is a soft bounce with reason ``expired``. The ``reason``
  values ``suppress-bounce`` (-> ``PREVIOUSLY_BOUNCED``),
  ``suppress-unsubscribe`` and ``suppress-complaint`` (-> ``SUPPRESSED``) mean
  Mailgun did not send at all: ``not_sent``. ``delivery-status`` gives the
  reply code (``code``), the remote text (``message``) and Mailgun's own
  explanation (``description``, used when there is no remote text).
- ``accepted`` (sent), ``delivered``, ``complained``, ``unsubscribed`` (from
  the ``mailing-list`` ``address`` only, when the message went to a mailing list),
  ``opened``, ``clicked``. ``rejected`` and ``stored`` concern the API call
  or inbound mail, not a recipient's delivery: skipped.
- Timestamps are float Unix seconds.

The email id is the ``user-variables`` value named ``options.email_id_tag``,
else the first of ``tags``, else the first of ``campaigns``, else
``options.email_id``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bouncectl.bounces import decide, reply_code, status_in
from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources import jsonrecords as jr
from bouncectl.sources.format import Format, Records
from bouncectl.sources.source import Source

SIMPLE_EVENTS = {
    "accepted": "sent",
    "delivered": "delivered",
    "complained": "complaint",
    "unsubscribed": "unsubscribe",
    "opened": "open",
    "clicked": "click",
}
SKIPPED_EVENTS = frozenset({"rejected", "stored", "list_member_uploaded", "list_uploaded", "list_member_upload_error"})
SUPPRESS_REASONS = {
    "suppress-bounce": "PREVIOUSLY_BOUNCED",
    "suppress-unsubscribe": "SUPPRESSED",
    "suppress-complaint": "SUPPRESSED",
}
_DROP = ("recipient", "timestamp", "event", "delivery-status", "message", "envelope", "storage", "user-variables")
_SNIFF = re.compile(rb'"(?:event-data|log-level|delivery-status|recipient-domain|user-variables)"\s*:')


def sniff(head: bytes, source: Source) -> bool:
    return jr.looks_like_json(head) and bool(_SNIFF.search(head))


def _object(value: object) -> dict:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def parse(source: Source, options: ImportOptions) -> Records:
    yield from jr.parse_records(source, options, _convert, list_keys=("items",))


def _convert(record: dict, options: ImportOptions, line: int) -> Iterator[Event | Reject]:
    data = record.get("event-data", record)
    if not isinstance(data, dict):
        raise jr.RecordError("event-data is not an object")
    kind = jr.text(data.get("event"))
    if kind is None:
        raise jr.RecordError("not a Mailgun event (no event field)")
    kind = kind.lower()
    if kind in SKIPPED_EVENTS:
        return
    message = _object(data.get("message"))
    headers = _object(message.get("headers"))
    event = Event(
        recipient=jr.address(data.get("recipient")),
        event="",
        timestamp=jr.timestamp(data.get("timestamp")),
        email_id=_email_id(data, options),
        email_name=jr.text(jr.lookup(headers, "subject")),
        message_id=jr.message_id(jr.lookup(headers, "message-id")),
        line=line,
    )
    if kind in SIMPLE_EVENTS:
        event.event = SIMPLE_EVENTS[kind]
        if kind == "unsubscribed":
            event.group = jr.text(_object(data.get("mailing-list")).get("address"))
    elif kind == "failed":
        _failed(event, data)
    else:
        raise jr.RecordError(f"unknown Mailgun event {kind[:40]!r}")
    kept = {k: v for k, v in data.items() if k not in _DROP}
    status = data.get("delivery-status")
    if isinstance(status, dict):
        kept["delivery-status"] = {k: v for k, v in status.items() if k not in ("message",)}
    event.raw = jr.raw_json(kept)
    yield event


def _failed(event: Event, data: dict) -> None:
    severity = (jr.text(data.get("severity")) or "").lower()
    reason = (jr.text(data.get("reason")) or "").lower()
    if reason in SUPPRESS_REASONS or reason.startswith("suppress-"):
        event.event = "not_sent"
        event.not_sent_reason = SUPPRESS_REASONS.get(reason, "SUPPRESSED")
        return
    status = _object(data.get("delivery-status"))
    remote = jr.text(status.get("message"))
    event.diagnostic = remote or jr.text(status.get("description"))
    # Without a remote reply the code is Mailgun's own (498, 605...), not an SMTP reply.
    event.smtp_code = jr.smtp_code(status.get("code")) if remote else reply_code(event.diagnostic)
    event.enhanced_status = (
        jr.status_code(status.get("enhanced-code"))
        or jr.status_code(status.get("bounce-code"))
        or status_in(event.diagnostic)
    )
    if severity == "permanent":
        event.event = "bounce"
        event.provider_type = "hard"
    elif reason == "old":
        event.event = "bounce"
        event.provider_type = "soft"
        verdict = decide("bounce", reason="expired", rule="mailgun reason old: retries given up", provider_type="soft")
        event.reason, event.bounce_type, event.rule = verdict.reason, verdict.bounce_type, verdict.rule
    elif severity == "temporary":
        event.event = "deferred"
        event.provider_type = "soft"
    else:
        event.event = "bounce"


def _email_id(data: dict, options: ImportOptions) -> str | None:
    tag = options.email_id_tag
    found = jr.first_text(jr.lookup(data.get("user-variables"), tag)) if tag else None
    if found:
        return found
    found = jr.first_text(data.get("tags"))
    if found:
        return found
    for campaign in data.get("campaigns") or ():
        found = jr.text(campaign.get("id") or campaign.get("name")) if isinstance(campaign, dict) else jr.text(campaign)
        if found:
            return found
    return options.email_id


FORMAT = Format(
    name="mailgun",
    description="Mailgun events: webhook bodies or events API pages (JSON lines or array)",
    sniff=sniff,
    parse=parse,
)
