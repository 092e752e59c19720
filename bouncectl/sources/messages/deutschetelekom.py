"""Deutsche Telekom (T-Online, ``t-online.de``, ``magenta.de``): the notices of its mail system, built
on Smail 3.

T-Online's notices come from ``Mailer-Daemon@t-online.de`` and carry ``X-TOI-MSGID``; their layout
is Smail's (src/notify.c: the banner lines ``|---- Failed addresses follow: ----|``, ``|---- Message
header follows: ----|``), with each failed address in angle brackets on its own line (`` <address>``)
and the remote reply indented on the next (``552 5.2.2 <address> Quota exceeded (mailbox for user is
full)``); Sisimai's Lhost/DeutscheTelekom source reads the same marks. The entries are read as
Smail's are (:mod:`bouncectl.sources.messages.smail`).
"""

from __future__ import annotations

from bouncectl.sources.messages import smail
from bouncectl.sources.messages.base import Bounce, Finding

NAME = "deutschetelekom"

DOMAINS = ("t-online.de", "magenta.de", "telekom.de")


def recognise(bounce: Bounce) -> bool:
    domain = bounce.sender_domain
    marked = bool(bounce.header("X-TOI-MSGID")) or any(domain == d or domain.endswith("." + d) for d in DOMAINS)
    return marked and smail.recognise(bounce)


def decode(bounce: Bounce) -> list[Finding] | None:
    found = smail.decode(bounce)
    for finding in found or []:
        finding.decoder = NAME
    return found
