"""speeding: the recipient or the sender is over a rate limit."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "speeding"

RATE = PhraseList(REASON, "a rate limit", rules(
    REASON,
    (("Google: SMTP error reference 450 4.2.1 ('receiving mail at a rate that prevents ...', "
      "'receiving mail too quickly')"),
     "receiving mail at a rate", "receiving mail too quickly", "relay limit exceeded", "daily sending quota",
     "sending limit exceeded", "this mail has been rate limited"),
    ("RFC 6585-style throttling texts ('rate limit', 'throttled')", "rate limit", "rate limited", "rate-limited",
     "throttl*", "sending too fast", "sending rate", "try again slower"),
    ("Symantec Email Security.cloud: 460 ('too many messages')", "too many messages"),
    ("Apple iCloud Mail: 421 4.7.1 ('deferred due to excessive volume')", "excessive volume"),
    ("Microsoft: Exchange Online NDR 5.2.121/5.2.122 ('per hour message receive limit')",
     "per hour message receive limit", "exceeded their limit for", "daily limit for message recipients",
     "submission quota exceeded", "exceeded permitted limits"),
    ("Tencent QQ Mail: error codes ('frequency of receiving messages is limited')",
     "frequency of receiving messages is limited"),
    ("Rspamd: src/plugins/lua/ratelimit.lua (its soft reject 'Ratelimit exceeded', 'Ratelimit \"<bucket>\" exceeded')",
     "ratelimit ... exceeded"),
))
