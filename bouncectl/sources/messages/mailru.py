"""Mail.Ru: the Exim notices of its mail servers, with a Russian preamble.

Mail.Ru's notices come from ``mailer-daemon@...mail.ru`` with Message-IDs under ``.mail.ru`` or
``smailru.net`` (Exim's ``<E1XXXXX-...@HOST>``); a Russian paragraph (``Это письмо создано
автоматически сервером Mail.Ru``) comes before Exim's own text, whose layout is Exim's: each
address indented by two spaces, its error lines by four. Its own local texts name the failure
(``user not found``, ``error: quota exceed``).
"""

from __future__ import annotations

import re

from bouncectl.sources.messages import exim
from bouncectl.sources.messages.base import Bounce, Finding, first_reason, reasons

NAME = "mailru"

MESSAGE_ID = re.compile(r"(\.mail\.ru|smailru\.net)>?\s*$", re.IGNORECASE)
# Mail.Ru's own texts (no remote server quoted), and the reason each states.
REASONS = reasons(
    (r"^user not found\b", "userunknown"),
    (r"^error: quota exceed", "mailboxfull"),
)
ORIGIN = "Mail.Ru failure notice texts ('user not found', 'error: quota exceed')"


def recognise(bounce: Bounce) -> bool:
    sender = bounce.sender
    return (sender.startswith("mailer-daemon@") and "mail.ru" in bounce.sender_domain
            and bool(MESSAGE_ID.search(bounce.header("Message-ID")))
            and "created automatically by mail delivery software" in bounce.lower)


def decode(bounce: Bounce) -> list[Finding] | None:
    found = exim.decode(bounce)
    for finding in found or []:
        finding.decoder = NAME
        if finding.command is None and finding.decoder_reason is None:
            finding.decoder_reason = first_reason((finding.diagnostic or "").strip(), REASONS)
            finding.reason_origin = ORIGIN if finding.decoder_reason else None
    return found
