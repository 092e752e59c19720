"""GMX, WEB.DE and mail.com (United Internet's mail services): their failure notices.

Their mail carries ``X-GMX-Antispam`` (or ``X-UI-Out-Filterresults``). The notice starts like
Exim's (``This message was created automatically by mail delivery software.``), but writes each
failed address at the start of a line, quoted and followed by a colon (``"address":``) or in
angle brackets, then ``SMTP error from remote server after RCPT command:``, ``host: NAME`` and
the remote reply; a local failure reads ``Reason:`` and the text on the next line (``delivery
retry timeout exceeded``). The header of the returned message follows ``--- The header of the
original message is following. ---``. 1&1's notices, of the same family, have their own decoder
(:mod:`bouncectl.sources.messages.einsundeins`), which reads their entries with :func:`_entry`.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import (
    Bounce,
    Finding,
    command_name,
    finding_of,
    first_reason,
    host_name,
    normalize,
    reasons,
    refine,
)

NAME = "gmx"

HEADING = re.compile(r'^(?:"(?P<q>[^"\s]+@[^"\s]+)"\s*:|<(?P<a>[^<>\s]+@[^<>\s]+)>\s*:?'
                     r'|(?P<b>[^\s"<>:]+@[^\s"<>:]+\.[A-Za-z]{2,}):?)\s*$')
AFTER = re.compile(r"^smtp error from remote server (?:after|for) (?P<c>rcpt|mail|data|text|helo|ehlo|end of data)\b"
                   r"[^,:]*[,:]?\s*", re.IGNORECASE)
INLINE = re.compile(r"host:\s*(?P<h>\S+)(?:\s+\([^)]*\))?\s+reason:\s*(?P<r>.*)$", re.IGNORECASE)
HOST = re.compile(r"^host:\s*(?P<h>\S+)", re.IGNORECASE)
STOP = re.compile(r"^-{3}\s*the header of the original message", re.IGNORECASE)
# GMX's own texts, and the reason each states.
REASONS = reasons(
    (r"delivery retry timeout exceeded", "expired"),
)
ORIGIN = "GMX / WEB.DE failure notice texts ('delivery retry timeout exceeded')"


def recognise(bounce: Bounce) -> bool:
    marked = bool(bounce.header("X-GMX-Antispam") or bounce.header("X-UI-Out-Filterresults"))
    return marked and "created automatically by mail delivery software" in bounce.lower


def decode(bounce: Bounce) -> list[Finding] | None:
    entries: list[tuple[str, list[str]]] = []
    for line in bounce.lines:
        if STOP.match(line):
            break
        head = HEADING.match(line.strip())
        if head:
            entries.append((normalize(head.group("q") or head.group("a") or head.group("b")), []))
        elif entries and line.strip():
            entries[-1][1].append(line.strip())
    read = {address: _entry(address, lines) for address, lines in entries}
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or findings or None
    return refine(findings, read)


def _entry(address: str, lines: list[str]) -> Finding:
    command = host = None
    text = []
    for line in lines:
        after, named = AFTER.match(line), HOST.match(line)
        if after:
            command = "DATA" if after.group("c").lower() == "text" else command_name(after.group("c"))
            inline = INLINE.search(line[after.end():])
            if inline:
                host = host_name(inline.group("h"))
                text.append(inline.group("r"))
        elif named:
            host = host_name(named.group("h"))
        elif line.lower().startswith("reason:") and line[7:].strip():
            text.append(line[7:].strip())
        elif line.lower() not in ("reason:", "for the following reason:"):
            text.append(line)
    diagnostic = "\n".join(text)
    finding = finding_of(address, diagnostic, command=command, host=host,
                         diagnostic_type="SMTP" if command or host else None)
    if not command:
        finding.decoder_reason = first_reason(diagnostic, REASONS)
        finding.reason_origin = ORIGIN if finding.decoder_reason else None
    return finding
