"""HubSpot CSV exports: an email's recipients, and the unsubscribes-and-bounces list.

Header names are matched case-insensitively, with spaces, underscores and
hyphens alike.

**Recipients export** (one email; a ``Recipient`` column and no ``event``
column): each row gives one recipient's outcome. A column such as
``Sent At``, ``Delivered``, ``Bounce``, ``Opened``, ``Unsubscribed`` holds a
time or ``TRUE``/``FALSE``; each one that is set makes an event:

- ``Not Sent Reason`` set -> ``not_sent`` (``GLOBALLY_BOUNCED`` for a global
  bounce, ``PREVIOUSLY_BOUNCED`` for other bounces, ``INVALID_ADDRESS``,
  ``DUPLICATE``, else ``SUPPRESSED``: unsubscribed, spam reports, graymail,
  quarantine...); otherwise ``Sent At`` -> ``sent``;
- ``Bounce`` -> ``bounce``: ``Bounce Response`` (the remote reply) is the
  diagnostic, else ``Bounce Reason`` (HubSpot's category, e.g.
  ``UNKNOWN_USER`` or ``Mailbox full``); ``Bounce Type`` (hard/soft), when
  present, is the provider's verdict, else an unknown-user or
  invalid-recipient category counts as HubSpot saying hard;
- ``Delivered``, ``Deferred``, ``Opened``, ``Clicked``, ``Unsubscribed``,
  ``Spam Report`` -> the matching event.

The email id is the ``Email ID`` (or ``Campaign ID``) column, else
``options.email_id`` (``--email-id``), else the ``Email Name`` (or
``Subject``) column, which is also the email's name.

**Unsubscribes-and-bounces export** (``Portal Bounce`` / ``Global Bounce``
columns): ``Global Bounce`` -> a global hard bounce, ``Portal Bounce`` -> a
hard bounce (a reason written in the cell becomes the diagnostic),
``Portal Unsubscribe`` -> unsubscribe (from every email), ``Portal Spam Report`` -> complaint.
Subscription-type columns are kept in raw; one marked true (without a portal
unsubscribe) is an unsubscribe from that subscription type, its group. The export has no times: a date
column is used if present, else the file's modification time.

Times without a zone are in the HubSpot account's time zone, ``options.tz``
(``--tz``); numeric dates are read month first, as HubSpot's US exports write
them.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from datetime import datetime, tzinfo

from dateutil import parser as dateparser

from bouncectl.bounces import Verdict, decide, reply_code, status_in
from bouncectl.errors import InputError
from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources import jsonrecords as jr
from bouncectl.sources.format import Format, Records
from bouncectl.sources.source import MAX_LINE, CappedLines, Source, decode, overlong_reject_text
from bouncectl.timeparse import format_utc, parse_timestamp, plausible, zone

csv.field_size_limit(MAX_LINE)

RECIPIENT_COLUMNS = {
    "recipient": ("recipient", "recipient email", "email address", "email"),
    "email_id": ("email id", "email campaign id", "campaign id"),
    "email_name": ("email name", "campaign name", "email subject", "subject"),
    "sent": ("sent at", "sent", "sent date", "send date", "processed at"),
    "delivered": ("delivered at", "delivered"),
    "deferred": ("deferred at", "deferred"),
    "bounce": ("bounce", "bounced", "bounced at", "bounce date"),
    "bounce_type": ("bounce type",),
    "bounce_reason": ("bounce reason", "bounce category"),
    "bounce_response": ("bounce response", "bounce details", "bounce message", "smtp response"),
    "not_sent_reason": ("not sent reason", "drop reason", "dropped reason"),
    "opened": ("opened at", "opened", "open"),
    "clicked": ("clicked at", "clicked", "click"),
    "unsubscribed": ("unsubscribed at", "unsubscribed", "unsubscribe"),
    "spam": ("spam report", "spam reported", "reported spam", "spam reported at", "marked as spam"),
}
LIST_COLUMNS = {
    "recipient": ("email", "email address", "recipient"),
    "portal_bounce": ("portal bounce",),
    "global_bounce": ("global bounce",),
    "unsubscribe": ("portal unsubscribe",),
    "spam": ("portal spam report",),
    "date": ("date", "bounced at", "bounce date", "updated at", "last updated", "created at"),
}
# An ``event`` column means the canonical CSV, never a HubSpot export.
_CANONICAL_MARKERS = frozenset({"event", "event type", "type"})
_RECIPIENT_MARKERS = frozenset({"sent at", "not sent reason", "bounce reason", "bounce", "bounced", "bounce response"})
BOUNCE_TYPES = {"hard": "hard", "permanent": "hard", "soft": "soft", "temporary": "soft", "transient": "soft"}
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "x"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "", "-"})
# Bounce categories HubSpot treats as permanent (it stops sending to the contact).
_PERMANENT_CATEGORY = re.compile(r"unknown[ _]user|invalid[ _](recipient|address|user)", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d\d(?!\d)")


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", " ", name.strip().lower())


def _header(head: bytes) -> list[str] | None:
    text = decode(head).lstrip("\ufeff")
    first = text.partition("\n")[0]
    if not first.strip() or first.lstrip()[:1] in ("{", "["):
        return None
    try:
        return [_key(name) for name in next(csv.reader([first]))]
    except (csv.Error, StopIteration):
        return None


def _kind(names: list[str]) -> str | None:
    found = set(names)
    if found & _CANONICAL_MARKERS:
        return None
    if found & {"portal bounce", "global bounce"} and found & set(LIST_COLUMNS["recipient"]):
        return "list"
    if found & set(RECIPIENT_COLUMNS["recipient"]) and found & _RECIPIENT_MARKERS:
        return "recipients"
    return None


def sniff(head: bytes, source: Source) -> bool:
    names = _header(head)
    return names is not None and _kind(names) is not None


class _RowError(ValueError):
    pass


def parse(source: Source, options: ImportOptions) -> Records:
    tz = zone(options.tz)
    if source.path is not None and not source.is_dir:
        fallback = format_utc(datetime.fromtimestamp(source.path.stat().st_mtime, tz))
    else:
        fallback = format_utc(datetime.now(tz))
    with source.open_text() as stream:
        capped = CappedLines(stream)
        reader = csv.reader(capped)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(source.name, f"not a CSV file: {exc}", line=1) from None
        names = [_key(name) for name in header]
        kind = _kind(names)
        if kind is None:
            raise InputError(
                source.name,
                "not a HubSpot export: no Recipient/Email column with Sent At, Bounce, Not Sent Reason, "
                "Portal Bounce or Global Bounce",
                line=1,
            )
        table = RECIPIENT_COLUMNS if kind == "recipients" else LIST_COLUMNS
        columns = _columns(names, table)
        mapped = set(columns.values())
        extras = [(header[i].strip(), i) for i in range(len(header)) if i not in mapped and header[i].strip()]
        convert = _recipient_row if kind == "recipients" else _list_row
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Reject(start, f"unreadable CSV: {exc}")
                continue
            for number in capped.overlong():
                yield Reject(number, overlong_reject_text())
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                yield Reject(start, f"{len(row)} fields where the header has {len(header)}", ",".join(row)[:2000])
                continue
            cells = _Row(row, columns, tz)
            raw = {name: row[i] for name, i in extras if i < len(row) and row[i].strip()}
            try:
                yield from convert(cells, raw, options, fallback, start)
            except (_RowError, jr.RecordError) as exc:
                yield Reject(start, str(exc), ",".join(row)[:2000])


def _columns(names: list[str], table: dict[str, tuple[str, ...]]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for field, aliases in table.items():
        for alias in aliases:
            if alias in names and names.index(alias) not in columns.values():
                columns[field] = names.index(alias)
                break
    return columns


class _Row:
    def __init__(self, row: list[str], columns: dict[str, int], tz: tzinfo):
        self.row = row
        self.columns = columns
        self.tz = tz

    def text(self, field: str) -> str:
        index = self.columns.get(field)
        if index is None or index >= len(self.row):
            return ""
        return self.row[index].strip()

    def mark(self, field: str) -> tuple[bool, str | None, str | None]:
        """(set?, its time if it holds one, its text if it holds other words)."""
        value = self.text(field)
        word = value.lower()
        if word in FALSE_WORDS:
            return False, None, None
        if word in TRUE_WORDS:
            return True, None, None
        try:
            return True, _time(value, self.tz), None
        except ValueError:
            return True, None, value

    def when(self, field: str) -> str | None:
        value = self.text(field)
        if not value or value.lower() in FALSE_WORDS or value.lower() in TRUE_WORDS:
            return None
        try:
            return _time(value, self.tz)
        except ValueError:
            raise _RowError(f"{field.replace('_', ' ')}: not a time: {value[:40]!r}") from None


def _time(value: str, tz: tzinfo) -> str:
    try:
        return parse_timestamp(value, tz)
    except ValueError:
        pass
    # Only date-like words go to the lenient parser ("5.1.1" is not 1 May 2001).
    if not (_YEAR.search(value) or _CLOCK.search(value)):
        raise ValueError(f"not a time: {value[:40]!r}")
    try:
        moment = dateparser.parse(value)
    except (ValueError, OverflowError):
        raise ValueError(f"not a time: {value[:40]!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return plausible(moment)


# HubSpot's bounce categories, and the reason each one names. HubSpot has already read the
# remote reply, so when it gives a category and no reply text, its category decides.
CATEGORY_REASONS = {
    "unknown user": "userunknown",
    "invalid recipient": "userunknown",
    "invalid address": "userunknown",
    "mailbox full": "mailboxfull",
    "content": "contenterror",
    "spam": "spamdetected",
    "policy": "policyviolation",
    "dns failure": "hostunknown",
    "timeout": "networkerror",
    "throttled": "speeding",
    "blocked": "blocked",
}


def category_reason(category: str | None) -> tuple[str, str] | None:
    """The reason HubSpot's category names, and the rule that says so (``None``: no known category)."""
    reason = CATEGORY_REASONS.get(_key(category)) if category else None
    if reason is None:
        return None
    return reason, f"HubSpot category {category!r}"


