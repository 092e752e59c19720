"""Google Workspace: the notice Google's servers send for a Workspace account when they give up
before any remote server answered, with no DSN part.

Unlike consumer Gmail's notice (:mod:`bouncectl.sources.messages.gmail`, which carries a
message/delivery-status part), this one comes from ``mailer-daemon@googlemail.com`` with the
subject ``Delivery Status Notification (Failure)`` and says only, under a heading in asterisks
(``** Address not found **``, ``** Message not delivered **``), what went wrong in Google's
words, sometimes followed by ``The response was:`` or ``The response from the remote server
was:`` and the reply. The whole text is the diagnostic; the recipient is the one its sentence
names (``Your message wasn't delivered to ADDRESS because ...``), else the returned message's.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import (
    ADDRESS,
    Bounce,
    Finding,
    first_reason,
    normalize,
    reasons,
    reply_code,
    squeeze,
)

NAME = "googleworkspace"

SENDERS = re.compile(r"^mailer-daemon@(googlemail\.com|google\.com)$", re.IGNORECASE)
HEADING = re.compile(r"^\*\* [^*\n]+ \*\*\s*$", re.MULTILINE)
DELIVERED_TO = re.compile(r"(?:wasn't|was not|couldn't be|could not be) delivered to\s+(?P<a>\S+@\S+?)[\s.,]",
                          re.IGNORECASE)
RESPONSE = re.compile(r"^the response (?:from the remote server )?was:\s*$", re.IGNORECASE | re.MULTILINE)
CONTENT_TYPE = re.compile(r"^content-type:", re.IGNORECASE)
# Google's own texts in these notices, and the reason each states.
REASONS = reasons(
    (r"because the address couldn'?t be found", "userunknown"),
    (r"\bnull mx\b", "notaccept"),
)
ORIGIN = ("Google Workspace delivery failure notice texts ('because the address couldn't be found. "
          "Check for typos or unnecessary spaces and try again.', 'Null MX')")


def recognise(bounce: Bounce) -> bool:
    return (bool(SENDERS.match(bounce.sender)) and "delivery status notification" in bounce.subject.lower()
            and not bounce.has_dsn and bool(HEADING.search(bounce.text)))


def decode(bounce: Bounce) -> list[Finding] | None:
    heading = HEADING.search(bounce.text)
    text = bounce.text[heading.start():] if heading else bounce.text
    text = "\n".join(line for line in text.splitlines() if not CONTENT_TYPE.match(line))
    named = DELIVERED_TO.search(text)
    found = ADDRESS.search(named.group("a")) if named else None
    findings = bounce.findings()
    if found:
        address = normalize(found.group(1))
        findings = [f for f in findings if f.recipient == address] or [
            Finding(recipient=address, kind="deferred" if "(delay)" in bounce.subject.lower() else "bounce")]
    if not findings:
        return None
    reply = RESPONSE.search(text)
    code, status = reply_code(text[reply.end():]) if reply else (None, None)
    reason = first_reason(text, REASONS)
    for finding in findings:
        finding.diagnostic = squeeze(text) or finding.diagnostic
        finding.smtp_code = code or finding.smtp_code
        finding.enhanced_status = status or finding.enhanced_status
        finding.diagnostic_type = "SMTP" if reply else finding.diagnostic_type
        if reason:
            finding.decoder_reason, finding.reason_origin = reason, ORIGIN
    return findings
