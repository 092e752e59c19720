"""Write the send log of sendlog.py in a provider's format: the same events, any size, streamed.

    python benchmarks/providerlogs.py FORMAT ROWS OUT [--contacts N] [--order list|sorted] [--seed N]
                                      [--layout lines|array] [--ses-style events|notifications] [--sns]
                                      [--syslog rfc3339|classic] [--summary]

The events are those of ``sendlog.rows()`` with the same arguments (the canonical CSV of the same
ROWS, order and seed holds the same events, in the same order), written as each provider hands
them over. A record is written as its event is read, so a file of any size is made in little
memory; only the state of the email being written is kept (each recipient's message id and send
time, about as much as sendlog's own address list), and, for ``hubspot``, each recipient's row
until the email's last event.

Formats (FORMAT):
  ses       Amazon SES event publishing records (``eventType`` Send, Delivery, Bounce, Open; the
            email id in ``mail.tags``, also in an ``X-Email-ID`` header). ``--ses-style
            notifications``: feedback notifications (``notificationType`` Delivery and Bounce):
            SES sends no notification for a send or an open, so those events are left out.
            ``--sns``: each record inside an SNS envelope (``Message`` holds it as a JSON string).
  sendgrid  Event webhook batches: one JSON array per POST, a POST per 30 s of events or 768 kB
            (processed, delivered, bounce, open; the email id as the custom argument ``email_id``).
  mailgun   Webhook bodies (``signature`` and ``event-data``: accepted, delivered, failed, opened;
            the email id in ``user-variables``).
  postmark  Webhook records (Delivery, Bounce, Open; the email id in ``Metadata``). Postmark
            reports no send: the ``sent`` events are left out.
  hubspot   The recipients export: one row per recipient of each email (Email ID, Sent At,
            Delivered, Opened, Bounce, Bounce Reason, Bounce Response...), written once the
            email's last event is read. Times are UTC without a zone, as HubSpot writes them in
            the account's zone: import them without ``--tz`` (or with ``--tz UTC``).
  postfix   The mail log of the sending server: per message ``smtpd``, ``cleanup`` and ``qmgr``
            lines at the send, then the ``smtp`` delivery status line and ``removed``. Only
            delivery status lines are events: no ``sent``, no ``open``; and Postfix never bounces
            on a 4xx reply, it defers, so a bounce with a 4xx code is a ``status=deferred`` line
            (a ``deferred`` event). A mail log does not know the email id: import it with
            ``--email-id`` (one email) or without (events with no email id).

How the canonical events map:
  bounce with a 5xx code: SES ``Permanent``, SendGrid ``bounce`` (``blocked`` for a 5.7.1 block),
      Mailgun ``failed`` ``permanent``, Postmark HardBounce/DnsError/Blocked/SoftBounce by its
      status, Postfix ``status=bounced``;
  bounce with a 4xx code: SES ``Transient``, SendGrid ``blocked``, Mailgun ``failed`` ``temporary``
      with reason ``old`` (retries given up: code 498 "Too old", as Mailgun reports it), Postmark
      SoftBounce/Transient, Postfix ``status=deferred``.

JSON layout (``--layout``): ``lines`` (default) is one record (for SendGrid one POST body) per
line, as stored webhook bodies or a Firehose export are; ``array`` is one JSON array of every
record (streamed by the importer element by element).

``--summary`` prints, on stdout, a JSON object: the canonical events read (``rows``, and
``by_event``), the records (Postfix: lines) written, the number of ``events`` the importer
should store and the kinds of canonical event the format leaves out.
"""

from __future__ import annotations

import argparse
import base64
import calendar
import csv
import json
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sendlog

FORMATS = ("ses", "sendgrid", "mailgun", "postmark", "hubspot", "postfix")
LAYOUTS = ("lines", "array")
SES_STYLES = ("events", "notifications")
SYSLOG_STYLES = ("rfc3339", "classic")
EXTENSIONS = {"ses": "jsonl", "sendgrid": "jsonl", "mailgun": "jsonl", "postmark": "jsonl", "hubspot": "csv",
              "postfix": "log"}

