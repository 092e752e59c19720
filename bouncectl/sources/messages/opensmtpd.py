"""OpenSMTPD: ``Delivery status notification: error`` (and ``: delay``).

OpenSMTPD's notice (smtpd/bounce.c) says ``This is the MAILER-DAEMON, please DO NOT REPLY to
this e-mail.``, then ``An error has occurred while attempting to deliver a message for the
following list of recipients:`` and one line per recipient, ``address: reply``; ``Below is a
copy of the original message:`` ends it.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, entries, finding_of, refine

NAME = "opensmtpd"

BODY = re.compile(r"this is the mailer-daemon, please do not reply to this e-?mail", re.IGNORECASE)
SUBJECTS = re.compile(r"^delivery status notification: (error|delay|warning)", re.IGNORECASE)
HEADING = re.compile(r"^\s*(?P<a>[^\s<>:]+@[^\s<>:]+):\s+(?P<t>.+)$")
STOP = re.compile(r"^\s*below is a copy of the original message", re.IGNORECASE)


def recognise(bounce: Bounce) -> bool:
    return bool(SUBJECTS.search(bounce.subject)) or ("mailer-daemon, please do not reply" in bounce.lower
                                                     and bool(BODY.search(bounce.text)))


def decode(bounce: Bounce) -> list[Finding] | None:
    lines = bounce.lines
    start = next((i for i, line in enumerate(lines) if "list of recipients:" in line.lower()), None)
    if start is None:
        return None
    subject = bounce.subject.lower()
    kind = "deferred" if "delay" in subject or "warning" in subject or "temporary failure report" in bounce.lower \
        else "bounce"
    read = {address: finding_of(address, " ".join(text), kind)
            for address, text in entries(lines[start + 1:], HEADING, stop=STOP)}
    findings = bounce.findings() if bounce.has_dsn else []
    if not findings:
        return list(read.values()) or None
    return refine(findings, read)
