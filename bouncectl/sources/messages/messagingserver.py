"""Oracle (Sun, iPlanet) Communications Messaging Server and PMDF: ``Delivery Notification: ...``.

Its notice says ``This report relates to a message you sent with the following header
fields:``, then ``Your message cannot be delivered to the following recipients:`` and, per
recipient, labelled lines: ``Recipient address:``, ``Original address:``, ``Reason:``,
``Diagnostic code: TYPE;REPLY`` and ``Remote system: dns;HOST (...)``.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import (
    ADDRESS,
    Bounce,
    Finding,
    finding_of,
    first_reason,
    host_name,
    normalize,
    reasons,
    refine,
)

NAME = "messagingserver"

FIELD = re.compile(r"^\s*(?P<k>recipient address|original address|reason|diagnostic code|remote system):\s*(?P<v>.*)$",
                   re.IGNORECASE)
# The Messaging Server's own reasons (its documented delivery status notification texts).
REASONS = reasons(
    (r"^illegal host/domain name found", "hostunknown"),
    (r"^no such (user|mailbox)", "userunknown"),
)
ORIGIN = "Oracle Communications Messaging Server delivery status notification texts"


def recognise(bounce: Bounce) -> bool:
    low = bounce.lower
    return "this report relates to a message you sent with the following header fields" in low or (
        "recipient address:" in low and bounce.subject.lower().startswith("delivery notification:"))


def decode(bounce: Bounce) -> list[Finding] | None:
    entries: list[dict[str, str]] = []
    for line in bounce.lines:
        field = FIELD.match(line)
        if not field:
            continue
        key, value = field.group("k").lower(), field.group("v").strip()
        if key == "recipient address" or not entries:
            entries.append({})
        entries[-1].setdefault(key, value)
    read: dict[str, Finding] = {}
    for entry in entries:
        found = ADDRESS.search(entry.get("original address", "")) or ADDRESS.search(entry.get("recipient address", ""))
        if not found:
            continue
        address = normalize(found.group(1))
        kind, _, reply = entry.get("diagnostic code", "").partition(";")
        remote = entry.get("remote system", "").partition(";")[2].split(" ")[0]
        text = reply.strip() or entry.get("reason", "")
        finding = finding_of(address, text, host=host_name(remote) if remote else None,
                             diagnostic_type=kind.strip() or None if reply else None)
        finding.decoder_reason = None if reply.strip() else first_reason(entry.get("reason", ""), REASONS)
        finding.reason_origin = ORIGIN if finding.decoder_reason else None
        read[address] = finding
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or findings or None
    return refine(findings, read)
