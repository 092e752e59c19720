"""m-FILTER (Digital Arts): ``failure notice`` with ``X-Mailer: m-FILTER``.

m-FILTER's notice lists the failed address, then ``-------server message`` and the remote
reply, then ``-------SMTP command`` and the command it refused; ``-------original mail info``
ends it.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import ADDRESS, Bounce, Finding, command_name, finding_of, normalize

NAME = "mfilter"

SECTION = re.compile(r"^-{5,}\s*(?P<s>server message|smtp command|original mail info)\s*$", re.IGNORECASE)


def recognise(bounce: Bounce) -> bool:
    return bounce.header("X-Mailer").strip().lower() == "m-filter" or "-------server message" in bounce.lower


def decode(bounce: Bounce) -> list[Finding] | None:
    addresses: list[str] = []
    reply: list[str] = []
    command = None
    section = None
    for line in bounce.lines:
        head = SECTION.match(line.strip())
        if head:
            section = head.group("s").lower()
            if section == "original mail info":
                break
            continue
        if not line.strip():
            continue
        if section is None:
            found = ADDRESS.fullmatch(line.strip())
            if found:
                addresses.append(normalize(found.group(1)))
        elif section == "server message":
            reply.append(line.strip())
        elif section == "smtp command" and command is None:
            command = command_name(line.strip())
    text = "\n".join(reply)
    return [finding_of(a, text, command=command, diagnostic_type="SMTP" if reply else None) for a in addresses] or None
