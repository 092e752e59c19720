"""Importing one input into the store: detect, parse, classify, store, in one transaction.

A file is imported whole or not at all: its events, its rejected rows and its
``imports`` record are written in one transaction, so an error or a kill leaves
the store as it was. Importing the same bytes with the same options again is
recognized by checksum and skipped; events seen before (the same event in two
files, a webhook retry) are stored once.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING

from bouncectl import sources
from bouncectl.bounces import decide, reply_code, status_in
from bouncectl.errors import BouncectlError, InputError
from bouncectl.ledger.fold import EventBatch, KeyProbe
from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources.format import record_batches
from bouncectl.sources.source import Source
from bouncectl.store import Store, stored_keys_probe

if TYPE_CHECKING:
    from bouncectl.usecases.importing_columns import Loaded

BATCH_SIZE = 10_000  # events per batch: enough to amortize each statement, little memory held
BATCH_TEXT = 2_000_000  # or fewer, when their texts (provider fields, replies) are long
Progress = Callable[[int, int | None], None]


@dataclass
class ImportSummary:
    source: str
    format: str
    rows_read: int = 0
    events_stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    newly_hard_bounced: int = 0
    already_imported: bool = False
    strict_failed: bool = False
    import_id: int | None = None
    # Records recognised and deliberately not imported (see :class:`bouncectl.model.Skipped`):
    # what the first one was, and how many.
    skipped: int = 0
    skipped_what: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def classify_event(event: Event) -> None:
    """Fill reason, hard/soft and the deciding rule of a bounce (or deferral) that has none
    (see :func:`bouncectl.bounces.decide`)."""
    if event.event not in ("bounce", "deferred"):
        return
    if event.diagnostic and (event.smtp_code is None or event.enhanced_status is None):
        # Many logs put the whole reply in one text ("550 5.1.1 <x@y>: user unknown"): the codes
        # in it are the codes of the bounce.
        event.smtp_code = event.smtp_code or reply_code(event.diagnostic)
        event.enhanced_status = event.enhanced_status or status_in(event.diagnostic)
    named = event.reason is not None  # by the source itself
    if not named or (event.bounce_type is None and event.event == "bounce"):
        verdict = decide(
            event.event,
            reason=event.reason,
            rule=event.rule,
            provider_type=event.provider_type,
            smtp_code=event.smtp_code,
            enhanced_status=event.enhanced_status,
            diagnostic=event.diagnostic,
            recipient=event.recipient,
            host=event.remote_host,
        )
        event.reason, event.bounce_type = verdict.reason, verdict.bounce_type
        event.rule = (verdict.rule or event.rule) if named else verdict.rule
    if event.event == "deferred":
        event.bounce_type = None


def _options_key(fmt: str, options: ImportOptions) -> str:
    return json.dumps(
        {"format": fmt, "email_id": options.email_id, "third_party": options.third_party, "tz": options.tz},
        sort_keys=True,
    )


class _AlreadyImported(Exception):
    """Raised inside the import transaction to roll it back: the bytes read were imported before."""

    def __init__(self, earlier: dict):
        super().__init__(earlier["id"])
        self.earlier = earlier


def _already_imported(summary: ImportSummary, earlier: dict) -> ImportSummary:
    summary.already_imported = True
    summary.import_id = earlier["id"]
    return summary


class StrictImportFailed(Exception):
    """Raised inside the import transaction to roll it back under ``--strict``."""


class _StrictRejects:
    """The rejects of an import under ``--strict``, which is refused once it has one: kept aside
    (in memory up to a few MB, then in a file in TMPDIR) while its transaction runs, and stored on
    their own after it is rolled back, a batch at a time, so that a file of bad rows is never held
    in memory."""

    IN_MEMORY = 1024 * 1024

    def __init__(self, source: str):
        self.source = source
        self.count = 0
        self._file = tempfile.SpooledTemporaryFile(  # noqa: SIM115 (closed by close())
            max_size=self.IN_MEMORY, mode="w+", encoding="utf-8", newline=""
        )

    def add(self, rejects: list[Reject]) -> None:
        try:
            for reject in rejects:
                self._file.write(json.dumps([reject.line, reject.error, reject.raw], ensure_ascii=False) + "\n")
        except OSError as exc:  # past IN_MEMORY they go to a file in TMPDIR, which may be full
            raise self._no_room(exc) from None
        self.count += len(rejects)

    def _no_room(self, exc: OSError) -> InputError:
        return InputError(
            self.source,
            f"cannot keep its rejected rows in the temporary folder: {exc.strerror or exc}; nothing was imported",
            hint="free some space in TMPDIR (or point TMPDIR elsewhere), or import without --strict",
        )

    def clear(self) -> None:
        """Forget the rejects kept so far (the input is read again from its start)."""
        try:
            self._file.seek(0)
            self._file.truncate()
        except OSError as exc:
            raise self._no_room(exc) from None
        self.count = 0

    def batches(self, size: int = BATCH_SIZE) -> Iterator[list[Reject]]:
        try:
            self._file.seek(0)  # writes out what is still buffered
        except OSError as exc:
            raise self._no_room(exc) from None
        batch: list[Reject] = []
        for text in self._file:
            line, error, raw = json.loads(text)
            batch.append(Reject(line, error, raw))
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch

    def close(self) -> None:
        try:
            self._file.close()
        except OSError:
            pass  # the last buffered rows found no room: the file is dropped all the same (and was reported)


@dataclass
class _Part:
    """What reading an input gives at a time: a batch of events, the rows rejected on the way,
    how many records were read and how far into the file."""

    batch: EventBatch
    rejects: list[Reject]
    rows_read: int
    position: int
    skipped: int = 0
    skipped_what: str | None = None


def _parts(
    fmt: sources.Format, source: Source, options: ImportOptions, import_id: int, stored: KeyProbe | None = None
) -> Iterator[_Part]:
    """Parse, classify and fold the input, a batch at a time. Needs no store (``stored``, if given,
    leaves out events the store already holds)."""
    for read in record_batches(fmt.parse(source, options), source.position, BATCH_SIZE, BATCH_TEXT, BATCH_SIZE):
        for event in read.events:
            classify_event(event)
        # A batch of rejects is handed on as one of events is.
        yield _Part(EventBatch.of(read.events, import_id, stored), read.rejects, read.rows_read, read.position,
                    read.skipped, read.skipped_what)


# Reading in a second process pays from about this size on, where there is a second CPU to run it.
READ_ASIDE_FROM = 4 * 1024 * 1024


def _read_aside(source: Source) -> bool:
    """Whether to parse in a child process while this one stores (BOUNCECTL_READ_ASIDE=0/1 decides)."""
    setting = os.environ.get("BOUNCECTL_READ_ASIDE", "")
    if setting in ("0", "1"):
        wanted = setting == "1"
    else:
        # Of its own accord only on Linux, where a forked child is safe and cheap.
        wanted = sys.platform == "linux" and (source.size() or 0) >= READ_ASIDE_FROM and usable_cpus() > 1
    return wanted and "fork" in multiprocessing.get_all_start_methods()


def usable_cpus() -> int:
    """How many CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _produce(
    fmt: sources.Format,
    source: Source,
    options: ImportOptions,
    import_id: int,
    store: Path | None,
    out: Connection,
    inbox: Connection,
) -> None:
    """The child process: send each part, then the end (or the error that stopped the reading).

    It leaves out the events the store held before the import began (an input imported again, an
    overlapping export), which spares the storing process most of their cost. Not under
    ``--third-party``, which marks the contacts of every row, stored before or not."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # The parent's end of the pipe, copied by the fork: closed here, so that once the parent
    # closes it too (it stopped, or failed), the next send fails at once instead of waiting.
    inbox.close()
    try:
        stored = None
        if store is not None and not options.third_party:
            try:
                stored = stored_keys_probe(store)
            except sqlite3.Error:
                stored = None  # the storing process finds the duplicates itself
        for part in _parts(fmt, source, options, import_id, stored):
            out.send(("part", part))
        out.send(("end", source.read_checksum()))
    except BrokenPipeError:
        pass  # the parent is gone
    except BouncectlError as exc:
        out.send(("error", exc))
    except Exception:  # noqa: BLE001 - a bug: shown by the parent, which rolls back
        out.send(("crash", traceback.format_exc()))


class _Parts:
    """The parts of an input, and once they are all read, the checksum of the bytes they came from."""

    def __init__(self, parts: Iterator[_Part], checksum: Callable[[], str]):
        self._parts = parts
        self._checksum = checksum

    def __iter__(self) -> _Parts:
        return self

    def __next__(self) -> _Part:
        return next(self._parts)

    def checksum(self) -> str:
        return self._checksum()


def _received(source: Source, child: BaseProcess, inbox: Connection, ending: list[str]) -> Iterator[_Part]:
    while True:
        try:
            kind, value = inbox.recv()
        except EOFError:
            child.join()
            raise BouncectlError(
                f"{source.name}: the reading process stopped (exit code {child.exitcode}); nothing was imported"
            ) from None
        if kind == "part":
            yield value
        elif kind == "end":
            ending.append(value)
            return
        elif kind == "error":
            raise value
        else:
            raise RuntimeError(f"reading {source.name} failed:\n{value}")


@contextmanager
def _reading(
    store: Store, fmt: sources.Format, source: Source, options: ImportOptions, import_id: int
) -> Iterator[_Parts]:
    """The parts of the input: parsed here, or in a child process while this one stores them."""
    if not _read_aside(source):
        yield _Parts(_parts(fmt, source, options, import_id), source.read_checksum)
        return
    context = multiprocessing.get_context("fork")
    inbox, outbox = context.Pipe(duplex=False)
    path = None if str(store.path) == ":memory:" else store.path
    child = context.Process(target=_produce, args=(fmt, source, options, import_id, path, outbox, inbox), daemon=True)
    child.start()
    outbox.close()
    ending: list[str] = []
    try:
        yield _Parts(_received(source, child, inbox, ending), lambda: ending[0])
    finally:
        inbox.close()  # a child still sending gets a broken pipe and ends
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
            child.join()


def _keep_rejects(
    store: Store, conn: sqlite3.Connection, import_id: int, source: str, found: list[Reject],
    rejects: _StrictRejects | None,
) -> bool:
    """Keep the rows rejected in a part of the input: under ``--strict`` aside (the import will be
    refused; they are stored on their own), else stored as they come (a file of bad rows is not held
    in memory). Returns whether the part's events are still to be stored: under ``--strict``, once a
    row is rejected nothing will be kept, and the rest is only read."""
    if rejects is not None:
        rejects.add(found)
        return not rejects.count
    if found:
        store.add_rejects(conn, import_id, source, found)
    return True


def _store_part(
    store: Store,
    conn: sqlite3.Connection,
    part: _Part,
    summary: ImportSummary,
    options: ImportOptions,
    rejects: _StrictRejects | None,
) -> None:
    """Store one part of the input in the import's transaction, and count it."""
    summary.rows_read += part.rows_read
    summary.rejected += len(part.rejects)
    summary.skipped += part.skipped
    summary.skipped_what = summary.skipped_what or part.skipped_what
    assert summary.import_id is not None
    if _keep_rejects(store, conn, summary.import_id, summary.source, part.rejects, rejects):
        result = store.add_batch(conn, part.batch, options)
        summary.events_stored += result.stored
        summary.duplicates += result.duplicates


