"""The canonical CSV send log (SPEC section 5).

Columns (names case-insensitive, common aliases accepted): ``email_id``,
``recipient``, ``event``, ``timestamp`` and optionally ``bounce_type``,
``smtp_code``, ``enhanced_status``, ``diagnostic``, ``email_name``, ``global``.
Other columns are kept as the event's raw fields.
"""

from __future__ import annotations

import csv
import json
import operator
import re
from collections.abc import Generator, Iterator
from typing import IO

from bouncectl.addresses import AddressError, address_of
from bouncectl.errors import InputError
from bouncectl.model import EVENT_TYPES, NOT_SENT_REASONS, Event, ImportOptions, Reject
from bouncectl.sources.fields import ENHANCED_STATUS
from bouncectl.sources.format import Format, Records
from bouncectl.sources.source import MAX_LINE, CappedLines, Source, decode, overlong_reject_text
from bouncectl.timeparse import parse_timestamp, zone

csv.field_size_limit(MAX_LINE)

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
    "group": ("group", "unsubscribe_group", "list_group"),
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


def _header_key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def sniff(head: bytes, source: Source) -> bool:
    first = re.split(r"\r\n|\r|\n", decode(head).lstrip(), maxsplit=1)[0]  # rows may end in CR alone
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
    with source.open_text() as stream:
        capped = CappedLines(stream)
        lines = _Lines(capped)
        reader = csv.reader(lines)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(source.name, f"not a CSV file: {exc}", line=1) from None
        rows = row_reader(source, header, options)
        yield from _records(rows, capped, lines, reader)


def row_reader(source: Source, header: list[str], options: ImportOptions) -> _RowReader:
    """What reads the rows under this header (an InputError if the header cannot be read)."""
    columns, extras = _columns(source, header)
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
    return _RowReader(columns, extras, len(header), options, zone(options.tz))


def records_of(rows: _RowReader, stream: IO[str], first_line: int) -> Records:
    """The records of the rows in a text stream whose first line is line ``first_line`` of the input."""
    capped = CappedLines(stream)
    lines = _Lines(capped, first_line)
    yield from _records(rows, capped, lines, csv.reader(lines), first_line - 1)


def records_until(rows: _RowReader, stream: IO[str], first_line: int,
                  stop_at: int) -> Generator[Event | Reject, None, int | None]:
    """:func:`records_of`, ending at the first record that starts on line ``stop_at`` or after
    it, where a record of this input may start (no line of a record is left to read again).
    Returns the number of the last line read, or None if the stream ran out before."""
    capped = CappedLines(stream)
    lines = _Lines(capped, first_line)
    return (yield from _records(rows, capped, lines, csv.reader(lines), first_line - 1, stop_at))


def _records(rows: _RowReader, capped: CappedLines, lines: _Lines, reader, offset: int = 0,
             stop_at: int | None = None) -> Generator[Event | Reject, None, int | None]:
    while True:
        if stop_at is not None and lines.clear_from(stop_at):
            return lines.last
        lines.start_record()
        try:
            row = next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            yield Reject(lines.first_number, f"unreadable CSV: {exc}")
            continue
        for number in capped.overlong():
            yield Reject(number + offset, overlong_reject_text())
        start = lines.first_number
        if len(lines.taken) > 1 and (lines.ended or (_holds_rows(rows, lines.taken[:1])
                                                     and _holds_rows(rows, lines.taken[1:]))):
            # A quote opened on this line and never closed took in the rows after it:
            # keep this line as a reject and read the others again, each on its own. (A row
            # does not open a quote it never closes unless it is a row without it: a field
            # that starts with a line break, '"\r0",jane@...', is one row over two lines.)
            end = "the end of the input" if lines.ended else f"line {lines.taken[-1][0]}"
            yield Reject(start, f"unbalanced quote: the quoted field opened here runs to {end}",
                         lines.taken[0][1].rstrip("\r\n")[:2000])
            lines.again(lines.taken[1:])
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        try:
            yield rows.event(row, start)
        except _RowError as exc:
            yield Reject(start, str(exc), ",".join(row)[:2000])


