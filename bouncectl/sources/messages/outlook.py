"""Outlook.com (formerly Hotmail, MSN): its delivery status notifications.

Outlook.com's servers mark their mail with ``X-Message-Delivery`` and ``X-Message-Info`` and are
named in ``Received`` fields under ``.hotmail.com``; the subject is ``Delivery Status
Notification (Failure)``. The notice says ``This is an automatically generated Delivery Status
Notification.`` and carries an RFC 3464 part; when the remote server could not be reached its
text is ``The mail could not be delivered to the recipient because the domain is not
reachable``.
"""

from __future__ import annotations

from bouncectl.sources.messages.base import Bounce, Finding, first_reason, reasons

NAME = "outlook"

# Outlook.com's own texts, and the reason each states.
REASONS = reasons(
    (r"could not be delivered to the recipient because the domain is not reachable", "hostunknown"),
)
ORIGIN = "Outlook.com delivery status notification texts"


def recognise(bounce: Bounce) -> bool:
    marks = ("delivery status notification" in bounce.subject.lower(),
             bool(bounce.header("X-Message-Delivery")), bool(bounce.header("X-Message-Info")),
             any(".hotmail.com" in str(value) for value in bounce.received))
    return bounce.has_dsn and sum(marks) >= 2


def decode(bounce: Bounce) -> list[Finding] | None:
    findings = bounce.findings()
    for finding in findings:
        reason = first_reason(finding.diagnostic or "", REASONS) or first_reason(bounce.text, REASONS)
        if reason and finding.kind == "bounce":
            finding.decoder_reason, finding.reason_origin = reason, ORIGIN
    return findings or None
