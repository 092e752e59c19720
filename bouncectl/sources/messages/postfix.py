"""Postfix: the bounce(8) notice (``Undelivered Mail Returned to Sender``) and smtpd's
``SMTP server: errors from`` session transcript.

The notice (Postfix's bounce templates, ``bounce(5)``) says ``This is the mail system at host
...`` and lists each recipient as ``<address>: text``, wrapped with four-space continuation
lines; a remote refusal reads ``host NAME[IP] said: REPLY (in reply to COMMAND command)``.
The DSN part that follows gives the status; ``X-Postfix`` as the Diagnostic-Code's type means
the text is Postfix's own (a DNS failure, a local delivery error), not a remote reply.
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
    transcript,
)

NAME = "postfix"

SUBJECTS = re.compile(r"^(undelivered mail returned to sender|delayed mail \(still being retried\)"
                      r"|mail delivery status report|successful mail delivery report)$|smtp server: errors from ",
                      re.IGNORECASE)
BODY = re.compile(r"^\s*this is the mail system at host |^\s*the postfix program|^x-postfix-(queue-id|sender):",
                  re.IGNORECASE | re.MULTILINE)

# bounce/bounce_notify_util.c: "<%s> (expanded from <%s>): %s", the address an alias or a forward
# rewrote the recipient to, then the recipient the sender gave (the one a DSN names Original-Recipient).
HEADING = re.compile(
    r"^<(?P<a>[^<>\s]+@[^<>\s]+)>(?:\s+\(expanded from <(?P<o>[^<>\s]+@[^<>\s]+)>\))?:\s*(?P<t>.*)$")
SAID = re.compile(r"host\s+(?P<h>[^\s\[]+)\[[^\]]*\]\s+said:\s*", re.IGNORECASE)
IN_REPLY = re.compile(r"\(in reply to (?P<c>[\w ]{2,40}) command\)", re.IGNORECASE)
UNAVAILABLE = re.compile(r"^\s*--- delivery report unavailable ---\s*$", re.IGNORECASE | re.MULTILINE)
REFUSED = re.compile(r"host\s+(?P<h>[^\s\[]+)\[[^\]]*\]\s+refused to talk to me:\s*(?P<r>.*)$", re.IGNORECASE)

# Postfix's own texts (its source files named), and the reason each states.
REASONS = reasons(
    # smtp/smtp_addr.c: the recipient's domain has no MX or address record.
    (r"host or domain name not found\. name service error for name=\S+ type=\w+: host not found(?!, try again)",
     "hostunknown"),
    (r"no mx host for \S+ has a valid address record", "hostunknown"),
    # local/unknown.c: no such local user.
    (r'^unknown user: "', "userunknown"),
    # smtpd/smtpd_check.c: recipient lookups of the receiving Postfix.
    (r"user unknown in (local recipient|virtual mailbox|virtual alias|relay recipient) table", "userunknown"),
    (r"recipient address rejected: domain not found", "hostunknown"),
    (r"sender address rejected: domain not found", "rejected"),
    (r"relay access denied", "norelaying"),
    (r"client host rejected: cannot find your (reverse )?hostname", "requireptr"),
    (r"\bblocked using [\w.-]+", "blocked"),
    # smtp/smtp_proto.c and cleanup(8): the size limits.
    (r"message size \d+ exceeds size limit \d+ of server", "mesgtoobig"),
    (r"message size exceeds fixed limit", "mesgtoobig"),
    # pipe(8) and local(8): the delivery command failed.
    (r"^command died with status \d+", "mailererror"),
    (r"^command time limit exceeded", "mailererror"),
)
ORIGIN = "Postfix source (smtp_addr.c, smtp_proto.c, smtpd_check.c, local/unknown.c, pipe.c)"

# The status Postfix gives its own texts, for a notice without its DSN part: local/unknown.c bounces
# an unknown local user with 5.1.1.
OWN_STATUS = ((re.compile(r'^unknown user: "', re.IGNORECASE), "5.1.1"),)


def recognise(bounce: Bounce) -> bool:
    if bounce.msg.get("X-AOL-IP"):
        return False
    if SUBJECTS.search(bounce.subject):
        return True
    low = bounce.lower
    return ("this is the mail system" in low or "postfix" in low) and bool(BODY.search(bounce.text))


def decode(bounce: Bounce) -> list[Finding] | None:
    if "smtp server: errors from" in bounce.subject.lower():
        return _session(bounce)
    read: dict[str, Finding] = {}
    for address, lines in entries(_unwrapped_headings(bounce.lines), HEADING,
                                  continuation=lambda line: line[:1] in (" ", "\t") and bool(line.strip())):
        text = " ".join(lines)
        read[address] = _entry(address, text)
    findings = bounce.findings()
    if not read and UNAVAILABLE.search(bounce.text):
        # bounce_notify_util.c: the delivery report was lost; the notice says nothing of why, and its own
        # lines (and its own host) are not a diagnostic.
        for finding in findings:
            if not finding.diagnostic_type and not finding.enhanced_status:
                finding.diagnostic = finding.smtp_code = finding.command = finding.host = None
        return findings or None
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or findings or None
    refine(findings, read, prefer_text=False)
    for finding in findings:
        if finding.diagnostic_type and finding.diagnostic_type.lower() == "x-postfix":
            finding.decoder_reason = finding.decoder_reason or first_reason(finding.diagnostic or "", REASONS)
            if finding.decoder_reason:
                finding.reason_origin = ORIGIN
    return findings


def _unwrapped_headings(lines: list[str]) -> list[str]:
    """The notice's lines with each recipient's heading whole: bounce_print_wrap (bounce_notify_util.c)
    wraps a long line, its continuations indented, and may break ``(expanded from <...>)`` apart."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.startswith("<") and "(expanded from" in line:
            while ")" not in line.partition("(expanded")[2] and index < len(lines) and lines[index][:1] in (" ", "\t"):
                line = f"{line.rstrip()} {lines[index].strip()}"
                index += 1
        out.append(line)
    return out


def _entry(address: str, text: str) -> Finding:
    said = SAID.search(text)
    refused = None if said else REFUSED.search(text)
    if said:
        reply = text[said.end():]
        in_reply = IN_REPLY.search(reply)
        command = command_name(in_reply.group("c")) if in_reply else None
        reply = reply[: in_reply.start()].strip() if in_reply else reply.strip()
        found = finding_of(address, reply, command=command, host=host_name(said.group("h")), diagnostic_type="SMTP")
    elif refused:
        found = finding_of(address, refused.group("r"), command="CONN", host=host_name(refused.group("h")),
                           diagnostic_type="SMTP")
    else:
        found = finding_of(address, text, diagnostic_type="X-Postfix")
        if found.enhanced_status is None:
            found.enhanced_status = next((code for pattern, code in OWN_STATUS if pattern.search(text)), None)
    found.decoder_reason = first_reason(found.diagnostic or "", REASONS)
    found.reason_origin = ORIGIN if found.decoder_reason else None
    return found


def _session(bounce: Bounce) -> list[Finding] | None:
    """smtpd's transcript: ``In:`` lines are the client's commands, ``Out:`` lines Postfix's replies."""
    exchanges = transcript(bounce.text, sent=re.compile(r"^\s*In:\s?(.*)$"), got=re.compile(r"^\s*Out:\s?(.*)$"))
    findings: list[Finding] = []
    for exchange in exchanges:
        if exchange.command != "RCPT" or exchange.code is None or exchange.code < 400:
            continue
        address = exchange.argument.strip().strip("<>").split(">")[0]
        if "@" not in address:
            continue
        found = finding_of(address.lower(), exchange.text, command="RCPT", diagnostic_type="SMTP")
        found.decoder_reason = first_reason(found.diagnostic or "", REASONS)
        found.reason_origin = ORIGIN if found.decoder_reason else None
        findings.append(found)
    return findings or None
