"""The JSON provider formats (SES, SendGrid, Mailgun, Postmark) read as blocks of columns.

Each record is read and checked by its format's own reader (:mod:`bouncectl.sources.jsonrecords`
and the provider's module): the same events, the same rejects with the same line or record
number, the same skipped records. What changes is what is handed on: a block of events as columns
(:class:`bouncectl.sources.csvcolumns.Block`), which the import classifies once per distinct
report, keys, stores and folds by columns, as it does the canonical CSV's.

Besides the canonical columns a block holds what a provider may say and the CSV cannot: the remote
host that answered (the classifier reads a provider's codes by it, ``remote_host``) and a verdict
the source gives itself (``reason``, ``bounce_type`` and ``rule``, as Mailgun's given-up retries).
Every event of these formats is dated (each names its time, or is refused).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pandas as pd

from bouncectl.model import Event, ImportOptions
from bouncectl.sources import csvcolumns
from bouncectl.sources.csvcolumns import COLUMNS, Block
from bouncectl.sources.format import Records, record_batches
from bouncectl.sources.source import Source

EVENTS_PER_BLOCK = 10_000  # events handed on at a time
TEXT_PER_BLOCK = 16 * 1024 * 1024  # or fewer, when their texts (raw fields, replies) are long
REJECTS_PER_BLOCK = 10_000  # a file of bad records is not held whole either

# The columns of a provider's block: the canonical ones, then what only a provider says.
PROVIDER_COLUMNS = (*COLUMNS, "remote_host", "reason", "bounce_type", "rule")

Parse = Callable[[Source, ImportOptions], Records]


def events_frame(events: list[Event]) -> pd.DataFrame:
    """Events read by a provider's reader, as the columns of a block ("" for what is not there)."""
    for event in events:
        if not event.dated:  # none of these formats makes one: the block path stores every event dated
            raise ValueError(f"an undated event in a block of columns (line {event.line})")
    return csvcolumns.events_frame(events, PROVIDER_COLUMNS[len(COLUMNS):])


def read_blocks(parse: Parse, source: Source, options: ImportOptions) -> Iterator[Block]:
    """The records ``parse`` reads from the input, a block of events (and their rejects) at a time."""
    for batch in record_batches(parse(source, options), source.position, EVENTS_PER_BLOCK, TEXT_PER_BLOCK,
                                REJECTS_PER_BLOCK):
        frame = events_frame(batch.events) if batch.events else None
        yield Block(frame, batch.rejects, batch.rows_read, batch.position, skipped=batch.skipped,
                    skipped_what=batch.skipped_what)
