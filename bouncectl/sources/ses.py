"""Amazon SES notifications and event publishing records.

Accepted: feedback notifications (``notificationType``) and event publishing
records (``eventType``), bare, inside an SNS envelope whose ``Message`` is a
JSON string, or inside an EventBridge event's ``detail``, an SQS message's
``body`` or a Lambda event's ``Records``; one per line, a JSON array, or one
object.

- ``Bounce``: one event per ``bouncedRecipients`` entry. ``bounceType``
  ``Permanent`` is the provider's hard verdict, ``Transient`` soft.
  ``bounceSubType`` ``Suppressed`` is a bounce on the global suppression list
  (``is_global``); ``OnAccountSuppressionList`` is a send SES did not make
  because the address is on the account's suppression list: ``not_sent``
  ``PREVIOUSLY_BOUNCED``, not a new bounce. An entry without a
  ``diagnosticCode`` takes the reason its subtype names (``NoEmail``,
  ``Suppressed``, ``MailboxFull``, ``MessageTooLarge``: :data:`SUBTYPE_REASONS`).
- ``Complaint``: ``complaint`` per ``complainedRecipients`` entry (``not_sent``
  ``SUPPRESSED`` for ``complaintSubType`` ``OnAccountSuppressionList``).
- ``Delivery``, ``Send``: ``delivered`` / ``sent`` per recipient.
- ``DeliveryDelay``: ``deferred`` per ``delayedRecipients`` entry.
- ``Open``, ``Click``: for a message with one destination.
- ``Subscription`` with ``unsubscribeAll``: ``unsubscribe`` (from every email); else one
  ``unsubscribe`` from each topic of ``topicSubscriptionStatus`` that is ``OptOut`` (its group).
- ``Reject``: SES accepted the message but did not attempt it (it held a virus): ``not_sent``
  ``SUPPRESSED`` per destination, the reason as diagnostic.
- ``Rendering Failure``: nothing was sent to anyone; skipped.
- Not sending events, recognised and skipped with a message: an SNS ``SubscriptionConfirmation``
  or ``UnsubscribeConfirmation``, and an inbound-mail ``Received`` notification.

A notification whose own time is missing takes its SNS envelope's ``Timestamp``.

The email id is the ``mail.tags`` value named ``options.email_id_tag``, else
the header ``options.email_id_header`` (or one named like the tag), else
``options.email_id``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bouncectl.bounces import decide, reply_code, status_in
from bouncectl.model import Event, ImportOptions, Reject, Skipped
from bouncectl.sources import jsonrecords as jr
from bouncectl.sources.format import Format, Records
from bouncectl.sources.source import Source

if TYPE_CHECKING:
    from bouncectl.sources.jsoncolumns import Distinct, EventColumns

PROVIDER_TYPES = {"permanent": "hard", "transient": "soft"}
# The bounce subtypes that name a reason (Amazon SES Developer Guide, "Contents of notifications for
# Amazon SES", bounce types), read when a recipient's entry has no diagnosticCode (it is optional): with
# one, the remote's words decide, as for any bounce. General, Undetermined, ContentRejected and
# AttachmentRejected name none.
SUBTYPE_REASONS = {
    "noemail": ("userunknown", "the target email address does not exist"),
    "suppressed": ("suppressed", "on the Amazon SES suppression list for a recent history of bouncing"),
    "mailboxfull": ("mailboxfull", "the recipient's inbox is full"),
    "messagetoolarge": ("mesgtoobig", "the message was too large for the recipient's mail server"),
}
# Fields of the mail object not worth keeping with every event.
_MAIL_DROP = frozenset(("headers", "destination", "commonHeaders", "headersTruncated"))
_SKIPPED_TYPES = frozenset({"rendering failure", "renderingfailure"})
_SNS_CONFIRMATIONS = {
    "SubscriptionConfirmation": "an SNS subscription confirmation (confirm it at its SubscribeURL)",
    "UnsubscribeConfirmation": "an SNS unsubscribe confirmation",
}
_RECEIVED = "an SES inbound-mail (Received) notification, not a sending event"
_SNIFF = re.compile(rb'\\?"(?:notificationType|eventType)\\?"\s*:')
_SNIFF_SNS_CONFIRMATION = re.compile(rb'"Type"\s*:\s*"(?:Subscription|Unsubscribe)Confirmation"')
_SNIFF_SNS = re.compile(rb'"TopicArn"\s*:')
_SNIFF_MAIL = re.compile(rb'\\?"mail\\?"\s*:')


def sniff(head: bytes, source: Source | None) -> bool:
    if not jr.looks_like_json(head):
        return False
    if _SNIFF_SNS_CONFIRMATION.search(head) and _SNIFF_SNS.search(head):
        return True
    return bool(_SNIFF.search(head)) and bool(_SNIFF_MAIL.search(head))


def parse(source: Source, options: ImportOptions) -> Records:
    yield from jr.parse_records(source, options, convert, list_keys=("Records", "records"))


def _unwrap(record: dict) -> tuple[dict | str, str | None]:
    """The SES record inside its envelopes, and the time of the innermost SNS envelope (a text
    instead of the record: what the record is, for a record with nothing to import).

    Envelopes: SNS (``Message``, a JSON string), a Lambda SNS record
    (``Sns``), an SQS message (``body``, a JSON string) and an EventBridge
    event (``detail``), possibly nested (SNS inside SQS).
    """
    envelope_time = None
    for _depth in range(4):
        if "notificationType" in record or "eventType" in record:
            return record, envelope_time
        if "Message" in record:
            sns_type = record.get("Type")
            if isinstance(sns_type, str) and sns_type in _SNS_CONFIRMATIONS:
                return _SNS_CONFIRMATIONS[sns_type], None
            if isinstance(record.get("Timestamp"), str):
                envelope_time = record["Timestamp"]
            record = _json_object(record["Message"], "SNS Message")
        elif isinstance(record.get("Sns"), dict):
            record = record["Sns"]
        elif isinstance(record.get("body"), str):
            record = _json_object(record["body"], "SQS body")
        elif isinstance(record.get("detail"), dict):
            record = record["detail"]
        else:
            return record, envelope_time
    return record, envelope_time


def _fill_times(record: dict, kind: str, envelope_time: str | None) -> None:
    """A notification without its own time takes its envelope's (the mail's, then the section's)."""
    if not envelope_time:
        return
    mail = record.get("mail")
    if isinstance(mail, dict) and not mail.get("timestamp"):
        mail["timestamp"] = envelope_time
    name = _SECTIONS.get(kind.lower())
    section = record.get(name) if name else None
    if isinstance(section, dict) and not section.get("timestamp"):
        section["timestamp"] = envelope_time


