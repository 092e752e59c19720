"""amavis (amavisd-new), the content filter: its non-delivery reports.

amavis sends them as ``"Content-filter at HOST" <postmaster@DOMAIN>`` (its default
``hdrfrom_notify_sender``), with an RFC 3464 part and the returned headers
(``text/rfc822-headers``). Its subject names the content category that stopped the message:
``Undeliverable mail, MTA-BLOCKED`` (the next mail server refused it: the Diagnostic-Code
gives that server's reply), ``VIRUS ...``, ``... UNSOLICITED BULK EMAIL ...`` or ``Spam ...``,
``OVERSIZED ...``, ``BANNED ...``, ``BAD-HEADER ...``.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, first_reason, reasons

NAME = "amavis"

SENDER_NAME = re.compile(r"^content-filter at \S+", re.IGNORECASE)
# amavis's content categories, as its subjects name them, and the reason each states.
REASONS = reasons(
    (r"\bvirus\b", "virusdetected"),
    (r"\bunsolicited bulk e-?mail\b|\bspam\b", "spamdetected"),
    (r"\boversized\b", "mesgtoobig"),
)
ORIGIN = "amavis: the content categories its notification subjects name (VIRUS, SPAM, OVERSIZED)"


def recognise(bounce: Bounce) -> bool:
    return bool(SENDER_NAME.match(bounce.sender_name.strip())) and bounce.has_dsn


def decode(bounce: Bounce) -> list[Finding] | None:
    findings = bounce.findings()
    reason = first_reason(bounce.subject, REASONS)
    for finding in findings:
        if reason and finding.kind == "bounce":
            finding.decoder_reason, finding.reason_origin = reason, ORIGIN
        if (finding.diagnostic_type or "").upper() == "X-POSTFIX":
            finding.diagnostic_type = "SMTP"  # amavis relays the next server's SMTP reply
    return findings or None
