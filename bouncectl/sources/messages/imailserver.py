"""Ipswitch IMail Server: ``Undeliverable Mail``, from ``X-Mailer: <SMTP32 v...>``.

IMail writes one line per recipient, ``TEXT: address`` (``Unknown user: a@example.com``),
or ``undeliverable to address`` with the remote reply after ``Body of message generated
response:``; ``Original message follows.`` ends it. Its own texts name the failure.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import ADDRESS, Bounce, Finding, finding_of, first_reason, normalize, reasons

NAME = "imailserver"

LINE = re.compile(r"^(?P<t>[A-Za-z][^:]{6,}):\s+<?(?P<a>[^\s<>@]+@[^\s<>@]+)>?\s*$")
UNDELIVERABLE = re.compile(r"^undeliverable to\s+<?(?P<a>[^\s<>@]+@[^\s<>@]+)>?\s*$", re.IGNORECASE)
STOP = re.compile(r"^original message follows\.", re.IGNORECASE)
# IMail's own texts, and the reason each states.
REASONS = reasons(
    (r"^unknown host:", "hostunknown"),
    (r"^(unknown user|invalid final delivery userid):", "userunknown"),
    (r"^user mailbox exceeds allowed size:", "mailboxfull"),
    (r"requested action not taken: virus detected", "virusdetected"),
    (r"blacklisted url in message", "spamdetected"),
    (r"^delivery failed \d+ attempts:", "expired"),
)
ORIGIN = "Ipswitch IMail Server's notice texts"


def recognise(bounce: Bounce) -> bool:
    return bounce.header("X-Mailer").startswith("<SMTP32 v") or bounce.subject.strip().startswith("Undeliverable Mail")


def decode(bounce: Bounce) -> list[Finding] | None:
    found: list[Finding] = []
    extra: list[str] = []
    for line in bounce.lines:
        if STOP.match(line):
            break
        line = line.strip()
        head = LINE.match(line) or UNDELIVERABLE.match(line)
        if head:
            finding = finding_of(normalize(head.group("a")), line)
            finding.decoder_reason = first_reason(line, REASONS)
            finding.reason_origin = ORIGIN if finding.decoder_reason else None
            found.append(finding)
        elif found and line:
            extra.append(line)
    if not found:
        return None
    if extra and len(found) == 1:
        # The remote reply that follows ``Body of message generated response:`` explains the last one.
        last = found[-1]
        more = finding_of(last.recipient, "\n".join(extra))
        last.diagnostic = f"{last.diagnostic} {more.diagnostic}".strip()
        last.smtp_code = last.smtp_code or more.smtp_code
        last.enhanced_status = last.enhanced_status or more.enhanced_status
    return found if all(ADDRESS.fullmatch(f.recipient) for f in found) else None
