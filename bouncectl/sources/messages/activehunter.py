"""TransWARE Active!hunter: ``FAILURE NOTICE :``, marked ``X-AHMailID``.

Active!hunter writes ``----- The following addresses had permanent fatal errors -----``, then
``>>> NAME <address>`` for each recipient and, under ``----- Transcript of session follows
-----``, the reply that refused it (``550 sorry, no mailbox here by that name (#5.1.1 - chkusr)``).
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, finding_of, normalize, refine

NAME = "activehunter"

START = re.compile(r"^\s*-+\s*the following addresses had permanent fatal errors\s*-+", re.IGNORECASE)
RECIPIENT = re.compile(r"^>>>\s+.*<(?P<a>[^<>\s]+@[^<>\s]+)>\s*$")
TRANSCRIPT = re.compile(r"^\s*-+\s*transcript of session follows\s*-+", re.IGNORECASE)


def recognise(bounce: Bounce) -> bool:
    return bool(bounce.header("X-AHMailID"))


def decode(bounce: Bounce) -> list[Finding] | None:
    addresses: list[str] = []
    reply: list[str] = []
    state = None
    for line in bounce.lines:
        if START.match(line):
            state = "addresses"
        elif TRANSCRIPT.match(line):
            state = "transcript"
        elif state == "addresses":
            found = RECIPIENT.match(line.strip())
            if found:
                addresses.append(normalize(found.group("a")))
        elif state == "transcript" and line.strip():
            if reply and not line[:1].isspace():
                break
            reply.append(line.strip())
    text = "\n".join(reply)
    read = {a: finding_of(a, text, diagnostic_type="SMTP") for a in dict.fromkeys(addresses)}
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or None
    return refine(findings, read)
