"""fml, the mailing-list manager: its refusals and warnings, sent from ``LIST-admin@``.

fml marks its mail with an ``X-MLServer`` field and Message-IDs ending in ``.FML@HOST``. Its
notice is one or more sentences that name the address concerned in angle brackets (``You are
not a member of this mailing list <address>.``), then ``Original mail as follows:`` and the
returned message. fml's own texts (its message catalogue) say why it refused the post.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, first_reason, normalize, reasons, squeeze

NAME = "fml"

ANGLED = re.compile(r"<(?P<a>[^<>\s]+@[^<>\s]+)>")
# The list's own command and administrator addresses, quoted for help, are not what failed.
CONTACT = re.compile(r"-(ctl|admin|request)@", re.IGNORECASE)
ORIGINAL = re.compile(r"original mail as follows:", re.IGNORECASE)
# fml's own texts, and the reason each states (the body first, then the subject).
REASONS = reasons(
    (r"you are not a member of this mailing list|not member article from|are not member", "rejected"),
    (r"reject mail from|reject spammers:|spam mail from a spammer is rejected", "rejected"),
    (r"header may cause mail loop", "rejected"),
    (r"has detected a loop condition|duplicated message-id|loop back warning|loop alert:", "systemerror"),
    (r"unix from loop|fml system error message", "systemerror"),
    (r"security alert", "securityerror"),
)
ORIGIN = "fml's message catalogue (its refusals of posts and loop warnings)"


def recognise(bounce: Bounce) -> bool:
    return (bool(bounce.header("X-MLServer")) and "-admin@" in bounce.sender
            and ".FML" in bounce.header("Message-ID").upper())


def decode(bounce: Bounce) -> list[Finding] | None:
    text = ORIGINAL.split(bounce.text, maxsplit=1)[0]
    read: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        named = ANGLED.search(line)
        if named and not CONTACT.search(named.group("a")):
            current = read.setdefault(normalize(named.group("a")), [])
        elif named:
            current = None
        if current is not None:
            current.append(line.strip())
    found = []
    for address, lines in read.items():
        diagnostic = squeeze("\n".join(lines))
        reason = first_reason(diagnostic, REASONS) or first_reason(bounce.subject, REASONS)
        found.append(Finding(recipient=address, kind="bounce", diagnostic=diagnostic or None,
                             decoder_reason=reason, reason_origin=ORIGIN if reason else None))
    return found or None
