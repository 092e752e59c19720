"""Citadel: ``Delivery Status Notification (Failure)`` from its SMTP client.

Citadel's notice (serv_smtpclient.c, ``smtp_do_bounce``) says ``A message you sent could not be
delivered to some or all of its recipients.`` then ``The following addresses were undeliverable:``,
or, when it gives up after retrying, ``... due to prolonged unavailability of its destination(s).``
and ``Giving up on the following addresses:``; then one line per recipient, ``ADDRESS: TEXT``. The
text is the remote reply without its reply code (``5.1.1 <u@example.org>: User unknown``) or one
of its client's own texts (``No MX hosts found for <example.org>``, ``Could not connect: ...``,
``Connection broken during SMTP RCPT``). The returned message follows in a message/rfc822 part.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, command_name, finding_of, first_reason, normalize, reasons

NAME = "citadel"

OPENING = "a message you sent could not be delivered to some or all of its recipients"
HEADLINE = re.compile(r"^(?:the following addresses were undeliverable|giving up on the following addresses):\s*$",
                      re.IGNORECASE)
ENTRY = re.compile(r"^(?P<a>[^\s<>@:]+@[^\s<>@:]+):\s+(?P<t>\S.*)$")
BROKEN = re.compile(r"connection broken during smtp (?P<c>helo|mail|rcpt|data|message transmit)", re.IGNORECASE)

# Citadel's SMTP client's own texts (serv_smtpclient.c), and the reason each states.
REASONS = reasons(
    (r"^no mx hosts found for", "hostunknown"),
    (r"^could not connect:", "networkerror"),
    (r"^connection broken during smtp", "networkerror"),
    (r"^error creating temporary file", "systemerror"),
)
ORIGIN = "Citadel source (serv_smtpclient.c: smtp_try, smtp_do_bounce)"


def recognise(bounce: Bounce) -> bool:
    return OPENING in bounce.lower and any(HEADLINE.match(line.strip()) for line in bounce.lines)


def decode(bounce: Bounce) -> list[Finding] | None:
    found: list[Finding] = []
    inside = gave_up = False
    for line in bounce.lines:
        line = line.strip()
        if HEADLINE.match(line):
            inside, gave_up = True, line.lower().startswith("giving up")
            continue
        if not inside:
            continue
        entry = ENTRY.match(line)
        if entry:
            found.append(_finding(normalize(entry.group("a")), entry.group("t"), gave_up))
        elif found and line:
            break  # the entries are one line each: what follows is no longer theirs
    return found or None


def _finding(address: str, text: str, gave_up: bool) -> Finding:
    """One recipient: a remote reply (its code left out by Citadel) or the client's own text."""
    broken = BROKEN.search(text)
    command = None
    if broken:
        verb = broken.group("c").lower()
        command = "DATA" if verb == "message transmit" else command_name(verb)
    found = finding_of(address, text, command=command)
    found.decoder_reason = first_reason(text, REASONS) or ("expired" if gave_up else None)
    found.reason_origin = ORIGIN if found.decoder_reason else None
    return found
