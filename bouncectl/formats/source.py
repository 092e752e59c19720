"""Old home of :mod:`bouncectl.sources.source` (see :mod:`bouncectl.formats`)."""

from bouncectl.sources.source import Source

__all__ = ["Source"]
