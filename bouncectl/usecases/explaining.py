"""Explain bounces without storing them: parse, classify, one row per recipient result.

:func:`explain` reads files of any import format (bounce messages first of
all) and yields, in the order the recipients appear, what bouncectl would
conclude about each: the event, the reason, hard or soft, the codes and the
rule that decided. ``line`` is the message number in a mailbox (the line in a
log). A message that is not a bounce gives no row, or one whose reason says
what it is (``vacation``, ``delivered``, ``feedback``) and whose
``bounce_type`` is empty. ``decoder`` names what read the result: the mail
system's decoder (``postfix``, ``exim``, ...) or generic reader (``rfc3464``,
``arf``, ``rfc3834``, ``notice``) of a message, the import format of any other
row. A message (or row) that cannot be used gives a row with no recipient whose
``rule`` says why. Nothing is written to the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bouncectl import sources
from bouncectl.errors import InputError
from bouncectl.model import Event, ImportOptions, Reject, Skipped
from bouncectl.sources.messages import FORMAT as MESSAGE
from bouncectl.sources.source import Source
from bouncectl.usecases.importing import classify_event

COLUMNS = ("file", "line", "recipient", "event", "reason", "bounce_type", "smtp_code", "enhanced_status",
           "diagnostic", "rule", "decoder")


def _row(file: str, number: int | None, recipient: str | None, event: str | None, reason: str | None,
         bounce_type: str | None, smtp_code: int | None, status: str | None, diagnostic: str | None,
         rule: str | None, decoder: str | None = None) -> dict:
    return dict(zip(COLUMNS, (file, number, recipient, event, reason, bounce_type, smtp_code, status,
                              diagnostic, rule, decoder)))


def _format_of(source: Source, format_name: str | None) -> sources.Format:
    if format_name:
        return sources.by_name(format_name)
    if MESSAGE.sniff(source.head(), source):  # explain reads bounce messages first of all
        return MESSAGE
    try:
        return sources.detect(source)
    except InputError:
        # Empty or unrecognised: read it as a message; a non-bounce gives no rows.
        return MESSAGE


def explain_file(path: str, options: ImportOptions | None = None, format_name: str | None = None) -> Iterator[dict]:
    """The rows of one file (or folder, or ``-``)."""
    options = options or ImportOptions()
    source = Source(path, once=True)  # read once, for detection and parsing: nothing is stored
    try:
        fmt = _format_of(source, format_name)
        if fmt is MESSAGE:
            yield from _message_rows(source, options)
        else:
            yield from _record_rows(source, fmt, options)
    finally:
        source.close()


def explain(paths: Iterable[str], options: ImportOptions | None = None,
            format_name: str | None = None) -> Iterator[dict]:
    """The rows of every file in ``paths``, file after file."""
    for path in paths:
        yield from explain_file(path, options, format_name)


def _message_rows(source: Source, options: ImportOptions) -> Iterator[dict]:
    from bouncectl.sources.messages import reader  # the decoders, loaded only to read a message

    kinds = {**reader.EVENT_OF_KIND, "vacation": None}  # what a row says for each kind of result
    for item in reader.results(source, options):
        if isinstance(item, Reject):
            yield _row(source.name, item.line, None, None, None, None, None, None, None, item.error)
            continue
        finding, verdict = item.finding, item.verdict
        event = kinds.get(finding.kind)
        bounce_type = verdict.bounce_type if event in ("bounce", "deferred") else None
        yield _row(source.name, item.number, finding.recipient or None, event, verdict.reason, bounce_type,
                   finding.smtp_code, finding.enhanced_status, finding.diagnostic, verdict.rule, finding.decoder)


def _record_rows(source: Source, fmt: sources.Format, options: ImportOptions) -> Iterator[dict]:
    for record in fmt.parse(source, options):
        if isinstance(record, Skipped):
            continue
        if isinstance(record, Reject):
            yield _row(source.name, record.line, None, None, None, None, None, None, None, record.error)
            continue
        assert isinstance(record, Event)
        classify_event(record)
        yield _row(source.name, record.line, record.recipient, record.event, record.reason, record.bounce_type,
                   record.smtp_code, record.enhanced_status, record.diagnostic, record.rule, fmt.name)
