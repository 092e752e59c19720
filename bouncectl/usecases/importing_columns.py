"""Importing an input by blocks of columns (the canonical CSV): the column path of
:func:`bouncectl.usecases.importing.import_source`, in the import's transaction.

Each block's distinct bounces are classified once, its events keyed by column and written with
``executemany``; the contacts' folds are collapsed now and then and settled once per import (past
:data:`SPILL_AT` contacts, merged in a temporary table first). Into an empty store, the events table's indexes are
built after the load.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bouncectl import sources
from bouncectl.ledger.rows import NULL
from bouncectl.ledger.status import SoftBouncePolicy
from bouncectl.model import Event, ImportOptions
from bouncectl.sources.source import Source
from bouncectl.store import Store
from bouncectl.usecases.importing import Progress, _keep_rejects, _StrictRejects, classify_event

if TYPE_CHECKING:
    import pandas as pd

    from bouncectl.sources.csvcolumns import Block


def classify_columns(frame: pd.DataFrame) -> None:
    """:func:`classify_event` for a block of events as columns: once per distinct bounce or deferral
    (its codes, text, verdict and recipient), the codes it fills and its verdict set in its columns.
    A provider's block may also give the remote host, and a verdict of the source's own
    (``remote_host``, ``reason``, ``bounce_type``, ``rule``: see :mod:`bouncectl.sources.jsoncolumns`)."""
    import numpy as np
    import pandas as pd

    count = len(frame)
    report = np.flatnonzero(frame["event"].isin(("bounce", "deferred")).to_numpy())
    codes = frame["smtp_code"].to_numpy(dtype=object).copy()
    statuses = frame["enhanced_status"].to_numpy(dtype=object).copy()
    verdicts = {name: frame[name].to_numpy(dtype=object).copy() if name in frame else np.full(count, NULL, dtype=object)
                for name in ("reason", "bounce_type", "rule")}
    hosts = frame["remote_host"].to_numpy(dtype=object) if "remote_host" in frame else np.full(count, NULL, dtype=object)
    if len(report):
        seen: dict[tuple, tuple] = {}
        columns = [frame[name].to_numpy(dtype=object)[report].tolist()
                   for name in ("event", "provider_type", "diagnostic", "recipient")]
        for index, kind, provider_type, diagnostic, recipient in zip(report.tolist(), *columns, strict=True):
            given = (verdicts["reason"][index], verdicts["bounce_type"][index], verdicts["rule"][index], hosts[index])
            known = (kind, provider_type, codes[index], statuses[index], diagnostic, recipient, *given)
            found = seen.get(known)
            if found is None:
                event = Event(recipient=recipient, event=kind, timestamp="", provider_type=provider_type or None,
                              smtp_code=codes[index] or None, enhanced_status=statuses[index] or None,
                              diagnostic=diagnostic or None, reason=given[0] or None, bounce_type=given[1] or None,
                              rule=given[2] or None, remote_host=given[3] or None)
                classify_event(event)
                found = seen[known] = (event.smtp_code or NULL, event.enhanced_status or NULL, event.reason or NULL,
                                       event.bounce_type or NULL, event.rule or NULL)
            codes[index], statuses[index], reason, bounce_type, rule = found
            verdicts["reason"][index], verdicts["bounce_type"][index], verdicts["rule"][index] = reason, bounce_type, rule
    # The arrays are this function's own (copied or made above): taken as they are, not copied again.
    frame["smtp_code"] = pd.Series(codes, dtype=object, index=frame.index, copy=False)
    frame["enhanced_status"] = pd.Series(statuses, dtype=object, index=frame.index, copy=False)
    for name, column in verdicts.items():
        frame[name] = pd.Series(column, dtype=object, index=frame.index, copy=False)


def _block_frame(block: Block, import_id: int) -> pd.DataFrame | None:
    """A block's events as the store takes them: classified, keyed, in the order of their lines."""
    import pandas as pd

    from bouncectl.ledger.columns import event_keys
    from bouncectl.sources.csvcolumns import events_frame

    frames = [frame for frame in (block.frame,) if frame is not None and len(frame)]
    if block.events:
        frames.append(events_frame(block.events))
    if not frames:
        return None
    frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    if len(frames) > 1:
        frame = frame.sort_values("line", kind="stable", ignore_index=True)
    classify_columns(frame)
    frame["key"] = event_keys(frame)
    frame["import_id"] = import_id
    return frame


