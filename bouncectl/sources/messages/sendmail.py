"""Sendmail (8.x): ``Returned mail: ...`` and ``Warning: could not send message for past ...``.

Sendmail's notice (savemail.c) lists the recipients under ``----- The following addresses
had permanent fatal errors -----`` (each ``<address>`` with an optional ``(reason: ...)``
line), then ``----- Transcript of session follows -----``: for each remote host, ``... while
talking to HOST:``, the commands it sent (``>>>``) and the replies it got (``<<<``), and its
own lines about each recipient (``550 5.1.1 <address>... User unknown``). The replies that
passed (2xx) are steps of the session, not its result. A local mailer's failure is typed
``X-Unix`` in the DSN.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import (
    ADDRESS,
    SMTP_COMMAND_OF_VERB,
    Bounce,
    Exchange,
    Finding,
    finding_of,
    first_reason,
    host_name,
    reasons,
    refine,
    transcript,
)

NAME = "sendmail"

SUBJECTS = re.compile(r"^(returned mail: |warning: could not send message for past )", re.IGNORECASE)
BODY = re.compile(r"^\s*-{3,} ?the following addresses had (permanent fatal errors|transient non-fatal errors)"
                  r"|^\s*-{3,} ?transcript of session follows", re.IGNORECASE | re.MULTILINE)
ADDRESSES_START = re.compile(r"^\s*-{3,} ?the following addresses had", re.IGNORECASE)
HEADING = re.compile(r"^\s*<?(?P<a>[^<>\s]+@[^<>\s]+)>?\s*(?:\(expanded from: [^)]*\))?\s*$")
# "... while talking to HOST:" (8.x), "While talking to HOST:" (V5, savemail.c).
TALKING = re.compile(r"^(?:\.\.\. )?while talking to (?P<h>[^\s:]+):\s*$", re.IGNORECASE)
OWN_LINE = re.compile(r"^\s*(?:[245]\d\d(?:[ -][245]\.\d{1,3}\.\d{1,3})?\s+)?"
                      r"<(?P<a>[^<>\s]+@[^<>\s]+)>\.\.\.\s*(?P<t>.*)$")

# Sendmail's own texts (deliver.c, savemail.c, err.c, the local mailer), and the reason each states.
REASONS = reasons(
    (r"^user unknown$", "userunknown"),  # the local mailer (EX_NOUSER)
    (r"^host unknown \(name server: [^)]*\)|\bhost unknown \(authoritative answer", "hostunknown"),  # EX_NOHOST
    (r"^(cannot send message|message could not be delivered) for \d+ (days?|hours?)", "expired"),  # savemail.c
    (r"^message size exceeds maximum value|^message is too large", "mesgtoobig"),
    (r"^unknown mailer error \d+", "mailererror"),  # deliver.c: a mailer's exit status sendmail does not know
    (r"^insufficient disk space", "systemfull"),
)
ORIGIN = "Sendmail source (deliver.c, savemail.c, err.c)"


def recognise(bounce: Bounce) -> bool:
    if SUBJECTS.search(bounce.subject):
        return True
    low = bounce.lower
    return ("the following addresses had" in low or "transcript of session follows" in low) and bool(
        BODY.search(bounce.text))


def decode(bounce: Bounce) -> list[Finding] | None:
    lines = bounce.lines
    listed = _listed(lines)
    read = _transcript(lines, listed)
    for address, reason in listed.items():
        if address not in read and reason:
            read[address] = finding_of(address, reason, diagnostic_type="SMTP")
    findings = bounce.findings()
    if not findings:
        return list(read.values()) or None
    # Without a DSN part, the generic reading has only the notice's lines: the transcript's reply to the
    # refused command says what happened.
    refine(findings, read, prefer_text=not bounce.has_dsn)
    for finding in findings:
        # Sendmail's own line: ``550 5.1.1 <address>... User unknown``; its text is Sendmail's.
        text = re.sub(r"^(smtp;\s*)?(\d{3}(\s\d\.\d+\.\d+)?\s+)?(<[^>]*>\.\.\.\s*)?", "", finding.diagnostic or "")
        own = first_reason(text, REASONS)
        if own == "userunknown" and finding.host:
            # A remote server's reply in Sendmail's own words (another Sendmail's "... User unknown"), not
            # the local mailer's: the status and the refused command weigh it (a reply to DATA is a filter's).
            own = None
        if own and not finding.decoder_reason:
            finding.decoder_reason, finding.reason_origin = own, ORIGIN
    return findings


def _listed(lines: list[str]) -> dict[str, str]:
    """The addresses under ``The following addresses had ...`` and their ``(reason: ...)``."""
    out: dict[str, str] = {}
    start = next((i for i, line in enumerate(lines) if ADDRESSES_START.match(line)), None)
    if start is None:
        return out
    current = None
    for line in lines[start + 1:]:
        if re.match(r"^\s*-{3,}", line):
            break
        head = HEADING.match(line)
        if head:
            current = head.group("a").lower()
            out[current] = ""
            continue
        reason = re.match(r"^\s*\(reason:\s*(.*?)\)?\s*$", line)
        if reason and current:
            out[current] = reason.group(1)
    return out


def _transcript(lines: list[str], listed: dict[str, str]) -> dict[str, Finding]:
    """What the transcript says of each recipient: the refused command, the host, the whole reply."""
    read: dict[str, Finding] = {}
    segments: list[tuple[str | None, list[str]]] = []
    inside = False
    for line in lines:
        if re.match(r"^\s*-{3,} ?transcript of session follows", line, re.IGNORECASE):
            inside = True
            segments.append((None, []))
            continue
        if not inside:
            continue
        if re.match(r"^\s*-{3,}", line):
            break
        talking = TALKING.match(line)
        if talking:
            segments.append((host_name(talking.group("h")), []))
            continue
        segments[-1][1].append(line)
    # The recipients: those listed, else those Sendmail's own lines name (V5 lists none).
    recipients = list(listed) or list(dict.fromkeys(
        found.group("a").lower() for _, segment in segments for found in map(OWN_LINE.match, segment) if found))
    for host, segment in segments:
        exchanges = transcript("\n".join(segment))
        failed = [e for e in exchanges if e.code is not None and e.code >= 400]
        own = [OWN_LINE.match(line) for line in segment]
        for exchange in failed:
            addresses, command = _refused(exchange, recipients)
            for address in addresses:
                if address not in read:
                    read[address] = finding_of(address, exchange.text, command=command, host=host,
                                               diagnostic_type="SMTP")
        for found in own:
            if found and found.group("a").lower() not in read:
                address = found.group("a").lower()
                read[address] = finding_of(address, found.group(0).strip(), host=host)
    return read


def _refused(exchange: Exchange, recipients: list[str]) -> tuple[list[str], str | None]:
    """The recipients a refused command failed, and the command."""
    named = ADDRESS.search(exchange.argument if exchange.command == "RCPT" else exchange.text)
    if named and exchange.command != "RCPT" and recipients and named.group(1).lower() not in recipients:
        named = None  # the sender's address in a refusal of MAIL FROM, not a recipient
    command = SMTP_COMMAND_OF_VERB.get(exchange.command)
    if named:
        # A refusal after DATA that names a recipient was that recipient's (pipelining); the refused command
        # stays the last one sent, DATA (Sisimai: lib/Sisimai/Lhost/Sendmail.pm reads it from the ">>>" line).
        return [named.group(1).lower()], command
    if exchange.command in ("MAIL", "CONN", "EHLO", "HELO", "STARTTLS") and recipients:
        return recipients, command  # a refusal before any RCPT TO fails every recipient
    return (recipients[:1] if len(recipients) == 1 else []), command
