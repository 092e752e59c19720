"""DragonFly Mail Agent (dma): ``Mail delivery failed``.

dma's notice (dma's mail.c) says ``This is the DragonFly Mail Agent ... at HOST.``, then
``There was an error delivering your mail to <address>.`` and, for a remote refusal,
``HOST [IP] did not like our COMMAND:`` followed by the reply; ``Message headers follow.``
ends it.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import (
    Bounce,
    Finding,
    command_name,
    finding_of,
    first_reason,
    host_name,
    normalize,
    reasons,
)

NAME = "dragonfly"

BODY = re.compile(r"^this is the dragonfly mail agent", re.IGNORECASE | re.MULTILINE)
TO = re.compile(r"^there was an error delivering your mail to <(?P<a>[^<>\s]+@[^<>\s]+)>\.", re.IGNORECASE)
LIKE = re.compile(r"^(?P<h>\S+) \[[^\]]*\] did not like our (?P<c>rcpt to|mail from|final data|data|helo|ehlo)",
                  re.IGNORECASE)
STOP = re.compile(r"^message headers follow\.|^original message follows\.", re.IGNORECASE)

# dma's own texts, and the reason each states.
REASONS = reasons(
    (r"^could not deliver for the last \d+ seconds", "expired"),  # dma.c: MAX_TIMEOUT reached
    (r"^dns lookup failure: host \S+ not found", "hostunknown"),  # net.c: no MX and no address
)
ORIGIN = "DragonFly Mail Agent source (dma.c, net.c)"


def recognise(bounce: Bounce) -> bool:
    if "dragonfly mail agent" in bounce.lower and BODY.search(bounce.text):
        return True
    # dma's own Received line ("by HOST (DragonFly Mail Agent v0.13)") and its recipient line.
    received = any("(dragonfly mail agent" in str(value).lower() for value in bounce.received)
    return received and any(TO.match(line) for line in bounce.lines)


def decode(bounce: Bounce) -> list[Finding] | None:
    found: list[Finding] = []
    address, host, command = None, None, None
    lines: list[str] = []
    for line in bounce.lines:
        if STOP.match(line):
            break
        to = TO.match(line)
        if to:
            if address:
                found.append(_finding(address, lines, command, host))
            address, lines, host, command = normalize(to.group("a")), [], None, None
            continue
        like = LIKE.match(line)
        if like and address:
            host, command = host_name(like.group("h")), command_name(like.group("c"))
            continue
        if address and line.strip():
            lines.append(line)
    if address:
        found.append(_finding(address, lines, command, host))
    return found or None


def _finding(address: str, lines: list[str], command: str | None, host: str | None) -> Finding:
    """One recipient: a remote reply (after "did not like our ...") or dma's own text."""
    text = "\n".join(lines)
    found = finding_of(address, text, command=command, host=host, diagnostic_type="SMTP" if command else None)
    if not command:
        found.decoder_reason = first_reason(text.strip(), REASONS)
        found.reason_origin = ORIGIN if found.decoder_reason else None
    return found
