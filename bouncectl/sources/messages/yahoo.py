"""Yahoo (and AOL, Verizon Media's mail): ``Failure Notice`` from ``MAILER-DAEMON@yahoo.com``.

Yahoo's notice says ``Sorry, we were unable to deliver your message to the following
address.`` then ``<address>:`` and the remote server's reply (``Remote host said: ...``) or
Yahoo's own text; ``--- Below this line is a copy of the message.`` ends it.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, entries, finding_of

NAME = "yahoo"

BODY = re.compile(r"^sorry, we were unable to deliver your message to the following address", re.IGNORECASE | re.MULTILINE)
HEADING = re.compile(r"^<(?P<a>[^<>\s]+@[^<>\s]+)>:\s*(?P<t>.*)$")
STOP = re.compile(r"^--- below this line is a copy of the message", re.IGNORECASE)
STEPS: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p, re.IGNORECASE), c) for p, c in (
    (r"\[rcpt_to\]|rcpt to", "RCPT"), (r"\[mail_from\]|mail from", "MAIL"), (r"\[data\]|end of data", "DATA"),
    (r"\[connect\]|greeting", "CONN")))


def recognise(bounce: Bounce) -> bool:
    return "sorry, we were unable to deliver your message" in bounce.lower and bool(BODY.search(bounce.text))


def decode(bounce: Bounce) -> list[Finding] | None:
    found = []
    for address, lines in entries(bounce.lines, HEADING, stop=STOP):
        text = "\n".join(line for line in lines if line)
        step = next((command for pattern, command in STEPS if pattern.search(text)), None)
        finding = finding_of(address, text, command=step)
        remote = re.search(r"remote host said:", text, re.IGNORECASE)
        finding.diagnostic_type = "SMTP" if remote else None
        found.append(finding)
    return found or None
