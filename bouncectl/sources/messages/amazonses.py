"""Amazon SES (and Amazon WorkMail): the DSN that SES mails back from
``MAILER-DAEMON@email-bounces.amazonses.com`` (``X-Original-Mailer: Amazon WorkMail`` for WorkMail).

Its text says ``The following message to <address> was undeliverable. The reason for the
problem: STATUS - TEXT REPLY``, SES's own status and wording first, the remote server's reply
quoted after it (``550-'5.1.1 ... User unknown'``); the DSN part gives the status and
``Reporting-MTA: dns; *.amazonses.com``. The quoted reply is the remote server's whole answer.
"""

from __future__ import annotations

import re
from email.message import Message

from bouncectl.sources.messages.base import Bounce, Finding, finding_of, normalize, refine

NAME = "amazonses"

SENDER = re.compile(r"[@.]amazonses\.com$|\.awsapps\.com$", re.IGNORECASE)
# WorkMail appends the last reply of the remote server to its own text: ``...minutes.<421 4.4.2 ...>``.
INNER = re.compile(r"<(?P<c>[245]\d\d)[ -](?P<s>[245]\.\d{1,3}\.\d{1,3})?[^<>]*>\s*$")
TEXT = re.compile(r"the following message to <(?P<a>[^<>\s]+@[^<>\s]+)> was undeliverable\.\s*"
                  r"the reason for the problem:[ \t]*\n?", re.IGNORECASE)
QUOTED = re.compile(r"\b(?P<c>[245]\d\d)[- ]'(?P<t>[^']+)'")


def recognise(bounce: Bounce) -> bool:
    mailer = (bounce.header("X-Mailer") + " " + bounce.header("X-Original-Mailer")).lower()
    return bool(SENDER.search(bounce.sender)) or "amazonses.com" in mailer or "amazon workmail" in mailer or any(
        "amazonses.com" in str(part.get("Reporting-MTA", "")).lower() for report in bounce.reports
        for part in _parts(report))


def _parts(report: Message) -> list[Message]:
    payload = report.get_payload()
    return [part for part in payload if isinstance(part, Message)] if isinstance(payload, list) else []


def decode(bounce: Bounce) -> list[Finding] | None:
    read: dict[str, Finding] = {}
    for found in TEXT.finditer(bounce.text):
        rest = bounce.text[found.end():]
        end = re.search(r"\n[ \t]*\n", rest)
        reason = " ".join((rest[: end.start()] if end else rest).split())
        quoted = QUOTED.search(reason)
        reply = f"{quoted.group('c')} {quoted.group('t')}" if quoted else reason
        address = normalize(found.group("a"))
        read[address] = finding_of(address, reply, diagnostic_type="SMTP" if quoted else None)
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or findings or None
    refine(findings, read, prefer_text=any(f.diagnostic_type == "SMTP" for f in read.values()))
    for finding in findings:
        inner = INNER.search(finding.diagnostic or "")
        if inner:  # the remote server's own reply says more than WorkMail's summary of it
            finding.smtp_code = int(inner.group("c"))
            finding.enhanced_status = inner.group("s") or finding.enhanced_status
    return findings
