"""The canonical CSV read as columns, a block of rows at a time, by pandas' C reader.

Each distinct value of a column is checked and read once (an address, a time, an event word),
by the same functions the row reader uses (:mod:`bouncectl.sources.csvlog`), and every row keeps
its line number. A block the C reader cannot number line by line (a quoted field holding a line
break, a row with more fields than the header, a quote left open) is read by the row reader,
which numbers every line and explains every bad row; so is the rest of an input whose lines
outgrow a block. A bad row's reject is the row reader's own: the same one line, with its number.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import BinaryIO, cast

import numpy as np
import pandas as pd

from bouncectl.addresses import MAX_LENGTH as MAX_ADDRESS
from bouncectl.errors import InputError
from bouncectl.ledger.columns import frame_of
from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources import csvlog
from bouncectl.sources.source import MAX_LINE, Source

BLOCK = 1024 * 1024  # bytes read at a time: about ten thousand rows
MAX_BLOCK = BLOCK + 2 * MAX_LINE  # a block never grows past this (a quote left open, very long lines)
# pandas' own reader: pyarrow is not a dependency, and its engine for read_csv takes no chunksize
# nor every option the blocks need (a row for each line, blank ones too).
ENGINE = "c"

# The columns of a block of events, as :mod:`bouncectl.ledger.columns` takes them ("" for NULL).
COLUMNS = (
    "recipient", "event", "timestamp", "email_id", "email_name", "smtp_code", "enhanced_status", "diagnostic",
    "provider_type", "is_global", "not_sent_reason", "message_id", "list_group", "raw", "line",
)
# The field of an Event each column holds (an unsubscribe's list is its group).
_EVENT_FIELDS = tuple("group" if name == "list_group" else name for name in COLUMNS)


@dataclass
class Block:
    """What a block of the input gives: its events as columns (None: none), events read row by row
    (in order, after those), the rows rejected, how many records were read and how far into the file,
    and the records recognised and not imported (see :class:`bouncectl.model.Skipped`): how many,
    and what the first was."""

    frame: pd.DataFrame | None
    rejects: list[Reject]
    rows_read: int
    position: int
    events: list[Event] = field(default_factory=list)
    skipped: int = 0
    skipped_what: str | None = None


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="bouncectl-latin1")


def _line_breaks(data: bytes) -> int:
    if b"\r" not in data:  # a search for a byte is much faster than a count
        return data.count(b"\n")
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def _last_break(data: bytes, stop: int) -> int:
    """Where the last line break before ``stop`` ends (-1: none). A CR at the very end of the data
    may be the first half of a CRLF still unread: not taken."""
    newline = data.rfind(b"\n", 0, stop)
    cr = data.rfind(b"\r", 0, min(stop, len(data) - 1))
    if cr > newline and data[cr + 1 : cr + 2] != b"\n":
        return cr
    return newline


def _cut(data: bytes) -> int:
    """Where to end a block: just past the last line break outside quotes (0: none)."""
    end = _last_break(data, len(data))
    if end < 0:
        return 0
    quotes = data.count(b'"', 0, end) if data.find(b'"', 0, end) >= 0 else 0
    while quotes % 2:
        start = end - 1 if data[end] == 10 and data[end - 1 : end] == b"\r" else end  # a CRLF: its CR
        before = _last_break(data, start)
        if before < 0:
            return 0
        quotes -= data.count(b'"', before, end)
        end = before
    return end + 1


_FIRST_BREAK = re.compile(rb"\r\n|\r|\n")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class _Rest(io.RawIOBase):
    """The bytes already read, then the rest of the stream: what the row reader reads on."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self._head = memoryview(head)
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


RECORDS_PER_BLOCK = 10_000  # records of the row reader handed on at a time


def _record_blocks(records, source: Source) -> Iterator[Block]:
    """Records read by the row reader from here to the end of the input, as blocks of
    RECORDS_PER_BLOCK (a long input read this way is not held whole either)."""
    taken: list = []
    for record in records:
        taken.append(record)
        if len(taken) >= RECORDS_PER_BLOCK:
            yield _records_part(taken, source.position())
            taken = []
    yield _records_part(taken, source.position())


def _rest_by_rows(reader: csvlog._RowReader, data: bytes, stream: BinaryIO, line: int, source: Source) -> Iterator[Block]:
    """The bytes read from line ``line`` on, then the rest of the stream, read by the row reader."""
    text = io.TextIOWrapper(io.BufferedReader(_Rest(data, stream)), encoding="utf-8", errors="bouncectl-latin1",
                            newline="")
    yield from _record_blocks(csvlog.records_of(reader, text, line), source)


