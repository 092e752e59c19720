"""Bigfoot (``bigfoot.com``, the forwarding service): its Sendmail notices.

Bigfoot's notices come from an address at ``bigfoot.com`` (or pass one of its ``*.bigfoot.com``
hosts, named in a ``Received`` field); they are Sendmail's: ``----- Transcript of session follows
-----`` with the commands sent (``>>> RCPT TO:<address>``) and the replies (``<<< 553 Invalid
recipient address (Mode: normal)``), an RFC 3464 report, and the returned message as a
``message/partial`` part (Sisimai's Lhost/Bigfoot source reads the same marks). The refused command
is the transcript's; a reply with no command before it refused the connection.
"""

from __future__ import annotations

from bouncectl.sources.messages import sendmail
from bouncectl.sources.messages.base import SMTP_COMMAND_OF_VERB, Bounce, Finding, failed_exchange, transcript

NAME = "bigfoot"


def _marked(bounce: Bounce) -> bool:
    domain = bounce.sender_domain
    if domain == "bigfoot.com" or domain.endswith(".bigfoot.com"):
        return True
    return any(".bigfoot.com " in str(value).lower() for value in bounce.received)


def recognise(bounce: Bounce) -> bool:
    return _marked(bounce) and "transcript of session follows" in bounce.lower


def decode(bounce: Bounce) -> list[Finding] | None:
    found = sendmail.decode(bounce) or bounce.findings()
    failed = failed_exchange(transcript(bounce.text))
    for finding in found:
        finding.decoder = NAME
        if failed is not None:
            finding.command = finding.command or SMTP_COMMAND_OF_VERB.get(failed.command)
            finding.diagnostic = finding.diagnostic or failed.text or None
    return found or None
