"""The JSON provider formats (SES, SendGrid, Mailgun, Postmark) read as blocks of columns.

Each record is read in one pass into the columns of its block (:class:`EventColumns`): a record
of the shapes most common in a provider's logs (a send, a delivery, an open) by the provider's
own ``columns`` function, which reads each distinct time and address once per import
(:class:`Distinct`) and makes no object per event; any other record (a bounce of several
recipients, one in an envelope, one that is refused) by the provider's reader of records
(:mod:`bouncectl.sources.jsonrecords` and the provider's module), whose events are then added to
the columns. Either way, the same events, the same rejects with the same line or record number,
the same skipped records. What is handed on is a block of events as columns
(:class:`bouncectl.sources.csvcolumns.Block`), which the import classifies once per distinct
report, keys, stores and folds by columns, as it does the canonical CSV's.

Besides the canonical columns a block holds what a provider may say and the CSV cannot: the remote
host that answered (the classifier reads a provider's codes by it, ``remote_host``) and a verdict
the source gives itself (``reason``, ``bounce_type`` and ``rule``, as Mailgun's given-up retries).
Every event of these formats is dated (each names its time, or is refused).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from bouncectl.ledger.columns import frame_of
from bouncectl.model import Event, ImportOptions, Reject, Skipped
from bouncectl.sources import jsonrecords as jr
from bouncectl.sources.csvcolumns import COLUMNS, Block
from bouncectl.sources.source import Source

EVENTS_PER_BLOCK = 10_000  # events handed on at a time
TEXT_PER_BLOCK = 16 * 1024 * 1024  # or fewer, when their texts (raw fields, replies) are long
REJECTS_PER_BLOCK = 10_000  # a file of bad records is not held whole either

# The columns of a provider's block: the canonical ones, then what only a provider says.
PROVIDER_COLUMNS = (*COLUMNS, "remote_host", "reason", "bounce_type", "rule")

# The columns nearly every event fills, in the order of :meth:`EventColumns.add`; the others are
# empty in most events (a bounce's codes, an unsubscribe's group) and kept by row.
MAIN = ("recipient", "event", "timestamp", "email_id", "email_name", "message_id", "raw", "line")
SPARSE = tuple(name for name in PROVIDER_COLUMNS if name not in MAIN)
# The field of an Event each column holds (an unsubscribe's list is its group).
_FIELD = {name: "group" if name == "list_group" else name for name in PROVIDER_COLUMNS}
_INTEGERS = frozenset(("is_global", "line"))

# A provider's reading of one record into columns: True if it added the record's events, False if
# the record is to be read by the provider's reader of records instead (nothing added then).
Columns = Callable[[dict, ImportOptions, int, "EventColumns"], bool]


class Distinct:
    """Each distinct time and address of an import read once: what it reads as, kept (a bounded
    number of them); one refused is read again each time it comes (the reader raises its error)."""

    LIMIT = 1 << 16  # values kept of each kind, then forgotten all at once

    def __init__(self) -> None:
        self._times: dict[str, str] = {}
        self._seconds: dict[str, bool] = {}
        self._epochs: dict[int, str] = {}
        self._addresses: dict[str, str] = {}

    def time(self, value: Any) -> str:
        """:func:`jsonrecords.timestamp` of ``value`` (a text or a whole number, kept apart: 1 is
        not "1"), or its RecordError."""
        kind = type(value)
        if kind is str and len(value) >= 24 and value[-1] == "Z" and value[19] == "." and value[20:-1].isdigit():
            # UTC to the millisecond or finer, as SES and Postmark write it (each time its own):
            # its second read once (see jsonrecords.store_form_second), the fraction cut to
            # milliseconds, as jsonrecords.timestamp does.
            second = value[:19]
            possible = self._seconds.get(second)
            if possible is None:
                possible = self._seconds[second] = jr.store_form_second(second)
                if len(self._seconds) >= self.LIMIT:
                    self._seconds.clear()
            if possible and value[20:-1].isascii():
                return value if len(value) == 24 else f"{value[:23]}Z"
        seen = self._times if kind is str else self._epochs if kind is int else None
        if seen is None:
            return jr.timestamp(value)
        found = seen.get(value)
        if found is None:
            found = jr.timestamp(value)
            if len(seen) >= self.LIMIT:
                seen.clear()
            seen[value] = found
        return found

    def address_and_time(self, address: Any, time: Any) -> tuple[str, str] | None:
        """:meth:`address` and :meth:`time` of one event, or None when either is refused (the
        provider's reader of records then reads the record, and says why)."""
        try:
            return self.address(address), self.time(time)
        except jr.RecordError:
            return None

    def address(self, value: Any) -> str:
        """:func:`jsonrecords.address` of ``value``, or its RecordError."""
        if type(value) is not str:
            return jr.address(value)
        found = self._addresses.get(value)
        if found is None:
            found = jr.address(value)
            if len(self._addresses) >= self.LIMIT:
                self._addresses.clear()
            self._addresses[value] = found
        return found


class EventColumns:
    """The events of a block as they are read, column by column: for each event a row of the
    :data:`MAIN` columns, and the :data:`SPARSE` values that are not empty, by row."""

    def __init__(self, distinct: Distinct) -> None:
        self.distinct = distinct
        self.rows: list[tuple] = []
        self.sparse: dict[str, dict[int, Any]] = {name: {} for name in SPARSE}
        self.text = 0  # characters of the raw fields and replies held

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, recipient: str, event: str, timestamp: str, email_id: str, email_name: str, message_id: str,
            raw: str, line: int) -> int:
        """One event's main columns ("" for what is not there, ``message_id`` as its column holds
        it); its row, for the sparse values it has."""
        self.rows.append((recipient, event, timestamp, email_id, email_name, message_id, raw, line))
        if raw:
            self.text += len(raw)
        return len(self.rows) - 1

    def add_event(self, event: Event) -> None:
        """An event read by a provider's reader of records."""
        if not event.dated:  # none of these formats makes one: the block path stores every event dated
            raise ValueError(f"an undated event in a block of columns (line {event.line})")
        row = self.add(event.recipient or "", event.event or "", event.timestamp or "", event.email_id or "",
                       event.email_name or "", jr.message_id_column(event.message_id), event.raw or "",
                       event.line or 0)
        if event.diagnostic:
            self.text += len(event.diagnostic)
        for name in SPARSE:
            value = getattr(event, _FIELD[name])
            if value:
                self.sparse[name][row] = int(value) if name == "is_global" else value

    def frame(self) -> pd.DataFrame:
        """The events as the columns of a block, in :data:`PROVIDER_COLUMNS` order."""
        count = len(self.rows)
        main = dict(zip(MAIN, zip(*self.rows, strict=True), strict=True))
        columns: dict[str, Any] = {}
        for name in PROVIDER_COLUMNS:
            if name in main:
                values = main[name]
                columns[name] = np.asarray(values, dtype=np.int64) if name in _INTEGERS else _objects(values)
                continue
            given = self.sparse[name]
            column = np.zeros(count, dtype=np.int64) if name in _INTEGERS else np.full(count, "", dtype=object)
            if given:
                column[np.fromiter(given.keys(), dtype=np.int64, count=len(given))] = list(given.values())
            columns[name] = column
        return frame_of(columns)


