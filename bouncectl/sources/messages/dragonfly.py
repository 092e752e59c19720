"""DragonFly Mail Agent (dma): ``Mail delivery failed``.

dma's notice (dma's mail.c) says ``This is the DragonFly Mail Agent ... at HOST.``, then
``There was an error delivering your mail to <address>.`` and, for a remote refusal,
``HOST [IP] did not like our COMMAND:`` followed by the reply; ``Message headers follow.``
ends it.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, command_name, finding_of, host_name, normalize

NAME = "dragonfly"

BODY = re.compile(r"^this is the dragonfly mail agent", re.IGNORECASE | re.MULTILINE)
TO = re.compile(r"^there was an error delivering your mail to <(?P<a>[^<>\s]+@[^<>\s]+)>\.", re.IGNORECASE)
LIKE = re.compile(r"^(?P<h>\S+) \[[^\]]*\] did not like our (?P<c>rcpt to|mail from|final data|data|helo|ehlo)",
                  re.IGNORECASE)
STOP = re.compile(r"^message headers follow\.|^original message follows\.", re.IGNORECASE)


def recognise(bounce: Bounce) -> bool:
    return "dragonfly mail agent" in bounce.lower and bool(BODY.search(bounce.text))


def decode(bounce: Bounce) -> list[Finding] | None:
    found: list[Finding] = []
    address, host, command = None, None, None
    lines: list[str] = []
    for line in bounce.text.splitlines():
        if STOP.match(line):
            break
        to = TO.match(line)
        if to:
            if address:
                found.append(finding_of(address, "\n".join(lines), command=command, host=host))
            address, lines, host, command = normalize(to.group("a")), [], None, None
            continue
        like = LIKE.match(line)
        if like and address:
            host, command = host_name(like.group("h")), command_name(like.group("c"))
            continue
        if address and line.strip():
            lines.append(line)
    if address:
        found.append(finding_of(address, "\n".join(lines), command=command, host=host,
                                diagnostic_type="SMTP" if command else None))
    return found or None
