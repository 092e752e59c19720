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
- Legacy webhooks (before 2018): form-encoded bodies, one a line (``event=bounced&recipient=...``),
  or their fields as JSON. ``bounced`` is a bounce the provider calls hard (``code``, ``error``);
  ``dropped`` is read by its ``reason``: ``hardfail`` with Mailgun's own code (6xx) or a
  description of an earlier bounce, unsubscribe or complaint is a send not made (``not_sent``),
  ``hardfail`` with a remote reply a hard bounce, ``maxfails`` and ``old`` (retries given up) a
  soft bounce with reason ``expired``. The email id is the ``X-Mailgun-Variables`` value named
  ``options.email_id_tag``, else the ``tag``, else ``options.email_id``.

The email id is the ``user-variables`` value named ``options.email_id_tag``,
else the first of ``tags``, else the first of ``campaigns``, else
``options.email_id``.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bouncectl.bounces import decide, reply_code, status_in
from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources import jsonrecords as jr
from bouncectl.sources.format import Format, Records
from bouncectl.sources.source import Source

if TYPE_CHECKING:
    from bouncectl.sources.jsoncolumns import EventColumns

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
_DROP = frozenset(("recipient", "timestamp", "event", "delivery-status", "message", "envelope", "storage", "user-variables"))
_SNIFF = re.compile(rb'"(?:event-data|log-level|delivery-status|recipient-domain|user-variables)"\s*:')
LEGACY_EVENTS = frozenset({"bounced", "dropped"})
_SNIFF_LEGACY_JSON = re.compile(rb'"event"\s*:\s*"(?:bounced|dropped)"')
_SNIFF_LEGACY_FORM = re.compile(rb"\A(?:[\w.%+-]+=[^&\s]*&)*event=(?:bounced|dropped|delivered|opened|clicked|unsubscribed|complained)(?:&|\s|\Z)")
_LEGACY_SUPPRESSED = (("bounce", "PREVIOUSLY_BOUNCED"), ("unsubscribe", "SUPPRESSED"), ("complain", "SUPPRESSED"))


def sniff(head: bytes, source: Source) -> bool:
    if _SNIFF_LEGACY_FORM.match(head.lstrip()):
        return True
    if not jr.looks_like_json(head):
        return False
    if _SNIFF.search(head):
        return True
    return bool(_SNIFF_LEGACY_JSON.search(head) and re.search(rb'"recipient"\s*:', head))


def _object(value: object) -> dict:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def parse(source: Source, options: ImportOptions) -> Records:
    if _SNIFF_LEGACY_FORM.match(source.head().lstrip()):
        yield from _parse_form(source, options)
        return
    yield from jr.parse_records(source, options, _convert, list_keys=("items",))


def _parse_form(source: Source, options: ImportOptions) -> Records:
    """Legacy webhook bodies, form-encoded, one a line."""
    with source.open_text() as text:
        for number, line in enumerate(text, 1):
            body = line.strip()
            if not body:
                continue
            fields = {name: values[0] for name, values in urllib.parse.parse_qs(body, keep_blank_values=True).items()}
            try:
                yield from _convert(fields, options, number)
            except jr.RecordError as exc:
                yield Reject(number, str(exc), body[: jr.REJECT_RAW])


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
    if kind in LEGACY_EVENTS or ("event-data" not in record and _is_legacy(data)):
        yield _legacy(kind, data, options, line)
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
    event.remote_host = jr.text(status.get("mx-host"))  # the recipient's MX that answered, when Mailgun reached one
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


def _is_legacy(data: dict) -> bool:
    """Fields of a legacy webhook (``domain``, ``token``, ``signature`` or ``message-headers``
    at the top, no ``event-data``)."""
    return any(name in data for name in ("message-headers", "signature", "token", "Message-Id"))


def _legacy(kind: str, data: dict, options: ImportOptions, line: int) -> Event:
    """One legacy (pre-2018) webhook's fields as an event."""
    event = Event(
        recipient=jr.address(data.get("recipient")),
        event="",
        timestamp=jr.timestamp(data.get("timestamp")),
        email_id=_legacy_email_id(data, options),
        message_id=jr.message_id(data.get("Message-Id") or data.get("message-id")),
        line=line,
    )
    code = _legacy_code(data.get("code"))
    error = jr.text(data.get("error")) or jr.text(data.get("notification"))
    description = jr.text(data.get("description"))
    if kind == "bounced":
        event.event, event.provider_type = "bounce", "hard"
        _legacy_reply(event, code, error or description)
    elif kind == "dropped":
        _legacy_dropped(event, (jr.text(data.get("reason")) or "").lower(), code, error, description)
    elif kind in SIMPLE_EVENTS:
        event.event = SIMPLE_EVENTS[kind]
    else:
        raise jr.RecordError(f"unknown Mailgun event {kind[:40]!r}")
    kept = {k: v for k, v in data.items() if k not in ("recipient", "timestamp", "event", "signature", "token")}
    event.raw = jr.raw_json({"legacy": True, **kept})
    return event


