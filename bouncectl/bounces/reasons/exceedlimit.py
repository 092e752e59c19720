"""exceedlimit: the message exceeds the recipient's own size limit."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "exceedlimit"
STATUSES = {"X.2.3": "RFC 3463 X.2.3 (message length exceeds administrative limit)"}

RECIPIENT_LIMIT = PhraseList(REASON, "the recipient's size limit", rules(
    REASON,
    ("Microsoft: Exchange NDR 5.2.3 (RESOLVER.RST.RecipSizeLimit)", "recipsizelimit",
     "message too large for this recipient"),
    ("RFC 3463 X.2.3 (message length exceeds administrative limit)", "exceeds administrative limit",
     "exceeds the limit set by the recipient", "exceeds the size limit for the recipient"),
    ("Exchange Server: 'message header size exceeds limit'", "message header size exceeds limit"),
    ("qmail-ldap: qmail-ldap patch ('The message exeeded the maximum size the user accepts', #5.2.3)",
     "maximum size the user accepts"),
    ("amavisd-new: amavisd %smtp_reason_by_ccat ('Message size exceeds recipient's size limit')",
     "exceeds recipient's size limit"),
))
