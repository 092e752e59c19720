"""Postmark webhooks and bounce API pages (``{"TotalCount": ..., "Bounces": [...]}``).

Bounce records (``RecordType`` ``Bounce``, or any record with ``Type`` and
``BouncedAt``) by ``Type``:

- ``HardBounce``, ``BadEmailAddress``, ``ManuallyDeactivated``: bounce, the
  provider says hard;
- ``SpamComplaint``: complaint;
- ``Unsubscribe``: unsubscribe;
- ``Transient``, ``SoftBounce``, ``DnsError``, ``Blocked``, ``DMARCPolicy``,
  ``SpamNotification``, ``VirusNotification``, ``Unknown``, ``SMTPApiError``,
  ``Unconfirmed`` and any type not listed here: bounce, the provider says soft;
- ``AutoResponder``, ``AddressChange``, ``Subscribe``,
  ``ChallengeVerification``, ``OpenRelayTest``, ``InboundError``,
  ``TemplateRenderingFailed``: not a failed delivery to the address; skipped.

``Details`` is the remote server's text (without it, a type that names a reason gives it:
:data:`TYPE_REASONS`); ``BouncedAt`` has seven fractional
digits. Other record types: ``Delivery`` (delivered), ``Open``, ``Click``,
``SubscriptionChange`` (a manual suppression is an unsubscribe; the echoes of
bounces and complaints are skipped).

The email id is the ``Metadata`` value named ``options.email_id_tag``, else
``Tag``, else ``options.email_id``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bouncectl.bounces import decide, reply_code, status_in
from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources import jsonrecords as jr
from bouncectl.sources.format import Format, Records
from bouncectl.sources.source import Source

if TYPE_CHECKING:
    from bouncectl.sources.jsoncolumns import EventColumns

HARD_TYPES = frozenset({"hardbounce", "bademailaddress", "manuallydeactivated"})
SKIPPED_TYPES = frozenset(
    {
        "autoresponder",
        "addresschange",
        "subscribe",
        "challengeverification",
        "openrelaytest",
        "inbounderror",
        "templaterenderingfailed",
    }
)
# The bounce types that name a reason (Postmark: Bounce API, bounce types), read when ``Details``, the
# remote's own text, is empty: with it, the remote's words decide, as for any bounce. HardBounce,
# SoftBounce, Transient, BadEmailAddress and Unknown name none more specific.
TYPE_REASONS = {
    "dnserror": ("networkerror", "a temporary DNS error"),
    "spamnotification": ("spamdetected", "blocked by the user or classified as spam, bulk mail or rejected content"),
    "virusnotification": ("virusdetected", "a notification of a virus-infected message"),
    "blocked": ("blocked", "the ISP blocked the message because of its content or a block list"),
    "dmarcpolicy": ("authfailure", "rejected for the sending domain's DMARC policy"),
    "manuallydeactivated": ("suppressed", "the address was deactivated by hand"),
}
# Large or mapped fields not kept in raw.
_DROP = frozenset(("Content", "Email", "Recipient", "BouncedAt", "DeliveredAt", "ReceivedAt", "ChangedAt", "Details", "Subject"))
_SNIFF = re.compile(rb'"(?:RecordType|BouncedAt|TypeCode|Bounces)"\s*:')


def sniff(head: bytes, source: Source) -> bool:
    return jr.looks_like_json(head) and bool(_SNIFF.search(head))


def parse(source: Source, options: ImportOptions) -> Records:
    yield from jr.parse_records(source, options, _convert, list_keys=("Bounces",))


def _convert(record: dict, options: ImportOptions, line: int) -> Iterator[Event | Reject]:
    kind = (jr.text(record.get("RecordType")) or "").lower()
    if not kind:
        if "Type" in record and ("BouncedAt" in record or "Email" in record):
            kind = "bounce"
        else:
            raise jr.RecordError("not a Postmark record (no RecordType)")
    if kind in ("bounce", "spamcomplaint"):
        yield from _bounce(record, options, line)
        return
    event = Event(
        recipient=jr.address(record.get("Recipient") or record.get("Email")),
        event="",
        timestamp="",
        email_id=_email_id(record, options),
        email_name=jr.text(record.get("Subject")),
        line=line,
        raw=jr.raw_json(record, _DROP),
    )
    if kind == "delivery":
        event.event = "delivered"
        event.timestamp = jr.timestamp(record.get("DeliveredAt"), "DeliveredAt")
    elif kind in ("open", "click"):
        event.event = kind
        event.timestamp = jr.timestamp(record.get("ReceivedAt"), "ReceivedAt")
    elif kind == "subscriptionchange":
        if record.get("SuppressSending") is True and record.get("SuppressionReason") == "ManualSuppression":
            event.event = "unsubscribe"
            event.timestamp = jr.timestamp(record.get("ChangedAt"), "ChangedAt")
        else:
            return
    else:
        raise jr.RecordError(f"unknown Postmark RecordType {record.get('RecordType')!r:.40}")
    yield event


def _bounce(record: dict, options: ImportOptions, line: int) -> Iterator[Event]:
    bounce_type = jr.text(record.get("Type"))
    if bounce_type is None:
        raise jr.RecordError("bounce without a Type")
    key = bounce_type.lower()
    if key in SKIPPED_TYPES:
        return
    diagnostic = jr.text(record.get("Details"))
    event = Event(
        recipient=jr.address(record.get("Email") or record.get("Recipient"), "Email"),
        event="bounce",
        timestamp=jr.timestamp(record.get("BouncedAt"), "BouncedAt"),
        email_id=_email_id(record, options),
        email_name=jr.text(record.get("Subject")),
        line=line,
        raw=jr.raw_json(record, _DROP),
    )
    if key == "spamcomplaint":
        event.event = "complaint"
    elif key == "unsubscribe":
        event.event = "unsubscribe"
    else:
        event.provider_type = "hard" if key in HARD_TYPES else "soft"
        event.diagnostic = diagnostic
        event.smtp_code = reply_code(diagnostic)
        event.enhanced_status = status_in(diagnostic)
        named = TYPE_REASONS.get(key) if not diagnostic else None
        if named:
            verdict = decide("bounce", reason=named[0], provider_type=event.provider_type,
                             rule=f"postmark Type {bounce_type} [Postmark: bounce types ({named[1]})]")
            event.reason, event.bounce_type, event.rule = verdict.reason, verdict.bounce_type, verdict.rule
    yield event


def _email_id(record: dict, options: ImportOptions) -> str | None:
    tag = options.email_id_tag
    found = jr.first_text(jr.lookup(record.get("Metadata"), tag)) if tag else None
    return found or jr.text(record.get("Tag")) or options.email_id


# The record types read straight into columns (see ``columns``): the event each makes, and its time.
_COLUMN_TYPES = {"delivery": ("delivered", "DeliveredAt"), "open": ("open", "ReceivedAt"),
                 "click": ("click", "ReceivedAt")}


def columns(record: dict, options: ImportOptions, line: int, out: EventColumns) -> bool:
    """A delivery, open or click added to ``out`` as ``_convert`` reads it: the same event, each
    distinct time and address read once, without an Event (False, nothing added: any other record,
    or one ``_convert`` refuses, read by ``_convert``)."""
    kind = jr.event_name(record.get("RecordType"))
    found = _COLUMN_TYPES.get(kind) if kind is not None else None
    if found is None:
        return False
    event, field = found
    read = out.distinct.address_and_time(record.get("Recipient") or record.get("Email"), record.get(field))
    if read is None:
        return False
    recipient, when = read
    out.add(recipient, event, when, _email_id(record, options) or "", jr.text(record.get("Subject")) or "", "",
            jr.raw_json(record, _DROP) or "", line)
    return True


def blocks(source: Source, options: ImportOptions) -> Iterator:
    """The input as blocks of columns (see :mod:`bouncectl.sources.jsoncolumns`, loaded when used)."""
    from bouncectl.sources.jsoncolumns import read_blocks

    return read_blocks(parse, source, options, _convert, ("Bounces",), columns)


FORMAT = Format(
    name="postmark",
    description="Postmark bounce, delivery and complaint webhooks and bounce API pages (JSON lines or array)",
    sniff=sniff,
    parse=parse,
    blocks=blocks,
)
