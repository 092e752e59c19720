"""SmarterMail: the System Administrator's delivery failure notice.

SmarterMail's notice, as the hosting providers that run it document it (their knowledge bases'
"common email delivery errors" pages), says ``Could not deliver message to the following
recipient(s):`` and then, per recipient, ``Failed Recipient: ADDRESS`` and ``Reason: TEXT`` (the
remote reply after ``Remote host said:``, or one of its own texts: ``Failed to connect to the
recipients mail server. No MX records were found for the 'DOMAIN' domain.``, ``Failed four attempts
to connect to recipients mail server``, ``The mailbox is full``, ``The domain size limit has been
exceeded``). A blank line ends a reason.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, finding_of, first_reason, normalize, reasons

NAME = "smartermail"

HEADLINE = "could not deliver message to the following recipient(s):"
RECIPIENT = re.compile(r"^failed recipient:\s*<?(?P<a>[^\s<>@]+@[^\s<>@]+)>?\s*$", re.IGNORECASE)
REASON = re.compile(r"^reason:\s*(?P<t>.*)$", re.IGNORECASE)
SAID = re.compile(r"^remote host said:\s*", re.IGNORECASE)

# SmarterMail's own texts, and the reason each states.
REASONS = reasons(
    (r"no mx records were found for the", "hostunknown"),
    (r"failed (?:all|\w+) attempts to connect to (?:the )?recipients mail server", "expired"),
    (r"^the mailbox is full", "mailboxfull"),
    (r"^the domain size limit has been exceeded", "mailboxfull"),
)
ORIGIN = ("SmarterMail: its delivery failure notice's texts, as hosting providers document them "
          "(kb.indsoft.net/kb/a70, support.rackteam.com/kb/a136)")


def recognise(bounce: Bounce) -> bool:
    return HEADLINE in bounce.lower and "failed recipient:" in bounce.lower


def decode(bounce: Bounce) -> list[Finding] | None:
    entries: list[tuple[str, list[str]]] = []
    reading = False
    for line in bounce.lines:
        line = line.strip()
        recipient = RECIPIENT.match(line)
        if recipient:
            entries.append((normalize(recipient.group("a")), []))
            reading = False
            continue
        if not entries:
            continue
        reason = REASON.match(line)
        if reason and not entries[-1][1]:
            entries[-1][1].append(reason.group("t"))
            reading = True
        elif reading and line:
            entries[-1][1].append(line)
        elif reading:
            reading = False  # a blank line ends the reason
    found = [_finding(address, lines) for address, lines in entries if lines]
    return found or None


def _finding(address: str, lines: list[str]) -> Finding:
    """One recipient: the remote reply after "Remote host said:", or SmarterMail's own text."""
    text = "\n".join(lines)
    said = SAID.match(text)
    if said:
        return finding_of(address, text[said.end():], diagnostic_type="SMTP")
    found = finding_of(address, text)
    found.decoder_reason = first_reason(text, REASONS)
    found.reason_origin = ORIGIN if found.decoder_reason else None
    return found