def _legacy_dropped(event: Event, reason: str, code: int | None, error: str | None, description: str | None) -> None:
    said = (description or error or "").lower()
    if reason in ("maxfails", "old"):
        event.event, event.provider_type = "bounce", "soft"
        _legacy_reply(event, code, error or description)
        verdict = decide("bounce", reason="expired", rule=f"mailgun dropped {reason}: retries given up", provider_type="soft")
        event.reason, event.bounce_type, event.rule = verdict.reason, verdict.bounce_type, verdict.rule
        return
    earlier = next((mapped for word, mapped in _LEGACY_SUPPRESSED if word in said), None)
    if earlier is not None or (code is not None and code >= 600) or not (error or description):
        # Mailgun did not send: the address was suppressed after an earlier bounce, unsubscribe or complaint.
        event.event, event.not_sent_reason = "not_sent", earlier or "SUPPRESSED"
        event.diagnostic = description or error
        return
    event.event, event.provider_type = "bounce", "hard"  # hardfail with the remote server's reply
    _legacy_reply(event, code, error or description)


def _legacy_code(value: object) -> int | None:
    """The ``code`` field: a remote reply code, or one of Mailgun's own (6xx)."""
    text = jr.text(value)
    return int(text) if text and text.isdigit() and len(text) == 3 else None


def _legacy_reply(event: Event, code: int | None, text: str | None) -> None:
    event.diagnostic = text
    event.smtp_code = code if code is not None and code < 600 else reply_code(text)
    event.enhanced_status = status_in(text)


def _legacy_email_id(data: dict, options: ImportOptions) -> str | None:
    variables = data.get("X-Mailgun-Variables") or data.get("user-variables")
    if isinstance(variables, str):
        try:
            variables = jr.loads(variables)
        except (ValueError, RecursionError):
            variables = None
    tag = options.email_id_tag
    found = jr.first_text(jr.lookup(variables, tag)) if tag and isinstance(variables, dict) else None
    return found or jr.first_text(data.get("tag") or data.get("X-Mailgun-Tag")) or options.email_id


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


def columns(record: dict, options: ImportOptions, line: int, out: EventColumns) -> bool:
    """An event that is not a failure nor a legacy webhook's, added to ``out`` as ``_convert``
    reads it: the same event, each distinct time and address read once, without an Event (False,
    nothing added: any other record, or one ``_convert`` refuses, read by ``_convert``)."""
    data = record.get("event-data", record)
    if type(data) is not dict:
        return False
    kind = jr.event_name(data.get("event"))
    event = SIMPLE_EVENTS.get(kind) if kind is not None else None
    if event is None or ("event-data" not in record and _is_legacy(data)):
        return False
    read = out.distinct.address_and_time(data.get("recipient"), data.get("timestamp"))
    if read is None:
        return False
    recipient, when = read
    headers = _object(_object(data.get("message")).get("headers"))
    # What raw_json keeps of the fields _convert keeps, gathered in one pass.
    kept_value = jr.kept_value
    kept = {k: v for k, v in data.items() if k not in _DROP and (v or kept_value(v))}
    status = data.get("delivery-status")
    if isinstance(status, dict):
        status = {k: v for k, v in status.items() if k not in ("message",)}
        if status:
            kept["delivery-status"] = status
    row = out.add(recipient, event, when, _email_id(data, options) or "", jr.text(jr.lookup(headers, "subject")) or "",
                  jr.message_id_column_of(jr.lookup(headers, "message-id")), jr.raw_text(kept) or "", line)
    if kind == "unsubscribed":
        group = jr.text(_object(data.get("mailing-list")).get("address"))
        if group:
            out.sparse["list_group"][row] = group
    return True


def blocks(source: Source, options: ImportOptions) -> Iterator:
    """The input as blocks of columns (see :mod:`bouncectl.sources.jsoncolumns`, loaded when used)."""
    from bouncectl.sources.jsoncolumns import read_blocks

    if _SNIFF_LEGACY_FORM.match(source.head().lstrip()):
        return read_blocks(parse, source, options)
    return read_blocks(parse, source, options, _convert, ("items",), columns)


FORMAT = Format(
    name="mailgun",
    description="Mailgun events: webhook bodies or events API pages (JSON lines or array)",
    sniff=sniff,
    parse=parse,
    blocks=blocks,
)
