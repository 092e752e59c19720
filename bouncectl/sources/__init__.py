"""Sources: bytes in, events out. One module per input format, registered in ``FORMATS``.

Each format module defines ``FORMAT`` (see :class:`~bouncectl.sources.format.Format`): a name, a
``sniff(head, source)`` that looks at the first bytes, and a ``parse(source, options)`` that
yields :class:`~bouncectl.model.Event` and :class:`~bouncectl.model.Reject` records, streaming
(never the whole input in memory). Adding a format is one new module here and one line in
``FORMATS``.

Detection takes the first format in ``FORMATS`` whose sniff matches, so the list runs from the
most specific to the most general: the JSON providers (each recognised by field names of its
own), the HubSpot CSV exports (by their header), Postfix logs (by their syslog lines), bounce
messages (by their headers), and last the canonical CSV, whose sniff takes any CSV with a
recipient and an event column. No sniff relies on another having said no first, except that a
more general one comes later.
"""

from __future__ import annotations

from bouncectl.errors import InputError
from bouncectl.sources import (
    csvlog,
    hubspot,
    mailgun,
    mailgun_suppressions,
    postfix,
    postmark,
    postmark_suppressions,
    sendgrid,
    sendgrid_suppressions,
    ses,
    ses_suppressions,
)
from bouncectl.sources.format import Format, Records
from bouncectl.sources.messages import FORMAT as MESSAGE
from bouncectl.sources.source import Source

__all__ = ["FORMATS", "Format", "Records", "by_name", "detect", "formats"]

FORMATS: list[Format] = [
    ses_suppressions.FORMAT,
    postmark_suppressions.FORMAT,
    mailgun_suppressions.FORMAT,
    sendgrid_suppressions.FORMAT,
    ses.FORMAT,
    postmark.FORMAT,
    mailgun.FORMAT,
    sendgrid.FORMAT,
    hubspot.FORMAT,
    postfix.FORMAT,
    MESSAGE,
    csvlog.FORMAT,
]


def formats() -> list[Format]:
    return list(FORMATS)


def by_name(name: str) -> Format:
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    known = ", ".join(f.name for f in FORMATS)
    raise InputError(name, f"unknown format {name!r}", hint=f"known formats: {known}")


def detect(source: Source) -> Format:
    """The format of ``source``, from its first bytes (and name, for folders)."""
    head = source.head()
    for fmt in FORMATS:
        if fmt.sniff(head, source):
            return fmt
    raise InputError(
        source.name,
        "cannot tell which format this is",
        hint="give it with --format (see `bouncectl import --help`)",
    )
