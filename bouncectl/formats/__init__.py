"""Input formats: one module per format, registered here.

Each format module defines ``FORMAT``: a name, a ``sniff(head, source)`` that
looks at the first bytes, and a ``parse(source, options)`` that yields
:class:`~bouncectl.model.Event` and :class:`~bouncectl.model.Reject` records,
streaming (never the whole input in memory). Adding a format is one new module
and one line in ``FORMATS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bouncectl.errors import InputError
from bouncectl.formats.source import Source
from bouncectl.model import Event, ImportOptions, Reject

Records = Iterator[Event | Reject]


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    sniff: Callable[[bytes, Source], bool]
    parse: Callable[[Source, ImportOptions], Records]


def _registry() -> list[Format]:
    # Most specific first: detection takes the first format whose sniff matches.
    from bouncectl.formats import csvlog, hubspot, mailgun, postfix, postmark, sendgrid, ses
    from bouncectl.sources.messages import reader as message

    return [
        ses.FORMAT,
        postmark.FORMAT,
        mailgun.FORMAT,
        sendgrid.FORMAT,
        hubspot.FORMAT,
        postfix.FORMAT,
        message.FORMAT,
        csvlog.FORMAT,
    ]


def formats() -> list[Format]:
    return _registry()


def by_name(name: str) -> Format:
    for fmt in _registry():
        if fmt.name == name:
            return fmt
    known = ", ".join(f.name for f in _registry())
    raise InputError(name, f"unknown format {name!r}", hint=f"known formats: {known}")


def detect(source: Source) -> Format:
    """The format of ``source``, from its first bytes (and name, for folders)."""
    head = source.head()
    for fmt in _registry():
        if fmt.sniff(head, source):
            return fmt
    raise InputError(
        source.name,
        "cannot tell which format this is",
        hint="give it with --format (see `bouncectl import --help`)",
    )
