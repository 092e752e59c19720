"""virusdetected: a virus scanner refused the message."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "virusdetected"

VIRUS = PhraseList(REASON, "a virus scanner's verdict", rules(
    REASON,
    ("ClamAV, amavisd-new: 'virus found' / 'INFECTED' notices", "virus", "viruses", "infected", "malware",
     "trojan", "worm found"),
    ("GoDaddy: bounce error IB705 ('Virus infected message rejected')", "ib705"),
    ("Google: SMTP error reference 552 5.7.0 ('potentially executable attachment')",
     "potentially executable attachment", "used by recent viruses"),
    ("Symantec Email Security.cloud: 'security policies ... signature'", "security polic* ... signature"),
    ("Exim: src/malware.c ('This message contains malware')", "contains malware", "phishing/malicious_url"),
))
