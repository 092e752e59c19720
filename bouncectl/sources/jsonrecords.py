"""Shared reading for the provider formats: JSON records in, one at a time.

Providers hand over their events in three shapes, all read here without ever
holding the whole input in memory:

- JSON lines: one object (or one webhook batch, a JSON array) per line. Each
  line is parsed on its own, so a malformed line is one reject and the lines
  after it still import; the reject carries the line number.
- One JSON array (possibly gigabytes, possibly pretty-printed), or several
  concatenated: streamed element by element with ijson. A reject carries the
  element number (1-based) and says so, since a streamed array has no useful
  line numbers. A syntax error stops the stream: it is reported once, with
  the number of the element where reading stopped.
- One object: a single record (an SNS envelope, a webhook body) or an API
  page holding its records in a list (``items``, ``Bounces``...), whose
  elements are streamed the same way.

Also here: the small field helpers every provider needs (addresses, reply
codes in diagnostic text, the email id from tags, bounded raw fields).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from functools import lru_cache
from typing import Any, cast

import ijson
import msgspec

from bouncectl.addresses import AddressError, address_of
from bouncectl.errors import InputError
from bouncectl.model import Event, ImportOptions, Reject, Skipped
from bouncectl.sources.fields import ENHANCED_STATUS
from bouncectl.sources.source import Source, decode
from bouncectl.timeparse import format_utc, parse_timestamp

# A JSON line longer than this is rejected without being held in memory.
MAX_LINE = 16 * 1024 * 1024
# The raw text kept with a reject.
REJECT_RAW = 2000
# No provider nests its records this deep; deeper input is refused rather than followed.
MAX_DEPTH = 100
_BOM = b"\xef\xbb\xbf"
_OPENERS = ("{", "[")


_DECODER = msgspec.json.Decoder()
_ENCODER = msgspec.json.Encoder(order="sorted")


def loads(text: str) -> Any:
    """The value of one JSON text, as :func:`json.loads` reads it.

    msgspec decodes about twice as fast, integers of any size included; what it refuses (a
    syntax error, but also NaN and Infinity, a lone surrogate, a number out of a float's range,
    nesting past its limit) is read again by the standard decoder, which accepts the same values
    as before or raises the same error with the same message. A lone surrogate is read as U+FFFD.
    """
    try:
        return _DECODER.decode(text)
    except (msgspec.DecodeError, RecursionError):
        value = json.loads(text)
    return _without_surrogates(value) if _SURROGATE_ESCAPE.search(text) else value


# A surrogate written as an escape (RFC 8259 section 8.2: "\ud800" alone, half of a pair cut in two).
# The standard decoder reads a lone one as that code point, which is no text: SQLite, UTF-8 and
# every output refuse it. It is read as U+FFFD, the replacement character, as a UTF-8 decoder
# reads a malformed sequence (a pair is one character, as before).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: Any) -> Any:
    """``value`` with every lone surrogate in its texts (keys too) read as U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_surrogates(key): _without_surrogates(item) for key, item in value.items()}
    return value


class RecordError(ValueError):
    """One record (or one recipient in it) cannot be imported: becomes a Reject."""


@dataclass(slots=True)
class Record:
    """One JSON value from the input and where it came from."""

    line: int  # line number (JSON lines) or element/record number (streamed)
    where: str  # what a message adds to the line: "", "element 3", "element 12 of the JSON array"
    data: Any


# --- reading ----------------------------------------------------------------


def looks_like_json(head: bytes) -> bool:
    text = head.lstrip(_BOM).lstrip()
    return text[:1] in (b"{", b"[")


def read_records(source: Source, list_keys: Iterable[str] = ()) -> Iterator[Record | Reject]:
    """Every JSON value of ``source`` that should be a record, in order.

    Webhook batches (arrays) are flattened; a top-level object holding a list
    under one of ``list_keys`` is an API page, and its list's elements are
    the records.
    """
    head = source.head().removeprefix(_BOM)
    text = head.lstrip()
    if not text:
        return
    if text[:1] not in (b"{", b"["):
        raise InputError(
            source.name,
            "not JSON: the input does not start with { or [",
            line=1,
            hint="check --format, or leave it out to detect the format",
        )
    if _line_mode(head) if b"\n" in head.lstrip() else _whole_first_line(source):
        yield from _read_lines(source, tuple(list_keys))
    else:
        yield from _read_stream(source, tuple(list_keys))