COLLAPSE_AT = 50_000  # event folds of several blocks kept before they are merged into one per contact
# Contacts whose folds are held in memory; past it, they are spilled to a temporary table and
# merged there (memory stays bounded, and each contact is still settled once, at the end).
SPILL_AT = 250_000
SPILLED_PART = 20_000  # spilled folds read back at a time
# SQLite's page cache, in KiB, during a load into a store that holds events (the store's
# connection keeps 12 MiB otherwise): such a load adds to B-trees at random places (the key's
# index, the emails' index, the contacts), and an input imported again looks up each of its keys;
# fewer of the pages they touch are then read again. Well above the usual cache, within the bound on
# an import's memory (see benchmarks/import_bench.py). A load into an empty store gains nothing
# from a larger one: it appends rows, and its index builds take no less time for it.
KEYED_LOAD_CACHE_KIB = 32_768


@dataclass
class Loaded:
    """What storing an input's blocks gave."""

    rows_read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    checksum: str = ""
    newly_hard_bounced: int = 0
    skipped: int = 0
    skipped_what: str | None = None


class _Indexes:
    """The events table's indexes during a load: dropped (into an empty table) until :meth:`keep`."""

    def __init__(self, store: Store, conn: sqlite3.Connection, dropped: dict[str, str]):
        self._store, self._conn, self.dropped = store, conn, dropped

    @property
    def keyed(self) -> bool:
        return "events_key" not in self.dropped

    def keep(self) -> None:
        """Build the dropped indexes (an IntegrityError if a key was stored twice)."""
        self._store.create_indexes(self._conn, list(self.dropped.values()))
        self.dropped = {}


class _Folds:
    """What a load's stored events say of their contacts, until they are settled: the event folds
    of the last blocks, collapsed every COLLAPSE_AT into the folds held, one per contact; past
    SPILL_AT contacts, those held are spilled to a temporary table, and merged from there at the
    end (a contact's folds merge in any order), so that each contact is settled once."""

    def __init__(self, store: Store, conn: sqlite3.Connection):
        from bouncectl.ledger.columns import ContactFolds

        self._store, self._conn = store, conn
        self._held = ContactFolds()
        self._waiting: list[pd.DataFrame] = []
        self._waiting_rows = 0
        self._spilled = False

    def add(self, fold: pd.DataFrame) -> None:
        if len(fold):
            self._waiting.append(fold)
            self._waiting_rows += len(fold)
        if self._waiting_rows >= COLLAPSE_AT:
            self._take()
            if len(self._held) >= SPILL_AT:
                self._spill()

    def _take(self) -> None:
        import pandas as pd

        waiting = self._waiting
        if waiting:
            self._held.add(pd.concat(waiting, ignore_index=True) if len(waiting) > 1 else waiting[0])
        self._waiting, self._waiting_rows = [], 0

    def _spill(self) -> None:
        from bouncectl.ledger.columns import ContactFolds

        self._take()
        self._store.spill_folds(self._conn, self._held.parts(SPILLED_PART, ordered=False), anew=not self._spilled)
        self._held, self._spilled = ContactFolds(), True

    def contacts(self) -> Iterator[pd.DataFrame]:
        """All the folds, one per contact, in address order, a part at a time (see
        :meth:`bouncectl.store.contacts.ContactsTable.settle_folds`)."""
        from bouncectl.store.base import MAX_PARAMS

        self._take()
        if not self._spilled:
            return self._held.parts(MAX_PARAMS)
        self._spill()  # the rest too
        return self._store.spilled_folds(self._conn, SPILLED_PART)