def _columns(source: Source, header: list[str]) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Which column holds each field, and the other columns (kept as raw fields).

    A column named as the field itself (``recipient``) is preferred to an alias beside it
    (``email``, often the sender's address in such logs); the alias is then kept as a raw
    field. Two columns that both claim a field otherwise (two aliases, or one name twice)
    are refused: which of them is meant cannot be told.
    """
    claims: dict[str, list[int]] = {}
    extras: list[tuple[str, int]] = []
    for index, name in enumerate(header):
        field = _ALIAS_TO_FIELD.get(_header_key(name))
        if field:
            claims.setdefault(field, []).append(index)
        elif name.strip():
            extras.append((name.strip(), index))
    columns: dict[str, int] = {}
    for field, indexes in claims.items():
        canonical = [i for i in indexes if _header_key(header[i]) == field]
        if len(indexes) == 1 or len(canonical) == 1:
            chosen = indexes[0] if len(indexes) == 1 else canonical[0]
            columns[field] = chosen
            extras.extend((header[i].strip(), i) for i in indexes if i != chosen)
            continue
        names = ", ".join(repr(header[i].strip()) for i in indexes)
        raise InputError(
            source.name,
            f"columns {names} all name the {field} field",
            line=1,
            hint=f"rename or remove all but one (a column named {field} is taken before its aliases)",
        )
    extras.sort(key=operator.itemgetter(1))
    return columns, extras


class _Lines:
    """The physical lines under the CSV reader, numbered, so that a record can be read again line by line."""

    def __init__(self, stream, first: int = 1) -> None:
        self._stream = enumerate(stream, start=first)
        self._again: list[tuple[int, str]] = []  # lines to read again, last first
        self.taken: list[tuple[int, str]] = []  # the lines of the current record
        self.ended = False  # the input ran out inside the current record
        self._last = first - 1

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._again:
            item = self._again.pop()
        else:
            try:
                item = next(self._stream)
            except StopIteration:
                self.ended = bool(self.taken)
                raise
        self.taken.append(item)
        self._last = item[0]
        return item[1]

    def start_record(self) -> None:
        self.taken = []
        self.ended = False

    @property
    def first_number(self) -> int:
        return self.taken[0][0] if self.taken else self._last + 1

    @property
    def last(self) -> int:
        """The number of the last line read."""
        return self._last

    def clear_from(self, number: int) -> bool:
        """Whether every line before ``number`` is read and none is left to read again."""
        return not self._again and self._last + 1 >= number

    def again(self, lines: list[tuple[int, str]]) -> None:
        self._again.extend(reversed(lines))


def _holds_rows(rows: _RowReader, lines: list[tuple[int, str]]) -> bool:
    """Whether any of these continuation lines of a quoted field is, on its own, a whole valid row."""
    for number, text in lines:
        try:
            rows.event(next(csv.reader([text])), number)
        except (csv.Error, StopIteration, _RowError):
            continue
        return True
    return False


# Every field an event can take from a row, in the order _RowReader reads them.
_FIELDS = (
    "recipient", "event", "timestamp", "email_id", "bounce_type", "smtp_code", "enhanced_status",
    "diagnostic", "email_name", "global", "not_sent_reason", "message_id", "group",
)
_CACHE_LIMIT = 20_000  # recent values only: enough for the repeats of nearby rows, bounded memory


class _RowReader:
    """Turns rows into events. Repeated values (addresses, times) are checked once and remembered."""

    def __init__(self, columns: dict[str, int], extras: list[tuple[str, int]], width: int, options, tz) -> None:
        self.width = width
        self.extras = extras
        self.options = options
        self.tz = tz
        # A missing column reads the empty cell appended after the row's last field.
        self.get = operator.itemgetter(*(columns.get(name, width) for name in _FIELDS))
        self.recipients: dict[str, str] = {}
        self.times: dict[str, str] = {}

    def recipient(self, text: str) -> str:
        known = self.recipients.get(text)
        if known is not None:
            return known
        if not text.strip():
            raise _RowError("empty recipient")
        try:
            recipient = address_of(text)
        except AddressError as exc:
            raise _RowError(f"recipient {exc}") from None
        if len(self.recipients) >= _CACHE_LIMIT:
            self.recipients.clear()
        self.recipients[text] = recipient
        return recipient

    def timestamp(self, text: str) -> str:
        known = self.times.get(text)
        if known is not None:
            return known
        try:
            stamp = parse_timestamp(text, self.tz)
        except ValueError as exc:
            raise _RowError(str(exc)) from None
        if len(self.times) >= _CACHE_LIMIT:
            self.times.clear()
        self.times[text] = stamp
        return stamp

    # Each field read on its own, by one method: rows (:meth:`event`) and columns of distinct
    # values (:mod:`bouncectl.sources.csvcolumns`) read them alike. Each raises _RowError.

    @staticmethod
    def event_word(word: str) -> tuple[str, str | None]:
        """The event and the provider verdict it carries."""
        word = word.strip().lower()
        known = EVENT_WORDS.get(word)
        if known is None:
            word = word.replace(" ", "_")
            known = EVENT_WORDS.get(word)
            if known is None:
                raise _RowError(f"unknown event {word[:40]!r}")
        return known

    @staticmethod
    def bounce_word(word: str) -> str | None:
        """The bounce type a non-empty ``bounce_type`` cell gives (None: it leaves the event's)."""
        word = word.strip().lower()
        if word not in BOUNCE_TYPE_WORDS:
            raise _RowError(f"unknown bounce_type {word[:40]!r}")
        return BOUNCE_TYPE_WORDS[word]

    @staticmethod
    def smtp_code(text: str) -> int:
        text = text.strip()
        if not (text.isdigit() and 200 <= int(text) <= 599):
            raise _RowError(f"smtp_code {text[:20]!r} is not an SMTP reply code")
        return int(text)

    @staticmethod
    def status(text: str) -> str:
        text = text.strip()
        if not ENHANCED_STATUS.fullmatch(text):
            raise _RowError(f"enhanced_status {text[:20]!r} is not an RFC 3463 code")
        return text

    @staticmethod
    def global_word(word: str) -> bool:
        word = word.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word not in FALSE_WORDS:
            raise _RowError(f"global {word[:20]!r} is not true or false")
        return False

    @staticmethod
    def not_sent_reason(text: str) -> str:
        text = text.strip().upper()
        if text not in NOT_SENT_REASONS:
            raise _RowError(f"unknown not_sent_reason {text[:40]!r}")
        return text

    def raw(self, row: list[str]) -> str | None:
        """The other columns' non-empty cells, as a JSON text."""
        kept = {name: row[index] for name, index in self.extras if row[index] != ""}
        return json.dumps(kept, ensure_ascii=False) if kept else None

    def event(self, row: list[str], line: int) -> Event:
        if len(row) != self.width:
            if len(row) > self.width:
                raise _RowError(f"{len(row)} fields where the header has {self.width}")
            row.extend([""] * (self.width - len(row)))
        row.append("")
        (recipient, word, stamp, email_id, bounce_word, code_text, status, diagnostic, email_name,
         global_word, not_sent_reason, message_id, group) = self.get(row)
        event, provider_type = self.event_word(word)
        recipient = self.recipient(recipient)
        timestamp = self.timestamp(stamp)
        email_id = email_id.strip() or self.options.email_id
        if not email_id:
            raise _RowError("empty email_id")
        if bounce_word:
            provider_type = self.bounce_word(bounce_word) or provider_type
        if provider_type and event not in ("bounce", "deferred"):
            raise _RowError(f"bounce_type given for a {event!r} event")
        smtp_code = self.smtp_code(code_text) if code_text else None
        if status:
            status = self.status(status)
        is_global = self.global_word(global_word) if global_word else False
        if not_sent_reason:
            not_sent_reason = self.not_sent_reason(not_sent_reason)
            if event != "not_sent":
                raise _RowError(f"not_sent_reason given for a {event!r} event")
        group = group.strip()
        if group and event != "unsubscribe":
            raise _RowError(f"group given for a {event!r} event")
        return Event(
            recipient=recipient,
            event=event,
            timestamp=timestamp,
            email_id=email_id,
            email_name=email_name.strip() or None,
            smtp_code=smtp_code,
            enhanced_status=status or None,
            diagnostic=diagnostic.strip() or None,
            provider_type=provider_type,
            is_global=is_global,
            not_sent_reason=not_sent_reason or None,
            message_id=message_id.strip() or None,
            group=group or None,
            line=line,
            raw=self.raw(row) if self.extras else None,
        )


def blocks(source: Source, options: ImportOptions) -> Iterator:
    """The input as blocks of columns (see :mod:`bouncectl.sources.csvcolumns`, loaded when used)."""
    from bouncectl.sources.csvcolumns import read_blocks

    return read_blocks(source, options)


FORMAT = Format(
    name="csv",
    description="canonical CSV send log: email_id, recipient, event, timestamp, ...",
    sniff=sniff,
    parse=parse,
    blocks=blocks,
)
