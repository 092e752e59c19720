"""Zoho Mail: the notice from ``mailer-daemon@mail.zoho.com`` (``X-ZohoMail`` headers).

Zoho writes one line per recipient: ``address TEXT, ERROR_CODE :NNN, ERROR_CODE :X.Y.Z REPLY``,
the reply code and the status of the remote server labelled ``ERROR_CODE``. Its delay warning
(``THIS IS A WARNING MESSAGE ONLY``) writes each recipient in brackets instead:
``[Status: Error, Address: <address>, ResponseCode NNN, STATUS, REPLY]``.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, finding_of, normalize

NAME = "zoho"

LINE = re.compile(r"^\s*(?P<a>[^\s<>@]+@[^\s<>@,]+)\s+(?P<t>.*?\bERROR_CODE\s*:.*)$", re.IGNORECASE)
CODE = re.compile(r"ERROR_CODE\s*:\s*(?P<c>[245]\d\d)\b", re.IGNORECASE)
STATUS = re.compile(r"ERROR_CODE\s*:\s*(?P<s>[245]\.\d{1,3}\.\d{1,3})\b", re.IGNORECASE)
BRACKETED = re.compile(r"^\s*\[Status:\s*\w+,\s*Address:\s*<?(?P<a>[^\s<>@]+@[^\s<>@,]+?)>?,"
                       r"\s*ResponseCode\s*(?P<c>[245]\d\d)?\s*,(?P<t>.*)\]\s*$", re.IGNORECASE)
WARNING = re.compile(r"this is a warning message only|will be retried for", re.IGNORECASE)


def recognise(bounce: Bounce) -> bool:
    return "zoho" in bounce.sender_domain or any(k.startswith("x-zohomail") for k in bounce.header_names)


def decode(bounce: Bounce) -> list[Finding] | None:
    found: list[Finding] = []
    lines = bounce.lines
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
        kind = "deferred" if code and code.group("c")[0] == "4" else "bounce"
        found.append(finding_of(normalize(head.group("a")), reply, kind,
                                smtp_code=int(code.group("c")) if code else None,
                                enhanced_status=status.group("s") if status else None, diagnostic_type="SMTP"))
    if not found:
        warning = "deferred" if WARNING.search(bounce.text) else "bounce"
        for line in lines:
            if head := BRACKETED.match(line):
                text = head.group("t").strip(" ,")
                found.append(finding_of(normalize(head.group("a")), text, warning, diagnostic_type="SMTP",
                                        smtp_code=int(head.group("c")) if head.group("c") else None))
    return found or None
