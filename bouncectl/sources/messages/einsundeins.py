"""1&1 (1und1.de, ionos, ``kundenserver.de``): the failure notices of its mail system.

1&1's notice comes from ``"Mail Delivery System" <mailer-daemon@...>`` with the subject ``Mail
delivery failed: returning message to sender``; it opens as Exim's does (``This message was created
automatically by mail delivery software.``), then writes ``The following address failed:``, the
address alone on its line, ``For the following reason:`` and 1&1's own text (``Mail size limit
exceeded. For explanation visit http://postmaster.1and1.com/...``), or, for a remote refusal,
``SMTP error from remote server for TEXT command, host: NAME (IP) reason: REPLY`` (TEXT: the
message's data). The header of the returned message follows ``--- The header of the original message
is following. ---``. Its mail carries United Internet's ``X-UI-Out-Filterresults``, as GMX's does
(Sisimai's Lhost/EinsUndEins source reads the same marks). The entries are read as GMX's are
(:mod:`bouncectl.sources.messages.gmx`: one family of notices).
"""

from __future__ import annotations

import re

from bouncectl.sources.messages import gmx
from bouncectl.sources.messages.base import Bounce, Finding, first_reason, normalize, reasons, refine

NAME = "einsundeins"

SUBJECT = "mail delivery failed: returning message to sender"
# 1&1's own lines (GMX's notices write neither).
MARKERS = ("\nfor the following reason:", "smtp error from remote server for text command")
STOP = re.compile(r"^-{3}\s*the header of the original message is following", re.IGNORECASE)
ADDRESS_LINE = re.compile(r"^\s*<?(?P<a>[^\s<>:\"]+@[^\s<>:\"]+\.[A-Za-z]{2,})>?:?\s*$")
# 1&1's own texts, and the reason each states.
REASONS = reasons(
    (r"^mail size limit exceeded", "mesgtoobig"),
)
ORIGIN = "1&1 failure notice texts ('Mail size limit exceeded', postmaster.1and1.com error pages)"


def recognise(bounce: Bounce) -> bool:
    low = bounce.lower
    return (bounce.sender_name.strip().lower() == "mail delivery system"
            and bounce.subject.strip().lower() == SUBJECT
            and "created automatically by mail delivery software" in low
            and any(marker in low for marker in MARKERS))


def decode(bounce: Bounce) -> list[Finding] | None:
    entries: list[tuple[str, list[str]]] = []
    for line in bounce.lines:
        if STOP.match(line):
            break
        heading = ADDRESS_LINE.match(line)
        if heading:
            entries.append((normalize(heading.group("a")), []))
        elif entries and line.strip():
            entries[-1][1].append(line.strip())
    read: dict[str, Finding] = {}
    for address, lines in entries:
        finding = gmx._entry(address, lines)
        finding.decoder = NAME
        reason = None if finding.command else first_reason(finding.diagnostic or "", REASONS)
        if reason:
            finding.decoder_reason, finding.reason_origin = reason, ORIGIN
        read[address] = finding
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or findings or None
    return refine(findings, read)
