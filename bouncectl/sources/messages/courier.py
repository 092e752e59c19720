"""Courier MTA: ``NOTICE: mail delivery status.``

Courier's notice (courier/module.dsn) says ``This is a delivery status notification from HOST,
running the Courier mail server``, then ``Your message to the following recipients cannot be
delivered:`` and, for each, ``<address>:`` followed by the remote host (``HOST [IP]:``) and the
session's ``>>>`` commands and ``<<<`` replies, or Courier's own text. Its notices come from
``Courier mail server at HOST`` with a ``<courier.`` Message-ID.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import (
    SMTP_COMMAND_OF_VERB,
    Bounce,
    Finding,
    entries,
    failed_exchange,
    finding_of,
    first_reason,
    host_name,
    reasons,
    refine,
    transcript,
)

NAME = "courier"

BODY = re.compile(r"running the courier mail server|^this is a delivery status notification from \S+,?\s*$",
                  re.IGNORECASE | re.MULTILINE)
HEADING = re.compile(r"^<(?P<a>[^<>\s]+@[^<>\s]+)>:\s*(?P<t>.*)$")
STOP = re.compile(r"^-{10,}")
LISTED = re.compile(r"following recipients (cannot|could not) be delivered"
                    r"|delivery to the following recipients (has been )?delayed", re.IGNORECASE)
HOST = re.compile(r"^\s*(?P<h>[a-z0-9.-]+\.[a-z]{2,})\s+\[[^\]]*\]:\s*$", re.IGNORECASE | re.MULTILINE)
SUBJECTS = re.compile(r"^(notice: mail delivery status\.|warning: delayed mail\.)$", re.IGNORECASE)

# Courier's own texts (courier/module.esmtp/esmtpclient.c), and the reason each states.
REASONS = reasons(
    (r"^no such domain\.", "hostunknown"),
    (r"this domain's dns violates rfc 1035", "systemerror"),
    (r"^dns lookup failed\.", "networkerror"),
)
ORIGIN = "Courier source (courier/module.esmtp/esmtpclient.c)"


def recognise(bounce: Bounce) -> bool:
    if ("courier mail server at " in bounce.sender_name.lower() or bounce.header("Message-ID").startswith("<courier.")
            or SUBJECTS.search(bounce.subject)) and LISTED.search(bounce.text):
        return True
    low = bounce.lower
    if "courier mail server" not in low and "delivery status notification from" not in low:
        return False
    return bool(BODY.search(bounce.text))


def decode(bounce: Bounce) -> list[Finding] | None:
    lines = bounce.lines
    start = next((i for i, line in enumerate(lines) if LISTED.search(line)), None)
    if start is None:
        return None
    read: dict[str, Finding] = {}
    for address, own in entries(lines[start + 1:], HEADING, stop=STOP):
        text = "\n".join(own)
        host = HOST.search(text)
        failed = failed_exchange(transcript(text))
        if failed is not None:
            read[address] = finding_of(address, failed.text, command=SMTP_COMMAND_OF_VERB.get(failed.command),
                                       host=host_name(host.group("h")) if host else None, diagnostic_type="SMTP")
        else:
            finding = finding_of(address, text, host=host_name(host.group("h")) if host else None)
            finding.decoder_reason = first_reason(finding.diagnostic or "", REASONS)
            finding.reason_origin = ORIGIN if finding.decoder_reason else None
            read[address] = finding
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or findings or None
    return refine(findings, read)
