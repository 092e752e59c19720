"""badreputation: the sending host's or domain's reputation is too low."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "badreputation"

REPUTATION = PhraseList(REASON, "the sender's reputation", rules(
    REASON,
    ("Google: SMTP error reference 421 4.7.0 / 550 5.7.1 (very low reputation of the sending IP/domain)",
     "very low reputation", "low reputation", "poor reputation", "bad reputation"),
    ("Microsoft: Exchange Online 451 4.7.650 (rate limited due to IP reputation)", "due to ip reputation",
     "ip reputation"),
    ("T-Online: postmaster ('none/bad reputation')", "none/bad reputation"),
    ("Mimecast: SMTP error codes 550 ('local ct ip reputation')", "ct ip reputation"),
    ("GoDaddy: bounce error IB103 (poor reputation on Cloudmark Sender Intelligence)", "ib103"),
    ("Yahoo: SMTP error codes 421 4.7.0 [TSS04] (unexpected volume or user complaints)",
     "unexpected volume or user complaints", "sender reputation", "reputation of the sending",
     "reputation of your", "reputation is"),
    (("Receivers' reputation refusals ('a poor email reputation score', 'IP/domain reputation problems'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/BadReputation.pm"),
     "poor email reputation", "reputation score", "reputation problems"),
))
