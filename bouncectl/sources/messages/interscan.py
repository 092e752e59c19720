"""Trend Micro InterScan Messaging Security Suite: the notice from ``"InterScan MSS"``.

InterScan quotes the session as ``Sent <<< COMMAND`` and ``Received >>> REPLY`` (its arrows
point the other way from Sendmail's), or writes ``Unable to deliver message to <address>``.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import (
    ADDRESS,
    SMTP_COMMAND_OF_VERB,
    Bounce,
    Finding,
    failed_exchange,
    finding_of,
    normalize,
    refine,
    transcript,
)

NAME = "interscan"

SENT = re.compile(r"^\s*Sent\s+<<<\s?(.*)$", re.IGNORECASE)
GOT = re.compile(r"^\s*Received\s+>>>\s?(.*)$", re.IGNORECASE)


def recognise(bounce: Bounce) -> bool:
    low = bounce.lower
    return "interscan" in bounce.sender_name.lower() or ("sent <<< " in low and "received >>> " in low)


def decode(bounce: Bounce) -> list[Finding] | None:
    read: dict[str, Finding] = {}
    exchanges = transcript(bounce.text, sent=SENT, got=GOT)
    failed = failed_exchange(exchanges)
    if failed is not None:
        named = ADDRESS.search(failed.argument) or ADDRESS.search(failed.text)
        if named:
            address = normalize(named.group(1))
            read[address] = finding_of(address, failed.text, command=SMTP_COMMAND_OF_VERB.get(failed.command),
                                       diagnostic_type="SMTP")
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or findings or None
    return refine(findings, read)