def category_verdict(category: str | None, provider_type: str | None) -> Verdict | None:
    """The verdict on a bounce of this category, with HubSpot's own (``None``: no known category)."""
    named = category_reason(category)
    if named is None:
        return None
    reason, rule = named
    return decide("bounce", reason=reason, rule=rule, provider_type=provider_type)


def _category_verdict(category: str) -> str | None:
    """HubSpot's own verdict from its bounce category: an unknown user is permanent."""
    return "hard" if category and _PERMANENT_CATEGORY.search(category) else None


def not_sent_reason(text: str) -> str:
    word = _key(text).upper().replace(" ", "_")
    if "GLOBAL" in word and "BOUNCE" in word:
        return "GLOBALLY_BOUNCED"
    if "BOUNCE" in word:
        return "PREVIOUSLY_BOUNCED"
    if "INVALID" in word:
        return "INVALID_ADDRESS"
    if "DUPLICATE" in word:
        return "DUPLICATE"
    return "SUPPRESSED"


def _recipient_row(cells: _Row, raw: dict, options, fallback: str, line: int) -> Iterator[Event]:
    recipient = jr.address(cells.text("recipient"), "Recipient")
    email_name = cells.text("email_name") or None
    email_id = cells.text("email_id") or options.email_id or email_name
    sent_at = cells.when("sent")

    def event(kind: str, when: str | None, **fields) -> Event:
        return Event(
            recipient=recipient,
            event=kind,
            timestamp=when or sent_at or fallback,
            dated=bool(when or sent_at),
            email_id=email_id,
            email_name=email_name,
            line=line,
            raw=json.dumps(raw, ensure_ascii=False) if raw else None,
            **fields,
        )

    reason_text = cells.text("not_sent_reason")
    if reason_text and reason_text.lower() not in FALSE_WORDS:
        yield event("not_sent", None, not_sent_reason=not_sent_reason(reason_text))
    elif sent_at or cells.mark("sent")[0]:
        yield event("sent", sent_at)
    for field, kind in (("delivered", "delivered"), ("deferred", "deferred")):
        happened, when, _words = cells.mark(field)
        if happened:
            yield event(kind, when, provider_type="soft" if kind == "deferred" else None)
    happened, when, words = cells.mark("bounce")
    category = cells.text("bounce_reason")
    response = cells.text("bounce_response")
    if happened or category or response:
        type_word = cells.text("bounce_type").lower()
        if type_word and type_word not in BOUNCE_TYPES:
            raise _RowError(f"unknown Bounce Type {type_word[:40]!r}")
        diagnostic = response or words or (category.replace("_", " ") if category else None)
        provider_type = BOUNCE_TYPES.get(type_word) or _category_verdict(category)
        bounce = event(
            "bounce",
            when,
            provider_type=provider_type,
            diagnostic=diagnostic or None,
            smtp_code=reply_code(response),
            enhanced_status=status_in(response),
        )
        verdict = None if response else category_verdict(category, provider_type)
        if verdict is not None:
            bounce.reason, bounce.bounce_type, bounce.rule = verdict.reason, verdict.bounce_type, verdict.rule
        if category:
            bounce.raw = json.dumps({**raw, "Bounce Reason": category}, ensure_ascii=False)
        yield bounce
    for field, kind in (
        ("opened", "open"),
        ("clicked", "click"),
        ("unsubscribed", "unsubscribe"),
        ("spam", "complaint"),
    ):
        happened, when, _words = cells.mark(field)
        if happened:
            yield event(kind, when)


