"""systemfull: the receiving system's disk or queue is full."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "systemfull"
STATUSES = {"X.3.1": "RFC 3463 X.3.1 (mail system full)"}

STORAGE = PhraseList(REASON, "the system's storage", rules(
    REASON,
    ("Postfix: src/smtpd/smtpd.c ('452 4.3.1 Insufficient system storage')", "insufficient system storage",
     "insufficient disk space", "insufficient storage"),
    ("RFC 3463 X.3.1 (mail system full)", "system full", "system is full", "mail system full", "disk full",
     "out of disk", "no space left on device"),
    ("Microsoft: Exchange NDR 4.3.1 ('insufficient system resources')", "insufficient system resources"),
))
