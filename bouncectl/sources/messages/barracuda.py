"""Barracuda Email Security Gateway (Spam Firewall): ``**Message you sent blocked by our bulk
email filter**``.

The notice says ``Your message to: address`` ``was blocked by our Spam Firewall. The email you
sent with the following subject has NOT BEEN DELIVERED:`` and carries an RFC 3464 part and the
returned message's headers (``text/rfc822-headers``). The subject states why: Barracuda's
filter took the message for bulk mail (spam).
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import ADDRESS, Bounce, Finding, finding_of, normalize

NAME = "barracuda"

SUBJECT = re.compile(r"\bblocked by our bulk e-?mail filter\b", re.IGNORECASE)
YOUR_MESSAGE = re.compile(r"^\s*your message to:?\s*(?P<v>.*)$", re.IGNORECASE)
REASON = "spamdetected"
ORIGIN = "Barracuda Email Security Gateway: its notice of a message blocked by the bulk email filter"


def recognise(bounce: Bounce) -> bool:
    return bool(SUBJECT.search(bounce.subject))


def decode(bounce: Bounce) -> list[Finding] | None:
    findings = bounce.findings()
    if not bounce.has_dsn:
        addresses: list[str] = []
        for line in bounce.lines:
            named = YOUR_MESSAGE.match(line)
            if named:
                addresses += [normalize(a) for a in ADDRESS.findall(named.group("v"))]
        findings = [finding_of(a, "") for a in dict.fromkeys(addresses)] or findings
    for finding in findings:
        if finding.kind == "bounce":
            finding.decoder_reason, finding.reason_origin = REASON, ORIGIN
    return findings or None
