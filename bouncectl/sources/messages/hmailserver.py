"""hMailServer: ``Message undeliverable``, its ``SEND_FAILED_NOTIFICATION``.

hMailServer's notice (its server message ``SEND_FAILED_NOTIFICATION``) says ``Your message did
not reach some or all of the intended recipients.``, then ``The following recipient(s) could not
be reached:`` and one entry per recipient: the address alone on its line, then indented lines
(SMTPClientConnection.cpp, ExternalDelivery.cpp)::

    u@example.org
       Error Type: SMTP
       Remote server (192.0.2.1) issued an error.
       hMailServer sent: RCPT TO:<u@example.org>
       Remote server replied: 550 5.1.1 User unknown

or, when no connection was made, ``Connection to recipients server failed.`` and ``Error: TEXT``,
or one of its own ``Error Description:`` texts. A delivery given up after retries adds
``Tried N time(s)``; the notice ends with the line ``hMailServer``.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import (
    Bounce,
    Finding,
    command_name,
    finding_of,
    first_reason,
    normalize,
    reasons,
)

NAME = "hmailserver"

HEADLINE = "the following recipient(s) could not be reached:"
ENTRY = re.compile(r"^(?P<a>[^\s<>@]+@[^\s<>@]+)\s*$")
SENT = re.compile(r"^hmailserver sent:\s*(?P<c>.*)$", re.IGNORECASE)
REPLIED = re.compile(r"^remote server replied:\s*(?P<r>.*)$", re.IGNORECASE)
ERROR = re.compile(r"^(?:error|error description|additional information):\s*(?P<t>.*)$", re.IGNORECASE)
NOISE = re.compile(r"^(?:error type: \S+|remote server \([^)]*\) issued an error\.)$", re.IGNORECASE)
STOP = re.compile(r"^(?:hmailserver\s*$|tried \d+ time\(s\))", re.IGNORECASE)

# hMailServer's own texts (ExternalDelivery.cpp), and the reason each states.
REASONS = reasons(
    (r"no mail servers appear to exists? for the recipient's address", "hostunknown"),
    (r"unable to find the recipient's email server\. the dns query has failed", "networkerror"),
    (r"the host specified as smtp relay server could not be found", "systemerror"),
    (r"^remote server closed connection\.", "networkerror"),
    (r"^connection to recipients server failed\.", "networkerror"),
)
ORIGIN = "hMailServer source (ExternalDelivery.cpp, SMTPClientConnection.cpp)"


def recognise(bounce: Bounce) -> bool:
    low = bounce.lower
    return HEADLINE in low and ("hmailserver sent:" in low or any(
        line.strip().lower() == "hmailserver" for line in bounce.lines[-8:]))


def decode(bounce: Bounce) -> list[Finding] | None:
    lines = bounce.lines
    start = next((i for i, line in enumerate(lines) if line.strip().lower() == HEADLINE), None)
    if start is None:
        return None
    entries: list[tuple[str, list[str]]] = []
    for line in lines[start + 1:]:
        if STOP.match(line.strip()):
            break
        entry = ENTRY.match(line)
        if entry:
            entries.append((normalize(entry.group("a")), []))
        elif entries and line.strip():
            entries[-1][1].append(line.strip())
    found = [_finding(address, body) for address, body in entries if body]
    return found or None


def _finding(address: str, body: list[str]) -> Finding:
    """One recipient: the reply to the command hMailServer names, or its own error text."""
    command, reply, own = None, [], []
    for line in body:
        sent, replied, error = SENT.match(line), REPLIED.match(line), ERROR.match(line)
        if sent:
            verb = sent.group("c").strip()
            command = "DATA" if verb == "." else command_name(verb)
        elif replied:
            reply.append(replied.group("r"))
        elif reply:
            reply.append(line)  # a multi-line reply's further lines
        elif error:
            own.append(error.group("t"))
        elif not NOISE.match(line):
            own.append(line)
    if reply:
        return finding_of(address, "\n".join(reply), command=command, diagnostic_type="SMTP")
    text = "\n".join(own)
    found = finding_of(address, text)
    found.decoder_reason = first_reason(text, REASONS) or first_reason("\n".join(body), REASONS)
    found.reason_origin = ORIGIN if found.decoder_reason else None
    return found
