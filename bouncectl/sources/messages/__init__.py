"""Bounce messages (.eml, mbox, maildir): decoded into per-recipient facts, then events.

The format is told from the first bytes by :mod:`~bouncectl.sources.messages.sniffing`; the reader
and its decoders (:mod:`~bouncectl.sources.messages.reader`) are loaded when a message is read."""

from __future__ import annotations

from bouncectl.model import ImportOptions
from bouncectl.sources.format import Format, Records
from bouncectl.sources.messages.sniffing import sniff
from bouncectl.sources.source import Source


def parse(source: Source, options: ImportOptions) -> Records:
    from bouncectl.sources.messages import reader

    return reader.parse(source, options)


FORMAT = Format(
    name="message",
    description="bounce messages (RFC 3464 DSNs, non-standard bounces, ARF reports): .eml, mbox or maildir",
    sniff=sniff,
    parse=parse,
)

__all__ = ["FORMAT"]
