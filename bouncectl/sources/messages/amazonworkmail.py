"""Amazon WorkMail: the notice it sends through Amazon SES (``X-Mailer: Amazon WorkMail`` or
``X-Original-Mailer: Amazon WorkMail``, with SES's ``X-SES-Outgoing``).

WorkMail writes ``An error occurred while trying to deliver the mail to the following
recipients:``, the addresses, then ``Technical report:`` and the DSN fields inline (SES's
layout: :mod:`bouncectl.sources.messages.amazonses` reads them). Its Diagnostic-Code gives
WorkMail's own summary first and the remote server's reply after it, quoted
(``550 5.1.0 - Unknown address error 550-'5.1.1 ... User unknown'``) or in angle brackets
(``554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed
out>``); where its own status is only a class (``X.0.0``) or an address error in general
(``X.1.0``), the remote server's status says which.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages import amazonses
from bouncectl.sources.messages.base import ENHANCED_STATUS, Bounce, Finding, reply_code

NAME = "amazonworkmail"

GENERAL = re.compile(r"^[45]\.[01]\.0$")
QUOTED = re.compile(r"[\"'](?P<s>[245]\.\d{1,3}\.\d{1,3}\b[^\"']*)[\"']|<(?P<r>[245]\d\d[ -][^<>]*)>")


def recognise(bounce: Bounce) -> bool:
    mailer = (bounce.header("X-Original-Mailer") or bounce.header("X-Mailer")).strip().lower()
    return mailer == "amazon workmail" and bool(bounce.header("X-SES-Outgoing"))


def decode(bounce: Bounce) -> list[Finding] | None:
    findings = amazonses.decode(bounce)
    for finding in findings or ():
        quoted = QUOTED.search(finding.diagnostic or "")
        if quoted is None:
            continue
        inner = quoted.group("s") or quoted.group("r")
        code, status = reply_code(inner)
        if status is None:
            found = ENHANCED_STATUS.search(inner)
            status = found.group(1) if found else None
        if status and (not finding.enhanced_status or GENERAL.match(finding.enhanced_status)):
            finding.enhanced_status = status
        if quoted.group("r") and code:
            finding.smtp_code = code
    return findings