_SECTIONS = {
    "bounce": "bounce", "complaint": "complaint", "deliverydelay": "deliveryDelay", "delivery": "delivery",
    "open": "open", "click": "click", "subscription": "subscription", "reject": "reject",
}


def _json_object(value, what: str) -> dict:
    if isinstance(value, str):
        try:
            value = jr.loads(value)
        except ValueError as exc:
            raise jr.RecordError(f"{what} is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise jr.RecordError(f"{what} is not a JSON object")
    return value


def convert(record: dict, options: ImportOptions, line: int) -> Iterator[Event | Reject | Skipped]:  # noqa: C901
    unwrapped, envelope_time = _unwrap(record)
    if isinstance(unwrapped, str):
        yield Skipped(line, unwrapped)
        return
    record = unwrapped
    kind = record.get("eventType") or record.get("notificationType")
    if not isinstance(kind, str) or not kind:
        raise jr.RecordError("not an Amazon SES notification (no notificationType or eventType)")
    if kind.lower() == "received":
        yield Skipped(line, _RECEIVED)
        return
    _fill_times(record, kind, envelope_time)
    mail = record.get("mail")
    if not isinstance(mail, dict):
        raise jr.RecordError(f"{kind} notification without a mail object")
    common = {
        "email_id": _email_id(mail, options),
        "email_name": jr.text(jr.lookup(mail.get("commonHeaders"), "subject")),
        "message_id": _message_id(mail),
        "line": line,
    }
    mail_raw = dict(mail)  # its keys in their order, less the dropped ones
    for name in _MAIL_DROP:
        mail_raw.pop(name, None)
    key = kind.lower()
    if key == "bounce":
        yield from _bounce(record.get("bounce"), kind, mail_raw, common)
    elif key == "complaint":
        yield from _complaint(record.get("complaint"), kind, mail_raw, common)
    elif key == "deliverydelay":
        yield from _delay(record.get("deliveryDelay"), kind, mail_raw, common)
    elif key == "delivery":
        delivery = _section(record, "delivery", kind)
        when = jr.timestamp(delivery.get("timestamp") or mail.get("timestamp"))
        details = {k: v for k, v in delivery.items() if k not in ("recipients", "timestamp")}
        for value in _list(delivery.get("recipients")) or _list(mail.get("destination")):
            yield _simple(value, "delivered", when, kind, details, mail_raw, common)
    elif key == "send":
        when = jr.timestamp(mail.get("timestamp"), "mail.timestamp")
        for value in _list(mail.get("destination")):
            yield _simple(value, "sent", when, kind, {}, mail_raw, common)
    elif key in ("open", "click"):
        section = _section(record, key, kind)
        destinations = _list(mail.get("destination"))
        if len(destinations) == 1:
            when = jr.timestamp(section.get("timestamp") or mail.get("timestamp"))
            yield _simple(destinations[0], key, when, kind, section, mail_raw, common)
    elif key == "subscription":
        section = _section(record, "subscription", kind)
        preferences = section.get("newTopicPreferences")
        if isinstance(preferences, dict):
            yield from _unsubscribes(preferences, section, mail, kind, mail_raw, common)
    elif key == "reject":
        # Accepted, then not attempted (SES found a virus): a send that was not made.
        section = _section(record, "reject", kind)
        when = jr.timestamp(section.get("timestamp") or mail.get("timestamp"), "mail.timestamp")
        for value in _list(mail.get("destination")):
            event = _simple(value, "not_sent", when, kind, section, mail_raw, common)
            event.not_sent_reason = "SUPPRESSED"
            event.diagnostic = jr.text(section.get("reason"))
            yield event
    elif key in _SKIPPED_TYPES:
        return
    else:
        raise jr.RecordError(f"unknown SES notification type {kind[:40]!r}")


def _section(record: dict, name: str, kind: str) -> dict:
    section = record.get(name)
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise jr.RecordError(f"{kind} notification: {name} is not an object")
    return section


def _list(value) -> list:
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, str) else []


