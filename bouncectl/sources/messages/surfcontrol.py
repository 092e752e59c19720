"""Websense SurfControl E-mail Filter: ``X-Mailer: SurfControl E-mail Filter``.

SurfControl stamps its mail ``X-SEF-Processed``. Its notice says ``Your message could not be
sent.`` and ``A transcript of the attempts to send the message follows.``, then for each
recipient ``Addressed To: address``, the date of the attempt, and a line
``address: [IP], REPLY`` (``Failed to send to identified host,`` before it); an RFC 3464 part
may follow.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, finding_of, host_name, normalize, refine

NAME = "surfcontrol"

START = "your message could not be sent."
ADDRESSED = re.compile(r"^\s*addressed to:\s*<?(?P<a>[^\s<>]+@[^\s<>]+?)>?\s*$", re.IGNORECASE)
ATTEMPT = re.compile(r"^\s*(?P<a>[^\s<>:]+@[^\s<>:]+):\s*\[(?P<h>[^\]]+)\],\s*(?P<r>.+)$")


def recognise(bounce: Bounce) -> bool:
    return bounce.header("X-Mailer").strip() == "SurfControl E-mail Filter" and bool(bounce.header("X-SEF-Processed"))


def decode(bounce: Bounce) -> list[Finding] | None:
    read: dict[str, Finding] = {}
    addressed = None
    started = False
    for line in bounce.lines:
        if line.strip().lower().startswith(START):
            started = True
            continue
        if not started:
            continue
        to = ADDRESSED.match(line)
        if to:
            addressed = normalize(to.group("a"))
            continue
        attempt = ATTEMPT.match(line)
        if attempt:
            address = normalize(attempt.group("a")) if addressed is None else addressed
            read[address] = finding_of(address, attempt.group("r"), host=host_name(attempt.group("h")),
                                       diagnostic_type="SMTP")
            addressed = None
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or None
    return refine(findings, read)
