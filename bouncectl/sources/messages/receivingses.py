"""Amazon SES email receiving: the bounce a receipt rule's Bounce action sends.

Mail SES sends carries ``X-SES-Outgoing``; the notice says ``This message could not be
delivered.`` and carries an RFC 3464 part whose Diagnostic-Code holds the text of the rule's
template. SES documents the templates of its Bounce action (each with its reply code and
status): ``Mailbox does not exist`` (550 5.1.1), ``Message too large`` (552 5.3.4),
``Mailbox full`` (552 5.2.2), ``Message content rejected`` (500 5.6.1), ``Unknown failure``
(554 5.0.0) and ``Temporary failure`` (450 4.0.0).
"""

from __future__ import annotations

from bouncectl.sources.messages.base import Bounce, Finding, first_reason, reasons

NAME = "receivingses"

START = "this message could not be delivered."
# The templates of SES's Bounce action, and the reason each states.
REASONS = reasons(
    (r"\bmailbox does not exist\b", "userunknown"),
    (r"\bmessage too large\b", "mesgtoobig"),
    (r"\bmailbox full\b", "mailboxfull"),
    (r"\bmessage content rejected\b", "contenterror"),
)
ORIGIN = "Amazon SES Developer Guide: the Bounce action of receipt rules (its templates)"


def recognise(bounce: Bounce) -> bool:
    return bool(bounce.header("X-SES-Outgoing")) and bounce.has_dsn and START in bounce.lower


def decode(bounce: Bounce) -> list[Finding] | None:
    findings = bounce.findings()
    for finding in findings:
        reason = first_reason(finding.diagnostic or "", REASONS)
        if reason and finding.kind == "bounce":
            finding.decoder_reason, finding.reason_origin = reason, ORIGIN
    return findings or None