def _entries(section, name: str, kind: str) -> list:
    if not isinstance(section, dict):
        raise jr.RecordError(f"{kind} notification without its {kind[0].lower() + kind[1:]} object")
    entries = section.get(name)
    if not isinstance(entries, list) or not entries:
        raise jr.RecordError(f"{kind} notification without {name}")
    return entries


def _bounce(bounce, kind: str, mail_raw: dict, common: dict) -> Iterator[Event | Reject]:
    entries = _entries(bounce, "bouncedRecipients", kind)
    when = jr.timestamp(bounce.get("timestamp"), "bounce.timestamp")
    bounce_type = str(bounce.get("bounceType") or "")
    sub_type = str(bounce.get("bounceSubType") or "")
    details = {k: v for k, v in bounce.items() if k not in ("bouncedRecipients", "timestamp")}
    for entry in entries:
        try:
            recipient, entry_raw = _recipient(entry)
            if sub_type.lower() == "onaccountsuppressionlist":
                # Not a new bounce: SES did not send because of an earlier one.
                yield Event(
                    recipient=recipient,
                    event="not_sent",
                    timestamp=when,
                    not_sent_reason="PREVIOUSLY_BOUNCED",
                    raw=_raw(kind, details, entry_raw, mail_raw),
                    **common,
                )
                continue
            diagnostic, status = _reply(entry_raw)
            provider_type = PROVIDER_TYPES.get(bounce_type.lower())
            named = SUBTYPE_REASONS.get(sub_type.lower()) if not diagnostic else None
            verdict = None
            if named:
                verdict = decide("bounce", reason=named[0], provider_type=provider_type,
                                 rule=f"ses bounceSubType {sub_type} [Amazon SES: bounce types ({named[1]})]")
            yield Event(
                recipient=recipient,
                event="bounce",
                timestamp=when,
                smtp_code=reply_code(diagnostic),
                enhanced_status=status,
                diagnostic=diagnostic,
                provider_type=provider_type,
                reason=verdict.reason if verdict else None,
                bounce_type=verdict.bounce_type if verdict else None,
                rule=verdict.rule if verdict else None,
                is_global=sub_type.lower() == "suppressed",
                raw=_raw(kind, details, entry_raw, mail_raw),
                remote_host=_remote_host(bounce),
                **common,
            )
        except jr.RecordError as exc:
            yield Reject(common["line"], str(exc), json.dumps(entry, default=str)[: jr.REJECT_RAW])