def _records_part(records, position: int) -> Block:
    """Records read by the row reader, as a block."""
    events: list[Event] = []
    rejects: list[Reject] = []
    for record in records:
        (events if isinstance(record, Event) else rejects).append(record)
    return Block(None, rejects, len(events) + len(rejects), position, events)


def read_blocks(source: Source, options: ImportOptions) -> Iterator[Block]:
    """The input's events and rejects, a block at a time."""
    with source.open_binary() as stream:
        data = b""
        ended = False
        while not ended and not _FIRST_BREAK.search(data, 0, max(0, len(data) - 1)) and len(data) <= MAX_BLOCK:
            more = stream.read(BLOCK)
            ended = not more
            data += more
        first_break = _FIRST_BREAK.search(data)
        header_end = first_break.end() if first_break else len(data)
        if not data.strip() or data.count(b'"', 0, header_end) % 2:
            # Nothing to read, or a header the row reader must read (a quoted name with a line break).
            yield from _record_blocks(csvlog.parse(source, options), source)
            return
        try:
            header = next(csv.reader([_decode(data[:header_end]).rstrip("\r\n")]))
        except csv.Error as exc:
            raise InputError(source.name, f"not a CSV file: {exc}", line=1) from None
        reader = csvlog.row_reader(source, header, options)
        data = data[header_end:]
        line = 2
        while True:
            cut = len(data) if ended else _cut(data)
            if not cut and not ended:
                if len(data) > MAX_BLOCK:
                    # No line ends outside quotes within a block: the row reader reads the rest.
                    yield from _rest_by_rows(reader, data, cast(BinaryIO, stream), line, source)
                    return
                more = stream.read(BLOCK)
                ended = not more
                data += more
                continue
            block, data = data[:cut], data[cut:]
            if block:
                lines = _line_breaks(block) + (0 if block.endswith((b"\n", b"\r")) else 1)
                part = _block(reader, block, line, lines, source.position())
                if part is None:
                    # Not one row a line: the row reader reads the block, and on past its end to
                    # where a record ends. (The block ends outside quotes by its count of quotes,
                    # but a quote in the middle of a field is a character, not a quote: a record
                    # may run on past the block's end.)
                    records, line, data, ended = _rows_through(reader, block + data, stream, ended, line,
                                                               line + lines, len(block) + MAX_BLOCK)
                    if records is None:  # no record ends within a block's reach: the rest by rows
                        yield from _rest_by_rows(reader, data, cast(BinaryIO, stream), line, source)
                        return
                    yield _records_part(records, source.position())
                else:
                    yield part
                    line += lines
            if ended and not data:
                return
            if not ended:
                more = stream.read(BLOCK)
                ended = not more
                data += more


def _rows_through(reader: csvlog._RowReader, data: bytes, stream: BinaryIO, ended: bool, line: int, stop_at: int,
                  reach: int) -> tuple[list | None, int, bytes, bool]:
    """The records the row reader reads from the start of ``data`` (line ``line``) to the end of
    the first record that ends on line ``stop_at - 1`` or after it, reading more of the stream if
    a record runs past the bytes read: the records, the line and the bytes that follow, and
    whether the stream has ended. If no record ends within ``reach`` bytes, no records, and the
    bytes read from the start of ``data``."""
    while True:
        while data.endswith(b"\r") and not ended:  # the CR of a CRLF whose LF is still unread
            more = stream.read(BLOCK)
            ended, data = not more, data + more
        records: list = []
        found = csvlog.records_until(reader, io.StringIO(_decode(data), newline=""), line, stop_at)
        while True:
            try:
                records.append(next(found))
            except StopIteration as stop:
                last = stop.value
                break
        if last is not None:
            return records, last + 1, data[_after_lines(data, last + 1 - line):], ended
        if ended:
            return records, line, b"", True
        if len(data) > reach:
            return None, line, data, ended
        more = stream.read(BLOCK)
        ended, data = not more, data + more


def _after_lines(data: bytes, count: int) -> int:
    """Where the first ``count`` lines of ``data`` end (the last one may have no line break)."""
    if count <= 0:
        return 0
    for number, end_of_line in enumerate(_FIRST_BREAK.finditer(data), start=1):
        if number == count:
            return end_of_line.end()
    return len(data)


