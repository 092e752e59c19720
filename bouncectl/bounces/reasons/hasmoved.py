"""hasmoved: the recipient has moved to another address (hard)."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "hasmoved"
STATUSES = {
    "X.1.6": "RFC 3463 X.1.6 (destination mailbox has moved, no forwarding address)",
    "X.7.17": "RFC 7293 X.7.17 (mailbox owner has changed)",
    "X.7.18": "RFC 7293 X.7.18 (domain owner has changed)",
}

MOVED = PhraseList(REASON, "a moved mailbox", rules(
    REASON,
    ("Apple iCloud Mail: 550 5.1.6 ('recipient no longer on server')", "no longer on server",
     "no longer on this server"),
    ("RFC 5321 251/551 ('User not local, please try <forward-path>')", "user not local ... please try",
     "has moved", "has been replaced by"),
    ("RFC 3463 X.1.6 (destination mailbox has moved)", "mailbox has moved", "address has changed",
     "address changed"),
    ("Exchange, ISP migrations: 'not our customer'", "not our customer"),
))