def _complaint(complaint, kind: str, mail_raw: dict, common: dict) -> Iterator[Event | Reject]:
    entries = _entries(complaint, "complainedRecipients", kind)
    when = jr.timestamp(complaint.get("timestamp"), "complaint.timestamp")
    suppressed = str(complaint.get("complaintSubType") or "").lower() == "onaccountsuppressionlist"
    details = {k: v for k, v in complaint.items() if k not in ("complainedRecipients", "timestamp")}
    for entry in entries:
        try:
            recipient, entry_raw = _recipient(entry)
            yield Event(
                recipient=recipient,
                event="not_sent" if suppressed else "complaint",
                timestamp=when,
                not_sent_reason="SUPPRESSED" if suppressed else None,
                raw=_raw(kind, details, entry_raw, mail_raw),
                **common,
            )
        except jr.RecordError as exc:
            yield Reject(common["line"], str(exc), json.dumps(entry, default=str)[: jr.REJECT_RAW])


def _delay(delay, kind: str, mail_raw: dict, common: dict) -> Iterator[Event | Reject]:
    entries = _entries(delay, "delayedRecipients", kind)
    when = jr.timestamp(delay.get("timestamp"), "deliveryDelay.timestamp")
    details = {k: v for k, v in delay.items() if k not in ("delayedRecipients", "timestamp")}
    for entry in entries:
        try:
            recipient, entry_raw = _recipient(entry)
            diagnostic, status = _reply(entry_raw)
            yield Event(
                recipient=recipient,
                event="deferred",
                timestamp=when,
                smtp_code=reply_code(diagnostic),
                enhanced_status=status,
                diagnostic=diagnostic,
                provider_type="soft",
                raw=_raw(kind, details, entry_raw, mail_raw),
                remote_host=_remote_host(delay),
                **common,
            )
        except jr.RecordError as exc:
            yield Reject(common["line"], str(exc), json.dumps(entry, default=str)[: jr.REJECT_RAW])


def _unsubscribes(
    preferences: dict, section: dict, mail: dict, kind: str, mail_raw: dict, common: dict
) -> Iterator[Event]:
    """An unsubscribe from every email (``unsubscribeAll``), else one per topic opted out of."""
    when = jr.timestamp(section.get("timestamp") or mail.get("timestamp"))
    if preferences.get("unsubscribeAll") is True:
        groups: list[str | None] = [None]
    else:
        groups = [
            jr.text(topic.get("topicName"))
            for topic in _list(preferences.get("topicSubscriptionStatus"))
            if isinstance(topic, dict) and topic.get("subscriptionStatus") == "OptOut" and jr.text(topic.get("topicName"))
        ]
    for group in groups:
        for value in _list(mail.get("destination")):
            event = _simple(value, "unsubscribe", when, kind, section, mail_raw, common)
            event.group = group
            yield event


def _simple(value, event: str, when: str, kind: str, details: dict, mail_raw: dict, common: dict) -> Event:
    return Event(
        recipient=jr.address(value),
        event=event,
        timestamp=when,
        raw=_raw(kind, details, {}, mail_raw),
        **common,
    )


def _recipient(entry) -> tuple[str, dict]:
    if isinstance(entry, str):
        return jr.address(entry), {}
    if not isinstance(entry, dict):
        raise jr.RecordError("recipient entry is not an object")
    rest = dict(entry)
    return jr.address(rest.pop("emailAddress", None), "emailAddress"), rest


def _remote_host(section: dict) -> str | None:
    """The server SES tried to deliver to (``remoteMtaIp``, an address). ``reportingMTA`` is not it:
    that names SES's own sending host."""
    return jr.text(section.get("remoteMtaIp"))


def _reply(entry_raw: dict) -> tuple[str | None, str | None]:
    """The diagnostic and enhanced status of a recipient entry (taken out of its raw fields)."""
    diagnostic = jr.text(entry_raw.pop("diagnosticCode", None))
    given = entry_raw.get("status")
    status = jr.status_code(given)
    if status:
        entry_raw.pop("status")
    return diagnostic, status or status_in(diagnostic)


def _raw(kind: str, details: dict, entry: dict, mail: dict) -> str | None:
    return jr.raw_json({"type": kind, **details, **entry, "mail": mail})


def _sending(record: dict, key: str, mail: dict, distinct: Distinct) -> tuple[str, list, dict] | None:
    """The time, destinations and fields kept of a send, delivery, open or click, as ``convert``
    reads them (None: it reads the record otherwise; a RecordError: it refuses the record)."""
    if key == "send":
        return distinct.time(mail.get("timestamp")), _list(mail.get("destination")), {}
    section = record.get(key)
    if section is None:
        section = {}
    elif type(section) is not dict:
        return None
    if key == "delivery":
        destinations = _list(section.get("recipients")) or _list(mail.get("destination"))
        details = {k: v for k, v in section.items() if k not in ("recipients", "timestamp")}
    else:
        destinations = _list(mail.get("destination"))
        if len(destinations) != 1:
            return None
        details = section
    return distinct.time(section.get("timestamp") or mail.get("timestamp")), destinations, details


