"""Google Groups: the refusal of a post, sent from Google's mailer-daemon.

Google Groups writes ``We're writing to let you know that the group you tried to contact
(NAME) may not exist, or you may not have permission to post messages to the group.`` in the
sender's language; the group's address is the recipient of the returned message
(``X-Failed-Recipients`` names it too).
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import ADDRESS, Bounce, Finding, normalize, squeeze

NAME = "googlegroups"

GROUPS = re.compile(r"@googlegroups\.com\b|groups\.google\.com", re.IGNORECASE)


# Google's wording of the refusal: the group may not exist or the sender may not post to it.
REASON = "rejected"
ORIGIN = "Google Groups Help: the refusal of a post (the group may not exist, or no permission to post)"


# A remote server's reply with its status ("550 5.1.1 The email account that you tried to reach does not
# exist"): Gmail's notice of a failed delivery to a group's address quotes one, the refusal of a post
# never does (it is the group's own answer, in words only).
SERVER_REPLY = re.compile(r"\b[45]\d\d[ -][45]\.\d{1,3}\.\d{1,3}\b")


def recognise(bounce: Bounce) -> bool:
    # A Gmail DSN about a group address is Gmail's; the refusal of a post has no DSN part.
    return not bounce.has_dsn and ("groups.google.com" in bounce.lower or
                                   "googlegroups.com" in bounce.header("X-Failed-Recipients").lower()) \
        and not SERVER_REPLY.search(bounce.text)


def decode(bounce: Bounce) -> list[Finding] | None:
    candidates = [bounce.header("X-Failed-Recipients")]
    if bounce.original is not None:
        candidates += [str(bounce.original.get(name, "")) for name in ("To", "Cc")]
    addresses = [normalize(a) for value in candidates for a in ADDRESS.findall(value)]
    groups = [a for a in dict.fromkeys(addresses) if a.endswith("@googlegroups.com")] or list(dict.fromkeys(addresses))
    if not groups:
        return None
    text = squeeze(bounce.text)
    return [Finding(recipient=a, kind="bounce", diagnostic=text or None, decoder_reason=REASON, reason_origin=ORIGIN)
            for a in groups]
