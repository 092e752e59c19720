"""The canonical CSV send log (SPEC section 5).

Columns (names case-insensitive, common aliases accepted): ``email_id``,
``recipient``, ``event``, ``timestamp`` and optionally ``bounce_type``,
``smtp_code``, ``enhanced_status``, ``diagnostic``, ``email_name``, ``global``.
Other columns are kept as the event's raw fields.
"""

from __future__ import annotations

import csv
import json
import re
import sys

from bouncectl.addresses import looks_like_address, normalize
from bouncectl.errors import InputError
from bouncectl.formats import Format, Records
from bouncectl.formats.source import Source, decode
from bouncectl.model import EVENT_TYPES, NOT_SENT_REASONS, Event, ImportOptions, Reject
from bouncectl.timeparse import parse_timestamp, zone

csv.field_size_limit(sys.maxsize)

HEADER_ALIASES = {
    "email_id": ("email_id", "emailid", "campaign_id", "campaign", "message_group"),
    "recipient": ("recipient", "email", "email_address", "address", "to", "rcpt"),
    "event": ("event", "event_type", "type"),
    "timestamp": ("timestamp", "time", "date", "event_time", "created_at", "occurred_at"),
    "bounce_type": ("bounce_type", "bouncetype", "severity"),
    "smtp_code": ("smtp_code", "reply_code", "smtp_reply_code", "code"),
    "enhanced_status": ("enhanced_status", "status_code", "dsn", "enhanced_status_code"),
    "diagnostic": ("diagnostic", "diagnostic_code", "bounce_reason", "smtp_response", "response"),
    "email_name": ("email_name", "campaign_name", "subject"),
    "global": ("global", "global_bounce", "is_global"),
    "not_sent_reason": ("not_sent_reason",),
    "message_id": ("message_id", "message-id"),
}
_ALIAS_TO_FIELD = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}
REQUIRED = ("recipient", "event", "timestamp")

# Event words accepted in the ``event`` column, and the provider verdict they carry.
EVENT_WORDS: dict[str, tuple[str, str | None]] = {
    **{name: (name, None) for name in EVENT_TYPES},
    "send": ("sent", None),
    "delivery": ("delivered", None),
    "bounced": ("bounce", None),
    "hard_bounce": ("bounce", "hard"),
    "hardbounce": ("bounce", "hard"),
    "soft_bounce": ("bounce", "soft"),
    "softbounce": ("bounce", "soft"),
    "dropped": ("not_sent", None),
    "deferral": ("deferred", None),
    "spamreport": ("complaint", None),
    "spam_report": ("complaint", None),
    "unsubscribed": ("unsubscribe", None),
}

BOUNCE_TYPE_WORDS = {
    "hard": "hard", "permanent": "hard", "perm": "hard",
    "soft": "soft", "transient": "soft", "temporary": "soft", "temp": "soft",
    "": None, "undetermined": None,
}
TRUE_WORDS = frozenset({"true", "yes", "1", "y", "t"})
FALSE_WORDS = frozenset({"false", "no", "0", "n", "f", ""})
_STATUS = re.compile(r"[245]\.\d{1,3}\.\d{1,3}")


def _header_key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def sniff(head: bytes, source: Source) -> bool:
    first = decode(head).lstrip().partition("\n")[0]
    if first.startswith(("{", "[")):
        return False
    try:
        names = next(csv.reader([first]))
    except (csv.Error, StopIteration):
        return False
    fields = {_ALIAS_TO_FIELD.get(_header_key(n)) for n in names}
    return "recipient" in fields and "event" in fields


class _RowError(ValueError):
    pass