def _whole_first_line(source: Source) -> bool:
    """Whether an input whose first line is longer than its head is JSON lines all the same.

    Webhook batches are often kept one POST a line, and a POST may be far longer than the head
    (SendGrid's reach 768 kB). The first line is read (at most MAX_LINE): JSON lines when it ends
    there and is one whole JSON value; else (one huge one-line document, or one that is broken)
    the input is streamed.
    """
    with _buffered(source.open_binary()) as stream:
        line = stream.readline(MAX_LINE + 1)
        while line and not line.strip():
            line = stream.readline(MAX_LINE + 1)
    if not line.endswith(b"\n"):
        return False
    try:
        loads(decode(line.removeprefix(_BOM)).strip())
    except (ValueError, RecursionError):
        return False
    return True


def _line_mode(head: bytes) -> bool:
    """Whether the input, whose head holds its first line whole, is JSON lines (else one
    streamed JSON document)."""
    stripped = head.lstrip()
    newline = stripped.find(b"\n")
    first = stripped[:newline].strip()
    try:
        loads(decode(first))
    except ValueError:
        # "{" or "[" alone, or a line ending in an opener or a comma: a
        # pretty-printed document. Anything else is a broken first record
        # of a JSON-lines file.
        return not (first.endswith((b"{", b"[", b",")) or first in (b"{", b"["))
    return True


def _buffered(stream):
    """A stream whose ``readline`` reads blocks (stdin spools lack ``peek``)."""
    return stream if hasattr(stream, "peek") else io.BufferedReader(stream)


# JSON lines are read through a buffer this large: the source's own reads (hashed as they go) then
# come a megabyte at a time, not a few kilobytes per line.
LINES_BUFFER = 1024 * 1024


def _read_lines(source: Source, list_keys: tuple[str, ...]) -> Iterator[Record | Reject]:
    with io.BufferedReader(cast(io.RawIOBase, source.open_binary()), buffer_size=LINES_BUFFER) as stream:
        number = 0
        while True:
            line = stream.readline(MAX_LINE + 1)
            if not line:
                return
            number += 1
            if len(line) > MAX_LINE and not line.endswith(b"\n"):
                # Skip the rest of an overlong line without keeping it.
                while True:
                    more = stream.readline(MAX_LINE)
                    if not more or more.endswith(b"\n"):
                        break
                yield Reject(number, f"line longer than {MAX_LINE // (1024 * 1024)} MB", None)
                continue
            if number == 1:
                line = line.removeprefix(_BOM)
            try:
                # The bytes as they are, when they are UTF-8 JSON: what the text decoded from them reads.
                value = _DECODER.decode(line)
            except (msgspec.DecodeError, RecursionError):
                pass
            else:
                yield from _flatten(value, number, list_keys)
                continue
            text = decode(line).strip()
            if not text:
                continue
            try:
                value = loads(text)
            except ValueError as exc:
                yield Reject(number, f"malformed JSON: {exc}", text[:REJECT_RAW])
                continue
            except RecursionError:
                yield Reject(number, "JSON nested too deeply", text[:REJECT_RAW])
                continue
            yield from _flatten(value, number, list_keys)


def _flatten(value: Any, line: int, list_keys: tuple[str, ...]) -> Iterable[Record]:
    """The records of one line's value (an object that is not a page is one, made without a generator)."""
    if type(value) is dict:
        for key in list_keys:
            if type(value.get(key)) is list:
                return _records(value, line, list_keys)  # a page
        return (Record(line, "", value),)  # one record, the most common line
    return _records(value, line, list_keys)


def _records(value: Any, line: int, list_keys: tuple[str, ...]) -> Iterator[Record]:
    if isinstance(value, list):
        for index, item in enumerate(value, 1):
            yield Record(line, f"element {index}", item)
        return
    if isinstance(value, dict):
        for key in list_keys:
            items = value.get(key)
            if isinstance(items, list):
                for index, item in enumerate(items, 1):
                    yield Record(line, f"element {index} of {key!r}", item)
                return
    yield Record(line, "", value)


class _SkipBom:
    """A binary stream with a leading UTF-8 byte-order mark removed."""

    def __init__(self, stream):
        self._stream = stream
        self._first = True

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        if self._first:
            self._first = False
            data = data.removeprefix(_BOM)
        return data


