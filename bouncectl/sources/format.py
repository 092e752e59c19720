"""What a format module defines: its :class:`Format`, whose ``parse`` yields :data:`Records`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources.source import Source

Records = Iterator[Event | Reject]


@dataclass(frozen=True)
class Format:
    """A format: its name, a ``sniff(head, source)`` that tells from the first bytes (and the
    source, for folders) whether the input is in it, and a streaming ``parse(source, options)``."""

    name: str
    description: str
    sniff: Callable[[bytes, Source], bool]
    parse: Callable[[Source, ImportOptions], Records]
