"""Haraka: the ``failure notice`` of its outbound delivery (its ``outbound.bounce_message`` template).

Haraka's notice says ``Hi. This is the Haraka Mailer program at HOST.`` and then, for every
recipient of the failed delivery at once, ``Intended Recipients: ADDRESS, ADDRESS`` and
``Failure Reason: TEXT`` (the remote reply, or Haraka's own text); ``--- Below this line is a
copy of the message.`` ends it. Its ``Received`` field says ``(Haraka PID invoked for bounce)``.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import ADDRESS, Bounce, Finding, finding_of, normalize

NAME = "haraka"

OPENING = "this is the haraka mailer program at"
RECIPIENTS = re.compile(r"^intended recipients:\s*(?P<a>.+)$", re.IGNORECASE)
REASON = re.compile(r"^failure reason:\s*(?P<t>.*)$", re.IGNORECASE)
STOP = re.compile(r"^--- below this line is a copy of the message", re.IGNORECASE)


def recognise(bounce: Bounce) -> bool:
    if OPENING in bounce.lower:
        return True
    received = bounce.received
    return any("invoked for bounce" in str(value) and "(haraka " in str(value).lower() for value in received)


def decode(bounce: Bounce) -> list[Finding] | None:
    addresses: list[str] = []
    reason: list[str] = []
    reading = False
    for line in bounce.lines:
        if STOP.match(line):
            break
        recipients = RECIPIENTS.match(line.strip())
        if recipients:
            addresses += [normalize(found.group(1)) for found in ADDRESS.finditer(recipients.group("a"))]
            reading = False
            continue
        failure = REASON.match(line.strip())
        if failure:
            reason, reading = [failure.group("t")], True
        elif reading and line.strip():
            reason.append(line.strip())
        elif reading:
            reading = False
    if not addresses or not reason:
        return None
    text = "\n".join(reason)
    return [finding_of(address, text) for address in dict.fromkeys(addresses)]