def _read_stream(source: Source, list_keys: tuple[str, ...]) -> Iterator[Record | Reject]:
    with source.open_binary() as raw:
        yield from _read_objects(_SkipBom(raw), list_keys)


class _TooDeep(ValueError):
    pass


def _read_objects(stream, list_keys: tuple[str, ...]) -> Iterator[Record | Reject]:  # noqa: C901
    """Top-level values: records, arrays of records, or pages whose list elements are records.

    Read with ijson's basic events (no path prefixes, whose size grows with the nesting), and
    a value nested deeper than MAX_DEPTH stops the reading with one reject.
    """
    events = ijson.basic_parse(stream, multiple_values=True, use_float=True)
    number = 0
    where = "record"
    try:
        for event, value in events:
            if event == "start_map":
                where = "record"
                top: dict[str, Any] = {}
                page_key = None
                key = None
                for event, value in events:
                    if event == "end_map":
                        break
                    if event == "map_key":
                        key = value
                        continue
                    if event == "start_array" and key in list_keys and page_key is None:
                        page_key = key
                        for index, item in enumerate(_array_items(events), 1):
                            number += 1
                            yield Record(number, f"element {index} of {key!r}", item)
                    else:
                        top[key] = _build(event, value, events)  # type: ignore[index]
                if page_key is None:
                    number += 1
                    yield Record(number, f"record {number}", top)
            elif event == "start_array":
                where = "element"
                for item in _array_items(events):
                    number += 1
                    yield Record(number, f"element {number} of the JSON array", item)
            else:
                number += 1
                yield Record(number, f"record {number}", value)
    except ijson.JSONError as exc:
        number += 1
        yield Reject(number, f"{_place(where, number)}: malformed JSON, reading stopped here: {exc}")
    except UnicodeDecodeError as exc:  # JSON is UTF-8 text (RFC 8259 section 8.1)
        number += 1
        yield Reject(number, f"{_place(where, number)}: not UTF-8 text, reading stopped here: {exc.reason}")
    except _TooDeep:
        number += 1
        yield Reject(number, f"{_place(where, number)}: nested more than {MAX_DEPTH} levels deep, reading stopped here")


def _place(where: str, number: int) -> str:
    return f"element {number} of the JSON array" if where == "element" else f"record {number}"


def _array_items(events) -> Iterator[Any]:
    for event, value in events:
        if event == "end_array":
            return
        yield _build(event, value, events)


def _build(first: str, first_value: Any, events) -> Any:
    """The whole value that starts with the event ``first``."""
    if first not in ("start_map", "start_array"):
        return first_value
    builder = ijson.ObjectBuilder()
    builder.event(first, first_value)
    depth = 1
    for event, value in events:
        builder.event(event, value)
        if event in ("start_map", "start_array"):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooDeep
        elif event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                break
    return builder.value


# --- one parse loop for every JSON provider -----------------------------------

Convert = Callable[[dict, ImportOptions, int], Iterable[Event | Reject | Skipped]]


def parse_records(
    source: Source, options: ImportOptions, convert: Convert, list_keys: Iterable[str] = ()
) -> Iterator[Event | Reject | Skipped]:
    """Read ``source`` and turn each record into events with ``convert``.

    ``convert`` raises :class:`RecordError` for a record it cannot use; that
    becomes a reject naming where the record was.
    """
    for record in read_records(source, list_keys):
        if isinstance(record, Reject):
            yield record
            continue
        yield from converted(record, options, convert)


def converted(record: Record, options: ImportOptions, convert: Convert) -> Iterator[Event | Reject | Skipped]:
    """What ``convert`` makes of one record: its events, and a reject naming where the record was
    for what it refuses (the record whole, or one recipient in it)."""
    data = record.data
    if not isinstance(data, dict):
        yield Reject(record.line, _where(record, "expected a JSON object"), _raw_text(data))
        return
    try:
        for item in convert(data, options, record.line):
            if isinstance(item, Reject):
                item.error = _where(record, item.error)
            yield item
    except RecordError as exc:
        yield Reject(record.line, _where(record, str(exc)), _raw_text(data))


def _where(record: Record, error: str) -> str:
    return f"{record.where}: {error}" if record.where else error


