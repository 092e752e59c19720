"""SendGrid's own bounce notices (``Undelivered Mail Returned to Sender`` from ``apps@sendgrid.net``).

The notice says ``This is an automatically generated message from SendGrid.`` and writes one
line per recipient, ``ID:NNN:<address> : SENDING IP : HOST:[IP] :`` with the remote reply on the
next line ending in the command it answered (``... User Unknown  in RCPT TO``); an RFC 3464
part follows (with ``X-SendGrid-QueueID``).
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, command_name, finding_of, host_name, normalize, refine

NAME = "sendgrid"

START = "this is an automatically generated message from sendgrid."
ENTRY = re.compile(r"^\S*<(?P<a>[^<>\s]+@[^<>\s]+)>\s*:\s*\S+\s*:\s*(?P<h>[A-Za-z0-9.-]+)?:?\[?[^\]]*\]?\s*:\s*$")
IN_COMMAND = re.compile(r"\s+in (?:end of )?(?P<c>rcpt to|mail from|data|helo|ehlo)\s*$", re.IGNORECASE)


def recognise(bounce: Bounce) -> bool:
    return START in bounce.lower and (
        "sendgrid.net" in bounce.header("Return-Path").lower() or "sendgrid" in bounce.sender_domain)


def decode(bounce: Bounce) -> list[Finding] | None:
    read: dict[str, Finding] = {}
    lines = bounce.lines
    for i, line in enumerate(lines):
        entry = ENTRY.match(line.strip())
        if not entry or i + 1 >= len(lines):
            continue
        reply = lines[i + 1].strip()
        command = IN_COMMAND.search(reply)
        address = normalize(entry.group("a"))
        read[address] = finding_of(address, reply[:command.start()] if command else reply,
                                   command=command_name(command.group("c")) if command else None,
                                   host=host_name(entry.group("h") or ""), diagnostic_type="SMTP")
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or findings or None
    return refine(findings, read)