def _keep_refused(
    store: Store, summary: ImportSummary, checksum: str, options_key: str, rejects: _StrictRejects
) -> None:
    """After an import refused under ``--strict`` was rolled back: nothing is imported, and the bad
    rows are still kept, a batch at a time, so they can be listed."""
    summary.strict_failed = True
    summary.events_stored = summary.duplicates = summary.newly_hard_bounced = 0
    with store.write() as conn:
        import_id = store.start_import(conn, summary.source, checksum, summary.format, options_key)
        conn.execute("UPDATE imports SET status = 'rejected', rejected = ? WHERE id = ?", (rejects.count, import_id))
        for batch in rejects.batches():
            store.add_rejects(conn, import_id, summary.source, batch)
        summary.import_id = import_id


def _load_parts(
    store: Store, conn: sqlite3.Connection, fmt: sources.Format, source: Source, options: ImportOptions,
    import_id: int, summary: ImportSummary, rejects: _StrictRejects | None, progress: Progress | None,
) -> str:
    """Store an input's events a batch at a time; their contacts wait for ``settle_contacts``.
    Returns the checksum of the bytes parsed."""
    total = source.size()
    done = 0  # bytes read, as reported: never back (a closed reader reports 0)
    with _reading(store, fmt, source, options, import_id) as parts:
        for part in parts:
            _store_part(store, conn, part, summary, options, rejects)
            done = max(done, part.position)
            if progress:
                progress(done, total)
        # What is recorded, and recognized next time, is the checksum of the bytes parsed
        # (a log rotated while this import waited for the store is not what was hashed above).
        checksum = parts.checksum()
    if progress and total:
        progress(total, total)  # all read; the contacts are settled next
    return checksum


