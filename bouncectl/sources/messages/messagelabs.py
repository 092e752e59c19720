"""Symantec Email Security.cloud (formerly MessageLabs): ``Mail Delivery Failure``.

Its notices come from ``MAILER-DAEMON@messagelabs.com`` and carry ``X-Msg-Ref:
server-N.tower-N.messagelabs.com!...``, the MessageLabs server that wrote them; an RFC 3464
part gives each recipient's status and Diagnostic-Code. MessageLabs refuses to relay for an
unauthenticated client with ``Please turn on SMTP Authentication in your mail client``.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, first_reason, host_name, reasons

NAME = "messagelabs"

SERVER = re.compile(r"^\s*([a-z0-9.-]+\.messagelabs\.com)!", re.IGNORECASE)
# MessageLabs's own texts, and the reason each states.
REASONS = reasons(
    (r"please turn on smtp authentication in your mail client", "securityerror"),
)
ORIGIN = "Symantec Email Security.cloud (MessageLabs) relay refusal text"


def recognise(bounce: Bounce) -> bool:
    return (bool(bounce.header("X-Msg-Ref")) and bounce.sender_domain == "messagelabs.com"
            and bounce.subject.startswith("Mail Delivery Failure"))


def decode(bounce: Bounce) -> list[Finding] | None:
    findings = bounce.findings()
    server = SERVER.match(bounce.header("X-Msg-Ref"))
    for finding in findings:
        finding.host = finding.host or (host_name(server.group(1)) if server else None)
        reason = first_reason(finding.diagnostic or "", REASONS)
        if reason and finding.kind == "bounce":
            finding.decoder_reason, finding.reason_origin = reason, ORIGIN
    return findings or None
