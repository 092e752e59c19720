"""Trustwave Secure Email Gateway (formerly MailMarshal SMTP): ``Undeliverable Mail: "SUBJECT"``.

MailMarshal writes ``Your message:`` with the returned message's ``From:`` and ``Subject:``,
``Could not be delivered because of`` and the remote server's reply, then ``The following
recipients were affected:`` with one address per line indented by four spaces; its
``Additional Information`` block gives ``Remote-MTA: <IP>`` and ``Reporting-MTA: <HOST>``.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, finding_of, host_name, normalize, refine

NAME = "mailmarshal"

SUBJECT = 'Undeliverable Mail: "'
BECAUSE = re.compile(r"^\s*could not be delivered because of\s*$", re.IGNORECASE)
AFFECTED = re.compile(r"^\s*the following recipients were affected:\s*$", re.IGNORECASE)
RECIPIENT = re.compile(r"^\s{2,}<?(?P<a>[^\s<>]+@[^\s<>]+?)>?\s*$")
ADDITIONAL = re.compile(r"^\s*additional information\s*$", re.IGNORECASE)
REMOTE = re.compile(r"^\s*remote-mta:\s*<?(?P<h>[^<>\s]+)>?\s*$", re.IGNORECASE)


def recognise(bounce: Bounce) -> bool:
    return bounce.subject.startswith(SUBJECT) and "could not be delivered because of" in bounce.lower


def decode(bounce: Bounce) -> list[Finding] | None:
    state = None
    error: list[str] = []
    addresses: list[str] = []
    host = None
    for line in bounce.lines:
        if BECAUSE.match(line):
            state = "because"
        elif AFFECTED.match(line):
            state = "affected"
        elif ADDITIONAL.match(line):
            state = "additional"
        elif state == "because" and line.strip():
            error.append(line.strip())
        elif state == "affected":
            found = RECIPIENT.match(line)
            if found:
                addresses.append(normalize(found.group("a")))
            elif line.strip():
                state = None
        elif state == "additional":
            remote = REMOTE.match(line)
            if remote:
                host = host_name(remote.group("h"))
    text = "\n".join(error)
    read = {a: finding_of(a, text, host=host, diagnostic_type="SMTP") for a in dict.fromkeys(addresses)}
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or None
    return refine(findings, read)