def _block(reader: csvlog._RowReader, block: bytes, line: int, lines: int, position: int) -> Block | None:
    """The block's rows, from ``line`` on (``lines`` lines), or None if the row reader must read it."""
    text = _decode(block)
    try:
        frame = pd.read_csv(
            io.StringIO(text), header=None, names=range(reader.width), dtype=object, na_filter=False,
            keep_default_na=False, skip_blank_lines=False, engine=ENGINE, on_bad_lines="skip",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        frame = None
    if frame is None or len(frame) != lines or not isinstance(frame.index, pd.RangeIndex):
        # Not one row a line (or a first row wider than the header, which pandas takes for an
        # index): the row reader reads it (see read_blocks).
        return None
    return _columns(reader, frame, text, line, position)


def _mapped(values: pd.Series, read, default=""):
    """``read`` of every distinct non-empty value (``default`` for an empty one), and which were
    refused. Only the rows with a value are looked at (most columns are empty in most rows)."""
    column = values.to_numpy(dtype=object)
    rows = np.flatnonzero(column.astype(bool))  # a cell is a text: empty or not
    out = np.full(len(column), default, dtype=object)
    bad = np.zeros(len(column), dtype=bool)
    if not len(rows):
        return out, bad
    every = len(rows) == len(column)
    codes, uniques = pd.factorize(column if every else column[rows])
    read_out = np.empty(len(uniques), dtype=object)
    refused = np.zeros(len(uniques), dtype=bool)
    for index, value in enumerate(uniques.tolist()):
        try:
            read_out[index] = read(value)
        except csvlog._RowError:
            read_out[index] = default
            refused[index] = True
    if every:
        return read_out[codes], refused[codes]
    out[rows], bad[rows] = read_out[codes], refused[codes]
    return out, bad


def _event_words(values: pd.Series, reader: csvlog._RowReader) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's event and the provider verdict its word carries ("" for none), read once per
    distinct word, and which were refused (an empty word too)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    kinds = np.full(len(uniques) + 1, "", dtype=object)
    providers = np.full(len(uniques) + 1, "", dtype=object)
    bad = np.ones(len(uniques) + 1, dtype=bool)
    for index, value in enumerate(uniques.tolist()):
        if value == "":
            continue
        try:
            kind, provider = reader.event_word(value)
        except csvlog._RowError:
            continue
        kinds[index], providers[index], bad[index] = kind, provider or "", False
    return kinds[codes], providers[codes], bad[codes]


# An ASCII address already in its normal form (trimmed, lowercase, no angle brackets around it, no
# space or control character, a local part and a domain): address_of gives it back unchanged.
_NORMAL_ASCII_ADDRESS = re.compile(r"(?!<)[\x21-\x40\x5b-\x7e]+@[\x21-\x3f\x5b-\x7e]+")
# A line of text that is not such an address (the distinct values of a block, one a line: no
# value of a block read by columns holds a line break).
_OTHER_LINE = re.compile(rf"^(?!{_NORMAL_ASCII_ADDRESS.pattern}$).*$", re.MULTILINE)


def _addresses(values: pd.Series, reader: csvlog._RowReader) -> tuple[np.ndarray, np.ndarray]:
    """The recipients' normal forms (None where refused), and which were refused: an address
    already in normal form is taken as it is, any other read by the row reader's check. The
    distinct values are matched all at once, as the lines of one text."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    texts = uniques.tolist()
    out = np.empty(len(texts) + 1, dtype=object)
    out[: len(texts)] = texts
    bad = np.zeros(len(texts) + 1, dtype=bool)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.cumsum(lengths + 1) - (lengths + 1)
    joined = "\n".join(texts)
    if joined.count("\n") == max(0, len(texts) - 1):
        others = [match.start() for match in _OTHER_LINE.finditer(joined)]
        check = set((np.searchsorted(starts, others, side="right") - 1).tolist()) if others else set()
        check.update(np.flatnonzero(lengths > MAX_ADDRESS).tolist())
    else:  # a value with a line break in it (not one the C reader gives): each checked
        check = set(range(len(texts)))
    for index in check:
        try:
            out[index] = reader.recipient(texts[index])
        except csvlog._RowError:
            out[index] = None
            bad[index] = True
    return out[codes], bad[codes]


def _strip(text: str) -> str:
    return text.strip()


def _message_id(text: str) -> str:
    return text.strip().strip("<>").strip()


def _columns(reader: csvlog._RowReader, frame: pd.DataFrame, text: str, line: int, position: int) -> Block:
    count = len(frame)
    lines = np.arange(line, line + count)
    empty = pd.Series([""] * count, dtype=object)
    fields = dict(zip(csvlog._FIELDS, reader.get([*range(reader.width), reader.width]), strict=True))

    def column(name: str) -> pd.Series:
        index = fields[name]
        return empty if index == reader.width else frame[index].reset_index(drop=True)

    # Blank lines (and lines of blanks alone) are not rows: the row reader leaves them out too.
    # Only the rows whose cells after the first are all empty are looked at (most have a second).
    blankish = np.arange(count)
    for field_index in range(1, reader.width):
        cells = frame[field_index].to_numpy(dtype=object)[blankish]
        blankish = blankish[~cells.astype(bool)]
        if not len(blankish):
            break
    skip = np.zeros(count, dtype=bool)
    if len(blankish):
        physical = _LINE_BREAK.split(text)  # the lines as the reader counts them (not str.splitlines's)
        firsts = frame[0].to_numpy(dtype=object)
        for blank in [at for at in blankish.tolist() if not firsts[at].strip()]:
            row = next(csv.reader([physical[blank]]), [])
            skip[blank] = not row or (len(row) == 1 and not row[0].strip())

    kinds, provider, event_bad = _event_words(column("event"), reader)
    recipients, bad = _addresses(column("recipient"), reader)
    bad |= event_bad | (recipients == None)  # empty or refused
    # One text object per distinct time, whichever block it is read in: a contact's fold, held
    # until the end of the import, then costs a pointer per time instead of a string.
    stamps, refused = _mapped(column("timestamp"), lambda text: sys.intern(reader.timestamp(text)), default=None)
    bad |= refused | (stamps == None)
    email_ids, refused = _mapped(column("email_id"), _strip)
    email_ids = np.where(email_ids == "", reader.options.email_id or "", email_ids)
    bad |= refused | (email_ids == "")
    types, refused = _mapped(column("bounce_type"), reader.bounce_word, default=None)
    bad |= refused
    provider = np.where(types == None, provider, types)
    provider = np.where(provider == None, "", provider)
    report = np.isin(kinds, ["bounce", "deferred"])
    bad |= (provider != "") & ~report
    codes, refused = _mapped(column("smtp_code"), reader.smtp_code)
    bad |= refused
    statuses, refused = _mapped(column("enhanced_status"), reader.status)
    bad |= refused
    global_words, refused = _mapped(column("global"), reader.global_word, default=False)
    bad |= refused
    not_sent, refused = _mapped(column("not_sent_reason"), reader.not_sent_reason)
    bad |= refused | ((not_sent != "") & (kinds != "not_sent"))
    groups, _ = _mapped(column("group"), _strip)
    bad |= (groups != "") & (kinds != "unsubscribe")
    diagnostics, _ = _mapped(column("diagnostic"), _strip)
    names, _ = _mapped(column("email_name"), _strip)
    message_ids, _ = _mapped(column("message_id"), _message_id)

    bad &= ~skip
    good = ~bad & ~skip
    rejects: list[Reject] = []
    late: list[Event] = []
    if bad.any():
        for index in np.flatnonzero(bad):
            row = [str(value) for value in frame.iloc[index].tolist()]
            try:
                late.append(reader.event(row, int(lines[index])))  # the row reader's word is final
            except csvlog._RowError as exc:
                rejects.append(Reject(int(lines[index]), str(exc), ",".join(row)[:2000]))
    raw = empty
    if reader.extras:
        cells = frame.to_numpy(dtype=object)
        raw = pd.Series([reader.raw([*row, ""]) or "" for row in cells], dtype=object)
    out = frame_of({
        "recipient": recipients, "event": kinds, "timestamp": stamps, "email_id": email_ids, "email_name": names,
        "smtp_code": codes, "enhanced_status": statuses, "diagnostic": diagnostics, "provider_type": provider,
        "is_global": global_words.astype(np.int64), "not_sent_reason": not_sent, "message_id": message_ids,
        "list_group": groups, "raw": raw.to_numpy(dtype=object), "line": lines,
    })
    if not good.all():
        out = out[good].reset_index(drop=True)
    return Block(out, rejects, int(good.sum()) + len(late) + len(rejects), position, late)


def events_frame(events: list[Event], extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """Events read one by one, as the columns of a block; then the events' fields named in
    ``extra`` ("" for one not there)."""
    frame = {}
    for name, attribute in zip((*COLUMNS, *extra), (*_EVENT_FIELDS, *extra), strict=True):
        values = map(attrgetter(attribute), events)  # a column at a time, read by one call per event
        if name == "is_global":
            frame[name] = np.asarray([int(value) for value in values], dtype=np.int64)
        elif name == "line":
            frame[name] = np.asarray([value or 0 for value in values], dtype=np.int64)
        elif name == "message_id":
            frame[name] = pd.Series([_message_id(value) if value else "" for value in values], dtype=object)
        else:
            frame[name] = pd.Series([value or "" for value in values], dtype=object)
    return pd.DataFrame(frame)
