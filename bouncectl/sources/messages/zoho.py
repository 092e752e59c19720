"""Zoho Mail: the notice from ``mailer-daemon@mail.zoho.com`` (``X-ZohoMail`` headers).

Zoho writes one line per recipient: ``address TEXT, ERROR_CODE :NNN, ERROR_CODE :X.Y.Z REPLY``,
the reply code and the status of the remote server labelled ``ERROR_CODE``. Its delay warning
(``THIS IS A WARNING MESSAGE ONLY``) writes each recipient in brackets instead:
``[Status: Error, Address: <address>, ResponseCode NNN, STATUS, REPLY]``.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, finding_of, first_reason, normalize, reasons

NAME = "zoho"

LINE = re.compile(r"^\s*(?P<a>[^\s<>@]+@[^\s<>@,]+)\s+(?P<t>.*?\bERROR_CODE\s*:.*)$", re.IGNORECASE)
CODE = re.compile(r"ERROR_CODE\s*:\s*(?P<c>[245]\d\d)\b", re.IGNORECASE)
STATUS = re.compile(r"ERROR_CODE\s*:\s*(?P<s>[245]\.\d{1,3}\.\d{1,3})\b", re.IGNORECASE)
BRACKETED = re.compile(r"^\s*\[Status:\s*\w+,\s*Address:\s*<?(?P<a>[^\s<>@]+@[^\s<>@,]+?)>?,"
                       r"\s*ResponseCode\s*(?P<c>[245]\d\d)?\s*,(?P<t>.*)\]\s*$", re.IGNORECASE)
WARNING = re.compile(r"this is a warning message only|will be retried for", re.IGNORECASE)

# Zoho's own text for a remote host it could not reach, in both layouts: a delivery it gives up in time (the
# reference classifier's Zoho decoder reads it so, p5-sisimai lib/Sisimai/Lhost/Zoho.pm, and so do the
# corpus's two samples of it, one of each layout).
REASONS = reasons((r"\bhost not reachable\b", "expired"))
ORIGIN = "Zoho Mail's notices ('Host not reachable'), as p5-sisimai lib/Sisimai/Lhost/Zoho.pm reads them"


def recognise(bounce: Bounce) -> bool:
    return "zoho" in bounce.sender_domain or any(k.startswith("x-zohomail") for k in bounce.header_names)


def decode(bounce: Bounce) -> list[Finding] | None:
    found: list[Finding] = []
    lines = bounce.lines
    # A notice that returns the message is a bounce, whatever the remote's last reply (a 421 the server gave
    # before Zoho gave up); only the warning says the delivery goes on.
    kind = "deferred" if WARNING.search(bounce.text) else "bounce"
    for index, line in enumerate(lines):
        head = LINE.match(line)
        if not head:
            continue
        text = head.group("t")
        # A reply may wrap onto the next lines, up to a blank line or a copied header.
        for more in lines[index + 1:index + 4]:
            if not more.strip() or re.match(r"^[\w-]+:\S", more) or LINE.match(more):
                break
            text += " " + more.strip()
        code, status = CODE.search(text), STATUS.search(text)
        reply = re.sub(r",?\s*ERROR_CODE\s*:\s*[\d.]*", " ", text)
        found.append(finding_of(normalize(head.group("a")), reply, kind,
                                smtp_code=int(code.group("c")) if code else None,
                                enhanced_status=status.group("s") if status else None, diagnostic_type="SMTP"))
    if not found:
        for line in lines:
            if head := BRACKETED.match(line):
                text = head.group("t").strip(" ,")
                found.append(finding_of(normalize(head.group("a")), text, kind, diagnostic_type="SMTP",
                                        smtp_code=int(head.group("c")) if head.group("c") else None))
    for finding in found:
        if reason := first_reason(finding.diagnostic or "", REASONS):
            finding.decoder_reason, finding.reason_origin = reason, ORIGIN
    return found or None
