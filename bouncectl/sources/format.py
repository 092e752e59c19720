"""What a format module defines: its :class:`Format`, whose ``parse`` yields :data:`Records`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bouncectl.model import Event, ImportOptions, Reject, Skipped
from bouncectl.sources.source import Source

Records = Iterator[Event | Reject | Skipped]


@dataclass(frozen=True)
class Format:
    """A format: its name, a ``sniff(head, source)`` that tells from the first bytes (and the
    source, for folders) whether the input is in it, and a streaming ``parse(source, options)``."""

    name: str
    description: str
    sniff: Callable[[bytes, Source], bool]
    parse: Callable[[Source, ImportOptions], Records]
    # A reader of the input as blocks of columns (see :mod:`bouncectl.sources.csvcolumns`), where the
    # format has one: the import then stores and folds its events a block at a time, by columns.
    blocks: Callable[[Source, ImportOptions], Iterator] | None = None


@dataclass
class RecordBatch:
    """A batch of an input's records: its events, the rows rejected on the way, how many records
    were read, how far into the file, and the records skipped (not to import) and what they were."""

    events: list[Event] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    rows_read: int = 0
    position: int = 0
    skipped: int = 0
    skipped_what: str | None = None


def record_batches(records: Records, position: Callable[[], int], events: int, text: int,
                   rejects: int) -> Iterator[RecordBatch]:
    """The records in batches of at most ``events`` events, ``text`` characters of their raw fields
    and replies, or ``rejects`` rejects (memory stays bounded whatever the input); the last batch,
    perhaps empty, always comes."""
    batch = RecordBatch()
    held, size = batch.events, 0
    for record in records:
        if type(record) is Event or not isinstance(record, (Skipped, Reject)):  # most records: an event
            held.append(record)
            if record.raw or record.diagnostic:
                size += len(record.raw or "") + len(record.diagnostic or "")
            if len(held) < events and size < text:
                continue  # (the rejects are under their bound: a batch goes as soon as they reach it)
        elif isinstance(record, Skipped):
            batch.skipped += 1
            batch.skipped_what = batch.skipped_what or record.what
            continue
        else:
            batch.rejects.append(record)
            if len(batch.rejects) < rejects:
                continue
        batch.rows_read = len(held) + len(batch.rejects)  # every event and reject is a record read
        batch.position = position()
        yield batch
        batch = RecordBatch(skipped_what=batch.skipped_what)
        held, size = batch.events, 0
    batch.rows_read = len(held) + len(batch.rejects)
    batch.position = position()
    yield batch
