"""McAfee SaaS Email Protection (formerly MX Logic): its failure notices.

MX Logic marks its notices with ``X-MX-Bounce``, ``X-MXL-Hash`` or ``X-MXL-NoteHash``. The text
is Exim's (``This message was created automatically by mail delivery software.``), and either
lists each address with Exim's ``SMTP error from remote mail server after ...`` lines, or writes
``<address>: REPLY`` on one line; ``Included is a copy of the message header:`` ends it.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages import exim
from bouncectl.sources.messages.base import Bounce, Finding, finding_of, normalize, refine

NAME = "mxlogic"

HEADERS = ("X-MX-Bounce", "X-MXL-Hash", "X-MXL-NoteHash")
INLINE = re.compile(r"^\s+<(?P<a>[^<>\s]+@[^<>\s]+)>:\s*(?P<t>.+)$")
STOP = re.compile(r"^\s*included is a copy of the message header", re.IGNORECASE)


def recognise(bounce: Bounce) -> bool:
    return any(bounce.header(name) for name in HEADERS) and (
        "created automatically by mail delivery software" in bounce.lower)


def decode(bounce: Bounce) -> list[Finding] | None:
    texts: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in bounce.lines:
        if STOP.match(line):
            break
        inline = INLINE.match(line)
        if inline:
            current = texts.setdefault(normalize(inline.group("a")), [])
            current.append(inline.group("t").strip())
        elif current is not None and line.startswith("    ") and line.strip():
            current.append(line.strip())
        else:
            current = None
    if not texts:
        found = exim.decode(bounce)
        for finding in found or []:
            finding.decoder = NAME
        return found
    read = {a: finding_of(a, "\n".join(lines), diagnostic_type="SMTP") for a, lines in texts.items()}
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values())
    return refine(findings, read)