def _store_blocks(
    store: Store, conn: sqlite3.Connection, fmt: sources.Format, source: Source, options: ImportOptions,
    import_id: int, rejects: _StrictRejects | None, progress: Progress | None, indexes: _Indexes,
    soft_policy: SoftBouncePolicy,
) -> Loaded:
    """Store the blocks, build the indexes dropped, then settle the contacts, once each (a soft
    streak is recounted from the stored events, by an index)."""
    assert fmt.blocks is not None
    loaded = Loaded()
    total = source.size()
    folds = _Folds(store, conn)
    done = 0
    # Into a store that held events, each block's stored keys are looked up first, while that
    # finds some: an input imported again is left out before it is bound and folded.
    probe = indexes.keyed
    for block in fmt.blocks(source, options):
        loaded.rows_read += block.rows_read
        loaded.rejected += len(block.rejects)
        loaded.skipped += block.skipped
        loaded.skipped_what = loaded.skipped_what or block.skipped_what
        storing = _keep_rejects(store, conn, import_id, source.name, block.rejects, rejects)
        frame = _block_frame(block, import_id) if storing else None
        if frame is not None:
            result, fold = store.add_columns(conn, frame, options, keyed=indexes.keyed, probe=probe)
            loaded.stored += result.stored
            loaded.duplicates += result.duplicates
            probe = indexes.keyed and result.duplicates > 0
            folds.add(fold)
        done = max(done, block.position)
        if progress:
            progress(done, total)
    loaded.checksum = source.read_checksum()
    if progress and total:
        progress(total, total)  # all read; the contacts are settled next
    indexes.keep()
    loaded.newly_hard_bounced = store.settle_folds(conn, folds.contacts(), options, soft_policy)
    return loaded


def load_blocks(
    store: Store, conn: sqlite3.Connection, fmt: sources.Format, source: Source, options: ImportOptions,
    import_id: int, rejects: _StrictRejects | None, progress: Progress | None, soft_policy: SoftBouncePolicy,
) -> Loaded:
    """Store an input's blocks. Into an empty events table, without its indexes, built once after
    the load; should the input repeat an event in two blocks, the unique key index cannot be
    built, and the input is stored again with every index kept (from a savepoint). Into a store
    that holds events, SQLite's page cache is :data:`KEYED_LOAD_CACHE_KIB` during the load, and
    what it was afterwards."""
    if not store.holds_events(conn):
        return _load_into_empty(store, conn, fmt, source, options, import_id, rejects, progress, soft_policy)
    (cache_size,) = conn.execute("PRAGMA cache_size").fetchone()
    conn.execute(f"PRAGMA cache_size = {-KEYED_LOAD_CACHE_KIB}")
    try:
        return _store_blocks(store, conn, fmt, source, options, import_id, rejects, progress, _Indexes(store, conn, {}),
                             soft_policy)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _load_into_empty(
    store: Store, conn: sqlite3.Connection, fmt: sources.Format, source: Source, options: ImportOptions,
    import_id: int, rejects: _StrictRejects | None, progress: Progress | None, soft_policy: SoftBouncePolicy,
) -> Loaded:
    args = (store, conn, fmt, source, options, import_id, rejects, progress)
    conn.execute("SAVEPOINT empty_store")
    try:
        loaded = _store_blocks(*args, _Indexes(store, conn, store.drop_event_indexes(conn)), soft_policy)
    except sqlite3.IntegrityError as exc:
        if exc.sqlite_errorcode != sqlite3.SQLITE_CONSTRAINT_UNIQUE:
            raise
        conn.execute("ROLLBACK TO empty_store")
        if rejects is not None:
            rejects.clear()  # read again below, and kept again
        loaded = _store_blocks(*args, _Indexes(store, conn, {}), soft_policy)
    conn.execute("RELEASE empty_store")
    return loaded
