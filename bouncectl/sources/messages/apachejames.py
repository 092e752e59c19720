"""Apache James: the notice of its ``Bounce`` and ``NotifySender`` mailets, subject ``[BOUNCE]``.

James's notify mailets (``AbstractNotify``) write the error under ``Error message below:``, then
``Message details:`` with the returned message's ``Subject:``, ``Sent date:``, ``MAIL FROM:``
and one ``RCPT TO: address`` line per recipient, each indented by two spaces. Its ``DSNBounce``
mailet lists ``Failed recipient(s):`` and then ``Error message:`` (and adds an RFC 3464 part).
James names itself in its ``Received`` fields (``JAMES SMTP Server``) and its Message-IDs
(``NNN.JavaMail.USER@HOST``).
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import ADDRESS, Bounce, Finding, finding_of, normalize, refine

NAME = "apachejames"

ERROR = re.compile(r"^\s*error message( below)?:\s*$", re.IGNORECASE)
DETAILS = re.compile(r"^\s*message details:\s*$", re.IGNORECASE)
FAILED = re.compile(r"^\s*failed recipient\(s\):\s*$", re.IGNORECASE)
RCPT = re.compile(r"^\s+RCPT TO:\s*<?(?P<a>[^\s<>]+@[^\s<>]+)>?\s*$", re.IGNORECASE)


def recognise(bounce: Bounce) -> bool:
    if bounce.subject.strip() == "[BOUNCE]" or ".JavaMail." in bounce.header("Message-ID"):
        return True
    return any("JAMES SMTP Server" in str(value) for value in bounce.received)


def decode(bounce: Bounce) -> list[Finding] | None:
    addresses: list[str] = []
    error: list[str] = []
    state = None
    for line in bounce.lines:
        if ERROR.match(line):
            state = "error"
        elif DETAILS.match(line):
            state = "details"
        elif FAILED.match(line):
            state = "failed"
        elif state == "error" and line.strip():
            error.append(line.strip())
        elif state == "details":
            rcpt = RCPT.match(line)
            if rcpt:
                addresses.append(normalize(rcpt.group("a")))
        elif state == "failed" and line.strip():
            found = ADDRESS.fullmatch(line.strip().strip("<>"))
            if found:
                addresses.append(normalize(found.group(1)))
    text = "\n".join(error)
    read = {address: finding_of(address, text) for address in dict.fromkeys(addresses)}
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or None
    return refine(findings, read)