def _list_row(cells: _Row, raw: dict, options, fallback: str, line: int) -> Iterator[Event]:
    recipient = jr.address(cells.text("recipient"), "Email")
    when = cells.when("date")

    def event(kind: str, **fields) -> Event:
        return Event(
            recipient=recipient,
            event=kind,
            timestamp=when or fallback,
            dated=when is not None,
            email_id=options.email_id,
            line=line,
            raw=json.dumps(raw, ensure_ascii=False) if raw else None,
            **fields,
        )

    global_bounce, _time_g, global_words = cells.mark("global_bounce")
    portal_bounce, _time_p, portal_words = cells.mark("portal_bounce")
    if global_bounce or portal_bounce:
        diagnostic = portal_words or global_words
        bounce = event(
            "bounce",
            provider_type="hard",
            is_global=global_bounce,
            diagnostic=diagnostic,
            smtp_code=reply_code(diagnostic),
            enhanced_status=status_in(diagnostic),
        )
        # A cell that names one of HubSpot's bounce categories (``Unknown user``) is HubSpot's
        # reading of the reply: its category decides the reason, as in the recipients export.
        verdict = None if bounce.smtp_code else category_verdict(diagnostic, "hard")
        if verdict is not None:
            bounce.reason, bounce.bounce_type, bounce.rule = verdict.reason, verdict.bounce_type, verdict.rule
        yield bounce
    if cells.mark("unsubscribe")[0]:
        yield event("unsubscribe")
    else:
        # A subscription type marked true: the contact opted out of that type of email only.
        for name, value in raw.items():
            if isinstance(value, str) and value.strip().lower() in TRUE_WORDS:
                yield event("unsubscribe", group=name)
    if cells.mark("spam")[0]:
        yield event("complaint")


FORMAT = Format(
    name="hubspot",
    description="HubSpot exports: an email's recipients, or unsubscribes and bounces (CSV)",
    sniff=sniff,
    parse=parse,
)