def _by_columns(fmt: sources.Format, source: Source) -> bool:
    """Whether to import by blocks of columns (BOUNCECTL_IMPORT_COLUMNS=0: event by event, as every
    format without a block reader is; kept to check that both give the same store)."""
    return fmt.blocks is not None and not source.is_dir and os.environ.get("BOUNCECTL_IMPORT_COLUMNS") != "0"


def import_source(
    store: Store,
    spec: str,
    options: ImportOptions,
    format_name: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import one file, folder or ``-`` (stdin) into the store."""
    source = Source(spec)
    try:
        if not format_name and not source.is_dir and not source.head().strip():
            # An empty export is not an error: there is simply nothing to import.
            return ImportSummary(source=source.name, format="empty")
        fmt = sources.by_name(format_name) if format_name else sources.detect(source)
        summary = ImportSummary(source=source.name, format=fmt.name)
        options_key = _options_key(fmt.name, options)
        # A quick look first: the same bytes already imported whole need not be parsed again. With no
        # import complete yet, there is nothing to compare them with, and no reason to read them twice
        # (an import completed meanwhile is found once the bytes are read, under the write lock).
        if store.any_completed_import(options_key):
            checksum = source.checksum()
            earlier = store.completed_import(checksum, options_key)
            if earlier is not None:
                return _already_imported(summary, earlier)
        rejects = _StrictRejects(source.name) if strict else None
        try:
            with store.write() as conn:
                # Read here, under the write lock: a `config` committed while this import waited applies.
                soft_policy = store.soft_bounce_policy()
                import_id = store.start_import(conn, source.name, None, fmt.name, options_key)
                summary.import_id = import_id
                loaded: Loaded | None = None
                if _by_columns(fmt, source):
                    from bouncectl.usecases.importing_columns import load_blocks

                    loaded = load_blocks(store, conn, fmt, source, options, import_id, rejects, progress, soft_policy)
                    summary.rows_read, summary.rejected = loaded.rows_read, loaded.rejected
                    summary.events_stored, summary.duplicates = loaded.stored, loaded.duplicates
                    summary.skipped, summary.skipped_what = loaded.skipped, loaded.skipped_what
                    checksum = loaded.checksum
                else:
                    checksum = _load_parts(store, conn, fmt, source, options, import_id, summary, rejects, progress)
                earlier = store.completed_import(checksum, options_key)
                if earlier is not None:
                    raise _AlreadyImported(earlier)
                if rejects is not None and rejects.count:
                    raise StrictImportFailed
                store.set_import_checksum(conn, import_id, checksum)
                if loaded is not None:
                    summary.newly_hard_bounced = loaded.newly_hard_bounced
                else:
                    summary.newly_hard_bounced = store.settle_contacts(conn, options, soft_policy)
                store.finish_import(conn, import_id, summary.as_dict())
        except _AlreadyImported as already:
            return _already_imported(ImportSummary(source=source.name, format=fmt.name), already.earlier)
        except StrictImportFailed:
            assert rejects is not None  # only raised under --strict
            _keep_refused(store, summary, checksum, options_key, rejects)
        finally:
            if rejects is not None:
                rejects.close()
        return summary
    finally:
        source.close()
