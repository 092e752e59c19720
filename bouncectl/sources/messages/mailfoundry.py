"""MailFoundry: ``Message delivery has failed``.

MailFoundry writes ``Unable to deliver message to: <address>``, ``Delivery failed for the
following reason:`` and ``Server HOST[IP] failed with: REPLY``.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, finding_of, host_name, normalize

NAME = "mailfoundry"

TO = re.compile(r"^unable to deliver message to: <(?P<a>[^<>\s]+@[^<>\s]+)>", re.IGNORECASE)
SERVER = re.compile(r"^server (?P<h>[^\s\[]+)\[[^\]]*\] failed with:\s*(?P<r>.*)$", re.IGNORECASE)


def recognise(bounce: Bounce) -> bool:
    return (bounce.subject.strip().lower() == "message delivery has failed"
            and "delivery failed for the following reason" in bounce.lower)


def decode(bounce: Bounce) -> list[Finding] | None:
    found: list[Finding] = []
    address = None
    for line in bounce.lines:
        to = TO.match(line.strip())
        if to:
            address = normalize(to.group("a"))
            continue
        server = SERVER.match(line.strip())
        if server and address:
            found.append(finding_of(address, server.group("r"), host=host_name(server.group("h")),
                                    diagnostic_type="SMTP"))
            address = None
    return found or None