def _tagged(mail: dict, options: ImportOptions) -> str | None:
    """The email id of the most common mail object, its tag a list whose first item is a text
    that is not blank (None: any other, read by ``_email_id``)."""
    tags = mail.get("tags")
    if type(tags) is dict:
        values = tags.get(options.email_id_tag)
        if type(values) is list and values and type(values[0]) is str:
            return values[0].strip() or None
    return None


def _email_id(mail: dict, options: ImportOptions) -> str | None:
    tag = options.email_id_tag
    found = jr.first_text(jr.lookup(mail.get("tags"), tag)) if tag else None
    if found:
        return found
    headers = mail.get("headers")
    if isinstance(headers, list):
        names = {n.lower() for n in (options.email_id_header, tag) if n}
        for header in headers:
            if isinstance(header, dict) and str(header.get("name", "")).lower() in names:
                found = jr.text(header.get("value"))
                if found:
                    return found
    return options.email_id


def _message_id(mail: dict) -> str | None:
    found = jr.lookup(mail.get("commonHeaders"), "messageId")
    if not found and isinstance(mail.get("headers"), list):
        for header in mail["headers"]:
            if isinstance(header, dict) and str(header.get("name", "")).lower() == "message-id":
                found = header.get("value")
                break
    return jr.message_id(found)


# The record types read straight into columns (see ``columns``), and the event each makes.
_COLUMN_TYPES = {"send": "sent", "delivery": "delivered", "open": "open", "click": "click"}


def columns(record: dict, options: ImportOptions, line: int, out: EventColumns) -> bool:
    """A send, delivery, open or click that is not in an envelope, added to ``out`` as ``convert``
    reads it: the same events, each distinct time and address read once (False, nothing added:
    any other record, or one ``convert`` refuses in part or whole, read by ``convert``)."""
    if "notificationType" not in record and "eventType" not in record:
        return False
    kind = record.get("eventType") or record.get("notificationType")
    if type(kind) is not str:
        return False
    key = kind.lower()
    event = _COLUMN_TYPES.get(key)
    mail = record.get("mail")
    if event is None or type(mail) is not dict:
        return False
    distinct = out.distinct
    try:
        found = _sending(record, key, mail, distinct)
        if found is None:
            return False
        when, destinations, details = found
        recipients = [distinct.address(value) for value in destinations]
    except jr.RecordError:
        return False
    email_id = _tagged(mail, options) or _email_id(mail, options) or ""
    headers = mail.get("commonHeaders")
    subject = headers.get("subject") if type(headers) is dict else None
    email_name = (subject.strip() if type(subject) is str else jr.text(jr.lookup(headers, "subject"))) or ""
    found = headers.get("messageId") if type(headers) is dict else None
    # The header where it is (as _message_id reads it first), else wherever _message_id finds one.
    message_id = jr.message_id_column_of(found) if found else jr.message_id_column(_message_id(mail))
    mail_raw = dict(mail)  # its keys in their order, less the dropped ones
    for name in _MAIL_DROP:
        mail_raw.pop(name, None)
    if "type" in details or "mail" in details:
        raw = jr.raw_json({"type": kind, **details, "mail": mail_raw}) or ""
    else:  # what raw_json keeps of the same fields, gathered in one pass
        kept_value = jr.kept_value
        kept = {"type": kind, **{k: v for k, v in details.items() if v or kept_value(v)}}
        if mail_raw:
            kept["mail"] = mail_raw
        raw = jr.raw_text(kept) or ""
    for recipient in recipients:
        out.add(recipient, event, when, email_id, email_name, message_id, raw, line)
    return True


def blocks(source: Source, options: ImportOptions) -> Iterator:
    """The input as blocks of columns (see :mod:`bouncectl.sources.jsoncolumns`, loaded when used)."""
    from bouncectl.sources.jsoncolumns import read_blocks

    return read_blocks(parse, source, options, convert, ("Records", "records"), columns)


FORMAT = Format(
    name="ses",
    description="Amazon SES notifications and event publishing records (bare or in SNS; JSON lines or array)",
    sniff=sniff,
    parse=parse,
    blocks=blocks,
)