def _raw_text(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, default=str)[:REJECT_RAW]
    except RecursionError:
        return "(nested too deeply to show)"


# --- field helpers --------------------------------------------------------------

# Raw fields up to this size are kept as they are; larger ones are compacted.
RAW_SMALL = 4096


def address(value: Any, what: str = "recipient") -> str:
    """The normalized address in ``value`` (``Name <a@b>`` is accepted)."""
    if isinstance(value, str):
        try:
            found = _address(value)
        except AddressError as exc:
            raise RecordError(f"{what} {exc}") from None
        if found:
            return found
    raise RecordError(f"no {what}")


# Read once per distinct text among the latest thousand or so (an address recurs in the events of its
# contact, a provider's time in seconds in every event of that second): a few hundred kB, whatever
# the input's size. A refused one is read again each time it comes.
@lru_cache(maxsize=1024)
def _address(value: str) -> str:
    """The address in ``value`` ("" for none), or AddressError."""
    text = value.strip()
    if not text:
        return ""
    if "<" in text:
        text = parseaddr(text)[1] or text
    return address_of(text)


def timestamp(value: Any, what: str = "timestamp", tz=None) -> str:
    if type(value) is str:
        # UTC to the millisecond or finer, as SES and Postmark write it: the store's form (the
        # fraction cut to milliseconds, as parse_timestamp does), once its second is known possible.
        found = _UTC_FRACTION.fullmatch(value)
        if found and _possible_second(found[1]):
            return value if len(value) == 24 else f"{value[:23]}Z"
    elif type(value) is float and 0.0 <= value <= 1e11 and tz is None:
        # Unix seconds with a fraction, as Mailgun writes them (each event's its own): the moment as
        # parse_timestamp reads it, its text made here once its second is known possible.
        moment = datetime.fromtimestamp(value, UTC)
        second = _possible_epoch_second(moment.replace(microsecond=0))
        if second:
            return f"{second}.{moment.microsecond // 1000:03d}Z"
    if value is None or value == "":
        raise RecordError(f"no {what}")
    try:
        if type(value) in (str, int, float):
            return _time(value, tz)
        return parse_timestamp(value, tz) if tz is not None else parse_timestamp(value)
    except ValueError as exc:
        raise RecordError(f"{what}: {exc}") from None


@lru_cache(maxsize=512, typed=True)  # typed: 1 and 1.0 are kept apart
def _time(value: str | float, tz) -> str:
    return parse_timestamp(value, tz) if tz is not None else parse_timestamp(value)


# A UTC time with at least three fractional digits (ASCII digits only: the standard parser reads others too).
_UTC_FRACTION = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.\d{3,}Z", re.ASCII)


def store_form_second(second: str) -> bool:
    """Whether each time of ``second`` (``2026-01-05T09:00:02``) written in UTC with three ASCII
    digits of fraction or more (``2026-01-05T09:00:02.987Z``) is read by :func:`timestamp` in the
    store's form, its fraction cut to milliseconds."""
    return bool(_UTC_SECOND.fullmatch(second)) and _possible_second(second)


_UTC_SECOND = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", re.ASCII)


@lru_cache(maxsize=1024)
def _possible_second(second: str) -> bool:
    """Whether every time within ``second`` (``2026-01-05T09:00:02``) is one parse_timestamp accepts.

    Its first and last microsecond are: the times accepted are a range, and its end only moves
    later, so the answer stays true. A time in a second that is not (month 13, 1970, a year
    ahead, the edge of the range) is read by parse_timestamp itself, with its error.
    """
    try:
        return parse_timestamp(f"{second}.000Z") == f"{second}.000Z" and parse_timestamp(f"{second}.999999Z") == f"{second}.999Z"
    except ValueError:
        return False


@lru_cache(maxsize=1024)
def _possible_epoch_second(second: datetime) -> str:
    """The text of ``second`` (an aware UTC datetime, a whole second) if every moment within it is
    one parse_timestamp accepts, else "" (its first and last microsecond are: see _possible_second)."""
    try:
        first = parse_timestamp(second.timestamp())
        last = parse_timestamp((second + timedelta(microseconds=999_999)).timestamp())
    except ValueError:
        return ""
    text = format_utc(second)
    return text[:19] if first == text and last == f"{text[:20]}999Z" else ""


