"""PowerMTA: its ``Delivery report``, with a bounce category per recipient.

PowerMTA's notice says ``Hello, this is the mail server on HOST.`` and lists the affected
recipients (``<address>  delivery failed; will not continue trying``); its RFC 3464 part adds
``X-PowerMTA-BounceCategory`` to each recipient block, one of the bounce categories PowerMTA
documents for its accounting (``bad-mailbox``, ``bad-domain``, ``quota-issues``, ...).
"""

from __future__ import annotations

from email.message import Message

from bouncectl.sources.messages.base import ADDRESS, Bounce, Finding, normalize

NAME = "powermta"

START = "hello, this is the mail server on "
FIELD = "X-PowerMTA-BounceCategory"
# PowerMTA's documented bounce categories, and the reason each states.
CATEGORIES = {
    "bad-mailbox": "userunknown",
    "bad-domain": "hostunknown",
    "inactive-mailbox": "suspend",
    "quota-issues": "mailboxfull",
    "message-expired": "expired",
    "no-answer-from-host": "networkerror",
    "bad-connection": "networkerror",
    "routing-errors": "systemerror",
    "relaying-issues": "norelaying",
    "policy-related": "policyviolation",
    "spam-related": "spamdetected",
    "virus-related": "virusdetected",
    "content-related": "contenterror",
}
ORIGIN = "PowerMTA User's Guide: bounce categories (X-PowerMTA-BounceCategory)"


def recognise(bounce: Bounce) -> bool:
    return "delivery report" in bounce.subject.lower() and START in bounce.lower and bounce.has_dsn


def _categories(bounce: Bounce) -> dict[str, str]:
    found: dict[str, str] = {}
    for report in bounce.reports:
        payload = report.get_payload()
        for block in payload if isinstance(payload, list) else []:
            if not isinstance(block, Message) or not block.get(FIELD):
                continue
            named = ADDRESS.search(str(block.get("Final-Recipient", "")))
            if named:
                found[normalize(named.group(1))] = str(block.get(FIELD)).strip().lower()
    return found


def decode(bounce: Bounce) -> list[Finding] | None:
    findings = bounce.findings()
    categories = _categories(bounce)
    for finding in findings:
        reason = CATEGORIES.get(categories.get(finding.recipient, ""))
        if reason and finding.kind in ("bounce", "deferred"):
            finding.decoder_reason, finding.reason_origin = reason, ORIGIN
    return findings or None
