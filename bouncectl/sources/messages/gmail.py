"""Gmail and Google Workspace: ``Delivery Status Notification (Failure)`` (and ``(Delay)``).

Google's older notice says ``Delivery to the following recipient failed permanently:``, the
address indented, then ``Technical details of permanent failure:`` and ``Google tried to
deliver your message, but it was rejected by the server for the recipient domain DOMAIN by
HOST. [IP].`` followed by ``The error that the other server returned was: REPLY``. The newer
one heads each failure with ``** Address not found **``, ``** Message blocked **``, ... and
quotes ``The response from the remote server was:``; its DSN part gives the status.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import (
    ADDRESS,
    Bounce,
    Finding,
    finding_of,
    first_reason,
    host_name,
    normalize,
    reasons,
    refine,
)

NAME = "gmail"

SENDERS = re.compile(r"^mailer-daemon@(googlemail\.com|google\.com)$", re.IGNORECASE)
BODY = re.compile(r"delivery to the following recipients? failed( permanently)?:|google tried to deliver your message"
                  r"|^\*\* (address not found|message blocked|message not delivered|message rejected)"
                  r"|technical details of "
                  r"(permanent|temporary) failure:", re.IGNORECASE | re.MULTILINE)
# The notice wraps its lines anywhere, inside these phrases too.
RETURNED = re.compile(r"(the\s+error\s+that\s+the\s+other\s+server\s+returned\s+was:"
                      r"|the\s+response\s+from\s+the\s+remote\s+server\s+was:|the\s+response\s+was:)\s*(?P<r>.*)",
                      re.IGNORECASE | re.DOTALL)
BY_HOST = re.compile(r"\bby (?P<h>[a-z0-9.-]+\.[a-z]{2,})\.? \[", re.IGNORECASE)

# Google's own texts, as its notices and "Gmail SMTP errors and codes" word them.
REASONS = reasons(
    (r"dns error: (address resolution of \S+ failed: )?domain name not found", "hostunknown"),
    (r"\bdomain name not found\b", "hostunknown"),
    (r"the email account that you tried to reach does not exist", "userunknown"),
    (r"the email account that you tried to reach is over quota|inbox is out of storage space", "mailboxfull"),
    (r"the email account that you tried to reach is disabled", "suspend"),
    (r"exceeded google's message size limits|your message (was|is) too large", "mesgtoobig"),
    # Written once Gmail has given up retrying a server that refused its connections (the notice of a
    # delivery that expired: the reference classifier's Gmail decoder, p5-sisimai lib/Sisimai/Lhost/Gmail.pm,
    # reads it so, as do the corpus's two samples of it).
    (r"the recipient server did not accept our requests to connect", "expired"),
)
ORIGIN = "Google: Gmail SMTP errors and codes (support.google.com/a/answer/3726730)"

# Google's older notices end the quoted reply with the state its SMTP client was in, "(state 14)": the
# command the reply answered (14: RCPT TO, 15 to 18: DATA and the message).
STATE = re.compile(r"\(state (?P<n>\d{1,2})\)")
COMMAND_OF_STATE = {"14": "RCPT", "15": "DATA", "16": "DATA", "17": "DATA", "18": "DATA"}


def recognise(bounce: Bounce) -> bool:
    return bool(SENDERS.match(bounce.sender)) or ("google" in bounce.lower and bool(BODY.search(bounce.text)))


def decode(bounce: Bounce) -> list[Finding] | None:
    text = bounce.text
    kind = "deferred" if "(delay)" in bounce.subject.lower() or "temporary failure" in text.lower() else "bounce"
    read: dict[str, Finding] = {}
    addresses = _listed(text)
    returned = RETURNED.search(text)
    reply = ""
    if returned:
        reply = re.split(r"\n\s*\n", returned.group("r").strip(), maxsplit=1)[0]
    host = BY_HOST.search(text)
    details = text[text.lower().find("technical details"):] if "technical details" in text.lower() else text
    state = STATE.search(reply)
    for address in addresses:
        finding = finding_of(address, reply or details, kind, host=host_name(host.group("h")) if host else None,
                             diagnostic_type="SMTP" if reply else None,
                             command=COMMAND_OF_STATE.get(state.group("n")) if state else None)
        finding.decoder_reason = first_reason(reply or details, REASONS)
        finding.reason_origin = ORIGIN if finding.decoder_reason else None
        read[address] = finding
    findings = bounce.findings()
    if not findings or not bounce.has_dsn:
        return list(read.values()) or findings or None
    return refine(findings, read, prefer_text=True)


LISTED = re.compile(r"delivery to the following recipients? failed(?: permanently)?:", re.IGNORECASE)


def _listed(text: str) -> list[str]:
    """The addresses listed, one an indented line, under ``Delivery to the following recipient failed``."""
    found = LISTED.search(text)
    if not found:
        return []
    addresses: list[str] = []
    for line in text[found.end():].splitlines()[1:]:
        if not line.strip():
            if addresses:
                break
            continue
        address = ADDRESS.fullmatch(line.strip())
        if not address or not line[:1].isspace():
            break
        addresses.append(normalize(address.group(1)))
    return addresses
