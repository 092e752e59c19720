"""MIME boundaries matched without a regular expression compiled for each one.

The standard library's email parser (:mod:`email.feedparser`) compiles a regular expression for
every multipart boundary it meets, ``--BOUNDARY`` followed by an optional ``--``, blanks and a
line end. Boundaries are unique to each message, so Python's pattern cache never helps: on bounce
messages that compile is a sixth of the reading time. :func:`install` has the parser use
:class:`BoundaryLine` for those patterns instead: the same matches and groups, by string tests.
Every other pattern the parser asks for is compiled as before.

It is installed once, only on the parser it was written for (the boundary pattern's text is
checked in the parser's code); anywhere else the parser is left as it is.
"""

from __future__ import annotations

import re
from email import feedparser
from types import SimpleNamespace

# The parser's boundary pattern is PREFIX + re.escape("--" + boundary) + SUFFIX.
PREFIX = "(?P<sep>"
SUFFIX = r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)
_LINE_ENDS = ("\r\n", "\r", "\n")


class BoundaryMatch:
    """What a boundary line's match gives: its groups by name."""

    __slots__ = ("_groups",)

    def __init__(self, sep: str, end: str | None, ws: str, linesep: str | None):
        self._groups = {"sep": sep, "end": end, "ws": ws, "linesep": linesep}

    def group(self, name: str) -> str | None:
        return self._groups[name]


class BoundaryLine:
    """``re.compile(PREFIX + re.escape(separator) + SUFFIX)``'s ``match``, by string tests."""

    __slots__ = ("separator",)

    def __init__(self, separator: str):
        self.separator = separator

    def match(self, line: str) -> BoundaryMatch | None:
        if not line.startswith(self.separator):
            return None
        rest = line[len(self.separator):]
        if rest.startswith("--"):  # the closing boundary, when the rest of the line allows it
            tail = _tail(rest[2:])
            if tail is not None:
                return BoundaryMatch(self.separator, "--", *tail)
        tail = _tail(rest)
        return BoundaryMatch(self.separator, None, *tail) if tail is not None else None


def _tail(rest: str) -> tuple[str, str | None] | None:
    """``(?P<ws>[ \\t]*)(?P<linesep>\\r\\n|\\r|\\n)?$``: blanks, then a line end or none (``$`` also
    matches before a last ``\\n``)."""
    stripped = rest.lstrip(" \t")
    blanks = rest[: len(rest) - len(stripped)]
    if not stripped:
        return blanks, None
    for end in _LINE_ENDS:
        if stripped == end or stripped == end + "\n":
            return blanks, end
    return None


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern[str] | BoundaryLine:
    """``re.compile``, except for the parser's boundary patterns."""
    if not flags and pattern.startswith(PREFIX) and pattern.endswith(SUFFIX):
        escaped = pattern[len(PREFIX): -len(SUFFIX)]
        separator = _UNESCAPE.sub(r"\1", escaped)
        if re.escape(separator) == escaped:
            return BoundaryLine(separator)
    return re.compile(pattern, flags)


def install() -> bool:
    """Have :mod:`email.feedparser` match boundaries with :class:`BoundaryLine` (once; True if it does)."""
    names = vars(feedparser)  # the parser's own globals: it looks ``re`` up there when it meets a boundary
    if isinstance(names.get("re"), SimpleNamespace):
        return True
    parsegen = getattr(feedparser.FeedParser, "_parsegen", None)
    constants = getattr(getattr(parsegen, "__code__", None), "co_consts", ())
    if names.get("re") is not re or PREFIX not in constants or SUFFIX not in constants:
        return False
    names["re"] = SimpleNamespace(compile=compile_pattern, escape=re.escape)
    return True
