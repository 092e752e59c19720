"""What a format module defines: its :class:`Format`, whose ``parse`` yields :data:`Records`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

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