SENDER = "news@example.org"
FROM = "Example News <news@example.org>"
OPEN_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
_COMPACT = (",", ":")
_REPLY = re.compile(r"^(\d{3})[ -]")


# --- the canonical events, with what every format needs to know about each ---------------------


class Message:
    """One message: one recipient of one email."""

    __slots__ = ("number", "sent")

    def __init__(self, number: int, sent: int):
        self.number = number  # counts every message of the log, from 0
        self.sent = sent  # send time, Unix seconds


@lru_cache(maxsize=1 << 16)
def epoch(stamp: str) -> int:
    return calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))


def events(total: int, contacts: int | None = None, order: str = "list",
           seed: int = 1) -> Iterator[tuple[list[str], int, Message, int]]:
    """(canonical row, its time in Unix seconds, its message, its number) for each event of sendlog.rows().

    A row's message is made by its ``sent`` row (which comes first); the messages of one email
    are forgotten when the next email starts, so memory holds one email's recipients at most."""
    contacts = contacts or max(1, total // 5)  # as sendlog.write
    messages: dict[str, Message] = {}
    current = None
    made = 0
    for number, row in enumerate(sendlog.rows(total, contacts, 10, seed=seed, order=order)):
        email_id, recipient, kind, stamp = row[0], row[1], row[2], row[3]
        if email_id != current:
            messages.clear()
            current = email_id
        when = epoch(stamp)
        message = messages.get(recipient)
        if message is None or kind == "sent":
            message = messages[recipient] = Message(made, when)
            made += 1
        yield row, when, message, number


def subject(email_id: str) -> str:
    return f"Example News: offers of the week ({email_id})"


def millis(number: int) -> int:
    """A sub-second part for an event, the same in every run (providers give milliseconds or more)."""
    return number * 7919 % 1000


def iso_ms(when: int, number: int) -> str:
    return f"{sendlog.stamp(when)[:-1]}.{millis(number):03d}Z"


def compact_time(when: int) -> str:
    """20260105090000: a time as Message-IDs often begin."""
    return sendlog.stamp(when)[:-1].replace("-", "").replace(":", "").replace("T", "")


def domain_of(recipient: str) -> str:
    return recipient.rpartition("@")[2]


def mx_ip(domain: str) -> str:
    return f"192.0.2.{sum(domain.encode()) % 200 + 10}"


def split_reply(diagnostic: str, code: str) -> tuple[str | None, str]:
    """(the reply code the text starts with, the text after it): "550 5.1.1 x" -> ("550", "5.1.1 x")."""
    found = _REPLY.match(diagnostic)
    if found and found.group(1) == code:
        return code, diagnostic[4:]
    return None, diagnostic


def category(status: str) -> str:
    """What a bounce's enhanced status is about, in words every provider below maps from."""
    detail = status[2:]
    return {"1.1": "user", "2.2": "full", "7.1": "block", "4.4": "dns", "7.0": "throttle"}.get(detail, "other")


def b64id(value: int, size: int = 16) -> str:
    """A provider's opaque id (base64 of a number), unique for each number."""
    value += 1
    data = (value * 0x9E3779B97F4A7C15 % (1 << 64)).to_bytes(8, "big") + value.to_bytes(size - 8, "big")
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def uuid_of(value: int) -> str:
    text = f"{(value + 1) * 0x9E3779B97F4A7C15 % (1 << 64):016x}{(value + 1) * 0xD1B54A32D192ED03 % (1 << 64):016x}"
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-8{text[17:20]}-{text[20:32]}"


class JsonOut:
    """Writes JSON records one per line, or as one JSON array, as they come."""

    def __init__(self, handle, layout: str):
        self.handle = handle
        self.layout = layout
        self.records = 0

    def write(self, value) -> None:
        text = json.dumps(value, separators=_COMPACT, ensure_ascii=False)
        if self.layout == "lines":
            self.handle.write(text + "\n")
        else:
            self.handle.write(("[\n" if self.records == 0 else ",\n") + text)
        self.records += 1

    def close(self) -> None:
        if self.layout == "array":
            self.handle.write("\n]\n" if self.records else "[]\n")


# --- Amazon SES -------------------------------------------------------------------------------

SES_REGION = "eu-west-1"
SES_ACCOUNT = "111122223333"
SES_BOUNCE_SUBTYPES = {"user": "General", "full": "MailboxFull", "block": "General", "dns": "General",
                       "throttle": "General", "other": "General"}


def ses_message_id(message: Message) -> str:
    number = message.number
    return f"0102019b{number:08x}-{number * 2654435761 % (1 << 32):08x}-5e1c-4b7a-9d3f-{number:012x}-000000"


def ses_mail(row: list[str], message: Message) -> dict:
    email_id, recipient = row[0], row[1]
    message_id = ses_message_id(message)
    header_id = f"<{message_id}@{SES_REGION}.amazonses.com>"
    title = subject(email_id)
    return {
        "timestamp": iso_ms(message.sent, message.number),
        "source": SENDER,
        "sourceArn": f"arn:aws:ses:{SES_REGION}:{SES_ACCOUNT}:identity/example.org",
        "sourceIp": "198.51.100.10",
        "callerIdentity": "newsletter-app",
        "sendingAccountId": SES_ACCOUNT,
        "messageId": message_id,
        "destination": [recipient],
        "headersTruncated": False,
        "headers": [
            {"name": "From", "value": FROM},
            {"name": "To", "value": recipient},
            {"name": "Subject", "value": title},
            {"name": "MIME-Version", "value": "1.0"},
            {"name": "Content-Type", "value": "multipart/alternative; boundary=\"----=_Part_0\""},
            {"name": "X-Email-ID", "value": email_id},
            {"name": "Message-ID", "value": header_id},
        ],
        "commonHeaders": {"from": [FROM], "to": [recipient], "messageId": header_id, "subject": title},
        "tags": {
            "ses:operation": ["SendEmail"],
            "ses:configuration-set": ["newsletter"],
            "ses:source-ip": ["198.51.100.10"],
            "ses:from-domain": ["example.org"],
            "ses:caller-identity": ["newsletter-app"],
            "email_id": [email_id],
        },
    }


def ses_record(row: list[str], when: int, message: Message, number: int, style: str) -> dict | None:
    kind = row[2]
    key = "eventType" if style == "events" else "notificationType"
    mta = f"a8-{message.number % 90 + 10}.smtp-out.{SES_REGION}.amazonses.com"
    if kind == "sent":
        if style != "events":
            return None
        return {key: "Send", "mail": ses_mail(row, message), "send": {}}
    if kind == "delivered":
        return {key: "Delivery", "mail": ses_mail(row, message), "delivery": {
            "timestamp": iso_ms(when, number),
            "processingTimeMillis": (when - message.sent) * 1000 + millis(number) - millis(message.number),
            "recipients": [row[1]],
            "smtpResponse": f"250 2.0.0 OK {when} - gsmtp",
            "remoteMtaIp": mx_ip(domain_of(row[1])),
            "reportingMTA": mta,
        }}
    if kind == "bounce":
        code, status, diagnostic = row[4], row[5], row[6]
        return {key: "Bounce", "bounce": {
            "feedbackId": f"0102019b{number:08x}-bounce-{number:012x}-000000",
            "bounceType": "Transient" if code.startswith("4") else "Permanent",
            "bounceSubType": SES_BOUNCE_SUBTYPES[category(status)],
            "bouncedRecipients": [
                {"emailAddress": row[1], "action": "failed", "status": status, "diagnosticCode": f"smtp; {diagnostic}"}
            ],
            "timestamp": iso_ms(when, number),
            "reportingMTA": f"dns; {mta}",
            "remoteMtaIp": mx_ip(domain_of(row[1])),
        }, "mail": ses_mail(row, message)}
    if kind == "open":
        if style != "events":
            return None
        return {key: "Open", "mail": ses_mail(row, message), "open": {
            "ipAddress": f"203.0.113.{number % 250 + 1}",
            "timestamp": iso_ms(when, number),
            "userAgent": OPEN_AGENT,
        }}
    raise ValueError(f"unexpected event {kind!r}")


def sns_envelope(record: dict, when: int, number: int) -> dict:
    return {
        "Type": "Notification",
        "MessageId": uuid_of(number),
        "TopicArn": f"arn:aws:sns:{SES_REGION}:{SES_ACCOUNT}:ses-events",
        "Message": json.dumps(record, separators=_COMPACT, ensure_ascii=False),
        "Timestamp": iso_ms(when, number),
        "SignatureVersion": "1",
        "Signature": base64.b64encode(number.to_bytes(8, "big") * 32).decode(),
        "SigningCertURL": f"https://sns.{SES_REGION}.amazonaws.com/SimpleNotificationService-0000000000.pem",
        "UnsubscribeURL": f"https://sns.{SES_REGION}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn="
                          f"arn:aws:sns:{SES_REGION}:{SES_ACCOUNT}:ses-events:{uuid_of(7)}",
    }


def write_ses(handle, stream, layout: str, style: str = "events", sns: bool = False) -> int:
    out = JsonOut(handle, layout)
    for row, when, message, number in stream:
        record = ses_record(row, when, message, number, style)
        if record is not None:
            out.write(sns_envelope(record, when, number) if sns else record)
    out.close()
    return out.records


# --- SendGrid ---------------------------------------------------------------------------------

SENDGRID_BATCH_SECONDS = 30
SENDGRID_BATCH_BYTES = 768 * 1024
SENDGRID_CLASSES = {"user": "Invalid Address", "full": "Mailbox Unavailable", "block": "Reputation",
                    "dns": "Invalid Address", "throttle": "Frequency or Volume", "other": "Unclassified"}


def sendgrid_event(row: list[str], when: int, message: Message, number: int) -> dict:
    email_id, recipient, kind = row[0], row[1], row[2]
    base = b64id(message.number)
    event = {
        "email": recipient,
        "timestamp": when,
        "smtp-id": f"<{base}@geopod-ismtpd-3>",
        "event": {"sent": "processed", "delivered": "delivered", "bounce": "bounce", "open": "open"}[kind],
        "category": ["newsletter"],
        "sg_event_id": b64id(number),
        "sg_message_id": f"{base}.filterdrecv-5b6c7d8e9f-abcde-1-{message.sent:x}-{message.number % 64:X}.0",
        "email_id": email_id,
    }
    if kind == "delivered":
        event.update(response=f"250 2.0.0 OK  {when} - gsmtp", tls=1, ip="198.51.100.10")
    elif kind == "bounce":
        code, status, diagnostic = row[4], row[5], row[6]
        blocked = code.startswith("4") or category(status) == "block"
        event.update(type="blocked" if blocked else "bounce", status=status, reason=diagnostic,
                     bounce_classification=SENDGRID_CLASSES[category(status)], tls=1, ip="198.51.100.10")
    elif kind == "open":
        event.update(useragent=OPEN_AGENT, ip=f"203.0.113.{number % 250 + 1}", sg_machine_open=False)
    elif kind == "sent":
        event["send_at"] = 0
    return event


def write_sendgrid(handle, stream, layout: str) -> int:
    """POST bodies: a batch per 30 s of events, or less when it reaches 768 kB."""
    records = 0
    if layout == "array":
        out = JsonOut(handle, layout)
        for row, when, message, number in stream:
            out.write(sendgrid_event(row, when, message, number))
        out.close()
        return out.records
    batch: list[str] = []
    size = 0
    window = None
    for row, when, message, number in stream:
        text = json.dumps(sendgrid_event(row, when, message, number), separators=_COMPACT, ensure_ascii=False)
        if batch and (when // SENDGRID_BATCH_SECONDS != window or size + len(text) > SENDGRID_BATCH_BYTES):
            handle.write("[" + ",".join(batch) + "]\n")
            batch.clear()
            size = 0
        window = when // SENDGRID_BATCH_SECONDS
        batch.append(text)
        size += len(text) + 1
        records += 1
    if batch:
        handle.write("[" + ",".join(batch) + "]\n")
    return records


# --- Mailgun ----------------------------------------------------------------------------------

MAILGUN_DOMAIN = "mg.example.org"


def mailgun_body(row: list[str], when: int, message: Message, number: int, rng: random.Random) -> dict:
    email_id, recipient, kind = row[0], row[1], row[2]
    domain = domain_of(recipient)
    moment = when + millis(number) / 1000 + number % 1000 / 1e6
    data: dict = {
        "id": b64id(number),
        "timestamp": moment,
        "log-level": "info",
        "event": {"sent": "accepted", "delivered": "delivered", "bounce": "failed", "open": "opened"}[kind],
        "recipient": recipient,
        "recipient-domain": domain,
        "tags": ["newsletter"],
        "campaigns": [],
        "user-variables": {"email_id": email_id},
        "message": {
            "headers": {"to": recipient, "message-id": f"{compact_time(message.sent)}.{message.number:x}@"
                        f"{MAILGUN_DOMAIN}", "from": FROM, "subject": subject(email_id)},
            "attachments": [],
            "size": 18234,
        },
    }
    if kind in ("sent", "delivered", "bounce"):
        data["envelope"] = {"sender": f"bounce+{message.number:x}@{MAILGUN_DOMAIN}", "transport": "smtp",
                            "targets": recipient, "sending-ip": "198.51.100.10"}
        data["flags"] = {"is-routed": False, "is-authenticated": True, "is-system-test": False, "is-test-mode": False}
    if kind == "sent":
        data["method"] = "HTTP"
        data["storage"] = {"url": f"https://storage-europe-west1.api.mailgun.net/v3/domains/{MAILGUN_DOMAIN}/"
                                  f"messages/{b64id(message.number)}", "key": b64id(message.number)}
    elif kind == "delivered":
        data["delivery-status"] = {"attempt-no": 1, "code": 250, "message": "OK", "description": "",
                                   "mx-host": f"mx.{domain}", "session-seconds": 1.2, "tls": True,
                                   "certificate-verified": True, "utf8": True}
    elif kind == "bounce":
        code, status, diagnostic = row[4], row[5], row[6]
        data["log-level"] = "error"
        if code.startswith("4"):
            # Mailgun retried the temporary failures and gave up: reason "old".
            data.update({"severity": "temporary", "reason": "old"})
            data["delivery-status"] = {"attempt-no": 8, "code": 498, "message": "", "description": "Too old",
                                       "mx-host": f"mx.{domain}", "session-seconds": 0.0, "retry-seconds": 0}
        else:
            said, text = split_reply(diagnostic, code)
            data.update({"severity": "permanent", "reason": "bounce" if said else "generic"})
            data["delivery-status"] = {
                "attempt-no": 1, "code": int(code), "message": text if said else "",
                "description": "" if said else text, "enhanced-code": status,
                "mx-host": f"mx.{domain}", "session-seconds": 0.8, "tls": True, "certificate-verified": True,
                "utf8": True,
            }
    elif kind == "open":
        data["ip"] = f"203.0.113.{number % 250 + 1}"
        data["geolocation"] = {"country": "DE", "region": "BE", "city": "Berlin"}
        data["client-info"] = {"client-name": "Chrome", "client-type": "browser", "client-os": "Windows",
                               "device-type": "desktop", "user-agent": OPEN_AGENT}
    return {
        "signature": {"timestamp": str(when), "token": f"{rng.getrandbits(200):050x}",
                      "signature": f"{rng.getrandbits(256):064x}"},
        "event-data": data,
    }


def write_mailgun(handle, stream, layout: str, seed: int = 1) -> int:
    out = JsonOut(handle, layout)
    rng = random.Random(f"mailgun-{seed}")
    for row, when, message, number in stream:
        out.write(mailgun_body(row, when, message, number, rng))
    out.close()
    return out.records


# --- Postmark ---------------------------------------------------------------------------------

POSTMARK_TYPES = {  # category -> (Type, TypeCode, Name, Description); soft replies are Transient
    "user": ("HardBounce", 1, "Hard bounce",
             "The server was unable to deliver your message (ex: unknown user, mailbox not found)."),
    "full": ("SoftBounce", 4096, "Soft bounce",
             "Unable to temporarily deliver this email (ex: mailbox full)."),
    "block": ("Blocked", 100006, "ISP block",
              "The ISP blocked this message, the sending server or the content."),
    "dns": ("DnsError", 256, "DNS error",
            "A temporary DNS error."),
    "other": ("HardBounce", 1, "Hard bounce",
              "The server was unable to deliver your message (ex: unknown user, mailbox not found)."),
}
POSTMARK_TRANSIENT = ("Transient", 2, "Message delayed",
                      ("The server could not temporarily deliver your message (ex: Message is delayed due to "
                       "network troubles)."))


def postmark_time(when: int, number: int) -> str:
    return f"{sendlog.stamp(when)[:-1]}.{millis(number):03d}{number * 31 % 10000:04d}Z"


def postmark_record(row: list[str], when: int, message: Message, number: int) -> dict | None:
    email_id, recipient, kind = row[0], row[1], row[2]
    common = {"MessageStream": "broadcast", "MessageID": uuid_of(message.number), "Tag": "newsletter",
              "Metadata": {"email_id": email_id}, "ServerID": 23}
    if kind == "sent":
        return None  # Postmark reports no send
    if kind == "delivered":
        return {"RecordType": "Delivery", **common, "Recipient": recipient, "DeliveredAt": postmark_time(when, number),
                "Details": f"smtp;250 2.0.0 OK {when} - gsmtp"}
    if kind == "bounce":
        code, status, diagnostic = row[4], row[5], row[6]
        kind_of = category(status)
        if code.startswith("4") and kind_of != "full":
            name, type_code, label, description = POSTMARK_TRANSIENT
        else:
            name, type_code, label, description = POSTMARK_TYPES.get(kind_of, POSTMARK_TYPES["other"])
        hard = name == "HardBounce"
        return {"RecordType": "Bounce", **common, "ID": 4323372036854775807 - number, "Type": name,
                "TypeCode": type_code, "Name": label, "Description": description, "Details": f"smtp;{diagnostic}",
                "Email": recipient, "From": SENDER, "BouncedAt": postmark_time(when, number), "DumpAvailable": False,
                "Inactive": hard, "CanActivate": True, "Subject": subject(email_id)}
    if kind == "open":
        return {"RecordType": "Open", **common, "FirstOpen": True, "Recipient": recipient,
                "ReceivedAt": postmark_time(when, number), "Platform": "Desktop", "ReadSeconds": number % 30,
                "UserAgent": OPEN_AGENT,
                "OS": {"Name": "Windows 10", "Family": "Windows", "Company": "Microsoft Corporation"},
                "Client": {"Name": "Chrome 124.0", "Family": "Chrome", "Company": "Google"},
                "Geo": {"CountryISOCode": "DE", "Country": "Germany", "RegionISOCode": "BE", "Region": "Berlin",
                        "City": "Berlin", "Zip": "10115", "Coords": "52.5200,13.4050",
                        "IP": f"203.0.113.{number % 250 + 1}"}}
    raise ValueError(f"unexpected event {kind!r}")


def write_postmark(handle, stream, layout: str) -> int:
    out = JsonOut(handle, layout)
    for row, when, message, number in stream:
        record = postmark_record(row, when, message, number)
        if record is not None:
            out.write(record)
    out.close()
    return out.records


# --- HubSpot ----------------------------------------------------------------------------------

HUBSPOT_COLUMNS = ["Email ID", "Email Name", "Recipient", "Sent At", "Delivered", "Opened", "Clicked", "Bounce",
                   "Bounce Reason", "Bounce Response", "Not Sent Reason", "Unsubscribed", "Spam Report"]
HUBSPOT_CATEGORIES = {"user": "UNKNOWN_USER", "full": "MAILBOX_FULL", "block": "POLICY", "dns": "DNS_FAILURE",
                      "throttle": "THROTTLED", "other": "OTHER"}


def hubspot_time(when: int) -> str:
    return sendlog.stamp(when).replace("T", " ")[:-1]


def write_hubspot(handle, stream) -> int:
    """One row per recipient of an email, in send order, written when the email's events end."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(HUBSPOT_COLUMNS)
    records = 0
    pending: dict[str, list[str]] = {}
    current = None

    def flush() -> int:
        writer.writerows(pending.values())
        count = len(pending)
        pending.clear()
        return count

    for row, when, _message, _number in stream:
        email_id, recipient, kind = row[0], row[1], row[2]
        if email_id != current:
            records += flush()
            current = email_id
        cells = pending.get(recipient)
        if cells is None:
            cells = pending[recipient] = [email_id, subject(email_id), recipient, "", "FALSE", "FALSE", "FALSE",
                                          "FALSE", "", "", "", "FALSE", "FALSE"]
        if kind == "sent":
            cells[3] = hubspot_time(when)
        elif kind == "delivered":
            cells[4] = hubspot_time(when)
        elif kind == "open":
            cells[5] = hubspot_time(when)
        elif kind == "bounce":
            cells[7] = hubspot_time(when)
            cells[8] = HUBSPOT_CATEGORIES[category(row[5])]
            cells[9] = row[6]
        else:
            raise ValueError(f"unexpected event {kind!r}")
    return records + flush()


# --- Postfix ----------------------------------------------------------------------------------

POSTFIX_HOST = "mail01"


def queue_id(number: int) -> str:
    """A short Postfix queue id (10 hex digits), unique for each number below 2**40."""
    return f"{(number + 1) * 0x9E3779B1 % (1 << 40):010X}"


def write_postfix(handle, stream, syslog: str = "rfc3339") -> tuple[int, int]:
    """Mail log lines; returns (lines, the last event's time)."""
    lines = 0
    last = 0
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

    def stamp(when: int, number: int) -> str:
        if syslog == "classic":
            moment = time.gmtime(when)
            return f"{months[moment.tm_mon - 1]} {moment.tm_mday:2d} {time.strftime('%H:%M:%S', moment)}"
        return f"{sendlog.stamp(when)[:-1]}.{millis(number):03d}{number * 37 % 1000:03d}+00:00"

    write = handle.write
    for row, when, message, number in stream:
        recipient, kind = row[1], row[2]
        qid = queue_id(message.number)
        at = f"{stamp(when, number)} {POSTFIX_HOST} postfix"
        last = when
        if kind == "sent":
            pid = 3000 + message.number % 50
            write(f"{at}/smtpd[{pid}]: {qid}: client=app01.example.org[10.0.0.21], sasl_method=PLAIN, "
                  f"sasl_username=newsletter\n"
                  f"{at}/cleanup[{pid + 1000}]: {qid}: message-id=<{compact_time(message.sent)}."
                  f"{message.number:x}@news.example.org>\n"
                  f"{at}/qmgr[1187]: {qid}: from=<{SENDER}>, size=18234, nrcpt=1 (queue active)\n")
            lines += 3
            continue
        if kind == "open":
            continue
        domain = domain_of(recipient)
        pid = 5000 + message.number % 200
        delay = when - message.sent
        if kind == "delivered":
            write(f"{at}/smtp[{pid}]: {qid}: to=<{recipient}>, relay=mx.{domain}[{mx_ip(domain)}]:25, "
                  f"delay={delay}.1, delays=0.05/0.01/0.6/{delay - 0.66:.2f}, dsn=2.0.0, "
                  f"status=sent (250 2.0.0 Ok: queued as {queue_id(number)})\n"
                  f"{at}/qmgr[1187]: {qid}: removed\n")
            lines += 2
            continue
        code, status, diagnostic = row[4], row[5], row[6]
        said, _text = split_reply(diagnostic, code)
        if said:
            relay = f"mx.{domain}[{mx_ip(domain)}]:25"
            reason = f"host {relay[:-3]} said: {diagnostic} (in reply to RCPT TO command)"
        else:
            relay = "none"
            reason = diagnostic
        word = "deferred" if code.startswith("4") else "bounced"
        write(f"{at}/smtp[{pid}]: {qid}: to=<{recipient}>, relay={relay}, delay={delay}.4, "
              f"delays=0.05/0.01/0.3/0.1, dsn={status}, status={word} ({reason})\n")
        lines += 1
        if word == "bounced":
            write(f"{at}/bounce[{pid + 1000}]: {qid}: sender non-delivery notification: {queue_id(number)}\n"
                  f"{at}/qmgr[1187]: {qid}: removed\n")
            lines += 2
    return lines, last


# --- the whole file ---------------------------------------------------------------------------


def left_out(fmt: str, ses_style: str = "events") -> tuple[str, ...]:
    """The canonical events a format does not record."""
    if fmt == "postmark":
        return ("sent",)
    if fmt == "postfix" or (fmt == "ses" and ses_style == "notifications"):
        return ("sent", "open")
    return ()


def expected_events(fmt: str, by_event: Counter, ses_style: str = "events") -> int:
    """How many events the importer should store from a file of these canonical events."""
    return sum(count for kind, count in by_event.items() if kind not in left_out(fmt, ses_style))


def write(fmt: str, path: str | Path, total: int, contacts: int | None = None, order: str = "list", seed: int = 1,
          layout: str = "lines", ses_style: str = "events", sns: bool = False, syslog: str = "rfc3339") -> dict:
    """Write the log; returns what it holds (see --summary)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    by_event: Counter = Counter()

    def counted():
        for item in events(total, contacts, order, seed):
            by_event[item[0][2]] += 1
            yield item

    stream = counted()
    last = None
    with open(path, "w", newline="", encoding="utf-8") as handle:
        if fmt == "ses":
            records = write_ses(handle, stream, layout, ses_style, sns)
        elif fmt == "sendgrid":
            records = write_sendgrid(handle, stream, layout)
        elif fmt == "mailgun":
            records = write_mailgun(handle, stream, layout, seed)
        elif fmt == "postmark":
            records = write_postmark(handle, stream, layout)
        elif fmt == "hubspot":
            records = write_hubspot(handle, stream)
        else:
            records, last = write_postfix(handle, stream, syslog)
    if last:
        # A classic syslog time has no year: the importer takes the one that puts the line before
        # the file's modification time.
        os.utime(path, (last + 60, last + 60))
    return {"format": fmt, "rows": sum(by_event.values()), "by_event": dict(by_event), "records": records,
            "events": expected_events(fmt, by_event, ses_style), "left_out": list(left_out(fmt, ses_style))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("format", choices=FORMATS)
    parser.add_argument("rows", type=int, help="canonical events to take from sendlog.rows()")
    parser.add_argument("out")
    parser.add_argument("--contacts", type=int, default=None)
    parser.add_argument("--order", choices=sendlog.ORDERS, default="list")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--layout", choices=LAYOUTS, default="lines", help="JSON formats: one record per line "
                        "(default) or one JSON array")
    parser.add_argument("--ses-style", choices=SES_STYLES, default="events")
    parser.add_argument("--sns", action="store_true", help="ses: each record inside an SNS envelope")
    parser.add_argument("--syslog", choices=SYSLOG_STYLES, default="rfc3339", help="postfix: timestamp style")
    parser.add_argument("--summary", action="store_true", help="print what was written, as JSON")
    args = parser.parse_args()
    summary = write(args.format, args.out, args.rows, args.contacts, order=args.order, seed=args.seed,
                    layout=args.layout, ses_style=args.ses_style, sns=args.sns, syslog=args.syslog)
    if args.summary:
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
