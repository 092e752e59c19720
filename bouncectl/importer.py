"""Importing one input into the store: detect, parse, classify, store, in one transaction.

A file is imported whole or not at all: its events, its rejected rows and its
``imports`` record are written in one transaction, so an error or a kill leaves
the store as it was. Importing the same bytes with the same options again is
recognized by checksum and skipped; events seen before (the same event in two
files, a webhook retry) are stored once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass

from bouncectl import formats
from bouncectl.classify import classify, combine, natural_type, reply_code, status_in
from bouncectl.formats.source import Source
from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.store import BatchResult, Store

BATCH_SIZE = 20_000
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

    def as_dict(self) -> dict:
        return asdict(self)


def classify_event(event: Event) -> None:
    """Fill reason, hard/soft and the deciding rule of a bounce (or deferral) that has none."""
    if event.event not in ("bounce", "deferred"):
        return
    if event.diagnostic and (event.smtp_code is None or event.enhanced_status is None):
        # Many logs put the whole reply in one text ("550 5.1.1 <x@y>: user unknown"): the codes
        # in it are the codes of the bounce.
        event.smtp_code = event.smtp_code or reply_code(event.diagnostic)
        event.enhanced_status = event.enhanced_status or status_in(event.diagnostic)
    if event.reason is None:
        verdict = combine(classify(event.smtp_code, event.enhanced_status, event.diagnostic), event.provider_type)
        event.reason, event.rule = verdict.reason, verdict.rule
        event.bounce_type = verdict.bounce_type
        if event.event == "bounce" and event.bounce_type is None:
            # The source says it bounced, but the text reads like a non-bounce.
            event.reason = "undefined"
            event.bounce_type = event.provider_type or "soft"
            event.rule = f"{verdict.rule}; reported as a bounce"
    elif event.bounce_type is None and event.event == "bounce":
        event.bounce_type = natural_type(event.reason, None) or event.provider_type or "soft"
    if event.event == "deferred":
        event.bounce_type = None


def _options_key(fmt: str, options: ImportOptions) -> str:
    return json.dumps(
        {"format": fmt, "email_id": options.email_id, "third_party": options.third_party, "tz": options.tz},
        sort_keys=True,
    )


class StrictImportFailed(Exception):
    """Raised inside the import transaction to roll it back under ``--strict``."""


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
        fmt = formats.by_name(format_name) if format_name else formats.detect(source)
        summary = ImportSummary(source=source.name, format=fmt.name)
        checksum = source.checksum()
        options_key = _options_key(fmt.name, options)
        earlier = store.completed_import(checksum, options_key)
        if earlier is not None:
            summary.already_imported = True
            summary.import_id = earlier["id"]
            return summary
        total = source.size()
        soft_policy = store.soft_bounce_policy()
        rejects: list[Reject] = []
        try:
            with store.write() as conn:
                import_id = store.start_import(conn, source.name, checksum, fmt.name, options_key)
                summary.import_id = import_id
                batch: list[Event] = []

                def flush() -> None:
                    result: BatchResult = store.add_events(conn, import_id, batch, options, soft_policy)
                    summary.events_stored += result.stored
                    summary.duplicates += result.duplicates
                    summary.newly_hard_bounced += result.newly_hard_bounced
                    batch.clear()
                    if progress:
                        progress(source.position(), total)

                for record in fmt.parse(source, options):
                    summary.rows_read += 1
                    if isinstance(record, Reject):
                        rejects.append(record)
                        continue
                    classify_event(record)
                    batch.append(record)
                    if len(batch) >= BATCH_SIZE:
                        flush()
                if batch:
                    flush()
                summary.rejected = len(rejects)
                if strict and rejects:
                    raise StrictImportFailed
                store.add_rejects(conn, import_id, source.name, rejects)
                store.finish_import(conn, import_id, summary.as_dict())
        except StrictImportFailed:
            # Nothing is imported; the bad rows are still kept so they can be listed.
            summary.strict_failed = True
            summary.events_stored = summary.duplicates = summary.newly_hard_bounced = 0
            with store.write() as conn:
                import_id = store.start_import(conn, source.name, checksum, fmt.name, options_key)
                conn.execute("UPDATE imports SET status = 'rejected', rejected = ? WHERE id = ?", (len(rejects), import_id))
                store.add_rejects(conn, import_id, source.name, rejects)
                summary.import_id = import_id
        return summary
    finally:
        source.close()