def status_code(value: Any) -> str | None:
    """``value`` if it is an enhanced status code (``5.1.1``), else None."""
    if isinstance(value, str) and ENHANCED_STATUS.fullmatch(value.strip()):
        return value.strip()
    return None


def smtp_code(value: Any) -> int | None:
    """``value`` as an SMTP reply code (200-599), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and 200 <= value <= 599:
        return value
    return None


def event_name(value: Any) -> str | None:
    """An event's type as the readers compare it (stripped, in lower case); None unless it is text."""
    return value.strip().lower() if type(value) is str else None


def text(value: Any) -> str | None:
    """A stripped non-empty string, else None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def first_text(value: Any) -> str | None:
    """A string, or the first usable string of a list."""
    if isinstance(value, list):
        for item in value:
            found = first_text(item) if isinstance(item, list) else text(item)
            if found:
                return found
        return None
    return text(value)


def lookup(mapping: Any, key: str) -> Any:
    """``mapping[key]`` with the key matched case-insensitively (None if absent)."""
    if not isinstance(mapping, dict) and not isinstance(mapping, Mapping):
        return None
    if key in mapping:
        return mapping[key]
    lowered = key.lower()
    for name, value in mapping.items():
        if isinstance(name, str) and name.lower() == lowered:
            return value
    return None


def message_id(value: Any) -> str | None:
    """A Message-ID in its usual ``<...>`` form."""
    found = first_text(value)
    if not found:
        return None
    found = found.strip()
    if not found.startswith("<"):
        found = f"<{found}>"
    return found


def message_id_column(value: str | None) -> str:
    """A Message-ID as the events' column holds it: without its angle brackets ("" for none)."""
    return value.strip().strip("<>").strip() if value else ""


def message_id_column_of(value: Any) -> str:
    """:func:`message_id_column` of :func:`message_id` of ``value`` (a text that is not blank, the
    common case, taken at once: the same)."""
    if type(value) is str and value.strip():
        return value.strip().strip("<>").strip()
    return message_id_column(message_id(value))


def compact(value: Any, max_text: int = 1000, max_items: int = 20, depth: int = 6) -> Any:
    """``value`` with long strings cut and long lists shortened, for raw fields."""
    if isinstance(value, str):
        return value if len(value) <= max_text else value[:max_text] + "..."
    if depth <= 0:
        return None
    if isinstance(value, Mapping):
        return {str(k): compact(v, max_text, max_items, depth - 1) for k, v in value.items()}
    if isinstance(value, list):
        items = [compact(v, max_text, max_items, depth - 1) for v in value[:max_items]]
        if len(value) > max_items:
            items.append(f"... {len(value) - max_items} more")
        return items
    return value


_EMPTY: tuple = (None, "", [], {})


def raw_json(fields: Mapping[str, Any], drop: Iterable[str] = ()) -> str | None:
    """The provider fields kept with an event, as bounded JSON text."""
    # Only a value that is false can be one of the empty ones (a JSON value equal to none of them is kept).
    if drop:
        dropped = drop if isinstance(drop, (set, frozenset)) else set(drop)
        kept = {k: v for k, v in fields.items() if (v or v not in _EMPTY) and k not in dropped}
    else:
        kept = {k: v for k, v in fields.items() if v or v not in _EMPTY}
    return raw_text(kept)


def raw_text(kept: dict) -> str | None:
    """:func:`raw_json` of fields none of whose values is empty (the work left once they are left out)."""
    if not kept:
        return None
    text = dumps(kept)
    if len(text) <= RAW_SMALL:
        return text
    return dumps(compact(kept))


def kept_value(value: Any) -> bool:
    """Whether :func:`raw_json` keeps ``value`` (it is not None, "", [] nor {})."""
    return bool(value) or value not in _EMPTY


def dumps(value: Any) -> str:
    """Compact JSON text of ``value``, keys sorted, non-ASCII text as it is.

    Written by msgspec (several times faster than the standard encoder); what it cannot write
    (a lone surrogate, a key that is not text, a value of a type JSON does not have) is written
    by the standard encoder with the same separators, an unknown value as its text, a lone
    surrogate as U+FFFD (no text can hold one: see :func:`loads`).
    """
    try:
        return _ENCODER.encode(value).decode()
    except (TypeError, ValueError):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
        return _SURROGATE.sub("\ufffd", text)