def parse(source: Source, options: ImportOptions) -> Records:
    tz = zone(options.tz)
    with source.open_text() as stream:
        reader = csv.reader(stream)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(source.name, f"not a CSV file: {exc}", line=1) from None
        columns: dict[str, int] = {}
        extras: list[tuple[str, int]] = []
        for index, name in enumerate(header):
            field = _ALIAS_TO_FIELD.get(_header_key(name))
            if field and field not in columns:
                columns[field] = index
            elif name.strip():
                extras.append((name.strip(), index))
        missing = [name for name in REQUIRED if name not in columns]
        if missing:
            raise InputError(
                source.name,
                f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                line=1,
                hint="the canonical CSV needs recipient, event and timestamp columns",
            )
        if "email_id" not in columns and not options.email_id:
            raise InputError(source.name, "no email_id column", line=1, hint="give the email's id with --email-id")
        width = len(header)
        line = 1
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Reject(start, f"unreadable CSV: {exc}")
                continue
            line = start
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            try:
                yield _event(row, columns, extras, width, options, tz, line)
            except _RowError as exc:
                yield Reject(line, str(exc), ",".join(row)[:2000])


def _cell(row: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _event(row, columns, extras, width, options, tz, line) -> Event:
    if len(row) > width:
        raise _RowError(f"{len(row)} fields where the header has {width}")
    recipient = normalize(_cell(row, columns, "recipient"))
    if not recipient:
        raise _RowError("empty recipient")
    if not looks_like_address(recipient):
        raise _RowError(f"recipient {recipient[:80]!r} is not an email address")
    word = _cell(row, columns, "event").lower().replace(" ", "_")
    if word not in EVENT_WORDS:
        raise _RowError(f"unknown event {word[:40]!r}")
    event, provider_type = EVENT_WORDS[word]
    try:
        timestamp = parse_timestamp(_cell(row, columns, "timestamp"), tz)
    except ValueError as exc:
        raise _RowError(str(exc)) from None
    email_id = _cell(row, columns, "email_id") or options.email_id
    if not email_id:
        raise _RowError("empty email_id")
    bounce_word = _cell(row, columns, "bounce_type").lower()
    if bounce_word not in BOUNCE_TYPE_WORDS:
        raise _RowError(f"unknown bounce_type {bounce_word[:40]!r}")
    provider_type = BOUNCE_TYPE_WORDS[bounce_word] or provider_type
    if provider_type and event not in ("bounce", "deferred"):
        raise _RowError(f"bounce_type given for a {event!r} event")
    code_text = _cell(row, columns, "smtp_code")
    smtp_code = None
    if code_text:
        if not (code_text.isdigit() and 200 <= int(code_text) <= 599):
            raise _RowError(f"smtp_code {code_text[:20]!r} is not an SMTP reply code")
        smtp_code = int(code_text)
    status = _cell(row, columns, "enhanced_status") or None
    if status and not _STATUS.fullmatch(status):
        raise _RowError(f"enhanced_status {status[:20]!r} is not an RFC 3463 code")
    global_word = _cell(row, columns, "global").lower()
    if global_word not in TRUE_WORDS and global_word not in FALSE_WORDS:
        raise _RowError(f"global {global_word[:20]!r} is not true or false")
    not_sent_reason = _cell(row, columns, "not_sent_reason").upper() or None
    if not_sent_reason and not_sent_reason not in NOT_SENT_REASONS:
        raise _RowError(f"unknown not_sent_reason {not_sent_reason[:40]!r}")
    if not_sent_reason and event != "not_sent":
        raise _RowError(f"not_sent_reason given for a {event!r} event")
    raw = None
    if extras:
        kept = {name: row[index] for name, index in extras if index < len(row) and row[index] != ""}
        raw = json.dumps(kept, ensure_ascii=False) if kept else None
    return Event(
        recipient=recipient,
        event=event,
        timestamp=timestamp,
        email_id=email_id,
        email_name=_cell(row, columns, "email_name") or None,
        provider_type=provider_type,
        smtp_code=smtp_code,
        enhanced_status=status,
        diagnostic=_cell(row, columns, "diagnostic") or None,
        is_global=global_word in TRUE_WORDS,
        not_sent_reason=not_sent_reason,
        message_id=_cell(row, columns, "message_id") or None,
        line=line,
        raw=raw,
    )


FORMAT = Format(
    name="csv",
    description="canonical CSV send log: email_id, recipient, event, timestamp, ...",
    sniff=sniff,
    parse=parse,
)
