"""Mail systems that do not name themselves, recognised by the wording of their notice alone.

- ``SMTP Server <HOST> rejected recipient <address> (Error following RCPT command). It
  responded as follows: [REPLY]``;
- ``Delivery to the following recipients failed permanently:`` with ``* address`` lines and
  ``Technical details:`` then ``SMTP:COMMAND host IP: REPLY`` (or its own ``Routing: TEXT``);
- ``---The following addresses had delivery errors---`` then ``address [TEXT]``;
- ``Unable to deliver message to the following address(es).`` then each ``<address>:`` and its
  error lines, up to ``--- Original message follows.``;
- ``The following recipients returned permanent errors: address, address.`` (the notice whose
  subject is ``There was an error sending your mail``).

(Sisimai's Lhost/X1, X2, X3 and X6 sources read the same layouts.)
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import (
    ADDRESS,
    Bounce,
    Finding,
    command_name,
    entries,
    finding_of,
    host_name,
    normalize,
    refine,
)

NAME = "x-mailer"

REJECTED = re.compile(r"smtp server <(?P<h>[^>]+)> rejected recipient <(?P<a>[^<>\s]+@[^<>\s]+)>"
                      r"\s*\(error following (?P<c>\w+) command\)\.\s*it responded as follows:\s*\[(?P<r>[^\]]*)\]",
                      re.IGNORECASE)
STARRED = re.compile(r"^\s*\*\s+(?P<a>[^\s<>@]+@[^\s<>@]+)\s*$")
TECHNICAL = re.compile(r"^smtp:(?P<c>\w+)\s+host\s+(?P<h>\S+):\s*(?P<r>.*)$", re.IGNORECASE)
ROUTING = re.compile(r"^routing:\s*(?P<r>.+)$", re.IGNORECASE)
ERRORS = re.compile(r"^-{2,}\s*the following addresses had delivery errors\s*-{2,}\s*$", re.IGNORECASE)
BRACKETED = re.compile(r"^(?P<a>[^\s<>@]+@[^\s<>@]+)\s+\[(?P<t>[^\]]+)\]\s*$")
UNABLE = re.compile(r"^\s*unable to deliver message to the following address(?:\(es\)|es)?\.?\s*$", re.IGNORECASE)
ANGLED = re.compile(r"^\s*<(?P<a>[^<>\s]+@[^<>\s]+)>:\s*(?P<t>.*)$")
ORIGINAL = re.compile(r"^\s*-{2,}\s*original message follows", re.IGNORECASE)
PERMANENT = re.compile(r"the following recipients returned permanent errors:\s*(?P<l>[^\n]+)", re.IGNORECASE)


def recognise(bounce: Bounce) -> bool:
    low = bounce.lower
    return ("it responded as follows:" in low or "technical details:" in low and ("smtp:" in low or "routing:" in low)
            or "the following addresses had delivery errors" in low
            or "the following recipients returned permanent errors:" in low
            or "unable to deliver message to the following address" in low
            and any(UNABLE.match(line) for line in bounce.lines))


def decode(bounce: Bounce) -> list[Finding] | None:
    read: dict[str, Finding] = {}
    text = " ".join(bounce.text.split())
    for found in REJECTED.finditer(text):
        address = normalize(found.group("a"))
        read[address] = finding_of(address, found.group("r"), command=command_name(found.group("c")),
                                   host=host_name(found.group("h")), diagnostic_type="SMTP")
    lines = bounce.lines
    starred = [normalize(m.group("a")) for m in map(STARRED.match, lines) if m]
    technical = next((m for m in map(TECHNICAL.match, (line.strip() for line in lines)) if m), None)
    if starred and technical:
        for address in starred:
            command = command_name(technical.group("c"))
            read.setdefault(address, finding_of(address, technical.group("r"), command=command, diagnostic_type="SMTP"))
    routing = next((m for m in map(ROUTING.match, (line.strip() for line in lines)) if m), None)
    if starred and routing and not technical and "technical details:" in bounce.lower:
        for address in starred:
            read.setdefault(address, finding_of(address, routing.group("r")))
    start = next((i for i, line in enumerate(lines) if ERRORS.match(line.strip())), None)
    if start is not None:
        for line in lines[start + 1:]:
            item = BRACKETED.match(line.strip())
            if item:
                address = normalize(item.group("a"))
                read.setdefault(address, finding_of(address, item.group("t")))
            elif line.strip() and read:
                break
    for address, finding in _listed(bounce.text, lines).items():
        read.setdefault(address, finding)
    read = {a: f for a, f in read.items() if ADDRESS.fullmatch(a)}
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or findings or None
    return refine(findings, read)


def _listed(text: str, lines: list[str]) -> dict[str, Finding]:
    """The ``Unable to deliver message to the following address(es).`` entries and the addresses of
    ``The following recipients returned permanent errors:``."""
    read: dict[str, Finding] = {}
    unable = next((i for i, line in enumerate(lines) if UNABLE.match(line)), None)
    if unable is not None:
        for address, entry in entries(lines[unable + 1:], ANGLED, stop=ORIGINAL):
            read.setdefault(address, finding_of(address, "\n".join(entry)))
    permanent = PERMANENT.search(text)
    if permanent:
        for found in ADDRESS.finditer(permanent.group("l")):
            address = normalize(found.group(1))
            read.setdefault(address, finding_of(address, permanent.group(0).strip()))
    return read
