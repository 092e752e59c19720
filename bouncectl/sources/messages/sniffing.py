"""Whether an input is a bounce message, told from its first bytes without loading the decoders:
every import detects its format, and most inputs are not messages."""

from __future__ import annotations

import codecs
import re

from bouncectl.sources.source import Source

# Header names of a copied message; a copy starts with at least three, one of them not an echo field.
COPIED_HEADER = re.compile(
    r"^(received|return-path|from|to|subject|date|message-id|mime-version|content-type|dkim-signature|arc-seal"
    r"|delivered-to|reply-to|x-[a-z0-9-]+|authentication-results|sender|cc|in-reply-to|references):[ \t]",
    re.IGNORECASE,
)
HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]?")
SNIFF_BYTES = 8192
# :data:`COPIED_HEADER` on bytes, so that a line is not decoded to be tested: the same matches as on
# the line read as Latin-1 (ignoring case there folds no character but ASCII letters into ASCII).
COPIED_HEADER_BYTES = re.compile(COPIED_HEADER.pattern.encode("ascii"), re.IGNORECASE)


def utf16(head: bytes) -> str | None:
    """The UTF-16 codec a file's first bytes are in (by its byte-order mark, else by the zero byte
    that follows, or comes before, each ASCII character of a header name), or ``None``."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 4 and head[1] == head[3] == 0 and head[0] and head[2]:
        return "utf-16-le"
    if len(head) >= 4 and head[0] == head[2] == 0 and head[1] and head[3]:
        return "utf-16-be"
    return None


def sniff(head: bytes, source: Source) -> bool:
    if source.is_dir:
        path = source.path
        return bool(path and ((path / "cur").is_dir() or (path / "new").is_dir() or any(path.glob("*.eml"))))
    encoding = utf16(head)
    if encoding:  # the first bytes may end inside a character
        head = head.decode(encoding, errors="ignore").encode("utf-8")
    data = head.lstrip(b"\r\n")
    # The first 60 lines: those of the first bytes when these hold more (the rest is not split).
    lines = data[:SNIFF_BYTES].splitlines()
    if len(lines) <= 60 and len(data) > SNIFF_BYTES:
        lines = data.splitlines()
    lines = lines[:60]
    if lines and lines[0].startswith(b"From "):
        lines = lines[1:]
    if not lines or not HEADER_LINE.match(lines[0]):
        return False
    known = 0
    for line in lines:
        if not line.strip():
            break
        known += bool(COPIED_HEADER_BYTES.match(line))
    return known >= 2