def _objects(values: tuple) -> np.ndarray:
    column = np.empty(len(values), dtype=object)
    column[:] = values
    return column


def read_blocks(
    parse: Callable[[Source, ImportOptions], Iterator], source: Source, options: ImportOptions,
    convert: jr.Convert | None = None, list_keys: Iterable[str] = (), columns: Columns | None = None,
) -> Iterator[Block]:
    """The records of the input, a block of events (and their rejects) at a time: each read by
    ``columns`` where it takes it, else by ``convert`` (as ``parse`` reads them all)."""
    block = _Filling(EventColumns(Distinct()))
    if convert is None or columns is None:
        return _blocks_of(parse(source, options), source, block)
    return _blocks_of(_read(source, options, convert, tuple(list_keys), columns, block), source, block)


class _Filling:
    """The columns of the block being read."""

    def __init__(self, out: EventColumns) -> None:
        self.out = out


def _read(source: Source, options: ImportOptions, convert: jr.Convert, list_keys: tuple[str, ...],
          columns: Columns, block: _Filling) -> Iterator[Event | Reject | Skipped | None]:
    """The input's events, rejects and records skipped, as ``parse`` gives them; None for a
    record whose events ``columns`` added to the block being filled."""
    for record in jr.read_records(source, list_keys):
        if isinstance(record, Reject):
            yield record
        elif type(record.data) is dict and columns(record.data, options, record.line, block.out):
            yield None
        else:
            yield from jr.converted(record, options, convert)


def _blocks_of(records: Iterator, source: Source, block: _Filling) -> Iterator[Block]:
    """Blocks of at most EVENTS_PER_BLOCK events, TEXT_PER_BLOCK characters of their raw fields and
    replies, or REJECTS_PER_BLOCK rejects (memory stays bounded whatever the input); the last block,
    perhaps empty, always comes."""
    out = block.out
    rejects: list[Reject] = []
    skipped, skipped_what = 0, None
    events, text, most_rejects = EVENTS_PER_BLOCK, TEXT_PER_BLOCK, REJECTS_PER_BLOCK
    for record in records:
        if record is None or not isinstance(record, (Skipped, Reject)):
            if record is not None:
                out.add_event(record)
            if len(out.rows) < events and out.text < text:
                continue
        elif isinstance(record, Skipped):
            skipped += 1
            skipped_what = skipped_what or record.what
            continue
        else:
            rejects.append(record)
            if len(rejects) < most_rejects:
                continue
        yield _block(out, rejects, source, skipped, skipped_what)
        out = block.out = EventColumns(out.distinct)
        rejects, skipped = [], 0
    yield _block(out, rejects, source, skipped, skipped_what)


def _block(out: EventColumns, rejects: list[Reject], source: Source, skipped: int, skipped_what: str | None) -> Block:
    frame = out.frame() if out.rows else None
    return Block(frame, rejects, len(out.rows) + len(rejects), source.position(), skipped=skipped,
                 skipped_what=skipped_what)
