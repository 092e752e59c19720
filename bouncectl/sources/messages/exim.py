"""Exim: ``Mail delivery failed: returning message to sender`` and its delay warnings.

Exim's notice (deliver.c) says ``This message was created automatically by mail delivery
software.`` and lists each failed address indented by two spaces, its error lines by four:
a remote refusal reads ``SMTP error from remote mail server after RCPT TO:<...>:`` then
``host NAME [IP]: REPLY``; a local one is Exim's own text (a router's or a transport's).
Exim also names the failed addresses in ``X-Failed-Recipients``.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import (
    Bounce,
    Finding,
    command_name,
    entries,
    finding_of,
    first_reason,
    host_name,
    reasons,
    refine,
)

NAME = "exim"

BODY = re.compile(r"^this message was created automatically by mail delivery software\.", re.IGNORECASE | re.MULTILINE)
SUBJECTS = re.compile(r"\bmail delivery failed\b|^warning: message \S+ delayed", re.IGNORECASE)
HEADING = re.compile(r"^ {1,3}(?P<a>[^\s<>@:]+@[^\s<>@:]+)(?::\s*(?P<t>.*))?\s*(?:<[^>]*>)?\s*$")
STOP = re.compile(r"^-{3,} (this is a copy|the header of the original|the first \d+ lines)", re.IGNORECASE)
AFTER = re.compile(r"SMTP error from remote mail(?:er| server) after (?P<c>RCPT TO|MAIL FROM|end of data|DATA"
                   r"|initial connection|pipelined \w+|HELO|EHLO|STARTTLS|AUTH)\b", re.IGNORECASE)
HOST = re.compile(r"\bhost\s+(?P<h>[A-Za-z0-9.-]+\.[A-Za-z]{2,})\s+\[[^\]]+\]", re.IGNORECASE)

# Exim's own texts (its source named), and the reason each states.
REASONS = reasons(
    # Routers: the domain cannot be routed (dnslookup router, deliver.c).
    (r"^unrouteable address", "hostunknown"),
    (r"all relevant mx records point to non-existent hosts", "hostunknown"),
    (r"all host address lookups failed permanently", "hostunknown"),
    # routers/dnslookup.c, transports/smtp.c: the domain exists but takes no mail.
    (r"an mx or srv record indicated no smtp service", "notaccept"),
    (r"no host found for existing smtp connection", "notaccept"),
    # deliver.c / retry.c: the retry period is over.
    (r"retry timeout exceeded", "expired"),
    (r"retry time not reached for any host after a long failure period", "expired"),
    (r"all hosts have been failing for a long time", "expired"),
    # appendfile transport: the quota.
    (r"mailbox is full|mta-imposed quota exceeded|^error: quota exceed", "mailboxfull"),
    # transport message size limit.
    (r"message is too big \(transport limit", "mesgtoobig"),
    # deliver.c: the header count (not a routing loop, which the words "mail loop" would say).
    (r'too many "received" headers', "contenterror"),
    # pipe transport: the command failed.
    (r"child process of \S+ transport returned \d+", "mailererror"),
)
ORIGIN = "Exim source (deliver.c, retry.c, routers, the smtp, appendfile and pipe transports)"


def recognise(bounce: Bounce) -> bool:
    low = bounce.lower
    if "created automatically by mail delivery software" in low and BODY.search(bounce.text):
        return True
    # The notice's text is configurable (bounce_message_file); its list heading is Exim's own.
    if "the following address(es) failed:" in low or "the following address(es) failed :" in low:
        return True
    return bool(SUBJECTS.search(bounce.subject)) and bounce.sender_local == "mailer-daemon"


def decode(bounce: Bounce) -> list[Finding] | None:
    delayed = "delayed" in bounce.subject.lower() or "has not yet been delivered" in bounce.text.lower()
    read: dict[str, Finding] = {}
    for address, lines in entries(bounce.text.splitlines(), HEADING, stop=STOP,
                                  continuation=lambda line: line.startswith("    ") or not line.strip()):
        text = "\n".join(line for line in lines if line)
        if not text and address in read:
            continue
        read[address] = _entry(address, text, "deferred" if delayed else "bounce")
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or findings or None
    return refine(findings, read)


def _entry(address: str, text: str, kind: str) -> Finding:
    after = AFTER.search(text)
    host = HOST.search(text)
    found = finding_of(address, text, kind, command=command_name(after.group("c").replace("pipelined ", ""))
                       if after else None, host=host_name(host.group("h")) if host else None)
    found.diagnostic_type = "SMTP" if after or host else "X-Exim"
    if not after:
        found.decoder_reason = first_reason(text.strip(), REASONS)
        found.reason_origin = ORIGIN if found.decoder_reason else None
    return found
