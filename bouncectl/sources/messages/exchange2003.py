"""Microsoft Exchange 2000/2003 and its Internet Mail Service (Exchange 5.5): the notice that
says ``Your message`` ... ``did not reach the following recipient(s):``.

These servers mark their mail with ``X-MS-Embedded-Report``, ``X-Mailer: Internet Mail Service
(5.5...)`` (or ``Microsoft Exchange Server Internet Mail Connector``), ``X-MimeOLE: Produced By
Microsoft Exchange V6.5`` or a ``Received: ... with Internet Mail Service (...)`` field. Each
recipient heads its entry, ``address on DATE`` (or ``... SMTP=address on DATE``); the lines
after it, indented, give the reason in words, the ``The MTS-ID of the original message is:``
line, and Exchange's own code, ``MSEXCH:IMS:ORG:SITE:SERVER 0 (000C05A6) Unknown Recipient``.
The eight hex digits in brackets are the Internet Mail Service's documented error code.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, finding_of, normalize, refine

NAME = "exchange2003"

MAILERS = ("internet mail service (", "microsoft exchange server internet mail connector")
DID_NOT_REACH = re.compile(r"did not reach the following recipient\(?s?\)?:", re.IGNORECASE)
HEADING = re.compile(r"^\s*(?:.*?\bsmtp=)?(?P<a>[^\s<>@()=]+@[^\s<>@()]+?)\)?\s+on\s+\S", re.IGNORECASE)
# The MTS-ID line and its folded ``;l=...`` tail say which message, not why it failed.
MTS_ID = re.compile(r"^\s*(the mts-id of the original message is:|;l=)", re.IGNORECASE)
MSEXCH = re.compile(r"\bMSEXCH:\S+.*?\((?P<c>[0-9A-F]{8})\)", re.IGNORECASE)

# The Internet Mail Service's error codes, and the reason each states.
CODES = {
    "000C05A6": "userunknown",  # Unknown Recipient
    "000C0595": "filtered",  # Ambiguous Recipient
    "00010256": "systemerror",  # Too many recipients
    "000D06B5": "systemerror",  # No proxy for recipient
    "00120270": "networkerror",  # Too many hops
    "00050311": "contenterror",  # Conversion to Internet format failed
    "000502CC": "contenterror",  # Conversion to Internet format failed
    "000B0981": "securityerror",  # The remote server does not support AUTH
}
ORIGIN = ("Microsoft Exchange 2000/2003 Internet Mail Service: its MSEXCH:IMS error codes "
          "(000C05A6 Unknown Recipient, 000C0595 Ambiguous Recipient, 00120270 Too many hops, ...)")


def recognise(bounce: Bounce) -> bool:
    marked = (bounce.msg.get("X-MS-Embedded-Report") is not None
              or bounce.header("X-Mailer").strip().lower().startswith(MAILERS)
              or bounce.header("X-MimeOLE").strip().lower().startswith("produced by microsoft exchange")
              or any(" with internet mail service (" in str(value).lower()
                     for value in bounce.received))
    return marked and bool(DID_NOT_REACH.search(bounce.text))


def decode(bounce: Bounce) -> list[Finding] | None:
    read = _read(bounce.text)
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or findings or None
    return refine(findings, read, prefer_text=True)


def _read(text: str) -> dict[str, Finding]:
    found = DID_NOT_REACH.search(text)
    if not found:
        return {}
    entries: list[tuple[str, list[str]]] = []
    for line in text[found.end():].splitlines():
        head = HEADING.match(line)
        if head:
            entries.append((normalize(head.group("a")), []))
        elif entries and line.strip() and not MTS_ID.match(line):
            entries[-1][1].append(line.strip())
    read: dict[str, Finding] = {}
    for address, lines in entries:
        diagnostic = "\n".join(lines)
        finding = finding_of(address, diagnostic)
        code = MSEXCH.search(" ".join(lines))
        finding.decoder_reason = CODES.get(code.group("c").upper()) if code else None
        finding.reason_origin = ORIGIN if finding.decoder_reason else None
        read.setdefault(address, finding)
    return read
