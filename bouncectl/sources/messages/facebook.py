"""Facebook's mail servers: ``Sorry, your message could not be delivered``.

Facebook answers from ``Facebook <mailer-daemon@mx.facebook.com>``; the notice says ``This
message was created automatically by Facebook.`` and its RFC 3464 part's Diagnostic-Code carries
one of Facebook's published response codes (``550 5.1.1 RCP-P1``). The reason half reads the
codes from Facebook's table, chosen by the host: Facebook's own server.
"""

from __future__ import annotations

from bouncectl.sources.messages.base import Bounce, Finding

NAME = "facebook"

SUBJECT = "sorry, your message could not be delivered"
SENDER_DOMAIN = "mx.facebook.com"


def recognise(bounce: Bounce) -> bool:
    return bounce.sender_domain == SENDER_DOMAIN and bounce.subject.strip().lower() == SUBJECT


def decode(bounce: Bounce) -> list[Finding] | None:
    findings = bounce.findings()
    for finding in findings:
        finding.host = finding.host or SENDER_DOMAIN
    return findings or None
